"""Casualty claims compared across groups, places and periods, and against reference figures."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor, attach_group_sizes, comparison_sizes, document_groups

#: The columns of :func:`claims_comparison`, in order.
COMPARISON_COLUMNS = ["kind", "place", "period", "outcome", "group", "label", "n_claims", "n_vague",
                      "n_docs", "number_median", "number_min", "number_max", "numbers",
                      "attribution", "reference_label", "reference_number", "reference_source",
                      "ratio_to_reference"]
NO_PLACE = "(no place)"
UNDATED = "(undated)"


def read_reference(reference) -> pd.DataFrame:
    """Reference figures for :func:`claims_comparison`.

    Parameters
    ----------
    reference : path, pandas.DataFrame or None
        A CSV file (UTF-8) or table with ``label, number, source`` and, optionally,
        ``place``, ``outcome`` (default killed) and ``period``.

    Returns
    -------
    pandas.DataFrame
        label, number (int64; "1,139" is read as 1139), source, place, outcome, period
        (empty strings for absent values); empty for None.

    Raises
    ------
    FramescopeError
        A missing file or column, or a number that is not one (naming the row).

    References
    ----------
    The reference figures and the comparison: ``docs/claims.md``.
    """
    if reference is None:
        return pd.DataFrame(columns=["label", "number", "source", "place", "outcome", "period"])
    if isinstance(reference, pd.DataFrame):
        ref = reference.copy()
        where = "reference table"
    else:
        path = Path(reference)
        if not path.is_file():
            raise lx.FramescopeError(f"reference file not found: {path}")
        try:
            ref = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except Exception as exc:
            raise lx.FramescopeError(f"cannot read reference CSV {path}: {exc}") from None
        where = str(path)
    missing = [c for c in ("label", "number", "source") if c not in ref.columns]
    if missing:
        raise lx.FramescopeError(f"{where} lacks column(s) {', '.join(missing)} (needs label, number, source)")
    nums = pd.to_numeric(ref["number"].astype(str).str.replace(",", "").str.strip(), errors="coerce")
    if nums.isna().any():
        row = int(nums.isna().to_numpy().argmax())
        raise lx.FramescopeError(f"{where} row {row + 2}: number {ref['number'].iloc[row]!r} is not a number")
    ref["number"] = nums.astype("int64")
    for col, default in (("place", ""), ("outcome", "killed"), ("period", "")):
        if col not in ref.columns:
            ref[col] = default
        ref[col] = ref[col].fillna(default).astype(str).str.strip()
    ref.loc[ref["outcome"] == "", "outcome"] = "killed"
    return ref[["label", "number", "source", "place", "outcome", "period"]]


def claims_comparison(claims_df: pd.DataFrame, documents, by: str | None = "source_type",
                      reference=None, period: str | None = "M", outcome: str | None = "killed",
                      victim: str | None = None, groups=None, match_dates: bool | str = False,
                      include_duplicates: bool = False, floor: SizeFloor = DEFAULT_FLOOR,
                      sizes: pd.Series | None = None) -> pd.DataFrame:
    """The figures each group cites for the same place and period, and reference figures.

    Parameters
    ----------
    claims_df : pandas.DataFrame
        :func:`framescope.analysis.framing.claims.claims`.
    documents : Corpus or pandas.DataFrame
        The corpus (or only its documents table) the claims come from: ``by`` and the
        dates are read from it, and, from a corpus, the groups' token counts.
    by : str, list of str or None
        Grouping column(s) or expression (:func:`framescope.analysis.groups.document_groups`).
    reference : path or pandas.DataFrame, optional
        Reference figures ``label, number, source`` [+ ``place``, ``outcome``, ``period``]
        (:func:`read_reference`).
    period : str or None
        Pandas period alias of the document date ('D', 'W', 'M', 'Q', 'Y'), or None for
        all dates together.
    outcome, victim : str or None
        Keep only claims with this outcome / victim class (None: all).
    groups : list of str or mapping of str to str, optional
        Labels of ``by`` to keep, or ``{label: query}`` groups (as ``document_groups``).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover.
    include_duplicates : bool
        Keep documents marked as duplicates in the groups (default: left out, as in
        :func:`~framescope.analysis.framing.claims.claims`).
    floor : SizeFloor
        Groups under it are flagged ``small_group``.
    sizes : pandas.Series, optional
        Tokens per document (:func:`framescope.analysis.groups.document_sizes`), if already
        computed; without it and with a corpus they are computed, with only a documents
        table ``group_tokens`` stays empty.

    Returns
    -------
    pandas.DataFrame
        :data:`COMPARISON_COLUMNS` then ``group_docs``, ``group_tokens`` (the group's size
        by the rule of every comparison, the same N as in every other table) and
        ``small_group``. One ``kind='corpus'`` row per (place, period, outcome, group):
        ``n_claims`` claims with a figure, ``n_vague`` without, ``n_docs`` documents citing
        them; ``number_median/min/max`` over the figures (a range contributes its bounds,
        "at least N" its N); ``numbers`` the distinct figures ("1139;1300");
        ``attribution`` the claims per attribution class ("military:2;ngo:1"). Each
        reference figure is a ``kind='reference'`` row (no group sizes); corpus rows of the
        reference's place (or every corpus row when it has no place) and outcome get its
        ``reference_*`` columns and ``ratio_to_reference`` = number_median / reference
        number. ``attrs``: ``group_sizes``, ``excluded`` (documents left out) and
        ``claims_left_out`` (claims of documents in no group).

    Notes
    -----
    Subset claims (``subset_of`` set: "including four children") are left out: they are
    part of a total, not a figure of their own. Places are matched case-insensitively as
    written (no gazetteer).

    References
    ----------
    The rules and their measured quality: ``docs/claims.md``; groups, sizes and matched
    dates: ``docs/groups.md``.
    Rosenbaum, P. R. (2010). *Design of Observational Studies*. Springer, ch. 1–3 (comparing
    groups matched on a covariate, here the date).
    """
    from framescope.corpus.store import Corpus

    docs = documents.documents if hasattr(documents, "documents") else documents
    is_corpus = hasattr(documents, "segments")
    corpus_like = documents if hasattr(documents, "documents") else Corpus.from_frames(docs, pd.DataFrame())
    labels = document_groups(corpus_like, by, groups=groups, keep_duplicates=include_duplicates,
                             match_dates=match_dates)
    group_size = comparison_sizes(corpus_like if is_corpus else None, labels, floor, sizes)
    c = claims_df.copy()
    if "subset_of" in c:
        c = c[c["subset_of"].isna()]  # "including four children" is part of a total, not a toll
    if outcome is not None:
        c = c[c["outcome"] == outcome]
    if victim is not None:
        c = c[c["victim"] == victim]
    c["group"] = c["doc_id"].map(labels)
    left_out = int(c["group"].isna().sum())  # claims of duplicates, undated or unmatched documents
    c = c[c["group"].notna()]
    dates = pd.to_datetime(docs.set_index("doc_id")["date"], errors="coerce") if "date" in docs else None
    if period is None or dates is None:
        c["period"] = "all"
    else:
        try:
            per = dates.dt.to_period(period).astype(str).where(dates.notna(), UNDATED)
        except Exception as exc:
            raise lx.FramescopeError(f"bad period {period!r}: {exc}") from None
        c["period"] = c["doc_id"].map(per).fillna(UNDATED)
    c["place_key"] = c["place"].fillna("").str.strip().str.casefold()
    c.loc[c["place_key"] == "", "place_key"] = NO_PLACE
    rows = []
    for (place_key, per, out_, group), part in c.groupby(["place_key", "period", "outcome", "group"], sort=True):
        figures = []
        for num, lo, hi in zip(part["number"], part["number_min"], part["number_max"]):
            if pd.notna(num):
                figures.append(int(num))
            else:
                figures += [int(x) for x in (lo, hi) if pd.notna(x)]
        shown = part["place"].dropna()
        rows.append({
            "kind": "corpus", "place": shown.mode().iloc[0] if len(shown) else NO_PLACE,
            "place_key": place_key, "period": per, "outcome": out_, "group": group, "label": None,
            "n_claims": int(part["number"].notna().sum() + (part["number"].isna() & part["number_min"].notna()).sum()),
            "n_vague": int((part["qualifier"] == "vague").sum()), "n_docs": int(part["doc_id"].nunique()),
            "number_median": float(np.median(figures)) if figures else np.nan,
            "number_min": min(figures) if figures else pd.NA, "number_max": max(figures) if figures else pd.NA,
            "numbers": ";".join(str(x) for x in sorted(set(figures))),
            "attribution": ";".join(f"{k}:{v}" for k, v in sorted(part["attribution_class"].value_counts().items())),
        })
    table = pd.DataFrame(rows, columns=[*COMPARISON_COLUMNS[:2], "place_key", *COMPARISON_COLUMNS[2:]])
    ref = read_reference(reference)
    ref_rows = []
    joined = []
    for _, r in ref.iterrows():
        key = r["place"].casefold() if r["place"] else None
        ref_rows.append({"kind": "reference", "place": r["place"] or None, "place_key": key,
                         "period": r["period"] or None, "outcome": r["outcome"], "group": r["source"],
                         "label": r["label"], "n_claims": 1, "n_vague": 0, "n_docs": 0,
                         "number_median": float(r["number"]), "number_min": int(r["number"]),
                         "number_max": int(r["number"]), "numbers": str(int(r["number"])),
                         "attribution": None})
        if table.empty:
            continue
        match = table["outcome"] == r["outcome"]
        if key:
            match &= table["place_key"] == key
        if r["period"]:
            match &= table["period"] == r["period"]
        part = table[match].copy()
        part["reference_label"] = r["label"]
        part["reference_number"] = int(r["number"])
        part["reference_source"] = r["source"]
        joined.append(part)
    if joined:
        matched = pd.concat(joined, ignore_index=True)
        key_cols = ["place_key", "period", "outcome", "group"]
        matched_keys = set(map(tuple, matched[key_cols].to_numpy()))
        rest = table[[tuple(k) not in matched_keys for k in table[key_cols].to_numpy()]]
        table = pd.concat([matched, rest.assign(reference_label=None, reference_number=pd.NA,
                                                reference_source=None)], ignore_index=True)
    if ref_rows:
        table = pd.concat([table, pd.DataFrame(ref_rows)], ignore_index=True)
    for col in ("reference_label", "reference_number", "reference_source"):
        if col not in table:
            table[col] = None
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio_to_reference"] = pd.to_numeric(table["number_median"], errors="coerce") / \
            pd.to_numeric(table["reference_number"], errors="coerce")
    table.loc[table["kind"] == "reference", "ratio_to_reference"] = np.nan
    table = table.sort_values(["kind", "place_key", "period", "outcome", "group", "reference_label"],
                              kind="stable", na_position="first").reset_index(drop=True)
    for col in ("number_min", "number_max", "reference_number"):
        table[col] = pd.array(pd.to_numeric(table[col], errors="coerce"), dtype="Int64")
    for col in ("reference_label", "reference_source"):  # text, also when no row has a reference
        table[col] = table[col].astype(object).where(table[col].notna(), None)
    table = attach_group_sizes(table[COMPARISON_COLUMNS], group_size, ("group",))
    table.loc[(table["kind"] == "reference").to_numpy(), ["group_docs", "group_tokens"]] = pd.NA
    table.loc[(table["kind"] == "reference").to_numpy(), "small_group"] = False
    table.attrs.update({"by": by, "period": period, "outcome": outcome, "victim": victim,
                        "match_dates": match_dates, "shared_periods": labels.attrs.get("shared_periods"),
                        "claims_left_out": left_out})
    return table
