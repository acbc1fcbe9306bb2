"""Casualty claims, stage 5: who the text credits for a figure (attribution cues and sources)."""
from __future__ import annotations

from framescope.analysis.framing.claims_outcomes import find_counts
from framescope.analysis.framing.claims_rules import Attribution, Claim, ClaimRules, in_words, is_adverb, is_count
from bisect import bisect_left

from framescope.analysis.framing.spans import QUOTES, Match, scan

#: temporal/additive words between a pronoun speaker and its cue ("it later said", "it also reported")
_SPEECH_ADVERBS = {"later", "also", "then", "again", "earlier", "previously", "subsequently", "initially",
                   "further", "separately", "too", "had", "has", "have", "had", "now", "first", "قد", "ايضا"}
#: words that end a noun phrase after a cue ("said the attack was by Russia": no source)
_NOT_IN_NP = {"was", "were", "is", "are", "been", "be", "had", "has", "have", "that", "by",
              "would", "will", "had", "did"}
#: words that make a toll verb a reporting verb ("placed the death toll at", "gave a toll of")
_TOLL_WORDS = {"toll", "tally", "figure", "figures", "number", "count", "حصيله", "عدد"}

_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "syria's", "syrias"}


def find_attributions(toks, sentence: str, rules: ClaimRules, skip: set[int] | None = None) -> list[Attribution]:
    """Speech cues with their source in one sentence (token list of ``sentence``).

    A ``source_before`` cue ("said", "told", "confessed") takes the nearest known source
    in the up to twelve tokens in front of it (not crossing punctuation other than a
    short parenthesis, numbers, outcome words or "that/which/who"; past a relative clause
    or an apposition when needed; participles such as "saying" take their clause's
    subject), else behind it ("..., said the Observatory"; never for "told", "blamed",
    whose object is the addressee or the blamed). A ``source_after`` cue ("according to",
    "citing", "قال", "بحسب") takes the first source behind it; "quoted"/"cited"/"نقلت"
    fall back to the quoting source in front. A cue with no known source gives class
    ``other`` (or a pronoun speaker resolved later). Tokens in ``skip`` (outcome and
    qualifier words) are never cues: "claims the lives of", "an estimated 40".

    Parameters
    ----------
    toks : list of Tok
        :func:`framescope.analysis.framing.spans.scan` of ``sentence``.
    sentence : str
        The sentence (for ``Attribution.text``).
    rules : ClaimRules
        The compiled lexicons of the sentence's language.
    skip : set of int, optional
        Token indexes that are never cues.

    Returns
    -------
    list of Attribution
        In the order of their cues; a headline credit ("... - Monitor") when there is no cue.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    stops = _region_stops(toks, rules)
    out: list[Attribution] = []
    for cue in _cues(toks, rules, skip or set()):
        if not _is_speech(toks, cue, rules):
            continue
        cue_word = toks[cue.start].norm
        before_region = _before_region(toks, cue, rules, stops)
        st = rules.statements.match_at(toks, cue.end) if cue.end < len(toks) else None
        after_region, appos = _after_region(toks, st.end if st else cue.end, rules, stops)
        order = [("before", before_region), ("after", after_region)]
        if cue.payload == "after":
            order = order[::-1] if cue_word in rules.after_then_before else order[1:]
        elif cue_word in rules.addressee_after:
            order = order[:1]
        found = None
        for side, region in order:
            found = _source_on(toks, sentence, cue, st, side, region, appos, rules) if region else None
            if found is not None:
                break
        if found is None:
            found = _pronoun_speaker(toks, sentence, cue, order, rules)
        if found is None:
            region = before_region if cue.payload == "before" else after_region
            if region:
                lo, hi = (max(region[0], cue.start - 6), cue.end) if cue.payload == "before" \
                    else (cue.start, min(region[1], cue.end + 6))
                found = Attribution("other", sentence[toks[lo].start:toks[hi - 1].end], cue.start)
        if found is not None:
            out.append(found)
    if not out:
        credit = _headline_credit(toks, sentence, rules)
        if credit is not None:
            out.append(credit)
    return out


def _cues(toks, rules: ClaimRules, skip: set[int]) -> list[Match]:
    """Speech cues of the lexicon, plus toll verbs followed by a toll word ("placed the death
    toll at 45", "gave a slightly lower toll of 31"), in text order."""
    cues = [m for matcher in (rules.cues_before, rules.cues_after)
            for m in matcher.find(toks) if m.start not in skip]
    taken = {m.start for m in cues}
    cues += [Match(i, i + 1, t.norm, "before") for i, t in enumerate(toks)
             if t.norm in rules.toll_verbs and i not in taken
             and any(w.norm in _TOLL_WORDS for w in toks[i + 1:i + 6])]
    cues.sort(key=lambda m: m.start)
    return cues


def _is_speech(toks, cue: Match, rules: ClaimRules) -> bool:
    """Is this cue a report? Not "added a new crime", "claimed by Daesh", "were reported
    killed" or "adding new urgency"; always "admitted responsibility for", "confirmed the
    deaths of" (an admission, whatever the object)."""
    cue_word = toks[cue.start].norm
    after = toks[cue.end] if cue.end < len(toks) else None
    admits = after is not None and cue_word not in ("claimed", "claims", "claim") \
        and rules.speech_objects.match_at(toks, cue.end) is not None
    if not admits and cue.payload == "before" and after is not None and (
            (cue_word in rules.not_before_object and after.norm in ("a", "an", "to", "the", "its", "their"))
            or rules.not_speech_before.match_at(toks, cue.end)):
        return False
    p = cue.start - 1
    while p >= 0 and is_adverb(toks[p], rules.lang):
        p -= 1
    if cue.payload == "before" and p >= 0 and in_words(toks[p], rules.auxiliaries):
        return False  # "were reported killed", "it was reported": a passive, no source
    return cue_word not in rules.participle_cues or any(
        t.kind == "num" or t.is_quote or t.norm == "that" or is_count(t) for t in toks[cue.end:cue.end + 8])


def _before_region(toks, cue: Match, rules: ClaimRules, stops: set[int]) -> tuple[int, int] | None:
    """Where the source of a cue may stand in front of it."""
    cue_word = toks[cue.start].norm
    region = _region(toks, cue.start, -1, stops)
    if region is None and cue.start > 1 and toks[cue.start - 1].text in (",", "\u060c") \
            and cue_word not in rules.participle_cues:
        # "Rami Abdel Rahman, director of the Syrian Observatory, told Reuters": the apposition
        region = _region(toks, cue.start - 1, -1, stops)
    if cue_word in rules.participle_cues and not (region and _sources_in(toks, region, rules)):
        # "Airwars published its assessment on Monday, saying ...": the clause's subject
        subject = _region(toks, cue.start, -1, {i for i in stops if toks[i].text not in (",", "\u060c")},
                          width=25)
        if subject and _sources_in(toks, subject, rules):
            first = _sources_in(toks, subject, rules)[0]
            region = (subject[0], subject[0] + first.end)
    if region and region[0] > 0 and toks[region[0] - 1].norm in ("which", "who") \
            and not _sources_in(toks, region, rules):
        # "the Observatory, which monitors the war, said": hop over the relative clause
        outer = _region(toks, region[0] - 1, -1, stops)
        if outer and _sources_in(toks, outer, rules):
            region = outer
    return region


def _after_region(toks, at: int, rules: ClaimRules, stops: set[int]) -> tuple[tuple[int, int] | None, int | None]:
    """Where the source may stand behind a cue, and where an apposition starts ("said Fadel
    Abdul Ghany, head of the Syrian Network for Human Rights")."""
    region = _region(toks, at, +1, stops)
    if region and region[1] < len(toks) and toks[region[1]].text in (",", "\u060c") \
            and not _sources_in(toks, region, rules):
        apposition = _region(toks, region[1] + 1, +1, stops)
        if apposition and any(m.start <= 5 for m in _sources_in(toks, apposition, rules)):
            return (region[0], apposition[1]), apposition[0]
    return region, None


def _source_on(toks, sentence: str, cue: Match, st, side: str, region: tuple[int, int], appos: int | None,
               rules: ClaimRules) -> Attribution | None:
    """The known source of a cue on one side of it, with the words that credit it."""
    ms = _sources_in(toks, region, rules)
    if side == "after":
        # the noun phrase right after the cue (or its apposition), never past a verb or "by":
        # "said the attack was by Russia" names no speaker
        ms = [m for m in ms if (m.start <= 4 or (appos is not None and 0 <= region[0] + m.start - appos <= 5))
              and not any(toks[q].norm in _NOT_IN_NP for q in range(region[0], region[0] + m.start))]
    if not ms:
        return None
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
    return Attribution(m.payload, sentence[toks[lo].start:toks[hi - 1].end], cue.start)


def _pronoun_speaker(toks, sentence: str, cue: Match, order, rules: ClaimRules) -> Attribution | None:
    """A pronoun speaker ("it said", "according to the source"), resolved by the caller."""
    for side, region in order:
        if not region:
            continue
        lo, hi = region
        while hi > lo and (is_adverb(toks[hi - 1], rules.lang) or toks[hi - 1].norm in _SPEECH_ADVERBS):
            hi -= 1  # "it also said", "it later said"
        pm = rules.pronouns.find(toks[lo:hi]) if hi > lo else []
        if side == "before" and pm and lo + pm[-1].end == hi:
            span = (lo + pm[-1].start, cue.end)
        elif side == "after" and cue.payload == "after" and pm and pm[0].start == 0:
            span = (cue.start, lo + pm[0].end)
        else:
            continue
        return Attribution("other", sentence[toks[span[0]].start:toks[span[1] - 1].end], cue.start, pronoun=True)
    return None


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


def same_event(claim: Claim, text: str, rules: ClaimRules, strict: bool = False) -> bool:
    """May a neighbour's source be borrowed? Yes when the neighbour restates one of this
    claim's figures (same figure, or same vague words, and outcome): "Attack kills 5,
    injures 50." + "Rockets killed 5 ... a monitor said"; for the next sentence also when it
    reports no casualty figure of its own ("..., a police source told SANA"). ``strict``
    (the previous sentence) requires the restated figure: in the FA-KES precision samples
    a previous sentence's source without a shared figure was right in 2 of 8 cases.

    Parameters
    ----------
    claim : Claim
        A claim of the sentence.
    text : str
        The neighbouring sentence.
    rules : ClaimRules
        The compiled lexicons.
    strict : bool
        Require the restated figure (for the previous sentence; default False).

    Returns
    -------
    bool
        True when the claim's source may be taken from ``text``.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    theirs = find_counts(scan(text), text, rules)
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
    # «quoted names»: "أعلنت «خلية الصقور»"
    for i, t in enumerate(toks):
        if t.text == "\u00ab":
            close = next((k for k in range(i + 1, min(len(toks), i + 9)) if toks[k].text == "\u00bb"), None)
            if close is not None:
                stops.difference_update(range(i, close + 1))
    for m in rules.outcomes.find(toks):
        stops.update(range(m.start, m.end))
    words = {"that", "which", "who", "but", "while", "ان", "انه", "انها", "بان"}
    stops.update(i for i, t in enumerate(toks) if t.norm in words)
    # a known source name may hold casualty words or numbers: "Raqqa is Being Slaughtered
    # Silently", "Deir Ezzor 24"
    for m in rules.sources.find(toks):
        stops.difference_update(range(m.start, m.end))
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


def attribute_claims(claims: list[Claim], toks, sentence: str, prev: str | None, next: str | None,
                     rules: ClaimRules) -> None:
    """Set the attribution of each claim of one sentence (in place).

    The nearest cue in the sentence with a known source wins (else the nearest unknown one);
    a pronoun speaker takes the class of the previous sentence's source (or of the first
    source it names: "Abu Mohammad, a local activist, spoke to Airwars." + '"...," he said.');
    a sentence that opens a quote right after a sentence ending in ":" takes that sentence's
    speaker; otherwise the next or previous sentence as in :func:`same_event`. A subset
    ("including four children") takes its total's attribution. Linear in the number of
    claims and cues (nearest cue by bisection).

    Parameters
    ----------
    claims : list of Claim
        The claims of the sentence (changed in place).
    toks : list of Tok
        The sentence's tokens.
    sentence : str
        The sentence.
    prev, next : str or None
        The neighbouring sentences of the same segment.
    rules : ClaimRules
        The compiled lexicons.

    Returns
    -------
    None
        The claims' ``attribution_class``, ``attribution_text`` and ``attribution_scope``
        are set in place.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    amount_starts = {c.amount.start for c in claims}
    skip = set()
    for m in rules.outcomes.find(toks):
        skip.update(range(m.start, m.end))
    for m in rules.qualifiers.find(toks):
        # "an estimated 40" is no cue, "the Coalition estimated that 18" is
        if m.end < len(toks) and (m.end in amount_starts or toks[m.end].kind == "num"):
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

    classified = [a for a in here if a.cls != "other"]
    pools = [(pool, [a.cue for a in pool]) for pool in (classified, here) if pool]
    quote_opens = bool(prev) and prev.rstrip().endswith(":") and sentence.lstrip()[:1] in QUOTES
    for c in claims:
        if c.total is not None:
            continue  # a subset: its total's attribution, below
        if pools:
            # a named source in the sentence beats an unknown one ("..., says it has killed")
            best = _nearest(*pools[0], c)
            if best.pronoun:
                prior = [a for a in attributions_of(prev) if a.cls != "other"] or _named_in(prev, rules)
                if prior:
                    c.attribution_class = prior[-1].cls
                    c.attribution_text = f"{prior[-1].text} … {best.text}"
                    c.attribution_scope = "pronoun"
                    continue
            c.attribution_class, c.attribution_text, c.attribution_scope = best.cls, best.text, "sentence"
            continue
        if quote_opens and attributions_of(prev):
            a = attributions_of(prev)[-1]  # 'X told Reuters:' + '"At least 18 civilians ... died."'
            c.attribution_class, c.attribution_text, c.attribution_scope = a.cls, a.text, "previous"
            continue
        for scope, text in (("next", next), ("previous", prev)):
            found = [a for a in attributions_of(text) if a.cls != "other"]
            if found and not same_event(c, text, rules, strict=scope == "previous"):
                continue  # the neighbour's source speaks about its own, different figures
            if found:
                a = found[0] if scope == "next" else found[-1]
                c.attribution_class, c.attribution_text, c.attribution_scope = a.cls, a.text, scope
                break
    for c in claims:
        if c.total is not None:
            c.attribution_class, c.attribution_text, c.attribution_scope = \
                c.total.attribution_class, c.total.attribution_text, c.total.attribution_scope


def _nearest(pool: list[Attribution], positions: list[int], claim: Claim) -> Attribution:
    """The cue nearest to the claim's tokens; ties go to the cue behind it ("X were
    killed, according to Y"). ``positions`` are the pool's cue indexes, ascending."""
    k = bisect_left(positions, claim.start)
    near = {max(0, k - 1), min(len(pool) - 1, k)}
    k2 = bisect_left(positions, claim.end)
    near |= {max(0, k2 - 1), min(len(pool) - 1, k2)}

    def distance(a: Attribution) -> tuple[int, int]:
        return min(abs(a.cue - claim.start), abs(a.cue - claim.end)), int(a.cue < claim.start)

    return min((pool[i] for i in sorted(near)), key=distance)


def _named_in(text: str | None, rules: ClaimRules) -> list[Attribution]:
    """The first source a sentence names outside a prepositional phrase (for "he said" after
    "Abu Mohammad, a local activist in al-Bukamal, spoke to Airwars")."""
    if not text:
        return []
    nt = scan(text)
    found = _sources_in(nt, (0, len(nt)), rules)
    if not found:
        return []
    m = found[0]
    return [Attribution(m.payload, text[nt[m.start].start:nt[m.end - 1].end], m.start)]
