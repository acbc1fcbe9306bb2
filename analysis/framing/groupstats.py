"""Sentences of a corpus, document sizes, and group ratios with document-bootstrap CIs.

Every framing measure is a ratio of sums over the documents of a group:

* a rate per 10,000 tokens: Σ mentions / Σ tokens × 10,000;
* a document share: Σ 1[document mentions it] / number of documents;
* a share within a total: Σ label mentions / Σ actor mentions (agency: Σ agentless /
  Σ killing expressions).

Confidence intervals are percentile intervals of the same ratio over ``n_boot``
resamples of the group's documents with replacement (Efron & Tibshirani 1993, ch. 13);
resampling documents, not tokens, keeps one verbose article from making a difference
(Lijffijt et al. 2016). Group k (labels sorted) of table ``stream`` draws from
``SeedSequence([seed, k, stream])`` (keyness uses ``[seed, k]``), so a result depends only on the
seed. Replicates whose denominator is 0 are ignored (nan-percentiles).
"""
from __future__ import annotations

import dataclasses
import warnings
from typing import Iterator

import numpy as np
import pandas as pd

from framescope.analysis.groups import (DEFAULT_FLOOR, SIZE_OPTIONS, SizeFloor, attach_group_sizes, document_groups,
                                        document_sizes, group_sizes)
from framescope.analysis.resampling import multinomial_weights, percentile_interval
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_sentences import split_sentences
from framescope.analysis.tokens import ordered_segments
from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import progress

#: Sentences keep Arabic as written (the rules normalise token by token), so the
#: sentence and KWIC columns show the text as published.
SENTENCE_OPTIONS = TokenOptions(arabic_normalize=False)
__all__ = ["SENTENCE_OPTIONS", "SIZE_OPTIONS", "SENTENCE_COLUMNS", "iter_segment_sentences", "corpus_sentences",
           "document_sizes", "doc_groups", "with_group_sizes", "bootstrap_ratio", "check_bootstrap_args",
           "count_table"]
# SIZE_OPTIONS and document_sizes (the denominator of rates, and the tokens of every group
# size) live in framescope.analysis.groups, so topics and keyness count groups the same way.

SENTENCE_COLUMNS = ["doc_id", "seg", "role", "lang", "sent", "sentence"]


def iter_segment_sentences(corpus, include_duplicates: bool = False) -> Iterator[tuple]:
    """(doc_id, seg, role, lang, [(sent, sentence), ...]) per analysable segment.

    Segments in corpus and document order; ``sent`` numbers the sentences of a document
    from 0 as :mod:`framescope.analysis.tokens` does, so rows join KWIC lines on (doc_id, sent).

    Parameters
    ----------
    corpus : Corpus
        The documents (title, body and caption segments; never boilerplate).
    include_duplicates : bool
        Read documents marked as duplicates too.

    Yields
    ------
    tuple
        (doc_id, seg, role, lang — 'und' when unknown —, list of (sent, sentence)).

    References
    ----------
    Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
    *Computational Linguistics*, 32(4), 485–525 (Punkt).
    """
    segs = ordered_segments(corpus, include_duplicates, None)
    counter: dict[str, int] = {}
    for doc_id, seg, role, lang, text in progress(zip(segs["doc_id"], segs["seg"], segs["role"],
                                                      segs["lang"], segs["text"]),
                                                  total=len(segs), desc="sentences", unit="seg"):
        if not isinstance(text, str) or not text.strip():
            continue
        lang = lang if isinstance(lang, str) and lang else "und"
        sents = split_sentences(text, lang, SENTENCE_OPTIONS)
        first = counter.get(doc_id, 0)
        counter[doc_id] = first + len(sents)
        yield doc_id, int(seg), role, lang, list(enumerate(sents, start=first))


def corpus_sentences(corpus, include_duplicates: bool = False) -> pd.DataFrame:
    """One row per sentence of the corpus's analysable segments.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    include_duplicates : bool
        Read documents marked as duplicates too.

    Returns
    -------
    pandas.DataFrame
        doc_id, seg, role, lang, sent (0.. within the document), sentence (as written).

    References
    ----------
    Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
    *Computational Linguistics*, 32(4), 485–525.
    """
    rows = [(d, seg, role, lang, i, s)
            for d, seg, role, lang, sents in iter_segment_sentences(corpus, include_duplicates)
            for i, s in sents]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def doc_groups(corpus, by, doc_ids=None, groups=None, keep_duplicates: bool = False,
               match_dates: bool | str = False) -> pd.Series:
    """Group label of each of ``doc_ids`` by the rules of :func:`framescope.analysis.groups.document_groups`.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Grouping column(s) or expression.
    doc_ids : sequence of str, optional
        The documents wanted (default: all documents taking part).
    groups : list of str or mapping of str to str, optional
        Labels to keep, or ``{label: query}`` groups.
    keep_duplicates : bool
        Label documents marked as duplicates too.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover.

    Returns
    -------
    pandas.Series
        Labels indexed by doc_id; a document left out (duplicate, no group, outside the
        shared dates) is null. ``attrs`` as ``document_groups``.

    References
    ----------
    The grouping rule of every comparison: ``docs/groups.md``.
    """
    labels = document_groups(corpus, by, groups=groups, keep_duplicates=keep_duplicates, match_dates=match_dates)
    if doc_ids is None:
        return labels
    out = labels.reindex(list(doc_ids))
    out.attrs.update(labels.attrs)
    return out


def with_group_sizes(table: pd.DataFrame, labels: pd.Series, sizes: pd.Series,
                     floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """``table`` with the sizes of its groups (:func:`framescope.analysis.groups.attach_group_sizes`).

    Parameters
    ----------
    table : pandas.DataFrame
        A table with a ``group`` column.
    labels : pandas.Series
        The labels of the documents taking part (:func:`doc_groups`; nulls ignored).
    sizes : pandas.Series
        Tokens per document (:func:`framescope.analysis.groups.document_sizes`).
    floor : SizeFloor
        The size floor.

    Returns
    -------
    pandas.DataFrame
        ``table`` with group_docs, group_tokens, small_group and the size attrs
        (group_sizes, small_groups, size_floor, excluded).

    References
    ----------
    The size convention of every comparison: ``docs/groups.md``.
    """
    return attach_group_sizes(table, group_sizes(labels.dropna(), sizes, floor), ("group",))


def bootstrap_ratio(num: np.ndarray, den: np.ndarray, n_boot: int, ci: float,
                    seed_seq: np.random.SeedSequence, chunk: int = 200
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σnum/Σden per column and its percentile CI from document resamples.

    ``num``: documents × items; ``den``: documents × items or documents (shared).
    Replicate r weights documents by a multinomial(n, 1/n) draw (= resampling with
    replacement), so the CI depends only on the seed, not on ``chunk``.

    Parameters
    ----------
    num : numpy.ndarray
        documents × items numerators (or one column).
    den : numpy.ndarray
        documents × items denominators, or one per document (shared).
    n_boot : int
        Replicates (0: no interval).
    ci : float
        Confidence level.
    seed_seq : numpy.random.SeedSequence
        Seed of the draws.
    chunk : int
        Replicates per block (memory only).

    Returns
    -------
    tuple of numpy.ndarray
        (estimate, low, high) per item; NaN where a denominator is 0 (nan-percentiles over
        the replicates whose denominator is not 0).

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13.
    Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora.
    *Digital Scholarship in the Humanities*, 31(2), 374–397.
    """
    num = np.asarray(num, dtype=np.float64)
    if num.ndim == 1:
        num = num[:, None]
    den = np.asarray(den, dtype=np.float64)
    den2 = den[:, None] if den.ndim == 1 else den
    n, items = num.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        est = num.sum(axis=0) / den2.sum(axis=0)
    if n_boot <= 0 or n == 0:
        nan = np.full(items, np.nan)
        return est, nan, nan.copy()
    if not 0 < ci < 1:
        raise FramescopeError(f"ci must be between 0 and 1, not {ci}")
    rng = np.random.default_rng(seed_seq)
    reps = np.empty((n_boot, items))
    for start in range(0, n_boot, chunk):
        k = min(chunk, n_boot - start)
        w = multinomial_weights(rng, n, k)  # k × documents
        a = w @ num
        b = w @ den2
        with np.errstate(divide="ignore", invalid="ignore"):
            reps[start:start + k] = a / b
    # an item whose denominator is 0 in every replicate stays nan
    low, high = percentile_interval(reps, ci, axis=0, skip_nan=True)
    return est, low, high


def check_bootstrap_args(n_boot: int, ci: float) -> None:
    """Check the bootstrap settings before any work.

    Parameters
    ----------
    n_boot : int
        Replicates (≥ 0).
    ci : float
        Confidence level in (0, 1).

    Raises
    ------
    FramescopeError
        Either is out of range (one line).
    """
    if int(n_boot) < 0:
        raise FramescopeError(f"n_boot must be >= 0, not {n_boot}")
    if not 0 < float(ci) < 1:
        raise FramescopeError(f"ci must be between 0 and 1, not {ci}")


def count_table(mentions: pd.DataFrame, keys: list[str], sizes: pd.Series, groups: pd.Series,
                n_boot: int, ci: float, seed: int, share_of: str | None = None,
                stream: int = 0) -> pd.DataFrame:
    """Counts, rates per 10,000 tokens and document shares per (group, ``*keys``) with CIs.

    Group k (sorted labels) of table ``stream`` draws from ``SeedSequence([seed, k, stream])``.
    Documents without a group (duplicates, outside the shared dates) count nowhere.

    Parameters
    ----------
    mentions : pandas.DataFrame
        One row per occurrence with ``doc_id`` and the ``keys`` columns.
    keys : list of str
        The item columns (e.g. actor, label).
    sizes : pandas.Series
        Tokens per document (every document of the analysis, mentions or not).
    groups : pandas.Series
        Group label per document (same index; null = left out).
    n_boot : int
        Document-bootstrap replicates (0: no interval; :func:`bootstrap_ratio`).
    ci : float
        Confidence level of the percentile intervals, in (0, 1).
    seed : int
        Root seed; each group and table draws from its own stream (above).
    share_of : str, optional
        A key column: also ``share`` = occurrences of the row's last key / occurrences of
        its ``share_of`` value in the group (e.g. label within actor), with a CI.
    stream : int
        Seed stream of this table (two tables of one call draw apart).

    Returns
    -------
    pandas.DataFrame
        group, ``*keys``, count, docs, n_docs, n_tokens, per_10k, per_10k_low, per_10k_high,
        doc_share, doc_share_low, doc_share_high, [share, share_low, share_high], seed,
        n_boot.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13.
    Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora.
    *Digital Scholarship in the Humanities*, 31(2), 374–397.
    """
    check_bootstrap_args(n_boot, ci)
    # documents left out of the comparison (no group: duplicates, unmatched dates) count nowhere
    sizes = sizes[groups.reindex(sizes.index).notna().to_numpy()]
    doc_ids = sizes.index.to_numpy()
    pos = pd.Series(np.arange(len(doc_ids)), index=doc_ids)
    m = mentions[mentions["doc_id"].isin(pos.index)]
    items = m[keys].drop_duplicates().sort_values(keys, kind="stable").reset_index(drop=True)
    item_idx = pd.MultiIndex.from_frame(items) if len(keys) > 1 else pd.Index(items[keys[0]])
    counts = np.zeros((len(doc_ids), len(items)), dtype=np.int64)
    if len(m):
        key_vals = pd.MultiIndex.from_frame(m[keys]) if len(keys) > 1 else pd.Index(m[keys[0]])
        cols = item_idx.get_indexer(key_vals)
        np.add.at(counts, (pos.loc[m["doc_id"]].to_numpy(), cols), 1)
    parent = None
    if share_of is not None:
        parents = items[share_of].to_numpy()
        uniq = sorted(set(parents))
        parent_of = np.array([uniq.index(p) for p in parents], dtype=np.int64)
        parent = (uniq, parent_of)
    group_of = groups.reindex(doc_ids).to_numpy()
    frames = []
    for k, label in enumerate(sorted(set(group_of))):
        mask = group_of == label
        c = counts[mask]
        size = sizes.to_numpy()[mask].astype(np.float64)
        seq = np.random.SeedSequence([seed, k, stream])
        rate_seq, doc_seq, share_seq = seq.spawn(3)
        rate, r_lo, r_hi = bootstrap_ratio(c, size, n_boot, ci, rate_seq)
        share_docs, d_lo, d_hi = bootstrap_ratio((c > 0).astype(np.float64), np.ones(mask.sum()),
                                                 n_boot, ci, doc_seq)
        out = items.copy()
        out.insert(0, "group", label)
        out["count"] = c.sum(axis=0)
        out["docs"] = (c > 0).sum(axis=0)
        out["n_docs"] = int(mask.sum())
        out["n_tokens"] = int(size.sum())
        out["per_10k"] = rate * 1e4
        out["per_10k_low"] = r_lo * 1e4
        out["per_10k_high"] = r_hi * 1e4
        out["doc_share"] = share_docs
        out["doc_share_low"] = d_lo
        out["doc_share_high"] = d_hi
        if parent is not None:
            uniq, parent_of = parent
            totals = np.zeros((c.shape[0], len(uniq)))
            for j in range(len(uniq)):
                totals[:, j] = c[:, parent_of == j].sum(axis=1)
            sh, s_lo, s_hi = bootstrap_ratio(c, totals[:, parent_of], n_boot, ci, share_seq)
            out["share"], out["share_low"], out["share_high"] = sh, s_lo, s_hi
        frames.append(out)
    cols = ["group", *keys, "count", "docs", "n_docs", "n_tokens", "per_10k", "per_10k_low",
            "per_10k_high", "doc_share", "doc_share_low", "doc_share_high"]
    if share_of is not None:
        cols += ["share", "share_low", "share_high"]
    if not frames:
        return pd.DataFrame(columns=cols + ["seed", "n_boot"])
    table = pd.concat(frames, ignore_index=True)[cols]
    table["seed"] = seed
    table["n_boot"] = n_boot
    return table
