"""reliefweb: and gdelt: loaders on recorded answers (tests/fixtures/, served by `responses`).

Nothing here reaches the network: `responses` raises ConnectionError for any request
that has no recorded answer."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders import gdelt, http, reliefweb
from framescope.corpus.records import RawDocument, Reject
from framescope.corpus.registry import SOURCE_TYPES, load_registry

FIXTURES = Path(__file__).parent / "fixtures"
RW_URL = "https://api.reliefweb.int/v2/reports"
GDELT_URL = gdelt.API_URL


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch, tmp_path):
    """No real sleeping; no cache outside tmp_path even if a test forgets cache=."""
    slept: list[float] = []
    monkeypatch.setattr(http, "_sleep", slept.append)
    monkeypatch.setattr(http, "_MEMORY", {})
    monkeypatch.setattr(http, "_REFRESHED", set())
    monkeypatch.setattr(http, "_LAST_REQUEST", {})
    monkeypatch.setenv("FRAMESCOPE_CACHE", str(tmp_path / "default-cache"))
    return slept


def split(results):
    docs = [r for r in results if isinstance(r, RawDocument)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert len(docs) + len(rejects) == len(results)
    return docs, rejects


# --- ReliefWeb ------------------------------------------------------------------------------

def rw_options(tmp_path, **extra):
    opts = {"appname": "framescope-tests-x7", "country": "Syria", "start": "2017-03-01",
            "end": "2017-03-31", "limit": "2", "cache": str(tmp_path / "cache"), "backoff": "1",
            "retries": "2", "rate": "0"}
    opts.update(extra)
    return opts


def add_rw(body, status=200, **kw):
    responses.add(responses.POST, RW_URL, body=body, status=status, content_type="application/json", **kw)


@responses.activate
def test_reliefweb_two_pages(tmp_path):
    add_rw(fixture("reliefweb/page1.json"))
    add_rw(fixture("reliefweb/page2.json"))
    docs, rejects = split(list(reliefweb.load("coalition airstrike civilians", rw_options(tmp_path))))
    assert [d.original_id for d in docs] == ["2001001", "2001002", "2001003"]
    assert [(r.location, r.reason) for r in rejects] == [
        ("reliefweb:coalition airstrike civilians offset=2 item 1",
         "report 2001004 has no body text (attachment-only report)")]

    hrw, sana, ocha = docs
    assert (hrw.collection, hrw.outlet, hrw.source_type, hrw.date, hrw.lang_hint) == \
        ("reliefweb", "hrw", "ngo", dt.date(2017, 3, 22), "en")
    assert hrw.title == "Syria: Coalition strike on school sheltering displaced families"
    assert hrw.url.startswith("https://reliefweb.int/report/syrian-arab-republic/syria-coalition")
    assert hrw.body.split("\n\n") == [
        "An air strike by the US-led coalition hit a school sheltering displaced families near "
        "Raqqa on 20 March, killing at least 30 civilians, according to witnesses interviewed by "
        "the organisation.",
        "Witnesses said there were no fighters in the building.",
        "Recommendations", "Investigate the strike promptly.", "Publish the findings."]
    assert hrw.captions == ["The damaged school in al-Mansoura. المدرسة المتضررة في المنصورة"]
    assert "trackView" not in hrw.body
    assert hrw.extra["reliefweb_source_type"] == "Non-governmental Organization"
    assert hrw.extra["origin_url"] == "https://www.hrw.org/news/2017/03/22/syria-coalition-strike-school"
    assert hrw.extra["primary_country"] == "Syrian Arab Republic"
    assert hrw.extra["format"] == "News and Press Release"
    # SANA is "Media" on ReliefWeb but known to the registry: its registry type applies
    assert (sana.outlet, sana.source_type) == ("sana", None)
    assert load_registry().lookup(sana.outlet)["source_type"] == "state_media"
    assert (ocha.outlet, ocha.source_type) == ("ocha", "igo")
    assert ocha.extra["reliefweb_sources"] == "UN Office for the Coordination of Humanitarian Affairs; UN Children's Fund"
    assert ocha.captions == ["Displacement since 1 March"]
    assert "Al-Mansoura | 6,500" in ocha.body.split("\n\n")
    assert len({d.raw_sha256 for d in docs}) == 3 and all(len(d.raw_sha256) == 64 for d in docs)

    # the requests: appname in the URL, the documented JSON body, paging by offset
    first, second = (json.loads(c.request.body) for c in responses.calls)
    assert parse_qs(urlsplit(responses.calls[0].request.url).query) == {"appname": ["framescope-tests-x7"]}
    assert first["query"] == {"value": "coalition airstrike civilians", "operator": "AND"}
    assert first["filter"] == {"operator": "AND", "conditions": [
        {"field": "country", "value": "Syria"},
        {"field": "date.original", "value": {"from": "2017-03-01T00:00:00+00:00",
                                             "to": "2017-03-31T23:59:59+00:00"}}]}
    assert "body-html" in first["fields"]["include"] and "source.type.name" in first["fields"]["include"]
    assert (first["offset"], first["limit"], second["offset"]) == (0, 2, 2)
    assert first["sort"] == ["date.original:asc", "id:asc"]


@responses.activate
def test_reliefweb_rebuild_offline_from_cache_is_identical(tmp_path):
    add_rw(fixture("reliefweb/page1.json"))
    add_rw(fixture("reliefweb/page2.json"))
    online = list(reliefweb.load("coalition airstrike civilians", rw_options(tmp_path)))
    # offline, without an appname (it is not part of the cache key): same documents
    offline_opts = rw_options(tmp_path, offline="1")
    del offline_opts["appname"]
    offline = list(reliefweb.load("coalition airstrike civilians", offline_opts))
    assert len(responses.calls) == 2
    assert [asdict(r) for r in offline] == [asdict(r) for r in online]


@responses.activate
def test_reliefweb_empty_result(tmp_path):
    add_rw(fixture("reliefweb/empty.json"))
    assert list(reliefweb.load("no such words", rw_options(tmp_path))) == []
    assert len(responses.calls) == 1


@responses.activate
def test_reliefweb_429_then_success(tmp_path, no_waiting):
    add_rw('{"status": 429}', status=429, headers={"Retry-After": "3"})
    add_rw(fixture("reliefweb/page1.json"))
    add_rw(fixture("reliefweb/page2.json"))
    docs, rejects = split(list(reliefweb.load("coalition", rw_options(tmp_path))))
    assert len(docs) == 3 and len(rejects) == 1
    assert 3 in no_waiting  # Retry-After honoured


@responses.activate
def test_reliefweb_500_on_second_page_keeps_first(tmp_path, no_waiting):
    add_rw(fixture("reliefweb/page1.json"))
    add_rw("<html>Internal Server Error</html>", status=500)
    docs, rejects = split(list(reliefweb.load("coalition", rw_options(tmp_path))))
    assert [d.original_id for d in docs] == ["2001001", "2001002"]
    assert [r.reason for r in rejects] == ["page not loaded: HTTP 500 (gave up after 3 attempts)"]
    assert no_waiting == [1.0, 2.0]
    assert len(responses.calls) == 1 + 3  # page 1, then page 2 tried three times


@responses.activate
def test_reliefweb_timeout_on_first_page(tmp_path):
    add_rw(requests.exceptions.ConnectTimeout("no answer"))
    docs, rejects = split(list(reliefweb.load("coalition", rw_options(tmp_path, retries="0"))))
    assert docs == []
    assert [(r.location, r.reason) for r in rejects] == [
        ("reliefweb:coalition offset=0", "page not loaded: timed out after 30 s (gave up after 1 attempts)")]


@responses.activate
def test_reliefweb_malformed_body_is_rejected_and_not_cached(tmp_path):
    add_rw(fixture("reliefweb/malformed.json"))
    docs, rejects = split(list(reliefweb.load("coalition", rw_options(tmp_path))))
    assert docs == [] and len(rejects) == 1
    assert rejects[0].reason.startswith("malformed API answer: JSONDecodeError")
    again = list(reliefweb.load("coalition", rw_options(tmp_path, offline="1")))
    assert [r.reason for r in again] == ["page not loaded: not in the cache and offline=1"]


@responses.activate
def test_reliefweb_refusal_is_a_clear_error(tmp_path):
    add_rw(fixture("reliefweb/refused_403.json"), status=403)
    with pytest.raises(FramescopeError, match=r"refused the request \(HTTP 403\): You are not authorized"):
        list(reliefweb.load("coalition", rw_options(tmp_path)))


def test_reliefweb_argument_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("RELIEFWEB_APPNAME", raising=False)
    opts = rw_options(tmp_path)
    del opts["appname"]
    with pytest.raises(FramescopeError, match="needs --opt appname"):
        list(reliefweb.load("coalition", opts))
    with pytest.raises(FramescopeError, match="give a query"):
        list(reliefweb.load("", {"appname": "x"}))
    with pytest.raises(FramescopeError, match="limit='5000' is outside"):
        list(reliefweb.load("x", rw_options(tmp_path, limit="5000")))
    with pytest.raises(FramescopeError, match="start=2017-04-01 is after end"):
        list(reliefweb.load("x", rw_options(tmp_path, start="2017-04-01")))
    with pytest.raises(FramescopeError, match="must be a date"):
        list(reliefweb.load("x", rw_options(tmp_path, end="31/03/2017")))


def test_reliefweb_filters_payload():
    payload = reliefweb.build_payload("strike", {
        "country": "SYR,Iraq", "source": "Human Rights Watch,OCHA", "language": "en,ar",
        "format": "Situation Report", "source_type": "Non-governmental Organization",
        "operator": "OR"}, offset=200, limit=100)
    assert payload["query"] == {"value": "strike", "operator": "OR"}
    assert payload["filter"]["conditions"] == [
        {"operator": "OR", "conditions": [{"field": "country.iso3", "value": "syr"},
                                          {"field": "country", "value": "Iraq"}]},
        {"operator": "OR", "conditions": [
            {"field": "source.name", "value": ["Human Rights Watch", "OCHA"]},
            {"field": "source.shortname", "value": ["Human Rights Watch", "OCHA"]}]},
        {"field": "source.type.name", "value": "Non-governmental Organization"},
        {"field": "language.code", "value": ["en", "ar"]},
        {"field": "format.name", "value": "Situation Report"}]
    assert (payload["offset"], payload["limit"]) == (200, 100)
    primary = reliefweb.build_payload("", {"country": "Syria", "primary_country": "1"})
    assert "query" not in primary
    assert primary["filter"]["conditions"] == [{"field": "primary_country", "value": "Syria"}]


@pytest.mark.parametrize("rw_type,name,expected", [
    ("Non-governmental Organization", "Some Relief NGO", "ngo"),
    ("International Organization", "Some UN Body", "igo"),
    ("Red Cross/Red Crescent Movement", "Some Red Crescent Society", "igo"),
    ("Government", "Government of Somewhere", "government"),
    ("Media", "Some Unlisted Newspaper", "private_media"),
    ("Media", "Reuters", None),  # registry knows it: registry type (wire) applies
    ("Academic and Research Institution", "Some University Centre", "ngo"),
    ("Other", "Someone", "unknown"),
])
def test_reliefweb_source_type_mapping(rw_type, name, expected):
    item = {"id": "9", "fields": {"title": "t", "body-html": "<p>text</p>",
                                  "source": [{"name": name, "type": {"name": rw_type}}]}}
    doc = reliefweb.report_document(item, collection="reliefweb", location="x", registry=load_registry())
    assert doc.source_type == expected
    assert expected is None or expected in SOURCE_TYPES


# --- GDELT ----------------------------------------------------------------------------------

def gd_options(tmp_path, **extra):
    opts = {"start": "2017-03-15", "end": "2017-03-28", "window": "7",
            "cache": str(tmp_path / "cache"), "rate": "0", "backoff": "1", "retries": "2"}
    opts.update(extra)
    return opts


def add_gd(body, status=200, **kw):
    responses.add(responses.GET, GDELT_URL, body=body, status=status,
                  content_type="application/json; charset=utf-8", **kw)


@responses.activate
def test_gdelt_two_windows(tmp_path):
    add_gd(fixture("gdelt/week1.json"))
    add_gd(fixture("gdelt/week2.json"))
    docs, rejects = split(list(gdelt.load('coalition (airstrike OR "air strike") Raqqa', gd_options(tmp_path))))
    assert [d.outlet for d in docs] == ["reuters", "sana", "example-daily.com", "aljazeera"]
    assert len(rejects) == 1 and rejects[0].reason.startswith("duplicate URL (first at gdelt:")
    reuters_doc, sana_doc, unknown_doc, _ = docs
    # without fetch=1 a document is the headline only
    assert (reuters_doc.title, reuters_doc.body) == ("Coalition air strike kills 33 near Syria's Raqqa : monitor", "")
    assert (reuters_doc.date, reuters_doc.lang_hint, reuters_doc.country) == (dt.date(2017, 3, 21), "en", None)
    assert reuters_doc.extra["gdelt_seendate"] == "2017-03-21T14:30:00Z"
    assert reuters_doc.extra["text_source"] == "title"
    assert (unknown_doc.lang_hint, unknown_doc.country) == ("ar", "Lebanon")  # unknown outlet: GDELT's country
    assert reuters_doc.original_id == gdelt.short_id(reuters_doc.url)

    first, second = (parse_qs(urlsplit(c.request.url).query) for c in responses.calls)
    assert first["query"] == ['coalition (airstrike OR "air strike") Raqqa']
    assert (first["mode"], first["format"], first["maxrecords"], first["sort"]) == \
        (["ArtList"], ["json"], ["250"], ["DateAsc"])
    assert (first["startdatetime"], first["enddatetime"]) == (["20170315000000"], ["20170321235959"])
    assert (second["startdatetime"], second["enddatetime"]) == (["20170322000000"], ["20170328235959"])


@responses.activate
def test_gdelt_empty_answer(tmp_path):
    add_gd(fixture("gdelt/empty.json"))
    assert list(gdelt.load("nothing", gd_options(tmp_path, end="2017-03-21"))) == []


@responses.activate
def test_gdelt_splits_a_window_at_the_cap(tmp_path):
    articles = json.loads(fixture("gdelt/week1.json"))["articles"]
    asked = []

    def answer(request):
        q = parse_qs(urlsplit(request.url).query)
        span = (q["startdatetime"][0], q["enddatetime"][0])
        asked.append(span)
        if span == ("20170321000000", "20170321235959"):
            return 200, {}, json.dumps({"articles": articles[:2]})  # at the cap of 2
        if span == ("20170321000000", "20170321115959"):
            return 200, {}, json.dumps({"articles": []})
        return 200, {}, json.dumps({"articles": articles[:1]})

    responses.add_callback(responses.GET, GDELT_URL, callback=answer)
    docs, rejects = split(list(gdelt.load("x", gd_options(tmp_path, start="2017-03-21", end="2017-03-21",
                                                          maxrecords="2"))))
    assert asked == [("20170321000000", "20170321235959"), ("20170321000000", "20170321115959"),
                     ("20170321120000", "20170321235959")]
    assert [d.outlet for d in docs] == ["reuters"] and rejects == []


@responses.activate
def test_gdelt_one_hour_window_still_at_cap_is_reported(tmp_path):
    articles = json.loads(fixture("gdelt/week1.json"))["articles"]
    responses.add_callback(responses.GET, GDELT_URL,
                           callback=lambda r: (200, {}, json.dumps({"articles": articles[:2]})))
    docs, rejects = split(list(gdelt.load("x", gd_options(tmp_path, start="2017-03-21", end="2017-03-21",
                                                          window="0.04", maxrecords="2"))))
    # 24 one-hour windows, each at the cap; the same two URLs come back each time
    assert len(docs) == 2
    capped = [r for r in rejects if "cap of 2" in r.reason]
    assert len(capped) == 24 and len(rejects) == 24 + 23 * 2


@responses.activate
def test_gdelt_429_then_success_500_timeout_malformed(tmp_path, no_waiting):
    add_gd("Too Many Requests", status=429, headers={"Retry-After": "5"})
    add_gd(fixture("gdelt/week1.json"))  # window 1 after one retry
    add_gd("error", status=500)  # window 2: 500 three times
    add_gd("error", status=500)
    add_gd("error", status=500)
    add_gd(requests.exceptions.ReadTimeout("slow"))  # window 3: timeouts
    add_gd(requests.exceptions.ReadTimeout("slow"))
    add_gd(requests.exceptions.ReadTimeout("slow"))
    add_gd(fixture("gdelt/malformed.json"))  # window 4
    docs, rejects = split(list(gdelt.load("x", gd_options(tmp_path, end="2017-04-11"))))
    assert len(docs) == 3
    assert [r.reason for r in rejects] == [
        "window not loaded: HTTP 500 (gave up after 3 attempts)",
        "window not loaded: timed out after 30 s (gave up after 3 attempts)",
        "malformed JSON from GDELT: Expecting ',' delimiter: line 2 column 68 (char 82)"]
    assert no_waiting[0] == 5


@responses.activate
def test_gdelt_text_message_first_is_an_error_later_a_reject(tmp_path):
    responses.add(responses.GET, GDELT_URL, body=fixture("gdelt/message.txt"), content_type="text/html")
    with pytest.raises(FramescopeError, match="GDELT answered with a message instead of JSON: 'The specified phrase is too short.'"):
        list(gdelt.load("a", gd_options(tmp_path, end="2017-03-21")))
    responses.replace(responses.GET, GDELT_URL, body=fixture("gdelt/week1.json"))
    responses.add(responses.GET, GDELT_URL, body=fixture("gdelt/message.txt"))
    docs, rejects = split(list(gdelt.load("a", gd_options(tmp_path, cache="off"))))
    assert len(docs) == 3 and rejects[0].reason.startswith("GDELT answered with a message")


@responses.activate
def test_gdelt_fetch_pages_with_robots(tmp_path):
    add_gd(fixture("gdelt/week1.json"))
    robots_ok = fixture("pages/robots_allow.txt")
    responses.add(responses.GET, "https://www.reuters.com/robots.txt", body=robots_ok)
    responses.add(responses.GET, "https://www.reuters.com/article/us-mideast-crisis-syria-raqqa-idUSKBN16S1AB",
                  body=fixture("pages/reuters_article.html"), content_type="text/html; charset=utf-8")
    responses.add(responses.GET, "https://sana.sy/robots.txt", body=fixture("pages/robots_disallow_framescope.txt"))
    responses.add(responses.GET, "https://www.example-daily.com/robots.txt", status=404)
    responses.add(responses.GET, "https://www.example-daily.com/world/raqqa-strike", status=404)
    docs, rejects = split(list(gdelt.load("x", gd_options(tmp_path, end="2017-03-21", fetch="1"))))
    assert len(docs) == 1
    page = docs[0]
    assert page.extra["text_source"] == "page"
    assert page.title == "Coalition air strike kills 33 near Syria's Raqqa: monitor"
    assert page.body.startswith("BEIRUT (Reuters) - An air strike by the U.S.-led coalition")
    assert page.date == dt.date(2017, 3, 21) and page.outlet == "reuters"
    assert page.captions == ["Smoke rises after an air strike near Raqqa, Syria, March 20, 2017. "
                             "دخان يتصاعد بعد غارة جوية قرب الرقة"]
    assert sorted(r.reason for r in rejects) == [
        "https://sana.sy/en/?p=102345: disallowed by robots.txt",
        "https://www.example-daily.com/world/raqqa-strike: HTTP 404"]
    assert not any("sana.sy/en" in c.request.url for c in responses.calls)  # never fetched


def test_gdelt_argument_errors(tmp_path):
    with pytest.raises(FramescopeError, match="give a query"):
        list(gdelt.load("", {}))
    with pytest.raises(FramescopeError, match="give start=YYYY-MM-DD and end"):
        list(gdelt.load("x", {"start": "2017-03-01"}))
    with pytest.raises(FramescopeError, match="either start/end or timespan"):
        list(gdelt.load("x", {"start": "2017-03-01", "end": "2017-03-02", "timespan": "1w"}))
    with pytest.raises(FramescopeError, match="maxrecords='500' is outside"):
        list(gdelt.load("x", gd_options(tmp_path, maxrecords="500")))


@responses.activate
def test_gdelt_timespan(tmp_path):
    add_gd(fixture("gdelt/week2.json"))
    docs, _ = split(list(gdelt.load("x", {"timespan": "1w", "cache": str(tmp_path / "c"), "rate": "0"})))
    assert len(docs) == 2
    q = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert q["timespan"] == ["1w"] and "startdatetime" not in q


@responses.activate
def test_reliefweb_max_stops_early(tmp_path):
    add_rw(fixture("reliefweb/page1.json"))
    docs, rejects = split(list(reliefweb.load("coalition", rw_options(tmp_path, max="1"))))
    assert [d.original_id for d in docs] == ["2001001"] and rejects == []
    assert len(responses.calls) == 1


@responses.activate
def test_reliefweb_inputs_are_the_cached_answers(tmp_path):
    add_rw(fixture("reliefweb/page1.json"))
    add_rw(fixture("reliefweb/page2.json"))
    files = reliefweb.inputs("coalition", rw_options(tmp_path))
    assert [f.read_bytes() for f in files] == [fixture(f"reliefweb/{n}.json").encode() for n in ("page1", "page2")]
    assert reliefweb.inputs("coalition", rw_options(tmp_path, offline="1")) == files
    assert len(responses.calls) == 2
