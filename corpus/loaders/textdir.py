"""``text:DIR`` — a folder of .txt files, with an optional metadata CSV.

A CSV in the folder with a ``file`` column gives per-file metadata: ``title``,
``outlet``, ``source_type``, ``country``, ``date``, ``url``, ``lang`` and any other column
(kept as extra metadata). Files are read in name order; the first line of a file is its
headline unless the metadata gives one. Options: ``encoding`` (default: detected),
``collection`` (default: the folder name), ``date_format``, ``dayfirst``.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import (DecodeError, check_encoding_name, decode_bytes, folder_files,
                                   looks_binary, parse_date, read_input_bytes, require_path,
                                   sha256_bytes)
from framescope.corpus.loaders.tabular import iter_csv_records
from framescope.corpus.records import RawDocument, Reject

CORE = ("file", "title", "outlet", "source_type", "country", "date", "url", "lang")


def _is_txt(path: Path) -> bool:
    return path.suffix.lower() == ".txt"


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def _metadata_csv(folder: Path) -> Path | None:
    for candidate in folder_files(folder, _is_csv, recursive=False)[0]:
        try:
            head = read_input_bytes(candidate, limit=None)[:65536]
        except (OSError, ValueError):
            continue
        text = head.decode("utf-8-sig", errors="replace")
        header = next(csv.reader(text.splitlines()[:1]), [])
        if "file" in [h.strip() for h in header]:
            return candidate
    return None


def _read_metadata(path: Path, collection: str) -> tuple[dict[str, dict], list[Reject]]:
    rows: dict[str, dict] = {}
    rejects: list[Reject] = []
    try:
        text, _ = decode_bytes(read_input_bytes(path))
    except (DecodeError, OSError) as exc:
        return {}, [Reject(collection, str(path), f"metadata CSV unreadable: {exc}")]
    # the tabular reader: a broken row is one reject, the rows after it are still read
    for item in iter_csv_records(text, collection, path):
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        where, row, _ = item
        if where == "header":
            continue
        name = (row.get("file") or "").strip()
        if not name:
            rejects.append(Reject(collection, where, "metadata row without a file name"))
            continue
        if name in rows:
            rejects.append(Reject(collection, where, f"duplicate metadata row for {name}"))
            continue
        rows[name] = {k.strip(): (v.strip() if isinstance(v, str) else v)
                      for k, v in row.items() if k is not None}
        rows[name]["_line"] = int(where.rsplit(":", 1)[1])
    return rows, rejects


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read a folder of .txt files into documents.

    Parameters
    ----------
    spec : str
        The folder.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per file, or a reject saying why it could not be read.
    """
    folder = require_path(spec, "text", "dir")
    encoding = check_encoding_name(options.get("encoding"))
    collection = options.get("collection") or folder.name
    meta_path = _metadata_csv(folder)
    meta, rejects = _read_metadata(meta_path, collection) if meta_path else ({}, [])
    yield from rejects
    files, refused = folder_files(folder, _is_txt, recursive=False)
    if not files and not refused:
        raise FramescopeError(f"text: no .txt files in {folder}")
    for location, reason in refused:
        yield Reject(collection, location, reason)
    present = {p.name for p in files}
    for name, row in meta.items():
        if name not in present:
            yield Reject(collection, f"{meta_path}:{row['_line']}", f"metadata names a missing file {name!r}")
    for path in files:
        try:
            data = read_input_bytes(path)
        except OSError as exc:
            yield Reject(collection, str(path), f"unreadable file: {exc.strerror or exc}")
            continue
        if not data.strip():
            yield Reject(collection, str(path), "empty file")
            continue
        if looks_binary(data):
            yield Reject(collection, str(path), "binary file, not text")
            continue
        try:
            text, _ = decode_bytes(data, encoding)
        except DecodeError as exc:
            yield Reject(collection, str(path), str(exc))
            continue
        row = meta.get(path.name, {})
        try:
            date = parse_date(row.get("date"), options.get("date_format"),
                              str(options.get("dayfirst", "0")) in {"1", "true", "yes"})
        except ValueError as exc:
            yield Reject(collection, str(path), str(exc))
            continue
        langs = (row.get("lang") or row.get("languages") or "").split(";")[0].strip() or None
        yield RawDocument(
            collection=collection, original_id=path.stem, body=text,
            title=row.get("title") or None, outlet=row.get("outlet") or None, date=date,
            url=row.get("url") or None, lang_hint=langs,
            source_type=row.get("source_type") or None, country=row.get("country") or None,
            raw_sha256=sha256_bytes(data), location=str(path),
            extra={k: v for k, v in row.items() if k not in CORE and not k.startswith("_")})


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``textdir`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The folder.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    folder = require_path(spec, "text", "dir")
    return folder_files(folder, lambda p: _is_txt(p) or _is_csv(p), recursive=False)[0]
