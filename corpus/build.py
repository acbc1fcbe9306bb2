"""``framescope build``: sources → corpus store, streaming in two passes.

Pass 1 reads every source once to learn what cannot be known from one document: the
lines each outlet repeats across many documents (page chrome the patterns miss) and the
set of extra metadata columns. Pass 2 reads the sources again, segments each document,
finds wire credits and duplicates, and writes documents and segments in batches (Parquet
row groups), so memory does not grow with the size of the corpus. Output is written into
a temporary folder and renamed over the target at the end (atomic).

Parallel builds (:class:`framescope.corpus.parallel.Backend`: ``--workers``, ``--scheduler``) split
the work that depends on one document only — segmentation, language tags, the document
row and its duplicate fingerprint (:func:`prepare`) — over processes or Dask tasks: pass 1
runs one task per input partition (:meth:`Source.partitions`, e.g. one SaudiNewsNet zip)
and sums the counts; pass 2 sends batches of documents to a local pool, or one task per
input partition to Dask. The parent takes the results in input order and does what
depends on earlier documents — duplicate ids, near-duplicate search, writing — exactly as
a single process does, so the files are byte-identical whatever the backend.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from framescope.corpus import __version__
from framescope.corpus.dedup import Deduplicator
from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders import Source, parse_sources
from framescope.corpus.loaders.http import FETCH_OPTIONS
from framescope.corpus.loaders.common import sha256_file
from framescope.corpus.parallel import Backend, Session, kernel_threads
from framescope.corpus.records import RawDocument, Reject
from framescope.corpus.registry import Registry, load_registry, outlet_key
from framescope.corpus.segment import (Segment, find_wire_credit, line_keys, main_language,
                            segment_document)
from framescope.corpus.store import (ANALYSABLE_ROLES, CORPUS_FORMAT, DOCUMENT_COLUMNS, REJECT_COLUMNS,
                          SEGMENT_COLUMNS, AtomicFolder, file_records, is_corpus_folder,
                          verify_corpus)
from framescope.corpus.text import clean_whitespace, normalize_text

#: Bump when segmentation, language tagging or boilerplate rules change the output.
#: 8: page furniture inside a line (page tails, video-widget titles, glued tag lists, share
#: widgets, embedded-tweet footers) becomes boilerplate segments (segment.split_furniture);
#: a trailing wire credit on a title or caption line is kept as a credit, no longer dropped.
TEXT_LAYER_VERSION = "8"
BATCH_DOCS = 2000
#: documents whose near-duplicate fingerprints are computed together (pass 2, in the parent)
DEDUP_BATCH = 256
#: documents per pass-2 task in a local process pool
PREPARE_BATCH = 250
#: A short line repeated in at least this many documents of an outlet (and this share
#: of them) is page chrome.
REPEAT_MIN_DOCS = 5
REPEAT_MIN_SHARE = 0.01
REPEAT_MAX_WORDS = 15

_CORE_TYPES = {
    "doc_id": pa.string(), "collection": pa.string(), "outlet": pa.string(),
    "source_type": pa.string(), "alignment": pa.string(), "country": pa.string(), "date": pa.date32(),
    "title": pa.string(), "url": pa.string(), "lang": pa.string(), "text": pa.string(),
    "raw_sha256": pa.string(), "wire_credit": pa.string(), "duplicate_of": pa.string(),
}
SEGMENT_SCHEMA = pa.schema([("doc_id", pa.string()), ("seg", pa.int32()), ("role", pa.string()),
                            ("lang", pa.string()), ("text", pa.string())])


@dataclass
class Scan:
    """What pass 1 learns: outlet sizes, repeated short lines per outlet, extra columns.

    Parameters
    ----------
    documents : int, default 0
        Number of documents read (rejects not counted).
    outlet_docs : collections.Counter, optional
        Outlet registry key (None when unknown) → number of its documents.
    line_docs : dict, optional
        Outlet → Counter of :func:`~framescope.corpus.segment.line_key` keys of short lines
        → number of the outlet's documents containing the line.
    extra_columns : set, optional
        Names of the sources' own metadata columns (``RawDocument.extra`` keys) seen.
    """

    documents: int = 0
    outlet_docs: Counter = field(default_factory=Counter)
    line_docs: dict = field(default_factory=lambda: defaultdict(Counter))
    extra_columns: set = field(default_factory=set)

    @classmethod
    def merge(cls, parts: list["Scan"]) -> "Scan":
        """Sum of the scans of consecutive partitions (exact: counts and a set union)."""
        out = cls()
        for p in parts:
            out.documents += p.documents
            out.outlet_docs.update(p.outlet_docs)
            for outlet, counts in p.line_docs.items():
                out.line_docs[outlet].update(counts)
            out.extra_columns |= p.extra_columns
        return out

    def repeated_lines(self) -> dict[str | None, frozenset[str]]:
        out = {}
        for outlet, counts in self.line_docs.items():
            need = max(REPEAT_MIN_DOCS, REPEAT_MIN_SHARE * self.outlet_docs[outlet])
            out[outlet] = frozenset(k for k, n in counts.items() if n >= need)
        return out


@dataclass
class BuildResult:
    """What :func:`build` returns: where the corpus is and what it cost.

    Parameters
    ----------
    path : pathlib.Path
        The corpus folder written (``out``).
    manifest : dict of str to Any
        The written ``manifest.json`` (sources, options, counts, versions, ``corpus_id``).
    seconds : float
        Wall-clock time of the build, in seconds.
    peak_rss_mb : float
        Peak resident memory of this process so far, in MB (``ru_maxrss``; workers'
        memory is not included).
    """
    path: Path
    manifest: dict[str, Any]
    seconds: float
    peak_rss_mb: float


def _short_line_keys(body: str) -> set[str]:
    """:func:`line_key` of the lines of at most ``REPEAT_MAX_WORDS`` words.

    The keys of all of them at once (:func:`line_keys` of the short lines joined: the same
    keys as line by line), and only of them: most of the text is in long lines.
    """
    short = [line for line in clean_whitespace(body).split("\n")
             if line and len(line.split(None, REPEAT_MAX_WORDS)) <= REPEAT_MAX_WORDS]
    # lines of a cleaned text joined by line breaks: what cleaned=True expects
    return {key for key in line_keys("\n".join(short), cleaned=True) if key} if short else set()


def _outlet(raw: RawDocument, registry: Registry) -> str | None:
    return registry.resolve(raw.outlet) or outlet_key(raw.outlet)


def iter_raw(sources: list[Source], hashes: bool = True) -> Iterator[RawDocument | Reject]:
    """The loader output of each source in turn: documents and rejects, in input order.

    Parameters
    ----------
    sources : list of Source
        Parsed sources (:func:`~framescope.corpus.loaders.parse_sources`).
    hashes : bool, default True
        False lets a loader with a ``load_for_scan`` leave ``raw_sha256`` empty (pass 1
        does not need it); the documents and rejects are otherwise the same.

    Yields
    ------
    RawDocument or Reject
        Each document or reject its loader produces.
    """
    for source in sources:
        loader = source.loader if hashes else getattr(source.module, "load_for_scan", source.loader)
        yield from loader(source.spec, source.options)


def scan(sources: list[Source], registry: Registry) -> Scan:
    """Pass 1: outlet sizes, repeated short lines per outlet, extra columns.

    Parameters
    ----------
    sources : list of Source
        The build's sources.
    registry : Registry
        The outlet registry, to resolve each document's outlet key.

    Returns
    -------
    Scan
        The counts of all documents of ``sources`` (rejects skipped).
    """
    result = Scan()
    for item in iter_raw(sources, hashes=False):
        if isinstance(item, Reject):
            continue
        outlet = _outlet(item, registry)
        result.documents += 1
        result.outlet_docs[outlet] += 1
        counts = result.line_docs[outlet]
        for key in _short_line_keys(item.body):
            counts[key] += 1
        result.extra_columns.update(item.extra)
    return result


def scan_partition(source: Source, registry: Registry) -> Scan:
    """Pass 1 over one input partition (a task of a parallel build).

    Parameters
    ----------
    source : Source
        One partition of the input (one source or part of it).
    registry : Registry
        The outlet registry.

    Returns
    -------
    Scan
        That partition's counts; :meth:`Scan.merge` adds the partitions up exactly.
    """
    return scan([source], registry)


def document_row(raw: RawDocument, segments: list[Segment], registry: Registry,
                 outlet: str | None = None) -> dict[str, Any]:
    """The documents.parquet row of a segmented document (``duplicate_of`` filled later).

    Parameters
    ----------
    raw : RawDocument
        The document as the loader gave it.
    segments : list of Segment
        Its segments (:func:`~framescope.corpus.segment.segment_document`).
    registry : Registry
        The outlet registry: ``source_type``, ``alignment`` and ``country`` come from it
        when the source does not give them.
    outlet : str or None, optional
        Its registry key when already resolved; None resolves it here.

    Returns
    -------
    dict of str to Any
        The columns ``doc_id``, ``collection``, ``outlet``, ``source_type``,
        ``alignment``, ``country``, ``date``, ``title``, ``url``, ``lang``, ``text``,
        ``raw_sha256``, ``wire_credit``, ``duplicate_of`` (None), as described in README.md,
        "The corpus store" (names as in docs/columns.md); extra columns are added by
        :func:`prepare`.
    """
    outlet = outlet or _outlet(raw, registry)
    reg = registry.lookup(outlet) or {}
    analysable = [s for s in segments if s.role in ANALYSABLE_ROLES]
    title = raw.title or next((s.text for s in segments if s.role == "title"), None)
    # datelines often stand on their own line (a caption-role display line)
    body_text = "\n".join(s.text for s in segments
                          if s.role in ("body", "caption") or s.note == "credit")
    return {
        "doc_id": raw.doc_id,
        "collection": raw.collection,
        "outlet": outlet,
        "source_type": raw.source_type or reg.get("source_type") or "unknown",
        "alignment": _extra_value(raw.extra.get("alignment")) or reg.get("alignment") or "unknown",
        "country": raw.country or reg.get("country") or None,
        "date": raw.date,
        "title": clean_whitespace(title).replace("\n", " ") if title else None,
        "url": raw.url,
        "lang": main_language(segments),
        "text": normalize_text("\n".join(s.text for s in analysable)),
        "raw_sha256": raw.raw_sha256,
        # the text's own credit; else one the source states (e.g. a re-imported export)
        "wire_credit": find_wire_credit(body_text) or _extra_value(raw.extra.get("wire_credit")),
        "duplicate_of": None,
    }


def _extra_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    return text if text != "" else None


@dataclass
class BuildContext:
    """What pass 2 needs besides the document itself (sent once to each worker).

    Parameters
    ----------
    registry : Registry
        The outlet registry.
    repeated : dict of str or None to frozenset of str
        Outlet → :func:`~framescope.corpus.segment.line_key` keys of its repeated lines,
        from ``Scan.repeated_lines()``; they become boilerplate.
    extra_columns : list of str
        The sources' own metadata columns every document row gets (None where absent).
    dedup : dict or None, optional
        :class:`~framescope.corpus.dedup.Deduplicator` parameters when workers compute the
        fingerprints; None (default) when the parent process computes them.
    """

    registry: Registry
    repeated: dict[str | None, frozenset[str]]
    extra_columns: list[str]
    #: Deduplicator parameters when workers compute the fingerprints; None in-process
    dedup: dict | None = None


@dataclass
class Prepared:
    """A document after the pass-2 work that depends on it alone.

    Parameters
    ----------
    doc_id : str
        ``collection:original_id``.
    collection : str
        Its collection.
    location : str
        Where in the input it was found (for a reject row when it has no text).
    doc : dict of str to Any or None
        Its documents.parquet row with the extra columns (``duplicate_of`` still None), or
        None when it has no analysable text.
    segments : list of tuple of (str, str, str)
        Its segments as ``(role, lang, text)``.
    fingerprint : tuple or None, optional
        The duplicate key and MinHash signature
        (:meth:`~framescope.corpus.dedup.Deduplicator.fingerprint`) when computed by a
        worker; None otherwise.
    """

    doc_id: str
    collection: str
    location: str
    doc: dict[str, Any] | None
    segments: list[tuple[str, str, str]]
    fingerprint: tuple | None = None


@functools.lru_cache(maxsize=4)
def _fingerprinter(params: tuple) -> Deduplicator:
    return Deduplicator(**dict(params))


def prepare(raw: RawDocument, ctx: BuildContext) -> Prepared:
    """Segment one document and make its row (pass 2, no dependence on other documents).

    Parameters
    ----------
    raw : RawDocument
        The document as the loader gave it.
    ctx : BuildContext
        Registry, repeated lines, extra columns and dedup parameters.

    Returns
    -------
    Prepared
        Its row, segments and (with ``ctx.dedup``) fingerprint; ``doc`` None when no
        segment is title, body or caption.
    """
    outlet = _outlet(raw, ctx.registry)
    segments = segment_document(raw.body, raw.title, raw.captions, raw.lang_hint,
                                 ctx.repeated.get(outlet, frozenset()))
    if not any(s.role in ANALYSABLE_ROLES for s in segments):
        return Prepared(raw.doc_id, raw.collection, raw.location, None, [])
    doc = document_row(raw, segments, ctx.registry, outlet)
    for c in ctx.extra_columns:
        doc[c] = _extra_value(raw.extra.get(c))
    fingerprint = None
    if ctx.dedup is not None:
        fingerprint = _fingerprinter(tuple(sorted(ctx.dedup.items()))).fingerprint(doc["text"])
    return Prepared(raw.doc_id, raw.collection, raw.location, doc,
                    [(s.role, s.lang, s.text) for s in segments], fingerprint)


def prepare_items(items: list, ctx: BuildContext) -> list:
    """:func:`prepare` over a batch of loader output (rejects pass through, order kept).

    Parameters
    ----------
    items : list of RawDocument or Reject
        Consecutive loader output.
    ctx : BuildContext
        As for :func:`prepare`.

    Returns
    -------
    list of Prepared or Reject
        One entry per item, in order.
    """
    return [item if isinstance(item, Reject) else prepare(item, ctx) for item in items]


def prepare_partition(source: Source, ctx: BuildContext) -> list:
    """Read and prepare one input partition (a Dask task of a parallel build).

    Parameters
    ----------
    source : Source
        One partition of the input.
    ctx : BuildContext
        As for :func:`prepare`.

    Returns
    -------
    list of Prepared or Reject
        The partition's documents, prepared, and its rejects, in input order.
    """
    return prepare_items(list(iter_raw([source])), ctx)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepared(sources: list[Source], ctx: BuildContext, run: Session) -> Iterator:
    """Pass-2 results (Reject or Prepared) in input order, on the session's backend."""
    if run.backend.in_process:
        return (item if isinstance(item, Reject) else prepare(item, ctx) for item in iter_raw(sources))
    if run.backend.uses_dask:  # one task per input partition, read by the worker
        tasks = (p for s in sources for p in s.partitions())
        return (item for part in run.map(prepare_partition, tasks, ctx) for item in part)
    batches = _batches(iter_raw(sources), PREPARE_BATCH)
    return (item for part in run.map(prepare_items, batches, ctx) for item in part)


class _BatchWriter:
    """Documents and segments written in row groups of ``BATCH_DOCS`` documents.

    Arrow compresses and writes a row group without holding the GIL, so given a ``pool``
    (one thread) it does so there while the next batch is prepared; the row groups are
    written one at a time in order, so the files do not change.
    """

    def __init__(self, folder: Path, extra_columns: list[str], pool: ThreadPoolExecutor | None = None):
        fields = [(c, _CORE_TYPES[c]) for c in DOCUMENT_COLUMNS]
        fields += [(c, pa.string()) for c in extra_columns]
        self.doc_schema = pa.schema(fields)
        opts = dict(compression="zstd", write_statistics=True)
        self.docs = pq.ParquetWriter(folder / "documents.parquet", self.doc_schema, **opts)
        self.segs = pq.ParquetWriter(folder / "segments.parquet", SEGMENT_SCHEMA, **opts)
        self.doc_cols: dict[str, list] = {c: [] for c in self.doc_schema.names}
        self.seg_cols: dict[str, list] = {c: [] for c in SEGMENT_SCHEMA.names}
        self.n_docs = 0
        self._pool = pool
        self._pending: Future | None = None

    def add(self, doc: dict, segments: list[tuple[str, str, str]]) -> None:
        for c, values in self.doc_cols.items():
            values.append(doc[c])
        n = len(segments)
        seg = self.seg_cols
        seg["doc_id"].extend([doc["doc_id"]] * n)
        seg["seg"].extend(range(n))
        if n:
            roles, langs, texts = zip(*segments)
            seg["role"].extend(roles)
            seg["lang"].extend(langs)
            seg["text"].extend(texts)
        self.n_docs += 1
        if self.n_docs >= BATCH_DOCS:
            self.flush()

    def _write(self, docs: pa.Table, segs: pa.Table) -> None:
        self.docs.write_table(docs)
        self.segs.write_table(segs)

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()  # a write error surfaces here

    def flush(self) -> None:
        # columns, not rows: the same arrays as Table.from_pylist, so the same Parquet bytes
        if self.n_docs:
            docs = pa.Table.from_pydict(self.doc_cols, schema=self.doc_schema)
            segs = pa.Table.from_pydict(self.seg_cols, schema=SEGMENT_SCHEMA)
            self._wait()
            if self._pool is None:
                self._write(docs, segs)
            else:
                self._pending = self._pool.submit(self._write, docs, segs)
        for cols in (self.doc_cols, self.seg_cols):
            for values in cols.values():
                values.clear()
        self.n_docs = 0

    def close(self) -> None:
        try:
            self.flush()
            self._wait()
        finally:
            self.docs.close()
            self.segs.close()


def _input_record(path: Path) -> dict[str, Any]:
    """Path, size and sha256 of an input; an unreadable one gets ``error`` instead (its
    loader rejects it, and the build goes on)."""
    try:
        return {"path": str(path), "name": path.name, "size": path.stat().st_size,
                "sha256": sha256_file(path)}
    except OSError as exc:
        return {"path": str(path), "name": path.name, "error": exc.strerror or str(exc)}


def _progress(total: int | None, enabled: bool | None):
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, unit="doc", desc="building", disable=not enabled,
                dynamic_ncols=True, leave=False)


def _deduplicated(prepared: Iterable[Prepared], dedup: Deduplicator,
                  pool: ThreadPoolExecutor | None) -> Iterator[Prepared]:
    """``prepared`` in order, each with ``duplicate_of`` set by comparisons in corpus order.

    Fingerprints a worker did not compute are computed here, ``DEDUP_BATCH`` documents at a
    time: the word hashes in this thread, the MinHash arithmetic (numpy, without the GIL) on
    ``pool``'s thread while this one prepares the next batch.
    """
    batch: list[Prepared] = []
    inflight = None

    def launch(items: list[Prepared]):
        hashes = dedup.word_hashes([item.doc["text"] for item in items])
        return items, hashes.keys, (pool.submit(dedup.signatures, hashes) if pool else dedup.signatures(hashes))

    def settle(launched) -> list[Prepared]:
        items, keys, sigs = launched
        for item, key, sig in zip(items, keys, sigs.result() if pool else sigs):
            item.doc["duplicate_of"] = dedup.check_fingerprint(item.doc["doc_id"], key, sig)
        return items

    for item in prepared:
        if item.fingerprint is None:
            batch.append(item)
            if len(batch) >= DEDUP_BATCH:
                launched, batch = launch(batch), []
                if inflight is not None:
                    yield from settle(inflight)
                inflight = launched
            continue
        # computed by a worker: what came before is compared first
        for launched in (inflight, launch(batch) if batch else None):
            if launched is not None:
                yield from settle(launched)
        inflight, batch = None, []
        item.doc["duplicate_of"] = dedup.check_fingerprint(item.doc["doc_id"], *item.fingerprint)
        yield item
    if inflight is not None:
        yield from settle(inflight)
    if batch:
        yield from settle(launch(batch))


def _write_documents(folder: Path, items: Iterable, extra_columns: list[str], dedup: Deduplicator,
                     bar) -> tuple[int, int, dict[str, Counter], list[dict[str, str]]]:
    """Pass 2 in the parent: pass-2 results in input order → Parquet row groups.

    What depends on earlier documents happens here, in order: duplicate ids and near
    duplicates. Returns (documents, segments, counts for the manifest, rejects).
    """
    rejects: list[dict[str, str]] = []
    counts: dict[str, Counter] = defaultdict(Counter)
    seen_ids: dict[str, str] = {}

    def documents() -> Iterator[Prepared]:  # rejects noted, in input order
        for item in items:
            if isinstance(item, Reject):
                rejects.append({"source": item.source, "location": item.location, "reason": item.reason})
                continue
            bar.update(1)
            if item.doc_id in seen_ids:
                rejects.append({"source": item.collection, "location": item.location,
                                "reason": f"duplicate doc_id {item.doc_id} (first at {seen_ids[item.doc_id]})"})
                continue
            seen_ids[item.doc_id] = item.location
            if item.doc is None:
                rejects.append({"source": item.collection, "location": item.location,
                                "reason": "no analysable text (empty or only page chrome)"})
                continue
            yield item

    n_docs = n_segs = 0
    # one thread beside this one for what runs without the GIL: MinHash arithmetic, writes
    pool = ThreadPoolExecutor(1, thread_name_prefix="framescope-build") if kernel_threads() > 1 else None
    writer = _BatchWriter(folder, extra_columns, pool)
    try:
        for item in _deduplicated(documents(), dedup, pool):
            doc = item.doc
            writer.add(doc, item.segments)
            n_docs += 1
            n_segs += len(item.segments)
            for key in ("collection", "outlet", "source_type", "lang"):
                counts[key][str(doc[key])] += 1
            if doc["duplicate_of"]:
                counts["duplicates"][doc["collection"]] += 1
            if doc["wire_credit"]:
                counts["wire_credit"][doc["wire_credit"]] += 1
            for role, lang, _ in item.segments:
                counts["segment_role"][role] += 1
                counts["segment_lang"][lang] += 1
    finally:
        try:
            writer.close()
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
    return n_docs, n_segs, counts, rejects


def build(sources: Iterable[str] | list[Source], out: str | Path, registry_file: str | Path | None = None,
          options: dict | None = None, progress: bool | None = None,
          dedup_threshold: float = 0.8, reuse: bool = False,
          backend: Backend | None = None) -> BuildResult:
    """Build a corpus folder from sources (``'default'``, ``'text:DIR'``, ...).

    Same inputs and options → byte-identical Parquet files and the same ``corpus_id``,
    whatever the ``backend``. The folder is written atomically (see
    :class:`~framescope.corpus.store.AtomicFolder`) and checked first by
    :func:`~framescope.corpus.store.check_output_folder`: nothing else is replaced.

    Parameters
    ----------
    sources : iterable of str or list of Source
        ``['default']`` (the shared collections) or ``KIND:SPEC`` strings such as
        ``'text:DIR'``, ``'csv:FILE'`` (parsed by
        :func:`~framescope.corpus.loaders.parse_sources`), or parsed sources.
    out : str or pathlib.Path
        The corpus folder to write.
    registry_file : str or pathlib.Path or None, optional
        A CSV of outlet rows that add to or override the shipped registry
        (``--registry``); None uses the shipped one only.
    options : dict or None, optional
        Loader options given to every source (e.g. ``{"encoding": "cp1256"}``,
        ``{"date_format": "%d/%m/%Y"}``); recorded in the manifest.
    progress : bool or None, optional
        Show a progress bar on stderr; None (default) shows it when stderr is a terminal.
    dedup_threshold : float, default 0.8
        Estimated Jaccard similarity from which a document is marked a near duplicate of an
        earlier one (``duplicate_of``); see :class:`~framescope.corpus.dedup.Deduplicator`.
    reuse : bool, default False
        Keep a folder that already holds a complete corpus with the same ``corpus_id``
        instead of building it again.
    backend : Backend or None, optional
        How tasks run (workers, Dask scheduler; :mod:`framescope.corpus.parallel`); None:
        in this process.

    Returns
    -------
    BuildResult
        The folder, the manifest written, the time taken and the peak memory.
    """
    backend = backend or Backend()
    started = time.perf_counter()
    options = dict(options or {})
    if registry_file and "registry" not in options:
        options["registry"] = str(registry_file)  # loaders that map source types see it too
    srcs = [s if isinstance(s, Source) else None for s in sources]
    if any(s is None for s in srcs):
        srcs = parse_sources([str(s) for s in sources], options)
    registry = load_registry(registry_file)
    source_records = []
    input_paths = [s.spec for s in srcs if s.spec and Path(s.spec).expanduser().exists()]
    # refuse a dangerous --out before any work (nothing is read, nothing deleted)
    target = AtomicFolder(out, replaceable=is_corpus_folder, inputs=input_paths)
    for s in srcs:
        files = s.module.inputs(s.spec, s.options)  # raises for a missing path
        source_records.append({"kind": s.kind, "spec": s.spec, "loader": s.module.__name__,
                               "options": {k: str(v) for k, v in sorted(s.options.items())},
                               "inputs": [_input_record(Path(f)) for f in files]})
    registry_sha = hashlib.sha256(json.dumps(registry.rows, sort_keys=True).encode()).hexdigest()
    dedup = Deduplicator(threshold=dedup_threshold)
    identity = {
        "sources": [{"kind": r["kind"],
                     # how answers were fetched (cache, offline, timeouts) does not change them
                     "options": {k: v for k, v in r["options"].items()
                                 if k.split(".")[-1] not in FETCH_OPTIONS | {"registry"}},
                     # a query is part of what was asked; a local path is not (machines differ)
                     "query": None if Path(r["spec"]).exists() else r["spec"],
                     "inputs": [(i["name"], i.get("size"), i.get("sha256", i.get("error")))
                                for i in r["inputs"]]}
                    for r in source_records],
        "registry": registry_sha, "text_layer": TEXT_LAYER_VERSION, "dedup": dedup.params(),
    }
    corpus_id = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    target.lock()  # a second build on the same --out stops here, with one line
    try:
        if reuse:
            old = _reusable(target.target, corpus_id)
            if old is not None:
                return BuildResult(Path(out), old, time.perf_counter() - started, 0.0)
        manifest = _build_into(target, srcs, registry, backend, dedup, progress, corpus_id,
                               source_records, registry_file, registry_sha)
    finally:
        target.release()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BuildResult(Path(out), manifest, time.perf_counter() - started, peak)


def _reusable(folder: Path, corpus_id: str) -> dict | None:
    """The manifest of ``folder`` if it holds this corpus, intact (sizes, rows, hashes)."""
    if not (folder / "manifest.json").is_file():
        return None
    try:
        old = verify_corpus(folder, hashes=True)
    except FramescopeError:
        return None  # damaged or foreign: rebuild
    if old.get("corpus_id") != corpus_id or not old.get("files"):
        return None
    return old


def _build_into(target: AtomicFolder, srcs, registry, backend, dedup, progress, corpus_id,
                source_records, registry_file, registry_sha) -> dict:
    """Both passes, written into ``target`` (locked); returns the manifest."""
    with backend.session() as run:
        if backend.uses_dask:  # workers may run elsewhere: give them absolute paths
            srcs = [Source(s.kind, _absolute(s.spec), s.options) for s in srcs]
        if backend.in_process:
            first = scan(srcs, registry)
        else:
            tasks = [p for s in srcs for p in s.partitions()]
            first = run.map_reduce(scan_partition, tasks, Scan.merge, registry) or Scan()
        extra_columns = sorted(first.extra_columns - set(DOCUMENT_COLUMNS))
        ctx = BuildContext(registry, first.repeated_lines(), extra_columns,
                           None if backend.in_process else dedup.params())
        first.line_docs.clear()  # pass 2 needs only the repeated lines (in ctx): less peak memory
        with target as tmp:
            with _progress(first.documents, progress) as bar:
                n_docs, n_segs, counts, rejects = _write_documents(
                    tmp, _prepared(srcs, ctx, run), extra_columns, dedup, bar)
            counts["rejects"] = Counter(reason_class(r["reason"]) for r in rejects)
            _write_rejects(tmp / "rejects.csv", rejects)
            manifest = {
                "corpus_id": corpus_id,
                "framescope_version": __version__,
                "text_layer_version": TEXT_LAYER_VERSION,
                "sources": source_records,
                "registry": {"file": str(registry_file) if registry_file else None,
                             "sha256": registry_sha, "outlets": len(registry)},
                "options": {"dedup": dedup.params(), "repeated_lines":
                            {"min_docs": REPEAT_MIN_DOCS, "min_share": REPEAT_MIN_SHARE,
                             "max_words": REPEAT_MAX_WORDS}},
                "counts": {"documents": n_docs, "segments": n_segs,
                           **{k: dict(sorted(v.items())) for k, v in sorted(counts.items())}},
                "extra_columns": extra_columns,
                "format": CORPUS_FORMAT,
                "files": file_records(tmp, {"documents.parquet": n_docs, "segments.parquet": n_segs,
                                            "rejects.csv": len(rejects)}),
            }
            (tmp / "manifest.json").write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _absolute(spec: str) -> str:
    """``spec`` as an absolute path when it names a local file or folder (else unchanged)."""
    path = Path(spec).expanduser()
    return str(path.resolve()) if spec and path.exists() else spec


def reason_class(reason: str) -> str:
    """Reject reason without its particulars: "duplicate id 123 (...)" → "duplicate id".

    Parameters
    ----------
    reason : str
        A reject reason.

    Returns
    -------
    str
        The reason up to its first bracket, colon, quote or word with a digit, stripped
        (``reason`` itself when that leaves nothing); used to count rejects by kind.
    """
    head = re.split(r"[(:'\"]|\s\S*\d", reason, maxsplit=1)[0]
    return head.strip() or reason


def _write_rejects(path: Path, rejects: list[dict[str, str]]) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=REJECT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rejects)


def ensure_default_corpus(folder: str | Path, rebuild: bool = False):
    """Load the default corpus from ``folder``, building it first if absent.

    A folder whose files do not match their manifest, or that an older text layer built
    (:data:`TEXT_LAYER_VERSION`), is rebuilt rather than failing or being used.

    Parameters
    ----------
    folder : str or pathlib.Path
        The corpus folder of the default corpus (``build(['default'], folder)``).
    rebuild : bool, default False
        Build it again even if the folder holds a corpus (no reuse).

    Returns
    -------
    Corpus
        The loaded corpus.
    """
    import framescope.corpus as corpus_pkg

    from framescope.corpus.errors import CorpusIntegrityError

    folder = Path(folder)
    if not rebuild and (folder / "manifest.json").is_file():
        try:
            corpus = corpus_pkg.load(folder)
        except CorpusIntegrityError as exc:  # damaged: build it again rather than stop
            print(f"{exc}; rebuilding", flush=True)
            rebuild = True
        else:
            made_by = corpus.manifest.get("text_layer_version")
            if made_by == TEXT_LAYER_VERSION:
                return corpus
            # another text layer gives other text: figures from it would not be this code's
            print(f"{folder} was built by text layer {made_by}, this is text layer "
                  f"{TEXT_LAYER_VERSION}; rebuilding", flush=True)
            rebuild = True
    print(f"building the default corpus into {folder} ...", flush=True)
    # --rebuild means rebuild: reusing would keep a corpus whose manifest merely matches
    result = build(["default"], folder, reuse=not rebuild)
    print(f"  done in {result.seconds:.0f} s (peak RSS {result.peak_rss_mb:.0f} MB)")
    return corpus_pkg.load(folder)
