"""Counts: integer token ids, document-term matrices, group frequencies and dispersion.

Second stage of ``corpus → tokens → counts → statistic``. Tokens become integer ids once
(:func:`encode`, using pandas' C hash tables); everything downstream is numpy/scipy on id
arrays — no per-token Python objects in the counting path.

Terms are keyed by ``(lang, term)``: a word keeps the language of its sentence, so an
English and an Arabic token never merge, and relative frequencies use the token count of
the term's own language. A :class:`Vocabulary` is sorted by (lang, term), so ids do not
depend on document order and counts from batches merge exactly by summing after
:meth:`Vocabulary.union` (the basis for ``--workers``/Dask reductions, issue 7).

Columns of :func:`frequencies`:
    group        group label (value of ``by``; '(missing)' when the metadata is null)
    lang         ISO 639-1 code of the term's language
    term         the token (after the token options)
    freq         occurrences in the group
    per_million  freq / size × 1,000,000
    docs         number of the group's documents containing the term
    doc_share    docs / n_docs (in [0, 1])
    size         tokens of the group in this language (after token options)
    n_docs       documents of the group with at least one token in this language
    dp           Gries' deviation of proportions (Gries 2008), parts = documents
    dp_norm      DP / (1 − min part share) (Lijffijt & Gries 2012)
"""
from __future__ import annotations

import collections
import functools
import itertools
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framescope.analysis.groups import (DEFAULT_FLOOR, MISSING_GROUP, SIZE_OPTIONS, SizeFloor, attach_group_sizes,
                                        document_groups, document_sizes, group_sizes)
from framescope.analysis.partitioned import (PARTITION_DOCS, IdTokens, PartitionBatch, by_partitions,
                                             count_partitions, map_partitions, metadata)
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import Tokens, iter_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.memory import release_free_memory, small_pages
from framescope.corpus.parallel import fold_tree, thread_map

__all__ = ["Vocabulary", "Encoded", "DocumentTermMatrix", "encode", "encode_sentences", "encode_lines", "dtm",
           "group_labels", "group_masks", "frequencies", "dispersion", "MISSING_GROUP", "GroupSums",
           "FREQUENCY_COLUMNS", "PARTITION_DOCS", "count_dtm", "count_dtm_groups", "merge_dtm",
           "GROUP_SIZE_COLUMNS", "comparison_labels", "row_labels", "source_sizes", "count_document_sizes", "merge_document_sizes",
           "with_sizes"]



# --- vocabulary -----------------------------------------------------------------------------

class Vocabulary:
    """Terms keyed by (lang, term), sorted by lang then term; id = position.

    Sorting makes ids independent of the order documents were seen, so two batches with
    the same terms get the same ids and a union is a merge of sorted lists.

    Parameters
    ----------
    langs : sequence of str
        The language code of each term.
    terms : sequence of str
        The terms, aligned with ``langs`` and already sorted by (lang, term) (use
        :meth:`from_pairs` for unsorted pairs).
    """

    def __init__(self, langs: Sequence[str], terms: Sequence[str]):
        self.langs = np.asarray(langs, dtype=object)
        self.terms = np.asarray(terms, dtype=object)
        if len(self.langs) != len(self.terms):
            raise ValueError("langs and terms differ in length")
        self._index: dict[tuple[str, str], int] | None = None

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} terms, langs={self.lang_list()})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, Vocabulary) and len(self) == len(other)
                and bool(np.all(self.langs == other.langs)) and bool(np.all(self.terms == other.terms)))

    @classmethod
    def from_pairs(cls, langs: Sequence[str], terms: Sequence[str]) -> tuple["Vocabulary", np.ndarray]:
        """Sorted unique vocabulary of the pairs and, for each input pair, its new id.

        Order: language, then term in code-point order (Python's string order), so ids
        within a language sort like the terms themselves.
        """
        langs = np.asarray(langs, dtype=object)
        terms = np.asarray(terms, dtype=object)
        if not len(terms):
            return cls([], []), np.zeros(0, dtype=np.int64)
        lang_codes, lang_uniques = pd.factorize(langs, sort=True)
        # Python's sort has a fast path for lists of str (faster than numpy on objects)
        term_list = terms.tolist()
        by_term = np.array(sorted(range(len(term_list)), key=term_list.__getitem__), dtype=np.int64)
        del term_list
        order = by_term[np.argsort(lang_codes[by_term], kind="stable")]
        s_lang, s_term = lang_codes[order], terms[order]
        is_new = np.ones(len(order), dtype=bool)
        is_new[1:] = (s_lang[1:] != s_lang[:-1]) | (s_term[1:] != s_term[:-1])
        mapping = np.empty(len(order), dtype=np.int64)
        mapping[order] = np.cumsum(is_new) - 1
        uniq_langs = np.asarray(lang_uniques, dtype=object)[s_lang[is_new]]
        return cls(uniq_langs, s_term[is_new]), mapping

    @classmethod
    def union(cls, vocabs: Sequence["Vocabulary"]) -> tuple["Vocabulary", list[np.ndarray]]:
        """Union of vocabularies and, per input, an array mapping its ids to the union's."""
        langs = np.concatenate([v.langs for v in vocabs]) if vocabs else np.zeros(0, dtype=object)
        terms = np.concatenate([v.terms for v in vocabs]) if vocabs else np.zeros(0, dtype=object)
        union, mapping = cls.from_pairs(langs, terms)
        remaps, start = [], 0
        for v in vocabs:
            remaps.append(mapping[start:start + len(v)])
            start += len(v)
        return union, remaps

    def index(self, lang: str, term: str) -> int:
        """Id of (lang, term), or -1."""
        if self._index is None:
            self._index = {(l, t): i for i, (l, t) in enumerate(zip(self.langs, self.terms))}
        return self._index.get((lang, term), -1)

    def lang_list(self) -> list[str]:
        return list(pd.unique(self.langs))

    def lang_range(self, lang: str) -> tuple[int, int]:
        """[start, stop) of the ids of one language (contiguous: sorted by lang first)."""
        hits = np.flatnonzero(self.langs == lang)
        if not len(hits):
            return 0, 0
        return int(hits[0]), int(hits[-1]) + 1

    def lang_codes(self) -> tuple[np.ndarray, list[str]]:
        """Per id, the index of its language in the returned list of languages."""
        codes, uniques = pd.factorize(self.langs, sort=True)
        return codes.astype(np.int64), list(uniques)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"id": np.arange(len(self), dtype=np.int64),
                             "lang": self.langs, "term": self.terms})


# --- encoding -------------------------------------------------------------------------------

@dataclass
class Encoded:
    """Tokens as flat integer arrays (corpus order).

    Sentences never cross documents, so windows and n-grams respect both boundaries by
    checking ``sent``. These flat arrays are all the counting kernels read (``ids``,
    ``sent``, ``doc`` and optionally ``position``), so any source of integer token ids — a
    token store included — feeds them by building an ``Encoded`` directly.

    Parameters
    ----------
    ids : numpy.ndarray
        ``ids[k]``: the vocabulary id of token k.
    sent : numpy.ndarray
        ``sent[k]``: its sentence number (0, 1, … within this object).
    doc : numpy.ndarray
        ``doc[k]``: its document, as an index into ``doc_ids``.
    vocab : Vocabulary
        The vocabulary the ids index.
    doc_ids : numpy.ndarray
        The documents' ids.
    sent_doc : numpy.ndarray
        ``sent_doc[j]``: the document (index into ``doc_ids``) of sentence j.
    sent_lang : numpy.ndarray
        ``sent_lang[j]``: the language code of sentence j.
    metadata : dict
        Provenance of the tokens (corpus_id, token options, sentence model).
    position : numpy.ndarray or None
        ``position[k]``, when set: token k's place among the running words of its sentence
        (before stopword removal; :func:`framescope.analysis.collocations.running_positions`),
        for windows measured in running words. None (default): not needed.
    """

    ids: np.ndarray
    sent: np.ndarray
    doc: np.ndarray
    vocab: Vocabulary
    doc_ids: np.ndarray
    sent_doc: np.ndarray
    sent_lang: np.ndarray
    metadata: dict = field(default_factory=dict)
    position: np.ndarray | None = None

    @property
    def n_tokens(self) -> int:
        return len(self.ids)

    def unigram_counts(self) -> np.ndarray:
        return np.bincount(self.ids, minlength=len(self.vocab)).astype(np.int64)


def _flatten_tokens(toks: Tokens):
    sent_lists = [s for d in toks.docs for s in d]
    sent_len = np.fromiter((len(s) for s in sent_lists), dtype=np.int64, count=len(sent_lists))
    doc_nsent = np.fromiter((len(d) for d in toks.docs), dtype=np.int64, count=len(toks.docs))
    flat = list(itertools.chain.from_iterable(sent_lists))
    sent_lang = np.asarray([l for ls in toks.sent_langs for l in ls], dtype=object)
    return flat, sent_len, doc_nsent, sent_lang


def _encode_flat(flat: list[str], tok_lang_codes: np.ndarray, lang_uniques) -> tuple[Vocabulary, np.ndarray]:
    """Vocabulary and ids for a flat token list with per-token language codes."""
    if not flat:
        return Vocabulary([], []), np.zeros(0, dtype=np.int32)
    codes, uniques = pd.factorize(np.asarray(flat, dtype=object))
    return _encode_codes(codes, uniques, tok_lang_codes, lang_uniques)


def _encode_codes(codes: np.ndarray, uniques, tok_lang_codes: np.ndarray, lang_uniques) -> tuple[Vocabulary, np.ndarray]:
    """Vocabulary and ids for tokens given as indices into ``uniques`` (their strings)."""
    if not len(codes):
        return Vocabulary([], []), np.zeros(0, dtype=np.int32)
    n_unique = len(uniques)
    pair = tok_lang_codes.astype(np.int64) * n_unique + codes
    upairs, inverse = np.unique(pair, return_inverse=True)
    langs = np.asarray(lang_uniques, dtype=object)[upairs // n_unique]
    terms = np.asarray(uniques, dtype=object)[upairs % n_unique]
    vocab, mapping = Vocabulary.from_pairs(langs, terms)
    return vocab, mapping[inverse].astype(np.int32)


def encode(toks: Tokens | IdTokens) -> Encoded:
    """Integer ids for every token of ``toks``, with sentence and document indices.

    Parameters
    ----------
    toks : Tokens or IdTokens
        Tokens as strings (:func:`framescope.analysis.tokens.tokens`) or as ids read from a
        token store (:class:`framescope.analysis.partitioned.IdTokens`); the same tokens
        give the same :class:`Encoded` either way.

    Returns
    -------
    Encoded
        Vocabulary sorted by (lang, term); ``metadata`` those of the tokens.
    """
    if isinstance(toks, IdTokens):
        sent_len, sent_lang = np.asarray(toks.sent_len, dtype=np.int64), np.asarray(toks.sent_lang, dtype=object)
        sent_doc = np.asarray(toks.sent_doc, dtype=np.int64)
    else:
        flat, sent_len, doc_nsent, sent_lang = _flatten_tokens(toks)
        sent_doc = np.repeat(np.arange(len(doc_nsent), dtype=np.int64), doc_nsent)
    lang_codes, lang_uniques = pd.factorize(sent_lang) if len(sent_lang) else (np.zeros(0, np.int64), [])
    tok_lang = np.repeat(np.asarray(lang_codes, dtype=np.int64), sent_len)
    if isinstance(toks, IdTokens):
        vocab, ids = _encode_codes(np.asarray(toks.ids, dtype=np.int64), toks.terms, tok_lang, lang_uniques)
        metadata = dict(toks.metadata)
    else:
        vocab, ids = _encode_flat(flat, tok_lang, lang_uniques)
        metadata = toks.metadata()
    sent = np.repeat(np.arange(len(sent_len), dtype=np.int64), sent_len)
    doc = sent_doc[sent] if len(sent) else np.zeros(0, dtype=np.int64)
    return Encoded(ids, sent, doc, vocab, np.asarray(toks.doc_ids, dtype=object), sent_doc, sent_lang, metadata)


def encode_sentences(sentences: Iterable[Sequence[str]], lang: str = "und",
                     chunk_tokens: int = 200_000) -> Encoded:
    """Encode a stream of token lists (one per sentence) in bounded memory.

    Tokens are held as Python strings only one chunk at a time; each is mapped to an id by
    one dict lookup done in C (``map`` over a defaultdict that numbers new keys), then the
    vocabulary is sorted as everywhere else. All sentences belong to one document
    and one language (``lang``). Index arrays are int32 to halve their memory.

    Parameters
    ----------
    sentences : iterable of sequence of str
        Token lists, one per sentence.
    lang : str
        Language of every token.
    chunk_tokens : int
        Tokens held as strings at a time.

    Returns
    -------
    Encoded
        One document (``doc_ids`` = ["stream"]), int32 ids and sentence numbers.
    """
    # a dict whose missing keys get the next id: one C-level lookup per token via map()
    term_to_id: dict[str, int] = collections.defaultdict(itertools.count().__next__)
    lookup = term_to_id.__getitem__
    id_chunks: list[np.ndarray] = []
    len_chunks: list[np.ndarray] = []
    buf: list[str] = []
    lens: list[int] = []

    def flush():
        if not lens:
            return
        id_chunks.append(np.fromiter(map(lookup, buf), dtype=np.int32, count=len(buf)))
        len_chunks.append(np.asarray(lens, dtype=np.int32))
        buf.clear()
        lens.clear()

    for s in sentences:
        buf.extend(s)
        lens.append(len(s))
        if len(buf) >= chunk_tokens:
            flush()
    flush()
    first_seen = np.concatenate(id_chunks) if id_chunks else np.zeros(0, np.int32)
    del id_chunks
    sent_len = np.concatenate(len_chunks) if len_chunks else np.zeros(0, np.int32)
    terms = np.empty(len(term_to_id), dtype=object)
    for t, i in term_to_id.items():
        terms[i] = t
    del term_to_id
    vocab, mapping = Vocabulary.from_pairs(np.full(len(terms), lang, dtype=object), terms)
    ids = mapping.astype(np.int32)[first_seen] if len(first_seen) else first_seen
    del first_seen
    n_sent = len(sent_len)
    sent = np.repeat(np.arange(n_sent, dtype=np.int32), sent_len)
    # one document: a read-only broadcast zero instead of an array per token
    return Encoded(ids, sent, np.broadcast_to(np.int32(0), (len(ids),)), vocab,
                   np.asarray(["stream"], dtype=object), np.zeros(n_sent, dtype=np.int32),
                   np.full(n_sent, lang, dtype=object), {})


#: The ASCII bytes ``str.split()`` splits on.
_ASCII_WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_IS_ASCII_SPACE = np.zeros(256, dtype=bool)
_IS_ASCII_SPACE[list(_ASCII_WHITESPACE)] = True


def encode_lines(data, lang: str = "und", chunk_bytes: int = 1 << 23, threads: int | None = None) -> Encoded:
    """Encode token text: one sentence per line, tokens separated by ASCII whitespace.

    The result is the :class:`Encoded` that :func:`encode_sentences` gives for
    ``line.split()`` of every line (same vocabulary, ids and sentence numbers; a line
    without tokens is an empty sentence), made without a Python string per token: numpy
    finds the token boundaries in the bytes, Arrow's hash table (``dictionary_encode``) the
    distinct tokens of each chunk, and only the vocabulary becomes Python strings. Lines end
    with a line feed (a carriage return counts as whitespace); tokens must not contain
    non-ASCII whitespace (tokenizer output never does). This is the reading side of a token
    file; a token store that keeps ids skips it.

    Parameters
    ----------
    data : bytes or path-like
        Token text, one sentence per line: the bytes, or the path of a file holding them
        (read ``chunk_bytes`` at a time, so the text is never held whole).
    lang : str
        Language code of every token (default "und": undetermined).
    chunk_bytes : int
        Bytes read and encoded at a time, per thread (default 8 MiB); memory, not the result,
        depends on it.
    threads : int, optional
        Chunks hashed at once (default
        :func:`framescope.corpus.parallel.kernel_threads`); the result does not depend on it.

    Returns
    -------
    Encoded
        As :func:`encode_sentences` of ``line.split()`` for every line.

    Raises
    ------
    FramescopeError
        The bytes are not UTF-8, or the file cannot be read.
    """
    with small_pages():
        return _encode_lines(data, lang, chunk_bytes, threads)


def _encode_lines(data, lang: str, chunk_bytes: int, threads: int | None) -> Encoded:
    import pyarrow as pa
    import pyarrow.compute as pc

    # malloc rather than Arrow's pooling allocator, which would keep the freed hash tables
    pool = pa.system_memory_pool()
    ids_parts, sent_parts, dictionaries = [], [], []
    n_sent = 0
    last_byte = 10
    # chunks are hashed on a few threads (numpy and Arrow release the GIL) and joined in order
    for sent, indices, dictionary, n_lines, last in thread_map(
            functools.partial(_encode_chunk, pool=pool), _line_chunks(data, chunk_bytes), threads):
        sent += n_sent
        n_sent += n_lines
        last_byte = last
        sent_parts.append(sent)
        ids_parts.append(indices)
        dictionaries.append(dictionary)
        release_free_memory()  # the chunk's temporaries
    if last_byte != 10:
        n_sent += 1  # a last line without its newline
    # every chunk's distinct strings, whitespace trimmed, into one vocabulary
    strings = pa.concat_arrays(dictionaries, memory_pool=pool) if dictionaries else pa.array([], pa.large_string())
    try:
        strings.validate(full=True)  # every distinct string is UTF-8, hence every token
    except pa.ArrowInvalid:
        raise FramescopeError("the token text is not UTF-8") from None
    trimmed = pc.ascii_rtrim(strings, characters=_ASCII_WHITESPACE.decode("ascii"), memory_pool=pool)
    distinct = pc.dictionary_encode(trimmed, memory_pool=pool)
    del strings, trimmed
    # terms in code-point order (= UTF-8 byte order, Arrow's order), as Vocabulary.from_pairs
    order = pc.sort_indices(distinct.dictionary, memory_pool=pool).to_numpy()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    vocab = Vocabulary(np.full(len(order), lang, dtype=object),
                       pc.take(distinct.dictionary, pa.array(order), memory_pool=pool).to_numpy(zero_copy_only=False))
    global_id = rank[distinct.indices.to_numpy()]
    del distinct, order, rank
    sent = np.concatenate(sent_parts) if sent_parts else np.zeros(0, dtype=np.int32)
    del sent_parts
    # each chunk's ids into one array, freeing the chunk's indices as it goes
    ids = np.empty(len(sent), dtype=np.int32)
    start = at = 0
    for k, dictionary in enumerate(dictionaries):
        indices = ids_parts[k]
        ids_parts[k] = None
        ids[at:at + len(indices)] = global_id[start:start + len(dictionary)][indices]
        start += len(dictionary)
        at += len(indices)
        del indices
    release_free_memory()
    return Encoded(ids, sent, np.broadcast_to(np.int32(0), (len(ids),)), vocab,
                   np.asarray(["stream"], dtype=object), np.zeros(n_sent, dtype=np.int32),
                   np.full(n_sent, lang, dtype=object), {})


def _line_chunks(data, chunk_bytes: int):
    """Pieces of about ``chunk_bytes`` bytes, each ending at a newline (but the last)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        if isinstance(data, memoryview):
            data = data.tobytes()
        start = 0
        while start < len(data):
            nl = data.find(b"\n", start + chunk_bytes - 1)  # the line that crosses the cut ends the chunk
            stop = len(data) if nl < 0 else nl + 1
            yield memoryview(data)[start:stop]
            start = stop
        return
    try:
        with open(data, "rb") as fh:
            while True:
                chunk = fh.read(chunk_bytes)
                if not chunk:
                    return
                if not chunk.endswith(b"\n"):
                    chunk += fh.readline()  # complete the last line
                yield chunk
    except OSError as exc:
        raise FramescopeError(f"cannot read {data}: {exc.strerror or exc}") from None


def _encode_chunk(chunk, pool):
    """(line of each token counted from 0, its index into the chunk's distinct strings,
    those strings, the chunk's newlines, its last byte) for lines of token text. Each token's string runs from its first byte
    to the next token's, whitespace included: the bytes serve as Arrow's string data
    without a copy; the caller trims the distinct strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    buf = np.frombuffer(chunk, dtype=np.uint8)
    space = np.flatnonzero(buf <= 32).astype(np.int32)  # every ASCII whitespace byte is <= 32
    exact = _IS_ASCII_SPACE[buf[space]]
    if not exact.all():
        space = space[exact]
    del exact
    # sentinels: a whitespace byte before the first and after the last byte
    space = np.concatenate((np.array([-1], dtype=np.int32), space, np.array([len(buf)], dtype=np.int32)))
    newline_count = np.zeros(len(space), dtype=np.int32)
    newline_count[1:-1] = buf[space[1:-1]] == 10
    np.cumsum(newline_count, out=newline_count)
    n_lines = int(newline_count[-1])  # the end sentinel's count: every newline of the chunk
    # a token fills a gap between two whitespace bytes; its line is the newlines before it
    gap = np.flatnonzero(np.diff(space) > 1)
    sent = newline_count[gap]
    del newline_count
    offsets = np.empty(len(gap) + 1, dtype=np.int32)
    offsets[:-1] = space[gap] + 1
    offsets[-1] = len(buf)
    del space, gap
    strings = pa.StringArray.from_buffers(len(sent), pa.py_buffer(offsets), pa.py_buffer(chunk))
    encoded = pc.dictionary_encode(strings, memory_pool=pool)
    return sent, encoded.indices.to_numpy(), encoded.dictionary.cast(pa.large_string()), n_lines, int(buf[-1])


# --- document-term matrix ---------------------------------------------------------------------

@dataclass
class DocumentTermMatrix:
    """Documents × terms counts (``scipy.sparse.csr_matrix`` of int64) with vocabulary.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        The counts: rows follow ``doc_ids``, columns are vocabulary ids (sorted by lang,
        term).
    vocab : Vocabulary
        The columns' terms.
    doc_ids : numpy.ndarray
        The rows' document ids (stored as an object array).
    metadata : dict
        Provenance (corpus_id, token options, sentence model), written with every output.
    """

    matrix: sp.csr_matrix
    vocab: Vocabulary
    doc_ids: np.ndarray
    metadata: dict = field(default_factory=dict)

    def __post_init__(self):
        self.doc_ids = np.asarray(self.doc_ids, dtype=object)

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @classmethod
    def from_encoded(cls, enc: Encoded) -> "DocumentTermMatrix":
        n_docs, n_terms = len(enc.doc_ids), len(enc.vocab)
        m = sp.csr_matrix((np.ones(len(enc.ids), dtype=np.int64), (enc.doc, enc.ids.astype(np.int64))),
                          shape=(n_docs, n_terms))
        m.sum_duplicates()
        return cls(m, enc.vocab, enc.doc_ids, dict(enc.metadata))

    @classmethod
    def concat(cls, parts: Sequence["DocumentTermMatrix"]) -> "DocumentTermMatrix":
        """Stack the documents of several matrices (batches), merging vocabularies."""
        parts = [p for p in parts]
        if not parts:
            return cls(sp.csr_matrix((0, 0), dtype=np.int64), Vocabulary([], []), np.zeros(0, dtype=object))
        vocab, remaps = Vocabulary.union([p.vocab for p in parts])
        blocks = [_remap_columns(p.matrix, r, len(vocab)) for p, r in zip(parts, remaps)]
        meta = dict(parts[0].metadata)
        models: dict[str, str] = {}
        for p in parts:
            models.update(p.metadata.get("sentence_models", {}))
        if models:
            meta["sentence_models"] = dict(sorted(models.items()))
        if "n_documents" in meta:
            meta["n_documents"] = sum(p.metadata.get("n_documents", 0) for p in parts)
            meta["n_tokens"] = sum(p.metadata.get("n_tokens", 0) for p in parts)
        return cls(sp.vstack(blocks, format="csr"), vocab,
                   np.concatenate([p.doc_ids for p in parts]), meta)

    def select(self, mask: np.ndarray) -> "DocumentTermMatrix":
        """Rows where ``mask`` is True (same vocabulary)."""
        mask = np.asarray(mask, dtype=bool)
        return DocumentTermMatrix(self.matrix[mask], self.vocab, self.doc_ids[mask], dict(self.metadata))

    def term_freq(self) -> np.ndarray:
        return np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.int64)

    def doc_freq(self) -> np.ndarray:
        return np.diff(self.matrix.tocsc().indptr).astype(np.int64)

    def lang_totals(self) -> tuple[np.ndarray, list[str]]:
        """Tokens per document and language: (n_docs × n_langs array, languages)."""
        codes, langs = self.vocab.lang_codes()
        onehot = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (np.arange(len(codes)), codes)),
                               shape=(len(codes), len(langs)))
        return np.asarray((self.matrix @ onehot).todense()).reshape(self.shape[0], len(langs)), langs

    def to_frame(self) -> pd.DataFrame:
        """Tidy counts: doc_id, lang, term, count (nonzero cells only)."""
        coo = self.matrix.tocoo()
        return pd.DataFrame({"doc_id": self.doc_ids[coo.row], "lang": self.vocab.langs[coo.col],
                             "term": self.vocab.terms[coo.col], "count": coo.data.astype(np.int64)})


def _remap_columns(m: sp.csr_matrix, remap: np.ndarray, n_cols: int) -> sp.csr_matrix:
    out = sp.csr_matrix((m.data, remap[m.indices], m.indptr), shape=(m.shape[0], n_cols))
    out.sort_indices()
    return out


def dtm(source, options: TokenOptions = TokenOptions(), lang: str | None = None,
        include_duplicates: bool = False, batch_size: int | None = 5000, backend=None,
        partition_docs: int = PARTITION_DOCS) -> DocumentTermMatrix:
    """Document-term matrix (quanteda's ``dfm``) of a corpus, a corpus folder or tokens.

    Parameters
    ----------
    source : Corpus, path-like, Tokens or DocumentTermMatrix
        A corpus, a corpus folder (read by partitions, never whole), tokens (counted as
        they are) or a matrix (returned as it is).
    options : TokenOptions
        Token options (ignored for Tokens and matrices).
    lang : str, optional
        Only segments in this language.
    include_duplicates : bool
        Count documents marked ``duplicate_of``.
    batch_size : int, optional
        Documents tokenised at a time in this process (bounded token memory; the result
        does not depend on it). None: all at once.
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        Where the counting runs (:func:`framescope.analysis.partitioned.resolve_backend`);
        the matrix is the same on every backend.
    partition_docs : int
        Documents per partition when counting by partitions.

    Returns
    -------
    DocumentTermMatrix
        Rows: documents with tokens, in corpus order (``doc_ids``); columns: the vocabulary
        sorted by (lang, term); ``metadata``: corpus_id, token options and layer version,
        sentence models, ``n_documents``, ``n_tokens``.
    """
    partitioned = by_partitions(source, backend)  # refuses tokens or a matrix with a backend elsewhere
    if isinstance(source, DocumentTermMatrix):
        return source
    if isinstance(source, Tokens):
        return DocumentTermMatrix.from_encoded(encode(source))
    if partitioned:
        m = count_partitions(source, count_dtm, merge_dtm, options=options, lang=lang,
                             include_duplicates=include_duplicates, backend=backend, partition_docs=partition_docs)
        parts = [] if m is None else [m]
        result = m if m is not None else DocumentTermMatrix.concat([])
    else:
        if batch_size is None:
            batch_size = max(1, len(source.documents))
        parts = [DocumentTermMatrix.from_encoded(encode(batch))
                 for batch in iter_tokens(source, options, lang=lang, include_duplicates=include_duplicates,
                                          batch_size=batch_size)]
        result = DocumentTermMatrix.concat(parts)
    if not parts:
        result.metadata = {"corpus_id": metadata(source).corpus_id, "token_options": options.as_dict(),
                           "n_documents": 0, "n_tokens": 0}
    return result


def count_dtm(batch: PartitionBatch) -> DocumentTermMatrix:
    """Document-term matrix of one partition (a count function of
    :func:`framescope.analysis.partitioned.count_partitions`).

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        The partition's tokens (strings or token-store ids).

    Returns
    -------
    DocumentTermMatrix
        Rows: the partition's documents with tokens.
    """
    return DocumentTermMatrix.from_encoded(encode(batch.tokens))


def merge_dtm(parts: list) -> DocumentTermMatrix | None:
    """Partition matrices stacked in corpus order (None entries skipped).

    Parameters
    ----------
    parts : list of DocumentTermMatrix or None
        The partitions' matrices, in corpus order (None: a partition without tokens).

    Returns
    -------
    DocumentTermMatrix or None
        :meth:`DocumentTermMatrix.concat` of the parts; None when every part is None.
    """
    parts = [p for p in parts if p is not None]
    return DocumentTermMatrix.concat(parts) if parts else None


# --- groups -----------------------------------------------------------------------------------

def group_labels(corpus, by) -> pd.Series:
    """Group label per document (index: doc_id) from a metadata column, columns or expression.

    ``by`` is a column of ``corpus.documents`` (e.g. 'alignment', 'outlet'), a list of columns
    (``["alignment", "source_type"]`` → labels like ``pro_damascus/state_media``) or a pandas
    expression over them (e.g. ``"date.dt.year"``). Missing values become the label
    '(missing)' rather than being dropped. ``None``: one group 'all'. Resolved by
    :func:`framescope.analysis.groups.document_groups` (one grouping rule for every
    statistic; a misspelled column gets the closest match in its error). Every document is
    labelled here; the statistics leave duplicates out themselves.

    Parameters
    ----------
    corpus : Corpus
        The corpus whose documents are labelled (its ``documents`` table).
    by : str, list of str or None
        A column, a list of columns or a pandas expression over them (above); None: one
        group "all".

    Returns
    -------
    pandas.Series
        Label per document (object dtype), indexed by doc_id, in corpus order.

    References
    ----------
    See :mod:`framescope.analysis.groups` (one grouping rule, docs/groups.md).
    """
    from framescope.analysis.groups import document_groups

    labels = document_groups(corpus, by, keep_duplicates=True)
    return pd.Series(labels.to_numpy(), index=labels.index.to_numpy(), dtype=object)


#: Columns :func:`with_sizes` adds for a ``group`` column (the group's documents and running
#: words, and the floor flag; docs/columns.md).
GROUP_SIZE_COLUMNS = ["group_docs", "group_tokens", "small_group"]
#: Document columns that the grouping rules read besides ``by`` (duplicates, matched dates).
_GROUPING_COLUMNS = ["doc_id", "date", "duplicate_of"]


def comparison_labels(source, by=None, groups=None, include_duplicates: bool = False,
                      match_dates: bool | str = False, queries: Sequence = ()) -> tuple:
    """The documents of a grouped statistic: (metadata, labels) by the one grouping rule.

    Parameters
    ----------
    source : Corpus or path-like
        A corpus, or a corpus folder (only the metadata columns needed are read).
    by : str, list of str or None
        Grouping column(s) or expression (:func:`framescope.analysis.groups.document_groups`).
    groups : list of str or mapping of str to str, optional
        Labels to keep, or ``{label: query}`` groups.
    include_duplicates : bool
        Keep documents marked ``duplicate_of`` (default: left out).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (undated documents left out).
    queries : sequence of str
        Further pandas queries whose columns the metadata must hold.

    Returns
    -------
    (Corpus, pandas.Series)
        The document metadata and the label of every document taking part (indexed by
        doc_id; ``attrs`` as :func:`framescope.analysis.groups.document_groups`).
    """
    wanted = [by, *queries, *(groups.values() if isinstance(groups, dict) else []), _GROUPING_COLUMNS]
    meta = metadata(source, wanted)
    labels = document_groups(meta, by, groups=groups, keep_duplicates=include_duplicates, match_dates=match_dates)
    return meta, labels


def row_labels(meta, labels: pd.Series) -> np.ndarray:
    """The label of every document row of ``meta`` in order (None where a document takes no part).

    Parameters
    ----------
    meta : Corpus
        Document metadata (:func:`comparison_labels`).
    labels : pandas.Series
        Labels indexed by doc_id.

    Returns
    -------
    numpy.ndarray
        Object array, one label per row of ``meta.documents`` (the ``labels`` of
        :func:`framescope.analysis.partitioned.count_partitions`).
    """
    out = np.array(labels.reindex(meta.documents["doc_id"].to_numpy()).to_numpy(dtype=object), dtype=object)
    out[pd.isna(out)] = None
    return out


def count_document_sizes(batch: PartitionBatch) -> pd.Series:
    """Tokens per document of one partition (a count function of ``count_partitions``).

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        Tokens under :data:`framescope.analysis.groups.SIZE_OPTIONS`.

    Returns
    -------
    pandas.Series
        Token counts (int64) indexed by doc_id.
    """
    toks = batch.tokens
    if isinstance(toks, IdTokens):
        n = np.bincount(np.asarray(toks.sent_doc, dtype=np.int64), weights=np.asarray(toks.sent_len, np.float64),
                        minlength=len(toks.doc_ids))
    else:
        n = [len(t) for t in toks]
    return pd.Series(np.asarray(n, dtype=np.int64), index=pd.Index(list(toks.doc_ids), name="doc_id"))


def merge_document_sizes(parts: list) -> pd.Series | None:
    """Concatenate the per-partition results of :func:`count_document_sizes`.

    Parameters
    ----------
    parts : list of pandas.Series or None
        One per partition.

    Returns
    -------
    pandas.Series or None
        Tokens per document of all partitions (None when there is none).
    """
    parts = [p for p in parts if p is not None]
    return pd.concat(parts) if parts else None


def source_sizes(source, include_duplicates: bool = False, backend=None,
                 partition_docs: int = PARTITION_DOCS) -> pd.Series:
    """:func:`framescope.analysis.groups.document_sizes` of a corpus or of a corpus folder.

    Parameters
    ----------
    source : Corpus or path-like
        A corpus folder is tokenised by partitions (or read from its token store).
    include_duplicates : bool
        Count documents marked as duplicates too.
    backend : None, str, Backend or Session
        Where a folder's partitions are counted.
    partition_docs : int
        Documents per partition.

    Returns
    -------
    pandas.Series
        Tokens (int64; running words, :data:`framescope.analysis.groups.SIZE_OPTIONS`) per doc_id.
    """
    if not by_partitions(source, backend):
        return document_sizes(source, include_duplicates=include_duplicates)
    sizes = count_partitions(source, count_document_sizes, merge_document_sizes, options=SIZE_OPTIONS,
                             include_duplicates=include_duplicates, backend=backend, partition_docs=partition_docs,
                             what="sizes")
    return sizes if sizes is not None else pd.Series([], dtype=np.int64, index=pd.Index([], name="doc_id"))


def with_sizes(table: pd.DataFrame, labels: pd.Series | None, sizes: pd.Series | None,
               columns: Sequence[str] = ("group",), floor: SizeFloor = DEFAULT_FLOOR,
               rest: bool = False) -> pd.DataFrame:
    """``table`` with the documents and tokens of its groups and the floor flag.

    Parameters
    ----------
    table : pandas.DataFrame
        A result with the group label columns ``columns``.
    labels : pandas.Series or None
        Labels of the documents taking part (:func:`comparison_labels`); None (tokens
        without documents) leaves the counts empty.
    sizes : pandas.Series or None
        Tokens per document (:func:`source_sizes`).
    columns : sequence of str
        The columns of ``table`` holding group labels.
    floor : SizeFloor
        The size floor (default 30 documents or 10,000 tokens).
    rest : bool
        Also add ``reference_docs`` and ``reference_tokens``: every other document taking
        part (a group against the rest); a rest under the floor is flagged too.

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``<column>_docs``, ``<column>_tokens`` (Int64), ``small_group`` and the
        size attrs (:func:`framescope.analysis.groups.attach_group_sizes`).
    """
    if labels is None:
        sized = group_sizes(pd.Series([], dtype=object, name="group"), None, floor)
    else:
        sized = group_sizes(labels, sizes, floor)
    out = attach_group_sizes(table, sized, columns)
    if rest and "group" in out.columns:
        docs, toks = sized["n_docs"].sum(), sized["n_tokens"].sum()
        out["reference_docs"] = (docs - out["group_docs"]).astype("Int64")
        out["reference_tokens"] = (toks - out["group_tokens"]).astype("Int64")
        small = (out["reference_docs"] < floor.min_docs) | (out["reference_tokens"] < floor.min_tokens)
        out["small_group"] = out["small_group"] | small.fillna(False).to_numpy(dtype=bool)
        out = out[[c for c in out.columns if c != "small_group"] + ["small_group"]]
    return out


def group_masks(doc_ids: np.ndarray, labels: pd.Series) -> dict[str, np.ndarray]:
    """Boolean row mask per group (sorted labels) for the rows ``doc_ids``.

    Parameters
    ----------
    doc_ids : numpy.ndarray
        Rows of a matrix.
    labels : pandas.Series
        Label per doc_id (:func:`group_labels`).

    Returns
    -------
    dict of str to numpy.ndarray of bool
        One mask per label present among the rows, in sorted label order.
    """
    per_row = labels.reindex(doc_ids).to_numpy()
    return {g: per_row == g for g in sorted(pd.unique(per_row[pd.notna(per_row)]))}


# --- dispersion -------------------------------------------------------------------------------

def dispersion(matrix: sp.csr_matrix, part_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gries' DP and DPnorm of every column over the rows (parts) of ``matrix``.

    With v_i the term's count in part i, f = Σ v_i and s_i = size_i / Σ size the part's
    share of the corpus (Gries 2008):

        DP = ½ Σ_i | v_i / f − s_i |          (0 = even, → 1 = concentrated)
        DPnorm = DP / (1 − min_i s_i)         (Lijffijt & Gries 2012)

    Parts of size 0 are not parts (they are skipped). Vectorised over the non-zero cells:
    a part where the term is absent contributes s_i, so
    ``DP = ½ (1 + Σ_{v_i>0} (|v_i/f − s_i| − s_i))``. A term absent from every part gets NaN;
    DPnorm is NaN when there is a single part.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Parts (documents) × terms counts.
    part_sizes : numpy.ndarray
        Tokens of each part.

    Returns
    -------
    (dp, dp_norm) : tuple of numpy.ndarray
        One value per column.

    References
    ----------
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. *International
    Journal of Corpus Linguistics* 13(4), 403–437. Lijffijt, J. & Gries, S. Th. (2012).
    Correction. *IJCL* 17(1), 147–149.
    """
    sizes = np.asarray(part_sizes, dtype=np.float64)
    keep = sizes > 0
    m = matrix[keep] if not keep.all() else matrix
    sizes = sizes[keep]
    n_terms = matrix.shape[1]
    if sizes.sum() == 0:
        nan = np.full(n_terms, np.nan)
        return nan, nan.copy()
    share = sizes / sizes.sum()
    coo = m.tocoo()
    f = np.bincount(coo.col, weights=coo.data, minlength=n_terms)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = _dp_cells(coo.data, f[coo.col], share[coo.row])
        return _dp_finish(np.bincount(coo.col, weights=contrib, minlength=n_terms), f, share.min())


# The two halves of DP, shared with the partitioned path (GroupSums.dp_cell_sums), which adds the
# same cell values in the same (document) order, partition after partition.

def _dp_cells(counts: np.ndarray, term_totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """|v_i/f − s_i| − s_i for each non-zero cell."""
    return np.abs(counts / term_totals - shares) - shares


def _dp_finish(cell_sums: np.ndarray, term_totals: np.ndarray, min_share: float) -> tuple[np.ndarray, np.ndarray]:
    """DP and DPnorm from the per-term sums of :func:`_dp_cells` (in document order)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = 0.5 * (1.0 + cell_sums)
        dp = np.where(term_totals > 0, dp, np.nan)
        dp = np.clip(dp, 0.0, 1.0)  # rounding can leave ±1e-16
        denom = 1.0 - min_share
        dp_norm = dp / denom if denom > 0 else np.full(len(dp), np.nan)
    return dp, dp_norm


# --- frequencies ------------------------------------------------------------------------------

FREQUENCY_COLUMNS = ["group", "lang", "term", "freq", "per_million", "docs", "doc_share", "size",
                     "n_docs", "dp", "dp_norm"]


def frequencies(source, by: str | None = "source_type", options: TokenOptions = TokenOptions(),
                lang: str | None = None, min_freq: int = 1, include_duplicates: bool = False,
                matrix: DocumentTermMatrix | None = None, backend=None,
                partition_docs: int = PARTITION_DOCS, match_dates: bool | str = False,
                floor: SizeFloor = DEFAULT_FLOOR, sizes: pd.Series | None = None) -> pd.DataFrame:
    """Per-group term frequencies with per-million rates, document frequency and DP (``fs.freq``).

    Parameters
    ----------
    source : Corpus or path-like
        A corpus, or a corpus folder (streamed by partitions in two passes, see below).
    by : str, list of str or None
        Grouping (:func:`group_labels`); None: one group ``all``.
    options : TokenOptions
        How text becomes tokens (default ``TokenOptions()``; see docs/tokens.md).
    lang : str, optional
        Only this language's terms.
    min_freq : int
        Rows with ``freq < min_freq`` are left out.
    include_duplicates : bool
        Count documents marked ``duplicate_of``.
    matrix : DocumentTermMatrix, optional
        :func:`dtm` of the same corpus, to avoid re-tokenising.
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        Where the counting runs (:func:`framescope.analysis.partitioned.resolve_backend`).
        By partitions, pass 1 counts each partition's document-term matrix and sums it
        into per-group term and document frequencies and token counts
        (:class:`GroupSums`), spilling the partition matrices to a temporary folder; pass 2
        adds Gries' DP per-document terms in corpus order, exactly as :func:`dispersion`
        does — the same numbers, bit for bit. Memory: vocabulary-sized sums and one
        partition, not the corpus.
    partition_docs : int
        Documents per partition.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (undated documents left out;
        :func:`framescope.analysis.groups.document_groups`).
    floor : SizeFloor
        Groups under it are flagged (``small_group``).
    sizes : pandas.Series, optional
        Tokens per document (:func:`framescope.analysis.groups.document_sizes`) if already
        computed, to save tokenising the corpus again for the group sizes.

    Returns
    -------
    pandas.DataFrame
        One row per group, language and term, sorted by group, lang, descending freq,
        term: ``group``, ``lang``, ``term``, ``freq`` (occurrences), ``per_million`` (freq /
        size × 10⁶), ``docs`` (documents containing it), ``doc_share`` (docs / n_docs), ``size`` (tokens of
        the group in the language), ``n_docs`` (documents with tokens in the language),
        ``dp`` (Gries' DP, parts = documents), ``dp_norm`` (DP / (1 − smallest part share)),
        ``group_docs``, ``group_tokens`` (the group's documents and running words, the same
        N as every table of the corpus) and ``small_group``.
        ``attrs``: ``by``, corpus_id, token options, sentence models, counts, ``match_dates``
        and the size attrs.

    References
    ----------
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. *International
    Journal of Corpus Linguistics* 13(4), 403–437.
    Lijffijt, J. & Gries, S. Th. (2012). Correction to Stefan Th. Gries' "Dispersions and
    adjusted frequencies in corpora". *International Journal of Corpus Linguistics* 17(1), 147–149.
    """
    meta, labels = comparison_labels(source, by, include_duplicates=include_duplicates, match_dates=match_dates)
    if matrix is None and by_partitions(source, backend):
        table = _partitioned_frequencies(source, by, options, lang, min_freq, include_duplicates, backend,
                                         partition_docs, row_labels(meta, labels), labels.attrs["groups"])
    else:
        table = _frequencies(source, labels, by, options, lang, min_freq, include_duplicates, matrix)
    attrs = dict(table.attrs)
    if sizes is None:
        sizes = source_sizes(source if matrix is None else meta, include_duplicates, backend, partition_docs)
    table = with_sizes(table, labels, sizes, ("group",), floor)
    table.attrs.update({**attrs, "match_dates": match_dates, "shared_periods": labels.attrs.get("shared_periods")})
    return table


def _frequencies(source, labels, by, options, lang, min_freq, include_duplicates, matrix) -> pd.DataFrame:
    """:func:`frequencies` of an in-memory corpus (or a given matrix)."""
    m = matrix if matrix is not None else dtm(source, options, lang=lang, include_duplicates=include_duplicates)
    totals, langs = m.lang_totals()
    frames = []
    for group, mask in group_masks(m.doc_ids, labels).items():
        sub = m.matrix[mask]
        sub_totals = totals[mask]
        for li, lg in enumerate(langs):
            if lang is not None and lg != lang:
                continue
            lo, hi = m.vocab.lang_range(lg)
            part_sizes = sub_totals[:, li]
            size = int(part_sizes.sum())
            if size == 0:
                continue
            block = sub[:, lo:hi]
            freq = np.asarray(block.sum(axis=0)).ravel().astype(np.int64)
            docs = np.diff(block.tocsc().indptr).astype(np.int64)
            dp, dp_norm = dispersion(block, part_sizes)
            n_docs = int((part_sizes > 0).sum())
            frames.append(_frequency_frame(group, lg, m.vocab.terms[lo:hi], freq, docs, size, n_docs,
                                           dp, dp_norm, min_freq))
    return _frequency_table(frames, by, m.metadata)


def _partitioned_frequencies(source, by, options, lang, min_freq, include_duplicates, backend,
                             partition_docs, labels: np.ndarray, group_names: list) -> pd.DataFrame:
    """:func:`frequencies` in two streaming passes over the partitions (see there); documents
    taking no part (label None) are summed into one more group, never reported."""
    group_names = list(group_names)
    codes = pd.Series(np.arange(len(group_names)), index=group_names).reindex(labels)
    codes = codes.fillna(len(group_names)).to_numpy(dtype=np.int64)
    del labels
    with tempfile.TemporaryDirectory(prefix="framescope-freq-") as tmp:
        spilled: list[Path] = []

        def partition_sums():
            results = map_partitions(source, count_dtm_groups, options=options, lang=lang,
                                     include_duplicates=include_duplicates, labels=codes, backend=backend,
                                     partition_docs=partition_docs)
            for k, result in enumerate(results):
                if result is None:
                    continue
                path = Path(tmp) / f"{k}.pickle"
                with open(path, "wb") as fh:
                    pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
                spilled.append(path)
                yield GroupSums.of(*result, len(group_names) + 1)

        sums = fold_tree(partition_sums(), GroupSums.merge)
        if sums is None:
            return _frequency_table([], by, {})
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
            dp, dp_norm = _dp_finish(cell_sums[pos], freq.astype(np.float64), sums.min_size[gi, li] / size)
            frames.append(_frequency_frame(group, lg, sums.vocab.terms[sums.freq.indices[pos]], freq,
                                           sums.docs.data[pos], size, int(sums.n_docs[gi, li]), dp, dp_norm,
                                           min_freq))
    return _frequency_table(frames, by, sums.metadata)


def count_dtm_groups(batch: PartitionBatch) -> tuple[DocumentTermMatrix, np.ndarray]:
    """A partition's document-term matrix and the group code of each of its rows.

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        Its labels are group codes (integers).

    Returns
    -------
    (DocumentTermMatrix, numpy.ndarray)
        The matrix and an int64 group code per row.
    """
    m = count_dtm(batch)
    return m, batch.labels.reindex(m.doc_ids).to_numpy(dtype=np.int64)


@dataclass
class GroupSums:
    """Per-group sums behind term frequencies; exact merge by :meth:`merge` (sums, min).

    Parameters
    ----------
    vocab : Vocabulary
        The columns' terms.
    freq : scipy.sparse.csr_matrix
        Groups × vocabulary: occurrences of each term in each group.
    docs : scipy.sparse.csr_matrix
        Groups × vocabulary: documents of the group containing the term (same sparsity as
        ``freq``).
    langs : list of str
        The languages, the columns of the three arrays below.
    size : numpy.ndarray
        Groups × ``langs``: tokens of the group in each language.
    n_docs : numpy.ndarray
        Groups × ``langs``: documents of the group with at least one token in the language.
    min_size : numpy.ndarray
        Groups × ``langs``: tokens of the smallest such document (for DPnorm).
    metadata : dict
        Provenance (corpus_id, token options, sentence model).
    """

    vocab: Vocabulary
    freq: sp.csr_matrix
    docs: sp.csr_matrix
    langs: list[str]
    size: np.ndarray
    n_docs: np.ndarray
    min_size: np.ndarray
    metadata: dict

    @classmethod
    def of(cls, m: DocumentTermMatrix, codes: np.ndarray, n_groups: int) -> "GroupSums":
        """The sums of one partition's matrix ``m`` whose rows are in groups ``codes``."""
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
        """Exact sum of several partitions' sums (vocabularies merged)."""
        vocab, remaps = Vocabulary.union([p.vocab for p in parts])
        langs = sorted(set().union(*(p.langs for p in parts)))
        n_groups, v = parts[0].freq.shape[0], len(vocab)
        freq = docs = sp.csr_matrix((n_groups, v), dtype=np.int64)
        size = np.zeros((n_groups, len(langs)), dtype=np.int64)
        n_docs = np.zeros_like(size)
        min_size = np.full(size.shape, np.inf)
        for p, r in zip(parts, remaps):
            freq = freq + _remap_columns(p.freq, r, v)
            docs = docs + _remap_columns(p.docs, r, v)
            idx = [langs.index(l) for l in p.langs]
            size[:, idx] += p.size
            n_docs[:, idx] += p.n_docs
            min_size[:, idx] = np.minimum(min_size[:, idx], p.min_size)
        carriers = [DocumentTermMatrix(sp.csr_matrix((0, 0), dtype=np.int64), Vocabulary([], []), [],
                                       p.metadata) for p in parts]  # merge metadata as concat does
        return cls(vocab, _canonical(freq), _canonical(docs), langs, size, n_docs, min_size,
                   DocumentTermMatrix.concat(carriers).metadata)

    def dp_cell_sums(self, spilled: list[Path]) -> np.ndarray:
        """Per non-zero (group, term): the sum of DP's per-document terms over the documents,
        added in corpus order (pass 2 over the spilled partition matrices)."""
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
                np.add.at(sums, pos, _dp_cells(coo.data, totals_f[pos], share))
        return sums


def _canonical(m) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    m.sort_indices()
    return m


def _term_keys(vocab: Vocabulary) -> np.ndarray:
    """One string per (lang, term), for hashing a partition's terms into the merged vocabulary."""
    return np.asarray([f"{l}\x00{t}" for l, t in zip(vocab.langs, vocab.terms)], dtype=object)


# Table assembly, shared by the in-memory and the partitioned paths.

def _frequency_frame(group, lang, terms, freq, docs, size, n_docs, dp, dp_norm, min_freq) -> pd.DataFrame:
    """Rows of one group and language (terms with ``freq >= min_freq``)."""
    keep = freq >= max(1, min_freq)
    return pd.DataFrame({
        "group": group, "lang": lang, "term": terms[keep], "freq": freq[keep],
        "per_million": freq[keep] / size * 1e6, "docs": docs[keep],
        "doc_share": docs[keep] / n_docs, "size": size, "n_docs": n_docs,
        "dp": dp[keep], "dp_norm": dp_norm[keep]})


def _frequency_table(frames: list[pd.DataFrame], by, metadata: dict) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FREQUENCY_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["group", "lang", "freq", "term"], ascending=[True, True, False, True],
                          kind="mergesort").reset_index(drop=True)
    out.attrs.update({"by": by, **metadata})
    return out[FREQUENCY_COLUMNS]
