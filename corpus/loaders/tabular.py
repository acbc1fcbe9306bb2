"""Generic tabular loaders: ``csv:FILE`` and ``jsonl:FILE``.

Options (``--opt key=value`` on the command line, or ``--map``):

``map``
    column mapping, ``text=body,date=published,title=headline,outlet=source,id=uid``;
    fields: id, text (required), title, date, outlet, url, lang, source_type, country
``encoding``
    utf-8, utf-8-sig, latin-1, cp1252, cp1256, utf-16 or ``auto`` (default: detected)
``date_format``
    strptime format for the date column (default: ISO and common formats)
``dayfirst``
    ``1`` to read 03/04/2017 as 3 April (default: month first)
``collection``
    collection name (default: the file stem)

Columns not mapped are kept as extra metadata. Rows with a broken quote, the wrong
number of fields, no text, an unparsable date or a duplicate id become rejects.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import (DecodeError, check_encoding_name, decode_bytes,
                                   looks_binary, parse_date, read_input_bytes, require_path,
                                   sha256_bytes)
from framescope.corpus.records import RawDocument, Reject

FIELDS = ("id", "text", "title", "date", "outlet", "url", "lang", "source_type", "country")


def parse_map(value: str | dict | None) -> dict[str, str]:
    """Read a column mapping: ``"text=body,date=published"`` → ``{'text': 'body', 'date': 'published'}``.

    Parameters
    ----------
    value : str, dict or None
        The ``--map`` value (a dict is returned as is).

    Returns
    -------
    dict of str to str
        Field → column.

    Raises
    ------
    FramescopeError
        For an unknown field or a malformed pair.
    """
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
    """Turn one mapped record into a document, or a reject saying why not.

    Parameters
    ----------
    record : dict
        The row (column → value).
    mapping : dict of str to str
        Field → column (:func:`parse_map`).
    collection : str
        The collection name.
    location : str
        Where the row was read.
    raw_sha256 : str
        Hash of the row's raw bytes.
    date_format : str, optional
        A strptime format for the date.
    dayfirst : bool, default False
        Read 03/04/2017 as 3 April.
    fallback_id : str
        The id when the mapping gives none.

    Returns
    -------
    RawDocument or Reject
        The document, or a reject (no text, unparsable date, ...).
    """
    def get(field):
        col = mapping.get(field)
        value = record.get(col) if col else None
        if value is None:
            return None
        value = str(value).strip() if not isinstance(value, str) else value.strip()
        return value or None

    bad = [f for f in ("text", "title", "outlet", "id") if isinstance(record.get(mapping.get(f) or ""), (dict, list))]
    if bad:
        return Reject(collection, location, f"field {mapping[bad[0]]!r} is not a string or number")
    if mapping.get("text") not in record:
        return Reject(collection, location, f"no text field {mapping.get('text')!r} in this record")
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
    """Read and decode a text file, or say why it is not one.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    kind : str
        The source kind (for the reject).
    encoding : str or None
        The encoding (None: detect).

    Returns
    -------
    tuple of (str or None, Reject or None)
        ``(text, None)``, or ``(None, reject)`` for an unreadable, empty, binary or undecodable file.
    """
    try:
        data = read_input_bytes(path)
    except OSError as exc:
        return None, Reject(kind, str(path), f"unreadable file: {exc.strerror or exc}")
    if not data.strip():
        return None, Reject(kind, str(path), "empty file")
    if looks_binary(data):
        return None, Reject(kind, str(path), "binary file, not text")
    try:
        text, _ = decode_bytes(data, encoding)
    except DecodeError as exc:
        return None, Reject(kind, str(path), str(exc))
    return text, None


#: a CSV field may hold a whole article; the csv module's default limit is 128 KB
MAX_FIELD_CHARS = 1 << 28
#: a record continuing over more lines than this is an unclosed quote, not a field
MAX_RECORD_LINES = 5000


def _parse_record(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def _key_shape(cell: str) -> str:
    """"A-17" → "a-9": the shape of a record's first cell (ids, dates, codes)."""
    return re.sub(r"([a9])\1+", r"\1", re.sub(r"[^\W\d_]", "a", re.sub(r"\d", "9", cell.strip())))


def _looks_like_row(line: str, n_fields: int, key_shapes: set[str]) -> bool:
    """A line inside a quoted field that reads as a record of its own (a merged row): as
    many fields as the header, and a first cell shaped like the first cells of the rows
    read so far (an id, a date) with no space in it — prose rarely is."""
    if n_fields < 2 or not key_shapes:
        return False
    cells = next(csv.reader([line]), [])
    first = cells[0].strip() if cells else ""
    return (len(cells) == n_fields and 0 < len(first) <= 40 and " " not in first
            and _key_shape(first) in key_shapes)


def iter_csv_records(text: str, source: str, path: Path) -> Iterator[tuple[str, dict, str] | Reject]:
    """Read the rows of a CSV as records; broken rows as rejects.

    Records are cut at line ends where the quotes balance. A quote left open takes the
    following lines only as long as they do not read as rows of their own; otherwise
    (and on a quoting error or a wrong field count in a multi-line record) the first
    line is rejected and reading resumes on the next line, so one broken row never
    swallows the rows after it. Fields may be as long as the file.

    Parameters
    ----------
    text : str
        The decoded file.
    source : str
        The source kind (for rejects).
    path : pathlib.Path
        The file (for locations).

    Yields
    ------
    tuple of (str, dict, str) or Reject
        ``(location, record, raw_sha256)``, or a reject for a broken row.
    """
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    lines = text.splitlines(keepends=True)
    while lines and not lines[-1].strip():
        lines.pop()
    header: list[str] | None = None
    key_shapes: set[str] = set()
    i = 0
    while i < len(lines):
        start = i
        buf, quotes = lines[i], lines[i].count('"')
        i += 1
        while quotes % 2 and i < len(lines) and i - start < MAX_RECORD_LINES:
            if header is not None and _looks_like_row(lines[i], len(header), key_shapes):
                break
            buf += lines[i]
            quotes += lines[i].count('"')
            i += 1
        where = f"{path}:{start + 1}" if i - start == 1 else f"{path}:{start + 1}-{i}"
        try:
            rows = _parse_record(buf) if not quotes % 2 else None
        except csv.Error as exc:
            rows, error = None, f"broken CSV quoting: {exc}"
        else:
            error = "broken CSV quoting: a quote is not closed"
        if header is None:
            if not rows:
                yield Reject(source, f"{path}:1", f"no readable header ({error})")
                return
            header = [h.strip() for h in rows[0]]
            if len(set(header)) != len(header):
                raise FramescopeError(f"{path}: duplicate column names in the header")
            yield ("header", {"columns": header}, "")
            continue
        if rows is not None and len(rows) == 1 and len(rows[0]) != len(header) and i - start > 1:
            rows, error = None, f"quote opened here spans {i - start} lines and gives " \
                                f"{len(rows[0])} fields, not {len(header)}"
        if rows is None or len(rows) != 1:
            if rows is not None:
                error = "broken CSV quoting: one line, several records"
            yield Reject(source, f"{path}:{start + 1}", error)
            i = start + 1  # resume on the next line
            continue
        row = rows[0]
        if not any(cell.strip() for cell in row):
            continue  # blank line, not a record
        if len(row) != len(header):
            yield Reject(source, where, f"expected {len(header)} fields, got {len(row)}")
            continue
        raw = ",".join(row).encode("utf-8")
        if len(key_shapes) < 8 and " " not in row[0].strip():
            key_shapes.add(_key_shape(row[0]))
        yield (f"{path}:{start + 1}", dict(zip(header, row)), sha256_bytes(raw))
    if header is None:
        yield Reject(source, f"{path}:1", "no readable header (empty file)")


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
        # a JSON object may have keys the first one lacks: the columns are their union
        items = list(_iter_jsonl(text, collection, path))
        keys = dict.fromkeys(k for item in items if not isinstance(item, Reject) for k in item[1])
        records = iter([("header", {"columns": list(keys)}, ""), *items]) if keys else iter(items)
    mapping = None
    seen: dict[str, str] = {}
    n_records = 0
    for i, item in enumerate(records):
        if isinstance(item, Reject):
            yield item
            continue
        loc, record, digest = item
        if loc == "header":
            mapping = _resolve_map(mapping_in, record["columns"])
            continue
        n_records += 1
        for field, col in mapping.items():
            if col not in record and field != "text":  # no text: a reject that says so
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
    if n_records == 0 and mapping is not None:
        yield Reject(collection, str(path), "no records (a header only)")


def _iter_jsonl(text: str, source: str, path: Path) -> Iterator[tuple[str, dict, str] | Reject]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        loc = f"{path}:{n}"
        record, why = parse_json(line)
        if why:
            yield Reject(source, loc, why)
            continue
        if not isinstance(record, dict):
            yield Reject(source, loc, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield (loc, record, sha256_bytes(line.encode("utf-8")))


def parse_json(text: str, check_strings: bool = True):
    """Parse JSON text, refusing what cannot be kept.

    Parameters
    ----------
    text : str
        One JSON value.
    check_strings : bool, default True
        Refuse lone surrogates (``"\\ud800"``, which no UTF-8 file can hold).

    Returns
    -------
    tuple
        ``(value, None)``, or ``(None, reason)`` for a syntax error, nesting too deep to
        parse, an integer over Python's digit limit or a lone surrogate.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at column {exc.colno}"
    except RecursionError:
        return None, "invalid JSON: nested too deeply"
    except ValueError as exc:  # int over sys.get_int_max_str_digits()
        return None, f"invalid JSON: {str(exc).split(';')[0]}"
    if not check_strings:
        return value, None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None, "invalid JSON: a lone surrogate (\\uD800-\\uDFFF) in a string"
    except (RecursionError, ValueError):
        return None, "invalid JSON: nested too deeply"
    return value, None


def load_csv(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read a CSV file into documents.

    Parameters
    ----------
    spec : str
        The file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    iterator of RawDocument or Reject
        One document per row, or a reject saying why it could not be read.
    """
    return _load_table(spec, options, "csv")


def load_jsonl(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read a JSON Lines file into documents.

    Parameters
    ----------
    spec : str
        The file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    iterator of RawDocument or Reject
        One document per row, or a reject saying why it could not be read.
    """
    return _load_table(spec, options, "jsonl")


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``tabular`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    return [require_path(spec, "csv/jsonl", "file")]
