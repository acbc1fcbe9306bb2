"""Groups of documents for every comparison: one rule for labels, duplicates, dates and sizes.

Every statistic that compares groups of documents (keyness, collocations, topic
prevalence, framing rates, claims) asks the same questions: which group is each document
in, which documents are left out, and how large is each group. This module answers them
once, so that the same group has the same N in every table.

:func:`document_groups` gives a group label per document (a Series indexed by
``doc_id``; documents left out are absent, and counted in ``.attrs["excluded"]``):

``by``
    a document column (``"alignment"``, ``"source_type"``, ``"outlet"``; any registry or
    document column), a list of columns (``["alignment", "source_type"]`` gives joined
    labels such as ``"pro_damascus/state_media"``), a pandas expression over the columns
    (``"date.dt.year"``), or ``None`` (one group ``"all"``); ``"alignment,source_type"`` is
    read as the list (for the command line). A misspelled column is a
    one-line error naming the closest column and the available ones.
``groups``
    ``None`` (every label), a list of labels to keep (in that order; a misspelled label is
    an error naming the closest one), or a dict ``label → query`` defining the groups by
    pandas queries on document metadata (a document matching none is left out; one
    matching two is an error).
``keep_duplicates``
    documents whose ``duplicate_of`` is set are left out of every analysis by default
    (the first copy stays), so the same group has the same size in every table.
``match_dates``
    ``False``; ``True`` or ``"day"``; ``"week"`` (ISO weeks, Monday first), ``"month"`` or ``"year"``:
    every group is restricted to the periods that all groups cover, so a state agency seen
    on 2 days is compared with the press on the same 2 days. Undated documents are left
    out (and counted) when dates are matched.

:func:`comparison_groups` does the same for a two-group comparison given as target and
reference specs (a value of ``by``, a list of values, or a query). :func:`group_sizes`
counts documents and tokens per group and flags groups under a floor
(:class:`SizeFloor`, default 30 documents or 10,000 tokens). Tokens are always counted by
one rule, :func:`document_sizes`: running words and numbers of the analysable segments,
punctuation dropped, stopwords kept (:data:`SIZE_OPTIONS`), whatever token options the
statistic itself uses, so a group's ``n_tokens`` is the same in every table;
:func:`comparison_sizes` chains the two. :func:`attach_group_sizes`
puts the counts on a result table by the convention every comparison follows:

* for each column naming a group (``group``, or ``target`` and ``reference``), columns
  ``<column>_docs`` and ``<column>_tokens``;
* ``small_group``: True when a group of the row is under the floor;
* ``attrs["group_sizes"]`` (records: group, n_docs, n_tokens, small_group),
  ``attrs["small_groups"]`` (names), ``attrs["size_floor"]`` and ``attrs["excluded"]``
  (documents left out: duplicates, no group, undated, outside the shared dates);
* a :class:`SmallGroupWarning` naming every group under the floor.

References
----------
Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K., & Mannila, H. (2016).
Significance testing of word frequencies in corpora. *Digital Scholarship in the
Humanities*, 31(2), 374–397. (Why group sizes in documents, not only tokens, matter.)
Rosenbaum, P. R. (2010). *Design of Observational Studies*. Springer, ch. 1–3. (Matching
compared groups on a covariate, here the publication date.)
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import warnings
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.token_store import RUNNING_WORD_OPTIONS
from framescope.analysis.tokens import TokenOptions, stored_document_sizes, tokens
from framescope.corpus.errors import FramescopeError

__all__ = ["SizeFloor", "DEFAULT_FLOOR", "SmallGroupWarning", "MISSING_GROUP", "JOIN", "document_groups",
           "comparison_groups", "with_group_column", "group_sizes", "attach_group_sizes", "small_group_names",
           "small_groups_sentence", "PERIODS", "SIZE_OPTIONS", "document_sizes", "comparison_sizes"]

#: Label of documents whose grouping column is empty (kept as a group, not dropped).
MISSING_GROUP = "(missing)"
#: Separator of joined labels when ``by`` is a list of columns.
JOIN = "/"
#: ``match_dates`` values and the pandas period each stands for.
PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SmallGroupWarning(UserWarning):
    """A compared group is under the size floor."""


@dataclass(frozen=True)
class SizeFloor:
    """Groups with fewer than ``min_docs`` documents or ``min_tokens`` tokens are flagged.

    The defaults (30 documents, 10,000 tokens) are a floor, not a power analysis: under
    it a document bootstrap has too few units to resample and one verbose document can
    carry a group's rate.

    Parameters
    ----------
    min_docs : int, default 30
        Fewest documents a group may have without being flagged.
    min_tokens : int, default 10000
        Fewest tokens a group may have without being flagged.
    """

    min_docs: int = 30
    min_tokens: int = 10_000

    def __post_init__(self):
        if int(self.min_docs) < 0 or int(self.min_tokens) < 0:
            raise FramescopeError(f"size floor must be >= 0, not {self.min_docs} documents / {self.min_tokens} tokens")

    def as_dict(self) -> dict:
        """The floor as ``{"min_docs": ..., "min_tokens": ...}`` (for ``attrs`` and ``.meta.json``)."""
        return {"min_docs": int(self.min_docs), "min_tokens": int(self.min_tokens)}


#: The size floor used when none is given: :class:`SizeFloor` with its defaults (30 documents,
#: 10,000 tokens); a group with fewer documents or fewer tokens is flagged in every comparison.
DEFAULT_FLOOR = SizeFloor()


# --- labels -------------------------------------------------------------------------------------

def _closest(word: str, options) -> str:
    options = [str(o) for o in options]
    best = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f" (did you mean {best[0]!r}?)" if best else ""


def _column_values(docs: pd.DataFrame, by: str) -> pd.Series:
    if by in docs.columns:
        return docs[by]
    cols = [str(c) for c in docs.columns if c != "text"]
    if _IDENTIFIER.fullmatch(by):
        raise FramescopeError(f"cannot group by {by!r}: no such document column{_closest(by, cols)}; "
                              f"columns: {', '.join(cols)}")
    try:
        values = docs.eval(by, engine="python")
    except Exception as exc:  # pandas raises many types for a bad expression
        raise FramescopeError(f"cannot group by {by!r}: not a column ({', '.join(cols)}) nor an expression "
                              f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    if not isinstance(values, pd.Series) or len(values) != len(docs):
        raise FramescopeError(f"cannot group by {by!r}: it does not give one value per document")
    return values


def _as_labels(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), MISSING_GROUP).map(str)


def _labels_by(docs: pd.DataFrame, by) -> pd.Series:
    """One string label per row of ``docs`` (positional index)."""
    if by is None:
        return pd.Series("all", index=docs.index, dtype=object)
    if isinstance(by, str) and by not in docs.columns and "," in by \
            and all(_IDENTIFIER.fullmatch(p.strip()) for p in by.split(",")):
        by = [p.strip() for p in by.split(",")]  # the command line's --by alignment,source_type
    columns = [by] if isinstance(by, str) else list(by)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise FramescopeError(f"by must be a column name, a list of column names or None, not {by!r}")
    parts = [_as_labels(_column_values(docs, c)) for c in columns]
    labels = parts[0]
    for p in parts[1:]:
        labels = labels + JOIN + p
    return labels


def _query_mask(docs: pd.DataFrame, query: str, what: str) -> np.ndarray:
    try:
        mask = docs.eval(query, engine="python")
    except Exception as exc:  # pandas raises many types for a bad query
        cols = [str(c) for c in docs.columns if c != "text"]
        words = [w for w in _IDENTIFIER.findall(query) if w not in docs.columns and w not in {"and", "or", "not",
                                                                                          "in", "True", "False"}]
        hint = _closest(words[0], cols) if words else ""
        raise FramescopeError(f"{what} {query!r} is not a query over the document columns{hint} "
                              f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    if not isinstance(mask, pd.Series) or mask.dtype != bool:
        raise FramescopeError(f"{what} {query!r} does not give True/False per document")
    return mask.to_numpy()


def _period_of(dates: pd.Series, match_dates) -> pd.Series:
    key = "day" if match_dates is True else match_dates
    if key not in PERIODS:
        raise FramescopeError(f"match_dates must be True, False, 'day', 'week', 'month' or 'year', "
                              f"not {match_dates!r}")
    d = pd.to_datetime(dates, errors="coerce")
    return d.dt.to_period(PERIODS[key]).astype(str).where(d.notna(), None)


def document_groups(corpus, by=None, groups: Sequence[str] | Mapping[str, str] | None = None,
                    keep_duplicates: bool = False, match_dates: bool | str = False) -> pd.Series:
    """Group label of every document that takes part in a comparison (module doc).

    Parameters
    ----------
    corpus : Corpus
        The corpus, or anything with a ``documents`` DataFrame.
    by : str, list of str or None
        Column(s) or expression giving the label; ``None`` → one group ``"all"``.
    groups : list of labels, dict label → query, or None
        Keep these labels (list, in that order) or define the groups by queries (dict).
    keep_duplicates : bool
        Keep documents whose ``duplicate_of`` is set (default: leave them out).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover; undated documents are left out.

    Returns
    -------
    pandas.Series
        Labels indexed by ``doc_id`` (corpus order), name ``"group"``. ``attrs``: ``by``,
        ``groups`` (labels in order), ``keep_duplicates``, ``match_dates``, ``excluded``
        (counts of documents left out: ``duplicates``, ``no_group``, ``undated``,
        ``outside_shared_dates``) and, with matched dates, ``shared_periods``.

    Raises
    ------
    FramescopeError
        For an unknown column or label (naming the closest one), a document in two groups,
        or groups that share no date.

    References
    ----------
    Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora. *Digital
    Scholarship in the Humanities*, 31(2), 374–397.
    """
    docs = corpus.documents.reset_index(drop=True)
    keep = np.ones(len(docs), dtype=bool)
    excluded = {"duplicates": 0, "no_group": 0, "undated": 0, "outside_shared_dates": 0}
    if not keep_duplicates and "duplicate_of" in docs:
        dup = docs["duplicate_of"].notna().to_numpy()
        excluded["duplicates"] = int(dup.sum())
        keep &= ~dup
    if isinstance(groups, Mapping):
        labels = pd.Series(None, index=docs.index, dtype=object)
        for name, query in groups.items():
            mask = _query_mask(docs, query, f"group {name!r}:")
            clash = mask & labels.notna().to_numpy() & keep
            if clash.any():
                other = labels[clash].iloc[0]
                raise FramescopeError(f"document {docs.loc[clash, 'doc_id'].iloc[0]} is in both groups {other!r} and "
                                      f"{name!r}; make the group queries exclusive")
            labels[mask & labels.isna().to_numpy()] = str(name)
        order = [str(g) for g in groups]
    else:
        labels = _labels_by(docs, by)
        present = list(pd.unique(labels[keep]))
        if groups is None:
            order = sorted(present)
        else:
            if isinstance(groups, str):
                groups = [groups]
            order = [str(g) for g in groups]
            for g in order:
                if g not in present:
                    raise FramescopeError(f"no documents in group {g!r}{_closest(g, present)}; groups of "
                                          f"{by!r}: {', '.join(sorted(map(str, present)))}")
            labels = labels.where(labels.isin(order), None)
    grouped = labels.notna().to_numpy()
    excluded["no_group"] = int((keep & ~grouped).sum())
    keep &= grouped
    attrs = {"by": by if not isinstance(by, list) else list(by), "groups": order,
             "keep_duplicates": bool(keep_duplicates), "match_dates": match_dates}
    if match_dates:
        period = _period_of(docs["date"], match_dates)
        dated = period.notna().to_numpy()
        excluded["undated"] = int((keep & ~dated).sum())
        keep &= dated
        covered = [set(period[keep & (labels == g).to_numpy()]) for g in order]
        covered = [c for c in covered if c]
        shared = set.intersection(*covered) if covered else set()
        if not shared:
            raise FramescopeError(f"the groups {', '.join(map(repr, order))} share no "
                                  f"{'day' if match_dates is True else match_dates}; compare them unmatched")
        inside = period.isin(shared).to_numpy()
        excluded["outside_shared_dates"] = int((keep & ~inside).sum())
        keep &= inside
        attrs["shared_periods"] = sorted(shared)
    out = pd.Series(labels[keep].to_numpy(), index=pd.Index(docs.loc[keep, "doc_id"].to_numpy(), name="doc_id"),
                    name="group", dtype=object)
    empty = [g for g in order if not (out == g).any()]
    if groups is not None and empty:
        raise FramescopeError(f"group {empty[0]!r} has no documents left after leaving out "
                              + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in excluded.items() if v))
    attrs["groups"] = [g for g in order if g not in empty]
    attrs["excluded"] = excluded
    out.attrs.update(attrs)
    return out


def _spec_mask(docs: pd.DataFrame, labels: pd.Series | None, spec, what: str) -> np.ndarray:
    if labels is not None:
        values = [spec] if isinstance(spec, str) else list(spec)
        present = set(labels)
        if all(v in present for v in values):
            return labels.isin(values).to_numpy()
        if not isinstance(spec, str) or _IDENTIFIER.fullmatch(spec):
            missing = next(v for v in values if v not in present)
            raise FramescopeError(f"{what} {missing!r} is not a group{_closest(missing, present)}; "
                                  f"groups: {', '.join(sorted(map(str, present)))}")
    if not isinstance(spec, str):
        raise FramescopeError(f"{what} must be a query or, with by=, a value or list of values; got {spec!r}")
    return _query_mask(docs, spec, what)


def comparison_groups(corpus, target, reference=None, by=None, target_label: str | None = None,
                      reference_label: str | None = None, keep_duplicates: bool = False,
                      match_dates: bool | str = False) -> pd.Series:
    """Labels of a two-group comparison: ``target`` against ``reference``.

    Each spec is a value of ``by`` (``by="alignment", target="pro_damascus"``), a list of
    values (joined labels with a list ``by``), or a pandas query
    (``"source_type == 'wire'"``). ``reference=None`` is every other document. Labels are
    ``target_label``/``reference_label`` (default: the spec). Duplicates and dates follow
    :func:`document_groups`; a document in both groups is an error.

    Parameters
    ----------
    corpus : Corpus
        The corpus, or anything with a ``documents`` DataFrame.
    target : str or list of str
        The target group: a value of ``by``, a list of values, or a pandas query.
    reference : str, list of str or None
        The reference group, as ``target``; ``None`` is every document not in the target.
    by : str, list of str or None
        The column(s) whose values ``target`` and ``reference`` name (not needed for queries).
    target_label, reference_label : str, optional
        Labels of the two groups (default: the specs as written).
    keep_duplicates : bool
        Keep documents whose ``duplicate_of`` is set (default: leave them out).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict both groups to the periods both cover.

    Returns
    -------
    pandas.Series
        As :func:`document_groups`, with ``attrs["target_label"]`` and ``attrs["reference_label"]``.
    """
    docs = corpus.documents.reset_index(drop=True)
    labels = _labels_by(docs, by) if by is not None else None
    t = _spec_mask(docs, labels, target, "target")
    r = ~t if reference is None else _spec_mask(docs, labels, reference, "reference")
    both = t & r
    if both.any():
        raise FramescopeError(f"document {docs.loc[both, 'doc_id'].iloc[0]} is in the target and the reference")
    t_label = target_label or (target if isinstance(target, str) else JOIN.join(map(str, target)))
    r_label = reference_label or ("rest" if reference is None else
                                  reference if isinstance(reference, str) else JOIN.join(map(str, reference)))
    if t_label == r_label:
        raise FramescopeError(f"target and reference have the same label {t_label!r}")
    spec = {t_label: t, r_label: r}
    tmp = docs.assign(_cmp_group=np.select([t, r], [t_label, r_label], default=None))
    view = _DocumentsOnly(tmp)
    out = document_groups(view, "_cmp_group", groups=list(spec), keep_duplicates=keep_duplicates,
                          match_dates=match_dates)
    out.attrs.update({"by": by, "target_label": t_label, "reference_label": r_label})
    return out


@dataclass
class _DocumentsOnly:
    documents: pd.DataFrame


def with_group_column(corpus, column: str = "group", by=None, groups=None, keep_duplicates: bool = False,
                      match_dates: bool | str = False):
    """The documents of ``corpus`` that take part in a comparison, with a column naming their group.

    Labels by :func:`document_groups`; the documents left out (duplicates, no group,
    outside the shared dates) are dropped with their segments, so every analysis run on
    the result (any function taking ``by=column``) sees the same groups with the same N.
    The labels' attrs are kept in ``corpus.manifest["groups"][column]``.

    Examples
    --------
    >>> design = with_group_column(corpus, "design", groups={
    ...     "pro-Damascus state media": "alignment == 'pro_damascus' and source_type == 'state_media'",
    ...     "wire": "source_type == 'wire'"})           # doctest: +SKIP
    >>> keyness(design, "design == 'pro-Damascus state media'", "design == 'wire'")  # doctest: +SKIP

    Parameters
    ----------
    corpus : Corpus
        The corpus to restrict.
    column : str, default "group"
        Name of the new document column holding the labels.
    by, groups, keep_duplicates, match_dates : as in :func:`document_groups`
        Which documents form which group.

    Returns
    -------
    Corpus
        A corpus of the documents that take part (with their segments), with ``column``.
    """
    import dataclasses

    if column in corpus.documents.columns:
        raise FramescopeError(f"the corpus already has a column {column!r}")
    labels = document_groups(corpus, by, groups=groups, keep_duplicates=keep_duplicates, match_dates=match_dates)
    docs = corpus.documents[corpus.documents["doc_id"].isin(labels.index)]
    docs = docs.assign(**{column: docs["doc_id"].map(labels).to_numpy()}).reset_index(drop=True)
    segs = corpus.segments[corpus.segments["doc_id"].isin(labels.index)].reset_index(drop=True)
    manifest = dict(corpus.manifest)
    manifest["groups"] = {**manifest.get("groups", {}), column: {k: v for k, v in labels.attrs.items()}}
    manifest["subset"] = [*manifest.get("subset", []), f"groups in column {column!r}"]
    return dataclasses.replace(corpus, documents=docs, segments=segs, manifest=manifest)


# --- sizes --------------------------------------------------------------------------------------

#: The one token count of group sizes and of framing rates: running words and numbers,
#: punctuation dropped, stopwords kept (a group's size does not depend on a stopword list).
#: Every token store counts them per document in its own pass
#: (:data:`framescope.analysis.token_store.RUNNING_WORD_OPTIONS`, the same options).
SIZE_OPTIONS: TokenOptions = RUNNING_WORD_OPTIONS


#: sizes counted in this process: {(corpus_id, include_duplicates): tokens by doc_id, -1 = no text}
SIZE_CACHE: dict = {}


def document_sizes(corpus, include_duplicates: bool = False) -> pd.Series:
    """Tokens per document under :data:`SIZE_OPTIONS` (the ``tokens`` of every group size).

    Parameters
    ----------
    corpus : Corpus
        A corpus or a subset. The counts are read from a token store of its folder that
        recorded them (any store whose options split words as :data:`SIZE_OPTIONS` does:
        :func:`framescope.analysis.tokens.stored_document_sizes`, no second tokenisation);
        otherwise its analysable segments are tokenised under :data:`SIZE_OPTIONS` (or read
        from that store). Both give the same numbers.
    include_duplicates : bool
        Count documents marked as duplicates too (default: they are absent).

    Returns
    -------
    pandas.Series
        int64 token counts indexed by ``doc_id``; documents with no analysable text are
        absent (they count 0 in :func:`group_sizes`).
    """
    # Counted once per document and process: every comparison of a notebook (and the demo,
    # which runs them all) asks for the sizes of the same groups again.
    key = (corpus.corpus_id, include_duplicates)
    ids = corpus.documents["doc_id"]
    known = SIZE_CACHE.get(key, pd.Series(dtype=np.int64)) if corpus.corpus_id else pd.Series(dtype=np.int64)
    missing = ids[~ids.isin(known.index)]
    if len(missing):
        stored = stored_document_sizes(corpus, SIZE_OPTIONS)
        if stored is not None:  # counted when the token store was made
            new = stored.reindex(missing.to_numpy(), fill_value=-1)
            if not include_duplicates and "duplicate_of" in corpus.documents:
                docs = corpus.documents
                new[new.index.isin(docs.loc[docs["duplicate_of"].notna(), "doc_id"])] = -1
        else:
            part = corpus
            if len(missing) < len(ids):
                keep = set(missing)
                part = dataclasses.replace(corpus, documents=corpus.documents[ids.isin(keep)],
                                           segments=corpus.segments[corpus.segments["doc_id"].isin(keep)])
            toks = tokens(part, SIZE_OPTIONS, include_duplicates=include_duplicates)
            new = pd.Series([len(t) for t in toks], index=list(toks.doc_ids), dtype=np.int64)
            new = new.reindex(missing.to_numpy(), fill_value=-1)
        known = pd.concat([known, new.astype(np.int64)])  # -1: no text
        if corpus.corpus_id:
            SIZE_CACHE[key] = known
    out = known.reindex(ids.to_numpy())
    out = out[out >= 0].astype(np.int64)
    out.index.name = "doc_id"
    return out


def comparison_sizes(corpus, labels: pd.Series, floor: SizeFloor | None = None,
                     sizes: pd.Series | None = None) -> pd.DataFrame:
    """:func:`group_sizes` of ``labels`` with the tokens of :func:`document_sizes`.

    Parameters
    ----------
    corpus : Corpus or None
        The corpus the labels come from; ``None`` (e.g. only a documents table is at hand)
        leaves ``n_tokens`` empty and flags groups by documents only.
    labels : pandas.Series
        From :func:`document_groups` or :func:`comparison_groups`.
    floor : SizeFloor, optional
        Default :data:`DEFAULT_FLOOR` (30 documents or 10,000 tokens).
    sizes : pandas.Series, optional
        Tokens per document already computed by :func:`document_sizes` (saves tokenising
        the corpus again).

    Returns
    -------
    pandas.DataFrame
        group, n_docs, n_tokens, small_group (as :func:`group_sizes`).
    """
    if sizes is None and corpus is not None:
        sizes = document_sizes(corpus, include_duplicates=bool(labels.attrs.get("keep_duplicates", False)))
    return group_sizes(labels, sizes, floor or DEFAULT_FLOOR)

def group_sizes(labels: pd.Series, tokens: pd.Series | None = None, floor: SizeFloor = DEFAULT_FLOOR
                ) -> pd.DataFrame:
    """Documents and tokens per group, and whether the group is under ``floor``.

    Parameters
    ----------
    labels : pandas.Series
        Group labels indexed by ``doc_id``, from :func:`document_groups`.
    tokens : pandas.Series, optional
        Tokens per document (index ``doc_id``) as the analysis counts them (documents
        absent count 0); ``None`` leaves ``n_tokens`` empty (Int64, missing) and checks documents only.
    floor : SizeFloor
        The size floor (default 30 documents or 10,000 tokens).

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``n_docs``, ``n_tokens``, ``small_group`` (docs/columns.md), one row
        per group, in ``labels.attrs["groups"]`` order when present; ``attrs`` carry the
        floor and the exclusion counts.
    """
    order = labels.attrs.get("groups") or sorted(pd.unique(labels))
    docs = labels.value_counts().reindex(order, fill_value=0)
    if tokens is not None:
        tok = tokens.reindex(labels.index).fillna(0).groupby(labels.to_numpy()).sum().reindex(order, fill_value=0)
        tok = tok.astype(np.int64)
    else:
        tok = pd.Series(pd.NA, index=order, dtype="Int64")
    small = (docs < floor.min_docs) | (tok.fillna(np.iinfo(np.int64).max) < floor.min_tokens)
    out = pd.DataFrame({"group": order, "n_docs": docs.to_numpy().astype(np.int64), "n_tokens": tok.array,
                        "small_group": small.to_numpy().astype(bool)})
    out.attrs.update({"size_floor": floor.as_dict(), "excluded": dict(labels.attrs.get("excluded", {}))})
    return out


def small_group_names(sizes: pd.DataFrame) -> list[str]:
    """Names of the groups under the floor.

    Parameters
    ----------
    sizes : pandas.DataFrame
        A table of :func:`group_sizes`.

    Returns
    -------
    list of str
        The groups whose ``small_group`` is true, in table order.
    """
    return [str(g) for g in sizes.loc[sizes["small_group"], "group"]]


def small_groups_sentence(sizes: pd.DataFrame, name=str) -> str:
    """Say which groups are under the size floor, as a sentence for a figure's caption.

    Parameters
    ----------
    sizes : pandas.DataFrame
        A table of :func:`group_sizes`.
    name : callable, default str
        Turns a group label into the words the sentence uses.

    Returns
    -------
    str
        ``' Under the size floor (fewer than 30 documents or 10,000 words), to be read with
        care: wire (23 documents, 8,511 words).'``, or ``''`` when no group is small.
    """
    small = sizes[sizes["small_group"]]
    if small.empty:
        return ""
    floor = sizes.attrs.get("size_floor", DEFAULT_FLOOR.as_dict())
    parts = [_describe(r.to_dict() | {"group": name(r["group"])}, quote=False, unit="words") for _, r in small.iterrows()]
    return (f" Under the size floor (fewer than {floor['min_docs']} documents or {floor['min_tokens']:,} words), to be "
            f"read with care: {', '.join(parts)}.")


def _describe(row, quote: bool = True, unit: str = "tokens") -> str:
    tok = "" if pd.isna(row["n_tokens"]) else f", {int(row['n_tokens']):,} {unit}"
    n = int(row["n_docs"])
    name = repr(row["group"]) if quote else str(row["group"])
    return f"{name} ({n:,} document{'' if n == 1 else 's'}{tok})"


def attach_group_sizes(table: pd.DataFrame, sizes: pd.DataFrame, columns: Sequence[str] = ("group",),
                       warn: bool = True) -> pd.DataFrame:
    """``table`` with ``<column>_docs``, ``<column>_tokens``, ``small_group`` and the sizes in attrs.

    ``columns`` name the columns of ``table`` that hold a group label (``("group",)`` for a
    long table, ``("target", "reference")`` for a two-group one); a label not in
    ``sizes`` gets empty counts. Warns (:class:`SmallGroupWarning`) naming every group
    under the floor, unless ``warn=False``.

    Parameters
    ----------
    table : pandas.DataFrame
        A result table with group labels.
    sizes : pandas.DataFrame
        A table of :func:`group_sizes`.
    columns : sequence of str, default ("group",)
        The columns of ``table`` holding group labels.
    warn : bool, default True
        Warn with :class:`SmallGroupWarning` when a group is under the floor.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with ``<column>_docs``, ``<column>_tokens`` (Int64) and
        ``small_group`` (docs/columns.md); ``attrs``: ``group_sizes``, ``small_groups``,
        ``size_floor``, ``excluded``.
    """
    out = table.copy()
    by_group = sizes.set_index("group")
    small = pd.Series(False, index=out.index)
    for col in columns:
        if col not in out.columns:
            raise FramescopeError(f"no column {col!r} in the table ({', '.join(map(str, out.columns))})")
        key = out[col].astype(object)
        out[f"{col}_docs"] = key.map(by_group["n_docs"]).astype("Int64")
        out[f"{col}_tokens"] = key.map(by_group["n_tokens"]).astype("Int64")
        small |= key.map(by_group["small_group"]).fillna(False).astype(bool)
    out["small_group"] = small.to_numpy()
    floor = sizes.attrs.get("size_floor", DEFAULT_FLOOR.as_dict())
    names = small_group_names(sizes)
    out.attrs.update({"group_sizes": sizes[["group", "n_docs", "n_tokens", "small_group"]].astype(object)
                     .where(sizes[["group", "n_docs", "n_tokens", "small_group"]].notna(), None).to_dict("records"),
                      "small_groups": names, "size_floor": floor,
                      "excluded": dict(sizes.attrs.get("excluded", {}))})
    if warn and names:
        rows = by_group.loc[names].reset_index()
        warnings.warn(f"group{'s' if len(names) > 1 else ''} under the floor of {floor['min_docs']} documents or "
                      f"{floor['min_tokens']:,} tokens: " + ", ".join(_describe(r) for _, r in rows.iterrows()),
                      SmallGroupWarning, stacklevel=2)
    return out
