"""Drawing helpers shared by the plot modules (not part of the public API)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.plots.style import GUIDE, MUTED
from corpus.errors import FramescopeError


def require(table, columns, what: str) -> pd.DataFrame:
    """``table`` as a DataFrame with ``columns``, else a one-line error naming them."""
    if not isinstance(table, pd.DataFrame):
        raise FramescopeError(f"{what}: expected a DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise FramescopeError(f"{what}: the table lacks column(s) {', '.join(missing)} "
                              f"(has: {', '.join(map(str, table.columns))})")
    if table.empty:
        raise FramescopeError(f"{what}: the table is empty: nothing to plot")
    return table


def grid_shape(n: int, max_cols: int = 3) -> tuple[int, int]:
    cols = min(n, max_cols)
    return math.ceil(n / cols), cols


def hide_unused(axes, used: int) -> None:
    for ax in np.ravel(axes)[used:]:
        ax.set_visible(False)


def zero_line(ax, value: float = 0.0, axis: str = "x") -> None:
    (ax.axvline if axis == "x" else ax.axhline)(value, color=GUIDE, lw=0.6, zorder=0)


def value_grid(ax, axis: str = "x") -> None:
    ax.grid(True, axis=axis)


def short(text, limit: int = 28) -> str:
    text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def note(ax, text: str) -> None:
    """A small grey note under the axes (sample sizes, settings)."""
    ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -22), textcoords="offset points",
                fontsize=7, color=MUTED, ha="left", va="top", annotation_clip=False)


def right_values(ax, y, labels, title: str):
    """Values printed on a right-hand y axis beside each row (grey, small), ``title`` on top."""
    right = ax.secondary_yaxis("right")
    right.set_yticks(y, labels)
    right.tick_params(axis="y", length=0, labelsize=7, labelcolor=MUTED)
    right.spines["right"].set_visible(False)
    right.set_ylabel(title, fontsize=7, color=MUTED, rotation=0, va="bottom", ha="center")
    right.yaxis.set_label_coords(1.0, 1.0)
    return right


def fmt_count(n) -> str:
    n = float(n)
    if n >= 1e6:
        return f"{n / 1e6:.1f}M"
    if n >= 1e4:
        return f"{n / 1e3:.0f}k"
    if n >= 1e3:
        return f"{n / 1e3:.1f}k"
    return f"{n:.0f}"
