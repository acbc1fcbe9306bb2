"""Counting by document partitions: streaming, ``--workers`` and Dask, with exact reductions.

A corpus is cut into *document partitions*: runs of consecutive documents. For a corpus
folder a partition is a range of rows of ``documents.parquet`` (a row group of
:data:`PARTITION_DOCS` documents, as ``framescope build`` writes them) and the matching
rows of ``segments.parquet``, read by row group — the corpus is never loaded whole. For an
in-memory :class:`~framescope.corpus.store.Corpus` it is a slice of its frames. Each partition is
tokenised and counted on its own — in this process, in a pool of processes or as a Dask
task (:class:`framescope.corpus.parallel.Backend`) — into a count table that merges exactly:

==========  ===========================================================  ===========================
statistic   count table of a partition                                   merge
==========  ===========================================================  ===========================
freq        per group: term and document frequencies, tokens (pass 1);   sums; pass 2 adds DP's
            its document-term matrix, spilled to disk for pass 2          per-document terms in order
keyness     document-term matrix (rows = the partition's documents)      rows stacked
collocates  per group: window co-occurrences, unigrams, R1                sums
bigrams     per group: adjacent-pair and unigram counts                  sums
==========  ===========================================================  ===========================

Vocabularies are sorted by (lang, term), so a merge is a union of sorted lists followed
by integer sums; partial results are merged in partition order as an order-preserving
tree. The statistic is then computed **once** from the merged counts by the same code the
single-process path uses (:func:`framescope.analysis.counts.frequencies`' table and DP formula,
:func:`framescope.analysis.keyness.keyness_matrix`, :func:`framescope.analysis.collocations.collocate_table`,
:func:`framescope.analysis.collocations.bigram_table`), so every table is identical, value for
value, whatever the backend, the number of workers or the partition size.

Group labels and target/reference queries are evaluated once, in the calling process, on
the document metadata (only the columns the expressions name; never the text), exactly
as the single-process functions evaluate them; workers receive each partition's labels.
Sentence models (Punkt) are resolved in the calling process and sent to the workers, so
a worker without the shared data splits sentences as the caller does.

Memory: a partition's tokens, plus the merged tables, which grow with the vocabulary, not
with the corpus. The exception is ``keyness``: its document bootstrap of the log ratio
resamples documents, so it keeps the document-term matrix (about 12 bytes per distinct
term per document).

``backend`` is a :class:`framescope.corpus.parallel.Backend` (``--workers``, ``--scheduler``) or an
open :class:`framescope.corpus.parallel.Session` to reuse one pool or client across calls.
"""
from __future__ import annotations

import dataclasses
import json
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import scipy.sparse as sp

from framescope.analysis.counts import DocumentTermMatrix, encode
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_sentences import restore_sentence_models, sentence_model_state
from framescope.analysis.tokens import iter_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import Backend, Session, fold_tree
from framescope.corpus.progress import progress
from framescope.corpus.store import SEGMENT_COLUMNS, Corpus, corpus_folder, read_documents

import framescope.analysis.collocations as coll
import framescope.analysis.counts as cnt
import framescope.analysis.keyness as key

__all__ = ["PARTITION_DOCS", "FilePartition", "FramePartition", "partitions", "metadata",
           "dtm", "frequencies", "keyness", "keyness_groups", "collocates", "bigram_collocations"]

#: Documents per partition (= the row groups ``framescope build`` writes).
PARTITION_DOCS = 2000
_PARTITION_COLUMNS = ["doc_id", "duplicate_of"]


# --- partitions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilePartition:
    """Documents rows [doc_start, doc_stop) of a corpus folder and their segment rows."""

    folder: str
    doc_start: int
    doc_stop: int
    seg_start: int
    seg_stop: int
    manifest: dict = field(default_factory=dict, compare=False)

    def load(self, segment_columns: Sequence[str] = SEGMENT_COLUMNS) -> Corpus:
        """The partition as a small Corpus: doc_id and duplicate_of, and its segments."""
        folder = Path(self.folder)
        docs = _read_rows(folder / "documents.parquet", self.doc_start, self.doc_stop, _PARTITION_COLUMNS)
        segs = _read_rows(folder / "segments.parquet", self.seg_start, self.seg_stop, list(segment_columns))
        return Corpus(docs, segs, manifest=self.manifest, path=folder)


@dataclass
class FramePartition:
    """A slice of an in-memory corpus (travels to the workers with its rows)."""

    documents: pd.DataFrame
    segments: pd.DataFrame
    manifest: dict = field(default_factory=dict)

    def load(self, segment_columns: Sequence[str] = SEGMENT_COLUMNS) -> Corpus:
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
    docs_pf = pq.ParquetFile(folder / "documents.parquet")
    n_docs = docs_pf.metadata.num_rows
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
    """Document partitions of a corpus folder (path) or of an in-memory Corpus, in corpus order."""
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
    text = " ".join(e for e in expressions if e)
    return [c for c in columns
            if re.search(rf"(?<![\w.]){re.escape(c)}(?!\w)", text) or f"`{c}`" in text]


def metadata(source, expressions: Sequence[str | None] = ()) -> Corpus:
    """A Corpus holding only the document metadata that ``expressions`` need (no segments).

    This is what group labels and target/reference queries are evaluated on; for an
    in-memory Corpus, the corpus itself.
    """
    if isinstance(source, Corpus):
        return source
    folder = corpus_folder(source).resolve()
    names = pq.ParquetFile(folder / "documents.parquet").schema_arrow.names
    wanted = ["doc_id", *[c for c in _named_columns(expressions, names) if c != "doc_id"]]
    docs = read_documents(folder, columns=wanted)
    return Corpus(docs, pd.DataFrame({c: pd.Series(dtype=object) for c in SEGMENT_COLUMNS}),
                  manifest=_manifest(folder), path=folder)


# --- sentence models travel with the tasks --------------------------------------------------------

def _sentence_models() -> tuple:
    """The sentence models of this process (English resolved first), so that workers split
    sentences exactly as this process does."""
    return tuple(sentence_model_state())


def _install_sentence_models(state: tuple) -> None:
    restore_sentence_models(list(state))


# --- tasks (run in workers) -------------------------------------------------------------------

@dataclass(frozen=True)
class CountContext:
    """What every counting task needs besides its partition (sent with each task)."""

    options: TokenOptions
    lang: str | None
    include_duplicates: bool
    sentence_models: tuple
    group_names: tuple = ()
    node: tuple | None = None  # (lang, token, left, right) for window counts
    span_unit: str = "tokens"  # window counts: "running_words" tokenises a second time


@dataclass
class CountTask:
    partition: FilePartition | FramePartition
    labels: np.ndarray | None = None  # group label of each document of the partition


def _partition_tokens(task: CountTask, ctx: CountContext):
    """(Tokens of the partition or None, the partition's labels as a Series or None)."""
    _install_sentence_models(ctx.sentence_models)
    corpus = task.partition.load()
    labels = (None if task.labels is None
              else pd.Series(task.labels, index=corpus.documents["doc_id"].to_numpy(), dtype=object))
    batches = iter_tokens(corpus, ctx.options, lang=ctx.lang, include_duplicates=ctx.include_duplicates,
                          batch_size=max(1, len(corpus.documents)))
    return next(batches, None), labels


def count_dtm(task: CountTask, ctx: CountContext) -> DocumentTermMatrix | None:
    """Document-term matrix of one partition (None: no document with tokens)."""
    toks, _ = _partition_tokens(task, ctx)
    return None if toks is None else DocumentTermMatrix.from_encoded(encode(toks))


def count_windows(task: CountTask, ctx: CountContext) -> coll.WindowCounts | None:
    """Window co-occurrence and unigram counts of one partition, per group."""
    toks, labels = _partition_tokens(task, ctx)
    if toks is None:
        return None
    node_lang, node_tok, left, right = ctx.node
    if ctx.span_unit == "running_words":
        running, _ = _partition_tokens(task, dataclasses.replace(ctx, options=coll.running_options(ctx.options)))
        enc = coll.encode_running(toks, running)
    else:
        enc = encode(toks)
    return coll.collocate_counts(enc, labels, list(ctx.group_names), node_lang, node_tok, left, right)


def count_bigrams(task: CountTask, ctx: CountContext) -> dict[str, coll.BigramCounts] | None:
    """Adjacent-pair and unigram counts of one partition, per group."""
    toks, labels = _partition_tokens(task, ctx)
    if toks is None:
        return None
    return coll.bigram_group_counts(encode(toks), labels, list(ctx.group_names))


def merge_dtm(parts: list) -> DocumentTermMatrix | None:
    parts = [p for p in parts if p is not None]
    return DocumentTermMatrix.concat(parts) if parts else None


def merge_windows(parts: list) -> coll.WindowCounts | None:
    return coll.WindowCounts.merge([p for p in parts if p is not None])


def merge_bigrams(parts: list) -> dict[str, coll.BigramCounts] | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    groups: dict[str, list] = {}
    for part in parts:
        for g, counts in part.items():
            groups.setdefault(g, []).append(counts)
    return {g: coll.BigramCounts.merge(c) if len(c) > 1 else c[0] for g, c in groups.items()}


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


def _run(fn, merge, source, labels, ctx, backend, size):
    # a Session (``with Backend(...).session() as run``) keeps one pool across calls
    backend = backend or Backend()
    return backend.map_reduce(fn, _tracked(_tasks(source, labels, size), backend, fn), merge, ctx)


def _tracked(tasks: list, backend: Backend | Session, fn):
    """``tasks`` with a progress bar (partitions counted) when they run in this process or a
    local pool, which take them as they run (a pool a few ahead); Dask takes them all at once."""
    if (backend.backend if isinstance(backend, Session) else backend).scheduler != "local":
        return tasks
    what = {"count_windows": "collocates", "count_bigrams": "bigrams"}.get(fn.__name__, "terms")
    return progress(tasks, desc=f"counting {what} by document partitions", unit="part")


def _context(options, lang, include_duplicates, **kw) -> CountContext:
    return CountContext(options, lang, include_duplicates, _sentence_models(), **kw)


def dtm(source, options: TokenOptions = TokenOptions(), lang: str | None = None,
        include_duplicates: bool = False, backend: Backend | Session | None = None,
        partition_size: int = PARTITION_DOCS, meta: Corpus | None = None) -> DocumentTermMatrix:
    """:func:`framescope.analysis.counts.dtm` of a corpus folder or Corpus, counted by partitions."""
    meta = meta if meta is not None else metadata(source)
    m = _run(count_dtm, merge_dtm, source, None, _context(options, lang, include_duplicates),
             backend, partition_size)
    if m is None:  # as framescope.analysis.counts.dtm for a corpus without tokens
        m = DocumentTermMatrix.concat([])
        m.metadata = {"corpus_id": meta.corpus_id, "token_options": options.as_dict(),
                      "n_documents": 0, "n_tokens": 0}
    return m


def frequencies(source, by: str | None = "source_type", options: TokenOptions = TokenOptions(),
                lang: str | None = None, min_freq: int = 1, include_duplicates: bool = False,
                backend: Backend | Session | None = None, partition_size: int = PARTITION_DOCS) -> pd.DataFrame:
    """:func:`framescope.analysis.counts.frequencies` of a corpus folder or Corpus, in two streaming passes.

    Pass 1 (workers): each partition's document-term matrix; the calling process sums
    them into per-group term frequencies, document frequencies and token counts
    (:class:`GroupSums`) and spills each partition's matrix to a temporary file. Pass 2
    (calling process): Gries' DP needs every term's total first, so the spilled matrices
    are read back in corpus order and their per-document contributions added up in
    exactly the order :func:`framescope.analysis.counts.dispersion` adds them — the same numbers,
    bit for bit. Memory: the vocabulary-sized sums and one partition, not the corpus.
    """
    meta = metadata(source, [by])
    labels = cnt.group_labels(meta, by).to_numpy()
    del meta  # only the labels are needed from here on
    group_names = sorted(pd.unique(labels))
    codes = pd.Series(np.arange(len(group_names)), index=group_names).reindex(labels).to_numpy()
    del labels
    ctx = _context(options, lang, include_duplicates)
    run = backend or Backend()
    with tempfile.TemporaryDirectory(prefix="framescope-freq-") as tmp:
        spilled: list[Path] = []

        def partition_sums():
            tasks = _tracked(_tasks(source, codes, partition_size), run, count_dtm_groups)
            for k, result in enumerate(run.map(count_dtm_groups, tasks, ctx)):
                if result is None:
                    continue
                path = Path(tmp) / f"{k}.pickle"
                with open(path, "wb") as fh:
                    pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
                spilled.append(path)
                yield GroupSums.of(*result, len(group_names))

        sums = fold_tree(partition_sums(), GroupSums.merge)
        if sums is None:
            return cnt._frequency_table([], by, {})
        cell_sums = sums.dp_cell_sums(spilled)
    frames = []
    lang_of_term = pd.Index(sums.langs).get_indexer(sums.vocab.langs)
    for gi, group in enumerate(group_names):
        lo, hi = sums.freq.indptr[gi], sums.freq.indptr[gi + 1]
        for li, lg in enumerate(sums.langs):
            size = int(sums.size[gi, li])
            if (lang is not None and lg != lang) or size == 0:
                continue
            pos = lo + np.flatnonzero(lang_of_term[sums.freq.indices[lo:hi]] == li)
            freq = sums.freq.data[pos]
            dp, dp_norm = cnt._dp_finish(cell_sums[pos], freq.astype(np.float64), sums.min_size[gi, li] / size)
            frames.append(cnt._frequency_frame(group, lg, sums.vocab.terms[sums.freq.indices[pos]], freq,
                                               sums.docs.data[pos], size, int(sums.n_docs[gi, li]), dp, dp_norm,
                                               min_freq))
    return cnt._frequency_table(frames, by, sums.metadata)


def count_dtm_groups(task: CountTask, ctx: CountContext) -> tuple[DocumentTermMatrix, np.ndarray] | None:
    """A partition's document-term matrix and the group code of each of its rows."""
    toks, labels = _partition_tokens(task, ctx)
    if toks is None:
        return None
    m = DocumentTermMatrix.from_encoded(encode(toks))
    return m, labels.reindex(m.doc_ids).to_numpy(dtype=np.int64)


@dataclass
class GroupSums:
    """Per-group sums behind term frequencies; exact merge by :meth:`merge` (sums, min).

    ``freq``/``docs``: groups × vocabulary (sparse, same sparsity); ``size``, ``n_docs``,
    ``min_size``: groups × ``langs`` — tokens, documents with tokens, and the smallest
    such document (for DPnorm), in each language.
    """

    vocab: cnt.Vocabulary
    freq: sp.csr_matrix
    docs: sp.csr_matrix
    langs: list[str]
    size: np.ndarray
    n_docs: np.ndarray
    min_size: np.ndarray
    metadata: dict

    @classmethod
    def of(cls, m: DocumentTermMatrix, codes: np.ndarray, n_groups: int) -> "GroupSums":
        totals, langs = m.lang_totals()
        rows = m.shape[0]
        onehot = sp.csr_matrix((np.ones(rows, dtype=np.int64), (codes, np.arange(rows))), shape=(n_groups, rows))
        present = m.matrix.copy()
        present.data = np.ones_like(present.data)
        min_size = np.full((n_groups, len(langs)), np.inf)
        np.minimum.at(min_size, (codes[:, None], np.arange(len(langs))[None, :]),
                      np.where(totals > 0, totals, np.inf))
        return cls(m.vocab, _canonical(onehot @ m.matrix), _canonical(onehot @ present), list(langs),
                   np.asarray(onehot @ totals), np.asarray(onehot @ (totals > 0).astype(np.int64)), min_size,
                   dict(m.metadata))

    @classmethod
    def merge(cls, parts: list["GroupSums"]) -> "GroupSums":
        vocab, remaps = cnt.Vocabulary.union([p.vocab for p in parts])
        langs = sorted(set().union(*(p.langs for p in parts)))
        n_groups, v = parts[0].freq.shape[0], len(vocab)
        freq = docs = sp.csr_matrix((n_groups, v), dtype=np.int64)
        size = np.zeros((n_groups, len(langs)), dtype=np.int64)
        n_docs = np.zeros_like(size)
        min_size = np.full(size.shape, np.inf)
        for p, r in zip(parts, remaps):
            freq = freq + cnt._remap_columns(p.freq, r, v)
            docs = docs + cnt._remap_columns(p.docs, r, v)
            idx = [langs.index(l) for l in p.langs]
            size[:, idx] += p.size
            n_docs[:, idx] += p.n_docs
            min_size[:, idx] = np.minimum(min_size[:, idx], p.min_size)
        carriers = [DocumentTermMatrix(sp.csr_matrix((0, 0), dtype=np.int64), cnt.Vocabulary([], []), [],
                                       p.metadata) for p in parts]  # merge metadata as concat does
        return cls(vocab, _canonical(freq), _canonical(docs), langs, size, n_docs, min_size,
                   DocumentTermMatrix.concat(carriers).metadata)

    def dp_cell_sums(self, spilled: list[Path]) -> np.ndarray:
        """Per non-zero (group, term): the sum of :func:`framescope.analysis.counts._dp_cells` over the
        documents, added in corpus order (pass 2 over the spilled partition matrices)."""
        v = len(self.vocab)
        rows = np.repeat(np.arange(self.freq.shape[0], dtype=np.int64), np.diff(self.freq.indptr))
        flat = rows * v + self.freq.indices  # sorted: the matrix is canonical
        totals_f = self.freq.data.astype(np.float64)
        keys = pd.Index(_term_keys(self.vocab))
        lang_of_term = pd.Index(self.langs).get_indexer(self.vocab.langs)
        sums = np.zeros(len(flat))
        for path in spilled:
            with open(path, "rb") as fh:
                m, codes = pickle.load(fh)
            totals, _ = m.lang_totals()
            local_lang, _ = m.vocab.lang_codes()
            coo = m.matrix.tocoo()  # row-major: documents in corpus order, as dispersion() adds them
            g = codes[coo.row]
            t = keys.get_indexer(_term_keys(m.vocab))[coo.col]
            pos = np.searchsorted(flat, g * v + t)
            share = totals[coo.row, local_lang[coo.col]].astype(np.float64) / self.size[g, lang_of_term[t]]
            with np.errstate(divide="ignore", invalid="ignore"):
                np.add.at(sums, pos, cnt._dp_cells(coo.data, totals_f[pos], share))
        return sums


def _canonical(m) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    m.sort_indices()
    return m


def _term_keys(vocab: cnt.Vocabulary) -> np.ndarray:
    """One string per (lang, term), for hashing a partition's terms into the merged vocabulary."""
    return np.asarray([f"{l}\x00{t}" for l, t in zip(vocab.langs, vocab.terms)], dtype=object)


def keyness(source, target: str, reference: str | None = None, options: TokenOptions = TokenOptions(),
            lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
            seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
            backend: Backend | Session | None = None, partition_size: int = PARTITION_DOCS,
            **measures) -> pd.DataFrame:
    """:func:`framescope.analysis.keyness.keyness` of a corpus folder or Corpus, counted by partitions
    (``measures``: ``prior``, ``prior_size`` of the log-odds z)."""
    meta = metadata(source, [target, reference])
    m = dtm(source, options, None, include_duplicates, backend, partition_size, meta)
    return key.keyness(meta, target, reference, options=options, lang=lang, min_freq=min_freq, n_boot=n_boot,
                       ci=ci, seed=seed, adjust=adjust, include_duplicates=include_duplicates, matrix=m, **measures)


def keyness_groups(source, by: str = "source_type", options: TokenOptions = TokenOptions(),
                   lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
                   seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
                   groups: list[str] | None = None, backend: Backend | Session | None = None,
                   partition_size: int = PARTITION_DOCS, **measures) -> pd.DataFrame:
    """:func:`framescope.analysis.keyness.keyness_groups` of a corpus folder or Corpus, counted by partitions
    (``measures``: ``prior``, ``prior_size`` of the log-odds z)."""
    meta = metadata(source, [by])
    m = dtm(source, options, None, include_duplicates, backend, partition_size, meta)
    return key.keyness_groups(meta, by=by, options=options, lang=lang, min_freq=min_freq, n_boot=n_boot, ci=ci,
                              seed=seed, adjust=adjust, include_duplicates=include_duplicates, groups=groups,
                              matrix=m, **measures)


class _SegmentLanguages:
    """Stands in for a corpus where only the languages of its analysable segments are read
    (:func:`framescope.analysis.collocations._default_lang`)."""

    def __init__(self, langs: set[str]):
        self._langs = sorted(langs)

    def analysable_segments(self) -> pd.DataFrame:
        return pd.DataFrame({"lang": self._langs}, dtype=object)


def _segment_languages(source, size: int) -> _SegmentLanguages | Corpus:
    if isinstance(source, Corpus):
        return source
    langs: set[str] = set()
    for part in partitions(source, size):
        corpus = part.load(segment_columns=["doc_id", "role", "lang"])
        langs |= set(corpus.analysable_segments()["lang"].dropna())
    return _SegmentLanguages(langs)


def collocates(source, node: str, by: str | None = "source_type", span: int = 5,
               left: int | None = None, right: int | None = None,
               options: TokenOptions = TokenOptions(), lang: str | None = None, min_freq: int = 3,
               measure: str = "logdice", include_duplicates: bool = False,
               backend: Backend | Session | None = None, partition_size: int = PARTITION_DOCS,
               span_unit: str = "tokens") -> pd.DataFrame:
    """:func:`framescope.analysis.collocations.collocates` of a corpus folder or Corpus, counted by
    partitions and summed."""
    left, right = coll.window_sides(measure, span, left, right, span_unit)
    if lang is None and coll.dominant_script(node) != "Arabic":
        lang = coll._default_lang(_segment_languages(source, partition_size))
    node_lang, node_tok, options = coll.node_term(node, options, lang)
    meta = metadata(source, [by])
    labels, group_names = coll._labels_for(meta, by)
    ctx = _context(options, node_lang, include_duplicates, group_names=tuple(group_names),
                   node=(node_lang, node_tok, left, right), span_unit=span_unit)
    labels = None if labels is None else labels.to_numpy()
    del meta
    counts = _run(count_windows, merge_windows, source, labels, ctx, backend, partition_size)
    return coll.collocate_table(counts, group_names, node, node_lang, node_tok, by, left, right,
                                min_freq, measure, options, span_unit)


def bigram_collocations(source, by: str | None = None, measure: str = "g2",
                        options: TokenOptions = TokenOptions(), lang: str | None = None,
                        min_freq: int = 3, include_duplicates: bool = False,
                        backend: Backend | Session | None = None, partition_size: int = PARTITION_DOCS) -> pd.DataFrame:
    """:func:`framescope.analysis.collocations.bigram_collocations` of a corpus folder or Corpus,
    counted by partitions and summed."""
    if measure not in coll.BIGRAM_MEASURES:
        raise FramescopeError(f"unknown measure {measure!r} ({', '.join(coll.BIGRAM_MEASURES)})")
    meta = metadata(source, [by])
    labels, group_names = coll._labels_for(meta, by)
    ctx = _context(options, lang, include_duplicates, group_names=tuple(group_names))
    labels = None if labels is None else labels.to_numpy()
    del meta
    per_group = _run(count_bigrams, merge_bigrams, source, labels, ctx, backend, partition_size) or {}
    ordered = {g: per_group[g] for g in group_names if g in per_group}
    return coll.bigram_table(ordered, by, measure, min_freq, lang)
