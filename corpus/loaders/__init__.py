"""Loader registry. A source is written ``KIND:SPEC`` (``text:DIR``, ``fakes:FILE``...).

Each loader module has ``load(spec, options)`` yielding RawDocument and Reject, and
``inputs(spec, options)`` listing the local files it reads (for the manifest). Modules
may add ``partitions(spec, options)`` (one spec per independent partition, for parallel
builds), ``CITATION`` (the data set's citation, plain text) and ``BIBTEX`` (the same as
BibTeX entries); ``framescope cite`` prints them (:mod:`framescope.corpus.cite`).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

from framescope.corpus.errors import FramescopeError
from framescope.corpus.paths import collection_path

#: KIND → (module, load function name)
LOADERS: dict[str, tuple[str, str]] = {
    "text": ("framescope.corpus.loaders.textdir", "load"),
    "fakes": ("framescope.corpus.loaders.fakes", "load"),
    "saudinewsnet": ("framescope.corpus.loaders.saudinewsnet", "load"),
    "csv": ("framescope.corpus.loaders.tabular", "load_csv"),
    "jsonl": ("framescope.corpus.loaders.tabular", "load_jsonl"),
    "reliefweb": ("framescope.corpus.loaders.reliefweb", "load"),
    "gdelt": ("framescope.corpus.loaders.gdelt", "load"),
    "html": ("framescope.corpus.loaders.html", "load"),
    "warc": ("framescope.corpus.loaders.warc", "load"),
    "rss": ("framescope.corpus.loaders.rss", "load"),
    "nexis": ("framescope.corpus.loaders.nexis", "load"),
}

#: ``default`` = the three shared collections, in this order.
DEFAULT_SOURCES = (("text", "seeds"), ("fakes", "fakes/FA-KES-Dataset.csv"),
                   ("saudinewsnet", "saudinewsnet"))


@dataclass
class Source:
    """One source of a build: a loader kind, what it reads, and the loader's options.

    Parameters
    ----------
    kind : str
        A key of :data:`LOADERS` (``text``, ``fakes``, ``csv``, ...).
    spec : str
        What the loader reads (a folder, a file, a URL list, ...).
    options : dict
        Loader options (``--map``, ``--registry``, ...).
    """

    kind: str
    spec: str
    options: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.kind}:{self.spec}"

    @property
    def module(self) -> ModuleType:
        """The loader module."""
        return importlib.import_module(LOADERS[self.kind][0])

    @property
    def loader(self) -> Callable:
        """The loader function ``load(spec, options)``."""
        return getattr(self.module, LOADERS[self.kind][1])

    def partitions(self) -> list["Source"]:
        """Split the source into independent partitions for a parallel build.

        Returns
        -------
        list of Source
            One source per partition (the source itself when its loader cannot split).
        """
        fn = getattr(self.module, "partitions", None)
        if fn is None:
            return [self]
        return [Source(self.kind, p, self.options) for p in fn(self.spec, self.options)]


def parse_sources(texts: list[str], options: dict | None = None) -> list[Source]:
    """Parse ``KIND:SPEC`` strings (or ``default``) into sources.

    Parameters
    ----------
    texts : list of str
        ``['default']`` (the three shared collections) or ``['text:DIR', 'csv:FILE', ...]``.
    options : dict, optional
        Loader options given to every source.

    Returns
    -------
    list of Source
        The sources, in the order given.

    Raises
    ------
    FramescopeError
        For an unknown kind, a missing ``KIND:``, no source, or a default collection not found.
    """
    options = dict(options or {})
    out: list[Source] = []
    for text in texts:
        if text == "default":
            for kind, rel in DEFAULT_SOURCES:
                root = collection_path(rel.split("/")[0])
                if not root.exists():
                    raise FramescopeError(
                        f"default corpus: {root} not found; set FRAMESCOPE_DATA to the folder "
                        "holding seeds/, fakes/ and saudinewsnet/")
                out.append(Source(kind, str(collection_path(rel)), {}))
            continue
        kind, sep, spec = text.partition(":")
        if not sep:
            raise FramescopeError(f"source {text!r}: write KIND:PATH (kinds: {', '.join(sorted(LOADERS))}, or 'default')")
        if kind not in LOADERS:
            raise FramescopeError(f"unknown source kind {kind!r} (kinds: {', '.join(sorted(LOADERS))}, or 'default')")
        out.append(Source(kind, spec, dict(options)))
    if not out:
        raise FramescopeError("no sources given")
    return out
