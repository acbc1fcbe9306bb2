"""framescope.analysis.plots.style.figure_problems: the figure checker that plots.save runs (strict in tests)."""
from __future__ import annotations

import dataclasses
import os

import pytest

from framescope.analysis import plots
from framescope.analysis.plots import style
from framescope.corpus.errors import FramescopeError


def clean_figure():
    fig, ax = style.figure("single", 2.0)
    ax.plot([1, 2, 3], [1, 3, 2], "o-")
    ax.set_xlim(0.5, 3.5)
    ax.set_ylim(0.5, 3.5)
    ax.set_xlabel("days")
    ax.set_ylabel("per 10,000 tokens")
    ax.set_title("coalition", loc="left")
    return fig


def test_a_clean_figure_passes():
    assert style.figure_problems(clean_figure()) == []


def test_text_below_7_pt_fails():
    fig = clean_figure()
    fig.axes[0].set_xlabel("days", fontsize=5)
    problems = style.figure_problems(fig)
    assert len(problems) == 1 and "smaller than 7 pt" in problems[0] and "'days' at 5 pt" in problems[0]


def test_hidden_and_empty_texts_are_ignored():
    fig = clean_figure()
    fig.axes[0].text(2, 2, "tiny", fontsize=4, visible=False)
    fig.axes[0].text(2, 2, "   ", fontsize=4)
    extra = fig.add_axes((0.1, 0.1, 0.2, 0.2))
    extra.set_title("hidden", fontsize=4)
    extra.set_visible(False)
    assert style.figure_problems(fig) == []


def test_overlapping_labels_fail():
    fig = clean_figure()
    fig.axes[0].text(2, 2, "coalition air strikes", fontsize=8)
    fig.axes[0].text(2.1, 2, "civilian casualties", fontsize=8)
    problems = style.figure_problems(fig)
    assert problems == ["texts 'coalition air strikes' and 'civilian casualties' overlap"]


def test_crowded_tick_labels_fail():
    fig, ax = style.figure("single", 1.5)
    ax.set_xticks(range(40), [f"label {i}" for i in range(40)])
    assert any("overlap" in p for p in style.figure_problems(fig))


def test_width_other_than_a_column_or_the_page_fails():
    fig, ax = style.figure(5.0, 2.0)
    ax.plot([0, 1], [1, 2])
    assert style.figure_problems(fig) == ["width 5.00 in is neither 3.5 in nor 7.2 in"]


def test_text_off_the_figure_and_clipped_markers_fail():
    fig = clean_figure()
    far = fig.axes[0].annotate("far away", (1, 1), xytext=(400, 0), textcoords="offset points", annotation_clip=False)
    far.set_in_layout(False)
    assert any("'far away' runs off the figure edge" in p for p in style.figure_problems(fig))
    fig = clean_figure()
    fig.axes[0].plot([0.5], [2], "s", ms=8)  # centred on the left edge of the axes: half of it is cut
    assert style.figure_problems(fig) == ["1 marker(s) clipped at the edge of 'coalition'"]
    fig = clean_figure()
    fig.axes[0].scatter([2], [0.5], s=60)
    assert style.figure_problems(fig) == ["1 marker(s) clipped at the edge of 'coalition'"]


def test_save_raises_in_strict_mode_and_warns_otherwise(tmp_path, monkeypatch):
    fig = clean_figure()
    fig.axes[0].set_xlabel("days", fontsize=5)
    monkeypatch.setenv(style.STRICT_ENV, "1")
    with pytest.raises(FramescopeError, match=r"^figure small: 1 text\(s\) smaller than 7 pt"):
        plots.save(fig, "small", tmp_path)
    assert not (tmp_path / "small.png").exists()
    monkeypatch.setenv(style.STRICT_ENV, "0")
    with pytest.warns(UserWarning, match="smaller than 7 pt"):
        plots.save(fig, "small", tmp_path)
    assert (tmp_path / "small.png").is_file()


def test_the_test_session_is_strict():
    assert os.environ.get(style.STRICT_ENV) == "1"  # tests/conftest.py: every saved figure is checked


def test_saved_png_has_the_print_width(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv(style.STRICT_ENV, "1")
    _, png = plots.save(clean_figure(), "clean", tmp_path)
    with Image.open(png) as im:
        assert im.size[0] == 1050  # 3.5 in at 300 dpi, no tight-bbox trim


def test_legend_columns_follow_matplotlibs_split():
    from framescope.analysis.plots._draw import legend_columns

    labels = ["wire (23 docs, 11k tok.; small)", "pro-Damascus state media (195 docs, 47k tok.)",
              "pro-Damascus partisan (104 docs, 24k tok.)", "anti-Damascus media (268 docs, 107k tok.)"]
    import matplotlib.pyplot as plt

    ncol = legend_columns(labels, 7.2, most=4)
    with plt.rc_context(style.RC):  # 7-pt legend text, as inside every plot function
        fig, ax = style.figure("double", 1.5)
        handles = [ax.plot([], [], "o")[0] for _ in labels]
        fig.legend(handles, labels, loc="outside upper center", ncol=ncol)
    assert ncol == 2 and style.figure_problems(fig) == []


def test_a_multi_line_text_running_off_the_page_is_caught():
    # matplotlib draws each line of a multi-line text without naming its Text: the checker must still see it
    fig = clean_figure()
    fig.axes[0].set_xlabel("days\nand a second line far too long to fit in one column of a printed page at 7 pt")
    assert any("runs off the figure edge" in p for p in style.figure_problems(fig))


def test_mathtext_logs_no_findfont_warning_with_a_font_list_that_lacks_matplotlibs_fonts(tmp_path, caplog):
    """Log-axis tick labels are mathtext, which looks up the STIX and Computer Modern fonts that
    matplotlib ships. A font cache written without them (as found on a shared machine) made
    every figure with a log axis print ``findfont: Font family ['STIXGeneral'] not found``."""
    import logging

    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    data = os.path.realpath(matplotlib.get_data_path())
    original = manager.ttflist
    try:
        manager.ttflist = [f for f in original if not os.path.realpath(f.fname).startswith(data)]
        manager._findfont_cached.cache_clear()
        style.register_fonts.cache_clear()

        @style.styled
        def log_plot():
            fig, ax = style.figure("single", 2.0)
            ax.set_xscale("log")
            ax.plot([3, 30_000], [1, 2], "o")
            ax.set_xlim(1, 1e5)
            ax.set_ylim(0, 3)
            # a formula no earlier test has drawn: mathtext sets up its fonts for it afresh
            ax.set_title(r"$\mathdefault{10^{-27}}$ findfont check", loc="left")
            return fig

        with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
            fig = log_plot()
            style.save(fig, "log_axis", tmp_path)
        assert [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()] == []
        assert any("STIX" in f.name for f in manager.ttflist)  # the shipped fonts were added back
    finally:
        manager.ttflist = original
        manager._findfont_cached.cache_clear()
        style.register_fonts.cache_clear()


def test_figures_use_only_the_fonts_the_packages_ship():
    """A system copy of DejaVu Sans (``/usr/share/fonts``) made the glyphs, and the order of the
    fonts embedded in a PDF (matplotlib sorts them by file path), depend on the machine and on
    where the environment lives: a fresh clone under /tmp wrote other bytes for every Arabic PDF.
    After register_fonts only matplotlib's own fonts and the Arabic package's are left."""
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    original = manager.ttflist
    try:
        # as on a machine with DejaVu installed system-wide, listed before matplotlib's copy
        system = [f for f in original if "DejaVuSans.ttf" in f.fname]
        manager.ttflist = [dataclasses.replace(system[0], fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")] \
            + original
        manager._findfont_cached.cache_clear()
        style.register_fonts.cache_clear()
        assert style.register_fonts() is not None
        roots = [os.path.realpath(os.path.join(matplotlib.get_data_path(), "fonts")),
                 os.path.realpath(style.arabic_font_path().parent)]
        for f in manager.ttflist:
            assert any(os.path.realpath(f.fname).startswith(r + os.sep) for r in roots), f.fname
        assert os.path.realpath(font_manager.findfont("DejaVu Sans")).startswith(roots[0])
    finally:
        manager.ttflist = original
        manager._findfont_cached.cache_clear()
        style.register_fonts.cache_clear()
