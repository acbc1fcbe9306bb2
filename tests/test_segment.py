"""Segmentation: script runs, roles, boilerplate, wire credits, languages."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framescope.corpus import segment
from framescope.corpus.segment import (detect_language, find_wire_credit, is_boilerplate_line, line_key,
                                       line_keys, segment_document, split_credits, split_scripts,
                                       split_tag_tail)
from framescope.corpus.text import clean_whitespace, normalize_text

CAPTION = ("US-Led Coalition Use Internationally Banned White Phosphorous in Syria "
           "جرائم التحالف الدولي بقيادة الولايات المتحدة ضد داعش في سوريا والعراق")


def test_bilingual_line_splits_into_two_runs():
    runs = split_scripts(CAPTION)
    assert [s for s, _ in runs] == ["Latin", "Arabic"]
    assert runs[0][1].endswith("in Syria") and runs[1][1].startswith("جرائم")
    assert " ".join(t for _, t in runs) == CAPTION  # nothing lost


def test_single_foreign_word_does_not_split_a_sentence():
    line = "Fighters of the group known as داعش attacked the town at dawn."
    assert split_scripts(line) == [("Latin", line)]


def test_bilingual_caption_becomes_two_caption_segments():
    body = "First paragraph of the article, which is long enough to be prose.\n\n" + CAPTION + \
           "\n\nSecond paragraph of the article, which is also a sentence."
    segs = segment_document(body, title="A title")
    caps = [(s.lang, s.text[:8]) for s in segs if s.role == "caption"]
    assert caps == [("en", "US-Led C"), ("ar", "جرائم ال")]
    assert [s.role for s in segs] == ["title", "body", "caption", "caption", "body"]


@pytest.mark.parametrize("line", [
    "Menu Close", "Follow us on Telegram: link will open Telegram app.",
    "To help us continue please visit the Donate page to donate or learn other ways.",
    "Latest News:", "You have successfully subscribed to the newsletter",
    "There was an error while trying to send your request. Please try again.",
    "We use cookies to improve your experience.", "Tags: Syria, Raqqa, coalition",
    "US-led,Syria Killings, Raqqa Killings, US-led Coalition Killed 1,300 Civilians, How Killed In Syria,",
    "اقرأ أيضا: التحالف يعلن", "جميع الحقوق محفوظة لصحيفة الرياض",
])
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "The illegitimate US-led International Coalition's targeting of civilians is a retribution "
    "for their refusal to join US-allied separatist militias.",
    "Raqqa in Syria and Mosul in Iraq are clear evidence of the criminality of this coalition.",
    "Amnesty said civilians in Raqqa, Mosul, Hajin, Deir Ezzor and Tabqa were killed.",
])
def test_prose_is_not_boilerplate(line):
    assert not is_boilerplate_line(line)


def test_tag_tail_is_split_from_a_caption():
    head, tags = split_tag_tail("Syrian woman with her child in the rubble Damascus, Aleppo, Der Ezzor, Raqqa, Homs")
    assert head == "Syrian woman with her child in the rubble"
    assert tags.startswith("Damascus,")


def test_headline_behind_a_section_label_is_the_title():
    segs = segment_document("عام / مهرجان تمور بريدة يواصل فعالياته\nيواصل مهرجان تمور بريدة فعالياته وأنشطته.",
                            title="مهرجان تمور بريدة يواصل فعالياته")
    assert [s.role for s in segs] == ["title", "body"]


def test_agency_dateline_line_is_a_credit_not_text():
    segs = segment_document("عام / مهرجان تمور بريدة\nبريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\n"
                            "يواصل مهرجان تمور بريدة فعالياته وأنشطته من خلال عمليات البيع.",
                            title="مهرجان تمور بريدة")
    assert [(s.role, s.note) for s in segs] == [("title", ""), ("boilerplate", "credit"), ("body", "")]
    assert find_wire_credit("\n".join(s.text for s in segs)) == "SPA"


def test_repeated_outlet_lines_become_boilerplate():
    segs = segment_document("Real sentence about the strike on the town.\nSubscribe now for free",
                            title="T", repeated_lines={"subscribe now for free"})
    assert [s.role for s in segs][-1] == "boilerplate"


@pytest.mark.parametrize("text,agency", [
    ("The toll rose to 16, a monitor said. - REUTERS", "Reuters"),
    ("began in March 2011.-AFP", "AFP"),
    ("people heard the blast. --Reuters", "Reuters"),
    ("BEIRUT (Reuters) - A suicide bomber killed 16 people", "Reuters"),
    ("Damascus, SANA - Army units killed terrorists", "SANA"),
    ("الرياض (واس) - أعلن التحالف", "SPA"),
    ("عام / مهرجان\nبريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\nيواصل مهرجان", "SPA"),
])
def test_wire_credits(text, agency):
    assert find_wire_credit(text) == agency


@pytest.mark.parametrize("text", ["He told Reuters that 12 people died in the strike.",
                                  "The report was seen by the AP and others in Syria."])
def test_mentions_are_not_credits(text):
    assert find_wire_credit(text) is None


def test_language_detection():
    assert detect_language("The coalition said in a statement that civilians were killed.") == "en"
    assert detect_language("قال التحالف في بيان إن مدنيين قتلوا") == "ar"
    assert detect_language("Le porte-parole de la coalition a confirmé la frappe aérienne.") == "fr"
    assert detect_language("ok", fallback="en") == "en"


# --- fast paths of the build (issue 21): the same answers as the line-by-line rules -------

WORDS = ["share", "Share this", "follow us", "Menu", "newsletter", "cookies", "use", "donate", "page",
         "Reporting by", " by ", "Editing", "Our Standards:", "Source: TRT World", "- REUTERS", "(AFP)",
         "Tags:", "©", "2017", "İ", "ı", "ſ", "K", "Σ", "_", "-", ",", ".", " ", "  ", "\n",
         "اقرأ أيضا", "إقرأ ايضا", "تابعونا على", "شارك هذا", "جميع الحقوق محفوظة", "اشترك في",
         "الكلمات الدالة:", "واس", "الرياض (واس) -", "ـ واس", "التحالف", "٣", "أ", "ة", "\u064e", "\u200f",
         "\u0301", "\ufffd", "𝐀", "Damascus", "Aleppo", "e\u200b\u0301"]
LINES = st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=25).map(" ".join)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _old_key(text):
    return re.sub(r"[\W_]+", " ", normalize_text(text).lower()).strip()


@FUZZ
@given(LINES)
def test_line_keys_of_a_text_equal_the_key_of_each_line(text):
    assert line_keys(text) == [_old_key(line) for line in text.split("\n")]
    cleaned = clean_whitespace(text)
    assert line_keys(cleaned) == [line_key(line) for line in cleaned.split("\n")]
    assert line_keys(cleaned, cleaned=True) == line_keys(cleaned)


def test_latin_hint_holds_every_letter_that_matches_an_ascii_letter_ignoring_case():
    # the English boilerplate and footer patterns are skipped on lines without one of these
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    matches = set(re.findall("[a-z]", every, re.IGNORECASE))
    assert all(segment._LATIN_HINT.match(c) for c in matches)


@FUZZ
@given(LINES.filter(lambda t: "\n" not in t))
def test_boilerplate_and_credits_fast_paths_give_the_full_patterns_answers(line):
    text = line.strip()
    full = bool(text) and len(text.split()) <= 60 and (
        bool(segment._BOILERPLATE.search(text)) or segment._has_pair(text) or segment.is_tag_list(text))
    assert is_boilerplate_line(line) == full
    assert segment._split_credits(line, latin=True) == split_credits(line)
