"""The ``framescope`` command line.

Each stage registers its own subcommands: a module listed in :data:`COMMAND_MODULES`
exposes ``add_commands(subparsers)`` and sets ``func`` on each parser it adds. Errors in
arguments or inputs end in one line on stderr (exit 2), never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from corpus.errors import FramescopeError

#: Modules that add subcommands, in the order they appear in ``framescope --help``.
COMMAND_MODULES = [
    "corpus.commands",
    "corpus.commands_export",
    "analysis.commands_stats",
    "analysis.commands_framing",
    "analysis.commands_topics",
    "analysis.commands_rigour",
    "analysis.commands_tokens",
]


def make_parser() -> argparse.ArgumentParser:
    from corpus import __version__

    parser = argparse.ArgumentParser(
        prog="framescope",
        description="Compare how state media, NGOs and wire services cover the same events.")
    parser.add_argument("--version", action="version", version=f"framescope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        result = args.func(args)
    except FramescopeError as exc:
        print(f"framescope: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framescope: interrupted", file=sys.stderr)
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
