"""Stage 7: the whole topic analysis of one language, configured by one :class:`TopicConfig`.

    config = TopicConfig(k_grid=(5, 10, 15), n_seeds=3, by="source_type", frames=True)
    results = run_topics(corpus, "en", config, log=print)
    results.prevalence; results.write("out/topics_en")

:func:`run_topics` chains the stages (bag of words → K search → fits → stability or
consensus → prevalence and effects → description → frames) and records every setting,
seed and version in ``results.settings`` (``run.json``).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.groups import DEFAULT_FLOOR, PERIODS, SizeFloor, comparison_sizes, document_groups
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.topics.bow import BagOfWords, bag_of_words, phrases_for
from framescope.analysis.topics.effects import (GroupComparison, compare_groups, covariate_labels,
                                     design_matrix, document_topic_frame, prevalence_effects,
                                     prevalence_effects_composition, representative_documents)
from framescope.analysis.topics.fitting import TopicModel, fit_lda, gensim_version
from framescope.analysis.topics.frames import (FrameNetwork, FrameOptions, FrameStability, frame_network, frame_prevalence,
                                    frame_stability)
from framescope.analysis.topics.ksearch import K_RULE, WINDOW_SIZES, KSearch, coherence, k_search
from framescope.analysis.topics.options import DictionaryOptions, LdaOptions
from framescope.analysis.topics.stability import (STABILITY_THRESHOLD, ConsensusTopics, Stability, consensus_topics,
                                       topic_stability)
from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import sha256_file

__all__ = ["TopicConfig", "TopicResults", "run_topics", "write_ldavis", "DEFAULT_K"]

#: K when neither ``k`` nor ``k_grid`` is given.
DEFAULT_K = 10


@dataclass(frozen=True)
class TopicConfig:
    """Every setting of :func:`run_topics` (scikit-learn style: build once, pass, record).

    Parameters
    ----------
    k : int, optional
        Number of topics. None: the recommended K of the K search over ``k_grid``
        (:data:`~framescope.analysis.topics.ksearch.K_RULE`), or :data:`DEFAULT_K` without a grid.
    k_grid : sequence of int, optional
        K values of the K search (:func:`~framescope.analysis.topics.ksearch.k_search`).
    n_seeds : int
        Number of runs; they use seeds ``seed, seed+1, …, seed+n_seeds−1`` and the first
        is the reported model (unless ``consensus``).
    seed : int
        First training seed, and the seed of the K search's held-out split, of the
        document-topic inference, of the bootstrap, of the method of composition and of
        Louvain.
    by : str or list of str, optional
        Column(s) or expression that group documents
        (:func:`framescope.analysis.groups.document_groups`, the rule of every comparison).
    groups : mapping of str to str, optional
        ``{label: pandas query}``; wins over ``by``. A document matching none is left out of
        the comparisons; one matching two is an error.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover
        (:func:`framescope.analysis.groups.document_groups`); the model is still fitted on
        every document, only the comparisons (prevalence, differences, effects, frames)
        are restricted.
    size_floor : SizeFloor
        Groups under it (default 30 documents or 10,000 tokens) are flagged
        (``small_group``) in every comparison table.
    covariates : sequence of str
        Categorical covariates of the regression ('month' or a column).
    reference : str, optional
        Reference group of the regression (default the first in sorted order).
    contrasts : sequence of (str, str), optional
        Group pairs to compare (default every pair).
    token_options : TokenOptions
        Options of the tokens (default ``TokenOptions()``).
    dictionary_options : DictionaryOptions
        Vocabulary and document filters (default ``DictionaryOptions()``).
    lda_options : LdaOptions
        gensim LDA settings (default ``LdaOptions()``: one process, reproducible).
    detect_phrases : bool
        Add two-word phrases found by :func:`~framescope.analysis.topics.bow.phrases_for` to the tokens.
    topn : int
        Top words per topic in the topic tables and coherence (default 10).
    lam : float
        λ of the relevance ranking (Sievert & Shirley 2014), in [0, 1] (default 0.6;
        1 = rank by probability).
    frex_weight : float
        Weight of exclusivity in FREX (Bischof & Airoldi 2012), in [0, 1] (default 0.5).
    n_boot : int
        Bootstrap replicates of every interval (default 1000; documents resampled within
        groups).
    ci : float
        Confidence level of every interval, in (0, 1) (default 0.95).
    stability_threshold : float
        A topic is ``stable`` when its stability is at least this.
    heldout : float
        Held-out share of documents in the K search.
    n_representative : int
        Representative documents per topic.
    include_duplicates : bool
        Model documents marked as duplicates too.
    consensus : bool
        Report the consensus of the runs (:func:`~framescope.analysis.topics.stability.consensus_topics`)
        instead of the first run; needs ``n_seeds >= 2``.
    composition_sims, composition_draws : int
        Method of composition (0 simulations: off).
    frames : FrameOptions or bool, optional
        The ANTMN frames of :mod:`framescope.analysis.topics.frames` (True: default options with ``seed``).
    """

    k: int | None = None
    k_grid: tuple[int, ...] | None = None
    n_seeds: int = 3
    seed: int = 0
    by: str | None = "source_type"
    groups: Mapping[str, str] | None = None
    match_dates: bool | str = False
    size_floor: SizeFloor = DEFAULT_FLOOR
    covariates: tuple[str, ...] = ()
    reference: str | None = None
    contrasts: tuple[tuple[str, str], ...] | None = None
    token_options: TokenOptions = field(default_factory=TokenOptions)
    dictionary_options: DictionaryOptions = field(default_factory=DictionaryOptions)
    lda_options: LdaOptions = field(default_factory=LdaOptions)
    detect_phrases: bool = False
    topn: int = 10
    lam: float = 0.6
    frex_weight: float = 0.5
    n_boot: int = 1000
    ci: float = 0.95
    stability_threshold: float = STABILITY_THRESHOLD
    heldout: float = 0.1
    n_representative: int = 5
    include_duplicates: bool = False
    consensus: bool = False
    composition_sims: int = 100
    composition_draws: int = 100
    frames: FrameOptions | bool | None = None

    def __post_init__(self):
        # sequences become tuples: the config is immutable and prints as it was used
        if self.k_grid is not None:
            object.__setattr__(self, "k_grid", tuple(int(k) for k in self.k_grid))
        object.__setattr__(self, "covariates", tuple(self.covariates))
        if self.contrasts is not None:
            object.__setattr__(self, "contrasts", tuple(tuple(c) for c in self.contrasts))
        if self.groups is not None:
            object.__setattr__(self, "groups", dict(self.groups))
        if int(self.n_seeds) < 1:
            raise FramescopeError(f"n_seeds must be >= 1, not {self.n_seeds}")
        if self.n_representative < 0 or self.topn < 1:
            raise FramescopeError("topn must be >= 1 and n_representative >= 0")
        if self.composition_sims < 0 or self.composition_draws < 1:
            raise FramescopeError(f"the method of composition needs composition_sims >= 0 and "
                                  f"composition_draws >= 1, not {self.composition_sims} and {self.composition_draws}")
        if self.match_dates not in (False, True, *PERIODS):
            raise FramescopeError(f"match_dates must be True, False, {', '.join(map(repr, PERIODS))}, "
                                  f"not {self.match_dates!r}")
        if not isinstance(self.size_floor, SizeFloor):
            raise FramescopeError(f"size_floor must be a SizeFloor, not {self.size_floor!r}")
        if self.consensus and self.n_seeds < 2:
            raise FramescopeError("a consensus over seeds needs n_seeds 2 or more")

    @property
    def run_seeds(self) -> list[int]:
        """The training seeds of the runs, the reported one first."""
        return [int(self.seed) + i for i in range(int(self.n_seeds))]

    def frame_options(self) -> FrameOptions | None:
        """The frame options in force.

        Returns
        -------
        FrameOptions or None
            ``frames`` itself, default options with ``seed`` for ``frames=True``, None without
            frames.
        """
        if not self.frames:
            return None
        return self.frames if isinstance(self.frames, FrameOptions) else FrameOptions(seed=int(self.seed))


def write_ldavis(model: TopicModel, theta: np.ndarray, doc_lengths: np.ndarray, path) -> Path:
    """LDAvis HTML (Sievert & Shirley 2014) with pyLDAvis, if installed (optional).

    pyLDAvis is not a dependency of framescope: ``pip install pyLDAvis`` to use this.
    Topic order is kept (``sort_topics=False``); pyLDAvis numbers topics from 1.

    Parameters
    ----------
    model : TopicModel
        The reported model.
    theta : numpy.ndarray
        n_docs × K proportions.
    doc_lengths : numpy.ndarray
        In-vocabulary tokens per document.
    path : path
        The HTML file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    FramescopeError
        pyLDAvis is not installed.

    References
    ----------
    Sievert, C., & Shirley, K. (2014). LDAvis: A method for visualizing and interpreting
    topics. *Workshop on Interactive Language Learning, Visualization, and Interfaces*, 63–70.
    """
    try:
        import pyLDAvis
    except ImportError:
        raise FramescopeError("pyLDAvis is not installed (pip install pyLDAvis) — it is optional") from None
    vis = pyLDAvis.prepare(topic_term_dists=model.topic_word(), doc_topic_dists=np.asarray(theta),
                           doc_lengths=np.asarray(doc_lengths), vocab=list(model.terms),
                           term_frequency=np.asarray(model.term_frequency), sort_topics=False)
    path = Path(path)
    pyLDAvis.save_html(vis, str(path))
    return path


@dataclass(kw_only=True)
class TopicResults:
    """What :func:`run_topics` computed; :meth:`write` writes the output folder.

    Every table is tidy, and every per-topic table has ``stable`` and ``stability``; the
    columns are listed in the :mod:`framescope.analysis.topics` docstring and in
    ``docs/columns.md``.

    Parameters
    ----------
    model : TopicModel
        The reported run (the first seed's, or the consensus when asked for).
    runs : list of TopicModel
        Every run, one per seed.
    stability : Stability
        The topics' stability across the runs.
    settings : dict
        Everything ``run.json`` records (config, seeds, versions, corpus_id).
    doc_ids : list of str
        The modelled documents, in the row order of ``theta``.
    theta : numpy.ndarray
        n_docs × K document-topic proportions (rows sum to 1).
    doc_lengths : numpy.ndarray
        In-vocabulary tokens of each modelled document.
    excluded : pandas.DataFrame
        Corpus documents not modelled and why (doc_id, reason, detail).
    bow_meta : dict
        Provenance of the bag of words (language, token and dictionary options, sizes).
    topic_terms : pandas.DataFrame
        Top terms of each topic by probability, relevance and FREX.
    topics : pandas.DataFrame
        One row per topic: prevalence, coherence, exclusivity, top words.
    prevalence : pandas.DataFrame
        Mean topic proportion per group with bootstrap CIs.
    differences : pandas.DataFrame
        Differences of group means per topic with bootstrap CIs.
    effects : pandas.DataFrame
        Regression estimates of topic proportion on group and covariates (OLS, HC3).
    representative : pandas.DataFrame
        The documents with the highest proportion of each topic.
    k_search : KSearch or None
        The K search (None: K was given).
    consensus : ConsensusTopics or None
        The consensus of the runs (None: not asked for).
    effects_composition : pandas.DataFrame or None
        The effects by the method of composition (None: not asked for).
    frames : FrameNetwork or None
        The topic network and its frames (None: not asked for).
    frame_comparison : GroupComparison or None
        Frame prevalence and differences by group.
    frame_stability : FrameStability or None
        The frames' stability across Louvain seeds and topic runs.
    """

    model: TopicModel
    runs: list[TopicModel]
    stability: Stability
    settings: dict
    doc_ids: list[str]
    theta: np.ndarray
    doc_lengths: np.ndarray
    excluded: pd.DataFrame
    bow_meta: dict
    topic_terms: pd.DataFrame
    topics: pd.DataFrame
    prevalence: pd.DataFrame
    differences: pd.DataFrame
    effects: pd.DataFrame
    representative: pd.DataFrame
    k_search: KSearch | None = None
    consensus: ConsensusTopics | None = None
    effects_composition: pd.DataFrame | None = None
    frames: FrameNetwork | None = None
    frame_comparison: GroupComparison | None = None
    frame_stability: FrameStability | None = None

    def doc_topics(self) -> pd.DataFrame:
        """Tidy document-topic proportions with the topics' stability flag.

        Returns
        -------
        pandas.DataFrame
            doc_id, topic, weight, stable.
        """
        out = document_topic_frame(self.doc_ids, self.theta)
        return out.merge(self.stability.flags()[["topic", "stable"]], on="topic", how="left")

    def write(self, outdir, ldavis: bool = False) -> dict[str, str]:
        """Write the tables, the model and run.json into ``outdir``; returns {file: sha256}
        of the tables (also recorded in run.json). Same inputs and seeds → identical bytes
        for every CSV and Parquet file.

        Parameters
        ----------
        outdir : path
            The output folder (created).
        ldavis : bool
            Also write ``ldavis.html`` (needs pyLDAvis).

        Returns
        -------
        dict of str to str
            {file name: sha256} of the tables written.
        """
        from framescope.corpus.store import write_parquet

        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, str] = {}

        def csv(name: str, table: pd.DataFrame) -> None:
            path = out / name
            tmp = path.with_name(f".{name}.tmp")
            table.to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g")
            os.replace(tmp, path)
            written[name] = sha256_file(path)

        csv("topic_terms.csv", self.topic_terms)
        csv("topics.csv", self.topics)
        csv("prevalence.csv", self.prevalence)
        csv("differences.csv", self.differences)
        csv("effects.csv", self.effects)
        csv("representative_docs.csv", self.representative)
        csv("stability.csv", _with_flags(self.stability.matches, self.stability))
        csv("excluded_docs.csv", self.excluded)
        if self.effects_composition is not None:
            csv("effects_composition.csv", self.effects_composition)
        if self.consensus is not None:
            csv("consensus_matches.csv", self.consensus.matches)
        if self.frames is not None:
            csv("frame_nodes.csv", self.frames.nodes)
            csv("frame_edges.csv", self.frames.edges)
            csv("frames.csv", self.frames.frames)
            csv("frame_prevalence.csv", self.frame_comparison.prevalence)
            csv("frame_differences.csv", self.frame_comparison.differences)
            if self.frame_stability is not None:
                csv("frame_stability.csv", self.frame_stability.frames)
                csv("frame_coassignment.csv", self.frame_stability.coassignment)
                csv("frame_partitions.csv", self.frame_stability.partitions)
                csv("frame_agreement.csv", self.frame_stability.agreement)
            self.frames.write_graphml(out / "frame_network.graphml")
            written["frame_network.graphml"] = sha256_file(out / "frame_network.graphml")
        if self.k_search is not None:
            csv("k_search.csv", self.k_search.table)
            csv("k_summary.csv", self.k_search.summary)
        parquet = out / "doc_topics.parquet"
        tmp = parquet.with_name(".doc_topics.parquet.tmp")
        write_parquet(self.doc_topics(), tmp)
        os.replace(tmp, parquet)
        written["doc_topics.parquet"] = sha256_file(parquet)
        self.model.save(out / "model")
        if ldavis:
            write_ldavis(self.model, self.theta, self.doc_lengths, out / "ldavis.html")
        run = {**self.settings, "outputs": dict(sorted(written.items()))}
        (out / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False, sort_keys=True, default=str)
                                      + "\n", encoding="utf-8")
        return written



def _with_flags(table: pd.DataFrame, stability: Stability) -> pd.DataFrame:
    attrs = dict(table.attrs)
    out = table.merge(stability.flags(), on="topic", how="left")
    out.attrs.update(attrs)
    return out


def _design(corpus, doc_ids: Sequence[str], labels: pd.Series, covariates: Sequence[str]) -> pd.DataFrame:
    design = pd.DataFrame({"doc_id": list(doc_ids)})
    design["group"] = labels.reindex(design["doc_id"]).to_numpy()
    for cov in covariates:
        design[cov] = covariate_labels(corpus, cov).reindex(design["doc_id"]).to_numpy()
    return design


def _check_groups(corpus, config: TopicConfig) -> pd.Series:
    """Group labels of the documents taking part (:func:`framescope.analysis.groups.document_groups`:
    duplicates and, with ``match_dates``, documents outside the shared periods left out); a bad
    grouping, contrast or design fails here, before any fitting."""
    labels = document_groups(corpus, None if config.groups else config.by, groups=config.groups or None,
                             keep_duplicates=config.include_duplicates, match_dates=config.match_dates)
    present = set(labels.dropna())
    for pair in config.contrasts or []:
        for g in pair:
            if g not in present:
                raise FramescopeError(f"contrast group {g!r} is not a group of the corpus "
                                      f"(groups: {', '.join(sorted(present))})")
    # checked again on the modelled documents
    design_matrix(_design(corpus, corpus.documents["doc_id"], labels, config.covariates), "group",
                  config.covariates, config.reference)
    return labels


@dataclass
class _Fits:
    """The runs and what the reported topics are (first run, or consensus)."""

    search: KSearch | None
    k: int
    runs: list[TopicModel]
    model: TopicModel          # describes the reported topics
    stability: Stability
    theta: np.ndarray
    gamma: np.ndarray          # n_docs × K, or runs × n_docs × K with a consensus
    consensus: ConsensusTopics | None
    run_thetas: list[np.ndarray] | None  # every run's θ aligned to the reported topics (for frames)


def _fit(bow: BagOfWords, config: TopicConfig, log: Callable[[str], None]) -> _Fits:
    """K search (with ``k_grid``), one fit per seed, then stability or consensus and θ."""
    seed, seeds = int(config.seed), config.run_seeds
    search = None
    if config.k_grid:
        search = k_search(bow, config.k_grid, seeds, config.lda_options, heldout=config.heldout, split_seed=seed,
                          topn=config.topn, log=log)
        log(f"recommended K = {search.recommended_k} ({K_RULE})")
    k = int(config.k) if config.k is not None else (search.recommended_k if search is not None else DEFAULT_K)
    runs = []
    for s in seeds:
        log(f"fitting K={k}, seed={s}")
        runs.append(fit_lda(bow, k, s, config.lda_options))
    log("document-topic proportions")
    if config.consensus:
        gammas = [r.document_gamma(bow, seed=seed) for r in runs]
        cons = consensus_topics(runs, gammas=gammas, threshold=config.stability_threshold, topn=config.topn)
        log(f"consensus of {len(runs)} runs ({cons.iterations} alignment rounds)")
        model = replace(runs[0], _phi=cons.topic_word)  # describes the consensus; saves the first run
        run_thetas = list(cons.gamma / cons.gamma.sum(axis=2, keepdims=True))
        return _Fits(search, k, runs, model, cons.stability, cons.theta, cons.gamma, cons, run_thetas)
    stab = topic_stability(runs, config.stability_threshold, config.topn)
    gamma = runs[0].document_gamma(bow, seed=seed)
    theta = gamma / gamma.sum(axis=1, keepdims=True)
    run_thetas = None
    if config.frames and len(runs) > 1:  # the other runs' θ, for the frames' stability
        run_thetas = [theta]
        for r in runs[1:]:
            g_r = r.document_gamma(bow, seed=seed)
            match = stab.matches[stab.matches["seed"] == r.seed].sort_values("topic")["matched_topic"]
            run_thetas.append((g_r / g_r.sum(axis=1, keepdims=True))[:, match.to_numpy()])
    return _Fits(search, k, runs, runs[0], stab, theta, gamma, None, run_thetas)


def _effects(corpus, fits: _Fits, doc_ids: list[str], labels: pd.Series, config: TopicConfig,
             log: Callable[[str], None], sizes: pd.DataFrame | None = None
             ) -> tuple[GroupComparison, pd.DataFrame, pd.DataFrame | None]:
    """Prevalence and differences by group, the OLS effects and the method of composition."""
    seed = int(config.seed)
    comp = compare_groups(fits.theta, labels.reindex(doc_ids).to_numpy(), config.contrasts, config.n_boot,
                          config.ci, seed, sizes)
    design = _design(corpus, doc_ids, labels, config.covariates)
    effects = prevalence_effects(fits.theta, design, "group", config.covariates, config.reference, config.ci,
                                 sizes=sizes)
    composition = None
    if config.composition_sims:
        log(f"method of composition ({config.composition_sims} simulations)")
        composition = prevalence_effects_composition(fits.gamma, design, "group", config.covariates,
                                                     config.reference, config.composition_sims,
                                                     config.composition_draws, config.ci, seed, sizes=sizes)
    for table in (effects, composition):
        if config.by and not config.groups and table is not None:
            table["variable"] = table["variable"].replace({"group": config.by})
    return comp, effects, composition


def _topics_table(fits: _Fits, npmi: np.ndarray, config: TopicConfig) -> tuple[pd.DataFrame, dict]:
    """One row per topic: stability, prevalence, coherence, exclusivity and its top words."""
    model, topn = fits.model, config.topn
    top = {by: model.top_terms(topn, by, config.lam, config.frex_weight)
           for by in ("probability", "relevance", "frex")}
    topics = fits.stability.topics[["topic", "stable", "stability", "top_word_overlap"]].copy()
    topics["prevalence"] = fits.theta.mean(axis=0)
    topics["coherence_npmi"] = npmi
    topics["exclusivity"] = model.exclusivity(topn)
    for name, lists in top.items():
        topics[f"top_{name}"] = [" ".join(words) for words in lists]
    return topics, top


def _frames(fits: _Fits, top_words: list[list[str]], labels: np.ndarray, config: TopicConfig,
            log: Callable[[str], None], sizes: pd.DataFrame | None = None
            ) -> tuple[FrameNetwork, GroupComparison, FrameStability]:
    """ANTMN frame network, frame prevalence by group and the frames' stability."""
    log("frame network (ANTMN)")
    names = [f"T{t} " + " \u00b7 ".join(words[:3]) for t, words in enumerate(top_words)]  # FREX words: distinctive
    network = frame_network(fits.theta, names, config.frame_options(), fits.stability.topics["stable"])
    comparison = frame_prevalence(fits.theta, network, labels, config.contrasts, config.n_boot, config.ci,
                                  int(config.seed), sizes)
    log("frame stability (Louvain seeds" + (", topic runs)" if fits.run_thetas else ")"))
    stability = frame_stability(network, fits.run_thetas, config.run_seeds if fits.run_thetas else None)
    return network, comparison, stability


def _settings(corpus, lang: str, config: TopicConfig, token_options: TokenOptions, fits: _Fits,
              effects: pd.DataFrame, composition: pd.DataFrame | None, network: FrameNetwork | None,
              frame_stab: FrameStability | None, n_without_group: int, bow_meta: dict,
              sizes: pd.DataFrame | None = None, labels: pd.Series | None = None) -> dict:
    """What run.json records: every setting, seed, rule and version."""
    seed, cons, search = int(config.seed), fits.consensus, fits.search
    groups = config.groups
    return {
        "command": "topics", "lang": lang, "corpus_id": getattr(corpus, "corpus_id", None),
        "corpus_path": str(getattr(corpus, "path", "") or ""), "corpus_subset": corpus.manifest.get("subset", []),
        "k": fits.k, "k_source": "given" if config.k is not None else ("k_search" if search else "default"),
        "seeds": config.run_seeds, "reported_seed": config.run_seeds[0], "split_seed": seed, "inference_seed": seed,
        "bootstrap": {"seed": seed, "n_boot": int(config.n_boot), "ci": float(config.ci), "method": "percentile",
                      "resampling": "documents within each group, SeedSequence([seed, group index])"},
        "stability": {"threshold": float(config.stability_threshold),
                      "measure": "mean 1 - Jensen-Shannon distance (base 2) of Hungarian-matched topics "
                                 + ("between every pair of runs (consensus)" if cons else "to the reported run"),
                      "n_runs": len(fits.runs), "stable_topics": fits.stability.stable_topics()},
        "k_search": search.metadata() if search else None, "k_rule": K_RULE,
        "groups": {"by": None if groups else config.by, "queries": dict(groups) if groups else None,
                   "contrasts": [list(c) for c in (config.contrasts or [])] or "all pairs",
                   "reference": effects.attrs["reference"], "covariates": list(config.covariates),
                   "documents_without_group": n_without_group,
                   "match_dates": config.match_dates,
                   "shared_periods": (labels.attrs.get("shared_periods") if labels is not None else None),
                   "excluded": dict(labels.attrs.get("excluded", {})) if labels is not None else {},
                   "size_floor": config.size_floor.as_dict(),
                   "sizes": ([{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                              for r in sizes.to_dict("records")] if sizes is not None else None)},
        "effects": {"model": "OLS of topic proportion on group + covariates", "se_type": effects.attrs["se_type"]},
        "reported": "consensus of all runs" if cons is not None else "first run",
        "consensus": cons.metadata() if cons is not None else None,
        "composition": None if composition is None else {
            "method": "method of composition (Treier & Jackman 2008; stm estimateEffect): theta drawn from "
                      "Dirichlet(gamma), OLS, coefficients drawn from N(beta, V)",
            "seed": seed, "n_sims": int(config.composition_sims), "n_draws": int(config.composition_draws),
            "se_type": composition.attrs["se_type"], "n_runs": composition.attrs["n_runs"]},
        "frames": network.metadata() if network is not None else None,
        "frame_stability": frame_stab.summary if frame_stab is not None else None,
        "description": {"topn": config.topn, "relevance_lambda": config.lam, "frex_weight": config.frex_weight,
                        "exclusivity_weight": 0.7, "coherence_windows": WINDOW_SIZES,
                        "coherence_counting": "exact boolean sliding windows (framescope), gensim measures"},
        "lda_options": config.lda_options.as_dict(), "reproducible": config.lda_options.reproducible,
        "token_options": token_options.as_dict(), "dictionary_options": config.dictionary_options.as_dict(),
        "include_duplicates": config.include_duplicates, "bag_of_words": bow_meta,
        "versions": _versions(),
    }


def run_topics(corpus, lang: str, config: TopicConfig | None = None, *, work_dir=None,
               log: Callable[[str], None] | None = None, document_sizes: pd.Series | None = None) -> TopicResults:
    """The whole topic analysis of one language of ``corpus``.

    Parameters
    ----------
    corpus : corpus.Corpus
        The documents (one model per language: only segments in ``lang`` are read).
    lang : str
        ISO 639-1 code of the language to model.
    config : TopicConfig, optional
        Every setting (default ``TopicConfig()``).
    work_dir : path, optional
        Folder for the streamed bag-of-words (default a temporary folder, removed).
    log : callable, optional
        Called with one progress line per step.
    document_sizes : pandas.Series, optional
        Tokens per document from :func:`framescope.analysis.groups.document_sizes`, if
        already computed (the group sizes need them; default: computed here).

    Returns
    -------
    TopicResults
        Tables ``topic_terms``, ``topics``, ``prevalence``, ``differences``, ``effects``,
        ``representative`` (columns in :mod:`framescope.analysis.topics`), the models, θ and, as
        configured, ``k_search``, ``consensus``, ``effects_composition`` and the frames.
        Every comparison table carries its groups' sizes by the rule of every comparison
        (:mod:`framescope.analysis.groups`): ``group_docs``, ``group_tokens`` and
        ``small_group`` (prevalence; ``group_a_*``/``group_b_*`` in differences;
        ``level_*``/``reference_*`` in effects), ``attrs["group_sizes"]`` and
        ``attrs["excluded"]``. ``group_docs`` counts the group's documents in the corpus
        (duplicates left out), so it is the same N as in the framing and claims tables
        and in every table that follows :mod:`framescope.analysis.groups`; ``n_docs`` counts those behind the estimate (modelled: text in ``lang``
        and at least ``min_tokens`` vocabulary tokens).

    Notes
    -----
    Seeds: runs ``seed … seed + n_seeds − 1`` (the first is the reported model); the K
    search uses the same seeds and ``split_seed = seed``; the inference, the bootstrap, the
    method of composition and Louvain use ``seed``. With ``consensus`` the topic words, θ,
    prevalence, effects and frames describe the aligned mean topics (the saved ``model/``
    stays the first run: gensim cannot hold a consensus).

    References
    ----------
    Blei, Ng & Jordan (2003), Latent Dirichlet allocation, JMLR 3. Roberts, Stewart &
    Tingley (2019), stm, Journal of Statistical Software 91(2). Walter & Ophir (2019),
    News frame analysis, Communication Methods and Measures 13(4).
    """
    config = config or TopicConfig()
    log = log or (lambda msg: None)
    labels = _check_groups(corpus, config)
    sizes = comparison_sizes(corpus, labels, config.size_floor, document_sizes)
    token_options = config.token_options
    if config.detect_phrases:
        log("detecting phrases")
        found = phrases_for(corpus, lang, token_options, config.include_duplicates)
        token_options = replace(token_options, phrases=tuple(sorted(set(token_options.phrases) | set(found))))
    own_dir = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="framescope-topics-")) if own_dir else Path(work_dir)
    try:
        log(f"bag of words ({lang})")
        with bag_of_words(corpus, lang, token_options, config.dictionary_options, folder=work / "bow",
                          include_duplicates=config.include_duplicates) as bow:
            log(f"{len(bow)} documents, {bow.n_terms} terms, {int(bow.doc_lengths.sum())} tokens; "
                f"{len(bow.excluded)} corpus documents not modelled")
            fits = _fit(bow, config, log)
            doc_ids = list(bow.doc_ids)
            comp, effects, composition = _effects(corpus, fits, doc_ids, labels, config, log, sizes)
            log("coherence of the reported model")
            npmi = coherence([fits.model.top_terms(config.topn)], bow, ("c_npmi",), config.topn)[0]["c_npmi"]
            bow_meta, excluded, doc_lengths = bow.metadata(), bow.excluded.copy(), bow.doc_lengths.copy()
    finally:
        if own_dir:
            shutil.rmtree(work, ignore_errors=True)

    stab = fits.stability
    topics, top = _topics_table(fits, npmi, config)
    representative = representative_documents(fits.theta, doc_ids, corpus.documents, config.n_representative)
    representative.insert(4, "group", labels.reindex(representative["doc_id"]).to_numpy())
    row_labels = labels.reindex(doc_ids)
    network = frame_comparison = frame_stab = None
    if config.frames:
        network, frame_comparison, frame_stab = _frames(fits, top["frex"], row_labels.to_numpy(), config, log,
                                                        sizes)
    settings = _settings(corpus, lang, config, token_options, fits, effects, composition, network, frame_stab,
                         int(row_labels.isna().sum()), bow_meta, sizes, labels)
    return TopicResults(
        model=fits.model, runs=fits.runs, stability=stab, settings=settings, doc_ids=doc_ids, theta=fits.theta,
        doc_lengths=doc_lengths, excluded=excluded, bow_meta=bow_meta,
        topic_terms=_with_flags(fits.model.terms_table(config.topn, config.lam, config.frex_weight), stab),
        topics=topics, prevalence=_with_flags(comp.prevalence, stab),
        differences=_with_flags(comp.differences, stab), effects=_with_flags(effects, stab),
        representative=_with_flags(representative, stab), k_search=fits.search, consensus=fits.consensus,
        effects_composition=None if composition is None else _with_flags(composition, stab),
        frames=network, frame_comparison=frame_comparison, frame_stability=frame_stab)


def _versions() -> dict:
    import scipy

    from framescope.corpus import __version__
    return {"framescope": __version__, "gensim": gensim_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "pandas": pd.__version__}
