"""Shipped data derived from third-party corpora carry their licence and attribution
(docs/data_licences.md): the SaudiNewsNet word counts (CC BY-NC-SA 4.0) and the FA-KES
sentence model (CC BY 4.0)."""
import gzip
import tomllib
from importlib.resources import files
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_notice_ships_with_the_package_and_names_source_licence_and_derivation():
    data = files("framescope.analysis") / "data"
    notice = (data / "NOTICE.md").read_text(encoding="utf-8")
    lexicon = notice.split("## `arabic_lexicon_v1.tsv.gz`", 1)[1].split("\n## ", 1)[0]
    for words in ("CC BY-NC-SA 4.0", "Alhagri", "SaudiNewsNet", "non-commercial", "same licence",
                  "tools/build_arabic_lexicon.py", "at least 5 times"):
        assert words in lexicon, words
    punkt = notice.split("## `punkt_en_v1.json.gz`", 1)[1].split("\n## ", 1)[0]
    assert "CC BY 4.0" in punkt and "FA-KES" in punkt and "Abu Salem" in punkt
    # the NOTICE states the file's real size: a rebuilt lexicon must update it
    text = gzip.decompress((data / "arabic_lexicon_v1.tsv.gz").read_bytes()).decode("utf-8")
    n_words = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    assert f"{n_words:,} normalised Arabic words" in notice
    assert "SaudiNewsNet" in text.splitlines()[0]  # the file's own header names its source
    # package data: the glob that ships the lexicon ships the NOTICE too
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "data/*" in globs["framescope.analysis"]


def test_readme_citation_and_docs_state_the_non_commercial_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    licence = readme.split("### Licence", 1)[1].split("\n## ", 1)[0]
    assert "MIT" in licence and "arabic_lexicon_v1.tsv.gz" in licence and "CC BY-NC-SA 4.0" in licence
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    refs = {r["title"]: r for r in cff["references"]}
    saudi = refs["Saudi Newspapers Arabic Corpus (SaudiNewsNet)"]
    assert saudi["license"] == "CC-BY-NC-SA-4.0" and "arabic_lexicon_v1.tsv.gz" in saudi["notes"]
    assert refs["FA-KES: A Fake News Dataset around the Syrian War"]["license"] == "CC-BY-4.0"
    doc = (ROOT / "docs" / "data_licences.md").read_text(encoding="utf-8")
    assert "2.4% (8/330)" in doc and "7.6% (25/330)" in doc
