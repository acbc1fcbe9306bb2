"""Actor labels: which name each group of sources gives the same actor.

The shipped lexicon ``analysis/data/framing_actors.csv`` (columns ``actor, label, lang,
pattern, case_sensitive, note``; copy, edit and pass it as ``lexicon=``) lists, in
English and Arabic, the surface forms (``pattern``) of each label of each actor:
ISIS / IS / ISIL / Islamic State / Daesh / "terrorists" / داعش / تنظيم الدولة; US-led
coalition / international coalition / illegal coalition / so-called coalition /
التحالف الدولي; SDF / separatist militias / قسد; Syrian Arab Army / regime forces /
قوات النظام; White Helmets / Syria Civil Defence / الخوذ البيضاء; plus the bare
"coalition"/"التحالف" (actor ``coalition_unspecified``), the Saudi-led coalition and the
opposition National Coalition, kept apart so they do not inflate the US-led coalition.

:func:`actor_mentions` gives one KWIC line per occurrence; :func:`actors` the table

    group, actor, label, count, docs, n_docs, tokens, rate_per_10k, rate_low, rate_high,
    doc_share, doc_share_low, doc_share_high, share, share_low, share_high, seed, n_boot

with one row per (group, actor, label) and one per (group, actor) with label ``(all)``:
``rate_per_10k`` = occurrences / tokens × 10,000 (tokens: words and numbers, stopwords
kept, see :data:`analysis.framing.groupstats.SIZE_OPTIONS`); ``doc_share`` = share of the
group's documents with at least one occurrence; ``share`` = the label's share of the
actor's occurrences in the group (1 for ``(all)``). CIs: document bootstrap
(:mod:`analysis.framing.groupstats`).
"""
from __future__ import annotations

import functools

import pandas as pd

from analysis.framing import lexicon as lx
from analysis.framing.groupstats import count_table, doc_groups, document_sizes
from analysis.framing.mentions import attach_metadata, lines_behind, scan_corpus
from analysis.framing.spans import PhraseMatcher

ALL_LABELS = "(all)"
ACTOR_LEXICON_COLUMNS = ["actor", "label", "lang", "pattern"]


def actor_lexicon(path=None) -> pd.DataFrame:
    """The actor lexicon (shipped or ``path``) as a DataFrame."""
    return lx.load_csv(lx.ACTORS, None if path is None else str(path), ACTOR_LEXICON_COLUMNS)


@functools.lru_cache(maxsize=8)
def actor_matchers(path: str | None = None) -> dict[str, PhraseMatcher]:
    lex = actor_lexicon(path)
    return {lang: PhraseMatcher(zip(part["pattern"], zip(part["actor"], part["label"]),
                                    part["case_sensitive"]))
            for lang, part in lex.groupby("lang", sort=True)}


def actor_mentions(corpus, by: str | None = None, lexicon=None, window: int = 8,
                   include_duplicates: bool = False) -> pd.DataFrame:
    """One KWIC line per actor-label occurrence: the KWIC columns + ``actor``, ``label``."""
    matchers = actor_matchers(None if lexicon is None else str(lexicon))
    lines = scan_corpus(corpus, matchers, window=window, include_duplicates=include_duplicates,
                        fields=lambda m: {"actor": m.payload[0], "label": m.payload[1]})
    return attach_metadata(lines, corpus, by, ["actor", "label"])


def actors(corpus, by: str | None = "source_type", lexicon=None, n_boot: int = 1000,
           ci: float = 0.95, seed: int = 0, include_duplicates: bool = False,
           mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates per 10,000 tokens, document shares and label shares by group (module doc).

    Pass ``mentions`` (from :func:`actor_mentions`) to reuse lines already found.
    """
    lines = mentions if mentions is not None else actor_mentions(
        corpus, None, lexicon, include_duplicates=include_duplicates)
    sizes = document_sizes(corpus, include_duplicates)
    groups = doc_groups(corpus, by, sizes.index)
    per_label = count_table(lines, ["actor", "label"], sizes, groups, n_boot, ci, seed, share_of="actor")
    totals = count_table(lines.assign(label=ALL_LABELS), ["actor", "label"], sizes, groups,
                         n_boot, ci, seed, share_of="actor", stream=1)
    table = pd.concat([per_label, totals], ignore_index=True)
    table = table.sort_values(["group", "actor", "label"], kind="stable").reset_index(drop=True)
    table.attrs.update({"by": by, "seed": seed, "n_boot": n_boot, "ci": ci,
                        "corpus_id": corpus.corpus_id,
                        "lexicon": str(lexicon) if lexicon else f"shipped {lx.ACTORS}"})
    return table


def actor_kwic(lines: pd.DataFrame, group=None, actor=None, label=None) -> pd.DataFrame:
    """The KWIC lines behind one row of :func:`actors` (``label='(all)'`` = every label)."""
    if label == ALL_LABELS:
        label = None
    return lines_behind(lines, group=group, actor=actor, label=label)
