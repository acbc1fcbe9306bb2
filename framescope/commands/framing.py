"""Framing subcommands: ``claims``, ``actors``, ``markers``, ``agency``.

Each reads a corpus folder and writes a CSV plus ``<FILE>.meta.json`` (command line,
seed, lexicons, corpus_id), as the statistics commands do; ``--kwic FILE.csv`` (actors,
markers) and ``--sentences FILE.csv`` (agency) also write the lines behind the counts,
``--comparison FILE.csv`` (claims) the figures each group cites per place and period.
``--match-dates day|week`` compares the groups on the days (ISO weeks) they all cover; every
comparison table carries its groups' ``group_docs``, ``group_tokens`` and ``small_group``.
"""
from __future__ import annotations

import argparse
import sys

from framescope.commands.common import add_match_dates, size_warnings_as_lines
from framescope.commands.stats import command_line, load_for_command, check_arguments, write_table
from framescope.corpus.errors import FramescopeError


def _kwic_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kwic", metavar="FILE.csv", help="also write one KWIC line per occurrence")
    p.add_argument("--window", type=int, default=8, help="KWIC context in tokens (default 8)")


def _common(p: argparse.ArgumentParser, by: bool = True, bootstrap: bool = True) -> None:
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--query", help="pandas query on document metadata to analyse a subset, "
                                   "e.g. \"collection == 'fakes'\"")
    if by:
        p.add_argument("--by", default="source_type",
                       help="document column or expression to group by (default source_type)")
    if bootstrap:
        p.add_argument("--n-boot", dest="n_boot", type=int, default=1000,
                       help="document-bootstrap replicates for the CIs (default 1000; 0 = none)")
        p.add_argument("--ci", type=float, default=0.95, help="confidence level (default 0.95)")
        p.add_argument("--seed", type=int, default=0, help="bootstrap seed (recorded in the table)")
    p.add_argument("--include-duplicates", action="store_true", help="keep documents marked as duplicates")
    add_match_dates(p)
    p.add_argument("--out", required=True, help="CSV file")


def add_commands(sub) -> None:
    """Add the ``claims``, ``actors``, ``markers`` and ``agency`` subcommands to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    p = sub.add_parser("claims", help="casualty claims: number, victim, outcome, place, attribution",
                       description="One row per numeric claim about people killed, injured or missing "
                                   "(English and Arabic), with the class of its source.")
    _common(p, by=False, bootstrap=False)
    p.add_argument("--casualty-lexicon", help="YAML replacing analysis/data/framing_casualties.yaml")
    p.add_argument("--source-lexicon", help="CSV replacing analysis/data/framing_sources.csv")
    p.add_argument("--comparison", metavar="FILE.csv",
                   help="also write the figures each group cites per place and period")
    p.add_argument("--by", default="source_type", help="grouping of --comparison (default source_type)")
    p.add_argument("--period", default="M",
                   help="period of --comparison: D, W, M, Q or Y of the document date, or 'all' (default M)")
    p.add_argument("--outcome", default="killed",
                   help="outcome compared in --comparison: killed, injured, missing, casualties or all")
    p.add_argument("--reference", metavar="CSV",
                   help="reference figures for --comparison: columns label, number, source [, place, outcome, period]")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("actors", help="actor labels: rates per 10,000 tokens and shares by group",
                       description="Counts, rates per 10,000 tokens, document shares and label shares "
                                   "within each actor, with document-bootstrap CIs.")
    _common(p)
    p.add_argument("--lexicon", help="CSV replacing analysis/data/framing_actors.csv")
    _kwic_options(p)
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("markers", help="distancing, delegitimising, scare quotes, hedges, boosters",
                       description="Counts, rates per 10,000 tokens and document shares by group, "
                                   "with document-bootstrap CIs.")
    _common(p)
    p.add_argument("--lexicon", help="CSV replacing analysis/data/framing_markers.csv")
    p.add_argument("--actor-lexicon", help="CSV replacing analysis/data/framing_actors.csv (targets)")
    _kwic_options(p)
    p.set_defaults(func=cmd_markers)

    p = sub.add_parser("agency", help="agency of killing: agent, by-phrase, agentless shares by group",
                       description="Share of killing expressions with the killer as agent, in a "
                                   "by-phrase, absent (agentless passive), nominal or intransitive.")
    _common(p)
    p.add_argument("--victim", help="only expressions with this victim class (e.g. civilians)")
    p.add_argument("--casualty-lexicon", help="YAML replacing analysis/data/framing_casualties.yaml")
    p.add_argument("--actor-lexicon", help="CSV replacing analysis/data/framing_actors.csv")
    p.add_argument("--sentences", metavar="FILE.csv", help="also write one row per killing expression")
    p.set_defaults(func=cmd_agency)


def _corpus(args, extra_outs: tuple[str | None, ...] = ()):
    for out in extra_outs:
        if out is not None and not out.lower().endswith(".csv"):
            raise FramescopeError(f"output files must end in .csv, not {out!r}")
    check_arguments(args, by=getattr(args, "by", None), intervals=getattr(args, "n_boot", 0) > 0)
    corpus = load_for_command(args.corpus, args.out)
    return corpus.subset(args.query) if args.query else corpus


def _match(args):
    """``--match-dates`` as the library's ``match_dates`` (False when absent)."""
    return args.match_dates or False


def _check_bootstrap(args) -> None:
    if args.n_boot < 0:
        raise FramescopeError("--n-boot must be >= 0")
    if not 0 < args.ci < 1:
        raise FramescopeError("--ci must be between 0 and 1")


def cmd_claims(args) -> int:
    """Run ``framescope claims`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    with size_warnings_as_lines():
        return _cmd_claims(args)


def _cmd_claims(args) -> int:
    from framescope.analysis.framing.claims import OUTCOMES, claims, claims_comparison, read_reference

    if args.outcome != "all" and args.outcome not in OUTCOMES:
        raise FramescopeError(f"--outcome must be one of {', '.join(OUTCOMES)} or all")
    if args.reference and not args.comparison:
        raise FramescopeError("--reference needs --comparison FILE.csv")
    if args.reference:
        read_reference(args.reference)  # a bad reference file fails before the long part
    corpus = _corpus(args, (args.comparison,))
    table = claims(corpus, args.casualty_lexicon, args.source_lexicon, args.include_duplicates)
    table.attrs["query"] = args.query
    write_table(table, args.out, command_line())
    _write_claims_warnings(table, args.out)
    if args.comparison:
        comp = claims_comparison(table, corpus, by=args.by, reference=args.reference,
                                 period=None if args.period == "all" else args.period,
                                 outcome=None if args.outcome == "all" else args.outcome,
                                 match_dates=_match(args), include_duplicates=args.include_duplicates)
        comp.attrs.update({"corpus_id": corpus.corpus_id, "query": args.query})
        write_table(comp, args.comparison, command_line())
    return 0


def _write_claims_warnings(table, out: str) -> None:
    """Documents whose claims could not be read: ``<out>.warnings.csv`` and one line on stderr."""
    import sys
    from pathlib import Path

    from framescope.analysis.framing.claims import claims_warnings

    warn = claims_warnings(table)
    path = Path(out).with_suffix(".warnings.csv")
    if warn.empty:
        return
    warn.to_csv(path, index=False, lineterminator="\n")
    print(f"framescope: warning: {len(warn)} document(s) skipped after an error; see {path}", file=sys.stderr)


def cmd_actors(args) -> int:
    """Run ``framescope actors`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    with size_warnings_as_lines():
        return _cmd_actors(args)


def _cmd_actors(args) -> int:
    from framescope.analysis.framing.actors import actor_mentions, actors

    _check_bootstrap(args)
    corpus = _corpus(args, (args.kwic,))
    lines = actor_mentions(corpus, args.by, args.lexicon, args.window, args.include_duplicates)
    table = actors(corpus, args.by, args.lexicon, args.n_boot, args.ci, args.seed,
                   args.include_duplicates, mentions=lines, match_dates=_match(args))
    table.attrs["query"] = args.query
    write_table(table, args.out, command_line())
    if args.kwic:
        lines.attrs.update({"corpus_id": corpus.corpus_id, "query": args.query})
        write_table(lines, args.kwic, command_line())
    return 0


def cmd_markers(args) -> int:
    """Run ``framescope markers`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    with size_warnings_as_lines():
        return _cmd_markers(args)


def _cmd_markers(args) -> int:
    from framescope.analysis.framing.markers import marker_mentions, markers

    _check_bootstrap(args)
    corpus = _corpus(args, (args.kwic,))
    lines = marker_mentions(corpus, args.by, args.lexicon, args.actor_lexicon, args.window,
                            args.include_duplicates)
    table = markers(corpus, args.by, args.lexicon, args.actor_lexicon, args.n_boot, args.ci,
                    args.seed, args.include_duplicates, mentions=lines, match_dates=_match(args))
    table.attrs["query"] = args.query
    write_table(table, args.out, command_line())
    if args.kwic:
        lines.attrs.update({"corpus_id": corpus.corpus_id, "query": args.query})
        write_table(lines, args.kwic, command_line())
    return 0


def cmd_agency(args) -> int:
    """Run ``framescope agency`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    with size_warnings_as_lines():
        return _cmd_agency(args)


def _cmd_agency(args) -> int:
    from framescope.analysis.framing.agency import agency, agency_sentences

    _check_bootstrap(args)
    corpus = _corpus(args, (args.sentences,))
    lines = agency_sentences(corpus, args.casualty_lexicon, args.actor_lexicon, args.include_duplicates)
    table = agency(corpus, args.by, lines=lines, victim=args.victim, n_boot=args.n_boot,
                   ci=args.ci, seed=args.seed, include_duplicates=args.include_duplicates,
                   match_dates=_match(args))
    table.attrs["query"] = args.query
    write_table(table, args.out, command_line())
    if args.sentences:
        lines.attrs.update({"corpus_id": corpus.corpus_id, "query": args.query})
        write_table(lines, args.sentences, command_line())
    return 0
