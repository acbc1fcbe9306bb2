"""Actor labels: which name each group of sources gives the same actor.

The shipped lexicon ``analysis/data/framing_actors.csv`` (columns ``actor, label, lang,
pattern, case_sensitive, note``; copy, edit and pass it as ``lexicon=``) lists, in
English and Arabic, the surface forms (``pattern``) of each label of each actor:
ISIS / IS / ISIL / Islamic State / Daesh / داعش / تنظيم الدولة; Nusra Front / Hayat
Tahrir al-Sham / al-Qaeda / جبهة النصرة; rebels / opposition fighters / Free Syrian Army /
الجيش الحر; Hezbollah / حزب الله; US-led coalition / international coalition / illegal
coalition / so-called coalition / التحالف الدولي; SDF / YPG / PKK / separatist militias /
قسد; Syrian Arab Army / regime forces / قوات النظام; White Helmets / Syria Civil Defence /
الخوذ البيضاء; plus the bare "coalition"/"التحالف" (actor ``coalition_unspecified``), the
Saudi-led coalition and the opposition National Coalition, kept apart so they do not
inflate the US-led coalition.

**Generic labels name their referent.** Rows whose actor is ``unresolved``
("terrorists", "terrorist groups", "takfiri", الإرهابيين، الجماعات الإرهابية) do not name
an actor by themselves: state media use "terrorists" for ISIS, for the Nusra Front, for
rebels and for Kurdish forces. :func:`resolve_referent` gives each occurrence the actor of
the nearest group named in the same sentence (:data:`REFERENT_ACTORS`: ISIS, Nusra/HTS,
Kurdish forces, rebels/opposition, Hezbollah, government forces; "ISIS terrorists",
"terrorists of Jabhat al-Nusra"), with armies, Kurdish forces and Hezbollah counted only
when they stand next to the label (further away they are mostly its opponents), else the
single group named in the sentence before (same document), else ``unresolved``; "other
terrorist groups" stays ``unresolved`` (rules: :func:`resolve_referent`). A ``resolution`` column says which
(``named``, ``sentence``, ``previous sentence``, ``unresolved``) and ``referent_cue`` the
words that decided it. Precision on annotated FA-KES samples (0.87 on 110 development, 0.94 on
50 held-out occurrences): ``tests/data/actor_referents_fakes*.csv`` (``docs/groups.md``).

:func:`actor_mentions` gives one KWIC line per occurrence; :func:`actors` the table

    group, actor, label, count, docs, n_docs, n_tokens, per_10k, per_10k_low, per_10k_high,
    doc_share, doc_share_low, doc_share_high, share, share_low, share_high, seed, n_boot,
    group_docs, group_tokens, small_group

with one row per (group, actor, label) and one per (group, actor) with label ``(all)``:
``per_10k`` = occurrences / n_tokens × 10,000 (tokens: words and numbers, stopwords
kept, see :data:`framescope.analysis.groups.SIZE_OPTIONS`); ``doc_share`` = share of the
group's documents with at least one occurrence; ``share`` = the label's share of the
actor's occurrences in the group (1 for ``(all)``). CIs: document bootstrap
(:mod:`framescope.analysis.framing.groupstats`). Groups, duplicates, matched dates and the size
floor follow :mod:`framescope.analysis.groups` (``group_docs``, ``group_tokens``, ``small_group``).
"""
from __future__ import annotations

import functools

import pandas as pd

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.framing.groupstats import count_table, doc_groups, document_sizes, with_group_sizes
from framescope.analysis.framing.mentions import attach_metadata, lines_behind, scan_corpus
from framescope.analysis.framing.spans import Match, PhraseMatcher, Tok
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor

ALL_LABELS = "(all)"
ACTOR_LEXICON_COLUMNS = ["actor", "label", "lang", "pattern"]
#: Actor of lexicon rows whose referent is resolved from context.
UNRESOLVED = "unresolved"
#: Actors a generic label can refer to (armed parties named in the text).
REFERENT_ACTORS = ("isis", "nusra", "sdf", "rebels", "hezbollah", "saa")
#: The referents a generic label is used for, resolved from anywhere in the sentence.
FAR_REFERENTS = ("isis", "nusra", "rebels")
#: At most this many linking tokens between a generic label and a group attached to it.
NEAR = 2
_LINKS = {"of", "from", "the", "al", "(", ")", ",", "-", "\u2013", "من", "في"}
RESOLUTIONS = ("named", "sentence", "previous sentence", UNRESOLVED)


def actor_lexicon(path=None) -> pd.DataFrame:
    """The actor lexicon as a table.

    Parameters
    ----------
    path : path, optional
        A CSV replacing the shipped ``framing_actors.csv``.

    Returns
    -------
    pandas.DataFrame
        actor, label, lang, pattern, case_sensitive, note (one row per surface form).

    Raises
    ------
    FramescopeError
        A missing file or column (one line).

    References
    ----------
    The lexicon format and how to replace it: :mod:`framescope.analysis.framing.lexicon`.
    """
    return lx.load_csv(lx.ACTORS, None if path is None else str(path), ACTOR_LEXICON_COLUMNS)


@functools.lru_cache(maxsize=8)
def actor_matchers(path: str | None = None) -> dict[str, PhraseMatcher]:
    """Phrase matchers of the actor lexicon, one per lexicon language.

    Parameters
    ----------
    path : str, optional
        A CSV replacing the shipped lexicon.

    Returns
    -------
    dict of str to PhraseMatcher
        {'en': ..., 'ar': ...}; a match's payload is (actor, label).

    References
    ----------
    The lexicon format and how to replace it: :mod:`framescope.analysis.framing.lexicon`.
    """
    lex = actor_lexicon(path)
    return {lang: PhraseMatcher(zip(part["pattern"], zip(part["actor"], part["label"]),
                                    part["case_sensitive"]))
            for lang, part in lex.groupby("lang", sort=True)}


def _cues(matches: list[Match], toks: list[Tok]) -> list[tuple[int, int, str, str]]:
    """(start, end, actor, words) of every referent actor named in a sentence."""
    return [(m.start, m.end, m.payload[0], " ".join(t.text for t in toks[m.start:m.end]))
            for m in matches if m.payload[0] in REFERENT_ACTORS]


def _gap(start: int, end: int, cue: tuple) -> tuple[int, int]:
    """Tokens between a cue and the label (0 = adjacent); ties go to the cue before it."""
    before = cue[1] <= start
    return (start - cue[1] if before else max(cue[0] - end, 0)), (0 if before else 1)


def _attached(start: int, end: int, toks: list[Tok], cue: tuple) -> bool:
    """The cue is part of the label's noun phrase: adjacent, or at most :data:`NEAR`
    linking tokens between ("terrorists of the PKK", "YPG terrorists")."""
    between = toks[cue[1]:start] if cue[1] <= start else toks[end:cue[0]]
    return len(between) <= NEAR and all(t.norm in _LINKS for t in between)


def resolve_referent(start: int, end: int, toks: list[Tok], cues: list[tuple[int, int, str, str]],
                     previous: list[tuple[int, int, str, str]]) -> tuple[str, str, str | None]:
    """(actor, resolution, cue words) of a generic label at tokens ``start:end``.

    1. "other terrorist groups" (``other`` just before the label, no group named between
       them) sets the label apart from any group named: ``unresolved``.
    2. The nearest group named in the sentence among :data:`FAR_REFERENTS` (the groups
       the label is used for) or attached to the label ("PKK terrorist groups", "terrorists
       of the YPG": adjacent or joined by at most :data:`NEAR` of "of", "from", "the", ...).
       Armies, Kurdish forces and Hezbollah named further away are mostly the label's
       opponents ("the army killed 40 terrorists", "Kurdish forces ousted the
       terrorists"), so they resolve a label only when attached to it.
    3. Else the sentence before (same document), when it names exactly one of
       :data:`FAR_REFERENTS`.
    4. Else ``unresolved``.

    Parameters
    ----------
    start, end : int
        Token span of the generic label in ``toks``.
    toks : list of Tok
        The sentence's tokens (:func:`framescope.analysis.framing.spans.scan`).
    cues : list of tuple
        Groups named in the sentence: (start, end, actor, words).
    previous : list of tuple
        Groups named in the sentence before (same document).

    Returns
    -------
    tuple
        (actor or 'unresolved', resolution — 'named', 'sentence', 'previous sentence' or
        'unresolved' —, the words that decided it or None).

    References
    ----------
    Evaluation on annotated FA-KES occurrences: ``docs/groups.md`` ("Actor labels that name
    their referent").
    """
    other = [k for k in range(max(0, start - 2), start) if toks[k].norm == "other"]
    if other and not any(c[0] > other[-1] and c[1] <= start for c in cues):  # "other ISIL terrorists" names ISIL
        return UNRESOLVED, UNRESOLVED, None
    found = [c for c in cues if c[2] in FAR_REFERENTS or _attached(start, end, toks, c)]
    if found:
        best = min(found, key=lambda c: _gap(start, end, c))
        return best[2], "sentence", best[3]
    before = [c for c in previous if c[2] in FAR_REFERENTS]
    if len({c[2] for c in before}) == 1:
        return before[0][2], "previous sentence", before[0][3]
    return UNRESOLVED, UNRESOLVED, None


def actor_mentions(corpus, by=None, lexicon=None, window: int = 8, include_duplicates: bool = False,
                   resolve: bool = True) -> pd.DataFrame:
    """One KWIC line per actor-label occurrence.

    With ``resolve`` (default) generic labels get the actor they refer to
    (:func:`resolve_referent`); ``resolve=False`` leaves them all ``unresolved``.

    Parameters
    ----------
    corpus : Corpus
        The documents (analysable segments, sentence by sentence).
    by : str, list of str or None
        Add a ``group`` column first (:func:`framescope.analysis.groups.document_groups`,
        duplicates kept labelled).
    lexicon : path, optional
        A CSV replacing the shipped actor lexicon.
    window : int
        Context tokens each side.
    include_duplicates : bool
        Read documents marked as duplicates too.
    resolve : bool
        Resolve generic labels.

    Returns
    -------
    pandas.DataFrame
        the KWIC columns (group when ``by``, doc_id, outlet, source_type, date, title, lang,
        sent, role, left, keyword, right), then actor, label, resolution, referent_cue.

    References
    ----------
    Entman, R. M. (1993). Framing: Toward clarification of a fractured paradigm. *Journal
    of Communication*, 43(4), 51–58.
    """
    matchers = actor_matchers(None if lexicon is None else str(lexicon))
    previous: list = []

    def reset(_doc_id: str) -> None:
        previous.clear()

    def findings(sentence: str, toks: list[Tok], lang: str):
        ms = matchers[lang].find(toks) if lang in matchers else []
        cues = _cues(ms, toks)
        out = []
        for m in ms:
            actor, label = m.payload
            how, cue = "named", None
            if actor == UNRESOLVED:
                actor, how, cue = resolve_referent(m.start, m.end, toks, cues, previous) if resolve \
                    else (UNRESOLVED, UNRESOLVED, None)
            out.append((m.start, m.end, {"actor": actor, "label": label, "resolution": how, "referent_cue": cue}))
        previous[:] = cues
        return out

    lines = scan_corpus(corpus, {}, extra=findings, window=window, include_duplicates=include_duplicates,
                        new_document=reset)
    return attach_metadata(lines, corpus, by, ["actor", "label", "resolution", "referent_cue"])


def actors(corpus, by="source_type", lexicon=None, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
           include_duplicates: bool = False, mentions: pd.DataFrame | None = None, groups=None,
           match_dates: bool | str = False, floor: SizeFloor = DEFAULT_FLOOR) -> pd.DataFrame:
    """Rates per 10,000 tokens, document shares and label shares by group (module doc).

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Grouping column(s) or expression (:func:`framescope.analysis.groups.document_groups`).
    lexicon : path, optional
        A CSV replacing the shipped actor lexicon.
    n_boot : int
        Document-bootstrap replicates (default 1000; 0: no interval). Documents are
        resampled within each group.
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    include_duplicates : bool
        Keep documents marked as duplicates in the groups (= ``keep_duplicates``).
    mentions : pandas.DataFrame, optional
        :func:`actor_mentions` lines already found (reused, not searched again).
    groups : list of str or mapping of str to str, optional
        Labels of ``by`` to keep, or ``{label: query}`` groups.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover.
    floor : SizeFloor
        Groups under it (default 30 documents or 10,000 tokens) are flagged ``small_group``.

    Returns
    -------
    pandas.DataFrame
        group, actor, label, count, docs, n_docs, n_tokens, per_10k, per_10k_low,
        per_10k_high, doc_share, doc_share_low, doc_share_high, share, share_low, share_high,
        seed, n_boot, group_docs, group_tokens, small_group; one row per (group, actor,
        label) and one per (group, actor) with label ``(all)``. ``attrs``: group_sizes,
        small_groups, size_floor, excluded, by, seed, n_boot, ci, corpus_id, match_dates,
        lexicon, resolution (counts of each way a generic label was resolved).

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13.
    Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora.
    *Digital Scholarship in the Humanities*, 31(2), 374–397 (documents as the unit of
    resampling).
    Entman, R. M. (1993). Framing: Toward clarification of a fractured paradigm. *Journal
    of Communication*, 43(4), 51–58.
    """
    lines = mentions if mentions is not None else actor_mentions(
        corpus, None, lexicon, include_duplicates=include_duplicates)
    sizes = document_sizes(corpus, include_duplicates)
    labels = doc_groups(corpus, by, None, groups=groups, keep_duplicates=include_duplicates,
                        match_dates=match_dates)
    per_label = count_table(lines, ["actor", "label"], sizes, labels, n_boot, ci, seed, share_of="actor")
    totals = count_table(lines.assign(label=ALL_LABELS), ["actor", "label"], sizes, labels,
                         n_boot, ci, seed, share_of="actor", stream=1)
    table = pd.concat([per_label, totals], ignore_index=True)
    table = table.sort_values(["group", "actor", "label"], kind="stable").reset_index(drop=True)
    table = with_group_sizes(table, labels, sizes, floor)
    table.attrs.update({"by": by, "seed": seed, "n_boot": n_boot, "ci": ci,
                        "corpus_id": corpus.corpus_id, "match_dates": match_dates,
                        "lexicon": str(lexicon) if lexicon else f"shipped {lx.ACTORS}"})
    if "resolution" in lines:
        table.attrs["resolution"] = lines["resolution"].value_counts().to_dict()
    return table


def actor_kwic(lines: pd.DataFrame, group=None, actor=None, label=None) -> pd.DataFrame:
    """The KWIC lines behind one row of :func:`actors`.

    Parameters
    ----------
    lines : pandas.DataFrame
        :func:`actor_mentions` (with ``by`` for a group).
    group, actor, label : str, optional
        The row's values (``label='(all)'`` = every label of the actor).

    Returns
    -------
    pandas.DataFrame
        The matching lines, columns as ``lines``.
    """
    if label == ALL_LABELS:
        label = None
    return lines_behind(lines, group=group, actor=actor, label=label)
