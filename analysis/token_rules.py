"""Rules that make tokens words (issue 17): credits out, variants merged, possessives restored.

Each rule is a switch of :class:`framescope.analysis.token_options.TokenOptions` (``credits``,
``merge_variants``, ``possessives``), on by default, and is documented here with its
exceptions, because each changes counts.

**Credits and bylines** (:func:`strip_credits`, before tokenising). The corpus layer already
moves trailing and dateline credits into boilerplate segments and records ``wire_credit``;
what is left inside analysable text are credits that the sources glue into running text:

* a bracketed credit: ``(TRT World and Agencies)``, ``(AFP)``, ``(Reuters)``, ``(واس)``;
* a byline with a date: ``AFP , Sunday 22 Feb 2015`` (Ahram Online), the agency, weekday and
  date removed together;
* an agency name written in capitals directly before a capitalised word, not after a verb
  or preposition that makes it the object of a sentence (``Monitor AFP At least 15 ...``,
  ``REUTERS Rodi Said``: photo credits), while ``told AFP.``, ``an AFP correspondent`` and
  ``SANA reported`` stay: the outlet named in running text is content;
* a dash credit inside a line: ``Homs - SANA``, ``ـ واس``.

**Variants** (:func:`canonical_variant`, per token, English):

* Dotted abbreviations lose their periods (``u.n.`` → ``un``, ``u.k.-based`` →
  ``uk-based``) unless the undotted form is an English word (``us``, ``am``, ``pm``), in
  which case the *dotted* form is canonical and the undotted capitalised spelling joins it
  (``US``/``U.S.`` → ``u.s.``; ``US-led``/``U.S.-led`` → ``u.s.-led``) while the pronoun
  ``us`` stays ``us``.
* Spelling pairs listed in ``data/variants_en.csv`` (hyphenated and closed spellings that
  both occur in FA-KES: ``cease-fire``/``ceasefire``, ``north-western``/``northwestern``);
  the canonical spelling is the more frequent one there. Label choices (ISIS / ISIL / Daesh)
  are framing, not spelling, and are never merged.
* Transliterations of one Syrian place name in the same table (Deir ``ez-zor`` / ``al-zor`` /
  ``az-zour`` / ``ezour``, ``raqqa`` / ``raqa``, ``hasakeh`` / ``hasaka`` / ``hassakeh``):
  outlets follow house spellings, so unmerged they rank as each other's keywords. A bare form
  that can name another place (``zor``: Zor Qsayaa) or another thing (``duma``: the Russian
  parliament) is left as it is.

**Possessives** (:func:`possessive_base`, English). ``Syria's`` becomes ``syria`` (the
ending is removed; one token stays one token, so positions in KWIC and VRT never shift).
FA-KES has no apostrophes (its authors stripped them: ``Syrias government``), so a
capitalised word ending in ``s`` is read as a possessive (after an Arabic article, the name
is read: ``al-Assads`` → ``al-assad``, :func:`split_particle`) when all of these hold: its base
(without the ``s``) is a name in the same document — written capitalised right after a
lowercase word somewhere (``in Syria``; a sentence start or a title-case headline is no
evidence, so *Kills*, *Strikes*, *Terrorists* in headlines stay plurals); a word follows in
the sentence; the base does not end in ``s``; the base is not a demonym
(ending in -an, -ian, -i, -ese, -ite: *Syrians*, *Iraqis*, *Alawites* are plurals) unless it
is a country listed in ``_AN_COUNTRIES`` (Iran, Sudan, Oman, Jordan, Afghanistan ...); and the
word is not in :data:`POSSESSIVE_EXCEPTIONS` (isis, news, us, hamas, states, forces, ...:
plural names such as *United States*, *Syrian Democratic Forces*).
"""
from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

__all__ = ["KNOWN_NAMES", "strip_credits", "canonical_variant", "possessive_base", "POSSESSIVE_EXCEPTIONS",
           "variant_table", "split_particle"]

_DATA = Path(__file__).resolve().parent / "data"

# --- credits -----------------------------------------------------------------------------------

_AGENCY_NAMES = ("Reuters|REUTERS|AFP|AP|SANA|Sana|TRT World|TRT|Anadolu|AA|Xinhua|TASS|Sputnik|IRNA|"
                 "dpa|DPA|UPI|KUNA|WAM|SPA|QNA|MENA|Petra|NNA|Associated Press|Agence France-Presse")
_CAPS_AGENCIES = "REUTERS|AFP|AP|SANA|TRT|TASS|IRNA|DPA|UPI|KUNA|WAM|SPA|QNA|MENA|NNA"
_AR_AGENCIES = "واس|رويترز|أ ف ب|ا ف ب|د ب أ|سانا|كونا|وام|فرانس برس|الأناضول|الاناضول"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# words after which a capitalised agency is the object of the sentence, not a credit
_OBJECT_OF = ("told", "to", "by", "from", "via", "with", "and", "the", "an", "a", "said", "tells",
              "telling", "according", "of", "for", "at", "in", "on", "quoted", "cited", "citing")

_CREDIT_PATTERNS = [
    # (TRT World and Agencies), (AFP), (Reuters/AFP), (واس)
    re.compile(rf"\(\s*(?:{_AGENCY_NAMES}|{_AR_AGENCIES})(?:\s*(?:/|and|,)\s*(?:{_AGENCY_NAMES}|[Aa]gencies))*"
               rf"(?:\s+[Pp]hoto)?\s*\)"),
    # AFP , Sunday 22 Feb 2015
    re.compile(rf"\b(?:{_AGENCY_NAMES})\s*,?\s+{_WEEKDAY}\s*,?\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"),
    # Homs - SANA, Damascus – AFP (a dash credit inside a line; not before a lowercase word)
    re.compile(rf"(?<=\w)\s+[-–—]+\s*(?:{_AGENCY_NAMES})\b(?!\s+(?:said|says|reported|reports|quoted)\b)"),
    # ـ واس
    re.compile(rf"ـ\s*(?:{_AR_AGENCIES})(?!\w)"),
]
#: Strings one of which each pattern of _CREDIT_PATTERNS needs ("(", a weekday's "day", a dash,
#: the tatweel): a text without them is not scanned by that pattern.
_CREDIT_NEEDS = (("(",), ("day",), ("-", "\u2013", "\u2014"), ("\u0640",))
_BLANKS = re.compile(r"[ \t]{2,}")
_CAPS_CREDIT = re.compile(rf"(?<![\w.-])(?:{_CAPS_AGENCIES})\b(?=\s+[A-Z])")
_PREV_WORD = re.compile(r"(\w+)(\W*)$")


def strip_credits(text: str) -> str:
    """``text`` without the credits and bylines described in the module docstring.

    Parameters
    ----------
    text : str
        A segment's text.

    Returns
    -------
    str
        The text with each credit replaced by a space, runs of blanks collapsed, stripped.

    Examples
    --------
    >>> strip_credits("Aleppo June 12 2016. (TRT World and Agencies) Three more civilians")
    'Aleppo June 12 2016. Three more civilians'
    >>> strip_credits("He told AFP. SANA reported it")
    'He told AFP. SANA reported it'
    """
    if not text:
        return text
    for rx, needed in zip(_CREDIT_PATTERNS, _CREDIT_NEEDS):
        if any(n in text for n in needed):  # each pattern needs one of these: skip the scan when absent
            text = rx.sub(" ", text)

    def caps(m: re.Match) -> str:
        prev = _PREV_WORD.search(m.string[max(0, m.start() - 40):m.start()].rstrip())
        if prev and not prev.group(2) and prev.group(1).lower() in _OBJECT_OF:
            return m.group(0)  # "told AFP Friday" : the outlet is the object of the sentence
        return ""
    text = _CAPS_CREDIT.sub(caps, text)
    if "  " in text or "\t" in text:  # a run of two blanks contains one of these
        text = _BLANKS.sub(" ", text)
    return text.strip()


# --- variants ---------------------------------------------------------------------------------

_DOTTED = re.compile(r"^((?:[^\W\d_]\.){2,})(.*)$")


@functools.lru_cache(maxsize=1)
def variant_table() -> dict[str, str]:
    """The listed English spelling variants.

    Returns
    -------
    dict
        Variant → canonical spelling (``data/variants_en.csv``, lowercased).
    """
    with open(_DATA / "variants_en.csv", encoding="utf-8", newline="") as fh:
        return {row["variant"].lower(): row["canonical"].lower() for row in csv.DictReader(fh)}


@functools.lru_cache(maxsize=None)
def _english_stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset(w.lower() for w in stopwordsiso.stopwords("en"))


@functools.lru_cache(maxsize=200_000)
def canonical_variant(token: str) -> str:
    """Canonical spelling of an English ``token`` (surface case kept in the input).

    Parameters
    ----------
    token : str

    Returns
    -------
    str
        The lowercased canonical form under the rules of the module docstring.

    Examples
    --------
    >>> canonical_variant("U.S.-led"), canonical_variant("US-led"), canonical_variant("us")
    ('u.s.-led', 'u.s.-led', 'us')
    >>> canonical_variant("U.N."), canonical_variant("UN")
    ('u.n.', 'u.n.')
    """
    low = token.lower()
    m = _DOTTED.match(low)
    if m:
        head = m.group(1).replace(".", "")
        if head in _english_stopwords():
            return low  # u.s. stays dotted: "us" is a pronoun
        return head + m.group(2)
    head, sep, rest = token.partition("-")
    if len(head) >= 2 and head.isalpha() and head.isupper() and len(head) <= 3 and head.lower() in _english_stopwords():
        dotted = ".".join(head.lower()) + "."
        if _DOTTED.match(dotted):
            return dotted + sep + rest.lower()
    return variant_table().get(low, low)


# --- possessives ------------------------------------------------------------------------------

#: Words ending in s that are never read as a possessive.
POSSESSIVE_EXCEPTIONS = frozenset("""isis isil us news states nations emirates affairs rights forces arms
kurds arabs turks jews druze hamas homs reuters paris brussels texas athens cyprus tunis damascus
helmets units brigades talks sciences studies christmas""".split())
#: Names that count as names in every document (a short text may write "Syria" only as
#: "Syrias"): the countries, cities and actors most written in the shared collections.
KNOWN_NAMES = frozenset("""Syria Iraq Iran Russia Turkey Israel Lebanon Jordan Egypt America Britain France
Germany China Yemen Libya Qatar Aleppo Damascus Raqqa Idlib Homs Daraa Latakia Ghouta Douma Palmyra Kobani
Manbij Afrin Mosul Baghdad Moscow Washington Ankara Tehran Riyadh Beirut Assad Obama Putin Trump Erdogan
Lavrov Kerry Hezbollah Nusra Qaeda Daesh Kurdistan Europe Geneva Astana""".split())
_DEMONYM = re.compile(r"(?:an|ian|i|ese|ite)$")
_AN_COUNTRIES = frozenset("""iran sudan oman jordan afghanistan pakistan kazakhstan uzbekistan
turkmenistan kurdistan tajikistan yemen japan taiwan bhutan vatican""".split())


def possessive_base(token: str, has_next: bool, names: frozenset[str] | set[str]) -> str | None:
    """The base of an apostrophe-less possessive (``Syrias`` → ``Syria``), else None.

    Parameters
    ----------
    token : str
        A token as written (case kept); only capitalised tokens of four or more
        letters ending in ``s`` can be possessives.
    has_next : bool
        A word follows in the sentence.
    names : set of str
        The document's words written capitalised right after a lowercase word (so not
        sentence starts or headline case), and :data:`KNOWN_NAMES`.

    Returns
    -------
    str or None
        The token without its final ``s`` when that base is one of ``names``, a word
        follows and it is no exception (plural demonym, base ending in s, listed
        exceptions); None otherwise.
    """
    particle, name = split_particle(token)
    if (len(name) < 4 or not name.endswith("s") or not name[0].isupper() or not has_next
            or "'" in token or "’" in token):
        return None
    base = name[:-1]
    low = base.lower()
    if (token.lower() in POSSESSIVE_EXCEPTIONS or name.lower() in POSSESSIVE_EXCEPTIONS
            or base.endswith(("s", "S")) or (base not in names and particle + base not in names)):
        return None
    if _DEMONYM.search(low) and low not in _AN_COUNTRIES:
        return None
    if not base[1:].islower() and not base.isupper():
        return None
    return particle + base


#: An Arabic article or its assimilated forms before a capitalised name (``al-Assad``,
#: ``ash-Sham``, ``el-Sisi``): the name after it is what the possessive rule reads.
_PARTICLE = re.compile(r"(?:[Aa][lnrstdz]|[Aa]sh|[Ee][lz]|[Uu]l)-(?=[A-Z])")


def split_particle(token: str) -> tuple[str, str]:
    """(article with its hyphen, name) of ``al-Assads``; ``("", token)`` without one.

    Parameters
    ----------
    token : str
        A word as written (the name after the article must be capitalised).

    Returns
    -------
    tuple of str
        The particle (``"al-"``, empty when there is none) and the rest of the token.

    Examples
    --------
    >>> split_particle("al-Assads"), split_particle("Syrias"), split_particle("al-qaeda")
    (('al-', 'Assads'), ('', 'Syrias'), ('', 'al-qaeda'))
    """
    m = _PARTICLE.match(token)
    return (token[:m.end()], token[m.end():]) if m else ("", token)
