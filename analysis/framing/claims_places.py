"""Casualty claims, stage 4: a place name near a claim, without a gazetteer."""
from __future__ import annotations

import re
from bisect import bisect_left

from framescope.analysis.framing.claims_rules import ClaimRules, in_words
from framescope.analysis.framing.spans import PhraseMatcher, Tok, ar_variants, is_arabic_word

_NAME_PARTICLE = re.compile(r"^(al|el|ez|az|ad|as|ar|ash|an|at|ath|bin|ibn|abu|umm|bu|deir|tal|tel|ras|ain|jisr|maarat|bab)(-|$)", re.I)


def find_place(toks, start: int, end: int, rules: ClaimRules,
               candidates: list[tuple[int, str]] | None = None) -> str | None:
    """A place name near a claim, without a gazetteer.

    English: a preposition (in, near, at, outside, ...), optionally "the", up to three
    modifiers or a place noun + "of" ("the eastern countryside of Hama", "the towns of
    Sousseh"), then a run of capitalised words or Arabic-name particles (al-, Deir,
    Abu...), ended by a lower-case word, "and", or punctuation; trailing place nouns
    ("Hama Countryside") are dropped. Arabic: a place noun (مدينة، بلدة، قرية، محافظة،
    ريف، حي، منطقة، مخيم) or a preposition (في، قرب، شمال...) followed by a word not in
    the stop list, plus the next word when the first is a name head (دير، أبو، تل...).
    A name inside a known source ("according to Deir Ezzor 24") is no place.
    The first candidate behind the claim wins, else the last one in front of it. Place
    names are not unified ("Deir Ezzor" and "Der Ezzor" stay two places).
    ``candidates``: :func:`place_candidates` of the sentence, computed once for all its
    claims (keeps a sentence with thousands of claims linear).

    Parameters
    ----------
    toks : list of Tok
        The sentence's tokens.
    start, end : int
        The claim's token span.
    rules : ClaimRules
        The compiled lexicons (place nouns, prepositions, stop words).
    candidates : list of tuple, optional
        :func:`place_candidates` of the sentence.

    Returns
    -------
    str or None
        The place as written, or None.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    cands = place_candidates(toks, rules) if candidates is None else candidates
    positions = _positions(cands)
    k = bisect_left(positions, end)
    if k < len(cands):
        return cands[k][1]
    k = bisect_left(positions, start)
    return cands[k - 1][1] if k > 0 else None


class _Candidates(list):
    """Place candidates with their token positions kept for bisection."""

    positions: list[int]


def _positions(cands) -> list[int]:
    return cands.positions if isinstance(cands, _Candidates) else [c[0] for c in cands]


def place_candidates(toks, rules: ClaimRules) -> list[tuple[int, str]]:
    """Every place phrase of a sentence (rules of :func:`find_place`).

    Parameters
    ----------
    toks : list of Tok
        The sentence's tokens.
    rules : ClaimRules
        The compiled lexicons.

    Returns
    -------
    list of tuple
        (token index, place name) in text order.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    cands = _place_candidates_ar(toks, rules) if rules.lang == "ar" else _place_candidates_en(toks, rules)
    inside = {k for m in rules.sources.find(toks) if m.end - m.start > 1 for k in range(m.start, m.end)}
    out = _Candidates(c for c in cands if c[0] not in inside)
    out.positions = [c[0] for c in out]
    return out


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
        if t.kind == "word" and in_words(t, nouns):
            nxt = i + 1
        else:
            m = preps.match_at(toks, i)
            if m:
                nxt = m.end
                # "في ريف حلب", "شمال شرق سوريا": the place noun/direction is not the name
                while nxt < len(toks) and (in_words(toks[nxt], nouns) or preps.match_at(toks, nxt)):
                    nxt += 1
        if nxt is not None and nxt < len(toks):
            w = toks[nxt]
            if w.kind == "word" and is_arabic_word(w.norm) and not in_words(w, stop) and not in_words(w, nouns):
                name = [w]
                if (w.norm in heads or (ar_variants(w.norm) & heads)) and nxt + 1 < len(toks) \
                        and toks[nxt + 1].kind == "word":
                    name.append(toks[nxt + 1])
                out.append((nxt, " ".join(n.text for n in name)))
                i = nxt + len(name)
                continue
        i += 1
    return out
