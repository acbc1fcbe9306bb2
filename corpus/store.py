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

from corpus.errors import FramescopeError

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
    boilerplate and, by default, leaves out documents marked as duplicates.
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
    """``path`` checked to be a corpus folder written by ``framescope build``."""
    folder = Path(path)
    if not folder.is_dir():
        raise FramescopeError(f"no corpus folder at {folder}")
    missing = [n for n in ("documents.parquet", "segments.parquet", "manifest.json")
               if not (folder / n).is_file()]
    if missing:
        raise FramescopeError(f"{folder} is not a framescope corpus (missing {', '.join(missing)})")
    return folder


def read_documents(path: str | os.PathLike, columns: list[str] | None = None) -> pd.DataFrame:
    """documents.parquet of a corpus folder (only ``columns`` if given), as :func:`load` gives it."""
    folder = corpus_folder(path)
    try:
        documents = pd.read_parquet(folder / "documents.parquet", columns=columns)
    except Exception as exc:
        raise FramescopeError(f"cannot read corpus at {folder}: {exc}") from None
    if "date" in documents:
        # date32 in the file; datetime64 here so that pandas date arithmetic just works
        documents["date"] = pd.to_datetime(documents["date"])
    return documents


def load(path: str | os.PathLike) -> Corpus:
    """Load a corpus folder written by ``framescope build``."""
    folder = corpus_folder(path)
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


def _table(df: pd.DataFrame) -> pa.Table:
    # preserve_index=False keeps the file free of a RangeIndex that depends on history
    return pa.Table.from_pandas(df, preserve_index=False)


def write_parquet(df: pd.DataFrame, path: Path, row_group_size: int = 50_000) -> None:
    """Deterministic Parquet: same frame, same bytes (no timestamps in the metadata)."""
    pq.write_table(_table(df), path, compression="zstd", row_group_size=row_group_size,
                   write_statistics=True)


class AtomicFolder:
    """Write into a temporary sibling folder; rename over the target only on success.

    An interrupted build leaves the previous corpus untouched.
    """

    def __init__(self, target: str | os.PathLike):
        self.target = Path(target).resolve()
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        # mkdtemp made the folder private (0700); the result is an ordinary folder (umask)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(self.tmp, 0o777 & ~mask)
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def write_corpus(folder: str | os.PathLike, documents: pd.DataFrame, segments: pd.DataFrame,
                 rejects: Iterable[dict[str, str]] | pd.DataFrame, manifest: dict[str, Any]) -> Path:
    """Write the four files of a corpus atomically into ``folder``."""
    rej = rejects if isinstance(rejects, pd.DataFrame) else pd.DataFrame(list(rejects), columns=REJECT_COLUMNS)
    with AtomicFolder(folder) as tmp:
        write_parquet(documents, tmp / "documents.parquet")
        write_parquet(segments, tmp / "segments.parquet")
        rej.to_csv(tmp / "rejects.csv", index=False, lineterminator="\n")
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
    """An HTML summary of ``corpus`` (what ``Corpus._repr_html_`` shows in Jupyter)."""
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
