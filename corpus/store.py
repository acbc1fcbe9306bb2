"""The corpus store: four files in one folder, written atomically.

``documents.parquet``  one row per document (see :data:`DOCUMENT_COLUMNS`)
``segments.parquet``   one row per segment (see :data:`SEGMENT_COLUMNS`)
``rejects.csv``        every input that did not become a document: source, location, reason
``manifest.json``      inputs, options, version, counts and ``corpus_id``
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framescope.corpus.errors import FramescopeError

#: Core columns of documents.parquet, in order; the sources' extra metadata follows.
DOCUMENT_COLUMNS = [
    "doc_id",        # collection + ':' + original id or file stem; unique, stable
    "collection",    # loader collection name (seeds, fakes, saudinewsnet, csv file stem...)
    "outlet",        # outlet key (registry key), e.g. 'sana', 'reuters'
    "source_type",   # state_media, state_aligned, partisan_media, wire, ngo, igo, government, private_media, unknown
    "alignment",     # stance toward the Syrian government: pro_damascus, anti_damascus, neutral, mixed, unknown
    "country",       # outlet country from the registry or the source
    "date",          # publication date (datetime64[ns] at day precision), NaT when unknown
    "title",         # headline
    "url",           # URL if known
    "lang",          # main language (ISO 639-1) by analysable characters
    "text",          # analysable text: title, body and caption segments joined by newlines
    "raw_sha256",    # sha256 of the raw input record (file bytes, CSV row, JSON object)
    "wire_credit",   # news agency credited in the text (Reuters, AFP, ...) or null
    "duplicate_of",  # doc_id of an earlier exact/near duplicate, or null
]

#: Columns of segments.parquet.
SEGMENT_COLUMNS = [
    "doc_id",  # document this segment belongs to
    "seg",     # 0..n in document order
    "role",    # title, body, caption (captions, sub-headings, pull quotes), boilerplate
    "lang",    # ISO 639-1 code of the segment, 'und' if undetermined
    "text",    # text as in the source, whitespace-normalised
]

ANALYSABLE_ROLES = ("title", "body", "caption")
REJECT_COLUMNS = ["source", "location", "reason"]


@dataclass
class Corpus:
    """A built corpus: documents and segments as pandas DataFrames.

    ``subset(query)`` filters documents with a pandas query on their metadata and keeps
    the matching segments. Analyses read :meth:`analysable_segments`, which never returns
    boilerplate and, by default, leaves out documents marked as duplicates. The columns of
    each table are described in README.md, "The corpus store", and their names follow
    docs/columns.md.

    Parameters
    ----------
    documents : pandas.DataFrame
        One row per document (``documents.parquet``): ``doc_id``, ``collection``,
        ``outlet``, ``source_type``, ``country``, ``date``, ``title``, ``url``, ``lang``,
        ``text``, ``raw_sha256``, ``wire_credit``, ``duplicate_of`` and each source's own
        metadata columns.
    segments : pandas.DataFrame
        One row per segment (``segments.parquet``): ``doc_id``, ``seg`` (0..n in document
        order), ``role`` (title, body, caption, boilerplate), ``lang`` (ISO 639-1), ``text``.
    rejects : pandas.DataFrame, optional
        Every input that did not become a document (``rejects.csv``): ``source``,
        ``location``, ``reason``. Default: an empty table with these columns.
    manifest : dict, optional
        The build's ``manifest.json`` (sources, options, counts, versions, file sizes and
        hashes). Default: empty (a corpus made in memory).
    path : pathlib.Path or None, optional
        The folder the corpus was loaded from; None for one made in memory.
    """

    documents: pd.DataFrame
    segments: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    manifest: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def corpus_id(self) -> str | None:
        return self.manifest.get("corpus_id")

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return (f"Corpus({len(self.documents)} documents, {len(self.segments)} segments, "
                f"corpus_id={self.corpus_id!r})")

    def _repr_html_(self) -> str:
        """The summary Jupyter shows for a corpus: size, languages, groups, dates, id, rejects."""
        return corpus_html(self)

    def subset(self, query: str | None) -> "Corpus":
        """Documents matching a pandas query on document metadata, with their segments."""
        if not query:
            return self
        try:
            docs = self.documents.query(query, engine="python")
        except Exception as exc:  # pandas raises many types for a bad expression
            raise FramescopeError(f"bad query {query!r}: {exc}") from None
        keep = set(docs["doc_id"])
        segs = self.segments[self.segments["doc_id"].isin(keep)]
        manifest = dict(self.manifest)
        manifest["subset"] = [*manifest.get("subset", []), query]
        return Corpus(docs.reset_index(drop=True), segs.reset_index(drop=True),
                      self.rejects, manifest, self.path)

    def analysable_segments(self, include_duplicates: bool = False,
                            lang: str | None = None) -> pd.DataFrame:
        """Title, body and caption segments (never boilerplate), in document order."""
        segs = self.segments[self.segments["role"].isin(ANALYSABLE_ROLES)]
        if not include_duplicates and "duplicate_of" in self.documents:
            dups = set(self.documents.loc[self.documents["duplicate_of"].notna(), "doc_id"])
            if dups:
                segs = segs[~segs["doc_id"].isin(dups)]
        if lang is not None:
            segs = segs[segs["lang"] == lang]
        return segs

    @classmethod
    def from_frames(cls, documents: pd.DataFrame, segments: pd.DataFrame,
                    manifest: dict[str, Any] | None = None) -> "Corpus":
        """A corpus from DataFrames (tests, notebooks). Missing core columns are added empty."""
        documents = documents.copy()
        for col in DOCUMENT_COLUMNS:
            if col not in documents:
                documents[col] = None
        segments = segments.copy()
        for col in SEGMENT_COLUMNS:
            if col not in segments:
                segments[col] = None
        return cls(documents, segments, manifest=manifest or {})


def corpus_folder(path: str | os.PathLike) -> Path:
    """``path`` checked to be a corpus folder written by ``framescope build``.

    Parameters
    ----------
    path : str or os.PathLike
        The folder to check.

    Returns
    -------
    pathlib.Path
        ``path`` as a Path, once it is known to be a folder holding ``documents.parquet``,
        ``segments.parquet`` and ``manifest.json``.

    Raises
    ------
    FramescopeError
        When the folder is absent or one of these files is missing (one line, naming them).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FramescopeError(f"no corpus folder at {folder}")
    missing = [n for n in ("documents.parquet", "segments.parquet", "manifest.json")
               if not (folder / n).is_file()]
    if missing:
        raise FramescopeError(f"{folder} is not a framescope corpus (missing {', '.join(missing)})")
    return folder


def read_documents(path: str | os.PathLike, columns: list[str] | None = None) -> pd.DataFrame:
    """Read documents.parquet of a corpus folder, as :func:`load` gives it.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder (checked by :func:`corpus_folder`).
    columns : list of str or None, optional
        Read only these columns (much faster on a large corpus); None reads all.

    Returns
    -------
    pandas.DataFrame
        One row per document, columns as in :class:`Corpus` ``documents``; ``date`` is
        converted to ``datetime64`` (null where the date is unknown).
    """
    folder = corpus_folder(path)
    try:
        documents = pd.read_parquet(folder / "documents.parquet", columns=columns)
    except Exception as exc:
        raise FramescopeError(f"cannot read corpus at {folder}: {exc}") from None
    if "date" in documents:
        # date32 in the file; datetime64 here so that pandas date arithmetic just works
        documents["date"] = pd.to_datetime(documents["date"])
    return documents


def load(path: str | os.PathLike, verify: bool | str = True) -> Corpus:
    """Load a corpus folder written by ``framescope build``.

    A mismatch (a truncated file, a file or manifest copied from another corpus) is a
    one-line :class:`~framescope.corpus.errors.CorpusIntegrityError`.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus folder (``--out`` of ``framescope build``).
    verify : bool or {"hash"}, default True
        True checks, cheaply, that each file has the size the manifest records and that
        the Parquet files hold the manifest's row counts; ``"hash"`` also checks their
        sha256 (reads every byte); False checks nothing.

    Returns
    -------
    Corpus
        Its documents, segments, rejects (empty when ``rejects.csv`` is absent), manifest
        and ``path``.
    """
    folder = corpus_folder(path)
    if verify:
        verify_corpus(folder, hashes=verify == "hash")
    documents = read_documents(folder)
    try:
        segments = pd.read_parquet(folder / "segments.parquet")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except Exception as exc:
        raise FramescopeError(f"cannot read corpus at {folder}: {exc}") from None
    rejects_path = folder / "rejects.csv"
    rejects = (pd.read_csv(rejects_path, dtype=str, keep_default_na=False)
               if rejects_path.is_file() else pd.DataFrame(columns=REJECT_COLUMNS))
    return Corpus(documents, segments, rejects, manifest, folder)


def file_records(folder: Path, rows: dict[str, int]) -> dict[str, dict[str, Any]]:
    """The manifest's ``files`` record of a corpus folder's data files.

    Parameters
    ----------
    folder : pathlib.Path
        The folder holding the written data files (``manifest.json`` itself is skipped, as
        are files of ``CORPUS_FILES`` that are absent).
    rows : dict of str to int
        File name → number of rows written, recorded as ``rows`` for the files named.

    Returns
    -------
    dict of str to dict
        ``{name: {"size": bytes, "sha256": hex digest[, "rows": n]}}``.
    """
    from framescope.corpus.loaders.common import sha256_file

    out = {}
    for name in CORPUS_FILES:
        path = folder / name
        if name == "manifest.json" or not path.is_file():
            continue
        out[name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
        if name in rows:
            out[name]["rows"] = rows[name]
    return out


def verify_corpus(path: str | os.PathLike, hashes: bool = False) -> dict[str, Any]:
    """Check a corpus folder against its manifest; returns the manifest.

    Sizes and Parquet row counts always (cheap: the Parquet footer), sha256 with
    ``hashes``. Manifests older than the ``files`` record are checked on row counts only.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus folder.
    hashes : bool, default False
        Also compare each file's sha256 with the manifest (reads every byte).

    Returns
    -------
    dict
        The parsed ``manifest.json``.

    Raises
    ------
    CorpusIntegrityError
        On the first file that is missing, has another size, hash or row count, or is
        not readable Parquet.
    """
    from framescope.corpus.errors import CorpusIntegrityError
    from framescope.corpus.loaders.common import sha256_file

    folder = corpus_folder(path)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusIntegrityError(f"{folder}: unreadable manifest.json ({exc})") from None
    if not isinstance(manifest, dict):
        raise CorpusIntegrityError(f"{folder}: manifest.json is not a JSON object")
    files = manifest.get("files") or {}
    counts = manifest.get("counts") or {}
    expected_rows = {"documents.parquet": counts.get("documents"),
                     "segments.parquet": counts.get("segments")}
    export = folder / "export.json"  # written by framescope.analysis.export (kept out of the import graph)
    if export.is_file():
        # a Parquet export keeps its source corpus's manifest; its own counts are in export.json
        try:
            info = json.loads(export.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorpusIntegrityError(f"{folder}: unreadable export.json ({exc})") from None
        files = {}
        expected_rows = {"documents.parquet": info.get("documents"),
                         "segments.parquet": info.get("segments")}
    for name, rec in files.items():
        p = folder / name
        if not p.is_file():
            raise CorpusIntegrityError(f"{folder}: {name} is missing (the manifest lists it)")
        size = p.stat().st_size
        if size != rec.get("size"):
            raise CorpusIntegrityError(f"{folder}: {name} has {size} bytes, the manifest says "
                                       f"{rec.get('size')} (damaged, or files from another corpus); rebuild it")
        if hashes and sha256_file(p) != rec.get("sha256"):
            raise CorpusIntegrityError(f"{folder}: {name} does not match its sha256 in the manifest; rebuild it")
    for name, n in expected_rows.items():
        if n is None:
            continue
        try:
            rows = pq.ParquetFile(folder / name).metadata.num_rows
        except Exception as exc:
            raise CorpusIntegrityError(f"{folder}: {name} is not a readable Parquet file ({exc}); rebuild it") from None
        if rows != n:
            raise CorpusIntegrityError(f"{folder}: {name} holds {rows} rows, the manifest says {n}; rebuild it")
    return manifest


def _table(df: pd.DataFrame) -> pa.Table:
    # preserve_index=False keeps the file free of a RangeIndex that depends on history
    return pa.Table.from_pandas(df, preserve_index=False)


def write_parquet(df: pd.DataFrame, path: Path, row_group_size: int = 50_000) -> None:
    """Deterministic Parquet: same frame, same bytes (no timestamps in the metadata).

    Parameters
    ----------
    df : pandas.DataFrame
        The table to write (its index is not stored).
    path : pathlib.Path
        The file to write (replaced if it exists).
    row_group_size : int, default 50_000
        Rows per Parquet row group, the unit that streaming readers load at once.
    """
    pq.write_table(_table(df), path, compression="zstd", row_group_size=row_group_size,
                   write_statistics=True)


#: written into every corpus manifest, so that a build knows a folder it may replace
CORPUS_FORMAT = "framescope-corpus"
CORPUS_FILES = ("documents.parquet", "segments.parquet", "rejects.csv", "manifest.json")


def is_corpus_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a framescope corpus, by its manifest (old ones included).

    Parameters
    ----------
    folder : pathlib.Path
        The folder to inspect.

    Returns
    -------
    bool
        True when its ``manifest.json`` is a JSON object with the current corpus ``format``
        or, for older builds, the keys ``corpus_id``, ``text_layer_version`` and
        ``framescope_version``; False when it is absent or unreadable.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict):
        return False
    return manifest.get("format") == CORPUS_FORMAT or (
        {"corpus_id", "text_layer_version", "framescope_version"} <= set(manifest))


def check_output_folder(out: str | os.PathLike, inputs: Iterable[str | os.PathLike] = (),
                        replaceable=is_corpus_folder, what: str = "a framescope corpus") -> Path:
    """``out`` checked to be a folder a build may (re)place; one-line error otherwise.

    Allowed: an absent path whose nearest existing ancestor is a folder, an empty
    folder, or a folder ``replaceable`` accepts (a corpus, by its manifest) that holds
    none of the ``inputs``. Everything else is refused before any work is done, and
    nothing is deleted: the current folder, an input folder, a file, a folder of
    other files.

    Parameters
    ----------
    out : str or os.PathLike
        The output folder asked for (``--out``); empty is an error.
    inputs : iterable of str or os.PathLike, optional
        The input paths of the run: ``out`` may be none of them nor contain one.
    replaceable : callable, default is_corpus_folder
        ``replaceable(folder) -> bool``: whether a non-empty existing folder is one this
        command wrote and may replace. With the default, a corpus folder that also holds
        files of the user's is refused.
    what : str, default "a framescope corpus"
        What ``replaceable`` accepts, for the error message.

    Returns
    -------
    pathlib.Path
        ``out`` resolved to an absolute path.

    Raises
    ------
    FramescopeError
        When ``out`` may not be written, with the reason.
    """
    if out is None or str(out).strip() == "":
        raise FramescopeError("--out is empty: name the folder to write")
    target = Path(out).expanduser()
    resolved = target.resolve()
    if resolved == Path(resolved.anchor):
        raise FramescopeError(f"refusing to write a build into the root folder {resolved}")
    for parent in resolved.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FramescopeError(f"cannot write {target}: {parent} is a file, not a folder")
            break
    for item in inputs:
        src = Path(item).expanduser().resolve()
        if src == resolved or resolved in src.parents:
            raise FramescopeError(f"refusing to write {target}: it holds the input {item}")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise FramescopeError(f"refusing to replace {target}: it exists and is not a folder")
    if target.is_dir():
        try:
            entries = list(os.scandir(target))
        except OSError as exc:
            raise FramescopeError(f"cannot read {target}: {exc.strerror}") from None
        if entries and not replaceable(target):
            raise FramescopeError(f"refusing to replace {target}: it is not empty and does not "
                                  f"hold {what} (choose a new or empty folder)")
        if entries and replaceable is is_corpus_folder:
            # a corpus folder with the user's own files added: replacing it would delete them
            others = sorted(e.name for e in entries
                            if e.name not in CORPUS_FILES and not is_derived_folder(target / e.name))
            if others:
                raise FramescopeError(f"refusing to replace {target}: besides the corpus it holds "
                                      f"{', '.join(others[:3])}{' ...' if len(others) > 3 else ''} "
                                      "(move them out first)")
    return resolved


class AtomicFolder:
    """Write into a temporary sibling folder; swap it in for the target only on success.

    At every instant the target holds the old or the new folder, or the next
    ``AtomicFolder`` on the same target finds the swap half-done and finishes it (the
    new folder is complete once renamed ``.NAME.new``) or rolls it back (``.NAME.old``
    back in place). Leftover temporary folders of killed runs are removed by the next
    run. A lock file ``.NAME.lock`` beside the target stops two runs writing it at once.

    Parameters
    ----------
    target : str or os.PathLike
        The folder to (re)place.
    replaceable : callable or None, optional
        ``replaceable(folder) -> bool`` (e.g. :func:`is_corpus_folder`): the target is
        first checked by :func:`check_output_folder` with it. None (default) replaces any
        existing target without checking.
    inputs : iterable of path-like, optional
        Input paths the target may not be or contain (checked only with ``replaceable``).
    what : str, default "a framescope corpus"
        What ``replaceable`` accepts, for the error message.
    """

    def __init__(self, target: str | os.PathLike, replaceable=None, inputs: Iterable = (),
                 what: str = "a framescope corpus"):
        if replaceable is not None:
            check_output_folder(target, inputs, replaceable, what)
        elif str(target).strip() == "":
            raise FramescopeError("--out is empty: name the folder to write")
        self.target = Path(target).expanduser().resolve()
        self.tmp: Path | None = None
        self._lock_fh = None

    def _sibling(self, suffix: str) -> Path:
        return self.target.with_name(f".{self.target.name}.{suffix}")

    def lock(self) -> "AtomicFolder":
        """Take the lock (one-line error if another run holds it) and repair a half swap."""
        if self._lock_fh is not None:
            return self
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise FramescopeError(f"cannot write {self.target}: a parent is a file, not a folder") from None
        except OSError as exc:
            raise FramescopeError(f"cannot create {parent}: {exc.strerror}") from None
        path = self._sibling("lock")
        while True:
            fh = open(path, "a+")
            try:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:  # no flock (Windows): no lock, as before
                break
            except OSError:
                fh.close()
                raise FramescopeError(f"another framescope run is writing {self.target} "
                                      f"(it holds {path}); wait for it to finish") from None
            try:  # the holder before us may have removed the file as we opened it
                if os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino:
                    break
            except FileNotFoundError:
                pass
            fh.close()
        self._lock_fh = fh
        self._lock_path = path
        self._recover()
        return self

    def release(self) -> None:
        if self._lock_fh is not None:
            try:
                os.unlink(self._lock_path)  # while still held: no one else is using it
            except OSError:
                pass
            self._lock_fh.close()  # closing releases the flock
            self._lock_fh = None

    def _recover(self) -> None:
        """Finish or roll back a swap a crash interrupted; remove stale temporary folders."""
        new, old = self._sibling("new"), self._sibling("old")
        if not self.target.exists():
            if new.is_dir():
                os.replace(new, self.target)  # the new folder was complete: finish
            elif old.is_dir():
                os.replace(old, self.target)  # nothing newer: roll back
        for leftover in (new, old):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
        for stale in self.target.parent.glob(f".{glob_escape(self.target.name)}.tmp-*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)

    def __enter__(self) -> Path:
        self.lock()
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.tmp-", dir=self.target.parent))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        try:
            if exc_type is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                return
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o777 & ~umask)  # mkdtemp made it private; a corpus is not
            _fsync_tree(self.tmp)
            new, old = self._sibling("new"), self._sibling("old")
            os.replace(self.tmp, new)       # complete: from here a crash rolls forward
            _fsync_dir(self.target.parent)
            if self.target.exists():
                os.replace(self.target, old)
            os.replace(new, self.target)
            _fsync_dir(self.target.parent)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            self.release()


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters escaped (a folder called ``[x]``).

    Parameters
    ----------
    name : str
        A file or folder name.

    Returns
    -------
    str
        ``name`` with ``*``, ``?`` and ``[`` escaped (``glob.escape``), so that a glob
        matches it literally.
    """
    import glob

    return glob.escape(name)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: Folders that framescope itself writes inside a corpus folder (the token store of
#: ``framescope.analysis.token_store``): they are derived from the corpus and go when it is replaced.
DERIVED_FOLDERS = ("tokens",)


def is_derived_folder(path: Path) -> bool:
    """Whether ``path`` is a folder framescope derived from the corpus and may replace.

    True for a folder of :data:`DERIVED_FOLDERS` that holds only what framescope wrote
    there: stores (folders with a ``meta.json``), their lock files and unfinished temporary
    folders. Symbolic links make it False.

    Parameters
    ----------
    path : pathlib.Path
        A folder inside a corpus folder.

    Returns
    -------
    bool
        True when rebuilding the corpus may delete it along with the corpus.
    """
    if path.name not in DERIVED_FOLDERS or path.is_symlink() or not path.is_dir():
        return False
    for entry in path.iterdir():
        if entry.is_symlink():
            return False
        if entry.is_dir() and ((entry / "meta.json").is_file() or entry.name.startswith(".")):
            continue
        if entry.is_file() and entry.name.endswith(".lock"):
            continue
        return False
    return True


def write_corpus(folder: str | os.PathLike, documents: pd.DataFrame, segments: pd.DataFrame,
                 rejects: Iterable[dict[str, str]] | pd.DataFrame, manifest: dict[str, Any]) -> Path:
    """Write the four files of a corpus atomically into ``folder``.

    The manifest's ``files`` record and its document and segment totals are set to what
    is written (a manifest taken from another corpus would otherwise not match).

    Parameters
    ----------
    folder : str or os.PathLike
        The corpus folder, replaced as a whole through :class:`AtomicFolder`.
    documents : pandas.DataFrame
        The documents table (see :class:`Corpus`).
    segments : pandas.DataFrame
        The segments table (see :class:`Corpus`).
    rejects : iterable of dict or pandas.DataFrame
        Rows with ``source``, ``location`` and ``reason``, written to ``rejects.csv``.
    manifest : dict
        The manifest to write as ``manifest.json`` (copied, not modified).

    Returns
    -------
    pathlib.Path
        ``folder``.
    """
    rej = rejects if isinstance(rejects, pd.DataFrame) else pd.DataFrame(list(rejects), columns=REJECT_COLUMNS)
    with AtomicFolder(folder) as tmp:
        write_parquet(documents, tmp / "documents.parquet")
        write_parquet(segments, tmp / "segments.parquet")
        rej.to_csv(tmp / "rejects.csv", index=False, lineterminator="\n")
        manifest = dict(manifest)
        if isinstance(manifest.get("counts"), dict):
            manifest["counts"] = {**manifest["counts"], "documents": len(documents), "segments": len(segments)}
        manifest["files"] = file_records(tmp, {"documents.parquet": len(documents),
                                               "segments.parquet": len(segments), "rejects.csv": len(rej)})
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
            encoding="utf-8")
    return Path(folder)


# --- the notebook summary (Corpus._repr_html_) ---------------------------------------------

#: Above this many segments the notebook summary does not count words (it would take seconds).
HTML_WORD_COUNT_LIMIT = 100_000


def _count_table(title: str, counts: pd.Series, total: int) -> str:
    from html import escape

    rows = "".join(f"<tr><td dir=\"auto\">{escape(str(k))}</td><td>{int(n):,}</td>"
                   f"<td>{100 * n / total if total else 0:.1f}%</td></tr>" for k, n in counts.items())
    return (f'<table style="display:inline-table;vertical-align:top;margin-right:1.5em">'
            f'<thead><tr><th style="text-align:left">{escape(title)}</th><th>documents</th><th></th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def corpus_html(corpus: "Corpus") -> str:
    """An HTML summary of ``corpus`` (what ``Corpus._repr_html_`` shows in Jupyter).

    Parameters
    ----------
    corpus : Corpus
        The corpus to summarise.

    Returns
    -------
    str
        An HTML fragment: documents (and marked duplicates), segments, words (up to
        :data:`HTML_WORD_COUNT_LIMIT` segments), languages, date range, rejects, corpus_id,
        folder and subset, then documents per source_type, alignment and collection.
    """
    from html import escape

    docs, segs = corpus.documents, corpus.segments
    n = len(docs)
    dups = int(docs["duplicate_of"].notna().sum()) if "duplicate_of" in docs else 0
    analysable = segs[segs["role"].isin(ANALYSABLE_ROLES)] if "role" in segs else segs
    facts = [("documents", f"{n:,}" + (f" ({dups:,} marked duplicates, left out of analyses by default)"
                                       if dups else "")),
             ("segments", f"{len(segs):,} ({len(analysable):,} title, body or caption)")]
    if len(analysable) <= HTML_WORD_COUNT_LIMIT and "text" in analysable:
        words = int(analysable["text"].fillna("").str.split().str.len().sum())
        facts.append(("words", f"{words:,} (whitespace-separated, in analysable segments)"))
    if "lang" in docs:
        langs = docs["lang"].fillna("und").value_counts()
        facts.append(("main language", ", ".join(f"{escape(str(k))} {v:,}" for k, v in langs.items())))
    if "lang" in analysable:
        seg_langs = analysable["lang"].fillna("und").value_counts()
        facts.append(("segment languages", ", ".join(f"{escape(str(k))} {v:,}" for k, v in seg_langs.items())))
    dates = pd.to_datetime(docs["date"]).dropna() if "date" in docs else pd.Series(dtype="datetime64[ns]")
    facts.append(("dates", f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
                           + (f" ({n - len(dates):,} undated)" if len(dates) < n else "")
                  if len(dates) else "none"))
    facts.append(("rejects", f"{len(corpus.rejects):,} inputs not made into documents (rejects.csv)"))
    facts.append(("corpus_id", escape(str(corpus.corpus_id))))
    if corpus.path is not None:
        facts.append(("folder", escape(str(corpus.path))))
    if corpus.manifest.get("subset"):
        facts.append(("subset", escape(" and ".join(corpus.manifest["subset"]))))
    rows = "".join(f'<tr><th style="text-align:left;padding-right:1em">{k}</th><td style="text-align:left">{v}</td></tr>'
                   for k, v in facts)
    groups = "".join(_count_table(col, docs[col].fillna("(missing)").value_counts().sort_index(), n)
                     for col in ("source_type", "alignment", "collection") if col in docs and docs[col].notna().any())
    return (f'<div class="fs-corpus"><p><b>framescope Corpus</b></p><table>{rows}</table>'
            f'<div style="margin-top:.6em">{groups}</div></div>')
