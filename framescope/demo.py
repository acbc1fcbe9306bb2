"""``framescope demo``: the analyses of the notebooks on the default corpus, as figures.

Builds the default corpus if it is missing (seeds + FA-KES + SaudiNewsNet), tokenises it
once (:class:`framescope.report.Session`), runs the same library functions as notebooks
01–08 and writes every figure as PDF and PNG into the figures folder, with a README.md
that says in one sentence per figure what it shows, with the numbers read from the data.

Settings (:class:`DemoSettings`) keep the whole run within a few minutes on two cores:
fewer bootstrap replicates for the 28,000-document Arabic keyness, a small K grid with
two seeds and two passes for the topic models, and the Arabic topic model on the state
agency's documents plus a seeded sample of the press. Every figure records its settings
in the README.
"""
from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framescope.analysis.keyness import keyness as keyness_table
from framescope.analysis import plots
from framescope import report
from framescope.analysis.framing.groupstats import document_sizes
from framescope.analysis.groups import document_groups, group_sizes, small_groups_sentence, with_group_column
from framescope.analysis.plots.style import display
from framescope.analysis.tokens import TokenOptions

__all__ = ["DemoSettings", "run_demo", "FigureRecord", "EN_QUERY", "AR_QUERY", "AR_GROUPS", "SEEDS_QUERY",
           "EN_GROUPS", "EN_DESIGN", "DESIGN", "EN_DESIGN_SENTENCE", "AR_DESIGN_SENTENCE", "design_en", "design_ar",
           "PRO_STATE", "PRO_PARTISAN", "ANTI", "WIRE"]

#: The document sets the demo and the notebooks compare.
EN_QUERY = "collection == 'fakes'"
SEEDS_QUERY = "collection == 'seeds'"
AR_QUERY = "collection == 'saudinewsnet' and lang == 'ar'"
STATE_AGENCY = "state agency (was)"
PRESS = "press"
AR_GROUPS = {STATE_AGENCY: "outlet == 'was'", PRESS: "outlet != 'was'"}
#: Actors of the framing figures (keys of the shipped actor lexicon) and their panel titles.
ACTOR_TITLES = {"isis": "ISIS", "nusra": "Nusra Front / HTS", "unresolved": "'terrorists', referent unresolved",
                "us_coalition": "US-led coalition", "saa": "Syrian army", "sdf": "SDF / YPG"}

#: The comparison design of the English figures: stance toward Damascus (``alignment``)
#: crossed with ownership (``source_type``), in the documents column :data:`DESIGN`.
PRO_STATE, PRO_PARTISAN, ANTI, WIRE = ("pro-Damascus state media", "pro-Damascus partisan", "anti-Damascus media",
                                       "wire")
EN_DESIGN = {
    PRO_STATE: "alignment == 'pro_damascus' and source_type == 'state_media'",
    PRO_PARTISAN: "alignment == 'pro_damascus' and source_type == 'partisan_media'",
    ANTI: "alignment == 'anti_damascus'",
    WIRE: "source_type == 'wire'",
}
EN_GROUPS = list(EN_DESIGN)
DESIGN = "design"
EN_DESIGN_SENTENCE = (
    "FA-KES is compared by the outlet's stance toward Damascus crossed with its ownership (registry columns "
    "alignment and source_type): pro-Damascus state media (SANA, Sputnik, TASS, Al-Alam), pro-Damascus partisan "
    "media (Hezbollah's Al-Manar), anti-Damascus media (Turkey's TRT and Daily Sabah, the Saudi- and Qatari-owned "
    "outlets, the opposition's Etilaf) and Reuters wire copy; the Egyptian and Jordanian (mixed), Lebanese NNA "
    "(neutral, mostly wire copy) and seed articles are left out, and so are duplicates. Ownership alone is shown "
    "only in the corpus overview, where it is the question.")
AR_DESIGN_SENTENCE = (
    "SaudiNewsNet is compared by ownership, the only contrast it offers (every outlet is Saudi and anti-Damascus): "
    "the Saudi Press Agency (was) against the 14 newspapers, on the days both cover (the agency's articles fall on "
    "two days, the press covers three weeks: match_dates=True), duplicates left out.")


def design_en(session, query: str = EN_QUERY):
    """The documents of ``query`` in the English design, with the column :data:`DESIGN`."""
    return with_group_column(session.subset(query), DESIGN, groups=EN_DESIGN)


def design_ar(session):
    """SaudiNewsNet's state agency and press on the days both cover, column ``agency``."""
    return with_group_column(session.subset(AR_QUERY), "agency", groups=AR_GROUPS, match_dates=True)


def _small(corpus, column: str, groups=None) -> str:
    """The sentence naming the groups of ``column`` under the size floor (running words)."""
    labels = document_groups(corpus, column, groups=list(groups) if groups is not None else None)
    return small_groups_sentence(group_sizes(labels, document_sizes(corpus)), name=display)


def _sizes(corpus, column: str, groups=None) -> dict:
    """{group: (documents, tokens, small)} for the legends of the comparison figures."""
    labels = document_groups(corpus, column, groups=list(groups) if groups is not None else None)
    return {r.group: (r.n_docs, r.n_tokens, bool(r.small_group))
            for r in group_sizes(labels, document_sizes(corpus)).itertuples()}


def _n(corpus, column: str, group: str) -> int:
    return int((corpus.documents[column] == group).sum())


@dataclass(frozen=True)
class DemoSettings:
    """Speed and analysis settings of the demo (all recorded in figures/README.md)."""

    options: TokenOptions = report.ANALYSIS_OPTIONS
    n_boot: int = 500                 # bootstrap replicates (English keyness, framing, similarity)
    n_boot_ar: int = 100              # Arabic keyness: 28,000 documents × 35,000 terms per replicate
    min_freq_ar: int = 20             # Arabic keyness: terms tested
    nodes_en: tuple = ("coalition", "civilians", "terrorists")
    nodes_ar: tuple = ("التحالف", "المدنيين", "داعش")
    topic_k_grid_en: tuple = (6, 10, 14)
    topic_k_grid_ar: tuple = (8, 12)
    topic_seeds: int = 2
    topic_passes: int = 2
    ar_topic_sample: int = 2500       # press documents sampled for the Arabic topic model
    review_top: int = 50              # keyness review: survival of the top-N keywords by G²
    network_node: str = "coalition"   # collocation network (FA-KES)
    network_top: int = 8              # collocates per word and level
    robustness_top: int = 20          # top-k compared under the preprocessing grid
    robustness_choices: tuple | None = None  # subset of the grid (None: all)
    seed: int = 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["options"] = self.options.as_dict()
        return d


@dataclass
class FigureRecord:
    name: str
    sentence: str
    section: str


@dataclass
class _Run:
    session: report.Session
    settings: DemoSettings
    folder: Path
    records: list = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def log(self, msg: str) -> None:
        print(f"[{time.time() - self.started:6.0f} s] {msg}", flush=True)

    def save(self, fig, name: str, sentence: str, section: str) -> None:
        plots.save(fig, name, self.folder)
        self.records.append(FigureRecord(name, sentence, section))
        self.log(f"  wrote {name}.pdf/.png")


def _days(corpus) -> str:
    days = sorted({str(d.date()) for d in corpus.documents["date"].dropna()})
    if not days:
        return "no dated day"
    return f"1 day ({days[0]})" if len(days) == 1 else f"{len(days)} days ({days[0]} to {days[-1]})"


def _fmt_ci(row, col="log_ratio") -> str:
    return f"{row[col]:.2f} [{row[col + '_low']:.2f}, {row[col + '_high']:.2f}]"


# --- 01 corpus overview -------------------------------------------------------------------------

def overview(run: _Run) -> None:
    s = run.session
    comp = report.composition(s.corpus, s.matrix)
    docs, dups, analysed = int(comp["documents"].sum()), int(comp["duplicates"].sum()), int(comp["analysed"].sum())
    tok = comp.groupby("lang")["tokens"].sum()
    big = comp.sort_values("documents", ascending=False).iloc[0]
    sentence = (f"{docs:,} documents from {comp['outlet'].nunique()} outlets in {comp['collection'].nunique()} "
                f"collections ({dups:,} marked as duplicates, {analysed:,} analysed); {int(tok.sum()):,} analysed tokens, "
                f"{tok.get('ar', 0) / tok.sum():.0%} of them Arabic; the largest outlet is {big['outlet']} "
                f"({int(big['documents']):,} documents), the smallest FA-KES outlet "
                f"{comp[comp['collection'] == 'fakes'].iloc[-1]['outlet']} "
                f"({int(comp[comp['collection'] == 'fakes'].iloc[-1]['documents'])}); by stance toward Damascus "
                + ", ".join(f"{display(a)} {n:,}" for a, n in
                            document_groups(s.corpus, "alignment").value_counts().items())
                + " documents (duplicates left out).")
    run.save(plots.plot_composition(comp), "01_corpus_composition", sentence, "01 corpus overview")


# --- 02 keyness ---------------------------------------------------------------------------------

def _keyness_sentence(table, what: str) -> str:
    sig = table[table["p_adjusted"] < 0.05]
    t = sig[sig["g2"] > 0].nlargest(1, "g2")
    r = sig[sig["g2"] < 0].nsmallest(1, "g2")
    parts = [f"{what}: {int((sig['g2'] > 0).sum()):,} terms are key for {table.attrs['target_label']} and "
             f"{int((sig['g2'] < 0).sum()):,} for {table.attrs['reference_label']} (BH-adjusted p < 0.05)"]
    if len(t):
        parts.append(f"the strongest for {table.attrs['target_label']} is '{t.iloc[0]['term']}' "
                     f"(G² = {t.iloc[0]['g2']:.0f}, log ratio {_fmt_ci(t.iloc[0])})")
    if len(r):
        parts.append(f"for {table.attrs['reference_label']} '{r.iloc[0]['term']}' "
                     f"(G² = {-r.iloc[0]['g2']:.0f}, log ratio {_fmt_ci(r.iloc[0])})")
    return "; ".join(parts) + "."


def keyness(run: _Run) -> dict:
    from framescope.analysis.kwic import kwic

    s, st = run.session, run.settings
    en = design_en(s)
    key_en = keyness_table(en, EN_TARGET, EN_REFERENCE, lang="en", matrix=s.matrix,
                           target_label=PRO_STATE, reference_label="wire (Reuters)",
                           n_boot=st.n_boot, seed=st.seed)
    run.save(plots.plot_keyness(key_en), "02_keyness_en_state_vs_wire",
             _keyness_sentence(key_en, "FA-KES, pro-Damascus state media against wire copy") +
             f" ({key_en.attrs['n_docs_target']} pro-Damascus state-media vs {key_en.attrs['n_docs_reference']} Reuters "
             f"documents; {st.n_boot} document-bootstrap replicates)." + _small(en, DESIGN, [PRO_STATE, WIRE]),
             "02 keyness")
    run.log("keyness: Arabic (state agency vs press, matched days)")
    ar = design_ar(s)
    key_ar = keyness_table(ar, f"agency == '{STATE_AGENCY}'", f"agency == '{PRESS}'", lang="ar", matrix=s.matrix,
                           target_label=STATE_AGENCY, reference_label=PRESS, n_boot=st.n_boot_ar,
                           min_freq=st.min_freq_ar, seed=st.seed)
    run.save(plots.plot_keyness(key_ar), "02_keyness_ar_agency_vs_press",
             _keyness_sentence(key_ar, "SaudiNewsNet, the Saudi Press Agency against the 14 newspapers on the days "
                               "both cover") +
             f" ({key_ar.attrs['n_docs_target']} vs {key_ar.attrs['n_docs_reference']:,} documents on "
             f"{_days(ar)}; terms seen ≥ {st.min_freq_ar} times, {st.n_boot_ar} bootstrap replicates)."
             + _small(ar, "agency"), "02 keyness")
    # concordance lines behind the strongest state-media keyword
    top = key_en[(key_en["p_adjusted"] < 0.05) & (key_en["g2"] > 0)].iloc[0]["term"]
    lines = kwic(en, top, window=8, by=DESIGN, sort="right")
    shown = plots.kwic_sample(lines[lines["group"].isin(EN_GROUPS)], per_group=3, seed=st.seed)
    counts = lines["group"].value_counts()
    run.save(plots.plot_kwic(shown, n=12, label="outlet"), f"02_kwic_en_{top}",
             f"Concordance lines of '{top}' (the strongest pro-Damascus state-media keyword) in FA-KES: "
             f"{len(lines):,} lines, " + ", ".join(f"{int(counts.get(g, 0)):,} in {g}" for g in EN_GROUPS)
             + f"; three lines per group shown, drawn at random (seed {st.seed}) across outlets, "
             f"{shown.attrs['duplicates']} duplicate lines left out.", "02 keyness")
    node = st.nodes_ar[0]
    lines_ar = kwic(ar, node, window=8, by="agency")
    shown = plots.kwic_sample(lines_ar, per_group=6, seed=st.seed)
    counts = lines_ar["group"].value_counts()
    run.save(plots.plot_kwic(shown, n=12, label="outlet"), "02_kwic_ar_coalition",
             f"Concordance lines of {node} ('the coalition') in SaudiNewsNet, right to left: "
             f"{int(counts.get(STATE_AGENCY, 0))} lines in the state agency and {int(counts.get(PRESS, 0)):,} in the "
             f"press; up to six lines of each, drawn at random (seed {st.seed}) across outlets, duplicates left out.",
             "02 keyness")
    return {"key_en": key_en, "ar": ar}


# --- 03 collocations ------------------------------------------------------------------------------

def _top_collocate(table, node, group) -> str:
    sub = table[(table["node"] == node) & (table["group"] == group)]
    if sub.empty:
        return f"no collocate of '{node}' in {display(group)}"
    r = sub.sort_values("logdice", ascending=False).iloc[0]
    return f"'{r['collocate']}' is the strongest collocate of '{node}' in {display(group)} (logDice {r['logdice']:.1f}, {int(r['o11'])} co-occurrences)"


def collocations(run: _Run, ar) -> None:
    s, st = run.session, run.settings
    en = design_en(s)
    enc_en = s.encoded_for(en)
    col_en = pd.concat([report.collocates_by(en, enc_en, node, by=DESIGN, groups=EN_GROUPS, span=5, min_freq=3)
                        for node in st.nodes_en], ignore_index=True)
    run.save(plots.plot_collocates(col_en, n=8, groups=EN_GROUPS, n_docs=_sizes(en, DESIGN, EN_GROUPS)),
             "03_collocates_en",
             f"Collocates (±5 tokens, within sentences, ≥ 3 co-occurrences) of {', '.join(st.nodes_en)} in FA-KES by "
             f"stance and ownership: {_top_collocate(col_en, st.nodes_en[0], PRO_STATE)}, "
             f"{_top_collocate(col_en, st.nodes_en[0], ANTI)}, while "
             f"{_top_collocate(col_en, st.nodes_en[2], PRO_PARTISAN)}." + _small(en, DESIGN), "03 collocations")
    enc_ar = s.encoded_for(ar)
    frames = []
    for node in st.nodes_ar:
        frames.append(report.collocates_by(ar, enc_ar, node, by="agency", groups=[STATE_AGENCY, PRESS], span=5,
                                           min_freq=2))
    col_ar = pd.concat(frames, ignore_index=True)
    n_agency = col_ar[col_ar["group"] == STATE_AGENCY].groupby("node").size()
    run.save(plots.plot_collocates(col_ar, n=8, groups=[STATE_AGENCY, PRESS], n_docs=_sizes(ar, "agency")),
             "03_collocates_ar",
             f"Collocates of {'، '.join(st.nodes_ar)} in SaudiNewsNet, state agency vs press on the days both cover "
             f"({_days(ar)}): {_top_collocate(col_ar, col_ar['node'].iloc[0], PRESS)}; the agency's "
             f"{_n(ar, 'agency', STATE_AGENCY)} documents (the press's {_n(ar, 'agency', PRESS):,}) give "
             f"{', '.join(f'{int(n_agency.get(n, 0))} for {n}' for n in pd.unique(col_ar['node']))} collocates "
             f"(±5 tokens, ≥ 2 co-occurrences)." + _small(ar, "agency"), "03 collocations")
    run.log("dispersion and frequency over time")
    # where words fall, outlet by outlet, over the whole collections: description, not comparison
    en = s.subset(EN_QUERY)
    enc_en = s.encoded_for(en)
    ar = s.subset(AR_QUERY)
    enc_ar = s.encoded_for(ar)
    pos_en = report.term_positions(en, enc_en, st.nodes_en, by="outlet")
    per = pos_en.groupby(["group", "term"]).size().unstack(fill_value=0)
    worst = per[st.nodes_en[2]].idxmax() if st.nodes_en[2] in per else None
    sizes = pos_en.attrs["groups"]
    run.save(plots.plot_dispersion(pos_en), "03_dispersion_en",
             f"Where {', '.join(st.nodes_en)} occur in each FA-KES outlet's documents (date order): "
             f"{worst} alone has {int(per.loc[worst, st.nodes_en[2]])} of the {int(per[st.nodes_en[2]].sum())} "
             f"occurrences of '{st.nodes_en[2]}' ({sizes[worst]['group_docs']} documents).", "03 collocations")
    pos_ar = report.term_positions(ar, enc_ar, [st.nodes_ar[0], st.nodes_ar[2]], by="outlet")
    groups_ar = pos_ar.attrs["groups"]
    per = pos_ar.groupby("group").size().reindex(list(groups_ar), fill_value=0)
    rate = {g: per[g] / groups_ar[g]["group_tokens"] * 1e4 for g in groups_ar if groups_ar[g]["group_tokens"]}
    hi = max(rate, key=rate.get)
    silent = sorted(g for g in groups_ar if per[g] == 0)
    run.save(plots.plot_dispersion(pos_ar), "03_dispersion_ar",
             f"Where {st.nodes_ar[0]} and {st.nodes_ar[2]} occur in each SaudiNewsNet outlet (documents in date order): "
             f"{hi} uses them most ({rate[hi]:.1f} per 10,000 tokens), the state agency (was) "
             f"{rate.get('was', 0):.1f}" + (f"; {', '.join(silent)} never" if silent else "") + ".",
             "03 collocations")
    en = design_en(s)
    tl_en = report.term_timeline(en, s.matrix, st.nodes_en, by=DESIGN, period="year")
    tl_en = tl_en[tl_en["group"].isin(EN_GROUPS)]
    sm = tl_en[(tl_en["group"] == PRO_STATE) & (tl_en["term"] == st.nodes_en[0]) & (tl_en["size"] >= 1000)]
    peak = sm.loc[sm["per_10k"].idxmax()] if len(sm) else None
    median = en.documents.groupby(DESIGN)["date"].median().dt.year.reindex(EN_GROUPS)
    run.save(plots.plot_frequency_over_time(tl_en, groups=EN_GROUPS, min_size=1000), "03_timeline_en",
             f"Frequency per 10,000 tokens by year, stance and ownership in FA-KES (years with ≥ 1,000 tokens; "
             f"the groups cover different years, median publication year "
             + ", ".join(f"{g} {int(y)}" for g, y in median.dropna().items()) + "): "
             + (f"pro-Damascus state media's use of '{st.nodes_en[0]}' peaks in {peak['period'].year} at "
                f"{peak['per_10k']:.0f}" if peak is not None else "")
             + (f"; {tl_en.attrs['undated_documents']} undated documents are left out" if tl_en.attrs["undated_documents"] else "")
             + ".",
             "03 collocations")
    top_outlets = (ar.documents[ar.documents["outlet"] != "was"]["outlet"].value_counts().head(3).index.tolist())
    tl_ar = report.term_timeline(ar, s.matrix, [st.nodes_ar[0], st.nodes_ar[2]], by="outlet", period="day")
    tl_ar = tl_ar[tl_ar["group"].isin(top_outlets + ["was"])]
    was_days = tl_ar.loc[tl_ar["group"] == "was", "period"].nunique()
    run.save(plots.plot_frequency_over_time(tl_ar, groups=top_outlets + ["was"], min_size=500), "03_timeline_ar",
             f"Daily frequency of {st.nodes_ar[0]} and {st.nodes_ar[2]} in the three largest dailies and the state "
             f"agency (days with ≥ 500 tokens): the agency's documents cover only {was_days} day{'s' if was_days != 1 else ''} "
             f"({', '.join(sorted(str(p.date()) for p in tl_ar.loc[tl_ar['group'] == 'was', 'period'].unique()))}).",
             "03 collocations")


# --- 04 topics ------------------------------------------------------------------------------------

def _topic_sentences(res, lang_label: str, pair: tuple[str, str]) -> tuple[str, str, str]:
    ks = res.k_search
    k_sent = (f"{lang_label}: K search over {', '.join(map(str, ks.summary['k']))} with {len(ks.seeds)} seeds; "
              f"c_NPMI is highest at K = {ks.recommended_k} "
              f"({ks.summary.loc[ks.summary['recommended'], 'coherence_npmi_mean'].iloc[0]:.3f}), the K reported.")
    stable = res.stability.stable_topics()
    labels = plots.topic_labels(res.topic_terms)
    w_sent = (f"{lang_label}: top words of the K = {len(labels)} topics; {len(stable)} of {len(labels)} are stable "
              f"across {len(res.runs)} seeds (mean 1 − Jensen–Shannon distance of matched topics ≥ 0.5).")
    diffs = res.differences
    d = diffs[((diffs["group_a"] == pair[0]) & (diffs["group_b"] == pair[1]))]
    sign = 1
    if d.empty:
        d = diffs[((diffs["group_a"] == pair[1]) & (diffs["group_b"] == pair[0]))]
        sign = -1
    if len(d):
        top = d.reindex(d["diff"].abs().sort_values(ascending=False).index).iloc[0]
        diff, (lo, hi) = sign * top["diff"], sorted([sign * top["diff_low"], sign * top["diff_high"]])
        topic = int(top["topic"])
        words = labels[topic].split(" ", 1)[1]
        p_sent = (f"{lang_label}: mean topic proportions by group with bootstrap CIs; the largest "
                  f"{display(pair[0])} − {display(pair[1])} difference is topic {topic} ({words}): "
                  f"{diff:+.3f} [{lo:+.3f}, {hi:+.3f}].")
    else:
        p_sent = f"{lang_label}: mean topic proportions by group with bootstrap CIs."
    return k_sent, w_sent, p_sent


def _frame_sentence(res, lang_label: str, pair: tuple[str, str]) -> str:
    """One sentence on the ANTMN frames of a run_topics result: how many, and the frame
    whose share differs most between the two groups of ``pair``."""
    net = res.frames
    prev = res.frame_comparison.prevalence.set_index(["frame", "group"])
    diffs = res.frame_comparison.differences
    d = diffs[(diffs["group_a"] == pair[0]) & (diffs["group_b"] == pair[1])]
    sign = 1
    if d.empty:
        d, sign = diffs[(diffs["group_a"] == pair[1]) & (diffs["group_b"] == pair[0])], -1
    text = (f"{lang_label}: the K = {len(net.nodes)} topics as a network (edges: cosine similarity of their "
            f"document columns; Louvain) form {net.n_frames} frames (modularity {net.modularity:.2f})")
    stability = _frame_stability_sentence(res.frame_stability)
    if res.frame_stability is not None and not res.frame_stability.frames["stable"].astype(bool).any():
        return (text + "; none of them is stable, so the figure draws no communities and no frame difference "
                "is reported." + stability)
    if d.empty:
        return text + "." + stability
    top = d.loc[d["diff"].abs().idxmax()]
    f = int(top["frame"])
    lo, hi = sorted([sign * top["diff_low"], sign * top["diff_high"]])
    members = net.frames.loc[net.frames["frame"] == f, "topics"].iloc[0].split()
    a, b = (prev.loc[(f, g)] for g in pair)
    return (text + f"; frame {f} (topics {', '.join(members)}) makes up on average {a['mean']:.0%} of a "
            f"{display(pair[0])} document and {b['mean']:.0%} of a {display(pair[1])} one, a difference of "
            f"{sign * top['diff']:+.2f} "
            f"[{lo:+.2f}, {hi:+.2f}] (document bootstrap, {res.settings['bootstrap']['n_boot']} replicates)."
            + stability)


def _frame_stability_sentence(stability) -> str:
    """' Stability: …' — agreement across Louvain and topic seeds, the modularity null and
    the cohesion of each frame (empty without a stability result)."""
    if stability is None:
        return ""
    s, null = stability.summary, stability.summary["null"]
    parts = []
    if s["ari_louvain_seeds"] is not None:
        parts.append(f"mean adjusted Rand index {s['ari_louvain_seeds']:.2f} between {len(s['louvain_seeds'])} "
                     f"Louvain seeds")
    if s["ari_topic_runs"] is not None:
        parts.append(f"{s['ari_topic_runs']:.2f} between the networks of {len(s['topic_seeds'])} topic-model seeds")
    pieces = [" and ".join(parts)] if parts else []
    if null["mean"] is not None:
        pieces.append(f"modularity {s['single_seed_modularity']:.3f} against {null['mean']:.3f} with the edge "
                      f"weights shuffled (p = {null['p_value']:.2f})")
    text = (" Stability: " + "; ".join(pieces) + ".") if pieces else ""
    cohesions = []
    for r in stability.frames.itertuples():
        runs = "" if pd.isna(r.cohesion_runs) else f" and {r.cohesion_runs:.2f} across topic seeds"
        cohesions.append(f"frame {r.frame} {r.cohesion:.2f} across Louvain seeds{runs}, "
                         f"{'stable' if r.stable else 'unstable'}")
    return (text + f" Cohesion (mean share of partitions keeping a frame's topics together; stable if ≥ "
            f"{s['threshold']}): {'; '.join(cohesions)}.")


def topics(run: _Run, ar) -> None:
    from framescope.analysis.topics import DictionaryOptions, LdaOptions, TopicConfig, run_topics

    s, st = run.session, run.settings
    lda = LdaOptions(passes=st.topic_passes)
    en = design_en(s)
    res = run_topics(en, "en", TopicConfig(k_grid=st.topic_k_grid_en, n_seeds=st.topic_seeds, seed=st.seed,
                                           by=DESIGN, token_options=st.options, lda_options=lda,
                                           n_boot=st.n_boot, frames=True),
                     log=lambda m: run.log("  " + m) if m.startswith(("recommended", "fitting K")) else None)
    k_sent, w_sent, p_sent = _topic_sentences(res, "FA-KES (English)", (PRO_STATE, ANTI))
    run.save(plots.plot_topic_k(res.k_search.table, recommended=res.k_search.recommended_k), "04_topic_k_en",
             k_sent, "04 topics")
    run.save(plots.plot_topic_words(res.topic_terms, n=8), "04_topic_words_en", w_sent, "04 topics")
    prev = res.prevalence[res.prevalence["group"].isin(EN_GROUPS)]
    run.save(plots.plot_topic_prevalence(prev, labels=plots.topic_labels(res.topic_terms), groups=EN_GROUPS),
             "04_topic_prevalence_en", p_sent + _small(en, DESIGN), "04 topics")
    net, fprev = res.frames, res.frame_comparison.prevalence
    run.save(plots.plot_frame_network(net.nodes, net.edges, fprev[fprev["group"].isin(EN_GROUPS)],
                                      frame_labels=net.frame_labels(), groups=EN_GROUPS,
                                      stability=res.frame_stability.frames),
             "04_frame_network_en", _frame_sentence(res, "FA-KES (English)", (PRO_STATE, ANTI)), "04 topics")
    run.log("topics: Arabic (state agency + press sample)")
    sample = report.sample_documents(ar, st.ar_topic_sample, seed=st.seed, keep=AR_GROUPS[STATE_AGENCY])
    res = run_topics(sample, "ar", TopicConfig(k_grid=st.topic_k_grid_ar, n_seeds=st.topic_seeds, seed=st.seed,
                                               groups=AR_GROUPS, token_options=st.options, lda_options=lda,
                                               dictionary_options=DictionaryOptions(no_below=5, no_above=0.3),
                                               n_boot=st.n_boot),
                     log=lambda m: run.log("  " + m) if m.startswith(("recommended", "fitting K")) else None)
    label = f"SaudiNewsNet (Arabic; days both cover; all {len(sample.subset(AR_GROUPS[STATE_AGENCY]).documents)} " \
            f"agency documents + {min(st.ar_topic_sample, _n(ar, 'agency', PRESS)):,} sampled press documents, " \
            f"seed {st.seed})"
    k_sent, w_sent, p_sent = _topic_sentences(res, label, (STATE_AGENCY, PRESS))
    run.save(plots.plot_topic_k(res.k_search.table, recommended=res.k_search.recommended_k), "04_topic_k_ar",
             k_sent, "04 topics")
    run.save(plots.plot_topic_words(res.topic_terms, n=8), "04_topic_words_ar", w_sent, "04 topics")
    run.save(plots.plot_topic_prevalence(res.prevalence, labels=plots.topic_labels(res.topic_terms),
                                         groups=[STATE_AGENCY, PRESS]), "04_topic_prevalence_ar", p_sent, "04 topics")


# --- 05 seeds vs outlets --------------------------------------------------------------------------

def seeds(run: _Run) -> None:
    s, st = run.session, run.settings
    both = s.subset(f"({SEEDS_QUERY}) or ({EN_QUERY})")
    sim = report.vocabulary_similarity(both, s.matrix, SEEDS_QUERY, by="outlet", lang="en", n_boot=st.n_boot,
                                       seed=st.seed)
    pooled = sim[sim["target"] == "all"]
    first, last = pooled.iloc[0], pooled.iloc[-1]
    run.save(plots.plot_similarity(sim), "05_seeds_similarity",
             f"Vocabulary of the five seed articles against each FA-KES outlet (top {sim.attrs['n_terms']:,} terms, "
             f"equal samples of {sim.attrs['sample_tokens']:,} tokens): closest is {first['group']} "
             f"({display(first['source_type'])}; JSD {first['jsd_equal']:.3f} [{first['jsd_low']:.3f}, "
             f"{first['jsd_high']:.3f}], cosine {first['cosine']:.2f}), farthest {last['group']} "
             f"(JSD {last['jsd_equal']:.3f}); {', '.join(sim.attrs['too_small'])} have too few tokens to compare.",
             "05 seeds vs outlets")
    closest = first["group"]
    key = keyness_table(both, SEEDS_QUERY, f"outlet == '{closest}'", lang="en", matrix=s.matrix,
                        target_label="seed articles", reference_label=closest, n_boot=st.n_boot,
                        seed=st.seed, min_freq=3)
    run.save(plots.plot_keyness(key, n=10), f"05_keyness_seeds_vs_{closest}",
             _keyness_sentence(key, f"Seed articles against their closest outlet ({closest})"), "05 seeds vs outlets")


# --- 06 framing -----------------------------------------------------------------------------------

def framing(run: _Run) -> None:
    import framescope as fs
    from framescope.analysis import framing as fr

    s, st = run.session, run.settings
    en = design_en(s)
    small = _small(en, DESIGN)
    claims = fs.claims(en)
    by_attr = report.claims_by_attribution(claims, en, DESIGN, n_boot=st.n_boot, seed=st.seed)
    by_attr = by_attr[by_attr["group"].isin(EN_GROUPS)]
    un = by_attr[by_attr["attribution_class"] == "unattributed"].set_index("group")
    ngo = by_attr[by_attr["attribution_class"] == "ngo"].set_index("group")

    def shares(t):
        return ", ".join(f"{display(g)} {t.loc[g, 'share']:.0%} [{t.loc[g, 'share_low']:.0%}, {t.loc[g, 'share_high']:.0%}]"
                         for g in EN_GROUPS if g in t.index)

    run.save(plots.plot_claims_attribution(by_attr, groups=EN_GROUPS), "06_claims_attribution_en",
             f"{len(claims):,} casualty claims in the FA-KES groups by whom they credit (document-bootstrap CIs): "
             f"credited to an NGO or monitor in {shares(ngo)}; credited to no one in {shares(un)}." + small,
             "06 framing")
    mentions = fr.actor_mentions(en)
    actors = fs.actors(en, by=DESIGN, groups=EN_GROUPS, n_boot=st.n_boot, seed=st.seed, mentions=mentions)
    t = actors[(actors["actor"] == "isis") & (actors["label"] == "terrorists")].set_index("group")
    generic = mentions[mentions["label"] == "terrorists"]
    unresolved = (generic["actor"] == "unresolved").mean() if len(generic) else 0.0
    run.save(plots.plot_actor_labels(actors, groups=EN_GROUPS, actors=list(ACTOR_TITLES), titles=ACTOR_TITLES,
                                     max_cols=2),
             "06_actor_labels_en",
             "Names for the same actors per 10,000 tokens by stance and ownership: 'terrorists' naming ISIS (the "
             "referent resolved from a group named in the sentence or the one before) runs at "
             + ", ".join(f"{t.loc[g, 'per_10k']:.1f} [{t.loc[g, 'per_10k_low']:.1f}, {t.loc[g, 'per_10k_high']:.1f}] in {display(g)}"
                         for g in EN_GROUPS if g in t.index)
             + f"; {unresolved:.0%} of the {len(generic):,} generic 'terrorists' labels name no group nearby and are "
               f"counted as unresolved, not as ISIS." + small, "06 framing")
    markers = fs.markers(en, by=DESIGN, groups=EN_GROUPS, n_boot=st.n_boot, seed=st.seed)
    m = markers[(markers["category"] == "distancing") & (markers["marker"] == "(all)")].set_index("group")
    run.save(plots.plot_markers(markers, summary=True, groups=EN_GROUPS, width="single"), "06_markers_en",
             "Distancing, delegitimising, hedging, boosting and scare quotes per 10,000 tokens: distancing "
             "('so-called', 'alleged', ...) at "
             + ", ".join(f"{m.loc[g, 'per_10k']:.1f} in {display(g)}" for g in EN_GROUPS if g in m.index) + "."
             + small, "06 framing")
    ag = fs.agency(en, by=DESIGN, groups=EN_GROUPS, n_boot=st.n_boot, seed=st.seed)
    ag = ag[ag["group"].isin(EN_GROUPS)]
    a = ag[ag["agency"] == "agentless"].set_index("group")
    run.save(plots.plot_agency(ag, groups=EN_GROUPS), "06_agency_en",
             "Grammatical agency in sentences that report killing: the killer is left out in "
             + ", ".join(f"{a.loc[g, 'share']:.0%} [{a.loc[g, 'share_low']:.0%}, {a.loc[g, 'share_high']:.0%}] of "
                         f"{display(g)}'s {int(a.loc[g, 'total']):,} expressions" for g in EN_GROUPS if g in a.index) + "."
             + small, "06 framing")


# --- 07 rigour ---------------------------------------------------------------------------------

EN_TARGET, EN_REFERENCE = f"{DESIGN} == '{PRO_STATE}'", f"{DESIGN} == '{WIRE}'"
_TEST_NAMES = {"sig_lrc": "LRC", "sig_wilcoxon": "Wilcoxon (BH)", "sig_bootstrap": "the document bootstrap",
               "sig_docs": "text dispersion"}


def _survival_sentence(review, top: int) -> str:
    from framescope.analysis.rigour import survival

    surv = survival(review, top).set_index("test")
    head = review[review["g2"] > 0].nlargest(top, "g2")
    every = head[[c for c in surv.index if c.startswith("sig_")]].all(axis=1)
    parts = ", ".join(f"{name} {int(surv.loc[t, 'survive'])}" for t, name in _TEST_NAMES.items() if t in surv.index)
    return (f"Of the top {int(surv.loc['all', 'of'])} pro-Damascus state-media keywords by G² in FA-KES (against "
            f"Reuters copy), "
            f"the checks keep: {parts}; {int(surv.loc['all', 'survive'])} pass all five tests "
            f"({', '.join(head.loc[every, 'term'].head(6))}). The figure shows the top 30 with the log ratio "
            f"shrinking to the conservative LRC ({review.attrs['n_tests']:,} terms tested, Bonferroni for LRC, "
            f"Benjamini–Hochberg for the p-values, {review.attrs['n_boot']} bootstrap replicates).")


def _network_sentence(edges, st: DemoSettings) -> str:
    first = edges[edges["level"] == 1].iloc[0]
    words = set(edges["source"]) | set(edges["target"])
    second = edges[edges["level"] == 2]
    shared = second.groupby("target")["source"].nunique().sort_values(ascending=False, kind="mergesort")
    hub = (f"; '{shared.index[0]}' is reached from {int(shared.iloc[0])} of the node's collocates"
           if len(shared) and shared.iloc[0] > 1 else "")
    return (f"Collocation network of '{st.network_node}' in FA-KES (GraphColl style: top {st.network_top} "
            f"collocates by logDice, ±{int(first['span'])} tokens, ≥ {edges.attrs['min_freq']} co-occurrences, "
            f"two levels): {len(words)} words and {len(edges)} edges; the strongest collocate is "
            f"'{first['target']}' (logDice {first['value']:.1f}, {int(first['o11'])} co-occurrences){hub}.")


def _robustness_sentence(table, top: int) -> str:
    parts = []
    for analysis, what in (("keyness", f"the top {top} pro-Damascus state-media keywords"),
                           ("collocates", f"the top {top} collocates of '{table.attrs['node']}'")):
        part = table[table["analysis"] == analysis]
        if part.empty:
            continue
        n = len(part)
        text = (f"for {what} the mean Jaccard over the {n} choice{'s' if n > 1 else ''} is "
                f"{part['jaccard'].mean():.2f} (Spearman {part['spearman'].mean():.2f})")
        worst = part.sort_values(["jaccard", "spearman"], kind="mergesort").iloc[0]
        if worst["jaccard"] < 1.0:
            text += (f"; '{worst['choice']}' ({worst['setting']}) moves them most (Jaccard {worst['jaccard']:.2f}, "
                     f"ρ {worst['spearman']:.2f})")
        same = [f"{r.choice} ({r.setting})" for r in part.itertuples() if r.jaccard == 1.0]
        if same:
            text += f", {' and '.join(same)} leave{'s' if len(same) == 1 else ''} them unchanged"
        parts.append(text)
    return "Preprocessing sensitivity (Denny & Spirling 2018), each choice against the default: " + "; ".join(parts) + "."


def rigour(run: _Run) -> None:
    """Figures of notebook 07 on FA-KES: keyness review, collocation network, robustness."""
    from framescope.analysis import networks, rigour as rg, robustness as rb

    s, st = run.session, run.settings
    en = design_en(s)
    review = rg.keyness_review(en, EN_TARGET, EN_REFERENCE, options=st.options, lang="en", n_boot=st.n_boot,
                               seed=st.seed, matrix=s.matrix)
    review.attrs["target_label"] = PRO_STATE
    run.save(plots.plot_keyness_review(review, n=30), "07_keyness_review_en",
             _survival_sentence(review, st.review_top) + _small(en, DESIGN, [PRO_STATE, WIRE]), "07 rigour")
    run.log("rigour: collocation network")
    edges = networks.collocation_network(en, st.network_node, depth=2, top=st.network_top, options=st.options,
                                         lang="en")
    run.save(plots.plot_collocation_network(edges), f"07_network_en_{st.network_node}",
             _network_sentence(edges, st), "07 rigour")
    run.log("rigour: preprocessing grid")
    choices = list(st.robustness_choices) if st.robustness_choices is not None else None
    robust = rb.robustness(en, EN_TARGET, EN_REFERENCE, lang="en", top=st.robustness_top, node=st.network_node,
                           base=st.options, choices=choices)
    run.save(plots.plot_robustness(robust), "07_robustness_en", _robustness_sentence(robust, st.robustness_top),
             "07 rigour")


# --- 08 events ---------------------------------------------------------------------------------

def events_section(run: _Run) -> None:
    """FA-KES matched to events: one event across outlets, within-event differences."""
    from framescope.analysis import event_compare, events
    import framescope as fs
    from framescope.analysis import framing as fr
    from framescope.corpus.registry import load_registry

    st = run.settings
    en = run.session.subset(EN_QUERY)
    claims = fs.claims(en)
    res = events.events(en, events.EventConfig(), claims=claims)
    agree = events.event_agreement(res.assignments, events.fakes_reference(en.documents)).iloc[0]
    best = res.events.sort_values(["n_outlets", "n_docs", "event_id"], ascending=[False, False, True]).iloc[0]
    ids = best["doc_ids"].split(";")
    profile = event_compare.event_profile(best["event_id"], res.assignments, claims,
                                          fr.agency_sentences(en.subset(f"doc_id in {ids!r}")))
    names = {k: row.get("name") or k for k, row in load_registry().rows.items()}
    tolls = profile.dropna(subset=["toll_max"])
    run.save(plots.plot_event_profile(profile, outlet_names=names,
                                      title=f"{best['place_name']}, {best['date_start']:%d %b %Y}: "
                                            f"{best['n_outlets']} outlets, {best['n_docs']} articles"),
             "08_event_profile_en",
             f"FA-KES matched to events (place, ±{res.meta['config']['window_days']} days, TF-IDF cosine ≥ "
             f"{res.meta['config']['similarity']} or a shared casualty number): {res.meta['events']:,} events, "
             f"{res.meta['events_with_two_or_more_outlets']} covered by two or more outlets; against FA-KES's own "
             f"(location, date) coding pairwise precision {agree['precision']:.2f}, recall {agree['recall']:.2f}, "
             f"ARI {agree['ari']:.2f}. The best-covered event ({best['place_name']}, {best['date_start']:%d %B %Y}, "
             f"{best['n_outlets']} outlets) has death tolls from {int(tolls['toll_min'].min())} to "
             f"{int(tolls['toll_max'].max())} claimed.", "08 events")
    measures = event_compare.document_measures(claims, en.documents["doc_id"]).merge(
        event_compare.framing_measures(en), on="doc_id")
    groups = set(res.assignments["group"])
    ref = "pro_damascus" if "pro_damascus" in groups else None
    within = event_compare.within_event_difference(measures, res.assignments,
                                                   ["log_toll_max", "cites_ngo", "agentless_share", "distancing_per_10k", "terrorists_per_10k"],
                                                   reference=ref, n_boot=max(st.n_boot, 1000), seed=st.seed)
    def contrast(measure: str, fmt: str) -> str:
        t = within[within["measure"] == measure]
        parts = []
        for g in sorted(set(t["group"])):
            m = t[(t["group"] == g) & (t["design"] == "matched")].iloc[0]
            u = t[(t["group"] == g) & (t["design"] == "unmatched")].iloc[0]
            parts.append(f"{display(g)} {m['estimate']:{fmt}} [{m['estimate_low']:{fmt}}, {m['estimate_high']:{fmt}}] inside "
                         f"{int(m['n_events'])} shared events against {u['estimate']:{fmt}} unmatched")
        return "; ".join(parts)

    run.save(plots.plot_within_event(within), "08_within_event_en",
             f"Differences from {display(within.attrs['reference'])} media ({res.meta['group_column']}) inside "
             f"events (event fixed effects, 95% intervals resampling events) and unmatched: 'terrorists' per "
             f"10,000 tokens {contrast('terrorists_per_10k', '+.0f')}; share of articles citing an NGO "
             f"{contrast('cites_ngo', '+.2f')}.", "08 events")


# --- the whole demo -------------------------------------------------------------------------------

SECTIONS = ("overview", "keyness", "collocations", "topics", "seeds", "framing", "rigour", "events")


def write_readme(folder: Path, records: list[FigureRecord], settings: DemoSettings, corpus) -> Path:
    """figures/README.md: one line per figure with its generated sentence (no timings, so
    that a rerun on the same corpus gives the same file)."""
    lines = ["# Figures", "",
             "Written by `framescope demo` from the default corpus (seeds + FA-KES + SaudiNewsNet); the same "
             "analyses as `notebooks/01`–`08`. Each figure is a PDF (fonts embedded) and a 300-dpi PNG. "
             "The sentences are generated from the data.", "",
             f"**Design.** {EN_DESIGN_SENTENCE} {AR_DESIGN_SENTENCE} Groups under the floor of 30 documents or "
             f"10,000 running words are named in the sentences of the figures that compare them.", "",
             f"corpus_id `{corpus.corpus_id}`; settings: "
             + ", ".join(f"{k} = {v}" for k, v in settings.as_dict().items() if k != "options")
             + f"; token options: numbers {settings.options.numbers}, min_length {settings.options.min_length}, "
               f"stopwords {'removed' if settings.options.stopwords else 'kept'}.", ""]
    section = None
    for r in records:
        if r.section != section:
            section = r.section
            lines += [f"## {section}", ""]
        lines.append(f"- [`{r.name}.png`]({r.name}.png) ([PDF]({r.name}.pdf)) — {r.sentence}")
        if r is records[-1] or records[records.index(r) + 1].section != section:
            lines.append("")
    path = folder / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_demo(corpus_dir="out/corpus", figures="figures", settings: DemoSettings = DemoSettings(),
             rebuild: bool = False, sections=SECTIONS, progress: bool | None = None) -> list[FigureRecord]:
    """Build (if needed) the default corpus, run the analyses, write figures and README.md."""
    from framescope.corpus.build import ensure_default_corpus

    started = time.time()
    corpus = ensure_default_corpus(corpus_dir, rebuild)
    folder = Path(figures)
    folder.mkdir(parents=True, exist_ok=True)
    run = _Run(report.Session(corpus, settings.options, progress), settings, folder, started=started)
    run.log(f"corpus {corpus.corpus_id}: {len(corpus.documents):,} documents; tokenising once ...")
    run.session.matrix  # noqa: B018 (tokenise now, with the progress bar)
    run.log(f"{run.session.encoded.n_tokens:,} tokens")
    state: dict = {}
    for name in sections:
        if name not in SECTIONS:
            raise ValueError(f"unknown demo section {name!r}")
        run.log(f"{name} ...")
        if name == "overview":
            overview(run)
        elif name == "keyness":
            state.update(keyness(run))
        elif name in ("collocations", "topics"):
            if "ar" not in state:
                state["ar"] = design_ar(run.session)
            (collocations if name == "collocations" else topics)(run, state["ar"])
        elif name == "seeds":
            seeds(run)
        elif name == "framing":
            framing(run)
        elif name == "rigour":
            rigour(run)
        elif name == "events":
            events_section(run)
    readme = write_readme(folder, run.records, settings, corpus)
    run.log(f"{len(run.records)} figures and {readme} written in {(time.time() - started) / 60:.1f} min")
    return run.records
