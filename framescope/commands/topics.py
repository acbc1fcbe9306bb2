"""Topic-model subcommands: ``topics`` (fit, K search, stability, comparison by group) and
``topics-apply`` (a saved model's topic proportions for a corpus).

``framescope topics DIR --lang en --out OUTDIR`` writes into OUTDIR: topic_terms.csv,
topics.csv, prevalence.csv, differences.csv, effects.csv, representative_docs.csv,
stability.csv, excluded_docs.csv, doc_topics.parquet, effects_composition.csv (method of
composition, unless --composition-sims 0), k_search.csv and k_summary.csv (with --k-grid),
consensus_matches.csv (with --consensus), frames.csv, frame_nodes.csv, frame_edges.csv,
frame_prevalence.csv, frame_differences.csv, frame_stability.csv, frame_coassignment.csv,
frame_partitions.csv, frame_agreement.csv and frame_network.graphml (with --frames), the
saved model (model/), optional ldavis.html, and run.json (options, seeds, corpus_id,
versions, sha256 of every table). Same command, same seed → identical
CSV and Parquet bytes (with the default --workers 0).
"""
from __future__ import annotations

import contextlib
import re
import sys
import time

import numpy as np
from pathlib import Path

from framescope.commands.framing import add_match_dates, size_warnings_as_lines
from framescope.commands.stats import add_token_options, check_arguments, token_options
from framescope.corpus.errors import CorpusMismatchError, FramescopeError


def _ints(text: str, name: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise FramescopeError(f"{name} expects integers separated by commas, got {text!r}") from None
    if not values:
        raise FramescopeError(f"{name} is empty")
    return values


def _alpha(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def _pairs(items: list[str] | None, name: str, sep: str, form: str) -> list[tuple[str, str]]:
    out = []
    for item in items or []:
        left, found, right = item.partition(sep)
        if not found or not left.strip() or not right.strip():
            raise FramescopeError(f"{name} expects {form}, got {item!r}")
        out.append((left.strip(), right.strip()))
    return out


def add_commands(sub) -> None:
    """Add the ``topics`` and ``topics-apply`` subcommands to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    p = sub.add_parser(
        "topics", help="LDA topic models by language: K search, stability, prevalence by group",
        description="Fit gensim LDA on one language of a corpus; choose K (coherence, held-out perplexity, "
                    "exclusivity); match topics across seeds (stability); compare topic prevalence between "
                    "groups (bootstrap CIs, OLS with HC3 CIs). Without --workers the result is exactly "
                    "reproducible (gensim LdaMulticore is not). The saved model uses gensim's pickle format: "
                    "load models only from a trusted origin.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--out", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("--query", help="pandas query on document metadata selecting the documents to model")
    m = p.add_argument_group("model")
    m.add_argument("--k", type=int, help="number of topics (default: the K search's choice, else 10)")
    m.add_argument("--k-grid", metavar="K,K,...", help="run the K search over these K (e.g. 5,10,15,20)")
    m.add_argument("--seeds", type=int, default=3, help="runs with seeds SEED..SEED+N-1 (default 3)")
    m.add_argument("--seed", type=int, default=0, help="first seed; also split, inference and bootstrap seed")
    m.add_argument("--passes", type=int, default=10)
    m.add_argument("--iterations", type=int, default=50)
    m.add_argument("--chunksize", type=int, default=2000)
    m.add_argument("--alpha", default="symmetric", help="symmetric, asymmetric, auto or a number")
    m.add_argument("--workers", type=int, default=0,
                   help="0 = LdaModel, one process, reproducible (default); N = LdaMulticore, not reproducible")
    m.add_argument("--no-below", type=int, default=5, help="keep terms in at least N documents (default 5)")
    m.add_argument("--no-above", type=float, default=0.5, help="keep terms in at most this share of documents")
    m.add_argument("--keep-n", type=int, default=100_000, help="then keep the N most widespread terms")
    m.add_argument("--min-tokens", type=int, default=5, help="leave out documents with fewer vocabulary tokens")
    m.add_argument("--detect-phrases", action="store_true", help="join two-word phrases found by NPMI (gensim)")
    m.add_argument("--heldout", type=float, default=0.1, help="held-out share of documents in the K search")
    m.add_argument("--work-dir", help="keep the bag-of-words here (default: a temporary folder)")
    m.add_argument("--consensus", action="store_true",
                   help="report the consensus of the --seeds runs (topics aligned across seeds, mean topic-word "
                        "and document-topic distributions) instead of the first run")
    d = p.add_argument_group("description and comparison")
    d.add_argument("--by", default="source_type", help="group column or expression (default source_type)")
    d.add_argument("--group", action="append", metavar="NAME=QUERY",
                   help="a named group from a query, instead of --by (repeatable): --group agency=\"outlet == 'was'\"")
    add_match_dates(d, "the comparisons (prevalence, differences, effects, frames)")
    d.add_argument("--contrast", action="append", metavar="A,B", help="compare group A with B (repeatable; "
                   "default all pairs)")
    d.add_argument("--reference", help="reference group of the regression (default: first in sorted order)")
    d.add_argument("--covariates", default="", help="regression covariates, e.g. outlet,month")
    d.add_argument("--topn", type=int, default=10, help="top terms per topic (default 10)")
    d.add_argument("--lambda", dest="lam", type=float, default=0.6, help="relevance lambda (default 0.6)")
    d.add_argument("--frex-weight", type=float, default=0.5, help="FREX weight on exclusivity (default 0.5)")
    d.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates (default 1000)")
    d.add_argument("--ci", type=float, default=0.95)
    d.add_argument("--stability-threshold", type=float, default=None,
                   help="stable if mean 1 - JS distance to matched topics >= this (default 0.5)")
    d.add_argument("--representative", type=int, default=5, help="representative documents per topic")
    d.add_argument("--ldavis", action="store_true", help="also write ldavis.html (needs pyLDAvis installed)")
    d.add_argument("--composition-sims", type=int, default=100,
                   help="method of composition: simulations of theta from its posterior (default 100; 0 = off)")
    d.add_argument("--composition-draws", type=int, default=100,
                   help="method of composition: coefficient draws per simulation (default 100)")
    f = p.add_argument_group("frames (topic networks, Walter & Ophir 2019)")
    f.add_argument("--frames", action="store_true",
                   help="topic co-occurrence network, Louvain communities = frames, frame prevalence by group; "
                        "writes frame_*.csv and frame_network.graphml")
    f.add_argument("--frame-weighting", choices=["cosine", "correlation"], default="cosine",
                   help="edge weight: cosine similarity (ANTMN, default) or correlation of document-topic columns")
    f.add_argument("--frame-min-weight", type=float, default=0.0,
                   help="drop edges with weight <= this (negative edges are always dropped; default 0)")
    f.add_argument("--frame-backbone", type=float, metavar="ALPHA",
                   help="keep only the disparity-filter backbone at this alpha (Serrano et al. 2009), e.g. 0.05")
    f.add_argument("--frame-resolution", type=float, default=1.0, help="Louvain resolution (default 1)")
    f.add_argument("--frame-seeds", type=int, default=50,
                   help="Louvain runs (seeds SEED..SEED+N-1) for the consensus partition and frame stability "
                        "(default 50)")
    f.add_argument("--frame-partition", choices=["consensus", "single"], default="consensus",
                   help="report the consensus of the Louvain runs (Lancichinetti & Fortunato 2012, default) or the "
                        "single run with --seed (as ANTMN)")
    f.add_argument("--frame-stability-threshold", type=float, default=0.75,
                   help="a frame is stable if the mean co-assignment of its topics is >= this (default 0.75)")
    f.add_argument("--frame-null", type=int, default=100,
                   help="column-permuted networks for the modularity null (default 100; 0 = off)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    add_token_options(p)
    # topic-model defaults: numbers and one-letter tokens carry no theme
    p.set_defaults(func=cmd_topics, numbers="drop", min_length=2)

    p = sub.add_parser("topics-apply", help="topic proportions of a corpus under a saved topic model",
                       description="Writes doc_id, topic, weight (Parquet). The model must have been fitted on "
                                   "the same corpus unless --force. The model is unpickled: trusted origin only.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--model", required=True, help="model folder written by framescope topics (OUTDIR/model)")
    p.add_argument("--out", required=True, help="Parquet file")
    p.add_argument("--force", action="store_true", help="apply a model fitted on another corpus")
    p.set_defaults(func=cmd_topics_apply)


#: TopicConfig field → the option of ``framescope topics`` that sets it (for error messages).
CONFIG_FLAGS = {"n_seeds": "--seeds", "n_representative": "--representative", "composition_sims": "--composition-sims",
                "composition_draws": "--composition-draws", "topn": "--topn"}


@contextlib.contextmanager
def _flag_names():
    """Re-raise a configuration error with the command-line option names instead of the fields."""
    try:
        yield
    except FramescopeError as exc:
        message = str(exc)
        for name, flag in CONFIG_FLAGS.items():
            message = re.sub(rf"\b{name}\b", flag, message)
        raise FramescopeError(message) from None


def cmd_topics(args) -> int:
    """Run ``framescope topics`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis.topics import (STABILITY_THRESHOLD, DictionaryOptions, FrameOptions, LdaOptions, TopicConfig,
                                 run_topics)
    from framescope.corpus import load

    if not args.lang:
        raise FramescopeError("topics needs --lang (one model per language, e.g. --lang en)")
    if args.ldavis:
        import importlib.util
        if importlib.util.find_spec("pyLDAvis") is None:
            raise FramescopeError("--ldavis needs pyLDAvis, which is optional and not installed (pip install pyLDAvis)")
    k_grid = _ints(args.k_grid, "--k-grid") if args.k_grid else None
    groups = dict(_pairs(args.group, "--group", "=", "NAME=QUERY")) if args.group else None
    contrasts = _pairs(args.contrast, "--contrast", ",", "GROUP_A,GROUP_B") or None
    covariates = [c.strip() for c in args.covariates.split(",") if c.strip()]
    lda_options = LdaOptions(passes=args.passes, iterations=args.iterations, chunksize=args.chunksize,
                             alpha=_alpha(args.alpha), workers=args.workers)
    dictionary_options = DictionaryOptions(no_below=args.no_below, no_above=args.no_above, keep_n=args.keep_n,
                                           min_tokens=args.min_tokens)
    threshold = STABILITY_THRESHOLD if args.stability_threshold is None else args.stability_threshold
    frames = FrameOptions(weighting=args.frame_weighting, min_weight=args.frame_min_weight,
                          backbone=args.frame_backbone, resolution=args.frame_resolution,
                          seed=args.seed, n_seeds=args.frame_seeds, partition=args.frame_partition,
                          stability_threshold=args.frame_stability_threshold,
                          n_null=args.frame_null) if args.frames else None
    if not lda_options.reproducible:
        print("note: --workers uses gensim LdaMulticore, which is not deterministic: the same seed can give "
              "different topics", file=sys.stderr)
    start = time.perf_counter()
    log = None if args.quiet else (lambda msg: print(f"[{time.perf_counter() - start:7.1f} s] {msg}",
                                                     file=sys.stderr, flush=True))
    check_arguments(args, by=None if groups else args.by, queries={f"--group {name}": q for name, q in (groups or {}).items()},
                    intervals=args.n_boot > 0)
    with _flag_names():
        config = TopicConfig(k=args.k, k_grid=k_grid, n_seeds=args.seeds, seed=args.seed, by=args.by, groups=groups,
                             match_dates=args.match_dates or False,
                             covariates=covariates, reference=args.reference, contrasts=contrasts,
                             token_options=token_options(args), dictionary_options=dictionary_options,
                             lda_options=lda_options, detect_phrases=args.detect_phrases, topn=args.topn,
                             lam=args.lam, frex_weight=args.frex_weight, n_boot=args.n_boot, ci=args.ci,
                             stability_threshold=threshold, heldout=args.heldout,
                             n_representative=args.representative, include_duplicates=args.include_duplicates,
                             consensus=args.consensus, composition_sims=args.composition_sims,
                             composition_draws=args.composition_draws, frames=frames)
    corpus = load(args.corpus).subset(args.query)
    with size_warnings_as_lines():
        results = run_topics(corpus, args.lang, config, work_dir=args.work_dir, log=log)
    results.write(args.out, ldavis=args.ldavis)
    print(summary(results))
    edge = k_at_edge(results.settings["k"], k_grid) if results.settings.get("k_source") == "k_search" else None
    if edge:
        print(f"framescope: warning: {edge}", file=sys.stderr)
    print(f"wrote {args.out} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return 0


def k_at_edge(k: int, k_grid: list[int] | None) -> str | None:
    """Warn when the chosen K is the smallest or largest K searched: the best K may then lie outside the grid.

    Parameters
    ----------
    k : int
        The chosen number of topics.
    k_grid : list of int or None
        The K searched (None: no search).

    Returns
    -------
    str or None
        The warning, or None.
    """
    if not k_grid or len(set(k_grid)) < 2 or k not in (min(k_grid), max(k_grid)):
        return None
    side, widen = ("smallest", "smaller") if k == min(k_grid) else ("largest", "larger")
    return (f"K = {k} is the {side} K searched ({', '.join(map(str, sorted(set(k_grid))))}): the best K may lie "
            f"outside the grid; search {widen} values with --k-grid")


def summary(results) -> str:
    """Write the lines printed after a topics run: K, stability, largest differences.

    Parameters
    ----------
    results : TopicResults
        What :func:`framescope.analysis.topics.run_topics` returned.

    Returns
    -------
    str
        The lines.
    """
    s = results.settings
    stab = results.stability
    n_stable = len(stab.stable_topics())
    lines = [f"{s['lang']}: {len(results.doc_ids)} documents, {results.bow_meta['n_terms']} terms, "
             f"K = {s['k']} ({s['k_source']}), seeds {s['seeds']}; reported: {s['reported']}"]
    if results.k_search is not None:
        lines.append(f"K search: recommended K = {results.k_search.recommended_k} ({results.k_search.rule})")
    if stab.topics["stable"].isna().all():
        lines.append("stability: one run only (use --seeds 2 or more)")
    else:
        lines.append(f"stability: {n_stable} of {s['k']} topics stable (threshold {stab.threshold})")
    sizes = results.prevalence.attrs.get("group_sizes") or []
    if sizes:
        lines.append("groups: " + "; ".join(
            f"{r['group']} ({r['n_docs']:,} documents, {r['n_tokens']:,} tokens{', UNDER THE SIZE FLOOR' if r['small_group'] else ''})"
            for r in sizes))
    diffs = results.differences
    for (a, b), part in diffs.groupby(["group_a", "group_b"], sort=False):
        top = part.sort_values("rank").head(3)
        for _, r in top.iterrows():
            words = results.topics.loc[results.topics["topic"] == r["topic"], "top_probability"].iloc[0]
            lines.append(f"  {a} - {b}: topic {r['topic']} diff {r['diff']:+.3f} "
                         f"[{r['diff_low']:+.3f}, {r['diff_high']:+.3f}] stable={r['stable']}: "
                         f"{' '.join(words.split()[:6])}")
    if results.frames is not None:
        net = results.frames
        lines.append(f"frames: {net.n_frames} communities of topics (Louvain, modularity {net.modularity:.3f})")
        if results.frame_stability is not None:
            lines.extend(frame_stability_lines(results.frame_stability))
        for (a, b), part in results.frame_comparison.differences.groupby(["group_a", "group_b"], sort=False):
            r = part.sort_values("rank").iloc[0]
            lines.append(f"  {a} - {b}: frame {r['frame']} diff {r['diff']:+.3f} "
                         f"[{r['diff_low']:+.3f}, {r['diff_high']:+.3f}]: {r['label']}")
    return "\n".join(lines)


def frame_stability_lines(stability) -> list[str]:
    """Describe the frames' stability in a few lines.

    Agreement across Louvain and topic seeds, the modularity null, and per frame its
    cohesion and whether it is stable.

    Parameters
    ----------
    stability : pandas.DataFrame
        The frame stability table (attrs hold the summary numbers).

    Returns
    -------
    list of str
        The lines.
    """
    s = stability.summary
    parts = [f"{s['partition']} partition of {len(s['louvain_seeds'])} Louvain seeds"]
    if s["ari_louvain_seeds"] is not None:
        parts.append(f"ARI across Louvain seeds {s['ari_louvain_seeds']:.2f}")
    if s["ari_topic_runs"] is not None:
        parts.append(f"across topic seeds {s['ari_topic_runs']:.2f}")
    null = s["null"]
    if null["mean"] is not None:
        parts.append(f"modularity {s['single_seed_modularity']:.3f} vs {null['mean']:.3f} with the edge weights "
                     f"shuffled ({null['n_null']} networks, p = {null['p_value']:.2f})")
    lines = ["  frame stability: " + "; ".join(parts)]
    for r in stability.frames.itertuples():
        runs = "" if np.isnan(r.cohesion_runs) else f", across topic seeds {r.cohesion_runs:.2f}"
        lines.append(f"  frame {r.frame} (topics {r.topics}): cohesion {r.cohesion:.2f}{runs} "
                     f"{'stable' if r.stable else 'UNSTABLE'} (threshold {s['threshold']})")
    return lines


def cmd_topics_apply(args) -> int:
    """Run ``framescope topics-apply`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis.topics import TopicModel, document_topic_frame
    from framescope.corpus import load
    from framescope.corpus.store import write_parquet

    corpus = load(args.corpus)
    try:
        model = TopicModel.load(args.model, corpus, force=args.force)
    except CorpusMismatchError as exc:
        raise CorpusMismatchError(str(exc).replace("force=True", "--force")) from None
    with model.bag_of_words(corpus) as bow:
        theta = model.document_topics(bow)
        table = document_topic_frame(bow.doc_ids, theta)
        excluded = len(bow.excluded)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_parquet(table, out)
    print(f"wrote {len(table)} rows ({len(theta)} documents, K = {model.k}; {excluded} corpus documents not "
          f"covered) to {out}", file=sys.stderr)
    return 0
