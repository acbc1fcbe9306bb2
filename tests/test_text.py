"""Character-level text layer: normalisation, Arabic normalisation, decoding, dates."""
import codecs
import datetime as dt
import re as _re
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framescope.corpus import text as text_module
from framescope.corpus.loaders.common import DecodeError, decode_bytes, looks_binary, parse_date
from framescope.corpus.text import clean_whitespace, dominant_script, normalize_arabic, normalize_text


def test_normalize_arabic_each_step():
    assert normalize_arabic("العـــربية") == "العربيه"             # tatweel, taa marbuta
    assert normalize_arabic("مُحَمَّدٌ") == "محمد"                   # diacritics
    assert normalize_arabic("أإآٱ") == "اااا"                      # alef forms
    assert normalize_arabic("على") == "علي"                        # alef maqsura
    assert normalize_arabic("٢٠١٥ ۳") == "2015 3"                   # Arabic-Indic digits
    assert normalize_arabic("coalition 12") == "coalition 12"      # other scripts untouched


def test_normalize_arabic_flags_switch_steps_off():
    assert normalize_arabic("مدرسة", taa_marbuta=False) == "مدرسة"
    assert normalize_arabic("إلى", alef=False, alef_maqsura=False) == "إلى"
    assert normalize_arabic("مُ", diacritics=False) == "مُ"


def test_normalize_text_quotes_dashes_digits_and_spaces():
    assert normalize_text("“coalition” – ‘so-called’  ١٢٣\u200b") == "\"coalition\" - 'so-called' 123"
    assert clean_whitespace("a \t b\r\n  c  ") == "a b\nc"


def test_dominant_script():
    assert dominant_script("التحالف الدولي and") == "Arabic"
    assert dominant_script("the coalition") == "Latin"
    assert dominant_script("1,139 -") is None


@pytest.mark.parametrize("text,enc", [("Hello ﻿world", "utf-8"), ("قتل التحالف", "utf-8")])
def test_decode_utf8(text, enc):
    assert decode_bytes(text.encode(enc)) == (text, "utf-8")


def test_decode_boms_and_legacy_encodings():
    assert decode_bytes(codecs.BOM_UTF8 + "x".encode()) == ("x", "utf-8-sig")
    assert decode_bytes("مرحبا بالعالم".encode("utf-16")) == ("مرحبا بالعالم", "utf-16")
    arabic = "قتل عشرات المدنيين في غارة جوية"
    assert decode_bytes(arabic.encode("cp1256")) == (arabic, "cp1256")
    assert decode_bytes("Assad’s café".encode("cp1252"))[0] == "Assad’s café"


def test_decode_refuses_mixed_and_wrong_encodings():
    with pytest.raises(DecodeError, match="mixed encodings"):
        decode_bytes("café ".encode("utf-8") + "café".encode("latin-1"))
    with pytest.raises(DecodeError, match="not valid utf-8"):
        decode_bytes("café".encode("latin-1"), "utf-8")


def test_binary_detection():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not looks_binary("plain text\n".encode())
    assert not looks_binary("text".encode("utf-16"))


def test_parse_date():
    assert parse_date("4/5/2017", "%m/%d/%Y") == dt.date(2017, 4, 5)
    assert parse_date("2015-08-11 13:44:43") == dt.date(2015, 8, 11)
    assert parse_date("5 April 2017") == dt.date(2017, 4, 5)
    assert parse_date("05/04/2017", dayfirst=True) == dt.date(2017, 4, 5)
    assert parse_date("") is None and parse_date(None) is None
    with pytest.raises(ValueError, match="unparsable date"):
        parse_date("the fifth of never")


@pytest.mark.parametrize("raw, clean", [
    ("in Syria\ufffd_s Aleppo \ufffd_ monitor", "in Syria's Aleppo monitor"),
    ("Copyright \ufffd\ufffd 2018 TRT", "Copyright 2018 TRT"),
    ("the road. \ufffd\ufffdThe attack", "the road. The attack"),
    ("Mevlut Cavu\ufffd\ufffdolu said", "Mevlut Cavuolu said"),
    ("forces\ufffd_ 28", "forces 28"),
])
def test_lost_characters_removed(raw, clean):
    # U+FFFD (FA-KES: quotes, (c), Turkish letters lost before publication) never reaches tokens
    assert clean_whitespace(raw) == clean


def test_arabic_normaliser_keeps_no_state_per_call():
    # one substituter per flag combination: a per-call table once leaked memory per document
    from framescope.corpus import text as text_module

    for i in range(300):
        normalize_arabic(f"الـــعربية {i}", tatweel=bool(i % 2), digits=bool(i % 3))
    assert len(text_module._SUBSTITUTERS) <= 32
    assert normalize_arabic("العـــربيّة ٣") == "العربيه 3"


# --- fast paths of the build (issue 21): the same strings as the line-by-line rules -------

#: characters each fast path treats specially: spaces of every kind, line and paragraph
#: separators, controls, zero-width marks, U+FFFD, combining marks after them (NFC), folds,
#: final sigma, letters beyond the BMP
TRICKY = list("aA s_-Σσ") + ["ا", "أ", "ة", "ى", "ـ", "\u064e", "\u0653", "\u0301", "٣", "۳", "–", "“", "”",
                             " ", "  ", "\t", "\n", "\r", "\r\n", "\xa0", "\u2003", "\u3000", "\u2028", "\u2029",
                             "\x01", "\x0b", "\x1c", "\x85", "\u200b", "\u200f", "\ufeff", "\ufffd", "\ufffd_s",
                             "İ", "K", "ſ", "©", "𝐀", "😀", "e\u200b\u0301", "ا\u200f\u0653"]
TEXT = st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=40).map("".join)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# the rules as they were, line by line (framescope before issue 21)
_OLD_WS = _re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def _old_clean_whitespace(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if "\ufffd" in text:
        text = text_module._LOST.sub(" ", text_module._LOST_IN_WORD.sub(
            "", text_module._LOST_APOSTROPHE.sub("'", text)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text_module._CONTROL.sub(" ", text_module._ZERO_WIDTH.sub("", text))
    return "\n".join(_OLD_WS.sub(" ", line).strip() for line in text.split("\n"))


def _old_substitute(text: str, table: dict) -> str:
    chars = {chr(k): v for k, v in table.items()}
    return _re.sub("[" + _re.escape("".join(sorted(chars))) + "]", lambda m: chars[m.group()], text)


@FUZZ
@given(TEXT)
def test_clean_whitespace_fast_paths_equal_the_line_by_line_rules(text):
    assert clean_whitespace(text) == _old_clean_whitespace(text)
    if text_module.is_clean(text):
        assert _old_clean_whitespace(text) == text


def test_whitespace_that_only_split_knows_is_listed():
    # clean_whitespace's split()/join path relies on this list (U+2028/2029 take the regex path)
    known = set(" \t\u00a0\u1680\u202f\u205f\u3000\n\r") | {chr(c) for c in range(0x2000, 0x200B)}
    replaced = {chr(c) for c in range(0x110000) if text_module._CONTROL.match(chr(c))}
    assert {chr(c) for c in range(0x110000) if chr(c).isspace()} - known - replaced == set(
        text_module._SPLIT_ONLY_WS)


def test_script_table_counts_what_the_script_regexes_count():
    old = {"Arabic": r"[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]",
           "Latin": r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]",
           "Cyrillic": r"[\u0400-\u0481\u048a-\u052f]", "Hebrew": r"[\u05d0-\u05ea]",
           "CJK": r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]"}
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    table = text_module._SCRIPT_OF
    for k, (name, pattern) in enumerate(old.items(), 1):
        expected = {ord(c) for c in _re.findall(pattern, every)}
        assert set(np.flatnonzero(table == k).tolist()) == expected, name
    assert text_module.script_counts(every) == {n: len(_re.findall(p, every)) for n, p in old.items()}


@FUZZ
@given(TEXT, st.integers(1, 40))
def test_substitutions_in_numpy_equal_the_regex_pass(text, times):
    long = text * times  # past the length where numpy takes over
    tables = (text_module._DASHES, text_module._QUOTES, text_module._DIGITS)
    assert text_module._fold_punct_digits(long) == _old_substitute(long, {k: v for t in tables for k, v in t.items()})
    assert normalize_arabic(long) == _old_substitute(
        text_module._ARABIC_DIACRITICS.sub("", unicodedata.normalize("NFC", long)),
        {**text_module._PERSIAN_VARIANTS, **text_module._TATWEEL, **text_module._ALEF_FORMS,
         **text_module._ALEF_MAQSURA, **text_module._TAA_MARBUTA, **text_module._DIGITS})


@FUZZ
@given(TEXT)
def test_collapse_non_words_is_findall_of_words(text):
    assert text_module.collapse_non_words(text).strip(" ") == " ".join(_re.findall(r"\w+", text))
    lines = text_module.collapse_non_words(text, underscore_is_word=False, keep_newlines=True).split("\n")
    assert lines == [_re.sub(r"[\W_]+", " ", line) for line in text.split("\n")]


@FUZZ
@given(TEXT)
def test_normalize_text_of_a_cleaned_text(text):
    # cleaned=True skips the character checks, not the result
    cleaned = clean_whitespace(text)
    assert normalize_text(cleaned, cleaned=True) == normalize_text(cleaned)


def test_a_cleaned_text_need_not_be_nfc():
    # the zero-width space goes after NFC: the letter and its mark meet decomposed, and
    # cleaning again composes them; cleaned=True must do the same
    cleaned = clean_whitespace("e\u200b\u0301")
    assert cleaned == "e\u0301" and normalize_text(cleaned, cleaned=True) == "\u00e9"
