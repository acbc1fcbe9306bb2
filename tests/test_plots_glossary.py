"""Arabic terms in figures carry a reviewed English gloss (analysis/data/glossary_ar.csv).

The plot code records every Arabic term it draws without a gloss
(:func:`framescope.analysis.plots.names.unglossed`); the slow test runs the sections of
`framescope demo` that draw Arabic terms (keyness, KWIC, collocations, dispersion,
timelines, topics) on the default corpus and fails naming the terms that still need a row.
"""
from __future__ import annotations

import csv
import re
from importlib import resources

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
    Arabic keyword, collocate, node and topic word drawn has a row in the glossary."""
    from framescope.demo import run_demo

    names.forget_unglossed()
    run_demo(default_corpus.path, tmp_path, notebooks=("02", "03", "04"), progress=False)
    missing = names.unglossed()
    assert not missing, f"add a reviewed gloss to analysis/data/glossary_ar.csv for: {', '.join(missing)}"


@pytest.fixture(autouse=True)
def _clean_record():
    names.forget_unglossed()
    yield
    names.forget_unglossed()
