"""``gdelt:QUERY`` — the article list of the GDELT DOC 2.0 API.

Calls ``GET https://api.gdeltproject.org/api/v2/doc/doc?query=QUERY&mode=ArtList&
format=json&maxrecords=N&sort=DateAsc&startdatetime=...&enddatetime=...`` (GDELT DOC
2.0 API, Leetaru 2017: full-text search over monitored online news since January 2017).
The query is GDELT's own syntax: quoted phrases, ``OR`` in parentheses,
``sourcelang:arabic``, ``sourcecountry:SY``, ``domain:sana.sy``, ``near10:"..."``.

Each listed article (``url``, ``title``, ``seendate``, ``domain``, ``language``,
``sourcecountry``) becomes one document. Without ``fetch`` the document is the
headline only (``title``, empty body, ``text_source = title``): GDELT lists articles,
it does not redistribute them. Note: the build currently keeps only documents with
body or caption text, so headline-only documents end in rejects.csv ("no analysable
text"); use ``fetch=1`` for a corpus of full texts. With ``fetch=1`` each page is fetched politely (robots.txt, rate
limit, cache) and extracted as in ``html:`` (trafilatura, captions kept); the page's
own date wins, GDELT's ``seendate`` is the fallback.

Outlet: the registry key of the domain (``reuters.com`` → ``reuters``), else the
domain. ``country`` = GDELT's ``sourcecountry`` only when the registry does not know
the outlet (GDELT infers it; the registry is curated). Extra columns:
``gdelt_seendate``, ``gdelt_domain``, ``gdelt_language``, ``gdelt_sourcecountry``,
``text_source`` (``title`` or ``page``).

Paging: the API returns at most 250 articles per request and has no offset. The
``start``..``end`` range is cut into windows of ``window`` days; a window that returns
the cap is split in halves (down to one hour) and asked again, so that nothing is cut
off silently; a one-hour window still at the cap gives a rejects row saying that more
articles may match. GDELT asks for at most one request every 5 seconds: ``rate``
defaults to 5.

Rejects: a window that failed (HTTP error after retries, timeout) or came back
malformed or as a text message instead of JSON, a URL listed twice, and with
``fetch=1`` a page that could not be fetched or has no main text.
Bad arguments: no query, neither ``start``/``end`` nor ``timespan``, bad values, and a
text message from GDELT on the first request (GDELT's answer to an invalid query).

Options: ``start``/``end`` (``YYYY-MM-DD``, inclusive; reproducible — recommended) or
``timespan`` (GDELT syntax relative to now, e.g. ``1w``, ``3months``); ``window``
(days, default 7; fractions are rounded to whole hours); ``maxrecords`` (1..250, default 250); ``fetch=1``; ``favor``
(as in ``html:``); ``collection`` (default ``gdelt``); fetching options of
:mod:`framescope.corpus.loaders.http` (``rate`` default 5); ``registry=FILE``. Any option may be
written ``gdelt.KEY=VALUE`` to apply to this loader only. ``inputs()`` runs the requests
(or reads the cache) and returns the cached answers, for the manifest.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import deque
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import sha256_bytes
from framescope.corpus.loaders.html import PageError, fetch_page, page_document
from framescope.corpus.loaders.http import FetchError, Fetcher, canonical_json
from framescope.corpus.loaders.websupport import (date_range, language_code, opt_bool, opt_choice,
                                       opt_number, opt_str, registry_from_options,
                                       resolve_outlet, scoped, short_id)
from framescope.corpus.records import RawDocument, Reject

API_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250
MIN_WINDOW = dt.timedelta(hours=1)
CITATION = ("GDELT Project, DOC 2.0 API (https://api.gdeltproject.org/api/v2/doc/doc); "
            "Leetaru, K. and Schrodt, P. (2013), GDELT: Global Data on Events, Location and "
            "Tone, ISA Annual Convention. Cite each article's outlet, title, date and URL.")
KIND = "gdelt"
_STAMP = "%Y%m%d%H%M%S"


def _seen(value) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(value), "%Y%m%dT%H%M%SZ")
    except (TypeError, ValueError):
        return None


def article_document(article: dict, *, collection: str, location: str, registry) -> RawDocument | Reject:
    """Turn one ``articles`` element into a title-only document.

    Parameters
    ----------
    article : dict
        An element of the API answer's ``articles`` (``url``, ``title``, ``seendate``, ...).
    collection : str
        The collection name of the document.
    location : str
        Where the item was read (for rejects and the manifest).
    registry : Registry
        The outlet registry (:func:`framescope.corpus.registry.load_registry`).

    Returns
    -------
    RawDocument or Reject
        The document, or a reject saying why the article gives none.
    """
    if not isinstance(article, dict) or not str(article.get("url") or "").strip():
        return Reject(collection, location, "malformed article: no url")
    url = str(article["url"]).strip()
    title = " ".join(str(article.get("title") or "").split())
    if not title:
        return Reject(collection, location, f"{url[:200]}: no title and no text")
    domain = str(article.get("domain") or "").strip().lower() or None
    key = resolve_outlet(registry, domain, url)
    seen = _seen(article.get("seendate"))
    return RawDocument(
        collection=collection, original_id=short_id(url), body="", title=title,
        outlet=key or domain, date=seen.date() if seen else None, url=url,
        lang_hint=language_code(article.get("language")),
        country=None if key else (article.get("sourcecountry") or None),
        raw_sha256=sha256_bytes(canonical_json(article)), location=location,
        extra={"gdelt_seendate": seen.strftime("%Y-%m-%dT%H:%M:%SZ") if seen else None,
               "gdelt_domain": domain, "gdelt_language": article.get("language") or None,
               "gdelt_sourcecountry": article.get("sourcecountry") or None,
               "text_source": "title"})


def _windows(start: dt.date, end: dt.date, days: float) -> list[tuple[dt.datetime, dt.datetime]]:
    first = dt.datetime.combine(start, dt.time())
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    step = dt.timedelta(hours=max(1, round(days * 24)))  # whole hours: GDELT's time grid
    out, cursor = [], first
    while cursor < stop:
        out.append((cursor, min(cursor + step, stop)))
        cursor += step
    return out


def _parse(response) -> tuple[list | None, str | None, bool]:
    """``(articles, problem, is_text_message)`` from one answer."""
    text = response.content.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return None, f"GDELT answered with a message instead of JSON: {text[:200]!r}", True
    try:
        data = json.loads(text, strict=False)  # GDELT titles may hold raw control characters
    except ValueError as exc:
        return None, f"malformed JSON from GDELT: {exc}", False
    articles = data.get("articles", []) if isinstance(data, dict) else None
    if not isinstance(articles, list):
        return None, "malformed answer from GDELT: 'articles' is not a list", False
    return articles, None, False


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read a GDELT DOC 2.0 query into documents.

    Parameters
    ----------
    spec : str
        The query, in GDELT's syntax.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    iterator of RawDocument or Reject
        One document per listed article, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    return _load(spec, options, Fetcher.from_options(options, KIND, rate=5.0))


def inputs(spec: str, options: dict) -> list:
    """List the cached raw answers (article lists, and pages with ``fetch=1``), fetched if needed.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The query, in GDELT's syntax.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    options = scoped(options, KIND)
    fetcher = Fetcher.from_options(options, KIND, rate=5.0)
    for _ in _load(spec, options, fetcher, extract=False):
        pass
    return list(fetcher.used)


def _load(spec: str, options: dict, fetcher: Fetcher, extract: bool = True) -> Iterator[RawDocument | Reject]:
    query = (spec or "").strip()
    if not query:
        raise FramescopeError('gdelt: give a query, as gdelt:"coalition airstrike Raqqa"')
    collection = opt_str(options, "collection", KIND)
    maxrecords = opt_number(options, "maxrecords", MAX_RECORDS, KIND, integer=True, minimum=1,
                            maximum=MAX_RECORDS)
    days = opt_number(options, "window", 7, KIND, minimum=0.0)  # rounded up to >= 1 hour
    fetch = opt_bool(options, "fetch", False, KIND)
    favor = opt_choice(options, "favor", ("precision", "balanced", "recall"), "precision", KIND)
    start, end = date_range(options, KIND)
    timespan = opt_str(options, "timespan")
    if timespan and (start or end):
        raise FramescopeError("gdelt: give either start/end or timespan, not both")
    if not timespan and not (start and end):
        raise FramescopeError("gdelt: give start=YYYY-MM-DD and end=YYYY-MM-DD "
                              "(or timespan=, e.g. 1w, relative to today)")
    registry = registry_from_options(options)
    base = {"query": query, "mode": "ArtList", "format": "json", "maxrecords": maxrecords,
            "sort": "DateAsc"}
    todo: deque = deque(_windows(start, end, days) if start else [None])
    seen: dict[str, str] = {}
    first_request = True
    while todo:
        window = todo.popleft()
        params = dict(base)
        if window is None:
            params["timespan"] = timespan
            where = f"gdelt:{query} timespan={timespan}"
        else:
            params["startdatetime"] = window[0].strftime(_STAMP)
            params["enddatetime"] = (window[1] - dt.timedelta(seconds=1)).strftime(_STAMP)
            where = f"gdelt:{query} {params['startdatetime']}-{params['enddatetime']}"
        try:
            response = fetcher.get(API_URL, params=params)
        except FetchError as exc:
            first_request = False
            yield Reject(collection, where, f"window not loaded: {exc.reason}")
            continue
        if not response.ok:
            fetcher.forget(response)
            yield Reject(collection, where, f"window not loaded: HTTP {response.status}")
            first_request = False
            continue
        articles, problem, message = _parse(response)
        if problem:
            fetcher.forget(response)
            if message and first_request and "limit requests" not in problem.lower():
                raise FramescopeError(f"gdelt: {problem}")
            yield Reject(collection, where, problem)
            first_request = False
            continue
        first_request = False
        if len(articles) >= maxrecords and window is not None and window[1] - window[0] >= 2 * MIN_WINDOW:
            # split at a whole hour near the middle, both halves at least one hour long
            middle = (window[0] + (window[1] - window[0]) / 2).replace(minute=0, second=0, microsecond=0)
            middle = min(max(middle, window[0] + MIN_WINDOW), window[1] - MIN_WINDOW)
            todo.appendleft((middle, window[1]))
            todo.appendleft((window[0], middle))
            continue
        if len(articles) >= maxrecords:
            yield Reject(collection, where, f"GDELT returned its cap of {maxrecords} articles "
                                            "for this window; more articles may match")
        for number, article in enumerate(articles):
            location = f"{where} #{number}"
            result = article_document(article, collection=collection, location=location,
                                      registry=registry)
            if isinstance(result, Reject):
                yield result
                continue
            if result.url in seen:
                yield Reject(collection, location, f"duplicate URL (first at {seen[result.url]})")
                continue
            seen[result.url] = location
            if fetch and not extract:
                try:
                    fetcher.get(result.url, page=True)  # only to fill the cache
                except FetchError:
                    pass
                continue
            yield _with_page(result, fetcher, registry, favor) if fetch else result


def _with_page(listed: RawDocument, fetcher: Fetcher, registry, favor: str) -> RawDocument | Reject:
    try:
        response, page = fetch_page(fetcher, listed.url, favor=favor)
    except (FetchError, PageError) as exc:
        return Reject(listed.collection, listed.location, f"{listed.url[:200]}: {exc}")
    extra = dict(listed.extra, text_source="page", fetched_at=response.fetched_at)
    doc = page_document(page, response.content, collection=listed.collection,
                        original_id=listed.original_id, location=listed.location,
                        registry=registry, url=listed.url, outlet=listed.outlet,
                        fallback_date=listed.date, extra=extra)
    doc.title = doc.title or listed.title
    doc.country = listed.country
    doc.lang_hint = doc.lang_hint or listed.lang_hint
    return doc
