"""Casualty claims, stages 1–3: which numbers count people, their victims and outcomes.

:func:`find_counts` reads one sentence's tokens: every numeric expression
(:func:`analysis.framing.numbers.find_amounts`) that counts people (a victim or outcome
noun behind it, not a unit), its qualifier, victim class and outcome. Places and the
attribution are added by the later stages (:mod:`analysis.framing.claims_places`,
:mod:`analysis.framing.claims_attribution`).
"""
from __future__ import annotations

from analysis.framing.claims_rules import (OUTCOMES, Claim, ClaimRules, in_words, is_adverb, is_count,
                                           matches_by_end, matches_by_start)
from analysis.framing.numbers import Amount, find_amounts
from analysis.framing.spans import Tok, is_arabic_word

_MODIFIER_STOP_EN = {"and", "or", "but", "in", "on", "at", "by", "from", "with", "after",
                     "when", "as", "while", "were", "was", "are", "is", "have", "has", "had",
                     "since", "during", "for", "to", "including", "into", "near", "that",
                     "who", "which", "the", "a", "an", "of"}


def find_counts(toks: list[Tok], sentence: str, rules: ClaimRules) -> list[Claim]:
    """The claims of one sentence (tokens ``toks`` of ``sentence``) without place and attribution.

    Parameters
    ----------
    toks : list of Tok
        :func:`analysis.framing.spans.scan` of ``sentence``.
    sentence : str
        The sentence (for ``claim_text``).
    rules : ClaimRules
        The compiled lexicons of the sentence's language.

    Returns
    -------
    list of Claim
        In text order; ``attribution_class`` is still ``unattributed``.
    """
    lang = rules.lang
    if not toks:
        return []
    words = [t.norm for t in toks]
    raw = [t.text for t in toks]
    dates = _date_tokens(toks)
    amounts = [a for a in find_amounts(words, raw, lang)
               if not any(k in dates for k in range(a.start, max(a.end, a.start + 1)))]
    outcome_start = matches_by_start(rules.outcomes, toks)
    outcome_end = matches_by_end(rules.outcomes, toks)
    casualty_start = matches_by_start(rules.casualty_nouns, toks)
    casualty_end = matches_by_end(rules.casualty_nouns, toks)
    victim_start = matches_by_start(rules.victims, toks)
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
                    is_count(toks[before - 1]) or any(
                        (m := rules.victims.match_at(toks, k)) is not None and m.end == before
                        and any(is_count(toks[q]) for q in range(max(0, k - 3), k))
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
        if not subject_words and (in_words(t, rules.left_gap) or is_adverb(t, rules.lang)):
            j -= 1
            continue
        if rules.lang == "ar" and t.kind == "word" and is_arabic_word(t.norm) and subject_words < 3:
            subject_words += 1
            j -= 1
            continue
        return None
    return None


def _right_outcome(toks, tail: int, outcome_start, rules: ClaimRules,
                   adjacent_only: bool = False) -> str | None:
    """A passive/intransitive outcome word behind the victim noun."""
    lang = rules.lang
    limit = 3 if adjacent_only else 11
    j = tail
    gap: list[Tok] = []
    while j < len(toks) and len(gap) < limit:
        if adjacent_only and gap and not all(in_words(g, rules.auxiliaries) or in_words(g, rules.right_gap)
                                             for g in gap):
            return None
        om = outcome_start.get(j)
        if om:
            outcome, role = om.payload
            if role == "active":
                return None  # another clause: "six people and injured another ten"
            if role == "nominal" and lang != "ar":
                return None
            adjacent = all(in_words(g, rules.right_gap) or is_adverb(g, lang) for g in gap)
            aux_near = any(in_words(g, rules.auxiliaries) for g in gap[-3:])
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
