"""``framescope tokens CORPUS``: build (or list) the token store of a corpus folder.

Every command that tokenises a corpus folder writes its token store on first use and
reads it afterwards (:func:`framescope.analysis.tokens.tokens`); this command builds it explicitly,
with a progress bar, so that the first analysis is fast too.
"""
from __future__ import annotations

import json
import time


def add_commands(sub) -> None:
    """Add the ``tokens`` subcommand to the ``framescope`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of :func:`framescope.cli.make_parser`; each parser added sets ``func``.
    """
    from framescope.commands.stats import add_token_options

    p = sub.add_parser("tokens", help="tokenise a corpus once and keep the tokens beside it (token store)",
                       description="Build the token store of a corpus folder for the given token options "
                                   "(CORPUS/tokens/KEY: Parquet tokens, vocabulary, surface forms). Later "
                                   "commands with the same options read it instead of tokenising again.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--rebuild", action="store_true", help="build again even if the store exists")
    p.add_argument("--list", action="store_true", help="list the token stores of the corpus and exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--processes", type=int, default=None, metavar="N",
                   help="processes that tokenise (default: $FRAMESCOPE_TOKEN_PROCESSES, else 2 for a corpus of "
                        "5,000 documents or more on 2+ cores); the store is the same with any number")
    add_token_options(p)
    p.set_defaults(func=cmd_tokens)


def cmd_tokens(args) -> int:
    """Run ``framescope tokens`` on the parsed ``args``; return the exit status (errors raise FramescopeError)."""
    import importlib

    from framescope.commands.stats import token_options
    from framescope.analysis.token_store import list_stores
    from framescope.corpus.store import corpus_folder

    tok = importlib.import_module("framescope.analysis.tokens")
    folder = corpus_folder(args.corpus)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if args.list:
        table = list_stores(folder, manifest.get("corpus_id"))
        print(table.to_string(index=False) if len(table) else f"no token store in {folder}")
        return 0
    options = token_options(args)
    start = time.perf_counter()
    stored = tok.open_token_store(folder, options, progress=not args.quiet,
                                  rebuild=args.rebuild, processes=args.processes)
    meta = stored.meta
    how = "built" if meta.get("built") else "already built"
    print(f"{meta['path']}: {how}; {meta['n_documents']:,} documents, {meta['n_sentences']:,} sentences, "
          f"{meta['n_tokens']:,} tokens, {meta['n_types']:,} types"
          f"{', running words per document (group sizes)' if meta.get('document_sizes') else ''}; "
          f"key {meta['key']}; {time.perf_counter() - start:.1f} s")
    return 0
