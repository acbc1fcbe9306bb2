"""Options and helpers shared by the command modules (no command of its own).

``--match-dates`` and the one-line size warnings are the same in ``framescope freq``,
``keyness``, ``collocates``, ``ngrams``, the framing and the topic commands.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import warnings

__all__ = ["add_match_dates", "match_dates", "size_warnings_as_lines"]


def add_match_dates(p: argparse.ArgumentParser, what: str = "the groups") -> None:
    """Add ``--match-dates {day,week}``: compare the groups on the days (ISO weeks) they all cover.

    Parameters
    ----------
    p : argparse.ArgumentParser
        The command's parser.
    what : str
        What is restricted, in the help text.
    """
    p.add_argument("--match-dates", choices=("day", "week"), default=None,
                   help=f"restrict {what} to the days (or ISO weeks) that every group covers; documents outside "
                        "them and undated ones are left out and counted in the .meta.json (default: all dates)")


def match_dates(args) -> bool | str:
    """``--match-dates`` as the library's ``match_dates`` (False when absent or not an option).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.

    Returns
    -------
    bool or str
        False, ``"day"`` or ``"week"``.
    """
    return getattr(args, "match_dates", None) or False


@contextlib.contextmanager
def size_warnings_as_lines():
    """Print each :class:`~framescope.analysis.groups.SmallGroupWarning` of a command once, as
    one line ``framescope: warning: groups under the floor ...`` (not Python's two-line
    warning with a source line); other warnings are shown as usual.

    Yields
    ------
    None
        The body of the ``with`` block runs while the warnings are collected.
    """
    from framescope.analysis.groups import SmallGroupWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SmallGroupWarning)
        yield
    seen = set()
    for w in caught:
        if issubclass(w.category, SmallGroupWarning):
            if str(w.message) not in seen:
                seen.add(str(w.message))
                print(f"framescope: warning: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
