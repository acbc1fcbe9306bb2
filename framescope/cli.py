"""The ``framescope`` command line.

Each stage registers its own subcommands: a module listed in :data:`COMMAND_MODULES`
exposes ``add_commands(subparsers)`` and sets ``func`` on each parser it adds. Errors in
arguments or inputs end in one line on stderr (exit 2), never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from framescope.corpus.checks import closest, did_you_mean, take_warnings
from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import set_progress

#: Modules that add subcommands, in the order they appear in ``framescope --help``.
COMMAND_MODULES = [
    "framescope.commands.build",
    "framescope.commands.export",
    "framescope.commands.stats",
    "framescope.commands.framing",
    "framescope.commands.topics",
    "framescope.commands.rigour",
    "framescope.commands.events",
    "framescope.commands.tokens",
]


class Parser(argparse.ArgumentParser):
    """An argparse parser with "did you mean" for misspelled subcommands, choices and options.

    Python 3.14's ``suggest_on_error`` covers choices only; this works on 3.10+ and also
    suggests for unknown options (see :func:`main`).

    Parameters
    ----------
    prog, usage, description, epilog, parents, formatter_class, prefix_chars, fromfile_prefix_chars, argument_default, conflict_handler, add_help, allow_abbrev, exit_on_error : as in argparse.ArgumentParser
        Passed on unchanged.
    """

    def _check_value(self, action, value):
        # argparse's own check, plus the closest choice in the message
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            raise argparse.ArgumentError(action, f"invalid choice: {value!r} (choose from {', '.join(choices)})"
                                                 f"{did_you_mean(str(value), choices)}")

    def option_strings(self) -> list[str]:
        """The long options (``--name``) of this parser, for "did you mean".

        Returns
        -------
        list of str
            Every ``--`` option string of the parser's actions, in definition order.
        """
        return [o for a in self._actions for o in a.option_strings if o.startswith("--")]


def unknown_arguments_message(parser: argparse.ArgumentParser, extras: list[str]) -> str:
    """Build argparse's "unrecognized arguments" message with the closest known options.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The (sub)command's parser; a :class:`Parser` knows its options, another parser
        gives the message without suggestions.
    extras : list of str
        The arguments ``parse_known_args`` did not recognise.

    Returns
    -------
    str
        ``unrecognized arguments: ...`` followed by ``(did you mean --x?)`` for each
        misspelled option that has a close match.
    """
    options = parser.option_strings() if isinstance(parser, Parser) else []
    pairs = [(extra, match[0]) for extra in extras if extra.startswith("-")
             for match in [closest(extra.split("=", 1)[0], options)] if match]
    message = f"unrecognized arguments: {' '.join(extras)}"
    if len(pairs) == 1:
        return f"{message} (did you mean {pairs[0][1]}?)"
    if pairs:
        return f"{message} (did you mean {', '.join(f'{m} for {e}' for e, m in pairs)}?)"
    return message


def make_parser() -> argparse.ArgumentParser:
    """Build the ``framescope`` parser with the subcommands of :data:`COMMAND_MODULES`.

    Returns
    -------
    Parser
        The top-level parser; ``parser.subcommands`` holds the subparsers action, whose
        ``choices`` map command names to their parsers.
    """
    from framescope.corpus import __version__

    parser = Parser(
        prog="framescope",
        description="Compare how state media, NGOs and wire services cover the same events.")
    parser.add_argument("--version", action="version", version=f"framescope {__version__}")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bars (default: shown on a terminal and in notebooks; "
                             "FRAMESCOPE_PROGRESS=0 also turns them off)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.subcommands = sub  # main() finds the subcommand's parser here for its error messages
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``framescope`` command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 2 for a :class:`~framescope.corpus.errors.FramescopeError`
        (printed as one line ``framescope: error: ...`` on stderr) or no command, 130 when
        interrupted, 141 when the reader of stdout went away.
    """
    parser = make_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        command = parser.subcommands.choices.get(getattr(args, "command", None), parser)
        command.error(unknown_arguments_message(command, extras))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.no_progress:
        set_progress(False)
    take_warnings()
    try:
        result = args.func(args)
        sys.stdout.flush()
        for warning in take_warnings():
            print(f"framescope: warning: {warning}", file=sys.stderr)
    except FramescopeError as exc:
        take_warnings()  # a failed command says one line: its error
        print(f"framescope: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framescope: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``framescope info DIR | head``): stop quietly, as
        # command-line tools do; stdout now goes nowhere so that the interpreter's final
        # flush does not fail a second time
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # 128 + SIGPIPE, what a shell reports for a reader that stopped early
    finally:
        if args.no_progress:
            set_progress(None)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
