"""Arabic terms in figures carry a reviewed English gloss (analysis/data/glossary_ar.csv), and
Arabic concordance lines a reviewed English translation (analysis/data/kwic_translations_ar.csv).

The plot code records every Arabic term it draws without a gloss
(:func:`framescope.analysis.plots.names.unglossed`) and every Arabic concordance line it draws
without a translation (:func:`framescope.analysis.plots.names.untranslated`); the slow test runs
the sections of `framescope demo` that draw Arabic (keyness, KWIC, collocations, dispersion,
timelines, topics) on the default corpus once and fails naming the terms and lines that still
need a row.
"""
from __future__ import annotations

import csv
import re
from importlib import resources

import pandas as pd
import pytest

from framescope.analysis.plots import names

ARABIC = re.compile("[\u0600-\u06ff]")


def rows():
    with resources.files("framescope.analysis").joinpath("data/glossary_ar.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_glossary_rows_are_short_reviewed_english_glosses():
    table = rows()
    assert table and set(table[0]) >= {"term", "gloss"}
    seen: dict = {}
    for r in table:
        term, gloss = r["term"].strip(), r["gloss"].strip()
        assert ARABIC.search(term), f"not an Arabic term: {term!r}"
        assert gloss and not ARABIC.search(gloss), f"{term}: the gloss must be English, not {gloss!r}"
        assert len(gloss) <= 24, f"{term}: gloss too long for a figure label: {gloss!r}"
        if r.get("surface"):
            # a normalised spelling names the surface form it stands for, which normalises to it
            # (the token rules also strip the article: 'البار' is drawn as 'بار')
            surface = names.gloss_key(r["surface"])
            assert names.gloss_key(term) in (surface, surface.removeprefix("ال")), (term, r["surface"])
        key = names.gloss_key(term)
        assert seen.setdefault(key, gloss) == gloss, f"{term}: two glosses for one form: {seen[key]!r}, {gloss!r}"


def test_glossed_records_arabic_terms_without_a_gloss():
    names.forget_unglossed()
    assert names.glossed("التحالف") == "\u200eالتحالف (coalition)"
    assert names.glossed("coalition") == "coalition"
    assert names.unglossed() == []
    assert names.glossed("زززز") == "زززز"  # no row: drawn alone, and recorded
    assert names.unglossed() == ["زززز"]
    names.forget_unglossed()
    assert names.unglossed() == []


def test_a_term_takes_the_gloss_of_its_form_with_or_without_the_article():
    # the token rules strip the article: the collocate 'تحالف' is the glossary's 'التحالف'
    assert names.gloss("تحالف") == names.gloss("التحالف") == "coalition"
    # and normalised spellings (ta marbuta as ha) find their entry
    assert names.gloss("البلديه") == names.gloss("البلدية")


def test_every_arabic_term_the_demo_draws_has_a_gloss(default_corpus, tmp_path):
    """The demo's own code on the default corpus (built once into the test cache): every
    Arabic keyword, collocate, node and topic word drawn has a row in the glossary, and every
    Arabic concordance line drawn has a reviewed translation (one run checks both)."""
    from framescope.demo import run_demo

    names.forget_unglossed()
    names.forget_untranslated()
    # the demo's Arabic parameters as they are; the English K search cut to one K (English
    # draws no Arabic term, and the search is the longest English step). One process: the
    # terms are recorded in the process that draws them (a notebook run by a demo worker
    # process would go unchecked), and a worker would load the corpus and its tokens again
    run_demo(default_corpus.path, tmp_path, notebooks=("02", "03", "04"), progress=False,
             parameters={"K_GRID_EN": [4]}, jobs=1)
    missing = names.unglossed()
    assert not missing, f"add a reviewed gloss to analysis/data/glossary_ar.csv for: {', '.join(missing)}"
    lines = names.untranslated()
    assert not lines, ("add a reviewed translation to analysis/data/kwic_translations_ar.csv for: "
                       + "; ".join(lines))


# --- reviewed translations of Arabic concordance lines ------------------------------------------

def translation_rows():
    with resources.files("framescope.analysis").joinpath("data/kwic_translations_ar.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_translation_rows_are_keyed_by_their_own_line_and_written_in_english():
    table = translation_rows()
    assert table and list(table[0]) == ["key", "left", "keyword", "right", "english", "note"]
    keys = [r["key"] for r in table]
    assert len(set(keys)) == len(keys)
    for r in table:
        # the key is the line's own: a row copied or edited without its key is found
        assert r["key"] == names.kwic_key(r["left"], r["keyword"], r["right"]), r["english"]
        assert ARABIC.search(r["left"] + r["keyword"] + r["right"])
        english = r["english"].strip()
        assert english and not ARABIC.search(english), f"{r['key']}: the translation must be English: {english!r}"
        assert r["note"].strip(), f"{r['key']}: say where the line is from and what was decided"
        assert names.translation(r["left"], r["keyword"], r["right"]) == english
    # the Arabic is quoted from SaudiNewsNet: the file carries its licence and attribution
    notice = resources.files("framescope.analysis").joinpath("data/NOTICE.md").read_text(encoding="utf-8")
    section = notice.split("## `kwic_translations_ar.csv`", 1)[1].split("\n## ", 1)[0]
    assert "CC BY-NC-SA 4.0" in section and "Alhagri" in section and "non-commercial" in section


def test_a_line_keeps_its_key_across_spacing_punctuation_and_spelling():
    # what a rebuild may change: spaces around punctuation, diacritics, alef and ta marbuta spellings, digits
    one = names.kwic_key("جبل سنجار. ووسعت قوات", "التحالف", "نطاق جهودها 41")
    assert one == names.kwic_key(" جبل  سنجار . ووسعت قوات", "التَّحالف", "نطاق جهودها ٤١")
    assert one == names.kwic_key("جبل سنجار, ووسعت قوات", "التحالف", "نطاق جهودها 41")
    # what it may not: other words, or the keyword somewhere else in the line
    assert one != names.kwic_key("جبل سنجار. ووسعت قوات", "التحالف", "نطاق جهوده 41")
    assert one != names.kwic_key("جبل سنجار. ووسعت", "قوات", "التحالف نطاق جهودها 41")


def test_kwic_figure_draws_the_translation_or_a_visible_marker_and_records_the_line():
    from framescope.analysis import plots
    from framescope.analysis.plots.style import figure_problems

    known = translation_rows()[0]
    lines = pd.DataFrame({"left": [known["left"], "غارات طيران"], "keyword": [known["keyword"], "التحالف"],
                          "right": [known["right"], "الدولي على الرقة"], "outlet": ["aawsat", "was"],
                          "group": ["press", "state agency (was)"]})
    names.forget_untranslated()
    fig = plots.plot_kwic(lines)
    drawn = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert " ".join(known["english"].split()[:4]) in drawn  # the reviewed translation, beneath its line
    assert names.NO_TRANSLATION in drawn  # the other line: marked, never silently bare
    assert names.untranslated() == [f"{names.kwic_key('غارات طيران', 'التحالف', 'الدولي على الرقة')}: "
                                    "غارات طيران [التحالف] الدولي على الرقة"]
    assert "reviewed by hand" in drawn
    assert figure_problems(fig) == []
    # one column: the Arabic is cut at whole words, the translation wraps, the note says it is of the whole line
    fig = plots.plot_kwic(lines, width="single")
    drawn = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("\u2026") or t.endswith("\u2026") for t in drawn if ARABIC.search(t))
    assert "the translation is of the whole line; the Arabic shown is cut at …" in drawn
    assert figure_problems(fig) == []
    # English lines need no translation and record nothing
    names.forget_untranslated()
    plots.plot_kwic(pd.DataFrame({"left": ["the army killed"], "keyword": ["terrorists"], "right": ["in Aleppo"]}))
    assert names.untranslated() == []


@pytest.fixture(autouse=True)
def _clean_record():
    names.forget_unglossed()
    names.forget_untranslated()
    yield
    names.forget_unglossed()
    names.forget_untranslated()
