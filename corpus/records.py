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

    The builder turns it into one row of documents.parquet and its segments (README.md,
    "The corpus store"; column names as in docs/columns.md).

    Parameters
    ----------
    collection : str
        The source collection (a registry key such as ``fakes``); the first part of
        ``doc_id``.
    original_id : str
        The document's id within the collection (the source's own id, or the file stem);
        ``doc_id`` is ``"collection:original_id"``.
    body : str
        The main text with line breaks preserved (paragraphs separated by blank lines or
        newlines).
    title : str or None, optional
        The headline, if the source gives it separately; None otherwise.
    outlet : str or None, optional
        The publishing outlet, if the source names it; None leaves it to the registry.
    date : datetime.date or None, optional
        The publication date; None when unknown (a null ``date`` in the corpus).
    url : str or None, optional
        The document's address, if known.
    lang_hint : str or None, optional
        The language the source declares (ISO 639-1), used as a prior by language
        identification; None to detect it from the text only.
    source_type : str or None, optional
        The kind of source (e.g. state, independent, ngo, wire); None leaves it to the
        registry.
    country : str or None, optional
        The outlet's country; None leaves it to the registry.
    captions : list of str, optional
        Display texts the source marks explicitly (figcaption, caption elements); each
        becomes a ``caption`` segment. Default: none.
    raw_sha256 : str, optional
        sha256 of the raw input the document came from (the file, row or member), for
        provenance; empty when not computed.
    location : str, optional
        Where in the input the document was found (file path, row number, archive member),
        as used in rejects.
    title_in_body : bool, default False
        True when the body text starts with the title line (the builder then does not
        repeat it as a separate segment).
    extra : dict of str to Any, optional
        The source's own metadata columns, kept as extra columns of documents.parquet.
        ``outlet``/``source_type``/``country`` given by the source win over the registry.
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
    """An input file, row or member that did not become a document, and why.

    One row of rejects.csv (README.md, "Bad input").

    Parameters
    ----------
    source : str
        The collection it came from (as ``RawDocument.collection``).
    location : str
        Where in the input: a file path, a row number, an archive member.
    reason : str
        Why it was not made into a document, one line (e.g. ``malformed article: no
        url``, ``duplicate URL (first at ...)``);
        :func:`~framescope.corpus.build.reason_class` groups reasons by kind.
    """

    source: str
    location: str
    reason: str
