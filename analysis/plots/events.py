"""Figures of event-matched comparison: one event across outlets, and within-event
differences between groups (matched) beside the raw differences (unmatched)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from framescope.analysis.plots.style import MUTED, display, figure, group_styles, order_groups, styled
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_event_profile", "plot_within_event"]

MEASURE_TITLES = {"log_toll_max": "highest toll\nlog10(1 + n)",
                  "attributed_share": "claims with\na source (share)",
                  "cites_ngo": "cites an NGO\n(share of docs)",
                  "cites_government": "cites a government\n(share of docs)",
                  "cites_state_media": "cites state media\n(share of docs)",
                  "agentless_share": "killings, no agent\n(share)",
                  "distancing_per_10k": "distancing\n(per 10k tokens)",
                  "terrorists_per_10k": "'terrorists'\n(per 10k tokens)"}


def _require(table: pd.DataFrame, columns, what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise FramescopeError(f"{what}: expected a DataFrame, not {type(table).__name__}")
    if missing := [c for c in columns if c not in table]:
        raise FramescopeError(f"{what}: table lacks columns {missing}")
    if table.empty:
        raise FramescopeError(f"{what}: nothing to plot")
    return table


@styled
def plot_within_event(table: pd.DataFrame, measures=None, width="double", title: str | None = None):
    """Forest plot of group differences inside events (filled) and overall (hollow).

    Takes :func:`framescope.analysis.event_compare.within_event_difference` output. One
    panel per measure, one row per group compared with the reference group; the matched
    estimate is the event fixed-effects difference (Wooldridge 2010) with an interval that
    resamples events (Cameron, Gelbach & Miller 2008), the unmatched one the raw difference
    of means with a document-bootstrap interval. Row labels give the number of shared
    events and of documents on each side.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``measure``, ``design`` (``matched`` / ``unmatched``), ``group``,
        ``reference``, ``estimate``, ``low``, ``high``, ``n_events``, ``n_docs_group`` and
        ``n_docs_reference``.
    measures : sequence of str, optional
        Measures to draw, one panel each, in this order; None: every measure of the table.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        Panels sharing the group rows: per group a filled dot (matched) and a hollow dot
        (unmatched) with their intervals, and a zero line (no difference from the reference).

    References
    ----------
    .. [1] Wooldridge, J. M. (2010). *Econometric Analysis of Cross Section and Panel Data*,
       2nd ed., ch. 10. MIT Press.
    .. [2] Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008). Bootstrap-based
       improvements for inference with clustered errors. *Review of Economics and
       Statistics* 90(3), 414–427.
    """
    table = _require(table, ["measure", "design", "group", "reference", "estimate", "estimate_low", "estimate_high",
                             "n_events", "n_docs_group", "n_docs_reference"], "plot_within_event")
    measures = list(measures or pd.unique(table["measure"]))
    groups = order_groups(pd.unique(table["group"]))
    styles = group_styles(groups)
    ref = table["reference"].iloc[0]
    fig, axes = figure(width, 0.9 + 0.42 * len(groups), ncols=len(measures), sharey=True, squeeze=False)
    y = np.arange(len(groups))[::-1]
    for ax, m in zip(axes[0], measures):
        sub = table[table["measure"] == m]
        for yi, g in zip(y, groups):
            st = styles[g]
            for design, dy, face in (("matched", 0.13, st.colour), ("unmatched", -0.13, "white")):
                row = sub[(sub["group"] == g) & (sub["design"] == design)]
                if row.empty or not np.isfinite(row["estimate"].iloc[0]):
                    continue
                r = row.iloc[0]
                ax.plot([r["estimate_low"], r["estimate_high"]], [yi + dy] * 2, color=st.colour, lw=1.0,
                        ls="-" if design == "matched" else (0, (2, 1)))
                ax.plot(r["estimate"], yi + dy, marker=st.marker, ms=4.5, mfc=face, mec=st.colour, mew=1.0,
                        ls="none")
        ax.axvline(0, color=MUTED, lw=0.6, zorder=0)
        ax.set_title(MEASURE_TITLES.get(m, display(m)), fontsize=7.5)
        ax.margins(x=0.15)
        ax.locator_params(axis="x", nbins=3)
    labels = []
    for g in groups:
        mt = table[(table["group"] == g) & (table["design"] == "matched")]
        ev = int(mt["n_events"].max()) if len(mt) and pd.notna(mt["n_events"].max()) else 0
        um = table[(table["group"] == g) & (table["design"] == "unmatched")]
        nd = int(um["n_docs_group"].max()) if len(um) else 0
        labels.append(f"{display(g)}\n{ev} shared events; {nd} docs in all")
    axes[0][0].set_yticks(y, labels, fontsize=7)
    axes[0][0].set_ylim(-0.6, len(groups) - 0.4)
    handles = [Line2D([], [], color=MUTED, marker="o", mfc=MUTED, ls="-", label="inside events (event fixed effects; events resampled)"),
               Line2D([], [], color=MUTED, marker="o", mfc="white", ls=(0, (2, 1)),
                      label="unmatched (all documents; documents resampled)")]
    # the reference group's documents in all (the unmatched design), as the groups' labels count theirs
    um = table[table["design"] == "unmatched"]
    n_ref = int((um if len(um) else table)["n_docs_reference"].max())
    fig.supxlabel(f"difference from {display(ref)} ({n_ref:,} docs in all; group minus {display(ref)})", fontsize=7.5)
    fig.legend(handles=handles, loc="outside upper center", ncol=2, fontsize=7, frameon=False)
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_event_profile(profile: pd.DataFrame, outlet_names: dict | None = None, width="double",
                       title: str | None = None):
    """One event, N outlets: the death toll each outlet claimed, whom it cited, whom it named.

    Takes :func:`framescope.analysis.event_compare.event_profile` output. Outlets are
    grouped and coloured by group.

    Parameters
    ----------
    profile : pandas.DataFrame
        One row per outlet: columns ``outlet``, ``group``, ``n_docs``, ``toll_min``,
        ``toll_max`` (numbers of people claimed killed), ``cited`` (attribution classes,
        ``;``-separated), ``perpetrator`` and ``victims`` (``;``-separated).
    outlet_names : dict, optional
        Outlet code → name shown (e.g. the registry's ``name`` column); None: the codes.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the range of numbers claimed killed per outlet (log scale; a dot when one
        number); right, as text: the sources cited, the perpetrator named and the victim
        words. Row labels give each outlet's documents.
    """
    profile = _require(profile, ["outlet", "group", "n_docs", "toll_min", "toll_max", "cited",
                                 "perpetrator", "victims"], "plot_event_profile")
    groups = order_groups(pd.unique(profile["group"]))
    styles = group_styles(groups)
    prof = profile.assign(_g=profile["group"].map({g: i for i, g in enumerate(groups)}))
    prof = prof.sort_values(["_g", "outlet"]).reset_index(drop=True)
    n = len(prof)
    names = outlet_names or {}
    fig, (ax, tx) = figure(width, 0.9 + 0.42 * n, ncols=2, sharey=True,
                           gridspec_kw={"width_ratios": [1, 1.6]})
    y = np.arange(n)[::-1]
    tolls = prof[["toll_min", "toll_max"]].astype(float)
    for yi, (_, r), (lo, hi) in zip(y, prof.iterrows(), tolls.itertuples(index=False)):
        st = styles[r["group"]]
        if np.isfinite(hi):
            ax.plot([lo, hi], [yi, yi], color=st.colour, lw=1.6)
            ax.plot([lo, hi], [yi, yi], marker=st.marker, ms=4.5, color=st.colour, ls="none")
            ax.text(hi, yi + 0.28, f"{int(lo)}" if lo == hi else f"{int(lo)}–{int(hi)}", fontsize=7,
                    ha="center", va="bottom", color=MUTED)
        else:
            ax.text(1.2, yi, "no toll", fontsize=7, va="center", color=MUTED)
        cited = ", ".join(display(c) for c in str(r["cited"] or "").split(";") if c) or "no source"
        perp = r["perpetrator"]
        perp = "—" if perp is None or (isinstance(perp, float) and np.isnan(perp)) else \
            ", ".join(display(p) for p in str(perp).split(";"))
        victims = ", ".join(v for v in str(r["victims"] or "").split(";") if v) or "—"
        tx.text(0.0, yi, f"cites: {cited}\nkiller named: {perp}\nvictims: {victims}", fontsize=7,
                va="center", ha="left", linespacing=1.1)
    ax.set_xscale("log")
    finite = tolls.to_numpy()[np.isfinite(tolls.to_numpy())]
    if finite.size:
        ax.set_xlim(max(0.8, finite.min() / 2), finite.max() * 2)
    ax.set_yticks(y, [f"{names.get(o, display(o))}\n{display(g)}, {d} doc{'s' if d != 1 else ''}"
                      for o, g, d in zip(prof["outlet"], prof["group"], prof["n_docs"])], fontsize=7)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("people claimed killed (log scale)", fontsize=7)
    tx.set_axis_off()
    tx.set_xlim(0, 1)
    if title:
        fig.suptitle(title, fontsize=8)
    return fig
