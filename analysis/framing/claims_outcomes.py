"""Casualty claims, stages 1–3: which numbers count people, their victims and outcomes.

:func:`find_counts` reads one sentence's tokens: every numeric expression
(:func:`framescope.analysis.framing.numbers.find_amounts`) that counts people (a victim or outcome
noun behind it, not a unit), its qualifier, victim class and outcome. Places and the
attribution are added by the later stages (:mod:`framescope.analysis.framing.claims_places`,
:mod:`framescope.analysis.framing.claims_attribution`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from framescope.analysis.framing.claims_rules import (OUTCOMES, Claim, ClaimRules, in_words, is_adverb, is_count,
                                           matches_by_end, matches_by_start)
from framescope.analysis.framing.numbers import Amount, find_amounts
from framescope.analysis.framing.spans import Tok, is_arabic_word

_MODIFIER_STOP_EN = {"and", "or", "but", "in", "on", "at", "by", "from", "with", "after",
                     "when", "as", "while", "were", "was", "are", "is", "have", "has", "had",
                     "since", "during", "for", "to", "including", "into", "near", "that",
                     "who", "which", "the", "a", "an", "of"}


@dataclass
class _Sentence:
    """One sentence's tokens with the lexicon matches every stage looks up."""

    toks: list
    text: str
    rules: ClaimRules
    outcome_start: dict
    outcome_end: dict
    casualty_start: dict
    casualty_end: dict
    victim_start: dict
    amount_starts: set = field(default_factory=set)

    @classmethod
    def read(cls, toks, text: str, rules: ClaimRules) -> "_Sentence":
        return cls(toks, text, rules, matches_by_start(rules.outcomes, toks), matches_by_end(rules.outcomes, toks),
                   matches_by_start(rules.casualty_nouns, toks), matches_by_end(rules.casualty_nouns, toks),
                   matches_by_start(rules.victims, toks))


def find_counts(toks: list[Tok], sentence: str, rules: ClaimRules) -> list[Claim]:
    """The claims of one sentence (tokens ``toks`` of ``sentence``) without place and attribution.

    Parameters
    ----------
    toks : list of Tok
        :func:`framescope.analysis.framing.spans.scan` of ``sentence``.
    sentence : str
        The sentence (for ``claim_text``).
    rules : ClaimRules
        The compiled lexicons of the sentence's language.

    Returns
    -------
    list of Claim
        In text order; ``attribution_class`` is still ``unattributed``.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    if not toks:
        return []
    sx = _Sentence.read(toks, sentence, rules)
    amounts, preset = _sentence_amounts(sx)
    sx.amount_starts = {a.start for a in amounts}
    claims: list[Claim] = []
    shares_noun: dict[int, tuple] = {}  # amount start → an earlier amount sharing its noun
    for a in amounts:
        dual = preset.get(a.start)
        end = a.end if dual is None or a.end > a.start else a.start  # a dual: the noun is the number
        # a unit after the number: not people; an age ("a 60-year-old man", "aged 12")
        unit = rules.not_people.match_at(toks, end) if end < len(toks) else None
        if unit is not None and sx.victim_start.get(end) is not None and sx.victim_start[end].end > unit.end:
            unit = None  # "seven family members" are people, "six families" are not
        if unit is not None or _is_age(toks, a.start, end):
            continue
        qualifier, qstart = _qualifier_before(toks, a, rules)
        if dual is not None:
            victim, outcome, tail = (None, dual[0], dual[1]) if dual[0] in OUTCOMES else (dual[0], None, dual[1])
        else:
            found = _noun_behind(sx, a, end, (a, qualifier, qstart), shares_noun)
            if found is None:
                continue  # "dozens of vehicles": not people
            victim, outcome, tail = found
        # after-number qualifier ("20 people at least", "20 شخصا على الأقل")
        m = rules.after_qualifiers.match_at(toks, tail) if tail < len(toks) else None
        if m and qualifier == "exact":
            qualifier, tail = m.payload, m.end
        total = _subset_total(toks, qstart, end, tail, claims, rules)
        if total is not None and victim is None and dual is None and tail == end and end + 1 < len(toks) \
                and toks[end].norm in _AMONG_BE and sx.victim_start.get(end + 1) is not None:
            victim, tail = sx.victim_start[end + 1].payload, sx.victim_start[end + 1].end  # "of whom eight were children"
        if total is not None and (victim is None and dual is None and tail == end or _larger(a, total.amount)):
            total = None  # "including around five million who fled": no people noun, or more than the total
        if total is not None:
            outcome = total.outcome  # "10 killed, including four children": the total's outcome
        if outcome is None:
            outcome = _outcome_around(sx, a, qualifier, qstart, end, tail, victim, dual is not None)
        if outcome is None or (a.value is None and not a.vague and not a.is_range):
            continue
        # "more than dozens": keep the words, there is still no number
        qualifier = "vague" if a.vague else "range" if a.is_range else qualifier
        text = sentence[toks[qstart].start:toks[max(tail, a.end, qstart + 1) - 1].end]
        claims.append(Claim(qstart, max(tail, a.end), a, qualifier, victim, outcome, text, total=total))
        if a.start in shares_noun:
            first, q1, s1 = shares_noun.pop(a.start)
            claims.insert(len(claims) - 1, Claim(s1, first.end, first, q1 if not first.is_range else "range",
                                                 victim, outcome, sentence[toks[s1].start:toks[first.end - 1].end],
                                                 total=total))
    return claims


def _sentence_amounts(sx: _Sentence) -> tuple[list[Amount], dict[int, tuple[str, int]]]:
    """Numeric expressions that may count people, and the nouns that are their own number:
    Arabic duals (طفلين = 2 children) and single victims ("a man", "قتل طفل") → (class, noun end)."""
    toks, rules = sx.toks, sx.rules
    dates = _date_tokens(toks)
    # numbers inside dates and source names ("Deir Ezzor 24") count no people
    masked = dates | {k for m in rules.sources.find(toks) for k in range(m.start, m.end)}
    amounts = [a for a in find_amounts([t.norm for t in toks], [t.text for t in toks], rules.lang)
               if not any(k in masked for k in range(a.start, max(a.end, a.start + 1)))
               and not _not_a_count(toks, a)]
    taken = {i for a in amounts for i in range(a.start, a.end)}
    preset: dict[int, tuple[str, int]] = {}
    for d in rules.duals.find(toks):
        if d.start not in taken:
            amounts.append(Amount(d.start, d.start, 2, 2, 2, text=toks[d.start].text))
            preset[d.start] = (d.payload, d.end)
    for start, (article_end, noun) in _single_victims(toks, rules, sx.outcome_end).items():
        if start not in taken and noun.start not in taken:
            amounts.append(Amount(start, article_end, 1, 1, 1, text=sx.text[toks[start].start:toks[noun.start].end]))
            preset[start] = (noun.payload, noun.end)
    amounts.sort(key=lambda a: a.start)
    return amounts, preset


def _qualifier_before(toks, a: Amount, rules: ClaimRules) -> tuple[str, int]:
    """The lexicon qualifier ending right before the number ("at least"), and where it starts."""
    for k in range(max(0, a.start - 5), a.start):
        m = rules.qualifiers.match_at(toks, k)
        if m and m.end == a.start:
            return m.payload, k
    return "exact", a.start


def _noun_behind(sx: _Sentence, a: Amount, end: int, me: tuple, shares_noun: dict):
    """(victim, outcome, tail) from the victim or outcome noun behind the number, over at most
    three modifiers ("62 civilians", "20 dead", "dozens of civilians", "1,100 civilian deaths");
    None when an "of" complement is no people ("dozens of vehicles")."""
    toks, rules, lang = sx.toks, sx.rules, sx.rules.lang
    victim = outcome = None
    tail = end
    j, skipped, budget = end, 0, 3
    while j < len(toks) and skipped < budget:
        vm, om, cm = sx.victim_start.get(j), sx.outcome_start.get(j), sx.casualty_start.get(j)
        if om and om.payload[1] in ("noun", "nominal") and not (
                lang != "ar" and om.payload[1] == "nominal" and om.phrase.endswith(" of")):
            outcome, tail = om.payload[0], om.end
            # "dead and wounded", "القتلى والجرحى": both outcomes at once
            k = tail + 1 if tail < len(toks) and toks[tail].norm in ("and", "or", "او") else tail
            joined = sx.outcome_start.get(k)  # Arabic و is a clitic: والجرحى matches جرحى
            if joined and joined.payload[0] != outcome and joined.payload[1] in ("noun", "nominal"):
                outcome, tail = "casualties", joined.end
            break
        if cm:
            outcome, tail = "casualties", cm.end
            break
        if vm:
            victim, outcome, tail = _victim_at(sx, vm)
            break
        t = toks[j]
        if t.text in (",", "\u060c") and j == end and a.is_range:
            j += 1  # "at least 12, and possibly as many as 19, civilians"
            continue
        if t.kind != "word" or j in sx.amount_starts:
            break  # "2016 Ninety-two civilians": the noun belongs to the next number
        if lang == "ar":
            if t.norm not in ("من", "اخرين", "اخرون") and skipped >= 1:
                break
        elif t.norm == "of" and j == end:
            budget += 1  # "dozens of civilians", "20 of the victims"
        elif t.norm == "the" and j > end and toks[j - 1].norm == "of":
            pass
        elif t.norm == "and" and skipped and j + 1 < len(toks) and toks[j + 1].kind == "word" \
                and not sx.outcome_start.get(j + 1):
            budget += 1  # "scores of innocent and defenseless people"
        elif t.norm in _MODIFIER_STOP_EN and not (len(t.text) > 1 and t.text.isupper()):
            if t.norm in ("and", "or") and skipped and j + 1 < len(toks) and j + 1 in sx.amount_starts:
                shares_noun[j + 1] = me  # "30 regime and 39 rebel fighters"
            break  # ("IS" in "40 IS fighters" is no verb)
        j += 1
        skipped += 1
    if victim is None and outcome is None and end + 1 < len(toks) and toks[end].norm == "of" \
            and toks[end + 1].norm in ("them", "whom", "those", "these"):
        tail = end + 2  # "20 of them were killed"
    elif victim is None and outcome is None and end + 1 < len(toks) and toks[end].norm in ("of", "من") \
            and any(rules.not_people.match_at(toks, k) for k in range(end + 1, min(len(toks), end + 3))):
        return None  # "dozens of vehicles", "ملايين من الدجاجات": not people
    return victim, outcome, tail


def _victim_at(sx: _Sentence, vm) -> tuple[str, str | None, int]:
    """(victim, outcome or None, tail) of a victim-noun match, with a possessive and an
    outcome noun right behind it ("residents' fatalities", "civilian deaths")."""
    toks = sx.toks
    victim, tail, outcome = vm.payload, vm.end, None
    if victim == "fighters" and toks[vm.start].norm == "members" and any(
            toks[k].norm in _FAMILY for k in range(max(0, vm.start - 1), min(len(toks), tail + 5))):
        victim = "people"  # "members of the al-Hamoud family", "family members"
    if tail + 1 < len(toks) and toks[tail].text in ("'", "\u2019") and toks[tail + 1].kind == "word":
        tail += 1  # "residents' fatalities"
        if toks[tail].norm == "s":
            tail += 1
    om2 = sx.outcome_start.get(tail)
    if om2 and om2.payload[1] in ("noun", "nominal") and sx.rules.lang != "ar" and not om2.phrase.endswith(" of"):
        outcome, tail = om2.payload[0], om2.end
    elif sx.casualty_start.get(tail):
        outcome, tail = "casualties", sx.casualty_start[tail].end
    return victim, outcome, tail


def _outcome_around(sx: _Sentence, a: Amount, qualifier: str, qstart: int, end: int, tail: int,
                    victim: str | None, is_noun: bool) -> str | None:
    """The outcome word in front of the number ("killing at least 20"), else behind the
    victim ("six civilians were killed"), else of the group it is counted among."""
    toks, rules = sx.toks, sx.rules
    outcome = _left_outcome(toks, qstart, sx.outcome_end, sx.casualty_end, rules)
    if outcome is None and (victim is not None or tail > end or is_noun):
        outcome = _right_outcome(toks, tail, sx.outcome_start, rules)
    if outcome is None and victim is None and tail == end and not (
            qualifier == "exact" and a.value is not None and 1900 <= a.value <= 2100):
        outcome = _right_outcome(toks, tail, sx.outcome_start, rules, adjacent_only=True)
    if outcome is None and (victim is not None or is_noun):
        outcome = _among_outcome(toks, qstart, tail, sx.outcome_start)
    return outcome


_FAMILY = {"family", "families", "household", "households", "clan"}
_AGE_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days")
_ARTICLES = {"a", "an"}
_SINGLE_STOP = {"of", "and", "or", "the", "number", "group", "total", "few", "couple", "lot",
                "handful", "series", "family", "member", "source", "statement", "report"}


def _not_a_count(toks, a: Amount) -> bool:
    """"father of five" (children of one victim), Arabic "عائلة واحدة" (an adjective)."""
    if a.start >= 2 and toks[a.start - 1].norm == "of" and toks[a.start - 2].norm in (
            "father", "mother", "parent", "parents"):
        return True
    return a.value == 1 and toks[a.start].norm in ("واحد", "واحده")


def _is_age(toks, start: int, end: int) -> bool:
    """"60-year-old", "60 years old", "aged 12", "ages 12 to 17": ages, not counts."""
    if start > 0 and toks[start - 1].norm in ("aged", "age", "ages"):
        return True
    k = end + 1 if end < len(toks) and toks[end].text == "-" else end
    if k < len(toks) and toks[k].norm.split("-")[0] in _AGE_UNITS:
        return toks[k].norm.endswith("-old") or (k + 1 < len(toks) and toks[k + 1].norm in ("old", "-"))
    return False


def _single_victims(toks, rules: ClaimRules, outcome_end) -> dict[int, tuple[int, object]]:
    """Single victims without a number: {start: (end of the article, noun match)}.

    English: "a"/"an" + at most three modifiers (adjectives, an age: "a 60-year-old man")
    + a singular victim noun (``single_victims`` in the casualty lexicon). Arabic: a singular
    victim noun right after an outcome word or a subset cue ("قتل طفل", "بينهم طفل") or
    chained by و to a claim before it ("امرأتان وطفل").
    """
    out: dict[int, tuple[int, object]] = {}
    if not rules.singles:
        return out
    n = len(toks)
    if rules.lang == "ar":
        for i, t in enumerate(toks):
            if t.kind != "word":
                continue
            m = rules.singles.match_at(toks, i)
            if m is None or i == 0 or "ال" in t.norm[:4]:
                continue  # a definite noun ("مقتل الرضيع علي ...") names someone, it counts nobody
            before = toks[i - 1]
            om = outcome_end.get(i)
            if (om is not None and om.payload[1] in ("verb", "intransitive", "nominal", "passive")) \
                    or rules.subset_cues.match_at(toks, i - 1) or (t.norm.startswith("و") and before.kind in ("word", "num")):
                out[i] = (i, m)
        return out
    for i, t in enumerate(toks):
        if t.norm not in _ARTICLES:
            continue
        j = i + 1
        for _ in range(4):
            if j >= n:
                break
            m = rules.singles.match_at(toks, j)
            if m is not None:
                out[i] = (i + 1, m)
                break
            w = toks[j]
            if w.norm in _ARTICLES:
                break  # "a a a": the next article starts its own phrase
            if w.kind == "num" and j + 2 < n and toks[j + 1].text == "-":
                j += 3 if toks[j + 2].norm in _AGE_UNITS else 2  # "60-year-old", "60 - year - old"
                continue
            if w.kind != "word" or w.norm in _SINGLE_STOP:
                break
            j += 1
    return out


def _larger(part: Amount, whole: Amount) -> bool:
    """Is a would-be subset larger than its total? Then it is none."""
    top = whole.value if whole.value is not None else whole.high
    low = part.value if part.value is not None else part.low
    return top is not None and low is not None and low > top


_AMONG_BE = {"were", "was", "are", "is"}


def _among_outcome(toks, qstart: int, tail: int, outcome_start) -> str | None:
    """"a woman and a child were among the dead", "Among the dead ... were a woman": the
    outcome of the group the victims are counted among."""
    def outcome_near(k: int) -> str | None:
        for q in range(k, min(len(toks), k + 6)):
            om = outcome_start.get(q)
            if om is not None:
                return om.payload[0]
            if toks[q].kind == "punct":
                return None
        return None

    def in_phrase(t) -> bool:  # words, numbers and the hyphens of "9-year-old"
        return t.kind != "punct" or t.text == "-"

    j = tail
    while j < len(toks) and j < tail + 10 and toks[j].norm not in _AMONG_BE and in_phrase(toks[j]):
        j += 1  # "... and a 9-year-old girl were among": over the rest of a coordination
    if j + 1 < len(toks) and toks[j].norm in _AMONG_BE and toks[j + 1].norm == "among":
        return outcome_near(j + 2)
    b = qstart - 1
    while b >= 0 and b > qstart - 10 and toks[b].norm not in _AMONG_BE and in_phrase(toks[b]):
        b -= 1  # "were a woman and a child": back over the coordination
    if b > 0 and toks[b].norm in _AMONG_BE:
        for k in range(b - 1, max(-1, b - 15), -1):
            if toks[k].norm == "among":
                return outcome_near(k + 1)
    return None


def _apposition_closes(toks, qstart: int, rules: ClaimRules) -> bool:
    """Does a comma or dash within ten tokens close an apposition, with the verb right after?"""
    for k in range(qstart + 1, min(len(toks), qstart + 11)):
        t = toks[k]
        if t.kind == "punct" and (t.text in (",", "\u060c") or t.text in _DASHES):
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            return nxt is not None and (in_words(nxt, rules.auxiliaries) or rules.outcomes.match_at(toks, k + 1) is not None)
        if t.kind == "punct" or rules.outcomes.match_at(toks, k) is not None:
            return False
    return False


def _subset_total(toks, qstart: int, end: int, tail: int, claims: list[Claim],
                  rules: ClaimRules) -> Claim | None:
    """The total a claim is part of: after "including", "among them", "of whom", "بينهم"
    (or "six of them ...", or "and"-chained to a subset just before), the last claim before
    it in the sentence that is no subset itself; None otherwise."""
    if not claims:
        return None
    prev = claims[-1]
    last_total = prev if prev.total is None else prev.total  # claims before prev's total are no nearer
    k = qstart - 1
    while k >= 0 and toks[k].kind == "punct" and toks[k].text in ",(\u2013\u2014-:\u060c":
        k -= 1
    for back in range(0, 3):  # cue phrases of up to three words end at k
        start = k - back
        if start >= 0:
            m = rules.subset_cues.match_at(toks, start)
            if m is not None and m.end == k + 1:
                return last_total
    if end + 1 < len(toks) and toks[end].norm == "of" and toks[end + 1].norm in ("them", "whom"):
        return last_total  # "(six of them children)"
    if tail > 0 and toks[tail - 1].norm in ("others", "more", "اخرين", "اخرون", "اخري"):
        return None  # "including 3 children and 43 others were injured": a new group
    between = toks[prev.end:qstart]
    if prev.total is None and prev.victim is not None and len(between) == 1 and between[0].text == "," \
            and _apposition_closes(toks, qstart, rules):
        return prev  # "Three civilians, a mother and her two sons, were killed"
    if prev.total is not None and 0 < len(between) <= 2 and all(
            t.norm in ("and", "his", "her", "their", "و") for t in between):
        return prev.total  # "including a father and his three children"
    if prev.total is not None and not between and rules.lang == "ar" and toks[qstart].norm.startswith("و"):
        return prev.total  # "بينهم امرأتان وطفل"
    return None


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
        if near_month and i > 0 and toks[i - 1].kind == "num" and toks[i - 1].norm.isdigit() \
                and len(toks[i - 1].norm) == 4 and not (i + 1 < n and toks[i + 1].norm in _MONTHS):
            near_month = False  # "6 September 2016 10 civilians killed": 10 follows the year
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
            if rules.lang != "ar" and role in ("intransitive", "passive") and not (
                    om.start > 0 and toks[om.start - 1].norm == "of"):
                return None  # ("the number of dead at 27", "a toll of dead of 45" do count)
            if subject_words and role not in ("verb", "active"):
                return None
            before = om.start
            if rules.lang != "ar" and role == "verb" and before > 0 and not subject_words and (
                    is_count(toks[before - 1]) or any(
                        (m := rules.victims.match_at(toks, k) or rules.singles.match_at(toks, k)) is not None
                        and m.end == before
                        and any(is_count(toks[q]) or toks[q].norm in _ARTICLES for q in range(max(0, k - 3), k))
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


_GAP_STARTS = {"from", "of", "in", "inside", "at", "near", "among", "belonging", "who", "whose", "aged"}
_CLAUSE_WORDS = {"where", "when", "while", "after", "before", "as", "because", "but", "and", "said",
                 "says", "told", "reported", "killed", "killing", "injured", "wounded"}
_DASHES = {"-", "\u2013", "\u2014"}


def _modifier_gap(gap: list[Tok]) -> bool:
    """A prepositional phrase or relative clause between a victim noun and an intransitive
    verb ("26 civilians from one family died", "nine civilians who had fled ... died")."""
    return bool(gap) and gap[0].norm in _GAP_STARTS and len(gap) <= 12 and not any(
        g.kind == "punct" or g.norm in _CLAUSE_WORDS for g in gap)


def _parenthetical_end(toks, j: int, rules: ClaimRules) -> int | None:
    """Index after a parenthetical opening at ``j`` (a dash or bracket pair, or a comma +
    subset cue up to the next comma: ", including four children,"), else None."""
    t = toks[j]
    if t.kind != "punct":
        return None
    if t.text in _DASHES or t.text == "(":
        closers = {")"} if t.text == "(" else _DASHES
        for k in range(j + 1, min(len(toks), j + 30)):
            if toks[k].text in closers:
                return k + 1
        return None
    if t.text in (",", "\u060c") and j + 1 < len(toks) and rules.subset_cues.match_at(toks, j + 1):
        for k in range(j + 2, min(len(toks), j + 16)):
            if toks[k].text in (",", "\u060c") or toks[k].text in _DASHES:
                return k + 1
            if toks[k].text in (".", ";", ":"):
                break
    return None


def _right_outcome(toks, tail: int, outcome_start, rules: ClaimRules,
                   adjacent_only: bool = False) -> str | None:
    """A passive/intransitive outcome word behind the victim noun."""
    lang = rules.lang
    limit = 3 if adjacent_only else 14
    j = tail
    gap: list[Tok] = []
    while j < len(toks) and len(gap) < limit:
        if not adjacent_only:
            close = _parenthetical_end(toks, j, rules)
            if close is not None:  # "five civilians – including a father – died", "(six of them children)"
                j = close
                continue
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
                ok = adjacent or aux_near or len(gap) <= 2 or _modifier_gap(gap)
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
