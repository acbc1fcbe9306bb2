"""Shared analysis steps of the notebooks and ``framescope demo``.

The notebooks and the demo call these functions (and the statistics modules) so that no
analysis lives only in a notebook. Each returns a tidy DataFrame that a function of
:mod:`framescope.analysis.plots` draws.

Counting a large corpus once
    :func:`encode_corpus` tokenises a corpus in batches and keeps only integer arrays
    (:class:`framescope.analysis.counts.Encoded`): SaudiNewsNet is ~6.4M tokens, which as Python
    strings take ~1.4 GB but as ids ~80 MB. :func:`select_documents` cuts it by document,
    so that collocates, dispersion and keyness of several groups reuse one tokenisation.

Functions and their columns

=============================  ======================================================================
function                       columns of the result
=============================  ======================================================================
:func:`composition`            collection, outlet, source_type, lang, documents, duplicates,
                               analysed, words, tokens
:func:`collocates_by`          group and the columns of :func:`framescope.analysis.collocations.collocates`
:func:`term_positions`         group, term, token, doc_id, doc_rank, position, group_tokens,
                               group_docs, rel_position
:func:`term_timeline`          group, period, term, token, freq, size, docs, per_10k
:func:`vocabulary_similarity`  target, group, source_type, (kind), n_docs, n_tokens, small_group,
                               analysed_tokens, cosine, jsd, jsd_equal, jsd_low, jsd_high,
                               sample_tokens, n_terms
:func:`claims_by_attribution`  group, attribution_class, count, total, n_docs, share,
                               share_low, share_high
=============================  ======================================================================
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framescope.analysis.collocations import collocates, node_term
from framescope.analysis.counts import GROUP_SIZE_COLUMNS, comparison_labels, source_sizes, with_sizes
from framescope.analysis.counts import (DocumentTermMatrix, Encoded, Vocabulary, encode, group_labels,
                             group_masks)
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import iter_tokens
from framescope.corpus.errors import FramescopeError

#: Token options of the notebooks and the demo: the defaults (lowercase, stopwords removed,
#: no punctuation) minus numbers and one-letter tokens, which otherwise fill keyness lists
#: with datelines ("26", "1436", the "ت"/"م" of Hijri/Gregorian dates) and topic models
#: with years.
ANALYSIS_OPTIONS = TokenOptions(numbers="drop", min_length=2)

__all__ = ["ANALYSIS_OPTIONS", "Session", "open_session", "group_legend", "encode_corpus", "select_documents", "label_groups", "subset_documents",
           "sample_documents", "doc_mask",
           "composition", "collocates_by", "term_positions", "term_timeline",
           "vocabulary_similarity", "jensen_shannon", "cosine", "claims_by_attribution", "PERIODS"]


# --- one tokenisation, many analyses ---------------------------------------------------------

def _concat_encoded(parts: Sequence[Encoded]) -> Encoded:
    """Join batches of :func:`framescope.analysis.counts.encode` into one (vocabularies merged)."""
    if not parts:
        return Encoded(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64),
                       Vocabulary([], []), np.zeros(0, dtype=object), np.zeros(0, np.int64),
                       np.zeros(0, dtype=object), {})
    if len(parts) == 1:
        return parts[0]
    vocab, remaps = Vocabulary.union([p.vocab for p in parts])
    ids, sent, doc, sent_doc = [], [], [], []
    n_sent = n_doc = 0
    for p, remap in zip(parts, remaps):
        ids.append(remap[p.ids.astype(np.int64)].astype(np.int32))
        sent.append(p.sent + n_sent)
        doc.append(p.doc + n_doc)
        sent_doc.append(p.sent_doc + n_doc)
        n_sent += len(p.sent_doc)
        n_doc += len(p.doc_ids)
    meta = dict(parts[0].metadata)
    models: dict[str, str] = {}
    for p in parts:
        models.update(p.metadata.get("sentence_models", {}))
    meta["sentence_models"] = dict(sorted(models.items()))
    meta["n_documents"] = sum(len(p.doc_ids) for p in parts)
    meta["n_tokens"] = sum(len(p.ids) for p in parts)
    return Encoded(np.concatenate(ids), np.concatenate(sent), np.concatenate(doc), vocab,
                   np.concatenate([p.doc_ids for p in parts]), np.concatenate(sent_doc),
                   np.concatenate([p.sent_lang for p in parts]), meta)


def encode_corpus(corpus, options: TokenOptions = TokenOptions(), lang: str | None = None,
                  include_duplicates: bool = False, batch_size: int = 2000,
                  progress: bool | None = False) -> Encoded:
    """Tokens of ``corpus`` as one :class:`~framescope.analysis.counts.Encoded` (integer ids).

    Tokenised in batches of ``batch_size`` documents (:func:`framescope.analysis.tokens.iter_tokens`),
    each batch encoded and dropped, so peak memory is one batch of strings plus the ids.
    The result equals ``encode(tokens(corpus, options))``.

    Parameters
    ----------
    corpus : Corpus
        The corpus to tokenise (a loaded corpus folder or a subset of one).
    options : TokenOptions, default TokenOptions()
        How text becomes tokens (case, stopwords, numbers, phrases...); recorded in the
        result's ``metadata["token_options"]`` so that later steps count with the same options.
    lang : str, optional
        Tokenise only segments of this language code (``"en"``, ``"ar"``); None: all languages.
    include_duplicates : bool, default False
        Also tokenise documents marked ``duplicate_of`` (left out of statistics by default).
    batch_size : int, default 2000
        Documents per batch; a smaller batch lowers peak memory, a larger one the overhead.
    progress : bool or None, default False
        Show a tqdm bar over the batches: True always, False never, None only when
        standard error is a terminal.

    Returns
    -------
    Encoded
        Token ids, sentence and document indices, the vocabulary and the document ids of
        every tokenised document, with ``metadata`` holding ``corpus_id``, ``token_options``,
        ``n_documents``, ``n_tokens`` and the sentence models used.
    """
    batches = iter_tokens(corpus, options, lang=lang, include_duplicates=include_duplicates,
                          batch_size=batch_size)
    if progress is not False:
        import sys

        from tqdm.auto import tqdm

        n_docs = len(corpus.documents)
        total = -(-n_docs // batch_size)
        batches = tqdm(batches, total=total, unit="batch", desc="tokens", leave=False,
                       disable=(progress is None and not sys.stderr.isatty()))
    enc = _concat_encoded([encode(b) for b in batches])
    enc.metadata.setdefault("corpus_id", corpus.corpus_id)
    enc.metadata["token_options"] = options.as_dict()
    return enc


def select_documents(enc: Encoded, doc_ids: Iterable[str]) -> Encoded:
    """The documents ``doc_ids`` of ``enc`` (in ``enc``'s order), same vocabulary.

    Parameters
    ----------
    enc : Encoded
        Tokens of a corpus, from :func:`encode_corpus`.
    doc_ids : iterable of str
        Document ids to keep; ids that ``enc`` does not hold are ignored.

    Returns
    -------
    Encoded
        The tokens, sentences and documents of the kept documents, renumbered from 0, with
        the vocabulary of ``enc`` unchanged (so term ids stay comparable) and ``metadata``
        counts (``n_documents``, ``n_tokens``) updated.
    """
    wanted = set(doc_ids)
    keep_doc = np.fromiter((d in wanted for d in enc.doc_ids), dtype=bool, count=len(enc.doc_ids))
    new_doc = np.cumsum(keep_doc) - 1
    keep_sent = keep_doc[enc.sent_doc] if len(enc.sent_doc) else np.zeros(0, bool)
    new_sent = np.cumsum(keep_sent) - 1
    keep_tok = keep_doc[enc.doc] if len(enc.doc) else np.zeros(0, bool)
    meta = dict(enc.metadata)
    meta["n_documents"] = int(keep_doc.sum())
    meta["n_tokens"] = int(keep_tok.sum())
    return Encoded(enc.ids[keep_tok], new_sent[enc.sent[keep_tok]], new_doc[enc.doc[keep_tok]], enc.vocab,
                   enc.doc_ids[keep_doc], new_doc[enc.sent_doc[keep_sent]], enc.sent_lang[keep_sent], meta)


def label_groups(corpus, groups: dict[str, str], column: str = "group"):
    """A copy of ``corpus`` with a new document column naming each document's group.

    Any analysis can then group by ``column``. The rules are those of
    :func:`framescope.analysis.topics.assign_groups`: a document matching no query gets a
    null label, one matching two is an error.

    Parameters
    ----------
    corpus : Corpus
        The corpus whose documents are labelled; it is not changed.
    groups : dict of str to str
        Group label → pandas query on document metadata, e.g.
        ``{"state agency (was)": "outlet == 'was'",
        "press": "collection == 'saudinewsnet' and outlet != 'was'"}``.
    column : str, default "group"
        Name of the new column; it must not exist in ``corpus.documents`` already.

    Returns
    -------
    Corpus
        The same corpus (segments, manifest) whose ``documents`` table has the extra column.
    """
    from framescope.analysis.topics import assign_groups

    if column in corpus.documents.columns:
        raise FramescopeError(f"the corpus already has a column {column!r}")
    labels = assign_groups(corpus, None, groups)
    return dataclasses.replace(corpus, documents=corpus.documents.assign(**{column: labels.to_numpy()}))


def subset_documents(corpus, doc_ids: Iterable[str], note: str = "selected documents"):
    """The documents ``doc_ids`` of ``corpus`` (corpus order) with their segments.

    Parameters
    ----------
    corpus : Corpus
        The corpus to cut.
    doc_ids : iterable of str
        Ids of the documents to keep; ids not in the corpus are ignored.
    note : str, default "selected documents"
        How the subset was made, appended to the manifest's ``subset`` list so that every
        output made from it says which documents it covers.

    Returns
    -------
    Corpus
        A new corpus with the kept documents, their segments and the extended manifest.
    """
    wanted = set(doc_ids)
    docs = corpus.documents[corpus.documents["doc_id"].isin(wanted)].reset_index(drop=True)
    segs = corpus.segments[corpus.segments["doc_id"].isin(wanted)].reset_index(drop=True)
    manifest = dict(corpus.manifest)
    manifest["subset"] = [*manifest.get("subset", []), note]
    return dataclasses.replace(corpus, documents=docs, segments=segs, manifest=manifest)


def sample_documents(corpus, n: int, seed: int = 0, keep: str | None = None):
    """All documents matching ``keep`` plus a seeded random sample of ``n`` of the others.

    For analyses too slow for a whole collection (topic models of SaudiNewsNet in the
    demo): a group kept whole (the state agency) is compared with a random sample of the
    rest, which keeps group means unbiased; the sample is recorded in the manifest.

    Parameters
    ----------
    corpus : Corpus
        The corpus to sample from.
    n : int
        How many of the documents not matching ``keep`` to draw (without replacement);
        all of them if there are fewer.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same sample.
    keep : str, optional
        Pandas query on document metadata of the documents kept whole (e.g.
        ``"outlet == 'was'"``); None keeps none.

    Returns
    -------
    Corpus
        The kept and sampled documents in corpus order (:func:`subset_documents`), with the
        query, sample size and seed noted in the manifest.
    """
    kept = set(corpus.subset(keep).documents["doc_id"]) if keep else set()
    others = corpus.documents.loc[~corpus.documents["doc_id"].isin(kept), "doc_id"].to_numpy()
    rng = np.random.default_rng(seed)
    pick = others if len(others) <= n else others[np.sort(rng.choice(len(others), size=n, replace=False))]
    return subset_documents(corpus, kept | set(pick), f"sample: all of ({keep}) + {min(n, len(others))} others, seed {seed}")


def _ordered_groups(labels: pd.Series, groups: Sequence[str] | None) -> list[str]:
    present = [g for g in pd.unique(labels.dropna()) if g is not None]
    if groups is None:
        return sorted(present)
    missing = [g for g in groups if g not in set(present)]
    if missing:
        raise FramescopeError(f"no documents in group {missing[0]!r} (groups: {', '.join(map(str, sorted(present)))})")
    return list(groups)


def doc_mask(doc_ids: np.ndarray, corpus, query: str | None) -> np.ndarray:
    """Boolean mask over ``doc_ids``: the documents of ``corpus`` matching ``query``.

    A set lookup: ``np.isin`` on object arrays of ~30k ids takes ~30 s.

    Parameters
    ----------
    doc_ids : numpy.ndarray
        Document ids, e.g. the rows of a document-term matrix.
    corpus : Corpus
        The corpus whose documents are tested.
    query : str or None
        Pandas query on document metadata (``Corpus.subset``); None: every document of
        ``corpus``.

    Returns
    -------
    numpy.ndarray of bool
        One value per entry of ``doc_ids``: True where that document is in ``corpus`` and
        matches ``query``.
    """
    wanted = set(corpus.subset(query).documents["doc_id"])
    return np.fromiter((d in wanted for d in doc_ids), dtype=bool, count=len(doc_ids))


class Session:
    """One corpus tokenised once, shared by the analyses of a notebook or the demo.

    ``Session.open(path)`` loads a built corpus; ``encoded`` (all tokens as ids, made
    on first use by :func:`encode_corpus`) and ``matrix`` (its document-term matrix)
    are computed once; :meth:`encoded_for` cuts the tokens of a subset.

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus of the session.
    options : TokenOptions, default ANALYSIS_OPTIONS
        Token options of every analysis of the session (:data:`ANALYSIS_OPTIONS`: numbers
        and one-letter tokens dropped).
    progress : bool or None, default None
        Progress bar while tokenising (None: only when standard error is a terminal).
    """

    def __init__(self, corpus, options: TokenOptions = ANALYSIS_OPTIONS, progress: bool | None = None):
        self.corpus = corpus
        self.options = options
        self.progress = progress
        self._encoded: Encoded | None = None
        self._matrix: DocumentTermMatrix | None = None

    @classmethod
    def open(cls, path, options: TokenOptions = ANALYSIS_OPTIONS, progress: bool | None = None) -> "Session":
        """Load the corpus folder ``path`` (:func:`framescope.corpus.store.load`) as a session.

        Parameters
        ----------
        path : str or path-like
            A corpus folder written by ``framescope build``.
        options : TokenOptions, default ANALYSIS_OPTIONS
            Token options of every analysis of the session.
        progress : bool or None, default None
            Progress bar while tokenising (None: only on a terminal).

        Returns
        -------
        Session
            A session on the loaded corpus; nothing is tokenised yet.
        """
        from framescope.corpus.store import load

        return cls(load(path), options, progress)

    @property
    def encoded(self) -> Encoded:
        """All tokens of the corpus as integer ids (:func:`encode_corpus`), made on first use."""
        if self._encoded is None:
            self._encoded = encode_corpus(self.corpus, self.options, progress=self.progress)
        return self._encoded

    @property
    def matrix(self) -> DocumentTermMatrix:
        """The document-term matrix of :attr:`encoded`, made on first use."""
        if self._matrix is None:
            self._matrix = DocumentTermMatrix.from_encoded(self.encoded)
        return self._matrix

    def subset(self, query: str | None):
        """The documents of the session's corpus matching the pandas query ``query``.

        Parameters
        ----------
        query : str or None
            Pandas query on document metadata; None: the whole corpus.

        Returns
        -------
        Corpus
            The matching documents with their segments.
        """
        return self.corpus.subset(query)

    def encoded_for(self, corpus) -> Encoded:
        """The tokens of the documents of ``corpus`` (a subset of the session's corpus).

        Parameters
        ----------
        corpus : Corpus
            A subset of the session's corpus (e.g. from :meth:`subset`).

        Returns
        -------
        Encoded
            Its documents' tokens, cut from the session's tokens without re-tokenising.
        """
        return select_documents(self.encoded, corpus.documents["doc_id"])


#: Sessions opened by :func:`open_session` in this process: {(folder, options): (manifest stamp, Session)}.
_SESSIONS: dict = {}


def open_session(path, build_if_missing: bool = False, options: TokenOptions = ANALYSIS_OPTIONS,
                 progress: bool | None = None) -> Session:
    """The :class:`Session` of the corpus folder ``path``, shared by every caller in this process.

    Each notebook starts with ``session = report.open_session(CORPUS, BUILD_IF_MISSING)``.
    In Jupyter a notebook is its own process, so this is ``Session.open``; in
    ``framescope demo``, which runs the eight notebooks in one process, the corpus is
    loaded, its tokens read from the token store and the document-term matrix made once,
    not once per notebook. The shared session is dropped when the folder's
    ``manifest.json`` changes (the corpus was rebuilt) or ``options`` differ.

    Parameters
    ----------
    path : str or path-like
        A corpus folder written by ``framescope build``.
    build_if_missing : bool
        Build the default corpus (seeds + FA-KES + SaudiNewsNet) into ``path`` when it is
        absent (:func:`framescope.corpus.build.ensure_default_corpus`).
    options : TokenOptions
        Token options of every analysis of the session (default :data:`ANALYSIS_OPTIONS`).
    progress : bool or None
        Progress bar while tokenising (None: only on a terminal).

    Returns
    -------
    Session
        The shared session of ``path``: a new one when the folder was not opened before in
        this process, was rebuilt since, or is opened with other ``options``.
    """
    from pathlib import Path

    from framescope.corpus.build import ensure_default_corpus
    from framescope.corpus.store import load

    folder = Path(path).resolve()
    manifest = folder / "manifest.json"
    key = (str(folder), options)
    if manifest.is_file() and key in _SESSIONS:
        stamp, session = _SESSIONS[key]
        if stamp == (manifest.stat().st_mtime_ns, manifest.stat().st_size):
            return session
    corpus = ensure_default_corpus(folder) if build_if_missing else load(folder)
    session = Session(corpus, options, progress)
    _SESSIONS.clear()  # one corpus at a time: the tokens of SaudiNewsNet are ~100 MB of ids
    _SESSIONS[key] = ((manifest.stat().st_mtime_ns, manifest.stat().st_size), session)
    return session


def group_legend(corpus, column: str, groups: Sequence[str] | None = None) -> dict:
    """Size of each group of the document column ``column``, for the legends of comparison figures.

    Duplicates are left out. The result is what ``n_docs=`` of
    :func:`framescope.analysis.plots.plot_collocates` expects.

    Parameters
    ----------
    corpus : Corpus
        The compared corpus.
    column : str
        Document column (or expression) that defines the groups, as in
        :func:`framescope.analysis.groups.document_groups`.
    groups : sequence of str, optional
        Only these groups (an error if one has no documents); None: every group.

    Returns
    -------
    dict
        ``{group: (documents, running words, small_group)}``; ``small_group`` is True for a
        group under :data:`framescope.analysis.groups.DEFAULT_FLOOR`.
    """
    from framescope.analysis.framing.groupstats import document_sizes
    from framescope.analysis.groups import document_groups, group_sizes

    labels = document_groups(corpus, column, groups=list(groups) if groups is not None else None)
    return {r.group: (r.n_docs, r.n_tokens, bool(r.small_group))
            for r in group_sizes(labels, document_sizes(corpus)).itertuples()}


# --- corpus composition ----------------------------------------------------------------------

def composition(corpus, matrix: DocumentTermMatrix | None = None) -> pd.DataFrame:
    """Documents, words and analysed tokens per collection, outlet, source type and language.

    Parameters
    ----------
    corpus : Corpus
        The corpus to describe.
    matrix : DocumentTermMatrix, optional
        Its document-term matrix; without it ``analysed`` and ``tokens`` are 0.

    Returns
    -------
    pandas.DataFrame
        One row per (collection, outlet, source_type, lang), sorted by collection, then by
        documents (most first). ``documents``: all documents; ``duplicates``: those marked
        ``duplicate_of`` (kept in the corpus, left out of statistics); ``analysed``:
        documents with tokens in ``matrix``; ``words``: whitespace-separated words of the
        analysable text (all documents); ``tokens``: tokens counted by the analyses (after the
        token options of ``matrix``, so without stopwords and punctuation by default);
        ``running_words``: running words of the documents analysed, duplicates left out
        (:func:`framescope.analysis.groups.document_sizes`, the ``n_tokens`` of every group
        size, so the same group has the same size here as in every comparison).
        ``lang`` is the document's main language. ``attrs`` holds ``corpus_id`` and
        ``token_options``.
    """
    docs = corpus.documents
    words = docs["text"].fillna("").str.split().str.len().astype(np.int64)
    tokens = pd.Series(0, index=docs["doc_id"], dtype=np.int64)
    analysed = pd.Series(False, index=docs["doc_id"])
    if matrix is not None:
        per_doc = pd.Series(np.asarray(matrix.matrix.sum(axis=1)).ravel().astype(np.int64), index=matrix.doc_ids)
        per_doc = per_doc.groupby(level=0).sum()
        tokens = per_doc.reindex(docs["doc_id"], fill_value=0)
        analysed = tokens > 0
    # The N of every comparison table and figure (analysis.groups.document_sizes: running
    # words of the documents taking part, duplicates left out), so a group has one size.
    from framescope.analysis.groups import document_sizes

    running = document_sizes(corpus).reindex(docs["doc_id"].to_numpy(), fill_value=0)
    running[docs["duplicate_of"].notna().to_numpy()] = 0
    frame = pd.DataFrame({
        "collection": docs["collection"].to_numpy(), "outlet": docs["outlet"].fillna("(none)").to_numpy(),
        "source_type": docs["source_type"].fillna("unknown").to_numpy(),
        "lang": docs["lang"].fillna("und").to_numpy(), "documents": 1,
        "duplicates": docs["duplicate_of"].notna().to_numpy().astype(np.int64),
        "analysed": analysed.to_numpy().astype(np.int64), "words": words.to_numpy(),
        "tokens": tokens.to_numpy(), "running_words": running.to_numpy().astype(np.int64)})
    keys = ["collection", "outlet", "source_type", "lang"]
    out = frame.groupby(keys, sort=True, dropna=False).sum().reset_index()
    out = out.sort_values(["collection", "documents", "outlet"], ascending=[True, False, True],
                          kind="mergesort").reset_index(drop=True)
    out.attrs.update({"corpus_id": corpus.corpus_id,
                      "token_options": (matrix.metadata.get("token_options") if matrix is not None else None)})
    return out


# --- collocates of several groups from one tokenisation ---------------------------------------

def collocates_by(corpus, enc: Encoded, node: str, by: str = "source_type", groups: Sequence[str] | None = None,
                  **kwargs) -> pd.DataFrame:
    """Collocates of ``node`` for each group of ``by``, computed on ``enc`` instead of re-tokenising.

    Gives the same rows as :func:`framescope.analysis.collocations.collocates` with
    ``by=by`` made with the options ``enc`` was encoded with (each group's counts are its
    own: ``n`` = the group's tokens). A group where the node does not occur has no rows.

    Parameters
    ----------
    corpus : Corpus
        The corpus that ``enc`` was made from (for the group of each document).
    enc : Encoded
        Its tokens, from :func:`encode_corpus` (or :attr:`Session.encoded`).
    node : str
        The node word or phrase.
    by : str, default "source_type"
        Document column or expression that defines the groups
        (:func:`framescope.analysis.counts.group_labels`).
    groups : sequence of str, optional
        Only these groups, in this order (an error if one has no documents); None: every
        group, sorted.
    **kwargs
        Passed to :func:`framescope.analysis.collocations.collocates` (``span``,
        ``min_freq``, ``measure``, ...).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`framescope.analysis.collocations.collocates` plus ``group``;
        ``attrs`` adds ``by``, the groups found and ``corpus_id``.
    """
    labels = group_labels(corpus, by)
    frames, found = [], []
    options = TokenOptions.from_dict(enc.metadata["token_options"]) if "token_options" in enc.metadata else TokenOptions()
    for g in _ordered_groups(labels, groups):
        sub = select_documents(enc, labels.index[labels.to_numpy() == g])
        try:
            table = collocates(sub, node, by=None, options=options, **kwargs)
        except FramescopeError as exc:
            if "does not occur" in str(exc):
                continue
            raise
        table["group"] = g
        frames.append(table)
        found.append(g)
    if not frames:
        return pd.DataFrame(columns=["group", "lang", "node", "collocate", "o11", "f_node", "f_collocate", "n",
                                     "window", "expected", "logdice", "pmi", "mi3", "g2", "t_score"])
    out = pd.concat(frames, ignore_index=True)
    attrs = {k: v for k, v in frames[0].attrs.items() if k not in ("group_sizes", "small_groups", "excluded")}
    attrs.update({"by": by, "groups": found, "corpus_id": enc.metadata.get("corpus_id"),
                  # the node's own forms left out of any group (collocations.node_variants)
                  "node_variants": sorted({v for f in frames for v in f.attrs.get("node_variants", [])})})
    out = with_sizes(out.drop(columns=GROUP_SIZE_COLUMNS), comparison_labels(corpus, by)[1], source_sizes(corpus))
    out.attrs.update(attrs)
    return out


# --- dispersion: where terms occur -------------------------------------------------------------

def _document_order(corpus, doc_ids: np.ndarray) -> np.ndarray:
    """Positions of ``doc_ids`` sorted by date (undated last), then doc_id."""
    dates = corpus.documents.set_index("doc_id")["date"].reindex(doc_ids)
    frame = pd.DataFrame({"date": dates.to_numpy(), "doc_id": doc_ids})
    return frame.sort_values(["date", "doc_id"], na_position="last", kind="mergesort").index.to_numpy()


def _year_starts(corpus, doc_ids: np.ndarray, offsets: np.ndarray) -> dict:
    """Where each year begins in a group's sequence (documents in date order) and its first and
    last year, for the date marks of a dispersion plot; {} when no document is dated."""
    years = corpus.documents.set_index("doc_id")["date"].reindex(doc_ids).dt.year.to_numpy()
    dated = ~np.isnan(years.astype(float))
    if not dated.any():
        return {}
    years, offsets = years[dated].astype(int), offsets[dated]
    first = np.r_[True, years[1:] != years[:-1]]
    return {"years": {str(y): int(o) for y, o in zip(years[first], offsets[first])},
            "first_year": int(years[0]), "last_year": int(years[-1])}


def term_positions(corpus, terms: Sequence[str], by: str = "outlet", lang: str | None = None,
                   running: Encoded | None = None) -> pd.DataFrame:
    """Every occurrence of ``terms`` as an offset in its group's running words.

    The documents of each group of ``by`` (duplicates left out, as in every comparison) are
    laid end to end in date order (undated last, ties by doc_id). Offsets are counted in
    running words: the tokens of :data:`framescope.analysis.groups.SIZE_OPTIONS` (words and
    numbers, stopwords kept, punctuation dropped), the unit of every group size, so a
    group's stretch of text is exactly its ``n_tokens`` in every other table and figure
    (:func:`framescope.analysis.groups.document_sizes`), and a term's rate per 10,000 is on
    the same denominator. This is the data of a lexical dispersion plot
    (:func:`framescope.analysis.plots.plot_dispersion`).

    Parameters
    ----------
    corpus : Corpus
        The documents to place.
    terms : sequence of str
        Single words to locate, as the user writes them (turned into their token by the
        running-word options: lowercased, Arabic normalised and its article split off).
    by : str, default "outlet"
        Document column or expression that defines the groups
        (:func:`framescope.analysis.groups.document_groups`).
    lang : str, optional
        Language of non-Arabic terms (default English; Arabic script is always Arabic).
    running : Encoded, optional
        The running words of ``corpus`` (:func:`encode_corpus` with ``SIZE_OPTIONS``), if
        already made; default: made here (read from the corpus's token store when it has one).

    Returns
    -------
    pandas.DataFrame
        One row per occurrence, sorted by group, term and position: group, term, token,
        doc_id, ``doc_rank`` (the document's place in the sequence), ``position`` (running
        words before it in the sequence), ``group_tokens`` (the group's running words, its
        ``n_tokens``), ``group_docs`` (its documents, ``n_docs``) and ``rel_position`` =
        position / group_tokens (0 … 1). ``attrs['groups']`` holds every group's sizes, also
        of groups without any occurrence, with ``years`` (where each year's first document
        starts), ``first_year`` and ``last_year`` when its documents are dated;
        ``attrs['unit']`` is ``"running words"``.

    Raises
    ------
    FramescopeError
        For a term of several words, or ``running`` made with other token options.
    """
    from framescope.analysis.groups import SIZE_OPTIONS, document_groups, document_sizes, group_sizes

    if isinstance(terms, (str, Encoded)):
        raise FramescopeError("term_positions(corpus, terms, by=...): terms is a list of words (positions are "
                              "counted in running words; no Encoded is needed)")
    if running is None:
        running = encode_corpus(corpus, SIZE_OPTIONS)
    elif running.metadata.get("token_options") != SIZE_OPTIONS.as_dict():
        raise FramescopeError("term_positions: running must be made with analysis.groups.SIZE_OPTIONS "
                              "(encode_corpus(corpus, SIZE_OPTIONS))")
    labels = document_groups(corpus, by)
    sizes = group_sizes(labels, document_sizes(corpus)).set_index("group")
    wanted = []
    for term in terms:
        if len(str(term).split()) > 1:
            raise FramescopeError(f"term_positions: {term!r} is several words; dispersion locates single words")
        key, tok, _ = node_term(term, SIZE_OPTIONS, lang)
        wanted.append((term, tok, running.vocab.index(key, tok)))
    doc_len = np.bincount(running.doc, minlength=len(running.doc_ids)).astype(np.int64)
    doc_start = np.concatenate([[0], np.cumsum(doc_len)[:-1]]) if len(doc_len) else doc_len
    doc_group = labels.reindex(running.doc_ids).to_numpy()
    frames, out_sizes = [], {}
    for g in sizes.index:
        members = np.flatnonzero(doc_group == g)
        order = members[_document_order(corpus, running.doc_ids[members])]
        rank = np.empty(len(running.doc_ids), dtype=np.int64)
        rank[order] = np.arange(len(order))
        offset = np.zeros(len(running.doc_ids), dtype=np.int64)
        offset[order] = np.concatenate([[0], np.cumsum(doc_len[order])[:-1]]) if len(order) else []
        total, n_docs = int(sizes.loc[g, "n_tokens"]), int(sizes.loc[g, "n_docs"])
        if int(doc_len[order].sum()) != total:  # one N: the stretch laid out is the group's size
            raise FramescopeError(f"term_positions: group {g!r} has {int(doc_len[order].sum()):,} running words "
                                  f"in the tokens given but {total:,} in its size")
        out_sizes[g] = {"group_tokens": total, "group_docs": n_docs, **_year_starts(corpus, running.doc_ids[order],
                                                                                   offset[order])}
        for term, tok, tid in wanted:
            if tid < 0:
                continue
            hits = np.flatnonzero(running.ids == tid)
            hits = hits[doc_group[running.doc[hits]] == g]
            d = running.doc[hits]
            pos = offset[d] + (hits - doc_start[d])
            frames.append(pd.DataFrame({"group": g, "term": term, "token": tok, "doc_id": running.doc_ids[d],
                                        "doc_rank": rank[d], "position": pos, "group_tokens": total,
                                        "group_docs": n_docs}))
    cols = ["group", "term", "token", "doc_id", "doc_rank", "position", "group_tokens", "group_docs", "rel_position"]
    if frames:
        out = pd.concat(frames, ignore_index=True)
        out["rel_position"] = out["position"] / out["group_tokens"]
        out = out.sort_values(["group", "term", "position"], kind="mergesort").reset_index(drop=True)[cols]
    else:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out.attrs.update({"by": by, "terms": list(terms), "groups": out_sizes, "unit": "running words",
                      "token_options": SIZE_OPTIONS.as_dict(), "corpus_id": corpus.corpus_id,
                      "excluded": dict(labels.attrs.get("excluded", {}))})
    return out


# --- frequency over time -------------------------------------------------------------------------

#: Period codes of :func:`term_timeline` (pandas Period frequencies).
PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}


def term_timeline(corpus, matrix: DocumentTermMatrix, terms: Sequence[str], by: str = "source_type",
                  period: str = "month", options: TokenOptions | None = None,
                  lang: str | None = None) -> pd.DataFrame:
    """Frequency of ``terms`` per group and period, per 10,000 tokens of the term's language.

    Only documents of ``corpus`` count (``matrix`` may be that of a larger corpus).
    Undated documents cannot be placed: their number (among the analysed documents) is in
    ``attrs['undated_documents']``.

    Parameters
    ----------
    corpus : Corpus
        The documents to count.
    matrix : DocumentTermMatrix
        Document-term matrix of ``corpus`` or of a corpus containing it.
    terms : sequence of str
        Words or phrases to count, as the user writes them.
    by : str, default "source_type"
        Document column or expression that defines the groups.
    period : {"year", "quarter", "month", "week", "day"}, default "month"
        Length of a period (:data:`PERIODS`).
    options : TokenOptions, optional
        The options ``matrix`` was made with (default: read from its metadata).
    lang : str, optional
        Language of non-Arabic terms (default English).

    Returns
    -------
    pandas.DataFrame
        One row per (group, period, term) for every period in which the group has tokens in
        the term's language, zero counts included so that lines do not skip quiet periods:
        group, period (its start), term, token, ``freq``, ``size`` (the group's tokens in
        that period and language), ``docs`` (documents containing the term) and
        ``per_10k`` = freq / size × 10,000.
    """
    if period not in PERIODS:
        raise FramescopeError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    if options is None:
        options = TokenOptions.from_dict(matrix.metadata.get("token_options", {}))
    in_corpus = doc_mask(matrix.doc_ids, corpus, None)  # the matrix may hold more documents
    labels = group_labels(corpus, by).reindex(matrix.doc_ids)
    dates = corpus.documents.set_index("doc_id")["date"].reindex(matrix.doc_ids)
    dated = dates.notna().to_numpy() & in_corpus
    periods = dates.dt.to_period(PERIODS[period]).dt.start_time
    totals, langs = matrix.lang_totals()
    frames = []
    for term in terms:
        key, tok, opts = node_term(term, options, lang)
        tid = matrix.vocab.index(key, tok)
        if key not in langs:
            continue
        size = totals[:, langs.index(key)]
        freq = (np.asarray(matrix.matrix[:, tid].todense()).ravel() if tid >= 0
                else np.zeros(len(matrix.doc_ids), dtype=np.int64))
        frame = pd.DataFrame({"group": labels.to_numpy(), "period": periods.to_numpy(), "freq": freq,
                              "size": size, "docs": (freq > 0).astype(np.int64)})[dated & (size > 0)]
        agg = frame.groupby(["group", "period"], sort=True).sum().reset_index()
        agg.insert(2, "term", term)
        agg.insert(3, "token", tok)
        frames.append(agg)
    cols = ["group", "period", "term", "token", "freq", "size", "docs", "per_10k"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(frames, ignore_index=True)
    out["per_10k"] = out["freq"] / out["size"] * 1e4
    out = out.sort_values(["term", "group", "period"], kind="mergesort").reset_index(drop=True)[cols]
    out.attrs.update({"by": by, "period": period, "undated_documents": int((in_corpus & ~dated).sum()),
                      "corpus_id": matrix.metadata.get("corpus_id")})
    return out


# --- how close is one set of documents to each group --------------------------------------------

def jensen_shannon(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen–Shannon divergence (base 2, 0 … 1) between rows of ``p`` and ``q``.

    JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = ½ (P + Q), with 0·log 0 = 0 (Lin 1991).

    Parameters
    ----------
    p : numpy.ndarray
        Probability distributions, one per row (each row sums to 1); a 1-D array is one row.
    q : numpy.ndarray
        Distributions of the same shape as ``p``, compared row by row.

    Returns
    -------
    numpy.ndarray
        One divergence per row: 0 for identical distributions, 1 for disjoint ones.

    References
    ----------
    .. [1] Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE
       Transactions on Information Theory* 37(1), 145–151.
    """
    p, q = np.atleast_2d(p).astype(np.float64), np.atleast_2d(q).astype(np.float64)
    m = 0.5 * (p + q)

    def kl(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 0, a * np.log2(np.where(a > 0, a, 1.0) / np.where(b > 0, b, 1.0)), 0.0).sum(axis=1)

    return np.clip(0.5 * kl(p, m) + 0.5 * kl(q, m), 0.0, 1.0)


def cosine(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Cosine similarity between rows of ``p`` and ``q``.

    Parameters
    ----------
    p : numpy.ndarray
        Vectors, one per row; a 1-D array is one row.
    q : numpy.ndarray
        Vectors of the same shape as ``p``, compared row by row.

    Returns
    -------
    numpy.ndarray
        One similarity per row (1 = same direction; 0 for non-negative vectors with no term
        in common); NaN where a row is all zeros.
    """
    p, q = np.atleast_2d(p).astype(np.float64), np.atleast_2d(q).astype(np.float64)
    num = (p * q).sum(axis=1)
    den = np.sqrt((p * p).sum(axis=1) * (q * q).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _profile(rows: sp.csr_matrix, weights: np.ndarray | None = None) -> np.ndarray:
    counts = np.asarray(rows.sum(axis=0)).ravel() if weights is None else np.asarray(weights @ rows).ravel()
    total = counts.sum()
    return counts / total if total > 0 else counts


def vocabulary_similarity(corpus, matrix: DocumentTermMatrix, target: str, by: str = "outlet",
                          lang: str = "en", n_terms: int = 1000, min_tokens: int = 1500,
                          sample_tokens: int | None = None, per_document: bool = False,
                          n_boot: int = 200, ci: float = 0.95, seed: int = 0, kind=None,
                          target_label: str | None = None) -> pd.DataFrame:
    """How close the vocabulary of the ``target`` documents is to each group of ``by``.

    The shared vocabulary is the ``n_terms`` most frequent ``lang`` terms over all compared
    documents (target + groups; ties by term). Each side becomes a relative-frequency
    profile over it. The plug-in Jensen–Shannon divergence grows as a profile gets sparser,
    so a group with fewer tokens looks farther away; ``jsd_equal`` compares equal-size
    samples of every group instead (rarefaction), and groups should be ranked by it.

    Parameters
    ----------
    corpus : Corpus
        The corpus holding the target and the groups.
    matrix : DocumentTermMatrix
        Document-term matrix of ``corpus`` (or of a corpus containing it).
    target : str
        Pandas query on document metadata selecting the target documents; they are left out
        of every group.
    by : str, default "outlet"
        Document column or expression that defines the groups.
    lang : str, default "en"
        Only tokens of this language are compared.
    n_terms : int, default 1000
        Size of the shared vocabulary.
    min_tokens : int, default 1500
        Groups with fewer ``lang`` tokens are not compared (listed in ``attrs['too_small']``).
    sample_tokens : int, optional
        Tokens per equal-size sample; default: the tokens of the smallest compared group.
    per_document : bool, default False
        Also compare each target document on its own (``target`` = its doc_id; the pooled
        target is ``'all'``).
    n_boot : int, default 200
        Number of equal-size samples per group; 0 skips them (``jsd_equal`` and its interval
        are NaN).
    ci : float, default 0.95
        Coverage of the percentile interval ``jsd_low`` … ``jsd_high`` (between 0 and 1).
    seed : int, default 0
        Seed of the samples (one child ``SeedSequence`` per group); the same seed gives the
        same table.
    kind : str or pandas.Series, optional
        What each group is, for colours: a document column (``"source_type"``) or a label
        per document (a Series indexed by doc_id, e.g. the stance-and-ownership design of
        :func:`framescope.analysis.groups.document_groups`; categorical: its categories give
        the legend order, ``attrs['kind_order']``); the group's most common value goes to the
        column ``kind``. None: no ``kind`` column.
    target_label : str, optional
        Name of the target in figures (``attrs['target_label']``; default the query).

    Returns
    -------
    pandas.DataFrame
        One row per (target, group), sorted by target ('all' first), then ascending
        ``jsd_equal``: target, group, source_type (the group's most common), ``kind`` (with
        ``kind=``), ``n_docs`` and ``n_tokens`` (the group's documents and running words,
        duplicates left out: the N of every table, :func:`framescope.analysis.groups.group_sizes`),
        ``small_group``, ``analysed_tokens`` (its tokens in ``matrix``, stopwords removed:
        what the profiles and samples are made of), ``cosine`` (cosine similarity of the
        two profiles, 1 = same shape), ``jsd`` (Jensen–Shannon divergence, base 2, 0 =
        identical, 1 = disjoint, from all of the group's tokens), ``jsd_equal`` (median JSD
        over ``n_boot`` samples of the group, documents drawn with replacement until
        ``sample_tokens`` analysed tokens; the target is not resampled), ``jsd_low`` and
        ``jsd_high`` (its percentile interval), ``sample_tokens`` and ``n_terms``. ``attrs``
        add ``target_docs``, ``target_tokens`` (running words), ``target_analysed_tokens``
        and ``target_label``.

    References
    ----------
    .. [1] Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE
       Transactions on Information Theory* 37(1), 145–151.
    """
    from framescope.analysis.groups import DEFAULT_FLOOR, document_groups, document_sizes, group_sizes

    target_ids = set(corpus.subset(target).documents["doc_id"])
    if not target_ids:
        raise FramescopeError(f"no document matches the target query {target!r}")
    if not 0 < ci < 1:
        raise FramescopeError(f"ci must be between 0 and 1, not {ci}")
    lo, hi = matrix.vocab.lang_range(lang)
    if hi <= lo:
        raise FramescopeError(f"no {lang!r} tokens in the matrix")
    block = matrix.matrix[:, lo:hi].tocsr()
    is_target = pd.Index(matrix.doc_ids).isin(list(target_ids))
    # the one grouping rule (duplicates left out) and the one N (running words) of every table
    grouped = document_groups(corpus, by)
    grouped = grouped[~grouped.index.isin(list(target_ids))]
    running = document_sizes(corpus)
    sizes = group_sizes(grouped, running).set_index("group")
    labels = grouped.reindex(matrix.doc_ids)
    doc_tokens = np.asarray(block.sum(axis=1)).ravel()
    has_tokens = doc_tokens > 0
    if not (is_target & has_tokens).any():
        raise FramescopeError(f"the target documents have no {lang!r} tokens")
    masks = {g: m & ~is_target & has_tokens for g, m in group_masks(matrix.doc_ids, labels).items()}
    too_small = {g: int(doc_tokens[m].sum()) for g, m in masks.items() if 0 < doc_tokens[m].sum() < min_tokens}
    masks = {g: m for g, m in masks.items() if doc_tokens[m].sum() >= max(1, min_tokens)}
    if not masks:
        raise FramescopeError(f"no group outside the target has {min_tokens} {lang!r} tokens")
    compared = is_target | np.logical_or.reduce(list(masks.values()))
    freq = np.asarray(block[compared].sum(axis=0)).ravel()
    terms = matrix.vocab.terms[lo:hi]
    order = np.lexsort((terms, -freq))
    keep = order[:n_terms][freq[order[:n_terms]] > 0]
    sub = block[:, keep].tocsr()
    if sample_tokens is None:
        sample_tokens = int(min(doc_tokens[m].sum() for m in masks.values()))
    targets = {"all": is_target & has_tokens}
    if per_document:
        for i in np.flatnonzero(is_target & has_tokens):
            targets[str(matrix.doc_ids[i])] = np.arange(len(is_target)) == i
    source_types = corpus.documents.set_index("doc_id")["source_type"].reindex(matrix.doc_ids)
    if kind is None:
        kinds = None
    elif isinstance(kind, pd.Series):
        kinds = kind.reindex(matrix.doc_ids)
    else:
        kinds = document_groups(corpus, kind, keep_duplicates=True).reindex(matrix.doc_ids)
    # the same equal-size samples of a group serve every target: draw them once
    samples = {}
    for (g, gmask), child in zip(masks.items(), np.random.SeedSequence(seed).spawn(len(masks))):
        rows = np.flatnonzero(gmask)
        if n_boot <= 0:
            samples[g] = None
            continue
        rng = np.random.default_rng(child)
        weights = np.zeros((n_boot, len(rows)))
        lengths = doc_tokens[rows]
        draws_needed = int(np.ceil(sample_tokens / max(lengths.min(), 1))) + 1
        for r in range(n_boot):
            draw = rng.integers(0, len(rows), size=min(draws_needed, 50 * len(rows) + sample_tokens))
            cut = int(np.searchsorted(np.cumsum(lengths[draw]), sample_tokens)) + 1
            np.add.at(weights[r], draw[:cut], 1.0)
        reps = np.asarray(weights @ sub[rows].toarray())
        samples[g] = reps / reps.sum(axis=1, keepdims=True)
    alpha = (1 - ci) / 2
    rows_out = []
    for tname, tmask in targets.items():
        p = _profile(sub[tmask])
        for g, gmask in masks.items():
            q = _profile(sub[gmask])
            reps = samples[g]
            if reps is not None:
                jsds = jensen_shannon(np.broadcast_to(p, reps.shape), reps)
                med, low, high = np.percentile(jsds, [50, 100 * alpha, 100 * (1 - alpha)])
            else:
                med = low = high = np.nan
            st = source_types[gmask].value_counts()
            row = {"target": tname, "group": g, "source_type": st.index[0] if len(st) else None}
            if kinds is not None:
                kd = kinds[gmask].value_counts()
                row["kind"] = kd.index[0] if len(kd) else None
            rows_out.append({**row, "n_docs": int(sizes.loc[g, "n_docs"]), "n_tokens": int(sizes.loc[g, "n_tokens"]),
                             "small_group": bool(sizes.loc[g, "small_group"]),
                             "analysed_tokens": int(doc_tokens[gmask].sum()),
                             "cosine": float(cosine(p, q)[0]), "jsd": float(jensen_shannon(p, q)[0]),
                             "jsd_equal": med, "jsd_low": low, "jsd_high": high,
                             "sample_tokens": sample_tokens, "n_terms": len(keep)})
    out = pd.DataFrame(rows_out)
    out["_t"] = out["target"] != "all"
    out = (out.sort_values(["_t", "target", "jsd_equal", "jsd", "group"], kind="mergesort")
           .drop(columns="_t").reset_index(drop=True))
    in_target = [d for d in corpus.documents["doc_id"] if d in target_ids]
    target_docs = corpus.documents["doc_id"].isin(target_ids) & corpus.documents["duplicate_of"].isna()
    out.attrs.update({"target": target, "by": by, "lang": lang, "n_terms": len(keep), "n_boot": n_boot,
                      "ci": ci, "seed": seed, "min_tokens": min_tokens, "too_small": too_small,
                      "sample_tokens": sample_tokens, "corpus_id": matrix.metadata.get("corpus_id"),
                      "target_label": target_label or target, "target_docs": int(target_docs.sum()),
                      "target_tokens": int(running.reindex(in_target).fillna(0).sum()),
                      "target_analysed_tokens": int(doc_tokens[is_target & has_tokens].sum()),
                      "target_small": bool(target_docs.sum() < DEFAULT_FLOOR.min_docs
                                           or running.reindex(in_target).fillna(0).sum() < DEFAULT_FLOOR.min_tokens),
                      "kind": kind if isinstance(kind, str) else (getattr(kind, "name", None) or
                                                                  ("design" if kind is not None else None)),
                      # a categorical kind keeps its order (the design's), for the legend
                      "kind_order": ([str(k) for k in kind.cat.categories] if isinstance(kind, pd.Series)
                                     and isinstance(kind.dtype, pd.CategoricalDtype) else None)})
    return out


# --- framing: who is credited for casualty figures -------------------------------------------

def claims_by_attribution(claims: pd.DataFrame, corpus, by: str = "source_type", n_boot: int = 1000,
                          ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Share of each group's casualty claims credited to each attribution class.

    A claim that is part of another (``subset_of``: "including four children") is not
    counted again.

    Parameters
    ----------
    claims : pandas.DataFrame
        Rows of :func:`framescope.analysis.framing.claims`; the group of a claim is that of
        its document.
    corpus : Corpus
        The corpus the claims were found in (for each document's group).
    by : str, default "source_type"
        Document column or expression that defines the groups.
    n_boot : int, default 1000
        Bootstrap resamples of each group's documents that hold claims.
    ci : float, default 0.95
        Coverage of the percentile interval ``share_low`` … ``share_high``.
    seed : int, default 0
        Seed; group k draws from ``SeedSequence([seed, k])``.

    Returns
    -------
    pandas.DataFrame
        One row per (group, attribution_class): ``count``, ``total`` (the group's claims),
        ``n_docs`` (documents with claims), ``share`` = count / total, and ``share_low`` /
        ``share_high``, a percentile interval resampling the group's documents
        (:func:`framescope.analysis.framing.groupstats.bootstrap_ratio`). Empty when there
        are no claims.
    """
    from framescope.analysis.framing.claims import ATTRIBUTION_CLASSES
    from framescope.analysis.framing.groupstats import bootstrap_ratio, check_bootstrap_args

    check_bootstrap_args(n_boot, ci)
    cols = ["group", "attribution_class", "count", "total", "n_docs", "share", "share_low", "share_high"]
    if "subset_of" in claims:
        # "including four children" is part of its total's claim, not a second claim
        claims = claims[claims["subset_of"].isna()]
    if claims.empty:
        return pd.DataFrame(columns=cols)
    labels = group_labels(corpus, by)
    doc_ids = pd.unique(claims["doc_id"])
    pos = {d: i for i, d in enumerate(doc_ids)}
    classes = list(ATTRIBUTION_CLASSES) + sorted(set(claims["attribution_class"]) - set(ATTRIBUTION_CLASSES))
    counts = np.zeros((len(doc_ids), len(classes)))
    np.add.at(counts, (claims["doc_id"].map(pos).to_numpy(),
                       claims["attribution_class"].map({c: i for i, c in enumerate(classes)}).to_numpy()), 1)
    groups = labels.reindex(doc_ids).fillna("(missing)").to_numpy()
    frames = []
    for k, g in enumerate(sorted(set(groups))):
        c = counts[groups == g]
        share, lo, hi = bootstrap_ratio(c, c.sum(axis=1), n_boot, ci, np.random.SeedSequence([seed, k]))
        frames.append(pd.DataFrame({"group": g, "attribution_class": classes, "count": c.sum(axis=0).astype(np.int64),
                                    "total": int(c.sum()), "n_docs": int(len(c)), "share": share,
                                    "share_low": lo, "share_high": hi}))
    out = pd.concat(frames, ignore_index=True)[cols]
    out.attrs.update({"by": by, "n_boot": n_boot, "ci": ci, "seed": seed,
                      "corpus_id": getattr(corpus, "corpus_id", None)})
    return out
