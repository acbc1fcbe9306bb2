"""Interoperability subcommands: ``export`` and ``cite``."""
from __future__ import annotations


def add_commands(sub) -> None:
    """Add the ``export`` and ``cite`` subcommands to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    from framescope.analysis.export import BY_FORMATS, DEFAULT_BY, FORMATS

    p = sub.add_parser(
        "export", help="export a corpus for CWB/CQPweb, quanteda, MALLET, AntConc, pandas",
        description="vrt: CWB vertical text + cwb-encode script and registry entry; "
                    "quanteda: CSV for readtext/quanteda; mallet: one file per language; "
                    "txt: one .txt per document in folders by --by, with metadata.csv; "
                    "parquet/csv: documents and segments as they are. See docs/interop.md.")
    p.add_argument("corpus", metavar="DIR", help="corpus folder written by framescope build")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="PATH",
                   help="file for vrt and quanteda, folder for mallet, txt, parquet and csv")
    p.add_argument("--by", metavar="COLUMN",
                   help=f"{' and '.join(BY_FORMATS)}: document column naming the folders (txt) "
                        f"or labels (mallet); default {DEFAULT_BY}")
    p.add_argument("--query", help="export only the documents matching this pandas query "
                                    "on document metadata, e.g. \"lang == 'ar'\"")
    p.add_argument("--exclude-duplicates", action="store_true",
                   help="leave out documents marked duplicate_of (kept by default, with the column)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("cite", help="citations of the software and of the data a corpus was built from")
    p.add_argument("corpus", metavar="DIR", help="corpus folder written by framescope build")
    p.add_argument("--format", choices=("text", "bibtex"), default="text")
    p.set_defaults(func=cmd_cite)


def cmd_export(args) -> int:
    """Run ``framescope export`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    import framescope.corpus as corpus_pkg
    from framescope.analysis.export import export

    corpus = corpus_pkg.load(args.corpus).subset(args.query)
    result = export(corpus, args.format, args.out, by=args.by,
                    include_duplicates=not args.exclude_duplicates)
    info = result.info
    what = f"{result.documents} documents"
    if "tokens" in info:
        what += f", {info['tokens']} tokens"
    if "documents_by_lang" in info:
        what += " (" + ", ".join(f"{lang}: {n}" for lang, n in info["documents_by_lang"].items()) + ")"
    others = [f.name for f in result.files[1:]]
    extra = f" (+ {', '.join(others)})" if result.format in ("vrt", "quanteda") else ""
    print(f"exported {what} as {result.format} to {result.path}{extra}")
    shortened = info.get("cwb", {}).get("shortened_attribute_values", 0)
    if shortened:
        print(f"note: {shortened} attribute values were shortened to keep <text> lines within "
              "cwb-encode's line limit")
    return 0


def cmd_cite(args) -> int:
    """Run ``framescope cite`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    from framescope.corpus.cite import cite

    print(cite(args.corpus, args.format))
    return 0
