"""Review subcommands: ``keyness-review``, ``robustness``, ``consistent-collocates``,
``collocation-network``. Each writes a CSV (+ ``.meta.json``) like the statistics commands."""
from __future__ import annotations

import sys

from framescope.commands.stats import (command_line, load_for_command, add_token_options, check_arguments, token_options,
                                     write_table)
from framescope.corpus.errors import FramescopeError


def add_commands(sub) -> None:
    """Add the ``keyness-review``, ``robustness``, ``consistent-collocates`` and ``collocation-network`` subcommands to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    p = sub.add_parser("keyness-review", help="keyness with LRC, Wilcoxon, bootstrap and text-dispersion checks",
                       description="Token-level keyness plus the checks reviewers ask for: conservative log "
                                   "ratio (Evert 2022), Wilcoxon rank-sum on per-document frequencies (Lijffijt "
                                   "et al. 2016), document bootstrap, text-dispersion keyness (Egbert & Biber 2019). "
                                   "With --by: every group vs the rest and all pairs, FDR over the family. With "
                                   "--reference-list: an external frequency list (term,frequency,corpus_size).")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--target", help="pandas query for the target documents")
    p.add_argument("--reference", help="pandas query for the reference (default: the rest)")
    p.add_argument("--reference-list", metavar="CSV", help="external reference frequency list")
    p.add_argument("--by", help="multi-group mode: document column or expression")
    p.add_argument("--mode", choices=("rest", "pairs", "both"), default="both", help="with --by (default both)")
    p.add_argument("--min-freq", type=int, default=5)
    p.add_argument("--n-boot", type=int, default=200)
    p.add_argument("--n-perm", type=int, default=1000,
                   help="relabellings of the permutation test of terms absent from one group (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--summary", type=int, metavar="N", help="print how many of the top N keywords pass each test")
    p.add_argument("--out", help="CSV file (default: stdout)")
    add_token_options(p)
    p.set_defaults(func=cmd_keyness_review)

    p = sub.add_parser("robustness", help="preprocessing sensitivity of keyness (and collocate) top-k",
                       description="Reruns keyness (and, with --node, collocates) once per preprocessing choice "
                                   "and reports Jaccard and Spearman of the top-k against the default "
                                   "(Denny & Spirling 2018).")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--target", required=True)
    p.add_argument("--reference")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--node", help="also compare this node's top collocates")
    p.add_argument("--span", type=int, default=5)
    p.add_argument("--choices", help="comma-separated subset of the grid (default: all)")
    p.add_argument("--min-freq", type=int, default=5)
    p.add_argument("--out", help="CSV file (default: stdout)")
    add_token_options(p)
    p.set_defaults(func=cmd_robustness)

    p = sub.add_parser("consistent-collocates", help="collocates reaching a threshold in k of n subcorpora")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("node", metavar="NODE")
    p.add_argument("--by", default="outlet", help="subcorpora: column or expression (default outlet)")
    p.add_argument("--k", type=int, default=2)
    p.add_argument("--measure", default="logdice")
    p.add_argument("--threshold", type=float, default=7.0)
    p.add_argument("--span", type=int, default=5)
    p.add_argument("--min-freq", type=int, default=2)
    p.add_argument("--out", help="CSV file (default: stdout)")
    add_token_options(p)
    p.set_defaults(func=cmd_consistent)

    p = sub.add_parser("collocation-network", help="GraphColl-style collocation network (GraphML + CSV)")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("node", metavar="NODE")
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--measure", default="logdice")
    p.add_argument("--threshold", type=float)
    p.add_argument("--span", type=int, default=5)
    p.add_argument("--min-freq", type=int, default=3)
    p.add_argument("--out", required=True, help="output base name: writes OUT.graphml and OUT.csv")
    add_token_options(p)
    p.set_defaults(func=cmd_network)


def cmd_keyness_review(args) -> int:
    """Run ``framescope keyness-review`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis import rigour
    corpus = load_for_command(args.corpus, args.out)
    check_arguments(args, by=args.by, queries={"--target": args.target, "--reference": args.reference},
                    intervals=args.n_boot > 0)
    opts = token_options(args)
    common = dict(options=opts, lang=args.lang, min_freq=args.min_freq, include_duplicates=args.include_duplicates)
    if args.reference_list:
        if args.by or args.reference:
            raise FramescopeError("--reference-list replaces --reference and --by")
        table = rigour.keyness_reference_list(corpus, args.reference_list, target=args.target, alpha=args.alpha,
                                              **{**common, "lang": args.lang or "en"})
    elif args.by:
        if args.target or args.reference:
            raise FramescopeError("--by compares every group: leave out --target/--reference")
        table = rigour.keyness_family(corpus, args.by, args.mode, n_boot=args.n_boot, seed=args.seed,
                                      alpha=args.alpha, n_perm=args.n_perm, **common)
    else:
        if not args.target:
            raise FramescopeError("give --target (or --by, or --reference-list)")
        table = rigour.keyness_review(corpus, args.target, args.reference, n_boot=args.n_boot, seed=args.seed,
                                      alpha=args.alpha, n_perm=args.n_perm, **common)
    write_table(table, args.out, command_line())
    untested = table.attrs.get("untestable_terms") or []
    if untested:
        print(f"note: {len(untested)} term(s) absent from one group are in too few documents for the "
              f"permutation test (perm_testable = False)", file=sys.stderr)
    if args.summary and not args.reference_list:
        print(rigour.survival(table, args.summary).to_string(index=False), file=sys.stderr)
    return 0


def cmd_robustness(args) -> int:
    """Run ``framescope robustness`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis.robustness import robustness
    corpus = load_for_command(args.corpus, args.out)
    check_arguments(args, queries={"--target": args.target, "--reference": args.reference})
    choices = [c.strip() for c in args.choices.split(",") if c.strip()] if args.choices else None
    table = robustness(corpus, args.target, args.reference, lang=args.lang, top=args.top, node=args.node,
                       span=args.span, base=token_options(args), choices=choices, min_freq=args.min_freq,
                       include_duplicates=args.include_duplicates)
    write_table(table, args.out, command_line())
    return 0


def cmd_consistent(args) -> int:
    """Run ``framescope consistent-collocates`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis.networks import consistent_collocates
    corpus = load_for_command(args.corpus, args.out)
    check_arguments(args, by=args.by, intervals=False)
    table = consistent_collocates(corpus, args.node, by=args.by, k=args.k, measure=args.measure,
                                  threshold=args.threshold, span=args.span, min_freq=args.min_freq,
                                  options=token_options(args), lang=args.lang,
                                  include_duplicates=args.include_duplicates)
    write_table(table, args.out, command_line())
    return 0


def cmd_network(args) -> int:
    """Run ``framescope collocation-network`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.analysis.networks import collocation_network, write_network
    corpus = load_for_command(args.corpus)
    check_arguments(args)
    edges = collocation_network(corpus, args.node, depth=args.depth, top=args.top, measure=args.measure,
                                threshold=args.threshold, span=args.span, min_freq=args.min_freq,
                                options=token_options(args), lang=args.lang,
                                include_duplicates=args.include_duplicates)
    for path in write_network(edges, args.out):
        print(f"wrote {path}", file=sys.stderr)
    return 0
