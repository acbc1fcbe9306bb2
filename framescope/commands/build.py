"""Corpus subcommands: ``build``, ``info`` and ``demo``."""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import add_backend_arguments, backend_from_args

DEFAULT_CORPUS_DIR = Path("out") / "corpus"


def parse_opts(pairs: list[str] | None) -> dict[str, str]:
    """Read ``--opt KEY=VALUE`` pairs: ``['encoding=cp1256', 'dayfirst=1']`` → dict.

    Parameters
    ----------
    pairs : list of str or None
        The pairs as given.

    Returns
    -------
    dict of str to str
        Key → value.

    Raises
    ------
    FramescopeError
        For a pair without ``=``.
    """
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise FramescopeError(f"--opt expects KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def add_commands(sub) -> None:
    """Add the ``build``, ``info`` and ``demo`` subcommands to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    p = sub.add_parser("build", help="build a corpus folder from sources",
                       description="Sources: default | text:DIR | fakes:FILE | saudinewsnet:DIR | "
                                   "csv:FILE | jsonl:FILE (and the web loaders).")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="KIND:PATH, or 'default'")
    p.add_argument("--out", required=True,
                   help="corpus folder to write: absent, empty, or an earlier corpus (replaced atomically)")
    p.add_argument("--registry", help="CSV of outlets that adds to or overrides the shipped registry")
    p.add_argument("--map", help="column mapping for csv/jsonl: text=body,date=published,...")
    p.add_argument("--encoding", help="input encoding (default: detected)")
    p.add_argument("--opt", action="append", metavar="KEY=VALUE", help="loader option (repeatable)")
    p.add_argument("--dedup-threshold", type=float, default=0.8,
                   help="MinHash Jaccard at which documents count as near duplicates (default 0.8)")
    p.add_argument("--reuse", action="store_true",
                   help="keep the folder if it already holds this corpus (same corpus_id)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_backend_arguments(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("info", help="counts of a built corpus")
    p.add_argument("corpus", metavar="DIR")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("demo", help="build the default corpus and run the paper's analyses")
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS_DIR), help="where the default corpus lives")
    p.add_argument("--figures", default="figures", help="folder for the figures and their README.md (default figures/)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the corpus even if present")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set a notebook parameter, as papermill -p (e.g. -p N_BOOT 2000; YAML values)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="notebooks run at once, each process holding the corpus (about 2 GB each; default: the "
                        "cores available, at most 4; 1: one after the other); the figures are the same with any N")
    p.set_defaults(func=cmd_demo)


def _options(args) -> dict[str, str]:
    opts = parse_opts(args.opt)
    if args.map:
        opts["map"] = args.map
    if args.encoding:
        opts["encoding"] = args.encoding
    return opts


def cmd_build(args) -> int:
    """Run ``framescope build`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.corpus.build import build

    if not 0 < args.dedup_threshold <= 1:
        raise FramescopeError("--dedup-threshold must be in (0, 1]")
    result = build(args.sources, args.out, registry_file=args.registry, options=_options(args),
                   progress=False if args.no_progress else None,
                   dedup_threshold=args.dedup_threshold, reuse=args.reuse,
                   backend=backend_from_args(args))
    c = result.manifest["counts"]
    print(f"built {result.path}: {c['documents']} documents, {c['segments']} segments, "
          f"{sum(c['rejects'].values())} rejects; corpus_id {result.manifest['corpus_id']}; "
          f"{result.seconds:.1f} s, peak RSS {result.peak_rss_mb:.0f} MB")
    return 0


def text_table(rows: list[tuple], headers: tuple[str, ...], indent: str = "  ") -> list[str]:
    """Lay out a plain-text table: a header, a rule, the rows.

    Text columns are left-aligned, numbers right-aligned, every column as wide as its widest cell.

    Parameters
    ----------
    rows : list of tuple
        The rows.
    headers : tuple of str
        The column names.
    indent : str, default "  "
        Put before every line.

    Returns
    -------
    list of str
        The lines.
    """
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values):
        return indent + "  ".join(v.rjust(w) if num else v.ljust(w)
                                  for v, w, num in zip(values, widths, numeric)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *(line(r) for r in cells)]


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "(missing)" if value is None or value != value else str(value)


def summary(corpus) -> str:
    """Write the text ``framescope info`` prints.

    Totals, then one aligned table per breakdown (documents and their share of the corpus).

    Parameters
    ----------
    corpus : Corpus
        The corpus.

    Returns
    -------
    str
        The text.
    """
    docs, segs = corpus.documents, corpus.segments
    dates = docs["date"].dropna()
    span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    lines = [f"corpus {corpus.path}  id {corpus.corpus_id}",
             f"{len(docs):,} documents, {len(segs):,} segments, {len(corpus.rejects):,} rejects, "
             f"{int(docs['duplicate_of'].notna().sum()):,} marked duplicates, "
             f"{int(docs['wire_credit'].notna().sum()):,} with a wire credit",
             f"dates: {span} ({len(docs) - len(dates):,} documents undated)", ""]

    def block(title, counts: pd.Series, names: tuple[str, ...], unit: str = "documents"):
        total = int(counts.sum())
        rows = [(*(key if isinstance(key, tuple) else (key,)), int(n), 100.0 * n / total if total else 0.0)
                for key, n in counts.items()]
        lines.append(title)
        lines.extend(text_table(rows, (*names, unit, "%")))
        lines.append("")

    def counts(frame, columns):
        return frame.groupby(columns, dropna=False).size().sort_index()

    block("by collection", counts(docs, ["collection"]), ("collection",))
    block("by source type", counts(docs, ["source_type"]), ("source type",))
    block("by outlet", counts(docs, ["outlet", "source_type"]), ("outlet", "source type"))
    block("by main language", counts(docs, ["lang"]), ("language",))
    block("segments by role", counts(segs, ["role"]), ("role",), "segments")
    block("segments by language", counts(segs, ["lang"]), ("language",), "segments")
    if len(docs["wire_credit"].dropna()):
        block("wire credits", counts(docs.dropna(subset=["wire_credit"]), ["wire_credit"]), ("credit",))
    if len(corpus.rejects):
        from framescope.corpus.build import reason_class

        block("rejects by reason", corpus.rejects["reason"].map(reason_class).value_counts().sort_index(),
              ("reason",), "rejects")
    unknown = sorted(docs.loc[docs["source_type"] == "unknown", "outlet"].dropna().unique())
    lines.append("outlets of unknown type: " + (", ".join(unknown) if unknown else "none"))
    return "\n".join(lines)


def cmd_info(args) -> int:
    """Run ``framescope info`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    import framescope.corpus as corpus_pkg

    print(summary(corpus_pkg.load(args.corpus)))
    return 0


def cmd_demo(args) -> int:
    """Run ``framescope demo`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.demo import run_demo

    import yaml

    run_demo(args.corpus, args.figures, {name: yaml.safe_load(value) for name, value in args.parameter},
             rebuild=args.rebuild, jobs=args.jobs)
    return 0
