"""Distancing and evaluation markers: so-called, alleged, illegal, scare quotes, hedges, boosters.

Categories (shipped lexicon ``analysis/data/framing_markers.csv``, columns ``category,
marker, lang, pattern, case_sensitive, note``; copy, edit, pass as ``lexicon=``):

``distancing``
    so-called, alleged(ly), purported, self-proclaimed; ما يسمى، المزعوم
``delegitimising``
    illegal, illegitimate, unlawful, outlaw, uninvited; غير الشرعي، غير القانوني
``hedge``
    reportedly, apparently, possibly, may/might/could, believed to,
    unconfirmed (Hyland 1998); ربما، يبدو، يرجح، غير مؤكد
``booster``
    clearly, undoubtedly, indeed, blatant, flagrant, "no longer a secret";
    بلا شك، بوضوح، صارخ
``scare_quotes``
    a name in quotation marks (“coalition”, "international coalition",
    ‘Coalition’, «التحالف»), found by :func:`find_scare_quotes`, not by lexicon

Each occurrence is a KWIC line (:func:`marker_mentions`) with ``category``, ``marker`` and
``target_actor``: for distancing, delegitimising and scare quotes the actor (from the actor
lexicon) named within the next four tokens or inside the quotes, else null. :func:`markers`
counts them per group (rates per 10,000 tokens, document shares, document-bootstrap CIs)
with one row per (group, category, marker) and one per (group, category) with marker
``(all)``; columns as in :func:`framescope.analysis.framing.actors.actors` without ``share``.
"""
from __future__ import annotations

import functools

import pandas as pd

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.framing.actors import actor_matchers
from framescope.analysis.framing.groupstats import count_table, doc_groups, document_sizes, with_group_sizes
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor
from framescope.analysis.framing.mentions import attach_metadata, lines_behind, scan_corpus
from framescope.analysis.framing.spans import PhraseMatcher, Tok, is_arabic_word

ALL_MARKERS = "(all)"
CATEGORIES = ("distancing", "delegitimising", "hedge", "booster", "scare_quotes")
TARGETED = ("distancing", "delegitimising", "scare_quotes")
MARKER_LEXICON_COLUMNS = ["category", "marker", "lang", "pattern"]
SCARE_QUOTES = "scare quotes"

_OPEN_FOR = {'"': '"', "'": "'", "\u201c": "\u201d\u201c\"", "\u2018": "\u2019\u2018'",
             "\u00ab": "\u00bb", "\u201e": "\u201c\u201d", "`": "'"}
_SPEECH = {"said", "says", "say", "told", "added", "stated", "saying", "wrote", "quoted",
           "declared", "قال", "قالت", "وقال", "وقالت", "اضاف", "واضاف", "مضيفا", "قائلا"}
_MAX_QUOTED = 4


def marker_lexicon(path=None) -> pd.DataFrame:
    """The marker lexicon as a table.

    Parameters
    ----------
    path : path, optional
        A CSV replacing the shipped ``framing_markers.csv``.

    Returns
    -------
    pandas.DataFrame
        category, marker, lang, pattern, case_sensitive, note.

    Raises
    ------
    FramescopeError
        A missing file or column, or an unknown category.

    References
    ----------
    The lexicon format and how to replace it: :mod:`framescope.analysis.framing.lexicon`.
    """
    lex = lx.load_csv(lx.MARKERS, None if path is None else str(path), MARKER_LEXICON_COLUMNS)
    bad = sorted(set(lex["category"]) - set(CATEGORIES))
    if bad:
        raise lx.FramescopeError(f"marker lexicon: unknown category {bad[0]!r}; use {', '.join(CATEGORIES[:-1])}")
    return lex


@functools.lru_cache(maxsize=8)
def marker_matchers(path: str | None = None) -> dict[str, PhraseMatcher]:
    """Phrase matchers of the marker lexicon, one per lexicon language.

    Parameters
    ----------
    path : str, optional
        A CSV replacing the shipped lexicon.

    Returns
    -------
    dict of str to PhraseMatcher
        {'en': ..., 'ar': ...}; a match's payload is (category, marker).

    References
    ----------
    The lexicon format and how to replace it: :mod:`framescope.analysis.framing.lexicon`.
    """
    lex = marker_lexicon(path)
    return {lang: PhraseMatcher(zip(part["pattern"], zip(part["category"], part["marker"]),
                                    part["case_sensitive"]))
            for lang, part in lex.groupby("lang", sort=True)}


def find_scare_quotes(sentence: str, toks: list[Tok], lang: str, actors: PhraseMatcher | None
                      ) -> list[tuple[int, int, str | None]]:
    """Quoted names: (first token inside, one past the last, actor or None).

    A pair of quotation marks counts when the opening mark stands before a word (space or
    start of sentence before it, no space after it), the closing mark right after a word,
    one to four words stand between them (a full stop or comma just before the closing
    mark is allowed: “coalition.”), the quote does not follow a speech verb or a colon
    (that is a quotation, not a scare quote), and the words are a name: an actor-lexicon
    label, or every word capitalised ('War Of Terror'). Apostrophes inside words
    ("Int'l") are not quotation marks.

    Parameters
    ----------
    sentence : str
        The sentence as written.
    toks : list of Tok
        Its tokens (:func:`framescope.analysis.framing.spans.scan`).
    lang : str
        Segment language.
    actors : PhraseMatcher or None
        The actor lexicon of ``lang`` (names the quoted actor).

    Returns
    -------
    list of tuple
        (first token inside, one past the last, actor or None) per scare-quoted name.

    References
    ----------
    Predelli, S. (2003). Scare quotes and their relation to other semantic issues.
    *Linguistics and Philosophy*, 26(1), 1–28.
    """
    out = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        opener = t.is_quote and t.text in _OPEN_FOR and i + 1 < n and toks[i + 1].start == t.end \
            and (i == 0 or t.start == 0 or sentence[t.start - 1].isspace() or toks[i - 1].text in "([")
        if not opener:
            i += 1
            continue
        j = i + 1
        words: list[int] = []
        closed = None
        while j < n and len(words) <= _MAX_QUOTED:
            u = toks[j]
            inner_apostrophe = u.text in "'\u2019" and j + 1 < n and toks[j + 1].start == u.end \
                and toks[j - 1].end == u.start and toks[j - 1].kind == "word"
            if u.is_quote and not inner_apostrophe:
                if u.text in _OPEN_FOR[t.text] and u.start == toks[j - 1].end:
                    closed = j
                break
            if u.kind == "word" or inner_apostrophe:
                if u.kind == "word":
                    words.append(j)
                j += 1
                continue
            if u.text in ".,\u060c" and j + 1 < n and toks[j + 1].is_quote:
                j += 1
                continue
            break
        if closed is None or not words or len(words) > _MAX_QUOTED:
            i += 1
            continue
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and (prev.text == ":" or prev.norm in _SPEECH or
                                 (prev.text == "," and i > 1 and toks[i - 2].norm in _SPEECH)):
            i = closed + 1
            continue
        inner = toks[i + 1:closed]
        actor = None
        if actors:
            ms = actors.find(inner)
            covered = {k for m in ms for k in range(m.start, m.end)}
            word_pos = [k for k, u in enumerate(inner) if u.kind == "word"]
            if ms and all(k in covered for k in word_pos):
                actor = ms[0].payload[0]
        title_case = all(toks[k].text[:1].isupper() for k in words) and not all(
            is_arabic_word(toks[k].norm) for k in words)
        if actor is not None or title_case:
            last_word = words[-1] + 1
            out.append((words[0], last_word, actor))
        i = closed + 1
    return out


def marker_mentions(corpus, by: str | None = None, lexicon=None, actor_lexicon=None,
                    window: int = 8, include_duplicates: bool = False) -> pd.DataFrame:
    """One KWIC line per distancing, evaluation or scare-quote marker.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Add a ``group`` column first.
    lexicon, actor_lexicon : path, optional
        CSVs replacing the shipped marker and actor lexicons.
    window : int
        Context tokens each side.
    include_duplicates : bool
        Read documents marked as duplicates too.

    Returns
    -------
    pandas.DataFrame
        the KWIC columns (group when ``by``, doc_id, outlet, source_type, date, title, lang,
        sent, role, left, keyword, right), then category, marker, target_actor.

    References
    ----------
    Hyland, K. (1998). *Hedging in Scientific Research Articles*. John Benjamins.
    """
    matchers = marker_matchers(None if lexicon is None else str(lexicon))
    actors = actor_matchers(None if actor_lexicon is None else str(actor_lexicon))

    def findings(sentence: str, toks: list[Tok], lang: str):
        out = []
        for m in matchers[lang].find(toks) if lang in matchers else []:
            category, marker = m.payload
            target = None
            if category in TARGETED and lang in actors:
                for k in range(m.end, min(len(toks), m.end + 4)):
                    if toks[k].is_break and not toks[k].is_quote:
                        break
                    am = actors[lang].match_at(toks, k)
                    if am:
                        target = am.payload[0]
                        break
            out.append((m.start, m.end, {"category": category, "marker": marker, "target_actor": target}))
        for s, e, actor in find_scare_quotes(sentence, toks, lang, actors.get(lang)):
            out.append((s, e, {"category": "scare_quotes", "marker": SCARE_QUOTES, "target_actor": actor}))
        return out

    lines = scan_corpus(corpus, {}, extra=findings, window=window, include_duplicates=include_duplicates)
    return attach_metadata(lines, corpus, by, ["category", "marker", "target_actor"])


def markers(corpus, by="source_type", lexicon=None, actor_lexicon=None,
            n_boot: int = 1000, ci: float = 0.95, seed: int = 0, include_duplicates: bool = False,
            mentions: pd.DataFrame | None = None, groups=None, match_dates: bool | str = False,
            floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """Marker counts, rates per 10,000 tokens and document shares by group, with CIs.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Grouping column(s) or expression (:func:`framescope.analysis.groups.document_groups`).
    lexicon, actor_lexicon : path, optional
        CSVs replacing the shipped marker and actor lexicons.
    n_boot : int
        Document-bootstrap replicates (default 1000; 0: no interval). Documents are
        resampled within each group.
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    include_duplicates : bool
        Keep documents marked as duplicates in the groups.
    mentions : pandas.DataFrame, optional
        :func:`marker_mentions` lines already found.
    groups : list of str or mapping of str to str, optional
        Labels of ``by`` to keep, or ``{label: query}`` groups.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover.
    floor : SizeFloor
        Groups under it (default 30 documents or 10,000 tokens) are flagged ``small_group``.

    Returns
    -------
    pandas.DataFrame
        group, category, marker, count, docs, n_docs, n_tokens, per_10k, per_10k_low,
        per_10k_high, doc_share, doc_share_low, doc_share_high, seed, n_boot, group_docs,
        group_tokens, small_group; one row per (group, category, marker) and one per
        (group, category) with marker ``(all)``. ``attrs`` as :func:`~framescope.analysis.framing.actors.actors`.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13.
    Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora.
    *Digital Scholarship in the Humanities*, 31(2), 374–397 (documents as the unit of
    resampling).
    Hyland, K. (1998). *Hedging in Scientific Research Articles*. John Benjamins.
    """
    lines = mentions if mentions is not None else marker_mentions(
        corpus, None, lexicon, actor_lexicon, include_duplicates=include_duplicates)
    sizes = document_sizes(corpus, include_duplicates)
    labels = doc_groups(corpus, by, None, groups=groups, keep_duplicates=include_duplicates,
                        match_dates=match_dates)
    per_marker = count_table(lines, ["category", "marker"], sizes, labels, n_boot, ci, seed)
    totals = count_table(lines.assign(marker=ALL_MARKERS), ["category", "marker"], sizes, labels,
                         n_boot, ci, seed, stream=1)
    table = pd.concat([per_marker, totals], ignore_index=True)
    table = table.sort_values(["group", "category", "marker"], kind="stable").reset_index(drop=True)
    table = with_group_sizes(table, labels, sizes, floor)
    table.attrs.update({"by": by, "seed": seed, "n_boot": n_boot, "ci": ci, "match_dates": match_dates,
                        "corpus_id": corpus.corpus_id})
    return table


def marker_kwic(lines: pd.DataFrame, group=None, category=None, marker=None, target_actor=None) -> pd.DataFrame:
    """The KWIC lines behind one row of :func:`markers`.

    Parameters
    ----------
    lines : pandas.DataFrame
        :func:`marker_mentions`.
    group, category, marker, target_actor : str, optional
        The row's values (``marker='(all)'`` = every marker of the category).

    Returns
    -------
    pandas.DataFrame
        The matching lines.
    """
    if marker == ALL_MARKERS:
        marker = None
    return lines_behind(lines, group=group, category=category, marker=marker, target_actor=target_actor)
