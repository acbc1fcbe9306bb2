"""The corpus store built from the shared collections and from files the tests write."""
import json
import re

import pytest

from framescope import corpus
from framescope.corpus.build import build
from framescope.cli import main
from framescope.corpus.errors import FramescopeError

SEED_000 = "seeds:000_86b288b062b5988b"
SEED_003 = "seeds:003_68c0b573bd758d04"


def test_seed_000_bilingual_captions(seeds_corpus):
    segs = seeds_corpus.segments
    caps = segs[(segs.doc_id == SEED_000) & (segs.role == "caption")]
    arabic = caps[caps.lang == "ar"].text.tolist()
    english = caps[caps.lang == "en"].text.tolist()
    assert len(arabic) == 2 and all(t.startswith(("جرائم", "مجرمون")) for t in arabic)
    assert any(t.startswith("US-Led Coalition Use Internationally Banned White Phosphorous") for t in english)
    assert any(t == "Criminals from the US-Led Coalition in Syria and Iraq" for t in english)
    # the captions are not body paragraphs
    body = segs[(segs.doc_id == SEED_000) & (segs.role == "body")].text
    assert not body.str.contains("جرائم|Phosphorous in its Crimes").any()
    doc = seeds_corpus.documents.set_index("doc_id").loc[SEED_000]
    assert doc.lang == "en" and "جرائم التحالف الدولي" in doc.text


def test_seed_003_chrome_removed_and_no_sentence_lost(seeds_corpus, seeds_dir):
    text = seeds_corpus.documents.set_index("doc_id").loc[SEED_003, "text"]
    for chrome in ("Menu Close", "Telegram", "Donate", "Latest News", "newsletter",
                   "GDPR", "error while trying", "Damascus, Aleppo, Der Ezzor"):
        assert chrome not in text
    raw = (seeds_dir / "003_68c0b573bd758d04.txt").read_text(encoding="utf-8")
    article = raw.split("Follow us on Telegram")[0].split("Homs\n", 1)[1]
    for paragraph in filter(None, (p.strip() for p in article.split("\n"))):
        assert corpus.text.normalize_text(paragraph) in text


def test_seed_004_keyword_stuffing_is_boilerplate(seeds_corpus):
    segs = seeds_corpus.segments
    boiler = segs[(segs.doc_id == "seeds:004_e95b98b0d4ce91bc") & (segs.role == "boilerplate")]
    assert boiler.text.str.startswith("US-led,Syria Killings").any()


def test_seed_metadata_and_registry(seeds_corpus):
    docs = seeds_corpus.documents.set_index("doc_id")
    assert docs.loc[SEED_003, "outlet"] == "syrianews"
    assert docs.loc[SEED_003, "title"] == "Syria: The US Coalition Massacred 62 Civilians in Deir Ezzor"
    assert docs.loc["seeds:004_e95b98b0d4ce91bc", "source_type"] == "unknown"
    assert set(docs.source_type) == {"state_aligned", "unknown"}
    assert "notes" in docs.columns
    # alignment is a core column next to source_type; the seeds' own metadata gives it
    cols = list(seeds_corpus.documents.columns)
    assert cols[cols.index("source_type") + 1] == "alignment"
    assert docs.loc[SEED_003, "alignment"] == "pro_damascus"
    assert docs.loc["seeds:004_e95b98b0d4ce91bc", "alignment"] == "unknown"


def test_fakes_alignment_from_registry_splits_state_media(fakes_corpus):
    docs = fakes_corpus.documents.drop_duplicates("outlet").set_index("outlet")
    assert docs.loc["sana", "alignment"] == "pro_damascus" and docs.loc["trt", "alignment"] == "anti_damascus"
    assert docs.loc["manar", "alignment"] == "pro_damascus" and docs.loc["etilaf", "alignment"] == "anti_damascus"
    assert docs.loc["reuters", "alignment"] == "neutral"


def test_registry_alignment_matches_shared_outlet_files_and_is_checked(tmp_path):
    import csv

    from framescope.corpus.paths import data_dir
    from framescope.corpus.registry import load_registry

    reg = load_registry()
    assert all(row["alignment"] in {"pro_damascus", "anti_damascus", "neutral", "mixed", "unknown"}
               for row in reg.rows.values())
    for rel in ("fakes/outlets.csv", "saudinewsnet/outlets.csv"):
        path = data_dir() / rel
        if not path.exists():
            pytest.skip(f"shared data not found: {path}")
        for row in csv.DictReader(open(path, encoding="utf-8")):
            assert reg.lookup(row["outlet"])["alignment"] == row["alignment"], row["outlet"]
    # an override without the column keeps the shipped alignment; a bad value is one line
    old = tmp_path / "old.csv"
    old.write_text("outlet,name,source_type\nsana,SANA,state_media\nnewone,New,wire\n", encoding="utf-8")
    reg = load_registry(old)
    assert reg.lookup("sana")["alignment"] == "pro_damascus" and reg.lookup("newone")["alignment"] == "unknown"
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet,source_type,alignment\nx,wire,pro-damascus\n", encoding="utf-8")
    with pytest.raises(FramescopeError, match="unknown alignment 'pro-damascus'"):
        load_registry(bad)


def test_fakes_wire_credits_and_metadata(fakes_corpus):
    docs = fakes_corpus.documents
    nna = docs[docs.outlet == "nna"]
    credited = nna.wire_credit.value_counts().to_dict()
    assert credited.get("Reuters", 0) >= 4 and credited.get("AFP", 0) >= 3
    # credits and wire footers are boilerplate segments, not analysable text
    segs = fakes_corpus.segments
    credits = segs[(segs.role == "boilerplate") & segs.text.str.contains(r"-\s*REUTERS\s*$", regex=True)]
    assert len(credits) >= 1
    assert (docs.set_index("doc_id").loc[credits.doc_id, "wire_credit"] == "Reuters").all()
    assert not docs.text.str.contains("Trust Principles|Editing by|- REUTERS").any()
    assert set(docs.source_type) <= {"state_media", "state_aligned", "partisan_media", "wire"}
    assert docs.date.notna().all() and docs.date.min().year >= 2011
    assert {"fakes_label", "location", "dateline"} <= set(docs.columns)
    # the dateline is metadata, not text; the headline is counted once
    first = docs.iloc[0]
    assert not first.text.startswith("Wed 05 Apr") and first.text.count(first.title) == 1


def test_rejects_account_for_every_fakes_row(fakes_corpus):
    assert len(fakes_corpus.documents) + len(fakes_corpus.rejects) == 804


def test_all_saudinewsnet_articles_accounted_for(default_corpus):
    # SaudiNewsNet as the default corpus holds it (the suite builds no second copy of it)
    docs = default_corpus.documents[default_corpus.documents.collection == "saudinewsnet"]
    rejects = default_corpus.rejects[default_corpus.rejects.source == "saudinewsnet"]
    assert len(docs) + len(rejects) == 31_030
    assert (docs.lang == "ar").mean() > 0.99
    assert set(rejects.reason) <= {"empty text", "no analysable text (empty or only page chrome)"}
    assert docs.loc[docs.outlet == "was", "source_type"].eq("state_media").all()
    assert docs.loc[docs.outlet == "was", "wire_credit"].eq("SPA").sum() > 50


def _small_sources(tmp_path):
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "one.txt").write_text("Strike kills 12\n\nTwelve civilians were killed in an air strike "
                                    "on the town, medics said. - REUTERS", encoding="utf-8")
    (folder / "two.txt").write_text("Strike kills 12\n\nTwelve civilians were killed in an air strike "
                                    "on the town, medics said. - REUTERS", encoding="utf-8")
    (folder / "three.txt").write_text("غارة\n\nقتل التحالف الدولي عشرات المدنيين في غارة على مدينة الرقة",
                                      encoding="utf-8")
    table = tmp_path / "rows.csv"
    table.write_text("id,text,date\n1,A row of text about the coalition.,2017-04-05\n2,,2017-01-01\n",
                     encoding="utf-8")
    return [f"text:{folder}", f"csv:{table}"]


def test_rebuild_is_byte_identical(tmp_path):
    sources = _small_sources(tmp_path)
    a, b = build(sources, tmp_path / "a", progress=False), build(sources, tmp_path / "b", progress=False)
    for name in ("documents.parquet", "segments.parquet", "rejects.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert a.manifest["corpus_id"] == b.manifest["corpus_id"]
    c = corpus.load(tmp_path / "a")
    docs = c.documents.set_index("doc_id")
    assert docs.loc["txt:two", "duplicate_of"] == "txt:one"
    assert docs.loc["txt:three", "lang"] == "ar" and docs.loc["txt:one", "wire_credit"] == "Reuters"
    assert c.rejects.reason.tolist() == ["empty text"]
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert [len(s["inputs"]) for s in manifest["sources"]] == [3, 1]
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for s in manifest["sources"] for i in s["inputs"])


def test_fingerprints_and_row_groups_on_a_second_thread_give_the_same_files(tmp_path, monkeypatch):
    import framescope.corpus.build as cb
    import pyarrow.parquet as pq

    sources = _small_sources(tmp_path)
    monkeypatch.setattr(cb, "BATCH_DOCS", 1)  # a row group per document: several writes in flight
    monkeypatch.setattr(cb, "DEDUP_BATCH", 2)  # fingerprints of the duplicate and its original apart
    for threads in ("1", "2"):
        monkeypatch.setenv("FRAMESCOPE_THREADS", threads)
        build(sources, tmp_path / threads, progress=False)
    for name in ("documents.parquet", "segments.parquet", "rejects.csv"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
    assert pq.ParquetFile(tmp_path / "2" / "documents.parquet").num_row_groups == 4

    def full(self, table, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(OSError, match="No space left"):  # the writing thread's error, raised here
        build(sources, tmp_path / "full", progress=False)
    assert not (tmp_path / "full").exists()


def test_interrupted_build_leaves_previous_corpus(tmp_path, monkeypatch):
    sources = _small_sources(tmp_path)
    out = tmp_path / "corpus"
    build(sources, out, progress=False)
    before = (out / "documents.parquet").read_bytes()
    calls = {"n": 0}
    import framescope.corpus.build as cb
    real = cb.segment_document

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(cb, "segment_document", failing)
    with pytest.raises(KeyboardInterrupt):
        build(sources, out, progress=False)
    assert (out / "documents.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "rows.csv", "txt"]


def test_subset_and_analysable_segments(tmp_path):
    build(_small_sources(tmp_path), tmp_path / "c", progress=False)
    c = corpus.load(tmp_path / "c")
    assert len(c.subset("lang == 'ar'")) == 1
    assert set(c.analysable_segments().doc_id) == {"txt:one", "txt:three", "rows:1"}
    assert "txt:two" in set(c.analysable_segments(include_duplicates=True).doc_id)
    with pytest.raises(FramescopeError, match="bad query"):
        c.subset("no_such_column == 1")


def test_cli_build_info_and_errors(tmp_path, capsys):
    sources = _small_sources(tmp_path)
    assert main(["build", *sources, "--out", str(tmp_path / "c"), "--no-progress"]) == 0
    assert "built" in capsys.readouterr().out
    assert main(["info", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "by source type" in out and "rejects by reason" in out and "empty text" in out
    assert main(["build", "bogus:thing", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framescope: error: unknown source kind") and err.count("\n") == 1
    assert main(["info", str(tmp_path / "nothing")]) == 2


def test_a_corpus_with_its_token_store_can_be_rebuilt(seeds_dir, tmp_path):
    """The token store (CORPUS/tokens/KEY/) is framescope's own derived data: a rebuild may
    replace the folder; a file of the user's beside it still stops the build."""
    out = tmp_path / "c"
    assert main(["build", f"text:{seeds_dir}", "--out", str(out)]) == 0
    store = out / "tokens" / "abc"
    store.mkdir(parents=True)
    (store / "meta.json").write_text("{}")
    (out / "tokens" / ".abc.lock").write_text("")
    assert main(["build", f"text:{seeds_dir}", "--out", str(out)]) == 0
    (out / "tokens" / "notes.txt").parent.mkdir(exist_ok=True)
    (out / "tokens" / "notes.txt").write_text("mine")
    assert main(["build", f"text:{seeds_dir}", "--out", str(out)]) == 2
    assert (out / "tokens" / "notes.txt").read_text() == "mine"


def test_default_corpus_of_another_text_layer_is_rebuilt(default_corpus, monkeypatch, capsys):
    """`framescope demo` never draws figures from a corpus an older text layer built."""
    from types import SimpleNamespace

    from framescope.corpus import build as build_module
    calls = []

    def fake_build(sources, folder, reuse):
        calls.append((sources, reuse))
        return SimpleNamespace(seconds=0, peak_rss_mb=0)

    monkeypatch.setattr(build_module, "build", fake_build)
    current = build_module.TEXT_LAYER_VERSION
    build_module.ensure_default_corpus(default_corpus.path)
    assert calls == []  # built by this text layer: loaded as it is
    monkeypatch.setattr(build_module, "TEXT_LAYER_VERSION", "999")
    build_module.ensure_default_corpus(default_corpus.path)
    assert calls == [(["default"], False)]
    assert f"built by text layer {current}, this is text layer 999; rebuilding" in capsys.readouterr().out
