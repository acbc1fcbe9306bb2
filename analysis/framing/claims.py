"""Casualty claims: who says how many people were killed, injured or went missing, where.

One row per numeric claim. The rules run on one sentence (plus its neighbours for the
attribution) and use only the shipped, editable lexicons ``framing_casualties.yaml`` and
``framing_sources.csv``; no model is downloaded.

How a claim is found (token rules; see :mod:`analysis.framing.spans`):

1. every numeric expression (:func:`analysis.framing.numbers.find_amounts`): digits,
   English/Arabic number words, ranges, vague amounts ("dozens", "عشرات"), Arabic dual
   nouns (طفلين = 2 children);
2. the number counts people when it is followed (over at most three modifiers, or
   "من"/"of") by a victim noun ("62 civilians", "20 من المدنيين") or an outcome noun
   ("20 dead", "20 قتيلا", "1,100 civilian deaths"), and it is not followed by a unit
   ("24 hours", "34,502 strikes");
3. its outcome comes from, in this order: the outcome noun after it; an outcome word in
   front of it over a few allowed words ("killing at least 20", "the death toll rose to
   45", "مقتل 20", "ارتفعت حصيلة القتلى إلى 45"); an outcome word behind the victim noun
   that is passive or intransitive ("six civilians were killed", "62 civilians killed
   in", "لقي 20 شخصا مصرعهم"). Two outcomes joined by and/or ("killing and wounding",
   "القتلى والجرحى") and words like "casualties" give the outcome ``casualties``;
4. the qualifier is the lexicon phrase right in front of the number ("at least", "ما لا
   يقل عن", "more than", "over", "nearly", "up to") or "at least"/"على الأقل" behind it;
5. the place is a gazetteer-free guess (:func:`find_place`);
6. the attribution is a speech cue with a known source around it (:func:`find_attributions`)
   in the same sentence (a named source first, then the cue nearest the number), else in
   the next sentence of the same segment when it reports no other figure or restates
   this one, else in the previous sentence when it restates this figure
   (:func:`_same_event`); pronoun speakers ("it said") take the class of the previous
   sentence's source; a headline ending in its source ("... in Raqa - Monitor") counts.
   ``attribution_scope`` says which. No coreference beyond one sentence back.

Number columns: ``number`` is the figure as written; ``number_min``/``number_max`` the
bounds the wording implies: exact N → N, N; "at least"/"more than" N → N, null ("more
than" is an exclusive bound, the qualifier says so); "up to"/"nearly" N → null, N;
"about" N → null, null; a range "20 to 30" → null number, 20, 30; a vague amount → all
null with ``qualifier = 'vague'`` and the words in ``amount_text``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.framing import lexicon as lx
from analysis.framing.numbers import EN_TENS, EN_UNITS, Amount, find_amounts
from analysis.framing.spans import PhraseMatcher, Tok, ar_variants, is_arabic_word, scan

ATTRIBUTION_CLASSES = ("military", "government", "state_media", "ngo", "un", "medical_local",
                       "media", "other", "unattributed")
QUALIFIERS = ("exact", "at least", "more than", "about", "nearly", "up to", "range", "vague")
OUTCOMES = ("killed", "injured", "missing", "casualties")

#: Columns of :func:`claims` (in order).
CLAIM_COLUMNS = [
    "doc_id",             # document
    "seg",                # segment number in the document
    "role",               # title, body or caption
    "lang",               # segment language
    "sentence_id",        # sentence number within the document (0-based)
    "sentence",           # the sentence (normalised text)
    "claim_text",         # the words of the claim: qualifier, number, victim ("at least 1,139 civilians")
    "number",             # figure as written (Int64), null for ranges and vague amounts
    "number_min",         # lower bound implied by the wording (Int64) or null
    "number_max",         # upper bound implied by the wording (Int64) or null
    "qualifier",          # exact, at least, more than, about, nearly, up to, range, vague
    "amount_text",        # the numeric expression as written ("1,139", "dozens", "خمسة وعشرين")
    "victim",             # civilians, children, women, elderly, people, fighters, soldiers, police, journalists, aid_workers, or null
    "outcome",            # killed, injured, missing, casualties
    "place",              # heuristic place name or null
    "attribution_class",  # military, government, state_media, ngo, un, medical_local, media, other, unattributed
    "attribution_text",   # the words that credit the claim, or null
    "attribution_scope",  # sentence, next, previous, pronoun (resolved from the previous sentence), none
]


@dataclass
class Claim:
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

    def as_row(self) -> dict:
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
                "attribution_scope": self.attribution_scope}


@dataclass
class Attribution:
    cls: str
    text: str
    cue: int        # token index of the cue
    pronoun: bool = False


# --- compiled rules per language -----------------------------------------------------------

@dataclass
class ClaimRules:
    """The lexicons of one language compiled into phrase matchers."""

    lang: str
    outcomes: PhraseMatcher
    casualty_nouns: PhraseMatcher
    victims: PhraseMatcher
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
        return _build_rules(lang, None if casualty_lexicon is None else str(casualty_lexicon),
                            None if source_lexicon is None else str(source_lexicon))


def _norm_set(items) -> set[str]:
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
        duals=PhraseMatcher(duals),
        qualifiers=PhraseMatcher(quals),
        after_qualifiers=PhraseMatcher(after_quals),
        not_people=PhraseMatcher((p, True, False) for p in lx.words(lex.get("not_people"), key)),
        sources=PhraseMatcher(zip(src["source"], src["class"], src["case_sensitive"])),
        cues_before=PhraseMatcher((p, "before", False) for p in cues.get("source_before") or []),
        cues_after=PhraseMatcher((p, "after", False) for p in cues.get("source_after") or []),
        statements=PhraseMatcher((p, True, False) for p in cues.get("statement") or []),
        pronouns=PhraseMatcher((p, True, False) for p in lx.words(lex.get("pronoun_speakers"), key)),
        addressee_after=_norm_set(cues.get("addressee_after") or []),
        not_speech_before=PhraseMatcher((p, True, False) for p in cues.get("not_speech_before") or []),
        headline_credits=PhraseMatcher((p, True, False) for p in lx.words(lex.get("headline_credits"), key)),
        after_then_before=_norm_set(cues.get("after_then_before") or []),
        not_before_object=_norm_set(cues.get("not_before_object") or []),
        left_gap=_norm_set(lx.words(lex.get("left_gap"), key)),
        right_gap=_norm_set(lx.words(lex.get("right_gap"), key)),
        auxiliaries=_norm_set(lx.words(lex.get("auxiliaries"), key)),
        places={k: (_norm_set(v) if k != "prepositions" else [str(x) for x in v])
                for k, v in places.items()},
    )


def rules_for(lang: str, casualty_lexicon=None, source_lexicon=None) -> ClaimRules:
    return ClaimRules.build(lang, casualty_lexicon, source_lexicon)


# --- helpers ----------------------------------------------------------------------------------

def _matches_by_start(matcher: PhraseMatcher, toks) -> dict[int, "object"]:
    return {m.start: m for m in matcher.find(toks)}


def _matches_by_end(matcher: PhraseMatcher, toks) -> dict[int, "object"]:
    return {m.end: m for m in matcher.find(toks)}


def _in(tok: Tok, words: set[str]) -> bool:
    if tok.norm in words:
        return True
    return is_arabic_word(tok.norm) and bool(ar_variants(tok.norm) & words)


def _is_adverb(tok: Tok, lang: str) -> bool:
    return lang != "ar" and tok.kind == "word" and tok.norm.endswith("ly") and len(tok.norm) > 4


_MODIFIER_STOP_EN = {"and", "or", "but", "in", "on", "at", "by", "from", "with", "after",
                     "when", "as", "while", "were", "was", "are", "is", "have", "has", "had",
                     "since", "during", "for", "to", "including", "into", "near", "that",
                     "who", "which", "the", "a", "an", "of"}


# --- the sentence engine -------------------------------------------------------------------

def find_claims(sentence: str, lang: str = "en", prev: str | None = None,
                next: str | None = None, rules: ClaimRules | None = None,
                attribute: bool = True) -> list[Claim]:
    """Casualty claims in one sentence; ``prev``/``next`` are its neighbours (attribution).

    ``attribute=False`` skips places and attribution (used to read the neighbours).

    >>> [c.as_row()["number"] for c in find_claims("Six civilians were killed in Hama.")]
    [6]
    """
    rules = rules or rules_for(lang)
    lang = rules.lang
    toks = scan(sentence)
    if not toks:
        return []
    words = [t.norm for t in toks]
    raw = [t.text for t in toks]
    dates = _date_tokens(toks)
    amounts = [a for a in find_amounts(words, raw, lang)
               if not any(k in dates for k in range(a.start, max(a.end, a.start + 1)))]
    outcome_start = _matches_by_start(rules.outcomes, toks)
    outcome_end = _matches_by_end(rules.outcomes, toks)
    casualty_start = _matches_by_start(rules.casualty_nouns, toks)
    casualty_end = _matches_by_end(rules.casualty_nouns, toks)
    victim_start = _matches_by_start(rules.victims, toks)
    duals = rules.duals.find(toks)
    taken = {i for a in amounts for i in range(a.start, a.end)}
    for d in duals:  # Arabic dual nouns are their own number: طفلين = 2 children
        if d.start not in taken:
            amounts.append(Amount(d.start, d.start, 2, 2, 2, text=toks[d.start].text))
    amounts.sort(key=lambda a: a.start)
    dual_at = {d.start: d for d in duals}
    amount_starts = {a.start for a in amounts}

    claims: list[Claim] = []
    for a in amounts:
        dual = dual_at.get(a.start) if a.end == a.start else None
        end = a.end if dual is None else a.start  # a dual: the noun follows "at" a.start
        # a unit after the number: not people
        if end < len(toks) and rules.not_people.match_at(toks, end):
            continue
        # qualifier in front
        qualifier, qstart = "exact", a.start
        for k in range(max(0, a.start - 5), a.start):
            m = rules.qualifiers.match_at(toks, k)
            if m and m.end == a.start:
                qualifier, qstart = m.payload, k
                break
        # victim noun / outcome noun behind (over modifiers)
        victim = outcome = None
        tail = end
        if dual is not None:
            if dual.payload in OUTCOMES:
                outcome = dual.payload
            else:
                victim = dual.payload
            tail = dual.end
        else:
            j, skipped, budget = end, 0, 3
            while j < len(toks) and skipped < budget:
                vm = victim_start.get(j)
                om = outcome_start.get(j)
                cm = casualty_start.get(j)
                if om and om.payload[1] in ("noun", "nominal") and not (
                        lang != "ar" and om.payload[1] == "nominal" and om.phrase.endswith(" of")):
                    outcome, tail = om.payload[0], om.end
                    # "dead and wounded", "القتلى والجرحى": both outcomes at once
                    k = tail + 1 if tail < len(toks) and toks[tail].norm in ("and", "or", "او") else tail
                    joined = outcome_start.get(k)  # Arabic و is a clitic: والجرحى matches جرحى
                    if joined and joined.payload[0] != outcome and joined.payload[1] in ("noun", "nominal"):
                        outcome, tail = "casualties", joined.end
                    break
                if cm:
                    outcome, tail = "casualties", cm.end
                    break
                if vm:
                    victim, tail = vm.payload, vm.end
                    if tail + 1 < len(toks) and toks[tail].text in ("'", "\u2019") and toks[tail + 1].kind == "word":
                        tail += 1  # "residents' fatalities"
                        if toks[tail].norm == "s":
                            tail += 1
                    # "civilian deaths", "ضحايا مدنيين": an outcome noun right behind the victim
                    om2 = outcome_start.get(tail)
                    if om2 and om2.payload[1] in ("noun", "nominal") and lang != "ar" \
                            and not om2.phrase.endswith(" of"):
                        outcome, tail = om2.payload[0], om2.end
                    elif casualty_start.get(tail):
                        outcome, tail = "casualties", casualty_start[tail].end
                    break
                t = toks[j]
                if t.kind != "word" or j in amount_starts:
                    break  # "2016 Ninety-two civilians": the noun belongs to the next number
                if lang == "ar":
                    if t.norm not in ("من", "اخرين", "اخرون") and skipped >= 1:
                        break
                elif t.norm == "of" and j == end:
                    budget += 1  # "dozens of civilians", "20 of the victims"
                elif t.norm == "the" and j > end and toks[j - 1].norm == "of":
                    pass
                elif t.norm == "and" and skipped and j + 1 < len(toks) and toks[j + 1].kind == "word" \
                        and not outcome_start.get(j + 1):
                    budget += 1  # "scores of innocent and defenseless people"
                elif t.norm in _MODIFIER_STOP_EN:
                    break
                j += 1
                skipped += 1
            if victim is None and outcome is None and end + 1 < len(toks) and toks[end].norm == "of" \
                    and toks[end + 1].norm in ("them", "whom", "those", "these"):
                tail = end + 2  # "20 of them were killed"
            elif victim is None and outcome is None and end + 1 < len(toks) and toks[end].norm in ("of", "من") \
                    and any(rules.not_people.match_at(toks, k) for k in range(end + 1, min(len(toks), end + 3))):
                continue  # "dozens of vehicles", "ملايين من الدجاجات": not people
        # after-number qualifier ("20 people at least", "20 شخصا على الأقل")
        if tail < len(toks):
            m = rules.after_qualifiers.match_at(toks, tail)
            if m and qualifier == "exact":
                qualifier, tail = m.payload, m.end
        # outcome word in front
        left = None
        if outcome is None:
            left = _left_outcome(toks, qstart, outcome_end, casualty_end, rules)
            if left:
                outcome = left
        # outcome word behind
        if outcome is None and (victim is not None or tail > end or dual is not None):
            outcome = _right_outcome(toks, tail, outcome_start, rules)
        if outcome is None and victim is None and tail == end and not (
                qualifier == "exact" and a.value is not None and 1900 <= a.value <= 2100):
            outcome = _right_outcome(toks, tail, outcome_start, rules, adjacent_only=True)
        if outcome is None:
            continue
        if a.vague:
            qualifier = "vague" if qualifier == "exact" else qualifier
            if qualifier != "vague":
                # "more than dozens": keep the words, there is still no number
                qualifier = "vague"
        elif a.is_range:
            qualifier = "range"
        if a.value is None and not a.vague and not a.is_range:
            continue
        text = sentence[toks[qstart].start:toks[max(tail, a.end, qstart + 1) - 1].end]
        claims.append(Claim(qstart, max(tail, a.end), a, qualifier, victim, outcome, text))

    if not claims:
        return []
    if not attribute:
        return claims
    for c in claims:
        c.place = find_place(toks, c.start, c.end, rules)
    _attribute(claims, toks, sentence, prev, next, rules)
    return claims


_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec", "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو",
           "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "اذار", "نيسان", "ايار",
           "حزيران", "تموز", "اب", "ايلول", "تشرين"}


def _date_tokens(toks) -> set[int]:
    """Indexes of tokens that belong to dates ("09-02-2016", "24.07.2016", "September 24
    2016", "01 Feb 2015", "August 1st, 2017"): their numbers count days, not people."""
    out: set[int] = set()
    n = len(toks)
    for i, t in enumerate(toks):
        if t.kind != "num":
            continue
        # d-m-y / d.m.y / d/m/y written as one run without spaces
        j, run = i, [i]
        while j + 2 < n and toks[j + 1].text in "-./" and toks[j + 2].kind == "num" \
                and toks[j + 1].start == toks[j].end and toks[j + 2].start == toks[j + 1].end:
            run += [j + 1, j + 2]
            j += 2
        if len(run) >= 5:
            out.update(run)
            continue
        value = t.norm.replace(",", "")
        is_year = value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100
        near_month = any(0 <= k < n and toks[k].norm in _MONTHS for k in (i - 1, i - 2, i + 1))
        if near_month and (is_year or (value.isdigit() and int(value) <= 31)):
            out.add(i)
            if i + 1 < n and toks[i + 1].norm in ("st", "nd", "rd", "th"):
                out.add(i + 1)
    return out


def _left_outcome(toks, qstart: int, outcome_end, casualty_end, rules: ClaimRules) -> str | None:
    """Outcome word ending just before the number, over allowed gap words.

    Arabic is verb-subject-object: a killing verb may stand up to three words before the
    number with its subject between ("قتل التحالف الدولي 62 مدنيا").
    """
    j = qstart
    subject_words = 0
    for _ in range(8):
        om = outcome_end.get(j)
        cm = casualty_end.get(j)
        if cm and not subject_words:
            return "casualties"
        if om:
            outcome, role = om.payload
            if rules.lang != "ar" and role in ("intransitive", "passive"):
                return None
            if subject_words and role not in ("verb", "active"):
                return None
            before = om.start
            if rules.lang != "ar" and role == "verb" and before > 0 and not subject_words and (
                    _is_count(toks[before - 1]) or any(
                        (m := rules.victims.match_at(toks, k)) is not None and m.end == before
                        and any(_is_count(toks[q]) for q in range(max(0, k - 3), k))
                        for k in range(max(0, before - 3), before))):
                return None  # "40 Civilians Killed 110 Injured": "Killed" belongs to the civilians
            # "killing and wounding 20", "القتلى والجرحى"
            if before >= 2 and toks[before - 1].norm in ("and", "or", "و", "او"):
                other = outcome_end.get(before - 1)
                if other and other.payload[0] != outcome:
                    return "casualties"
            return outcome
        if j == 0:
            return None
        t = toks[j - 1]
        if not subject_words and (_in(t, rules.left_gap) or _is_adverb(t, rules.lang)):
            j -= 1
            continue
        if rules.lang == "ar" and t.kind == "word" and is_arabic_word(t.norm) and subject_words < 3:
            subject_words += 1
            j -= 1
            continue
        return None
    return None


def _is_count(tok: Tok) -> bool:
    return tok.kind == "num" or tok.norm in EN_UNITS or tok.norm in EN_TENS or "-" in tok.norm and \
        tok.norm.split("-")[0] in EN_TENS


def _right_outcome(toks, tail: int, outcome_start, rules: ClaimRules,
                   adjacent_only: bool = False) -> str | None:
    """A passive/intransitive outcome word behind the victim noun."""
    lang = rules.lang
    limit = 3 if adjacent_only else 11
    j = tail
    gap: list[Tok] = []
    while j < len(toks) and len(gap) < limit:
        if adjacent_only and gap and not all(_in(g, rules.auxiliaries) or _in(g, rules.right_gap)
                                             for g in gap):
            return None
        om = outcome_start.get(j)
        if om:
            outcome, role = om.payload
            if role == "active":
                return None  # another clause: "six people and injured another ten"
            if role == "nominal" and lang != "ar":
                return None
            adjacent = all(_in(g, rules.right_gap) or _is_adverb(g, lang) for g in gap)
            aux_near = any(_in(g, rules.auxiliaries) for g in gap[-3:])
            if lang == "ar":
                ok = role in ("intransitive", "verb", "passive", "noun") and len(gap) <= 6
            elif role in ("verb", "passive", "noun"):
                ok = adjacent or aux_near
            else:  # intransitive: died, lost their lives, dead
                ok = adjacent or aux_near or len(gap) <= 2
            if not ok:
                return None
            nxt = toks[om.end] if om.end < len(toks) else None
            if nxt is not None and nxt.norm in ("and", "or", "او") and om.end + 1 < len(toks):
                other = outcome_start.get(om.end + 1)
                if other and other.payload[0] != outcome and other.payload[1] != "active":
                    return "casualties"  # "were killed or injured"
            return outcome
        t = toks[j]
        if t.kind == "punct" and t.text not in (",", "\u060c") and not t.is_quote:
            return None
        gap.append(t)
        j += 1
    return None


# --- places -------------------------------------------------------------------------------

_NAME_PARTICLE = re.compile(r"^(al|el|ez|az|ad|as|ar|ash|an|at|ath|bin|ibn|abu|umm|bu|deir|tal|tel|ras|ain|jisr|maarat|bab)(-|$)", re.I)


def find_place(toks, start: int, end: int, rules: ClaimRules) -> str | None:
    """A place name near a claim, without a gazetteer.

    English: a preposition (in, near, at, outside, ...), optionally "the", up to three
    modifiers or a place noun + "of" ("the eastern countryside of Hama", "the towns of
    Sousseh"), then a run of capitalised words or Arabic-name particles (al-, Deir,
    Abu...), ended by a lower-case word, "and", or punctuation; trailing place nouns
    ("Hama Countryside") are dropped. Arabic: a place noun (مدينة، بلدة، قرية، محافظة،
    ريف، حي، منطقة، مخيم) or a preposition (في، قرب، شمال...) followed by a word not in
    the stop list, plus the next word when the first is a name head (دير، أبو، تل...).
    The first candidate behind the claim wins, else the last one in front of it. Place
    names are not unified ("Deir Ezzor" and "Der Ezzor" stay two places).
    """
    cands = _place_candidates_ar(toks, rules) if rules.lang == "ar" else _place_candidates_en(toks, rules)
    after = [c for c in cands if c[0] >= end]
    if after:
        return after[0][1]
    before = [c for c in cands if c[0] < start]
    return before[-1][1] if before else None


_POSSESSIVE_COUNTRIES = {"syrias", "iraqs", "turkeys", "lebanons", "jordans", "yemens", "idlibs", "aleppos"}


def _place_candidates_en(toks, rules: ClaimRules) -> list[tuple[int, str]]:
    p = rules.places
    preps = {w.lower() for w in p.get("prepositions", [])}
    nouns = p.get("place_nouns", set())
    stop = p.get("not_places", set())
    mods = p.get("modifiers", set())
    out = []
    for i, t in enumerate(toks):
        if t.norm not in preps:
            continue
        j = i + 1
        if j < len(toks) and toks[j].norm == "the":
            j += 1
        k = j
        while k < len(toks) and k - j < 3 and toks[k].norm in mods:
            k += 1
        if k + 1 < len(toks) and toks[k].norm in nouns and toks[k + 1].norm == "of":
            j = k + 2
        elif k < len(toks) and toks[k].norm in nouns:
            j = k + 1
        else:
            j = k
        name: list[Tok] = []
        name_at = j
        while j < len(toks):
            w = toks[j]
            if w.kind != "word":
                break
            if name and w.norm in ("and", "or"):
                break
            if name and (w.norm in stop or len(name) >= 4 or w.norm.endswith("-based")):
                break  # "Deir ez-Zor US-Led Coalition ...": title-case runs end at known non-places
            if w.text[:1].isupper() or _NAME_PARTICLE.match(w.text) or (name and w.norm in ("al", "el")):
                name.append(w)
                j += 1
                continue
            break
        while name and name[-1].norm in nouns:
            name.pop()
        if len(name) > 1 and name[0].norm in _POSSESSIVE_COUNTRIES:
            name = name[1:]  # "Syrias Homs" (FA-KES strips apostrophes): the city is the place
        while name and _NAME_PARTICLE.match(name[-1].text) and name[-1].text.lower() in ("al", "el", "al-", "el-"):
            name.pop()
        if not name or name[0].norm in stop or (len(name) == 1 and name[0].norm in nouns):
            continue
        out.append((name_at, " ".join(n.text for n in name)))
    return out


def _place_candidates_ar(toks, rules: ClaimRules) -> list[tuple[int, str]]:
    p = rules.places
    nouns = p.get("place_nouns", set())
    preps = PhraseMatcher((w, True, False) for w in p.get("prepositions", []))
    stop = p.get("not_places", set())
    heads = p.get("multiword_heads", set())
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = None
        if t.kind == "word" and _in(t, nouns):
            nxt = i + 1
        else:
            m = preps.match_at(toks, i)
            if m:
                nxt = m.end
                # "في ريف حلب", "شمال شرق سوريا": the place noun/direction is not the name
                while nxt < len(toks) and (_in(toks[nxt], nouns) or preps.match_at(toks, nxt)):
                    nxt += 1
        if nxt is not None and nxt < len(toks):
            w = toks[nxt]
            if w.kind == "word" and is_arabic_word(w.norm) and not _in(w, stop) and not _in(w, nouns):
                name = [w]
                if (w.norm in heads or (ar_variants(w.norm) & heads)) and nxt + 1 < len(toks) \
                        and toks[nxt + 1].kind == "word":
                    name.append(toks[nxt + 1])
                out.append((nxt, " ".join(n.text for n in name)))
                i = nxt + len(name)
                continue
        i += 1
    return out


# --- attribution -------------------------------------------------------------------------------

_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "syria's", "syrias"}


def find_attributions(toks, sentence: str, rules: ClaimRules, skip: set[int] | None = None) -> list[Attribution]:
    """Speech cues with their source in one sentence (token list of ``sentence``).

    A ``source_before`` cue ("said", "told", "confessed") takes the nearest known source
    in the up to twelve tokens in front of it (not crossing punctuation other than a
    short parenthesis, numbers, outcome words or "that/which/who"; past a relative clause
    when needed), else behind it ("..., said the Observatory"; never for
    "told", whose object is the addressee). A ``source_after`` cue ("according to",
    "citing", "قال", "بحسب") takes the first source behind it; "quoted"/"cited"/"نقلت"
    fall back to the quoting source in front. A cue with no known source gives class
    ``other`` (or a pronoun speaker resolved later). Tokens in ``skip`` (outcome and
    qualifier words) are never cues: "claims the lives of", "an estimated 40".
    """
    skip = skip or set()
    lang = rules.lang
    cues = [m for matcher in (rules.cues_before, rules.cues_after)
            for m in matcher.find(toks) if m.start not in skip]
    cues.sort(key=lambda m: m.start)
    stops = _region_stops(toks, rules)
    out: list[Attribution] = []
    for cue in cues:
        cue_word = toks[cue.start].norm
        if cue.payload == "before" and cue_word in rules.not_before_object and \
                cue.end < len(toks) and toks[cue.end].norm in ("a", "an", "to", "the", "its", "their"):
            continue  # "added a new crime", "revealed the truth": not speech
        if cue.payload == "before" and cue.end < len(toks) and rules.not_speech_before.match_at(toks, cue.end):
            continue  # "claimed by Daesh", "claimed responsibility"
        p = cue.start - 1
        while p >= 0 and _is_adverb(toks[p], lang):
            p -= 1
        if cue.payload == "before" and p >= 0 and _in(toks[p], rules.auxiliaries):
            continue  # "were reported killed", "it was reported": a passive, no source
        before_region = _region(toks, cue.start, -1, stops)
        if before_region and before_region[0] > 0 and toks[before_region[0] - 1].norm in ("which", "who") \
                and not _sources_in(toks, before_region, rules):
            # "the Observatory, which monitors the war, said": hop over the relative clause
            outer = _region(toks, before_region[0] - 1, -1, stops)
            if outer and _sources_in(toks, outer, rules):
                before_region = outer
        st = rules.statements.match_at(toks, cue.end) if cue.end < len(toks) else None
        after_region = _region(toks, st.end if st else cue.end, +1, stops)
        order = [("before", before_region), ("after", after_region)]
        if cue.payload == "after":
            order = order[::-1] if cue_word in rules.after_then_before else order[1:]
        elif cue_word in rules.addressee_after:
            order = order[:1]
        found = None
        for side, region in order:
            if not region:
                continue
            ms = _sources_in(toks, region, rules)
            if side == "after":
                ms = [m for m in ms if m.start <= 4]  # the noun phrase right after the cue
            if not ms:
                continue
            if side == "before":
                k = len(ms) - 1
                rs = region[0]
                if k > 0 and rs + ms[k].start > 0 and toks[rs + ms[k].start - 1].text == "(":
                    k -= 1  # "the Syrian Observatory for Human Rights (SOHR) reported": the full name
                # a generic noun right after a named source: "SANA news agency", "SANA correspondent"
                while k > 0 and ms[k].phrase.lower() in GENERIC_SOURCES and (
                        ms[k - 1].end == ms[k].start or (ms[k - 1].end == ms[k].start - 1 and toks[
                            region[0] + ms[k - 1].end].norm in ("'", "s"))):
                    k -= 1
                m = ms[k]
            else:
                m = ms[0]
            s, e = region[0] + m.start, region[0] + m.end
            if side == "before":
                s = _extend_left(toks, s, region[0])
                lo, hi = s, (st.end if st else cue.end)
            else:
                while e < region[1] and toks[e].kind == "word" and (
                        toks[e].text[:1].isupper() or (toks[e].norm in ("for", "of") and e + 1 < region[1]
                                                       and toks[e + 1].text[:1].isupper())):
                    e += 1
                st_after = rules.statements.match_at(toks, e) if e < len(toks) else None
                if st_after:
                    e = st_after.end  # "قال التحالف في بيان", "according to X in a statement"
                lo, hi = min(cue.start, s), max(e, st.end if st else e)
            found = Attribution(m.payload, sentence[toks[lo].start:toks[hi - 1].end], cue.start)
            break
        if found is None:
            # a pronoun speaker ("it said", "according to the source"): resolved by the caller
            for side, region in order:
                if not region:
                    continue
                lo, hi = region
                while hi > lo and _is_adverb(toks[hi - 1], lang):
                    hi -= 1  # "it also said"
                pm = rules.pronouns.find(toks[lo:hi]) if hi > lo else []
                if side == "before" and pm and lo + pm[-1].end == hi:
                    span = (lo + pm[-1].start, cue.end)
                elif side == "after" and cue.payload == "after" and pm and pm[0].start == 0:
                    span = (cue.start, lo + pm[0].end)
                else:
                    continue
                found = Attribution("other", sentence[toks[span[0]].start:toks[span[1] - 1].end],
                                    cue.start, pronoun=True)
                break
        if found is None:
            region = before_region if cue.payload == "before" else after_region
            if region:
                lo, hi = (max(region[0], cue.start - 6), cue.end) if region is before_region \
                    else (cue.start, min(region[1], cue.end + 6))
                found = Attribution("other", sentence[toks[lo].start:toks[hi - 1].end], cue.start)
        if found is not None:
            out.append(found)
    if not out:
        credit = _headline_credit(toks, sentence, rules)
        if credit is not None:
            out.append(credit)
    return out


def _headline_credit(toks, sentence: str, rules: ClaimRules) -> Attribution | None:
    """A source standing last in a headline-like sentence ("... in Raqa Monitor",
    "... restaurant: Reports"), not governed by a preposition ("killed by the army")."""
    end = len(toks)
    while end > 0 and toks[end - 1].kind == "punct":
        end -= 1
    for start in range(max(0, end - 3), end):
        m = rules.headline_credits.match_at(toks, start)
        if not m or m.end != end or start == 0:
            continue
        k = start - 1
        while k >= 0 and toks[k].norm in _DETERMINERS:
            k -= 1
        if k >= 0 and toks[k].norm in (_PREPOSITIONS_EN | {"by", "of", "for", "with", "than"}):
            return None
        src = rules.sources.find(toks[start:end])
        if not src:
            return None
        return Attribution(src[-1].payload, sentence[toks[start].start:toks[end - 1].end], start)
    return None


#: Source nouns that yield to a named source right before them ("SANA correspondent").
GENERIC_SOURCES = {"news agency", "correspondent", "reporter", "journalist", "newspaper", "television",
                   "official", "officials", "forces", "army", "military", "ministry", "government", "media", "وكالة", "مراسل", "قناة", "صحيفة"}
_PREPOSITIONS_EN = {"in", "at", "near", "from", "across", "inside", "outside", "to", "into", "on", "against"}


def _sources_in(toks, region, rules: ClaimRules):
    """Source-lexicon matches in a token region, minus those governed by a preposition
    ("killed 20 in Syria said the monitor": Syria is a place there, not a speaker)."""
    lo, hi = region
    out = []
    for m in rules.sources.find(toks[lo:hi]):
        k = lo + m.start - 1
        while k >= lo and toks[k].norm in _DETERMINERS:
            k -= 1
        if k >= lo and toks[k].norm in _PREPOSITIONS_EN:
            continue
        out.append(m)
    return out


def _extend_left(toks, s: int, floor: int) -> int:
    """Grow a source name leftwards over its determiner phrase ("the illegal coalition")."""
    for back in range(1, 5):
        k = s - back
        if k < floor or toks[k].kind != "word":
            break
        if toks[k].norm in _DETERMINERS:
            return k
    while s > floor and toks[s - 1].kind == "word" and toks[s - 1].text[:1].isupper():
        s -= 1
    return s


def _same_event(claim: Claim, text: str, rules: ClaimRules, strict: bool = False) -> bool:
    """May a neighbour's source be borrowed? Yes when the neighbour restates one of this
    claim's figures (same figure, or same vague words, and outcome): "Attack kills 5,
    injures 50." + "Rockets killed 5 ... a monitor said"; for the next sentence also when it
    reports no casualty figure of its own ("..., a police source told SANA"). ``strict``
    (the previous sentence) requires the restated figure: in the FA-KES precision samples
    a previous sentence's source without a shared figure was right in 2 of 8 cases."""
    theirs = find_claims(text, rules.lang, rules=rules, attribute=False)
    if not theirs:
        return not strict
    mine = claim.amount
    for other in theirs:
        o = other.amount
        same = (mine.value is not None and mine.value == o.value) or \
            (mine.is_range and o.is_range and (mine.low, mine.high) == (o.low, o.high)) or \
            (mine.vague and o.vague and mine.text.casefold() == o.text.casefold())
        if same and other.outcome == claim.outcome:
            return True
    return False


def _region_stops(toks, rules: ClaimRules) -> set[int]:
    """Token indexes a source region may not cross: punctuation, numbers, outcome words."""
    stops = {i for i, t in enumerate(toks) if t.kind == "num" or (t.is_break and t.text != "-")
             or t.is_quote}
    # a short parenthesis inside a name does not end it: "the Observatory (SOHR) reported"
    for i, t in enumerate(toks):
        if t.text == "(":
            close = next((k for k in range(i + 1, min(len(toks), i + 5)) if toks[k].text == ")"), None)
            if close is not None and all(toks[k].kind == "word" for k in range(i + 1, close)):
                stops.difference_update(range(i, close + 1))
    for m in rules.outcomes.find(toks):
        stops.update(range(m.start, m.end))
    for w in ("that", "which", "who", "but", "while", "ان", "انه", "انها", "بان"):
        stops.update(i for i, t in enumerate(toks) if t.norm == w)
    return stops


def _region(toks, at: int, direction: int, stops: set[int], width: int = 12) -> tuple[int, int] | None:
    """Up to ``width`` tokens before (``direction`` -1) or from (+1) ``at``, not crossing stops."""
    if direction < 0:
        lo = at
        while lo > 0 and at - lo < width and (lo - 1) not in stops:
            lo -= 1
        return (lo, at) if lo < at else None
    hi = at
    while hi < len(toks) and hi - at < width and hi not in stops:
        hi += 1
    return (at, hi) if hi > at else None


def _attribute(claims: list[Claim], toks, sentence: str, prev: str | None, next: str | None,
               rules: ClaimRules) -> None:
    skip = set()
    for m in rules.outcomes.find(toks):
        skip.update(range(m.start, m.end))
    for m in rules.qualifiers.find(toks):
        skip.update(range(m.start, m.end))
    here = find_attributions(toks, sentence, rules, skip)
    neighbour_cache: dict[str, list[Attribution]] = {}

    def attributions_of(text: str | None) -> list[Attribution]:
        if not text:
            return []
        if text not in neighbour_cache:
            nt = scan(text)
            nskip = set()
            for m in rules.outcomes.find(nt):
                nskip.update(range(m.start, m.end))
            neighbour_cache[text] = find_attributions(nt, text, rules, nskip)
        return neighbour_cache[text]

    for c in claims:
        if here:
            def distance(a: Attribution) -> tuple[int, int]:
                # ties go to the cue behind the claim ("X were killed, according to Y")
                return min(abs(a.cue - c.start), abs(a.cue - c.end)), int(a.cue < c.start)
            # a named source in the sentence beats an unknown one ("..., says it has killed")
            classified = [a for a in here if a.cls != "other"]
            best = min(classified or here, key=distance)
            if best.pronoun:
                prior = [a for a in attributions_of(prev) if a.cls != "other"]
                if prior:
                    c.attribution_class = prior[-1].cls
                    c.attribution_text = f"{prior[-1].text} … {best.text}"
                    c.attribution_scope = "pronoun"
                    continue
            c.attribution_class, c.attribution_text, c.attribution_scope = best.cls, best.text, "sentence"
            continue
        for scope, text in (("next", next), ("previous", prev)):
            found = [a for a in attributions_of(text) if a.cls != "other"]
            if found and not _same_event(c, text, rules, strict=scope == "previous"):
                continue  # the neighbour's source speaks about its own, different figures
            if found:
                a = found[0] if scope == "next" else found[-1]
                c.attribution_class, c.attribution_text, c.attribution_scope = a.cls, a.text, scope
                break


# --- corpus level -----------------------------------------------------------------------------

def claims(corpus, casualty_lexicon=None, source_lexicon=None,
           include_duplicates: bool = False) -> pd.DataFrame:
    """One row per casualty claim in the corpus (columns: :data:`CLAIM_COLUMNS`).

    Reads title, body and caption segments (never boilerplate; duplicates left out
    unless ``include_duplicates``), sentence by sentence (:func:`analysis.tokens.split_sentences`);
    a sentence's neighbours for the attribution are the sentences of the same segment.
    English rules apply to every non-Arabic segment.
    """
    from analysis.framing.groupstats import iter_segment_sentences

    cas = None if casualty_lexicon is None else str(casualty_lexicon)
    src = None if source_lexicon is None else str(source_lexicon)
    rows = []
    for doc_id, seg, role, lang, sents in iter_segment_sentences(corpus, include_duplicates):
        rules = rules_for("ar" if lang == "ar" else "en", cas, src)
        texts = [s for _, s in sents]
        for k, (sent, sentence) in enumerate(sents):
            found = find_claims(sentence, lang, texts[k - 1] if k > 0 else None,
                                texts[k + 1] if k + 1 < len(texts) else None, rules)
            for c in found:
                rows.append({"doc_id": doc_id, "seg": seg, "role": role, "lang": lang,
                             "sentence_id": sent, "sentence": sentence, **c.as_row()})
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    for col in ("number", "number_min", "number_max"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    for col in ("seg", "sentence_id"):
        out[col] = out[col].astype("int64")
    out.attrs.update({"corpus_id": corpus.corpus_id,
                      "casualty_lexicon": cas or f"shipped {lx.CASUALTIES}",
                      "source_lexicon": src or f"shipped {lx.SOURCES}"})
    return out


COMPARISON_COLUMNS = ["kind", "place", "period", "outcome", "group", "label", "n_claims", "n_vague",
                      "n_docs", "number_median", "number_min", "number_max", "numbers",
                      "attribution", "reference_label", "reference_number", "reference_source",
                      "ratio_to_reference"]
NO_PLACE = "(no place)"
UNDATED = "(undated)"


def read_reference(reference) -> pd.DataFrame:
    """Reference figures: a CSV path or DataFrame with ``label, number, source`` and,
    optionally, ``place``, ``outcome`` (default killed) and ``period``."""
    if reference is None:
        return pd.DataFrame(columns=["label", "number", "source", "place", "outcome", "period"])
    if isinstance(reference, pd.DataFrame):
        ref = reference.copy()
        where = "reference table"
    else:
        path = Path(reference)
        if not path.is_file():
            raise lx.FramescopeError(f"reference file not found: {path}")
        try:
            ref = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except Exception as exc:
            raise lx.FramescopeError(f"cannot read reference CSV {path}: {exc}") from None
        where = str(path)
    missing = [c for c in ("label", "number", "source") if c not in ref.columns]
    if missing:
        raise lx.FramescopeError(f"{where} lacks column(s) {', '.join(missing)} (needs label, number, source)")
    nums = pd.to_numeric(ref["number"].astype(str).str.replace(",", "").str.strip(), errors="coerce")
    if nums.isna().any():
        row = int(nums.isna().to_numpy().argmax())
        raise lx.FramescopeError(f"{where} row {row + 2}: number {ref['number'].iloc[row]!r} is not a number")
    ref["number"] = nums.astype("int64")
    for col, default in (("place", ""), ("outcome", "killed"), ("period", "")):
        if col not in ref.columns:
            ref[col] = default
        ref[col] = ref[col].fillna(default).astype(str).str.strip()
    ref.loc[ref["outcome"] == "", "outcome"] = "killed"
    return ref[["label", "number", "source", "place", "outcome", "period"]]


def claims_comparison(claims_df: pd.DataFrame, documents, by: str | None = "source_type",
                      reference=None, period: str | None = "M", outcome: str | None = "killed",
                      victim: str | None = None) -> pd.DataFrame:
    """The figures each group cites for the same place and period, and reference figures.

    ``claims_df``: :func:`claims`; ``documents``: the corpus (or its documents table) for
    ``by`` (a column or expression, as in :func:`analysis.counts.group_labels`) and the
    dates; ``period``: a pandas period alias of the document date ('D', 'W', 'M', 'Y') or
    None for all dates together; ``outcome``/``victim`` filter the claims (None: all).

    One ``kind='corpus'`` row per (place, period, outcome, group): ``n_claims`` claims
    with a figure, ``n_vague`` without, ``n_docs`` documents; ``number_median/min/max``
    over the figures (a range contributes its bounds, "at least N" its N); ``numbers``
    the distinct figures ("1139;1300"); ``attribution`` the claims per attribution class
    ("military:2;ngo:1"). Places are matched case-insensitively as written (no
    gazetteer). With ``reference`` (CSV or DataFrame ``label, number, source`` [+ place,
    outcome, period]), each reference is a ``kind='reference'`` row, and corpus rows of
    the reference's place (or every corpus row when it has no place) and outcome get its
    ``reference_*`` columns and ``ratio_to_reference`` = number_median / reference number.
    """
    from analysis.counts import group_labels
    from corpus.store import Corpus

    docs = documents.documents if hasattr(documents, "documents") else documents
    corpus_like = documents if hasattr(documents, "documents") else Corpus.from_frames(docs, pd.DataFrame())
    labels = group_labels(corpus_like, by)
    c = claims_df.copy()
    if outcome is not None:
        c = c[c["outcome"] == outcome]
    if victim is not None:
        c = c[c["victim"] == victim]
    c["group"] = c["doc_id"].map(labels).fillna("(missing)")
    dates = pd.to_datetime(docs.set_index("doc_id")["date"], errors="coerce") if "date" in docs else None
    if period is None or dates is None:
        c["period"] = "all"
    else:
        try:
            per = dates.dt.to_period(period).astype(str).where(dates.notna(), UNDATED)
        except Exception as exc:
            raise lx.FramescopeError(f"bad period {period!r}: {exc}") from None
        c["period"] = c["doc_id"].map(per).fillna(UNDATED)
    c["place_key"] = c["place"].fillna("").str.strip().str.casefold()
    c.loc[c["place_key"] == "", "place_key"] = NO_PLACE
    rows = []
    for (place_key, per, out_, group), part in c.groupby(["place_key", "period", "outcome", "group"], sort=True):
        figures = []
        for num, lo, hi in zip(part["number"], part["number_min"], part["number_max"]):
            if pd.notna(num):
                figures.append(int(num))
            else:
                figures += [int(x) for x in (lo, hi) if pd.notna(x)]
        shown = part["place"].dropna()
        rows.append({
            "kind": "corpus", "place": shown.mode().iloc[0] if len(shown) else NO_PLACE,
            "place_key": place_key, "period": per, "outcome": out_, "group": group, "label": None,
            "n_claims": int(part["number"].notna().sum() + (part["number"].isna() & part["number_min"].notna()).sum()),
            "n_vague": int((part["qualifier"] == "vague").sum()), "n_docs": int(part["doc_id"].nunique()),
            "number_median": float(np.median(figures)) if figures else np.nan,
            "number_min": min(figures) if figures else pd.NA, "number_max": max(figures) if figures else pd.NA,
            "numbers": ";".join(str(x) for x in sorted(set(figures))),
            "attribution": ";".join(f"{k}:{v}" for k, v in sorted(part["attribution_class"].value_counts().items())),
        })
    table = pd.DataFrame(rows, columns=[*COMPARISON_COLUMNS[:2], "place_key", *COMPARISON_COLUMNS[2:]])
    ref = read_reference(reference)
    ref_rows = []
    joined = []
    for _, r in ref.iterrows():
        key = r["place"].casefold() if r["place"] else None
        ref_rows.append({"kind": "reference", "place": r["place"] or None, "place_key": key,
                         "period": r["period"] or None, "outcome": r["outcome"], "group": r["source"],
                         "label": r["label"], "n_claims": 1, "n_vague": 0, "n_docs": 0,
                         "number_median": float(r["number"]), "number_min": int(r["number"]),
                         "number_max": int(r["number"]), "numbers": str(int(r["number"])),
                         "attribution": None})
        if table.empty:
            continue
        match = table["outcome"] == r["outcome"]
        if key:
            match &= table["place_key"] == key
        if r["period"]:
            match &= table["period"] == r["period"]
        part = table[match].copy()
        part["reference_label"] = r["label"]
        part["reference_number"] = int(r["number"])
        part["reference_source"] = r["source"]
        joined.append(part)
    if joined:
        matched = pd.concat(joined, ignore_index=True)
        key_cols = ["place_key", "period", "outcome", "group"]
        matched_keys = set(map(tuple, matched[key_cols].to_numpy()))
        rest = table[[tuple(k) not in matched_keys for k in table[key_cols].to_numpy()]]
        table = pd.concat([matched, rest.assign(reference_label=None, reference_number=pd.NA,
                                                reference_source=None)], ignore_index=True)
    if ref_rows:
        table = pd.concat([table, pd.DataFrame(ref_rows)], ignore_index=True)
    for col in ("reference_label", "reference_number", "reference_source"):
        if col not in table:
            table[col] = None
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio_to_reference"] = pd.to_numeric(table["number_median"], errors="coerce") / \
            pd.to_numeric(table["reference_number"], errors="coerce")
    table.loc[table["kind"] == "reference", "ratio_to_reference"] = np.nan
    table = table.sort_values(["kind", "place_key", "period", "outcome", "group", "reference_label"],
                              kind="stable", na_position="first").reset_index(drop=True)
    for col in ("number_min", "number_max", "reference_number"):
        table[col] = pd.array(pd.to_numeric(table[col], errors="coerce"), dtype="Int64")
    table.attrs.update({"by": by, "period": period, "outcome": outcome, "victim": victim})
    return table[COMPARISON_COLUMNS]
