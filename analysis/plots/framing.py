"""Figures of the framing measures: who is credited for casualty figures, which labels each
group gives the actors, distancing markers, and the grammatical agency of killing."""
from __future__ import annotations

import numpy as np
import pandas as pd

from framescope.analysis.plots._draw import (fit_legend, group_sizes_of, grid_shape, hide_unused, is_small, legend_columns, require, short,
                                  size_label, value_grid, zero_floor)
from framescope.analysis.plots.names import glossed, outlet_label
from framescope.analysis.plots.style import GUIDE, display, figure, group_styles, ltr, order_groups, styled
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_claims_attribution", "plot_actor_labels", "plot_markers", "plot_agency"]

_CI_COLUMNS = {"per_10k": ("per_10k_low", "per_10k_high", "per 10,000 tokens"),
               "doc_share": ("doc_share_low", "doc_share_high", "share of the group's documents"),
               "share": ("share_low", "share_high", "share of the actor's mentions")}


#: Attribution classes as a reader says them.
CLASS_NAMES = {"un": "UN", "ngo": "NGO", "medical_local": "local medical", "state_media": "state media",
               "unattributed": "no source given"}


def _dodged_dots(ax, table: pd.DataFrame, key: str, items: list, group_list: list, sizes: dict,
                 gap: dict | None = None) -> np.ndarray:
    """One row per item (top to bottom; ``gap``: extra space above an item), one dot per group
    dodged within the row with its ``share_low``–``share_high`` whisker; a group under the
    size floor hollow. The x axis starts just below 0, shares on a grid. Returns the rows' y."""
    styles = group_styles(group_list)
    k = len(group_list)
    offsets = (np.arange(k) - (k - 1) / 2) * (0.6 / max(k, 1))
    shift = np.cumsum([(gap or {}).get(it, 0.0) for it in items])
    base = (len(items) - 1 - np.arange(len(items))) - shift + shift[-1]
    where = dict(zip(items, base))
    for gi, g in enumerate(group_list):
        part = table[(table["group"] == g) & table[key].isin(items)]
        if part.empty:
            continue
        st = styles[g]
        err = None
        if {"share_low", "share_high"} <= set(part.columns):
            err = [np.clip(part["share"] - part["share_low"], 0, None),
                   np.clip(part["share_high"] - part["share"], 0, None)]
        ax.errorbar(part["share"], part[key].map(where).to_numpy() - offsets[gi], xerr=err, fmt=st.marker,
                    color=st.colour, ms=3.2, elinewidth=0.8, zorder=3,
                    mfc="white" if is_small(sizes.get(g)) else st.colour)
    ax.set_ylim(base.min() - 0.6, base.max() + 0.6)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    zero_floor(ax)
    value_grid(ax)
    return base


@styled
def plot_claims_attribution(table: pd.DataFrame, groups=None, width="single", title: str | None = None,
                            n: dict | None = None, min_share: float = 0.0):
    """Whom each group credits for its casualty figures: the share of its claims per source class.

    Takes :func:`framescope.report.claims_by_attribution` output. One row per attribution
    class (the most used first, "no source given" last, below a rule), one dot per group
    (colour and marker), whiskers = the table's interval (the document bootstrap of
    :func:`framescope.report.claims_by_attribution`, resampling the group's documents that
    hold claims). Shares are read on one axis, each against its interval, instead of as
    stacked segments. Groups under the size floor are drawn hollow.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``attribution_class``, ``count``, ``total`` and ``share``;
        ``share_low`` / ``share_high`` for the whiskers and ``n_docs`` for the legend when
        present.
    groups : sequence of str, optional
        Groups to draw; None: every group. Known source types are ordered as in
        :data:`framescope.analysis.plots.style.SOURCE_TYPE_ORDER`.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    n : dict, optional
        Group sizes for the legend, ``{group: docs}`` or ``{group: (docs, tokens[, small])}``;
        None: the sizes the table carries, if any.
    min_share : float, default 0.0
        Classes whose share stays under this in every group are left out and named in a
        note ("no source given" is always kept).

    Returns
    -------
    matplotlib.figure.Figure
        A dot plot of shares (0–1) by attribution class, a legend giving each group's claims
        and the documents that hold them (and its documents and tokens with ``n``).
    """
    table = require(table, ["group", "attribution_class", "count", "total", "share"], "plot_claims_attribution")
    group_list = order_groups(groups if groups is not None else table["group"])
    table = table[table["group"].isin(group_list)]
    used = table.groupby("attribution_class", sort=False)["count"].sum()
    classes = [c for c in pd.unique(table["attribution_class"]) if used.get(c, 0) > 0]
    if not classes:
        raise FramescopeError("plot_claims_attribution: no claims to plot")
    top = table.groupby("attribution_class")["share"].max()
    dropped = [c for c in classes if c != "unattributed" and top.get(c, 0) < min_share]
    classes = [c for c in classes if c not in dropped]
    # the most used classes on top; 'no source given' (the absence of a source) last, set apart
    classes = sorted(classes, key=lambda c: (c == "unattributed", -used[c]))
    gsizes = group_sizes_of(table, n)
    totals = table.groupby("group")["total"].first()
    docs = table.groupby("group")["n_docs"].first() if "n_docs" in table else {}
    labels = []
    for g in group_list:
        held = f"{int(totals.get(g, 0)):,} claims" + (f" in {int(docs[g]):,} docs" if g in docs else "")
        labels.append(size_label(outlet_label(g), gsizes.get(g), held))
    gap = {c: (0.5 if c == "unattributed" else 0.0) for c in classes}
    fig, ax = figure(width, 0.9 + 0.21 * len(classes) * max(1, len(group_list) / 3) + 0.16 * len(group_list)
                     + (0.2 if title else 0))
    base = _dodged_dots(ax, table, "attribution_class", classes, group_list, gsizes, gap=gap)
    ax.set_yticks(base, [CLASS_NAMES.get(c, display(c)) for c in classes])
    if "unattributed" in classes and len(classes) > 1:
        ax.axhline(base[-1] + 0.75, color=GUIDE, lw=0.6)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    what = "95% CI" if "share_low" not in table else f"{table.attrs.get('ci', 0.95):.0%} document-bootstrap CI"
    ax.set_xlabel(f"share of the group's casualty claims\n({what})"
                  + (f"\nunder {min_share:.0%} in every group, not shown: "
                     + ", ".join(CLASS_NAMES.get(c, display(c)) for c in dropped) if dropped else ""))
    styles = group_styles(group_list)
    handles = [ax.plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5,
                       mfc="white" if is_small(gsizes.get(g)) else styles[g].colour)[0] for g in group_list]
    names, ncol = fit_legend(labels, fig.get_figwidth(), most=2)
    fig.legend(handles, names, loc="outside upper center", ncol=ncol, handletextpad=0.2, columnspacing=0.8)
    if title:
        fig.suptitle(title)
    return fig


def _rates(table, facet: str, item: str, value: str, groups, facets, items_all: bool, width, max_cols, title, what,
           summary: bool = False, titles: dict | None = None):
    if value not in _CI_COLUMNS:
        raise FramescopeError(f"{what}: value must be one of {', '.join(_CI_COLUMNS)}, not {value!r}")
    low_col, high_col, axis_label = _CI_COLUMNS[value]
    table = require(table, ["group", facet, item, value], what)
    gsizes = group_sizes_of(table)
    if groups is not None:
        table = table[table["group"].isin(list(groups))]
    if summary:
        # one panel: every facet's '(all)' row (e.g. all labels of an actor together)
        table = table[table[item] == "(all)"].assign(**{item: lambda t: t[facet].map(display), facet: ""})
    elif not items_all:
        table = table[table[item] != "(all)"]
    if "count" in table:
        # labels no group uses (e.g. Arabic forms in an English corpus) are left out
        table = table[table.groupby([facet, item])["count"].transform("max") > 0]
    facet_list = list(facets) if facets is not None and not summary else list(pd.unique(table[facet]))
    table = table[table[facet].isin(facet_list)]
    if table.empty:
        raise FramescopeError(f"{what}: nothing left to plot for {facet} {facet_list}")
    group_list = order_groups(groups if groups is not None else table["group"])
    styles = group_styles(group_list)
    k = len(group_list)
    offsets = (np.arange(k) - (k - 1) / 2) * (0.6 / max(k, 1))
    sizes = [table[table[facet] == f][item].nunique() for f in facet_list]
    nrows, ncols = grid_shape(len(facet_list), max_cols)
    per_row = [max(sizes[r * ncols:(r + 1) * ncols]) for r in range(nrows)]
    fig, axes = figure(width, 0.45 + sum(0.4 + 0.2 * h * max(1, k / 3) for h in per_row) + (0.2 if title else 0),
                       nrows, ncols, squeeze=False, gridspec_kw={"height_ratios": [h + 2 for h in per_row]})
    for ax, f in zip(axes.ravel(), facet_list):
        sub = table[table[facet] == f]
        order = sub.groupby(item)[value].max().sort_values(kind="mergesort").index.tolist()
        where = {it: i for i, it in enumerate(order)}
        for gi, g in enumerate(group_list):
            part = sub[sub["group"] == g]
            if part.empty:
                continue
            yv = part[item].map(where).to_numpy() + offsets[gi]
            err = None
            if low_col in part and high_col in part:
                err = [np.clip(part[value] - part[low_col], 0, None), np.clip(part[high_col] - part[value], 0, None)]
            st = styles[g]
            ax.errorbar(part[value], yv, xerr=err, fmt=st.marker, color=st.colour, ms=3, elinewidth=0.8, zorder=3,
                        mfc="white" if is_small(gsizes.get(g)) else st.colour)
        ax.set_yticks(range(len(order)), [ltr(glossed(short(o, 34), limit=14)) for o in order])
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        zero_floor(ax)
        value_grid(ax)
        if f:
            ax.set_title((titles or {}).get(f, display(f)), loc="left")
        if value != "per_10k":
            ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    hide_unused(axes, len(facet_list))
    fig.supxlabel(axis_label + f" ({table.attrs.get('ci', 0.95):.0%} bootstrap CI)", fontsize=7)
    handles = [axes.ravel()[0].plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5,
                                    mfc="white" if is_small(gsizes.get(g)) else styles[g].colour)[0]
               for g in group_list]
    names, ncol = fit_legend([size_label(outlet_label(g), gsizes.get(g)) for g in group_list], fig.get_figwidth(), most=4)
    fig.legend(handles, names, loc="outside upper center", ncol=ncol)
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_actor_labels(table: pd.DataFrame, value: str = "per_10k", actors=None, groups=None,
                      include_all: bool = False, summary: bool = False, width="double", max_cols: int = 3,
                      titles: dict | None = None, title: str | None = None):
    """How often each group uses each label of an actor, with CIs: one panel per actor.

    Takes :func:`framescope.analysis.framing.actors` output. Dots per group (colour,
    marker), whiskers = the document-bootstrap CI of the table. Labels that no group uses
    (``count`` 0 everywhere) are left out.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``actor``, ``label`` and ``value`` with its interval columns
        (``per_10k_low``/``per_10k_high``, ``doc_share_low``/``doc_share_high`` or
        ``share_low``/``share_high``); ``count`` when present.
    value : {"per_10k", "doc_share", "share"}, default "per_10k"
        What is drawn: uses per 10,000 tokens, the share of the group's documents that use
        the label, or the label's share of the actor's mentions.
    actors : sequence of str, optional
        Actors to draw, one panel each, in this order; None: every actor of the table.
    groups : sequence of str, optional
        Groups to draw; None: every group.
    include_all : bool, default False
        Keep the ``'(all)'`` rows (every label of the actor together) as a row of each panel.
    summary : bool, default False
        Draw only the ``'(all)'`` rows: one row per actor in a single panel.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    max_cols : int, default 3
        Panels per row.
    titles : dict, optional
        Actor key → panel title; None: the keys.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        A grid of dot plots, one per actor, with labels down the page and a legend of the
        groups with their sizes.
    """
    return _rates(table, "actor", "label", value, groups, actors, include_all, width, max_cols, title,
                  "plot_actor_labels", summary, titles)


@styled
def plot_markers(table: pd.DataFrame, value: str = "per_10k", categories=None, groups=None,
                 include_all: bool = False, summary: bool = False, width="double", max_cols: int = 3,
                 title: str | None = None):
    """Distancing, delegitimising, hedging and boosting markers per group with CIs.

    Takes :func:`framescope.analysis.framing.markers` output: one panel per category,
    one row per marker, one dot per group with its document-bootstrap CI; otherwise as
    :func:`plot_actor_labels`.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``category``, ``marker`` and ``value`` with its interval columns;
        ``count`` when present.
    value : {"per_10k", "doc_share", "share"}, default "per_10k"
        What is drawn: uses per 10,000 tokens, the share of the group's documents that use
        the marker, or the share column of the table (``share_low``/``share_high``).
    categories : sequence of str, optional
        Categories to draw, one panel each, in this order; None: every category.
    groups : sequence of str, optional
        Groups to draw; None: every group.
    include_all : bool, default False
        Keep the ``'(all)'`` rows (every marker of the category together).
    summary : bool, default False
        Draw only the ``'(all)'`` rows: one row per category in a single panel.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    max_cols : int, default 3
        Panels per row.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        A grid of dot plots, one per category, and a legend of the groups with their sizes.
    """
    return _rates(table, "category", "marker", value, groups, categories, include_all, width, max_cols, title,
                  "plot_markers", summary)


@styled
def plot_agency(table: pd.DataFrame, groups=None, width="single", title: str | None = None, n: dict | None = None):
    """Who kills in the grammar: share of each agency class among a group's killing expressions.

    Takes :func:`framescope.analysis.framing.agency` output. Agency classes down the page
    (agent named as subject, demoted to a by-phrase, left out, nominal, intransitive); one
    dot per group with its interval. Small groups are drawn hollow.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``agency``, ``share``, ``share_low`` and ``share_high``;
        ``total`` (the group's expressions) for the legend when present.
    groups : sequence of str, optional
        Groups to draw; None: every group.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    n : dict, optional
        Group sizes for the legend, ``{group: docs}`` or ``{group: (docs, tokens[, small])}``;
        None: the table's size columns, if any.

    Returns
    -------
    matplotlib.figure.Figure
        A dot plot of shares (0–1) by agency class with a legend giving each group's
        expressions and, when known, its documents and tokens.
    """
    table = require(table, ["group", "agency", "share", "share_low", "share_high"], "plot_agency")
    group_list = order_groups(groups if groups is not None else table["group"])
    styles = group_styles(group_list)
    classes = list(pd.unique(table["agency"]))
    sizes = group_sizes_of(table, n)
    fig, ax = figure(width, 0.8 + 0.34 * len(classes) * max(1, len(group_list) / 3) + 0.16 * len(group_list)
                     + (0.2 if title else 0))
    base = _dodged_dots(ax, table, "agency", classes, group_list, sizes)
    labels = []
    for g in group_list:
        part = table[table["group"] == g]
        total = int(part["total"].iloc[0]) if "total" in part and len(part) else None
        labels.append(size_label(outlet_label(g), sizes.get(g), f"{total:,} expressions" if total is not None else None))
    pretty = {"agent": "killer is the subject", "by_phrase": "killer in a by-phrase", "agentless": "no killer named",
              "nominal": "noun (death, killing)", "intransitive": "intransitive (died)"}
    ax.set_yticks(base, [pretty.get(c, display(c)) for c in classes])
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(f"share of killing expressions ({table.attrs.get('ci', 0.95):.0%} CI)")
    handles = [ax.plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5,
                       mfc="white" if is_small(sizes.get(g)) else styles[g].colour)[0] for g in group_list]
    names, ncol = fit_legend(labels, fig.get_figwidth(), most=2)
    fig.legend(handles, names, loc="outside upper center", ncol=ncol, handletextpad=0.2, columnspacing=0.8)
    if title:
        fig.suptitle(title)
    return fig
