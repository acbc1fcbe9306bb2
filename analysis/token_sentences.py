"""Text preparation and sentence splitting for the token layer.

Every tokenising path starts here: :func:`prepare_text` / :func:`prepare_surface` give the
analysable form of a text (credits out, whitespace, dashes and quotes normalised; Arabic
normalised or kept as written), :func:`lang_key` the language a segment is tokenised in, and
:func:`split_sentences` its sentences.

Sentences: NLTK Punkt. For English the model shipped in ``analysis/data/`` (trained once on
FA-KES by ``tools/train_punkt.py``; nothing is downloaded or trained at run time), so the same
corpus gives the same sentences on every machine; for Arabic and other languages a rule (a
sentence ends at . ! ? ؟ followed by white space) unless a model is registered with
:func:`set_sentence_model` or :func:`train_punkt`. A line break always ends a sentence.

References
----------
Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
*Computational Linguistics*, 32(4), 485–525.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Iterable

from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_rules import strip_credits
from framescope.corpus.errors import FramescopeError
from framescope.corpus.text import DASHES, QUOTES, clean_whitespace, dominant_script, normalize_arabic, normalize_text

__all__ = ["is_arabic", "lang_key", "prepare_text", "prepare_surface", "split_sentences", "split_prepared",
           "train_punkt", "set_sentence_model", "sentence_model_name", "sentence_model_names",
           "sentence_model_state", "restore_sentence_models", "shipped_sentence_model",
           "punkt_params_to_json", "punkt_params_from_json", "SENTENCE_MODEL_FILE"]


# Dashes and quotes folded in one regex pass: the same as str.translate(DASHES) then
# translate(QUOTES) (character for character; no dash becomes a quote), but translate pays a
# dict look-up for every character of a long Arabic text.
_FOLD_TABLE = {chr(k): v for table in (DASHES, QUOTES) for k, v in table.items()}
_FOLD_RE = re.compile("[" + re.escape("".join(sorted(_FOLD_TABLE))) + "]")


def _fold_dashes_quotes(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLD_TABLE[m.group()], text)


def is_arabic(lang: str, text: str = "") -> bool:
    """Whether a text is tokenised as Arabic.

    Parameters
    ----------
    lang : str
        The segment's language code.
    text : str
        The text; used only when ``lang`` is undetermined (``und`` or empty), where the
        dominant script decides.

    Returns
    -------
    bool
        True for ``ar`` and for undetermined text whose dominant script is Arabic.
    """
    if lang == "ar":
        return True
    if lang in ("und", "", None) and text:
        return dominant_script(text) == "Arabic"
    return False


def lang_key(lang: str | None, text: str) -> str:
    """The language a text is tokenised in: ``"ar"`` for Arabic (also undetermined text in
    Arabic script), else ``lang`` (``"und"`` when missing).

    Parameters
    ----------
    lang : str or None
        The segment's language code.
    text : str
        The text (its script decides when ``lang`` is undetermined).

    Returns
    -------
    str
        ``"ar"``, ``lang``, or ``"und"`` when ``lang`` is missing and the text is not
        Arabic script.
    """
    if is_arabic(lang or "", text):
        return "ar"
    return lang or "und"


def prepare_text(text: str, arabic: bool, options: TokenOptions) -> str:
    """The analysable, normalised form of a text (before sentence splitting).

    Parameters
    ----------
    text : str
        A segment's text as stored (``segments.text``).
    arabic : bool
        Arabic text is normalised with the options' ``arabic_*`` flags
        (:func:`framescope.corpus.text.normalize_arabic`); other text with
        :func:`framescope.corpus.text.normalize_text`.
    options : TokenOptions
        Tokenisation options: ``arabic_normalize`` and the ``arabic_*`` flags decide
        the Arabic normalisation (other fields are not used here).

    Returns
    -------
    str
        The normalised text, line breaks kept (they end sentences).
    """
    if not arabic:
        return normalize_text(text)
    if options.arabic_normalize:
        # normalize_text would turn digits ASCII unconditionally; the digits flag decides here
        text = _fold_dashes_quotes(clean_whitespace(text))
        return normalize_arabic(text, **options.arabic_flags())
    return _fold_dashes_quotes(clean_whitespace(text))


def prepare_surface(text: str, key: str, options: TokenOptions) -> str:
    """Text for tokenising with surface forms kept.

    Credits out (``options.credits``), whitespace, dashes and quotes normalised; Arabic
    letters left as written (they are normalised token by token, so the written form can be
    shown).

    Parameters
    ----------
    text : str
        A segment's text as stored (``segments.text``).
    key : str
        The language key (:func:`lang_key`).
    options : TokenOptions
        Tokenisation options; ``credits`` decides whether agency credits are removed.

    Returns
    -------
    str
        The text ready for :func:`split_prepared` and the surface tokeniser.
    """
    if options.credits:
        text = strip_credits(text)
    if key != "ar":
        return normalize_text(text)
    return _fold_dashes_quotes(clean_whitespace(text))


# --- sentence models -------------------------------------------------------------------------

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

    Parameters
    ----------
    texts : iterable of str
        Training texts, normalised here as for tokenising (:func:`prepare_text`).
    lang : str
        Language code (``"ar"`` adds ؟ to the sentence-end marks; English models get the
        titles, ranks and months Punkt cannot learn from a small corpus).
    register : bool, default True
        Make the model the one :func:`split_sentences` uses for ``lang`` in this process.
    name : str, optional
        Name recorded in metadata (default ``punkt:<lang>:trained:<hash of the texts>``).

    Returns
    -------
    nltk.tokenize.punkt.PunktSentenceTokenizer
        The trained model (its parameters serialise with :func:`punkt_params_to_json`).

    References
    ----------
    Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
    *Computational Linguistics*, 32(4), 485–525.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    lang_vars = _punkt_lang_vars(lang)
    trainer = PunktTrainer(lang_vars=lang_vars)
    trainer.INCLUDE_ALL_COLLOCS = True
    prepared = [prepare_text(t, lang == "ar", TokenOptions()) for t in texts if isinstance(t, str) and t]
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
    """Use ``model`` for ``lang`` in this process.

    Parameters
    ----------
    lang : str
        Language code.
    model : object or None
        Anything with ``.tokenize(text) -> list[str]``; None: the rule.
    name : str
        What metadata records (:func:`sentence_model_name`).
    """
    _MODELS[lang] = model
    _MODEL_NAMES[lang] = name


#: The English sentence model shipped with the package (trained once by tools/train_punkt.py
#: on FA-KES); the same file on every machine, whatever $FRAMESCOPE_DATA holds.
SENTENCE_MODEL_FILE = "punkt_en_v1.json.gz"
_DATA = Path(__file__).resolve().parent / "data"


def punkt_params_to_json(params) -> dict:
    """Punkt parameters as plain JSON (sorted, so the same model gives the same bytes).

    Parameters
    ----------
    params : nltk.tokenize.punkt.PunktParameters
        The learnt parameters of a Punkt model (``tokenizer._params``).

    Returns
    -------
    dict
        ``abbrev_types``, ``collocations``, ``sent_starters``, ``ortho_context`` as sorted lists.
    """
    return {"abbrev_types": sorted(params.abbrev_types),
            "collocations": sorted([list(c) for c in params.collocations]),
            "sent_starters": sorted(params.sent_starters),
            "ortho_context": sorted([k, v] for k, v in params.ortho_context.items())}


def punkt_params_from_json(d: dict):
    """The inverse of :func:`punkt_params_to_json`.

    Parameters
    ----------
    d : dict
        As :func:`punkt_params_to_json` returns it.

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters
        Parameters equal to those that were serialised.
    """
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
    """Description of the sentence model shipped for ``lang``.

    Parameters
    ----------
    lang : str

    Returns
    -------
    dict or None
        ``name`` (e.g. ``punkt:en:fakes:v1``), ``version``, ``file``, ``sha256`` of the
        file, ``trained_on`` (file and its sha256) and ``params``; None when no model is
        shipped for ``lang`` (the rule is used). Recorded in every output's metadata.
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

    model = PunktSentenceTokenizer(punkt_params_from_json(found["params"]), lang_vars=_punkt_lang_vars(lang))
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
    """Name of the sentence model used for ``lang``.

    Parameters
    ----------
    lang : str
        A language key (:func:`lang_key`).

    Returns
    -------
    str
        ``'rules'`` or ``'punkt:...'`` (with the shipped file's hash for English).
    """
    key = "ar" if lang == "ar" else (lang or "und")
    _model_for(key)
    return _MODEL_NAMES[key]


def sentence_model_names() -> dict[str, str]:
    """Language → name of every sentence model used or registered so far in this process.

    Returns
    -------
    dict of str to str
        Language key → model name as :func:`sentence_model_name` gives it (recorded in
        token store metadata).
    """
    return dict(_MODEL_NAMES)


def sentence_model_state() -> list[tuple]:
    """The registered sentence models in a picklable form, for worker processes.

    Returns
    -------
    list of tuple
        ``(lang, name, ("punkt", params as JSON) | ("object", model))``, sorted by language;
        give it to :func:`restore_sentence_models` in the worker.
    """
    sentence_model_name("en")
    state = []
    for lang in sorted(_MODELS):
        model = _MODELS[lang]
        params = getattr(model, "_params", None)
        state.append((lang, _MODEL_NAMES[lang],
                      ("punkt", punkt_params_to_json(params)) if params is not None else ("object", model)))
    return state


def restore_sentence_models(state: list[tuple]) -> None:
    """Register the sentence models of :func:`sentence_model_state` in this process.

    Parameters
    ----------
    state : list of tuple
        As :func:`sentence_model_state` returns it. A language whose model of the same name
        is already registered is left alone.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    for lang, name, (kind, value) in state:
        if _MODEL_NAMES.get(lang) == name:
            continue
        model = (PunktSentenceTokenizer(punkt_params_from_json(value), lang_vars=_punkt_lang_vars(lang))
                 if kind == "punkt" else value)
        set_sentence_model(lang, model, name)


def split_prepared(prepared: str, key: str) -> list[str]:
    """Sentences of a text already prepared (:func:`prepare_text`, :func:`prepare_surface`).

    Parameters
    ----------
    prepared : str
        Output of :func:`prepare_text` or :func:`prepare_surface`.
    key : str
        Language key (:func:`lang_key`): which sentence model splits it.

    Returns
    -------
    list of str
        The non-empty sentences, stripped, in order; a line break always ends one.
    """
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

    Parameters
    ----------
    text : str
        A segment's text as stored; it is normalised first (:func:`prepare_text`).
    lang : str
        Language code of the text (ISO 639-1; ``und`` lets the script decide).
    options : TokenOptions
        Arabic normalisation flags.

    Returns
    -------
    list of str
        The sentences of the normalised text, in order, stripped, none empty.

    References
    ----------
    Kiss, T., & Strunk, J. (2006). Unsupervised multilingual sentence boundary detection.
    *Computational Linguistics*, 32(4), 485–525.

    Examples
    --------
    >>> split_sentences("Dr. Smith left. He came back.", "en")
    ['Dr. Smith left.', 'He came back.']
    """
    if not isinstance(text, str) or not text:
        return []
    key = lang_key(lang, text)
    return split_prepared(prepare_text(text, key == "ar", options), key)
