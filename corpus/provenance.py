"""What a result table was made from: corpus, options, seed and package versions.

Result tables carry this in ``DataFrame.attrs`` (:func:`with_meta`), and the command line
writes it next to every output as ``<FILE>.meta.json``. The versions are those of the
packages whose releases can change a number or a figure (:data:`KEY_PACKAGES`): two
outputs with the same corpus_id, options, seed and versions are the same.
"""
from __future__ import annotations

import functools
import json
import os
import platform
import sys
from dataclasses import asdict, is_dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

__all__ = ["KEY_PACKAGES", "package_versions", "with_meta"]

#: Distributions whose versions are recorded (numbers, tokens, models, figures, files).
KEY_PACKAGES = ("framescope", "numpy", "pandas", "scipy", "pyarrow", "nltk", "gensim", "networkx",
                "matplotlib", "lingua-language-detector", "stopwordsiso", "trafilatura",
                "lxml", "charset-normalizer", "fontpkg-noto-sans-arabic", "dask", "tqdm")


@functools.lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Report Python, the platform and the installed version of each of :data:`KEY_PACKAGES`.

    Returns
    -------
    dict of str to str
        Package (and ``python``, ``platform``) → version, ``"not installed"`` for an absent one.
    """
    versions = {"python": platform.python_version(), "platform": f"{sys.platform}-{platform.machine()}"}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _plain(options):
    if options is None or isinstance(options, dict):
        return options
    if hasattr(options, "as_dict"):
        return options.as_dict()
    if is_dataclass(options):
        return asdict(options)
    return str(options)


def _corpus_id(corpus) -> str | None:
    if isinstance(corpus, str):
        return corpus
    if isinstance(corpus, os.PathLike):  # a corpus folder: its manifest says
        try:
            return json.loads((Path(corpus) / "manifest.json").read_text(encoding="utf-8")).get("corpus_id")
        except (OSError, ValueError):
            return None
    return getattr(corpus, "corpus_id", None)


def with_meta(table: pd.DataFrame, corpus=None, options=None, seed: int | None = None,
              **extra) -> pd.DataFrame:
    """Record a table's provenance in ``table.attrs`` (in place; returned for chaining).

    Keys the analysis already set are kept unless given here.

    Parameters
    ----------
    table : pandas.DataFrame
        A result table.
    corpus : Corpus, pathlib.Path or str, optional
        A Corpus, a corpus folder, or a corpus_id: sets ``corpus_id``.
    options : object, optional
        A config object such as :class:`framescope.analysis.tokens.TokenOptions`, or a dict:
        sets ``options``.
    seed : int, optional
        Sets ``seed``.
    **extra
        More keys to set.

    Returns
    -------
    pandas.DataFrame
        ``table``, whose attrs now also hold ``versions`` (:func:`package_versions`).
    """
    if corpus is not None:
        table.attrs["corpus_id"] = _corpus_id(corpus)
    if options is not None:
        table.attrs["options"] = _plain(options)
    if seed is not None:
        table.attrs["seed"] = seed
    table.attrs.update(extra)
    table.attrs["versions"] = dict(package_versions())
    return table
