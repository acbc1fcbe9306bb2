"""``warc:FILE`` (or a folder of them) — web archives: WARC and ARC, gzipped or not.

Read with warcio's ``ArchiveIterator`` (ARC records are converted to WARC on the fly).
Every ``response`` record whose HTTP ``Content-Type`` is HTML (or, without one, whose
payload starts like HTML) is extracted as in ``html:`` (trafilatura, captions kept);
the record's ``WARC-Target-URI`` is the URL and its ``WARC-Date`` the fallback date
(the page's own date wins). ``original_id`` is the ``WARC-Record-ID`` (without
``<urn:uuid:...>``), else ``FILE@OFFSET``. Extra columns: ``warc_date``,
``warc_record_id``, ``warc_file``.

Not documents, and not rejects either: request, metadata, warcinfo, resource and
revisit records, and responses that are not HTML (images, scripts, style sheets).

Rejects, each with the file and byte offset of the record:

- a record cut short: fewer payload bytes than its ``Content-Length`` (a truncated
  file), a ``WARC-Truncated`` header (the crawler stopped it, with the reason it gave),
  or bytes at the end of the file that warcio cannot read as a record (a truncated
  gzip member); reading stops there, the records before it are kept;
- an HTML response with an HTTP status other than 200;
- a record larger than ``max_bytes``;
- a page with no main text or an undecodable page (as in ``html:``);
- a record id seen twice.

Options: ``collection`` (default: the file name without extensions, or the folder
name); ``outlet`` (for every page); ``favor`` (as in ``html:``); ``max_bytes`` (largest
record payload read, default 20000000); ``registry=FILE``; any option may be written
``warc.KEY=VALUE`` to apply to this loader only.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import folder_files, require_path
from framescope.corpus.loaders.html import HTML_TYPES, PageError, extract_page, page_document
from framescope.corpus.loaders.websupport import (opt_choice, opt_number, opt_str, registry_from_options, scoped)
from framescope.corpus.records import RawDocument, Reject

CITATION = ("Web archives: cite the archive (its creator and date) and each page's outlet, "
            "title, date and URL with its capture date (extra column warc_date).")

KIND = "warc"
SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)", re.I | re.S)


def _archive_files(path: Path, refused: list | None = None) -> list[Path]:
    """The archives under ``path``; links leaving it, FIFOs etc. go to ``refused``."""
    if path.is_file():
        return [path]
    files, bad = folder_files(path, lambda p: p.name.lower().endswith(SUFFIXES))
    if refused is not None:
        refused.extend(bad)
    return files


def _stem(path: Path) -> str:
    name = path.name
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _record_id(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"^<?(urn:uuid:)?|>$", "", value.strip()) or None


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read web archives into documents.

    Parameters
    ----------
    spec : str
        A WARC/ARC file or a folder of them.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per HTML response record, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    path = require_path(spec, KIND)
    refused: list = []
    files = _archive_files(path, refused)
    if not files and not refused:
        raise FramescopeError(f"warc: no .warc/.warc.gz/.arc/.arc.gz files in {path}")
    favor = opt_choice(options, "favor", ("precision", "balanced", "recall"), "precision", KIND)
    outlet = opt_str(options, "outlet")
    max_bytes = opt_number(options, "max_bytes", 20_000_000, KIND, integer=True, minimum=1024)
    collection = opt_str(options, "collection", _stem(path) if path.is_file() else path.name)
    registry = registry_from_options(options)
    seen: dict[str, str] = {}
    for location, reason in refused:
        yield Reject(collection, location, reason)
    for file in files:
        yield from _load_file(file, collection, favor, outlet, max_bytes, registry, seen)


def _load_file(file: Path, collection, favor, outlet, max_bytes, registry, seen) -> Iterator[RawDocument | Reject]:
    size = os.path.getsize(file)
    with open(file, "rb") as fh:
        iterator = ArchiveIterator(fh, arc2warc=True)
        offset = 0
        yielded = 0
        try:
            for record in iterator:
                offset = iterator.offset  # start of this record (get_record_offset() would drain it)
                result = _record(record, file, offset, collection, favor, outlet, max_bytes, registry)
                if result is None:
                    continue
                yielded += 1
                if isinstance(result, RawDocument):
                    if result.original_id in seen:
                        yield Reject(collection, result.location,
                                     f"duplicate record id {result.original_id} (first at "
                                     f"{seen[result.original_id]})")
                        continue
                    seen[result.original_id] = result.location
                yield result
        except Exception as exc:  # warcio raises many types on damaged input
            at = iterator.offset if getattr(iterator, "offset", None) is not None else offset
            yield Reject(collection, f"{file}@{at}",
                         f"unreadable or truncated record ({type(exc).__name__}: {str(exc)[:120]}); "
                         "the rest of the file was not read")
            return
        end = iterator.offset or 0
        if not yielded and end >= size:  # e.g. a text file named .warc: nothing to account for it
            yield Reject(collection, str(file), "no HTML response record in the archive")
            return
        if end < size:
            fh.seek(end)
            rest = fh.read()
            if rest.strip(b"\x00\r\n\t "):
                yield Reject(collection, f"{file}@{end}",
                             f"truncated record: {len(rest)} bytes at the end of the file are not "
                             "a complete record")


def _record(record, file: Path, offset: int, collection, favor, outlet, max_bytes, registry):
    if record.rec_type != "response":
        return None
    location = f"{file}@{offset}"
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower() if headers else ""
    charset = None
    if headers and "charset=" in (headers.get_header("Content-Type") or "").lower():
        charset = headers.get_header("Content-Type").lower().split("charset=")[1].split(";")[0].strip(" \"'")
    if content_type and content_type not in HTML_TYPES:
        return None
    payload = record.content_stream().read(max_bytes + 1)
    if not content_type and not _HTML_START.match(payload[:2048]):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if len(payload) > max_bytes:
        return Reject(collection, location, f"{uri}: record larger than max_bytes={max_bytes}")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return Reject(collection, location, f"{uri}: truncated record ({missing} bytes of its "
                                            "Content-Length missing)")
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        return Reject(collection, location, f"{uri}: record truncated by the crawler "
                                            f"(WARC-Truncated: {truncated})")
    status = headers.get_statuscode() if headers else "200"
    if str(status) != "200":
        return Reject(collection, location, f"{uri}: HTTP status {status}")
    try:
        page = extract_page(payload, url=uri, charset=charset, favor=favor)
    except PageError as exc:
        return Reject(collection, location, f"{uri}: {exc}")
    warc_date = record.rec_headers.get_header("WARC-Date")
    record_id = _record_id(record.rec_headers.get_header("WARC-Record-ID"))
    return page_document(page, payload, collection=collection,
                         original_id=record_id or f"{_stem(file)}@{offset}", location=location,
                         registry=registry, url=uri, outlet=outlet,
                         fallback_date=_warc_date(warc_date),
                         extra={"warc_date": warc_date, "warc_record_id": record_id,
                                "warc_file": file.name})


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``warc`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        A WARC/ARC file or a folder of them.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    return _archive_files(require_path(spec, KIND))
