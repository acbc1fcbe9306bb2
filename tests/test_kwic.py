import pandas as pd
import pytest

from framescope.analysis.kwic import KWIC_COLUMNS, compile_pattern, kwic, kwic_to_html, write_kwic
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError
from stats_corpora import make_corpus


def _corpus():
    rows = [("a", "title", "en", "Coalition strikes kill 5"),
            ("a", "body", "en", "The US-led coalition struck Raqqa. Civilians died, the coalition said."),
            ("b", "body", "en", "The so-called “international coalition” killed civilians"),
            ("b", "caption", "ar", "قُتل مدنيون في غارات التحالف الدولي على الرقة، والتحالف ينفي."),
            ("c", "body", "en", "White phosphorus was used by the Coalition")]
    meta = {"a": {"source_type": "wire", "outlet": "reuters", "date": pd.Timestamp("2017-01-01")},
            "b": {"source_type": "state_media", "outlet": "sana", "date": pd.Timestamp("2017-01-02")},
            "c": {"source_type": "wire", "outlet": "reuters", "date": pd.NaT}}
    return make_corpus(rows, meta)


def test_pattern_types():
    assert compile_pattern("coalition")[0] == "word"
    assert compile_pattern("white phosphorus")[0] == "phrase"
    assert compile_pattern("strike*")[0] == "glob"
    assert compile_pattern("re:kill(ed|s)?")[0] == "regex"
    with pytest.raises(FramescopeError):
        compile_pattern("re:(unclosed")
    with pytest.raises(FramescopeError):
        compile_pattern("   ")


def test_word_kwic_english_context_metadata_and_case():
    k = kwic(_corpus(), "coalition", window=3, by="source_type")
    assert list(k.columns) == ["group"] + KWIC_COLUMNS
    assert k[["doc_id", "position", "keyword"]].values.tolist() == [
        ["a", 0, "Coalition"], ["a", 6, "coalition"], ["a", 14, "coalition"], ["b", 4, "coalition"],
        ["c", 6, "Coalition"]]
    first = k.iloc[1]
    assert (first.left, first.right) == ("5 The US-led", "struck Raqqa.")
    assert (first.group, first.outlet, first.sent) == ("wire", "reuters", 1)
    # the English context of document b stops before its Arabic caption
    assert k.iloc[3].right == '" killed civilians'


def test_phrase_glob_regex_and_sorting():
    c = _corpus()
    assert kwic(c, "US-led coalition").keyword.tolist() == ["US-led coalition"]
    assert kwic(c, "white phosphorus").keyword.tolist() == ["White phosphorus"]
    assert kwic(c, "strik*").keyword.tolist() == ["strikes"]
    assert kwic(c, "re:str(ikes|uck)").keyword.tolist() == ["strikes", "struck"]
    right = kwic(c, "coalition", window=2, sort="right")
    assert right.right.tolist() == ["", '" killed', "said.", "strikes kill", "struck Raqqa"]
    left = kwic(c, "coalition", window=2, sort="left")  # by L1, then L2
    assert left.left.tolist() == ["", '" international', ", the", "by the", "The US-led"]


def test_arabic_kwic_matches_normalised_forms():
    c = _corpus()
    k = kwic(c, "الرقة", window=3)  # text has الرقة with ة; pattern normalised the same way
    assert len(k) == 1 and k.iloc[0].lang == "ar" and k.iloc[0].keyword == "الرقة"
    assert k.iloc[0].left == "التحالف الدولي على"
    assert kwic(c, "قتل").keyword.tolist() == ["قُتل"]  # diacritics ignored, shown as written
    assert kwic(c, "*التحالف").keyword.tolist() == ["التحالف", "والتحالف"]
    assert kwic(c, "التحالف الدولي").keyword.tolist() == ["التحالف الدولي"]


def test_options_trace_stems_and_phrases():
    c = _corpus()
    stems = kwic(c, "coalit", options=TokenOptions(stem=True))
    assert len(stems) == 5
    phr = kwic(c, "white_phosphorus", options=TokenOptions(phrases=("white phosphorus",)))
    assert phr.keyword.tolist() == ["White phosphorus"]


def test_exports_csv_and_self_contained_html(tmp_path):
    k = kwic(_corpus(), "*التحالف", by="source_type")
    write_kwic(k, tmp_path / "k.csv")
    back = pd.read_csv(tmp_path / "k.csv")
    assert back.keyword.tolist() == ["التحالف", "والتحالف"]
    page = kwic_to_html(kwic(_corpus(), "re:.*coalition.*|التحالف"))
    assert '<table dir="rtl" lang="ar">' in page and '<table dir="ltr" lang="en">' in page
    assert "&quot;" in page and "<script" not in page and "http" not in page
    write_kwic(k, tmp_path / "k.html")
    assert (tmp_path / "k.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FramescopeError):
        write_kwic(k, tmp_path / "k.txt")


def test_limit_and_no_match():
    c = _corpus()
    k = kwic(c, "coalition", limit=2)
    assert len(k) == 2 and k.attrs["n_matches"] == 5
    empty = kwic(c, "zzz")
    assert empty.empty and list(empty.columns) == KWIC_COLUMNS


def test_kwic_shows_as_an_aligned_right_to_left_aware_concordance_in_jupyter():
    from framescope.analysis.kwic import DISPLAY_ROWS, KWIC

    k = kwic(_corpus(), "re:.*coalition.*|التحالف", by="source_type")
    assert isinstance(k, KWIC) and isinstance(k, pd.DataFrame)
    page = k._repr_html_()
    assert page.startswith('<div class="fs-kwic">') and "<script" not in page
    ar = page[page.index('<table dir="rtl" lang="ar">'):]
    en = page[page.index('<table dir="ltr" lang="en">'):page.index('<table dir="rtl"')]
    assert ar.count("<tr>") == 1 + (k["lang"] == "ar").sum() and en.count("<tr>") == 1 + (k["lang"] != "ar").sum()
    assert 'td class="doc" dir="ltr"' in ar and 'class="group" dir="auto"' in ar  # ids and groups stay LTR
    assert "td.left{text-align:end" in page  # context before the keyword hugs it, in either direction
    assert f"{len(k)} lines" in page
    # survives pandas row operations; a selection without the context columns is a plain table
    for part in (k.head(2), k[k["lang"] == "ar"], k.sort_values("keyword"), k.groupby("lang").head(1)):
        assert isinstance(part, KWIC) and part._repr_html_().startswith('<div class="fs-kwic">')
    assert 'class="dataframe"' in k[["doc_id", "lang"]]._repr_html_()
    many = KWIC(pd.concat([k] * (DISPLAY_ROWS // len(k) + 2), ignore_index=True))
    shown = many._repr_html_()
    assert shown.count("<tr>") == DISPLAY_ROWS + 2 and f"… {len(many) - DISPLAY_ROWS} more lines" in shown
