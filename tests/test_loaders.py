"""Loaders on small files the tests write, including every kind of bad input."""
import json
import zipfile

import pytest

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders import parse_sources
from framescope.corpus.loaders.fakes import split_dateline_and_title
from framescope.corpus.records import RawDocument, Reject


def run(source: str, **options):
    (src,) = parse_sources([source], options)
    items = list(src.loader(src.spec, src.options))
    return ([i for i in items if isinstance(i, RawDocument)],
            [i for i in items if isinstance(i, Reject)])


def test_unknown_kind_and_missing_path_are_one_line_errors(tmp_path):
    with pytest.raises(FramescopeError, match="unknown source kind 'pdf'"):
        parse_sources(["pdf:x"])
    with pytest.raises(FramescopeError, match="write KIND:PATH"):
        parse_sources(["just-a-path"])
    with pytest.raises(FramescopeError, match="no such file or folder"):
        run(f"text:{tmp_path / 'absent'}")


def test_text_folder_with_metadata_and_bad_files(tmp_path):
    (tmp_path / "a.txt").write_text("Headline A\n\nBody of A is a sentence.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("قتل التحالف عشرات المدنيين".encode("cp1256"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "mixed.txt").write_bytes("café ".encode() + "café".encode("latin-1"))
    (tmp_path / "baddate.txt").write_text("x", encoding="utf-8")
    (tmp_path / "meta.csv").write_text(
        "file,title,outlet,date,notes\n"
        "a.txt,Headline A,Reuters,2017-04-05,wire copy\n"
        "baddate.txt,,x,31/31/2017,\n"
        "ghost.txt,Ghost,x,,\n", encoding="utf-8")
    docs, rejects = run(f"text:{tmp_path}")
    by_id = {d.original_id: d for d in docs}
    assert set(by_id) == {"a", "b"}
    assert by_id["a"].title == "Headline A" and by_id["a"].outlet == "Reuters"
    assert by_id["a"].extra == {"notes": "wire copy"} and str(by_id["a"].date) == "2017-04-05"
    assert by_id["b"].body == "قتل التحالف عشرات المدنيين"
    reasons = {r.location.rsplit("/", 1)[-1]: r.reason for r in rejects}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["bin.txt"] == "binary file, not text"
    assert reasons["mixed.txt"].startswith("mixed encodings")
    assert "unparsable date" in reasons["baddate.txt"]
    assert any("missing file 'ghost.txt'" in r.reason for r in rejects)


def test_csv_map_encoding_and_bad_rows(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes((
        "uid,headline,body,published,source\n"
        "1,T1,\"First body, with a comma\",2017-04-05,reuters\n"
        "2,T2,\"broken \"quote\" here\",2017-04-06,sana\n"
        "3,T3,third body,not a date,sana\n"
        "4,T4,,2017-04-07,sana\n"
        "5,T5,too,many,fields,here\n"
        "1,T6,duplicate id body,2017-04-08,sana\n"
        "7,T7,Assad’s body,2017-04-09,sana\n").encode("cp1252"))
    docs, rejects = run(f"csv:{path}", map="id=uid,title=headline,text=body,date=published,outlet=source",
                        encoding="cp1252")
    assert [d.original_id for d in docs] == ["1", "7"]
    assert docs[1].body == "Assad’s body"
    reasons = sorted(r.reason.split(" (")[0].split(":")[0] for r in rejects)
    assert reasons == ["broken CSV quoting", "duplicate id '1'", "empty text",
                       "expected 5 fields, got 6", "unparsable date 'not a date'"]


def test_csv_bad_map_is_an_argument_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(FramescopeError, match="no text column"):
        run(f"csv:{path}")
    with pytest.raises(FramescopeError, match="not in the file"):
        run(f"csv:{path}", map="text=body")
    with pytest.raises(FramescopeError, match="unknown field"):
        run(f"csv:{path}", map="txet=a")


def test_jsonl_with_bad_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "text": "Body a", "date": "2015-07-21"}\n'
                    '{"id": "b", "text": "Body b"\n'
                    '[1, 2]\n'
                    '{"id": "c", "text": "Body c", "tags": ["x"]}\n', encoding="utf-8")
    docs, rejects = run(f"jsonl:{path}")
    assert [d.original_id for d in docs] == ["a", "c"]
    assert docs[1].extra["tags"] == "['x']"
    assert [r.reason.split(":")[0] for r in rejects] == ["invalid JSON", "expected a JSON object, got list"]


def test_saudinewsnet_bad_zips(tmp_path):
    good = [{"source": "was", "url": "u1", "date_extracted": "2015-07-21 10:00:00",
             "title": "عنوان", "author": "", "content": "نص الخبر"},
            {"source": "okaz", "url": "u2", "date_extracted": "2015-07-21 10:00:00",
             "title": "t", "author": "", "content": ""},
            {"source": "okaz", "url": "u3", "date_extracted": "yesterday",
             "title": "t", "author": "", "content": "نص"}]
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr("a.json", json.dumps(good, ensure_ascii=False))
        zf.writestr("../../evil.json", "[]")
        zf.writestr("broken.json", "[{")
    (tmp_path / "b.zip").write_bytes(b"not a zip at all")
    docs, rejects = run(f"saudinewsnet:{tmp_path}")
    assert [d.outlet for d in docs] == ["was"] and docs[0].original_id == "a-0-00000"
    reasons = sorted(r.reason.split(":")[0] for r in rejects)
    assert reasons == ["empty text", "invalid JSON", "member path escapes the archive",
                       "unparsable date 'yesterday'", "unreadable zip"]


def test_saudinewsnet_first_pass_reads_the_same_documents(tmp_path):
    # a build's pass 1 skips serialising and hashing articles, not the lone-surrogate check
    from dataclasses import replace

    from framescope.corpus.loaders import saudinewsnet

    article = ('{"source": "was", "url": "u%d", "date_extracted": "2015-07-21 10:00:00", '
               '"title": "t", "author": "", "content": "%s"}')
    escaped = [article % (1, "نص \\ud800 مكسور"),  # a lone surrogate: a reject
               article % (2, "نص \\ud83d\\ude00 سليم"),  # an escaped pair: a document
               article % (3, "نص")]
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr("a.json", "[" + ", ".join(escaped) + "]")
        zf.writestr("b.json", "[" + article % (4, "نص آخر") + "]")
    full = list(saudinewsnet.load(str(tmp_path), {}))
    first = list(saudinewsnet.load_for_scan(str(tmp_path), {}))
    assert [type(x).__name__ for x in full] == ["Reject", "RawDocument", "RawDocument", "RawDocument"]
    assert "lone surrogate" in full[0].reason and full[2].body == "نص"
    assert all(len(d.raw_sha256) == 64 for d in full[1:])
    assert first == [full[0]] + [replace(d, raw_sha256="") for d in full[1:]]


def test_fakes_dateline_and_title_split():
    dateline, body = split_dateline_and_title(
        "Wed 05 Apr 2017 Syria attack symptoms consistent with nerve agent use WHO. Victims of a ...",
        "Syria attack symptoms consistent with nerve agent use WHO")
    assert dateline == "Wed 05 Apr 2017"
    assert body == "Syria attack symptoms consistent with nerve agent use WHO\nVictims of a ..."


def test_fakes_on_the_shared_file(fakes_csv):
    docs, rejects = run(f"fakes:{fakes_csv}")
    assert len(docs) + len(rejects) == 804
    assert len(docs) == 792 and all(r.reason.startswith("duplicate id") for r in rejects)
    assert {d.extra["fakes_label"] for d in docs} == {"0", "1"}
    assert docs[0].date.isoformat() == "2017-04-05" and docs[0].outlet == "nna"
    # the bytes are UTF-8 (ASCII + U+FFFD): read as latin-1 they would give "ï¿½"
    text = " ".join(d.title + " " + d.body for d in docs)
    assert "\u00ef\u00bf\u00bd" not in text and text.count("\ufffd") == 123


def test_text_loader_on_seeds(seeds_dir):
    docs, rejects = run(f"text:{seeds_dir}")
    assert not rejects and len(docs) == 5
    assert docs[3].outlet == "Syria News" and docs[3].source_type == "state_aligned"
