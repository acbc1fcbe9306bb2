"""``saudinewsnet:DIR`` — SaudiNewsNet (Alhagri 2015): zips of JSON arrays.

Each zip holds JSON arrays of ``{source, url, date_extracted, title, author, content}``
and is read in memory, never unpacked to disk. ``doc_id`` is
``saudinewsnet:<zip stem>-<member index>-<article index>``. ``date`` is the
extraction date (the corpus gives no publication date; articles were collected daily);
``date_extracted`` and ``author`` are kept. Unreadable zips, members whose path escapes
the archive, invalid JSON and articles without content become rejects.
"""
from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import (DecodeError, decode_bytes, folder_files, parse_date,
                                   require_path, sha256_bytes)
from framescope.corpus.loaders.tabular import parse_json
from framescope.corpus.records import RawDocument, Reject

COLLECTION = "saudinewsnet"
CITATION = ("Alhagri, M. A. (2015). Saudi Newspapers Arabic Corpus (SaudiNewsNet). "
            "github.com/ParallelMazen/SaudiNewsNet. Licence: CC BY-NC-SA 4.0, research use only.")
BIBTEX = """@misc{hagrima2015,
  author = {Alhagri, Mazen A.},
  title = {Saudi Newspapers Arabic Corpus ({SaudiNewsNet})},
  year = {2015},
  howpublished = {\\url{http://github.com/ParallelMazen/SaudiNewsNet}},
  note = {Licence: CC BY-NC-SA 4.0, research use only}
}"""
#: members are read as a stream and refused past this size, whatever size they declare
#: (the largest member of SaudiNewsNet inflates to a few MB)
MAX_MEMBER_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 20
_STRING_FIELDS = ("content", "title", "source", "author", "url", "date_extracted")
# where a lone surrogate could come from: a \uD800-\uDFFF escape (JSON writes "\u" in lower
# case only), or one already in the text
_SURROGATE_SOURCE = re.compile("\\\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def read_member(zf: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """Read the inflated bytes of a zip member in 1 MB steps, stopping past ``limit``.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open archive.
    member : zipfile.ZipInfo
        The member.
    limit : int
        Largest inflated size accepted, in bytes.

    Returns
    -------
    bytes
        The member's content.

    Raises
    ------
    ValueError
        When the member inflates beyond ``limit`` (the zip module's own errors pass on).
    """
    out = bytearray()
    with zf.open(member) as fh:
        while True:
            block = fh.read(_CHUNK)
            if not block:
                break
            out += block
            if len(out) > limit:
                raise ValueError(f"member inflates beyond {limit} bytes")
    return bytes(out)


def _unsafe_member(name: str) -> bool:
    norm = posixpath.normpath(name.replace("\\", "/"))
    return name.startswith(("/", "\\")) or norm.startswith("..") or ":" in name.split("/")[0]


def iter_zip(path: Path, hashes: bool = True) -> Iterator[RawDocument | Reject]:
    """Read the articles of one SaudiNewsNet zip, in memory.

    Parameters
    ----------
    path : pathlib.Path
        The zip.
    hashes : bool, default True
        Compute each document's ``raw_sha256`` (of its article serialised with sorted
        keys); False leaves it empty and gives the same documents and rejects otherwise.

    Yields
    ------
    RawDocument or Reject
        One document per article, or a reject (unreadable zip or member, invalid JSON, no content).
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Reject(COLLECTION, str(path), f"unreadable zip: {exc}")
        return
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if not members:
            yield Reject(COLLECTION, str(path), "zip holds no files")
        for mi, member in enumerate(members):
            where = f"{path}!{member.filename}"
            if _unsafe_member(member.filename):
                yield Reject(COLLECTION, where, "member path escapes the archive")
                continue
            if not member.filename.lower().endswith(".json"):
                yield Reject(COLLECTION, where, "not a .json member")
                continue
            if member.file_size > MAX_MEMBER_BYTES:
                yield Reject(COLLECTION, where, f"member too large ({member.file_size} bytes)")
                continue
            try:
                data = read_member(zf, member)
            except ValueError as exc:
                yield Reject(COLLECTION, where, f"member too large: {exc}")
                continue
            except Exception as exc:  # zlib.error, BadZipFile (CRC), NotImplementedError, OSError
                yield Reject(COLLECTION, where, f"unreadable member: {exc}")
                continue
            try:
                text, _ = decode_bytes(data)
            except DecodeError as exc:
                yield Reject(COLLECTION, where, f"invalid JSON: {exc}")
                continue
            articles, why = parse_json(text, check_strings=False)  # checked per article
            # an article is serialised to be hashed, which also finds lone surrogates; without
            # hashes, only when the member could hold one
            serialise = hashes or _SURROGATE_SOURCE.search(text) is not None
            if why:
                yield Reject(COLLECTION, where, why)
                continue
            if not isinstance(articles, list):
                yield Reject(COLLECTION, where, "expected a JSON array of articles")
                continue
            if not articles:
                yield Reject(COLLECTION, where, "empty JSON array (no articles)")
                continue
            for ai, art in enumerate(articles):
                loc = f"{where}[{ai}]"
                if not isinstance(art, dict):
                    yield Reject(COLLECTION, loc, "article is not a JSON object")
                    continue
                wrong = next((f for f in _STRING_FIELDS
                              if art.get(f) is not None and not isinstance(art[f], str)), None)
                if wrong:
                    yield Reject(COLLECTION, loc, f"field {wrong!r} is of type {type(art[wrong]).__name__}, "
                                                  "not a string")
                    continue
                content = (art.get("content") or "").strip()
                if not content:
                    yield Reject(COLLECTION, loc, "empty text")
                    continue
                try:
                    date = parse_date(art.get("date_extracted"))
                except ValueError as exc:
                    yield Reject(COLLECTION, loc, str(exc))
                    continue
                raw = b""
                if serialise:
                    try:
                        raw = json.dumps(art, ensure_ascii=False, sort_keys=True).encode("utf-8")
                    except UnicodeEncodeError:
                        yield Reject(COLLECTION, loc, "invalid JSON: a lone surrogate (\\uD800-\\uDFFF) in a string")
                        continue
                yield RawDocument(
                    collection=COLLECTION, original_id=f"{path.stem}-{mi}-{ai:05d}",
                    body=art.get("content") or "", title=(art.get("title") or "").strip() or None,
                    outlet=(art.get("source") or "").strip() or None, date=date,
                    url=art.get("url") or None, lang_hint="ar", raw_sha256=sha256_bytes(raw) if hashes else "",
                    location=loc,
                    extra={"author": (art.get("author") or "").strip() or None,
                           "date_extracted": art.get("date_extracted")})


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _zips(spec: str) -> list[Path]:
    path = require_path(spec, "saudinewsnet")
    if path.is_file():
        return [path]
    zips = folder_files(path, _is_zip, recursive=False)[0]
    if not zips:
        raise FramescopeError(f"saudinewsnet: no .zip files in {path}")
    return zips


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read SaudiNewsNet into documents.

    Parameters
    ----------
    spec : str
        The folder of zips (or one zip).
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per article, or a reject saying why it could not be read.
    """
    yield from _read(spec, hashes=True)


def load_for_scan(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """:func:`load` without ``raw_sha256``: what the first pass of a build reads.

    The same documents (``raw_sha256`` empty) and rejects in the same order, without
    serialising and hashing every article (a fifth of the time of reading the corpus).

    Parameters
    ----------
    spec : str
        The folder of zips (or one zip).
    options : dict
        Loader options, as for :func:`load`.

    Yields
    ------
    RawDocument or Reject
        As :func:`load` yields them.
    """
    yield from _read(spec, hashes=False)


def _read(spec: str, hashes: bool) -> Iterator[RawDocument | Reject]:
    path = require_path(spec, "saudinewsnet")
    if path.is_dir():
        for location, reason in folder_files(path, _is_zip, recursive=False)[1]:
            yield Reject(COLLECTION, location, reason)
    for z in _zips(spec):
        yield from iter_zip(z, hashes)


def partitions(spec: str, options: dict) -> list[str]:
    """Split the source into one partition per zip, for parallel builds.

    Parameters
    ----------
    spec : str
        The folder of zips (or one zip).
    options : dict
        Loader options.

    Returns
    -------
    list of str
        One spec per zip, in name order.
    """
    return [str(z) for z in _zips(spec)]


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``saudinewsnet`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The folder of zips (or one zip).
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    return _zips(spec)
