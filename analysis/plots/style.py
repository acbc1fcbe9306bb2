"""The one style module of framescope's figures: palette, sizes, fonts and ``save``.

Every plot function in :mod:`framescope.analysis.plots` draws inside :data:`RC` (via :func:`styled`)
and gets its group colours, markers and hatches from :func:`group_styles`, so that all
figures of a paper look alike. What the style guarantees:

* **Colour-blind safe and greyscale safe.** The Okabe & Ito (2008) palette, ordered by
  the grey level a printer gives each colour (Rec. 601 luma); :func:`group_styles` picks
  colours spread over that range and pairs every group with its own marker, hatch and
  line style, so groups stay apart in greyscale and for every colour-vision deficiency.
* **Paper sizes.** ``width='single'`` (3.5 in, one journal column) or ``'double'``
  (7.2 in, full page width), 8 pt text, 7 pt ticks: legible at column width.
* **Arabic.** matplotlib ≥ 3.11 shapes Arabic and orders right-to-left runs itself (also
  inside mixed English–Arabic strings), so plain Unicode strings are passed as they are:
  no arabic-reshaper / python-bidi (which would reverse them a second time). Noto Sans
  Arabic (PyPI ``fontpkg-noto-sans-arabic``) is registered with matplotlib.
  ``font.family`` is ``['DejaVu Sans', 'Noto Sans Arabic']``: DejaVu for Latin, Noto for
  any glyph DejaVu lacks. DejaVu Sans does carry basic Arabic letters, so glyph fallback
  alone would never reach Noto; :func:`arabic_fonts` therefore gives every text artist
  that contains Arabic script the family ``['Noto Sans Arabic', 'DejaVu Sans']`` (Noto's
  Arabic typography is far better than DejaVu's).
* **No chart junk.** No top/right spines, no frames around legends, no background grid
  except faint guides on the value axis where values are read off.

``save(fig, name)`` writes ``figures/NAME.pdf`` (vector, TrueType fonts embedded:
``pdf.fonttype`` 42, no creation date so that reruns give the same file) and
``figures/NAME.png`` (300 dpi).
"""
from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import colors as mcolors
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import in_kernel

__all__ = ["SINGLE_COLUMN", "DOUBLE_COLUMN", "OKABE_ITO", "PALETTE", "MARKERS", "HATCHES", "LINESTYLES",
           "RC", "ARABIC_FAMILY", "GroupStyle", "grey_level", "group_styles", "register_fonts",
           "bundled_fonts", "package_fonts_only", "arabic_font_path", "has_arabic", "arabic_fonts", "use", "styled", "left_out_note", "add_note", "figure", "save", "display", "ltr",
           "StyledFigure", "DISPLAY_DPI", "in_kernel",
           "SOURCE_TYPE_ORDER", "KNOWN_GROUPS", "group_key", "order_groups", "text_colour_on",
           "MIN_FONT_SIZE", "figure_problems", "check_figure"]

#: Figure widths in inches: one journal column and the full page width.
SINGLE_COLUMN = 3.5
#: Full page width of a two-column journal (inches).
DOUBLE_COLUMN = 7.2
#: Tallest figure a page holds (inches).
MAX_HEIGHT = 9.0

#: Okabe & Ito (2008) colours, ordered from dark to light by their grey level.
OKABE_ITO = {
    "black": "#000000",
    "blue": "#0072B2",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "orange": "#E69F00",
    "yellow": "#F0E442",
}
#: Colours in the order groups receive them. The first three are as far apart in grey as
#: the palette allows (blue 87, orange 162, black 0 on a 0–255 scale), so the usual two-
#: and three-group comparisons survive greyscale printing by colour alone; further groups
#: rely on their markers, hatches and line styles too. Yellow (too light for dots on
#: white) comes last.
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "black", "vermillion", "sky_blue", "bluish_green",
                                   "reddish_purple", "yellow")]
#: Point markers in the order groups receive them (one shape per group).
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
#: Bar hatches in the order groups receive them (the first group's bars are plain).
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++", "ooo", "---"]
#: Line styles in the order groups receive them (solid, dashed, dotted, ...).
LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1)), (0, (1, 1)), (0, (3, 1, 1, 1)), (0, (5, 2, 1, 2))]
#: Faint colour for guides (zero lines, separators); dark grey for secondary text.
GUIDE = "#BBBBBB"
MUTED = "#555555"

#: Source types in the order figures list them (state first, then aligned, ..., unknown).
SOURCE_TYPE_ORDER = ["state_media", "state_aligned", "partisan_media", "government", "wire",
                     "private_media", "ngo", "igo", "unknown"]

#: Font family of a text that contains Arabic script: Noto Sans Arabic first (:func:`arabic_fonts`).
ARABIC_FAMILY = ["Noto Sans Arabic", "DejaVu Sans"]

#: matplotlib rcParams of every framescope figure (applied by :func:`styled` and :func:`use`):
#: 8 pt text and 7 pt ticks, no top/right spines, no legend frames, constrained layout,
#: 300-dpi PNGs and TrueType fonts embedded in PDF and PostScript.
RC = {
    "figure.figsize": (SINGLE_COLUMN, 2.4),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "figure.constrained_layout.h_pad": 0.03,
    "figure.constrained_layout.w_pad": 0.03,
    "font.family": ["DejaVu Sans", "Noto Sans Arabic"],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.titleweight": "normal",
    "axes.labelsize": 8,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "grid.color": "#E4E4E4",
    "grid.linewidth": 0.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 7,
    "legend.frameon": False,
    "legend.handlelength": 1.4,
    "legend.borderaxespad": 0.2,
    "lines.linewidth": 1.0,
    "lines.markersize": 4,
    "patch.linewidth": 0.5,
    "hatch.linewidth": 0.6,
    "errorbar.capsize": 0,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "savefig.facecolor": "white",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}


# --- colours -----------------------------------------------------------------------------------

def grey_level(colour) -> float:
    """Grey value (0 black … 255 white) a colour prints as: Rec. 601 luma of sRGB.

    Parameters
    ----------
    colour : str or tuple
        Any matplotlib colour (``"#0072B2"``, ``"black"``, an RGB tuple).

    Returns
    -------
    float
        0.299 R + 0.587 G + 0.114 B on a 0–255 scale (ITU-R BT.601 luma weights).

    References
    ----------
    .. [1] ITU-R Recommendation BT.601-7 (2011). Studio encoding parameters of digital
       television for standard 4:3 and wide-screen 16:9 aspect ratios.
    """
    r, g, b = mcolors.to_rgb(colour)
    return 255.0 * (0.299 * r + 0.587 * g + 0.114 * b)


def text_colour_on(colour) -> str:
    """Black or white, whichever reads better on ``colour``.

    Parameters
    ----------
    colour : str or tuple
        Background colour (any matplotlib colour).

    Returns
    -------
    str
        ``"white"`` on a colour darker than mid-grey (:func:`grey_level` < 128), else
        ``"black"``.
    """
    return "white" if grey_level(colour) < 128 else "black"


@dataclass(frozen=True)
class GroupStyle:
    """How one group is drawn: colour, marker, hatch (bars) and line style.

    Made by :func:`group_styles`; every field differs between the groups of one figure, so
    groups stay apart without colour.

    Parameters
    ----------
    colour : str
        Hex colour from :data:`PALETTE` (Okabe & Ito 2008).
    marker : str
        matplotlib marker of points (:data:`MARKERS`).
    hatch : str
        matplotlib hatch pattern of bars and areas (:data:`HATCHES`; ``""`` for none).
    linestyle : str or tuple
        matplotlib line style of lines (:data:`LINESTYLES`: a name or an on-off dash tuple).

    References
    ----------
    .. [1] Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): How to make figures
       and presentations that are friendly to colorblind people*. J*Fly.
    """

    colour: str
    marker: str
    hatch: str
    linestyle: object

    @property
    def hatch_colour(self) -> str:
        """Colour of the hatch lines on a bar of this group: black or white, whichever shows on its colour."""
        return text_colour_on(self.colour)


#: Groups that keep one place and one style in every figure: the registry's source types, the
#: stance-and-ownership design of the notebooks, the stances (alignment) alone and the Saudi
#: agency-vs-press split, matched on
#: :func:`group_key`. The value is the style index (colour, marker, hatch of :func:`group_styles`);
#: groups of one family never share one. Order of this mapping = figure order; wire (the usual
#: reference) and unknown come last.
KNOWN_GROUPS = {
    "state_media": 0, "state_aligned": 1, "partisan_media": 2, "government": 8, "private_media": 4, "ngo": 6,
    "igo": 7,
    "pro-damascus state media": 0, "pro-damascus partisan": 2, "anti-damascus media": 1,
    "mixed or neutral stance": 4,
    "pro-damascus": 0, "anti-damascus": 1, "mixed": 4, "neutral": 6,
    "state agency": 0, "press": 1,
    "wire": 3, "unknown": 5,
}


def group_key(label) -> str:
    """The name a group is known by in :data:`KNOWN_GROUPS`: its display form, lower case, without
    a trailing parenthesis ('wire (Reuters)' → 'wire', 'state agency (was)' → 'state agency').

    Parameters
    ----------
    label : object
        A group label.

    Returns
    -------
    str
        The key looked up in :data:`KNOWN_GROUPS`; registry codes keep their underscores.
    """
    text = str(label)
    if text in KNOWN_GROUPS:
        return text
    return re.sub(r"\s*\([^()]*\)$", "", display(text)).strip().lower()


def order_groups(groups: Iterable) -> list:
    """Groups in figure order: known groups in the order of :data:`KNOWN_GROUPS`, the rest after.

    Parameters
    ----------
    groups : iterable
        Group labels; repeats are dropped (first appearance kept).

    Returns
    -------
    list
        The groups known to :data:`KNOWN_GROUPS` (source types, the stance-and-ownership
        design, agency and press) in its order, wire and unknown last of them, then every other
        label in order of first appearance.
    """
    seen = list(dict.fromkeys(groups))
    rank = {k: i for i, k in enumerate(KNOWN_GROUPS)}
    known = sorted((g for g in seen if group_key(g) in rank), key=lambda g: rank[group_key(g)])
    return known + [g for g in seen if g not in known]


def group_styles(groups: Sequence) -> dict:
    """A :class:`GroupStyle` per group: the same one in every figure for the groups of
    :data:`KNOWN_GROUPS`, the next free ones for the rest (colour i = ``PALETTE[i]``).

    Every group also gets its own marker, hatch and line style, so groups stay distinct in
    greyscale and beyond eight groups (colours then repeat with other markers and hatches).
    The palette is that of Okabe & Ito (2008), ordered so that the first three colours are
    far apart in grey.

    Parameters
    ----------
    groups : sequence
        Group labels in figure order (e.g. from :func:`order_groups`); repeats are dropped.

    Returns
    -------
    dict
        Group label → :class:`GroupStyle`, in the order given.

    References
    ----------
    .. [1] Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): How to make figures
       and presentations that are friendly to colorblind people*. J*Fly.
    """
    groups = list(dict.fromkeys(groups))
    # a known group keeps its style in every figure; the others take the first free ones
    index = {g: KNOWN_GROUPS[group_key(g)] for g in groups if group_key(g) in KNOWN_GROUPS}
    if len(set(index.values())) < len(index):  # groups of different families that clash: by order
        index = {}
    free = (i for i in range(10 ** 6) if i not in set(index.values()))
    index = {g: index[g] if g in index else next(free) for g in groups}
    # past eight groups the colours repeat: shift the hatch so a repeated colour never
    # comes back with the same hatch (group 9 = colour 1 with hatch 2)
    return {g: GroupStyle(PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)],
                          HATCHES[(i + i // len(PALETTE)) % len(HATCHES)],
                          LINESTYLES[i % len(LINESTYLES)]) for g, i in index.items()}


#: Registry values whose plain form needs more than underscores as spaces.
DISPLAY_NAMES = {"pro_damascus": "pro-Damascus", "anti_damascus": "anti-Damascus"}


def display(label) -> str:
    """A group label for people: 'state_media' → 'state media', 'pro_damascus' → 'pro-Damascus'.

    Parameters
    ----------
    label : object
        A registry value or group label (converted with ``str``).

    Returns
    -------
    str
        The label of :data:`DISPLAY_NAMES` if it has one, else the label with underscores as
        spaces.
    """
    text = str(label)
    return DISPLAY_NAMES.get(text, text.replace("_", " "))


def ltr(text: str) -> str:
    """Mark a label as a left-to-right paragraph (LEFT-TO-RIGHT MARK first).

    A string that starts with an Arabic word is laid out right to left by the Unicode
    bidi algorithm, so 'التحالف (n = 12)' would show its Latin part on the left; in an
    English figure the label should read 'التحالف (n = 12)' left to right.

    Parameters
    ----------
    text : str
        A figure label.

    Returns
    -------
    str
        ``text`` with U+200E LEFT-TO-RIGHT MARK in front when it contains Arabic script,
        else ``text`` unchanged.
    """
    return "\u200e" + text if has_arabic(text) else text


# --- fonts --------------------------------------------------------------------------------------

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text) -> bool:
    """Whether ``text`` is a string containing Arabic script (the Arabic Unicode blocks and presentation forms).

    Parameters
    ----------
    text : object
        Anything; only strings can contain Arabic.

    Returns
    -------
    bool
        True when ``text`` is a ``str`` with at least one Arabic-script character.
    """
    return isinstance(text, str) and bool(_ARABIC.search(text))


def arabic_font_path() -> Path | None:
    """The Noto Sans Arabic font file shipped by the ``fontpkg-noto-sans-arabic`` package.

    Returns
    -------
    pathlib.Path or None
        The package's first ``.ttf``/``.otf`` file; None when the package is not installed
        or holds no font file.
    """
    try:
        import fontpkg_noto_sans_arabic as pkg
    except ImportError:
        return None
    files = sorted((Path(pkg.ROOT) / "files").glob("*.[to]tf"))
    return files[0] if files else None


def bundled_fonts() -> list[str]:
    """Make sure matplotlib's font manager knows the fonts matplotlib itself ships.

    matplotlib keeps its font list in a cache file (``~/.cache/matplotlib/fontlist-*.json``)
    and trusts it. A cache written while matplotlib was being installed, or by another
    install sharing the folder, can lack the fonts of ``mpl-data/fonts/ttf`` (STIX,
    Computer Modern, DejaVu Sans Display). Mathtext, which draws every log-axis tick label
    (``10³`` is ``$\\mathdefault{10^{3}}$``), looks all of them up when it sets up its
    fonts (the STIX and Computer Modern fallbacks of the DejaVu fontset), and each lookup
    of a font the list lacks prints ``findfont: Font family ['STIXGeneral'] not found``
    and draws the glyph from another font. The missing files are added to this process's
    font manager; the cache file is not touched.

    Returns
    -------
    list of str
        The font files added (empty when the font list was complete).
    """
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    known = {os.path.realpath(f.fname) for f in font_manager.fontManager.ttflist}
    added = []
    for path in sorted(folder.glob("*.ttf")):
        if os.path.realpath(path) not in known:
            font_manager.fontManager.addfont(str(path))
            added.append(str(path))
    return added


def package_fonts_only(arabic: Path | None = None) -> int:
    """Draw figures only with fonts the installed packages ship, never the system's.

    A system font with the same name as one matplotlib ships (DejaVu Sans in
    ``/usr/share/fonts``) would otherwise win or lose by its place in the font list, so the
    glyphs, and the bytes of a PDF (matplotlib embeds its fonts in the order of their file
    paths), would depend on the machine and on where the environment lives. Keeping only
    ``mpl-data/fonts`` and the Arabic font package makes a figure the same file wherever it
    is drawn. This process's font manager is changed; the cache file is not touched.

    Parameters
    ----------
    arabic : pathlib.Path, optional
        The Arabic font file (:func:`arabic_font_path`), kept with matplotlib's own.

    Returns
    -------
    int
        The number of font entries left out.
    """
    roots = [os.path.realpath(Path(matplotlib.get_data_path()) / "fonts")]
    if arabic is not None:
        roots.append(os.path.realpath(Path(arabic).parent))
    manager = font_manager.fontManager
    before = len(manager.ttflist)
    manager.ttflist = [f for f in manager.ttflist
                       if any(os.path.realpath(f.fname).startswith(root + os.sep) for root in roots)]
    cached = getattr(manager, "_findfont_cached", None)  # lookups made before now must not stick
    if cached is not None:
        cached.cache_clear()
    return before - len(manager.ttflist)


@functools.lru_cache(maxsize=1)
def register_fonts() -> str | None:
    """Register Noto Sans Arabic with matplotlib (once); returns its family name or None.

    Also completes the font list with matplotlib's own fonts (:func:`bundled_fonts`), so
    that mathtext (log-axis tick labels) finds its STIX and Computer Modern fonts instead of
    printing ``findfont`` warnings, and leaves system fonts out (:func:`package_fonts_only`),
    so that a figure is the same file on every machine. Without the Arabic package figures still render
    (Arabic then uses DejaVu Sans' glyphs), with one warning naming the package to install.
    """
    bundled_fonts()
    path = arabic_font_path()
    package_fonts_only(path)
    if path is None:
        warnings.warn("fontpkg-noto-sans-arabic is not installed: Arabic text falls back to DejaVu Sans "
                      "(pip install fontpkg-noto-sans-arabic)", stacklevel=2)
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def arabic_fonts(fig) -> None:
    """Give every text artist of ``fig`` that contains Arabic script Noto Sans Arabic first.

    Latin characters in the same string then also use Noto, which matches. Nothing changes
    when the font is not installed (:func:`register_fonts` returns None).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure whose texts are changed in place.
    """
    if register_fonts() is None:
        return
    for text in fig.findobj(Text):
        if has_arabic(text.get_text()):
            text.set_fontfamily(ARABIC_FAMILY)
            # Noto's tall Arabic line metrics put 'center_baseline' (the y tick label
            # default) visibly below the tick; the box centre lines up with Latin labels
            if text.get_verticalalignment() == "center_baseline":
                text.set_verticalalignment("center")


def use() -> None:
    """Apply the style to matplotlib globally (for interactive work in notebooks)."""
    register_fonts()
    matplotlib.rcParams.update(RC)


def styled(func):
    """Decorator for plot functions: draw inside :data:`RC`, then route Arabic text to the Arabic font.

    Parameters
    ----------
    func : callable
        A plot function that returns a matplotlib Figure.

    Returns
    -------
    callable
        ``func`` wrapped: it registers the fonts, runs ``func`` inside
        ``matplotlib.pyplot.rc_context(RC)``, names in a note the rows the drawn table left
        out (:func:`left_out_note`, e.g. source names left out of a keyness ranking) and
        applies :func:`arabic_fonts` to the figure it returns.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        register_fonts()
        if in_kernel():
            # load pyplot's backend here, not inside rc_context: the inline backend
            # switches interactive mode on when it loads, and leaving rc_context would
            # switch it off again (figures would then not show at the end of a cell)
            plt.draw_if_interactive()
        with plt.rc_context(RC):
            fig = func(*args, **kwargs)
            note = left_out_note(args[0]) if args else ""
            if note:
                add_note(fig, note)
            arabic_fonts(fig)
        return fig

    return wrapper


def left_out_note(table) -> str:
    """The note of a figure drawn from a table that left rows out of its ranking.

    :func:`framescope.analysis.keyness.exclude_terms` (``exclude=`` of keyness) moves the
    rows of terms such as the outlets' own names to ``attrs["left_out"]``; a figure drawn
    from the table must say so, so that no term disappears silently.

    Parameters
    ----------
    table : object
        The first argument of a plot function; only a table whose ``attrs`` hold
        ``left_out`` records gives a note.

    Returns
    -------
    str
        ``"left out of the ranking as source names: sana, sputnik, reuters (3 terms; in the
        table's attrs)"`` (at most six terms named), or ``""``.
    """
    attrs = getattr(table, "attrs", None)
    records = attrs.get("left_out") if isinstance(attrs, dict) else None
    if not records:
        return ""
    terms = list(dict.fromkeys(str(r.get("term")) for r in records))
    shown = ", ".join(terms[:6]) + (f" and {len(terms) - 6} more" if len(terms) > 6 else "")
    reason = str(attrs.get("left_out_reason") or "excluded").split(" (")[0]
    return (f"left out of the ranking as {reason}: {shown} ({len(terms)} term{'s' if len(terms) != 1 else ''}; "
            f"in the table's attrs)")


def add_note(fig, note: str) -> None:
    """Add ``note`` as a line of the figure's footnote (its ``supxlabel``), 7 pt, muted, wrapped;
    the figure grows by the note's height (up to :data:`MAX_HEIGHT`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; an existing footnote is kept above the note.
    note : str
        The text to add (wrapped to the figure's width).
    """
    import textwrap

    lines = textwrap.fill(note, width=max(30, int(fig.get_figwidth() * 16)))
    existing = fig.get_supxlabel()
    fig.supxlabel(f"{existing}\n{lines}" if existing else lines, fontsize=7, color=MUTED)
    # the figure grows by the note's lines, so the axes keep the height the plot gave them
    fig.set_figheight(min(fig.get_figheight() + (lines.count("\n") + 1.6) * 7 * 1.2 / 72, MAX_HEIGHT))


def _width(width) -> float:
    if width == "single":
        return SINGLE_COLUMN
    if width == "double":
        return DOUBLE_COLUMN
    try:
        value = float(width)
    except (TypeError, ValueError):
        raise FramescopeError(f"width must be 'single', 'double' or inches, not {width!r}") from None
    if value <= 0:
        raise FramescopeError(f"width must be positive, not {width!r}")
    return value


#: Resolution of the PNG a figure shows in a notebook: the style's screen dpi
#: (``figure.dpi``) times two, declared at its size in points so that it stays sharp on
#: high-density screens and appears at the size it has on paper.
DISPLAY_DPI = 2 * RC["figure.dpi"]


class StyledFigure(Figure):
    """A matplotlib Figure that shows itself in Jupyter/IPython.

    Plot functions return this class. Outside a notebook it is a plain Figure: it is not
    registered with pyplot, so scripts and tests that build figures in a loop accumulate
    nothing. In an IPython kernel :func:`figure` registers it with pyplot as well, so it
    also appears at the end of the cell that made it and on ``plt.show()``, like any
    pyplot figure. As the last value of a cell it is shown once (``_ipython_display_``
    draws it and takes it off pyplot's list, so the inline backend does not show it a
    second time); ``_repr_png_`` and ``_repr_mimebundle_`` serve other front ends
    (nbconvert, IPython.display.display, rich reprs).

    Parameters
    ----------
    figsize : (float, float), optional
        Width and height in inches (:func:`figure` passes a paper width).
    dpi : float, optional
        Dots per inch on screen (default ``figure.dpi`` of :data:`RC`).
    facecolor : colour, optional
        Background colour.
    edgecolor : colour, optional
        Colour of the figure's frame.
    linewidth : float, default 0.0
        Width of the figure's frame.
    frameon : bool, optional
        Whether the background patch is drawn.
    subplotpars : matplotlib.figure.SubplotParams, optional
        Subplot spacing (unused with the constrained layout of the style).
    tight_layout : bool or dict, optional
        Deprecated matplotlib switch; use ``layout``.
    constrained_layout : bool, optional
        Deprecated matplotlib switch; use ``layout``.
    layout : str, optional
        Layout engine; :func:`figure` passes ``"constrained"``.
    **kwargs
        Further keyword arguments of ``matplotlib.figure.Figure``.
    """

    def _png(self) -> bytes:
        import io

        buf = io.BytesIO()
        arabic_fonts(self)
        with plt.rc_context(RC):
            self.savefig(buf, format="png", dpi=DISPLAY_DPI, metadata={"Software": None})
        return buf.getvalue()

    def _display_size(self, png: bytes) -> dict:
        import struct

        width, height = struct.unpack(">II", png[16:24])  # IHDR: the size as drawn (bbox tight)
        scale = RC["figure.dpi"] / DISPLAY_DPI
        return {"width": round(width * scale), "height": round(height * scale)}

    def _repr_png_(self):
        png = self._png()
        return png, self._display_size(png)

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = self._png()
        return {"image/png": png, "text/plain": repr(self)}, {"image/png": self._display_size(png)}

    def _ipython_display_(self):
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        if self.canvas.manager is not None:
            plt.close(self)  # shown: the inline backend must not show it again at the end of the cell


def figure(width="single", height: float | None = None, nrows: int = 1, ncols: int = 1, **kwargs):
    """A new (figure, axes) at a paper width.

    The figure is a :class:`StyledFigure`. In a script or a test it is not registered with
    pyplot's figure manager, so plot functions called in a loop do not accumulate open
    figures; in a Jupyter kernel, or with pyplot's interactive mode on (``plt.ion()``,
    IPython's ``%matplotlib``), it is, so that ``plt.show()`` and the backend show it.

    Parameters
    ----------
    width : {"single", "double"} or float, default "single"
        ``"single"``: one journal column (:data:`SINGLE_COLUMN`, 3.5 in); ``"double"``: the
        page width (:data:`DOUBLE_COLUMN`, 7.2 in); a number: inches (positive).
    height : float, optional
        Height in inches; default ⅔ of the width. Capped at :data:`MAX_HEIGHT`.
    nrows : int, default 1
        Rows of axes.
    ncols : int, default 1
        Columns of axes.
    **kwargs
        Passed to ``Figure.subplots`` (``sharex``, ``squeeze``, ``gridspec_kw``, ...).

    Returns
    -------
    fig : StyledFigure
        The new figure, with the constrained layout.
    axes : matplotlib.axes.Axes or numpy.ndarray of Axes
        As ``Figure.subplots`` returns them (one Axes for 1 × 1 unless ``squeeze=False``).
    """
    w = _width(width)
    h = min(height if height is not None else w * 2 / 3, MAX_HEIGHT)
    if in_kernel() or matplotlib.is_interactive():
        fig = plt.figure(figsize=(w, h), layout="constrained", FigureClass=StyledFigure)
    else:
        fig = StyledFigure(figsize=(w, h), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=kwargs.pop("squeeze", True), **kwargs)
    return fig, axes


def save(fig, name: str, folder: str | Path = "figures") -> tuple[Path, Path]:
    """Write ``folder/NAME.pdf`` (fonts embedded) and ``folder/NAME.png`` (300 dpi).

    The PDF carries no creation date and the PNG no software tag, so the same figure gives
    the same files on every run. The figure is saved at its own size (no tight bounding box)
    after :func:`check_figure`, which raises under ``FRAMESCOPE_STRICT_FIGURES=1``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to write (from a plot function of :mod:`framescope.analysis.plots`).
    name : str
        File stem: no folder, no ``.pdf``/``.png`` extension.
    folder : str or path-like, default "figures"
        Output folder, created if missing; existing files of the same name are overwritten.

    Returns
    -------
    pdf : pathlib.Path
        The PDF written.
    png : pathlib.Path
        The PNG written.
    """
    if not name or Path(name).name != name or name.endswith((".pdf", ".png")):
        raise FramescopeError(f"figure name must be a plain file stem (no folder, no extension), not {name!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pdf, png = folder / f"{name}.pdf", folder / f"{name}.png"
    arabic_fonts(fig)
    check_figure(fig, name)
    # the figure's own size is its print size: no tight bounding box that would change the width
    with plt.rc_context({**RC, "savefig.bbox": "standard"}):
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None})
        fig.savefig(png, format="png", dpi=300, metadata={"Software": None})
    return pdf, png


# --- figure checks ------------------------------------------------------------------------------

#: Smallest text size (points at print size) a figure may use.
MIN_FONT_SIZE = 7.0
#: Environment variable: ``1`` makes :func:`save` raise on a figure with problems (tests set it).
STRICT_ENV = "FRAMESCOPE_STRICT_FIGURES"


def _drawn_texts(fig):
    """Draw ``fig`` once with an Agg renderer and return (renderer, texts actually drawn).

    Recording the texts the renderer is asked to draw (rather than walking the artist tree)
    leaves out invisible and empty texts, texts of hidden axes and the spare tick labels
    matplotlib keeps outside the view limits."""
    import matplotlib.text as mtext_module
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    old_canvas = fig.canvas
    canvas = FigureCanvasAgg(fig)
    # matplotlib passes the Text to draw_text only for one-line texts (mtext=None for each line
    # of a multi-line one): the Text being drawn is taken from Text.draw instead
    current: list = []
    text_draw = mtext_module.Text.draw

    def draw_text_artist(self, renderer):
        current.append(self)
        try:
            return text_draw(self, renderer)
        finally:
            current.pop()

    renderer = canvas.get_renderer()
    original = renderer.draw_text
    try:
        drawn, seen = [], set()

        def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
            owner = mtext if mtext is not None else (current[-1] if current else None)
            if owner is not None and str(s).strip() and id(owner) not in seen:
                seen.add(id(owner))
                drawn.append(owner)
            return original(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

        renderer.draw_text = record
        mtext_module.Text.draw = draw_text_artist
        fig.draw(renderer)
        return renderer, drawn
    finally:
        mtext_module.Text.draw = text_draw
        renderer.draw_text = original
        fig.set_canvas(old_canvas)


def _text_name(text) -> str:
    s = " ".join(str(text.get_text()).split())
    return repr(s if len(s) <= 30 else s[:29] + "…")


def _marker_problems(fig, renderer) -> list[str]:
    """Markers whose centre lies inside their clip box (the axes) but which stick out of it
    by more than a quarter of their radius: a dot at 0 on an axis that starts at 0."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D

    scale = fig.dpi / 72.0
    problems = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for art in ax.get_children():
            if not art.get_visible() or not art.get_clip_on():
                continue
            if isinstance(art, Line2D) and art.get_marker() not in (None, "None", "", " ", "none"):
                xy = art.get_transform().transform(np.column_stack(art.get_data(orig=False)).astype(float))
                radius = np.full(len(xy), art.get_markersize() / 2 * scale)
            elif isinstance(art, PathCollection) and len(art.get_offsets()):
                xy = art.get_offset_transform().transform(np.asarray(art.get_offsets(), dtype=float))
                sizes = np.asarray(art.get_sizes(), dtype=float)
                radius = np.sqrt(np.resize(sizes if len(sizes) else [36.0], len(xy))) / 2 * scale
            else:
                continue
            box = art.get_clip_box() or ax.bbox
            ok = np.isfinite(xy).all(axis=1) & (radius > 0)
            inside = ok & (xy[:, 0] >= box.x0 - 0.5) & (xy[:, 0] <= box.x1 + 0.5) & \
                (xy[:, 1] >= box.y0 - 0.5) & (xy[:, 1] <= box.y1 + 0.5)
            over = np.maximum.reduce([box.x0 - (xy[:, 0] - radius), (xy[:, 0] + radius) - box.x1,
                                      box.y0 - (xy[:, 1] - radius), (xy[:, 1] + radius) - box.y1])
            bad = inside & (over > np.maximum(0.25 * radius, 0.5))
            if bad.any():
                title = ax.get_title(loc="left") or ax.get_title() or "an axes"
                problems.append(f"{int(bad.sum())} marker(s) clipped at the edge of {title!r}")
    return problems


def _ink_box(text, renderer, dpi):
    """A text's window extent, at most 1.3 em tall (kept centred): Noto Sans Arabic's line
    box is 2.1 em tall to hold stacked marks, so two Arabic tick labels a line apart would
    "overlap" by their boxes while their letters stand well apart."""
    from matplotlib.transforms import Bbox

    box = text.get_window_extent(renderer)
    if abs(text.get_rotation() % 180) > 1:  # rotated text: leave as is
        return box
    cap = 1.3 * text.get_fontsize() * dpi / 72.0
    if box.height <= cap:
        return box
    mid = (box.y0 + box.y1) / 2
    return Bbox.from_extents(box.x0, mid - cap / 2, box.x1, mid + cap / 2)


def figure_problems(fig, min_size: float = MIN_FONT_SIZE, widths=(SINGLE_COLUMN, DOUBLE_COLUMN)) -> list[str]:
    """What keeps ``fig`` from print: one sentence per problem, empty when there is none.

    Checks, at print size (the figure's own size in inches, as :func:`save` writes it):

    * the width is one of ``widths`` (one column, 3.5 in, or the page width, 7.2 in);
    * every drawn text (titles, labels, tick labels, legend entries, annotations) is at
      least ``min_size`` points;
    * no two drawn texts overlap (their window extents intersect by more than half a
      point both ways; a box is taken at most 1.3 em tall, see below);
    * no text sticks out of the figure;
    * no marker is cut by the edge of its axes (e.g. a dot at 0 on an axis starting at 0).

    Invisible and empty texts and texts of hidden axes are ignored: the figure is drawn
    once and only the texts the renderer draws are checked. Noto Sans Arabic's line box is
    2.1 em tall (room for stacked marks), so text boxes are cut to 1.3 em around their
    centre before the overlap test; otherwise Arabic rows a line apart would count as
    overlapping.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to check, at its own size.
    min_size : float, default MIN_FONT_SIZE
        Smallest font size in points (:data:`MIN_FONT_SIZE`, 7 pt).
    widths : sequence of float, default (SINGLE_COLUMN, DOUBLE_COLUMN)
        Allowed widths in inches (to within 0.005 in).

    Returns
    -------
    list of str
        One sentence per problem found (e.g. ``"texts 'a' and 'b' overlap"``); empty when
        the figure is ready for print.

    References
    ----------
    .. [1] Hunter, J. D. (2007). Matplotlib: A 2D graphics environment. *Computing in Science &
       Engineering* 9(3), 90–95 (``Text.get_window_extent``).
    """
    problems = []
    width = fig.get_figwidth()
    if not any(abs(width - w) < 0.005 for w in widths):
        problems.append(f"width {width:.2f} in is neither " + " nor ".join(f"{w:g} in" for w in widths))
    renderer, texts = _drawn_texts(fig)
    tol = 0.5 * fig.dpi / 72.0
    small = [t for t in texts if t.get_fontsize() < min_size - 1e-6]
    if small:
        problems.append(f"{len(small)} text(s) smaller than {min_size:g} pt, e.g. {_text_name(small[0])} at "
                        f"{small[0].get_fontsize():g} pt")
    boxes = [_ink_box(t, renderer, fig.dpi) for t in texts]
    page = fig.bbox
    for t, b in zip(texts, boxes):
        if b.x0 < page.x0 - tol or b.y0 < page.y0 - tol or b.x1 > page.x1 + tol or b.y1 > page.y1 + tol:
            problems.append(f"text {_text_name(t)} runs off the figure edge")
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol:
                problems.append(f"texts {_text_name(texts[i])} and {_text_name(texts[j])} overlap")
    problems.extend(_marker_problems(fig, renderer))
    return problems


def check_figure(fig, name: str = "figure", strict: bool | None = None) -> list[str]:
    """Run :func:`figure_problems` and raise or warn when it finds any.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to check.
    name : str, default "figure"
        Name used in the message (the file stem when :func:`save` calls it).
    strict : bool, optional
        True: raise one :class:`~framescope.corpus.errors.FramescopeError` line naming the
        first three problems; False: warn once. Default: strict when the environment
        variable ``FRAMESCOPE_STRICT_FIGURES`` is set to anything but ``0``.

    Returns
    -------
    list of str
        The problems found (empty when none); returned only when not raised.
    """
    import os

    problems = figure_problems(fig)
    if strict is None:
        strict = os.environ.get(STRICT_ENV, "") not in ("", "0")
    if problems:
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        message = f"figure {name}: " + "; ".join(problems[:3]) + more
        if strict:
            raise FramescopeError(message)
        warnings.warn(message, stacklevel=3)
    return problems
