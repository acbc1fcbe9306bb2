"""framescope.analysis.plots: every plot function on small frames, the style, and save (PDF + PNG)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image

from framescope.analysis import plots
from framescope.analysis.plots import style
from framescope.corpus.errors import FramescopeError

AR = "التحالف"


def keyness_frame():
    return pd.DataFrame({
        "term": ["terrorists", "daesh", "army", "rebels", "reuters", "weather"],
        "g2": [80.0, 50.0, 20.0, -60.0, -30.0, 1.0],
        "log_ratio": [6.0, 5.0, 2.0, -4.0, -3.0, 0.1],
        "log_ratio_low": [5.5, 4.0, 1.0, -5.0, -3.5, -1.0],
        "log_ratio_high": [6.5, 6.0, 3.0, -3.0, -2.0, 1.2],
        "p_adjusted": [1e-9, 1e-6, 0.01, 1e-8, 1e-4, 0.6],
    })


def collocate_frame():
    return pd.DataFrame({
        "group": ["state_media"] * 3 + ["wire"] * 2,
        "node": [AR] * 5,
        "collocate": ["الدولي", "طيران", "غارات", "الدولي", "قوات"],
        "o11": [10, 8, 3, 4, 2], "logdice": [11.0, 10.5, 9.0, 10.0, 8.5],
    })


def test_palette_is_okabe_ito_and_survives_greyscale():
    assert set(style.PALETTE) == set(style.OKABE_ITO.values())
    greys = [style.grey_level(c) for c in style.PALETTE[:3]]
    assert min(abs(a - b) for i, a in enumerate(greys) for b in greys[i + 1:]) >= 70
    assert list(style.OKABE_ITO) == sorted(style.OKABE_ITO, key=lambda k: style.grey_level(style.OKABE_ITO[k]))
    styles = style.group_styles([f"g{i}" for i in range(8)])
    for attr in ("colour", "marker", "hatch"):
        assert len({getattr(s, attr) for s in styles.values()}) == 8
    assert style.text_colour_on("#000000") == "white" and style.text_colour_on("#F0E442") == "black"


def test_order_groups_puts_source_types_first():
    assert style.order_groups(["wire", "zeta", "state_media", "wire"]) == ["state_media", "wire", "zeta"]


def test_a_known_group_has_one_style_and_place_in_every_figure():
    # pro-Damascus state media was blue beside wire, orange beside the wire group listed first
    design = ["pro-Damascus state media", "pro-Damascus partisan", "anti-Damascus media", "wire"]
    alone = style.group_styles(style.order_groups(["wire", "pro-Damascus state media"]))
    full = style.group_styles(style.order_groups(design[::-1]))
    assert list(full) == design  # the design's order whatever order the table gave
    assert alone["pro-Damascus state media"] == full["pro-Damascus state media"]
    assert alone["wire"] == full["wire"] == style.group_styles(["wire (Reuters)"])["wire (Reuters)"]
    assert len({s.colour for s in full.values()}) == 4
    # a stance alone takes the colour of its design group
    stances = style.group_styles(style.order_groups(["mixed", "anti_damascus", "pro_damascus"]))
    assert list(stances) == ["pro_damascus", "anti_damascus", "mixed"]
    assert stances["pro_damascus"].colour == full["pro-Damascus state media"].colour
    assert stances["anti_damascus"].colour == full["anti-Damascus media"].colour
    # the agency and the press keep theirs; the source types keep the order of the registry
    assert style.group_styles(["press", "state agency (was)"])["state agency (was)"].colour == style.PALETTE[0]
    assert style.order_groups(["unknown", "wire", "state_aligned"]) == ["state_aligned", "wire", "unknown"]
    # unknown labels take the styles known ones leave free; clashing families fall back to order
    mixed = style.group_styles(["wire", "zeta"])
    assert mixed["zeta"].colour == style.PALETTE[0] and mixed["wire"].colour == style.PALETTE[3]
    clash = style.group_styles(["state_media", "pro-Damascus state media"])
    assert len({s.colour for s in clash.values()}) == 2


def test_figure_widths_and_bad_width():
    fig, _ = style.figure("single")
    assert fig.get_figwidth() == pytest.approx(3.5)
    fig, _ = style.figure("double", 20)
    assert fig.get_figwidth() == pytest.approx(7.2) and fig.get_figheight() == pytest.approx(style.MAX_HEIGHT)
    with pytest.raises(FramescopeError, match="width"):
        style.figure("poster")


def test_keyness_marks_terms_absent_from_one_side_apart_from_every_group_marker():
    # the wire's own marker is a diamond: the 'absent' mark must not be one too
    table = keyness_frame().assign(freq_target=[40, 0, 9, 3, 5, 2], freq_reference=[1, 0, 2, 30, 0, 2])
    table.loc[table["term"] == "daesh", "freq_target"] = 25
    fig = plots.plot_keyness(table, n=2, target_label="pro-Damascus state media", reference_label="wire")
    ax = fig.axes[0]
    drawn = {line.get_marker() for line in ax.get_lines() if len(line.get_xdata())}
    group_markers = {s.marker for s in style.group_styles(["pro-Damascus state media", "wire"]).values()}
    assert {">", "<"} <= drawn and not {">", "<"} & group_markers
    assert "\u25c1 \u25b7: absent from the other group" in fig._supxlabel.get_text()


def test_keyness_plot_shows_the_top_terms_of_each_side():
    fig = plots.plot_keyness(keyness_frame(), n=2, target_label="state media", reference_label="wire")
    assert isinstance(fig, Figure) and fig.get_figwidth() == pytest.approx(3.5)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # bottom to top: reference terms by log ratio, then target terms by log ratio; 'army' is 3rd by G²
    ticks = dict(zip(ax.get_yticks(), labels))
    assert [ticks[y] for y in sorted(ticks)] == ["rebels", "reuters", "daesh", "terrorists"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["state media", "wire"]
    with pytest.raises(FramescopeError, match="p_adjusted < 1e-12"):
        plots.plot_keyness(keyness_frame(), alpha=1e-12)
    with pytest.raises(FramescopeError, match="lacks column"):
        plots.plot_keyness(keyness_frame().drop(columns="log_ratio_low"))


def test_collocates_plot_arabic_labels_use_the_arabic_font():
    fig = plots.plot_collocates(collocate_frame(), n=2, min_count=2)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # union of each group's top 2 (scores on >= 2 co-occurrences), each with its gloss from analysis/data/glossary_ar.csv
    assert set(labels) == {"\u200eالدولي (international)", "\u200eطيران (air force)", "\u200eقوات (forces)"}
    assert ax.get_title(loc="left") == f"\u200e{AR} (coalition)"
    for t in ax.get_yticklabels():
        assert t.get_fontfamily()[0] == "Noto Sans Arabic"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["state media", "wire"]
    sized = collocate_frame().assign(group_docs=[40] * 3 + [12] * 2, group_tokens=[20000] * 3 + [3000] * 2,
                                     small_group=[False] * 3 + [True] * 2)
    fig = plots.plot_collocates(sized, n=2)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["state media (40 docs, 20k tok.)",
                                                                  "wire (12 docs, 3.0k tok.; small)"]
    assert fig.legends[0].legend_handles[1].get_markerfacecolor() == "white"  # small group: hollow


def test_save_writes_pdf_with_embedded_arabic_font_and_300_dpi_png(tmp_path):
    fig = plots.plot_collocates(collocate_frame(), n=2)
    pdf, png = plots.save(fig, "collocates", tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"NotoSansArabic" in data and b"DejaVuSans" in data
    assert b"/FontFile2" in data and b"/Type3" not in data  # TrueType embedded (pdf.fonttype 42)
    assert b"CreationDate" not in data
    with Image.open(png) as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        assert im.size[0] > 2000  # 7.2 in at 300 dpi, minus the tight-bbox trim
    again_pdf, again_png = plots.save(fig, "again", tmp_path)
    assert again_pdf.read_bytes() == data and again_png.read_bytes() == png.read_bytes()
    with pytest.raises(FramescopeError, match="plain file stem"):
        plots.save(fig, "sub/name.png", tmp_path)


def test_composition_plot():
    table = pd.DataFrame({"collection": ["fakes", "fakes", "saudinewsnet"], "outlet": ["sana", "reuters", "was"],
                          "source_type": ["state_media", "wire", "state_media"], "lang": ["en", "en", "ar"],
                          "documents": [40, 20, 300], "duplicates": [1, 0, 5], "analysed": [39, 20, 295],
                          "words": [9000, 5000, 60000], "tokens": [5000, 3000, 40000]})
    fig = plots.plot_composition(table)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["FA-KES", "SANA \u00b7 en", "Reuters \u00b7 en", "SaudiNewsNet", "SPA \u00b7 ar"]
    assert "duplicates left out" in fig.axes[0].get_xlabel()
    assert [p.get_width() for p in fig.axes[0].patches] == [39, 20, 295]  # analysed documents, not all
    assert fig.get_figwidth() == pytest.approx(7.2)


def test_dispersion_plot_draws_one_tick_per_occurrence():
    pos = pd.DataFrame({"group": ["x", "x", "y"], "term": ["coalition", "civilians", "coalition"],
                        "rel_position": [0.1, 0.5, 0.9], "group_tokens": [10, 10, 5], "group_docs": [2, 2, 1]})
    fig = plots.plot_dispersion(pos)
    segments = sum(len(c.get_segments()) for c in fig.axes[0].collections if isinstance(c, LineCollection))
    assert segments == 3


def test_frequency_over_time_plot_one_panel_per_term():
    periods = pd.to_datetime(["2015-01-01", "2016-01-01"])
    tl = pd.DataFrame({"group": ["a", "a", "b", "b"] * 2, "period": list(periods) * 4,
                       "term": ["coalition"] * 4 + [AR] * 4, "per_10k": [1.0, 2.0, 3.0, 0.0] * 2,
                       "size": [100, 200, 50, 20] * 2})
    fig = plots.plot_frequency_over_time(tl, min_size=30)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["coalition", f"\u200e{AR} (coalition)"]
    # group b in 2016 has 20 tokens < min_size: 3 points per panel
    points = [line for line in visible[0].lines if line.get_linestyle() == "None"]
    assert sum(len(line.get_xdata()) for line in points) == 3


def test_frequency_over_time_breaks_lines_over_missing_days_and_draws_intervals():
    days = pd.to_datetime(["2015-07-20", "2015-07-21", "2015-07-24"])
    tl = pd.DataFrame({"group": ["a"] * 3, "period": days, "term": ["coalition"] * 3, "freq": [2, 0, 5],
                       "size": [1000, 1000, 1000], "per_10k": [20.0, 0.0, 50.0]})
    tl.attrs["period"] = "day"
    fig = plots.plot_frequency_over_time(tl)
    ax = fig.axes[0]
    line = next(li for li in ax.lines if li.get_linestyle() != "None" and len(li.get_xdata()))
    assert np.isnan(np.asarray(line.get_ydata(), float)).sum() == 1  # 21 → 24 July is not bridged
    whiskers = ax.collections[0].get_segments()
    # exact Poisson interval of 2 in 1,000 tokens: 0.242 … 7.225 → 2.42 … 72.25 per 10,000
    assert whiskers[0][:, 1] == pytest.approx([2.42, 72.25], abs=0.01)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a (3.0k tok.; small)"]
    fig = plots.plot_frequency_over_time(tl.assign(docs=[10, 12, 9]))
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a (31 docs, 3.0k tok.; small)"]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0].endswith("Jul 2015") and ticks[1].endswith("Jul")  # the year once, no offset text
    assert style.figure_problems(fig) == []


def test_similarity_plot_names_the_reference_gives_the_n_and_explains_the_measures():
    sim = pd.DataFrame({"target": ["all"] * 3, "group": ["etilaf", "sana", "reuters"],
                        "source_type": ["partisan_media", "state_media", "wire"],
                        "kind": ["anti-Damascus media", "pro-Damascus state media", "wire"],
                        "n_docs": [41, 48, 23], "n_tokens": [11396, 10916, 11390], "small_group": [False, False, True],
                        "cosine": [0.57, 0.25, 0.42], "jsd": [0.4, 0.6, 0.5], "jsd_equal": [0.45, 0.61, 0.55],
                        "jsd_low": [0.42, 0.56, 0.51], "jsd_high": [0.49, 0.66, 0.59]})
    sim.attrs.update({"target_label": "seed articles", "target_docs": 5, "target_tokens": 2811, "target_small": True,
                      "n_boot": 500, "ci": 0.95, "sample_tokens": 2792, "n_terms": 1000, "min_tokens": 1500,
                      "too_small": {"nna": 900}, "kind_order": ["pro-Damascus state media", "anti-Damascus media", "wire"]})
    fig = plots.plot_similarity(sim, width="double")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["SANA (48 docs, 11k tok.)", "Reuters (23 docs, 11k tok.; small)", "Etilaf (opposition) (41 docs, 11k tok.)"]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "each outlet against seed articles (5 docs, 2.8k tok.; small)"
    assert [t.get_text() for t in legend.get_texts()] == ["pro-Damascus state media", "anti-Damascus media", "wire"]
    note = fig.get_supxlabel().replace("\n", " ")
    assert "500 equal samples" in note and "2,792 analysed tokens" in note and "Cosine" in note and "NNA" in note
    assert style.figure_problems(fig) == []


def test_similarity_and_kwic_and_topic_plots():
    sim = pd.DataFrame({"target": ["all"] * 2, "group": ["etilaf", "sana"], "source_type": ["partisan_media", "state_media"],
                        "n_tokens": [6000, 6100], "cosine": [0.6, 0.3], "jsd": [0.4, 0.6], "jsd_equal": [0.45, 0.6],
                        "jsd_low": [0.4, 0.55], "jsd_high": [0.5, 0.65]})
    fig = plots.plot_similarity(sim)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][-1].startswith("Etilaf")  # closest on top, by name
    kw = pd.DataFrame({"left": ["the government blamed", "غارات طيران"], "keyword": ["terrorists", AR],
                       "right": ["for the attack", "الدولي على الرقة"], "outlet": ["ahram", "was"]})
    fig = plots.plot_kwic(kw)
    texts = {t.get_text(): t for t in fig.axes[0].texts}
    # Arabic line: the preceding context stands right of the keyword, the following left of it
    assert texts["غارات طيران"].get_horizontalalignment() == "left"
    assert texts["الدولي على الرقة"].get_horizontalalignment() == "right"
    assert texts["the government blamed"].get_horizontalalignment() == "right"
    k = pd.DataFrame({"k": [4, 4, 6, 6], "seed": [0, 1, 0, 1], "coherence_npmi": [0.1, 0.12, 0.05, 0.07],
                      "perplexity": [900, 950, 1200, 1100]})
    fig = plots.plot_topic_k(k, recommended=4)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    terms = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["strike", "coalition", AR, "داعش"],
                          "weight": [0.2, 0.1, 0.3, 0.2], "stable": [True, True, False, False]})
    fig = plots.plot_topic_words(terms, n=2)
    assert [ax.get_title(loc="left") for ax in fig.axes[:2]] == ["topic 0", "topic 1 (unstable)"]
    assert plots.topic_labels(terms, n=2, gloss=False) == {0: "T0 strike \u00b7 coalition", 1: f"T1 {AR} \u00b7 داعش"}
    assert plots.topic_labels(terms, n=2)[1] == f"T1 \u200e{AR} (coalition) \u00b7 \u200eداعش (Daesh = ISIS)"
    prev = pd.DataFrame({"topic": [0, 0, 1, 1], "group": ["state_media", "wire"] * 2, "mean": [0.6, 0.3, 0.4, 0.7],
                         "mean_low": [0.5, 0.2, 0.3, 0.6], "mean_high": [0.7, 0.4, 0.5, 0.8], "stable": [True, True, False, False]})
    fig = plots.plot_topic_prevalence(prev, labels=plots.topic_labels(terms, n=2))
    assert "\u2020" in fig.axes[0].get_xlabel()


def test_framing_plots():
    attr = pd.DataFrame({"group": ["state_media"] * 3 + ["wire"] * 3,
                         "attribution_class": ["ngo", "military", "unattributed"] * 2,
                         "count": [2, 0, 2, 1, 1, 0], "total": [4, 4, 4, 2, 2, 2],
                         "share": [0.5, 0.0, 0.5, 0.5, 0.5, 0.0]})
    fig = plots.plot_claims_attribution(attr)
    ax = fig.axes[0]
    # one row per class with a claim, 'no source given' last; dots, not stacked segments
    assert [t.get_text() for t in ax.get_yticklabels()] == ["NGO", "military", "no source given"]
    assert not ax.patches
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["state media (4 claims)", "wire (2 claims)"]
    cis = attr.assign(share_low=attr["share"] - 0.1, share_high=attr["share"] + 0.2, n_docs=[3] * 3 + [2] * 3)
    fig = plots.plot_claims_attribution(cis, n={"state_media": (40, 20000, False), "wire": (12, 3000, True)})
    ax = fig.axes[0]
    # the intervals the README quotes are drawn: one whisker per dot, as wide as the table's interval
    whiskers = [seg for c in ax.collections if isinstance(c, LineCollection) for seg in c.get_segments()]
    assert sorted(round(s[1][0] - s[0][0], 3) for s in whiskers) == [0.3] * 6
    assert "document-bootstrap CI" in ax.get_xlabel()
    legend = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    assert legend == ["state media (40 docs, 20k tok.; 4 claims in 3 docs)",
                      "wire (12 docs, 3.0k tok.; small; 2 claims in 2 docs)"]
    assert fig.legends[0].legend_handles[1].get_markerfacecolor() == "white"
    assert style.figure_problems(fig) == []
    rates = pd.DataFrame({"group": ["state_media", "wire", "state_media", "wire", "state_media", "wire"],
                          "actor": ["isis"] * 6, "label": ["terrorists", "terrorists", "ISIS", "ISIS", "(all)", "(all)"],
                          "count": [10, 0, 5, 5, 15, 5], "per_10k": [5.0, 0.0, 2.5, 4.0, 7.5, 4.0],
                          "per_10k_low": [3.0, 0.0, 1.0, 2.0, 5.0, 2.0], "per_10k_high": [7.0, 0.0, 4.0, 6.0, 9.0, 6.0]})
    fig = plots.plot_actor_labels(rates)
    assert sorted(t.get_text() for t in fig.axes[0].get_yticklabels()) == ["ISIS", "terrorists"]
    fig = plots.plot_actor_labels(rates, summary=True)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["isis"]
    agency = pd.DataFrame({"group": ["wire"] * 3, "agency": ["agent", "by_phrase", "agentless"],
                           "count": [2, 1, 1], "total": [4, 4, 4], "share": [0.5, 0.25, 0.25],
                           "share_low": [0.2, 0.0, 0.0], "share_high": [0.8, 0.5, 0.5]})
    fig = plots.plot_agency(agency)
    assert fig.legends[0].get_texts()[0].get_text() == "wire (4 expressions)"
    with pytest.raises(FramescopeError, match="value must be"):
        plots.plot_actor_labels(rates, value="median")


def test_ltr_marks_mixed_labels_only():
    assert style.ltr(f"{AR} (n = 3)") == "\u200e" + f"{AR} (n = 3)"
    assert style.ltr("coalition (n = 3)") == "coalition (n = 3)"
    assert np.all([style.has_arabic(AR), not style.has_arabic("ISIS")])


def test_figures_display_in_notebooks_but_stay_out_of_pyplot_in_scripts():
    """A plot function's figure has a PNG repr (what Jupyter shows as a cell's last value)
    at the style's size; outside a kernel it is not registered with pyplot."""
    import io

    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plots.plot_keyness(keyness_frame())
    assert isinstance(fig, style.StyledFigure) and isinstance(fig, Figure)
    assert plt.get_fignums() == before and fig.canvas.manager is None
    png, meta = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(png)) as img:
        w, h = img.size
    assert meta == {"width": round(w / 2), "height": round(h / 2)}  # drawn at 2× for sharp screens
    assert 300 <= meta["width"] <= 3.6 * style.RC["figure.dpi"]  # one column wide (3.5 in at the screen dpi)
    data, md = fig._repr_mimebundle_()
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n" and data["text/plain"].startswith("<StyledFigure")
    assert md["image/png"] == meta
    assert not style.in_kernel()


def test_frame_layout_does_not_depend_on_floating_point_noise():
    """Frames round a circle, their topics round small circles: weights that differ in the
    last bits (another BLAS, another gensim build) give the very same positions."""
    from framescope.analysis.plots.topics import frame_layout

    rng = np.random.default_rng(0)
    frame = [0, 0, 0, 1, 1, 2, 0, 1]
    nodes = pd.DataFrame({"topic": range(8), "label": list("abcdefgh"), "prevalence": rng.uniform(0.05, 0.2, 8),
                          "frame": frame})
    edges = pd.DataFrame([(i, j, rng.uniform()) for i in range(8) for j in range(i + 1, 8)],
                         columns=["source", "target", "weight"])
    noisy = edges.assign(weight=edges["weight"] * (1 + 1e-12 * rng.standard_normal(len(edges))))
    pos = frame_layout(nodes, edges)
    assert pos == frame_layout(nodes, noisy) == frame_layout(nodes.sample(frac=1, random_state=1), noisy)
    centre = {f: np.mean([pos[t] for t in range(8) if frame[t] == f], axis=0) for f in (0, 1, 2)}
    assert centre[0][1] > 0.9 and abs(centre[0][0]) < 1e-9  # the first frame at the top
    for t in range(8):  # every topic nearer its own frame's centre than any other's
        own = np.hypot(*(np.array(pos[t]) - centre[frame[t]]))
        assert all(own < np.hypot(*(np.array(pos[t]) - centre[f])) for f in centre if f != frame[t])


def test_with_pyplot_interactive_mode_figures_are_registered_for_plt_show():
    import matplotlib.pyplot as plt

    plt.ion()
    try:
        fig = plots.plot_keyness(keyness_frame())
        assert fig.number in plt.get_fignums() and isinstance(fig, style.StyledFigure)
    finally:
        plt.ioff()
        plt.close("all")


def test_frame_network_without_a_stable_frame_draws_no_communities():
    nodes = pd.DataFrame({"topic": range(4), "label": [f"T{i} word{i}" for i in range(4)],
                          "prevalence": [0.4, 0.3, 0.2, 0.1], "frame": [0, 0, 1, 1]})
    edges = pd.DataFrame({"source": [0, 2], "target": [1, 3], "weight": [0.5, 0.4]})
    prev = pd.DataFrame({"frame": [0, 1], "group": ["wire", "wire"], "mean": [0.5, 0.5], "mean_low": [0.4, 0.4],
                         "mean_high": [0.6, 0.6]})
    stab = pd.DataFrame({"frame": [0, 1], "cohesion": [0.4, 0.3], "stable": [False, False]})
    fig = plots.plot_frame_network(nodes, edges, prev, stability=stab)
    assert len(fig.axes) == 1  # no frame-prevalence panel
    ax = fig.axes[0]
    assert ax.get_legend() is None
    assert any(t.get_text().startswith("No stable frames") for t in ax.texts)
    colours = {tuple(c.get_facecolor()[0]) for c in ax.collections if len(c.get_offsets())}
    assert len(colours) == 1  # one colour for every topic: no communities
    assert style.figure_problems(fig) == []
    stab.loc[0, "stable"] = True
    fig = plots.plot_frame_network(nodes, edges, prev, stability=stab)
    assert len(fig.axes) == 2 and fig.axes[0].get_legend() is not None


def test_kwic_sample_drops_duplicates_and_spreads_lines_over_outlets():
    lines = pd.DataFrame({"group": ["a"] * 6 + ["b"] * 2, "outlet": ["sana"] * 4 + ["tass", "alalam", "reuters", "reuters"],
                          "left": ["x said", "x said", "y  said", "z said", "w said", "v said", "r said", "r said"],
                          "keyword": ["terrorists"] * 8, "right": ["there"] * 8})
    shown = plots.kwic_sample(lines, per_group=3, seed=1)
    assert shown.attrs["duplicates"] == 2 and shown.attrs["lines"] == {"a": 5, "b": 1}
    assert sorted(shown.loc[shown["group"] == "a", "outlet"]) == ["alalam", "sana", "tass"]  # one per outlet first
    assert plots.kwic_sample(lines, per_group=3, seed=1).equals(shown)  # seeded
    fig = plots.plot_kwic(shown)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "a: 3 of 5 lines" in texts and "b: 1 of 1 line" in texts and "SANA" in texts  # names, not codes
    assert style.figure_problems(fig) == []


def test_dispersion_bands_share_one_token_axis():
    pos = pd.DataFrame({"group": ["big", "big", "small"], "term": ["coalition"] * 3, "position": [10, 900, 50],
                        "rel_position": [0.01, 0.9, 0.5], "group_tokens": [1000, 1000, 100], "group_docs": [40, 40, 2]})
    fig = plots.plot_dispersion(pos)
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 1000)
    bands = sorted(c.get_paths()[0].get_extents().x1 for c in ax.collections if type(c).__name__ == "FillBetweenPolyCollection")
    assert bands == [100, 1000]  # the small group's band is a tenth as long, not stretched to the same length
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["big (40 docs, 1.0k tok.; small)", "small (2 docs, 100 tok.; small)"]
    assert style.figure_problems(fig) == []


def test_dispersion_marks_where_each_year_begins_and_labels_the_years():
    pos = pd.DataFrame({"group": ["a", "a", "b"], "term": ["coalition"] * 3, "position": [10, 900, 50],
                        "rel_position": [0.01, 0.9, 0.5], "group_tokens": [1000, 1000, 100], "group_docs": [40, 40, 2]})
    pos.attrs["groups"] = {"a": {"group_tokens": 12000, "group_docs": 40, "years": {"2014": 0, "2015": 400, "2016": 700},
                                 "first_year": 2014, "last_year": 2016},
                           "b": {"group_tokens": 100, "group_docs": 2, "years": {"2015": 0}, "first_year": 2015,
                                 "last_year": 2015}}
    fig = plots.plot_dispersion(pos)
    ax = fig.axes[0]
    white = [c for c in ax.collections if isinstance(c, LineCollection) and tuple(c.get_color()[0][:3]) == (1, 1, 1)]
    assert sorted(seg[0][0] for c in white for seg in c.get_segments()) == [400, 700]  # not at 0
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a (40 docs, 12k tok.; 2014\u201316)",
                                                            "b (2 docs, 100 tok.; small; 2015)"]
    assert "a new year begins" in ax.get_xlabel()
    assert style.figure_problems(fig) == []


def test_every_plot_function_passes_the_figure_checker_on_the_small_frames():
    sim = pd.DataFrame({"target": ["all"] * 2, "group": ["etilaf", "sana"], "source_type": ["partisan_media", "state_media"],
                        "n_tokens": [6000, 6100], "cosine": [0.6, 0.3], "jsd": [0.4, 0.6], "jsd_equal": [0.45, 0.6],
                        "jsd_low": [0.4, 0.55], "jsd_high": [0.5, 0.65]})
    agency = pd.DataFrame({"group": ["wire"] * 3, "agency": ["agent", "by_phrase", "agentless"],
                           "count": [2, 1, 1], "total": [4, 4, 4], "share": [0.5, 0.0, 0.25],
                           "share_low": [0.2, 0.0, 0.0], "share_high": [0.8, 0.5, 0.5]})
    terms = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["strike", "coalition", AR, "داعش"],
                          "weight": [0.2, 0.1, 0.3, 0.2], "frex": [0.5, 0.9, 0.4, 0.8]})
    figures = {"keyness": plots.plot_keyness(keyness_frame(), n=3, target_label="state media", reference_label="wire"),
               "collocates": plots.plot_collocates(collocate_frame(), n=2),
               "similarity": plots.plot_similarity(sim), "agency": plots.plot_agency(agency),
               "topic_words": plots.plot_topic_words(terms, n=2)}
    for name, fig in figures.items():
        assert style.figure_problems(fig) == [], name
    # FREX present: words are chosen and ordered by it, not by probability
    assert [t.get_text() for t in figures["topic_words"].axes[0].get_yticklabels()] == ["coalition", "strike"]


def test_collocates_resting_on_few_co_occurrences_are_faded():
    fig = plots.plot_collocates(collocate_frame(), n=2, min_count=5)
    ax = fig.axes[0]
    faded = [line for line in ax.lines if line.get_alpha() == 0.3]
    # state media: طيران (8) strong, الدولي (10) strong; wire: الدولي (4) faded; قوات (2) is no row
    assert sum(len(line.get_xdata()) for line in faded) == 1
    assert "fewer than 5 co-occurrences" in fig.get_supxlabel()
    assert style.figure_problems(fig) == []


def test_collocate_rows_are_chosen_only_on_scores_resting_on_min_count_co_occurrences():
    """Regression (issue 18): 'Technovia' and 'the company' (2 co-occurrences each, the agency)
    headed no row of their own, yet were listed; and a long gloss was cut ('was establish…')."""
    frame = pd.DataFrame({"group": ["was"] * 3 + ["press"] * 3, "node": [AR] * 6,
                          "collocate": ["تكنوفيا", "الشركة", "انشئت", "العربي", "طيران", "الشركة"],
                          "o11": [2, 2, 6, 69, 31, 4], "logdice": [13.0, 12.9, 12.5, 11.8, 11.2, 9.0]})
    fig = plots.plot_collocates(frame, n=8, min_count=5)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert not any("تكنوفيا" in t for t in labels) and not any("الشركة" in t for t in labels)
    assert [t.lstrip("\u200e") for t in labels] == ["طيران (air force)", "العربي (Arab)", "انشئت (was established)"]
    assert "rows: each group's 8 strongest collocates among those with ≥ 5 co-occurrences" in fig.get_supxlabel()
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert not any("\u2026" in t for t in texts)  # no label cut anywhere
    assert style.figure_problems(fig) == []
    # min_count=2 lets them in again
    labels = [t.get_text() for t in plots.plot_collocates(frame, n=8, min_count=2).axes[0].get_yticklabels()]
    assert any("تكنوفيا" in t for t in labels)
    with pytest.raises(FramescopeError, match="min_count"):
        plots.plot_collocates(frame, n=8, min_count=100)


def test_topic_k_draws_the_seed_spread_and_says_when_the_best_k_is_at_the_edge():
    k = pd.DataFrame({"k": [4, 4, 4, 8, 8, 8], "seed": [0, 1, 2] * 2, "coherence_npmi": [0.1, 0.12, 0.08, 0.05, 0.07, 0.06],
                      "perplexity": [900, 950, 920, 1200, 1100, 1150], "n_train": 90, "n_heldout": 10})
    fig = plots.plot_topic_k(k, recommended=4)
    ax = fig.axes[0]
    spread = [seg for c in ax.collections if isinstance(c, LineCollection) for seg in c.get_segments()]
    assert sorted((round(s[0][1], 3), round(s[1][1], 3)) for s in spread) == [(0.05, 0.07), (0.08, 0.12)]
    note = fig.get_supxlabel()
    assert "3 seeds per K" in note and "at the edge of the grid" in note and "Fitted on 90 documents" in note
    assert "edge" not in plots.plot_topic_k(pd.concat([k, k.assign(k=12)]), recommended=8).get_supxlabel()
    assert style.figure_problems(fig) == []


def test_frame_note_and_prevalence_sizes_come_from_the_tables():
    nodes = pd.DataFrame({"topic": range(3), "label": ["T0 a · b · c", "T1 d · e", "T2 f"], "prevalence": [0.5, 0.3, 0.2],
                          "frame": [0, 0, 0]})
    edges = pd.DataFrame({"source": [0, 1], "target": [1, 2], "weight": [0.5, 0.4]})
    # the old note said 'cohesion 1.00–1.00' while the frame failed on the topic seeds (0.70)
    stab = pd.DataFrame({"frame": [0], "cohesion": [1.0], "cohesion_runs": [0.7], "stable": [False]})
    fig = plots.plot_frame_network(nodes, edges, stability=stab)
    note = " ".join(t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("No frames"))
    assert "all 3 topics in one community" in note and "100% of Louvain runs" in note and "70%" in note.replace("\n", " ")
    prev = pd.DataFrame({"topic": [0, 0], "group": ["state_media", "wire"], "mean": [0.6, 0.3], "mean_low": [0.5, 0.2],
                         "mean_high": [0.7, 0.4], "n_docs": [195, 23]})
    fig = plots.plot_topic_prevalence(prev)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["state media (195 docs)", "wire (23 docs; small)"]
    assert fig.axes[0].get_legend().legend_handles[1].get_markerfacecolor() == "white"


def test_kwic_sample_drops_near_duplicates_that_share_one_whole_side():
    # the same agency story in two papers: one side identical, the other lightly edited
    lines = pd.DataFrame({"left": ["الذين استشهدوا أمس معاملة الشهداء", "الذين استشهدوا أول من أمس، معاملة", "قوات"],
                          "keyword": [AR] * 3,
                          "right": ["الله من القوة الإماراتية المشاركة في", "الله من القوة الإماراتية المشاركة في",
                                    "العربي"],
                          "outlet": ["alyaum", "alwatan", "okaz"], "group": ["press"] * 3})
    out = plots.kwic_sample(lines, per_group=5)
    assert list(out["outlet"]) == ["alyaum", "okaz"] or list(out["outlet"]) == ["okaz", "alyaum"]
    assert out.attrs["duplicates"] == 1 and out.attrs["lines"] == {"press": 2}


def test_dispersion_rows_too_dense_for_ticks_become_shaded_strips():
    # 4,000 occurrences in 400,000 words: at print size the ticks of a barcode merge into a block
    rng = np.random.default_rng(0)
    big = np.sort(rng.integers(0, 400_000, 4_000))
    pos = pd.DataFrame({"group": ["big"] * len(big) + ["small"] * 3, "term": ["coalition"] * (len(big) + 3),
                        "position": np.r_[big, [10, 500, 900]]})
    pos["rel_position"] = pos["position"] / np.where(pos["group"] == "big", 400_000, 1_000)
    pos["group_tokens"] = np.where(pos["group"] == "big", 400_000, 1_000)
    pos["group_docs"] = np.where(pos["group"] == "big", 900, 40)
    fig = plots.plot_dispersion(pos)
    ax = fig.axes[0]
    strips = [c for c in ax.collections if type(c).__name__ == "PolyCollection"]
    assert strips and not any(isinstance(c, LineCollection) for c in ax.collections)
    # every occurrence sits in one drawn stretch; the note says how wide a stretch is and what dark means
    assert sum(len(c.get_paths()) for c in strips) == len(np.unique(big // 1000)) + 1  # small: all in one
    assert "stretches of 1.0k words" in fig._supxlabel.get_text()
    assert style.figure_problems(fig) == []
    # sparse rows stay a barcode, one tick per occurrence
    sparse = plots.plot_dispersion(pos[pos["group"] == "small"])
    assert sum(len(c.get_segments()) for c in sparse.axes[0].collections if isinstance(c, LineCollection)) == 3
