"""CITATION.cff and ``framescope cite``: the software and the data a corpus was built from."""
from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from framescope import corpus
import framescope.corpus.cite as cite_mod
from framescope.corpus.cite import format_citations, software_citation, software_metadata, source_citations
from framescope.cli import main
from framescope.corpus.paths import PROJECT_ROOT

#: top-level keys of the Citation File Format 1.2.0 schema (additionalProperties: false)
CFF_KEYS = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
            "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
            "references", "repository", "repository-artifact", "repository-code", "title", "type",
            "url", "version"}
CFF_PERSON_KEYS = {"address", "affiliation", "alias", "city", "country", "email", "family-names",
                   "fax", "given-names", "name-particle", "name-suffix", "orcid", "post-code",
                   "region", "tel", "website"}
CFF_ENTITY_KEYS = {"address", "alias", "city", "country", "date-end", "date-start", "email",
                   "fax", "location", "name", "orcid", "post-code", "region", "tel", "website"}


def bibtex_entries(text: str) -> list[tuple[str, str]]:
    """(type, key) of every entry (``@comment{...}`` has no key); fails on unbalanced braces."""
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    return re.findall(r"^@(\w+)\{([^,\s}]+),", text, re.M)


def test_citation_cff_is_valid_cff_1_2_0_and_matches_the_package():
    data = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert set(data) <= CFF_KEYS
    assert {"cff-version", "message", "title", "authors"} <= set(data)
    assert data["cff-version"] == "1.2.0"
    assert isinstance(data["message"], str) and data["message"].strip()
    assert data["type"] in ("software", "dataset")
    assert data["authors"] and all(isinstance(a, dict) for a in data["authors"])
    for author in data["authors"]:
        keys = set(author)
        assert (keys <= CFF_PERSON_KEYS) or ("name" in keys and keys <= CFF_ENTITY_KEYS)
    assert all(isinstance(k, str) for k in data.get("keywords", []))
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert str(data["version"]) == project["version"] == corpus.__version__
    assert data["license"] == project["license"]["text"]
    assert data["authors"] == [{"name": a["name"]} for a in project["authors"]]


def test_software_citation_text_and_bibtex():
    text = software_citation("text")
    assert text.startswith("framescope developers (n.d.). framescope: ")
    assert f"(Version {corpus.__version__}) [Computer software]." in text and "Licence: MIT." in text
    bib = software_citation("bibtex")
    assert bibtex_entries(bib) == [("misc", "framescope")]
    assert "author = {{framescope developers}}" in bib and f"version = {{{corpus.__version__}}}" in bib
    people = {"title": "Tool & co_x", "version": "2.0", "date-released": "2024-05-01",
              "doi": "10.5281/zenodo.1", "authors": [
                  {"family-names": "Abu Salem", "given-names": "Fatima K."},
                  {"family-names": "Farah", "given-names": "May"}, {"name": "Lab X"}]}
    assert software_citation("text", people) == (
        "Abu Salem, F. K., Farah, M., & Lab X (2024). Tool & co_x (Version 2.0) [Computer software]. "
        "https://doi.org/10.5281/zenodo.1")
    bib = software_citation("bibtex", people)
    assert "author = {Abu Salem, Fatima K. and Farah, May and {Lab X}}" in bib
    assert "title = {{Tool \\& co\\_x}}" in bib and "year = {2024}" in bib and "doi = {10.5281/zenodo.1}" in bib


def test_software_metadata_without_the_cff_file(tmp_path):
    meta = software_metadata(tmp_path / "absent.cff")
    assert meta["title"].startswith("framescope") and meta["version"] == corpus.__version__
    assert meta["authors"] == [{"name": "framescope developers"}]


def test_cite_seeds_asks_to_cite_the_input_files(seeds_corpus):
    text = format_citations(seeds_corpus.manifest)
    assert text.splitlines()[0] == "Software"
    m = seeds_corpus.manifest
    assert (f"Corpus {seeds_corpus.corpus_id} was built with framescope {m['framescope_version']}, "
            f"text layer {m['text_layer_version']}.") in text
    assert "Data (1 source)" in text and "(loader framescope.corpus.loaders.textdir)" in text
    assert "no citation is known for this source: cite the origin of its input files yourself: " \
           "000_86b288b062b5988b.txt, 001_2399c1ba290ee3ea.txt, 002_a83536c6e1e58c9b.txt, " \
           "003_68c0b573bd758d04.txt, 004_e95b98b0d4ce91bc.txt, seeds.csv" in text


def test_cite_fakes_in_text_and_bibtex(seeds_fakes_corpus):
    text = format_citations(seeds_fakes_corpus.manifest)
    assert "Data (2 sources)" in text
    assert "FA-KES: A Fake News Dataset around the Syrian War" in text
    assert "doi:10.1609/icwsm.v13i01.3254" in text and "doi:10.5281/zenodo.2607278" in text
    bib = format_citations(seeds_fakes_corpus.manifest, "bibtex")
    entries = bibtex_entries(bib)
    assert entries == [
        ("misc", "framescope"), ("inproceedings", "abusalem2019fakes"), ("misc", "abusalem2019fakesdata")]
    assert "doi = {10.1609/icwsm.v13i01.3254}" in bib
    comments = re.findall(r"^@comment\{(.*)\}$", bib, re.M)
    assert len(comments) == 2 and "seeds.csv" in comments[1] and "cite the origin" in comments[1]


def _manifest(*sources):
    return {"corpus_id": "abc", "framescope_version": "0.1.0", "text_layer_version": "1",
            "sources": [{"kind": k, "spec": s, "loader": l, "inputs": [{"name": n} for n in names]}
                        for k, s, l, names in sources]}


def test_cite_saudinewsnet_once_and_tabular_inputs(monkeypatch):
    imported = []
    real = cite_mod.importlib.import_module
    monkeypatch.setattr(cite_mod.importlib, "import_module", lambda name: imported.append(name) or real(name))
    manifest = _manifest(
        ("saudinewsnet", "/d/a.zip", "framescope.corpus.loaders.saudinewsnet", ["2015-07-21.zip"]),
        ("saudinewsnet", "/d/b.zip", "framescope.corpus.loaders.saudinewsnet", ["2015-07-22.zip"]),
        ("csv", "/d/items.csv", "framescope.corpus.loaders.tabular", ["items.csv"]),
        ("plugin", "/d/x", "os", [f"f{i:02d}.txt" for i in range(25)]),
    )
    cites = source_citations(manifest)
    assert [c.citation is not None for c in cites] == [True, True, False, False]
    assert "os" not in imported  # a manifest never makes framescope import other modules
    text = format_citations(manifest)
    assert text.count("Alhagri, M. A. (2015). Saudi Newspapers Arabic Corpus (SaudiNewsNet).") == 2
    assert "[3] csv:/d/items.csv  (loader framescope.corpus.loaders.tabular)" in text
    assert "cite the origin of its input files yourself: items.csv" in text
    assert "f19.txt and 5 more (see manifest.json)" in text and "f20.txt" not in text
    bib = format_citations(manifest, "bibtex")
    assert bibtex_entries(bib) == [("misc", "framescope"), ("misc", "hagrima2015")]
    assert bib.count("@misc{hagrima2015,") == 1
    assert format_citations({"corpus_id": "x"}).endswith("Data: no sources are recorded in this corpus's manifest.")
    with pytest.raises(corpus.FramescopeError, match="citation format"):
        format_citations(manifest, "ris")


def test_cli_cite(seeds_corpus, tmp_path, capsys):
    assert main(["cite", str(seeds_corpus.path)]) == 0
    assert "cite the origin of its input files yourself" in capsys.readouterr().out
    assert main(["cite", str(seeds_corpus.path), "--format", "bibtex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"@comment{{Corpus {seeds_corpus.corpus_id} was built")
    assert bibtex_entries(out) == [("misc", "framescope")]
    assert main(["cite", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("framescope: error: ")
