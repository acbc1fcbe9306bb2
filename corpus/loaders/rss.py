"""``rss:URL`` or ``rss:FILE`` — RSS/Atom feeds via feedparser.

A URL is fetched politely and cached (:mod:`framescope.corpus.loaders.http`); a file is read as is.
The bytes are handed to feedparser (never a URL or a file name: feedparser would
fetch by itself), and entries become documents:

- title, link (URL), ``published`` (else ``updated``) as date, the entry's author
  (extra ``author``), its id (extra ``entry_id``), and tags (extra ``tags``, "; ");
- body from the entry's full ``content`` when the feed carries it, else its
  ``summary``, converted from HTML (block elements → paragraphs, captions kept apart);
- with ``fetch=1``, the linked page is fetched (robots.txt, rate limit, cache) and
  extracted as in ``html:``; the feed's date wins over the page's (it is the
  publisher's own metadata), the page's title is used when the entry has none.

Outlet: ``outlet=KEY`` when given, else the registry key of the feed's site (its
``<link>``, else the feed URL), else the feed title.

Rejects: a feed that cannot be parsed or has no entries (one row for the feed), an
entry without link and text, a duplicate entry, and with ``fetch=1`` a page that
could not be fetched or has no main text (no fallback to the summary, so that a
corpus never mixes full texts and teasers without saying so).

A headline-only entry becomes a document with a title and an empty body (extra
``text_source = title``); the build currently rejects such documents ("no analysable
text"), use ``fetch=1`` to get the pages.

Options: ``fetch=1``; ``outlet``; ``collection`` (default ``rss``); ``favor`` (as in
``html:``); fetching options (``rate`` default 1 s) and ``registry=FILE``. Any option
may be written ``rss.KEY=VALUE`` to apply to this loader only. ``inputs()`` returns the
feed file or the cached feed answer, and the cached pages with ``fetch=1``.
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Iterator

import feedparser

from framescope.corpus.loaders.common import require_path, sha256_bytes
from framescope.corpus.loaders.html import PageError, fetch_page, fragment_text, page_document
from framescope.corpus.loaders.http import FetchError, Fetcher, canonical_json
from framescope.corpus.loaders.websupport import (hostname, opt_bool, opt_choice, opt_str,
                                       registry_from_options, resolve_outlet, scoped, short_id)
from framescope.corpus.records import RawDocument, Reject

CITATION = ("Web feeds: cite each item's outlet, title, date and URL, and the date it was "
            "retrieved.")

KIND = "rss"


def _is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def _field(entry, key: str):
    """An entry field as the feed gave it (``dict.get`` skips feedparser's deprecated
    fallback that answers ``updated`` with ``published``)."""
    return dict.get(entry, key)


def _date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = _field(entry, key)
        if value:
            # feedparser gives UTC struct_time; keep the UTC calendar date
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc).date()
    return None


def _entry_html(entry) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return content["value"]
    return entry.get("summary") or entry.get("description") or ""


def _plain(entry_value) -> str:
    return " ".join(fragment_text(entry_value or "")[0].split())


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read an RSS/Atom feed into documents.

    Parameters
    ----------
    spec : str
        The feed's URL or file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    iterator of RawDocument or Reject
        One document per entry, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    return _load(spec, options, Fetcher.from_options(options, KIND, rate=1.0))


def inputs(spec: str, options: dict) -> list[Path]:
    """List the feed file, or the cached feed answer; plus the cached pages with ``fetch=1``.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The feed's URL or file.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    options = scoped(options, KIND)
    files = [] if _is_url(spec) else [require_path(spec, KIND, want="file")]
    if _is_url(spec) or opt_bool(options, "fetch", False, KIND):
        fetcher = Fetcher.from_options(options, KIND, rate=1.0)
        for _ in _load(spec, options, fetcher, extract=False):
            pass
        files += fetcher.used
    return files


def _load(spec: str, options: dict, fetcher: Fetcher, extract: bool = True) -> Iterator[RawDocument | Reject]:
    fetch = opt_bool(options, "fetch", False, KIND)
    favor = opt_choice(options, "favor", ("precision", "balanced", "recall"), "precision", KIND)
    collection = opt_str(options, "collection", KIND)
    registry = registry_from_options(options)
    if _is_url(spec):
        try:
            response = fetcher.get(spec)
        except FetchError as exc:
            yield Reject(collection, spec, f"feed not loaded: {exc.reason}")
            return
        if not response.ok:
            yield Reject(collection, spec, f"feed not loaded: HTTP {response.status}")
            return
        raw, headers, feed_url = response.content, {"content-type": response.headers.get("content-type", "")}, spec
    else:
        path = require_path(spec, KIND, want="file")
        raw, headers, feed_url = path.read_bytes(), {}, None
    parsed = feedparser.parse(raw, response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        why = f"malformed feed: {parsed.get('bozo_exception')}" if parsed.get("bozo") else "feed has no entries"
        yield Reject(collection, spec, why)
        return
    feed = parsed.get("feed") or {}
    outlet = opt_str(options, "outlet") or resolve_outlet(registry, feed.get("link"), feed_url) \
        or (feed.get("title") or "").strip() or hostname(feed.get("link") or feed_url)
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, 1):
        location = f"{spec} entry {number}"
        link = (entry.get("link") or "").strip() or None
        key = (entry.get("id") or link or "").strip()
        title = _plain(entry.get("title")) or None
        body, captions = fragment_text(_entry_html(entry))
        if not key:
            key = f"{title}|{body[:200]}"
        if not (link or body or title):
            why = f" (malformed feed: {parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
            yield Reject(collection, location, f"entry without link, title or text{why}")
            continue
        if key in seen:
            yield Reject(collection, location, f"duplicate entry (first at {seen[key]})")
            continue
        seen[key] = location
        tags = "; ".join(t.get("term") for t in entry.get("tags") or [] if t.get("term")) or None
        extra = {"author": entry.get("author") or None, "entry_id": entry.get("id") or None,
                 "tags": tags, "text_source": "feed"}
        date = _date(entry)
        if fetch:
            if not link:
                yield Reject(collection, location, "fetch=1 but the entry has no link")
                continue
            if not extract:
                try:
                    fetcher.get(link, page=True)  # only to fill the cache
                except FetchError:
                    pass
                continue
            try:
                response, page = fetch_page(fetcher, link, favor=favor)
            except (FetchError, PageError) as exc:
                yield Reject(collection, location, f"{link[:200]}: {exc}")
                continue
            doc = page_document(page, response.content, collection=collection,
                                original_id=short_id(key), location=location, registry=registry,
                                url=link, outlet=outlet,
                                extra=dict(extra, text_source="page", fetched_at=response.fetched_at))
            doc.date = date or doc.date
            doc.title = title or doc.title
            if doc.extra.get("author") is None:
                doc.extra["author"] = page.author
            yield doc
            continue
        if not body:
            extra["text_source"] = "title"  # a headline-only entry
        yield RawDocument(collection=collection, original_id=short_id(key), body=body,
                          title=title, outlet=outlet, date=date,
                          url=link, lang_hint=(parsed.get("feed", {}).get("language") or "")[:2].lower() or None,
                          captions=captions,
                          raw_sha256=sha256_bytes(canonical_json(
                              {k: _field(entry, k) for k in ("id", "link", "title", "published",
                                                            "updated", "summary")}
                              | {"content": [c.get("value") for c in entry.get("content") or []]})),
                          location=location, extra=extra)
