"""Casualty claims, stage 0: the compiled lexicons and the types every stage shares.

:class:`ClaimRules` holds one language's casualty and source lexicons compiled into phrase
matchers (:func:`rules_for`, cached); :class:`Claim` and :class:`Attribution` are what the
stages hand each other; :func:`in_words`, :func:`is_adverb` and :func:`is_count` are the
token tests the stages (and :mod:`framescope.analysis.framing.agency`) share.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.framing.numbers import EN_TENS, EN_UNITS, Amount
from framescope.analysis.framing.spans import PhraseMatcher, Tok, ar_variants, is_arabic_word, scan

#: Attribution classes. ``local_sources``: "local sources", local activists, residents and
#: witnesses, and Syrian/Iraqi local media and activist networks (docs/claims.md).
ATTRIBUTION_CLASSES = ("military", "government", "state_media", "ngo", "un", "medical_local",
                       "local_sources", "media", "other", "unattributed")
#: How a claim's number is qualified ("at least 20", "nearly 20", "20 to 30", "dozens").
QUALIFIERS = ("exact", "at least", "more than", "about", "nearly", "up to", "range", "vague")
#: What a claim says happened to its victims.
OUTCOMES = ("killed", "injured", "missing", "casualties")


@dataclass
class Claim:
    """One casualty claim found in a sentence: a number, what happened, to whom, who says so.

    Parameters
    ----------
    start, end : int
        Token span of the claim in the sentence (half-open, indices into its tokens).
    amount : Amount
        The number as written (value, range or vague amount).
    qualifier : str
        One of :data:`QUALIFIERS` ("exact", "at least", "more than", "about", "nearly",
        "up to", "range", "vague").
    victim : str or None
        The victim class (e.g. "civilians", "children"), None when none is named.
    outcome : str
        One of :data:`OUTCOMES` ("killed", "injured", "missing", "casualties").
    claim_text : str
        The claim's words as they appear in the sentence.
    place : str or None
        The place named with the claim (None: none found).
    attribution_class : str
        Who the claim is attributed to, one of :data:`ATTRIBUTION_CLASSES` (default
        "unattributed").
    attribution_text : str or None
        The source's words in the text (None: unattributed).
    attribution_scope : str
        Where the attribution was found: "sentence", "next", "previous", "pronoun"
        (resolved from the previous sentence) or "none" (default; docs/claims.md).
    total : Claim or None
        The total this claim is part of ("10 people, including four children"), or None.
    """

    start: int
    end: int
    amount: Amount
    qualifier: str
    victim: str | None
    outcome: str
    claim_text: str
    place: str | None = None
    attribution_class: str = "unattributed"
    attribution_text: str | None = None
    attribution_scope: str = "none"
    #: the total this claim is part of ("10 people, including four children"), or None
    total: "Claim | None" = field(default=None, repr=False, compare=False)

    def as_row(self) -> dict:
        """The claim's columns of :data:`framescope.analysis.framing.claims.CLAIM_COLUMNS`.

        ``number_min``/``number_max`` follow the wording: exact N → N, N; "at least"/"more than"
        N → N, null; "up to"/"nearly" N → null, N; a range → its bounds; vague → null, null.

        Returns
        -------
        dict
            claim_text, number, number_min, number_max, qualifier, amount_text, victim,
            outcome, place, attribution_class, attribution_text, attribution_scope, subset_of.
        """
        a = self.amount
        number = a.value
        lo = hi = None
        if a.vague:
            pass
        elif a.is_range:
            lo, hi = a.low, a.high
        elif self.qualifier == "exact":
            lo = hi = number
        elif self.qualifier in ("at least", "more than"):
            lo = number
        elif self.qualifier in ("up to", "nearly"):
            hi = number
        return {"claim_text": self.claim_text, "number": number, "number_min": lo,
                "number_max": hi, "qualifier": self.qualifier, "amount_text": a.text,
                "victim": self.victim, "outcome": self.outcome, "place": self.place,
                "attribution_class": self.attribution_class,
                "attribution_text": self.attribution_text,
                "attribution_scope": self.attribution_scope,
                "subset_of": None if self.total is None else self.total.claim_text}


@dataclass
class Attribution:
    """A source that a claim is attributed to, with its class ``cls`` (:data:`ATTRIBUTION_CLASSES`).

    Parameters
    ----------
    text : str
        The source's words in the sentence ("the coalition", "the Syrian Observatory").
    cue : int
        Token index of the attribution cue ("said", "according to").
    pronoun : bool
        True when the speaker is a pronoun ("it said") whose class comes from the previous
        sentence (default False).
    """

    cls: str
    text: str
    cue: int        # token index of the cue
    pronoun: bool = False


# --- compiled rules per language -----------------------------------------------------------

@dataclass
class ClaimRules:
    """The lexicons of one language compiled into phrase matchers.

    Built by :meth:`build` (or :func:`rules_for`) from the casualty lexicon
    (``framing_casualties.yaml``) and the source lexicon (``framing_sources.csv``); each
    field is one list of that lexicon for the language, as a :class:`PhraseMatcher` (phrases
    of several tokens) or a set of normalised words (single tokens).

    Parameters
    ----------
    lang : str
        "ar" or "en".
    outcomes : PhraseMatcher
        Outcome words ("killed", "wounded", قتل ...), payload (outcome, role).
    casualty_nouns : PhraseMatcher
        Nouns that are a toll by themselves ("casualties", "dead").
    victims : PhraseMatcher
        Victim nouns, payload the victim class ("civilians" → civilians).
    singles : PhraseMatcher
        Nouns of a single victim ("civilian", "child"), payload the victim class.
    subset_cues : PhraseMatcher
        Cues that a number is part of a total ("including", "among them").
    duals : PhraseMatcher
        Arabic dual nouns that are a number by themselves (طفلين: two children).
    qualifiers : PhraseMatcher
        Qualifiers before a number ("at least", "nearly"), payload the qualifier.
    after_qualifiers : PhraseMatcher
        Qualifiers behind the noun ("20 civilians at least").
    not_people : PhraseMatcher
        Nouns that make a number not a count of people ("years", "kilometres").
    sources : PhraseMatcher
        Attribution sources, payload the attribution class.
    cues_before : PhraseMatcher
        Attribution cues before the source ("according to").
    cues_after : PhraseMatcher
        Attribution cues after the source ("said", "reported").
    statements : PhraseMatcher
        Nouns of a statement ("statement", "report") that carry a source.
    pronouns : PhraseMatcher
        Pronoun speakers ("it", "they") resolved to the previous sentence's source.
    addressee_after : set of str
        Words after a speech verb that introduce its addressee ("told").
    not_speech_before : PhraseMatcher
        Words that make a following cue not a speech act.
    speech_objects : PhraseMatcher
        Objects that make a cue an admission ("responsibility").
    toll_verbs : set of str
        Verbs that state a toll ("rose", "reached").
    participle_cues : set of str
        Participles that attribute a claim ("quoted", "cited").
    headline_credits : PhraseMatcher
        Sources credited in a headline ("monitor", "state media", "SANA").
    after_then_before : set of str
        Words after which a cue before the source is looked for.
    not_before_object : set of str
        Words that cannot precede a victim object.
    left_gap, right_gap : set of str
        Words allowed between a number and its outcome on the left and on the right.
    auxiliaries : set of str
        Auxiliary verbs (passive voice).
    places : dict
        Place lists (prepositions and place nouns) of the language (default empty).

    References
    ----------
    The lexicons and their measured quality: ``docs/claims.md`` and
    ``docs/claims_precision.md``.
    """

    lang: str
    outcomes: PhraseMatcher
    casualty_nouns: PhraseMatcher
    victims: PhraseMatcher
    singles: PhraseMatcher
    subset_cues: PhraseMatcher
    duals: PhraseMatcher
    qualifiers: PhraseMatcher
    after_qualifiers: PhraseMatcher
    not_people: PhraseMatcher
    sources: PhraseMatcher
    cues_before: PhraseMatcher
    cues_after: PhraseMatcher
    statements: PhraseMatcher
    pronouns: PhraseMatcher
    addressee_after: set[str]
    not_speech_before: PhraseMatcher
    speech_objects: PhraseMatcher
    toll_verbs: set[str]
    participle_cues: set[str]
    headline_credits: PhraseMatcher
    after_then_before: set[str]
    not_before_object: set[str]
    left_gap: set[str]
    right_gap: set[str]
    auxiliaries: set[str]
    places: dict = field(default_factory=dict)

    @classmethod
    def build(cls, lang: str, casualty_lexicon: str | None = None,
              source_lexicon: str | None = None) -> "ClaimRules":
        """Compile the lexicons of one language (cached per files).

        Parameters
        ----------
        lang : str
            'ar' for Arabic, anything else English.
        casualty_lexicon, source_lexicon : str, optional
            Files replacing the shipped ``framing_casualties.yaml`` / ``framing_sources.csv``.

        Returns
        -------
        ClaimRules
            The compiled rules of the language.

        Raises
        ------
        FramescopeError
            A bad lexicon file or an unknown attribution class.

        References
        ----------
        The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
        """
        return _build_rules(lang, None if casualty_lexicon is None else str(casualty_lexicon),
                            None if source_lexicon is None else str(source_lexicon))


def norm_set(items) -> set[str]:
    """The normalised tokens of some words (:func:`framescope.analysis.framing.spans.scan`).

    Parameters
    ----------
    items : iterable of str
        Words or phrases.

    Returns
    -------
    set of str
        The ``norm`` of every token of every item.
    """
    out = set()
    for w in items:
        out.update(t.norm for t in scan(str(w)))
    return out


@functools.lru_cache(maxsize=16)
def _build_rules(lang: str, casualty_path: str | None, source_path: str | None) -> ClaimRules:
    lex = lx.casualty_lexicon(casualty_path)
    key = "ar" if lang == "ar" else "en"
    outs = []
    for outcome, roles in (lex["outcomes"].get(key) or {}).items():
        for role, phrases in (roles or {}).items():
            outs += [(p, (outcome, role), False) for p in phrases or []]
    victims = [(p, v, False) for v, ps in (lex["victims"].get(key) or {}).items() for p in ps or []]
    duals = ([(p, v, False) for v, ps in (lex["victims"].get("duals_ar") or {}).items()
              for p in ps or []] if key == "ar" else [])
    quals = [(p, q, False) for q, ps in (lex["qualifiers"].get(key) or {}).items() for p in ps or []]
    after = lex["qualifiers"].get("after_number", {}).get(key) or {}
    after_quals = [(p, q, False) for q, ps in after.items() for p in ps or []]
    src = lx.load_csv(lx.SOURCES, source_path, ["source", "lang", "class"])
    bad = sorted(set(src["class"]) - set(ATTRIBUTION_CLASSES))
    if bad:
        raise lx.FramescopeError(f"source lexicon: unknown class(es) {', '.join(bad)}; "
                                 f"use {', '.join(ATTRIBUTION_CLASSES[:-1])}")
    src = src[src["lang"] == key]
    cues = lex["attribution_cues"].get(key) or {}
    places = (lex.get("places") or {}).get(key) or {}
    return ClaimRules(
        lang=key,
        outcomes=PhraseMatcher(outs),
        casualty_nouns=PhraseMatcher((p, "casualties", False)
                                     for p in lx.words(lex.get("casualty_nouns"), key)),
        victims=PhraseMatcher(victims),
        singles=PhraseMatcher((p, v, False) for v, ps in ((lex.get("single_victims") or {}).get(key) or {}).items()
                              for p in ps or []),
        subset_cues=PhraseMatcher((p, True, False) for p in lx.words(lex.get("subset_cues"), key)),
        duals=PhraseMatcher(duals),
        qualifiers=PhraseMatcher(quals),
        after_qualifiers=PhraseMatcher(after_quals),
        not_people=PhraseMatcher((p, True, False) for p in lx.words(lex.get("not_people"), key)),
        sources=PhraseMatcher(zip(src["source"], src["class"], src["case_sensitive"])),
        cues_before=PhraseMatcher((p, "before", False) for p in cues.get("source_before") or []),
        cues_after=PhraseMatcher((p, "after", False) for p in cues.get("source_after") or []),
        statements=PhraseMatcher((p, True, False) for p in cues.get("statement") or []),
        pronouns=PhraseMatcher((p, True, False) for p in lx.words(lex.get("pronoun_speakers"), key)),
        addressee_after=norm_set(cues.get("addressee_after") or []),
        not_speech_before=PhraseMatcher((p, True, False) for p in cues.get("not_speech_before") or []),
        speech_objects=PhraseMatcher((p, True, False) for p in cues.get("admission_objects") or []),
        toll_verbs=norm_set(cues.get("toll_verbs") or []),
        participle_cues=norm_set(cues.get("participles") or []),
        headline_credits=PhraseMatcher((p, True, False) for p in lx.words(lex.get("headline_credits"), key)),
        after_then_before=norm_set(cues.get("after_then_before") or []),
        not_before_object=norm_set(cues.get("not_before_object") or []),
        left_gap=norm_set(lx.words(lex.get("left_gap"), key)),
        right_gap=norm_set(lx.words(lex.get("right_gap"), key)),
        auxiliaries=norm_set(lx.words(lex.get("auxiliaries"), key)),
        places={k: (norm_set(v) if k != "prepositions" else [str(x) for x in v])
                for k, v in places.items()},
    )


def rules_for(lang: str, casualty_lexicon=None, source_lexicon=None) -> ClaimRules:
    """The compiled claim rules of ``lang`` (:meth:`ClaimRules.build`).

    Parameters
    ----------
    lang : str
        'ar' for Arabic, anything else English.
    casualty_lexicon, source_lexicon : path, optional
        Files replacing the shipped lexicons.

    Returns
    -------
    ClaimRules
        The compiled rules (one object per language and lexicon files, cached).

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    return ClaimRules.build(lang, casualty_lexicon, source_lexicon)


# --- shared token tests ----------------------------------------------------------------------

def matches_by_start(matcher: PhraseMatcher, toks) -> dict[int, "object"]:
    """The matches of ``matcher`` in ``toks`` by their first token.

    Parameters
    ----------
    matcher : PhraseMatcher
        The phrases.
    toks : list of Tok
        The sentence's tokens.

    Returns
    -------
    dict of int to Match
        The token index where each match starts → the match (a later match starting at
        the same token replaces an earlier one).
    """
    return {m.start: m for m in matcher.find(toks)}


def matches_by_end(matcher: PhraseMatcher, toks) -> dict[int, "object"]:
    """The matches of ``matcher`` in ``toks`` by the token after their last.

    Parameters
    ----------
    matcher : PhraseMatcher
        The phrases.
    toks : list of Tok
        The sentence's tokens.

    Returns
    -------
    dict of int to Match
        The index of the token after each match's last (its ``end``) → the match.
    """
    return {m.end: m for m in matcher.find(toks)}


def in_words(tok: Tok, words: set[str]) -> bool:
    """Whether a token is one of ``words`` (Arabic also with a proclitic or article variant).

    Parameters
    ----------
    tok : Tok
        The token.
    words : set of str
        Normalised words.

    Returns
    -------
    bool
        True when the token's ``norm`` is in ``words``, or (Arabic) one of its variants
        without a proclitic or article is.
    """
    if tok.norm in words:
        return True
    return is_arabic_word(tok.norm) and bool(ar_variants(tok.norm) & words)


def is_adverb(tok: Tok, lang: str) -> bool:
    """Whether an English token looks like an -ly adverb (longer than four letters).

    Parameters
    ----------
    tok : Tok
        The token.
    lang : str
        The sentence's language (never for Arabic).

    Returns
    -------
    bool
        True for an English word of more than four letters ending in "ly".
    """
    return lang != "ar" and tok.kind == "word" and tok.norm.endswith("ly") and len(tok.norm) > 4


def is_count(tok: Tok) -> bool:
    """Whether a token is a number: digits or an English number word ("twenty", "twenty-five").

    Parameters
    ----------
    tok : Tok
        The token.

    Returns
    -------
    bool
        True for a number token or an English number word.
    """
    return tok.kind == "num" or tok.norm in EN_UNITS or tok.norm in EN_TENS or "-" in tok.norm and \
        tok.norm.split("-")[0] in EN_TENS
