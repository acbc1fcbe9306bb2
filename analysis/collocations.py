"""Collocations: n-gram frequencies, bigram association measures and window collocates.

All counting is vectorised on the integer id arrays of :func:`framescope.analysis.counts.encode`;
n-grams and windows never cross a sentence (hence never a document) boundary. Counts
come as sparse tables that merge by summation (batches, workers, Dask).

Bigram association (:func:`bigram_collocations`) reproduces NLTK's
``BigramCollocationFinder.from_documents(sentences)`` with ``BigramAssocMeasures``:
marginals are the unigram frequencies of w1 and w2, N the number of tokens, and the
2×2 table is built from them as in NLTK (``n_oi = f(w2) − f(w1 w2)``, …).

Window collocates (:func:`collocates`) of a node, columns (glossary: ``docs/columns.md``):

group, lang, node, collocate
    the group label, the node's language, the node as given, the collocate token
o11
    co-occurrences: collocate tokens inside the node's windows (a token in the
    windows of two node occurrences counts twice)
f_node
    node frequency in the group
f_collocate
    collocate frequency in the group
n
    tokens of the group in the node's language
window
    R1 = number of token positions inside all the node's windows (spans cut at
    sentence boundaries; the node itself excluded)
expected
    E11 = R1 × f_collocate / n — the count expected if the collocate were spread
    evenly over the corpus (Evert 2008, §3; Brezina 2018, ch. 3 with the
    window size taken from the actual, sentence-clipped windows)
logdice
    14 + log₂(2·o11 / (f_node + f_collocate)) (Rychlý 2008)
pmi
    log₂(o11 / E11) (Church & Hanks 1990)
mi3
    log₂(o11³ / E11) (Daille 1994)
g2
    signed log-likelihood of the table [[o11, R1−o11], [f_coll−o11, n−R1−f_coll+o11]]
    (cells below zero, possible when windows overlap, are clipped to 0); > 0
    when o11 > E11
t_score
    (o11 − E11) / √o11

The node's own forms are not its collocates (:func:`node_variants`): a row whose collocate
is the node token itself (the node again inside its own window: 'coalition … the
coalition'), the node with proclitics the token rules left on (Arabic: و ف ب ك ل and the
article, after :func:`framescope.corpus.text.normalize_arabic`: والتحالف، للتحالف for
تحالف) or, for languages with a Snowball stemmer, a regular inflection of the node
(terrorist for terrorists: same Snowball stem and the same base once -s, -es, -ies, -ed,
-ing or 's is taken off) is left out of the table. Its co-occurrences still fill window
positions (R1), so every other row is the same as with the rule off; the forms left out
are listed in ``attrs['node_variants']``, and ``keep_node=True`` keeps them.

Spans are measured in tokens after the token options (``span_unit="tokens"``, the
default): with stopwords removed, ±5 tokens reach about ±9 running words of English
text (FA-KES: 1.88 running words per token) and ±7 of Arabic (SaudiNewsNet sample:
1.33). ``span_unit="running_words"`` measures the span in running words (the tokens the
same options give with stopword removal switched off): a token is in the window when
it lies within ``left``/``right`` running words of the node, stopwords included in the
distance but never counted as collocates. Counts (o11, f_node, f_collocate, n, R1) are
of tokens after stopword removal in both units.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framescope.analysis.counts import (PARTITION_DOCS, Encoded, Vocabulary, comparison_labels, encode, row_labels,
                                        source_sizes, with_sizes)
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor
from framescope.analysis import measures as am
from framescope.analysis.partitioned import (PartitionBatch, by_partitions, count_partitions,
                                             segment_languages)
from framescope.analysis.token_options import PHRASE_JOINER, TokenOptions
from framescope.analysis.token_sentences import lang_key, prepare_text
from framescope.analysis.token_words import filter_tokens, raw_tokens
from framescope.analysis.tokens import iter_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.memory import release_free_memory, small_pages
from framescope.corpus.parallel import thread_map
from framescope.corpus.text import dominant_script

__all__ = ["node_variants", "BIGRAM_MEASURES", "COLLOCATE_COLUMNS", "SPAN_UNITS", "running_positions", "BigramCounts", "bigram_counts", "score_bigrams",
           "bigram_collocations", "bigram_group_counts", "bigram_table", "ngram_counts", "ngrams",
           "window_counts", "WindowCounts", "collocate_counts", "collocate_table", "collocates",
           "collocate_profiles", "node_term", "count_windows", "merge_windows", "count_bigrams", "merge_bigrams",
           "count_ngrams", "merge_ngrams", "window_sides", "WINDOW_MEASURES", "running_options", "encode_running"]

#: Scores are rounded to this many decimals for ordering only, so that ties computed with
#: different rounding (e.g. 1e-13 apart) are ordered by the words, identically everywhere.
SORT_DECIMALS = 9
_SCORE_BLOCK = 1 << 17  # bigrams scored at a time, per thread (bounds the temporaries of the measures)

#: Bigram measures: output column → NLTK BigramAssocMeasures method it reproduces.
BIGRAM_MEASURES = {"g2": "likelihood_ratio", "pmi": "pmi", "chi2": "chi_sq", "t_score": "student_t",
                   "dice": "dice", "phi_sq": "phi_sq", "poisson_stirling": "poisson_stirling",
                   "jaccard": "jaccard", "mi_like": "mi_like", "raw_freq": "raw_freq"}

#: The columns of :func:`collocates`, in order (module docstring; ``docs/columns.md``).
COLLOCATE_COLUMNS = ["group", "lang", "node", "collocate", "o11", "f_node", "f_collocate", "n",
                     "window", "expected", "logdice", "pmi", "mi3", "g2", "t_score"]


#: Units of a collocation span: tokens after the token options, or running words.
SPAN_UNITS = ("tokens", "running_words")


# --- encoded input ---------------------------------------------------------------------------

def running_options(options: TokenOptions) -> TokenOptions:
    """The token options of the running words: ``options`` without stopword removal.

    Parameters
    ----------
    options : TokenOptions
        The token options of the statistic.

    Returns
    -------
    TokenOptions
        The same options with stopwords kept (no stopword list, no extra stopwords).
    """
    return dataclasses.replace(options, stopwords=False, extra_stopwords=())


def running_positions(toks, running) -> np.ndarray:
    """Place of every token of ``toks`` among the running words of its sentence.

    ``running`` are the same documents tokenised with :func:`running_options` (stopwords
    kept). Stopword removal only drops tokens, so each sentence of ``toks`` is a
    subsequence of its running sentence; tokens are matched left to right. With the
    default options the match is exact (a removed stopword never has the form of a kept
    token); with stemming or Arabic proclitic stripping, a removed stopword whose stem
    equals the next kept token's shifts that token's place earlier by the words between.
    Returns int32, in the order of :func:`framescope.analysis.counts.encode`.

    Parameters
    ----------
    toks, running : Tokens
        The same documents with and without stopword removal.

    Returns
    -------
    numpy.ndarray
        int32, one entry per token of ``toks``: its index among the running words of its
        sentence.

    Raises
    ------
    FramescopeError
        The two tokenisations hold different documents or sentences.
    """
    if list(toks.doc_ids) != list(running.doc_ids):
        raise FramescopeError("running words: the two tokenisations hold different documents")
    out: list[int] = []
    for kept_doc, run_doc in zip(toks.docs, running.docs):
        if len(kept_doc) != len(run_doc):
            raise FramescopeError("running words: the two tokenisations split sentences differently")
        for kept, run in zip(kept_doc, run_doc):
            j, n_kept = 0, len(kept)
            for i, word in enumerate(run):
                if j < n_kept and word == kept[j]:
                    out.append(i)
                    j += 1
            if j != n_kept:
                raise FramescopeError(f"running words: token {kept[j]!r} not found among the running words")
    return np.asarray(out, dtype=np.int32)


def _encoded_batches(source, options: TokenOptions, lang, include_duplicates, batch_size,
                     span_unit: str = "tokens"):
    """Encoded batches of a Corpus, or the single Encoded / Tokens given; with
    ``span_unit="running_words"`` (a Corpus only) each carries its running positions."""
    if isinstance(source, Encoded):
        if span_unit == "running_words" and source.position is None:
            raise FramescopeError("running-word spans need a corpus (or an Encoded with positions)")
        yield source
        return
    from framescope.analysis.tokens import Tokens
    if isinstance(source, Tokens):
        if span_unit == "running_words":
            raise FramescopeError("running-word spans need a corpus, not Tokens")
        yield encode(source)
        return
    batches = iter_tokens(source, options, lang=lang, include_duplicates=include_duplicates,
                          batch_size=batch_size)
    if span_unit != "running_words":
        yield from map(encode, batches)
        return
    runs = iter_tokens(source, running_options(options), lang=lang, include_duplicates=include_duplicates,
                       batch_size=batch_size)
    for batch, run in zip(batches, runs):
        yield encode_running(batch, run)


def encode_running(toks, running) -> Encoded:
    """:func:`framescope.analysis.counts.encode` of ``toks`` with the running positions of its tokens.

    Parameters
    ----------
    toks, running : Tokens
        As :func:`running_positions`.

    Returns
    -------
    Encoded
        With ``position`` set.
    """
    enc = encode(toks)
    enc.position = running_positions(toks, running)
    return enc


def _doc_groups(enc: Encoded, labels: pd.Series | None, group_index: dict[str, int]) -> np.ndarray:
    """Group code per document of ``enc`` (−1: not in any requested group)."""
    if labels is None:
        return np.zeros(len(enc.doc_ids), dtype=np.int64)
    per_doc = labels.reindex(enc.doc_ids).to_numpy()
    return np.array([group_index.get(g, -1) for g in per_doc], dtype=np.int64)


# --- bigrams ---------------------------------------------------------------------------------

@dataclass
class BigramCounts:
    """Exact counts behind bigram association, mergeable by :meth:`merge`.

    Arrays rather than a V×V matrix: a few bytes per distinct pair.

    Parameters
    ----------
    w1, w2 : numpy.ndarray
        Every distinct adjacent pair (inside a sentence) as vocabulary ids, sorted by
        (w1, w2).
    freq : numpy.ndarray
        The count of each pair, f(w1 w2).
    unigrams : numpy.ndarray
        f(w) per vocabulary id.
    vocab : Vocabulary
        The vocabulary the ids index.
    metadata : dict
        Provenance of the tokens (corpus_id, token options, sentence model).
    """

    w1: np.ndarray
    w2: np.ndarray
    freq: np.ndarray
    unigrams: np.ndarray
    vocab: Vocabulary
    metadata: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.unigrams.sum())

    @classmethod
    def merge(cls, parts: list["BigramCounts"]) -> "BigramCounts":
        """Sum the counts of several batches (vocabularies merged, ids remapped)."""
        vocab, remaps = Vocabulary.union([p.vocab for p in parts])
        v = len(vocab)
        uni = np.zeros(v, dtype=np.int64)
        for p, r in zip(parts, remaps):
            np.add.at(uni, r, p.unigrams)
        left = np.concatenate([r[p.w1] for p, r in zip(parts, remaps)])
        right = np.concatenate([r[p.w2] for p, r in zip(parts, remaps)])
        weights = np.concatenate([p.freq for p in parts])
        w1, w2, freq = _count_pairs(left, right, v, weights)
        return cls(w1, w2, freq, uni, vocab, dict(parts[0].metadata) if parts else {})

    def language(self, lang: str) -> "BigramCounts":
        """The counts of one language, with its own vocabulary slice (pairs never mix
        languages: they are adjacent inside one sentence)."""
        lo, hi = self.vocab.lang_range(lang)
        keep = (self.w1 >= lo) & (self.w1 < hi)
        return BigramCounts((self.w1[keep] - lo).astype(np.int32), (self.w2[keep] - lo).astype(np.int32),
                            self.freq[keep], self.unigrams[lo:hi],
                            Vocabulary(self.vocab.langs[lo:hi], self.vocab.terms[lo:hi]), dict(self.metadata))


def _count_pairs(left: np.ndarray, right: np.ndarray, v: int, weights: np.ndarray | None = None):
    """Distinct (left, right) pairs sorted by (left, right), with their summed weights
    (merging batches; see :func:`_count_adjacent` for counting tokens)."""
    code = left.astype(np.int64) * v + right
    order = np.argsort(code, kind="stable")
    code = code[order]
    weights = np.ones(len(code), dtype=np.int64) if weights is None else weights[order]
    del order
    if not len(code):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    freq = np.add.reduceat(weights, starts).astype(np.int64)
    ucode = code[starts]
    return (ucode // v).astype(np.int32), (ucode % v).astype(np.int32), freq


def _count_adjacent(ids: np.ndarray, same: np.ndarray, v: int):
    """Distinct adjacent pairs (ids[k], ids[k+1]) where ``same[k]``, with their counts.

    Pairs are coded as one int64 (w1 × v + w2), sorted in place and run-length counted;
    each step frees what it no longer needs, so the peak stays near three arrays of the
    number of pairs (this is the memory-critical step on large corpora).
    """
    left = ids[:-1][same]
    code = left.astype(np.int64)
    del left
    code *= v
    code += ids[1:][same]
    code.sort()
    if not len(code):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    new = np.empty(len(code), dtype=bool)
    new[0] = True
    np.not_equal(code[1:], code[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    del new
    ucode = code[starts]
    n_pairs = len(code)
    del code
    freq = np.diff(starts, append=n_pairs).astype(np.int64)
    del starts
    w1 = (ucode // v).astype(np.int32)
    ucode %= v
    return w1, ucode.astype(np.int32), freq


def bigram_counts(enc: Encoded, token_mask: np.ndarray | None = None) -> BigramCounts:
    """Unigram and adjacent-pair counts of ``enc`` (optionally only tokens in ``token_mask``;
    the mask must select whole sentences).

    Parameters
    ----------
    enc : Encoded
        Integer-encoded tokens (:func:`framescope.analysis.counts.encode`).
    token_mask : numpy.ndarray of bool, optional
        Count only these tokens (whole sentences); default all.

    Returns
    -------
    BigramCounts
        Pair and unigram counts keyed by ``enc.vocab``.
    """
    ids, sent = enc.ids, enc.sent
    v = len(enc.vocab)
    with small_pages():
        if token_mask is not None:
            ids, sent = ids[token_mask], sent[token_mask]
        uni = np.bincount(ids, minlength=v).astype(np.int64)
        w1, w2, freq = _count_adjacent(ids, sent[1:] == sent[:-1], v)
        release_free_memory()  # the sort's temporaries, before the caller's next step
    return BigramCounts(w1, w2, freq, uni, enc.vocab, dict(enc.metadata))


def _rank_order(neg_score: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Order by ``neg_score``, ties by (r, c): ``np.lexsort((c, r, neg_score))``.

    Pairs are counted sorted by (r, c), so a stable sort on the score alone gives the
    same order at half the cost; other input falls back to the three-key sort.
    """
    if len(r) > 1:
        step_r = np.diff(r)
        in_order = bool(np.all((step_r > 0) | ((step_r == 0) & (c[1:] > c[:-1]))))
        del step_r
    else:
        in_order = True
    if not in_order:
        return np.lexsort((c, r, neg_score))
    if len(neg_score) < 2:
        return np.arange(len(neg_score))
    # an unstable (vectorised) sort, then each run of equal scores put back in input order:
    # the order of a stable sort, at about 2/3 of its time on millions of bigrams
    order = np.argsort(neg_score)
    run = np.empty(len(order), dtype=bool)
    run[0] = True
    sorted_score = neg_score[order]
    np.not_equal(sorted_score[1:], sorted_score[:-1], out=run[1:])
    del sorted_score
    key = np.cumsum(run, dtype=np.int64)
    del run
    key *= len(order)
    key += order
    del order
    key.sort()
    key %= len(neg_score)
    return key


def score_bigrams(counts: BigramCounts, min_freq: int = 1, measures: tuple[str, ...] | None = None,
                  sort_by: str | None = None) -> pd.DataFrame:
    """Every bigram's counts and association scores (``measures``, default all of
    :data:`BIGRAM_MEASURES`), ordered by descending ``sort_by`` if given.

    Ties (scores equal to :data:`SORT_DECIMALS` decimals) are ordered by w1, then w2, as
    NLTK's ``score_ngrams`` does; this uses the vocabulary ids, which sort like the terms.

    Columns: lang, w1, w2 (categorical), o11, f_w1, f_w2, n, then the measures. Formulas
    are NLTK's (Manning & Schütze 1999, ch. 5), vectorised over the 2×2 table
    n_ii = f(w1 w2), n_io = f(w1) − n_ii, n_oi = f(w2) − n_ii, n_oo = N − n_ii − n_io − n_oi,
    expected = row total × column total / N. Cells are built one at a time so that only a
    few arrays of the size of the bigram list are alive at once.

    Parameters
    ----------
    counts : BigramCounts
        The pair and unigram counts (one language: N is their total).
    min_freq : int
        Pairs seen fewer times are left out.
    measures : tuple of str, optional
        Columns to compute (default: every measure).
    sort_by : str, optional
        Order by this measure (descending).

    Returns
    -------
    pandas.DataFrame
        ``lang``, ``w1``, ``w2``, ``o11``, ``f_w1``, ``f_w2``, ``n``, then the measures.

    References
    ----------
    Manning, C. D. & Schütze, H. (1999). *Foundations of Statistical Natural Language
    Processing*, ch. 5. MIT Press.
    """
    unknown = sorted(set(measures or ()) - set(BIGRAM_MEASURES))
    if unknown:
        raise FramescopeError(f"unknown measure {unknown[0]!r} ({', '.join(BIGRAM_MEASURES)})")
    wanted = list(measures) if measures is not None else list(BIGRAM_MEASURES)
    if sort_by is not None and sort_by not in wanted:
        raise FramescopeError(f"cannot sort by {sort_by!r}: not among the measures computed")
    with small_pages():
        return _score_bigrams(counts, min_freq, wanted, sort_by)


def _score_bigrams(counts: BigramCounts, min_freq: int, wanted: list[str], sort_by: str | None) -> pd.DataFrame:
    if min_freq <= 1:
        r, c, freq = counts.w1, counts.w2, counts.freq  # no copy of the (possibly huge) lists
    else:
        keep = counts.freq >= min_freq
        r, c, freq = counts.w1[keep], counts.w2[keep], counts.freq[keep]
        del keep
    n_xx = float(counts.n)
    uni = counts.unigrams.astype(np.float64)
    # Each formula reads the rows of one block (``sl``): the measures are computed block by
    # block into one output array, so the temporaries are a block's, not the list's.
    # Elementwise, hence the same values as over the whole list at once.

    def marginals(sl):
        return freq[sl].astype(np.float64), uni[r[sl]], uni[c[sl]]

    def cells(sl):
        n_ii, n_ix, n_xi = marginals(sl)
        n_io, n_oi = n_ix - n_ii, n_xi - n_ii
        return n_ii, n_io, n_oi, n_xx - n_ii - n_io - n_oi

    def expected(sl):
        n_ii, n_ix, n_xi = marginals(sl)
        return n_ii, n_ix * n_xi / n_xx

    # every measure from framescope.analysis.measures (NLTK's formulas, Manning & Schütze 1999)
    blockwise = {"g2": lambda sl: am.g2_cells(*cells(sl)), "pmi": lambda sl: am.pmi(*expected(sl)),
                 "chi2": lambda sl: n_xx * am.phi_sq(*cells(sl)),
                 "t_score": lambda sl: am.t_score(*expected(sl)),
                 "dice": lambda sl: am.dice(*marginals(sl)), "phi_sq": lambda sl: am.phi_sq(*cells(sl)),
                 "poisson_stirling": lambda sl: am.poisson_stirling(*expected(sl)),
                 "jaccard": lambda sl: am.jaccard(*cells(sl)[:3]),
                 "mi_like": lambda sl: am.mi_like(*marginals(sl)), "raw_freq": lambda sl: freq[sl] / n_xx}

    def evaluate(name):
        out = np.empty(len(freq), dtype=np.float64)

        def fill(sl):
            with np.errstate(divide="ignore", invalid="ignore"):  # per thread
                out[sl] = blockwise[name](sl)

        # blocks on a few threads (numpy releases the GIL), each into its own rows
        for _ in thread_map(fill, (slice(start, start + _SCORE_BLOCK)
                                   for start in range(0, len(freq), _SCORE_BLOCK))):
            pass
        return out

    formulas = {name: functools.partial(evaluate, name) for name in blockwise}
    with np.errstate(divide="ignore", invalid="ignore"):
        scores: dict[str, np.ndarray] = {}
        if sort_by is not None:
            key = formulas[sort_by]()
            rounded = np.round(key, SORT_DECIMALS)
            np.negative(rounded, out=rounded)
            order = _rank_order(rounded, r, c)
            del rounded
            scores[sort_by] = key[order]
            del key
            r, c, freq = r[order], c[order], freq[order]
            del order
            release_free_memory()  # the ranking's temporaries, before the columns are built
        for name in wanted:
            if name not in scores:
                scores[name] = formulas[name]()
    # categorical columns over the vocabulary: one small integer per row instead of a
    # string object (millions of rows); values, comparisons and CSV output are the same
    terms = pd.Index(counts.vocab.terms, dtype=object)
    lang_codes, lang_names = counts.vocab.lang_codes()
    columns = {
        "lang": pd.Categorical.from_codes(lang_codes.astype(np.int16)[r],
                                          categories=pd.Index(lang_names, dtype=object)),
        "w1": pd.Categorical.from_codes(r, categories=terms),
        "w2": pd.Categorical.from_codes(c, categories=terms),
        "o11": freq.astype(np.int64, copy=False),
        "f_w1": counts.unigrams[r], "f_w2": counts.unigrams[c],
        "n": np.full(len(freq), int(n_xx), dtype=np.int64)}
    columns.update((name, scores[name]) for name in wanted)
    return pd.DataFrame(columns, copy=False)


def bigram_collocations(source, by: str | None = None, measure: str = "g2",
                        options: TokenOptions = TokenOptions(), lang: str | None = None,
                        min_freq: int = 3, include_duplicates: bool = False,
                        batch_size: int = 5000, backend=None, partition_docs: int = PARTITION_DOCS,
                        match_dates: bool | str = False, floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """Bigram collocations per group, scored by every measure, sorted by ``measure``.

    Counts are made per batch (or partition) of documents and merged exactly; the scores
    reproduce NLTK's ``BigramAssocMeasures`` (module docstring), each language against its
    own token count.

    Parameters
    ----------
    source : Corpus, path-like, Tokens or Encoded
        A corpus (``by`` groups its documents), a corpus folder (counted by partitions), or
        tokens (one group ``all``).
    by : str, list of str or None
        Grouping (:func:`framescope.analysis.counts.group_labels`); None: one group ``all``.
    measure : str
        The column rows are sorted by, one of :data:`BIGRAM_MEASURES`.
    options : TokenOptions
        How text becomes tokens (default ``TokenOptions()``; see docs/tokens.md).
    lang : str, optional
        Only this language.
    min_freq : int
        Bigrams seen fewer times in a group are left out.
    include_duplicates : bool
        Count documents marked ``duplicate_of`` too (default False: they are left out).
    batch_size : int
        Documents tokenised at a time in this process.
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        Where the counting runs (:func:`framescope.analysis.partitioned.resolve_backend`);
        the table is the same on every backend.
    partition_docs : int
        Documents per partition when counting by partitions.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (undated documents left out;
        :func:`framescope.analysis.groups.document_groups`).
    floor : SizeFloor
        Groups under it are flagged (``small_group``).

    Returns
    -------
    pandas.DataFrame
        ``group``, ``lang``, ``w1``, ``w2``, ``ngram`` ("w1 w2"), ``o11`` (f(w1 w2), the observed co-occurrence),
        ``f_w1``, ``f_w2``, ``n`` (tokens of the group in the language), then every measure
        of :data:`BIGRAM_MEASURES` (``g2``, ``pmi``, ``chi2``, ``t_score``, ``dice``,
        ``phi_sq``, ``poisson_stirling``, ``jaccard``, ``mi_like``, ``raw_freq``), then
        ``group_docs``, ``group_tokens`` (the group's documents and running words, the same
        N as every table of the corpus) and ``small_group``; groups in sorted order, rows
        by descending ``measure`` (ties by w1, w2).

    References
    ----------
    Manning, C. D. & Schütze, H. (1999). *Foundations of Statistical Natural Language
    Processing*, ch. 5. MIT Press. Bird, S., Klein, E. & Loper, E. (2009). *Natural
    Language Processing with Python* (NLTK). O'Reilly.
    """
    if measure not in BIGRAM_MEASURES:
        raise FramescopeError(f"unknown measure {measure!r} ({', '.join(BIGRAM_MEASURES)})")
    labels, group_names, meta = _labels_for(source, by, include_duplicates, match_dates)
    if by_partitions(source, backend):
        per_group = count_partitions(source, count_bigrams, merge_bigrams, (tuple(group_names),), options=options,
                                     lang=lang, include_duplicates=include_duplicates,
                                     labels=row_labels(meta, labels), backend=backend,
                                     partition_docs=partition_docs, what="bigrams") or {}
        merged = {g: per_group[g] for g in group_names if g in per_group}
    else:
        per_group: dict[str, list[BigramCounts]] = {g: [] for g in group_names}
        for enc in _encoded_batches(source, options, lang, include_duplicates, batch_size):
            for g, counts in bigram_group_counts(enc, labels, group_names).items():
                per_group[g].append(counts)
        merged = {g: BigramCounts.merge(parts) if len(parts) > 1 else parts[0]
                  for g, parts in per_group.items() if parts}
    return _sized(bigram_table(merged, by, measure, min_freq, lang), source, labels, include_duplicates, backend,
                  partition_docs, floor, match_dates)


def count_bigrams(batch: PartitionBatch, group_names: tuple) -> dict[str, BigramCounts]:
    """Adjacent-pair and unigram counts of one partition, per group (a count function of
    :func:`framescope.analysis.partitioned.count_partitions`).

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        The partition's tokens and its documents' group labels.
    group_names : tuple of str
        The groups, in output order.

    Returns
    -------
    dict of str to BigramCounts
        Each group's counts (groups without tokens in the partition left out).
    """
    return bigram_group_counts(encode(batch.tokens), batch.labels, list(group_names))


def merge_bigrams(parts: list) -> dict[str, BigramCounts] | None:
    """Per-group bigram counts of several partitions summed (None entries skipped).

    Parameters
    ----------
    parts : list of dict or None
        Per-group counts of each partition (:func:`count_bigrams`; None: nothing counted).

    Returns
    -------
    dict of str to BigramCounts, or None
        Each group's summed counts; None when every part is None.
    """
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    groups: dict[str, list] = {}
    for part in parts:
        for g, counts in part.items():
            groups.setdefault(g, []).append(counts)
    return {g: BigramCounts.merge(c) if len(c) > 1 else c[0] for g, c in groups.items()}


def bigram_group_counts(enc: Encoded, labels: pd.Series | None, group_names: list[str]) -> dict[str, BigramCounts]:
    """:func:`bigram_counts` of each group's documents in one batch (groups without tokens left out).

    Parameters
    ----------
    enc : Encoded
        Integer-encoded tokens (:func:`framescope.analysis.counts.encode`).
    labels : pandas.Series or None
        Group label per doc_id (None: every document in the first group).
    group_names : list of str
        The groups, in output order.

    Returns
    -------
    dict of str to BigramCounts
        Each group's counts.
    """
    doc_group = _doc_groups(enc, labels, {g: i for i, g in enumerate(group_names)})
    tok_group = doc_group[enc.doc]
    out = {}
    for gi, g in enumerate(group_names):
        mask = tok_group == gi
        if mask.any():
            out[g] = bigram_counts(enc, mask)
    return out


def bigram_table(per_group: dict[str, BigramCounts], by: str | None, measure: str, min_freq: int,
                 lang: str | None) -> pd.DataFrame:
    """The :func:`bigram_collocations` table from each group's merged counts (groups in order).

    Parameters
    ----------
    per_group : dict of str to BigramCounts
        Each group's merged counts.
    by : str or None
        The grouping, recorded in ``attrs``.
    measure : str
        The sort column (:data:`BIGRAM_MEASURES`).
    min_freq : int
        Pairs seen fewer times in a group are left out.
    lang : str, optional
        Only this language (default every language, each against its own N).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`bigram_collocations`.
    """
    frames = []
    for g, counts in per_group.items():
        table = _score_per_lang(counts, min_freq, lang, measure)
        table.insert(0, "group", g)
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["group", "lang", "w1", "w2", "ngram", "o11", "f_w1", "f_w2", "n",
                                     *BIGRAM_MEASURES])
    # groups in sorted order, languages in vocabulary order, rows sorted by score within
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update({"by": by, "measure": measure, "min_freq": min_freq})
    return out


def _score_per_lang(counts: BigramCounts, min_freq: int, lang: str | None, measure: str) -> pd.DataFrame:
    """Score each language against its own token count (N), never a mixed-script total.

    Adds ``ngram`` ("w1 w2") and turns the categorical word columns into plain strings.
    """
    frames = []
    for lg in pd.unique(counts.vocab.langs):
        if lang is not None and lg != lang:
            continue
        frames.append(score_bigrams(counts.language(lg), min_freq, sort_by=measure))
    if not frames:
        frames.append(score_bigrams(BigramCounts(np.zeros(0, np.int32), np.zeros(0, np.int32),
                                                 np.zeros(0, np.int64), np.zeros(0, np.int64),
                                                 Vocabulary([], [])), min_freq))
    out = pd.concat(frames, ignore_index=True)
    for col in ("lang", "w1", "w2"):
        out[col] = out[col].astype(object).astype(str)
    out.insert(3, "ngram", out["w1"] + " " + out["w2"])
    return out


def _labels_for(source, by, include_duplicates: bool = False, match_dates: bool | str = False):
    """(labels, group names, metadata) by the one grouping rule; tokens have one group ``all``."""
    from framescope.analysis.tokens import Tokens
    if isinstance(source, (Encoded, Tokens)):
        if by is not None or match_dates:
            raise FramescopeError("grouping and matched dates need a Corpus (document metadata)")
        return None, ["all"], None
    meta, labels = comparison_labels(source, by, include_duplicates=include_duplicates, match_dates=match_dates)
    return labels, list(labels.attrs["groups"]), meta


def _sized(table: pd.DataFrame, source, labels, include_duplicates, backend, partition_docs, floor, match_dates):
    """``table`` with its groups' documents, tokens and floor flag (:func:`framescope.analysis.counts.with_sizes`)."""
    attrs = dict(table.attrs)
    sizes = None if labels is None else source_sizes(source, include_duplicates, backend, partition_docs)
    out = with_sizes(table, labels, sizes, ("group",), floor)
    out.attrs.update({**attrs, "match_dates": match_dates,
                      "shared_periods": None if labels is None else labels.attrs.get("shared_periods")})
    return out


# --- n-grams ---------------------------------------------------------------------------------

def ngram_counts(enc: Encoded, n: int, token_mask: np.ndarray | None = None) -> pd.DataFrame:
    """Counts of every n-gram inside sentences: columns id_0..id_{n-1}, freq, docs.

    Parameters
    ----------
    enc : Encoded
        Integer-encoded tokens (:func:`framescope.analysis.counts.encode`).
    n : int
        Tokens per n-gram (≥ 1).
    token_mask : numpy.ndarray of bool, optional
        Count only these tokens (whole sentences); default all.

    Returns
    -------
    pandas.DataFrame
        ``id_0`` … ``id_{n-1}``, ``freq``, ``docs``.
    """
    if n < 1:
        raise FramescopeError("n must be >= 1")
    ids, sent, doc = enc.ids.astype(np.int64), enc.sent, enc.doc
    if token_mask is not None:
        ids, sent, doc = ids[token_mask], sent[token_mask], doc[token_mask]
    m = len(ids) - n + 1
    if m <= 0:
        return pd.DataFrame({**{f"id_{k}": np.zeros(0, np.int64) for k in range(n)},
                             "freq": np.zeros(0, np.int64), "docs": np.zeros(0, np.int64)})
    starts = np.flatnonzero(sent[:m] == sent[n - 1:n - 1 + m])
    grams = np.stack([ids[starts + k] for k in range(n)], axis=1)
    frame = pd.DataFrame(grams, columns=[f"id_{k}" for k in range(n)])
    frame["doc"] = doc[starts]
    cols = [f"id_{k}" for k in range(n)]
    grouped = frame.groupby(cols, sort=True)
    out = grouped.size().rename("freq").to_frame()
    out["docs"] = grouped["doc"].nunique()
    return out.reset_index()


def ngrams(source, n: int = 2, by: str | None = "source_type", options: TokenOptions = TokenOptions(),
           lang: str | None = None, min_freq: int = 2, include_duplicates: bool = False,
           batch_size: int = 5000, backend=None, partition_docs: int = PARTITION_DOCS,
           match_dates: bool | str = False, floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """N-gram frequency list per group.

    N-grams never cross sentences. Counted per batch (or partition) of documents and merged
    by summation (a document lies in one batch, so ``docs`` sums exactly); the
    ``min_freq`` filter comes after the merge.

    Parameters
    ----------
    source : Corpus, path-like, Tokens or Encoded
        As :func:`bigram_collocations`.
    n : int
        Tokens per n-gram (≥ 1).
    by : str, list of str or None
        Grouping; None: one group ``all``.
    options : TokenOptions
        As :func:`bigram_collocations`.
    lang : str, optional
        As :func:`bigram_collocations`.
    min_freq : int
        N-grams seen fewer times in a group are left out.
    include_duplicates : bool
        As :func:`bigram_collocations`.
    batch_size : int
        As :func:`bigram_collocations`.
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        As :func:`bigram_collocations`.
    partition_docs : int
        As :func:`bigram_collocations`.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (undated documents left out;
        :func:`framescope.analysis.groups.document_groups`).
    floor : SizeFloor
        Groups under it are flagged (``small_group``).

    Returns
    -------
    pandas.DataFrame
        ``group``, ``lang``, ``ngram`` (tokens joined by spaces), ``freq``,
        ``per_million`` (freq / size × 10⁶), ``docs`` (documents containing it), ``size``
        (tokens of the group in the n-gram's language), then ``group_docs``,
        ``group_tokens`` and ``small_group`` (the group's size, as every table of the
        corpus); sorted by group, lang, descending freq, ngram.
    """
    if n < 1:
        raise FramescopeError("n must be >= 1")
    labels, group_names, meta = _labels_for(source, by, include_duplicates, match_dates)
    if by_partitions(source, backend):
        merged = count_partitions(source, count_ngrams, merge_ngrams, (n, tuple(group_names)), options=options,
                                  lang=lang, include_duplicates=include_duplicates,
                                  labels=row_labels(meta, labels), backend=backend,
                                  partition_docs=partition_docs, what="n-grams")
    else:
        merged = None
        for enc in _encoded_batches(source, options, lang, include_duplicates, batch_size):
            merged = merge_ngrams([merged, _ngram_batch(enc, labels, n, group_names)])
    cols = ["group", "lang", "ngram", "freq", "per_million", "docs", "size"]
    if merged is None:
        return _sized(pd.DataFrame(columns=cols), source, labels, include_duplicates, backend, partition_docs, floor,
                      match_dates)
    frame, sizes = merged
    out = frame[frame["freq"] >= max(1, min_freq)].copy()
    if lang is not None:
        out = out[out["lang"] == lang]
    out["size"] = [sizes[(g, l)] for g, l in zip(out["group"], out["lang"])]
    out["size"] = out["size"].astype(np.int64)
    out["per_million"] = out["freq"] / out["size"] * 1e6
    out = out[cols].sort_values(["group", "lang", "freq", "ngram"], ascending=[True, True, False, True],
                                kind="mergesort").reset_index(drop=True)
    out.attrs.update({"n": n, "by": by, "min_freq": min_freq, "token_options": options.as_dict()})
    return _sized(out, source, labels, include_duplicates, backend, partition_docs, floor, match_dates)


def _ngram_batch(enc: Encoded, labels, n: int, group_names) -> tuple[pd.DataFrame, dict] | None:
    """(group, lang, ngram, freq, docs rows; tokens per (group, lang)) of one batch."""
    doc_group = _doc_groups(enc, labels, {g: i for i, g in enumerate(group_names)})
    tok_group = doc_group[enc.doc]
    tok_lang = enc.vocab.langs[enc.ids] if len(enc.ids) else np.zeros(0, dtype=object)
    batch, sizes = [], {}
    for gi, g in enumerate(group_names):
        mask = tok_group == gi
        if not mask.any():
            continue
        for lg, count in pd.Series(tok_lang[mask]).value_counts().items():
            sizes[(g, lg)] = sizes.get((g, lg), 0) + int(count)
        counts = ngram_counts(enc, n, mask)
        words = [enc.vocab.terms[counts[f"id_{k}"].to_numpy()] for k in range(n)]
        batch.append(pd.DataFrame({
            "group": g, "lang": enc.vocab.langs[counts["id_0"].to_numpy()],
            "ngram": [" ".join(t) for t in zip(*words)] if n > 1 else words[0],
            "freq": counts["freq"].to_numpy(), "docs": counts["docs"].to_numpy()}))
    return (pd.concat(batch, ignore_index=True), sizes) if batch else None


def count_ngrams(batch: PartitionBatch, n: int, group_names: tuple) -> tuple[pd.DataFrame, dict] | None:
    """N-gram counts and token counts per (group, lang) of one partition (a count function of
    :func:`framescope.analysis.partitioned.count_partitions`).

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        The partition's tokens and its documents' group labels.
    n : int
        Tokens per n-gram.
    group_names : tuple of str
        The groups, in output order.

    Returns
    -------
    (pandas.DataFrame, dict) or None
        Rows ``group, lang, ngram, freq, docs`` and tokens per (group, lang).
    """
    return _ngram_batch(encode(batch.tokens), batch.labels, n, list(group_names))


def merge_ngrams(parts: list) -> tuple[pd.DataFrame, dict] | None:
    """N-gram counts of several batches summed by (group, lang, ngram); token counts summed.

    Parameters
    ----------
    parts : list of (pandas.DataFrame, dict) or None
        Each batch's n-gram rows and tokens per (group, lang) (None: nothing counted).

    Returns
    -------
    (pandas.DataFrame, dict) or None
        The summed rows (group, lang, ngram, freq, docs) and token counts; None when every
        part is None.
    """
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    sizes: dict[tuple[str, str], int] = {}
    for _, part_sizes in parts:
        for k, v in part_sizes.items():
            sizes[k] = sizes.get(k, 0) + v
    frame = pd.concat([f for f, _ in parts], ignore_index=True)
    if len(parts) > 1:
        frame = frame.groupby(["group", "lang", "ngram"], sort=False, as_index=False).sum()
    return frame, sizes


# --- window collocates --------------------------------------------------------------------------

def node_term(node: str, options: TokenOptions = TokenOptions(), lang: str | None = None) -> tuple[str, str, TokenOptions]:
    """The token a node string becomes under ``options``: (lang, term, options to use).

    A multiword node ("US-led coalition", "التحالف الدولي") is added to the options'
    phrases so that it is one token. The language is Arabic for Arabic script, else
    ``lang`` or English.

    Parameters
    ----------
    node : str
        The node word or phrase as the user wrote it.
    options : TokenOptions
        The token options of the statistic (default ``TokenOptions()``).
    lang : str, optional
        Language of a non-Arabic node (default English).

    Returns
    -------
    (lang, term, options) : tuple
        The node's language, the token it becomes, and the options to count with (with
        the node added to the phrases when it has several words).
    """
    node = node.strip()
    if not node:
        raise FramescopeError("empty node")
    key = "ar" if dominant_script(node) == "Arabic" else (lang or "en")
    if lang is not None and lang != key and key == "ar":
        raise FramescopeError(f"node {node!r} is Arabic but --lang is {lang!r}")
    if len(node.split()) > 1 and node not in options.phrases:
        options = TokenOptions(**{**options.__dict__, "phrases": (*options.phrases, node)})
    key = lang_key(key, node)
    tokens = filter_tokens(raw_tokens(prepare_text(node, key == "ar", options), key), key, options)
    if len(tokens) != 1:
        why = "it is removed by the token options (a stopword? try --keep-stopwords)" if not tokens \
            else f"it gives {len(tokens)} tokens {tokens}"
        raise FramescopeError(f"node {node!r} cannot be used: {why}")
    return key, tokens[0], options


def _default_lang(source) -> str:
    """The language of a non-Arabic node when none is given: English if present, else the
    only non-Arabic language of the source."""
    from framescope.analysis.tokens import Tokens
    if isinstance(source, set):
        langs = set(source)
    elif isinstance(source, Encoded):
        langs = set(source.sent_lang)
    elif isinstance(source, Tokens):
        langs = {l for ls in source.sent_langs for l in ls}
    else:
        langs = set(source.analysable_segments()["lang"].dropna())
    langs -= {"ar"}
    if "en" in langs or not langs:
        return "en"
    if len(langs) == 1:
        return langs.pop()
    raise FramescopeError(f"say which language the node is in (--lang): the corpus has {', '.join(sorted(langs))}")


def window_counts(enc: Encoded, node_id: int, left: int, right: int,
                  group_of_token: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Co-occurrence counts of every id in the node's windows, per group.

    Returns (o11 as n_groups × V int64 array, R1 window positions per group). A window is
    clipped at the sentence boundary; the group of a co-occurrence is the node's group.
    Vectorised over the node's occurrences: one pass per offset k (−left … right, 0
    excluded) gathers the tokens at pos + k. With ``enc.position`` (running words) the
    token at offset k is kept when its running-word distance to the node is within the
    span; it is never more than ``|k|`` tokens away, so the same offsets suffice.

    Parameters
    ----------
    enc : Encoded
        Integer-encoded tokens (:func:`framescope.analysis.counts.encode`).
    node_id : int
        The node's vocabulary id.
    left, right : int
        Window size to the left and to the right of the node.
    group_of_token : numpy.ndarray
        Group code per token (−1: none).
    n_groups : int
        Number of groups (rows of the result).

    Returns
    -------
    (o11, window) : tuple of numpy.ndarray
        o11: n_groups × V co-occurrence counts (int64); window: R1, the token positions
        inside the node's windows, per group.
    """
    v = len(enc.vocab)
    ids, sent, position = enc.ids, enc.sent, enc.position
    pos = np.flatnonzero(ids == node_id)
    pos = pos[group_of_token[pos] >= 0]
    node_group = group_of_token[pos].astype(np.int64)
    n = len(ids)
    codes, window = [], np.zeros(n_groups, dtype=np.int64)
    for k in [*range(-left, 0), *range(1, right + 1)]:
        q = pos + k
        ok = (q >= 0) & (q < n)
        ok[ok] = sent[q[ok]] == sent[pos[ok]]
        if position is not None:
            distance = position[q[ok]].astype(np.int64) - position[pos[ok]]
            ok[ok] = (distance >= -left) & (distance <= right)
        group = node_group[ok]
        codes.append(group * v + ids[q[ok]])
        window += np.bincount(group, minlength=n_groups)
    all_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    o11 = np.bincount(all_codes, minlength=n_groups * v).astype(np.int64)
    return o11.reshape(n_groups, v), window


def window_sides(measure: str, span: int, left: int | None, right: int | None,
                 span_unit: str = "tokens") -> tuple[int, int]:
    """Check a window-collocates request; ``(left, right)`` tokens of the window.

    Parameters
    ----------
    measure : str
        The sort column; must be one of :data:`WINDOW_MEASURES`.
    span : int
        Window size each side (≥ 1), unless ``left``/``right`` are given.
    left, right : int, optional
        Window sizes to the left and to the right (≥ 0; not both 0).
    span_unit : str
        One of :data:`SPAN_UNITS`.

    Returns
    -------
    (left, right) : tuple of int
        The window sizes to use.
    """
    if span_unit not in SPAN_UNITS:
        raise FramescopeError(f"unknown span unit {span_unit!r} ({', '.join(SPAN_UNITS)})")
    if measure not in WINDOW_MEASURES:
        raise FramescopeError(f"unknown measure {measure!r} ({', '.join(WINDOW_MEASURES)})")
    left = span if left is None else left
    right = span if right is None else right
    if left < 0 or right < 0 or left + right == 0:
        raise FramescopeError("the window needs at least one token on one side")
    return left, right


#: Inflectional endings of English and what they replace (stopped → stop is the doubled consonant).
_EN_ENDINGS = (("'s", ""), ("\u2019s", ""), ("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
               ("ed", "e"), ("es", ""), ("s", ""))


def _inflection_bases(word: str) -> set:
    """The word and every base a regular English ending leaves (killed → kill, kille; stopped → stop)."""
    out = {word}
    for end, repl in _EN_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 2:
            base = word[: -len(end)] + repl
            out.add(base)
            if not repl and end in ("ing", "ed") and len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                out.add(base[:-1])
    return out


@functools.lru_cache(maxsize=1)
def _arabic_prefixes() -> frozenset:
    """Written proclitic strings: و ف, then ب ك ل, then the article (ل + ال written لل)."""
    from framescope.analysis.arabic_clitics import ARTICLE, CONJUNCTIONS, PREPOSITIONS

    out = set()
    for conj in ("",) + CONJUNCTIONS:
        for prep in ("",) + PREPOSITIONS:
            for art in ("", ARTICLE):
                out.add(conj + ("\u0644\u0644" if prep == "\u0644" and art else prep + art))
    return frozenset(out - {""})


def node_variants(terms, node_tok: str, lang: str) -> np.ndarray:
    """Which ``terms`` are the node's own forms, left out of its collocates (module docstring).

    A term is one of the node's forms when it is

    * the node's token itself (the node again inside its own window);
    * Arabic: after :func:`framescope.corpus.text.normalize_arabic`, the node's stem (the
      node without its proclitics, :func:`framescope.analysis.arabic_clitics.segment`) with
      or without written proclitics (و ف, ب ك ل, the article): forms the context-dependent
      clitic rules left whole, or the node with its article when the options keep it.
      Other inflections (plurals, duals, suffixes) are other words and stay;
    * a language with a Snowball stemmer (English ...): a regular inflection of the node,
      that is, the same Snowball stem *and* a shared base once one of -s, -es, -ies, -ied,
      -ed, -ing, 's is taken off (terrorist / terrorists, kill / killed / killing). The
      stem alone would join derived words (terrorism, general / generally); the base alone
      would join news to new.

    Parameters
    ----------
    terms : sequence of str
        Collocate tokens (one language).
    node_tok : str
        The node's token (:func:`node_term`).
    lang : str
        The node's language.

    Returns
    -------
    numpy.ndarray of bool
        True for each term that is one of the node's forms.

    References
    ----------
    Porter, M. F. (2001). Snowball: A language for stemming algorithms.
    Larkey, L. S., Ballesteros, L., & Connell, M. E. (2007). Light stemming for Arabic
    information retrieval. In *Arabic Computational Morphology* (pp. 221–243). Springer.
    """
    terms = [str(t) for t in terms]
    if lang == "ar":
        from framescope.analysis.arabic_clitics import segment
        from framescope.corpus.text import normalize_arabic

        node = normalize_arabic(node_tok)
        core = segment(node)[1]
        forms = {node, core} | {p + core for p in _arabic_prefixes()}
        return np.array([t == node_tok or normalize_arabic(t) in forms for t in terms], dtype=bool)
    from framescope.analysis.token_words import stem_word

    node = node_tok.casefold()
    bases, stem = _inflection_bases(node), stem_word(lang, node)
    return np.array([t == node_tok or t.casefold() == node or
                     (stem_word(lang, t.casefold()) == stem and bool(_inflection_bases(t.casefold()) & bases))
                     for t in terms], dtype=bool)


#: The columns :func:`collocates` can sort by (``measure``).
WINDOW_MEASURES = ("logdice", "pmi", "mi3", "g2", "t_score", "o11")


def collocates(source, node: str, by: str | None = "source_type", span: int = 5,
               left: int | None = None, right: int | None = None,
               options: TokenOptions = TokenOptions(), lang: str | None = None, min_freq: int = 3,
               measure: str = "logdice", include_duplicates: bool = False,
               batch_size: int = 5000, span_unit: str = "tokens", backend=None,
               partition_docs: int = PARTITION_DOCS, match_dates: bool | str = False,
               floor: SizeFloor = DEFAULT_FLOOR, keep_node: bool = False) -> pd.DataFrame:
    """Window collocates of ``node`` per group, within sentences (``fs.collocates``).

    Parameters
    ----------
    source : Corpus, path-like, Tokens or Encoded
        A corpus (``by`` groups its documents), a corpus folder (counted by partitions), or
        tokens (one group ``all``).
    node : str
        A word or phrase ("US-led coalition" becomes one token); Arabic script is Arabic.
    by : str, list of str or None
        Grouping (:func:`framescope.analysis.counts.group_labels`); None: one group ``all``.
    span : int
        Window size each side, unless ``left``/``right`` are given.
    left, right : int, optional
        Window sizes to the left and right of the node.
    options : TokenOptions
        How text becomes tokens (default ``TokenOptions()``; see docs/tokens.md).
    lang : str, optional
        Language of a non-Arabic node (default: English if present, else the only other one).
    min_freq : int
        Collocates with ``o11 < min_freq`` in a group are left out of that group.
    measure : str
        Sort column, one of :data:`WINDOW_MEASURES`.
    include_duplicates : bool
        Count documents marked ``duplicate_of`` too (default False: they are left out).
    batch_size : int
        Documents tokenised at a time in this process.
    span_unit : {"tokens", "running_words"}
        Count the span in tokens after the token options (stopwords removed; default) or
        in running words (stopwords count in the distance; a second tokenisation).
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        Where the counting runs (:func:`framescope.analysis.partitioned.resolve_backend`);
        the table is the same on every backend.
    partition_docs : int
        Documents per partition when counting by partitions.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (undated documents left out;
        :func:`framescope.analysis.groups.document_groups`).
    floor : SizeFloor
        Groups under it are flagged (``small_group``).
    keep_node : bool
        Keep the node's own forms as collocates (default False: left out, listed in
        ``attrs['node_variants']``; :func:`node_variants`).

    Returns
    -------
    pandas.DataFrame
        :data:`COLLOCATE_COLUMNS`: ``group``, ``lang``, ``node``, ``collocate``, ``o11``,
        ``f_node``, ``f_collocate``, ``n``, ``window`` (R1), ``expected`` (E11),
        ``logdice``, ``pmi``, ``mi3``, ``g2``, ``t_score`` (formulas: module docstring and
        :mod:`framescope.analysis.measures`), then ``group_docs``, ``group_tokens`` (the
        group's documents and running words, the same N as every table of the corpus) and
        ``small_group``; sorted by group and descending ``measure``.

    References
    ----------
    Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.), *Corpus
    Linguistics: An International Handbook*, vol. 2, 1212–1248. De Gruyter.
    Rychlý, P. (2008). A lexicographer-friendly association score. RASLAN 2008, 6–9.
    """
    left, right = window_sides(measure, span, left, right, span_unit)
    partitioned = by_partitions(source, backend)
    if lang is None and dominant_script(node) != "Arabic":
        lang = _default_lang(segment_languages(source, partition_docs) if partitioned else source)
    node_lang, node_tok, options = node_term(node, options, lang)
    labels, group_names, meta = _labels_for(source, by, include_duplicates, match_dates)
    if partitioned:
        running = running_options(options) if span_unit == "running_words" else None
        counts = count_partitions(source, count_windows, merge_windows,
                                  (tuple(group_names), node_lang, node_tok, left, right), options=options,
                                  lang=node_lang, include_duplicates=include_duplicates,
                                  labels=row_labels(meta, labels), backend=backend,
                                  partition_docs=partition_docs, running_options=running, what="collocates")
    else:
        counts = WindowCounts.merge([collocate_counts(enc, labels, group_names, node_lang, node_tok, left, right)
                                     for enc in _encoded_batches(source, options, node_lang, include_duplicates,
                                                                 batch_size, span_unit)])
    table = collocate_table(counts, group_names, node, node_lang, node_tok, by, left, right,
                            min_freq, measure, options, span_unit, keep_node=keep_node)
    return _sized(table, source, labels, include_duplicates, backend, partition_docs, floor, match_dates)


def count_windows(batch: PartitionBatch, group_names: tuple, node_lang: str, node_tok: str, left: int,
                  right: int) -> WindowCounts:
    """Window co-occurrence and unigram counts of one partition, per group (a count function
    of :func:`framescope.analysis.partitioned.count_partitions`).

    Parameters
    ----------
    batch : framescope.analysis.partitioned.PartitionBatch
        The partition's tokens and its documents' group labels.
    group_names : tuple of str
        The groups, in output order.
    node_lang, node_tok : str
        The node's language and token (:func:`node_term`).
    left, right : int
        Window size to the left and to the right of the node (tokens).

    Returns
    -------
    WindowCounts
        The partition's window counts per group.
    """
    enc = encode(batch.tokens) if batch.running is None else encode_running(batch.tokens, batch.running)
    return collocate_counts(enc, batch.labels, list(group_names), node_lang, node_tok, left, right)


def merge_windows(parts: list) -> WindowCounts | None:
    """Window counts of several partitions summed (None entries skipped).

    Parameters
    ----------
    parts : list of WindowCounts or None
        Each partition's counts (None: nothing counted).

    Returns
    -------
    WindowCounts or None
        The summed counts; None when every part is None.
    """
    return WindowCounts.merge([p for p in parts if p is not None])


@dataclass
class WindowCounts:
    """Exact counts behind window collocates, mergeable by summing (:func:`merge_windows`).

    Parameters
    ----------
    vocab : Vocabulary
        The vocabulary the columns index.
    o11 : scipy.sparse.csr_matrix
        Groups × V co-occurrences in the node's windows.
    unigrams : scipy.sparse.csr_matrix
        Groups × V token counts in the node's language.
    window : numpy.ndarray
        R1 per group: the token positions inside the node's windows.
    """

    vocab: Vocabulary
    o11: sp.csr_matrix
    unigrams: sp.csr_matrix
    window: np.ndarray

    @classmethod
    def merge(cls, parts: list["WindowCounts"]) -> "WindowCounts | None":
        if not parts:
            return None
        if len(parts) == 1:  # already merged: a vocabulary is sorted and unique (and keeps its index)
            return parts[0]
        vocab, remaps = Vocabulary.union([p.vocab for p in parts])
        v, n_groups = len(vocab), len(parts[0].window)
        o11 = sp.csr_matrix((n_groups, v), dtype=np.int64)
        uni = sp.csr_matrix((n_groups, v), dtype=np.int64)
        window = np.zeros(n_groups, dtype=np.int64)
        for p, r in zip(parts, remaps):
            o11 = o11 + _remap_cols(p.o11, r, v)
            uni = uni + _remap_cols(p.unigrams, r, v)
            window += p.window
        return cls(vocab, o11, uni, window)


def collocate_counts(enc: Encoded, labels: pd.Series | None, group_names: list[str], node_lang: str,
                     node_tok: str, left: int, right: int) -> WindowCounts:
    """:class:`WindowCounts` of one batch (documents grouped by ``labels``; None: one group).

    Parameters
    ----------
    enc : Encoded
        Integer-encoded tokens (:func:`framescope.analysis.counts.encode`).
    labels : pandas.Series or None
        Group label per doc_id (None: one group).
    group_names : list of str
        The groups, in output order.
    node_lang, node_tok : str
        The node's language and token (:func:`node_term`).
    left, right : int
        Window size to the left and to the right of the node (tokens).

    Returns
    -------
    WindowCounts
        The batch's window counts per group.
    """
    n_groups = len(group_names)
    gidx = {g: i for i, g in enumerate(group_names)}
    v = len(enc.vocab)
    tok_group = _doc_groups(enc, labels, gidx)[enc.doc] if len(enc.ids) else np.zeros(0, np.int64)
    node_id = enc.vocab.index(node_lang, node_tok)
    lo, hi = enc.vocab.lang_range(node_lang)  # ids of one language are contiguous
    valid = (tok_group >= 0) & (enc.ids >= lo) & (enc.ids < hi)
    uni = np.bincount(tok_group[valid] * v + enc.ids[valid], minlength=n_groups * v).reshape(n_groups, v)
    if node_id >= 0:
        o11, window = window_counts(enc, node_id, left, right, np.where(valid, tok_group, -1), n_groups)
    else:
        o11, window = np.zeros((n_groups, v), dtype=np.int64), np.zeros(n_groups, dtype=np.int64)
    return WindowCounts(enc.vocab, sp.csr_matrix(o11), sp.csr_matrix(uni), window)


def collocate_table(counts: WindowCounts | None, group_names: list[str], node: str, node_lang: str,
                    node_tok: str, by: str | None, left: int, right: int, min_freq: int, measure: str,
                    options: TokenOptions, span_unit: str = "tokens", keep_node: bool = False) -> pd.DataFrame:
    """The :func:`collocates` table from merged counts.

    Parameters
    ----------
    counts : WindowCounts or None
        The merged counts (None: the node never occurs).
    group_names : list of str
        The groups, in output order.
    node, node_lang, node_tok : str
        The node as given, its language and its token.
    by : str or None
        The grouping, recorded in ``attrs``.
    left, right, min_freq : int
        The window sizes and the minimum o11 of a row.
    measure : str
        The sort column (:data:`WINDOW_MEASURES`).
    options : TokenOptions
        The token options, recorded in ``attrs``.
    span_unit : str
        One of :data:`SPAN_UNITS`, recorded in ``attrs``.
    keep_node : bool
        Keep the node's own forms (:func:`node_variants`); default False: their rows are
        left out and listed in ``attrs['node_variants']``.

    Returns
    -------
    pandas.DataFrame
        :data:`COLLOCATE_COLUMNS`.
    """
    node_id = counts.vocab.index(node_lang, node_tok) if counts is not None else -1
    if node_id < 0:
        raise FramescopeError(f"node {node!r} (token {node_tok!r}, {node_lang}) does not occur in the corpus")
    vocab, window = counts.vocab, counts.window
    uni = counts.unigrams.toarray()
    o11 = counts.o11.toarray()
    frames, left_out = [], set()
    for gi, g in enumerate(group_names):
        f_node = int(uni[gi, node_id])
        if f_node == 0:
            continue
        n_tok = int(uni[gi].sum())
        idx = np.flatnonzero(o11[gi] >= max(1, min_freq))
        if not keep_node and len(idx):
            own = node_variants(vocab.terms[idx], node_tok, node_lang)
            left_out.update(str(t) for t in vocab.terms[idx][own])
            idx = idx[~own]
        frames.append(_window_table(g, node_lang, node_tok, o11[gi, idx], f_node, uni[gi, idx], n_tok,
                                    int(window[gi]), vocab.terms[idx]))
    if not frames:
        return pd.DataFrame(columns=COLLOCATE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["group", measure, "collocate"], ascending=[True, False, True],
                          kind="mergesort").reset_index(drop=True)
    out.attrs.update({"node": node, "node_token": node_tok, "lang": node_lang, "by": by, "left": left,
                      "right": right, "span_unit": span_unit, "min_freq": min_freq, "measure": measure,
                      "token_options": options.as_dict(), "keep_node": keep_node,
                      "node_variants": sorted(left_out)})
    return out[COLLOCATE_COLUMNS]


def _remap_cols(m: sp.csr_matrix, remap: np.ndarray, n_cols: int) -> sp.csr_matrix:
    coo = m.tocoo()
    return sp.csr_matrix((coo.data, (coo.row, remap[coo.col])), shape=(m.shape[0], n_cols))


def _window_table(group, lang, node, o11, f_node, f_coll, n, window, terms) -> pd.DataFrame:
    o = o11.astype(np.float64)
    fc = f_coll.astype(np.float64)
    e11 = float(window) * fc / n
    return pd.DataFrame({
        "group": group, "lang": lang, "node": node, "collocate": terms,
        "o11": o11.astype(np.int64), "f_node": f_node, "f_collocate": f_coll.astype(np.int64), "n": n,
        "window": window, "expected": e11, "logdice": am.logdice(o, f_node, fc),
        "pmi": am.pmi(o, e11), "mi3": am.mi3(o, e11), "g2": am.g2_window(o, window, fc, n),
        "t_score": am.t_score(o, e11)})


def collocate_profiles(table: pd.DataFrame, groups: tuple[str, str] | None = None,
                       measure: str = "logdice", top: int | None = 30) -> pd.DataFrame:
    """Side-by-side collocate profiles of two groups from a :func:`collocates` table.

    One row per collocate in the top ``top`` (by ``measure``) of either group, with
    ``o11_<g>``, ``<measure>_<g>`` for each group and ``diff`` = measure(g1) − measure(g2)
    (for logDice: a difference of 1 means the collocation is twice as typical in g1;
    Rychlý 2008). A collocate absent from one group's table (not seen, or below its
    ``min_freq``) gets NA there and in diff. Sorted by descending diff, NA last.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`collocates` table.
    groups : tuple of str, optional
        The two groups (default: the table's two groups).
    measure : str
        The measure compared (a column of the table; default "logdice").
    top : int, optional
        Collocates per group taken (None: all).

    Returns
    -------
    pandas.DataFrame
        ``collocate``, ``o11_<g>``, ``<measure>_<g>`` for each group, ``diff``.

    References
    ----------
    Rychlý, P. (2008). A lexicographer-friendly association score. RASLAN 2008, 6–9.
    """
    present = list(pd.unique(table["group"]))
    if groups is None:
        if len(present) != 2:
            raise FramescopeError(f"give two groups to compare (have: {', '.join(map(str, present))})")
        groups = (present[0], present[1])
    for g in groups:
        if g not in present:
            raise FramescopeError(f"no collocates for group {g!r} (have: {', '.join(map(str, present))})")
    g1, g2 = groups
    parts = {}
    chosen: set = set()
    for g in groups:
        sub = table[table["group"] == g].sort_values([measure, "collocate"], ascending=[False, True], kind="mergesort")
        parts[g] = sub.set_index("collocate")
        chosen.update(sub["collocate"].head(top) if top else sub["collocate"])
    out = pd.DataFrame({"collocate": sorted(chosen)})
    for g in groups:
        out[f"o11_{g}"] = out["collocate"].map(parts[g]["o11"]).astype("Int64")
        out[f"{measure}_{g}"] = out["collocate"].map(parts[g][measure])
    out["diff"] = out[f"{measure}_{g1}"] - out[f"{measure}_{g2}"]
    out = out.sort_values(["diff", "collocate"], ascending=[False, True], kind="mergesort", na_position="last")
    return out.reset_index(drop=True)
window_table = _window_table  # public name for other modules
