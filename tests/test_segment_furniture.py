"""Page furniture inside a line (text layer 8): split_furniture and how the segmenter keeps it.

Regression tests on real FA-KES rows (each fails on text layer 7, which kept the furniture
as article text), hand-written lines for each rule, prose that must stay whole, and
adversarial lines (long, all furniture, repeated markers).
"""
from __future__ import annotations

import csv
import time
from collections import Counter

import pytest

from framescope.corpus.furniture_eval import article_text
from framescope.corpus.segment import segment_document, split_furniture


def _cut(line: str) -> list[str]:
    return [text for furniture, text in split_furniture(line) if furniture]


def _kept(line: str) -> str:
    return " ".join(text for furniture, text in split_furniture(line) if not furniture)


@pytest.fixture(scope="module")
def fakes(fakes_csv):
    with fakes_csv.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = {}
        for row in csv.DictReader(f):
            rows.setdefault(row["unit_id"], row)
    return rows


def _segments(row):
    return segment_document(article_text(row), row["article_title"], lang_hint="en")


def _analysed(segments) -> str:
    return "\n".join(s.text for s in segments if s.role != "boilerplate")


# --- real FA-KES rows -------------------------------------------------------------------

def test_trt_page_tail_is_boilerplate_and_the_article_keeps_its_last_sentence(fakes):
    segments = _segments(fakes["1924058093"])
    text = _analysed(segments)
    for furniture in ("Related News", "Turkish warplanes hit pro-Assad militants in Afrin", "Category News",
                      "Follow us on Instagram", "SUBSCRIBE", "Copyright", "Privacy Policy", "Cookie Policy",
                      "pic.twitter.com"):
        assert furniture not in text
    assert text.rstrip().endswith("due to resume discussions on stemming the violence on Monday.")
    tail = [s for s in segments if s.role == "boilerplate" and s.text.startswith("Related News")]
    assert len(tail) == 1 and tail[0].text.endswith("Privacy Policy Cookie Policy")
    assert any(s.text == "Source TRTWorld and agencies" and s.role == "boilerplate" for s in segments)


def test_video_widget_titles_leave_the_running_text(fakes):
    text = _analysed(_segments(fakes["1919191759"]))
    assert "YouTube" not in text
    assert '"Toxic gas attack" kills at least 58 in Idlib' not in text
    assert "TRT Worlds Shamim Chowdhury has the latest from Gaziantep near the Turkish-Syria border." in text
    assert "Opposition demands UN investigation" in text  # the article's sub-heading stays
    sabah = _analysed(_segments(fakes["1918398790"]))
    assert "35 killed - YouTube" not in sabah
    assert "The Observatory and the Local Coordination Committees said" in sabah


def _assert_cut(row, span: str, kept: str) -> None:
    """``span`` is one boilerplate segment of the article, absent from its text; ``kept`` stays."""
    segments = _segments(row)
    assert span in [s.text for s in segments if s.role == "boilerplate"]
    text = _analysed(segments)
    assert span not in text and kept in text


def test_glued_tag_list_is_cut_and_the_article_after_it_kept(fakes):
    _assert_cut(fakes["1923102826"], "Tags Castello road Syria Syrian regime UN siege Aleppo al-Nusra Front Ahrar al-Sham",
                "At least 29 Syrian rebels were killed in clashes with regime troops overnight")


def test_sputnik_tail_share_widget_and_topic_badge(fakes):
    text = _analysed(_segments(fakes["1965495379"]))
    for furniture in ("Get short URL", "Related Syrian Army Eliminates 2200", "Tags Syrian crisis",
                      "Community standards", "Comment via"):
        assert furniture not in text
    assert "Jabhat Fatah al Sham." in text


def test_photo_credit_and_related_headline_leave_the_running_text(fakes):
    _assert_cut(fakes["1965495350"], "REUTERS Rodi Said Anti-Daesh Forces Get the Better of Terrorists in Battle for Manbij",
                "The US-led coalition of more than 60 nations has been carrying out")
    dateline = _analysed(_segments(fakes["1965495366"]))  # the article resumes at "MOSCOW (Sputnik)"
    assert "US Tanks to Storm Raqqa" not in dateline and "MOSCOW (Sputnik) The coalitions airstrike" in dateline


def test_update_stamp_share_button_and_read_also_at_the_end(fakes):
    assert "Last Update:" not in _analysed(_segments(fakes["1926479355"]))
    etilaf = _analysed(_segments(fakes["1926479251"]))
    assert not etilaf.rstrip().endswith("Twitter")
    assert "(Source: Syrian Coalitions Media Office)" in etilaf
    assert "Read Also" not in _analysed(_segments(fakes["1923102958"]))


def test_no_fakes_article_loses_a_letter(fakes):
    """Every letter of every FA-KES article is still in some segment (furniture included)."""
    for uid, row in fakes.items():
        body = article_text(row)
        have = Counter(c for s in _segments(row) for c in s.text if c.isalnum())
        assert not Counter(c for c in body if c.isalnum()) - have, uid


# --- the rules on hand-written lines ---------------------------------------------------------

ARTICLE = ("Rebels said at least 12 people were killed in the town on Monday and dozens were wounded "
           "when shells hit the market. ")


def test_tail_needs_two_kinds_of_marker_or_one_strong_one_near_the_end():
    assert _cut(ARTICLE + "Related News Five killed in Homs Category News Other headlines") == \
        ["Related News Five killed in Homs Category News Other headlines"]
    assert _cut(ARTICLE + "Copyright 2018 TRT World.") == ["Copyright 2018 TRT World."]
    # one weak marker alone is not a tail
    assert _cut(ARTICLE + "Related Syrian officials declined to comment on the report.") == []
    assert _cut(ARTICLE + "Subscribe") == []


def test_a_short_article_between_a_heading_marker_and_a_footer_is_not_a_tail():
    line = ("Latest News Fighting resumed near Aleppo on Monday as rebels and troops traded fire, the monitor "
            "said. Two civilians were killed in the shelling of the old city. Copyright 2018 Example News.")
    assert _cut(line) == ["Copyright 2018 Example News."]


def test_a_marker_far_from_the_end_does_not_start_a_tail():
    line = ARTICLE + "Related News Five killed. " + ARTICLE * 10 + "Privacy Policy"
    # the chain breaks at the 1000+ characters of prose: only the strong marker at the end goes
    assert _cut(line) == ["Privacy Policy"]
    assert "Related News Five killed." in _kept(line)


def test_youtube_in_a_sentence_stays_text():
    for line in ("Activists posted a video on YouTube that showed the aftermath of the strike.",
                 "YouTube footage and first-hand eyewitness accounts report six barrel bombs.",
                 "He said in the video posted on YouTube. Islamic State was condemned on Friday.",
                 "Syria Civil Defence posted a video on YouTube - the footage showed rescuers."):
        assert _cut(line) == [], line


def test_youtube_widget_runs_from_the_last_sentence_end():
    line = ("The bombings have intensified. The War in Syria Air strikes kill eight White Helmets workers - "
            "YouTube Syria has been locked in a vicious civil war.")
    assert _cut(line) == ["The War in Syria Air strikes kill eight White Helmets workers - YouTube"]
    assert _kept(line) == "The bombings have intensified. Syria has been locked in a vicious civil war."
    # no sentence end within reach: nothing is cut rather than too much
    long = "word " * 80 + "- YouTube and more"
    assert _cut(long) == []


def test_agency_at_a_sentence_start_and_photo_captions_stay_text():
    for line in ("Fighting went on. Sputnik reported that 12 people were killed in the town.",
                 "Fighting went on. AFP said on Monday that the convoy had been hit.",
                 "Fighting went on. REUTERS Hosam Katan A rebel fighter attends a demonstration in Idlib.",
                 "Fighting went on. Sputnik News Agency correspondents saw the damage.",
                 "It was approved. EPA Administrator Scott Pruitt and Energy Secretary Rick Perry visited.",
                 # SaudiNewsNet: a photo credit before Arabic text, which has no capitals
                 "وانتشرت رقعة النفط المتسرب. AFP HANDOUT ولو لم تتمكن فرق الإنقاذ من السيطرة على الوضع"):
        assert _cut(line) == [], line


def test_tags_in_prose_and_tag_lists_without_prose_after_them_stay():
    assert _cut("The word Tags appears here in a sentence that the reporter wrote about price tags.") == []
    # no prose within reach after "Tags": not cut
    assert _cut("Tags " + " ".join(["Aleppo"] * 60)) == []


def test_tag_list_stops_before_prose_with_a_lowercase_run():
    line = ("Standfirst of the piece. Tags Syria Damascus Eastern Ghouta Assad UN SOHR Intense Syrian regime "
            "bombardment on rebel-held Eastern Ghouta region has killed eight civilians and wounded 25.")
    kept = _kept(line)
    assert "Syrian regime bombardment on rebel-held Eastern Ghouta region has killed" in kept


def test_embedded_tweet_footer_and_share_widgets():
    line = ("My prayers are with the victims. pic.twitter.comezhmZ1GOG4 Leith Abou Fadel (leithfadel) "
            "July 27 2016 State TV rolled footage from the scene.")
    assert _cut(line) == ["pic.twitter.comezhmZ1GOG4 Leith Abou Fadel (leithfadel) July 27 2016"]
    assert _cut("Homs Governor AFP Tuesday 29 Apr 2014 Print Tweet Views 371 A car bomb killed 45.") == \
        ["Print Tweet Views 371"]
    assert _cut("21.08.2013Get short URL 0 0 0 Syrian regime forces fired") == ["Get short URL 0 0 0"]


def test_pieces_keep_every_character_in_order():
    line = ("Lead. Tags Syria Aleppo At least 16 people were killed. Battle rages near Aleppo - YouTube "
            "More text follows here. Source TRTWorld and agencies Related News A B Category News C D "
            "Copyright 2018 TRT World.")
    pieces = split_furniture(line)
    assert "".join(t for _, t in pieces).replace(" ", "") == line.replace(" ", "")
    assert [f for f, _ in pieces] == [False, True, False, True, False, True]


# --- adversarial inputs ------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    ARTICLE * 2000,                                   # 200k characters of prose
    "Tags " * 40000,                                  # a marker repeated
    "x - YouTube " * 20000,                           # widget markers without sentence ends
    "Related News Category News " * 8000,             # all furniture
    "Topic A" * 30000,                                # an unclosed badge
    "pic.twitter.com (" * 12000,
    "Watch: " * 30000 + "Play Video",
    "Tags " + "al-" * 60000,
    ". REUTERS " + "Abc " * 50000,
])
def test_long_lines_are_split_in_linear_time(line):
    started = time.perf_counter()
    pieces = split_furniture(line)
    assert time.perf_counter() - started < 5.0
    assert "".join(t for _, t in pieces).replace(" ", "") == line.replace(" ", "")


def test_a_line_that_is_all_furniture_becomes_one_boilerplate_segment():
    line = ("Related News Iraqs vote violations | The global gag rule Category News Latest updates "
            "FOLLOW TRTWORLD SUBSCRIBE Copyright 2018 TRT World. Terms of Use Privacy Policy Cookie Policy")
    assert split_furniture(line) == [(True, line)]
    segments = segment_document("Real headline of the story\n" + line + "\n" + ARTICLE)
    assert [s.role for s in segments] == ["title", "boilerplate", "body"]


@pytest.mark.parametrize("line", ["", "   ", "\u200b", "- YouTube", "Tags", "...", "©2018", "قال المسؤولون"])
def test_odd_input_does_not_raise(line):
    pieces = split_furniture(line)
    assert all(text for _, text in pieces)


def test_trailing_credit_on_a_title_line_is_kept_as_a_credit():
    """Text layer 7 dropped "-REUTERS" when its line became the title (found by fuzzing)."""
    segments = segment_document("Syria strikes 0-REUTERS\n" + ARTICLE, lang_hint="en")
    assert [(s.role, s.text) for s in segments[:2]] == [("title", "Syria strikes 0"), ("boilerplate", "-REUTERS")]
    assert segments[1].note == "credit"
