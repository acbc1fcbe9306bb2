"""Character-level text layer: normalisation, Arabic normalisation, decoding, dates."""
import codecs
import datetime as dt

import pytest

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
