"""Progress bars for long loops, in a terminal and in Jupyter (tqdm.auto).

``progress(iterable, total=..., desc=...)`` wraps a loop. Whether a bar is drawn:

* ``enabled=True`` / ``False``: always / never;
* ``enabled=None`` (the default): the process-wide setting (:func:`set_progress`; the
  environment variable ``FRAMESCOPE_PROGRESS=0`` or ``1``), else automatically — in a
  Jupyter kernel (a widget; ``ipywidgets`` is a dependency, so there is no "IProgress not
  found" warning) and when stderr is a terminal; never in tests, pipes or log files.

Bars go to stderr and disappear when their loop ends (``leave=False``), so the output
of a command (CSV on stdout, "wrote N rows" on stderr) stays as it was. Library loops
that take more than a few seconds take a ``progress`` argument or call this directly;
the command line passes ``--no-progress`` down as ``set_progress(False)``.
"""
from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, TypeVar

__all__ = ["progress", "set_progress", "progress_enabled", "in_kernel"]

T = TypeVar("T")

_SETTING: bool | None = None


def set_progress(enabled: bool | None) -> None:
    """Set the process-wide default of :func:`progress_enabled`.

    Parameters
    ----------
    enabled : bool or None
        True (always draw bars), False (never) or None (automatic).
    """
    global _SETTING
    _SETTING = enabled


def in_kernel() -> bool:
    """Tell whether the code runs inside a Jupyter (IPython) kernel.

    Returns
    -------
    bool
        True inside a kernel, False in a terminal, a script or a test.
    """
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def progress_enabled(enabled: bool | None = None) -> bool:
    """Decide whether :func:`progress` draws a bar (see the module docstring).

    Parameters
    ----------
    enabled : bool or None
        True / False decide; None follows :func:`set_progress`, then
        ``FRAMESCOPE_PROGRESS``, then draws in a kernel or on a terminal.

    Returns
    -------
    bool
        Whether to draw.
    """
    if enabled is not None:
        return bool(enabled)
    if _SETTING is not None:
        return _SETTING
    env = os.environ.get("FRAMESCOPE_PROGRESS", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    if in_kernel():
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress(iterable: Iterable[T], total: int | None = None, desc: str | None = None, unit: str = "it",
             enabled: bool | None = None, leave: bool = False) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm.auto progress bar (stderr) when :func:`progress_enabled`.

    Parameters
    ----------
    iterable : iterable
        The loop's items.
    total : int, optional
        Number of items (default ``len(iterable)`` when it has one).
    desc : str, optional
        The bar's label.
    unit : str, default "it"
        The unit shown.
    enabled : bool or None
        As :func:`progress_enabled`.
    leave : bool, default False
        Keep the bar after the loop ends.

    Yields
    ------
    object
        The items of ``iterable``, unchanged.
    """
    if not progress_enabled(enabled):
        yield from iterable
        return
    from tqdm.auto import tqdm

    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)
    with tqdm(iterable, total=total, desc=desc, unit=unit, leave=leave, file=sys.stderr,
              dynamic_ncols=True, mininterval=0.5) as bar:
        yield from bar
