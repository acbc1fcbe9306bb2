"""Polite, cached HTTP for the network loaders (``reliefweb``, ``gdelt``, ``rss``, fetching).

What every request does:

- sends ``User-Agent: framescope/<version> (+research corpus builder)`` (``contact=`` adds
  an e-mail or URL so that site owners can reach the person running the crawl);
- waits at least ``rate`` seconds between two requests to the same host (and longer
  when a site's robots.txt sets a ``Crawl-delay``);
- times out (``timeout`` seconds for connecting and for each read; four times that for
  a whole download);
- retries on 429 and 5xx answers and on network errors, up to ``retries`` times, waiting
  ``backoff * 2**attempt`` seconds, or what the server's ``Retry-After`` asks (at most
  ``max_wait`` seconds; a longer request gives up with a reason);
- follows at most 5 redirects, and only to ``http``/``https`` URLs;
- stops reading at ``max_bytes`` (the body is never larger than the cap in memory);
- for page fetches (not API calls), obeys the site's robots.txt for the product token
  ``framescope`` as RFC 9309 reads it (protego: ``*`` and ``$`` wildcards, the longest
  matching rule wins, Allow over Disallow on a tie): a robots.txt answering 401/403 or not
  reachable (5xx, network error) disallows the site (RFC 9309 §2.3.1); any other 4xx
  allows it;
- keeps the raw answer in an on-disk cache keyed by the request (method, URL with
  sorted parameters, body), so that a rebuild runs offline and gives the same corpus.
  Parameters named in ``key_ignore`` (the ReliefWeb ``appname``) are left out of the
  key, so a colleague without your appname can rebuild from your cache. Answers with
  status 2xx, 404 and 410 are cached; 401/403, 429 and 5xx never are. ``offline=1``
  never touches the network (a request not in the cache fails with a reason);
  ``refresh=1`` fetches again and overwrites the cache — once per process, since the
  build reads every source more than once and all passes must see the same answers.
  With ``cache=off`` answers are kept in memory for the process, for the same reason.

``Fetcher.used`` lists the cache files a loader read or wrote, in order (robots.txt
answers excepted): the network loaders' ``inputs()`` return them, so the manifest and
``corpus_id`` record the raw answers a corpus was built from.

Fetched content is only ever parsed as data (JSON, XML, HTML text extraction); nothing
fetched is executed, and ``file:``/``ftp:`` URLs are refused.

Failures are :class:`FetchError` with a one-line ``reason``: loaders turn them into
rejects rows (a page that did not arrive is bad data, not a bad argument).

Options read by :meth:`Fetcher.from_options` (all optional):

=============  ==========================================================================
``cache``      cache folder (default ``$FRAMESCOPE_CACHE``, else
               ``$XDG_CACHE_HOME/framescope/http``, else ``~/.cache/framescope/http``);
               ``cache=off`` disables it
``offline``    1 = use the cache only
``refresh``    1 = fetch again, overwriting cached answers
``timeout``    seconds for connect and each read (default 30)
``retries``    retries after the first attempt (default 4)
``backoff``    base of the exponential backoff in seconds (default 2)
``max_wait``   longest wait accepted from Retry-After / backoff (default 120)
``rate``       minimum seconds between requests to one host (loader default)
``max_bytes``  largest response body accepted (default 20000000)
``contact``    e-mail or URL added to the User-Agent
=============  ==========================================================================
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from typing import Any

import requests

from framescope.corpus import __version__
from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.websupport import opt_bool, opt_number, opt_str

USER_AGENT = f"framescope/{__version__} (+research corpus builder)"
ROBOTS_TOKEN = "framescope"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CACHEABLE_STATUSES = frozenset({404, 410})  # plus every 2xx
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Options that change how answers are fetched, not what the corpus holds (the cached
#: answers listed by ``inputs()`` carry that): candidates to leave out of ``corpus_id``.
FETCH_OPTIONS = frozenset({"cache", "offline", "refresh", "timeout", "retries", "backoff",
                           "max_wait", "rate", "max_bytes", "contact", "appname"})
KEPT_HEADERS = ("content-type", "content-language", "last-modified", "etag", "date")
MAX_REDIRECTS = 5

# Indirections so tests can run the backoff and rate limiting without real waiting.
_sleep = time.sleep
_clock = time.monotonic
#: (cache folder, key) refreshed in this process: later passes of a build reuse them
_REFRESHED: set[tuple[str, str]] = set()
#: answers kept for the process when caching on disk is off (cache=off)
_MEMORY: dict[str, "Response"] = {}
#: host → time of the last request, shared by all fetchers of the process (two sources
#: on one host must not double the rate)
_LAST_REQUEST: dict[str, float] = {}


class FetchError(Exception):
    """A request that did not give a usable answer; ``reason`` is one line.

    Parameters
    ----------
    reason : str
        Why, in one line (becomes the rejects reason).
    status : int, optional
        The HTTP status, when there was an answer.
    url : str, optional
        The URL requested.
    """

    def __init__(self, reason: str, status: int | None = None, url: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.url = url


@dataclass
class Response:
    """A final answer (from the network or the cache).

    Parameters
    ----------
    url : str
        The URL requested.
    final_url : str
        The URL after redirects.
    status : int
        The HTTP status.
    headers : dict of str to str
        The response headers.
    content : bytes
        The body (at most ``max_bytes``).
    from_cache : bool, default False
        True when read from the on-disk cache.
    key : str
        The cache key of the request.
    fetched_at : str
        When it was fetched (ISO 8601).
    """

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    from_cache: bool = False
    key: str = ""
    fetched_at: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    def json(self):
        """The body as JSON; ``ValueError`` when it is not."""
        return json.loads(self.content.decode("utf-8-sig"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def default_cache_dir() -> Path:
    """Return the HTTP cache folder: ``$FRAMESCOPE_CACHE``, else ``$XDG_CACHE_HOME/framescope/http``.

    Returns
    -------
    pathlib.Path
        The folder (``~/.cache/framescope/http`` without either variable).
    """
    env = os.environ.get("FRAMESCOPE_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "framescope" / "http"


def canonical_url(url: str, params: dict | None = None, ignore: tuple[str, ...] = ()) -> str:
    """Merge a URL's query with ``params``, sorted, ``ignore`` names dropped.

    Parameters
    ----------
    url : str
        The URL.
    params : dict, optional
        More query parameters.
    ignore : tuple of str
        Parameter names left out (e.g. ReliefWeb's ``appname``).

    Returns
    -------
    str
        The canonical URL.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, str(v)) for k, v in (params or {}).items()]
    query = sorted((k, v) for k, v in query if k not in ignore)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def canonical_json(payload) -> bytes:
    """Serialise a request body the same way every time (sorted keys, no spaces, UTF-8).

    Parameters
    ----------
    payload : object
        A JSON-serialisable value.

    Returns
    -------
    bytes
        The canonical JSON.
    """
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def request_key(method: str, url: str, params: dict | None = None, body: bytes = b"",
                ignore: tuple[str, ...] = ()) -> str:
    """Compute the cache key of a request: method, canonical URL and body.

    Parameters
    ----------
    method : str
        ``GET`` or ``POST``.
    url : str
        The URL.
    params : dict, optional
        Query parameters.
    body : bytes
        The request body.
    ignore : tuple of str
        Parameter names left out of the key.

    Returns
    -------
    str
        A SHA-256 hex digest.
    """
    h = hashlib.sha256(f"{method.upper()}\n{canonical_url(url, params, ignore)}\n".encode())
    h.update(body)
    return h.hexdigest()


def _retry_after(value: str | None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


@dataclass
class Fetcher:
    """Polite HTTP client with an on-disk cache; see the module docstring.

    Parameters
    ----------
    cache_dir : pathlib.Path, optional
        The cache folder (None: answers kept in memory for the process).
    offline : bool, default False
        Use the cache only.
    refresh : bool, default False
        Fetch again, overwriting cached answers (once per process).
    timeout : float, default 30.0
        Seconds for connecting and for each read.
    retries : int, default 4
        Retries after the first attempt (429, 5xx, network errors).
    backoff : float, default 2.0
        Wait ``backoff * 2**attempt`` seconds between attempts.
    max_wait : float, default 120.0
        Longest wait a ``Retry-After`` may ask.
    rate : float, default 1.0
        Seconds between two requests to the same host.
    max_bytes : int, default 20000000
        Largest body read.
    contact : str, optional
        An e-mail or URL added to the User-Agent.
    session : requests.Session, optional
        The HTTP session (default: a new one).
    _robots, _host_interval : dict
        Internal state: robots.txt rules and crawl delays per host.
    used : list of pathlib.Path
        The cache files read or written, in order (the loaders' ``inputs()``).
    """

    cache_dir: Path | None = None
    offline: bool = False
    refresh: bool = False
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0
    max_wait: float = 120.0
    rate: float = 1.0
    max_bytes: int = 20_000_000
    contact: str | None = None
    session: requests.Session | None = None
    _robots: dict[str, tuple[Any, bool | None]] = field(
        default_factory=dict, repr=False)
    _host_interval: dict[str, float] = field(default_factory=dict, repr=False)  # Crawl-delay
    used: list[Path] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers.setdefault("Accept-Encoding", "gzip, deflate")
        if self.cache_dir is not None:
            self.cache_dir = Path(self.cache_dir)

    @property
    def user_agent(self) -> str:
        if self.contact:
            return f"framescope/{__version__} (+research corpus builder; {self.contact})"
        return USER_AGENT

    @classmethod
    def from_options(cls, options: dict, kind: str, *, rate: float = 1.0) -> "Fetcher":
        """Build a fetcher from a loader's options (the table above).

        Parameters
        ----------
        options : dict
            The loader options (``cache``, ``offline``, ``refresh``, ``timeout``, ...).
        kind : str
            The loader kind (named in errors).
        rate : float, default 1.0
            Seconds between two requests to one host, unless ``rate`` is among the options.

        Returns
        -------
        Fetcher
            The fetcher.
        """
        cache = opt_str(options, "cache")
        if cache is None:
            cache_dir: Path | None = default_cache_dir()
        elif cache.lower() in ("off", "none", "0"):
            cache_dir = None
        else:
            cache_dir = Path(cache).expanduser()
        offline = opt_bool(options, "offline", False, kind)
        if offline and cache_dir is None:
            raise FramescopeError(f"{kind}: offline=1 needs a cache (cache=off was given)")
        return cls(
            cache_dir=cache_dir,
            offline=offline,
            refresh=opt_bool(options, "refresh", False, kind),
            timeout=opt_number(options, "timeout", 30.0, kind, minimum=0.1),
            retries=opt_number(options, "retries", 4, kind, integer=True, minimum=0, maximum=20),
            backoff=opt_number(options, "backoff", 2.0, kind, minimum=0),
            max_wait=opt_number(options, "max_wait", 120.0, kind, minimum=0),
            rate=opt_number(options, "rate", rate, kind, minimum=0),
            max_bytes=opt_number(options, "max_bytes", 20_000_000, kind, integer=True, minimum=1024),
            contact=opt_str(options, "contact"),
        )

    # --- public -------------------------------------------------------------------------

    def get(self, url: str, *, params: dict | None = None, page: bool = False,
            key_ignore: tuple[str, ...] = ()) -> Response:
        """GET ``url``. ``page=True`` for web pages: robots.txt applies."""
        return self.request("GET", url, params=params, page=page, key_ignore=key_ignore)

    def post_json(self, url: str, payload, *, params: dict | None = None,
                  key_ignore: tuple[str, ...] = ()) -> Response:
        """POST a JSON body (sent in canonical form, so the cache key is stable)."""
        return self.request("POST", url, params=params, body=canonical_json(payload),
                            headers={"Content-Type": "application/json"}, key_ignore=key_ignore)

    def request(self, method: str, url: str, *, params: dict | None = None, body: bytes = b"",
                headers: dict | None = None, page: bool = False,
                key_ignore: tuple[str, ...] = (), record: bool = True) -> Response:
        """One request through cache, robots.txt (``page``), rate limit and retries.

        ``record=False`` keeps the answer out of ``used`` (robots.txt files: whether
        they are consulted depends on the state of the cache, not on the corpus).
        """
        if not _is_http(url):
            raise FetchError(f"not an http(s) URL: {url[:200]}", url=url)
        key = request_key(method, url, params, body, key_ignore)
        if not self.refresh or (str(self.cache_dir), key) in _REFRESHED:
            cached = self._cache_read(key, url)
            if cached is not None:
                if record:
                    self._note_used(key)
                return cached
        if page and self._robots_verdict(url) is False:
            raise FetchError("disallowed by robots.txt", url=url)
        if self.offline:
            raise FetchError("not in the cache and offline=1", url=url)
        response = self._with_retries(method, url, params, body, headers or {}, page)
        response.key = key
        if response.ok or response.status in CACHEABLE_STATUSES:
            self._cache_write(key, method, canonical_url(url, params, key_ignore), response)
            if self.refresh:
                _REFRESHED.add((str(self.cache_dir), key))
            if record:
                self._note_used(key)
        return response

    def forget(self, response: Response) -> None:
        """Drop an answer from the cache (e.g. a 200 whose body turned out malformed)."""
        if self.cache_dir is None:
            _MEMORY.pop(response.key, None)
            return
        if not response.key:
            return
        path = self._cache_path(response.key, ".body")
        if path in self.used:
            self.used.remove(path)
        for suffix in (".json", ".body"):
            path = self._cache_path(response.key, suffix)
            if path.exists():
                path.unlink()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets ``framescope`` fetch it."""
        return bool(self._robots_verdict(url))

    def _robots_verdict(self, url: str) -> bool | None:
        """True/False from robots.txt; None offline when robots.txt is not in the cache."""
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if site not in self._robots:
            self._robots[site] = self._read_robots(site)
        parser, allow_all = self._robots[site]
        if parser is None:
            return allow_all
        return parser.can_fetch(url, ROBOTS_TOKEN)

    # --- robots -------------------------------------------------------------------------

    def _read_robots(self, site: str) -> tuple[Any, bool | None]:
        """(protego parser or None, verdict when there is no parser)."""
        try:
            answer = self.request("GET", site + "/robots.txt", record=False)
        except FetchError:
            if self.offline:
                return None, None  # not cached: unknown (the page is not cached either)
            return None, False  # unreachable robots.txt: complete disallow (RFC 9309)
        if answer.status in (401, 403):
            return None, False
        if not answer.ok:
            return None, True
        from protego import Protego

        parser = Protego.parse(answer.content.decode("utf-8", errors="replace"))
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host = urlsplit(site).netloc
            self._host_interval[host] = max(self.rate, float(delay))
        return parser, True

    # --- network ------------------------------------------------------------------------

    def _throttle(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        interval = self._host_interval.get(host, self.rate)
        last = _LAST_REQUEST.get(host)
        if last is not None:
            wait = last + interval - _clock()
            if wait > 0:
                _sleep(wait)
        _LAST_REQUEST[host] = _clock()

    def _with_retries(self, method, url, params, body, headers, page) -> Response:
        attempts = self.retries + 1
        for attempt in range(attempts):
            wait = self.backoff * (2 ** attempt)
            try:
                response = self._send(method, url, params, body, headers, page)
            except requests.Timeout:
                problem, status = f"timed out after {self.timeout:g} s", None
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem, status = f"network error: {type(exc).__name__}", None
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                problem, status = f"HTTP {response.status}", response.status
                asked = _retry_after(response.headers.get("retry-after"))
                if asked is not None:
                    wait = asked
            if attempt == attempts - 1:
                raise FetchError(f"{problem} (gave up after {attempts} attempts)", status, url)
            if wait > self.max_wait:
                raise FetchError(f"{problem}; the server asked to wait {wait:.0f} s, more than "
                                 f"max_wait={self.max_wait:g}", status, url)
            _sleep(wait)
        raise AssertionError("unreachable")

    def _send(self, method, url, params, body, headers, page) -> Response:
        current, current_params = url, params
        for _hop in range(MAX_REDIRECTS + 1):
            self._throttle(current)
            raw = self.session.request(method, current, params=current_params,
                                       data=body or None, headers=headers,
                                       allow_redirects=False, stream=True,
                                       timeout=(self.timeout, self.timeout))
            try:
                if raw.status_code in REDIRECT_STATUSES and raw.headers.get("Location"):
                    target = urljoin(raw.url, raw.headers["Location"])
                    if not _is_http(target):
                        raise FetchError(f"redirect to a non-http(s) URL refused: {target[:200]}",
                                         raw.status_code, url)
                    if page and not self.allowed(target):
                        raise FetchError(f"redirect target disallowed by robots.txt: {target[:200]}",
                                         raw.status_code, url)
                    if raw.status_code == 303 or (raw.status_code in (301, 302) and method == "POST"):
                        method, body, headers = "GET", b"", {}
                    current, current_params = target, None
                    continue
                content = self._read_capped(raw)
                kept = {k: raw.headers[k] for k in KEPT_HEADERS if k in raw.headers}
                if "retry-after" in raw.headers:
                    kept["retry-after"] = raw.headers["retry-after"]
                return Response(url=url, final_url=raw.url, status=raw.status_code, headers=kept,
                                content=content,
                                fetched_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            finally:
                raw.close()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", None, url)

    def _read_capped(self, raw: requests.Response) -> bytes:
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"response of {int(declared)} bytes is larger than "
                             f"max_bytes={self.max_bytes}", raw.status_code, raw.url)
        deadline = _clock() + 4 * self.timeout
        chunks, size = [], 0
        for chunk in raw.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"response larger than max_bytes={self.max_bytes}",
                                 raw.status_code, raw.url)
            if _clock() > deadline:
                raise requests.Timeout(f"download took longer than {4 * self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    # --- cache --------------------------------------------------------------------------

    def _cache_path(self, key: str, suffix: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}{suffix}"

    def _cache_read(self, key: str, url: str) -> Response | None:
        if self.cache_dir is None:
            return _MEMORY.get(key)
        meta_path, body_path = self._cache_path(key, ".json"), self._cache_path(key, ".body")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            content = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(content).hexdigest() != meta.get("sha256"):
            return None  # damaged entry: fetch again (or fail offline)
        return Response(url=url, final_url=meta.get("final_url", url), status=int(meta["status"]),
                        headers=meta.get("headers", {}), content=content, from_cache=True,
                        key=key, fetched_at=meta.get("fetched_at", ""))

    def _note_used(self, key: str) -> None:
        if self.cache_dir is not None:
            path = self._cache_path(key, ".body")
            if path not in self.used:
                self.used.append(path)

    def _cache_write(self, key: str, method: str, canon: str, response: Response) -> None:
        if self.cache_dir is None:
            _MEMORY[key] = Response(**{**response.__dict__, "from_cache": True})
            return
        meta = {"request": {"method": method, "url": canon}, "status": response.status,
                "final_url": response.final_url, "headers": response.headers,
                "fetched_at": response.fetched_at, "sha256": response.sha256,
                "user_agent": self.user_agent}
        folder = self._cache_path(key, "").parent
        folder.mkdir(parents=True, exist_ok=True)
        # body first, then metadata: a reader only trusts an entry whose metadata exists
        for suffix, data in ((".body", response.content),
                             (".json", json.dumps(meta, indent=1, sort_keys=True).encode())):
            final = self._cache_path(key, suffix)
            tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, final)
