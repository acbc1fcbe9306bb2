"""Shared fixtures: the shared collections and corpora built from them.

Built corpora are cached in ``.cache/test-corpora`` (or ``$FRAMESCOPE_TEST_CACHE``) and
reused while their ``corpus_id`` (inputs + options + text-layer version) is unchanged,
so the suite builds each one once per machine. A test that needs a collection that is
absent is skipped with a message naming the folder looked in.

``make test`` runs the suite on two pytest-xdist workers (separate processes): a session
fixture runs once per worker that needs it, so a cached corpus is built under a file lock
(:func:`cache_lock`): the first worker builds it, the other waits and then reuses it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from framescope.corpus.paths import PROJECT_ROOT, data_dir

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


def cache_lock(folder: Path):
    """An exclusive lock on building the cached ``folder``: other xdist workers wait for it.

    ``build`` itself refuses a second run on the same folder at once (its own non-blocking
    ``.NAME.lock``); this blocking lock beside it (``.NAME.build.lock``, the token store's
    lock) makes the workers take turns instead, so the second finds the corpus and reuses it.
    """
    from framescope.analysis.token_store import store_lock

    return store_lock(folder.with_name(f"{folder.name}.build"))


def built(name: str, sources: list[str]):
    """Corpus ``name`` built from ``sources`` into the test cache (reused while unchanged)."""
    from framescope.corpus import load
    from framescope.corpus.build import build

    out = CACHE / f"{name}-{CODE_HASH}"
    with cache_lock(out):
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
def default_corpus(saudi_dir, seeds_dir, fakes_csv):
    """The demo's default corpus (seeds + FA-KES + SaudiNewsNet), as ``framescope demo`` builds it."""
    return built("default", ["default"])


# --- markers: `data` (needs the shared collections) and `slow` ---------------------------------
#
# `pytest -m "not slow"` is the quick loop (under 2 minutes); `make test` runs everything.
# `slow` tests are listed here, measured with `pytest --durations=0` (call ≥ 3 s on the
# 2-core machine), and tests that need a slow fixture; a new test over ~3 s belongs in
# SLOW_TESTS. Matched on the file and the test function (all parameters of a parametrized test).

#: Fixtures that read the shared collections: a test using any of them (directly or through
#: another fixture), or calling one of DATA_CALLS in its body, is marked `data`.
DATA_FIXTURES = {"seeds_dir", "fakes_csv", "saudi_dir"}

#: file::test function of the tests whose call took 3 s or more (`--durations=0`, whole suite,
#: one process, warm test cache, on the 2 shared cores while other jobs ran: about twice the
#: time on an idle machine; re-measured 2026-12-05).
SLOW_TESTS = {
    "test_build.py::test_rebuild_is_byte_identical",
    "test_cli_errors.py::test_info_into_a_closed_pipe_stops_without_a_traceback",
    "test_counts.py::test_encode_lines_by_chunks_of_a_file_or_bytes",
    "test_docs.py::test_api_reference_builds_without_warnings",
    "test_export.py::test_quanteda_csv_round_trip",
    "test_export.py::test_txt_folders_round_trip",
    "test_frames.py::test_cli_consensus_and_frames_are_byte_identical",
    "test_framing_actors_markers.py::test_framing_tables_carry_group_sizes_and_follow_the_group_rules",
    "test_notebooks.py::test_demo_events_section_sentences_carry_the_numbers",
    "test_notebooks.py::test_demo_in_two_processes_writes_the_same_bytes",
    "test_notebooks.py::test_demo_names_a_figure_without_a_sentence",
    "test_notebooks.py::test_demo_rigour_section_sentences_carry_the_numbers",
    "test_notebooks.py::test_demo_worker_hands_a_notebook_error_back",
    "test_notebooks.py::test_demo_writes_figures_and_readme_from_the_data",
    "test_notebooks.py::test_notebook_runs_and_writes_its_figures",
    "test_notebooks.py::test_run_notebook_injects_parameters_after_the_parameters_cell",
    "test_partitioned.py::test_builds_are_byte_identical_on_every_backend",
    "test_partitioned.py::test_cli_counts_with_workers_equal_one_process",
    "test_partitioned.py::test_counting_by_partitions_equals_one_pass",
    "test_partitioned.py::test_dask_build_of_a_saudinewsnet_zip_is_byte_identical",
    "test_partitioned.py::test_freq_with_workers_equals_one_process",
    "test_partitioned.py::test_keyness_and_collocates_on_a_dask_cluster_equal_one_process",
    "test_plots_glossary.py::test_every_arabic_term_the_demo_draws_has_a_gloss",
    "test_project.py::test_package_works_outside_the_repository",
    "test_project.py::test_test_cache_corpus_built_by_workers_at_once",
    "test_token_store.py::test_running_words_come_from_the_store_pass",
    "test_token_store.py::test_running_words_of_other_options_and_stale_stores",
    "test_token_store.py::test_store_filled_by_two_processes_is_the_store_of_one",
    "test_token_store.py::test_store_gives_the_tokens_of_fresh_tokenisation",
    "test_tokens.py::test_per_word_rules_give_the_per_token_reference_tokens",
    "test_topics.py::test_cli_outputs_are_byte_identical",
}
#: Fixtures too slow to set up in the quick loop (the default corpus, which holds all of
#: SaudiNewsNet: a build of a minute or more on a fresh clone; the tests of SaudiNewsNet as a
#: whole read its part of it rather than building the collection a second time).
SLOW_FIXTURES = {"default_corpus"}


#: Calls that read the shared collections without a fixture (a test's own ``data_dir() / ...``).
DATA_CALLS = ("data_dir(", "need(", "collection_path(")


def _reads_data_directly(item) -> bool:
    import inspect

    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return False
    return any(call in source for call in DATA_CALLS)


#: Test files that take longest (`--durations=0`, summed per file), longest first. `make test`
#: runs each file whole on one xdist worker (`--dist loadfile --no-loadscope-reorder`) in the
#: order of the collection, which puts these first: each worker starts on a long file and
#: the short ones fill the gaps, so that no worker waits alone for a long file at the end.
#: The files of 6 s or more are listed (measured 2026-12-05, two workers, warm test cache:
#: notebooks ~150 s, glossary ~100 s, partitioned and token store ~65 s, docs ~35 s, the
#: rest 6-14 s), so that the last files to start are the shortest (a few seconds each).
LONG_FILES = ("test_notebooks.py", "test_plots_glossary.py", "test_partitioned.py", "test_token_store.py",
              "test_docs.py", "test_frames.py", "test_topics.py", "test_project.py", "test_build.py",
              "test_linear_patterns.py", "test_export.py", "test_framing_actors_markers.py",
              "test_segment_furniture.py", "test_collocations.py", "test_plots.py", "test_robustness.py",
              "test_cli_errors.py", "test_build_web.py", "test_tokens.py", "test_plots_topics.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())) or _reads_data_directly(item):
            item.add_marker(pytest.mark.data)
        name = getattr(item, "originalname", None) or item.name.split("[")[0]
        if f"{item.path.name}::{name}" in SLOW_TESTS or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker sorts its (identical) collection alike
        items.sort(key=lambda item: LONG_FILES.index(item.path.name) if item.path.name in LONG_FILES
                   else len(LONG_FILES))
