"""Tokens: language-aware tokenisation of a corpus, sentence by sentence.

The first stage of the pipeline ``corpus → tokens → counts → statistic``::

    from framescope.analysis.tokens import TokenOptions, tokens
    toks = tokens(corpus, TokenOptions(stem=False, phrases=("white phosphorus",)))
    toks.to_frame()          # doc_id, seg, sent, pos, lang, token
    for doc in toks: ...     # one flat token list per document (gensim-like)
    for sent in toks.sentences(): ...

Rules
-----
* Only title, body and caption segments are read (``Corpus.analysable_segments``); never
  boilerplate; documents marked as duplicates are left out unless asked.
* Each segment is tokenised in its own language (its ``lang``), and every sentence keeps
  that language: counts are keyed by ``(lang, term)`` so scripts never merge.
* English: an NLTK :class:`~nltk.tokenize.RegexpTokenizer` (no downloaded data) that keeps
  hyphenated words ("US-led"), abbreviations ("U.S.", "U.S.-led") and numbers ("1,139",
  "3.5") whole; optional Snowball stemming. Arabic: :func:`framescope.corpus.text.normalize_arabic`
  token by token (each flag switchable; the written form is kept for display), a regex
  tokenizer, proclitic segmentation (:mod:`framescope.analysis.arabic_clitics`, on by default) and
  optional ISRI stemming (NLTK). Other languages: a Unicode word regex, Snowball stemming
  where NLTK has a stemmer for the language.
* Token rules (issue 17; :mod:`framescope.analysis.token_rules`): agency credits and bylines out of the
  text, spelling variants merged, possessives split ("Syria's", FA-KES's "Syrias").
* Stopwords from ``stopwordsiso`` (per language, normalised like the tokens); an Arabic
  word made of proclitics + a stopword (ولكن، لهم) is a stopword too.
* Sentences: NLTK Punkt; for English the model shipped in ``analysis/data/`` (trained once
  on FA-KES by ``tools/train_punkt.py``; nothing is downloaded or trained at run time); see
  :func:`split_sentences`.
* The tokens of a corpus folder are computed once per options and kept beside it (the
  token store, :mod:`framescope.analysis.token_store`); :func:`token_metadata` is what outputs record.

Processing order for one token (documented because it changes counts):
credits removed from the text → raw tokens → (Arabic: normalise each token) → possessives
split (English) → phrase joining (user multiword units, matched case-insensitively) →
punctuation / numbers → variants (English, when lowercasing) → lowercase → stopwords →
Arabic proclitics (a proclitic + stopword is dropped) → stemming → minimum length. Joined
phrases are never stemmed, segmented nor removed as stopwords. The rules that look beyond
the token (possessives, the proclitic frequency check) see the words of the same document
(:class:`DocContext`), so a document gets the same tokens in any corpus, subset or batch.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from framescope.analysis.arabic_clitics import segment as segment_arabic
from framescope.analysis.token_rules import KNOWN_NAMES, canonical_variant, possessive_base, strip_credits
from framescope.corpus.errors import FramescopeError
from framescope.corpus.text import DASHES, QUOTES, clean_whitespace, dominant_script, normalize_arabic, normalize_text

__all__ = [
    "TokenOptions", "Tokens", "tokenize", "tokens", "iter_tokens", "split_sentences",
    "train_punkt", "set_sentence_model", "sentence_model_name", "strip_arabic_proclitics",
    "stopword_set", "detect_phrases", "NUMBER_PLACEHOLDER", "PHRASE_JOINER",
    "DocContext", "document_raw_tokens", "token_metadata", "token_store_key", "open_token_store",
    "shipped_sentence_model", "punkt_params_to_json", "SENTENCE_MODEL_FILE", "TOKEN_LAYER_VERSION",
]

#: Token that replaces numbers with ``numbers='placeholder'``.
NUMBER_PLACEHOLDER = "<num>"
#: Character joining the words of a multiword unit ("white_phosphorus").
PHRASE_JOINER = "_"

_NUMBER_MODES = ("keep", "drop", "placeholder")


@dataclass(frozen=True)
class TokenOptions:
    """How text becomes tokens. Frozen and hashable; record it with ``as_dict()``.

    lowercase:          fold case (``str.lower``; Arabic has no case).
    stem:               Snowball (English and other Snowball languages), ISRI (Arabic).
    stopwords:          remove the ``stopwordsiso`` list of the token's language.
    extra_stopwords:    more words to remove (any language; compared after lowercasing).
    keep_words:         words never removed as stopwords (stopwordsiso's English list
                        holds e.g. "state", "us", "world", "group").
    numbers:            'keep', 'drop' or 'placeholder' (→ ``<num>``) for tokens made of
                        digits and separators only ("1,139", "2015", "3.5").
    punctuation:        keep punctuation tokens (False drops them).
    min_length:         drop word tokens shorter than this many characters (after
                        stemming; punctuation and the number placeholder exempt).
    arabic_normalize:   apply :func:`framescope.corpus.text.normalize_arabic` to Arabic text with the
                        ``arabic_*`` flags below (tatweel, diacritics, alef, alef_maqsura,
                        taa_marbuta, digits).
    arabic_proclitics:  split off the proclitics و ف ب ك ل and the article ال
                        (:mod:`framescope.analysis.arabic_clitics`: rules, guards and measured error
                        rate), keeping at least ``arabic_min_stem`` letters. On by default.
    credits:            remove agency credits and bylines glued into the text
                        (:func:`framescope.analysis.token_rules.strip_credits`).
    merge_variants:     one spelling for dotted abbreviations and listed hyphen variants
                        (``u.n.`` = ``un``, ``US-led`` = ``u.s.-led``, ``cease-fire`` =
                        ``ceasefire``; :func:`framescope.analysis.token_rules.canonical_variant`;
                        applies when ``lowercase``).
    possessives:        ``Syria's`` and FA-KES's apostrophe-less ``Syrias`` → ``syria`` (the
                        ending removed, one token for one;
                        :func:`framescope.analysis.token_rules.possessive_base`).
    phrases:            user multiword units ("white phosphorus", "US-led coalition",
                        "التحالف الدولي") joined into one token with '_' wherever they occur.
    """

    lowercase: bool = True
    stem: bool = False
    stopwords: bool = True
    extra_stopwords: tuple[str, ...] = ()
    keep_words: tuple[str, ...] = ()
    numbers: str = "keep"
    punctuation: bool = False
    min_length: int = 1
    arabic_normalize: bool = True
    arabic_tatweel: bool = True
    arabic_diacritics: bool = True
    arabic_alef: bool = True
    arabic_alef_maqsura: bool = True
    arabic_taa_marbuta: bool = True
    arabic_digits: bool = True
    arabic_proclitics: bool = True
    arabic_min_stem: int = 3
    phrases: tuple[str, ...] = ()
    credits: bool = True
    merge_variants: bool = True
    possessives: bool = True

    def __post_init__(self):
        # accept lists from callers and YAML/JSON, but store tuples (hashable, frozen)
        for name in ("extra_stopwords", "keep_words", "phrases"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(value))
        if self.numbers not in _NUMBER_MODES:
            raise FramescopeError(f"numbers must be one of {', '.join(_NUMBER_MODES)}, not {self.numbers!r}")
        if int(self.min_length) < 0:
            raise FramescopeError(f"min_length must be >= 0, not {self.min_length}")
        if int(self.arabic_min_stem) < 1:
            raise FramescopeError(f"arabic_min_stem must be >= 1, not {self.arabic_min_stem}")
        bad = [p for p in self.phrases if len(p.split()) < 2]
        if bad:
            raise FramescopeError(f"a phrase needs at least two words: {bad[0]!r}")

    def as_dict(self) -> dict:
        """Plain dict (lists for tuples) for manifests and result metadata."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> "TokenOptions":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise FramescopeError(f"unknown token option(s): {', '.join(unknown)}")
        return cls(**d)

    def arabic_flags(self) -> dict[str, bool]:
        """Keyword arguments for :func:`framescope.corpus.text.normalize_arabic`."""
        return {"tatweel": self.arabic_tatweel, "diacritics": self.arabic_diacritics,
                "alef": self.arabic_alef, "alef_maqsura": self.arabic_alef_maqsura,
                "taa_marbuta": self.arabic_taa_marbuta, "digits": self.arabic_digits}


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
def _regexp_tokenizer(kind: str):
    from nltk.tokenize import RegexpTokenizer

    pattern = _EN_PATTERN if kind == "en" else _GENERIC_PATTERN
    return RegexpTokenizer(pattern, flags=re.UNICODE | re.VERBOSE | re.DOTALL)


_NUMBER_RE = re.compile(rf"^{_NUM}$")
_HAS_WORDCHAR = re.compile(rf"{_W}")

_SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "ru": "russian", "sv": "swedish", "da": "danish",
             "fi": "finnish", "hu": "hungarian", "no": "norwegian", "ro": "romanian"}


def _is_arabic(lang: str, text: str = "") -> bool:
    if lang == "ar":
        return True
    if lang in ("und", "", None) and text:
        return dominant_script(text) == "Arabic"
    return False


def _prepare(text: str, arabic: bool, options: TokenOptions) -> str:
    """The analysable form of a text for tokenising (before sentence splitting)."""
    if not arabic:
        return normalize_text(text)
    if options.arabic_normalize:
        # normalize_text would turn digits ASCII unconditionally; the digits flag decides here
        text = clean_whitespace(text).translate(DASHES).translate(QUOTES)
        return normalize_arabic(text, **options.arabic_flags())
    return clean_whitespace(text).translate(DASHES).translate(QUOTES)


def _lang_key(lang: str | None, text: str) -> str:
    if _is_arabic(lang or "", text):
        return "ar"
    return lang or "und"


# --- stopwords, stemming, proclitics -------------------------------------------------------

@functools.lru_cache(maxsize=None)
def stopword_set(lang: str, options: TokenOptions = TokenOptions()) -> frozenset[str]:
    """Stopwords of ``lang`` (stopwordsiso) in the form tokens take under ``options``.

    Arabic entries are normalised with the same flags as the text; entries are lowercased
    (the comparison is made on the lowercased token). ``extra_stopwords`` are added and
    ``keep_words`` removed. Unknown language: only ``extra_stopwords``.
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
def _stem(lang: str, word: str) -> str:
    stemmer = _stemmer(lang)
    return stemmer.stem(word) if stemmer is not None else word


def strip_arabic_proclitics(word: str, min_stem: int = 3, lexicon=None) -> str:
    """A normalised Arabic word without its proclitics (:func:`framescope.analysis.arabic_clitics.segment`).

    Without a ``lexicon`` (a lone word) the article is stripped when ``min_stem`` letters
    remain, a bare و/ف when ``min_stem + 2`` remain, a bare ب ك ل never; with the words of
    the surrounding text as ``lexicon``, a bare proclitic goes when its stem is one of them.
    """
    return segment_arabic(word, lexicon, min_stem)[1]


@functools.lru_cache(maxsize=500_000)
def _arabic_forms(token: str, flags: tuple) -> tuple[str, str]:
    """(surface form for display: no tatweel or diacritics; normalised form)."""
    surface = normalize_arabic(token, tatweel=True, diacritics=True, alef=False, alef_maqsura=False,
                               taa_marbuta=False, digits=False)
    norm = normalize_arabic(token, **dict(flags)) if flags else token
    return surface, norm


@dataclass(frozen=True)
class DocContext:
    """What the rules may know about the document a sentence belongs to.

    ``lexicon``: the normalised Arabic words of the document (the frequency check of the
    bare proclitics); ``capitalised``: its English words written capitalised right after a
    lowercase word, i.e. names (possessives).
    """

    lexicon: frozenset = frozenset()
    capitalised: frozenset = frozenset()

    @classmethod
    def of(cls, raw_sentences: Iterable[tuple[str, list[str]]], options: TokenOptions) -> "DocContext":
        """Context of a document from its ``(lang key, raw tokens)`` sentences."""
        flags = _norm_flags(options)
        lexicon, capitalised = set(), set()
        for key, raw in raw_sentences:
            if key == "ar":
                lexicon.update(_arabic_forms(t, flags)[1] for t in raw)
            else:
                capitalised.update(_proper_nouns(raw))
        return cls(frozenset(lexicon), frozenset(capitalised))


def _proper_nouns(raw: list[str]) -> Iterator[str]:
    """Capitalised words after a lowercase word: names, not sentence starts or headline case."""
    for i in range(1, len(raw)):
        if raw[i][:1].isupper() and raw[i - 1][:1].islower():
            yield raw[i]


def _norm_flags(options: TokenOptions) -> tuple:
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
        text = _prepare(phrase, arabic, options)
        words = [t for t in _regexp_tokenizer("en" if lang == "en" else "generic").tokenize(text)
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

def _filter(raw: list[str], lang: str, options: TokenOptions, context: DocContext | None = None) -> list[str]:
    """Apply phrases, punctuation, numbers, possessives, variants, case, stopwords,
    proclitics, stems and length to the raw tokens of one sentence."""
    return [t for t, _ in _filter_surface(raw, lang, options, context)]


def _english_split(raw: list[str], options: TokenOptions, context: DocContext | None) -> list[str]:
    """Possessive endings removed: "Syria's" and (apostrophe-less) "Syrias" → "Syria".

    One token stays one token, so token positions (KWIC, VRT) never shift."""
    capitalised = context.capitalised if context is not None else frozenset(_proper_nouns(raw))
    capitalised = capitalised | KNOWN_NAMES
    out: list[str] = []
    n = len(raw)
    for i, tok in enumerate(raw):
        low = tok.lower()
        if len(tok) > 2 and (low.endswith("'s") or low.endswith("\u2019s")) and _HAS_WORDCHAR.search(tok[:-2]):
            out.append(tok[:-2])
            continue
        nxt = raw[i + 1] if i + 1 < n else ""
        base = possessive_base(tok, bool(_HAS_WORDCHAR.search(nxt)), capitalised)
        out.append(base if base is not None else tok)
    return out


def _filter_surface(raw: list[str], lang: str, options: TokenOptions,
                    context: DocContext | None = None) -> list[tuple[str, str]]:
    """``(token, surface)`` pairs of one sentence: the token counted and the word as written
    (lowercased; Arabic without tatweel and diacritics but not otherwise normalised)."""
    arabic = lang == "ar"
    if arabic:
        flags = _norm_flags(options)
        forms = [_arabic_forms(t, flags) for t in raw]
        surfaces = [f[0] for f in forms]
        raw = [f[1] for f in forms]
    else:
        if lang == "en" and options.possessives:
            raw = _english_split(raw, options, context)
        surfaces = [t.lower() for t in raw]
    if options.phrases:
        joined, is_phrase = _join_phrases(raw, _phrase_index(options.phrases, lang, options))
        if len(joined) != len(raw):
            surfaces = _join_surfaces(surfaces, raw, joined, is_phrase)
        raw = joined
    else:
        is_phrase = None
    stops = stopword_set(lang, options) if (options.stopwords or options.extra_stopwords) else frozenset()
    variants = lang == "en" and options.merge_variants and options.lowercase
    lexicon = context.lexicon if context is not None else None
    if arabic and options.arabic_proclitics and lexicon is None:
        lexicon = frozenset(raw)  # a lone text: its own words are the lexicon
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(raw):
        surface = surfaces[i]
        if is_phrase is not None and is_phrase[i]:
            out.append((tok, surface))
            continue
        if not _HAS_WORDCHAR.search(tok):
            if options.punctuation:
                out.append((tok, surface))
            continue
        if _NUMBER_RE.match(tok):
            if options.numbers == "keep":
                out.append((tok, surface))
            elif options.numbers == "placeholder":
                out.append((NUMBER_PLACEHOLDER, surface))
            continue
        low = tok.lower()
        if variants:
            tok = low = canonical_variant(tok)
        elif options.lowercase:
            tok = low
        if low in stops:
            continue
        if arabic and options.arabic_proclitics:
            clitics, stem = segment_arabic(tok, lexicon, options.arabic_min_stem, surface, stops)
            if clitics:
                if stem in stops:  # "ولكن" → "لكن", "لهم" → "هم": function words
                    continue
                tok = stem
        if options.stem:
            tok = _stem(lang, tok)
        if len(tok) < options.min_length:
            continue
        out.append((tok, surface))
    return out


def _join_surfaces(surfaces: list[str], raw: list[str], joined: list[str], is_phrase: list[bool]) -> list[str]:
    """Surface forms aligned with the phrase-joined tokens."""
    out: list[str] = []
    i = 0
    for tok, phrase in zip(joined, is_phrase):
        k = len(tok.split(PHRASE_JOINER)) if phrase else 1
        out.append(" ".join(surfaces[i:i + k]) if phrase else surfaces[i])
        i += k
    return out


def _raw_tokens(prepared: str, lang: str) -> list[str]:
    return _regexp_tokenizer("en" if lang == "en" else "generic").tokenize(prepared)


def _prepare_surface(text: str, key: str, options: TokenOptions) -> str:
    """Text for tokenising with surface forms kept: credits out, whitespace, dashes and
    quotes normalised; Arabic letters left as written (normalised token by token)."""
    if options.credits:
        text = strip_credits(text)
    if key != "ar":
        return normalize_text(text)
    return clean_whitespace(text).translate(DASHES).translate(QUOTES)


def tokenize(text: str, lang: str, options: TokenOptions = TokenOptions()) -> list[str]:
    """Tokens of ``text`` in language ``lang`` (ISO 639-1), no sentence split.

    The text is its own document for the rules that look at the document (possessives,
    the proclitic lexicon): :class:`DocContext`.

    >>> tokenize("The US-led coalition killed 1,139 civilians.", "en")
    ['u.s.-led', 'coalition', 'killed', '1,139', 'civilians']
    """
    if not isinstance(text, str) or not text:
        return []
    key = _lang_key(lang, text)
    raw = _raw_tokens(_prepare_surface(text, key, options), key)
    return _filter(raw, key, options, DocContext.of([(key, raw)], options))


# --- sentences -----------------------------------------------------------------------------

_ARABIC_SENT_END = (".", "?", "!", "\u061f")  # ؟
_MODELS: dict[str, object] = {}
_MODEL_NAMES: dict[str, str] = {}
_RULE_SPLIT = re.compile(r"(?<=[.!?\u061f])[\"')\]]*\s+(?=\S)")


def _punkt_lang_vars(lang: str):
    from nltk.tokenize.punkt import PunktLanguageVars

    if lang == "ar":
        class ArabicLanguageVars(PunktLanguageVars):
            sent_end_chars = _ARABIC_SENT_END
        return ArabicLanguageVars()
    return PunktLanguageVars()


# Abbreviations Punkt cannot learn from a small corpus (titles, ranks, months) that would
# otherwise end a sentence; added to every English model, trained or not.
_EN_ABBREVIATIONS = frozenset("""mr mrs ms dr prof gen lt col maj capt sgt cpl adm gov sen rep
pres st jr sr no vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.g i.e
a.m p.m""".split())


def train_punkt(texts: Iterable[str], lang: str, register: bool = True, name: str | None = None):
    """Train an NLTK Punkt sentence tokenizer on ``texts`` (unsupervised; deterministic).

    The texts are normalised as for tokenising. With ``register`` the model becomes the
    one :func:`split_sentences` uses for ``lang`` in this process. Returns the
    :class:`nltk.tokenize.punkt.PunktSentenceTokenizer`.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    lang_vars = _punkt_lang_vars(lang)
    trainer = PunktTrainer(lang_vars=lang_vars)
    trainer.INCLUDE_ALL_COLLOCS = True
    prepared = [_prepare(t, lang == "ar", TokenOptions()) for t in texts if isinstance(t, str) and t]
    if not prepared:
        raise FramescopeError(f"no text to train a sentence model for {lang!r}")
    trainer.train("\n\n".join(prepared), finalize=True)
    params = trainer.get_params()
    if lang == "en":
        params.abbrev_types |= _EN_ABBREVIATIONS
    model = PunktSentenceTokenizer(params, lang_vars=lang_vars)
    if register:
        digest = hashlib.sha256("\n\n".join(prepared).encode("utf-8")).hexdigest()[:12]
        set_sentence_model(lang, model, name or f"punkt:{lang}:trained:{digest}")
    return model


def set_sentence_model(lang: str, model, name: str) -> None:
    """Use ``model`` (anything with ``.tokenize(text) -> list[str]``) for ``lang``."""
    _MODELS[lang] = model
    _MODEL_NAMES[lang] = name


#: The English sentence model shipped with the package (trained once by tools/train_punkt.py
#: on FA-KES); the same file on every machine, whatever $FRAMESCOPE_DATA holds.
SENTENCE_MODEL_FILE = "punkt_en_v1.json.gz"
_DATA = Path(__file__).resolve().parent / "data"


def punkt_params_to_json(params) -> dict:
    """Punkt parameters as plain JSON (sorted, so the same model gives the same bytes)."""
    return {"abbrev_types": sorted(params.abbrev_types),
            "collocations": sorted([list(c) for c in params.collocations]),
            "sent_starters": sorted(params.sent_starters),
            "ortho_context": sorted([k, v] for k, v in params.ortho_context.items())}


_params_to_json = punkt_params_to_json  # name used by framescope.analysis.parallel


def _params_from_json(d: dict):
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(d["abbrev_types"])
    params.collocations = {tuple(c) for c in d["collocations"]}
    params.sent_starters = set(d["sent_starters"])
    for k, v in d["ortho_context"]:
        params.ortho_context[k] = v
    return params


@functools.lru_cache(maxsize=None)
def shipped_sentence_model(lang: str = "en") -> dict | None:
    """Description of the sentence model shipped for ``lang`` (None: rules are used).

    Keys: ``name`` (e.g. ``punkt:en:fakes:v1``), ``version``, ``file``, ``sha256`` of the
    file, ``trained_on`` (file and its sha256). Recorded in every output's metadata.
    """
    if lang != "en":
        return None
    path = _DATA / SENTENCE_MODEL_FILE
    if not path.is_file():
        raise FramescopeError(f"the English sentence model {path} is missing from the package; "
                              "reinstall framescope or run tools/train_punkt.py")
    raw = path.read_bytes()
    payload = json.loads(gzip.decompress(raw).decode("utf-8"))
    return {"name": payload["name"], "version": payload["version"], "file": SENTENCE_MODEL_FILE,
            "sha256": hashlib.sha256(raw).hexdigest(), "trained_on": payload["trained_on"],
            "params": payload["params"]}


def _default_model(lang: str):
    """The shipped Punkt model for English, else None (rules)."""
    found = shipped_sentence_model(lang)
    if found is None:
        return None
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    model = PunktSentenceTokenizer(_params_from_json(found["params"]), lang_vars=_punkt_lang_vars(lang))
    return f"{found['name']}:{found['sha256'][:12]}", model


def _model_for(lang: str):
    if lang not in _MODELS:
        found = _default_model(lang)
        if found is None:
            set_sentence_model(lang, None, "rules")
        else:
            set_sentence_model(lang, found[1], found[0])
    return _MODELS[lang]


def sentence_model_name(lang: str) -> str:
    """Name of the sentence model used for ``lang`` ('rules' or 'punkt:...')."""
    key = "ar" if lang == "ar" else (lang or "und")
    _model_for(key)
    return _MODEL_NAMES[key]


def _split_prepared(prepared: str, key: str) -> list[str]:
    model = _model_for(key)
    out: list[str] = []
    for line in prepared.split("\n"):  # a line break always ends a sentence
        line = line.strip()
        if not line:
            continue
        parts = model.tokenize(line) if model is not None else _RULE_SPLIT.split(line)
        out.extend(p.strip() for p in parts if p.strip())
    return out


def split_sentences(text: str, lang: str, options: TokenOptions = TokenOptions()) -> list[str]:
    """Sentences of ``text`` (in its analysable, normalised form).

    Line breaks always end a sentence. Within a line: the Punkt model registered for the
    language (:func:`train_punkt`); for English by default the Punkt model shipped in
    ``analysis/data/`` (trained once on FA-KES by ``tools/train_punkt.py``; see
    :func:`shipped_sentence_model`), so the result never depends on the environment; otherwise
    a rule: a sentence ends at . ! ? ؟ followed by white space. Arabic end marks include
    '؟'. Deterministic in every case; :func:`sentence_model_name` says which was used.
    """
    if not isinstance(text, str) or not text:
        return []
    key = _lang_key(lang, text)
    return _split_prepared(_prepare(text, key == "ar", options), key)


# --- Tokens over a corpus ------------------------------------------------------------------

@dataclass
class Tokens:
    """Tokens of a corpus, document by document and sentence by sentence.

    ``doc_ids[i]`` is document *i*; ``docs[i]`` its sentences (each a list of str);
    ``sent_langs[i][j]`` the language of sentence *j* (its segment's ``lang``) and
    ``sent_segs[i][j]`` its segment number. Iterating yields one flat token list per
    document; :meth:`sentences` yields one token list per sentence. A token's language is
    that of its sentence; counts key terms by ``(lang, token)``.
    """

    doc_ids: list[str]
    docs: list[list[list[str]]]
    sent_langs: list[list[str]]
    sent_segs: list[list[int]]
    options: TokenOptions = field(default_factory=TokenOptions)
    corpus_id: str | None = None
    sentence_models: dict[str, str] = field(default_factory=dict)
    #: how each term is written: lang, term, surface, count (of the whole corpus when the
    #: tokens come from the token store); see :func:`framescope.analysis.surface.surface_forms`
    surfaces: pd.DataFrame | None = field(default=None, repr=False)
    #: where the tokens came from: the token store folder, or None (tokenised here)
    store: str | None = None

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __iter__(self) -> Iterator[list[str]]:
        for sents in self.docs:
            yield [t for s in sents for t in s]

    def sentences(self) -> Iterator[list[str]]:
        for sents in self.docs:
            yield from sents

    def sentences_with_lang(self) -> Iterator[tuple[int, str, list[str]]]:
        """(document index, language, tokens) for every sentence."""
        for i, (sents, langs) in enumerate(zip(self.docs, self.sent_langs)):
            for s, lang in zip(sents, langs):
                yield i, lang, s

    @property
    def langs(self) -> list[tuple[str, ...]]:
        """Languages of each document's sentences, sorted."""
        return [tuple(sorted(set(l))) for l in self.sent_langs]

    def n_tokens(self) -> int:
        return sum(len(s) for sents in self.docs for s in sents)

    def select(self, keep: Sequence[bool] | Sequence[str]) -> "Tokens":
        """Documents by boolean mask or by doc_id (in the order of this object)."""
        if len(keep) and isinstance(next(iter(keep)), str):
            wanted = set(keep)
            mask = [d in wanted for d in self.doc_ids]
        else:
            mask = list(keep)
        idx = [i for i, m in enumerate(mask) if m]
        return Tokens([self.doc_ids[i] for i in idx], [self.docs[i] for i in idx],
                      [self.sent_langs[i] for i in idx], [self.sent_segs[i] for i in idx],
                      self.options, self.corpus_id, dict(self.sentence_models), self.surfaces, self.store)

    def to_frame(self) -> pd.DataFrame:
        """Tidy tokens: doc_id, seg, sent (0.. within the document), pos (0.. within the
        sentence), lang, token."""
        rows_doc, rows_seg, rows_sent, rows_pos, rows_lang, rows_tok = [], [], [], [], [], []
        for doc_id, sents, langs, segs in zip(self.doc_ids, self.docs, self.sent_langs, self.sent_segs):
            for j, (s, lang, seg) in enumerate(zip(sents, langs, segs)):
                n = len(s)
                rows_doc.extend([doc_id] * n)
                rows_seg.extend([seg] * n)
                rows_sent.extend([j] * n)
                rows_pos.extend(range(n))
                rows_lang.extend([lang] * n)
                rows_tok.extend(s)
        return pd.DataFrame({"doc_id": rows_doc, "seg": pd.array(rows_seg, dtype="int64"),
                             "sent": pd.array(rows_sent, dtype="int64"),
                             "pos": pd.array(rows_pos, dtype="int64"),
                             "lang": rows_lang, "token": rows_tok})

    def metadata(self) -> dict:
        """What to record next to a result computed from these tokens: corpus_id, token
        options, token-layer version, sentence models and rule files
        (:func:`token_metadata`) and counts."""
        meta = {"corpus_id": self.corpus_id, **token_metadata(self.options)}
        meta["sentence_models"] = {**meta["sentence_models"], **dict(sorted(self.sentence_models.items()))}
        # not the store's path: the same tokens give the same metadata wherever they were read
        meta.update({"n_documents": len(self), "n_tokens": self.n_tokens()})
        return meta

    @classmethod
    def concat(cls, parts: Sequence["Tokens"]) -> "Tokens":
        if not parts:
            return cls([], [], [], [])
        models: dict[str, str] = {}
        for p in parts:
            models.update(p.sentence_models)
        return cls([d for p in parts for d in p.doc_ids], [d for p in parts for d in p.docs],
                   [d for p in parts for d in p.sent_langs], [d for p in parts for d in p.sent_segs],
                   parts[0].options, parts[0].corpus_id, models, parts[0].surfaces, parts[0].store)


def _raw_sentences(text, lang, seg, options: TokenOptions, models: dict | None = None) -> list[tuple]:
    """``(lang key, sentence lang, seg, raw tokens)`` of every sentence of one segment."""
    if not isinstance(text, str) or not text:
        return []
    lang = lang if isinstance(lang, str) and lang else "und"
    key = _lang_key(lang, text)
    seg_no = int(seg) if seg is not None else 0
    out = [(key, "ar" if key == "ar" else lang, seg_no, _raw_tokens(sentence, key))
           for sentence in _split_prepared(_prepare_surface(text, key, options), key)]
    if models is not None:
        models[key] = _MODEL_NAMES.get(key, "rules")
    return out


def document_raw_tokens(corpus, doc_id: str, options: TokenOptions = TokenOptions()) -> list[tuple[str, list[str]]]:
    """``(lang key, raw tokens)`` of each sentence of one document, as the rules see it
    before filtering (what :class:`DocContext` is built from)."""
    segs = corpus.analysable_segments(include_duplicates=True)
    segs = segs[segs["doc_id"] == doc_id].sort_values("seg", kind="stable")
    return [(key, raw) for text, lang, seg in zip(segs["text"], segs["lang"], segs["seg"])
            for key, _, _, raw in _raw_sentences(text, lang, seg, options)]


def _tokenize_segments(segs: pd.DataFrame, options: TokenOptions, surfaces=None) -> tuple:
    """Tokens of analysable segments in (doc order of first appearance, seg order).

    Each document is read twice: its raw tokens first (they are its :class:`DocContext`),
    then the rules. ``surfaces``: a Counter that receives ``(lang, token, surface)``.
    """
    doc_ids: list[str] = []
    docs: list[list[list[str]]] = []
    langs: list[list[str]] = []
    seg_nos: list[list[int]] = []
    models: dict[str, str] = {}
    position: dict[str, int] = {}
    pending: list[list] = []  # per document: (key, lang, seg, raw tokens) per sentence
    for doc_id, seg, lang, text in zip(segs["doc_id"], segs["seg"], segs["lang"], segs["text"]):
        i = position.get(doc_id)
        if i is None:
            i = position[doc_id] = len(doc_ids)
            doc_ids.append(doc_id)
            pending.append([])
        pending[i].extend(_raw_sentences(text, lang, seg, options, models))
    for sentences in pending:
        context = DocContext.of(((key, raw) for key, _, _, raw in sentences), options)
        doc, doc_langs, doc_segs = [], [], []
        for key, lang, seg_no, raw in sentences:
            pairs = _filter_surface(raw, key, options, context)
            doc.append([t for t, _ in pairs])
            if surfaces is not None:
                surfaces.update((lang, t, w) for t, w in pairs)
            doc_langs.append(lang)
            doc_segs.append(seg_no)
        docs.append(doc)
        langs.append(doc_langs)
        seg_nos.append(doc_segs)
    return doc_ids, docs, langs, seg_nos, models


def _ordered_segments(corpus, include_duplicates: bool, lang: str | None) -> pd.DataFrame:
    segs = corpus.analysable_segments(include_duplicates=include_duplicates, lang=lang)
    # documents in corpus order, segments in document order: stable, whatever the file order
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])}
    segs = segs.assign(_doc=segs["doc_id"].map(order)).sort_values(["_doc", "seg"], kind="stable")
    return segs.drop(columns="_doc")


def iter_tokens(corpus, options: TokenOptions = TokenOptions(), lang: str | None = None,
                include_duplicates: bool = False, batch_size: int = 2000,
                store: bool | None = None) -> Iterator[Tokens]:
    """Stream :class:`Tokens` in batches of ``batch_size`` documents (corpus order).

    Counting functions consume batches and merge by summing (issue 7: bounded memory,
    workers, Dask). Documents with no analysable segment (all boilerplate, duplicates,
    other language) are not yielded. ``store``: as in :func:`tokens`.
    """
    if batch_size < 1:
        raise FramescopeError("batch_size must be >= 1")
    stored = _stored(corpus, options, store)
    if stored is not None:
        yield from _from_store(stored, corpus, options, lang, include_duplicates, batch_size)
        return
    segs = _ordered_segments(corpus, include_duplicates, lang)
    doc_ids = pd.unique(segs["doc_id"])
    for start in range(0, len(doc_ids), batch_size):
        batch_ids = set(doc_ids[start:start + batch_size])
        part = segs[segs["doc_id"].isin(batch_ids)]
        surfaces: Counter = Counter()
        ids, docs, langs, seg_nos, models = _tokenize_segments(part, options, surfaces)
        yield Tokens(ids, docs, langs, seg_nos, options, corpus.corpus_id, models, _surface_frame(surfaces))


def tokens(corpus, options: TokenOptions = TokenOptions(), lang: str | None = None,
           include_duplicates: bool = False, store: bool | None = None) -> Tokens:
    """Tokens of every analysable segment of ``corpus``, each in its own language.

    ``lang`` keeps only segments in that language; ``include_duplicates`` keeps documents
    marked ``duplicate_of``. Documents without analysable text are absent from the result.

    A corpus loaded from a folder is tokenised once per token options: the first call on
    the whole corpus writes the token store beside it (:mod:`framescope.analysis.token_store`) and
    every later call, in any process, reads it; a subset or partition of the corpus reads
    its documents from the store when there is one (and is tokenised here otherwise, so a
    query on a few documents never waits for the whole corpus).
    ``store=False`` (or ``$FRAMESCOPE_TOKEN_STORE=0``) tokenises here and writes nothing;
    an in-memory corpus (no folder) is always tokenised here. The tokens are identical
    either way.
    """
    stored = _stored(corpus, options, store)
    if stored is not None:
        parts = list(_from_store(stored, corpus, options, lang, include_duplicates, None))
        return parts[0] if parts else Tokens([], [], [], [], options, corpus.corpus_id,
                                             dict(stored.meta.get("sentence_model_names", {})),
                                             stored.surfaces, stored.meta.get("path"))
    segs = _ordered_segments(corpus, include_duplicates, lang)
    surfaces: Counter = Counter()
    ids, docs, langs, seg_nos, models = _tokenize_segments(segs, options, surfaces)
    return Tokens(ids, docs, langs, seg_nos, options, corpus.corpus_id, models, _surface_frame(surfaces))


def _surface_frame(counter: Counter) -> pd.DataFrame:
    rows = sorted(counter.items())
    return pd.DataFrame({"lang": [k[0] for k, _ in rows], "term": [k[1] for k, _ in rows],
                         "surface": [k[2] for k, _ in rows],
                         "count": pd.array([n for _, n in rows], dtype="int64")})


# --- the token store --------------------------------------------------------------------------

#: Version of the token layer: bumped whenever the same text and options give other tokens.
#: 2: credits removed, variants merged, possessives split, Arabic proclitics on by default,
#: the shipped English sentence model.
TOKEN_LAYER_VERSION = 2
_RULE_FILES = ("arabic_lexicon_v1.tsv.gz", "arabic_clitic_exceptions.txt", "variants_en.csv")


_CODE_FILES = ("tokens.py", "token_rules.py", "arabic_clitics.py")


@functools.lru_cache(maxsize=None)
def _rule_files_digest() -> dict[str, str]:
    """sha256 prefixes of the rule files and of the token layer's code: a store made by other
    code is never read, even where the token-layer version was not bumped."""
    here = Path(__file__).resolve().parent
    digest = {name: hashlib.sha256((_DATA / name).read_bytes()).hexdigest()[:16] for name in _RULE_FILES}
    code = hashlib.sha256()
    for name in _CODE_FILES:
        code.update((here / name).read_bytes())
    digest["code"] = code.hexdigest()[:16]
    return digest


def token_metadata(options: TokenOptions = TokenOptions()) -> dict:
    """What every output's ``.meta.json`` records about its tokens.

    Returns
    -------
    dict
        ``token_layer_version``, ``token_options`` (:meth:`TokenOptions.as_dict`),
        ``sentence_models`` (language → model name: for English the shipped Punkt model
        with its version and file hash, e.g. ``punkt:en:fakes:v1:3f2a...``; ``rules``
        elsewhere, or whatever :func:`set_sentence_model` registered), ``sentence_model_file``
        (file, version, sha256 of the shipped English model) and ``rule_files`` (sha256
        prefixes of the lexicon, exception and variant files, and ``code``: of the token
        layer's modules).
    """
    sentence_model_name("en")
    sentence_model_name("ar")
    shipped = shipped_sentence_model("en")
    # English, Arabic and any language given a model of its own (others split by rules)
    models = {lang: name for lang, name in _MODEL_NAMES.items() if lang in ("en", "ar") or name != "rules"}
    return {"token_layer_version": TOKEN_LAYER_VERSION, "token_options": options.as_dict(),
            "sentence_models": dict(sorted(models.items())),
            "sentence_model_file": {k: shipped[k] for k in ("file", "version", "sha256")},
            "rule_files": _rule_files_digest()}


def _store_enabled(store: bool | None) -> bool:
    if store is not None:
        return bool(store)
    return os.environ.get("FRAMESCOPE_TOKEN_STORE", "1").strip().lower() not in ("0", "false", "no", "off")


def _folder_corpus_id(path) -> str | None:
    try:
        return json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8")).get("corpus_id")
    except (OSError, ValueError):
        return None


def token_store_key(corpus_id: str, options: TokenOptions = TokenOptions()) -> tuple[str, dict]:
    """``(key, parts)`` of the token store of ``corpus_id`` under ``options``."""
    from framescope.analysis.token_store import store_key

    parts = {"corpus_id": corpus_id, **token_metadata(options)}
    return store_key(parts), parts


def _stored(corpus, options: TokenOptions, store: bool | None):
    """The token store of ``corpus`` under ``options`` (built now if missing), or None when
    the corpus has no folder of its own, the store is switched off, or its folder's
    corpus_id differs from the corpus's (an in-memory change: tokenise it here)."""
    path = getattr(corpus, "path", None)
    if not _store_enabled(store) or path is None or not corpus.corpus_id:
        return None
    if _folder_corpus_id(path) != corpus.corpus_id:
        return None
    if not _is_whole(corpus, path) and not _store_exists(path, corpus.corpus_id, options):
        return None  # a subset or partition reads a store but does not build one
    return open_token_store(path, options, corpus=corpus)


def _store_exists(path, corpus_id: str, options: TokenOptions) -> bool:
    from framescope.analysis.token_store import store_folder

    key, _ = token_store_key(corpus_id, options)
    meta = store_folder(path, corpus_id, key) / "meta.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False


def open_token_store(path, options: TokenOptions = TokenOptions(), progress: bool = False,
                     rebuild: bool = False, corpus=None):
    """The token store of the corpus folder ``path`` under ``options``, built if missing.

    Parameters
    ----------
    path : path-like
        A corpus folder written by ``framescope build``.
    options : TokenOptions
    progress : bool
        Show a progress bar (tqdm) while building.
    rebuild : bool
        Build again even if a complete store with the same key exists.
    corpus : Corpus, optional
        The loaded corpus, if the caller has it whole (saves reading it again).

    Returns
    -------
    framescope.analysis.token_store.StoreArrays
        With ``meta['path']`` the store folder and ``meta['built']`` whether it was built now.
    """
    from framescope.analysis.token_store import read_store, store_folder, store_lock, write_store

    corpus_id = _folder_corpus_id(path)
    if not corpus_id:
        raise FramescopeError(f"{path} has no corpus_id in its manifest.json: not a framescope corpus")
    key, parts = token_store_key(corpus_id, options)
    folder = store_folder(path, corpus_id, key)
    found = None if rebuild else read_store(folder, key)
    if found is None:
        with store_lock(folder):
            found = None if rebuild else read_store(folder, key)  # another process may have built it
            if found is None:
                full = corpus if corpus is not None and _is_whole(corpus, path) else _load_corpus(path)
                write_store(folder, _encode_store(full, options, key, parts, progress))
                found = read_store(folder, key)
                found.meta["built"] = True
    found.meta["path"] = str(folder)
    return found


def _load_corpus(path):
    from framescope.corpus.store import load

    return load(path)


def _is_whole(corpus, path) -> bool:
    """``corpus`` holds every document of its folder, with their segments."""
    if corpus.manifest.get("subset") or "text" not in corpus.segments:
        return False
    from framescope.corpus.store import read_documents

    on_disk = read_documents(path, columns=["doc_id"])["doc_id"]
    return len(on_disk) == len(corpus.documents) and on_disk.tolist() == corpus.documents["doc_id"].tolist()


def _encode_store(corpus, options: TokenOptions, key: str, parts: dict, progress: bool):
    """Tokenise every analysable segment of ``corpus`` (duplicates included) into arrays."""
    import datetime

    import numpy as np
    from tqdm import tqdm

    from framescope.analysis.token_store import StoreArrays
    from framescope.corpus import __version__

    segs = _ordered_segments(corpus, include_duplicates=True, lang=None)
    doc_ids = pd.unique(segs["doc_id"])
    vocab: dict[str, int] = {}
    ids: list[int] = []
    sent_rows: dict[str, list] = {"doc": [], "sentence": [], "seg": [], "lang": [], "n_tokens": []}
    surfaces: Counter = Counter()
    models: dict[str, str] = {}
    batch = 500
    bar = tqdm(total=len(doc_ids), unit="doc", desc="tokenising", disable=not progress, leave=False)
    for start in range(0, len(doc_ids), batch):
        part = segs[segs["doc_id"].isin(set(doc_ids[start:start + batch]))]
        b_ids, b_docs, b_langs, b_segs, b_models = _tokenize_segments(part, options, surfaces)
        models.update(b_models)
        for k, (sents, langs, seg_nos) in enumerate(zip(b_docs, b_langs, b_segs)):
            d = start + k
            for j, (sent, lang, seg) in enumerate(zip(sents, langs, seg_nos)):
                sent_rows["doc"].append(d)
                sent_rows["sentence"].append(j)
                sent_rows["seg"].append(seg)
                sent_rows["lang"].append(lang)
                sent_rows["n_tokens"].append(len(sent))
                ids.extend(vocab.setdefault(t, len(vocab)) for t in sent)
        bar.update(len(b_ids))
    bar.close()
    position = {d: i for i, d in enumerate(doc_ids)}
    segments = pd.DataFrame({"doc": segs["doc_id"].map(position).to_numpy(dtype=np.int32),
                             "seg": segs["seg"].fillna(0).to_numpy(dtype=np.int32),
                             "seg_lang": segs["lang"].fillna("und").astype(str).to_numpy()})
    sentences = pd.DataFrame({"doc": np.asarray(sent_rows["doc"], dtype=np.int32),
                              "sentence": np.asarray(sent_rows["sentence"], dtype=np.int32),
                              "seg": np.asarray(sent_rows["seg"], dtype=np.int32),
                              "lang": sent_rows["lang"],
                              "n_tokens": np.asarray(sent_rows["n_tokens"], dtype=np.int32)})
    meta = {"key": key, **parts, "sentence_model_names": models, "n_documents": len(doc_ids),
            "n_sentences": len(sentences), "n_tokens": len(ids), "n_types": len(vocab),
            "framescope_version": __version__,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    return StoreArrays(np.asarray(doc_ids, dtype=object), segments, sentences, np.asarray(ids, dtype=np.int32),
                       np.asarray(list(vocab), dtype=object), _surface_frame(surfaces), meta)


def _from_store(stored, corpus, options: TokenOptions, lang: str | None, include_duplicates: bool,
                batch_size: int | None) -> Iterator[Tokens]:
    """The documents of ``corpus`` (a whole corpus, a subset or a partition) from the store,
    as :func:`tokens` would have tokenised them, in batches of ``batch_size`` documents."""
    import numpy as np

    docs = corpus.documents
    wanted = docs["doc_id"]
    if not include_duplicates and "duplicate_of" in docs:
        wanted = wanted[docs["duplicate_of"].isna()]
    index = pd.Series(np.arange(len(stored.doc_ids)), index=stored.doc_ids)
    doc_idx = index.reindex(pd.unique(wanted.to_numpy())).dropna().to_numpy(dtype=np.int64)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    # documents in the corpus's order, as _ordered_segments sorts them
    doc_idx = np.array(sorted(doc_idx, key=lambda i: order[stored.doc_ids[i]]), dtype=np.int64)
    segs = stored.segments
    if lang is not None:
        segs = segs[segs["seg_lang"] == lang]
    present = set(segs["doc"].tolist())
    doc_idx = np.array([i for i in doc_idx if i in present], dtype=np.int64)
    sent = stored.sentences
    offsets = np.concatenate([[0], np.cumsum(sent["n_tokens"].to_numpy(dtype=np.int64))])
    keep_seg = set(zip(segs["doc"].tolist(), segs["seg"].tolist())) if lang is not None else None
    by_doc = {d: g for d, g in zip(*np.unique(sent["doc"].to_numpy(), return_index=True))}
    first = sent["doc"].to_numpy()
    counts = np.bincount(first, minlength=len(stored.doc_ids))
    vocab = stored.vocab
    models = dict(stored.meta.get("sentence_model_names", {}))
    folder = stored.meta.get("path")
    step = batch_size or max(1, len(doc_idx))
    sent_seg = sent["seg"].to_numpy()
    sent_lang = sent["lang"].to_numpy()
    for start in range(0, len(doc_idx), step):
        ids, out_docs, out_langs, out_segs = [], [], [], []
        for d in doc_idx[start:start + step]:
            lo = by_doc.get(d, 0)
            doc, langs, seg_nos = [], [], []
            for r in range(lo, lo + int(counts[d])):
                if keep_seg is not None and (int(d), int(sent_seg[r])) not in keep_seg:
                    continue
                doc.append(vocab[stored.token_ids[offsets[r]:offsets[r + 1]]].tolist())
                langs.append(sent_lang[r])
                seg_nos.append(int(sent_seg[r]))
            ids.append(stored.doc_ids[d])
            out_docs.append(doc)
            out_langs.append(langs)
            out_segs.append(seg_nos)
        yield Tokens(ids, out_docs, out_langs, out_segs, options, corpus.corpus_id, models, stored.surfaces, folder)


# --- detected phrases ----------------------------------------------------------------------

def detect_phrases(toks: Tokens | Iterable[list[str]], min_count: int = 5, threshold: float = 0.5,
                   max_vocab_size: int = 40_000_000) -> tuple[str, ...]:
    """Two-word phrases found by gensim ``Phrases`` with NPMI scoring (Bouma 2009).

    A bigram a_b is a phrase when its normalised PMI ≥ ``threshold`` (in [-1, 1]) and it
    occurs at least ``min_count`` times, counted within sentences. Deterministic (pure
    counting; no randomness). Returns phrases as space-separated strings, sorted, ready for
    ``TokenOptions(phrases=...)`` so the choice is recorded with the options. Detect on
    unstemmed tokens so the phrases match the surface text.
    """
    from gensim.models.phrases import Phrases

    sentences = toks.sentences() if isinstance(toks, Tokens) else toks
    model = Phrases(list(sentences), min_count=min_count, threshold=threshold, scoring="npmi",
                    delimiter=PHRASE_JOINER, max_vocab_size=max_vocab_size)
    found = model.export_phrases()
    return tuple(sorted(p.replace(PHRASE_JOINER, " ") for p in found))


# Public names of the helpers that counting and export share (one tokenisation path).
lang_key = _lang_key
prepare_text = _prepare
raw_tokens = _raw_tokens
filter_tokens = _filter
stem_word = _stem  # public name for other modules
ordered_segments = _ordered_segments  # public name for other modules
