"""Generic tabular loaders: ``csv:FILE`` and ``jsonl:FILE``.

Options (``--opt key=value`` on the command line, or ``--map``):

``map``       column mapping, ``text=body,date=published,title=headline,outlet=source,id=uid``;
              fields: id, text (required), title, date, outlet, url, lang, source_type, country
``encoding``  utf-8, utf-8-sig, latin-1, cp1252, cp1256, utf-16 or ``auto`` (default: detected)
``date_format`` strptime format for the date column (default: ISO and common formats)
``dayfirst``  ``1`` to read 03/04/2017 as 3 April (default: month first)
``collection`` collection name (default: the file stem)

Columns not mapped are kept as extra metadata. Rows with a broken quote, the wrong
number of fields, no text, an unparsable date or a duplicate id become rejects.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from corpus.errors import FramescopeError
from corpus.loaders.common import (DecodeError, check_encoding_name, decode_bytes,
                                   looks_binary, parse_date, require_path, sha256_bytes)
from corpus.records import RawDocument, Reject

FIELDS = ("id", "text", "title", "date", "outlet", "url", "lang", "source_type", "country")


def parse_map(value: str | dict | None) -> dict[str, str]:
    """``"text=body,date=published"`` → ``{'text': 'body', 'date': 'published'}``."""
    if not value:
        return {}
    if isinstance(value, dict):
        mapping = dict(value)
    else:
        mapping = {}
        for part in str(value).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise FramescopeError(f"--map: expected FIELD=COLUMN, got {part.strip()!r}")
            field, column = (x.strip() for x in part.split("=", 1))
            mapping[field] = column
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise FramescopeError(f"--map: unknown field(s) {', '.join(sorted(unknown))} "
                              f"(fields: {', '.join(FIELDS)})")
    return mapping


def _resolve_map(mapping: dict[str, str], columns: list[str]) -> dict[str, str]:
    """Mapping with defaults: a field maps to a column of the same name if present."""
    out = {f: f for f in FIELDS if f in columns}
    out.update(mapping)
    missing = [c for c in out.values() if c not in columns]
    if missing:
        raise FramescopeError(f"column(s) {', '.join(missing)} not in the file "
                              f"(columns: {', '.join(columns)})")
    if "text" not in out:
        raise FramescopeError("no text column: give --map text=COLUMN "
                              f"(columns: {', '.join(columns)})")
    return out


def record_to_document(record: dict, mapping: dict[str, str], *, collection: str,
                       location: str, raw_sha256: str, date_format: str | None = None,
                       dayfirst: bool = False, fallback_id: str) -> RawDocument | Reject:
    """One mapped record → RawDocument, or a Reject saying why not."""
    def get(field):
        col = mapping.get(field)
        value = record.get(col) if col else None
        if value is None:
            return None
        value = str(value).strip() if not isinstance(value, str) else value.strip()
        return value or None

    text = get("text")
    if not text:
        return Reject(collection, location, "empty text")
    try:
        date = parse_date(get("date"), date_format, dayfirst)
    except ValueError as exc:
        return Reject(collection, location, str(exc))
    used = set(mapping.values())
    extra = {k: (None if v is None else str(v)) for k, v in record.items()
             if k not in used and k is not None}
    return RawDocument(
        collection=collection, original_id=get("id") or fallback_id, body=text,
        title=get("title"), outlet=get("outlet"), date=date, url=get("url"),
        lang_hint=get("lang"), source_type=get("source_type"), country=get("country"),
        raw_sha256=raw_sha256, location=location, extra=extra)


def read_text_file(path: Path, kind: str, encoding: str | None) -> tuple[str | None, Reject | None]:
    data = path.read_bytes()
    if not data.strip():
        return None, Reject(kind, str(path), "empty file")
    if looks_binary(data):
        return None, Reject(kind, str(path), "binary file, not text")
    try:
        text, _ = decode_bytes(data, encoding)
    except DecodeError as exc:
        return None, Reject(kind, str(path), str(exc))
    return text, None


def iter_csv_records(text: str, source: str, path: Path) -> Iterator[tuple[str, dict, str] | Reject]:
    """Rows of a CSV as ``(location, record, raw_sha256)``; broken rows as Rejects."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield Reject(source, f"{path}:1", f"no readable header ({exc})")
        return
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise FramescopeError(f"{path}: duplicate column names in the header")
    yield ("header", {"columns": header}, "")
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            where = f"{path}:{start}" if end <= start else f"{path}:{start}-{end}"
            yield Reject(source, where, f"broken CSV quoting: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank line, not a record
        loc = f"{path}:{start}"
        if len(row) != len(header):
            yield Reject(source, loc, f"expected {len(header)} fields, got {len(row)}")
            continue
        raw = ",".join(row).encode("utf-8")
        yield (loc, dict(zip(header, row)), sha256_bytes(raw))


def _load_table(spec: str, options: dict, kind: str) -> Iterator[RawDocument | Reject]:
    path = require_path(spec, kind, "file")
    encoding = check_encoding_name(options.get("encoding"))
    mapping_in = parse_map(options.get("map"))
    collection = options.get("collection") or path.stem
    date_format = options.get("date_format")
    dayfirst = str(options.get("dayfirst", "0")).lower() in {"1", "true", "yes"}
    text, reject = read_text_file(path, collection, encoding)
    if reject:
        yield reject
        return
    if kind == "csv":
        records = iter_csv_records(text, collection, path)
    else:
        records = _iter_jsonl(text, collection, path)
    mapping = None
    seen: dict[str, str] = {}
    for i, item in enumerate(records):
        if isinstance(item, Reject):
            yield item
            continue
        loc, record, digest = item
        if loc == "header":
            mapping = _resolve_map(mapping_in, record["columns"])
            continue
        if mapping is None:  # jsonl: columns known from the first record
            mapping = _resolve_map(mapping_in, list(record))
        for field, col in mapping.items():
            if col not in record:
                record[col] = None
        doc = record_to_document(record, mapping, collection=collection, location=loc,
                                 raw_sha256=digest, date_format=date_format,
                                 dayfirst=dayfirst, fallback_id=loc.rsplit(":", 1)[-1])
        if isinstance(doc, RawDocument):
            if doc.original_id in seen:
                yield Reject(collection, loc, f"duplicate id {doc.original_id!r} (first at {seen[doc.original_id]})")
                continue
            seen[doc.original_id] = loc
        yield doc


def _iter_jsonl(text: str, source: str, path: Path) -> Iterator[tuple[str, dict, str] | Reject]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        loc = f"{path}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, loc, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield Reject(source, loc, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield (loc, record, sha256_bytes(line.encode("utf-8")))


def load_csv(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    return _load_table(spec, options, "csv")


def load_jsonl(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    return _load_table(spec, options, "jsonl")


def inputs(spec: str, options: dict) -> list[Path]:
    return [require_path(spec, "csv/jsonl", "file")]
