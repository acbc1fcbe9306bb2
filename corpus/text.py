"""Text layer shared by all loaders: normalisation, Arabic normalisation, scripts.

Segmentation, language identification, boilerplate and wire credits live in
:mod:`framescope.corpus.segment`; this module holds the character-level functions that the
analysis package reuses (``normalize_arabic`` in particular).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- whitespace, dashes, quotes -------------------------------------------------------

_WS = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# C0/C1 control characters other than tab and newline (e.g. SUB \x1a in SaudiNewsNet)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# U+FFFD: a character lost before the text reached us (FA-KES has 123: curly quotes, ©,
# Turkish letters), often followed by a stray "_". It carries no text, so it goes; before a
# possessive "s" it was an apostrophe ("Syria\ufffd_s" → "Syria's").
_LOST_APOSTROPHE = re.compile(r"(?<=[^\W_])\ufffd+_?(?=s\b)")
_LOST_IN_WORD = re.compile(r"(?<=[^\W_])\ufffd+(?=[^\W_])")
_LOST = re.compile(r"\ufffd+_?")
_ZERO_WIDTH = re.compile(r"[\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u2212": "-", "\ufe58": "-",
                         "\ufe63": "-", "\uff0d": "-"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u2032": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"',
                         "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
                         "\u00bb": '"'})
# Arabic-Indic (U+0660..) and Extended Arabic-Indic (Persian/Urdu, U+06F0..) digits
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                         **{chr(0x06F0 + i): str(i) for i in range(10)}})


def _substituter(*tables: dict[int, str]):
    """One regex pass replacing characters by a table (much faster than str.translate
    on long non-Latin text, which pays a dict lookup for every character)."""
    table = {chr(k): v for t in tables for k, v in t.items()}
    pattern = re.compile("[" + re.escape("".join(sorted(table))) + "]")
    return lambda text: pattern.sub(lambda m: table[m.group()], text)


_fold_punct_digits = _substituter(_DASHES, _QUOTES, _DIGITS)


def clean_whitespace(text: str) -> str:
    """NFC; zero-width, direction marks, control characters and U+FFFD (characters lost
    upstream; an apostrophe before a possessive s) removed; spaces folded.

    This is the form kept in ``segments.text`` ("as in the source, whitespace-normalised").
    """
    text = unicodedata.normalize("NFC", text)
    if "\ufffd" in text:
        text = _LOST.sub(" ", _LOST_IN_WORD.sub("", _LOST_APOSTROPHE.sub("'", text)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", _ZERO_WIDTH.sub("", text))
    return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n"))


def normalize_text(text: str) -> str:
    """Analysable form: :func:`clean_whitespace` + dashes, quotes and digits unified.

    Dashes become '-', curly quotes straight ones, Arabic-Indic digits ASCII digits and
    the Arabic comma/semicolon/question mark stay as they are (tokenisers know them).
    """
    return _fold_punct_digits(clean_whitespace(text))


# --- Arabic -------------------------------------------------------------------------------

TATWEEL = "\u0640"
# harakat, tanween, shadda, sukun, superscript alef, Quranic marks
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_ALEF_FORMS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                             "\u0671": "\u0627", "\u0672": "\u0627", "\u0673": "\u0627"})
_ALEF_MAQSURA = str.maketrans({"\u0649": "\u064a"})  # ى → ي
_TAA_MARBUTA = str.maketrans({"\u0629": "\u0647"})   # ة → ه
# Persian/Urdu letter variants that appear in Arabic text typed on other keyboards
_PERSIAN_VARIANTS = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643", "\u06c0": "\u0647"})
_TATWEEL = {ord(TATWEEL): ""}


def normalize_arabic(text: str, *, tatweel: bool = True, diacritics: bool = True,
                     alef: bool = True, alef_maqsura: bool = True, taa_marbuta: bool = True,
                     digits: bool = True) -> str:
    """Normalise Arabic for matching and tokenising (the original stays in segments).

    Each flag switches one step (for robustness checks):
    ``tatweel`` strips kashida (ـ); ``diacritics`` strips harakat, tanween, shadda, sukun
    and Quranic marks; ``alef`` unifies أ إ آ ٱ → ا; ``alef_maqsura`` ى → ي;
    ``taa_marbuta`` ة → ه; ``digits`` turns Arabic-Indic digits into ASCII.
    Persian ی/ک are always mapped to Arabic ي/ك. Non-Arabic text passes unchanged.
    """
    text = unicodedata.normalize("NFC", text)
    if diacritics:
        text = _ARABIC_DIACRITICS.sub("", text)
    return _arabic_substituter(tatweel, alef, alef_maqsura, taa_marbuta, digits)(text)


_SUBSTITUTERS: dict = {}


def _arabic_substituter(*flags: bool):
    """The substituter of one combination of :func:`normalize_arabic` flags, made once.

    Keyed by the flags (at most 32 entries): keying by the tables' ids leaked one
    substituter per call when a table was built in the call (issue 7, found by tracemalloc).
    """
    if flags not in _SUBSTITUTERS:
        tatweel, alef, alef_maqsura, taa_marbuta, digits = flags
        chosen = [(True, _PERSIAN_VARIANTS), (tatweel, _TATWEEL), (alef, _ALEF_FORMS),
                  (alef_maqsura, _ALEF_MAQSURA), (taa_marbuta, _TAA_MARBUTA), (digits, _DIGITS)]
        _SUBSTITUTERS[flags] = _substituter(*(table for on, table in chosen if on))
    return _SUBSTITUTERS[flags]


# --- scripts -------------------------------------------------------------------------------

def char_script(ch: str) -> str | None:
    """'Arabic', 'Latin', 'Cyrillic', 'Hebrew', 'CJK', 'Other' for letters; None otherwise."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF \
            or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "Arabic"
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return "Latin"
    if 0x0400 <= cp <= 0x052F:
        return "Cyrillic"
    if 0x0590 <= cp <= 0x05FF:
        return "Hebrew"
    if 0x4E00 <= cp <= 0x9FFF or 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF:
        return "CJK"
    return "Other"


_SCRIPT_RES = {
    "Arabic": re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"),
    "Latin": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "Cyrillic": re.compile(r"[\u0400-\u0481\u048a-\u052f]"),
    "Hebrew": re.compile(r"[\u05d0-\u05ea]"),
    "CJK": re.compile(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]"),
}


@lru_cache(maxsize=16384)
def script_counts(text: str) -> dict[str, int]:
    """Number of letters per script in ``text`` (regex counts; cached, do not mutate)."""
    counts = {}
    for name, rx in _SCRIPT_RES.items():
        n = len(rx.findall(text))
        if n:
            counts[name] = n
    return counts


def dominant_script(text: str) -> str | None:
    counts = script_counts(text)
    return max(counts, key=counts.get) if counts else None
DASHES = _DASHES  # public name for other modules
QUOTES = _QUOTES  # public name for other modules
