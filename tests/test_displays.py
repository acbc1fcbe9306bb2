"""Rich displays in Jupyter and provenance in DataFrame.attrs."""
from __future__ import annotations

import json

import pandas as pd

from framescope.cli import main
from framescope.corpus.provenance import KEY_PACKAGES, package_versions, with_meta


def test_corpus_shows_an_html_summary(fakes_corpus):
    page = fakes_corpus._repr_html_()
    docs = fakes_corpus.documents
    assert page.startswith('<div class="fs-corpus">') and "<script" not in page
    assert f"{len(docs):,}" in page and str(fakes_corpus.corpus_id) in page
    assert f"{len(fakes_corpus.rejects):,} inputs not made into documents" in page
    dates = docs["date"].dropna()
    assert f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" in page
    for source_type, n in docs["source_type"].value_counts().items():
        assert f'<td dir="auto">{source_type}</td><td>{n:,}</td>' in page
    assert "main language" in page and "en " in page and "words" in page
    sub = fakes_corpus.subset("source_type == 'wire'")
    assert "source_type == &#x27;wire&#x27;" in sub._repr_html_()  # the subset query, escaped


def test_with_meta_records_corpus_options_seed_and_versions(fakes_corpus):
    from framescope.analysis.token_options import TokenOptions

    table = with_meta(pd.DataFrame({"a": [1]}), corpus=fakes_corpus, options=TokenOptions(stem=True), seed=7,
                      n_boot=100)
    assert table.attrs["corpus_id"] == fakes_corpus.corpus_id and table.attrs["seed"] == 7
    assert table.attrs["options"]["stem"] is True and table.attrs["n_boot"] == 100
    versions = table.attrs["versions"]
    assert set(KEY_PACKAGES) <= set(versions) and versions["pandas"] == pd.__version__
    assert versions["python"].count(".") == 2 and package_versions() is package_versions()


def test_cli_outputs_record_options_seed_and_versions(fakes_corpus, tmp_path):
    out = tmp_path / "coll.csv"
    assert main(["collocates", str(fakes_corpus.path), "coalition", "--lang", "en", "--out", str(out)]) == 0
    meta = json.loads((tmp_path / "coll.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["corpus_id"] == fakes_corpus.corpus_id
    assert meta["options"]["node"] == "coalition" and meta["options"]["span"] == 5
    assert meta["versions"]["numpy"] == package_versions()["numpy"]
    assert meta["versions"]["framescope"] == meta["framescope_version"]
