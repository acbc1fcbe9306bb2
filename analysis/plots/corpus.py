"""Figures of the corpus and its texts: composition, dispersion, frequency over time, KWIC."""
from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch
import numpy as np
import pandas as pd

from framescope.analysis.plots._draw import (fit_legend, fmt_count, group_sizes_of, grid_shape, hide_unused, is_small, legend_columns,
                                  require, right_values, short, size_label, value_grid, zero_floor)
from framescope.analysis.plots.names import glossed, outlet_label
from framescope.analysis.plots.style import (DOUBLE_COLUMN, GUIDE, MUTED, display, figure, group_styles, has_arabic,
                                  ltr, order_groups, styled)
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_composition", "plot_dispersion", "plot_frequency_over_time", "plot_kwic", "kwic_sample"]


#: Collections as their papers name them (registry/collection codes → names).
COLLECTION_NAMES = {"fakes": "FA-KES", "saudinewsnet": "SaudiNewsNet", "seeds": "seed articles"}


@styled
def plot_composition(table: pd.DataFrame, width="double", title: str | None = None):
    """Documents and tokens per outlet (in blocks by collection), and per source type and language.

    Takes :func:`framescope.report.composition` output. Bars are coloured and hatched by
    source type; axes are logarithmic because outlets differ by three orders of magnitude.
    Sizes are running words (column ``running_words``: the N of every comparison figure);
    without it the analysed tokens (after the token options), else whitespace words. Bars count the documents analysed (column
    ``analysed``: duplicates left out) when the table has it; outlets are named by their
    registry short names (:func:`framescope.analysis.plots.names.outlet_label`).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``collection``, ``outlet``, ``source_type``, ``lang``, ``documents`` and
        ``tokens`` or ``words``; ``analysed`` is used when present.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: documents per outlet · language (log scale, a block per collection),
        tokens per outlet · language (log scale), and documents per source type · language
        labelled with their documents and tokens; a legend of the source types.
    """
    table = require(table, ["collection", "outlet", "source_type", "lang", "documents"], "plot_composition")
    # bars count the documents analysed (duplicates left out) when the table says which
    docs_col = "analysed" if "analysed" in table.columns else "documents"
    # running words (the N of every comparison figure) when the table has them
    size_col = next((c for c in ("running_words", "tokens", "words") if c in table and table[c].sum() > 0), "words")
    if size_col not in table:
        raise FramescopeError("plot_composition: the table needs a tokens or words column")
    kinds = order_groups(table["source_type"])
    styles = group_styles(kinds)
    # rows top to bottom: a header per collection, then its outlets by documents
    entries = []
    for coll, block in table.groupby("collection", sort=True):
        entries.append(("header", COLLECTION_NAMES.get(coll, coll), None))
        block = block.sort_values([docs_col, "outlet"], ascending=[False, True], kind="mergesort")
        ambiguous = block.duplicated(["outlet", "lang"], keep=False)
        for (_, r), amb in zip(block.iterrows(), ambiguous):
            name = short(outlet_label(r["outlet"]), 22) + (f" ({display(r['source_type'])})" if amb else "")
            entries.append(("outlet", f"{name} \u00b7 {r['lang']}", r))
    n = len(entries)
    y_of = {i: n - 1 - i for i in range(n)}
    by_kind = table.groupby(["source_type", "lang"], sort=False)[[docs_col, size_col]].sum().reset_index()
    by_kind["_k"] = by_kind["source_type"].map({k: i for i, k in enumerate(kinds)})
    by_kind = by_kind.sort_values(["_k", "lang"], ascending=[False, False]).reset_index(drop=True)
    fig, axes = figure(width, 0.9 + 0.115 * n + (0.2 if title else 0), 1, 3,
                       gridspec_kw={"width_ratios": [1, 1, 0.9]})
    ax_docs, ax_tok, ax_kind = axes
    for ax, col in ((ax_docs, docs_col), (ax_tok, size_col)):
        for i, (kind, _, r) in enumerate(entries):
            if kind != "outlet":
                continue
            st = styles[r["source_type"]]
            ax.barh(y_of[i], max(r[col], 0.9), color=st.colour, hatch=st.hatch, hatchcolor=st.hatch_colour,
                    edgecolor="white", linewidth=0.3, height=0.75)
        ax.set_xscale("log")
        ax.set_ylim(-0.6, n - 0.4)
        ax.tick_params(axis="y", length=0)
        value_grid(ax)
        ax.spines["left"].set_visible(False)
    ax_docs.set_xlim(left=0.8)
    ax_docs.set_yticks([y_of[i] for i in range(n)], [label for _, label, _ in entries], fontsize=7)
    for i, (kind, _, _) in enumerate(entries):
        if kind == "header":
            tick = ax_docs.get_yticklabels()[i]
            tick.set_fontstyle("italic")
            tick.set_color(MUTED)
            tick.set_fontsize(7)
            for ax in (ax_docs, ax_tok):
                if i:
                    ax.axhline(y_of[i] + 0.5, color=GUIDE, lw=0.6)
    ax_tok.set_yticks([y_of[i] for i in range(n)], [""] * n)
    docs_label = "documents analysed\n(duplicates left out; log)" if docs_col == "analysed" else "documents (log scale)"
    ax_docs.set_xlabel(docs_label)
    ax_tok.set_xlabel({"running_words": "running words", "tokens": "analysed tokens"}.get(size_col, "words")
                      + "\n(log scale)")
    yk = np.arange(len(by_kind))
    for i, r in by_kind.iterrows():
        st = styles[r["source_type"]]
        ax_kind.barh(yk[i], r[docs_col], color=st.colour, hatch=st.hatch, hatchcolor=st.hatch_colour,
                     edgecolor="white", linewidth=0.3, height=0.75)
        unit = "tok." if size_col == "tokens" else "words"
        ax_kind.text(r[docs_col] * 1.15, yk[i], f"{int(r[docs_col]):,} doc{'s' if int(r[docs_col]) != 1 else ''}\n{fmt_count(r[size_col])} {unit}",
                     va="center",
                     fontsize=7, color=MUTED)
    ax_kind.set_xscale("log")
    ax_kind.set_xlim(0.8, by_kind[docs_col].max() * 60)
    ax_kind.set_yticks(yk, [f"{display(k)} \u00b7 {lang}" for k, lang in zip(by_kind["source_type"], by_kind["lang"])],
                       fontsize=7)
    ax_kind.tick_params(axis="y", length=0)
    ax_kind.spines["left"].set_visible(False)
    ax_kind.set_xlabel(docs_label)
    ax_kind.set_title("by source type \u00b7 language", loc="left", fontsize=7)
    ax_docs.set_title("by outlet \u00b7 language", loc="left", fontsize=7)
    handles = [Patch(facecolor=styles[k].colour, hatch=styles[k].hatch, hatchcolor=styles[k].hatch_colour,
                     edgecolor="white") for k in kinds]
    fig.legend(handles, [display(k) for k in kinds], loc="outside upper center",
               ncol=legend_columns([display(k) for k in kinds], fig.get_figwidth()))
    if title:
        fig.suptitle(title)
    return fig


#: Stretches of the longest group's text a dense dispersion row is binned into (see plot_dispersion).
DENSITY_BINS = 400
#: Mean occurrences per stretch above which a row's ticks would merge (then rows are shaded strips).
DENSE_PER_BIN = 2.0


@styled
def plot_dispersion(positions: pd.DataFrame, groups=None, max_groups: int = 16, width="double",
                    title: str | None = None, scale: str = "tokens"):
    """Lexical dispersion plot: where each term occurs in each group's running text.

    Takes :func:`framescope.report.term_positions` output. One band per group (its
    documents in date order, laid end to end), one line of ticks per term inside the band
    (colour per term); a white line marks where each new year's documents begin, and the
    label gives the years covered. Positions, band lengths, labels and rates share one unit, the
    running words of every group size (:func:`framescope.analysis.groups.document_sizes`:
    stopwords kept, punctuation dropped): the left label gives the group's documents and
    running words as every other figure's legend does ("147 docs, 26k tok."; small groups,
    under :data:`framescope.analysis.groups.DEFAULT_FLOOR`, marked), the right one each
    term's rate per 10,000 of those words (in legend order). When a row holds on average more
    than :data:`DENSE_PER_BIN` occurrences per stretch of 1/:data:`DENSITY_BINS` of the axis
    (ticks would merge into solid blocks at print size), every row is drawn instead as a strip of stretches of the same number of words,
    each shaded by how many occurrences it holds (darkest: the term's 95th percentile over
    stretches), as the note under the figure says.

    Parameters
    ----------
    positions : pandas.DataFrame
        Columns ``group``, ``term`` and ``rel_position``; ``position`` for
        ``scale='tokens'``. Group sizes come from ``attrs['groups']`` (else from
        ``group_tokens`` / ``group_docs``), the term order from ``attrs['terms']``.
    groups : sequence of str, optional
        Groups to draw, in this order; None: every group, largest (most tokens) first.
    max_groups : int, default 16
        At most this many groups are drawn.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    scale : {"tokens", "relative"}, default "tokens"
        ``"tokens"``: every band on one shared axis of running words, so a group of 400
        words is a short band next to one of 40,000 (falls back to ``"relative"`` without
        a ``position`` column); ``"relative"``: every band stretched to 0–1 (positions as
        shares of the group's text: compare spread, not size).

    Returns
    -------
    matplotlib.figure.Figure
        One band per group with a tick per occurrence, a legend of the terms with their
        total counts.
    """
    from framescope.analysis.groups import DEFAULT_FLOOR

    if scale not in ("tokens", "relative"):
        raise FramescopeError(f"plot_dispersion: scale must be 'tokens' or 'relative', not {scale!r}")
    positions = require(positions, ["group", "term", "rel_position"], "plot_dispersion")
    if scale == "tokens" and "position" not in positions.columns:
        scale = "relative"
    sizes = positions.attrs.get("groups") or {
        g: {"group_tokens": int(s["group_tokens"].iloc[0]) if "group_tokens" in s else 0,
            "group_docs": int(s["group_docs"].iloc[0]) if "group_docs" in s else 0}
        for g, s in positions.groupby("group")}
    order = groups if groups is not None else sorted(sizes, key=lambda g: (-sizes[g]["group_tokens"], g))
    order = list(order)[:max_groups]
    terms = list(positions.attrs.get("terms") or pd.unique(positions["term"]))
    styles = group_styles(terms)
    n_terms = len(terms)
    band = 1.0
    step = band / (n_terms + 1)
    col = "position" if scale == "tokens" else "rel_position"
    longest = max((sizes.get(g, {}).get("group_tokens", 0) for g in order), default=1) or 1
    counts = positions.groupby(["group", "term"]).size()
    # Ticks merge into solid blocks once a row holds more occurrences than the axis has room
    # for (a 1.7M-word newspaper at 7 in): then every row is drawn as a strip of stretches of
    # `width_words` words, shaded by the term's rate in each stretch, instead of a barcode.
    width_words = longest / DENSITY_BINS if scale == "tokens" else 0
    dense = bool(width_words) and any(
        counts.get((g, t), 0) > DENSE_PER_BIN * max(sizes.get(g, {}).get("group_tokens", 0), 1) / width_words
        for g in order for t in terms)
    caps = {}
    if dense:
        for t in terms:
            per_bin = [np.bincount((positions[(positions["group"] == g) & (positions["term"] == t)]["position"]
                                    .to_numpy() // width_words).astype(int)) for g in order]
            nonzero = np.concatenate([b[b > 0] for b in per_bin] or [np.zeros(0)])
            caps[t] = float(np.percentile(nonzero, 95)) if len(nonzero) else 1.0
    fig, ax = figure(width, 0.85 + len(order) * (0.12 + 0.07 * n_terms) + (0.2 if title else 0)
                     + (0.3 if dense else 0))  # room for the note on the strips
    rates = []
    for gi, g in enumerate(order):
        base = (len(order) - 1 - gi) * (band + 0.25)
        tokens = sizes.get(g, {}).get("group_tokens", 0)
        end = tokens if scale == "tokens" else 1.0
        ax.fill_between([0, end], base - 0.02, base + band + 0.02, color="#EEEEEE", lw=0, zorder=0)
        if scale == "tokens":  # the first document of each new year: a white line across the band
            starts = [p for p in sizes.get(g, {}).get("years", {}).values() if p > 0]
            if starts:
                ax.vlines(starts, base - 0.02, base + band + 0.02, color="white", lw=1.2, zorder=1)
        for ti, term in enumerate(terms):
            hits = positions[(positions["group"] == g) & (positions["term"] == term)][col].to_numpy()
            yc = base + band - (ti + 1) * step
            if len(hits) and dense:
                bins = np.bincount((hits // width_words).astype(int))
                filled = np.flatnonzero(bins)
                shade = [(*to_rgb(styles[term].colour), min(1.0, 0.15 + 0.85 * c / caps[term]))
                         for c in bins[filled]]
                ax.broken_barh([(b * width_words, width_words) for b in filled], (yc - step * 0.42, step * 0.84),
                               facecolors=shade, lw=0, zorder=2)
            elif len(hits):
                ax.vlines(hits, yc - step * 0.42, yc + step * 0.42, color=styles[term].colour, lw=0.5, zorder=2)
        rates.append(" \u00b7 ".join(f"{counts.get((g, t), 0) / tokens * 1e4:.1f}" if tokens else "\u2013"
                                      for t in terms))
    yt = [(len(order) - 1 - gi) * (band + 0.25) + band / 2 for gi in range(len(order))]
    labels = []
    for g in order:
        docs, tokens = sizes.get(g, {}).get("group_docs", 0), sizes.get(g, {}).get("group_tokens", 0)
        small = docs < DEFAULT_FLOOR.min_docs or tokens < DEFAULT_FLOOR.min_tokens
        first, last = sizes.get(g, {}).get("first_year"), sizes.get(g, {}).get("last_year")
        years = None if first is None else (f"{first}" if first == last else f"{first}\u2013{str(last)[-2:]}")
        labels.append(size_label(short(outlet_label(g), 22), (docs, tokens, small), years))  # as every legend
    ax.set_yticks(yt, labels)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, longest if scale == "tokens" else 1)
    ax.set_ylim(-0.15, (len(order) - 1) * (band + 0.25) + band + 0.15)
    ax.spines["left"].set_visible(False)
    if scale == "tokens":
        ax.xaxis.set_major_formatter(lambda v, _: fmt_count(v) if v else "0")
        dated = any(len(v.get("years", {})) > 1 for v in sizes.values())
        ax.set_xlabel("position in the group's running text (words, stopwords kept: the tok. of every group size;\n"
                      "its documents in date order, end to end" + ("; white line: a new year begins)" if dated else ")"))
    else:
        ax.set_xlabel("position in the group's documents (date order; 0 = first word, 1 = last)")
    right_values(ax, yt, rates, "per 10k tok.")
    if dense:
        fig.supxlabel(f"each row a strip of stretches of {fmt_count(width_words)} words, the darker the more "
                      f"occurrences (darkest: the term's 95th percentile, "
                      + ", ".join(f"{caps[t] / width_words * 1e4:.0f}" for t in terms)
                      + " per 10k tok.); blank: none", fontsize=7, color=MUTED)
    total = positions.groupby("term").size()
    handles = [ax.plot([], [], "|", color=styles[t].colour, ms=7, mew=1.4)[0] for t in terms]
    names = [ltr(f"{glossed(t)} (n = {int(total.get(t, 0)):,})") for t in terms]
    fig.legend(handles, names, loc="outside upper center", ncol=legend_columns(names, fig.get_figwidth(), most=5))
    if title:
        fig.suptitle(title)
    return fig


_PERIOD_FREQ = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
_PERIOD_FORMAT = {"year": "%Y", "quarter": "%b %Y", "month": "%b %Y", "week": "%d %b", "day": "%d %b"}
_PERIOD_DAYS = {"year": 365.25, "quarter": 91.3, "month": 30.44, "week": 7.0, "day": 1.0}


def _date_axis(ax, periods: pd.Series, period: str | None) -> None:
    """Limits half a period beyond the data and one tick format per period length: whole
    days, weeks, months or years, never an offset text that names another month."""
    import matplotlib.dates as mdates

    days = _PERIOD_DAYS.get(period or "")
    if days is None or periods.empty:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=5))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        return
    lo, hi = pd.to_datetime(periods.min()), pd.to_datetime(periods.max())
    pad = pd.Timedelta(days=0.6 * days)
    ax.set_xlim(lo - pad, hi + pad)
    span = max((hi - lo).days / days, 1.0)
    every = max(1, int(np.ceil(span / 4)))
    if period == "year":
        locator = mdates.YearLocator(base=every)
    elif period in ("month", "quarter"):
        locator = mdates.MonthLocator(interval=every * (3 if period == "quarter" else 1))
    else:
        locator = mdates.DayLocator(interval=every * (7 if period == "week" else 1))
    ax.xaxis.set_major_locator(locator)
    if period in ("week", "day"):
        # day ticks name no year: the first tick and any tick in January carry it ('22 Jul 2015', '29 Jul')
        def day_tick(value, pos):
            when = mdates.num2date(value)
            return when.strftime("%d %b %Y" if pos == 0 or when.month == 1 and when.day <= 7 * every else "%d %b")

        ax.xaxis.set_major_formatter(day_tick)
    else:
        ax.xaxis.set_major_formatter(mdates.DateFormatter(_PERIOD_FORMAT[period]))


def _poisson_interval(count, size, level: float = 0.95):
    """Exact (Garwood) Poisson interval of ``count`` as a rate per 10,000 of ``size``."""
    from scipy.stats import chi2

    count = np.asarray(count, dtype=float)
    size = np.asarray(size, dtype=float)
    a = (1 - level) / 2
    low = np.where(count > 0, chi2.ppf(a, 2 * count) / 2, 0.0)
    high = chi2.ppf(1 - a, 2 * count + 2) / 2
    return low / size * 1e4, high / size * 1e4


def _with_gaps(part: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """``part`` (sorted by period) with an empty row wherever a period is missing, so that
    the line breaks there instead of bridging days (or years) without data."""
    freq = _PERIOD_FREQ.get(period or "")
    if freq is None or len(part) < 2:
        return part
    idx = pd.PeriodIndex(pd.to_datetime(part["period"]), freq=freq)
    step = np.diff(idx.asi8)
    rows = []
    for i, (_, r) in enumerate(part.iterrows()):
        rows.append(r)
        if i < len(step) and step[i] > 1:
            rows.append(pd.Series({c: (r[c] + (part["period"].iloc[i + 1] - r[c]) / 2 if c == "period" else np.nan)
                                   for c in part.columns}))
    return pd.DataFrame(rows).reset_index(drop=True)


@styled
def plot_frequency_over_time(timeline: pd.DataFrame, terms=None, groups=None, min_size: int = 0,
                             width="double", max_cols: int = 3, sharey: bool = False, title: str | None = None,
                             n: dict | None = None):
    """Frequency per 10,000 tokens over time, one panel per term, one line per group.

    Takes :func:`framescope.report.term_timeline` output. Each point has its exact 95 %
    Poisson interval (Garwood 1936) of the period's count (token-level: it ignores the
    clustering of a term in documents, so it is a lower bound on the uncertainty). Lines
    break over missing periods instead of bridging them (``attrs['period']`` gives the
    step). Date ticks are full dates ('22 Jul 2015', '29 Jul', 'Jul 2015', '2015': the first
    day tick carries the year), with no offset text.

    Parameters
    ----------
    timeline : pandas.DataFrame
        Columns ``group``, ``period``, ``term``, ``per_10k`` and ``size`` (the group's
        tokens in the period); ``freq`` for the intervals and ``docs`` for the legend.
    terms : sequence of str, optional
        Terms to draw, one panel each, in this order; None: every term of the table.
    groups : sequence of str, optional
        Groups to draw; None: every group. Known source types are ordered as in
        :data:`framescope.analysis.plots.style.SOURCE_TYPE_ORDER`.
    min_size : int, default 0
        Periods whose group has fewer tokens are left out (noted under the figure).
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    max_cols : int, default 3
        Panels per row.
    sharey : bool, default False
        One y axis for all panels (compare terms) instead of one per term.
    title : str, optional
        Figure title; None: no title.
    n : dict, optional
        Group sizes for the legend, ``{group: docs}`` or ``{group: (docs, tokens[, small])}``;
        None: the documents (column ``docs``) and tokens over the periods shown.

    Returns
    -------
    matplotlib.figure.Figure
        A grid of panels, one per term, with a line and interval whiskers per group and a
        legend of the groups with their sizes.

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika*
       28(3/4), 437–442.
    """
    timeline = require(timeline, ["group", "period", "term", "per_10k", "size"], "plot_frequency_over_time")
    terms = list(terms) if terms is not None else list(pd.unique(timeline["term"]))
    group_list = order_groups(groups if groups is not None else timeline["group"])
    styles = group_styles(group_list)
    period = timeline.attrs.get("period")
    nrows, ncols = grid_shape(len(terms), max_cols)
    fig, axes = figure(width, 0.7 + 1.55 * nrows + (0.2 if title else 0), nrows, ncols, squeeze=False,
                       sharex=True, sharey=sharey)
    kept = timeline[timeline["size"] >= min_size]
    shown = kept[kept["term"] == terms[0]] if terms else kept.head(0)
    tokens = shown.groupby("group")["size"].sum()
    if not (sizes := group_sizes_of(timeline, n)):
        from framescope.analysis.groups import DEFAULT_FLOOR

        # documents and tokens over the periods drawn (column docs: the group's documents in a period)
        docs = shown.groupby("group")["docs"].sum() if "docs" in shown.columns else {}
        sizes = {g: (int(docs[g]) if g in docs else None, tokens.get(g, 0),
                     tokens.get(g, 0) < DEFAULT_FLOOR.min_tokens or (g in docs and docs[g] < DEFAULT_FLOOR.min_docs))
                 for g in group_list}
    for ax, term in zip(axes.ravel(), terms):
        sub = kept[kept["term"] == term]
        for gi, g in enumerate(group_list):
            part = sub[sub["group"] == g].sort_values("period")
            if part.empty:
                continue
            st = styles[g]
            # groups side by side within a period, so their intervals do not hide each other
            dodge = pd.Timedelta(days=_PERIOD_DAYS.get(period or "", 0) * 0.12 * (gi - (len(group_list) - 1) / 2))
            part = part.assign(period=pd.to_datetime(part["period"]) + dodge)
            if "freq" in part:
                low, high = _poisson_interval(part["freq"], part["size"])
                ax.vlines(part["period"], low, high, color=st.colour, lw=0.7, alpha=0.6, zorder=2)
            line = _with_gaps(part[["period", "per_10k"]], period)
            ax.plot(line["period"], line["per_10k"], color=st.colour, ls=st.linestyle, lw=0.9, zorder=2)
            ax.plot(part["period"], part["per_10k"], st.marker, color=st.colour, ms=3.2, ls="none", zorder=3,
                    mfc="white" if is_small(sizes.get(g)) else st.colour)
        ax.set_title(glossed(term), loc="left")
        zero_floor(ax, "y")
        value_grid(ax, "y")
    for ax in axes[:, 0]:
        ax.set_ylabel("per 10,000 tokens")
    hide_unused(axes, len(terms))
    handles = [axes.ravel()[0].plot([], [], marker=styles[g].marker, color=styles[g].colour, ls=styles[g].linestyle,
                                    ms=3.5, mfc="white" if is_small(sizes.get(g)) else styles[g].colour)[0]
               for g in group_list]
    names, ncol = fit_legend([size_label(outlet_label(g), sizes.get(g)) if sizes.get(g, (None,))[0] is not None
                              else f"{outlet_label(g)} ({fmt_count(tokens.get(g, 0))} tok."
                              f"{'; small' if is_small(sizes.get(g)) else ''})" for g in group_list],
                             fig.get_figwidth(), most=4)
    fig.legend(handles, names, loc="outside upper center", ncol=ncol)
    fig.supxlabel((f"periods with fewer than {min_size:,} tokens left out; " if min_size else "")
                  + "whiskers: exact 95% Poisson interval of the count; lines break over missing periods",
                  fontsize=7, color=MUTED)
    for ax in axes.ravel():
        _date_axis(ax, kept["period"], period)
    if title:
        fig.suptitle(title)
    return fig


def _clip_left(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else "\u2026" + text[-(n - 1):]


def _clip_right(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def kwic_sample(lines: pd.DataFrame, per_group: int = 4, group: str = "group", spread: str = "outlet",
                seed: int = 0) -> pd.DataFrame:
    """Concordance lines for a figure: duplicates out, then a seeded sample per group spread over outlets.

    ``per_group`` lines per group are drawn at random and spread over the group's outlets
    (one outlet after another, largest first), so a group is not shown through one outlet's
    lines. A duplicate is a line whose left context, keyword and right context (whitespace
    collapsed) equal an earlier line's: syndicated or re-posted copies; a near duplicate
    shares the keyword and one whole side of at least five words with an earlier line (the
    same story lightly edited by another outlet) and is left out too.

    Parameters
    ----------
    lines : pandas.DataFrame
        :func:`framescope.analysis.kwic.kwic` output: columns ``left``, ``keyword``,
        ``right`` and metadata columns.
    per_group : int, default 4
        Lines kept per group.
    group : str, default "group"
        Column of the comparison group; when the table lacks it, all lines are one group.
    spread : str, default "outlet"
        Column whose values the sample takes turns over (outlets with most lines first);
        when the table lacks it, the lines are a plain random sample.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same lines.

    Returns
    -------
    pandas.DataFrame
        The sampled lines with all their columns, in group order. ``attrs`` keeps those of
        ``lines`` and adds ``lines`` ({group: lines before sampling, after dropping
        duplicates}), ``duplicates`` (lines dropped) and ``seed``.
    """
    lines = require(lines, ["left", "keyword", "right"], "kwic_sample")
    left = lines["left"].astype(str).str.split()
    right = lines["right"].astype(str).str.split()
    kw = lines["keyword"].astype(str).str.casefold()
    dup = (left.str.join(" ") + "\x00" + kw + "\x00" + right.str.join(" ")).duplicated()
    for side in (left, right):
        long_enough = side.str.len() >= 5
        dup |= long_enough & (kw + "\x00" + side.str.join(" ")).where(long_enough).duplicated()
    unique = lines[~dup.to_numpy()]
    rng = np.random.default_rng(seed)
    groups = list(pd.unique(unique[group])) if group in unique.columns else [None]
    picked = []
    for g in groups:
        part = unique if g is None else unique[unique[group] == g]
        part = part.iloc[rng.permutation(len(part))]
        if spread in part.columns:
            # round robin over outlets (most lines first): the k-th line of every outlet, then the next
            order = part[spread].map(part[spread].value_counts()).rank(method="dense", ascending=False)
            turn = part.groupby(spread, sort=False).cumcount()
            part = part.assign(_turn=turn.to_numpy(), _order=order.to_numpy()).sort_values(
                ["_turn", "_order"], kind="mergesort").drop(columns=["_turn", "_order"])
        picked.append(part.head(per_group))
    out = pd.concat(picked) if picked else unique.head(0)
    out.attrs.update(lines.attrs)
    out.attrs.update({"lines": (unique[group].value_counts().to_dict() if group in unique.columns else
                                {"all": len(unique)}),
                      "duplicates": int(len(lines) - len(unique)), "seed": seed})
    return out


def _text_width(fig, renderer, text: str, **props) -> float:
    """Width in inches of ``text`` drawn at 7 pt in ``fig`` (Arabic in the Arabic font, as it will be drawn)."""
    from matplotlib.text import Text

    from framescope.analysis.plots.style import ARABIC_FAMILY, register_fonts

    if has_arabic(text) and register_fonts() is not None:
        props.setdefault("fontfamily", ARABIC_FAMILY)
    t = Text(0, 0, text, fontsize=7, **props)
    t.set_figure(fig)
    return t.get_window_extent(renderer).width / fig.dpi


def _fit_context(text: str, width_in: float, measure, far_end: str) -> tuple[str, bool]:
    """``text`` cut at whole words from its far end (``"start"`` or ``"end"``) to fit ``width_in``;
    an ellipsis marks the cut. Returns (text, whether it was cut)."""
    words = " ".join(str(text).split()).split(" ")
    full = " ".join(words)
    if not full or measure(full) <= width_in:
        return full, False
    while len(words) > 1:
        words = words[1:] if far_end == "start" else words[:-1]
        cut = "\u2026" + " ".join(words) if far_end == "start" else " ".join(words) + "\u2026"
        if measure(cut) <= width_in:
            return cut, True
    # one word longer than the room: cut it by characters
    word = words[0] if words else ""
    while len(word) > 1:
        word = word[1:] if far_end == "start" else word[:-1]
        cut = "\u2026" + word if far_end == "start" else word + "\u2026"
        if measure(cut) <= width_in:
            return cut, True
    return "\u2026", True


def _wrap_to(text: str, width_in: float, measure) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_in`` (a longer word stands alone)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and measure(f"{lines[-1]} {word}") <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


#: Heights (inches) of a concordance row, a translation row and the gap under a block of rows.
_KWIC_ROW, _KWIC_TRANSLATION_ROW = 0.17, 0.135


@styled
def plot_kwic(kwic: pd.DataFrame, n: int = 12, left: str = "left", match: str = "keyword", right: str = "right",
              label: str | None = "outlet", width="double", context_chars: int | None = None,
              title: str | None = None, group: str | None = "group", translations: bool = True,
              groups=None):
    """A KWIC concordance excerpt as a table figure, keyword centred.

    With a ``group`` column (the comparison group, e.g. stance × ownership) the lines are
    shown in blocks under a header naming the group and how many lines it has
    (``attrs['lines']`` of :func:`kwic_sample`, else the lines given): choose the lines with
    :func:`kwic_sample` (seeded, spread over outlets, duplicates out). For left-to-right
    lines the preceding context stands left of the keyword and the following context right
    of it; for Arabic lines (right to left) the preceding context stands to the *right* of
    the keyword and the following context to its left, right-aligned against the keyword,
    so every line reads naturally. Context that does not fit is cut at whole words at its
    far end (…), measured as drawn. An Arabic keyword's English gloss is given above the
    lines, and every Arabic line has its English translation beneath it: the reviewed one
    of :func:`framescope.analysis.plots.names.translation` (``analysis/data/kwic_translations_ar.csv``;
    nothing is translated by machine), or, for a line the file lacks, the visible marker
    :data:`~framescope.analysis.plots.names.NO_TRANSLATION`, and the line is recorded
    (:func:`~framescope.analysis.plots.names.untranslated`).

    Parameters
    ----------
    kwic : pandas.DataFrame
        :func:`framescope.analysis.kwic.kwic` output (or :func:`kwic_sample` of it): the
        context and keyword columns in reading order, plus metadata.
    n : int, default 12
        The first ``n`` lines are drawn.
    left : str, default "left"
        Column of the preceding context.
    match : str, default "keyword"
        Column of the keyword.
    right : str, default "right"
        Column of the following context.
    label : str or None, default "outlet"
        Column shown at the start of each line by its registry short name; None or a
        missing column: no label.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    context_chars : int, optional
        Characters of context on each side (cut by characters); None: as many whole words
        as fit the width.
    title : str, optional
        Figure title; None: no title.
    group : str or None, default "group"
        Column of the comparison group; None or a missing column: one block.
    translations : bool, default True
        Draw the English translation (or the marker) under every Arabic line; False: none,
        and nothing recorded.
    groups : sequence of str, optional
        The groups' blocks in this order, a group without lines with a header saying so
        ("wire: no lines"), then the blocks of groups not named; None: the groups of the
        lines, in their order.

    Returns
    -------
    matplotlib.figure.Figure
        The lines as rows of text with the keyword centred and bold, alternate rows shaded,
        a header per group, Arabic lines with their translation beneath in grey italics.
    """
    import functools

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from framescope.analysis.plots.names import NO_TRANSLATION, translated

    kwic = require(kwic, [left, match, right], "plot_kwic")
    rows = kwic.head(n).reset_index(drop=True)
    grouped = bool(group) and group in rows.columns
    labelled = bool(label) and label in rows.columns
    totals = kwic.attrs.get("lines") or (rows[group].value_counts().to_dict() if grouped else {})
    entries = []  # a header before each group's block, then its lines
    order = [None]
    if grouped:  # the groups asked for, then any other group of the lines (no line is left out)
        order = list(groups or [])
        order += [g for g in pd.unique(rows[group]) if g not in order]
    for g in order:
        block = rows if g is None else rows[rows[group] == g]
        if g is not None:
            total = int(totals.get(g, len(block)))
            entries.append(("header", f"{outlet_label(g)}: " + (f"{len(block)} of {total:,} line{'s' if total != 1 else ''}"
                                                                 if total else "no lines")))
        entries.extend(("line", r) for _, r in block.iterrows())
    keyword_gloss = next((glossed(k) for k in rows[match] if has_arabic(str(k)) and glossed(k) != k), None)

    fig, ax = figure(width, 2.0)
    fig.set_layout_engine("none")  # a table of text: positions in inches, measured, no layout engine
    canvas = fig.canvas
    renderer = FigureCanvasAgg(fig).get_renderer()  # measures text as it is drawn (Arabic shaped)
    fig.set_canvas(canvas)
    measure = functools.partial(_text_width, fig, renderer)
    pad = 0.04
    ax_w = fig.get_figwidth() - 2 * pad
    labels = {i: short(outlet_label(r[label]), 18) for i, (kind, r) in enumerate(entries)
              if kind == "line" and labelled}
    indent = 0.1 if grouped else 0.0
    x0 = (indent + max((measure(s) for s in labels.values()), default=0) + 0.12) / ax_w if labels else 0.0
    keywords = [" ".join(str(r[match]).split()) for kind, r in entries if kind == "line"]
    kw_w = max((measure(k, weight="normal" if has_arabic(k) else "bold", **({} if has_arabic(k) else
                                                                              {"fontfamily": "DejaVu Sans"}))
                for k in keywords), default=0.0) / ax_w
    centre, gap = (x0 + 1.0) / 2, 0.08 / ax_w
    side_in = ((1.0 - x0) / 2 - kw_w / 2 - gap) * ax_w - 0.02
    trans_in = (1.0 - x0) * ax_w - 0.05

    # rows top to bottom, in inches: (kind, y of the row's top, payload)
    y = (_KWIC_ROW if keyword_gloss else 0.0) + (_KWIC_ROW if labelled else 0.0)
    placed, cut_translated = [], False
    for kind, r in entries:
        if kind == "header":
            placed.append(("header", y, r))
            y += _KWIC_ROW
            continue
        kw = " ".join(str(r[match]).split())
        rtl = has_arabic(kw) or has_arabic(str(r[left])) or has_arabic(str(r[right]))
        if context_chars is None:
            before, cut_b = _fit_context(r[left], side_in, measure, "start")
            after, cut_a = _fit_context(r[right], side_in, measure, "end")
        else:
            before, after = _clip_left(r[left], context_chars), _clip_right(r[right], context_chars)
            cut_b, cut_a = before != " ".join(str(r[left]).split()), after != " ".join(str(r[right]).split())
        english = translated(r[left], r[match], r[right]) if translations and rtl else ""
        wrapped = _wrap_to(english, trans_in, functools.partial(measure, fontstyle="italic")) if english else []
        cut_translated |= bool(english) and english != NO_TRANSLATION and (cut_a or cut_b)
        placed.append(("line", y, (r, kw, rtl, before, after, wrapped)))
        y += _KWIC_ROW + _KWIC_TRANSLATION_ROW * len(wrapped)
    foot = []
    if any(entry[2][5] for entry in placed if entry[0] == "line"):
        foot.append("under each Arabic line: its English translation, reviewed by hand (… where the line is cut)")
        if cut_translated:
            foot.append("the translation is of the whole line; the Arabic shown is cut at …")
        foot = [part for line in foot for part in _wrap_to(line, ax_w - 0.05, measure)]
    content_h = y + 0.05 + len(foot) * _KWIC_TRANSLATION_ROW
    top_in = 0.25 if title else 0.04
    fig_h = content_h + top_in + 0.04
    fig.set_size_inches(fig.get_figwidth(), fig_h)
    ax.set_position([pad / fig.get_figwidth(), 0.04 / fig_h, ax_w / fig.get_figwidth(), content_h / fig_h])
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(content_h, 0)

    shade = 0
    for kind, top, payload in placed:
        base = top + 0.72 * _KWIC_ROW  # baselines, not box centres, line up Latin and Arabic text of one row
        if kind == "header":
            ax.text(0, base, payload, ha="left", va="baseline", fontsize=7, color="#222222", style="italic")
            shade = 0
            continue
        r, kw, rtl, before, after, wrapped = payload
        height = _KWIC_ROW + _KWIC_TRANSLATION_ROW * len(wrapped)
        if shade % 2 == 0:
            ax.axhspan(top, top + height, color="#F3F3F3", lw=0, zorder=0)
        shade += 1
        left_text, right_text = (after, before) if rtl else (before, after)
        ax.text(centre - kw_w / 2 - gap, base, left_text, ha="right", va="baseline", fontsize=7)
        if has_arabic(kw):  # the Arabic font has one weight
            ax.text(centre, base, kw, ha="center", va="baseline", fontsize=7, color="#000000")
        else:  # bold from DejaVu alone (a fallback family without bold would warn)
            ax.text(centre, base, kw, ha="center", va="baseline", fontsize=7, color="#000000", weight="bold",
                    family="DejaVu Sans")
        ax.text(centre + kw_w / 2 + gap, base, right_text, ha="left", va="baseline", fontsize=7)
        if labelled:
            ax.text(indent / ax_w, base, short(outlet_label(r[label]), 18), ha="left", va="baseline", fontsize=7, color=MUTED)
        for k, line in enumerate(wrapped):
            ax.text(x0, top + _KWIC_ROW + (k + 0.72) * _KWIC_TRANSLATION_ROW, line, ha="left", va="baseline",
                    fontsize=7, color=MUTED if line != NO_TRANSLATION else "#000000", style="italic")
    if labelled:
        ax.text(0, (_KWIC_ROW if keyword_gloss else 0.0) + 0.72 * _KWIC_ROW, label, ha="left", va="baseline",
                fontsize=7, color=MUTED, style="italic")
    if keyword_gloss:
        ax.text(centre, 0.72 * _KWIC_ROW, f"keyword: {keyword_gloss}", ha="center", va="baseline", fontsize=7,
                color=MUTED)
    for k, line in enumerate(foot):
        ax.text(0, y + 0.05 + (k + 0.72) * _KWIC_TRANSLATION_ROW, line, ha="left", va="baseline", fontsize=7,
                color=MUTED)
    if title:
        ax.set_title(ltr(title), loc="left")
    return fig
