"""Number parsing, English and Arabic (framescope.analysis.framing.numbers)."""
import pytest

from framescope.analysis.framing.numbers import find_amounts, parse_number
from framescope.analysis.framing.spans import scan


@pytest.mark.parametrize("text,value", [
    ("1,139", 1139), ("1140", 1140), ("13,000", 13000), ("six", 6), ("Six", 6), ("a dozen", 12),
    ("two dozen", 24), ("half a dozen", 6), ("twenty-five", 25), ("twenty five", 25),
    ("two hundred and fifty", 250), ("a hundred", 100), ("three thousand five hundred", 3500),
    ("one million", 1_000_000), ("1.5 million", 1_500_000), ("40 thousand", 40_000),
    # Arabic digits and number words
    ("١١٣٩", 1139), ("١٬١٣٩", 1139), ("ستة", 6), ("خمسة وعشرون", 25), ("خمسة وعشرين", 25),
    ("أحد عشر", 11), ("ثلاثة عشر", 13), ("عشرون", 20), ("مئتان", 200), ("ثلاثمائة", 300),
    ("مئة وخمسة وعشرون", 125), ("ثلاثة آلاف", 3000), ("ألف", 1000), ("عشرون ألفا", 20000),
    ("40 ألف", 40000),
])
def test_parse_number(text, value):
    lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in text) else "en"
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("text", ["civilians", "1.5", "the", ""])
def test_not_a_number(text):
    assert parse_number(text) is None


def _amounts(text, lang="en"):
    toks = scan(text)
    return find_amounts([t.norm for t in toks], [t.text for t in toks], lang)


@pytest.mark.parametrize("text,lang,low,high", [
    ("20 to 30 people", "en", 20, 30), ("20-30 people", "en", 20, 30),
    ("between 20 and 30 people", "en", 20, 30), ("between twenty and thirty", "en", 20, 30),
    ("بين 20 و30 شخصا", "ar", 20, 30), ("بين 20 و 30 شخصا", "ar", 20, 30),
    ("من 20 إلى 30 شخصا", "ar", 20, 30),
])
def test_ranges(text, lang, low, high):
    (a,) = _amounts(text, lang)
    assert (a.is_range, a.value, a.low, a.high) == (True, None, low, high)


def test_a_falling_range_is_two_numbers():
    # "30 to 20" is not a range: two separate numbers
    assert [a.value for a in _amounts("30 to 20")] == [30, 20]


@pytest.mark.parametrize("text,lang,words", [
    ("dozens of civilians", "en", "dozens"), ("scores of people", "en", "scores"),
    ("tens of thousands", "en", "tens of thousands"), ("hundreds", "en", "hundreds"),
    ("عشرات المدنيين", "ar", "عشرات"), ("العشرات", "ar", "العشرات"),
    ("مئات", "ar", "مئات"), ("عشرات الآلاف", "ar", "عشرات الآلاف"),
])
def test_vague_amounts(text, lang, words):
    a = _amounts(text, lang)[0]
    assert a.vague and a.value is None and a.low is None and a.text == words


def test_several_numbers_in_order():
    vals = [a.value for a in _amounts("Six civilians were killed and 19 people and a dozen others injured")]
    assert vals == [6, 19, 12]


@pytest.mark.parametrize("text,lang,low,high", [
    # issue 20: hedged upper bounds are ranges, not the upper figure alone
    ("at least seven and as many as 14 civilians", "en", 7, 14),
    ("230 or even 520 civilians", "en", 230, 520),
    ("12, and possibly as many as 19, civilians", "en", 12, 19),
    ("two or three children", "en", 2, 3),
    ("40 but up to 60 people", "en", 40, 60),
    ("سبعة وما يصل إلى 14 مدنيا", "ar", 7, 14),
    ("5 أو 6 مدنيين", "ar", 5, 6),
])
def test_hedged_ranges(text, lang, low, high):
    found = _amounts(text, lang)
    assert [(a.low, a.high, a.is_range) for a in found] == [(low, high, True)]


@pytest.mark.parametrize("text,lang", [
    ("the dead numbered between 40 and", "en"), ("بين 20 و", "ar"), ("between", "en"),
])
def test_cut_off_range_is_no_number_and_no_crash(text, lang):
    # "between N and" at the end of a sentence raised IndexError and killed `framescope claims`
    assert _amounts(text, lang) == []


@pytest.mark.parametrize("text", ["seven and 14", "killing 5 or injuring 7"])
def test_two_figures_are_not_a_range(text):
    assert all(not a.is_range for a in _amounts(text))
