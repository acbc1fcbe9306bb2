"""What loaders hand to the builder: raw documents and rejects.

A loader is a generator of :class:`RawDocument` and :class:`Reject`. It never raises on
bad *data* (that is a Reject); it raises :class:`framescope.corpus.errors.FramescopeError` only for
bad *arguments* (missing path, unknown option).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawDocument:
    """One document as a loader found it, before the text layer.

    ``body`` is the main text with line breaks preserved (paragraphs separated by blank
    lines or newlines). ``captions`` are display texts the source marks explicitly
    (figcaption, caption elements); ``title`` is the headline if the source gives it
    separately. ``extra`` holds the source's own metadata columns (kept in
    documents.parquet). ``outlet``/``source_type``/``country`` given by the source win
    over the registry.
    """

    collection: str
    original_id: str
    body: str
    title: str | None = None
    outlet: str | None = None
    date: _dt.date | None = None
    url: str | None = None
    lang_hint: str | None = None
    source_type: str | None = None
    country: str | None = None
    captions: list[str] = field(default_factory=list)
    raw_sha256: str = ""
    location: str = ""
    title_in_body: bool = False  # True when the body text starts with the title line
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return f"{self.collection}:{self.original_id}"


@dataclass
class Reject:
    """An input file, row or member that did not become a document, and why."""

    source: str
    location: str
    reason: str
