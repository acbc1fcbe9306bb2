"""Numbers in English and Arabic news text: digits, number words, ranges and vague amounts.

:func:`find_amounts` scans a token list (see :mod:`framescope.analysis.framing.spans`) and returns
one :class:`Amount` per numeric expression:

* digits, with or without thousands separators: ``1,139`` ``1140`` ``١١٣٩`` ``1.5 million``;
* English number words: ``six``, ``twenty-five``, ``two hundred and fifty``, ``a dozen``,
  ``half a dozen``, ``a hundred``, ``three thousand``;
* Arabic number words (on :func:`framescope.corpus.text.normalize_arabic` forms): ``ستة``,
  ``خمسة وعشرون``, ``ثلاثمائة``, ``ثلاثة آلاف``, ``أحد عشر``;
* ranges ``20 to 30``, ``20-30``, ``between 20 and 30``, ``بين 20 و30``, ``من 20 إلى 30``
  → ``low``/``high`` with ``value`` None;
* vague amounts ``dozens``, ``scores``, ``tens``, ``hundreds``, ``thousands``, ``عشرات``,
  ``مئات``, ``آلاف`` → ``vague=True`` and no value.

Qualifiers ("at least", "ما لا يقل عن", ...) are not read here: they live in the shipped
claims lexicon and are attached by :mod:`framescope.analysis.framing.claims`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from framescope.corpus.text import normalize_arabic

# --- English ------------------------------------------------------------------------------

EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
           "seventy": 70, "eighty": 80, "ninety": 90}
EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
EN_VAGUE = {"dozens", "scores", "tens", "hundreds", "thousands", "millions"}

# --- Arabic (normalised: ة→ه, أإآ→ا, ى→ي) -----------------------------------------------

def _ar(words: dict[str, int]) -> dict[str, int]:
    return {normalize_arabic(w): v for w, v in words.items()}


AR_UNITS = _ar({
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2,
    "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
    "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10, "أحد": 1, "إحدى": 1,
})
AR_TEEN = _ar({"عشر": 10, "عشرة": 10})
AR_TENS = _ar({
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
})
AR_HUNDREDS = _ar({
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "مئتا": 200, "مئتي": 200, "مائتا": 200, "مائتي": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "أربعمئة": 400, "أربعمائة": 400, "خمسمئة": 500,
    "خمسمائة": 500, "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700,
    "ثمانمئة": 800, "ثمانمائة": 800, "ثمانيمائة": 800, "تسعمئة": 900, "تسعمائة": 900,
})
AR_THOUSANDS = _ar({"ألف": 1_000, "ألفا": 1_000, "ألفان": 2_000, "ألفين": 2_000, "ألفي": 2_000,
                    "آلاف": 1_000, "مليون": 1_000_000, "مليونا": 1_000_000,
                    "مليونان": 2_000_000, "مليونين": 2_000_000, "ملايين": 1_000_000})
# Plural scale words that take a counted unit before them (ثلاثة آلاف = 3 × 1000)
AR_PLURAL_SCALES = _ar({"آلاف": 1_000, "ملايين": 1_000_000})
AR_VAGUE = {normalize_arabic(w) for w in ("عشرات", "مئات", "مئات", "آلاف", "ملايين")}
AR_CONJ = "و"

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u066c]\d{3})+(?:[.\u066b]\d+)?$|^\d+(?:[.\u066b]\d+)?$")


@dataclass
class Amount:
    """A numeric expression spanning tokens ``[start, end)``.

    Parameters
    ----------
    start, end : int
        Token span of the expression (half-open, indices into the sentence's tokens).
    value : int or None
        The integer of a single number; None for a range or a vague amount.
    low, high : int or None
        The range bounds (equal to ``value`` for a single number; both None for a vague
        amount).
    vague : bool
        True for "dozens"-like amounts, which have no value and no bounds (default False).
    is_range : bool
        True for a range ("20 to 30", "20-30") (default False).
    text : str
        The expression as written (default "").
    """

    start: int
    end: int
    value: int | None
    low: int | None
    high: int | None
    vague: bool = False
    is_range: bool = False
    text: str = ""


def parse_digits(token: str) -> float | None:
    """A number written in digits.

    Parameters
    ----------
    token : str
        '1,139', '1.5', '١١٣٩' (Arabic-Indic digits and separators read).

    Returns
    -------
    float or None
        1139.0, 1.5, 1139.0; None if not a number.

    Examples
    --------
    >>> parse_digits("1,139")
    1139.0
    """
    token = normalize_arabic(token)
    if not _DIGITS.match(token):
        return None
    return float(token.replace(",", "").replace("\u066c", "").replace("\u066b", "."))


def _is_int(x: float) -> bool:
    return abs(x - round(x)) < 1e-9


# ---- English word numbers ------------------------------------------------------------

def _en_word_number(words: list[str], i: int) -> tuple[int, int] | None:
    """Longest English number-word sequence at ``words[i]``: (value, tokens consumed).

    Accepts 'twenty-five', 'twenty five', 'two hundred and fifty', 'a hundred',
    'three thousand five hundred', 'a dozen', 'two dozen', 'half a dozen', 'one million'.
    """
    n = len(words)
    if words[i:i + 3] == ["half", "a", "dozen"]:
        return 6, 3
    seq = words
    if words[i] == "a" and i + 1 < n and words[i + 1] in ("dozen", "hundred", "thousand", "million"):
        seq = [*words[:i], "one", *words[i + 1:]]  # same length: "a hundred" = "one hundred"
    total = current = 0
    j = i
    consumed = after_hundred = False
    while j < n:
        w = seq[j]
        small = _en_small(seq, j)
        if small and (not consumed or current == 0 or (after_hundred and small[0] < 100)):
            current += small[0]
            j += small[1]
            consumed, after_hundred = True, False
            continue
        if w in EN_SCALES and consumed and current:
            if EN_SCALES[w] == 100:
                current *= 100
                after_hundred = True
            else:
                total += current * EN_SCALES[w]
                current = 0
            j += 1
            if j + 1 < n and seq[j] == "and" and _en_small(seq, j + 1):
                j += 1  # "two hundred and fifty"
            continue
        if w == "dozen" and consumed and 0 < current < 100:
            current *= 12
            j += 1
            continue
        break
    if not consumed:
        return None
    return total + current, j - i


def _en_small(words: list[str], j: int) -> tuple[int, int] | None:
    """1..99 written as one or two words ('twenty-five', 'twenty five', 'six')."""
    if j >= len(words):
        return None
    w = words[j]
    if "-" in w:
        parts = w.split("-")
        if len(parts) == 2 and parts[0] in EN_TENS and parts[1] in EN_UNITS \
                and 0 < EN_UNITS[parts[1]] < 10:
            return EN_TENS[parts[0]] + EN_UNITS[parts[1]], 1
        return None
    if w in EN_UNITS:
        return EN_UNITS[w], 1
    if w in EN_TENS:
        if j + 1 < len(words) and words[j + 1] in EN_UNITS and 0 < EN_UNITS[words[j + 1]] < 10:
            return EN_TENS[w] + EN_UNITS[words[j + 1]], 2
        return EN_TENS[w], 1
    return None


# ---- Arabic word numbers -------------------------------------------------------------

def _strip_wa(w: str) -> str | None:
    return w[1:] if w.startswith(AR_CONJ) and len(w) > 2 else None


def _ar_word_number(words: list[str], i: int) -> tuple[int, int] | None:
    """Longest Arabic number-word sequence at ``words[i]`` (normalised forms)."""
    n = len(words)
    total = 0
    current = 0
    j = i
    consumed = False
    while j < n:
        w = words[j]
        bare = w if not consumed else (_strip_wa(w) or w)
        joined = consumed and bare != w  # "و" + next part of a compound number
        if not consumed and w in AR_UNITS and AR_UNITS[w] <= 10:
            current = AR_UNITS[w]
            j += 1
            consumed = True
            # teens: أحد عشر, ثلاثة عشر
            if current < 10 and j < n and words[j] in AR_TEEN:
                current += 10
                j += 1
            continue
        if not consumed and w in AR_TENS:
            current = AR_TENS[w]
            j += 1
            consumed = True
            continue
        if not consumed and w in AR_HUNDREDS:
            current = AR_HUNDREDS[w]
            j += 1
            consumed = True
            continue
        if not consumed and w in AR_THOUSANDS and w not in AR_PLURAL_SCALES:
            total = AR_THOUSANDS[w]
            j += 1
            consumed = True
            continue
        if consumed and not joined and w in AR_PLURAL_SCALES and 3 <= current <= 10:
            total += current * AR_PLURAL_SCALES[w]
            current = 0
            j += 1
            continue
        if consumed and not joined and w in ("مئه", "مائه") and 3 <= current <= 9:
            current *= 100  # "ثلاث مئة"
            j += 1
            continue
        if consumed and not joined and w in AR_THOUSANDS and w not in AR_PLURAL_SCALES \
                and current >= 11:
            total += current * AR_THOUSANDS[w]  # "عشرون ألفا"
            current = 0
            j += 1
            continue
        if joined and bare in AR_TENS and 0 < current < 10:
            current += AR_TENS[bare]  # خمسة وعشرون
            j += 1
            continue
        if joined and (bare in AR_UNITS or bare in AR_TENS) and (current % 100 == 0 or total) \
                and current < 1000:
            small = AR_UNITS.get(bare) or AR_TENS.get(bare)
            k = j + 1
            if bare in AR_UNITS and k < n and (_strip_wa(words[k]) or "") in AR_TENS:
                small += AR_TENS[_strip_wa(words[k])]  # مئة وخمسة وعشرون
                k += 1
            current += small
            j = k
            continue
        if joined and bare in AR_HUNDREDS and total and current == 0:
            current = AR_HUNDREDS[bare]  # ألف ومئتان
            j += 1
            continue
        break
    if not consumed:
        return None
    return total + current, j - i


# ---- scanning ---------------------------------------------------------------------------

_RANGE_JOIN_EN = {"to", "-"}
_RANGE_JOIN_AR = {normalize_arabic("إلى"), "الي", "-"}


def _single(words: list[str], raw: list[str], i: int, lang: str) -> tuple[float, int] | None:
    """A single number at token ``i``: (value, tokens consumed); None past the end."""
    if i >= len(words):
        return None  # "between 40 and" at the end of a sentence
    digits = parse_digits(raw[i])
    if digits is not None:
        j = i + 1
        # "1.5 million", "3 thousand", "40 ألف"
        if j < len(words):
            scale = EN_SCALES.get(words[j]) if lang != "ar" else None
            if lang == "ar":
                scale = AR_THOUSANDS.get(words[j])
            if scale and scale >= 1000 or (scale == 100 and _is_int(digits)):
                return digits * scale, 2
        return digits, 1
    if lang == "ar":
        res = _ar_word_number(words, i)
    else:
        res = _en_word_number(words, i)
    if res is None:
        return None
    return float(res[0]), res[1]


# Words that join the bounds of a range after the first number (matching forms).
_RANGE_LINKS_EN = {"and", "or", "but"}
_RANGE_HEDGES_EN = {"possibly", "perhaps", "maybe", "even", "potentially", "probably", "likely",
                    "reportedly", "allegedly"}
_RANGE_UPPER_EN = (("as", "many", "as"), ("as", "high", "as"), ("up", "to"))
_RANGE_LINKS_AR = {"او", "وما", "وربما", "و", "بل"}
_RANGE_UPPER_AR = (("ما", "يصل", "الي"), ("يصل", "الي"), ("ربما",), ("حتي",))


def _range_link(words: list[str], end: int, lang: str) -> int | None:
    """Index of a range's second number after the first one ends at ``end``, or None.

    ``20 to 30``/``20-30``; ``A and|but [,] [hedge] as many as|up to B``; ``A or [hedge|as many
    as] B``; Arabic ``A إلى B``, ``A وما يصل إلى B``, ``A أو ربما B``, ``A أو B``. Bounded
    look-ahead (at most seven tokens), so scanning stays linear.
    """
    n = len(words)
    if end + 1 < n and words[end] in (_RANGE_JOIN_AR if lang == "ar" else _RANGE_JOIN_EN):
        return end + 1
    j = end
    if lang == "ar":
        if j >= n or words[j] not in _RANGE_LINKS_AR:
            return None
        link = words[j]
        j += 1
        for upper in _RANGE_UPPER_AR:
            if tuple(words[j:j + len(upper)]) == upper:
                return j + len(upper)
        return j if link == "او" else None
    if j < n and words[j] == ",":
        j += 1
    if j >= n or words[j] not in _RANGE_LINKS_EN:
        return None
    link = words[j]
    j += 1
    if j < n and words[j] == ",":
        j += 1
    hedged = j < n and words[j] in _RANGE_HEDGES_EN
    if hedged:
        j += 1
    for upper in _RANGE_UPPER_EN:
        if tuple(words[j:j + len(upper)]) == upper:
            return j + len(upper)
    # "230 or even 520", "two or three" (and never "seven and 14": two separate figures)
    return j if link == "or" and (hedged or j == end + 1) else None


def find_amounts(words: list[str], raw: list[str] | None = None, lang: str = "en") -> list[Amount]:
    """Numeric expressions in a token sequence.

    ``words`` are matching forms (lower-case English, normalised Arabic), ``raw`` the
    tokens as written (defaults to ``words``); ``lang`` 'ar' reads Arabic number words,
    anything else English ones (digits are read in every language).
    Non-integer values after scaling ('1.5' alone) are skipped: people come in integers.

    Parameters
    ----------
    words : list of str
        Matching forms (lower-case English, normalised Arabic).
    raw : list of str, optional
        The tokens as written (default ``words``).
    lang : str
        'ar' reads Arabic number words, anything else English ones.

    Returns
    -------
    list of Amount
        In text order: start, end (token span), value, low, high, vague, is_range, text.

    References
    ----------
    Habash, N. (2010). *Introduction to Arabic Natural Language Processing*. Morgan &
    Claypool (Arabic number words and clitics).
    """
    raw = raw if raw is not None else words
    amounts: list[Amount] = []
    n = len(words)
    i = 0
    vague_words = AR_VAGUE if lang == "ar" else EN_VAGUE
    while i < n:
        w = words[i]
        # vague amounts: "dozens", "tens of thousands", "عشرات", "العشرات", "عشرات الآلاف"
        bare = w[1:] if lang == "ar" and w.startswith("و") and len(w) > 3 else w  # "وعشرات الجرحى"
        if w in vague_words or (lang == "ar" and (bare in vague_words or (
                bare.startswith("ال") and bare[2:] in vague_words))):
            j = i + 1
            if lang != "ar" and j + 1 < n and words[j] == "of" and words[j + 1] in vague_words:
                j += 2  # "tens of thousands"
            elif lang == "ar" and j < n and words[j] in ("الاف", "الالاف", "الملايين"):
                j += 1
            amounts.append(Amount(i, j, None, None, None, vague=True, text=" ".join(raw[i:j])))
            i = j
            continue
        # ranges introduced by "between" / "بين" / "من"
        if w in ("between", "بين") or (lang == "ar" and w == "من"):
            first = _single(words, raw, i + 1, lang) if i + 1 < n else None
            if first:
                k = i + 1 + first[1]
                joiner_ok = k < n and (
                    (w == "between" and words[k] == "and") or
                    (w == "بين" and words[k] == "و") or
                    (w == "من" and words[k] in _RANGE_JOIN_AR))
                second = None
                if joiner_ok:
                    second = _single(words, raw, k + 1, lang)
                elif w == "بين" and k < n and words[k].startswith("و") and len(words[k]) > 1:
                    # "بين 20 و30" tokenises as 20 | و30 or 20 | و | 30
                    second = _single([words[k][1:]], [raw[k][1:]], 0, lang)
                    if second:
                        second = (second[0], 0)
                if second and _is_int(first[0]) and _is_int(second[0]) and first[0] < second[0]:
                    end = k + 1 + second[1]
                    lo, hi = int(first[0]), int(second[0])
                    amounts.append(Amount(i, end, None, lo, hi, is_range=True,
                                          text=" ".join(raw[i:end])))
                    i = end
                    continue
                if joiner_ok and k + 1 >= n:
                    break  # "between 40 and" cut off: the lower bound alone is no figure
        single = _single(words, raw, i, lang)
        if single is None:
            i += 1
            continue
        value, step = single
        end = i + step
        # plain ranges: "20 to 30", "20-30", "20 - 30"; hedged upper bounds: "seven and as
        # many as 14", "230 or even 520", "12, and possibly as many as 19", "two or three"
        link = _range_link(words, end, lang)
        if link is not None:
            second = _single(words, raw, link, lang)
            if second and _is_int(value) and _is_int(second[0]) and value < second[0]:
                hi_end = link + second[1]
                amounts.append(Amount(i, hi_end, None, int(value), int(second[0]), is_range=True,
                                      text=" ".join(raw[i:hi_end])))
                i = hi_end
                continue
        if _is_int(value):
            v = int(round(value))
            amounts.append(Amount(i, end, v, v, v, text=" ".join(raw[i:end])))
        i = end
    return amounts


def parse_number(text: str, lang: str = "en") -> int | None:
    """The integer written in ``text`` ('1,139', 'six', 'a dozen', 'خمسة وعشرون'), else None.

    Convenience for users and tests; splits on whitespace only.

    Parameters
    ----------
    text : str
        The words of one number.
    lang : str
        'ar' for Arabic number words, anything else English (default "en").

    Returns
    -------
    int or None
        The integer, or None when ``text`` is not one number (a range or vague amount
        included).

    Examples
    --------
    >>> parse_number("twenty-five"), parse_number("a dozen")
    (25, 12)

    References
    ----------
    Habash, N. (2010). *Introduction to Arabic Natural Language Processing*. Morgan &
    Claypool (Arabic number words and clitics).
    """
    raw = text.replace("-", " - ").split() if any(c.isdigit() for c in text) else text.split()
    words = [normalize_arabic(t.lower()) for t in raw]
    amounts = find_amounts(words, raw, lang)
    if len(amounts) == 1 and amounts[0].start == 0 and amounts[0].end == len(words):
        return amounts[0].value
    return None
