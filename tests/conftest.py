"""Shared fixtures: the shared collections and corpora built from them.

Built corpora are cached in ``.cache/test-corpora`` (or ``$FRAMESCOPE_TEST_CACHE``) and
reused while their ``corpus_id`` (inputs + options + text-layer version) is unchanged,
so the suite builds each one once per machine. A test that needs a collection that is
absent is skipped with a message naming the folder looked in.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus.paths import PROJECT_ROOT, data_dir

#: every figure a test saves (plots.save, the notebooks, the demo) must pass the figure checker
os.environ["FRAMESCOPE_STRICT_FIGURES"] = "1"
CACHE = Path(os.environ.get("FRAMESCOPE_TEST_CACHE", PROJECT_ROOT / ".cache" / "test-corpora"))
#: the smallest SaudiNewsNet zip: quick Arabic tests on real data
SAUDI_SAMPLE_ZIP = "2015-07-23.zip"


def need(rel: str) -> Path:
    """Path of a shared collection file/folder, or skip the test naming where we looked."""
    path = data_dir() / rel
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (set FRAMESCOPE_DATA or put ../shared/corpora beside the repo)")
    return path


def _corpus_code_hash() -> str:
    """Hash of the corpus package's code: a cached corpus is reused only if it is unchanged."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted((PROJECT_ROOT / "corpus").rglob("*")):
        if path.suffix in (".py", ".csv"):
            h.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


CODE_HASH = _corpus_code_hash()


def built(name: str, sources: list[str]):
    from corpus import load
    from corpus.build import build

    out = CACHE / f"{name}-{CODE_HASH}"
    build(sources, out, progress=False, reuse=True)
    return load(out)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need("seeds")


@pytest.fixture(scope="session")
def fakes_csv() -> Path:
    return need("fakes/FA-KES-Dataset.csv")


@pytest.fixture(scope="session")
def saudi_dir() -> Path:
    return need("saudinewsnet")


@pytest.fixture(scope="session")
def seeds_corpus(seeds_dir):
    return built("seeds", [f"text:{seeds_dir}"])


@pytest.fixture(scope="session")
def fakes_corpus(fakes_csv):
    """FA-KES alone (790 documents)."""
    return built("fakes", [f"fakes:{fakes_csv}"])


@pytest.fixture(scope="session")
def seeds_fakes_corpus(seeds_dir, fakes_csv):
    """Seeds + FA-KES: the English part of the default corpus."""
    return built("seeds-fakes", [f"text:{seeds_dir}", f"fakes:{fakes_csv}"])


@pytest.fixture(scope="session")
def saudi_sample_corpus(saudi_dir):
    """One day of SaudiNewsNet (~1,000 Arabic articles) for quick Arabic tests."""
    return built("saudi-sample", [f"saudinewsnet:{saudi_dir / SAUDI_SAMPLE_ZIP}"])


@pytest.fixture(scope="session")
def saudi_corpus(saudi_dir):
    """All of SaudiNewsNet (31,030 articles; built once per machine, ~3 min)."""
    return built("saudinewsnet", [f"saudinewsnet:{saudi_dir}"])
