"""Token options: how text becomes tokens, as one frozen, hashable config object.

:class:`TokenOptions` is what every tokenising function takes (scikit-learn style: one
config object instead of twenty keyword arguments); :meth:`TokenOptions.as_dict` is what
every output's ``.meta.json`` records (:func:`framescope.analysis.token_store.token_metadata`).
The options are applied by :mod:`framescope.analysis.token_words` (word tokenisation and
filtering) and :mod:`framescope.analysis.token_sentences` (text preparation and sentences).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from framescope.corpus.errors import FramescopeError

__all__ = ["TokenOptions", "NUMBER_PLACEHOLDER", "PHRASE_JOINER", "NUMBER_MODES"]

#: Token that replaces numbers with ``numbers='placeholder'``.
NUMBER_PLACEHOLDER = "<num>"
#: Character joining the words of a multiword unit ("white_phosphorus").
PHRASE_JOINER = "_"

#: Values of ``TokenOptions.numbers``.
NUMBER_MODES = ("keep", "drop", "placeholder")


@dataclass(frozen=True)
class TokenOptions:
    """How text becomes tokens. Frozen and hashable; record it with :meth:`as_dict`.

    The processing order, which changes counts, is documented in
    :mod:`framescope.analysis.tokens`.

    Parameters
    ----------
    lowercase : bool
        Fold case (``str.lower``; Arabic has no case).
    stem : bool
        Snowball (English and other Snowball languages), ISRI (Arabic).
    stopwords : bool
        Remove the ``stopwordsiso`` list of the token's language.
    extra_stopwords : tuple of str
        More words to remove (any language; compared after lowercasing).
    keep_words : tuple of str
        Words never removed as stopwords (stopwordsiso's English list holds e.g. "state",
        "us", "world", "group").
    numbers : {'keep', 'drop', 'placeholder'}
        What happens to tokens made of digits and separators only ("1,139", "2015", "3.5");
        'placeholder' writes ``<num>`` (:data:`NUMBER_PLACEHOLDER`).
    punctuation : bool
        Keep punctuation tokens (False drops them).
    min_length : int
        Drop word tokens shorter than this many characters (after stemming; punctuation and
        the number placeholder exempt).
    arabic_normalize : bool
        Apply :func:`framescope.corpus.text.normalize_arabic` to Arabic text with the
        ``arabic_*`` flags below.
    arabic_tatweel, arabic_diacritics, arabic_alef, arabic_alef_maqsura, arabic_taa_marbuta, arabic_digits : bool
        The flags of :func:`framescope.corpus.text.normalize_arabic`.
    arabic_proclitics : bool
        Split off the proclitics و ف ب ك ل and the article ال
        (:mod:`framescope.analysis.arabic_clitics`: rules, guards and measured error rate),
        keeping at least ``arabic_min_stem`` letters. On by default.
    arabic_min_stem : int
        Fewest letters a stem keeps after a bare proclitic.
    phrases : tuple of str
        User multiword units ("white phosphorus", "US-led coalition", "التحالف الدولي")
        joined into one token with '_' (:data:`PHRASE_JOINER`) wherever they occur.
    credits : bool
        Remove agency credits and bylines glued into the text
        (:func:`framescope.analysis.token_rules.strip_credits`).
    merge_variants : bool
        One spelling for dotted abbreviations and listed hyphen variants (``u.n.`` = ``un``,
        ``US-led`` = ``u.s.-led``, ``cease-fire`` = ``ceasefire``;
        :func:`framescope.analysis.token_rules.canonical_variant`; applies when ``lowercase``).
    possessives : bool
        ``Syria's`` and FA-KES's apostrophe-less ``Syrias`` → ``syria`` (the ending removed,
        one token for one; :func:`framescope.analysis.token_rules.possessive_base`).

    Raises
    ------
    FramescopeError
        For an unknown ``numbers`` mode, a negative ``min_length``, an ``arabic_min_stem``
        below 1 or a phrase of fewer than two words.

    References
    ----------
    Benoit, K., Watanabe, K., Wang, H., Nulty, P., Obeng, A., Müller, S., & Matsuo, A.
    (2018). quanteda: An R package for the quantitative analysis of textual data. *Journal
    of Open Source Software*, 3(30), 774 (``tokens()`` options).
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
        if self.numbers not in NUMBER_MODES:
            raise FramescopeError(f"numbers must be one of {', '.join(NUMBER_MODES)}, not {self.numbers!r}")
        if int(self.min_length) < 0:
            raise FramescopeError(f"min_length must be >= 0, not {self.min_length}")
        if int(self.arabic_min_stem) < 1:
            raise FramescopeError(f"arabic_min_stem must be >= 1, not {self.arabic_min_stem}")
        bad = [p for p in self.phrases if len(p.split()) < 2]
        if bad:
            raise FramescopeError(f"a phrase needs at least two words: {bad[0]!r}")

    def as_dict(self) -> dict:
        """The options as a plain dict, for manifests and result metadata.

        Returns
        -------
        dict
            Field name → value, tuples as lists (JSON-ready).
        """
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: dict) -> "TokenOptions":
        """Options from a dict such as :meth:`as_dict` returns (or a YAML/JSON config).

        Parameters
        ----------
        d : dict
            Field name → value; missing fields take their defaults.

        Returns
        -------
        TokenOptions

        Raises
        ------
        FramescopeError
            When ``d`` names a field that does not exist.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise FramescopeError(f"unknown token option(s): {', '.join(unknown)}")
        return cls(**d)

    def arabic_flags(self) -> dict[str, bool]:
        """Keyword arguments for :func:`framescope.corpus.text.normalize_arabic`.

        Returns
        -------
        dict
            ``tatweel``, ``diacritics``, ``alef``, ``alef_maqsura``, ``taa_marbuta``,
            ``digits`` → bool.
        """
        return {"tatweel": self.arabic_tatweel, "diacritics": self.arabic_diacritics,
                "alef": self.arabic_alef, "alef_maqsura": self.arabic_alef_maqsura,
                "taa_marbuta": self.arabic_taa_marbuta, "digits": self.arabic_digits}

