"""Agency of killing: is the killer the grammatical agent, a by-phrase, or absent?

For every killing expression (the ``killed`` outcome words of the shipped casualty
lexicon ``framing_casualties.yaml``: kill/killed/massacred/slain/death/died, قتل/مقتل/
استشهد/لقي مصرعه ...), a rule on the surrounding tokens gives its ``agency``:

``agent``
    active voice, the killer is the subject: "the coalition killed 62
    civilians", "a car bomb killed 20", "..., killing 7 civilians" (subject
    implicit: ``agent_text`` null), "قتل التحالف 20 مدنيا" (a verb followed
    by a non-victim noun: VSO)
``by_phrase``
    passive or nominalisation with the killer demoted to a by-phrase: "were
    killed by coalition air strikes", "the killing of civilians by ...",
    "at the hands of"; Arabic على يد، من قبل، بنيران، برصاص، بغارة، بقصف
``agentless``
    passive without agent: "62 civilians were killed", "62 civilians killed
    in ...", "قتل 20 مدنيا في غارة" (verb followed by the number/victim)
``nominal``
    an event noun without by-phrase: "the deaths of 15 civilians", "death
    toll", "20 dead", مقتل، استشهاد
``intransitive``
    no agent possible: "died", "lost their lives", استشهد، لقي ... مصرعهم

English voice: "killed" after a form of be/get (over adverbs) is passive; "has/have/had
killed" is active; otherwise it is active when an object follows (a number, a victim
noun, a determiner, a pronoun, a vague amount) and a reduced passive when none does.
The by-phrase is looked for in the eight tokens after the verb, not across ; : . — no
parser is used, so long-distance agents are missed; read the sentences.

Columns of :func:`agency_sentences`: doc_id, lang, sent, role, sentence, cue, agency,
agent_text, agent_actor (actor-lexicon actor of the agent, if any), agent_kind (actor,
event, other, or null), victim (victim class next to the expression, or null).
:func:`agency` gives, per group, ``count`` and ``share`` of each agency class among the
group's killing expressions, with document-bootstrap CIs.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.framing.actors import actor_matchers
from framescope.analysis.framing.claims_rules import ClaimRules, in_words, is_adverb, rules_for
from framescope.analysis.framing.groupstats import (bootstrap_ratio, check_bootstrap_args, doc_groups, document_sizes,
                                         iter_segment_sentences, with_group_sizes)
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor
from framescope.analysis.framing.mentions import META_COLUMNS
from framescope.analysis.framing.numbers import find_amounts
from framescope.analysis.framing.spans import PhraseMatcher, is_arabic_word, scan

#: The agency classes of a killing expression, in the order of the module docstring.
AGENCY_CLASSES = ("agent", "by_phrase", "agentless", "nominal", "intransitive")
AGENCY_LINE_COLUMNS = ["doc_id", "lang", "sent", "role", "sentence", "cue", "agency", "agent_text",
                       "agent_actor", "agent_kind", "victim"]

_DETERMINERS_EN = {"a", "an", "the", "this", "that", "these", "those", "another", "its", "their",
                   "his", "her", "such", "every", "each"}
_HAVE = {"has", "have", "had", "having"}
_SUBJECT_STOPS_EN = {"that", "which", "who", "when", "as", "after", "while", "and", "but",
                     "because", "where", "since", "before", "if", "although", "said", "says",
                     "say", "told", "reported", "claimed", "admitted", "revealed", "added", "to"}
# verbs whose object is an event noun: "committed massacres", "carried out a massacre"
_LIGHT_VERBS_EN = {"commit", "commits", "committed", "committing", "perpetrate", "perpetrated",
                   "perpetrating", "condemned", "condemns", "denounced", "of", "in", "after",
                   "over", "against", "for", "and"}
_AGENT_STOPS_EN = {"in", "on", "at", "near", "since", "during", "after", "before", "while",
                   "when", "and", "as", "with", "who", "which", "that", "for", "from", "into",
                   "across", "throughout", "over", "last", "this", "must", "will", "would",
                   "should", "can", "could", "may", "might", "has", "have", "had", "is", "are",
                   "was", "were", "said", "says", "according", "killing", "killed"}
# Arabic words after a verb that cannot be its subject (prepositions, particles, time)
_AR_NOT_AGENT = {"في", "علي", "من", "عن", "الي", "خلال", "جراء", "اثر", "بعد", "قبل", "امس",
                 "اليوم", "يوم", "منذ", "حين", "عندما", "ثم", "قد", "لقد", "ان", "انه", "ما",
                 "لا", "الا", "نحو", "حوالي", "اكثر", "اقل", "قرابه", "زهاء", "بينهم", "منهم",
                 "فيها", "فيه", "اثناء", "بسبب", "نتيجه", "جميع", "كل", "مساء", "صباح", "ليل",
                 "الليله", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"}
_NOMINAL_VERBS_EN = {"massacre", "massacres", "slaughter", "murder", "murders", "killing", "execution",
                     "slaughtering", "massacring"}


@dataclass(frozen=True)
class AgencyRules:
    """The compiled agency rules of one language (:func:`agency_rules`).

    Parameters
    ----------
    claims : ClaimRules
        The casualty claim rules (outcome words, victims, numbers) of the language.
    by_phrase : PhraseMatcher
        Phrases that introduce a demoted agent ("by", "at the hands of", على يد).
    object_start : frozenset
        Words (lower case) that start an object after the verb: determiners, pronouns,
        quantity and number words; one of them after "killed" makes it active.
    events : PhraseMatcher
        Event nouns that can be the agent ("air strike", "car bomb"): ``agent_kind``
        "event".
    actors : PhraseMatcher or None
        The actor lexicon's matcher (None: no actor lexicon for the language).
    """

    claims: ClaimRules
    by_phrase: PhraseMatcher
    object_start: frozenset
    events: PhraseMatcher
    actors: PhraseMatcher | None


@functools.lru_cache(maxsize=16)
def agency_rules(lang: str, casualty_lexicon: str | None = None,
                 actor_lexicon: str | None = None) -> AgencyRules:
    """The compiled agency rules of one language.

    Parameters
    ----------
    lang : str
        'ar' for Arabic rules, anything else English.
    casualty_lexicon, actor_lexicon : str, optional
        Files replacing the shipped ``framing_casualties.yaml`` / ``framing_actors.csv``.

    Returns
    -------
    AgencyRules
        The claim rules, by-phrase, object-start and event phrases, and the actor matcher.

    References
    ----------
    Trew, T. (1979). Theory and ideology at work. In R. Fowler, B. Hodge, G. Kress & T. Trew,
    *Language and Control*, 94–116. Routledge.
    Fowler, R. (1991). *Language in the News*. Routledge, ch. 5 (transitivity, agent deletion).
    """
    key = "ar" if lang == "ar" else "en"
    lex = lx.casualty_lexicon(casualty_lexicon)
    ag = lex.get("agency") or {}
    actors = actor_matchers(actor_lexicon).get(key)
    return AgencyRules(
        claims=rules_for(key, casualty_lexicon),
        by_phrase=PhraseMatcher((p, True, False) for p in lx.words(ag.get("by_phrase"), key)),
        object_start=frozenset(w.lower() for w in lx.words(ag.get("object_start"), key)),
        events=PhraseMatcher((p, True, False) for p in lx.words(ag.get("events"), key)),
        actors=actors,
    )


def _prev_word(toks, i: int, lang: str) -> int | None:
    """Index of the nearest word before ``i``, skipping adverbs."""
    j = i - 1
    while j >= 0 and toks[j].kind == "word" and is_adverb(toks[j], lang):
        j -= 1
    return j if j >= 0 else None


def _next_word(toks, i: int, lang: str) -> int | None:
    j = i
    while j < len(toks) and toks[j].kind == "word" and is_adverb(toks[j], lang):
        j += 1
    return j if j < len(toks) else None


def _object_follows(toks, i: int, rules: AgencyRules, amounts_at: set[int], victims_at: set[int]) -> bool:
    j = _next_word(toks, i, rules.claims.lang)
    if j is None:
        return False
    t = toks[j]
    if t.kind == "num" or j in amounts_at or j in victims_at:
        return True
    if rules.claims.qualifiers.match_at(toks, j):
        return True
    return t.norm in rules.object_start


def _by_phrase(toks, end: int, rules: AgencyRules, sentence: str) -> str | None:
    """Text of a by-phrase in the eight tokens after ``end`` (None if there is none)."""
    lang = rules.claims.lang
    for k in range(end, min(len(toks), end + 8)):
        t = toks[k]
        if t.kind == "punct" and t.text in ".;:!?\u061b\u061f":
            return None
        m = rules.by_phrase.match_at(toks, k)
        if not m:
            continue
        if lang != "ar" and m.end < len(toks) and (toks[m.end].kind == "num" or toks[m.end].norm in (
                "far", "then", "now", "nightfall", "midday", "noon", "sunday", "monday", "tuesday",
                "wednesday", "thursday", "friday", "saturday", "the end", "end")):
            continue  # "by Sunday", "by far": not an agent
        stop = m.end
        while stop < len(toks) and stop - m.end < 6 and toks[stop].kind != "punct" and (
                lang == "ar" or toks[stop].norm not in _AGENT_STOPS_EN or stop == m.end):
            stop += 1
        lo = m.start if lang == "ar" else m.end
        if stop <= lo:
            return None
        return sentence[toks[lo].start:toks[stop - 1].end]
    return None


def _subject(toks, i: int, sentence: str) -> str | None:
    """The English subject in front of an active verb (up to eight words, same clause)."""
    hi = i
    while hi > 0 and (toks[hi - 1].norm in _HAVE or toks[hi - 1].norm in ("also", "reportedly")
                      or (toks[hi - 1].kind == "word" and toks[hi - 1].norm.endswith("ly"))):
        hi -= 1
    lo = hi
    while lo > 0 and hi - lo < 8 and toks[lo - 1].kind == "word" and (
            toks[lo - 1].norm not in _SUBJECT_STOPS_EN or (
                toks[lo - 1].norm == "and" and lo > 1 and toks[lo - 2].text[:1].isupper()
                and toks[lo].text[:1].isupper())):  # "Coalition in Syria and Iraq"
        lo -= 1
    if lo == hi and lo > 0 and toks[lo - 1].norm in ("which", "that", "who"):
        # "an attack which killed 20": the antecedent before the relative pronoun
        r = lo - 1
        lo2 = r
        while lo2 > 0 and r - lo2 < 6 and toks[lo2 - 1].kind == "word" and toks[lo2 - 1].norm not in _SUBJECT_STOPS_EN:
            lo2 -= 1
        lo, hi = lo2, r
    if lo == hi:
        return None
    return sentence[toks[lo].start:toks[hi - 1].end]


def _classify_agent(text: str | None, rules: AgencyRules) -> tuple[str | None, str | None]:
    """(actor, kind) of an agent text: kind 'actor', 'event' or 'other'."""
    if not text:
        return None, None
    toks = scan(text)
    if rules.actors:
        ms = rules.actors.find(toks)
        if ms:
            return ms[0].payload[0], "actor"
    if rules.events.find(toks):
        return None, "event"
    return None, "other"


def find_agency(sentence: str, lang: str = "en", rules: AgencyRules | None = None) -> list[dict]:
    """The killing expressions of one sentence and their agency.

    Parameters
    ----------
    sentence : str
        One sentence.
    lang : str
        'ar' reads Arabic, anything else English.
    rules : AgencyRules, optional
        :func:`agency_rules` (default the shipped lexicons of ``lang``).

    Returns
    -------
    list of dict
        One per killing expression in text order: cue, agency (one of
        :data:`AGENCY_CLASSES`), agent_text, agent_actor, agent_kind, victim (module
        docstring).

    References
    ----------
    Trew, T. (1979). Theory and ideology at work. In R. Fowler, B. Hodge, G. Kress & T. Trew,
    *Language and Control*, 94–116. Routledge.
    Fowler, R. (1991). *Language in the News*. Routledge, ch. 5 (transitivity, agent deletion).
    """
    rules = rules or agency_rules("ar" if lang == "ar" else "en")
    cr = rules.claims
    lang = cr.lang
    toks = scan(sentence)
    if not toks:
        return []
    matches = [m for m in cr.outcomes.find(toks) if m.payload[0] == "killed"]
    if not matches:
        return []
    words = [t.norm for t in toks]
    amounts_at = {k for a in find_amounts(words, [t.text for t in toks], lang) for k in range(a.start, a.end)}
    victim_matches = cr.victims.find(toks)
    victims_at = {m.start for m in victim_matches}
    out = []
    lagi = [m for m in matches if m.phrase in ("لقي", "لقيت", "لقوا")]
    for m in matches:
        role = m.payload[1]
        cue = sentence[toks[m.start].start:toks[m.end - 1].end]
        if lang == "ar" and (toks[m.start].norm.startswith("مصرع") or toks[m.start].norm.startswith("حتف")) \
                and any(0 < m.start - l.start <= 8 for l in lagi):
            continue  # the complement of "لقي ... مصرعهم", counted once at لقي
        agency, agent = _agency_of(toks, m, role, rules, sentence, amounts_at, victims_at)
        actor, kind = _classify_agent(agent, rules)
        out.append({"cue": cue, "agency": agency, "agent_text": agent, "agent_actor": actor,
                    "agent_kind": kind, "victim": _victim_near(m, victim_matches, agency)})
    return out


def _victim_near(m, victim_matches, agency: str) -> str | None:
    """Victim class next to the expression: after it for active/nominal, before it otherwise."""
    after = [v for v in victim_matches if 0 <= v.start - m.end <= 5]
    before = [v for v in victim_matches if 0 <= m.start - v.end <= 8]
    order = (after, before[::-1]) if agency in ("agent", "nominal") else (before[::-1], after)
    for cands in order:
        if cands:
            return cands[0].payload
    return None


def _agency_of(toks, m, role: str, rules: AgencyRules, sentence: str, amounts_at, victims_at):
    cr = rules.claims
    lang = cr.lang
    if role == "intransitive":
        by = _by_phrase(toks, m.end, rules, sentence)  # "استشهد ... على يد", "died at the hands of"
        return ("by_phrase", by) if by else ("intransitive", None)
    if lang == "ar":
        if role in ("nominal", "noun"):
            by = _by_phrase(toks, m.end, rules, sentence)
            return ("by_phrase", by) if by else ("nominal", None)
        if role == "active":
            return "agent", None
        # verb: VSO, a non-victim noun right after the verb is its subject
        j = m.end
        if j < len(toks) and toks[j].kind == "word" and is_arabic_word(toks[j].norm) \
                and j not in amounts_at and j not in victims_at and not cr.qualifiers.match_at(toks, j) \
                and not in_words(toks[j], _AR_NOT_AGENT) and not cr.outcomes.match_at(toks, j):
            stop = j
            while stop < len(toks) and stop - j < 4 and toks[stop].kind == "word" \
                    and stop not in amounts_at and stop not in victims_at and not in_words(toks[stop], _AR_NOT_AGENT):
                stop += 1
            return "agent", sentence[toks[j].start:toks[stop - 1].end]
        by = _by_phrase(toks, m.end, rules, sentence)
        return ("by_phrase", by) if by else ("agentless", None)
    # English
    if role in ("nominal", "noun"):
        by = _by_phrase(toks, m.end, rules, sentence)
        return ("by_phrase", by) if by else ("nominal", None)
    if role == "passive":
        by = _by_phrase(toks, m.end, rules, sentence)
        return ("by_phrase", by) if by else ("agentless", None)
    if role == "active":
        first = toks[m.start].norm
        p = _prev_word(toks, m.start, lang)
        if first in _NOMINAL_VERBS_EN and p is not None and (
                toks[p].norm in _DETERMINERS_EN or toks[p].norm in _LIGHT_VERBS_EN
                or (not _object_follows(toks, m.end, rules, amounts_at, victims_at)
                    and p > 0 and toks[p - 1].norm in _DETERMINERS_EN)):
            # "the massacres", "committed massacres", "a heinous massacre": the noun
            by = _by_phrase(toks, m.end, rules, sentence)
            return ("by_phrase", by) if by else ("nominal", None)
        implicit = first.endswith("ing") or (p is not None and toks[p].norm == "to")
        return "agent", (None if implicit else _subject(toks, m.start, sentence))
    # role == "verb": killed, massacred, ...
    p = _prev_word(toks, m.start, lang)
    if p is not None and in_words(toks[p], cr.auxiliaries):
        by = _by_phrase(toks, m.end, rules, sentence)
        return ("by_phrase", by) if by else ("agentless", None)
    if p is not None and toks[p].norm in _HAVE:
        return "agent", _subject(toks, m.start, sentence)
    if _object_follows(toks, m.end, rules, amounts_at, victims_at):
        return "agent", _subject(toks, m.start, sentence)
    by = _by_phrase(toks, m.end, rules, sentence)
    return ("by_phrase", by) if by else ("agentless", None)


def agency_sentences(corpus, casualty_lexicon=None, actor_lexicon=None,
                     include_duplicates: bool = False) -> pd.DataFrame:
    """One row per killing expression in the corpus.

    Parameters
    ----------
    corpus : Corpus
        The documents (analysable segments, sentence by sentence).
    casualty_lexicon, actor_lexicon : path, optional
        Files replacing the shipped lexicons.
    include_duplicates : bool
        Read documents marked as duplicates too.

    Returns
    -------
    pandas.DataFrame
        doc_id, outlet, source_type, date, title, lang, sent, role, sentence, cue, agency,
        agent_text, agent_actor, agent_kind, victim.

    References
    ----------
    Trew, T. (1979). Theory and ideology at work. In R. Fowler, B. Hodge, G. Kress & T. Trew,
    *Language and Control*, 94–116. Routledge.
    Fowler, R. (1991). *Language in the News*. Routledge, ch. 5 (transitivity, agent deletion).
    """
    cas = None if casualty_lexicon is None else str(casualty_lexicon)
    act = None if actor_lexicon is None else str(actor_lexicon)
    rows = []
    for doc_id, seg, role, lang, sents in iter_segment_sentences(corpus, include_duplicates):
        rules = agency_rules("ar" if lang == "ar" else "en", cas, act)
        for sent, sentence in sents:
            for r in find_agency(sentence, lang, rules):
                rows.append({"doc_id": doc_id, "lang": lang, "sent": sent, "role": role,
                             "sentence": sentence, **r})
    out = pd.DataFrame(rows, columns=AGENCY_LINE_COLUMNS)
    docs = corpus.documents
    meta = docs[[c for c in META_COLUMNS if c in docs]].drop_duplicates("doc_id")
    return out.merge(meta, on="doc_id", how="left", sort=False)[
        [*META_COLUMNS, *[c for c in AGENCY_LINE_COLUMNS if c != "doc_id"]]]


AGENCY_COLUMNS = ["group", "agency", "count", "total", "docs", "n_docs", "share", "share_low",
                  "share_high", "seed", "n_boot"]


def agency(corpus, by="source_type", lines: pd.DataFrame | None = None,
           victim: str | None = None, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
           include_duplicates: bool = False, casualty_lexicon=None, actor_lexicon=None, groups=None,
           match_dates: bool | str = False, floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """Share of each agency class among a group's killing expressions, with CIs.

    ``share`` = expressions of the class / all killing expressions in the group; the CI
    resamples the group's documents that hold at least one expression (documents without
    any contribute nothing to either sum). Group k (sorted) draws from
    ``SeedSequence([seed, k])``.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Grouping column(s) or expression (:func:`framescope.analysis.groups.document_groups`).
    lines : pandas.DataFrame, optional
        :func:`agency_sentences` rows already found.
    victim : str, optional
        Keep only expressions with this victim class (e.g. 'civilians').
    n_boot : int
        Document-bootstrap replicates (default 1000; 0: no interval). Documents are
        resampled within each group.
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    include_duplicates : bool
        Keep documents marked as duplicates in the groups.
    casualty_lexicon, actor_lexicon : path, optional
        Files replacing the shipped lexicons (when ``lines`` is not given).
    groups : list of str or mapping of str to str, optional
        Labels of ``by`` to keep, or ``{label: query}`` groups.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover.
    floor : SizeFloor
        Groups under it are flagged ``small_group``.

    Returns
    -------
    pandas.DataFrame
        group, agency, count, total, docs, n_docs (documents of the group with at least
        one expression), share, share_low, share_high, seed, n_boot, group_docs,
        group_tokens, small_group; one row per group and agency class (empty, with the
        size attrs, when no expression is found). ``attrs``: group_sizes, small_groups,
        size_floor, excluded, by, seed, n_boot, ci, victim, match_dates, corpus_id.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13.
    Trew, T. (1979). Theory and ideology at work. In R. Fowler, B. Hodge, G. Kress & T. Trew,
    *Language and Control*, 94–116. Routledge.
    Fowler, R. (1991). *Language in the News*. Routledge, ch. 5 (transitivity, agent deletion).
    """
    check_bootstrap_args(n_boot, ci)
    if lines is None:
        lines = agency_sentences(corpus, casualty_lexicon, actor_lexicon, include_duplicates)
    if victim is not None:
        lines = lines[lines["victim"] == victim]
    labels = doc_groups(corpus, by, None, groups=groups, keep_duplicates=include_duplicates,
                        match_dates=match_dates)
    lines = lines[lines["doc_id"].isin(labels.index)]
    attrs = {"by": by, "seed": seed, "n_boot": n_boot, "ci": ci, "victim": victim, "match_dates": match_dates,
             "corpus_id": corpus.corpus_id}
    if lines.empty:  # no killing expression: still say how large the groups were
        out = with_group_sizes(pd.DataFrame(columns=AGENCY_COLUMNS), labels,
                               document_sizes(corpus, include_duplicates), floor)
        out.attrs.update(attrs)
        return out
    doc_ids = pd.unique(lines["doc_id"])
    groups = labels.reindex(doc_ids).to_numpy()
    pos = {d: i for i, d in enumerate(doc_ids)}
    counts = np.zeros((len(doc_ids), len(AGENCY_CLASSES)))
    cls_idx = {c: i for i, c in enumerate(AGENCY_CLASSES)}
    np.add.at(counts, (lines["doc_id"].map(pos).to_numpy(), lines["agency"].map(cls_idx).to_numpy()), 1)
    frames = []
    for k, label in enumerate(sorted(set(groups))):
        mask = groups == label
        c = counts[mask]
        share, lo, hi = bootstrap_ratio(c, c.sum(axis=1), n_boot, ci, np.random.SeedSequence([seed, k]))
        frames.append(pd.DataFrame({
            "group": label, "agency": AGENCY_CLASSES, "count": c.sum(axis=0).astype(np.int64),
            "total": int(c.sum()), "docs": (c > 0).sum(axis=0), "n_docs": int(mask.sum()),
            "share": share, "share_low": lo, "share_high": hi}))
    out = pd.concat(frames, ignore_index=True)
    out["seed"] = seed
    out["n_boot"] = n_boot
    out = with_group_sizes(out[AGENCY_COLUMNS], labels, document_sizes(corpus, include_duplicates), floor)
    out.attrs.update(attrs)
    return out
