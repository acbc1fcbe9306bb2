"""Where the shared corpora live: ``$FRAMESCOPE_DATA`` first, then ``../shared/corpora``."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder holding the shared collections (seeds/, fakes/, saudinewsnet/).

    ``$FRAMESCOPE_DATA`` wins; otherwise ``../shared/corpora`` relative to the project
    root, then relative to the current directory. The path is returned even if absent,
    so callers can name it in their message.

    Returns
    -------
    pathlib.Path
        The folder (it may not exist).
    """
    env = os.environ.get("FRAMESCOPE_DATA")
    if env:
        return Path(env).expanduser()
    for base in (PROJECT_ROOT, Path.cwd()):
        candidate = (base / ".." / "shared" / "corpora").resolve()
        if candidate.is_dir():
            return candidate
    return (PROJECT_ROOT / ".." / "shared" / "corpora").resolve()


def collection_path(name: str) -> Path:
    """Path of one shared collection, e.g. ``collection_path('fakes')``.

    Parameters
    ----------
    name : str
        The collection's folder name (``seeds``, ``fakes``, ``saudinewsnet``).

    Returns
    -------
    pathlib.Path
        ``data_dir() / name`` (it may not exist).
    """
    return data_dir() / name


SEEDS = "seeds"
FAKES = "fakes"
SAUDINEWSNET = "saudinewsnet"
FAKES_CSV = "fakes/FA-KES-Dataset.csv"
