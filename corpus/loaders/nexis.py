"""``nexis:DIR`` (or one file) — Nexis Uni exports, .docx (python-docx) and .rtf (striprtf).

A Nexis Uni export holds one or many articles, each laid out as::

    Title
    Publication (e.g. "Agence France Presse -- English")
    Date line (e.g. "March 21, 2017 Tuesday 4:15 PM GMT")
    Copyright 2017 ...                       (optional)
    Section: ...  Length: 612 words  Byline: ...  Dateline: ...   (each optional)
    Body
    body paragraphs ...
    Load-Date: ...  Language: ENGLISH  Publication-Type: ...  Subject: ...  (trailer)
    End of Document

Files are split at the ``End of Document`` lines; a results cover page before the
first article (search terms, result list) is skipped because the header is read
backwards from the first metadata line: the date line, the publication above it, the
title above that. Per article: title, outlet (the registry key of the publication
when known — ``Agence France Presse -- English`` → ``afp`` — else the publication
name), date, body (one paragraph per document paragraph), language hint (from
``Language:``), and extra columns ``nexis_publication``, ``nexis_length_words``,
``byline``, ``nexis_section``, ``nexis_dateline``, ``nexis_load_date``,
``nexis_publication_type``, ``nexis_copyright``, ``nexis_file``.

Rejects: a file with no ``End of Document`` separator (not a Nexis export, or cut
short) — one row for the file; text after the last separator (an incomplete
article); an article without a ``Body`` line, without body text, or whose date line is
missing; an unreadable .docx/.rtf. The other articles of the file still load.

Options: ``collection`` (default ``nexis``); ``registry=FILE``; any option may be
written ``nexis.KEY=VALUE`` to apply to this loader only.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import folder_files, require_path, sha256_bytes
from framescope.corpus.loaders.websupport import (language_code, opt_str, registry_from_options,
                                       resolve_outlet, scoped)
from framescope.corpus.records import RawDocument, Reject

KIND = "nexis"
SUFFIXES = (".docx", ".rtf")
SEPARATOR = "End of Document"
CITATION = ("Nexis Uni (LexisNexis), https://www.lexisnexis.com/nexis-uni; cite each "
            "article's publication, title and date as given in the export.")

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_MONTH_NUM = {m.lower(): i for i, m in enumerate(_MONTHS.split("|"), 1)}
_DATE_MDY = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS}),?\s+(\d{{4}})\b", re.I)
_DATE_LEFTOVER = re.compile(
    r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|am|pm|gmt|utc|est|edt|"
    r"cet|cest|bst|ast|updated|final edition|edition|\d{1,2}:\d{2}(:\d{2})?)\b|[+-]\d{4}|[,.:]")
_HEADER_KEYS = re.compile(r"^(Section|Length|Byline|Dateline|Highlight|Edition|Version|Series|"
                          r"Type|Correction-Date|Byline-Position)\s*:", re.I)
_COPYRIGHT = re.compile(r"^(Copyright\b|©|\(c\)\s*\d{4})", re.I)
_TRAILER_KEYS = re.compile(r"^(Load-Date|Language|Publication-Type|Document-Type|Subject|"
                           r"Geographic|Company|Organization|Person|Industry|Ticker|"
                           r"Journal Code|Notes|Correction|Graphic|Classification|URL)\s*:", re.I)
_TRAILER_LINES = {"classification", "graphic", "notes"}


def parse_nexis_date(line: str) -> dt.date | None:
    """Read the date of a Nexis date line ("March 21, 2017 Tuesday 4:15 PM GMT").

    Parameters
    ----------
    line : str
        The date line.

    Returns
    -------
    datetime.date or None
        The date, None when the line is not a date line.
    """
    if len(line) > 80:
        return None
    for pattern, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy")):
        m = pattern.search(line)
        if not m:
            continue
        rest = _DATE_LEFTOVER.sub(" ", line[: m.start()] + " " + line[m.end():])
        if rest.strip():
            return None  # a sentence or a title that contains a date, not a date line
        if order == "mdy":
            month, day, year = _MONTH_NUM[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        else:
            day, month, year = int(m.group(1)), _MONTH_NUM[m.group(2).lower()], int(m.group(3))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _split_key(line: str) -> tuple[str, str]:
    key, _, value = line.partition(":")
    return key.strip().lower(), value.strip()


def parse_article(paragraphs: list[str]) -> dict:
    """Read the fields of one article (the paragraphs between two separators).

    Parameters
    ----------
    paragraphs : list of str
        The article's paragraphs, in order.

    Returns
    -------
    dict
        ``title``, ``publication``, ``date``, ``body`` and the optional header and trailer fields.

    Raises
    ------
    ValueError
        When the paragraphs do not make an article.
    """
    lines = [p.strip() for p in paragraphs]
    try:
        body_at = next(i for i, line in enumerate(lines) if line == "Body")
    except StopIteration:
        raise ValueError("no 'Body' line") from None
    header = [line for line in lines[:body_at] if line]
    first_meta = next((i for i, line in enumerate(header)
                       if _HEADER_KEYS.match(line) or _COPYRIGHT.match(line)), len(header))
    top, meta_lines = header[:first_meta], header[first_meta:]
    date_at = next((i for i in range(len(top) - 1, -1, -1) if parse_nexis_date(top[i])), None)
    if date_at is None:
        raise ValueError("no date line above the article's metadata")
    fields: dict = {"date": parse_nexis_date(top[date_at]),
                    "publication": top[date_at - 1] if date_at >= 1 else None,
                    "title": top[date_at - 2] if date_at >= 2 else None}
    for line in meta_lines:
        if _COPYRIGHT.match(line):
            fields.setdefault("copyright", line)
            continue
        key, value = _split_key(line)
        fields.setdefault(key, value)
    body: list[str] = []
    trailer: list[str] = []
    for line in lines[body_at + 1:]:
        if trailer or _TRAILER_KEYS.match(line) or line.lower() in _TRAILER_LINES:
            trailer.append(line)
        elif line:
            body.append(line)
    for line in trailer:
        if ":" in line:
            key, value = _split_key(line)
            fields.setdefault(key, value)
    if not body:
        raise ValueError("no body text")
    fields["body"] = "\n\n".join(body)
    return fields


def _docx_paragraphs(path: Path) -> list[str]:
    import docx  # python-docx

    document = docx.Document(str(path))
    out: list[str] = []
    for paragraph in document.paragraphs:
        out.extend(paragraph.text.split("\n"))  # soft line breaks inside a paragraph
    return out


def _rtf_paragraphs(path: Path) -> list[str]:
    from striprtf.striprtf import rtf_to_text

    raw = path.read_bytes()
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ValueError("not an RTF file")
    codepage = re.search(rb"\\ansicpg(\d+)", raw[:2048])
    encoding = f"cp{codepage.group(1).decode()}" if codepage else "cp1252"
    return rtf_to_text(raw.decode("latin-1"), encoding=encoding, errors="replace").split("\n")


def _files(path: Path, refused: list | None = None) -> list[Path]:
    """The exports under ``path``; links leaving it, FIFOs etc. go to ``refused``."""
    if path.is_file():
        return [path]
    files, bad = folder_files(path, lambda p: p.suffix.lower() in SUFFIXES
                              and not p.name.startswith("~$"))  # ~$ = Word's lock files
    if refused is not None:
        refused.extend(bad)
    return files


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read Nexis Uni exports into documents.

    Parameters
    ----------
    spec : str
        A folder of .docx/.rtf exports, or one file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per article, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    path = require_path(spec, KIND)
    if path.is_file() and path.suffix.lower() not in SUFFIXES:
        raise FramescopeError(f"nexis: {path} is not a .docx or .rtf file")
    refused: list = []
    files = _files(path, refused)
    if not files and not refused:
        raise FramescopeError(f"nexis: no .docx or .rtf files in {path}")
    collection = opt_str(options, "collection", KIND)
    registry = registry_from_options(options)
    for location, reason in refused:
        yield Reject(collection, location, reason)
    for file in files:
        yield from _load_file(file, collection, registry)


def _load_file(file: Path, collection: str, registry) -> Iterator[RawDocument | Reject]:
    try:
        paragraphs = _docx_paragraphs(file) if file.suffix.lower() == ".docx" else _rtf_paragraphs(file)
    except Exception as exc:  # python-docx/zipfile/lxml raise many types on damaged files
        yield Reject(collection, str(file), f"unreadable {file.suffix.lower()} file: "
                                            f"{type(exc).__name__}: {str(exc)[:120]}")
        return
    ends = [i for i, p in enumerate(paragraphs) if p.strip() == SEPARATOR]
    if not ends:
        yield Reject(collection, str(file), f"no Nexis article separators ('{SEPARATOR}') found: "
                                            "not a Nexis Uni export, or cut short")
        return
    start = 0
    for number, end in enumerate(ends, 1):
        chunk = paragraphs[start:end]
        start = end + 1
        location = f"{file}#article{number}"
        try:
            fields = parse_article(chunk)
        except ValueError as exc:
            yield Reject(collection, location, f"article {number}: {exc}")
            continue
        publication = fields.get("publication")
        length = re.match(r"\s*([\d,]+)", fields.get("length") or "")
        language = fields.get("language")
        yield RawDocument(
            collection=collection, original_id=f"{file.name}#{number}", body=fields["body"],
            title=fields.get("title"),
            outlet=resolve_outlet(registry, publication) or publication, date=fields["date"],
            lang_hint=language_code(language.split(";")[0].split(",")[0]) if language else None,
            raw_sha256=sha256_bytes("\n".join(chunk).encode("utf-8")), location=location,
            extra={"nexis_publication": publication,
                   "nexis_length_words": int(length.group(1).replace(",", "")) if length else None,
                   "byline": fields.get("byline"), "nexis_section": fields.get("section"),
                   "nexis_dateline": fields.get("dateline"),
                   "nexis_load_date": fields.get("load-date"),
                   "nexis_publication_type": fields.get("publication-type"),
                   "nexis_copyright": fields.get("copyright"), "nexis_file": file.name})
    rest = [p for p in paragraphs[start:] if p.strip()]
    if rest:
        yield Reject(collection, f"{file}#article{len(ends) + 1}",
                     f"{len(rest)} paragraphs after the last '{SEPARATOR}' (an incomplete article?)")


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``nexis`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        A folder of .docx/.rtf exports, or one file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    return _files(require_path(spec, KIND))
