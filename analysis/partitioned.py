"""Counting by document partitions: where the counting step of every statistic runs.

Every counting function of framescope (:func:`framescope.analysis.counts.dtm`,
:func:`~framescope.analysis.counts.frequencies`, :func:`~framescope.analysis.keyness.keyness`,
:func:`~framescope.analysis.keyness.keyness_groups`,
:func:`~framescope.analysis.collocations.collocates`,
:func:`~framescope.analysis.collocations.bigram_collocations`,
:func:`~framescope.analysis.collocations.ngrams`) takes ``backend`` and ``partition_docs``;
this module is what they run on. There is one function per statistic: where it runs is an
argument, never a second function.

``backend``
    ``None`` or ``"local"`` (default): this process. ``"processes"``: a pool of worker
    processes on this machine (one per CPU). ``"dask"``: Dask's multiprocessing scheduler
    on this machine. ``"tcp://HOST:PORT"`` (any ``dask.distributed`` address): a running
    Dask cluster (workers need framescope and the corpus folder at the same path). A
    :class:`framescope.corpus.parallel.Backend` (``Backend(workers=4)``) or an open
    :class:`~framescope.corpus.parallel.Session` (one pool or client across calls) are
    accepted too; ``framescope --workers N --scheduler ...`` builds one.

A corpus is cut into *document partitions*: runs of ``partition_docs`` consecutive
documents. For a corpus folder (a path) a partition is a range of rows of
``documents.parquet`` (a row group of :data:`PARTITION_DOCS` documents, as ``framescope
build`` writes them); a worker reads only its rows. When the folder has a token store for
the token options (:mod:`framescope.analysis.token_store`), the worker reads only its
documents' rows of the store (row groups selected by the ``doc`` statistics) and counts
their integer token ids without tokenising; otherwise it reads its rows of
``segments.parquet`` and tokenises them. The corpus is never loaded whole. For an
in-memory :class:`~framescope.corpus.store.Corpus` a partition is a slice of its frames.

Each partition is counted into a table that merges exactly (integer sums over
vocabularies sorted by (lang, term), or rows stacked in corpus order), in an
order-preserving tree; the statistic is then computed **once** from the merged counts by
the same code as in a single pass, so every table is identical, value for value,
whatever the backend, the number of workers or the partition size
(``tests/test_partitioned.py``).

Group labels and target/reference queries are evaluated once, in the calling process, on
the document metadata (:func:`metadata`: only the columns the expressions name; never the
text); workers receive each partition's labels. Sentence models are resolved in the
calling process and sent with the tasks, so a worker splits sentences as the caller does.

This module knows nothing of any statistic: a count function (module-level, pickled by
reference) receives a :class:`PartitionBatch` and returns a mergeable table.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from framescope.analysis.token_store import StoreArrays, read_store_documents, store_folder
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_sentences import restore_sentence_models, sentence_model_state
from framescope.analysis.token_store import token_metadata, token_store_key
from framescope.analysis.tokens import Tokens, iter_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import Backend, Session
from framescope.corpus.progress import progress
from framescope.corpus.store import SEGMENT_COLUMNS, Corpus, corpus_folder, read_documents

__all__ = ["PARTITION_DOCS", "BACKENDS", "FilePartition", "FramePartition", "IdTokens", "PartitionBatch",
           "CountContext", "CountTask", "resolve_backend", "by_partitions", "partitions", "metadata",
           "segment_languages", "count_partitions", "map_partitions", "count_partition", "read_partition"]

#: Documents per partition (= the row groups ``framescope build`` writes).
PARTITION_DOCS = 2000
#: Names ``backend`` takes besides a Dask address, a Backend or a Session.
BACKENDS = ("local", "processes", "dask")
_PARTITION_COLUMNS = ["doc_id", "duplicate_of"]


# --- backends -------------------------------------------------------------------------------------

def resolve_backend(backend: Any = None) -> Backend | Session:
    """The :class:`~framescope.corpus.parallel.Backend` (or Session) that ``backend`` names.

    Parameters
    ----------
    backend : None, str, Backend or Session
        ``None``/``"local"``: this process; ``"processes"``: a process pool with one worker
        per CPU; ``"dask"``: Dask's multiprocessing scheduler; a Dask address
        (``"tcp://HOST:8786"``): that cluster; a Backend or Session: itself.

    Returns
    -------
    Backend or Session
        The execution backend to pass to ``map_reduce``; a Backend or Session given is
        returned unchanged.

    Raises
    ------
    FramescopeError
        For any other value (one line naming the accepted ones).
    """
    if isinstance(backend, (Backend, Session)):
        return backend
    if backend is None or backend == "local":
        return Backend()
    if backend == "processes":
        return Backend(workers=os.cpu_count() or 1)
    if backend == "dask":
        return Backend(scheduler="processes")
    if isinstance(backend, str) and "://" in backend:
        return Backend(scheduler=backend)
    raise FramescopeError(f"backend must be local, processes, dask or a Dask address such as tcp://HOST:8786, "
                          f"not {backend!r}")


def _in_process(run: Backend | Session) -> bool:
    return (run.backend if isinstance(run, Session) else run).in_process


def by_partitions(source, backend: Any = None) -> bool:
    """Whether counting ``source`` with ``backend`` runs by document partitions.

    A corpus folder (a path) always does (in this process with the default backend: a
    folder is streamed, never loaded whole); an in-memory Corpus does when the backend runs
    tasks outside this process. Tokens, encoded tokens and matrices are already in this
    process: asking to count them elsewhere is an error.

    Parameters
    ----------
    source : path-like, Corpus, Tokens, Encoded or DocumentTermMatrix
        What is to be counted: a corpus folder, an in-memory corpus, or tokens, encoded
        tokens or a matrix already in this process.
    backend : None, str, Backend or Session
        As :func:`resolve_backend`.

    Returns
    -------
    bool
        True when the counting step must go through :func:`count_partitions`, False when
        it runs on ``source`` directly in this process.

    Raises
    ------
    FramescopeError
        Tokens or a matrix with a backend outside this process.
    """
    run = resolve_backend(backend)
    if isinstance(source, (str, os.PathLike)):
        return True
    if _in_process(run):
        return False
    if not isinstance(source, Corpus):
        raise FramescopeError(f"backend {backend!r} counts a corpus or a corpus folder, not {type(source).__name__}")
    return True


# --- partitions -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilePartition:
    """Document rows [doc_start, doc_stop) of a corpus folder and their segment rows.

    Parameters
    ----------
    folder : str
        The corpus folder (absolute path), holding ``documents.parquet`` and
        ``segments.parquet``.
    doc_start, doc_stop : int
        The partition's rows of ``documents.parquet`` (half-open range).
    seg_start, seg_stop : int
        The rows of ``segments.parquet`` that hold those documents' segments (half-open).
    manifest : dict
        The folder's ``manifest.json`` (corpus_id, ...), passed on to the loaded Corpus;
        not compared.
    """

    folder: str
    doc_start: int
    doc_stop: int
    seg_start: int
    seg_stop: int
    manifest: dict = field(default_factory=dict, compare=False)

    def documents(self) -> pd.DataFrame:
        """The partition's rows of ``documents.parquet`` (doc_id, duplicate_of)."""
        return _read_rows(Path(self.folder) / "documents.parquet", self.doc_start, self.doc_stop, _PARTITION_COLUMNS)

    def load(self, segment_columns: Sequence[str] = SEGMENT_COLUMNS) -> Corpus:
        """The partition as a small Corpus: doc_id and duplicate_of, and its segments."""
        folder = Path(self.folder)
        segs = _read_rows(folder / "segments.parquet", self.seg_start, self.seg_stop, list(segment_columns))
        return Corpus(self.documents(), segs, manifest=self.manifest, path=folder)


@dataclass
class FramePartition:
    """A slice of an in-memory corpus (travels to the workers with its rows).

    Parameters
    ----------
    documents : pandas.DataFrame
        The slice's rows of the corpus' documents table (one row per document, ``doc_id``
        first).
    segments : pandas.DataFrame
        The segments of those documents.
    manifest : dict
        The corpus manifest (corpus_id, ...), passed on to the loaded Corpus.
    """

    documents: pd.DataFrame
    segments: pd.DataFrame
    manifest: dict = field(default_factory=dict)

    def load(self, segment_columns: Sequence[str] = SEGMENT_COLUMNS) -> Corpus:
        """The slice as a Corpus (``segment_columns`` of its segments)."""
        return Corpus(self.documents, self.segments[list(segment_columns)], manifest=self.manifest)


def _read_rows(path: Path, start: int, stop: int, columns: list[str]) -> pd.DataFrame:
    """Rows [start, stop) of a Parquet file, reading only the row groups that hold them."""
    pf = pq.ParquetFile(path)
    bounds = np.cumsum([0] + [pf.metadata.row_group(i).num_rows for i in range(pf.num_row_groups)])
    groups = [i for i in range(pf.num_row_groups) if bounds[i] < stop and bounds[i + 1] > start]
    if not groups or stop <= start:
        return pf.schema_arrow.empty_table().select(columns).to_pandas()
    table = pf.read_row_groups(groups, columns=columns)
    return table.slice(start - bounds[groups[0]], stop - start).to_pandas()


def _column_batches(path: Path, column: str):
    for batch in pq.ParquetFile(path).iter_batches(columns=[column], batch_size=65536):
        yield from batch.column(0).to_pylist()


def _file_partitions(folder: Path, size: int) -> list[FilePartition]:
    """Partitions of ``size`` documents; segment rows found by one pass over the doc_id columns.

    Segments are stored in document order (as ``framescope build`` writes them). When they
    are not, the corpus is one partition (correct, but read whole).
    """
    manifest = {"corpus_id": _manifest(folder).get("corpus_id")}
    n_docs = pq.ParquetFile(folder / "documents.parquet").metadata.num_rows
    n_segs = pq.ParquetFile(folder / "segments.parquet").metadata.num_rows
    doc_bounds = list(range(0, n_docs, size)) + [n_docs] if n_docs else [0, 0]
    seg_bounds = _segment_bounds(folder, doc_bounds, n_segs)
    if seg_bounds is None:
        return [FilePartition(str(folder), 0, n_docs, 0, n_segs, manifest)]
    return [FilePartition(str(folder), doc_bounds[i], doc_bounds[i + 1], seg_bounds[i], seg_bounds[i + 1], manifest)
            for i in range(len(doc_bounds) - 1)]


def _segment_bounds(folder: Path, doc_bounds: list[int], n_segs: int) -> list[int] | None:
    """For each document boundary, the first segment row of the documents after it."""
    part_of: dict[str, int] = {}
    docs = _column_batches(folder / "documents.parquet", "doc_id")
    bounds = [0]
    current = 0  # partition whose documents are in part_of
    row = 0

    def load_partition(p):
        part_of.clear()
        for _ in range(doc_bounds[p + 1] - doc_bounds[p]):
            part_of[next(docs)] = p

    load_partition(0)
    for doc_id in _column_batches(folder / "segments.parquet", "doc_id"):
        while doc_id not in part_of:
            if current + 1 >= len(doc_bounds) - 1:
                return None  # a segment of an unknown or earlier document: not in document order
            current += 1
            bounds.append(row)
            load_partition(current)
        row += 1
    while len(bounds) < len(doc_bounds) - 1:
        bounds.append(row)
    bounds.append(n_segs)
    return bounds


def _frame_partitions(corpus: Corpus, size: int) -> list[FramePartition]:
    docs = corpus.documents
    position = pd.Series(np.arange(len(docs)), index=docs["doc_id"].to_numpy())
    seg_pos = corpus.segments["doc_id"].map(position).to_numpy(dtype=np.float64, na_value=np.nan)
    # segments of no listed document come last, as framescope.analysis.tokens orders them
    seg_pos = np.nan_to_num(seg_pos, nan=float(len(docs)))
    order = np.argsort(seg_pos, kind="stable")
    sorted_pos = seg_pos[order]
    manifest = {"corpus_id": corpus.corpus_id}
    cols = [c for c in _PARTITION_COLUMNS if c in docs.columns]
    out = []
    for start in range(0, max(len(docs), 1), size):
        stop = min(start + size, len(docs))
        lo = np.searchsorted(sorted_pos, start, side="left")
        hi = len(order) if stop >= len(docs) else np.searchsorted(sorted_pos, stop, side="left")
        out.append(FramePartition(docs.iloc[start:stop][cols].reset_index(drop=True),
                                  corpus.segments.iloc[order[lo:hi]].reset_index(drop=True), manifest))
    return out


def partitions(source, size: int = PARTITION_DOCS) -> list[FilePartition | FramePartition]:
    """Document partitions of a corpus folder (path) or of an in-memory Corpus, in corpus order.

    Parameters
    ----------
    source : path-like or Corpus
        A corpus folder (cut at row-group boundaries of ``documents.parquet``) or an
        in-memory corpus (sliced).
    size : int
        Documents per partition (≥ 1; default :data:`PARTITION_DOCS`).

    Returns
    -------
    list of FilePartition or FramePartition
        Covering every document row once, in order (a folder whose segments are not in
        document order is one partition).
    """
    if size < 1:
        raise FramescopeError("partition size must be at least 1 document")
    if isinstance(source, Corpus):
        return _frame_partitions(source, size)
    return _file_partitions(corpus_folder(source).resolve(), size)


# --- document metadata in the calling process ---------------------------------------------------

def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FramescopeError(f"cannot read {folder / 'manifest.json'}: {exc}") from None


def _named_columns(expressions: Sequence[str | None], columns: Sequence[str]) -> list[str]:
    """Columns that the pandas expressions mention (by name or in backticks)."""
    text = " ".join(e for e in expressions if isinstance(e, str))
    listed = [c for e in expressions if isinstance(e, (list, tuple)) for c in e]
    return [c for c in columns
            if c in listed or re.search(rf"(?<![\w.]){re.escape(c)}(?!\w)", text) or f"`{c}`" in text]


def metadata(source, expressions: Sequence[Any] = ()) -> Corpus:
    """A Corpus holding only the document metadata that ``expressions`` need (no segments).

    Parameters
    ----------
    source : path-like or Corpus
        A corpus folder (its ``documents.parquet`` is read, only the needed columns) or an
        in-memory corpus (returned as it is).
    expressions : sequence
        Pandas queries, ``by`` expressions or lists of columns (None is skipped); the
        document columns they name are read. Default: none, only ``doc_id``.

    Returns
    -------
    Corpus
        For a folder: its documents with ``doc_id`` and the columns named (no text); for
        an in-memory Corpus: the corpus itself. Group labels and target/reference queries
        are evaluated on it.
    """
    if isinstance(source, Corpus):
        return source
    folder = corpus_folder(source).resolve()
    names = pq.ParquetFile(folder / "documents.parquet").schema_arrow.names
    wanted = ["doc_id", *[c for c in _named_columns(expressions, names) if c != "doc_id"]]
    docs = read_documents(folder, columns=wanted)
    return Corpus(docs, pd.DataFrame({c: pd.Series(dtype=object) for c in SEGMENT_COLUMNS}),
                  manifest=_manifest(folder), path=folder)


def segment_languages(source, size: int = PARTITION_DOCS) -> set[str]:
    """Languages of the analysable segments of a corpus folder (read by partitions) or Corpus.

    Parameters
    ----------
    source : path-like or Corpus
        A corpus folder (its segments read partition by partition, language column
        only) or an in-memory corpus.
    size : int
        Documents per partition read (default :data:`PARTITION_DOCS`; memory, not the
        result, depends on it).

    Returns
    -------
    set of str
        The language codes (``lang`` of the segments) that have analysable text.
    """
    if isinstance(source, Corpus):
        return set(source.analysable_segments()["lang"].dropna())
    langs: set[str] = set()
    for part in partitions(source, size):
        corpus = part.load(segment_columns=["doc_id", "role", "lang"])
        langs |= set(corpus.analysable_segments()["lang"].dropna())
    return langs


# --- sentence models travel with the tasks --------------------------------------------------------

def _sentence_models() -> tuple:
    """The sentence models of this process (English resolved first), so that workers split
    sentences exactly as this process does."""
    return tuple(sentence_model_state())


def _install_sentence_models(state: tuple) -> None:
    restore_sentence_models(list(state))


# --- the token store, read by rows ----------------------------------------------------------------

def _store_enabled() -> bool:
    return os.environ.get("FRAMESCOPE_TOKEN_STORE", "1").strip().lower() not in ("0", "false", "no", "off")


def _existing_store(source, options: TokenOptions) -> tuple[str, str] | None:
    """(folder, key) of the complete token store of a corpus folder under ``options``, or None."""
    if isinstance(source, Corpus) or not _store_enabled():
        return None
    folder = corpus_folder(source).resolve()
    corpus_id = _manifest(folder).get("corpus_id")
    if not corpus_id:
        return None
    key, _ = token_store_key(corpus_id, options)
    where = store_folder(folder, corpus_id, key)
    try:
        found = json.loads((where / "meta.json").read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        found = False
    return (str(where), key) if found else None


@dataclass
class IdTokens:
    """The tokens of some documents as integer ids (read from a token store, never as strings).

    The same tokens as :func:`framescope.analysis.tokens.tokens` gives for these documents;
    :func:`framescope.analysis.counts.encode` turns them into its
    :class:`~framescope.analysis.counts.Encoded`. Sentences are in document then sentence
    order, tokens in sentence order.

    Parameters
    ----------
    ids : numpy.ndarray
        Per token, an index into ``terms``.
    sent_len : numpy.ndarray
        Per sentence, its number of tokens (they sum to ``len(ids)``).
    sent_doc : numpy.ndarray
        Per sentence, the index of its document in ``doc_ids``.
    sent_lang : numpy.ndarray
        Per sentence, its language code.
    doc_ids : numpy.ndarray
        The documents' ids (documents without a token have no sentence).
    terms : numpy.ndarray
        The token store's vocabulary (strings), indexed by ``ids``.
    metadata : dict
        Provenance of the tokens (corpus_id, token options, sentence model), as
        :func:`framescope.analysis.tokens.token_metadata` records it.
    """

    ids: np.ndarray
    sent_len: np.ndarray
    sent_doc: np.ndarray
    sent_lang: np.ndarray
    doc_ids: np.ndarray
    terms: np.ndarray
    metadata: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.doc_ids)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + n)`` for each pair (vectorised)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.asarray(starts, dtype=np.int64) - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + offsets


def _id_tokens(stored: StoreArrays, docs: pd.DataFrame, options: TokenOptions, lang: str | None,
               include_duplicates: bool, corpus_id: str | None) -> IdTokens | None:
    """The documents ``docs`` (in their order) from a slice of the store, as the tokens layer
    selects them: duplicates left out unless asked, only ``lang`` segments if given,
    documents without an analysable segment absent."""
    wanted = docs["doc_id"]
    if not include_duplicates and "duplicate_of" in docs:
        wanted = wanted[docs["duplicate_of"].isna()]
    index = pd.Series(np.arange(len(stored.doc_ids)), index=stored.doc_ids)
    doc_idx = index.reindex(pd.unique(wanted.to_numpy())).dropna().to_numpy(dtype=np.int64)
    segs = stored.segments
    if lang is not None:
        segs = segs[segs["seg_lang"] == lang]
    doc_idx = doc_idx[np.isin(doc_idx, segs["doc"].to_numpy())]
    if not len(doc_idx):
        return None
    sent = stored.sentences
    sent_doc_all = sent["doc"].to_numpy(dtype=np.int64)
    first = np.searchsorted(sent_doc_all, np.arange(len(stored.doc_ids)), side="left")
    count = np.bincount(sent_doc_all, minlength=len(stored.doc_ids))
    rows = _ranges(first[doc_idx], count[doc_idx])
    local_doc = np.repeat(np.arange(len(doc_idx), dtype=np.int64), count[doc_idx])
    if lang is not None:
        width = int(max(sent["seg"].to_numpy().max(initial=0), segs["seg"].to_numpy().max(initial=0))) + 1
        keep = np.isin(sent_doc_all[rows] * width + sent["seg"].to_numpy(dtype=np.int64)[rows],
                       segs["doc"].to_numpy(dtype=np.int64) * width + segs["seg"].to_numpy(dtype=np.int64))
        rows, local_doc = rows[keep], local_doc[keep]
    n_tokens = sent["n_tokens"].to_numpy(dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(n_tokens)])
    ids = stored.token_ids[_ranges(offsets[rows], n_tokens[rows])]
    doc_ids = np.asarray(stored.doc_ids[doc_idx], dtype=object)
    # what Tokens.metadata() records for the same tokens
    meta = {"corpus_id": corpus_id, **token_metadata(options)}
    models = dict(sorted(stored.meta.get("sentence_model_names", {}).items()))
    meta["sentence_models"] = {**meta["sentence_models"], **models}
    meta.update({"n_documents": len(doc_ids), "n_tokens": len(ids)})
    return IdTokens(ids, n_tokens[rows], local_doc, sent["lang"].to_numpy(dtype=object)[rows], doc_ids,
                    stored.vocab, meta)


# --- tasks (run in workers) -------------------------------------------------------------------

@dataclass(frozen=True)
class CountContext:
    """What every counting task needs besides its partition (sent with each task).

    Parameters
    ----------
    count : callable
        The module-level function (pickled by reference) that counts one
        :class:`PartitionBatch`: ``count(batch, *args)``.
    args : tuple
        Further arguments of ``count``.
    options : TokenOptions
        The token options of the statistic.
    lang : str or None
        Language code of the segments counted (None: every language).
    include_duplicates : bool
        Whether documents marked as duplicates (``duplicate_of``) are counted.
    sentence_models : tuple
        The calling process's sentence models, installed in the worker before it
        tokenises, so that it splits sentences exactly as the caller does.
    running_options : TokenOptions or None
        When set, a second tokenisation of each partition (running words, for spans in
        running text); None: none.
    store : tuple of (str, str) or None
        (folder, key) of the token store whose rows the workers read instead of
        tokenising; None: tokenise the segments.
    """

    count: Callable
    args: tuple
    options: TokenOptions
    lang: str | None
    include_duplicates: bool
    sentence_models: tuple
    running_options: TokenOptions | None = None
    store: tuple[str, str] | None = None


@dataclass
class CountTask:
    """One partition and the group label of each of its documents.

    Parameters
    ----------
    partition : FilePartition or FramePartition
        The documents to count.
    labels : numpy.ndarray or None
        Group label of each of its document rows, in order; None: no groups.
    """

    partition: FilePartition | FramePartition
    labels: np.ndarray | None = None


@dataclass
class PartitionBatch:
    """What a count function receives: a partition's tokens and its documents' labels.

    Parameters
    ----------
    tokens : Tokens or IdTokens
        :class:`~framescope.analysis.tokens.Tokens` (tokenised in the worker) or
        :class:`IdTokens` (read from the token store).
    labels : pandas.Series or None
        Group label indexed by doc_id; None: no groups.
    running : Tokens or None
        The same documents under the ``running_options`` of the :class:`CountContext`
        (None when not asked).
    """

    tokens: Tokens | IdTokens
    labels: pd.Series | None
    running: Tokens | None = None


def read_partition(task: CountTask, ctx: CountContext) -> PartitionBatch | None:
    """The tokens of one partition (None: no document with analysable text).

    Parameters
    ----------
    task : CountTask
        The partition and its documents' group labels.
    ctx : CountContext
        The count function, token options and sentence models shared by every task.

    Returns
    -------
    PartitionBatch or None
        :class:`IdTokens` when the corpus folder has a token store for the options (only the
        partition's row groups of it are read, and not the segment text), else
        :class:`~framescope.analysis.tokens.Tokens` tokenised here.
    """
    _install_sentence_models(ctx.sentence_models)
    part = task.partition
    running = stored = None
    if ctx.store is not None and isinstance(part, FilePartition) and ctx.running_options is None:
        docs = part.documents()
        # None when the store went away after the caller found it: then tokenise below
        stored = read_store_documents(ctx.store[0], ctx.store[1], docs["doc_id"].to_numpy())
    if stored is not None:
        toks = _id_tokens(stored, docs, ctx.options, ctx.lang, ctx.include_duplicates, part.manifest.get("corpus_id"))
        doc_ids = docs["doc_id"].to_numpy()
    else:
        corpus = part.load()
        size = max(1, len(corpus.documents))
        toks = next(iter_tokens(corpus, ctx.options, lang=ctx.lang, include_duplicates=ctx.include_duplicates,
                                batch_size=size), None)
        doc_ids = corpus.documents["doc_id"].to_numpy()
        if toks is not None and ctx.running_options is not None:
            running = next(iter_tokens(corpus, ctx.running_options, lang=ctx.lang,
                                       include_duplicates=ctx.include_duplicates, batch_size=size))
    if toks is None:
        return None
    labels = None if task.labels is None else pd.Series(task.labels, index=doc_ids, dtype=object)
    return PartitionBatch(toks, labels, running)


def count_partition(task: CountTask, ctx: CountContext):
    """``ctx.count(batch, *ctx.args)`` of one partition (None: nothing to count).

    Parameters
    ----------
    task : CountTask
        The partition and its documents' group labels.
    ctx : CountContext
        The count function, token options and sentence models shared by every task.

    Returns
    -------
    object or None
        What ``ctx.count`` returns.
    """
    batch = read_partition(task, ctx)
    return None if batch is None else ctx.count(batch, *ctx.args)


# --- driver ---------------------------------------------------------------------------------------

def _tasks(source, labels: np.ndarray | None, size: int) -> list[CountTask]:
    """One task per partition, with the labels of its documents (``labels``: one per
    document row of the corpus, in order — the rows the partitions cut)."""
    parts = partitions(source, size)
    if labels is None:
        return [CountTask(p) for p in parts]
    tasks, start = [], 0
    for p in parts:
        n = (p.doc_stop - p.doc_start) if isinstance(p, FilePartition) else len(p.documents)
        tasks.append(CountTask(p, labels[start:start + n]))
        start += n
    return tasks


def _tracked(tasks: list, run: Backend | Session, what: str):
    """``tasks`` with a progress bar (partitions counted) when they run in this process or a
    local pool, which take them as they run (a pool a few ahead); Dask takes them all at once."""
    if (run.backend if isinstance(run, Session) else run).scheduler != "local":
        return tasks
    return progress(tasks, desc=f"counting {what} by document partitions", unit="part")


def _setup(source, count, args, options, lang, include_duplicates, labels, backend, partition_docs,
           running_options, what):
    run = resolve_backend(backend)
    models = _sentence_models()
    store = None if running_options is not None else _existing_store(source, options)
    ctx = CountContext(count, tuple(args), options, lang, include_duplicates, models, running_options, store)
    labels = None if labels is None else np.asarray(labels, dtype=object)
    return run, ctx, _tracked(_tasks(source, labels, partition_docs), run, what)


def count_partitions(source, count: Callable, merge: Callable[[list], Any], args: tuple = (), *,
                     options: TokenOptions = TokenOptions(), lang: str | None = None,
                     include_duplicates: bool = False, labels=None, backend: Any = None,
                     partition_docs: int = PARTITION_DOCS, running_options: TokenOptions | None = None,
                     what: str = "terms"):
    """``merge`` of ``count(batch, *args)`` over the partitions of ``source``, in corpus order.

    Parameters
    ----------
    source : path-like or Corpus
        A corpus folder (read by partitions) or an in-memory corpus (sliced).
    count, merge : callable
        Module-level functions: ``count(PartitionBatch, *args)`` → a count table (or None);
        ``merge(list)`` → their exact merge (associative; None entries are the caller's to skip).
    args : tuple
        Further positional arguments of ``count`` (picklable); default none.
    options : TokenOptions
        The token options (default: ``TokenOptions()``), as
        :func:`framescope.analysis.tokens.tokens`.
    lang : str, optional
        Count only segments of this language code (default None: every language).
    include_duplicates : bool
        Count documents marked as duplicates too (default False: they are skipped).
    labels : array_like, optional
        Group label of every document row of ``source``, in order.
    backend : None, str, Backend or Session
        Where the partitions are counted (:func:`resolve_backend`).
    partition_docs : int
        Documents per partition.
    running_options : TokenOptions, optional
        A second tokenisation of each partition (running-word spans).
    what : str
        Named in the progress bar.

    Returns
    -------
    object
        The merged table, or None when there is no partition.
    """
    run, ctx, tasks = _setup(source, count, args, options, lang, include_duplicates, labels, backend,
                             partition_docs, running_options, what)
    return run.map_reduce(count_partition, tasks, merge, ctx)


def map_partitions(source, count: Callable, args: tuple = (), *, options: TokenOptions = TokenOptions(),
                   lang: str | None = None, include_duplicates: bool = False, labels=None, backend: Any = None,
                   partition_docs: int = PARTITION_DOCS, what: str = "terms") -> Iterator:
    """``count(batch, *args)`` of each partition, yielded in corpus order as they finish
    (a bounded number in flight).

    Parameters
    ----------
    source : path-like or Corpus
        As :func:`count_partitions`.
    count : callable
        As :func:`count_partitions` (there is no merge).
    args : tuple
        As :func:`count_partitions`.
    options : TokenOptions
        As :func:`count_partitions`.
    lang : str, optional
        As :func:`count_partitions`.
    include_duplicates : bool
        As :func:`count_partitions`.
    labels : array_like, optional
        As :func:`count_partitions`.
    backend : None, str, Backend or Session
        As :func:`count_partitions`.
    partition_docs : int
        As :func:`count_partitions`.
    what : str
        As :func:`count_partitions`.

    Yields
    ------
    object or None
        One result of ``count`` per partition, in corpus order (None for a partition
        without text).
    """
    run, ctx, tasks = _setup(source, count, args, options, lang, include_duplicates, labels, backend,
                             partition_docs, None, what)
    yield from run.map(count_partition, tasks, ctx)
