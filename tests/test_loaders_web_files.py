"""html:, warc:, rss: and nexis: loaders on files the tests write (and recorded pages).

HTML pages, WARC archives (warcio's writer), DOCX (python-docx) and RTF exports are
written into tmp_path, including the bad cases: a page with no main text, a non-UTF-8
page without a charset, a truncated WARC record, an empty feed, a docx without article
separators. Fetching goes through `responses` only."""
from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest
import requests
import responses
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders import html, http, nexis, rss, warc
from framescope.corpus.records import RawDocument, Reject

FIXTURES = Path(__file__).parent / "fixtures"
REUTERS_URL = "https://www.reuters.com/article/us-mideast-crisis-syria-raqqa-idUSKBN16S1AB"
BILINGUAL = ("Smoke rises after an air strike near Raqqa, Syria, March 20, 2017. "
             "دخان يتصاعد بعد غارة جوية قرب الرقة")
ARABIC_PAGE = ("<html><head><title>غارة على الرقة</title></head><body><article><p>"
               + "قتل ثلاثة وثلاثون مدنيا في غارة للتحالف الدولي على مدرسة قرب الرقة، بحسب المرصد السوري. " * 4
               + "</p><p>وقال سكان إن المدرسة كانت تؤوي عائلات نازحة من حلب وحمص وتدمر منذ أشهر.</p>"
               + "</article></body></html>")
NO_MAIN_TEXT = (b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
                b"<a href='/about'>About</a> <a href='/donate'>Donate</a></nav>"
                b"<div class='cookie-banner'>We use cookies. Accept cookies to continue using "
                b"this website and our partners.</div><footer>Copyright 2017 Example. All rights "
                b"reserved.</footer></body></html>")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setattr(http, "_sleep", lambda s: None)
    monkeypatch.setattr(http, "_MEMORY", {})
    monkeypatch.setattr(http, "_REFRESHED", set())
    monkeypatch.setattr(http, "_LAST_REQUEST", {})
    monkeypatch.setenv("FRAMESCOPE_CACHE", str(tmp_path / "default-cache"))


def split(results):
    docs = [r for r in results if isinstance(r, RawDocument)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert len(docs) + len(rejects) == len(results)
    return docs, rejects


def reuters_page() -> bytes:
    return (FIXTURES / "pages" / "reuters_article.html").read_bytes()


# --- html -----------------------------------------------------------------------------------

@pytest.fixture
def page_dir(tmp_path) -> Path:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "pages" / "reuters_article.html", folder / "reuters.html")
    (folder / "nomain.html").write_bytes(NO_MAIN_TEXT)
    (folder / "arabic_cp1256.htm").write_bytes(ARABIC_PAGE.encode("cp1256"))  # no charset anywhere
    (folder / "undecodable.html").write_bytes(b"<html><body><p>" + bytes(range(128, 256)) * 8 + b"</p></body></html>")
    (folder / "empty.html").write_bytes(b"")
    (folder / "sub" / "latin.html").write_bytes(
        b'<html><head><meta charset="iso-8859-1"><title>Statement</title></head><body><article>'
        b"<p>The coalition\x92s statement said the strike had targeted fighters, not civilians, "
        b"and that an assessment of the allegations was under way at the operations centre.</p>"
        b"<p>It gave no figure for casualties and did not name the town where the strike happened.</p>"
        b"</article></body></html>")
    (folder / "notes.txt").write_text("not a page")
    return folder


def test_html_directory(page_dir):
    docs, rejects = split(list(html.load(str(page_dir), {})))
    by_id = {d.original_id: d for d in docs}
    assert sorted(by_id) == ["arabic_cp1256", "reuters", "sub/latin"]
    assert {Path(r.location).name: r.reason for r in rejects} == {
        "empty.html": "empty page",
        "nomain.html": "no main text found",
        "undecodable.html": "not UTF-8, no charset declared and the encoding could not be detected"}

    doc = by_id["reuters"]
    assert (doc.collection, doc.outlet, doc.date, doc.lang_hint, doc.url) == \
        ("pages", "reuters", dt.date(2017, 3, 21), "en", REUTERS_URL)
    assert doc.title == "Coalition air strike kills 33 near Syria's Raqqa: monitor"
    assert doc.extra["author"] == "Staff Writer"
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0].startswith("BEIRUT (Reuters) - An air strike by the U.S.-led coalition")
    assert len(paragraphs) == 4 and paragraphs[-1] == "(Reporting by a Staff Writer; Editing by an Editor)"
    for chrome in ("Subscribe", "cookie", "Related coverage", "Follow us", "Turkey says", "Smoke rises"):
        assert chrome not in doc.body
    assert doc.captions == [BILINGUAL]  # kept whole; the text layer splits it by language
    assert len(doc.raw_sha256) == 64

    arabic = by_id["arabic_cp1256"]
    assert arabic.extra["encoding"] == "cp1256" and arabic.extra["encoding_detected"] is True
    assert arabic.body.startswith("قتل ثلاثة وثلاثون مدنيا")
    latin = by_id["sub/latin"]
    assert latin.extra == {"author": None, "encoding": "cp1252", "encoding_detected": False}
    assert "The coalition\u2019s statement" in latin.body  # iso-8859-1 label read as windows-1252


def test_html_single_file_and_options(page_dir):
    docs = list(html.load(str(page_dir / "reuters.html"), {"outlet": "myoutlet", "collection": "c"}))
    assert [(d.collection, d.original_id, d.outlet) for d in docs] == [("c", "reuters", "myoutlet")]
    with pytest.raises(FramescopeError, match="favor='fast' must be one of"):
        list(html.load(str(page_dir), {"favor": "fast"}))
    assert html.inputs(str(page_dir), {}) == sorted(
        [page_dir / n for n in ("arabic_cp1256.htm", "empty.html", "nomain.html", "reuters.html",
                                "undecodable.html", "sub/latin.html")])


def test_html_argument_errors(tmp_path):
    with pytest.raises(FramescopeError, match="no such file or folder"):
        list(html.load(str(tmp_path / "missing"), {}))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FramescopeError, match="no .html/.htm files"):
        list(html.load(str(tmp_path / "empty"), {}))
    urls = tmp_path / "urls.txt"
    urls.write_text(REUTERS_URL + "\n")
    with pytest.raises(FramescopeError, match="needs --opt fetch=1"):
        list(html.load(str(urls), {}))


def test_html_tables_and_captions_in_a_fragment():
    body, captions = html.fragment_text(
        "<div><p>First <b>bold</b> words<br>next line</p><table><caption>Deaths by month</caption>"
        "<tr><th>Month</th><th>Deaths</th></tr><tr><td>March</td><td>33</td></tr></table>"
        "<style>p {}</style><form><input value='x'>Sign up</form>Tail text</div>")
    assert body.split("\n\n") == ["First bold words\nnext line", "Month | Deaths", "March | 33", "Tail text"]
    assert captions == ["Deaths by month"]


@responses.activate
def test_html_url_list_with_fetch(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# coverage of 21 March 2017\n"
                    f"{REUTERS_URL}\n"
                    "https://sana.sy/en/?p=102345\n"
                    "not a url\n"
                    f"{REUTERS_URL}\n"
                    "file:///etc/passwd\n"
                    "https://www.example-daily.com/pdf/report.pdf\n", encoding="utf-8")
    responses.add(responses.GET, "https://www.reuters.com/robots.txt", body=(FIXTURES / "pages/robots_allow.txt").read_text())
    responses.add(responses.GET, REUTERS_URL, body=reuters_page(), content_type="text/html; charset=utf-8")
    responses.add(responses.GET, "https://sana.sy/robots.txt",
                  body=(FIXTURES / "pages/robots_disallow_framescope.txt").read_text())
    responses.add(responses.GET, "https://www.example-daily.com/robots.txt", status=404)
    responses.add(responses.GET, "https://www.example-daily.com/pdf/report.pdf", body=b"%PDF-1.4",
                  content_type="application/pdf")
    opts = {"fetch": "1", "cache": str(tmp_path / "cache"), "rate": "0"}
    docs, rejects = split(list(html.load(str(urls), opts)))
    assert [(d.collection, d.outlet, d.url) for d in docs] == [("urls", "reuters", REUTERS_URL)]
    assert docs[0].captions == [BILINGUAL] and docs[0].extra["requested_url"] == REUTERS_URL
    assert [(r.location.rsplit(":", 1)[1], r.reason) for r in rejects] == [
        ("3", "https://sana.sy/en/?p=102345: disallowed by robots.txt"),
        ("4", "not an http(s) URL: not a url"),
        ("5", "duplicate URL (first at %s:2)" % urls),
        ("6", "not an http(s) URL: file:///etc/passwd"),
        ("7", "https://www.example-daily.com/pdf/report.pdf: not an HTML page (application/pdf)")]
    # inputs(): the URL list and the cached answers, without fetching again
    calls = len(responses.calls)
    files = html.inputs(str(urls), opts)
    assert files[0] == urls and len(files) == 1 + 2  # the reuters page and the PDF (robots.txt not listed)
    assert all(f.suffix == ".body" for f in files[1:]) and len(responses.calls) == calls


# --- warc -----------------------------------------------------------------------------------

def write_warc(path: Path, gz: bool) -> None:
    page_without_date = (b"<html><head><title>Flash update</title></head><body><article>"
                         b"<p>Air strikes on Raqqa city continued overnight, residents said, and "
                         b"several buildings near the old market were destroyed.</p>"
                         b"<p>Water and electricity have been cut in most neighbourhoods since Sunday.</p>"
                         b"</article></body></html>")
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def response(uri, body, status="200 OK", ctype="text/html; charset=utf-8", date="2017-03-22T09:30:00Z",
                     extra_headers=None):
            http_headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            headers = {"WARC-Date": date, **(extra_headers or {})}
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=http_headers,
                                                          warc_headers_dict=headers))

        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "framescope tests"}))
        writer.write_record(writer.create_warc_record(
            REUTERS_URL, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
            warc_headers_dict={"WARC-Date": "2017-03-22T09:30:00Z"}))
        response(REUTERS_URL, reuters_page())
        response("https://www.reuters.com/logo.png", b"\x89PNG\r\n", ctype="image/png")
        response("https://news.example.net/raqqa-update", page_without_date, date="2017-03-23T07:00:00Z")
        response("https://news.example.net/missing", b"<html><body><p>Not found</p></body></html>",
                 status="404 Not Found")
        response("https://news.example.net/long", page_without_date.replace(b"Flash", b"Long"),
                 extra_headers={"WARC-Truncated": "length"})
        response("https://www.reuters.com/last", reuters_page().replace(b"33", b"34"))


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_archive(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz)
    docs, rejects = split(list(warc.load(str(path), {})))
    assert [(d.url, d.date, d.outlet) for d in docs] == [
        (REUTERS_URL, dt.date(2017, 3, 21), "reuters"),  # the page's own date wins
        ("https://news.example.net/raqqa-update", dt.date(2017, 3, 23), "news.example.net"),  # WARC-Date
        ("https://www.reuters.com/last", dt.date(2017, 3, 21), "reuters")]
    assert docs[0].collection == "crawl" and docs[0].captions == [BILINGUAL]
    assert docs[0].extra["warc_date"] == "2017-03-22T09:30:00Z" and docs[0].extra["warc_file"] == path.name
    assert docs[0].original_id == docs[0].extra["warc_record_id"] and len(docs[0].original_id) == 36
    assert [r.reason for r in rejects] == [
        "https://news.example.net/missing: HTTP status 404",
        "https://news.example.net/long: record truncated by the crawler (WARC-Truncated: length)"]
    assert all(r.location.startswith(f"{path}@") for r in rejects)

    # cut the file inside the last record: that record is a reject, the rest still loads
    data = path.read_bytes()
    path.write_bytes(data[:-400])
    docs2, rejects2 = split(list(warc.load(str(path), {})))
    assert [d.url for d in docs2] == [d.url for d in docs[:2]]
    assert len(rejects2) == 3 and "truncated record" in rejects2[-1].reason
    assert rejects2[:2] == rejects


def test_warc_trailing_garbage_and_folder(tmp_path):
    folder = tmp_path / "archives"
    folder.mkdir()
    write_warc(folder / "a.warc.gz", True)
    (folder / "b.warc.gz").write_bytes((folder / "a.warc.gz").read_bytes() + b"\x1f\x8b\x08\x00 broken member")
    docs, rejects = split(list(warc.load(str(folder), {})))
    assert len(docs) == 3  # b.warc.gz repeats a's records: same record ids → duplicates
    reasons = [r.reason for r in rejects]
    assert sum(r.startswith("duplicate record id") for r in reasons) == 3
    assert reasons[-1].startswith("unreadable or truncated record") or "truncated record" in reasons[-1]
    assert rejects[-1].location.startswith(str(folder / "b.warc.gz"))
    assert warc.inputs(str(folder), {}) == [folder / "a.warc.gz", folder / "b.warc.gz"]


def test_arc_file(tmp_path):
    body = reuters_page()
    http_block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    header = b"filedesc://test.arc 0.0.0.0 20170322093000 text/plain 76\n"
    version = b"1 0 framescope-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    record = f"{REUTERS_URL} 1.2.3.4 20170322093000 text/html {len(http_block)}\n".encode() + http_block + b"\n"
    (tmp_path / "old.arc").write_bytes(header.replace(b" 76\n", f" {len(version)}\n".encode()) + version + b"\n" + record)
    docs, rejects = split(list(warc.load(str(tmp_path / "old.arc"), {})))
    assert rejects == [] and [(d.url, d.outlet, d.date) for d in docs] == [(REUTERS_URL, "reuters", dt.date(2017, 3, 21))]


def test_warc_argument_errors(tmp_path):
    with pytest.raises(FramescopeError, match="no such file"):
        list(warc.load(str(tmp_path / "nope.warc"), {}))
    (tmp_path / "d").mkdir()
    with pytest.raises(FramescopeError, match="no .warc"):
        list(warc.load(str(tmp_path / "d"), {}))


# --- rss ------------------------------------------------------------------------------------

def test_rss_file():
    docs, rejects = split(list(rss.load(str(FIXTURES / "rss" / "feed.xml"), {})))
    assert [r.reason for r in rejects] == ["duplicate entry (first at %s entry 2)" % (FIXTURES / "rss" / "feed.xml")]
    first, second, podcast = docs
    assert (first.outlet, first.date, first.url, first.lang_hint) == \
        ("airwars", dt.date(2017, 3, 22), "https://airwars.org/news-and-investigations/raqqa-school-strike/", "en")
    assert first.title == "Civilians reported killed in coalition strike on Raqqa school"
    assert first.body.split("\n\n") == [
        "Local sources reported that between 30 and 33 civilians were killed when the coalition "
        "struck a school in al-Mansoura, west of Raqqa.",
        "The coalition later confirmed a strike in the area but said it had targeted fighters."]
    assert first.captions == ["The school after the strike. المدرسة بعد الغارة"]
    assert first.extra == {"author": "Airwars staff", "entry_id": "https://airwars.org/?p=30001",
                           "tags": "Syria; Coalition", "text_source": "feed"}
    assert second.body == "Civilian harm allegations rose sharply in March across Iraq and Syria."
    assert (podcast.title, podcast.body, podcast.extra["text_source"]) == ("Podcast episode 12", "", "title")
    assert len({d.original_id for d in docs}) == 3


def test_atom_feed_in_arabic():
    docs, rejects = split(list(rss.load(str(FIXTURES / "rss" / "atom.xml"), {})))
    assert rejects == []
    (doc,) = docs
    assert (doc.outlet, doc.date, doc.lang_hint) == ("sana", dt.date(2017, 3, 21), "ar")
    assert doc.body == "استهدف طيران ما يسمى التحالف الدولي مدرسة في بلدة المنصورة بريف الرقة."


def test_empty_and_malformed_feeds(tmp_path):
    assert [(r.location, r.reason) for r in rss.load(str(FIXTURES / "rss" / "empty.xml"), {})] == [
        (str(FIXTURES / "rss" / "empty.xml"), "feed has no entries")]
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"\x00\x01 this is not a feed <<<")
    (reject,) = rss.load(str(bad), {})
    assert isinstance(reject, Reject) and reject.reason.startswith(("malformed feed", "feed has no entries"))
    with pytest.raises(FramescopeError, match="no such file"):
        list(rss.load(str(tmp_path / "none.xml"), {}))


FEED_URL = "https://airwars.org/feed/"


@responses.activate
def test_rss_url_429_then_success_and_fetch_pages(tmp_path):
    feed = (FIXTURES / "rss" / "feed.xml").read_bytes().replace(
        b"https://airwars.org/news-and-investigations/raqqa-school-strike/", REUTERS_URL.encode())
    responses.add(responses.GET, FEED_URL, status=429, headers={"Retry-After": "2"})
    responses.add(responses.GET, FEED_URL, body=feed, content_type="application/rss+xml")
    responses.add(responses.GET, "https://www.reuters.com/robots.txt", body="User-agent: *\nAllow: /\n")
    responses.add(responses.GET, REUTERS_URL, body=reuters_page(), content_type="text/html")
    responses.add(responses.GET, "https://airwars.org/robots.txt", body="User-agent: *\nDisallow: /podcast/\n")
    responses.add(responses.GET, "https://airwars.org/news-and-investigations/march-2017-assessment/",
                  body=requests.exceptions.ConnectTimeout("no"))
    opts = {"fetch": "1", "cache": str(tmp_path / "c"), "rate": "0", "retries": "1"}
    docs, rejects = split(list(rss.load(FEED_URL, opts)))
    assert len(docs) == 1
    doc = docs[0]
    assert doc.body.startswith("BEIRUT (Reuters)") and doc.date == dt.date(2017, 3, 22)  # the feed's date
    assert doc.title == "Civilians reported killed in coalition strike on Raqqa school"
    assert (doc.outlet, doc.extra["text_source"]) == ("airwars", "page")
    reasons = [r.reason for r in rejects]
    assert reasons[0].endswith("timed out after 30 s (gave up after 2 attempts)")
    assert reasons[1].startswith("duplicate entry")
    assert reasons[2] == "https://airwars.org/podcast/12/: disallowed by robots.txt"


@responses.activate
def test_rss_url_500_timeout_malformed(tmp_path):
    opts = {"cache": str(tmp_path / "c"), "rate": "0", "retries": "1"}
    responses.add(responses.GET, FEED_URL, status=500)
    assert [r.reason for r in rss.load(FEED_URL, opts)] == ["feed not loaded: HTTP 500 (gave up after 2 attempts)"]
    responses.replace(responses.GET, FEED_URL, body=requests.exceptions.ReadTimeout("slow"))
    assert [r.reason for r in rss.load(FEED_URL, opts)] == [
        "feed not loaded: timed out after 30 s (gave up after 2 attempts)"]
    responses.replace(responses.GET, FEED_URL, body=b"<rss><channel><item><title>broken", content_type="text/xml")
    (reject,) = rss.load(FEED_URL, opts)
    assert reject.reason.startswith("entry without link, title or text (malformed feed: ")


# --- nexis ----------------------------------------------------------------------------------

COVER = ["Nexis Uni®", "Documents (3)", "1. Coalition strike kills 33 in Syria school: monitor",
         "Client/Matter: -None-", "Search Terms: coalition w/5 airstrike and Raqqa",
         "Search Type: Terms and Connectors",
         "Narrowed by: Content Type: News; Timeline: Mar 01, 2017 to Mar 31, 2017", ""]
AFP = ["Coalition strike kills 33 in Syria school: monitor", "Agence France Presse -- English",
       "March 21, 2017 Tuesday 4:15 PM GMT", "Copyright 2017 Agence France Presse All Rights Reserved",
       "Section: World", "Length: 412 words", "Byline: Staff writer", "Dateline: Beirut, March 21 2017",
       "", "Body", "",
       "Air strikes by the US-led coalition killed 33 people sheltering in a school near Raqqa, a monitor said on Tuesday.",
       "The Syrian Observatory for Human Rights said the dead included women and children.",
       "", "Load-Date: March 22, 2017", "Language: ENGLISH", "Publication-Type: Newswire",
       "Subject: AIR STRIKES (90%); CIVILIANS (89%)", "End of Document"]
SANA = ["طيران التحالف يرتكب مجزرة في ريف الرقة", "Syrian Arab News Agency (SANA)", "March 21, 2017 Tuesday",
        "Length: 1,150 words", "Body",
        "ارتكب طيران التحالف الدولي مجزرة جديدة بحق المدنيين في بلدة المنصورة بريف الرقة.",
        "وأفادت مصادر أهلية بأن معظم الضحايا من النساء والأطفال.",
        "Load-Date: March 22, 2017", "Language: ARABIC", "End of Document"]
NO_BODY = ["Wire summary", "The Associated Press", "March 23, 2017 Thursday", "Length: 100 words",
           "Some text without a Body line.", "End of Document"]
TRAILING = ["Unfinished article", "Reuters News", "March 24, 2017 Friday", "Body", "A first paragraph"]


def write_docx(path: Path, paragraphs: list[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def write_rtf(path: Path) -> None:
    arabic = "".join(f"\\u{ord(ch)}?" for ch in "غارة على الرقة")
    path.write_bytes((
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n"
        "\\pard Coalition air strikes hit Raqqa school\\par\n"
        "The Associated Press\\par\n"
        "March 22, 2017 Wednesday\\par\n"
        "Length: 98 words\\par\n"
        "Byline: By Staff\\par\n"
        "Body\\par\n"
        "Activists said the coalition\\'92s strikes killed at least 20 people.\\par\n"
        f"The headline of the Arabic report read: {arabic}.\\par\n"
        "Load-Date: March 23, 2017\\par\n"
        "End of Document\\par\n}}").encode("ascii"))


def test_nexis_exports(tmp_path):
    folder = tmp_path / "nexis"
    folder.mkdir()
    write_docx(folder / "results1.docx", COVER + AFP + SANA + NO_BODY + TRAILING)
    write_docx(folder / "not_nexis.docx", ["Meeting notes", "Nothing to see here."])
    write_rtf(folder / "results2.rtf")
    (folder / "broken.docx").write_bytes(b"this is not a zip file")
    (folder / "~$results1.docx").write_bytes(b"lock")
    docs, rejects = split(list(nexis.load(str(folder), {})))
    assert [(d.original_id, d.outlet, d.date, d.lang_hint) for d in docs] == [
        ("results1.docx#1", "afp", dt.date(2017, 3, 21), "en"),
        ("results1.docx#2", "sana", dt.date(2017, 3, 21), "ar"),
        ("results2.rtf#1", "ap", dt.date(2017, 3, 22), None)]
    afp, sana, ap = docs
    assert afp.title == "Coalition strike kills 33 in Syria school: monitor"
    assert afp.body.split("\n\n") == AFP[11:13]
    assert afp.extra == {"nexis_publication": "Agence France Presse -- English", "nexis_length_words": 412,
                         "byline": "Staff writer", "nexis_section": "World",
                         "nexis_dateline": "Beirut, March 21 2017", "nexis_load_date": "March 22, 2017",
                         "nexis_publication_type": "Newswire",
                         "nexis_copyright": "Copyright 2017 Agence France Presse All Rights Reserved",
                         "nexis_file": "results1.docx"}
    assert sana.title == SANA[0] and sana.extra["nexis_length_words"] == 1150
    assert ap.body.split("\n\n") == ["Activists said the coalition\u2019s strikes killed at least 20 people.",
                                     "The headline of the Arabic report read: غارة على الرقة."]
    assert ap.extra["byline"] == "By Staff" and ap.title == "Coalition air strikes hit Raqqa school"
    assert {(Path(r.location).name, r.reason.split(":")[0]) for r in rejects} == {
        ("broken.docx", "unreadable .docx file"),
        ("not_nexis.docx", "no Nexis article separators ('End of Document') found"),
        ("results1.docx#article3", "article 3"),
        ("results1.docx#article4", "5 paragraphs after the last 'End of Document' (an incomplete article?)")}
    assert next(r for r in rejects if r.location.endswith("#article3")).reason == "article 3: no 'Body' line"
    assert len({d.raw_sha256 for d in docs}) == 3
    assert [p.name for p in nexis.inputs(str(folder), {})] == [
        "broken.docx", "not_nexis.docx", "results1.docx", "results2.rtf"]


def test_nexis_single_file_and_errors(tmp_path):
    write_docx(tmp_path / "one.docx", AFP)
    docs = list(nexis.load(str(tmp_path / "one.docx"), {"collection": "wires"}))
    assert [(d.doc_id, d.outlet) for d in docs] == [("wires:one.docx#1", "afp")]
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(FramescopeError, match="not a .docx or .rtf"):
        list(nexis.load(str(tmp_path / "x.pdf"), {}))
    with pytest.raises(FramescopeError, match="no such file"):
        list(nexis.load(str(tmp_path / "missing"), {}))


def test_nexis_date_lines():
    assert nexis.parse_nexis_date("March 21, 2017 Tuesday 4:15 PM GMT") == dt.date(2017, 3, 21)
    assert nexis.parse_nexis_date("Tuesday, March 21, 2017") == dt.date(2017, 3, 21)
    assert nexis.parse_nexis_date("21 March 2017") == dt.date(2017, 3, 21)
    assert nexis.parse_nexis_date("Strike on March 21, 2017 kills 30") is None
    assert nexis.parse_nexis_date("February 30, 2017") is None
