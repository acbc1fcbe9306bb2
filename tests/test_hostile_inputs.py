"""Hostile inputs and faults (issue 14): one case per failure found on main.

Every case runs ``framescope build`` (in this process, as the CLI does) and checks the exit
code, that an error is one line, that documents + rejects account for every input row,
file or member, and that no byte from outside the input folder reaches the corpus.
``docs/reliability.md`` lists what each kind of bad input gets.
"""
from __future__ import annotations

import json
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from framescope import corpus
from framescope.cli import main

SECRET = "OUTSIDE-SECRET-7f3a9c"  # in a file beside the input folder, never in a corpus
ARTICLE = ("Officials said on Tuesday that the talks in Geneva would resume next week, "
           "after a pause of several days, and that both delegations had agreed to attend.\n")


def build(capsys, *args) -> tuple[int, str]:
    """Run ``framescope build ARGS --no-progress``: (exit code, stderr)."""
    capsys.readouterr()
    rc = main(["build", *map(str, args), "--no-progress"])
    return rc, capsys.readouterr().err


def one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framescope: error: "), err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0], lines[0]


def accounted(out: Path, n_inputs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and rejects of ``out``, checked to account for ``n_inputs`` items."""
    docs = pd.read_parquet(out / "documents.parquet")
    rejects = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)
    assert len(docs) + len(rejects) == n_inputs, (docs.doc_id.tolist(), rejects)
    for path in out.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path
    docs["date"] = pd.to_datetime(docs["date"])
    return docs, rejects


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A text folder with two articles, and a secret file outside it."""
    (tmp_path / "secret.txt").write_text(f"{SECRET}\n{ARTICLE}", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("Talks to resume\n" + ARTICLE, encoding="utf-8")
    (data / "b.txt").write_text("Second report\n" + ARTICLE.replace("Geneva", "Vienna"), encoding="utf-8")
    return data


# --- 1. --out never deletes what is not a corpus -------------------------------------------

@pytest.mark.parametrize("case", ["dot", "empty", "input", "file", "other_files", "parent_is_file",
                                  "corpus_with_user_files"])
def test_out_refuses_to_replace_what_is_not_a_corpus(tmp_path, inputs, capsys, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "thesis.tex").write_text("years of work", encoding="utf-8")
    (tmp_path / "file.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    if case == "corpus_with_user_files":
        assert build(capsys, "text:data", "--out", "old")[0] == 0
        (tmp_path / "old" / "my_notes.txt").write_text("added by hand", encoding="utf-8")
    out = {"dot": ".", "empty": "", "input": "data", "file": "file.csv", "other_files": "notes",
           "parent_is_file": "file.csv/corpus", "corpus_with_user_files": "old"}[case]
    before = snapshot(tmp_path)
    started = time.perf_counter()
    rc, err = build(capsys, "text:data", "--out", out)
    assert rc == 2
    one_line_error(err)
    assert snapshot(tmp_path) == before  # nothing deleted, nothing written
    assert time.perf_counter() - started < 30  # refused before any work (no pass over the inputs)


def test_out_replaces_an_earlier_corpus_and_an_empty_folder(tmp_path, inputs, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert build(capsys, f"text:{inputs}", "--out", out)[0] == 0
    assert build(capsys, f"text:{inputs}", "--out", out)[0] == 0
    accounted(out, 2)


# --- 2. crash-safe swap, leftovers removed, a lock -----------------------------------------

def test_crash_between_the_renames_is_repaired_by_the_next_build(tmp_path, inputs, capsys, monkeypatch):
    import framescope.corpus.store as store

    out = tmp_path / "corpus"
    assert build(capsys, f"text:{inputs}", "--out", out)[0] == 0
    old_id = json.loads((out / "manifest.json").read_text())["corpus_id"]
    (inputs / "c.txt").write_text("Third report\n" + ARTICLE.replace("Geneva", "Doha"), encoding="utf-8")
    real_replace, calls = os.replace, []

    def crash_on_third(src, dst):  # tmp → .new, corpus → .old, then "power cut"
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", crash_on_third)
    assert main(["build", f"text:{inputs}", "--out", str(out), "--no-progress"]) == 130
    monkeypatch.setattr(store.os, "replace", real_replace)
    assert not out.exists()  # the crash left no corpus at --out ...
    (tmp_path / ".corpus.tmp-stale1").mkdir()  # ... and a killed build left a temp folder
    # ... but the next build (or any writer of the folder) finishes the swap first
    store.AtomicFolder(out).lock().release()
    docs, _ = accounted(out, 3)
    assert json.loads((out / "manifest.json").read_text())["corpus_id"] != old_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "data", "secret.txt"]


def test_second_build_on_the_same_out_is_refused_while_one_runs(tmp_path, inputs, capsys):
    from framescope.corpus.store import AtomicFolder

    out = tmp_path / "corpus"
    running = AtomicFolder(out).lock()  # what a running build holds
    try:
        rc, err = build(capsys, f"text:{inputs}", "--out", out)
    finally:
        running.release()
    assert rc == 2
    one_line_error(err, "another framescope run")
    assert build(capsys, f"text:{inputs}", "--out", out)[0] == 0
    accounted(out, 2)


# --- 3. a line that used to hang the segmenter ---------------------------------------------

def test_hyphenated_place_names_line_does_not_hang(tmp_path, capsys):
    names = ["Tal-Abyad-al-Raqqa", "Deir-ez-Zor-al-Mayadin", "Abu-Kamal-al-Bukamal", "Ras-al-Ain-al-Hasakah",
             "Jisr-al-Shughur-Idlib", "Maarat-al-Numan-Idlib", "Khan-Shaykhun-Idlib", "Tal-Rifaat-Aleppo",
             "Ain-al-Arab-Kobani", "Al-Bab-al-Aleppo", "Manbij-Jarablus-al-Sajur"]
    line = "Strikes were reported in " + ", ".join(n + "-al-Gharbi" for n in names) + " (2017)."
    assert 350 <= len(line.encode()) <= 420
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("Strikes\n" + line + "\n" + ARTICLE, encoding="utf-8")
    started = time.perf_counter()
    rc, _ = build(capsys, f"text:{data}", "--out", tmp_path / "out")
    assert rc == 0 and time.perf_counter() - started < 120
    docs, _ = accounted(tmp_path / "out", 1)
    assert "Manbij-Jarablus-al-Sajur-al-Gharbi (2017)." in docs.text[0]


# --- 4. symbolic links, FIFOs and other files that are not inputs --------------------------

@pytest.mark.parametrize("kind,suffix", [("text", ".txt"), ("html", ".html")])
def test_links_out_of_the_folder_dangling_links_and_fifos_are_rejected(tmp_path, capsys, kind, suffix):
    data = tmp_path / "data"
    data.mkdir()
    good = ARTICLE if kind == "text" else f"<html><body><h1>Talks</h1><p>{ARTICLE * 3}</p></body></html>"
    (data / f"good{suffix}").write_text(good, encoding="utf-8")
    (data / f"passwd{suffix}").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "secret.txt").write_text(f"<p>{SECRET}</p>\n" * 20, encoding="utf-8")
    (data / f"gone{suffix}").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(data / f"pipe{suffix}")  # reading it would block the build for ever
    (data / f"inside{suffix}").symlink_to(data / f"good{suffix}")  # inside the root: read
    rc, _ = build(capsys, f"{kind}:{data}", "--out", tmp_path / "out")
    assert rc == 0
    docs, rejects = accounted(tmp_path / "out", 5)
    reasons = dict(zip(rejects.location.map(lambda p: Path(p).name), rejects.reason))
    assert "outside the input folder" in reasons[f"passwd{suffix}"]
    assert "dangling" in reasons[f"gone{suffix}"]
    assert "FIFO" in reasons[f"pipe{suffix}"]


# --- 5. JSONL columns are the union of the objects' keys -----------------------------------

def test_jsonl_fields_first_seen_later_are_kept_and_missing_text_is_a_reject(tmp_path, capsys):
    rows = [{"id": "1", "body": ARTICLE},
            {"id": "2", "body": ARTICLE.replace("Geneva", "Oslo"), "date": "2017-03-04",
             "headline": "Oslo talks", "outlet": "Reuters"},
            {"id": "3", "title": "no text here"}]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # the first object lacks the mapped headline: that used to stop the build
    rc, _ = build(capsys, f"jsonl:{path}", "--map", "text=body,title=headline", "--out", tmp_path / "out")
    assert rc == 0
    docs, rejects = accounted(tmp_path / "out", 3)
    second = docs.set_index("doc_id").loc["items:2"]
    assert second.title == "Oslo talks" and str(second.date.date()) == "2017-03-04"
    assert second.outlet == "reuters"
    assert rejects.reason.tolist() == ["no text field 'body' in this record"]


# --- 6. one bad record never stops the build ------------------------------------------------

def test_bad_json_records_are_rejects(tmp_path, capsys):
    lines = [json.dumps({"id": "ok", "text": ARTICLE}),
             '{"id": "deep", "text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
             '{"id": "big", "text": "x", "n": ' + "7" * 5000 + "}",
             '{"id": "sur", "text": "lone \\ud800 surrogate"}',
             '{"id": "obj", "text": {"nested": "object"}}']
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, _ = build(capsys, f"jsonl:{path}", "--out", tmp_path / "out")
    assert rc == 0
    docs, rejects = accounted(tmp_path / "out", 5)
    assert docs.doc_id.tolist() == ["items:ok"]
    assert all(r.startswith(("invalid JSON", "field")) for r in rejects.reason), rejects.reason.tolist()


def saudi_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_non_string_fields_in_a_saudinewsnet_member_are_rejects(tmp_path, capsys):
    good = {"source": "spa", "url": "u", "date_extracted": "2015-07-23", "title": "t", "content": "خبر " * 30}
    arts = [good, {**good, "content": 5}, {**good, "title": ["a"]}, {**good, "source": {"x": 1}},
            {**good, "content": "خبر \ud800"}]
    data = tmp_path / "snn"
    data.mkdir()
    saudi_zip(data / "2015-07-23.zip", {
        "a.json": json.dumps(arts, ensure_ascii=True).encode(),
        "empty.json": b"[]",
        "deep.json": b"[" * 100_000 + b"]" * 100_000})
    rc, _ = build(capsys, f"saudinewsnet:{data}", "--out", tmp_path / "out")
    assert rc == 0
    docs, rejects = accounted(tmp_path / "out", 7)  # 5 articles + 2 members
    assert len(docs) == 1


def test_unreadable_input_file_is_a_reject(tmp_path, inputs, capsys, monkeypatch):
    import framescope.corpus.build as build_mod
    import framescope.corpus.loaders.textdir as textdir

    bad = inputs / "b.txt"
    real_hash, real_read = build_mod.sha256_file, textdir.read_input_bytes

    def failing(fn):
        def wrapped(path, *a, **k):
            if Path(path) == bad:
                raise PermissionError(13, "Permission denied", str(path))
            return fn(path, *a, **k)
        return wrapped

    monkeypatch.setattr(build_mod, "sha256_file", failing(real_hash))
    monkeypatch.setattr(textdir, "read_input_bytes", failing(real_read))
    rc, _ = build(capsys, f"text:{inputs}", "--out", tmp_path / "out")
    assert rc == 0
    _, rejects = accounted(tmp_path / "out", 2)
    assert rejects.reason.str.contains("Permission denied").all()


# --- 7. a zip member that lies about its size -----------------------------------------------

def test_zip_member_declaring_a_small_size_is_read_as_a_bounded_stream(tmp_path, capsys):
    data = tmp_path / "snn"
    data.mkdir()
    path = saudi_zip(data / "bomb.zip", {"a.json": b"[" + b" " * 60_000_000 + b"]"})
    raw = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("a.json")
    # declare 100 bytes in the local header (offset 22) and the central directory (offset 24)
    raw[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24:central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    from framescope.corpus.loaders.saudinewsnet import iter_zip

    tracemalloc.start()
    items = list(iter_zip(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 30_000_000, peak  # not the 60 MB it inflates to
    assert len(items) == 1 and "unreadable member" in items[0].reason
    rc, _ = build(capsys, f"saudinewsnet:{data}", "--out", tmp_path / "out")
    assert rc == 0
    accounted(tmp_path / "out", 1)


# --- 8. --reuse and load check the files, not only the manifest ----------------------------

def test_reuse_rebuilds_a_damaged_corpus_and_load_refuses_it(tmp_path, inputs, capsys):
    out = tmp_path / "out"
    assert build(capsys, f"text:{inputs}", "--out", out)[0] == 0
    good = snapshot(out)
    docs = out / "documents.parquet"
    docs.write_bytes(docs.read_bytes()[:-100])  # truncated
    capsys.readouterr()
    assert main(["info", str(out)]) == 2
    one_line_error(capsys.readouterr().err, "documents.parquet")
    assert build(capsys, f"text:{inputs}", "--out", out, "--reuse")[0] == 0
    assert snapshot(out) == good
    (out / "segments.parquet").unlink()
    assert build(capsys, f"text:{inputs}", "--out", out, "--reuse")[0] == 0
    assert snapshot(out) == good


def test_load_refuses_a_manifest_from_another_corpus(tmp_path, inputs, capsys):
    assert build(capsys, f"text:{inputs}", "--out", tmp_path / "a")[0] == 0
    (inputs / "c.txt").write_text("Third\n" + ARTICLE.replace("Geneva", "Doha"), encoding="utf-8")
    assert build(capsys, f"text:{inputs}", "--out", tmp_path / "b")[0] == 0
    (tmp_path / "a" / "manifest.json").write_bytes((tmp_path / "b" / "manifest.json").read_bytes())
    with pytest.raises(corpus.errors.CorpusIntegrityError, match="manifest"):
        corpus.load(tmp_path / "a")


def test_demo_rebuild_does_not_reuse(tmp_path, monkeypatch):
    import framescope.corpus.build as build_mod
    from framescope.corpus.build import ensure_default_corpus

    seen = []
    monkeypatch.setattr(build_mod, "build", lambda *a, **k: seen.append(k.get("reuse")) or (_ for _ in ()).throw(SystemExit))
    with pytest.raises(SystemExit):
        ensure_default_corpus(tmp_path / "c", rebuild=True)
    assert seen == [False]


# --- 9. smaller CSV, WARC, zip and metadata cases --------------------------------------------

def test_csv_long_field_unclosed_quote_and_header_only(tmp_path, capsys):
    long_body = ("Long article text. " * 12_000).strip()  # 228 KB in one field
    path = tmp_path / "items.csv"
    path.write_text("id,text,date\n"
                    f'1,"{long_body}",2017-01-01\n'
                    '2,"unclosed quote starts here,2017-01-02\n'
                    f"3,{ARTICLE.strip().replace(',', '')},2017-01-03\n"
                    f'4,"{ARTICLE.strip()}",2017-01-04\n'
                    # a real multi-line field whose second line has commas: not a merged row
                    f'5,"{ARTICLE.strip()}\nMeanwhile, officials, said nothing.",2017-01-05\n', encoding="utf-8")
    rc, _ = build(capsys, f"csv:{path}", "--out", tmp_path / "out")
    assert rc == 0
    docs, rejects = accounted(tmp_path / "out", 5)
    # row 2 does not swallow 3 and 4
    assert sorted(docs.doc_id) == ["items:1", "items:3", "items:4", "items:5"]
    assert len(docs.set_index("doc_id").loc["items:1", "text"]) > 200_000
    header_only = tmp_path / "empty.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    assert build(capsys, f"csv:{header_only}", "--out", tmp_path / "out2")[0] == 0
    accounted(tmp_path / "out2", 1)


def test_garbage_warc_is_a_reject(tmp_path, capsys):
    path = tmp_path / "crawl.warc"
    path.write_text("this is not a web archive at all\n", encoding="utf-8")
    assert build(capsys, f"warc:{path}", "--out", tmp_path / "out")[0] == 0
    accounted(tmp_path / "out", 1)


def test_metadata_csv_with_one_broken_row_keeps_the_later_rows(tmp_path, inputs, capsys):
    (inputs / "c.txt").write_text(ARTICLE.replace("Geneva", "Doha"), encoding="utf-8")
    (inputs / "meta.csv").write_text('file,title,outlet\na.txt,"broken quote,SANA\n'
                                     "b.txt,Vienna talks,Reuters\nc.txt,Doha talks,AFP\n", encoding="utf-8")
    assert build(capsys, f"text:{inputs}", "--out", tmp_path / "out")[0] == 0
    docs, rejects = accounted(tmp_path / "out", 4)  # 3 files + the broken metadata row
    titles = docs.set_index("doc_id").title
    assert titles["data:b"] == "Vienna talks" and titles["data:c"] == "Doha talks"


# --- 10. a fresh install has lxml.html.clean --------------------------------------------------

def test_lxml_html_clean_is_a_direct_dependency():
    import tomllib

    from framescope.corpus.paths import PROJECT_ROOT

    deps = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.lower().replace("-", "_").startswith("lxml_html_clean") for d in deps)
    from lxml.html.clean import Cleaner  # noqa: F401  (what jusText imports)


# --- 11. robots.txt per RFC 9309 (more cases in test_loaders_http.py) ----------------------------

def test_robots_wildcards_and_longest_match():
    import responses

    from framescope.corpus.loaders.http import Fetcher

    with responses.RequestsMock() as mock:
        mock.add(responses.GET, "https://example.org/robots.txt",
                 body="User-agent: *\nDisallow: /\nAllow: /news/\nDisallow: /*.pdf$\n")
        f = Fetcher(cache_dir=None, rate=0, retries=0)
        assert f.allowed("https://example.org/news/1")
        assert not f.allowed("https://example.org/news/report.pdf")
        assert not f.allowed("https://example.org/about")
