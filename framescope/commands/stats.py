"""Statistics subcommands: ``freq``, ``kwic``, ``keyness``, ``collocates``, ``ngrams``.

Each reads a corpus folder, writes a CSV (KWIC also HTML) and, next to it,
``<FILE>.meta.json`` with everything needed to reproduce the table: the command line,
token options, seed, sentence models and the corpus_id.
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

import pandas as pd

from framescope.analysis.token_options import TokenOptions
from framescope.commands.common import add_match_dates, match_dates, size_warnings_as_lines
from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import add_backend_arguments, backend_from_args
from framescope.corpus.provenance import with_meta


# --- shared options --------------------------------------------------------------------------

def add_token_options(p: argparse.ArgumentParser) -> None:
    """Parameters
    ----------
    p : argparse.ArgumentParser

    Returns
    -------
    None
    """
    g = p.add_argument_group("tokens")
    g.add_argument("--lang", help="only segments in this language (ISO 639-1, e.g. en, ar)")
    g.add_argument("--stem", action="store_true", help="stem (Snowball; ISRI for Arabic)")
    g.add_argument("--keep-stopwords", action="store_true", help="do not remove stopwords")
    g.add_argument("--keep-word", action="append", default=[], metavar="WORD",
                   help="never remove WORD as a stopword (repeatable), e.g. state, us")
    g.add_argument("--no-lowercase", action="store_true", help="keep case")
    g.add_argument("--numbers", choices=("keep", "drop", "placeholder"), default="keep")
    g.add_argument("--min-length", type=int, default=1, help="drop shorter tokens (characters)")
    g.add_argument("--phrase", action="append", default=[], metavar="TEXT",
                   help='multiword unit joined into one token (repeatable): --phrase "white phosphorus"')
    g.add_argument("--phrases-file", help="file with one multiword unit per line (UTF-8)")
    g.add_argument("--arabic-proclitics", action=argparse.BooleanOptionalAction, default=True,
                   help="split off Arabic proclitics و ف ب ك ل ال (default: on)")
    g.add_argument("--no-credits", action="store_true", help="keep agency credits and bylines in the text")
    g.add_argument("--no-merge-variants", action="store_true", help="count spelling variants apart (US-led, U.S.-led)")
    g.add_argument("--no-possessives", action="store_true", help="leave possessives (Syria's, Syrias) whole")
    g.add_argument("--no-arabic-normalize", action="store_true", help="no Arabic normalisation")
    g.add_argument("--include-duplicates", action="store_true", help="count documents marked as duplicates")


def token_options(args) -> TokenOptions:
    """Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    TokenOptions
    """
    phrases = list(args.phrase)
    if args.phrases_file:
        path = Path(args.phrases_file)
        if not path.is_file():
            raise FramescopeError(f"no phrases file at {path}")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise FramescopeError(f"{path} is not UTF-8 text") from None
        phrases += [l.strip() for l in lines if l.strip() and not l.startswith("#")]
    if args.min_length < 0:
        raise FramescopeError("--min-length must be >= 0")
    return TokenOptions(lowercase=not args.no_lowercase, stem=args.stem, stopwords=not args.keep_stopwords,
                        keep_words=tuple(args.keep_word), numbers=args.numbers, min_length=args.min_length,
                        arabic_proclitics=args.arabic_proclitics, credits=not args.no_credits,
                        merge_variants=not args.no_merge_variants, possessives=not args.no_possessives,
                        arabic_normalize=not args.no_arabic_normalize, phrases=tuple(phrases))


def _load(path: str, out: str | None = None, suffixes: tuple[str, ...] = (".csv",), stream: bool = False):
    """Check the output name before the (possibly long) computation, then load the corpus
    (with ``stream``: only check the folder; the statistics read it by partitions,
    :mod:`framescope.analysis.partitioned`)."""
    if out is not None and Path(out).suffix.lower() not in suffixes:
        raise FramescopeError(f"--out must end in {' or '.join(suffixes)}, not {Path(out).name!r}")
    from framescope.corpus import load
    from framescope.corpus.store import corpus_folder
    return corpus_folder(path) if stream else load(path)


def check_arguments(args, by: str | None = None, queries: dict[str, str | None] | None = None,
                    intervals: bool = True) -> None:
    """Check ``--lang``, the grouping ``by`` and the queries against the corpus folder
    before the long part (one-line errors naming what is available and the closest match;
    warnings for groups of one document when the command reports intervals).

    Parameters
    ----------
    args : argparse.Namespace
    by : str, optional
    queries : dict of str to str, optional
        Option name → pandas query.
    intervals : bool
        Warn about groups of one document.

    Returns
    -------
    None
    """
    from framescope.corpus.checks import check_column_expression, check_corpus_arguments

    lang = getattr(args, "lang", None)
    subset = getattr(args, "query", None)
    dups = getattr(args, "include_duplicates", False)
    if intervals:
        check_corpus_arguments(args.corpus, lang=lang, by=by, queries=queries, subset=subset,
                               include_duplicates=dups)
    else:
        check_corpus_arguments(args.corpus, lang=lang, queries=queries, subset=subset, include_duplicates=dups)
        check_column_expression(args.corpus, by)


def _json_default(o):
    if isinstance(o, (pd.Timestamp,)):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def write_table(table: pd.DataFrame, out: str | None, argv_command: str) -> None:
    """CSV to ``out`` (or stdout) and, with a file, its ``.meta.json``.

    Parameters
    ----------
    table : pandas.DataFrame
    out : str or None
    argv_command : str
        The command line recorded in the ``.meta.json``.

    Returns
    -------
    None
    """
    if out is None:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    path = Path(out)
    if path.suffix.lower() != ".csv":
        raise FramescopeError(f"--out must end in .csv, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n")
    _write_meta(path, table, argv_command)
    print(f"wrote {len(table)} rows to {path}", file=sys.stderr)


def _write_meta(path: Path, table: pd.DataFrame, argv_command: str) -> None:
    from framescope.corpus import __version__
    with_meta(table)  # every output records the versions of the key packages
    meta = {"command": argv_command, "framescope_version": __version__, "rows": len(table),
            "columns": list(table.columns), **table.attrs}
    path.with_name(path.name + ".meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True, default=_json_default) + "\n",
        encoding="utf-8")


def record(table: pd.DataFrame, args, corpus) -> pd.DataFrame:
    """``table`` with its corpus_id, the command's options, seed and the package versions
    in its attrs (:func:`framescope.corpus.provenance.with_meta`), as written to ``<FILE>.meta.json``.

    Parameters
    ----------
    table : pandas.DataFrame
    args : argparse.Namespace
    corpus : Corpus or path-like

    Returns
    -------
    pandas.DataFrame
        ``table`` (its ``attrs`` updated).
    """
    options = {k: v for k, v in sorted(vars(args).items()) if k not in ("func", "command") and not callable(v)}
    return with_meta(table, corpus=corpus, options=options, seed=getattr(args, "seed", None))


def _command_line() -> str:
    return " ".join(["framescope", *sys.argv[1:]])


# --- commands ----------------------------------------------------------------------------------

def add_commands(sub) -> None:
    """Parameters
    ----------
    sub : argparse subparsers action

    Returns
    -------
    None
    """
    p = sub.add_parser("freq", help="term frequencies by group (per million, documents, DP)",
                       description="Per-group frequency list: group, lang, term, freq, per_million, docs, "
                                   "doc_share, size, n_docs, dp, dp_norm.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--by", default="source_type", help="document column or expression (default source_type)")
    p.add_argument("--min-freq", type=int, default=1)
    p.add_argument("--top", type=int, help="keep the N most frequent terms per group and language")
    p.add_argument("--out", help="CSV file (default: stdout)")
    add_token_options(p)
    add_backend_arguments(p)
    add_match_dates(p)
    p.set_defaults(func=cmd_freq)

    p = sub.add_parser("kwic", help="keyword in context",
                       description="Concordance of a word, phrase, glob (strike*) or regex (re:...).")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("pattern", metavar="PATTERN")
    p.add_argument("--by", help="document column shown as group")
    p.add_argument("--window", type=int, default=8, help="tokens each side (default 8)")
    p.add_argument("--type", dest="pattern_type", default="auto",
                   choices=("auto", "word", "phrase", "glob", "regex"))
    p.add_argument("--sort", choices=("left", "right", "doc"), help="sort by left or right context")
    p.add_argument("--lang", help="only segments in this language")
    p.add_argument("--limit", type=int, help="at most N lines")
    p.add_argument("--include-duplicates", action="store_true")
    p.add_argument("--out", help="FILE.csv or FILE.html (default: CSV on stdout)")
    p.set_defaults(func=cmd_kwic)

    p = sub.add_parser("keyness", help="key terms of a target against a reference",
                       description="Signed G2, p values (BH/Bonferroni), log ratio with a document "
                                   "bootstrap CI, %%DIFF, chi2, log-odds z, document counts.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--target", help="pandas query on document metadata, e.g. \"source_type == 'state_media'\"")
    p.add_argument("--reference", help="query for the reference (default: the rest of the corpus)")
    p.add_argument("--by", help="instead of --target: each group of this column against the rest")
    p.add_argument("--min-freq", type=int, default=5, help="minimum target+reference frequency (default 5)")
    p.add_argument("--n-boot", dest="n_boot", type=int, default=1000,
                   help="bootstrap replicates (default 1000; 0 = none)")
    p.add_argument("--ci", type=float, default=0.95)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--adjust", choices=("bh", "by", "holm", "bonferroni", "none"), default="bh")
    p.add_argument("--prior", choices=("groups", "corpus", "scaled"), default="groups",
                   help="log-odds prior: the two groups (default), the whole corpus, or Monroe's scaled prior")
    p.add_argument("--prior-size", type=float, help="alpha_0 of --prior scaled (default 1000)")
    p.add_argument("--out", required=True, help="CSV file")
    add_token_options(p)
    add_backend_arguments(p)
    add_match_dates(p)
    p.set_defaults(func=cmd_keyness)

    p = sub.add_parser("collocates", help="window collocates of a node word by group",
                       description="o11, f_node, f_collocate, n, window, expected, logDice, PMI, MI3, G2, t.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("node", metavar="NODE", help='a word or phrase ("US-led coalition")')
    p.add_argument("--by", default="source_type", help="document column or expression (default source_type)")
    p.add_argument("--span", type=int, default=5, help="tokens each side (default 5)")
    p.add_argument("--left", type=int, help="tokens to the left (overrides --span)")
    p.add_argument("--right", type=int, help="tokens to the right (overrides --span)")
    p.add_argument("--span-unit", default="tokens", choices=("tokens", "running_words"),
                   help="count the span in tokens after stopword removal (default) or in running words")
    p.add_argument("--min-freq", type=int, default=3, help="minimum co-occurrences (default 3)")
    p.add_argument("--measure", default="logdice", choices=("logdice", "pmi", "mi3", "g2", "t_score", "o11"))
    p.add_argument("--compare", nargs=2, metavar=("G1", "G2"),
                   help="also write FILE.profiles.csv: side-by-side profiles of two groups")
    p.add_argument("--top", type=int, default=30, help="collocates per group in --compare profiles")
    p.add_argument("--out", required=True, help="CSV file")
    add_token_options(p)
    add_backend_arguments(p)
    add_match_dates(p)
    p.set_defaults(func=cmd_collocates)

    p = sub.add_parser("ngrams", help="n-gram frequencies or bigram collocations by group",
                       description="With --measure, bigram association (NLTK measures, exact counts).")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--n", type=int, default=2)
    p.add_argument("--by", default="source_type", help="document column or expression (default source_type)")
    p.add_argument("--min-freq", type=int, default=2)
    p.add_argument("--measure", help="bigram association measure: g2, pmi, chi2, t_score, dice, ...")
    p.add_argument("--top", type=int, help="keep N rows per group and language")
    p.add_argument("--out", help="CSV file (default: stdout)")
    add_token_options(p)
    add_backend_arguments(p)
    add_match_dates(p)
    p.set_defaults(func=cmd_ngrams)


def _size_warnings_as_lines(cmd):
    """Run ``cmd`` printing each small-group warning once, as one line."""
    @functools.wraps(cmd)
    def run(args) -> int:
        with size_warnings_as_lines():
            return cmd(args)
    return run


def _top(table: pd.DataFrame, n: int | None, keys: list[str]) -> pd.DataFrame:
    if n is None:
        return table
    if n < 1:
        raise FramescopeError("--top must be >= 1")
    return table.groupby(keys, sort=False, group_keys=False).head(n).reset_index(drop=True)


@_size_warnings_as_lines
def cmd_freq(args) -> int:
    """Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    int
        Exit status 0 (errors raise :class:`~framescope.corpus.errors.FramescopeError`:
        one line, exit 2).
    """
    from framescope.analysis.counts import frequencies
    corpus = _load(args.corpus, args.out, stream=True)
    check_arguments(args, by=args.by, intervals=False)
    table = frequencies(corpus, by=args.by, options=token_options(args), lang=args.lang,
                        min_freq=args.min_freq, include_duplicates=args.include_duplicates,
                        backend=backend_from_args(args), match_dates=match_dates(args))
    attrs = dict(table.attrs)
    table = _top(table, args.top, ["group", "lang"])
    table.attrs.update(attrs)
    write_table(record(table, args, corpus), args.out, _command_line())
    return 0


def cmd_kwic(args) -> int:
    """Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    int
        Exit status 0 (errors raise :class:`~framescope.corpus.errors.FramescopeError`:
        one line, exit 2).
    """
    from framescope.analysis.kwic import kwic, write_kwic
    corpus = _load(args.corpus, args.out, (".csv", ".html", ".htm"))
    check_arguments(args, by=args.by, intervals=False)
    table = kwic(corpus, args.pattern, window=args.window, by=args.by, pattern_type=args.pattern_type,
                 sort=args.sort, lang=args.lang, include_duplicates=args.include_duplicates, limit=args.limit)
    if table.empty:
        where = f"the {args.lang!r} segments of the corpus" if args.lang else "the corpus"
        raise FramescopeError(f"{args.pattern!r} ({table.attrs.get('pattern_type', args.pattern_type)}) does not "
                              f"occur in {where}: no concordance lines")
    if args.out is None:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    path = write_kwic(table, args.out)
    _write_meta(path, record(table, args, corpus), _command_line())
    print(f"wrote {len(table)} lines ({table.attrs.get('n_matches', len(table))} matches) to {path}",
          file=sys.stderr)
    return 0


@_size_warnings_as_lines
def cmd_keyness(args) -> int:
    """Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    int
        Exit status 0 (errors raise :class:`~framescope.corpus.errors.FramescopeError`:
        one line, exit 2).
    """
    from framescope.analysis.keyness import keyness, keyness_groups
    if bool(args.target) == bool(args.by):
        raise FramescopeError("give either --target QUERY (optionally --reference QUERY) or --by COLUMN")
    if args.by and args.reference:
        raise FramescopeError("--reference goes with --target, not with --by")
    if args.n_boot < 0:
        raise FramescopeError("--n-boot must be >= 0")
    corpus = _load(args.corpus, args.out, stream=True)
    check_arguments(args, by=args.by, queries={"--target": args.target, "--reference": args.reference},
                    intervals=args.n_boot > 0)
    common = dict(options=token_options(args), lang=args.lang, min_freq=args.min_freq, n_boot=args.n_boot,
                  ci=args.ci, seed=args.seed, adjust=args.adjust, include_duplicates=args.include_duplicates,
                  backend=backend_from_args(args), prior=args.prior, prior_size=args.prior_size,
                  match_dates=match_dates(args))
    if args.target:
        table = keyness(corpus, args.target, args.reference, **common)
    else:
        table = keyness_groups(corpus, by=args.by, **common)
    skipped = table.attrs.get("languages_one_side_only") or []
    if skipped:
        print(f"note: not compared (present on one side only): {', '.join(skipped)}", file=sys.stderr)
    write_table(record(table, args, corpus), args.out, _command_line())
    return 0


@_size_warnings_as_lines
def cmd_collocates(args) -> int:
    """Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    int
        Exit status 0 (errors raise :class:`~framescope.corpus.errors.FramescopeError`:
        one line, exit 2).
    """
    from framescope.analysis.collocations import collocate_profiles, collocates
    corpus = _load(args.corpus, args.out, stream=True)
    check_arguments(args, by=args.by, intervals=False)
    table = collocates(corpus, args.node, by=args.by, span=args.span, left=args.left, right=args.right,
                       options=token_options(args), lang=args.lang, min_freq=args.min_freq,
                       measure=args.measure, include_duplicates=args.include_duplicates,
                       backend=backend_from_args(args), span_unit=args.span_unit,
                       match_dates=match_dates(args))
    write_table(record(table, args, corpus), args.out, _command_line())
    if args.compare:
        measure = args.measure if args.measure != "o11" else "logdice"
        prof = collocate_profiles(table, tuple(args.compare), measure=measure, top=args.top)
        prof.attrs.update(table.attrs)
        out = Path(args.out)
        write_table(prof, str(out.with_name(out.stem + ".profiles.csv")), _command_line())
    return 0


@_size_warnings_as_lines
def cmd_ngrams(args) -> int:
    """Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    int
        Exit status 0 (errors raise :class:`~framescope.corpus.errors.FramescopeError`:
        one line, exit 2).
    """
    from framescope.analysis.collocations import bigram_collocations, ngrams
    corpus = _load(args.corpus, args.out, stream=True)  # counted by partitions, with a progress bar
    check_arguments(args, by=args.by, intervals=False)
    options = token_options(args)
    if args.measure:
        if args.n != 2:
            raise FramescopeError("association measures are for bigrams: use --n 2 with --measure")
        table = bigram_collocations(corpus, by=args.by, measure=args.measure, options=options, lang=args.lang,
                                    min_freq=args.min_freq, include_duplicates=args.include_duplicates,
                                    backend=backend_from_args(args), match_dates=match_dates(args))
    else:
        if args.n < 1:
            raise FramescopeError("--n must be >= 1")
        table = ngrams(corpus, n=args.n, by=args.by, options=options, lang=args.lang, min_freq=args.min_freq,
                       include_duplicates=args.include_duplicates, backend=backend_from_args(args),
                       match_dates=match_dates(args))
    attrs = dict(table.attrs)
    table = _top(table, args.top, ["group", "lang"])
    table.attrs.update(attrs)
    write_table(record(table, args, corpus), args.out, _command_line())
    return 0
command_line = _command_line  # public name for other modules
load_for_command = _load  # public name for other modules
