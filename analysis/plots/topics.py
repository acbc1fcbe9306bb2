"""Figures of topic models: choosing K, topic words, prevalence by group, frame networks."""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from framescope.analysis.plots._draw import (fit_legend, fmt_count, group_sizes_of, grid_shape, hide_unused, is_small, legend_columns, place_labels, require,
                                  size_label, value_grid, zero_floor)
from framescope.analysis.plots.names import glossed, outlet_label
from framescope.analysis.plots.style import (DOUBLE_COLUMN, GUIDE, MUTED, OKABE_ITO, PALETTE, SINGLE_COLUMN, display, figure,
                                  group_styles, has_arabic, ltr, order_groups, styled)
from framescope.analysis.topics.frames import frames_hold
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_topic_k", "plot_topic_words", "plot_topic_prevalence", "plot_frame_network", "frame_layout",
           "topic_labels", "K_METRICS"]

#: K-search columns drawn by :func:`plot_topic_k`, with axis labels and whether higher is better.
K_METRICS = {
    "coherence_npmi": ("coherence c_NPMI", True),
    "coherence_cv": ("coherence c_V", True),
    "coherence_umass": ("coherence u_mass", True),
    "exclusivity": ("exclusivity", True),
    "perplexity": ("held-out perplexity", False),
}


@styled
def plot_topic_k(k_table: pd.DataFrame, metrics=None, recommended: int | None = None, width="double",
                 title: str | None = None, best: int | None = None, threshold: float | None = None):
    """Topic-model diagnostics against the number of topics K, one panel per measure.

    Takes the ``table`` of :func:`framescope.analysis.topics.k_search` (column ``k``, ``seed``, and any
    of :data:`K_METRICS`; pass ``metrics`` to choose). Each seed is a small hollow point,
    the bar through them the range across seeds, the mean over seeds a line; the
    recommended K (argument — ``KSearch.recommended_k`` —, ``attrs['recommended_k']`` or a
    boolean ``recommended`` column) is a dashed line. The rule that chose it is drawn where
    it decides: in the c_NPMI panel a dotted line at ``threshold`` (the best mean minus one
    standard error, :func:`framescope.analysis.topics.k_choice`; argument or
    ``attrs['threshold']``) and the best K (``best`` or ``attrs['best_k']``) ringed. The
    note beside the panels says why that K was chosen, when no K is distinguishable from the
    best (every mean reaches the dotted line), and when the K lies at the edge of the grid.
    The arrow in each title says which way is better; the note gives the seeds per K and
    the training / held-out documents (columns ``n_train``, ``n_heldout``). Perplexity is
    on a log axis only when it spans more than a factor of ten.

    Parameters
    ----------
    k_table : pandas.DataFrame
        One row per (k, seed): column ``k`` and any of :data:`K_METRICS`; ``seed``,
        ``n_train``, ``n_heldout`` and ``recommended`` when present.
    metrics : sequence of str, optional
        Measures to draw, one panel each, from :data:`K_METRICS`; None: every measure the
        table has values for.
    recommended : int, optional
        The K to mark; default ``attrs['recommended_k']``, else the row flagged in a
        ``recommended`` column, else none.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    best : int, optional
        The K with the highest mean c_NPMI; default ``attrs['best_k']``.
    threshold : float, optional
        The mean c_NPMI a K had to reach to be recommended; default ``attrs['threshold']``
        (None or NaN: not drawn).

    Returns
    -------
    matplotlib.figure.Figure
        A grid of panels, one per measure, with K on the x axis: points per seed, their
        range, the mean line, the recommended K and, in the c_NPMI panel, the threshold of
        the rule that chose it.

    References
    ----------
    .. [1] Mimno, D., Wallach, H. M., Talley, E., Leenders, M. & McCallum, A. (2011).
       Optimizing semantic coherence in topic models. *Proceedings of EMNLP 2011*, 262–272.
    .. [2] Röder, M., Both, A. & Hinneburg, A. (2015). Exploring the space of topic
       coherence measures. *Proceedings of WSDM 2015*, 399–408.
    .. [3] Hastie, T., Tibshirani, R. & Friedman, J. (2009). *The Elements of Statistical
       Learning* (2nd ed.). Springer (§7.10, the one-standard-error rule).
    """
    k_table = require(k_table, ["k"], "plot_topic_k")
    metrics = [m for m in (metrics or K_METRICS) if m in k_table.columns and k_table[m].notna().any()]
    if not metrics:
        raise FramescopeError(f"plot_topic_k: the table has none of {', '.join(K_METRICS)}")
    if recommended is None:
        recommended = k_table.attrs.get("recommended_k")
        if recommended is None and "recommended" in k_table.columns and k_table["recommended"].any():
            recommended = int(k_table.loc[k_table["recommended"].astype(bool), "k"].iloc[0])
    best = k_table.attrs.get("best_k") if best is None else best
    threshold = k_table.attrs.get("threshold") if threshold is None else threshold
    if threshold is not None and not np.isfinite(threshold):
        threshold = None
    ks = sorted(k_table["k"].unique())
    nrows, ncols = grid_shape(len(metrics), 3)
    fig, axes = figure(width, 0.6 + 1.6 * nrows + (0.2 if title else 0), nrows, ncols, squeeze=False, sharex=True)
    colour = PALETTE[0]
    for ax, metric in zip(axes.ravel(), metrics):
        label, higher = K_METRICS[metric]
        by_k = k_table.groupby("k")[metric]
        ax.vlines(by_k.min().index, by_k.min().to_numpy(), by_k.max().to_numpy(), color=GUIDE, lw=2.2, zorder=1)
        ax.scatter(k_table["k"], k_table[metric], s=9, facecolors="none", edgecolors=MUTED, linewidths=0.6, zorder=2)
        mean = by_k.mean()
        ax.plot(mean.index, mean.to_numpy(), "-o", color=colour, ms=3.5, zorder=3)
        if recommended is not None:
            ax.axvline(recommended, color=GUIDE, ls="--", lw=0.8, zorder=1)
        if metric == "coherence_npmi" and threshold is not None:
            ax.axhline(threshold, color=MUTED, ls=":", lw=0.9, zorder=1)
            if best in mean.index:  # the best mean, ringed
                ax.scatter([best], [mean[best]], s=55, facecolors="none", edgecolors=colour, linewidths=0.9, zorder=4)
        arrow = "\u2191" if higher else "\u2193"
        ax.set_title(f"{label}  {arrow} better", loc="left")
        ax.set_xlabel("K (topics)")
        ax.set_xticks(ks)
        if metric == "perplexity":
            values = k_table[metric].dropna()
            # a log axis only when perplexity spans orders of magnitude; else it hides the differences
            if (values > 0).all() and values.max() > 10 * values.min():
                ax.set_yscale("log")
                ax.yaxis.set_minor_formatter(lambda v, _: "")
            ax.yaxis.set_major_formatter(lambda v, _: fmt_count(v) if v >= 1e4 else f"{v:,.0f}" if v >= 1 else f"{v:g}")
        value_grid(ax, "y")
    hide_unused(axes, len(metrics))
    seeds = k_table.groupby("k")["seed"].nunique().min() if "seed" in k_table else 1
    parts = [f"{seeds} seed{'s' if seeds != 1 else ''} per K: hollow points, grey bar = their range, line = mean."]
    if recommended is not None:
        parts.append(_k_choice_note(k_table, recommended, best, threshold, ks))
    if {"n_train", "n_heldout"} <= set(k_table.columns):
        parts.append(f"Fitted on {int(k_table['n_train'].iloc[0]):,} documents; perplexity of "
                     f"{int(k_table['n_heldout'].iloc[0]):,} held out (variational bound per word).")
    spare = [ax for ax in axes.ravel()[len(metrics):]]
    # the note in the empty panel (room for the reasons in full), else under the panels; wrapped
    # to its width, "K = 12" never broken
    where = spare[0] if spare else None
    inches = where.get_position().width * fig.get_figwidth() if where is not None else fig.get_figwidth() - 0.3
    chars = max(30, int(inches * 72 / 7 / 0.55))
    note = "\n".join(line.replace("\u2007", " ") for part in parts
                     for line in textwrap.wrap(part.replace("K = ", "K\u2007=\u2007"), chars))
    if where is not None:
        where.set_visible(True)
        where.set_axis_off()
        # the note hangs from the top of the spare panel, outside the layout (a long one would
        # squeeze the other panels); past about a panel and its margin the figure grows instead
        text = where.text(0.02, 1.0, note, transform=where.transAxes, ha="left", va="top", fontsize=7, color=MUTED,
                          linespacing=1.3)
        text.set_in_layout(False)
        for _ in range(3):  # the rows share any height added: measure, grow, measure again
            fig.draw_without_rendering()
            short_by = (4 - text.get_window_extent().y0) / fig.dpi  # inches below a 4-pixel margin
            if short_by <= 0:
                break
            fig.set_size_inches(fig.get_figwidth(), fig.get_figheight() + short_by * nrows)
    else:
        fig.supxlabel(note, fontsize=7, color=MUTED)
    if title:
        fig.suptitle(title)
    return fig


def _k_choice_note(k_table: pd.DataFrame, recommended: int, best, threshold, ks: list) -> str:
    """Why K = ``recommended``: the rule in words with its numbers, whether any K stands
    out from the best, and whether the K lies at the edge of the grid."""
    edge = len(ks) > 1 and recommended in (ks[0], ks[-1])
    if threshold is None or best is None or "coherence_npmi" not in k_table:
        text = f"Dashed: recommended K = {recommended}."
        return text + (" It lies at the edge of the grid: a K outside it may score better." if edge else "")
    means = k_table.groupby("k")["coherence_npmi"].mean()
    reach = sorted(int(k) for k in means.index[means >= threshold - 1e-12 * max(1.0, abs(means.max()))])
    text = (f"Dashed: K = {recommended}, the smallest K whose mean c_NPMI reaches the dotted line: the best "
            f"mean (ringed, K = {best}) minus one standard error over seeds (one-standard-error rule).")
    if len(reach) == len(means) and len(means) > 1:
        text += (" No K is distinguishable: every mean is within one standard error of the best, so the K "
                 "search cannot choose and the smallest K is taken.")
    else:
        others = [k for k in reach if k != recommended]
        listed = ", ".join(map(str, others[:-1])) + (" and " if len(others) > 1 else "") + str(others[-1]) if others else ""
        text += (f" Also within one standard error: K = {listed}." if others else
                 " No other K is within one standard error.")
    if edge:
        text += (" It lies at the edge of the grid: a smaller K may do as well." if recommended == ks[0]
                 else " It lies at the edge of the grid: a larger K may score better.")
    return text


def topic_labels(terms: pd.DataFrame, n: int = 3, value: str = "weight", gloss: bool = True) -> dict:
    """Short labels of topics from a topic-terms table: ``{topic: 'T3 coalition · strike · civilians'}``.

    Parameters
    ----------
    terms : pandas.DataFrame
        Topic-terms table: columns ``topic`` and ``term``; the words are ordered by
        ``frex_rank`` (FREX, as in :func:`plot_topic_words`), else ``relevance_rank``, else
        ``rank``, else ``value`` (highest first).
    n : int, default 3
        Words per label.
    value : str, default "weight"
        Column that orders the words when the table has no ``rank``.
    gloss : bool, default True
        Arabic words carry their whole English gloss ('T0 المملكة (the Kingdom) · …'); the
        plots wrap a long label to two lines rather than cut it.

    Returns
    -------
    dict
        Topic → label "T<topic> word · word · word".
    """
    terms = require(terms, ["topic", "term"], "topic_labels")
    # FREX first (as plot_topic_words): by probability the same frequent word leads most topics
    rank = next((c for c in ("frex_rank", "relevance_rank", "rank") if c in terms), None)
    order = terms.sort_values(["topic", rank or value], ascending=[True, rank is not None], kind="mergesort")
    word = glossed if gloss else str
    return {t: f"T{t} " + " \u00b7 ".join(word(w) for w in sub["term"].head(n)) for t, sub in order.groupby("topic", sort=True)}


@styled
def plot_topic_words(terms: pd.DataFrame, n: int = 8, value: str = "weight", topics=None, width="double",
                     max_cols: int | None = None, title: str | None = None, rank_by: str = "auto"):
    """Top words of each topic as small multiples (horizontal bars of ``value``).

    Takes a topic-terms table (topic, rank, term, weight[, relevance, relevance_rank, frex,
    frex_rank]); panels follow the topic number and share their x axis. Words are chosen
    and ordered by ``rank_by``: 'auto' takes FREX (Bischof & Airoldi 2012) when the table
    has it, else relevance (Sievert & Shirley 2014), else ``value`` — raw probability puts
    the same frequent word at the top of most topics. Bars show ``value`` (the word's
    probability in the topic). A ``stable`` column (False = unstable across seeds) or
    ``attrs['unstable']`` marks unstable topics in their panel title. Arabic words carry
    their English gloss.

    Parameters
    ----------
    terms : pandas.DataFrame
        Topic-terms table: columns ``topic``, ``term`` and ``value``; the ``rank_by`` column,
        ``stable`` and ``attrs['unstable']`` when present.
    n : int, default 8
        Words per topic.
    value : str, default "weight"
        Column drawn as bar length (the word's probability in the topic).
    topics : sequence of int, optional
        Topics to draw, one panel each, in this order; None: every topic, by number.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    max_cols : int, optional
        Panels per row; default 4 when words are Arabic (room for the gloss), else 5.
    title : str, optional
        Figure title; None: no title.
    rank_by : str, default "auto"
        Column that chooses and orders the words: ``"auto"`` takes ``frex``, else
        ``relevance``, else ``value``; any other column name is used as given.

    Returns
    -------
    matplotlib.figure.Figure
        Small multiples, one panel per topic, with horizontal bars of ``value`` for its top
        words.

    References
    ----------
    .. [1] Bischof, J. M. & Airoldi, E. M. (2012). Summarizing topical content with word
       frequency and exclusivity. *Proceedings of ICML 2012*, 201–208.
    .. [2] Sievert, C. & Shirley, K. E. (2014). LDAvis: a method for visualizing and
       interpreting topics. *Proceedings of the Workshop on Interactive Language Learning,
       Visualization, and Interfaces*, 63–70.
    """
    terms = require(terms, ["topic", "term", value], "plot_topic_words")
    if rank_by == "auto":
        rank_by = next((c for c in ("frex", "relevance") if c in terms.columns), value)
    if rank_by not in terms.columns:
        raise FramescopeError(f"plot_topic_words: the table has no column {rank_by!r} to rank by")
    topic_list = list(topics) if topics is not None else sorted(pd.unique(terms["topic"]))
    unstable = set(terms.attrs.get("unstable", []))
    if "stable" in terms.columns:
        unstable |= set(terms.loc[~terms["stable"].astype(bool), "topic"])
    # Arabic words carry their gloss: four panels a row leave room for it whole
    arabic = terms["term"].astype(str).map(has_arabic).any()
    nrows, ncols = grid_shape(len(topic_list), max_cols or (4 if arabic else 5))
    fig, axes = figure(width, 0.45 + nrows * (0.4 + 0.13 * n) + (0.2 if title else 0), nrows, ncols, squeeze=False,
                       sharex=True)
    colour = PALETTE[0]
    for ax, t in zip(axes.ravel(), topic_list):
        sub = terms[terms["topic"] == t]
        sub = sub.sort_values([rank_by, "term"], ascending=[False, True], kind="mergesort").head(n)
        y = np.arange(len(sub))[::-1]
        ax.barh(y, sub[value], color=colour if t not in unstable else "#999999", height=0.7)
        ax.set_yticks(y, [glossed(w) for w in sub["term"]], fontsize=7)  # whole: the layout makes room
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=2, min_n_ticks=2))
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}")  # '0' and '0.004': narrow panels keep room
        ax.spines["left"].set_visible(False)
        ax.set_title(f"topic {t}" + (" (unstable)" if t in unstable else ""), loc="left", fontsize=7)
        ax.set_ylim(-0.6, n - 0.4)
    hide_unused(axes, len(topic_list))
    what = f"word {value}" if value != "weight" else "word probability in topic"
    order = {"frex": "FREX", "relevance": "relevance (\u03bb = 0.6)"}.get(rank_by, what)
    fig.supxlabel(what + (f"; words chosen and ordered by {order}" if rank_by != value else ""), fontsize=7)
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_topic_prevalence(prevalence: pd.DataFrame, labels: dict | None = None, groups=None, topics=None,
                          width="single", title: str | None = None, n: dict | None = None):
    """Mean topic proportion per group with its CI, one band per topic.

    Takes a prevalence table (topic, group, mean, mean_low, mean_high[, stable]) such as
    :func:`framescope.analysis.topics.run_topics` ``.prevalence``. ``labels`` maps a topic to its label
    (e.g. :func:`topic_labels`), written at the top of its band so that the dots get the
    full width; groups get colour and marker, one line each. Topics not stable across seeds
    are marked †. The legend gives each group's documents and tokens (``n``: {group: docs or
    (docs, tokens[, small])}, else the table's size columns or ``attrs['group_sizes']``);
    groups under the size floor are drawn hollow.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        Columns ``topic``, ``group``, ``mean``, ``mean_low`` and ``mean_high``; ``stable`` and
        size columns when present.
    labels : dict, optional
        Topic → label written at the top of its band (e.g. :func:`topic_labels`); None: the
        topic numbers.
    groups : sequence of str, optional
        Groups to draw; None: every group.
    topics : sequence of int, optional
        Topics to draw, in this order; None: every topic, by number.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    n : dict, optional
        Group sizes for the legend, ``{group: docs}`` or ``{group: (docs, tokens[, small])}``;
        None: the table's size columns or ``attrs['group_sizes']``.

    Returns
    -------
    matplotlib.figure.Figure
        One band per topic with a dot and interval per group, and a legend of the groups
        with their sizes.
    """
    prevalence = require(prevalence, ["topic", "group", "mean", "mean_low", "mean_high"], "plot_topic_prevalence")
    group_list = order_groups(groups if groups is not None else prevalence["group"])
    topic_list = list(topics) if topics is not None else sorted(pd.unique(prevalence["topic"]))
    # labels are wrapped (never cut) to the width of the axes; a band is its label's lines
    # plus half a line per group, in row units
    wrapped = _band_labels(prevalence, "topic", topic_list, labels, "topic", _inches(width) - 0.3)
    units = sum(_band_height(wrapped[t], len(group_list)) for t in topic_list)
    # the legend (a line or two per group) sits above the axes: its height is added, so
    # that a few topics still get bands tall enough for their labels
    fig, ax = figure(width, 0.75 + 0.11 * units + 0.12 * len(group_list) + (0.2 if title else 0))
    _prevalence_bands(ax, prevalence, "topic", topic_list, group_list, wrapped, "topic", n)
    if title:
        fig.suptitle(title)
    return fig


def _inches(width) -> float:
    """A figure width in inches ("single", "double" or a number), as :func:`figure` takes it."""
    return {"single": SINGLE_COLUMN, "double": DOUBLE_COLUMN}.get(width, width) if isinstance(width, str) else float(width)


def _text_width(text: str, size: float = 7.0) -> float:
    """Width in points of ``text`` at ``size`` points as Agg draws it (the figure fonts, with
    the Arabic fallback)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    return max((RendererAgg(10, 10, 72).get_text_width_height_descent(ltr(line), FontProperties(size=size),
                                                                       ismath=False)[0]
                for line in text.split("\n")), default=0.0)


def _wrap_label(text: str, width_pt: float, size: float = 7.0, sep: str = " \u00b7 ") -> list:
    """``text`` as lines no wider than ``width_pt`` points: broken between its ``sep``-joined
    parts (a topic's words), a part wider than a line between its own words; nothing is
    cut. A line that continues ends with the separator's dot."""
    lines, line = [], ""
    for part in text.split(sep):
        trial = f"{line}{sep}{part}" if line else part
        if _text_width(trial, size) <= width_pt:
            line = trial
            continue
        if line:
            lines.append(line + sep.rstrip())
            line = ""
        for word in part.split(" "):  # the part starts a line, split between its words if too wide
            trial = f"{line} {word}" if line else word
            if line and _text_width(trial, size) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
    return lines + [line] if line else lines


def _band_labels(prevalence: pd.DataFrame, key: str, items: list, labels: dict | None, what: str,
                 width_in: float) -> dict:
    """{item: [label lines]}: each item's label (``labels`` or "WHAT N"), † when unstable,
    wrapped to ``width_in`` inches at 7 pt — between its words, never cut."""
    unstable = (set(prevalence.loc[~prevalence["stable"].fillna(True).astype(bool), key])
                if "stable" in prevalence else set())
    return {t: _wrap_label(str((labels or {}).get(t, f"{what} {t}")) + (" \u2020" if t in unstable else ""),
                          width_in * 72) for t in items}


def _band_height(lines: list, n_groups: int) -> float:
    """Row units of a band: its label (1 for the first line, 1.15 for each further one: a
    7-pt line is a little taller than a row) and half a row per group."""
    return 1.0 + 1.15 * (len(lines) - 1) + 0.5 * n_groups


def _prevalence_bands(ax, prevalence: pd.DataFrame, key: str, items: list, group_list: list, wrapped: dict,
                      what: str, n: dict | None = None, legend_below: bool = False) -> dict:
    """One band per item (topic or frame): its label (``wrapped``: item → lines, from
    :func:`_band_labels`), then a dot with CI per group; the legend of the groups above the
    axes (``legend_below``: under the axis label). Returns {item: y of its first label line}
    in data units."""
    styles = group_styles(group_list)
    sizes = group_sizes_of(prevalence, n, docs_column="n_docs")
    k = len(group_list)
    unstable = (set(prevalence.loc[~prevalence["stable"].fillna(True).astype(bool), key])
                if "stable" in prevalence else set())
    heights = [_band_height(wrapped[t], k) for t in items]
    top = float(sum(heights))
    first_line, y0 = {}, top
    for ti, (t, band) in enumerate(zip(items, heights)):
        lines = wrapped[t]
        label_rows = band - 0.5 * k
        if ti % 2 == 0:
            ax.axhspan(y0 - band, y0, color="#F5F5F5", lw=0, zorder=0)
        ax.text(0.005, y0 - label_rows / 2, "\n".join(ltr(line) for line in lines), transform=ax.get_yaxis_transform(),
                ha="left", va="center", fontsize=7, color="#222222", linespacing=1.15)
        first_line[t] = y0 - 0.5
        for gi, g in enumerate(group_list):
            row = prevalence[(prevalence["group"] == g) & (prevalence[key] == t)]
            if row.empty:
                continue
            st = styles[g]
            r = row.iloc[0]
            ax.errorbar([r["mean"]], [y0 - label_rows - 0.5 * gi - 0.25],
                        xerr=[[max(r["mean"] - r["mean_low"], 0)], [max(r["mean_high"] - r["mean"], 0)]],
                        fmt=st.marker, color=st.colour, ms=3.2, elinewidth=0.9, zorder=3,
                        mfc="white" if is_small(sizes.get(g)) else st.colour)
        y0 -= band
    ax.set_ylim(0, top)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    zero_floor(ax)
    value_grid(ax)
    ci = prevalence.attrs.get("ci", 0.95)
    ax.set_xlabel(f"mean {what} proportion ({ci:.0%} bootstrap CI)"
                  + ("\n\u2020 unstable across seeds" if unstable else ""))
    handles = [ax.plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5,
                       mfc="white" if is_small(sizes.get(g)) else styles[g].colour)[0] for g in group_list]
    names, ncol = fit_legend([size_label(outlet_label(g), sizes.get(g)) for g in group_list],
                             ax.get_position().width * ax.figure.get_figwidth(), most=3)
    if legend_below:
        ax.legend(handles, names, loc="upper left", bbox_to_anchor=(0, 0), ncol=ncol, handletextpad=0.2,
                  columnspacing=0.8, bbox_transform=ax.transAxes + ScaledTranslation(0, -30 / 72, ax.figure.dpi_scale_trans))
    else:
        ax.legend(handles, names, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol,
                  handletextpad=0.2, columnspacing=0.8)
    return first_line


#: Frames take the palette from its far end and markers no group uses, so that a frame
#: (node colour and shape) is not mistaken for a group (dot colour and shape) in the same
#: figure; hexagon, cross, star, plus, ... keep frames apart in greyscale.
FRAME_COLOURS = [OKABE_ITO[k] for k in ("bluish_green", "reddish_purple", "black", "sky_blue", "vermillion",
                                        "blue", "orange", "yellow")]
#: Markers of the frames, in the order frames receive them; each differs from the markers of the
#: first four groups (:data:`framescope.analysis.plots.style.MARKERS`).
FRAME_MARKERS = ["h", "X", "*", "P", "d", "p", "v", "8"]


def frame_styles(frames, n_groups: int = 0, groups=None) -> dict:
    """{frame: (colour, marker)} for :func:`plot_frame_network`.

    Colours come from :data:`FRAME_COLOURS` without those of the groups drawn beside them
    (``groups``: their :func:`framescope.analysis.plots.style.group_styles` colours; else the
    first ``n_groups`` colours of :data:`framescope.analysis.plots.style.PALETTE`), so that in a
    figure that also shows groups no colour means both a frame and a group (they repeat only
    when the palette runs out); markers from :data:`FRAME_MARKERS`.
    """
    taken = ({s.colour for s in group_styles(list(groups)).values()} if groups is not None
             else set(PALETTE[:n_groups]))
    colours = [c for c in FRAME_COLOURS if c not in taken] or FRAME_COLOURS
    return {f: (colours[i % len(colours)], FRAME_MARKERS[i % len(FRAME_MARKERS)]) for i, f in enumerate(frames)}


def frame_layout(nodes: pd.DataFrame, edges: pd.DataFrame | None = None, seed: int = 0) -> dict:
    """{topic: (x, y)}: each frame's topics on a small circle, the frames on a large one.

    The layout is a function of the frame each topic belongs to and of the topic numbers
    only — frames in order round the large circle (first at the top, clockwise; two frames
    side by side, the first on the left), topics in
    number order round their frame's circle (its radius grows with the square root of the
    number of topics) — so floating-point noise in the weights (another BLAS, another
    gensim build) cannot move a node, as it does in a force-directed layout. ``edges``
    and ``seed`` do not change it (kept so that callers need not change).

    Parameters
    ----------
    nodes : pandas.DataFrame
        Columns ``topic`` and ``frame`` (:func:`framescope.analysis.topics.frames.frame_network`
        nodes).
    edges : pandas.DataFrame, optional
        Not used by the layout.
    seed : int, default 0
        Not used by the layout.

    Returns
    -------
    dict
        Topic → (x, y) position in data units.
    """
    frames: dict = {}
    for topic, frame in sorted(zip(nodes["topic"].astype(int), nodes["frame"]), key=lambda tf: tf[0]):
        frames.setdefault(frame, []).append(topic)
    order = sorted(frames)
    n_frames = len(order)
    biggest = max((len(t) for t in frames.values()), default=1)
    # adjacent frames' circles must not overlap: radius ≤ 0.45 × the chord between centres
    room = 0.45 * 2 * np.sin(np.pi / n_frames) if n_frames > 1 else 1.0
    pos = {}
    for i, frame in enumerate(order):
        # two frames side by side (the panel is wider than tall), more round the circle from the top
        angle = (np.pi if i == 0 else 0.0) if n_frames == 2 else np.pi / 2 - 2 * np.pi * i / n_frames
        cx, cy = (np.cos(angle), np.sin(angle)) if n_frames > 1 else (0.0, 0.0)
        topics = frames[frame]
        radius = min(0.42, room) * np.sqrt(len(topics) / biggest) if len(topics) > 1 else 0.0
        for j, topic in enumerate(topics):
            a = angle + np.pi / 2 - 2 * np.pi * j / len(topics)
            pos[topic] = (float(cx + radius * np.cos(a)), float(cy + radius * np.sin(a)))
    return pos


@styled
def plot_frame_network(nodes: pd.DataFrame, edges: pd.DataFrame, prevalence: pd.DataFrame | None = None,
                       frame_labels: dict | None = None, groups=None, seed: int = 0, width="double",
                       title: str | None = None, stability: pd.DataFrame | None = None,
                       stability_summary: dict | None = None):
    """Frames as communities of topics (ANTMN, Walter & Ophir 2019), and their prevalence by group.

    Left: the topic network of :func:`framescope.analysis.topics.frames.frame_network` (``nodes``:
    topic, label, prevalence, frame[, stable]; ``edges``: source, target, weight). Node
    area ∝ topic prevalence; each frame has its own colour *and* marker (greyscale-safe;
    :data:`FRAME_COLOURS`, :data:`FRAME_MARKERS`, chosen apart from the groups' styles);
    edge width and darkness grow with the weight; layout :func:`frame_layout` (frames round
    a circle, their topics round small ones: no dependence on floating-point noise; ``seed``
    is kept for compatibility). Labels give the topic number and first words († = unstable across seeds).
    Right (with ``prevalence``: frame, group, mean, mean_low, mean_high, as
    :func:`framescope.analysis.topics.frames.frame_prevalence` ``.prevalence``): mean frame proportion
    per group with bootstrap CIs. With ``stability`` (frame, cohesion, stable[,
    cohesion_runs], as :func:`framescope.analysis.topics.frames.frame_stability` ``.frames``): each
    frame's cohesion in the legend, and the topics of unstable frames drawn as hollow
    markers (their frame's colour as outline), with "unstable" in the legend.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Columns ``topic``, ``label``, ``prevalence`` and ``frame``; ``stable`` when present.
    edges : pandas.DataFrame
        Columns ``source``, ``target`` and ``weight`` (topic pairs); may be empty.
    prevalence : pandas.DataFrame, optional
        Frame prevalence by group (``frame``, ``group``, ``mean``, ``mean_low``, ``mean_high``);
        None: only the network is drawn.
    frame_labels : dict, optional
        Frame → name in the legend; None: "frame N".
    groups : sequence of str, optional
        Groups of the prevalence panel; None: every group.
    seed : int, default 0
        Not used (the layout is deterministic); kept for compatibility.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    stability : pandas.DataFrame, optional
        Frame stability (``frame``, ``cohesion``, ``stable``); None: no stability marks.
    stability_summary : dict, optional
        ``FrameStability.summary`` (``threshold``, ``single_seed_modularity`` and ``null``
        with ``mean`` and ``p_value``): the note over the network gives the cohesion a
        stable frame needs and the modularity against the same network with its edge
        weights shuffled, saying so when it is not above chance (p ≥ 0.05).

    Returns
    -------
    matplotlib.figure.Figure
        The topic network, with a legend of the frames, and beside it (with ``prevalence``)
        the mean frame proportion per group with its interval.

    References
    ----------
    .. [1] Walter, D. & Ophir, Y. (2019). News frame analysis: An inductive mixed-method
       computational approach. *Communication Methods and Measures* 13(4), 248–266.
    .. [2] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. *Journal of Statistical Mechanics*,
       P10008.
    """
    nodes = require(nodes, ["topic", "label", "prevalence", "frame"], "plot_frame_network")
    unstable_frames, cohesion_note = set(), {}
    if stability is not None:
        stability = require(stability, ["frame", "cohesion", "stable"], "plot_frame_network")
        for r in stability.itertuples():
            runs = getattr(r, "cohesion_runs", np.nan)
            cohesion_note[r.frame] = (("stable" if r.stable else "unstable") + f": cohesion {r.cohesion:.2f} across "
                                      "Louvain seeds" + ("" if pd.isna(runs) else f", {runs:.2f} across topic seeds"))
            if not r.stable:
                unstable_frames.add(r.frame)
    if edges is None or edges.empty:  # a network without edges: every topic its own frame
        edges = pd.DataFrame({"source": [], "target": [], "weight": []})
    else:
        edges = require(edges, ["source", "target", "weight"], "plot_frame_network")
    frame_list = sorted(pd.unique(nodes["frame"]))
    # no frame holds across Louvain runs and topic seeds, or the partition is no more modular
    # than shuffled weights: the communities are noise, so the figure draws the topic network
    # alone and says so instead of presenting frames
    no_frames = bool(frame_list) and stability is not None and not frames_hold(stability, stability_summary)
    pos = frame_layout(nodes, edges, seed)
    with_prev = prevalence is not None and not no_frames
    group_list: list = []
    if with_prev:
        prevalence = require(prevalence, ["frame", "group", "mean", "mean_low", "mean_high"], "plot_frame_network")
        group_list = order_groups(groups if groups is not None else prevalence["group"])
    fstyles = ({f: ("#777777", "o") for f in frame_list} if no_frames else frame_styles(frame_list, groups=group_list))
    if with_prev:
        fig = figure(width, 3.6 + (0.2 if title else 0))[0]
        fig.clear()
        ax, pax = fig.subplots(1, 2, width_ratios=[1.55, 1])
    else:
        fig, ax = figure(width, 3.6 + (0.2 if title else 0))
    if len(edges):
        w = edges["weight"].to_numpy(dtype=float)
        span = w.max() - w.min()
        rel = ((w - w.min()) / span if span > 0 else np.ones_like(w)) ** 2  # weak edges fade out
        for (s, t), r in sorted(zip(zip(edges["source"].astype(int), edges["target"].astype(int)), rel),
                                key=lambda e: e[1]):
            (x0, y0), (x1, y1) = pos[s], pos[t]
            grey = 0.92 - 0.67 * r
            ax.plot([x0, x1], [y0, y1], color=(grey, grey, grey), lw=0.25 + 2.5 * r, zorder=1,
                    solid_capstyle="round")
    prev = nodes["prevalence"].to_numpy(dtype=float)
    area = 30 + 520 * prev / prev.max()
    unstable = set(nodes.loc[~nodes["stable"].fillna(True).astype(bool), "topic"]) if "stable" in nodes else set()
    labels = []
    for (_, row), a in zip(nodes.iterrows(), area):
        colour, marker = fstyles[row["frame"]]
        x, y = pos[int(row["topic"])]
        if row["frame"] in unstable_frames and not no_frames:  # hollow: the frame does not hold across seeds
            ax.scatter([x], [y], s=a, marker=marker, facecolors="white", edgecolors=colour, linewidths=1.4, zorder=3)
        else:
            ax.scatter([x], [y], s=a, marker=marker, color=colour, edgecolors="white", linewidths=0.8, zorder=3)
        words = _whole_words(str(row["label"]), 30) + (" \u2020" if row["topic"] in unstable else "")
        labels.append((x, y, np.sqrt(a) / 2, ltr(words)))
    xs, ys = zip(*pos.values())
    pad_x, pad_y = 0.18 * (max(xs) - min(xs) or 1), 0.18 * (max(ys) - min(ys) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y * 1.4, max(ys) + pad_y)
    ax.set_axis_off()
    names = frame_labels or {}
    handles = [ax.scatter([], [], s=30, marker=fstyles[f][1], facecolors="white", edgecolors=fstyles[f][0],
                          linewidths=1.2) if f in unstable_frames
               else ax.scatter([], [], s=30, marker=fstyles[f][1], color=fstyles[f][0]) for f in frame_list]
    # entries fit under the network panel: about 0.62 em a character at 7 pt
    wide = ax.get_position().width * fig.get_figwidth() * 72 - 20  # the legend's text width, in points
    texts = ["\n".join(_wrap_label(names.get(f, f"frame {f}"), wide)
                       + (_wrap_label(f"[{cohesion_note[f]}]", wide, sep="; ") if f in cohesion_note else []))
             for f in frame_list]
    if no_frames:
        ax.text(0, -0.02, _no_frames_note(stability, len(nodes), stability_summary), transform=ax.transAxes, ha="left", va="top",
                fontsize=7, color="#222222")
    else:
        ax.legend(handles, texts, loc="upper left",
                  bbox_to_anchor=(0, 0), fontsize=7, handletextpad=0.3, ncol=1)  # below the network
    ax.set_title("topics as a network: node area = prevalence;\nedge width = co-occurrence in documents"
                 + ("\nhollow = unstable frame (topics together in too few Louvain / topic-seed partitions"
                    + (f", cohesion < {stability_summary['threshold']:.2f}" if stability_summary
                       and stability_summary.get("threshold") is not None else "") + ")"
                    if unstable_frames and not no_frames else "")
                 + _modularity_note(stability_summary), loc="left", fontsize=7, color=MUTED)
    if with_prev:
        wrapped = _band_labels(prevalence, "frame", frame_list,
                               {f: f"frame {f}" + (" (unstable)" if f in unstable_frames else "") for f in frame_list},
                               "frame", pax.get_position().width * fig.get_figwidth() - 0.1)
        first_line = _prevalence_bands(pax, prevalence, "frame", frame_list, group_list, wrapped, "frame",
                                       legend_below=True)  # beside the frame legend: the panels' tops align
        for f in frame_list:  # a frame's marker beside its band label
            y = first_line[f]
            face = "white" if f in unstable_frames else fstyles[f][0]
            pax.scatter([-0.03], [y], marker=fstyles[f][1], facecolors=face, edgecolors=fstyles[f][0], s=18,
                        zorder=4, transform=pax.get_yaxis_transform(), clip_on=False)
    if title:
        fig.suptitle(title)
    place_labels(fig, ax, labels)
    return fig


def _modularity_note(summary: dict | None) -> str:
    """'\nmodularity 0.09, 0.08 with edge weights shuffled (p = 0.20): communities not above chance',
    or '' without the numbers."""
    null = (summary or {}).get("null") or {}
    q = (summary or {}).get("single_seed_modularity")
    if q is None or null.get("mean") is None or null.get("p_value") is None:
        return ""
    verdict = ": communities not above chance" if null["p_value"] >= 0.05 else ""
    return (f"\nmodularity {q:.3f}, {null['mean']:.3f} with edge weights shuffled (p = {null['p_value']:.2f})"
            + verdict)


def _whole_words(label: str, limit: int) -> str:
    """A topic label cut to whole words ('T1 terrorists · army') rather than mid-word."""
    words = label.split(" \u00b7 ")
    while len(words) > 1 and len(" \u00b7 ".join(words)) > limit:
        words.pop()
    return " \u00b7 ".join(words)


def _span(values, fmt: str = "{:.0%}") -> str:
    """'70%' or '60%–80%' for the range of ``values``."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}\u2013{fmt.format(hi)}"


def _no_frames_note(stability: pd.DataFrame, n_topics: int, summary: dict | None = None) -> str:
    """Why the figure draws no frames, from the stability table: how often a frame's
    topics stay together across Louvain runs and across topic-model seeds, or the
    modularity no higher than with shuffled edge weights."""
    runs = stability["cohesion_runs"] if "cohesion_runs" in stability else pd.Series(dtype=float)
    where = f"in {_span(stability['cohesion'])} of Louvain runs" + (
        f" and {_span(runs)} of the networks of other topic-model seeds" if runs.notna().any() else "")
    if len(stability) == 1:
        head = (f"No frames: Louvain puts all {n_topics} topics in one community (no community structure); "
                f"they stay together {where}.")
    elif stability["stable"].astype(bool).any():
        null, q = summary["null"], summary["single_seed_modularity"]
        head = (f"No frames: the {len(stability)} Louvain communities are no more modular than the same network with "
                f"its edge weights shuffled (modularity {q:.3f} against {null['mean']:.3f}, p = {null['p_value']:.2f}), "
                "so they are not evidence of frames.")
    else:
        head = f"No stable frames: a frame's topics stay together {where}, too few to call any frame stable."
    tail = ("So no frame is drawn and frame prevalence is not compared; the network shows how topics co-occur in "
            "documents, nothing more.")
    return "\n".join(textwrap.wrap(head, 125) + textwrap.wrap(tail, 125))


