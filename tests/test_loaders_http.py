"""framescope.corpus.loaders.http: User-Agent, retries/backoff, Retry-After, rate limit, size cap,
redirects, robots.txt and the on-disk cache. Every answer is mocked with `responses`:
an unmatched request raises ConnectionError, so nothing here can reach the network."""
from __future__ import annotations

import email.utils
import time

import pytest
import requests
import responses

from framescope.corpus import __version__
from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders import http
from framescope.corpus.loaders.http import FetchError, Fetcher, request_key

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def fresh_process_state(monkeypatch):
    """Each test starts as a new process would: no in-memory answers, nothing refreshed."""
    monkeypatch.setattr(http, "_MEMORY", {})
    monkeypatch.setattr(http, "_REFRESHED", set())
    monkeypatch.setattr(http, "_LAST_REQUEST", {})


@pytest.fixture
def waits(monkeypatch):
    """Record the sleeps instead of sleeping; a fake clock advances by what was slept."""
    slept: list[float] = []
    now = [1000.0]

    def fake_sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    monkeypatch.setattr(http, "_sleep", fake_sleep)
    monkeypatch.setattr(http, "_clock", lambda: now[0])
    return slept


@pytest.fixture
def fetcher(tmp_path, waits):
    return Fetcher(cache_dir=tmp_path / "cache", rate=0, backoff=1.0, retries=3)


@responses.activate
def test_user_agent_names_the_project(fetcher):
    responses.add(responses.GET, f"{SITE}/a", body="ok")
    fetcher.get(f"{SITE}/a")
    ua = responses.calls[0].request.headers["User-Agent"]
    assert ua == f"framescope/{__version__} (+research corpus builder)"


@responses.activate
def test_contact_is_added_to_the_user_agent(tmp_path, waits):
    responses.add(responses.GET, f"{SITE}/a", body="ok")
    Fetcher(cache_dir=None, contact="mailto:me@uni.edu").get(f"{SITE}/a")
    assert responses.calls[0].request.headers["User-Agent"].endswith(
        "(+research corpus builder; mailto:me@uni.edu)")


@responses.activate
def test_exponential_backoff_on_5xx_then_success(fetcher, waits):
    for status in (503, 502, 500):
        responses.add(responses.GET, f"{SITE}/a", status=status)
    responses.add(responses.GET, f"{SITE}/a", body="finally")
    answer = fetcher.get(f"{SITE}/a")
    assert answer.content == b"finally" and answer.status == 200
    assert waits == [1.0, 2.0, 4.0]  # backoff * 2**attempt


@responses.activate
def test_retry_after_seconds_is_honoured(fetcher, waits):
    responses.add(responses.GET, f"{SITE}/a", status=429, headers={"Retry-After": "7"})
    responses.add(responses.GET, f"{SITE}/a", body="ok")
    assert fetcher.get(f"{SITE}/a").ok
    assert waits == [7.0]


@responses.activate
def test_retry_after_http_date_is_honoured(fetcher, waits):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    responses.add(responses.GET, f"{SITE}/a", status=503, headers={"Retry-After": when})
    responses.add(responses.GET, f"{SITE}/a", body="ok")
    assert fetcher.get(f"{SITE}/a").ok
    assert len(waits) == 1 and 27 <= waits[0] <= 31


@responses.activate
def test_retry_after_longer_than_max_wait_gives_up(tmp_path, waits):
    f = Fetcher(cache_dir=None, rate=0, max_wait=60)
    responses.add(responses.GET, f"{SITE}/a", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="asked to wait 3600 s"):
        f.get(f"{SITE}/a")
    assert waits == []


@responses.activate
def test_persistent_500_gives_up_with_reason(fetcher, waits):
    responses.add(responses.GET, f"{SITE}/a", status=500)
    with pytest.raises(FetchError) as info:
        fetcher.get(f"{SITE}/a")
    assert info.value.reason == "HTTP 500 (gave up after 4 attempts)"
    assert info.value.status == 500 and len(responses.calls) == 4
    assert waits == [1.0, 2.0, 4.0]


@responses.activate
def test_timeout_is_retried_then_reported(fetcher, waits):
    responses.add(responses.GET, f"{SITE}/a", body=requests.exceptions.ReadTimeout("slow"))
    with pytest.raises(FetchError, match=r"timed out after 30 s \(gave up after 4 attempts\)"):
        fetcher.get(f"{SITE}/a")
    responses.replace(responses.GET, f"{SITE}/a", body="ok")
    assert fetcher.get(f"{SITE}/a").content == b"ok"


@responses.activate
def test_rate_limit_spaces_requests_to_one_host(tmp_path, waits):
    f = Fetcher(cache_dir=None, rate=2.5)
    for path in ("a", "b", "c"):
        responses.add(responses.GET, f"{SITE}/{path}", body=path)
    responses.add(responses.GET, "https://other.example.net/x", body="x")
    f.get(f"{SITE}/a")
    f.get("https://other.example.net/x")  # another host: no wait
    f.get(f"{SITE}/b")
    f.get(f"{SITE}/c")
    assert waits == [2.5, 2.5]


@responses.activate
def test_size_cap_declared_and_streamed(tmp_path, waits):
    f = Fetcher(cache_dir=None, rate=0, max_bytes=2048)
    responses.add(responses.GET, f"{SITE}/big", body=b"x" * 5000)
    with pytest.raises(FetchError, match="larger than max_bytes=2048"):
        f.get(f"{SITE}/big")
    # a body without Content-Length is cut off while streaming
    responses.add(responses.GET, f"{SITE}/stream", body=b"y" * 5000, auto_calculate_content_length=False)
    with pytest.raises(FetchError, match="larger than max_bytes=2048"):
        f.get(f"{SITE}/stream")


@responses.activate
def test_redirects_only_to_http(fetcher):
    responses.add(responses.GET, f"{SITE}/old", status=301, headers={"Location": "/new"})
    responses.add(responses.GET, f"{SITE}/new", body="moved here")
    answer = fetcher.get(f"{SITE}/old")
    assert answer.content == b"moved here" and answer.final_url == f"{SITE}/new"
    responses.add(responses.GET, f"{SITE}/evil", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="non-http"):
        fetcher.get(f"{SITE}/evil")
    responses.add(responses.GET, f"{SITE}/ftp", status=302, headers={"Location": "ftp://x.org/f"})
    with pytest.raises(FetchError, match="non-http"):
        fetcher.get(f"{SITE}/ftp")


@responses.activate
def test_redirect_loop_stops(fetcher):
    responses.add(responses.GET, f"{SITE}/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.get(f"{SITE}/loop")
    assert len(responses.calls) == 6


def test_non_http_urls_are_refused(fetcher):
    for url in ("file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)"):
        with pytest.raises(FetchError, match="not an http"):
            fetcher.get(url, page=True)


@responses.activate
def test_robots_txt_is_obeyed_for_pages(fetcher):
    responses.add(responses.GET, f"{SITE}/robots.txt",
                  body="User-agent: framescope\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n")
    responses.add(responses.GET, f"{SITE}/news/1", body="<p>ok</p>")
    assert fetcher.get(f"{SITE}/news/1", page=True).ok
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.get(f"{SITE}/private/2", page=True)
    # robots.txt was read once for the site
    assert [c.request.url for c in responses.calls].count(f"{SITE}/robots.txt") == 1


@pytest.mark.parametrize("robots,path,allowed", [
    # RFC 9309 §2.2.3: "*" matches any sequence, "$" the end of the path
    ("User-agent: *\nDisallow: /*.pdf$\n", "/files/report.pdf", False),
    ("User-agent: *\nDisallow: /*.pdf$\n", "/files/report.pdf.html", True),
    ("User-agent: *\nDisallow: /*.pdf$\n", "/files/report.html", True),
    ("User-agent: *\nDisallow: /*/print\n", "/news/1/print", False),
    # §2.2.2: the longest match wins, whatever the order of the rules
    ("User-agent: *\nDisallow: /\nAllow: /news/\n", "/news/1", True),
    ("User-agent: *\nDisallow: /\nAllow: /news/\n", "/about", False),
    ("User-agent: *\nAllow: /news/\nDisallow: /news/private/\n", "/news/private/x", False),
    ("User-agent: *\nAllow: /news/\nDisallow: /news/private/\n", "/news/public", True),
    # a group for our product token beats "*"; matching is case-insensitive on the token
    ("User-agent: *\nDisallow: /\n\nUser-agent: FrameScope\nAllow: /\n", "/x", True),
])
@responses.activate
def test_robots_txt_rfc9309_wildcards_and_longest_match(tmp_path, waits, robots, path, allowed):
    f = Fetcher(cache_dir=None, rate=0, retries=0)
    responses.add(responses.GET, f"{SITE}/robots.txt", body=robots)
    responses.add(responses.GET, f"{SITE}{path}", body="page")
    if allowed:
        assert f.get(f"{SITE}{path}", page=True).ok
    else:
        with pytest.raises(FetchError, match="disallowed by robots.txt"):
            f.get(f"{SITE}{path}", page=True)
    assert f.allowed(f"{SITE}{path}") is allowed


@responses.activate
def test_robots_not_consulted_for_api_calls(fetcher):
    responses.add(responses.GET, f"{SITE}/api", body="{}")
    fetcher.get(f"{SITE}/api")
    assert [c.request.url for c in responses.calls] == [f"{SITE}/api"]


@pytest.mark.parametrize("status,allowed", [(404, True), (410, True), (401, False), (403, False), (500, False)])
@responses.activate
def test_robots_status_rules(tmp_path, waits, status, allowed):
    f = Fetcher(cache_dir=None, rate=0, retries=0)
    responses.add(responses.GET, f"{SITE}/robots.txt", status=status)
    responses.add(responses.GET, f"{SITE}/p", body="page")
    if allowed:
        assert f.get(f"{SITE}/p", page=True).ok
    else:
        with pytest.raises(FetchError, match="robots"):
            f.get(f"{SITE}/p", page=True)


@responses.activate
def test_robots_crawl_delay_slows_the_site(tmp_path, waits):
    f = Fetcher(cache_dir=None, rate=1)
    responses.add(responses.GET, f"{SITE}/robots.txt", body="User-agent: *\nCrawl-delay: 10\n")
    responses.add(responses.GET, f"{SITE}/a", body="a")
    responses.add(responses.GET, f"{SITE}/b", body="b")
    f.get(f"{SITE}/a", page=True)
    f.get(f"{SITE}/b", page=True)
    # the delay is known once robots.txt is read: robots.txt → /a and /a → /b both wait it
    assert waits == [10.0, 10.0]


@responses.activate
def test_cache_serves_rebuild_offline(tmp_path, waits):
    cache = tmp_path / "cache"
    responses.add(responses.GET, f"{SITE}/a", body="first answer", content_type="text/html; charset=utf-8")
    online = Fetcher(cache_dir=cache, rate=0).get(f"{SITE}/a", params={"q": "x"})
    offline = Fetcher(cache_dir=cache, offline=True).get(f"{SITE}/a", params={"q": "x"})
    assert len(responses.calls) == 1
    assert offline.from_cache and not online.from_cache
    assert (offline.content, offline.status, offline.charset) == (b"first answer", 200, "utf-8")
    with pytest.raises(FetchError, match="not in the cache and offline=1"):
        Fetcher(cache_dir=cache, offline=True).get(f"{SITE}/b")


@responses.activate
def test_cache_refresh_and_what_is_cached(tmp_path, waits):
    cache = tmp_path / "cache"
    f = Fetcher(cache_dir=cache, rate=0, retries=0)
    responses.add(responses.GET, f"{SITE}/gone", status=404)
    responses.add(responses.GET, f"{SITE}/err", status=500)
    responses.add(responses.GET, f"{SITE}/forbidden", status=403)
    assert f.get(f"{SITE}/gone").status == 404
    with pytest.raises(FetchError):
        f.get(f"{SITE}/err")
    assert f.get(f"{SITE}/forbidden").status == 403
    off = Fetcher(cache_dir=cache, offline=True)
    assert off.get(f"{SITE}/gone").status == 404  # a final answer: cached
    for path in ("err", "forbidden"):  # never cached
        with pytest.raises(FetchError, match="offline"):
            off.get(f"{SITE}/{path}")
    responses.add(responses.GET, f"{SITE}/v", body="v1")
    responses.add(responses.GET, f"{SITE}/v", body="v2")
    assert f.get(f"{SITE}/v").content == b"v1"
    assert f.get(f"{SITE}/v").content == b"v1"  # cached
    assert Fetcher(cache_dir=cache, rate=0, refresh=True).get(f"{SITE}/v").content == b"v2"
    assert f.get(f"{SITE}/v").content == b"v2"  # refresh overwrote the entry


@responses.activate
def test_damaged_cache_entry_is_fetched_again(tmp_path, waits):
    cache = tmp_path / "cache"
    responses.add(responses.GET, f"{SITE}/a", body="good")
    f = Fetcher(cache_dir=cache, rate=0)
    answer = f.get(f"{SITE}/a")
    body = next(cache.rglob("*.body"))
    body.write_bytes(b"tampered")
    assert f.get(f"{SITE}/a").content == b"good" and len(responses.calls) == 2
    assert answer.key == request_key("GET", f"{SITE}/a")


def test_cache_key_ignores_named_parameters_and_sorts():
    a = request_key("POST", "https://api.x.org/r?appname=alice&b=2", {"a": "1"}, b"{}", ("appname",))
    b = request_key("POST", "https://api.x.org/r?a=1&appname=bob", {"b": "2"}, b"{}", ("appname",))
    c = request_key("POST", "https://api.x.org/r?a=1", {"b": "2"}, b"{\"x\":1}", ("appname",))
    assert a == b != c


def test_options_are_checked():
    with pytest.raises(FramescopeError, match="timeout='soon' must be a number"):
        Fetcher.from_options({"timeout": "soon"}, "gdelt")
    with pytest.raises(FramescopeError, match="offline=1 needs a cache"):
        Fetcher.from_options({"offline": "1", "cache": "off"}, "gdelt")
    with pytest.raises(FramescopeError, match="retries='-1' is outside"):
        Fetcher.from_options({"retries": "-1"}, "gdelt")
    f = Fetcher.from_options({"cache": "/tmp/x", "rate": "0.5", "offline": "yes"}, "rss", rate=9)
    assert (str(f.cache_dir), f.rate, f.offline, f.timeout) == ("/tmp/x", 0.5, True, 30.0)
    assert Fetcher.from_options({}, "gdelt", rate=5).rate == 5


def test_default_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FRAMESCOPE_CACHE", str(tmp_path / "fc"))
    assert http.default_cache_dir() == tmp_path / "fc"
    monkeypatch.delenv("FRAMESCOPE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert http.default_cache_dir() == tmp_path / "xdg" / "framescope" / "http"


@responses.activate
def test_refresh_happens_once_per_process(tmp_path, waits):
    """The build reads each source more than once: every pass must see the same answer."""
    cache = tmp_path / "cache"
    responses.add(responses.GET, f"{SITE}/v", body="old")
    Fetcher(cache_dir=cache, rate=0).get(f"{SITE}/v")
    responses.replace(responses.GET, f"{SITE}/v", body="new")
    first_pass = Fetcher(cache_dir=cache, rate=0, refresh=True).get(f"{SITE}/v")
    responses.replace(responses.GET, f"{SITE}/v", body="newer")
    second_pass = Fetcher(cache_dir=cache, rate=0, refresh=True).get(f"{SITE}/v")
    assert (first_pass.content, second_pass.content) == (b"new", b"new")
    assert len(responses.calls) == 2


@responses.activate
def test_cache_off_keeps_answers_for_the_process(waits):
    responses.add(responses.GET, f"{SITE}/a", body="once")
    assert Fetcher(cache_dir=None, rate=0).get(f"{SITE}/a").content == b"once"
    again = Fetcher(cache_dir=None, rate=0).get(f"{SITE}/a")
    assert again.content == b"once" and again.from_cache and len(responses.calls) == 1
    assert Fetcher(cache_dir=None).used == []


@responses.activate
def test_used_lists_content_answers_not_robots(tmp_path, waits):
    responses.add(responses.GET, f"{SITE}/robots.txt", body="User-agent: *\nAllow: /\n")
    responses.add(responses.GET, f"{SITE}/p1", body="one")
    responses.add(responses.GET, f"{SITE}/p2", body="two")
    f = Fetcher(cache_dir=tmp_path / "cache", rate=0)
    a, b = f.get(f"{SITE}/p1", page=True), f.get(f"{SITE}/p2", page=True)
    f.get(f"{SITE}/p1", page=True)
    assert f.used == [tmp_path / "cache" / k[:2] / f"{k}.body" for k in (a.key, b.key)]


@responses.activate
def test_offline_page_fetch_reports_robots_from_the_cache(tmp_path, waits):
    cache = tmp_path / "cache"
    responses.add(responses.GET, f"{SITE}/robots.txt", body="User-agent: framescope\nDisallow: /x/\n")
    responses.add(responses.GET, f"{SITE}/ok", body="fine")
    online = Fetcher(cache_dir=cache, rate=0)
    online.get(f"{SITE}/ok", page=True)
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        online.get(f"{SITE}/x/1", page=True)
    offline = Fetcher(cache_dir=cache, offline=True)
    with pytest.raises(FetchError, match="disallowed by robots.txt"):  # same reason as online
        offline.get(f"{SITE}/x/1", page=True)
    with pytest.raises(FetchError, match="not in the cache and offline=1"):
        offline.get("https://elsewhere.example.com/page", page=True)


def test_scoped_options():
    from framescope.corpus.loaders.websupport import scoped

    options = {"rate": "1", "gdelt.rate": "6", "rss.outlet": "airwars", "outlet": "x", "map": "a=b"}
    assert scoped(options, "gdelt") == {"rate": "6", "outlet": "x", "map": "a=b"}
    assert scoped(options, "rss") == {"rate": "1", "outlet": "airwars", "map": "a=b"}


@responses.activate
def test_rate_limit_is_shared_by_fetchers_of_the_process(waits):
    responses.add(responses.GET, f"{SITE}/a", body="a")
    responses.add(responses.GET, f"{SITE}/b", body="b")
    Fetcher(cache_dir=None, rate=5).get(f"{SITE}/a")
    Fetcher(cache_dir=None, rate=5).get(f"{SITE}/b")  # another source on the same host
    assert waits == [5.0]
