"""framescope.analysis.partitioned: partitions, process pools and Dask give the same answers as one process.

One function per statistic: each is called with ``backend=`` local, processes, dask or a
Dask address and a small ``partition_docs``, and its table is checked exactly
(``check_exact=True``, same attrs) against the same function counting in memory; a
partition worker reads only its rows of the token store. Builds are compared byte for
byte. The Dask tests start a ``distributed.LocalCluster`` with two worker processes (one
per core of the CI machine).
"""
import json
import operator
import random
import re
import zipfile

import numpy as np
import pandas as pd
import pytest

import framescope.corpus.build
from framescope import corpus
from framescope.analysis import partitioned as par
from framescope.analysis.collocations import bigram_collocations, collocates, ngrams
from framescope.analysis.counts import dtm, frequencies
from framescope.analysis.keyness import keyness, keyness_groups
from framescope.analysis.token_options import TokenOptions
from conftest import SAUDI_SAMPLE_ZIP
from framescope.corpus import load
from framescope.corpus.build import build
from framescope.cli import main
from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import Backend, fold_tree
from framescope.corpus.store import write_corpus
from stats_corpora import make_corpus

FILES = ("documents.parquet", "segments.parquet", "rejects.csv", "manifest.json")


def assert_same_table(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs


def assert_same_files(a, b) -> None:
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c.scheduler_address


# --- the backend -----------------------------------------------------------------------------------

def test_fold_merges_in_order_two_at_a_time():
    for n in range(12):
        widest = []

        def merge(parts):
            widest.append(len(parts))
            return [v for p in parts for v in p]

        assert fold_tree(([i] for i in range(n)), merge) == (list(range(n)) if n else None)
        # the running total and the next result: memory does not grow with the inputs
        assert all(w == 2 for w in widest) and len(widest) == max(0, n - 1)


def test_backend_checks_its_arguments():
    assert Backend().in_process and not Backend().uses_dask
    assert not Backend(workers=2).in_process
    assert Backend(scheduler="tcp://10.0.0.5:8786").uses_dask
    for bad in (dict(workers=0), dict(scheduler="yarn"), dict(scheduler="tcp//host:1")):
        with pytest.raises(FramescopeError):
            Backend(**bad)


def test_pool_map_keeps_task_order():
    assert list(Backend(workers=2, window=3).map(operator.add, range(10), 100)) == list(range(100, 110))


def test_cli_bad_backend_options_are_one_line_errors(tmp_path, seeds_dir, capsys):
    out = tmp_path / "c"
    assert main(["build", f"text:{seeds_dir}", "--out", str(out), "--scheduler", "spark"]) == 2
    assert main(["build", f"text:{seeds_dir}", "--out", str(out), "--workers", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["framescope: error: --scheduler must be local, processes or a Dask address such as "
                   "tcp://HOST:8786, not 'spark'", "framescope: error: --workers must be at least 1, not 0"]
    assert not out.exists()


# --- partitions ------------------------------------------------------------------------------------

def _small_corpus():
    """Nine documents: English and Arabic, a duplicate, boilerplate, one without segments."""
    rows = []
    meta = {}
    words = ["coalition", "strike", "civilians", "killed", "aleppo", "raqqa", "army", "rebels", "monitor"]
    for d in range(8):
        w = [words[(d * k + 1) % len(words)] for k in range(1, 9)]
        rows.append((f"d{d}", "title", "en", f"{w[0].title()} {w[1]} in {w[2]}"))
        rows.append((f"d{d}", "body", "en", f"The {w[3]} {w[4]} {w[5]}. Coalition {w[6]} {w[7]} coalition {w[0]}."))
        rows.append((f"d{d}", "boilerplate", "en", "Subscribe to our newsletter"))
        if d % 3 == 0:
            rows.append((f"d{d}", "caption", "ar", "غارات التحالف على الرقة وقتل المدنيين"))
        meta[f"d{d}"] = {"source_type": "wire" if d % 2 else "state_media", "outlet": f"o{d % 3}"}
    meta["d5"]["duplicate_of"] = "d1"
    corpus = make_corpus(rows, meta)
    docs = pd.concat([corpus.documents, pd.DataFrame([{"doc_id": "empty", "source_type": "ngo"}])],
                     ignore_index=True)
    return docs, corpus.segments


def _write(folder, docs, segs):
    write_corpus(folder, docs, segs, [], {"corpus_id": "small"})
    return folder


def test_partitions_of_a_folder_cover_its_rows_in_order(tmp_path):
    docs, segs = _small_corpus()
    folder = _write(tmp_path / "c", docs, segs)
    parts = par.partitions(folder, size=4)
    assert [(p.doc_start, p.doc_stop) for p in parts] == [(0, 4), (4, 8), (8, 9)]
    loaded = [p.load() for p in parts]
    assert pd.concat([c.segments for c in loaded], ignore_index=True).equals(segs.reset_index(drop=True))
    for c in loaded:
        assert set(c.segments.doc_id) <= set(c.documents.doc_id)
    assert loaded[2].documents.doc_id.tolist() == ["empty"] and loaded[2].segments.empty
    assert all(c.corpus_id == "small" for c in loaded)
    # segments not in document order: one partition, still correct
    shuffled = _write(tmp_path / "s", docs, segs.iloc[::-1])
    (only,) = par.partitions(shuffled, size=4)
    assert (only.doc_start, only.doc_stop, only.seg_start, only.seg_stop) == (0, 9, 0, len(segs))


def test_partitions_of_a_built_corpus_are_its_row_groups(fakes_corpus):
    n = len(fakes_corpus.documents)  # ~790 documents: one row group of up to 2,000
    parts = par.partitions(fakes_corpus.path)
    assert [(p.doc_start, p.doc_stop, p.seg_start, p.seg_stop) for p in parts] == \
        [(0, n, 0, len(fakes_corpus.segments))]
    parts = par.partitions(fakes_corpus.path, size=300)
    assert [(p.doc_start, p.doc_stop) for p in parts] == [(0, 300), (300, 600), (600, n)]
    first = parts[1].load()
    assert first.documents.doc_id.tolist() == fakes_corpus.documents.doc_id[300:600].tolist()
    assert first.segments.equals(fakes_corpus.segments[fakes_corpus.segments.doc_id.isin(
        first.documents.doc_id)].reset_index(drop=True))


def _same_as_in_memory(source, backend, whole, opts):
    """Every counting statistic of ``source`` on ``backend`` equals the in-memory count of ``whole``."""
    kw = dict(partition_docs=2, backend=backend)
    assert_same_table(frequencies(source, by="outlet", options=opts, **kw),
                      frequencies(whole, by="outlet", options=opts))
    assert_same_table(frequencies(source, by="source_type", lang="ar", include_duplicates=True, **kw),
                      frequencies(whole, by="source_type", lang="ar", include_duplicates=True))
    assert_same_table(keyness(source, "source_type == 'wire'", options=opts, min_freq=1, n_boot=50, **kw),
                      keyness(whole, "source_type == 'wire'", options=opts, min_freq=1, n_boot=50))
    assert_same_table(keyness_groups(source, by="outlet", options=opts, min_freq=1, n_boot=20, **kw),
                      keyness_groups(whole, by="outlet", options=opts, min_freq=1, n_boot=20))
    for node in ("coalition", "التحالف"):
        assert_same_table(collocates(source, node, by="source_type", options=opts, min_freq=1, **kw),
                          collocates(whole, node, by="source_type", options=opts, min_freq=1))
    assert_same_table(bigram_collocations(source, by="source_type", options=opts, min_freq=1, **kw),
                      bigram_collocations(whole, by="source_type", options=opts, min_freq=1))
    for n in (1, 3):
        assert_same_table(ngrams(source, n=n, by="outlet", options=opts, min_freq=1, **kw),
                          ngrams(whole, n=n, by="outlet", options=opts, min_freq=1))
    m = dtm(source, options=opts, **kw)
    want = dtm(whole, options=opts)
    assert (m.matrix != want.matrix).nnz == 0 and m.vocab == want.vocab and list(m.doc_ids) == list(want.doc_ids)
    assert m.metadata == want.metadata


def test_counting_by_partitions_equals_one_pass(tmp_path):
    docs, segs = _small_corpus()
    folder = _write(tmp_path / "c", docs, segs)
    whole = load(folder)
    opts = TokenOptions(stopwords=False)
    # a folder read by row groups (in this process and in a pool), an in-memory Corpus sliced
    with Backend(workers=2).session() as pool:  # one pool for every call (each new pool costs seconds)
        for source, backend in ((folder, None), (folder, pool), (whole, pool)):
            _same_as_in_memory(source, backend, whole, opts)
        for source in (folder, whole):  # spans in running words: a second tokenisation per partition
            for node in ("coalition", "التحالف"):
                run = collocates(source, node, by="source_type", span=2, min_freq=1, partition_docs=2,
                                 span_unit="running_words", backend=Backend() if source is folder else pool)
                assert_same_table(run, collocates(whole, node, by="source_type", span=2, min_freq=1,
                                                  span_unit="running_words"))
                assert run.attrs["span_unit"] == "running_words"
    # backend="dask": Dask's multiprocessing scheduler on this machine
    assert_same_table(collocates(folder, "coalition", by="outlet", options=opts, min_freq=1, partition_docs=3,
                                 backend="dask"),
                      collocates(whole, "coalition", by="outlet", options=opts, min_freq=1))
    table = collocates(folder, "coalition", by=None, options=opts, min_freq=1, partition_docs=3)
    # f_node by hand: "coalition" in the English title/body segments of documents not marked duplicate
    kept = segs[segs.role.isin(["title", "body"]) & (segs.doc_id != "d5")]
    assert (table.f_node == sum(len(re.findall(r"\bcoalition\b", t.lower())) for t in kept.text)).all()


def test_partitions_read_their_rows_of_the_token_store(tmp_path, monkeypatch):
    """With a token store, a worker counts ids read from its own row groups (never the whole
    store, never the segment text), and the tables equal those of tokenising."""
    from framescope.analysis import token_store
    from framescope.analysis.tokens import open_token_store

    docs, segs = _small_corpus()
    folder = _write(tmp_path / "c", docs, segs)
    whole = load(folder)
    opts = TokenOptions(stopwords=False)
    want = {"freq": frequencies(whole, by="outlet", options=opts, lang="en"),
            "key": keyness(whole, "source_type == 'wire'", options=opts, min_freq=1, n_boot=30),
            "coll": collocates(whole, "coalition", by="source_type", options=opts, min_freq=1),
            "ngrams": ngrams(whole, n=2, by="outlet", options=opts, min_freq=1)}
    open_token_store(folder, opts)
    reads = []
    real = token_store.read_store_documents

    def spy(where, key, doc_ids):
        out = real(where, key, doc_ids)
        reads.append((list(doc_ids), None if out is None else list(out.doc_ids)))
        return out

    monkeypatch.setattr(par, "read_store_documents", spy)
    load_segments = par.FilePartition.load

    def no_text(self, segment_columns=par.SEGMENT_COLUMNS):
        assert "text" not in segment_columns, "the segment text is read although the store has the tokens"
        return load_segments(self, segment_columns)

    monkeypatch.setattr(par.FilePartition, "load", no_text)
    kw = dict(options=opts, partition_docs=3)
    assert_same_table(frequencies(folder, by="outlet", lang="en", **kw), want["freq"])
    assert_same_table(keyness(folder, "source_type == 'wire'", min_freq=1, n_boot=30, **kw), want["key"])
    assert_same_table(collocates(folder, "coalition", by="source_type", min_freq=1, **kw), want["coll"])
    assert_same_table(ngrams(folder, n=2, by="outlet", min_freq=1, **kw), want["ngrams"])
    assert reads and all(len(got) <= 3 for _, got in reads if got is not None)
    assert [ids for ids, _ in reads[:3]] == [["d0", "d1", "d2"], ["d3", "d4", "d5"], ["d6", "d7", "empty"]]
    # a store that went away after the caller found it: the worker tokenises, nothing is dropped
    monkeypatch.setattr(par, "read_store_documents", lambda *a: None)
    monkeypatch.setattr(par.FilePartition, "load", load_segments)
    assert_same_table(frequencies(folder, by="outlet", lang="en", **kw), want["freq"])
    # a store slice: its own documents, doc counted from 0, only the terms it uses
    st = real(*par._existing_store(folder, opts), ["d3", "d4"])
    assert list(st.doc_ids) == ["d3", "d4"] and st.sentences["doc"].min() == 0
    assert int(st.sentences["n_tokens"].sum()) == len(st.token_ids) and st.token_ids.max() < len(st.vocab)


def test_backend_names_and_bad_backends():
    assert par.resolve_backend(None).in_process and par.resolve_backend("local").in_process
    assert par.resolve_backend("processes").scheduler == "local" and not par.resolve_backend("processes").in_process
    assert par.resolve_backend("dask").scheduler == "processes"
    assert par.resolve_backend("tcp://10.0.0.5:8786").scheduler == "tcp://10.0.0.5:8786"
    with pytest.raises(FramescopeError, match="backend must be local, processes, dask or a Dask address"):
        par.resolve_backend("spark")
    with pytest.raises(FramescopeError, match="counts a corpus or a corpus folder"):
        dtm(dtm(make_corpus([("a", "body", "en", "one two")], {"a": {}})), backend="processes")


def test_cli_counts_with_workers_equal_one_process(tmp_path):
    docs, segs = _small_corpus()
    folder = _write(tmp_path / "c", docs, segs)
    outs = []
    for extra in ([], ["--workers", "2"], ["--workers", "2", "--scheduler", "processes"]):
        out = tmp_path / f"coll{len(extra)}.csv"
        assert main(["collocates", str(folder), "coalition", "--min-freq", "1", "--out", str(out), *extra]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2] and outs[0].count(b"\n") > 5


# --- real data: a process pool and a Dask cluster --------------------------------------------------

@pytest.fixture(scope="module")
def fakes_part(fakes_corpus, tmp_path_factory):
    """The first 400 FA-KES documents as a corpus folder, loaded, and its document-term matrix."""
    docs = fakes_corpus.documents.iloc[:400]
    segs = fakes_corpus.segments[fakes_corpus.segments.doc_id.isin(docs.doc_id)]
    folder = write_corpus(tmp_path_factory.mktemp("fakes") / "c", docs, segs, [], fakes_corpus.manifest)
    whole = load(folder)
    return folder, whole, dtm(whole)


def test_freq_with_workers_equals_one_process(fakes_part):
    folder, whole, matrix = fakes_part
    got = frequencies(folder, by="outlet", backend=Backend(workers=2), partition_docs=100)
    assert_same_table(got, frequencies(whole, by="outlet", matrix=matrix))
    assert got.attrs["n_documents"] > 350


def test_keyness_and_collocates_on_a_dask_cluster_equal_one_process(fakes_part, cluster):
    folder, whole, matrix = fakes_part
    backend = Backend(scheduler=cluster)
    target = "source_type == 'state_media'"
    assert_same_table(keyness(folder, target, n_boot=200, backend=backend, partition_docs=100),
                      keyness(whole, target, n_boot=200, matrix=matrix))
    assert_same_table(keyness(whole, target, n_boot=200, backend=cluster, partition_docs=100),
                      keyness(whole, target, n_boot=200, matrix=matrix))
    got = collocates(folder, "coalition", by="source_type", backend=backend, partition_docs=100)
    assert_same_table(got, collocates(whole, "coalition", by="source_type"))
    assert got.o11.sum() > 50


_ARABIC_WORDS = ("التحالف غارة المدنيين الرقة حلب الجيش قتل مصادر محلية الدولي الطيران القصف منطقة "
                 "سكان مستشفى أطفال نساء جرحى بيان وزارة الدفاع مدينة ريف شمال جنوب شرق غرب").split()


def _article(i: int) -> dict:
    rng = random.Random(i)
    body = "\n".join(" ".join(rng.choices(_ARABIC_WORDS, k=12)) + "." for _ in range(4))
    return {"source": "was" if i % 2 else "okaz", "url": f"http://example.org/{i}",
            "date_extracted": "2015-07-21 10:00:00", "title": f"خبر {i}", "author": "", "content": body}


def _write_zips(folder):
    """Three zips (partitions) with an exact duplicate across zips, a near duplicate and rejects."""
    folder.mkdir()
    arts = [_article(i) for i in range(9)]
    near = dict(arts[2], content=arts[2]["content"] + "\nوقال مصدر إن الغارة استهدفت الرقة.")
    groups = [arts[:4], [*arts[4:7], dict(arts[1]), {"content": ""}], [*arts[7:], near]]
    for k, group in enumerate(groups):
        with zipfile.ZipFile(folder / f"2015-07-2{k}.zip", "w") as zf:
            zf.writestr(f"2015-07-2{k}/a.json", json.dumps(group, ensure_ascii=False))
            if k == 1:
                zf.writestr("notes.txt", "not an article")
    return folder


def test_builds_are_byte_identical_on_every_backend(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(corpus.build, "PREPARE_BATCH", 2)  # many pool tasks from 13 items
    sources = [f"saudinewsnet:{_write_zips(tmp_path / 'zips')}"]
    reference = build(sources, tmp_path / "one", progress=False)
    docs = load(reference.path).documents
    assert docs.duplicate_of.notna().sum() == 2  # the exact copy in zip 1, the near one in zip 2
    assert len(load(reference.path).rejects) == 2
    for name, backend in [("pool", Backend(workers=2)), ("processes", Backend(workers=2, scheduler="processes")),
                          ("dask", Backend(scheduler=cluster))]:
        result = build(sources, tmp_path / name, progress=False, backend=backend)
        assert_same_files(result.path, reference.path)


def test_dask_build_of_a_saudinewsnet_zip_is_byte_identical(saudi_sample_corpus, saudi_dir, cluster, tmp_path):
    result = build([f"saudinewsnet:{saudi_dir / SAUDI_SAMPLE_ZIP}"], tmp_path / "dask", progress=False,
                   backend=Backend(scheduler=cluster))
    assert result.manifest["counts"]["documents"] == len(saudi_sample_corpus.documents) > 500
    assert_same_files(result.path, saudi_sample_corpus.path)
