"""Exports: VRT (CWB/CQPweb), quanteda CSV, MALLET, txt folders, Parquet/CSV; round trips."""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from framescope import corpus
from framescope.analysis.tokens import tokens
from framescope.corpus.build import build
from framescope.cli import main
from framescope.corpus.errors import FramescopeError
from framescope.analysis.export import (CWB_MAX_TAG_BYTES, _unique, cwb_attribute_name, cwb_corpus_id,
                           cwb_text_attributes, export, metadata_frame, safe_name,
                           vrt_token_options)
from framescope.corpus.store import Corpus
from framescope.corpus.text import normalize_arabic

#: MALLET import-file's default --line-regex (name, label, data)
MALLET_LINE = re.compile(r"^(\S*)[\s,]*(\S*)[\s]*(.*)$")
#: what the text layer recomputes on re-import (and so may legitimately differ)
SOURCE_COLUMNS = ["text", "title", "outlet", "source_type", "country", "date", "url", "lang"]


def parse_vrt(path: Path) -> ET.Element:
    """The VRT is a sequence of <text> elements: well-formed once wrapped in a root."""
    return ET.fromstring("<corpus>" + path.read_text(encoding="utf-8") + "</corpus>")


def token_rows(element: ET.Element) -> list[list[str]]:
    """word/norm/stem rows of every <s> under ``element``."""
    rows = []
    for s in element.iter("s"):
        rows.extend(line.split("\t") for line in (s.text or "").strip("\n").split("\n") if line)
    return rows


def values(frame: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else (v.date().isoformat() if isinstance(v, pd.Timestamp) else v)
            for v in frame[column]]


def assert_same_documents(original: Corpus, reimported: Corpus, id_map: dict[str, str]) -> None:
    """Every original document is back, once, with the same text and metadata."""
    re_docs = reimported.documents.assign(orig=reimported.documents["doc_id"].map(id_map))
    assert re_docs["orig"].notna().all()
    assert sorted(re_docs["orig"]) == sorted(original.documents["doc_id"])
    re_docs = re_docs.set_index("orig").loc[original.documents["doc_id"]].reset_index()
    columns = SOURCE_COLUMNS + ["wire_credit"] + original.manifest.get("extra_columns", [])
    for column in columns:
        assert values(re_docs, column) == values(original.documents, column), column
    # duplicates are found again, pointing at the same originals
    assert [id_map.get(d) for d in values(re_docs, "duplicate_of")] == values(original.documents, "duplicate_of")


# --- names ---------------------------------------------------------------------------------

def test_names_for_files_folders_and_cwb():
    assert safe_name(None) == "NA"
    assert safe_name("state media/wire") == "state_media_wire"
    assert safe_name("seeds:000_86b") == "seeds_000_86b"
    assert safe_name("CON") == "_CON"
    assert safe_name("الرياض") == "الرياض"
    assert safe_name(pd.Timestamp("2017-04-05")) == "2017-04-05"
    taken: set[str] = set()
    assert [_unique(n, taken) for n in ["Sana", "sana", "SANA", "wire"]] == ["Sana", "sana-2", "SANA-3", "wire"]
    assert cwb_attribute_name("Source URL") == "source_url"
    assert cwb_attribute_name("raw_sha256") == "raw_sha"
    assert cwb_attribute_name("___") == "attr"
    assert cwb_text_attributes(["doc_id", "text", "ID", "id", "Date"]) == [
        ("id", "doc_id"), ("id_b", "ID"), ("id_c", "id"), ("date", "Date")]
    assert cwb_corpus_id("Seeds") == "seeds"
    assert cwb_corpus_id("2017 corpus") == "c_2017_corpus"


# --- VRT -----------------------------------------------------------------------------------

def test_vrt_seeds_structure_metadata_and_token_counts(seeds_corpus, tmp_path):
    result = export(seeds_corpus, "vrt", tmp_path / "seeds.vrt")
    root = parse_vrt(tmp_path / "seeds.vrt")
    texts = root.findall("text")
    docs = seeds_corpus.documents
    assert [t.get("id") for t in texts] == list(docs["doc_id"])
    for t, (_, doc) in zip(texts, docs.iterrows()):
        assert t.get("title") == doc["title"]
        assert t.get("outlet") == doc["outlet"] and t.get("source_type") == doc["source_type"]
        assert t.get("lang") == doc["lang"] and t.get("notes") == doc["notes"]
        assert t.get("raw_sha") == doc["raw_sha256"]
        assert t.get("date") == "" and t.get("country") == ("" if pd.isna(doc["country"]) else doc["country"])

    # one <p> per analysable segment, with its role, language and number; never boilerplate
    segs = seeds_corpus.analysable_segments(include_duplicates=True)
    want = sorted(zip(segs["doc_id"], segs["seg"].astype(int), segs["role"], segs["lang"]))
    got = sorted((t.get("id"), int(p.get("seg")), p.get("role"), p.get("lang"))
                 for t in texts for p in t.findall("p"))
    assert got == want
    assert {p.get("role") for p in root.iter("p")} == {"title", "body", "caption"}
    chrome = seeds_corpus.segments[(seeds_corpus.segments["role"] == "boilerplate")]
    assert len(chrome) == 9  # seed 003's menu, Telegram, donation and newsletter lines, 004's tags
    words = {r[0] for t in texts for r in token_rows(t)}
    assert not words & {"Telegram", "newsletter", "GDPR", "Donate", "Menu"}

    # token for token what the tokenizer gives with every token kept
    toks = tokens(seeds_corpus, vrt_token_options(), include_duplicates=True)
    reference = dict(zip(toks.doc_ids, toks.docs))
    for t in texts:
        rows = token_rows(t)
        assert [r[1] for r in rows] == [w for s in reference[t.get("id")] for w in s]
        assert len(t.findall("p/s")) == len(reference[t.get("id")])
        assert all(len(r) == 3 for r in rows)
    assert result.info["tokens"] == toks.n_tokens() == sum(len(token_rows(t)) for t in texts)

    # seed 000: "US-Led Coalition in Syria and Iraq Slaughtered 1140 Civilians", then the
    # Arabic translation of the first caption, normalised and ISRI-stemmed
    first = texts[0].findall("p")
    # token layer 2: US-Led and U.S.-led are one term, u.s.-led
    assert token_rows(first[0])[:3] == [["US-Led", "u.s.-led", "u.s.-l"], ["Coalition", "coalition", "coalit"],
                                         ["in", "in", "in"]]
    assert token_rows(first[0])[-1] == ["Civilians", "civilians", "civilian"]
    arabic = [p for p in first if p.get("lang") == "ar"][0]
    assert arabic.get("role") == "caption"
    rows = token_rows(arabic)
    assert rows[0] == ["جرائم", "جرائم", "جرم"]
    assert rows[3] == ["بقيادة", "قياده", "قيد"]  # taa marbuta → ha in norm only; ب split off (token layer 2)
    assert rows[5] == ["المتحدة", "متحده", "تحد"]


def test_vrt_cwb_encode_script_and_registry_list_every_attribute(seeds_corpus, tmp_path):
    export(seeds_corpus, "vrt", tmp_path / "seeds.vrt")
    first_line = (tmp_path / "seeds.vrt").read_text(encoding="utf-8").split("\n", 1)[0]
    in_tags = re.findall(r' ([a-z_]+)="', first_line)
    assert in_tags == ["id", "collection", "outlet", "source_type", "alignment", "country", "date", "title",
                       "url", "lang", "raw_sha", "wire_credit", "duplicate_of", "languages", "notes"]
    script = (tmp_path / "seeds.cwb-encode.sh").read_text()
    assert "-P norm -P stem" in script
    assert f"-S text:0+{'+'.join(in_tags)}" in script
    assert "-S p:0+role+lang+seg" in script and "-S s:0" in script
    assert 'cwb-encode -c utf8 -x -s -B -d "$DATA" -f "$HERE"/seeds.vrt -R "$REGISTRY/seeds"' in script
    assert 'cwb-makeall -r "$REGISTRY" -V SEEDS' in script
    assert subprocess.run(["sh", "-n", str(tmp_path / "seeds.cwb-encode.sh")]).returncode == 0
    registry = (tmp_path / "seeds.registry").read_text()
    assert re.search(r"^ID\s+seeds$", registry, re.M)
    assert re.findall(r"^ATTRIBUTE (\w+)", registry, re.M) == ["word", "norm", "stem"]
    structures = re.findall(r"^STRUCTURE (\w+)", registry, re.M)
    assert structures == (["text"] + [f"text_{a}" for a in in_tags]
                          + ["p", "p_role", "p_lang", "p_seg", "s"])
    info = json.loads((tmp_path / "seeds.export.json").read_text())
    assert info["corpus_id"] == seeds_corpus.corpus_id and info["documents"] == 5
    assert info["cwb"]["text_attribute_columns"]["raw_sha"] == "raw_sha256"


def _tricky_corpus() -> Corpus:
    notes = "long note " * 600  # 6,000 bytes: more than cwb-encode's 4,096-byte line buffer
    documents = pd.DataFrame({
        "doc_id": ["t:ar1", "t:en1"],
        "collection": ["t", "t"], "outlet": ["spa", "wire & co"], "source_type": ["state_media", "wire"],
        "country": ["Saudi Arabia", None], "date": pd.to_datetime(["2015-07-23", None]),
        "title": ["الدِّفَاعُ", 'AT&T says "no" <b>'], "lang": ["ar", "en"],
        "text": ["", ""], "duplicate_of": [None, None],
        "Source URL": ["http://a.example/x?y=1&z=2", None], "notes": [notes, "two\nlines\tand tab"],
    })
    segments = pd.DataFrame({
        "doc_id": ["t:ar1", "t:ar1", "t:ar1", "t:en1", "t:en1"],
        "seg": [0, 1, 2, 0, 1],
        "role": ["title", "boilerplate", "body", "title", "body"],
        "lang": ["ar", "en", "ar", "en", "en"],
        "text": ["الدِّفَاعُ",
                 "Subscribe & share <now>",
                 "قالـت وزارة الدفاع إن ١٢ مدنياً قتلوا ـ في القصف. وقالت مصادر أخرى إن العدد أكبر.",
                 'AT&T says "no" <b>',
                 "The wire said 3 <b>civilians</b> died. Officials disputed it."],
    })
    return Corpus.from_frames(documents, segments, {"corpus_id": "tricky"})


def test_vrt_escaping_arabic_forms_and_cwb_line_limit(tmp_path):
    c = _tricky_corpus()
    result = export(c, "vrt", tmp_path / "t.vrt")
    raw = (tmp_path / "t.vrt").read_text(encoding="utf-8")
    assert all(len(line.encode("utf-8")) <= CWB_MAX_TAG_BYTES for line in raw.split("\n"))
    root = parse_vrt(tmp_path / "t.vrt")
    ar, en = root.findall("text")
    # metadata: escaped and back, white space folded to one line, names reduced to [a-z_]
    assert en.get("title") == 'AT&T says "no" <b>' and en.get("outlet") == "wire & co"
    assert en.get("notes") == "two lines and tab"
    assert ar.get("source_url") == "http://a.example/x?y=1&z=2"
    assert ar.get("date") == "2015-07-23" and en.get("date") == ""
    assert ar.get("notes").endswith("\u2026") and len(ar.get("notes")) < 4000
    assert ar.get("title") == "الدِّفَاعُ"
    assert result.info["cwb"]["shortened_attribute_values"] == 1
    # boilerplate never reaches the VRT
    assert "Subscribe" not in raw
    # Arabic: the word keeps diacritics, tatweel and Arabic-Indic digits; norm is normalised
    rows = token_rows(ar)
    assert rows[0] == ["الدِّفَاعُ", "دفاع", "دفع"]  # token layer 2: the article split off
    body = [r for p in ar.findall("p") if p.get("role") == "body" for r in token_rows(p)]
    # token layer 2: the article split off in the norm column (الدفاع → دفاع)
    assert body[:4] == [["قالـت", "قالت", "قلت"], ["وزارة", "وزاره", "وزر"],
                        ["الدفاع", "دفاع", "دفع"], ["إن", "ان", "ان"]]
    assert body[4][:2] == ["١٢", "12"]
    assert ["ـ", "ـ", "ـ"] not in body  # a lone tatweel is not a token of the analysed text
    assert len(ar.findall("p[@role='body']/s")) == 2
    # English: '<', 'b', '>' are tokens, escaped in the file and parsed back
    words = [r[0] for r in token_rows(en)]
    assert words[:6] == ["AT", "&", "T", "says", '"', "no"]
    assert "&lt;" in raw and "&amp;" in raw
    toks = tokens(c, vrt_token_options(), include_duplicates=True)
    for t in (ar, en):
        ref = dict(zip(toks.doc_ids, toks.docs))[t.get("id")]
        assert [r[1] for r in token_rows(t)] == [w for s in ref for w in s]


def test_vrt_fakes_token_counts_equal_the_tokenizer(fakes_corpus, tmp_path):
    part = fakes_corpus.subset("outlet in ['sana', 'nna', 'jordantimes', 'reuters']")
    assert len(part) > 100 and part.documents["duplicate_of"].notna().sum() >= 5
    result = export(part, "vrt", tmp_path / "f.vrt")
    root = parse_vrt(tmp_path / "f.vrt")
    assert len(root.findall("text")) == len(part)  # duplicates included, marked by their attribute
    assert sum(t.get("duplicate_of") != "" for t in root.findall("text")) == \
        part.documents["duplicate_of"].notna().sum()
    toks = tokens(part, vrt_token_options(), include_duplicates=True)
    counts = {d: sum(len(s) for s in sents) for d, sents in zip(toks.doc_ids, toks.docs)}
    assert {t.get("id"): len(token_rows(t)) for t in root.findall("text")} == counts
    assert result.info["tokens"] == toks.n_tokens()
    assert {t.get("wire_credit") for t in root.findall("text")} >= {"Reuters", "AFP", "NNA"}


def test_vrt_is_deterministic(seeds_corpus, tmp_path):
    export(seeds_corpus, "vrt", tmp_path / "a.vrt")
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    export(seeds_corpus, "vrt", tmp_path / "a.vrt")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first


# --- quanteda ------------------------------------------------------------------------------

def test_quanteda_csv_round_trip(seeds_fakes_corpus, tmp_path):
    out = tmp_path / "items.csv"
    export(seeds_fakes_corpus, "quanteda", out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns[:2]) == ["doc_id", "text"]
    assert set(seeds_fakes_corpus.documents.columns) == set(frame.columns)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in frame["date"] if d)
    assert (frame["date"] != "").sum() == seeds_fakes_corpus.documents["date"].notna().sum()
    info = json.loads((tmp_path / "items.export.json").read_text())
    # re-import with framescope's own csv: loader, as the export says
    assert info["reimport"] == {"sources": ["csv:items.csv"], "map": "id=doc_id"}
    build([f"csv:{out}"], tmp_path / "back", options={"map": "id=doc_id"}, progress=False)
    back = corpus.load(tmp_path / "back")
    assert len(back.rejects) == 0
    assert_same_documents(seeds_fakes_corpus, back,
                          {f"items:{d}": d for d in seeds_fakes_corpus.documents["doc_id"]})


# --- txt (AntConc) -------------------------------------------------------------------------

def test_txt_folders_round_trip(seeds_fakes_corpus, tmp_path):
    out = tmp_path / "txt"
    result = export(seeds_fakes_corpus, "txt", out)
    docs = seeds_fakes_corpus.documents
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == sorted(docs["source_type"].unique())
    meta = pd.read_csv(out / "metadata.csv", dtype=str, keep_default_na=False)
    assert list(meta["doc_id"]) == list(docs["doc_id"]) and meta.columns[0] == "file"
    for rel, text in zip(meta["file"], docs["text"]):
        assert (out / rel).read_text(encoding="utf-8") == text + "\n"
    assert meta.loc[0, "file"] == "state_aligned/seeds_000_86b288b062b5988b.txt"
    assert result.info["text_files"] == len(docs)
    # each folder is a text: source with its own metadata.csv
    sources = [f"text:{out / s.split(':', 1)[1]}" for s in result.info["reimport"]["sources"]]
    build(sources, tmp_path / "back", progress=False)
    back = corpus.load(tmp_path / "back")
    assert len(back.rejects) == 0
    id_map = {f"{f.split('/')[0]}:{Path(f).stem}": d for f, d in zip(meta["file"], meta["doc_id"])}
    assert_same_documents(seeds_fakes_corpus, back, id_map)


def test_txt_round_trip_of_a_small_arabic_corpus_by_outlet(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    texts = {
        "a1.txt": "وزارة الدفاع تعلن مقتل ١٢ مدنياً\nقالت وزارة الدفاع إن ١٢ مدنياً قتلوا في القصف على المدينة أمس.\n"
                  "وأضافت الوزارة أن التحقيق ما زال جارياً في ملابسات الحادث.",
        "a2.txt": "التحالف الدولي يقصف الرقة\nشنت طائرات التحالف الدولي غارات جديدة على أحياء سكنية في الرقة.\n"
                  "وأفاد ناشطون بسقوط ضحايا بين المدنيين.",
        "e1.txt": "Coalition strikes Raqqa\nCoalition aircraft struck residential districts of Raqqa on Monday, "
                  "activists said.",
    }
    for name, text in texts.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "meta.csv").write_text(
        "file,outlet,source_type,date,desk\n"
        "a1.txt,الرياض,private_media,2015-07-23,محليات\n"
        "a2.txt,sana,state_media,23/07/2015,\n"
        "e1.txt,reuters,wire,2015-07-24,world\n", encoding="utf-8")
    build([f"text:{src}"], tmp_path / "orig", options={"dayfirst": "1"}, progress=False)
    orig = corpus.load(tmp_path / "orig")
    assert len(orig.documents) == 3 and set(orig.documents["lang"]) == {"ar", "en"}
    result = export(orig, "txt", tmp_path / "txt", by="outlet")
    assert sorted(result.info["folders"]) == sorted(safe_name(v) for v in orig.documents["outlet"])
    sources = [f"text:{tmp_path / 'txt' / s.split(':', 1)[1]}" for s in result.info["reimport"]["sources"]]
    build(sources, tmp_path / "back", progress=False)
    back = corpus.load(tmp_path / "back")
    meta = pd.read_csv(tmp_path / "txt" / "metadata.csv", dtype=str, keep_default_na=False)
    id_map = {f"{f.split('/')[0]}:{Path(f).stem}": d for f, d in zip(meta["file"], meta["doc_id"])}
    assert_same_documents(orig, back, id_map)


# --- MALLET --------------------------------------------------------------------------------

def test_mallet_one_file_per_language(seeds_corpus, tmp_path):
    result = export(seeds_corpus, "mallet", tmp_path / "mallet")
    assert sorted(p.name for p in (tmp_path / "mallet").iterdir()) == [
        "ar.stopwords.txt", "ar.tsv", "en.stopwords.txt", "en.tsv", "export.json"]
    en = (tmp_path / "mallet" / "en.tsv").read_text(encoding="utf-8").splitlines()
    ar = (tmp_path / "mallet" / "ar.tsv").read_text(encoding="utf-8").splitlines()
    assert result.info["documents_by_lang"] == {"ar": 1, "en": 5}
    docs = seeds_corpus.documents
    parsed = [MALLET_LINE.match(line).groups() for line in en]
    assert [p[0] for p in parsed] == list(docs["doc_id"])
    assert [p[1] for p in parsed] == list(docs["source_type"])
    assert all(line.count("\t") == 2 for line in en + ar)
    # seed 000's two Arabic captions, normalised as framescope's tokens see them
    name, label, text = MALLET_LINE.match(ar[0]).groups()
    arabic = seeds_corpus.segments.query("doc_id == @name and lang == 'ar' and role != 'boilerplate'")["text"]
    assert text == normalize_arabic(" ".join(arabic))
    assert "بقياده" in text and "بقيادة" not in text
    assert "جرائم" not in parsed[0][2]  # the English file holds English only
    stops = (tmp_path / "mallet" / "en.stopwords.txt").read_text().splitlines()
    assert "the" in stops and stops == sorted(stops)


def test_mallet_labels_from_by_column_have_no_white_space(tmp_path):
    c = _tricky_corpus()
    export(c, "mallet", tmp_path / "m", by="country")
    ar = (tmp_path / "m" / "ar.tsv").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "m" / "en.tsv").read_text(encoding="utf-8").splitlines()
    assert MALLET_LINE.match(ar[0]).groups()[:2] == ("t:ar1", "Saudi_Arabia")
    assert MALLET_LINE.match(en[0]).groups()[:2] == ("t:en1", "NA")
    assert "Subscribe" not in "".join(en)  # the boilerplate segment is left out


# --- parquet / csv -------------------------------------------------------------------------

def test_parquet_export_is_a_corpus_and_csv_has_the_same_rows(seeds_corpus, tmp_path):
    export(seeds_corpus, "parquet", tmp_path / "pq")
    again = corpus.load(tmp_path / "pq")
    pd.testing.assert_frame_equal(again.documents, seeds_corpus.documents)
    pd.testing.assert_frame_equal(again.segments, seeds_corpus.segments)
    assert again.corpus_id == seeds_corpus.corpus_id
    export(seeds_corpus, "csv", tmp_path / "csv")
    docs = pd.read_csv(tmp_path / "csv" / "documents.csv", dtype=str, keep_default_na=False)
    segs = pd.read_csv(tmp_path / "csv" / "segments.csv", dtype=str, keep_default_na=False)
    want = metadata_frame(seeds_corpus.documents, list(seeds_corpus.documents.columns)).fillna("")
    assert docs.values.tolist() == want.values.tolist()
    assert len(segs) == 75 and set(segs["role"]) == {"title", "body", "caption", "boilerplate"}


def test_excluding_duplicates_and_queries_are_recorded(fakes_corpus, tmp_path):
    n_dups = int(fakes_corpus.documents["duplicate_of"].notna().sum())
    assert n_dups >= 15
    result = export(fakes_corpus, "quanteda", tmp_path / "f.csv", include_duplicates=False)
    frame = pd.read_csv(tmp_path / "f.csv", dtype=str, keep_default_na=False)
    assert len(frame) == result.documents == len(fakes_corpus) - n_dups
    assert (frame["duplicate_of"] == "").all()
    assert result.info["subset"] == ["duplicate_of.isna()"]
    assert result.info["include_duplicates"] is False
    part = export(fakes_corpus.subset("outlet == 'tass'"), "parquet", tmp_path / "tass")
    assert part.documents == 5 and corpus.load(tmp_path / "tass").manifest["subset"] == ["outlet == 'tass'"]


# --- errors and CLI ------------------------------------------------------------------------

def test_bad_arguments_are_one_line_errors(seeds_corpus, tmp_path):
    with pytest.raises(FramescopeError, match="--by applies to mallet and txt"):
        export(seeds_corpus, "vrt", tmp_path / "x.vrt", by="outlet")
    with pytest.raises(FramescopeError, match="not a document metadata column"):
        export(seeds_corpus, "txt", tmp_path / "t", by="nosuch")
    with pytest.raises(FramescopeError, match="unknown export format"):
        export(seeds_corpus, "docx", tmp_path / "d")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("keep me")
    with pytest.raises(FramescopeError, match="not a framescope export"):
        export(seeds_corpus, "txt", precious)
    assert (precious / "thesis.tex").read_text() == "keep me"
    with pytest.raises(FramescopeError, match="is a folder"):
        export(seeds_corpus, "vrt", precious)


def test_cli_export(seeds_corpus, tmp_path, capsys):
    folder = str(seeds_corpus.path)
    assert main(["export", folder, "--format", "vrt", "--out", str(tmp_path / "s.vrt")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"exported 5 documents, \d+ tokens as vrt to .*s\.vrt \(\+ s\.registry, "
                     r"s\.cwb-encode\.sh, s\.export\.json\)", out)
    assert main(["export", folder, "--format", "txt", "--by", "outlet", "--out", str(tmp_path / "t"),
                 "--query", "source_type == 'state_aligned'"]) == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir() if p.is_dir()) == ["syrianews", "unattributed"]
    # exporting again over an earlier export replaces it
    assert main(["export", folder, "--format", "txt", "--out", str(tmp_path / "t")]) == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir() if p.is_dir()) == ["state_aligned", "unknown"]
    capsys.readouterr()
    assert main(["export", folder, "--format", "quanteda", "--by", "outlet", "--out", str(tmp_path / "q.csv")]) == 2
    assert main(["export", folder, "--format", "csv", "--query", "nosuch ==", "--out", str(tmp_path / "c")]) == 2
    assert main(["export", str(tmp_path / "missing"), "--format", "csv", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("framescope: error: ") for line in err)
    with pytest.raises(SystemExit):
        main(["export", folder, "--format", "docx", "--out", str(tmp_path / "d")])
