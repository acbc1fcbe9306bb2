"""Word tokenisation and filtering: the rules that turn one sentence into counting tokens.

English: a regular expression (the ``regex`` engine, as NLTK's ``RegexpTokenizer``; no data) that keeps
hyphenated words ("US-led"), abbreviations ("U.S.", "U.S.-led") and numbers ("1,139", "3.5")
whole; optional Snowball stemming. Arabic: :func:`framescope.corpus.text.normalize_arabic`
token by token (each flag switchable; the written form is kept for display), a regex
tokenizer, proclitic segmentation (:mod:`framescope.analysis.arabic_clitics`, on by default)
and optional ISRI stemming (NLTK). Other languages: a Unicode word regex, Snowball stemming
where NLTK has a stemmer for the language. Stopwords from ``stopwordsiso`` (per language,
normalised like the tokens); an Arabic word made of proclitics + a stopword (ولكن، لهم) is a
stopword too. The order in which the rules apply is documented in
:mod:`framescope.analysis.tokens`.

References
----------
Porter, M. F. (2001). Snowball: A language for stemming algorithms.
Taghva, K., Elkhoury, R., & Coombs, J. (2005). Arabic stemming without a root dictionary.
*ITCC 2005*, 152–157 (the ISRI stemmer).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

from framescope.analysis.arabic_clitics import ARTICLE, segment as segment_arabic, segment_static
from framescope.analysis.token_options import NUMBER_PLACEHOLDER, PHRASE_JOINER, TokenOptions
from framescope.analysis.token_rules import KNOWN_NAMES, canonical_variant, possessive_base, split_particle
from framescope.analysis.token_sentences import lang_key, prepare_surface, prepare_text
from framescope.corpus.text import dominant_script, normalize_arabic

__all__ = ["DocContext", "tokenize", "raw_tokens", "filter_tokens", "filter_surface", "stopword_set",
           "stem_word", "strip_arabic_proclitics", "arabic_forms", "norm_flags"]


# --- tokenizers ----------------------------------------------------------------------------

# Arabic combining marks are not \w in Python's re; without them an unnormalised word
# would split at every haraka.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_W = rf"[\w{_MARKS}]"
_NUM = r"\d+(?:[.,:/\u066b\u066c]\d+)*"

_EN_PATTERN = rf"""
    (?:[^\W\d_]\.){{2,}}(?:-{_W}+)*          # abbreviations: U.S. U.N. U.S.-led
  | {_NUM}(?!{_W})                            # numbers: 1,139 3.5 9/11 2015
  | {_W}+(?:[-'’]{_W}+)*                      # words, hyphenated or with apostrophes
  | [^\w\s]                                   # one punctuation character
"""
_GENERIC_PATTERN = rf"""
    {_NUM}(?!{_W})
  | {_W}+(?:-{_W}+)*
  | [^\w\s]
"""


@functools.lru_cache(maxsize=None)
def _token_pattern(kind: str):
    """The word pattern compiled with the ``regex`` engine, as NLTK's ``RegexpTokenizer``
    compiles it (NLTK ≥ 3.10; the standard ``re`` splits e.g. a trailing zero-width joiner
    off a word): called directly, without NLTK's per-call wrapper, it is about 1.7× faster."""
    import regex

    pattern = _EN_PATTERN if kind == "en" else _GENERIC_PATTERN
    return regex.compile(pattern, re.UNICODE | re.VERBOSE | re.DOTALL)


_NUMBER_RE = re.compile(rf"^{_NUM}$")
_HAS_WORDCHAR = re.compile(rf"{_W}")

_SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "ru": "russian", "sv": "swedish", "da": "danish",
             "fi": "finnish", "hu": "hungarian", "no": "norwegian", "ro": "romanian"}


# --- stopwords, stemming, proclitics -------------------------------------------------------

@functools.lru_cache(maxsize=None)
def stopword_set(lang: str, options: TokenOptions = TokenOptions()) -> frozenset[str]:
    """Stopwords of ``lang`` (stopwordsiso) in the form tokens take under ``options``.

    Arabic entries are normalised with the same flags as the text; entries are lowercased
    (the comparison is made on the lowercased token). ``extra_stopwords`` are added and
    ``keep_words`` removed. Unknown language: only ``extra_stopwords``.

    Parameters
    ----------
    lang : str
        Language key (ISO 639-1).
    options : TokenOptions

    Returns
    -------
    frozenset of str

    References
    ----------
    Diaz, G. stopwords-iso: the most comprehensive collection of stopwords for multiple
    languages (https://github.com/stopwords-iso).
    """
    import stopwordsiso

    words: set[str] = set()
    if options.stopwords:
        try:
            base = stopwordsiso.stopwords(lang) if stopwordsiso.has_lang(lang) else set()
        except Exception:
            base = set()
        words = set(base)
    words |= set(options.extra_stopwords)
    if lang == "ar" and options.arabic_normalize:
        words = {normalize_arabic(w, **options.arabic_flags()) for w in words}
    words = {w.lower() for w in words}
    keep = {w.lower() for w in options.keep_words}
    if lang == "ar" and options.arabic_normalize:
        keep = {normalize_arabic(w, **options.arabic_flags()) for w in keep}
    return frozenset(words - keep)


@functools.lru_cache(maxsize=None)
def _stemmer(lang: str):
    if lang == "ar":
        from nltk.stem.isri import ISRIStemmer
        return ISRIStemmer()
    if lang in _SNOWBALL:
        from nltk.stem.snowball import SnowballStemmer
        return SnowballStemmer(_SNOWBALL[lang])
    return None


@functools.lru_cache(maxsize=1_000_000)
def stem_word(lang: str, word: str) -> str:
    """The stem of ``word``: Snowball for the languages NLTK has it for, ISRI for Arabic.

    Parameters
    ----------
    lang : str
        Language key.
    word : str

    Returns
    -------
    str
        The stem; ``word`` itself for a language without a stemmer.

    References
    ----------
    Porter, M. F. (2001). Snowball: A language for stemming algorithms.
    Taghva, K., Elkhoury, R., & Coombs, J. (2005). Arabic stemming without a root
    dictionary. *ITCC 2005*, 152–157.
    """
    stemmer = _stemmer(lang)
    return stemmer.stem(word) if stemmer is not None else word


def strip_arabic_proclitics(word: str, min_stem: int = 3, lexicon=None) -> str:
    """A normalised Arabic word without its proclitics (:func:`framescope.analysis.arabic_clitics.segment`).

    Without a ``lexicon`` (a lone word) the article is stripped when ``min_stem`` letters
    remain, a bare و/ف when ``min_stem + 2`` remain, a bare ب ك ل never; with the words of
    the surrounding text as ``lexicon``, a bare proclitic goes when its stem is one of them.

    Parameters
    ----------
    word : str
        A normalised Arabic word.
    min_stem : int, default 3
        Fewest letters a stem keeps.
    lexicon : collection of str, optional
        The words of the surrounding text (normalised).

    Returns
    -------
    str
        The stem, or ``word`` unchanged when no proclitic may be stripped.
    """
    return segment_arabic(word, lexicon, min_stem)[1]


@functools.lru_cache(maxsize=500_000)
def arabic_forms(token: str, flags: tuple) -> tuple[str, str]:
    """The two forms of an Arabic raw token.

    Parameters
    ----------
    token : str
        As written in the text.
    flags : tuple
        :func:`norm_flags` of the options.

    Returns
    -------
    tuple of str
        ``(surface, normalised)``: the form shown (no tatweel or diacritics) and the form
        counted (:func:`framescope.corpus.text.normalize_arabic` with ``flags``).
    """
    surface = normalize_arabic(token, tatweel=True, diacritics=True, alef=False, alef_maqsura=False,
                               taa_marbuta=False, digits=False)
    norm = normalize_arabic(token, **dict(flags)) if flags else token
    return surface, norm


@dataclass(frozen=True)
class DocContext:
    """What the rules may know about the document a sentence belongs to.

    Parameters
    ----------
    lexicon : frozenset of str
        The normalised Arabic words of the document (the frequency check of the bare
        proclitics).
    capitalised : frozenset of str
        Its English words written capitalised right after a lowercase word, i.e. names
        (possessives).
    """

    lexicon: frozenset = frozenset()
    capitalised: frozenset = frozenset()

    @classmethod
    def of(cls, raw_sentences: Iterable[tuple[str, list[str]]], options: TokenOptions) -> "DocContext":
        """Context of a document from its sentences.

        Parameters
        ----------
        raw_sentences : iterable of tuple
            ``(lang key, raw tokens)`` of each sentence (:func:`raw_tokens`).
        options : TokenOptions

        Returns
        -------
        DocContext
        """
        lexicon, capitalised = set(), set()
        for key, raw in raw_sentences:
            if key == "ar":
                norms = _rules_for("ar", options).norms  # normalised once per distinct word
                try:
                    lexicon.update(map(norms.__getitem__, raw))
                except KeyError:  # a word not seen before: normalise the new ones only
                    form = _rules_for("ar", options).form
                    for t in raw:
                        if t not in norms:
                            form(t)
                    lexicon.update(map(norms.__getitem__, raw))
            else:
                capitalised.update(_proper_nouns(raw))
        return cls(frozenset(lexicon), frozenset(capitalised))


def _proper_nouns(raw: list[str]) -> list[str]:
    """Capitalised words after a lowercase word: names, not sentence starts or headline case."""
    return [word for before, word in zip(raw, raw[1:]) if word[:1].isupper() and before[:1].islower()]


def norm_flags(options: TokenOptions) -> tuple:
    """The Arabic normalisation flags of ``options`` as a hashable tuple.

    Parameters
    ----------
    options : TokenOptions
        Tokenisation options; ``arabic_normalize`` and the ``arabic_*`` flags are read.

    Returns
    -------
    tuple
        Sorted ``(flag, bool)`` pairs; empty when ``arabic_normalize`` is off.
    """
    return tuple(sorted(options.arabic_flags().items())) if options.arabic_normalize else ()


# --- phrases -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _phrase_index(phrases: tuple[str, ...], lang: str, options: TokenOptions):
    """First word → list of (casefolded word tuple, joined token), longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase in phrases:
        arabic = dominant_script(phrase) == "Arabic"
        if arabic != (lang == "ar"):
            continue  # a phrase only applies to text in its own script
        text = prepare_text(phrase, arabic, options)
        words = [t for t in _token_pattern("en" if lang == "en" else "generic").findall(text)
                 if _HAS_WORDCHAR.search(t)]
        if len(words) < 2:
            continue
        key = tuple(w.casefold() for w in words)
        joined = PHRASE_JOINER.join(w.lower() if options.lowercase else w for w in words)
        index.setdefault(key[0], []).append((key, joined))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _join_phrases(raw: list[str], index) -> tuple[list[str], list[bool]]:
    """Replace phrase occurrences in ``raw``; second list marks the joined tokens."""
    out: list[str] = []
    is_phrase: list[bool] = []
    folded = [t.casefold() for t in raw]
    i, n = 0, len(raw)
    while i < n:
        entries = index.get(folded[i])
        if entries:
            for key, joined in entries:
                k = len(key)
                if tuple(folded[i:i + k]) == key:
                    out.append(joined)
                    is_phrase.append(True)
                    i += k
                    break
            else:
                out.append(raw[i])
                is_phrase.append(False)
                i += 1
        else:
            out.append(raw[i])
            is_phrase.append(False)
            i += 1
    return out, is_phrase


# --- tokenize ------------------------------------------------------------------------------

def filter_tokens(raw: list[str], lang: str, options: TokenOptions, context: DocContext | None = None) -> list[str]:
    """The counting tokens of one sentence: :func:`filter_surface` without the surfaces.

    Parameters
    ----------
    raw : list of str
        Raw tokens of one sentence (:func:`raw_tokens`).
    lang : str
        Language key.
    options : TokenOptions
        Tokenisation options (case, stopwords, numbers, punctuation, stemming, Arabic
        normalisation and proclitics, phrases, variants, possessives, minimum length).
    context : DocContext, optional
        The sentence's document (else the sentence is its own document).

    Returns
    -------
    list of str
        The tokens counted, in sentence order.
    """
    return [t for t, _ in filter_surface(raw, lang, options, context)]


def _english_split(raw: list[str], rules: "_Rules", context: DocContext | None) -> list[str]:
    """Possessive endings removed: "Syria's" and (apostrophe-less) "Syrias" → "Syria".

    One token stays one token, so token positions (KWIC, VRT) never shift. What a word can
    be is decided once per distinct word (:meth:`_Rules.possessive_kind`); only a
    capitalised word ending in s needs the document's names and the next word."""
    kinds = rules.possessive
    out: list[str] = []
    names = None
    n = len(raw)
    for i, tok in enumerate(raw):
        kind = kinds.get(tok)
        if kind is None:
            kind = kinds[tok] = rules.possessive_kind(tok)
        if kind == 0:
            out.append(tok)
        elif kind == 1:
            out.append(tok[:-2])
        else:
            if names is None:
                capitalised = context.capitalised if context is not None else frozenset(_proper_nouns(raw))
                names = capitalised | KNOWN_NAMES
            nxt = raw[i + 1] if i + 1 < n else ""
            base = possessive_base(tok, bool(_HAS_WORDCHAR.search(nxt)), names)
            out.append(base if base is not None else tok)
    return out


class _Rules:
    """The rules of one language under one set of options, applied once per distinct word.

    Everything :func:`filter_surface` does to a word that does not depend on its sentence or
    document (punctuation, numbers, variants, case, stopwords, proclitics whose answer the
    shipped counts decide, stemming, length) is computed the first time the word is seen and
    kept in a dict; a token costs a dict look-up. The answer is a ``(token, surface)`` pair,
    None (dropped), or, for an Arabic word whose proclitic split depends on the document's
    words, ``(candidates, fallback)``.
    """

    def __init__(self, lang: str, options: TokenOptions):
        self.lang = lang
        self.options = options
        self.arabic = lang == "ar"
        self.flags = norm_flags(options)
        self.stops = stopword_set(lang, options) if (options.stopwords or options.extra_stopwords) else frozenset()
        self.variants = lang == "en" and options.merge_variants and options.lowercase
        self.words: dict[str, object] = {}     # key → answer (see the class docstring)
        self.forms: dict[str, tuple[str, str]] = {}  # Arabic raw token → (surface, normalised)
        self.norms: dict[str, str] = {}  # Arabic raw token → normalised
        self.possessive: dict[str, int] = {}   # English word → 0 keep, 1 's, 2 maybe a possessive

    def form(self, raw: str) -> tuple[str, str]:
        """(surface, normalised form) of an Arabic raw token."""
        found = self.forms.get(raw)
        if found is None:
            found = self.forms[raw] = arabic_forms(raw, self.flags)
            self.norms[raw] = found[1]
        return found

    @staticmethod
    def possessive_kind(tok: str) -> int:
        low = tok.lower()
        if len(tok) > 2 and (low.endswith("'s") or low.endswith("\u2019s")) and _HAS_WORDCHAR.search(tok[:-2]):
            return 1
        # the cheap tests of token_rules.possessive_base: only these words can be possessives
        name = split_particle(tok)[1]  # al-Assads: the name after the article
        if len(name) >= 4 and tok.endswith("s") and name[0].isupper() and "'" not in tok and "\u2019" not in tok:
            return 2
        return 0

    def answer(self, word: str, surface: str):
        """The answer for a word (normalised, for Arabic) and its surface form."""
        options = self.options
        if not _HAS_WORDCHAR.search(word):
            return (word, surface) if options.punctuation else None
        if _NUMBER_RE.match(word):
            if options.numbers == "keep":
                return word, surface
            if options.numbers == "placeholder":
                return NUMBER_PLACEHOLDER, surface
            return None
        tok = word
        low = tok.lower()
        if self.variants:
            tok = low = canonical_variant(tok)
        elif options.lowercase:
            tok = low
        if low in self.stops:
            return None
        if self.arabic and options.arabic_proclitics:
            found, candidates = segment_static(tok, surface, options.arabic_min_stem, self.stops)
            if found is None:
                # the first candidate whose stem is among the document's words wins; the
                # last one may pass on the shipped counts alone (then it is the fallback)
                pending = []
                fallback = self._finish(tok, surface)
                for _clitics, stem, passes in candidates:
                    result = None if stem in self.stops else self._finish(stem, surface)
                    if passes:
                        fallback = result
                        break
                    pending.append((stem, ARTICLE + stem, result))
                return tuple(pending), fallback
            clitics, stem = found
            if clitics:
                if stem in self.stops:  # "ولكن" → "لكن", "لهم" → "هم": function words
                    return None
                tok = stem
        return self._finish(tok, surface)

    def _finish(self, tok: str, surface: str):
        if self.options.stem:
            tok = stem_word(self.lang, tok)
        if len(tok) < self.options.min_length:
            return None
        return tok, surface


_MISSING = object()


@functools.lru_cache(maxsize=16)
def _rules_for(lang: str, options: TokenOptions) -> _Rules:
    return _Rules(lang, options)


def filter_surface(raw: list[str], lang: str, options: TokenOptions,
                   context: DocContext | None = None) -> list[tuple[str, str]]:
    """The counting tokens of one sentence, with the word each was written as.

    Applies, in order: (Arabic) normalisation, possessives (English), phrase joining,
    punctuation, numbers, variants (English), case, stopwords, Arabic proclitics, stemming
    and minimum length (the order is documented in :mod:`framescope.analysis.tokens`).
    Each distinct word is looked at once per language and options; a token is a look-up.

    Parameters
    ----------
    raw : list of str
        Raw tokens of one sentence (:func:`raw_tokens`).
    lang : str
        Language key of the sentence (:func:`framescope.analysis.token_sentences.lang_key`).
    options : TokenOptions
        Tokenisation options (case, stopwords, numbers, punctuation, stemming, Arabic
        normalisation and proclitics, phrases, variants, possessives, minimum length).
    context : DocContext, optional
        What the rules may know about the sentence's document (possessives, the proclitic
        lexicon); without it the sentence is its own document.

    Returns
    -------
    list of tuple
        ``(token, surface)``: the token counted and the word as written (lowercased; Arabic
        without tatweel and diacritics but not otherwise normalised).
    """
    rules = _rules_for(lang, options)
    arabic = rules.arabic
    form = rules.form
    if arabic:
        keys = raw
        if options.phrases or (options.arabic_proclitics and context is None):
            forms = [form(t) for t in raw]
            surfaces = [f[0] for f in forms]
            words = [f[1] for f in forms]
        else:
            words = surfaces = None  # looked up in the cache; the forms only for a new word
    else:
        if lang == "en" and options.possessives:
            raw = _english_split(raw, rules, context)
        keys = words = raw
        surfaces = None  # the lowercased words, computed with each answer
    is_phrase = None
    if options.phrases:
        joined, is_phrase = _join_phrases(words, _phrase_index(options.phrases, lang, options))
        if surfaces is None:
            surfaces = [t.lower() for t in words]
        if len(joined) != len(words):
            surfaces = _align(surfaces, joined, is_phrase, " ".join)
            keys = _align(keys, joined, is_phrase, None)
        words = joined
    lexicon = None
    if arabic and options.arabic_proclitics:
        lexicon = context.lexicon if context is not None else frozenset(words)  # a lone text: its own words
    answers = rules.words
    answer = rules.answer
    out: list[tuple[str, str]] = []
    for i, key in enumerate(keys):
        if is_phrase is not None and is_phrase[i]:
            out.append((words[i], surfaces[i]))
            continue
        found = answers.get(key, _MISSING)
        if found is _MISSING:
            if words is None:
                surface, word = form(key)
            else:
                word = words[i]
                surface = surfaces[i] if surfaces is not None else word.lower()
            found = answers[key] = answer(word, surface)
        if found is None:
            continue  # dropped
        if found[0].__class__ is tuple:  # an Arabic split decided by the document's words
            pending, result = found
            for stem, with_article, candidate in pending:
                if stem in lexicon or with_article in lexicon:
                    result = candidate
                    break
            if result is None:
                continue
            found = result
        out.append(found)
    return out


def _align(values: list, joined: list[str], is_phrase: list[bool], join) -> list:
    """``values`` (one per word) aligned with the phrase-joined tokens: a phrase gets its
    words' values joined by ``join`` (None when ``join`` is None)."""
    out: list = []
    i = 0
    for tok, phrase in zip(joined, is_phrase):
        if phrase:
            k = len(tok.split(PHRASE_JOINER))
            out.append(join(values[i:i + k]) if join is not None else None)
            i += k
        else:
            out.append(values[i])
            i += 1
    return out


def raw_tokens(prepared: str, lang: str) -> list[str]:
    """Raw tokens (words, numbers, abbreviations, punctuation) of a prepared sentence.

    Parameters
    ----------
    prepared : str
        Text prepared by :func:`framescope.analysis.token_sentences.prepare_surface` (or
        ``prepare_text``).
    lang : str
        Language key: ``"en"`` uses the English pattern (abbreviations such as U.S.-led,
        apostrophes), any other the generic one.

    Returns
    -------
    list of str
        The raw tokens in text order, before any filtering or normalisation.
    """
    return _token_pattern("en" if lang == "en" else "generic").findall(prepared)


def tokenize(text: str, lang: str, options: TokenOptions = TokenOptions()) -> list[str]:
    """Tokens of ``text`` in language ``lang`` (ISO 639-1), no sentence split.

    The text is its own document for the rules that look at the document (possessives,
    the proclitic lexicon): :class:`DocContext`.

    Parameters
    ----------
    text : str
        The text to tokenise (any length; it is normalised first).
    lang : str
        ISO 639-1 code (``und``: the script decides between Arabic and the generic rules).
    options : TokenOptions
        Tokenisation options (case, stopwords, numbers, punctuation, stemming, Arabic
        normalisation and proclitics, phrases, variants, possessives, minimum length).

    Returns
    -------
    list of str
        The counting tokens, in text order.

    References
    ----------
    Benoit, K., et al. (2018). quanteda: An R package for the quantitative analysis of
    textual data. *Journal of Open Source Software*, 3(30), 774 (``tokens()``).

    Examples
    --------
    >>> tokenize("The US-led coalition killed 1,139 civilians.", "en")
    ['u.s.-led', 'coalition', 'killed', '1,139', 'civilians']
    """
    if not isinstance(text, str) or not text:
        return []
    key = lang_key(lang, text)
    raw = raw_tokens(prepare_surface(text, key, options), key)
    return filter_tokens(raw, key, options, DocContext.of([(key, raw)], options))
