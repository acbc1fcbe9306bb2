"""Outlet names for figures: registry codes ('was', 'alriyadh') → short names people know.

The registry (``corpus/data/outlets.csv``) gives each outlet a full ``name``; figures need
a short one. The rule: an all-capital abbreviation in brackets is the short name
("Saudi Press Agency (SPA)" → "SPA"), other bracketed parts are dropped ("Al-Ahram (Ahram
Online)" → "Al-Ahram"), and the few names still longer than 24 characters have a short
form in :data:`SHORT_NAMES`.

Arabic in figures is glossed from a reviewed file (:func:`gloss`, ``data/glossary_ar.csv``)
and Arabic concordance lines carry a reviewed English translation (:func:`translation`,
``data/kwic_translations_ar.csv``); nothing is translated by machine. What a figure drew
without either is recorded (:func:`unglossed`, :func:`untranslated`) so that a test can
name the rows still missing.
"""
from __future__ import annotations

import functools
import re

__all__ = ["SHORT_NAMES", "short_name", "outlet_names", "outlet_label", "glossary", "gloss", "glossed", "unglossed",
           "forget_unglossed", "gloss_key", "NO_TRANSLATION", "kwic_key", "kwic_translations", "translation",
           "translated", "untranslated", "forget_untranslated"]

#: Short forms of registry names that are too long for a figure label.
SHORT_NAMES = {
    "etilaf": "Etilaf (opposition)",
    "alaraby": "Al-Araby Al-Jadeed",
    "cjtf-oir": "CJTF-OIR (coalition)",
    "vdc": "VDC Syria",
    "unattributed": "unattributed web",
    "sohr": "SOHR",
    "snhr": "SNHR",
    "icrc": "ICRC",
    "ohchr": "OHCHR",
    "xinhua": "Xinhua",
}


def short_name(code: str, name: str) -> str:
    """The short figure name of one registry row (the rule of the module docstring).

    Parameters
    ----------
    code : str
        The outlet's registry code (``"was"``); its :data:`SHORT_NAMES` entry wins.
    name : str
        The registry's full ``name`` (``"Saudi Press Agency (SPA)"``); empty: the code.

    Returns
    -------
    str
        The all-capital bracketed abbreviation if the name has one (``"SPA"``), else the
        name without bracketed parts, else ``code``.
    """
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    name = " ".join(str(name or "").split())
    if not name:
        return code
    inner = re.findall(r"\(([^)]+)\)", name)
    if inner and re.fullmatch(r"[A-Za-z-]{2,8}", inner[-1]) and sum(ch.isupper() for ch in inner[-1]) >= 2:
        return inner[-1]
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or code


@functools.lru_cache(maxsize=1)
def outlet_names() -> dict:
    """``{code: short name}`` for every outlet of the shipped registry."""
    from framescope.corpus.registry import load_registry

    reg = load_registry()
    return {code: short_name(code, row.get("name", "")) for code, row in reg.rows.items()}


def outlet_label(label) -> str:
    """A registry code as its short name, any other label as it is (underscores as spaces).

    A code in brackets inside a label is replaced too: 'state agency (was)' → 'state
    agency (SPA)'.

    Parameters
    ----------
    label : object
        A group label or outlet code (converted with ``str``).

    Returns
    -------
    str
        The outlet's short name (:func:`outlet_names`) when ``label`` is a registry code,
        else the label with bracketed codes replaced and underscores as spaces.
    """
    text = str(label)
    names = outlet_names()
    if text in names:
        return names[text]
    text = re.sub(r"\(([a-z0-9-]+)\)", lambda m: f"({names.get(m.group(1), m.group(1))})", text)
    return text.replace("_", " ")


# --- Arabic glosses --------------------------------------------------------------------------

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def gloss_key(term: str) -> str:
    """Matching key of an Arabic term in the glossary.

    No diacritics or tatweel, alef forms → ا, ta marbuta → ه, alef maqsura → ي, so a
    normalised term ('القتلي', 'البلديه') finds its entry ('القتلى', 'البلدية').

    Parameters
    ----------
    term : str
        An Arabic word or phrase (runs of whitespace become one space).

    Returns
    -------
    str
        The normalised key.
    """
    text = _DIACRITICS.sub("", " ".join(str(term).split()))
    return text.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"}))


@functools.lru_cache(maxsize=1)
def glossary() -> dict:
    """``{matching key: English gloss}`` from the reviewed file ``analysis/data/glossary_ar.csv``
    (columns term, gloss). Glosses are written by hand for the terms the figures show;
    nothing is translated by machine."""
    import csv
    from importlib import resources

    with resources.files("framescope.analysis").joinpath("data/glossary_ar.csv").open(encoding="utf-8") as fh:
        return {gloss_key(r["term"]): r["gloss"].strip() for r in csv.DictReader(fh) if r.get("gloss", "").strip()}


def gloss(term) -> str | None:
    """The English gloss of an Arabic term, or None when the glossary has none.

    A term without its own entry takes that of its form with or without the article ال
    ('تحالف' → 'التحالف' (coalition)): the token rules strip the article as a clitic.

    Parameters
    ----------
    term : str
        An Arabic word or phrase, as drawn or normalised.

    Returns
    -------
    str or None
        The hand-written gloss of :func:`glossary`; None when neither form has an entry.
    """
    table = glossary()
    key = gloss_key(term)
    if key in table:
        return table[key]
    other = key[2:] if key.startswith("ال") and len(key) > 3 else "ال" + key
    return table.get(other)


#: Arabic terms drawn without a gloss since the process started (or :func:`forget_unglossed`).
_UNGLOSSED: set = set()


def unglossed() -> list:
    """The Arabic terms :func:`glossed` was asked for and had no gloss for.

    Returns
    -------
    list of str
        Those terms, sorted: the rows the glossary still needs for the figures drawn so far
        in this process (since the last :func:`forget_unglossed`).
    """
    return sorted(_UNGLOSSED)


def forget_unglossed() -> None:
    """Empty the record of :func:`unglossed`."""
    _UNGLOSSED.clear()


def glossed(term, limit: int | None = None) -> str:
    r"""An Arabic term with its English gloss for a figure label: 'التحالف (coalition)'.

    A left-to-right mark comes first so the gloss stands right of the Arabic in any
    figure. An Arabic term without a gloss is returned unchanged and recorded for
    :func:`unglossed`.

    Parameters
    ----------
    term : str
        A term as drawn; non-Arabic terms are returned unchanged.
    limit : int, optional
        Longest gloss in characters; a longer gloss (not the term) is cut and ends in "…".
        None: the whole gloss.

    Returns
    -------
    str
        ``"\u200eTERM (GLOSS)"`` for a glossed Arabic term, else ``term``.
    """
    text = str(term)
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in text)
    g = gloss(text) if arabic else None
    if not g:
        if arabic:
            _UNGLOSSED.add(text)
        return text
    if limit is not None and len(g) > limit:
        g = g[: max(limit - 1, 1)] + "\u2026"
    return f"\u200e{text} ({g})"


# --- reviewed translations of Arabic concordance lines -----------------------------------------

#: What a figure shows under an Arabic concordance line that has no reviewed translation.
NO_TRANSLATION = "[no reviewed translation]"


def kwic_key(left, keyword, right) -> str:
    """Key of a concordance line in the translations file: what survives a rebuild.

    The key hashes the letters and digits of the preceding context, the keyword and the
    following context, each normalised as :func:`gloss_key` does (no diacritics or
    tatweel, one alef, ta marbuta as ha, alef maqsura as ya) and case-folded, with
    Arabic-Indic digits as ASCII. Whitespace and punctuation do not count, so a line keeps
    its key when a rebuild tokenises punctuation differently; document ids, positions,
    outlets, groups and the sample's order are not part of it. The context itself is: a
    KWIC of another ``window`` gives other lines, which need rows of their own.

    Parameters
    ----------
    left, keyword, right : str
        The line's columns as :func:`framescope.analysis.kwic.kwic` gives them.

    Returns
    -------
    str
        16 hexadecimal digits (the start of the SHA-1 of the normalised parts).
    """
    import hashlib
    import unicodedata

    def letters(text) -> str:
        text = gloss_key("" if text is None else str(text)).casefold()
        return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text if ch.isalnum())

    joined = "|".join(letters(part) for part in (left, keyword, right))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def kwic_translations() -> dict:
    """``{kwic_key: English}`` from the reviewed file ``analysis/data/kwic_translations_ar.csv``.

    Columns ``key``, ``left``, ``keyword``, ``right`` (the Arabic line as
    :func:`framescope.analysis.kwic.kwic` gives it), ``english`` (a translation written and
    reviewed by hand; "…" where the line is cut mid-sentence, square brackets for words
    the English needs that the cut left out) and ``note``. Nothing is translated by
    machine, at run time or before.

    Returns
    -------
    dict
        The English translation of each line, by :func:`kwic_key`.
    """
    import csv
    from importlib import resources

    with resources.files("framescope.analysis").joinpath("data/kwic_translations_ar.csv").open(encoding="utf-8") as fh:
        return {r["key"].strip(): r["english"].strip() for r in csv.DictReader(fh) if r.get("english", "").strip()}


def translation(left, keyword, right) -> str | None:
    """The reviewed English translation of an Arabic concordance line, or None.

    Parameters
    ----------
    left, keyword, right : str
        The line: its ``left``, ``keyword`` and ``right`` columns (:func:`kwic_key`).

    Returns
    -------
    str or None
        The translation of :func:`kwic_translations` for the line's :func:`kwic_key`; None
        when the file has none.
    """
    return kwic_translations().get(kwic_key(left, keyword, right))


#: Arabic concordance lines drawn without a reviewed translation (``"key: left [keyword] right"``).
_UNTRANSLATED: set = set()


def untranslated() -> list:
    """The Arabic concordance lines :func:`translated` was asked for and had no translation for.

    Returns
    -------
    list of str
        ``"KEY: LEFT [KEYWORD] RIGHT"`` per line, sorted: the rows the translations file still
        needs for the figures drawn so far in this process (since the last
        :func:`forget_untranslated`).
    """
    return sorted(_UNTRANSLATED)


def forget_untranslated() -> None:
    """Empty the record of :func:`untranslated`."""
    _UNTRANSLATED.clear()


def translated(left, keyword, right) -> str:
    """The English to draw under a concordance line: its reviewed translation or a marker.

    Parameters
    ----------
    left, keyword, right : str
        The preceding context, keyword and following context of the line as drawn
        (whitespace is collapsed before the lookup and in the record).

    Returns
    -------
    str
        "" for a line without Arabic (nothing to translate); else :func:`translation`, or
        :data:`NO_TRANSLATION` when there is none, and the line is recorded for
        :func:`untranslated`.
    """
    parts = ["" if p is None else " ".join(str(p).split()) for p in (left, keyword, right)]
    if not any("\u0600" <= ch <= "\u06ff" for p in parts for ch in p):
        return ""
    english = translation(*parts)
    if english is None:
        _UNTRANSLATED.add(f"{kwic_key(*parts)}: {parts[0]} [{parts[1]}] {parts[2]}")
        return NO_TRANSLATION
    return english
