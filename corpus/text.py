"""Text layer shared by all loaders: normalisation, Arabic normalisation, scripts.

Segmentation, language identification, boilerplate and wire credits live in
:mod:`framescope.corpus.segment`; this module holds the character-level functions that the
analysis package reuses (``normalize_arabic`` in particular).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

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


#: texts at least this long are translated with numpy (per-call overhead ≈ 10 µs); shorter
#: ones with one regex pass
_LONG_TEXT = 256
_DELETE = np.uint32(0xFFFFFFFF)


def _substituter(*tables: dict[int, str]):
    """A function replacing characters by a table (each by one character or by nothing).

    Short texts: one regex pass (much faster than str.translate on long non-Latin text,
    which pays a dict lookup for every character). Long texts: a lookup table over the
    code points in numpy (the regex pass pays a Python call for every replaced character,
    and Arabic text has many). Both give the same string.
    """
    table = {chr(k): v for t in tables for k, v in t.items()}
    pattern = re.compile("[" + re.escape("".join(sorted(table))) + "]")
    lut = np.arange(0x10000, dtype=np.uint32)
    for ch, repl in table.items():
        lut[ord(ch)] = ord(repl) if repl else _DELETE
    deletes = any(not r for r in table.values())

    def replace(text: str) -> str:
        if len(text) < _LONG_TEXT:
            return pattern.sub(lambda m: table[m.group()], text)
        if not pattern.search(text):  # nothing to replace (a fast scan)
            return text
        cps = code_points(text)
        out = np.take(lut, np.minimum(cps, 0xFFFF))  # take: faster than fancy indexing
        astral = cps > 0xFFFF  # outside the table: kept as they are
        if astral.any():
            out[astral] = cps[astral]
        if deletes:
            out = out[out != _DELETE]
        if out.shape == cps.shape and np.array_equal(out, cps):
            return text
        return out.tobytes().decode("utf-32-le", "surrogatepass")

    return replace


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a uint32 array (lone surrogates included).

    Parameters
    ----------
    text : str
        Any string; lone surrogates are kept (encoded with ``surrogatepass``).

    Returns
    -------
    numpy.ndarray
        One little-endian uint32 per character of ``text``, in order (a read-only view on
        the UTF-32 encoding).
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@lru_cache(maxsize=1)
def _alnum_table() -> np.ndarray:
    """``str.isalnum`` of every code point (``re``'s ``\\w`` is isalnum or "_")."""
    return np.fromiter(map(str.isalnum, map(chr, range(0x110000))), dtype=bool, count=0x110000)


@lru_cache(maxsize=4)
def _separator_table(underscore_is_word: bool, keep_newlines: bool) -> np.ndarray:
    """For every code point (astral ones and lone surrogates included): is it a
    separator for :func:`collapse_non_words` (not ``str.isalnum``, not "_" when
    ``underscore_is_word``, not "\\n" when ``keep_newlines``)."""
    word = _alnum_table().copy()
    if underscore_is_word:
        word[0x5F] = True
    if keep_newlines:
        word[0x0A] = True
    return ~word


def collapse_non_words(text: str, underscore_is_word: bool = True, keep_newlines: bool = False) -> str:
    """``text`` with every run of non-word characters replaced by one space, in numpy.

    Word characters are those of ``re``'s ``\\w`` (``str.isalnum`` or "_"; "_" is not one
    when ``underscore_is_word`` is false, as in ``[\\W_]``). With ``keep_newlines`` a line
    break stays and ends a run. So ``collapse_non_words(t).strip(" ")`` is
    ``" ".join(re.findall(r"\\w+", t))``, and line by line, ``collapse_non_words(t, False,
    True)`` is ``re.sub(r"[\\W_]+", " ", line)``.

    Parameters
    ----------
    text : str
        The text to collapse.
    underscore_is_word : bool, default True
        Count "_" as a word character (``\\w``); false treats it as a separator (``[\\W_]``).
    keep_newlines : bool, default False
        Keep each "\\n" as it is (a run of separators stops at it) instead of folding it
        into a space.

    Returns
    -------
    str
        ``text`` with word characters unchanged and each maximal run of other characters
        replaced by a single space (leading and trailing spaces are not stripped).
    """
    cps = code_points(text)
    sep = np.take(_separator_table(underscore_is_word, keep_newlines), cps)
    # every separator becomes a space; of a run of them only the first is kept
    out = np.where(sep, np.uint32(0x20), cps)
    repeat = sep[1:] & sep[:-1]
    if repeat.any():
        keep = np.ones(len(cps), dtype=bool)
        keep[1:] = ~repeat
        out = out[keep]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


_fold_punct_digits = _substituter(_DASHES, _QUOTES, _DIGITS)


# Everything clean_whitespace changes besides NFC and runs of spaces: U+FFFD, \r, control
# and zero-width characters, whitespace other than " " and "\n" (incl. U+2028/2029).
_DIRTY = re.compile("[\ufffd\r\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029"
                    + _CONTROL.pattern[1:-1] + _ZERO_WIDTH.pattern[1:-1] + "]")
_REMOVED = re.compile("[" + _CONTROL.pattern[1:-1] + _ZERO_WIDTH.pattern[1:-1] + "]")
_OTHER_SPACES = re.compile(_WS.pattern.replace(" ", "", 1)[:-1])  # _WS's characters but " "
_SPACES = re.compile(" {2,}")
#: whitespace str.split() knows besides _WS, "\n" and the control characters
#: clean_whitespace replaces first (tests/test_text.py checks this against Python)
_SPLIT_ONLY_WS = ("\u2028", "\u2029")


def is_clean(text: str) -> bool:
    """Whether :func:`clean_whitespace` would return ``text`` unchanged.

    A cheap test: NFC, none of the characters it removes or replaces, single spaces inside
    lines and no space at the start or end of a line.

    Parameters
    ----------
    text : str
        The text to test.

    Returns
    -------
    bool
        True when ``clean_whitespace(text) == text``.
    """
    return (not _DIRTY.search(text) and "  " not in text and " \n" not in text
            and "\n " not in text and text[:1] != " " and text[-1:] != " "
            and unicodedata.is_normalized("NFC", text))


def clean_whitespace(text: str) -> str:
    """Whitespace-normalise ``text``: NFC, invisible and lost characters removed, spaces folded.

    NFC (Unicode canonical composition, UAX #15); zero-width characters, direction marks,
    control characters and U+FFFD (characters lost upstream; an apostrophe before a
    possessive s) removed; "\\r\\n" and "\\r" become "\\n"; every other kind of space becomes
    " ", runs of spaces become one and spaces at the start and end of each line go.

    This is the form kept in ``segments.text`` ("as in the source, whitespace-normalised").

    Parameters
    ----------
    text : str
        Raw text of a title, line or document.

    Returns
    -------
    str
        The cleaned text (``text`` itself when :func:`is_clean` says nothing changes).

    References
    ----------
    .. [1] M. Davis and K. Whistler, "Unicode Normalization Forms", Unicode Standard Annex
       #15, https://www.unicode.org/reports/tr15/.
    """
    if is_clean(text):  # most lines and documents after a first pass
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\ufffd" in text:
        text = _LOST.sub(" ", _LOST_IN_WORD.sub("", _LOST_APOSTROPHE.sub("'", text)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _REMOVED.search(text):
        text = _CONTROL.sub(" ", _ZERO_WIDTH.sub("", text))
    if any(c in text for c in _SPLIT_ONLY_WS):
        return "\n".join(_WS.sub(" ", line).strip() for line in text.split("\n"))
    if _OTHER_SPACES.search(text):
        # without U+2028/2029 the whitespace left is _WS's: split() folds and strips it alike
        return "\n".join(" ".join(line.split()) for line in text.split("\n"))
    # only " " and "\n" left: fold runs of spaces, then drop the one left at a line's ends
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.replace(" \n", "\n").replace("\n ", "\n").strip(" ")


def normalize_text(text: str, cleaned: bool = False) -> str:
    """Analysable form: :func:`clean_whitespace` + dashes, quotes and digits unified.

    Dashes become '-', curly quotes straight ones, Arabic-Indic digits ASCII digits and
    the Arabic comma/semicolon/question mark stay as they are (tokenisers know them).

    Parameters
    ----------
    text : str
        Raw text.
    cleaned : bool, default False
        True when ``text`` is an output of :func:`clean_whitespace`: the result is the
        same, found faster (such a text can only differ from its own cleaning by not being
        NFC, where a removed zero-width character stood between a letter and its mark).

    Returns
    -------
    str
        ``clean_whitespace(text)`` with the dash, quote and digit variants folded; every
        other character unchanged.
    """
    if not (cleaned and unicodedata.is_normalized("NFC", text)):
        text = clean_whitespace(text)
    return _fold_punct_digits(text)


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

    Each flag switches one step (for robustness checks); all are on by default, which is
    the usual orthographic normalisation of Arabic NLP (Habash 2010).
    Persian ی/ک/ۀ are always mapped to Arabic ي/ك/ه. Non-Arabic text passes unchanged
    (apart from NFC).

    Parameters
    ----------
    text : str
        The text to normalise (any script).
    tatweel : bool, default True
        Strip kashida (U+0640 ـ), the elongation character.
    diacritics : bool, default True
        Strip harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
    alef : bool, default True
        Unify the hamzated and madda alef forms أ إ آ ٱ → bare alef ا.
    alef_maqsura : bool, default True
        Map alef maqsura ى → yaa ي.
    taa_marbuta : bool, default True
        Map taa marbuta ة → haa ه.
    digits : bool, default True
        Turn Arabic-Indic and Extended Arabic-Indic digits into ASCII 0-9.

    Returns
    -------
    str
        The NFC form of ``text`` with the chosen mappings applied.

    References
    ----------
    .. [1] N. Habash, *Introduction to Arabic Natural Language Processing*. Morgan &
       Claypool, 2010.
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
    """The script of one character when it is a letter.

    Parameters
    ----------
    ch : str
        A single character.

    Returns
    -------
    str or None
        'Arabic', 'Latin', 'Cyrillic', 'Hebrew', 'CJK' or 'Other' for letters
        (``ch.isalpha()``); None for anything else (digits, punctuation, spaces, marks).
    """
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


#: letters counted per script by :func:`script_counts` (inclusive code point ranges)
_SCRIPT_RANGES = {
    "Arabic": ((0x0621, 0x064A), (0x066E, 0x06D3), (0x06D5, 0x06D5), (0x06EE, 0x06FF), (0x0750, 0x077F),
               (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC)),
    "Latin": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF)),
    "Cyrillic": ((0x0400, 0x0481), (0x048A, 0x052F)),
    "Hebrew": ((0x05D0, 0x05EA),),
    "CJK": ((0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xAC00, 0xD7AF)),
}
_SCRIPT_NAMES = tuple(_SCRIPT_RANGES)
_SCRIPT_RES = {name: re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges) + "]")
               for name, ranges in _SCRIPT_RANGES.items()}
# script number (1 + index in _SCRIPT_NAMES; 0 = no script) of every code point
_SCRIPT_OF = np.zeros(0x110000, dtype=np.uint8)
for _k, _ranges in enumerate(_SCRIPT_RANGES.values(), 1):
    for _lo, _hi in _ranges:
        _SCRIPT_OF[_lo:_hi + 1] = _k
#: below this length regexes count faster than numpy
_SHORT_SCRIPT_TEXT = 24


@lru_cache(maxsize=16384)
def script_counts(text: str) -> dict[str, int]:
    """Number of letters per script in ``text`` (cached, do not mutate).

    Parameters
    ----------
    text : str
        The text to count.

    Returns
    -------
    dict of str to int
        Script name ('Arabic', 'Latin', 'Cyrillic', 'Hebrew', 'CJK') → number of its
        letters; scripts with no letter are absent. The dict is shared by the cache.
    """
    if len(text) < _SHORT_SCRIPT_TEXT:
        counts = {}
        for name, rx in _SCRIPT_RES.items():
            n = len(rx.findall(text))
            if n:
                counts[name] = n
        return counts
    per_script = np.bincount(np.take(_SCRIPT_OF, code_points(text)), minlength=len(_SCRIPT_NAMES) + 1).tolist()
    return {name: n for name, n in zip(_SCRIPT_NAMES, per_script[1:]) if n}


def dominant_script(text: str) -> str | None:
    """The script with the most letters in ``text``.

    Parameters
    ----------
    text : str
        The text to inspect.

    Returns
    -------
    str or None
        The script name of :func:`script_counts` with the highest count (the first in
        the order Arabic, Latin, Cyrillic, Hebrew, CJK on ties); None when ``text`` has no
        letter of these scripts.
    """
    counts = script_counts(text)
    return max(counts, key=counts.get) if counts else None
DASHES = _DASHES  # public name for other modules
QUOTES = _QUOTES  # public name for other modules
