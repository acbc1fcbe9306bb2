"""Segmentation: a raw document → ordered, language-tagged, role-tagged segments.

Roles: ``title``; ``body``; ``caption`` (display text that is not running prose: image
captions, sub-headings, pull quotes, datelines/bylines shown on their own line);
``boilerplate`` (page chrome: menus, share/follow/subscribe/donate lines, newsletter,
cookie and GDPR notices, form messages, "Latest News" headers, tag/keyword lists, and
lines an outlet repeats across many documents; and, cut out of a line of text, page
tails, video-widget titles, glued tag lists and share widgets: :func:`split_furniture`).
Analyses never read boilerplate.

Language per segment: script first (Arabic script is Arabic unless letters proper to
Persian or Urdu appear), then lingua (its models ship inside the package) for Latin and
Cyrillic text long enough to judge; short segments inherit the document's language for
their script.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from framescope.corpus.text import (char_script, clean_whitespace, collapse_non_words, normalize_text,
                                   script_counts)

# ---------------------------------------------------------------------------------------
# language identification


_LATIN_LANGS = ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", "PORTUGUESE", "TURKISH",
                "DUTCH", "INDONESIAN", "SWEDISH", "POLISH")
_CYRILLIC_LANGS = ("RUSSIAN", "UKRAINIAN", "BULGARIAN")
_ARABIC_SCRIPT_LANGS = ("ARABIC", "PERSIAN", "URDU")
_PERSIAN_URDU_LETTERS = re.compile("[پچژگٹڈڑںےھۓ]")
MIN_LETTERS_FOR_DETECTION = 20
# lingua's verdict on a long paragraph is settled well before its end
DETECTION_SAMPLE_CHARS = 1000
# below this many letters a segment takes its document's language for the script, if known
RELIABLE_LETTERS = 60


@lru_cache(maxsize=None)
def _detector(script: str):
    from lingua import Language, LanguageDetectorBuilder

    names = {"Latin": _LATIN_LANGS, "Cyrillic": _CYRILLIC_LANGS,
             "Arabic": _ARABIC_SCRIPT_LANGS}[script]
    # lazily loaded models (in this thread's heap): preloading them on lingua's threads
    # saves 0.9 s of a build but costs 30 MB of its peak RSS
    return LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)).build()


def detect_language(text: str, script: str | None = None, fallback: str = "und") -> str:
    """ISO 639-1 code of ``text``; ``fallback`` when the text is too short to judge.

    Arabic script is ``ar`` unless letters proper to Persian or Urdu appear (then lingua
    chooses among ar, fa, ur); Latin and Cyrillic text is judged by lingua on its first
    ``DETECTION_SAMPLE_CHARS`` characters; Hebrew is ``he`` and CJK ``zh``.

    Parameters
    ----------
    text : str
        The segment text.
    script : str or None, optional
        Its script as given by :func:`~framescope.corpus.text.char_script` names, when the
        caller knows it; None takes the script with the most letters in ``text``.
    fallback : str, default "und"
        The code returned when no language can be told: no letters, lingua undecided, or
        (when ``fallback`` is not "und") Latin/Cyrillic text with fewer than
        ``MIN_LETTERS_FOR_DETECTION`` letters.

    Returns
    -------
    str
        A lower-case ISO 639-1 code (``ar``, ``en``, ``fr``, ...) or ``fallback``.
    """
    script = script or _dominant(script_counts(text))
    if script is None:
        return fallback
    if script == "Arabic":
        if not _PERSIAN_URDU_LETTERS.search(text):
            return "ar"
        found = _detector("Arabic").detect_language_of(text[:DETECTION_SAMPLE_CHARS])
        return found.iso_code_639_1.name.lower() if found else "ar"
    if script in ("Latin", "Cyrillic"):
        letters = sum(script_counts(text).values())
        if letters < MIN_LETTERS_FOR_DETECTION and fallback != "und":
            return fallback
        found = _detector(script).detect_language_of(text[:DETECTION_SAMPLE_CHARS])
        if found is None:
            return fallback
        return found.iso_code_639_1.name.lower()
    return {"Hebrew": "he", "CJK": "zh"}.get(script, fallback)


def _dominant(counts: dict[str, int]) -> str | None:
    return max(counts, key=counts.get) if counts else None


# ---------------------------------------------------------------------------------------
# script runs inside a line

MIN_WORDS_PER_RUN = 3


def split_scripts(line: str) -> list[tuple[str | None, str]]:
    """Split a line mixing Latin and Arabic script into per-script runs.

    Words are given the script of their letters; words without letters (numbers,
    punctuation) join the run before them. A line is split only when at least two runs
    of different scripts have ``MIN_WORDS_PER_RUN`` words each, so that a single foreign
    word inside a sentence ("the so-called داعش group") does not break the sentence.

    Parameters
    ----------
    line : str
        One line of cleaned text.

    Returns
    -------
    list of tuple of (str or None, str)
        ``[(script, text), ...]`` in line order; a single ``(script, line)`` pair when the
        line is not split (script None for a line without letters).
    """
    line_counts = script_counts(line)
    if len(line_counts) < 2:  # one script: nothing to split (the common case)
        return [(_dominant(line_counts), line)]
    words = line.split()
    runs: list[list] = []  # [script, [words], letter_words]
    for word in words:
        script = _word_script(word)
        if script is None or (runs and runs[-1][0] == script):
            if not runs:
                runs.append([script, [word], 0])
            else:
                runs[-1][1].append(word)
                if script is not None:
                    runs[-1][2] += 1
            continue
        if runs and runs[-1][0] is None:  # leading punctuation/numbers
            runs[-1][0] = script
            runs[-1][1].append(word)
            runs[-1][2] += 1
            continue
        runs.append([script, [word], 1])
    big = [r for r in runs if r[2] >= MIN_WORDS_PER_RUN]
    if len({r[0] for r in big}) < 2:
        return [(_dominant(script_counts(line)), line)]
    # merge small runs into their neighbour so that nothing is lost
    merged: list[list] = []
    for run in runs:
        if merged and (run[2] < MIN_WORDS_PER_RUN or merged[-1][0] == run[0]):
            merged[-1][1].extend(run[1])
        else:
            merged.append([run[0], list(run[1]), run[2]])
    if merged and merged[0][2] < MIN_WORDS_PER_RUN and len(merged) > 1:
        merged[1][1][:0] = merged[0][1]
        merged.pop(0)
    return [(r[0], " ".join(r[1])) for r in merged]


@lru_cache(maxsize=65536)
def _word_script(word: str) -> str | None:
    return _dominant(script_counts(word))


# ---------------------------------------------------------------------------------------
# boilerplate

_BOILERPLATE_PATTERNS = [
    r"^(menu|close|menu close|skip to (main )?content|home|search|toggle navigation)$",
    r"^(share|tweet|email|print|whatsapp|facebook|twitter|telegram|linkedin|reddit)"
    r"( (this|on|via) \w+)?[:!.]?$",
    r"\b(?:follow|join|like) (?-i:us)\b",
    r"^(subscribe|sign up|register)\b",
    r"\bsubscribe (to|for) (our|the)\b",
    r"\bnewsletter\b",
    r"^to help us continue\b|\bsupport (?-i:us)\b|\bsupport our work\b",
    r"\bgdpr\b|\bprivacy policy\b|\bterms (of use|and conditions)\b",
    r"you have successfully subscribed|there was an error while trying to send your request"
    r"|please try again\.?$|thank you for (subscribing|your submission)",
    r"^(latest|related|recommended|popular|trending|most read|top) (news|stories|articles|posts|videos)\b:?",
    r"^(read more|read also|see also|more on this|click here|continue reading)\b",
    r"^(tags?|keywords?|topics?|filed under)\s*:",
    r"(©|\(c\)|copyright)\s*\d{4}|\ball rights reserved\b",
    r"\blink will open\b|\bopen (in|the) (telegram|whatsapp) app\b",
]
# Arabic page chrome: at the start of a line, or anywhere
_BOILERPLATE_ARABIC_START = [
    r"(اقرأ|إقرأ) (أيضا|أيضاً|ايضا)", r"(تابعونا|تابعنا) (على|عبر)", r"شارك (هذا|الخبر|عبر)",
    r"(اشترك|للاشتراك) (في|ب)", r"(الكلمات|كلمات) (الدالة|المفتاحية)\s*:?",
]
_BOILERPLATE_ARABIC_ANYWHERE = ["جميع الحقوق محفوظة"]
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE_PATTERNS
                                   + [f"^{p}" for p in _BOILERPLATE_ARABIC_START]
                                   + [re.escape(p) for p in _BOILERPLATE_ARABIC_ANYWHERE]),
                          re.IGNORECASE)
# the Arabic patterns alone, for lines without Latin letters: one anchored match and
# substring tests (Arabic letters have no case, so IGNORECASE changes nothing for them)
_BOILERPLATE_ARABIC = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE_ARABIC_START), re.IGNORECASE)
# Every pattern above but the Arabic ones (and every credit footer below) needs a letter
# that matches an ASCII letter under IGNORECASE: an ASCII letter, or İ ı ſ K (Kelvin sign;
# tests/test_segment.py checks this list against the re module), or ©. A line without any
# (most Arabic lines) is tested against the Arabic patterns only, which is much faster.
_LATIN_HINT = re.compile("[A-Za-z\u0130\u0131\u017f\u212a\u00a9]")
# "A ... B" page chrome: a donation line that points somewhere, a cookie notice. Written
# as "A.*B" these take quadratic time on a line repeating A; instead the first A is found,
# then B after it (the same verdict: if any A has a B after it, the first one does).
_BOILERPLATE_PAIRS = [
    (re.compile(r"\b(?:donate|donation)s?\b", re.IGNORECASE),
     re.compile(r"\b(?:page|help us|support us|ways)\b", re.IGNORECASE)),
    (re.compile(r"\bcookies?\b", re.IGNORECASE),
     re.compile(r"\b(?:use|accept|consent|policy|experience)\b", re.IGNORECASE)),
]
# One item of a tag list: a capitalised word, then up to four more after single spaces.
# Hyphens belong to the words' character class only (no "[ -]" separator besides it), so
# that "Deir-ez-Zor" has one parse, not 2^k (the old pattern hung on hyphenated names).
_TAG_ITEM = re.compile(r"[A-Z][\w'’.-]*(?: [A-Za-z][\w'’.-]*){0,4}")


def is_boilerplate_line(line: str) -> bool:
    """Whether ``line`` is page chrome recognised by its wording.

    Menus, share/follow/subscribe/donate lines, newsletter, cookie and GDPR notices, form
    messages, "Latest News" headers and the like.

    Parameters
    ----------
    line : str
        One line of cleaned text.

    Returns
    -------
    bool
        True when the line becomes a ``boilerplate`` segment.
    """
    return _is_boilerplate(line, _LATIN_HINT.search(line) is not None)


def _is_boilerplate(line: str, latin: bool) -> bool:
    """:func:`is_boilerplate_line`; ``latin``: whether the line has a _LATIN_HINT character."""
    text = line.strip()
    if not text:
        return False
    if len(text.split(None, 60)) > 60:  # running prose, even if it mentions a newsletter
        return False
    if not latin:  # only the Arabic patterns can match
        return (_BOILERPLATE_ARABIC.match(text) is not None
                or any(p in text for p in _BOILERPLATE_ARABIC_ANYWHERE) or is_tag_list(text))
    return bool(_BOILERPLATE.search(text)) or _has_pair(text) or is_tag_list(text)


def _has_pair(text: str) -> bool:
    for first, then in _BOILERPLATE_PAIRS:
        m = first.search(text)
        if m and then.search(text, m.end()):
            return True
    return False


def is_tag_list(line: str) -> bool:
    """Whether ``line`` is a keyword/tag list: comma-separated short items, most capitalised.

    Parameters
    ----------
    line : str
        One line of cleaned text.

    Returns
    -------
    bool
        True for at least four comma-separated items, not ending like a sentence, at least
        90% of them of at most six words and 75% starting with a capital or an Arabic letter.
    """
    if line.count(",") < 3:  # fewer than four items
        return False
    items = [i.strip() for i in line.strip().strip(",").split(",") if i.strip()]
    if len(items) < 4:
        return False
    if line.rstrip().endswith((".", "!", "?", "؟")):
        return False
    short = sum(1 for i in items if len(i.split()) <= 6)
    capitalised = sum(1 for i in items if i[:1].isupper() or char_script(i[:1]) == "Arabic")
    return short >= 0.9 * len(items) and capitalised >= 0.75 * len(items)


def split_tag_tail(line: str) -> tuple[str, str | None]:
    """Split a line ending in a tag list ("... rubble Damascus, Aleppo, Raqqa, Homs").

    A tag tail is at least four comma-separated items (see ``_TAG_ITEM``), the first
    starting the line or after a space, and an optional final comma. Found by walking the
    comma-separated parts from the end, so the time is linear in the length of the line.

    Parameters
    ----------
    line : str
        One line of cleaned text.

    Returns
    -------
    head : str
        The line before the tag tail (the whole line when it has none).
    tags : str or None
        The tag tail, or None when the line has no tag tail.
    """
    parts = line.split(",")
    if not parts[-1].strip():  # "..., Homs," or "..., Homs , "
        parts.pop()
    # parts[k:] are whole items; the tail is those and perhaps the end of parts[k - 1]
    k = len(parts)
    while k > 0 and _TAG_ITEM.fullmatch(parts[k - 1].strip()):
        k -= 1
    if k == len(parts):
        return line, None
    start = None  # index in line where the tag tail starts
    if k > 0:
        start = _item_suffix(parts[k - 1].rstrip())
        if start is not None:
            start += sum(len(p) + 1 for p in parts[:k - 1])
    items = len(parts) - k + (start is not None)
    if items < 4:
        return line, None
    if start is None:
        start = sum(len(p) + 1 for p in parts[:k])
        start += len(parts[k]) - len(parts[k].lstrip())
    if start == 0:
        return line, None
    return line[:start].rstrip(" ,"), line[start:].strip()


def _item_suffix(text: str) -> int | None:
    """Start of the longest tag item ending ``text`` that follows a space, or None."""
    # an item has at most five words, so only the last five word starts are candidates
    starts = [m.end() for m in re.finditer(r"\s+", text)][-5:]
    for i in starts:
        if i < len(text) and _TAG_ITEM.fullmatch(text, i):
            return i
    return None


# ---------------------------------------------------------------------------------------
# page furniture inside a line

# A scraped page often arrives as one line per article (FA-KES): the article, then the
# page's tail (related headlines, follow/subscribe lines, copyright, legal links), with
# video-widget titles and tag lists glued into the running text. split_furniture cuts
# such spans out of a line; the builder keeps them as boilerplate segments. Each rule
# needs a signal prose does not give (a chain of page-tail markers reaching the end of
# the line, " - YouTube" after a headline, "Tags" followed by a run without prose), so
# that a false cut, which loses article text, stays rare: docs/furniture.md measures
# precision and recall on a hand-labelled development set.

#: the most characters of other text between two markers of one page tail, and between
#: its last marker and the end of the line
TAIL_GAP = 400
#: a page tail of one marker of a kind prose never has ("Copyright 2018", "Last Update:")
#: is cut only when it starts at most this many characters before the end of the line
STRONG_TAIL_CHARS = 200
# Page-tail markers, case-sensitive: "Related News" heads a list, "related" is prose.
_TAIL_MARKERS = re.compile(
    r"(?P<related>\bRelated(?: News| Stories| Articles| Posts| Videos)?(?= [A-Z\"']))"
    r"|(?P<category>\bCategory News\b)"
    r"|(?P<latest>\bLatest (?:updates|News)\b)"
    r"|(?P<follow>\b(?:Follow|FOLLOW) (?:us|US|[A-Z]{3,})\b)"
    r"|(?P<subscribe>\b(?:SUBSCRIBE|Subscribe)\b)"
    r"|(?P<copyright>(?:©|\bCopyright)\s?\d{4}\b)"
    r"|(?P<legal>\b(?:Privacy Policy|Cookie Policy|Terms of (?:Use|Service)|All rights reserved)\b)"
    r"|(?P<community>\bCommunity standards)"
    r"|(?P<comment>\bComments? via\b)"
    r"|(?P<tags>\bTags(?= \S))"
    r"|(?P<topic>\bTopic [A-Z][^()]{0,120}\(\d{1,12}\))"
    r"|(?P<update>\bLast Update:)"
    r"|(?P<readalso>\bRead (?:Also|also|More|more)$)"
    # a share button left at the very end, after a sentence or a bracket: "... (Source: X) Twitter"
    r"|(?P<share>(?<=[.!?)\"] )(?:Share|Tweet|Print|Email|WhatsApp|Facebook|Twitter)$)")
_STRONG_TAIL = frozenset({"copyright", "legal", "community", "comment", "update", "share", "readalso"})
# a sentence end after a tail's first marker (two of them: prose, not a list; "?" is not
# counted, related headlines ask questions: "Is Boris Johnson using Islamophobia to win votes?")
_GAP_SENTENCE = re.compile(r"[.!][\"')\]]*(?: [A-Z\"]| ?$)")
# share counters before a tail: "... 43 Topic ...", "... 0 0 Tags ..."
_COUNTER_BEFORE = re.compile(r"(?:\.\.\.|…)(?: \d+)* ?$")
# spans with a fixed end: share widgets ("Print Tweet Views 729", "Get short URL 0 0 0"), topic badges
_INLINE_FURNITURE = re.compile(
    r"\b(?:Print|Share) (?:Tweet|Share|Email|Print)(?: (?:Tweet|Share|Email|Print))*(?: Views? \d+)?"
    r"|(?<![A-Za-z])Get short URL(?: \d+)*"
    # a topic badge with its article count and share counters: "Topic Battle for Raqqa (180) 0 54"
    r"|\bTopic [A-Z][^()]{0,120}\(\d+\)(?: \d+)*"
    # a video player's label: "Watch: Diplomats struggle over Aleppo Play Video"
    r"|\bWatch: [^.!?]{1,200}?\bPlay Video\b"
    # an embedded tweet's footer: "pic.twitter.com0Zw6eHpmd4 The Syrian Observer (observesyria) July 27 2016"
    r"|\bpic\.twitter\.com\w*(?: [^()]{1,60}?)? ?\(\w{1,30}\)(?: [A-Z][a-z]+)?(?: \d{1,2})? \d{4}\b")
# a video widget's title: "<headline> - YouTube", the headline after the last sentence end
_YOUTUBE = re.compile(r"(?<= )- YouTube(?= |$)")
_SENTENCE_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s")
#: a widget title is at most this many characters and words
WIDGET_CHARS = 300
WIDGET_WORDS = 30
# a tag list glued into running text: "... standfirst. Tags Syria Aleppo siege The regime ..."
_GLUED_TAGS = re.compile(r"\bTags (?=\S)")
#: a glued tag list has at most this many words; prose starts at the first capitalised word
#: from which PROSE_WINDOW words hold at least PROSE_MIN prose words (function words, past
#: forms, numbers), moved on over the non-prose words after it to the last capitalised one
MAX_TAG_WORDS = 30
PROSE_WINDOW = 8
PROSE_MIN = 2
_FUNCTION_WORDS = frozenset(
    "a an the of in on at by to for from with into near among after before during while as and "
    "but or that this these those its their his her our was were is are be been being has have "
    "had will would could said says than least when who which where not also over against "
    "between under about including more most some several many".split()
    + "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
      "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
      "hundred hundreds dozens".split())
# A photo credit after a sentence, then a related story's headline in Title Case (Sputnik:
# "... Sunday. REUTERS Rodi Said US Tanks to Storm Raqqa as Major Offensive Takes Shape
# MOSCOW (Sputnik) The coalition's ..."): the widget runs to where the article's next
# sentence starts, found as the dateline, or the last sentence opener (or quote) before the
# first lowercase word that a headline would capitalise, or else the capitalised word before it.
_PHOTO_CREDIT = re.compile(r"(?<=[.!?\"] )(?:REUTERS|Sputnik|AFP|AP Photo|Flickr|Getty Images)(?= [A-Z0-9\"])")
#: the most words of a credit and headline; the fewest (a credit and a three-word headline)
WIDGET_MAX_WORDS = 40
WIDGET_MIN_WORDS = 4
_HEADLINE_SMALL = frozenset("a an the of in on at to for as and or but by from with near over after into "
                            "its is are be vs via up out off".split())
_OPENERS = frozenset("The A An According On In At There This That It Earlier Meanwhile But However More Some "
                     "After During Since While When No Over Under Local Several Many Most Another Both "
                     "Among Following Despite Although Later Speaking".split())
_DATELINE_WORD = re.compile(r"[A-Z][A-Z.-]{2,}")
_LOWER_NAME = re.compile(r"[a-z]{1,3}-[A-Z]")  # "ez-Zor", "al-Tabqa": part of a name
_WORD = re.compile(r"\S+")
_NAME_PREFIX = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an)-[A-Z]")
_STRIP = "\"'()[],.;:!?"


def split_furniture(line: str) -> list[tuple[bool, str]]:
    """Cut a line at page furniture glued into it: page tails, video widgets, tag lists.

    A *page tail* is a chain of markers ("Related News", "Category News", "Follow us on",
    "SUBSCRIBE", "Copyright 2018", "Privacy Policy", "Tags", "Community standards",
    "Comment via", "Topic ... (1881)", "Last Update:") whose consecutive markers are at
    most ``TAIL_GAP`` characters apart, the last one at most ``TAIL_GAP`` before the end
    of the line; it runs to the end of the line and needs two kinds of marker, or one
    that prose never has within ``STRONG_TAIL_CHARS`` of the end. A *video widget* is a
    headline ending in " - YouTube", from the last sentence end before it. A *glued tag
    list* is "Tags" and the words up to where prose starts: the first capitalised word
    after which ``PROSE_WINDOW`` words hold at least ``PROSE_MIN`` function words or past
    forms (or a full stop ends the list), within ``MAX_TAG_WORDS`` words. Share widgets
    ("Print Tweet Views 729", "Get short URL 0 54"), topic badges ("Topic Battle for
    Raqqa (180)"), video-player labels ("Watch: ... Play Video") and embedded-tweet footers
    ("pic.twitter.com/x Name (handle) July 27 2016") are cut where they stand. Every
    search is linear in the length of the line. docs/furniture.md gives the precision and
    recall on a hand-labelled development set.

    Parameters
    ----------
    line : str
        One line of cleaned text.

    Returns
    -------
    list of tuple of (bool, str)
        ``[(is_furniture, text), ...]`` in line order, each text stripped and non-empty;
        ``[(False, line)]`` when the line holds no furniture. Joined with spaces, the
        texts hold every character of the line but whitespace.
    """
    if not line.strip():
        return []
    if _LATIN_HINT.search(line) is None:  # every rule needs a Latin letter
        return [(False, line.strip())]
    spans = _inline_spans(line)
    tail = _page_tail_start(line)
    if tail is not None:
        spans = [(s, min(e, tail)) for s, e in spans if s < tail] + [(tail, len(line))]
    if not spans:
        return [(False, line.strip())]
    out: list[tuple[bool, str]] = []
    at = 0
    for s, e in spans:
        if s < at:  # overlapping spans merge
            s = at
        if s >= e:
            continue
        if line[at:s].strip():
            out.append((False, line[at:s].strip()))
        if out and out[-1][0]:
            out[-1] = (True, out[-1][1] + " " + line[s:e].strip())
        elif line[s:e].strip():
            out.append((True, line[s:e].strip()))
        at = e
    if line[at:].strip():
        out.append((False, line[at:].strip()))
    return out


#: longest text one tail marker can match (the topic badge: "Topic " + 121 + "(" 12 digits ")")
_TAIL_MARKER_CHARS = 160


def _page_tail_start(line: str) -> int | None:
    """Where the page tail of ``line`` starts (see :func:`split_furniture`), or None."""
    # a tail's last marker ends within TAIL_GAP of the line's end, so it starts after this
    # point: without a marker there, no chain can reach the end (most lines stop here,
    # instead of scanning a 20k-character line for markers)
    if _TAIL_MARKERS.search(line, max(0, len(line) - TAIL_GAP - _TAIL_MARKER_CHARS)) is None:
        return None
    last = None
    chain: list[re.Match] = []
    for m in _TAIL_MARKERS.finditer(line):
        if last is None or m.start() - last.end() > TAIL_GAP:
            chain = []  # a new chain starts: the old one did not reach the end of the line
        chain.append(m)
        last = m
    if not chain or len(line) - chain[-1].end() > TAIL_GAP:
        return None
    # A tail starts with a marker followed by a list, not by prose: not by two sentences
    # (a short article between a glued tag list or a heading marker and a footer).
    first = 0
    while first < len(chain):
        gap_end = chain[first + 1].start() if first + 1 < len(chain) else len(line)
        if len(_GAP_SENTENCE.findall(line, chain[first].end(), gap_end)) < 2:
            break
        first += 1
    chain = chain[first:]
    if not chain:
        return None
    kinds = {m.lastgroup for m in chain}
    start = chain[0].start()
    if len(kinds) < 2 and not (kinds & _STRONG_TAIL and len(line) - start <= STRONG_TAIL_CHARS):
        return None
    before = _COUNTER_BEFORE.search(line[max(0, start - 40):start])
    if before:
        start -= len(before.group(0))
    return start


def _inline_spans(line: str) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` spans of widgets, share widgets and glued tag lists."""
    spans = [m.span() for m in _INLINE_FURNITURE.finditer(line)]
    floor = 0  # a widget title never reaches back over the previous one
    for m in _YOUTUBE.finditer(line):
        lo = max(floor, m.start() - WIDGET_CHARS)
        ends = list(_SENTENCE_BOUNDARY.finditer(line, lo, m.start()))
        if ends:
            start = ends[-1].end()
        elif lo == 0:
            start = 0
        else:
            continue
        if len(line[start:m.start()].split()) <= WIDGET_WORDS:
            spans.append((start, m.end()))
        floor = m.end()
    for m in _GLUED_TAGS.finditer(line):
        end = _tag_list_end(line, m.end())
        if end is not None:
            spans.append((m.start(), end))
    for m in _PHOTO_CREDIT.finditer(line):
        end = _headline_end(line, m.start())
        if end is not None:
            spans.append((m.start(), end))
    return sorted(spans)


def _headline_end(line: str, start: int) -> int | None:
    """Where the credit-and-headline widget starting at ``start`` ends, or None."""
    words = []
    for m in _WORD.finditer(line, start):
        words.append(m)
        if len(words) > WIDGET_MAX_WORDS:
            break
    first_lower = None
    for i, w in enumerate(words[1:], 1):
        bare = w.group().strip(_STRIP + "-&|")  # "- Reports", "&": punctuation, not a word
        # a headline word: capitalised (Latin), a number, a small word or a name part; not
        # a lowercase content word, nor a word of another script (Arabic has no capitals)
        if bare and not (bare[0].isupper() or bare[0].isdigit() or bare in _HEADLINE_SMALL
                         or _LOWER_NAME.match(bare)):
            first_lower = i
            break
    if first_lower is None:  # a headline to the end of the line, or no headline
        return len(line) if len(words) <= WIDGET_MAX_WORDS and len(words) >= WIDGET_MIN_WORDS else None
    cut = None
    for j in range(1, first_lower):  # a dateline: "MOSCOW (Sputnik)", "DAMASCUS (SANA)"
        if j + 1 < len(words) and _DATELINE_WORD.fullmatch(words[j].group()) \
                and words[j + 1].group().startswith("(") and words[j + 1].group().endswith(")"):
            cut = j
            break
    if cut is None:
        for j in range(first_lower - 1, max(0, first_lower - 7), -1):
            word = words[j].group()
            if word.strip(_STRIP) in _OPENERS or word.startswith(("\"", "'")):
                cut = j
                break
    if cut is None:
        cut = first_lower - 1  # "... Turkish-Syrian Border | Syrian forces managed ..."
    if cut < WIDGET_MIN_WORDS:
        return None
    return words[cut].start()


def _is_prose_word(word: str) -> bool:
    bare = word.strip(_STRIP)
    low = bare.lower()
    if len(bare) > 1 and bare.isupper():  # "IS", "AN": acronyms, not "is", "an"
        return False
    return (low in _FUNCTION_WORDS or bare[:1].isdigit()
            or (len(bare) > 5 and low.endswith("ed") and "-" not in bare))


def _starts_like_name(word: str) -> bool:
    bare = word.lstrip("\"'(")
    return bare[:1].isupper() or bare[:1].isdigit() or _NAME_PREFIX.match(bare) is not None


def _tag_list_end(line: str, start: int) -> int | None:
    """Where the tag list starting at ``start`` ends and prose starts, or None."""
    words = []
    for m in _WORD.finditer(line, start):
        words.append(m)
        if len(words) >= MAX_TAG_WORDS + PROSE_WINDOW:
            break
    prose = [_is_prose_word(w.group()) for w in words]
    found = None
    for k in range(1, min(len(words) - 1, MAX_TAG_WORDS) + 1):
        word = words[k - 1].group()
        # a full stop closes the list ("... extremism war. A suicide bomber ...")
        if word.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", word) \
                and _starts_like_name(words[k].group()):
            found = k
            break
        if _starts_like_name(words[k].group()) and sum(prose[k:k + PROSE_WINDOW]) >= PROSE_MIN:
            # the list may end a few words later: "Aleppo civilians airstrikes At least 51 ..."
            found = k
            for j in range(k, min(k + PROSE_WINDOW, len(words))):
                if j > k and _starts_like_name(words[j].group()) \
                        and sum(prose[j:j + PROSE_WINDOW]) >= PROSE_MIN:
                    found = j
                if prose[j]:
                    break
            break
    if found is None or sum(prose[:found]) > 2:
        return None  # no prose after it, or too much prose inside: not a tag list
    # A prose word after a lowercase word ("... bombardment on rebel-held ...") means prose
    # started earlier than the window found: the list ends before that lowercase run and
    # the capitalised word heading it ("SOHR Intense Syrian | regime bombardment on").
    for f in range(2, found):
        if prose[f] and not _starts_like_name(words[f - 1].group()):
            j = f - 1
            while j > 1 and not _starts_like_name(words[j - 1].group()):
                j -= 1
            found = max(1, j - 1)
            break
    return words[found].start()


# ---------------------------------------------------------------------------------------
# wire credits

_AGENCIES = {
    "reuters": "Reuters", "afp": "AFP", "ap": "AP", "associated press": "AP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "sana": "SANA",
    "dpa": "dpa", "xinhua": "Xinhua", "anadolu": "Anadolu", "aa": "Anadolu",
    "tass": "TASS", "sputnik": "Sputnik", "irna": "IRNA", "ria novosti": "RIA Novosti",
    "nna": "NNA", "upi": "UPI", "kuna": "KUNA", "wam": "WAM", "spa": "SPA", "qna": "QNA",
    "mena": "MENA", "petra": "Petra",
    "واس": "SPA", "رويترز": "Reuters", "أ ف ب": "AFP", "ا ف ب": "AFP", "فرانس برس": "AFP",
    "د ب أ": "dpa", "سانا": "SANA", "الأناضول": "Anadolu", "كونا": "KUNA", "وام": "WAM",
}
_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in _AGENCIES), key=len, reverse=True))
# "... text. - REUTERS", "--AFP", "(Reuters)" at the very end, "Reuters/AFP"
_TRAILING_CREDIT = re.compile(
    rf"(?:[-–—]{{1,2}}|\(|\|)\s*(?P<a>{_AGENCY_ALT})(?:\s*(?:/|and|,)\s*(?:{_AGENCY_ALT}))*\s*(?:\)\s*)?(?:\.\s*)?$",
    re.IGNORECASE)
# "BEIRUT (Reuters) -", "Damascus, SANA -", "(AFP) —"
_DATELINE_CREDIT = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .'-]{{0,39}}[A-Za-z.'-](?:\s*,)?\s*)?(?:[A-Za-z]{{3,9}}\.? \d{{1,2}},?\s*)?"
    rf"\(?(?P<a>{_AGENCY_ALT})\)?\s*[-–—:]",
    re.IGNORECASE)
# Arabic agency in brackets early in the text: "الرياض (واس) -" or "ـ واس"
_ARABIC_AGENCIES = "واس|رويترز|أ ف ب|ا ف ب|د ب أ|سانا|كونا|وام|فرانس برس|الأناضول"
_ARABIC_CREDIT = re.compile(rf"\((?P<a>{_ARABIC_AGENCIES})\)|ـ\s*(?P<b>واس)(?!\w)")
# SPA-style dateline line: "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس"
_ARABIC_DATELINE = re.compile(rf"^[^\n]{{0,150}}\s(?P<a>{_ARABIC_AGENCIES})\s*(?:[-–—:]\s*)?$", re.M)


def _trailing_credit_start(text: str) -> int | None:
    """Index where a trailing agency credit ("... - REUTERS", "--AFP") starts, if any."""
    offset = max(0, len(text) - 80)
    m = _TRAILING_CREDIT.search(text[offset:])
    if not m:
        return None
    agency = m.group("a")
    # an all-lowercase word at the end of prose ("... the ap") is not a credit
    if agency.isupper() or agency[:1].isupper() or m.group(0).lstrip()[:1] in "(-–—|":
        return offset + m.start()
    return None


def find_wire_credit(text: str) -> str | None:
    """The news agency a text credits ("- REUTERS", "(Reuters) -", "Damascus, SANA -").

    Trailing credits and datelines are looked for (English and Arabic forms); an agency
    merely mentioned inside a sentence ("Reuters reported") is not a credit.

    Parameters
    ----------
    text : str
        A document's or paragraph's text.

    Returns
    -------
    str or None
        The canonical agency name (the ``wire_credit`` column, e.g. ``Reuters``), or None
        when the text credits no agency.
    """
    stripped = text.strip()
    if not stripped:
        return None
    start = _trailing_credit_start(stripped)
    if start is not None:
        return _AGENCIES[_TRAILING_CREDIT.search(stripped[start:]).group("a").lower()]
    m = _DATELINE_CREDIT.match(stripped[:120])
    if m:
        return _AGENCIES[m.group("a").lower()]
    m = _ARABIC_CREDIT.search(stripped[:200])
    if m:
        return _AGENCIES[m.group("a") or m.group("b")]
    m = _ARABIC_DATELINE.search(stripped[:400])
    if m:
        return _AGENCIES[m.group("a")]
    return None


# Agency footers glued to the last paragraph (wire copy as republished). Every pattern
# here and above is linear in the line: no two adjacent quantifiers can trade the same
# characters ("\s*\)?\s*" is written "\s*(?:\)\s*)?"), and a leading "\s*" starts only
# where a whitespace run starts ("(?<!\s)"), not at each of its characters.
_FOOTERS = [
    re.compile(r"(?<!\s)\s*Our Standards:\s*The Thomson Reuters Trust Principles\.?\s*$", re.IGNORECASE),
    # "Reporting by A in X; Writing by B; Editing by C": from a sentence start to the end
    re.compile(r"(?:(?<=[.!?\"”'’])|^)\s*\(?(?:Additional )?(?:[Rr]eporting|Writing|Editing|Compiled|"
               r"Translated|Produced)(?: and (?:reporting|writing|editing))? by [^.!?\n]{2,400}$"),
    re.compile(r"(?<!\s)\s*Source:?\s*TRT ?World(?: and agencies)?\.?\s*$", re.IGNORECASE),
    # the same credit naming an agency ("Source AA", "Source Reuters"); "source" is prose
    re.compile(rf"(?<!\s)\s*(?-i:Source):?\s*(?:{_AGENCY_ALT})\.?\s*$", re.IGNORECASE),
]


def split_credits(line: str) -> tuple[str | None, str, str | None]:
    """Split a paragraph into its leading credit, its text and its trailing credits.

    Leading: a dateline credit ("BEIRUT (Reuters) -", "Damascus, SANA -"). Trailing: agency
    credits and wire footers ("- REUTERS", "Reporting by ...; Editing by ...", "Our
    Standards: The Thomson Reuters Trust Principles."). They are credits, not content: the
    builder keeps them as boilerplate segments and records ``wire_credit``.

    Parameters
    ----------
    line : str
        One paragraph of cleaned text.

    Returns
    -------
    lead : str or None
        The leading dateline credit, or None.
    text : str
        The paragraph without its credits.
    tail : str or None
        The trailing credits, or None.
    """
    return _split_credits(line, _LATIN_HINT.search(line) is not None)


def _split_credits(line: str, latin: bool) -> tuple[str | None, str, str | None]:
    """``(leading credit, text, trailing credits)`` of a paragraph.

    Leading: a dateline credit ("BEIRUT (Reuters) -", "Damascus, SANA -"). Trailing: agency
    credits and wire footers ("- REUTERS", "Reporting by ...; Editing by ...", "Our
    Standards: The Thomson Reuters Trust Principles."). They are credits, not content:
    the builder keeps them as boilerplate segments and records ``wire_credit``.
    """
    head = None
    m = _DATELINE_CREDIT.match(line)
    if m and m.end() < len(line) and len(line[m.end():].split()) >= 3:
        head, line = line[:m.end()].strip(), line[m.end():].lstrip()
    tails: list[str] = []
    changed = True
    footers = _FOOTERS if latin else ()  # each needs a _LATIN_HINT character
    while changed and line:
        changed = False
        for rx in footers:
            m = rx.search(line)
            if m and m.start() > 0:
                tails.insert(0, line[m.start():].strip())
                line, changed = line[:m.start()].rstrip(), True
        start = _trailing_credit_start(line)
        if start is not None and start > 0:
            tails.insert(0, line[start:].strip())
            line, changed = line[:start].rstrip(), True
    return head, line, (" ".join(tails) if tails else None)


# ---------------------------------------------------------------------------------------
# segmentation

_SENTENCE_END = re.compile(r"[.!?؟:;…\"”'’)\]]\s*$")


@dataclass
class Segment:
    """One segment of a document: a title, a paragraph of body text, a caption or boilerplate.

    The in-memory form of a row of segments.parquet (README.md, "The corpus store").

    Parameters
    ----------
    role : str
        ``title``, ``body``, ``caption`` or ``boilerplate`` (see the module docstring).
    lang : str
        ISO 639-1 code of the segment's language, ``und`` when undetermined.
    text : str
        The segment text as in the source, whitespace-normalised
        (:func:`~framescope.corpus.text.clean_whitespace`).
    note : str, optional
        In-memory only, not written: ``"credit"`` for agency credits and wire footers
        (boilerplate that sets ``wire_credit``); empty otherwise.
    """
    role: str
    lang: str
    text: str
    note: str = ""  # in-memory only: "credit" for agency credits and wire footers


def _key(text: str) -> str:
    """Comparison key for lines: case, punctuation and spacing folded."""
    return re.sub(r"[\W_]+", " ", normalize_text(text).lower()).strip()


def line_key(text: str) -> str:
    """Comparison key used for repeated-line boilerplate across an outlet.

    Parameters
    ----------
    text : str
        One line.

    Returns
    -------
    str
        :func:`~framescope.corpus.text.normalize_text` of the line, lower-cased, with each
        run of non-letters/digits (``[\\W_]+``) replaced by one space and stripped; two
        lines differing only in case, punctuation and spacing get the same key.
    """
    return _key(text)


def line_keys(text: str, cleaned: bool = False) -> list[str]:
    """``[line_key(line) for line in text.split("\\n")]``, computed on the whole text at once.

    Each step of :func:`line_key` works within a line (NFC, the whitespace rules, the
    character folds and ``str.lower`` never join or move characters across a line break),
    so they run once on the whole text; the ``[\\W_]+`` → space step runs in numpy.

    Parameters
    ----------
    text : str
        A document's text with its line breaks.
    cleaned : bool, default False
        True when ``text`` is an output of
        :func:`~framescope.corpus.text.clean_whitespace` (or lines of one): the same keys,
        found faster (``normalize_text(text, cleaned=True)``).

    Returns
    -------
    list of str
        The :func:`line_key` of each line, in order (one per ``"\\n"``-separated line).
    """
    if "\r" in text:  # clean_whitespace would turn it into a line break inside a line
        return [_key(line) for line in text.split("\n")]
    folded = collapse_non_words(normalize_text(text, cleaned).lower(), underscore_is_word=False,
                                keep_newlines=True)
    return [k.strip() for k in folded.split("\n")]


def _looks_like_display_line(line: str) -> bool:
    """Short, unpunctuated lines between paragraphs: sub-headings, captions, bylines."""
    n_words = len(line.split(None, 14))  # at most 15: enough to tell "14 or fewer"
    return 0 < n_words <= 14 and not _SENTENCE_END.search(line)


def _is_credit_only(text: str) -> bool:
    """Whether ``text`` is nothing but a wire footer or agency credit ("Source AA")."""
    if any((m := rx.search(text)) is not None and m.start() == 0 for rx in _FOOTERS):
        return True
    return _trailing_credit_start(text) == 0


def _content_role(line: str, key: str, english_of_captions: set[str], title_clean: str,
                  first_content: bool, several_lines: bool,
                  raw: list[tuple[str, str]]) -> tuple[str, str, bool]:
    """Append the segment(s) of a line of content to ``raw``: title, caption or body.

    Returns the role given and the updated ``(title_clean, first_content)`` state of
    :func:`segment_document`.
    """
    runs = split_scripts(line)
    if len(runs) > 1:
        # a line in two scripts is a bilingual display line (caption and translation)
        for script, text in runs:
            raw.append(("caption", text))
            if script == "Latin":
                english_of_captions.add(_key(text))
        return "caption", title_clean, first_content
    if key in english_of_captions:  # the caption repeated alone (alt text)
        raw.append(("caption", line))
        return "caption", title_clean, first_content
    if not title_clean and first_content and _looks_like_display_line(line):
        raw.append(("title", line))
        return "title", line, False
    role = "caption" if _looks_like_display_line(line) and several_lines else "body"
    raw.append((role, line))
    return role, title_clean, False


def segment_document(body: str, title: str | None = None, captions: list[str] | None = None,
                     lang_hint: str | None = None,
                     repeated_lines: frozenset[str] | set[str] = frozenset()) -> list[Segment]:
    """Segments of one document in source order.

    Each line is a segment, or is cut into several: page furniture inside it
    (:func:`split_furniture`) becomes boilerplate segments between the text segments, and
    wire credits (:func:`split_credits`) boilerplate segments before or after the text.

    Parameters
    ----------
    body : str
        The main text with its line breaks (:attr:`RawDocument.body
        <framescope.corpus.records.RawDocument>`).
    title : str or None, optional
        The headline. It is matched against the first lines of ``body``: the matching line
        becomes the title segment; otherwise the title is emitted first. None: no title.
    captions : list of str or None, optional
        Captions given by the source (figcaption); they follow the body as caption
        segments.
    lang_hint : str or None, optional
        The language the source declares, for Latin-script segments the document does not
        settle (see :func:`tag_languages`).
    repeated_lines : set of str, optional
        :func:`line_key` keys of lines the document's outlet repeats across many
        documents: they become boilerplate. Default: none.

    Returns
    -------
    list of Segment
        The document's segments in order, each with role, language and text.
    """
    raw: list[tuple[str, str]] = []  # (role, text) before language tagging
    cleaned = clean_whitespace(body)
    lines, keys = [], []
    for line, key in zip(cleaned.split("\n"), line_keys(cleaned, cleaned=True)):
        if line:
            lines.append(line)
            keys.append(key)
    title_clean = clean_whitespace(title).replace("\n", " ").strip() if title else ""
    title_key = _key(title_clean) if title_clean else ""
    title_at = None
    if title_key:
        for i, key in enumerate(keys[:4]):
            # the headline, possibly behind a short section label ("عام / ...", "World: ...")
            if key == title_key or (key.endswith(" " + title_key)
                                    and len(key[:-len(title_key)].split()) <= 3):
                title_at = i
                break
    if title_clean and title_at is None:
        raw.append(("title", title_clean))

    first_content = True
    english_of_captions: set[str] = set()
    for i, (whole, whole_key) in enumerate(zip(lines, keys)):
        if i == title_at:
            raw.append(("title", whole))
            first_content = False
            continue
        latin = _LATIN_HINT.search(whole) is not None
        if _is_boilerplate(whole, latin) or (whole_key and whole_key in repeated_lines):
            raw.append(("boilerplate", whole))
            continue
        pieces = split_furniture(whole) if latin else [(False, whole)]
        for furniture, line in pieces:
            if furniture:
                raw.append(("boilerplate:furniture", line))
                continue
            key = whole_key if len(pieces) == 1 else _key(line)
            if len(pieces) > 1 and (_is_boilerplate(line, latin) or _is_credit_only(line)):
                # what is left between two cuts: "Source TRTWorld and agencies"
                raw.append(("boilerplate:credit" if _is_credit_only(line) else "boilerplate", line))
                continue
            head, tags = split_tag_tail(line)
            if tags is not None and head and _looks_like_display_line(head):
                raw.append(("caption", head))
                raw.append(("boilerplate", tags))
                continue
            if len(line.split(None, 16)) <= 16 and _ARABIC_DATELINE.match(line):
                # "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس": a credit line, not content
                raw.append(("boilerplate:credit", line))
                continue
            lead, line, tail = _split_credits(line, latin)
            if lead:
                raw.append(("boilerplate:credit", lead))
            if line:
                role, title_clean, first_content = _content_role(
                    line, key, english_of_captions, title_clean, first_content, len(lines) > 1, raw)
            if tail:  # after the text it ends, whatever role the text took ("0-REUTERS")
                raw.append(("boilerplate:credit", tail))
    for cap in captions or []:
        cap = clean_whitespace(cap).replace("\n", " ").strip()
        if not cap:
            continue
        runs = split_scripts(cap)
        raw.extend(("caption", text) for _, text in runs)
    return tag_languages(raw, lang_hint)


def tag_languages(raw: list[tuple[str, str]], lang_hint: str | None = None) -> list[Segment]:
    """Language of each segment: script, then lingua; short ones inherit the document's.

    Arabic-script segments and segments with at least ``RELIABLE_LETTERS`` letters are
    judged by :func:`detect_language`. A shorter one takes the language most of the
    document's (non-boilerplate) letters of its script have, else ``lang_hint`` for Latin
    script, else its own detection; a segment without letters is ``und``.

    Parameters
    ----------
    raw : list of tuple of (str, str)
        ``(role, text)`` pairs in document order; the role may carry a note after a colon
        (``"boilerplate:credit"``).
    lang_hint : str or None, optional
        The language the source declares (ISO 639-1), used for short Latin-script
        segments the document does not settle; None: detect them.

    Returns
    -------
    list of Segment
        One segment per pair, in order.
    """
    scripts = [_dominant(script_counts(text)) for _, text in raw]
    langs: list[str | None] = [None] * len(raw)
    by_script: dict[str, dict[str, int]] = {}
    for i, ((role, text), script) in enumerate(zip(raw, scripts)):
        letters = sum(script_counts(text).values())
        if script is None:
            continue
        if script == "Arabic" or letters >= RELIABLE_LETTERS:
            langs[i] = detect_language(text, script)
            if not role.startswith("boilerplate"):
                tally = by_script.setdefault(script, {})
                tally[langs[i]] = tally.get(langs[i], 0) + letters
    doc_default = {s: max(t, key=t.get) for s, t in by_script.items()}
    out = []
    for (role_note, text), script, lang in zip(raw, scripts, langs):
        role, _, note = role_note.partition(":")
        if lang is None:
            if script is None:
                lang = "und"
            elif script in doc_default:
                lang = doc_default[script]
            elif script == "Latin" and lang_hint:
                lang = lang_hint
            else:
                lang = detect_language(text, script, fallback="und")
        out.append(Segment(role, lang, text, note))
    return out


def main_language(segments: list[Segment]) -> str:
    """Language with the most letters in title/body/caption segments.

    Parameters
    ----------
    segments : list of Segment
        A document's segments; boilerplate and ``und`` segments are not counted.

    Returns
    -------
    str
        The ISO 639-1 code of the document's ``lang`` column, ``und`` when no segment has
        a determined language.
    """
    tally: dict[str, int] = {}
    for s in segments:
        if s.role == "boilerplate":
            continue
        tally[s.lang] = tally.get(s.lang, 0) + sum(script_counts(s.text).values())
    tally.pop("und", None)
    return max(tally, key=tally.get) if tally else "und"
