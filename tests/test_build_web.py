"""One `framescope build` from every web loader: recorded API answers (responses), and
HTML, WARC, RSS and Nexis files written by the tests. Checks what lands in the corpus
store (source types, bilingual captions split by language, rejects with reasons, the
cached answers in the manifest) and that an offline rebuild from the cache is
byte-identical."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import responses

from framescope import corpus
from framescope.corpus.build import build
from framescope.cli import main
from framescope.corpus.loaders import gdelt, http

from test_loaders_web_files import AFP, COVER, REUTERS_URL, SANA, write_docx, write_warc

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setattr(http, "_sleep", lambda s: None)
    monkeypatch.setattr(http, "_MEMORY", {})
    monkeypatch.setattr(http, "_REFRESHED", set())
    monkeypatch.setattr(http, "_LAST_REQUEST", {})
    monkeypatch.setenv("FRAMESCOPE_CACHE", str(tmp_path / "default-cache"))


@pytest.fixture
def inputs(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "pages" / "reuters_article.html", pages / "reuters.html")
    (pages / "nomain.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    exports = tmp_path / "nexis"
    exports.mkdir()
    write_docx(exports / "results.docx", COVER + AFP + SANA)
    write_docx(exports / "notes.docx", ["Just notes"])
    write_warc(tmp_path / "crawl.warc.gz", True)
    return tmp_path


def sources(root: Path) -> list[str]:
    return ['reliefweb:coalition airstrike civilians', 'gdelt:coalition Raqqa',
            f"html:{root / 'pages'}", f"warc:{root / 'crawl.warc.gz'}",
            f"rss:{FIXTURES / 'rss' / 'feed.xml'}", f"nexis:{root / 'nexis'}"]


def record_answers() -> None:
    url = "https://api.reliefweb.int/v2/reports"
    for name in ("page1", "page2"):
        responses.add(responses.POST, url, body=(FIXTURES / "reliefweb" / f"{name}.json").read_text(),
                      content_type="application/json")
    responses.add(responses.GET, gdelt.API_URL, body=(FIXTURES / "gdelt" / "week1.json").read_text())
    # gdelt.fetch=1: the listed pages (robots.txt first)
    responses.add(responses.GET, "https://www.reuters.com/robots.txt",
                  body=(FIXTURES / "pages" / "robots_allow.txt").read_text())
    responses.add(responses.GET, REUTERS_URL, body=(FIXTURES / "pages" / "reuters_article.html").read_bytes(),
                  content_type="text/html; charset=utf-8")
    responses.add(responses.GET, "https://sana.sy/robots.txt",
                  body=(FIXTURES / "pages" / "robots_disallow_framescope.txt").read_text())
    responses.add(responses.GET, "https://www.example-daily.com/robots.txt", status=404)
    responses.add(responses.GET, "https://www.example-daily.com/world/raqqa-strike", status=404)


@responses.activate
def test_build_from_all_web_loaders_and_rebuild_offline(inputs, tmp_path):
    record_answers()
    options = {"cache": str(tmp_path / "http-cache"), "appname": "framescope-tests-x7",
               "start": "2017-03-15", "end": "2017-03-21", "country": "Syria",
               "reliefweb.limit": "2", "gdelt.window": "7", "gdelt.fetch": "1", "rate": "0"}
    first = build(sources(inputs), tmp_path / "corpus1", options=options, progress=False)
    calls = len(responses.calls)
    assert calls == 2 + 1 + 5  # each answer fetched once; the build's other passes read the cache

    c = corpus.load(tmp_path / "corpus1")
    docs = c.documents.set_index("doc_id")
    assert docs.loc["reliefweb:2001001", ["outlet", "source_type"]].tolist() == ["hrw", "ngo"]
    assert docs.loc["reliefweb:2001002", ["outlet", "source_type", "country"]].tolist() == \
        ["sana", "state_media", "Syria"]  # ReliefWeb "Media", registry knows SANA
    assert docs.loc["reliefweb:2001003", "source_type"] == "igo"
    assert docs.loc["nexis:results.docx#1", ["outlet", "source_type"]].tolist() == ["afp", "wire"]
    assert docs.loc["nexis:results.docx#2", ["outlet", "lang"]].tolist() == ["sana", "ar"]
    gd = docs[docs.collection == "gdelt"]
    assert gd[["outlet", "source_type", "url", "text_source"]].values.tolist() == [
        ["reuters", "wire", REUTERS_URL, "page"]]
    # the same page came through html: and warc: too: one of them is the original
    same = docs[docs.url == REUTERS_URL]
    assert len(same) == 3 and same.duplicate_of.isna().sum() == 1
    assert set(docs.collection) == {"reliefweb", "gdelt", "pages", "crawl", "rss", "nexis"}
    assert str(docs.loc["pages:reuters", "date"])[:10] == "2017-03-21"
    assert docs.loc["reliefweb:2001001", "reliefweb_source_type"] == "Non-governmental Organization"

    # the bilingual figcaption of the HTML page: two caption segments, English and Arabic
    segs = c.segments
    caps = segs[(segs.doc_id == "pages:reuters") & (segs.role == "caption")]
    assert caps[["lang", "text"]].values.tolist() == [
        ["en", "Smoke rises after an air strike near Raqqa, Syria, March 20, 2017."],
        ["ar", "دخان يتصاعد بعد غارة جوية قرب الرقة"]]
    body = segs[(segs.doc_id == "pages:reuters") & (segs.role == "body")].text
    assert not body.str.contains("Smoke rises|cookie|Subscribe").any()

    with open(tmp_path / "corpus1" / "rejects.csv", encoding="utf-8") as fh:
        rejects = {(r["source"], r["reason"].split(" (")[0].split(": ")[-1]) for r in csv.DictReader(fh)}
    assert rejects == {
        ("reliefweb", "report 2001004 has no body text"),
        ("pages", "no main text found"),
        ("crawl", "HTTP status 404"),
        ("crawl", "record truncated by the crawler"),
        ("rss", "duplicate entry"),
        ("gdelt", "disallowed by robots.txt"),
        ("gdelt", "HTTP 404"),
        ("nexis", "no Nexis article separators"),
    }

    # the manifest records the cached raw answers as the network sources' inputs
    manifest = first.manifest
    by_kind = {s["kind"]: s for s in manifest["sources"]}
    assert len(by_kind["reliefweb"]["inputs"]) == 2
    assert len(by_kind["gdelt"]["inputs"]) == 3  # the list, the page, the 404 (robots.txt not listed)
    assert all(i["name"].endswith(".body") for i in by_kind["reliefweb"]["inputs"])

    # offline rebuild, no appname, nothing fetched: the same corpus byte for byte
    offline = {k: v for k, v in options.items() if k != "appname"} | {"offline": "1"}
    second = build(sources(inputs), tmp_path / "corpus2", options=offline, progress=False)
    assert len(responses.calls) == calls
    assert second.manifest["corpus_id"] == first.manifest["corpus_id"]  # fetch options are not identity
    for name in ("documents.parquet", "segments.parquet", "rejects.csv"):
        assert (tmp_path / "corpus1" / name).read_bytes() == (tmp_path / "corpus2" / name).read_bytes()
    same_inputs = [[(i["name"], i["sha256"]) for i in s["inputs"]] for s in first.manifest["sources"]]
    assert same_inputs == [[(i["name"], i["sha256"]) for i in s["inputs"]] for s in second.manifest["sources"]]


def test_cli_unknown_offline_answer_is_a_reject_not_a_crash(tmp_path, capsys):
    out = tmp_path / "c"
    code = main(["build", "gdelt:coalition", "--out", str(out), "--no-progress",
                 "--opt", "start=2017-03-15", "--opt", "end=2017-03-16", "--opt", "offline=1",
                 "--opt", f"cache={tmp_path / 'empty-cache'}"])
    assert code == 0
    rows = list(csv.DictReader(open(out / "rejects.csv", encoding="utf-8")))
    assert [r["reason"] for r in rows] == ["window not loaded: not in the cache and offline=1"]


def test_cli_argument_error_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RELIEFWEB_APPNAME", raising=False)
    code = main(["build", "reliefweb:coalition", "--out", str(tmp_path / "c"), "--no-progress",
                 "--opt", f"cache={tmp_path / 'cache'}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("framescope: error: reliefweb: needs --opt appname")
