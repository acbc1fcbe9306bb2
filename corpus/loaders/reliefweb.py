"""``reliefweb:QUERY`` — reports from the ReliefWeb API (UN OCHA).

Calls ``POST https://api.reliefweb.int/v2/reports?appname=APPNAME`` with a JSON body
(``query``, ``filter``, ``fields``, ``sort``, ``offset``, ``limit``), as documented at
https://apidoc.reliefweb.int (parameters, result structure). Since 1 November 2025
ReliefWeb only answers a *pre-approved* appname (request one on the API
documentation's "appname" section); v1 is retired, so ``api=v2`` is the default.
Paging: ``offset`` grows by ``limit`` until ``totalCount`` is reached. Results are
sorted by original date, then id, so that pages do not shift between runs.

Each report becomes one document: title; body extracted from ``body-html`` (one
paragraph per block element; captions kept apart); date from ``date.original``
(publication by the source), else ``date.created``; URL ``url_alias`` (else ``url``);
language hint from ``language.code``; outlet = the first source, as its registry key
when the registry knows it (``Human Rights Watch`` → ``hrw``), else its name.

Source type from ReliefWeb's own source type of the first source:

==================================  ===============================================
ReliefWeb ``source.type.name``      framescope ``source_type``
==================================  ===============================================
Non-governmental Organization       ``ngo``
International Organization          ``igo``
Red Cross/Red Crescent Movement     ``igo``
Government                          ``government``
Media                               ``private_media`` — unless the outlet registry
                                    knows the outlet, whose type then applies (SANA
                                    is listed as Media on ReliefWeb but is state media)
Academic and Research Institution   ``ngo`` — non-state, non-media publishers of
                                    research; the registry has no academic type. The
                                    original type stays in ``reliefweb_source_type``
                                    so that a study can split them out.
Other                               ``unknown``
==================================  ===============================================

Extra columns: ``reliefweb_id``, ``reliefweb_source_type``, ``reliefweb_sources`` (all
sources, "; "), ``primary_country``, ``countries``, ``format``, ``languages``,
``origin_url`` (the report on the source's own site).

Rejects: a report without body text (ReliefWeb items that only carry a PDF or map),
a report id seen twice, a page that failed (HTTP error after retries, timeout) or came
back malformed — the next pages still load when ``totalCount`` is known.
Bad arguments (one-line error): no appname, no query and no filter, bad option values,
and the API refusing the request (HTTP 400/401/403/404/410, with its message).

Options:

- ``appname`` — your approved ReliefWeb appname (or ``$RELIEFWEB_APPNAME``; not needed
  with ``offline=1``). It is not part of the cache key, so a cache can be shared;
- ``country`` — comma-separated country names or ISO3 codes (``Syria`` or ``SYR``);
  ``primary_country=1`` filters on the report's primary country instead;
- ``source`` — source names or short names (``Human Rights Watch,OCHA``);
- ``source_type`` — ReliefWeb source types (``Non-governmental Organization``);
- ``language`` — language codes (``en,ar``); ``format`` — report formats
  (``News and Press Release,Situation Report``);
- ``start``/``end`` — original-date range, inclusive, ``YYYY-MM-DD``;
- ``operator`` — how query words combine, ``AND`` (default) or ``OR``;
- ``limit`` — page size, 1..1000 (default 100); ``max`` — stop after N reports;
- ``api`` — ``v2`` (default) or ``v1``; ``collection`` — default ``reliefweb``;
- fetching: ``cache``, ``offline``, ``refresh``, ``timeout``, ``retries``, ``backoff``,
  ``max_wait``, ``rate`` (default 1 s), ``max_bytes``, ``contact``
  (:mod:`framescope.corpus.loaders.http`); ``registry=FILE``.

Any option may be written ``reliefweb.KEY=VALUE`` to apply to this loader only.
``inputs()`` runs the requests (or reads them from the cache) and returns the cached
answers, so that the manifest records them and ``corpus_id`` changes with them.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Iterator

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import sha256_bytes
from framescope.corpus.loaders.html import fragment_text
from framescope.corpus.loaders.http import FetchError, Fetcher, canonical_json
from framescope.corpus.loaders.websupport import (date_range, opt_bool, opt_choice, opt_list, opt_number,
                                       opt_str, registry_from_options, resolve_outlet, scoped)
from framescope.corpus.records import RawDocument, Reject

API_URL = "https://api.reliefweb.int/{api}/reports"
FIELDS = ["id", "title", "body-html", "date.original", "date.created", "url", "url_alias",
          "origin", "source.name", "source.shortname", "source.type.name", "language.code",
          "primary_country.name", "primary_country.iso3", "country.name", "format.name"]
SORT = ["date.original:asc", "id:asc"]
SOURCE_TYPES = {
    "Non-governmental Organization": "ngo",
    "International Organization": "igo",
    "Red Cross/Red Crescent Movement": "igo",
    "Government": "government",
    "Media": "private_media",
    "Academic and Research Institution": "ngo",
    "Other": "unknown",
}
REFUSALS = {400, 401, 403, 404, 410}
CITATION = ("ReliefWeb, UN Office for the Coordination of Humanitarian Affairs (OCHA), "
            "https://reliefweb.int; reports retrieved through the ReliefWeb API "
            "(https://apidoc.reliefweb.int). Cite each report's publishing organisation, "
            "title, date and ReliefWeb URL.")
KIND = "reliefweb"


def _any_of(field: str, values: list[str]) -> dict:
    return {"field": field, "value": values if len(values) > 1 else values[0]}


def build_payload(query: str, options: dict, *, offset: int = 0, limit: int = 100) -> dict:
    """Build the JSON body of one page request (documented ReliefWeb API parameters).

    Parameters
    ----------
    query : str
        The ReliefWeb query.
    options : dict
        Loader options (filters, dates, language).
    offset : int, default 0
        First result of the page.
    limit : int, default 100
        Results per page.

    Returns
    -------
    dict
        ``query``, ``filter``, ``fields``, ``sort``, ``offset``, ``limit``.
    """
    conditions: list[dict] = []
    countries = opt_list(options, "country")
    if countries:
        field = "primary_country" if opt_bool(options, "primary_country", False, KIND) else "country"
        iso3 = [c.lower() for c in countries if len(c) == 3 and c.isalpha() and c.isupper()]
        names = [c for c in countries if c.lower() not in iso3]
        parts = ([_any_of(f"{field}.iso3", iso3)] if iso3 else []) + \
                ([_any_of(field, names)] if names else [])
        conditions.append(parts[0] if len(parts) == 1 else {"operator": "OR", "conditions": parts})
    sources = opt_list(options, "source")
    if sources:
        conditions.append({"operator": "OR", "conditions": [
            _any_of("source.name", sources), _any_of("source.shortname", sources)]})
    for option, field in (("source_type", "source.type.name"), ("language", "language.code"),
                          ("format", "format.name")):
        values = opt_list(options, option)
        if values:
            conditions.append(_any_of(field, values))
    start, end = date_range(options, KIND)
    if start or end:
        span = {}
        if start:
            span["from"] = f"{start.isoformat()}T00:00:00+00:00"
        if end:
            span["to"] = f"{end.isoformat()}T23:59:59+00:00"
        conditions.append({"field": "date.original", "value": span})
    payload: dict = {"fields": {"include": FIELDS}, "sort": SORT, "offset": offset, "limit": limit}
    if query.strip():
        payload["query"] = {"value": query.strip(),
                            "operator": opt_choice(options, "operator", ("AND", "OR"), "AND", KIND)}
    if conditions:
        payload["filter"] = {"operator": "AND", "conditions": conditions}
    return payload


def _iso_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _names(items, key: str = "name") -> list[str]:
    if isinstance(items, dict):
        items = [items]
    return [str(i[key]) for i in items or [] if isinstance(i, dict) and i.get(key)]


def report_document(item: dict, *, collection: str, location: str, registry) -> RawDocument | Reject:
    """Turn one ReliefWeb report (an element of ``data``) into a document.

    Parameters
    ----------
    item : dict
        The report (``id``, ``fields``).
    collection : str
        The collection name of the document.
    location : str
        Where the item was read (for rejects and the manifest).
    registry : Registry
        The outlet registry (:func:`framescope.corpus.registry.load_registry`).

    Returns
    -------
    RawDocument or Reject
        The document, or a reject saying why the report gives none.
    """
    fields = item.get("fields") if isinstance(item, dict) else None
    if not isinstance(fields, dict):
        return Reject(collection, location, "malformed report: no 'fields' object")
    report_id = str(item.get("id") or fields.get("id") or "").strip()
    if not report_id:
        return Reject(collection, location, "malformed report: no id")
    body, captions = fragment_text(fields.get("body-html") or "")
    if not body and isinstance(fields.get("body"), str):
        body = "\n\n".join(p.strip() for p in fields["body"].split("\n\n") if p.strip())
    if not body:
        return Reject(collection, location, f"report {report_id} has no body text "
                                            "(attachment-only report)")
    dates = fields.get("date") if isinstance(fields.get("date"), dict) else {}
    sources = [s for s in fields.get("source") or [] if isinstance(s, dict)]
    first = sources[0] if sources else {}
    rw_type = (first.get("type") or {}).get("name") if isinstance(first.get("type"), dict) else None
    key = resolve_outlet(registry, first.get("name"), first.get("shortname"))
    source_type = SOURCE_TYPES.get(rw_type) if rw_type else None
    if rw_type == "Media" and key:
        source_type = None  # the registry knows this outlet (e.g. SANA): its type applies
    languages = _names(fields.get("language"), "code")
    primary = fields.get("primary_country") if isinstance(fields.get("primary_country"), dict) else {}
    extra = {"reliefweb_id": report_id, "reliefweb_source_type": rw_type,
             "reliefweb_sources": "; ".join(_names(sources)) or None,
             "primary_country": primary.get("name"),
             "countries": "; ".join(_names(fields.get("country"))) or None,
             "format": "; ".join(_names(fields.get("format"))) or None,
             "languages": "; ".join(languages) or None, "origin_url": fields.get("origin")}
    return RawDocument(
        collection=collection, original_id=report_id, body=body,
        title=(fields.get("title") or "").strip() or None,
        outlet=key or first.get("name") or first.get("shortname"),
        date=_iso_date(dates.get("original")) or _iso_date(dates.get("created")),
        url=fields.get("url_alias") or fields.get("url"), lang_hint=languages[0] if languages else None,
        source_type=source_type, captions=captions,
        raw_sha256=sha256_bytes(canonical_json(item)),
        location=location, extra=extra)


def _api_message(response) -> str:
    try:
        data = response.json()
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    except ValueError:
        pass
    return response.content[:200].decode("utf-8", "replace").strip()


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read ReliefWeb reports into documents.

    Parameters
    ----------
    spec : str
        The ReliefWeb query.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    iterator of RawDocument or Reject
        One document per report, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    return _load(spec, options, Fetcher.from_options(options, KIND, rate=1.0))


def inputs(spec: str, options: dict) -> list:
    """List the cached raw API answers the corpus is built from (fetched now if needed).

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        The ReliefWeb query.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    options = scoped(options, KIND)
    fetcher = Fetcher.from_options(options, KIND, rate=1.0)
    for _ in _load(spec, options, fetcher):
        pass
    return list(fetcher.used)


def _load(spec: str, options: dict, fetcher: Fetcher) -> Iterator[RawDocument | Reject]:
    query = spec or ""
    collection = opt_str(options, "collection", KIND)
    limit = opt_number(options, "limit", 100, KIND, integer=True, minimum=1, maximum=1000)
    most = opt_number(options, "max", None, KIND, integer=True, minimum=1)
    api = opt_choice(options, "api", ("v2", "v1"), "v2", KIND)
    first_payload = build_payload(query, options, limit=limit)  # validates the options
    if "query" not in first_payload and "filter" not in first_payload:
        raise FramescopeError("reliefweb: give a query (reliefweb:\"words\") or a filter "
                              "(--opt country=..., source=..., start=...)")
    appname = opt_str(options, "appname") or os.environ.get("RELIEFWEB_APPNAME")
    if not appname and not fetcher.offline:
        raise FramescopeError("reliefweb: needs --opt appname=NAME, an appname approved by "
                              "ReliefWeb (https://apidoc.reliefweb.int/parameters#appname), "
                              "or $RELIEFWEB_APPNAME")
    registry = registry_from_options(options)
    url = API_URL.format(api=api)
    offset, total, loaded = 0, None, 0
    seen: dict[str, str] = {}
    while True:
        where = f"reliefweb:{query} offset={offset}"
        payload = build_payload(query, options, offset=offset, limit=limit)
        problem = None
        try:
            response = fetcher.post_json(url, payload, params={"appname": appname or ""},
                                         key_ignore=("appname",))
        except FetchError as exc:
            problem = f"page not loaded: {exc.reason}"
        else:
            if response.status in REFUSALS:
                raise FramescopeError(f"reliefweb: the API refused the request (HTTP "
                                      f"{response.status}): {_api_message(response)}")
            if not response.ok:
                problem = f"page not loaded: HTTP {response.status}"
            else:
                try:
                    data = response.json()
                    items = data["data"]
                    total = int(data["totalCount"])
                    if not isinstance(items, list):
                        raise TypeError("'data' is not a list")
                except (ValueError, KeyError, TypeError) as exc:
                    fetcher.forget(response)  # do not keep a broken answer for rebuilds
                    problem = f"malformed API answer: {type(exc).__name__}: {str(exc)[:120]}"
        if problem:
            yield Reject(collection, where, problem)
            if total is None:
                return  # the first page failed: the number of pages is unknown
            offset += limit
            if offset >= total:
                return
            continue
        for number, item in enumerate(items):
            location = f"{where} item {number}"
            result = report_document(item, collection=collection, location=location,
                                     registry=registry)
            if isinstance(result, RawDocument):
                if result.original_id in seen:
                    yield Reject(collection, location, f"duplicate report id {result.original_id} "
                                                       f"(first at {seen[result.original_id]})")
                    continue
                seen[result.original_id] = location
                loaded += 1
            yield result
            if most is not None and loaded >= most:
                return
        offset += limit
        if not items or offset >= total:
            return
