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


def built(name: str, sources: list[str]):
    from framescope.corpus import load
    from framescope.corpus.build import build

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
#: 2 shared cores).
SLOW_TESTS = {
    "test_docs.py::test_api_reference_builds_without_warnings",
    "test_export.py::test_quanteda_csv_round_trip",
    "test_export.py::test_txt_folders_round_trip",
    "test_frames.py::test_a_network_without_frames_is_flagged_unstable",
    "test_frames.py::test_cli_consensus_and_frames_are_byte_identical",
    "test_frames.py::test_fakes_consensus_composition_and_frames",
    "test_frames.py::test_fakes_frame_stability_of_the_first_run",
    "test_frames.py::test_frame_network_figure",
    "test_framing_cli.py::test_actors_markers_agency_cli",
    "test_networks.py::test_fakes_consistent_collocates_and_network",
    "test_notebooks.py::test_demo_in_two_processes_writes_the_same_bytes",
    "test_notebooks.py::test_demo_rigour_section_sentences_carry_the_numbers",
    "test_notebooks.py::test_demo_worker_hands_a_notebook_error_back",
    "test_notebooks.py::test_demo_writes_figures_and_readme_from_the_data",
    "test_notebooks.py::test_notebook_is_committed_without_outputs_and_paired",
    "test_notebooks.py::test_notebook_runs_and_writes_its_figures",
    "test_partitioned.py::test_builds_are_byte_identical_on_every_backend",
    "test_partitioned.py::test_cli_counts_with_workers_equal_one_process",
    "test_partitioned.py::test_counting_by_partitions_equals_one_pass",
    "test_partitioned.py::test_dask_build_of_a_saudinewsnet_zip_is_byte_identical",
    "test_partitioned.py::test_freq_with_workers_equals_one_process",
    "test_partitioned.py::test_keyness_and_collocates_on_a_dask_cluster_equal_one_process",
    "test_plots.py::test_save_writes_pdf_with_embedded_arabic_font_and_300_dpi_png",
    "test_plots_glossary.py::test_every_arabic_term_the_demo_draws_has_a_gloss",
    "test_plots_rigour.py::test_collocation_network_plot",
    "test_plots_rigour.py::test_keyness_review_plot_rows_columns_and_counts",
    "test_project.py::test_shared_data_is_not_in_the_repo",
    "test_rigour.py::test_fakes_top50_survival",
    "test_robustness.py::test_fakes_robustness_subset",
    "test_stats_cli.py::test_bad_arguments_end_in_one_line",
    "test_stats_cli.py::test_collocates_of_coalition_by_source_type",
    "test_stats_cli.py::test_keyness_state_media_vs_wire",
    "test_stats_cli.py::test_kwic_freq_ngrams_commands",
    "test_token_store.py::test_running_words_come_from_the_store_pass",
    "test_token_store.py::test_running_words_of_other_options_and_stale_stores",
    "test_topics.py::test_arabic_model_on_saudi_sample",
    "test_topics.py::test_cli_outputs_are_byte_identical",
    "test_topics.py::test_k_search_on_fakes",
    "test_topics.py::test_same_seed_same_model_and_proportions",
    "test_topics.py::test_streaming_coherence_equals_gensim_in_memory",
    "test_topics.py::test_texts_stream_matches_tokens",
    "test_topics.py::test_topics_subpackage_imports_each_stage_alone_without_cycles",
}
#: Fixtures too slow to set up in the quick loop (the full SaudiNewsNet: a ~3 min build).
SLOW_FIXTURES = {"saudi_corpus"}


#: Calls that read the shared collections without a fixture (a test's own ``data_dir() / ...``).
DATA_CALLS = ("data_dir(", "need(", "collection_path(")


def _reads_data_directly(item) -> bool:
    import inspect

    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return False
    return any(call in source for call in DATA_CALLS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())) or _reads_data_directly(item):
            item.add_marker(pytest.mark.data)
        name = getattr(item, "originalname", None) or item.name.split("[")[0]
        if f"{item.path.name}::{name}" in SLOW_TESTS or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
