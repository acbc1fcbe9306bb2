"""Drawing helpers shared by the plot modules (not part of the public API)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from framescope.analysis.plots.style import GUIDE, MUTED
from framescope.corpus.errors import FramescopeError


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


def zero_floor(ax, axis: str = "x", pad: float = 0.03) -> None:
    """Start a value axis just below 0 (``pad`` of its upper limit), so that a dot at 0 is
    drawn whole instead of cut in half by the axes edge; 0 stays the first tick."""
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    hi = hi if hi > 0 else 1.0
    (ax.set_xlim if axis == "x" else ax.set_ylim)(-pad * hi, hi)


def legend_columns(labels, width_in: float, fontsize: float = 7.0, most: int = 6) -> int:
    """The most legend columns (≤ ``most``) whose entries fit side by side in ``width_in``
    inches, estimated from the labels' lengths (0.62 em a character in DejaVu Sans, 4.4 em
    of handle, padding and column spacing per column); legends fill columns first, as
    matplotlib does."""
    em = fontsize / 72
    widths = [len(str(label)) * 0.62 * em + 4.4 * em for label in labels]
    n = len(widths)
    for ncol in range(max(min(most, n), 1), 1, -1):
        # matplotlib's split: the first n % ncol columns take one entry more than the rest
        rows, big = divmod(n, ncol)
        sizes = [rows + 1] * big + [rows] * (ncol - big)
        starts = np.cumsum([0] + sizes)
        total = sum(max(widths[a:b], default=0) for a, b in zip(starts[:-1], starts[1:]))
        if total <= width_in - 0.15:
            return ncol
    return 1


def group_sizes_of(table: pd.DataFrame, n=None, docs_column: str | None = None) -> dict:
    """``{group: (documents, tokens, small)}`` from whatever the table carries, first found:
    the ``n`` argument (``{group: docs}`` or ``{group: (docs, tokens[, small])}``),
    ``attrs["group_sizes"]`` (records of :func:`framescope.analysis.groups.group_sizes`), the columns
    ``group_docs`` / ``group_tokens`` / ``small_group``, or a two-group table's
    ``target_docs`` … ``reference_tokens`` with ``attrs['target_label']`` / ``['reference_label']``,
    or, last, the per-group column ``docs_column`` (e.g. the modelled documents ``n_docs`` of a
    topic-prevalence table; with ``n_tokens`` when present), checked against the size floor of
    :mod:`framescope.analysis.groups`. Tokens or ``small`` may be None when unknown."""
    out: dict = {}
    if n:
        for g, v in dict(n).items():
            v = tuple(v) if isinstance(v, (tuple, list)) else (v,)
            out[g] = (v + (None, None))[:3] if len(v) < 3 else v[:3]
        return out
    records = table.attrs.get("group_sizes") if isinstance(table, pd.DataFrame) else None
    if records is not None:
        recs = records.to_dict("records") if isinstance(records, pd.DataFrame) else list(records)
        for r in recs:
            out[r.get("group")] = (r.get("n_docs"), r.get("n_tokens"), r.get("small_group"))
        return out
    if "group" in table.columns and "group_docs" in table.columns:
        for g, sub in table.groupby("group", sort=False):
            r = sub.iloc[0]
            out[g] = (r["group_docs"], r.get("group_tokens"), r.get("small_group"))
        return out
    if {"target_docs", "reference_docs"} <= set(table.columns) and len(table):
        # the comparison's own group sizes (running words, analysis.groups): the same N as
        # every other table and figure of these groups
        from framescope.analysis.groups import DEFAULT_FLOOR

        r = table.iloc[0]
        for side in ("target", "reference"):
            label = table.attrs.get(f"{side}_label") or table.attrs.get(side) or side
            docs, tokens = r[f"{side}_docs"], r.get(f"{side}_tokens")
            out[label] = (docs, tokens, bool(docs < DEFAULT_FLOOR.min_docs or (
                tokens is not None and tokens < DEFAULT_FLOOR.min_tokens)))
        return out
    if "n_docs_target" in table.attrs:  # a keyness table without size columns
        from framescope.analysis.groups import DEFAULT_FLOOR

        for side in ("target", "reference"):
            label = table.attrs.get(f"{side}_label") or table.attrs.get(side) or side
            docs = table.attrs.get(f"n_docs_{side}")
            # tokens of the side in the terms' language (one language per keyness figure)
            tokens = int(table[f"size_{side}"].max()) if f"size_{side}" in table.columns and len(table) else None
            out[label] = (docs, tokens, docs is not None and (docs < DEFAULT_FLOOR.min_docs or (
                tokens is not None and tokens < DEFAULT_FLOOR.min_tokens)))
        return out
    if docs_column and {"group", docs_column} <= set(table.columns):
        from framescope.analysis.groups import DEFAULT_FLOOR

        for g, sub in table.groupby("group", sort=False):
            docs = int(sub[docs_column].iloc[0])
            tokens = sub["n_tokens"].iloc[0] if "n_tokens" in sub else None
            out[g] = (docs, tokens, docs < DEFAULT_FLOOR.min_docs
                      or (tokens is not None and tokens < DEFAULT_FLOOR.min_tokens))
    return out


def size_label(name: str, size, extra: str | None = None) -> str:
    """'wire (23 docs, 12k tok.; small)' from a :func:`group_sizes_of` entry (or ``name``
    alone without one); ``extra`` ('71 claims') is added inside the brackets."""
    parts = []
    if size and size[0] is not None and not (isinstance(size[0], float) and np.isnan(size[0])):
        docs, tokens, small = size
        parts.append(f"{int(docs):,} doc{'s' if int(docs) != 1 else ''}"
                     + (f", {fmt_count(tokens)} tok." if tokens is not None and not pd.isna(tokens) else ""))
        if small is True or small == 1:
            parts.append("small")
    if extra:
        parts.append(extra)
    return f"{name} ({'; '.join(parts)})" if parts else name


def is_small(size) -> bool:
    return bool(size) and len(size) > 2 and (size[2] is True or size[2] == 1)


def fit_legend(labels, width_in: float, fontsize: float = 7.0, most: int = 6) -> tuple[list, int]:
    """(labels, ncol) for a legend ``width_in`` inches wide: labels too long for one column
    break before their last bracketed part ('wire\\n(23 docs, 11k tok.)'), then
    :func:`legend_columns` picks the columns."""
    em = fontsize / 72
    room = int((width_in - 0.15 - 4.4 * em) / (0.62 * em))
    # break before the last bracket (the sizes), not inside a name such as 'state agency (SPA)'
    out = ["\n(".join(str(t).rsplit(" (", 1)) if len(str(t)) > room and " (" in str(t) else str(t) for t in labels]
    longest = [max(part.split("\n"), key=len) for part in out]
    return out, legend_columns(longest, width_in, fontsize, most)


def nearest_corner(box, point) -> tuple[float, float]:
    """The point of ``box``'s outline nearest ``point`` (display units): where a leader line leaves a label."""
    return (float(np.clip(point[0], box.x0, box.x1)), float(np.clip(point[1], box.y0, box.y1)))


def place_labels(fig, ax, items, first=None) -> None:
    """Label every node where it overlaps least: greedily, largest node first, the first of
    below, above, right, left (then farther below/above) of its node that overlaps no node
    and no label placed before; else the place with the least overlap. ``items``: (x, y,
    marker radius in points, text). ``first``: per item, a place (ux, uy) in -1/0/1 tried
    before the others (a radial layout puts labels outward)."""
    from matplotlib.transforms import Bbox

    fig.draw_without_rendering()  # the final layout: display coordinates of the nodes
    scale = fig.dpi / 72
    centres = [ax.transData.transform((x, y)) for x, y, _, _ in items]
    node_boxes = [Bbox.from_bounds(cx - r * scale, cy - r * scale, 2 * r * scale, 2 * r * scale)
                  for (cx, cy), (_, _, r, _) in zip(centres, items)]
    placed: list = []

    frame = ax.bbox

    def overlap(box, own: int) -> float:
        # area outside the axes counts tenfold: a label must not run off the figure
        inside = Bbox.intersection(box, frame)
        total = 10.0 * (box.width * box.height - (inside.width * inside.height if inside is not None else 0.0))
        for i, other in enumerate(node_boxes + placed):
            if i == own:
                continue
            inter = Bbox.intersection(box, other)
            # a label over a node hides it: five times worse than over a label or edge
            total += (5.0 if i < len(node_boxes) else 1.0) * (inter.width * inter.height if inter is not None else 0.0)
        return total

    places = ((0, -1, "center", "top"), (0, 1, "center", "bottom"), (1, 0, "left", "center"),
              (-1, 0, "right", "center"), (1, -1, "left", "top"), (-1, -1, "right", "top"),
              (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"))  # diagonals clear the node's box
    for i in sorted(range(len(items)), key=lambda j: -items[j][2]):
        x, y, r, text = items[i]
        order = places
        if first is not None and first[i] is not None:
            ux0, uy0 = first[i]
            preferred = (ux0, uy0, "left" if ux0 > 0 else "right" if ux0 < 0 else "center",
                         "bottom" if uy0 > 0 else "top" if uy0 < 0 else "center")
            order = (preferred,) + tuple(p for p in places if p[:2] != (ux0, uy0))
        best = None
        # the full label first, then fewer words ('T4 a · b', 'T4 a', 'T4'), each at every place, three distances:
        # a label is shortened rather than laid over another label or node
        words = text.split(" \u00b7 ")
        variants = [" \u00b7 ".join(words[:k]) for k in range(len(words), 0, -1)]
        if variants[-1].split(" ")[0] != variants[-1]:
            variants.append(variants[-1].split(" ")[0])
        for variant in variants:
            for extra in (2, 11, 22):
                for ux, uy, ha, va in order:
                    ann = ax.annotate(variant, (x, y), xytext=(ux * (r + extra), uy * (r + extra)),
                                      textcoords="offset points", ha=ha, va=va, fontsize=7, color="#222222", zorder=4,
                                      bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))
                    ann.set_in_layout(False)  # placed for this layout: it must not move the axes afterwards
                    box = ann.get_window_extent()
                    cost = overlap(box, i)
                    if best is None or cost < best[0]:
                        if best is not None:
                            best[1].remove()
                        best = (cost, ann, box, extra)
                    else:
                        ann.remove()
                    if cost == 0:
                        break
                if best[0] == 0:
                    break
            if best[0] == 0:
                break
        if best[3] > 2:  # a label set off from its node gets a thin leader line to it
            start = nearest_corner(best[2], ax.transData.transform((x, y)))
            leader = ax.annotate("", (x, y), xytext=(start[0] * 72 / fig.dpi, start[1] * 72 / fig.dpi),
                                 textcoords="figure points", zorder=2,
                                 arrowprops=dict(arrowstyle="-", color="#999999", lw=0.5, shrinkA=0, shrinkB=r))
            leader.set_in_layout(False)
        placed.append(best[2])
