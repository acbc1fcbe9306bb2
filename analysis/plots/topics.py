"""Figures of topic models: choosing K, topic words, prevalence by group."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from analysis.plots._draw import grid_shape, hide_unused, require, short, value_grid
from analysis.plots.style import GUIDE, MUTED, PALETTE, display, figure, group_styles, ltr, order_groups, styled
from corpus.errors import FramescopeError

__all__ = ["plot_topic_k", "plot_topic_words", "plot_topic_prevalence", "topic_labels", "K_METRICS"]

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
                 title: str | None = None):
    """Topic-model diagnostics against the number of topics K, one panel per measure.

    Takes the ``table`` of :func:`analysis.topics.k_search` (column ``k``, ``seed``, and any
    of :data:`K_METRICS`; pass ``metrics`` to choose). Each seed is a small hollow point,
    the mean over seeds a line; the recommended K (argument — ``KSearch.recommended_k`` —,
    ``attrs['recommended_k']`` or a boolean ``recommended`` column) is a dashed line. The
    arrow in each title says which way is better.
    """
    k_table = require(k_table, ["k"], "plot_topic_k")
    metrics = [m for m in (metrics or K_METRICS) if m in k_table.columns and k_table[m].notna().any()]
    if not metrics:
        raise FramescopeError(f"plot_topic_k: the table has none of {', '.join(K_METRICS)}")
    if recommended is None:
        recommended = k_table.attrs.get("recommended_k")
        if recommended is None and "recommended" in k_table.columns and k_table["recommended"].any():
            recommended = int(k_table.loc[k_table["recommended"].astype(bool), "k"].iloc[0])
    nrows, ncols = grid_shape(len(metrics), 3)
    fig, axes = figure(width, 0.4 + 1.6 * nrows + (0.2 if title else 0), nrows, ncols, squeeze=False, sharex=True)
    colour = PALETTE[0]
    for ax, metric in zip(axes.ravel(), metrics):
        label, higher = K_METRICS[metric]
        ax.scatter(k_table["k"], k_table[metric], s=9, facecolors="none", edgecolors=MUTED, linewidths=0.6, zorder=2)
        mean = k_table.groupby("k")[metric].mean()
        ax.plot(mean.index, mean.to_numpy(), "-o", color=colour, ms=3.5, zorder=3)
        if recommended is not None:
            ax.axvline(recommended, color=GUIDE, ls="--", lw=0.8, zorder=1)
        arrow = "\u2191" if higher else "\u2193"
        ax.set_title(f"{label}  {arrow} better", loc="left")
        ax.set_xlabel("K (topics)")
        ax.set_xticks(sorted(k_table["k"].unique()))
        value_grid(ax, "y")
    hide_unused(axes, len(metrics))
    if title or recommended is not None:
        text = (title + "  " if title else "") + (f"(dashed: recommended K = {recommended})" if recommended is not None else "")
        fig.suptitle(text, fontsize=7, color="#222222")
    return fig


def topic_labels(terms: pd.DataFrame, n: int = 3, value: str = "weight") -> dict:
    """``{topic: 'T3 coalition · strike · civilians'}`` from a topic-terms table."""
    terms = require(terms, ["topic", "term"], "topic_labels")
    order = terms.sort_values(["topic", "rank"] if "rank" in terms else ["topic", value], ascending=[True, "rank" in terms])
    return {t: f"T{t} " + " \u00b7 ".join(map(str, sub["term"].head(n))) for t, sub in order.groupby("topic", sort=True)}


@styled
def plot_topic_words(terms: pd.DataFrame, n: int = 8, value: str = "weight", topics=None, width="double",
                     max_cols: int = 5, title: str | None = None):
    """Top words of each topic as small multiples (horizontal bars of ``value``).

    Takes a topic-terms table (topic, rank, term, weight[, relevance]); panels follow the
    topic number. A ``stable`` column (False = unstable across seeds) or
    ``attrs['unstable']`` marks unstable topics in their panel title.
    """
    terms = require(terms, ["topic", "term", value], "plot_topic_words")
    topic_list = list(topics) if topics is not None else sorted(pd.unique(terms["topic"]))
    unstable = set(terms.attrs.get("unstable", []))
    if "stable" in terms.columns:
        unstable |= set(terms.loc[~terms["stable"].astype(bool), "topic"])
    nrows, ncols = grid_shape(len(topic_list), max_cols)
    fig, axes = figure(width, 0.3 + nrows * (0.35 + 0.115 * n) + (0.2 if title else 0), nrows, ncols, squeeze=False)
    colour = PALETTE[0]
    for ax, t in zip(axes.ravel(), topic_list):
        sub = terms[terms["topic"] == t]
        sub = (sub.sort_values("rank") if "rank" in sub else sub.sort_values(value, ascending=False)).head(n)
        y = np.arange(len(sub))[::-1]
        ax.barh(y, sub[value], color=colour if t not in unstable else "#999999", height=0.7)
        ax.set_yticks(y, [short(w, 16) for w in sub["term"]], fontsize=6.5)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", labelsize=5.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=2, min_n_ticks=2))
        ax.spines["left"].set_visible(False)
        ax.set_title(f"topic {t}" + (" (unstable)" if t in unstable else ""), loc="left", fontsize=7)
        ax.set_ylim(-0.6, n - 0.4)
    hide_unused(axes, len(topic_list))
    fig.supxlabel(f"word {value}" if value != "weight" else "word probability in topic", fontsize=7)
    if title:
        fig.suptitle(title)
    return fig


@styled
def plot_topic_prevalence(prevalence: pd.DataFrame, labels: dict | None = None, groups=None, topics=None,
                          width="single", title: str | None = None):
    """Mean topic proportion per group with its CI, one band per topic.

    Takes a prevalence table (topic, group, mean, ci_low, ci_high[, stable]) such as
    :func:`analysis.topics.run_topics` ``.prevalence``. ``labels`` maps a topic to its label
    (e.g. :func:`topic_labels`), written at the top of its band so that the dots get the
    full width; groups get colour and marker, one line each. Topics not stable across seeds
    are marked †.
    """
    prevalence = require(prevalence, ["topic", "group", "mean", "ci_low", "ci_high"], "plot_topic_prevalence")
    group_list = order_groups(groups if groups is not None else prevalence["group"])
    styles = group_styles(group_list)
    topic_list = list(topics) if topics is not None else sorted(pd.unique(prevalence["topic"]))
    k = len(group_list)
    band = 1.0 + 0.5 * k  # label line + one line per group, in row units
    fig, ax = figure(width, 0.75 + 0.11 * band * len(topic_list) + (0.2 if title else 0))
    unstable = (set(prevalence.loc[~prevalence["stable"].fillna(True).astype(bool), "topic"])
                if "stable" in prevalence else set())
    top = band * len(topic_list)
    for ti, t in enumerate(topic_list):
        y0 = top - ti * band
        if ti % 2 == 0:
            ax.axhspan(y0 - band, y0, color="#F5F5F5", lw=0, zorder=0)
        text = ltr(short((labels or {}).get(t, f"topic {t}"), 60)) + (" \u2020" if t in unstable else "")
        ax.text(0.005, y0 - 0.5, text, transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=6.5,
                color="#222222")
        for gi, g in enumerate(group_list):
            row = prevalence[(prevalence["group"] == g) & (prevalence["topic"] == t)]
            if row.empty:
                continue
            st = styles[g]
            r = row.iloc[0]
            ax.errorbar([r["mean"]], [y0 - 1.0 - 0.5 * gi - 0.25],
                        xerr=[[max(r["mean"] - r["ci_low"], 0)], [max(r["ci_high"] - r["mean"], 0)]],
                        fmt=st.marker, color=st.colour, ms=3.2, elinewidth=0.9, zorder=3)
    ax.set_ylim(0, top)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(left=0)
    value_grid(ax)
    ci = prevalence.attrs.get("ci", 0.95)
    ax.set_xlabel(f"mean topic proportion ({ci:.0%} bootstrap CI)" + ("; \u2020 unstable across seeds" if unstable else ""))
    handles = [ax.plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5)[0] for g in group_list]
    ax.legend(handles, [display(g) for g in group_list], loc="lower left", bbox_to_anchor=(0, 1.0),
              ncol=min(k, 3), handletextpad=0.2, columnspacing=0.8)
    if title:
        fig.suptitle(title)
    return fig
