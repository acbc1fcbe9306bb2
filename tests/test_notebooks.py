"""The notebooks run top to bottom (papermill) on the shared data with small settings and
write their figures; they are committed without outputs and in step with their
jupytext .py pair.

The kernel is this interpreter: a kernelspec written into a temporary folder that
``JUPYTER_PATH`` points to, so nothing is installed in the user's Jupyter folders and a
fresh ``.venv`` made by ``make test`` works as is. The corpus is seeds + FA-KES + one day
of SaudiNewsNet that holds state-agency articles, built once into the test cache.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from conftest import built
from framescope.corpus.paths import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"
#: the day of SaudiNewsNet with the most state-agency (was) articles: 168 of 1,686
SAUDI_AGENCY_DAY = "2015-08-11.zip"

#: notebook → (small settings, figures it must write: file-name patterns)
CASES = {
    "01_corpus_overview": ({}, ["01_corpus_composition"]),
    "02_keyness": ({"N_BOOT": 50, "N_BOOT_AR": 20, "MIN_FREQ_AR": 5},
                   ["02_keyness_en_state_vs_wire", "02_keyness_ar_agency_vs_press", "02_kwic_en_*",
                    "02_kwic_ar_coalition"]),
    "03_collocations": ({}, ["03_collocates_en", "03_collocates_ar", "03_dispersion_en", "03_dispersion_ar",
                             "03_timeline_en", "03_timeline_ar"]),
    "04_topics": ({"K_GRID_EN": [3, 5], "K_GRID_AR": [3, 4], "SEEDS": 2, "PASSES": 1, "N_BOOT": 50,
                   "AR_SAMPLE": 400},
                  ["04_topic_k_en", "04_topic_words_en", "04_topic_prevalence_en", "04_frame_network_en", "04_topic_k_ar",
                   "04_topic_words_ar", "04_topic_prevalence_ar"]),
    "05_seeds_vs_outlets": ({"N_BOOT": 50}, ["05_seeds_similarity", "05_keyness_seeds_vs_*"]),
    "06_framing": ({"N_BOOT": 50}, ["06_claims_attribution_en", "06_actor_labels_en", "06_markers_en",
                                    "06_agency_en"]),
    "07_rigour": ({"N_BOOT": 50, "FAMILY_MODE": "rest", "ROBUST_CHOICES": ["stem"]},
                  ["07_keyness_review_en", "07_network_en_coalition", "07_robustness_en"]),
    "08_events": ({"N_BOOT": 200}, ["08_event_profile_en", "08_within_event_en"]),
}

#: a cell that calls a plot function of framescope.analysis.plots makes a figure
FIGURE_CELL = re.compile(r"\bplots\.plot_\w+\(")

#: notebooks that also write tables / graphs (parameter OUT: a folder)
EXPORTS = {"07_rigour": ["07_network_en_coalition.graphml", "07_network_en_coalition.csv", "reference_wire.csv"]}


def test_every_notebook_has_a_case():
    found = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert found == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_notebook_is_committed_without_outputs_and_paired(name):
    import jupytext
    import nbformat

    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip the outputs"
    assert code[0].metadata.get("tags") == ["parameters"], "the first code cell must be the papermill parameters"
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    script = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [c.source for c in script.cells] == [c.source for c in nb.cells], f"run: jupytext --sync notebooks/{name}.ipynb"


@pytest.fixture(scope="session")
def notebook_corpus(seeds_dir, fakes_csv, saudi_dir):
    return built("notebooks", [f"text:{seeds_dir}", f"fakes:{fakes_csv}",
                               f"saudinewsnet:{saudi_dir / SAUDI_AGENCY_DAY}"])


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory):
    """A kernelspec for this interpreter, visible to papermill through JUPYTER_PATH."""
    pytest.importorskip("ipykernel")
    root = tmp_path_factory.mktemp("jupyter")
    name = "framescope-tests"
    spec = root / "kernels" / name
    spec.mkdir(parents=True)
    path = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "framescope (tests)", "language": "python",
        "env": {"PYTHONPATH": path, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(root), old) if p)
    yield name
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


@pytest.mark.parametrize("name", sorted(CASES))
def test_notebook_runs_and_writes_its_figures(name, notebook_corpus, kernel_name, tmp_path):
    import papermill

    settings, expected = CASES[name]
    figures = tmp_path / "figures"
    params = {"CORPUS": str(notebook_corpus.path), "BUILD_IF_MISSING": False, "FIGURES": str(figures), **settings}
    if name in EXPORTS:
        params["OUT"] = str(tmp_path / "out")
    try:
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(tmp_path / f"{name}.out.ipynb"),
                                   parameters=params, kernel_name=kernel_name, cwd=str(NOTEBOOKS),
                                   progress_bar=False, execution_timeout=600)
    except papermill.PapermillExecutionError as exc:
        pytest.fail(f"{name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}")
    shown = _figures_shown(tmp_path / f"{name}.out.ipynb")
    print(f"{name}: {sum(shown.values())} figure outputs in {len(shown)} figure cells")
    assert shown, f"{name} has no cell that makes a figure"
    blank = [cell for cell, n in shown.items() if n == 0]
    assert not blank, f"{name}: no image/png output in the figure cell(s) {blank}"
    for pattern in expected:
        pngs = sorted(figures.glob(f"{pattern}.png"))
        assert pngs, f"{name} did not write {pattern}.png"
        for png in pngs:
            assert png.stat().st_size > 10_000
            assert png.with_suffix(".pdf").is_file(), f"{png.stem}.pdf missing"
    for file in EXPORTS.get(name, []):
        assert (tmp_path / "out" / file).stat().st_size > 100, f"{name} did not write {file}"


def _figures_shown(executed) -> dict[int, int]:
    """Cell number → image/png outputs, for every code cell that makes a figure (the
    figure a plot function returns must display in Jupyter, not as ``<Figure size ...>``)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    return {i: sum("image/png" in out.get("data", {}) for out in cell.outputs)
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and FIGURE_CELL.search(cell.source)}


def test_notebooks_use_the_library_not_the_application_layer():
    """Notebooks import framescope's library (and framescope.report), never the CLI modules or
    the demo: the demo runs the notebooks, not the other way round."""
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"framescope\.(commands|demo|cli)\b", text), f"{path.name} imports the application layer"


def test_demo_holds_no_analysis_constant():
    """Subsets, designs, nodes and settings live in the notebooks' parameters cells only."""
    import framescope.demo as demo

    source = Path(demo.__file__).read_text(encoding="utf-8")
    for constant in ("collection == 'fakes'", "outlet == 'was'", "source_type == 'wire'", "n_boot=", "k_grid",
                     "DemoSettings", "keyness_between(", "run_topics(", "collocates_by("):
        assert constant not in source, constant


def test_demo_finds_the_notebooks_outside_the_repository(tmp_path):
    """The notebooks are package data (framescope.notebooks): found from any folder, and no
    tool that imports every submodule of the package runs them."""
    import subprocess

    code = ("import pkgutil, framescope.notebooks as nb\n"
            "from framescope.demo import NOTEBOOKS, notebook_path\n"
            "assert all(notebook_path(n).is_file() and notebook_path(n).with_suffix('.ipynb').is_file()"
            " for n in NOTEBOOKS)\n"
            "assert list(pkgutil.walk_packages(nb.__path__, 'framescope.notebooks.')) == []\n"
            "print('ok')\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_run_notebook_injects_parameters_after_the_parameters_cell(notebook_corpus, tmp_path):
    """papermill's semantics: the notebook's own values, then the injected ones; a name that
    is not a parameter is an error."""
    from framescope.corpus.errors import FramescopeError
    from framescope.demo import run_notebook

    with pytest.raises(FramescopeError, match="has no parameter 'NBOOT'"):
        run_notebook("05_seeds_vs_outlets", {"NBOOT": 20})
    ns = run_notebook("05_seeds_vs_outlets", {"CORPUS": str(notebook_corpus.path), "BUILD_IF_MISSING": False,
                                              "FIGURES": str(tmp_path), "N_BOOT": 20})
    assert ns["sim"].attrs["n_boot"] == 20 and ns["key"].attrs["n_docs_target"] == 5
    assert ns["__parameters__"]["N_TERMS"] == 1000  # not injected: the notebook's value
    assert (tmp_path / "05_seeds_similarity.png").is_file()


@pytest.fixture(scope="module")
def demo_05_01(notebook_corpus, tmp_path_factory):
    """`framescope demo` of notebooks 05 and 01 in one process: the figures and README that
    test_demo_writes_figures_and_readme_from_the_data reads, and that the same run in two
    processes must equal byte for byte (run once for both tests). 05 is asked for first, 01
    runs first (longest first): the records must follow the order asked for."""
    from framescope.demo import run_demo

    folder = tmp_path_factory.mktemp("demo-jobs1")
    return folder, run_demo(notebook_corpus.path, folder, {"N_BOOT": 20}, notebooks=("05", "01"), progress=False,
                            jobs=1)


def test_demo_writes_figures_and_readme_from_the_data(notebook_corpus, demo_05_01, tmp_path):
    """`framescope demo` runs the notebooks and writes the sentences from what they leave."""
    from framescope.corpus.errors import FramescopeError
    from framescope.demo import run_demo

    with pytest.raises(FramescopeError, match="'N_BOOT_AR' is a parameter of none of the notebooks"):
        run_demo(notebook_corpus.path, tmp_path, {"N_BOOT_AR": 10}, notebooks=("01", "05"), progress=False)
    folder, records = demo_05_01
    names = [r.name for r in records]
    assert names[0] == "05_seeds_similarity" and names[-1] == "01_corpus_composition" and len(names) == 3
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for r in records:
        assert (folder / f"{r.name}.png").is_file() and (folder / f"{r.name}.pdf").is_file()
        assert f"[`{r.name}.png`]({r.name}.png)" in readme
    n_docs = len(notebook_corpus.documents)
    assert f"{n_docs:,} documents" in readme  # the sentences carry the corpus's own numbers
    assert "Parameters: `SEEDS_QUERY = \"collection == 'seeds'\"`" in readme and "`N_BOOT = 20`" in readme
    assert str(notebook_corpus.path) not in readme  # no machine-specific path


def test_demo_in_two_processes_writes_the_same_bytes(notebook_corpus, demo_05_01, tmp_path, capsys):
    """Issue 21: `framescope demo --jobs 2` runs notebooks in a worker process too (the first
    notebook of the longest-first order goes to the worker); the figures and README.md are
    the same bytes as one after the other, and the log names where each notebook ran."""
    from framescope.demo import run_demo

    one, records = demo_05_01
    two = tmp_path / "jobs2"
    runs = {1: records, 2: run_demo(notebook_corpus.path, two, {"N_BOOT": 20}, notebooks=("05", "01"),
                                    progress=False, jobs=2)}
    log = capsys.readouterr().out
    assert "01_corpus_overview done in" in log and "(process 1)" in log and "(main process)" in log
    assert runs[1] == runs[2] and [r.section for r in runs[2]] == ["05 seeds vs outlets"] * 2 + ["01 corpus overview"]
    files = sorted(p.name for p in one.iterdir())
    assert files == sorted(p.name for p in two.iterdir()) and "README.md" in files and len(files) == 7
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_demo_worker_hands_a_notebook_error_back(notebook_corpus, tmp_path):
    """A notebook that fails in a worker process comes back to the demo's process as an error
    naming the notebook (the demo raises it: one line from the CLI)."""
    import multiprocessing

    from framescope import demo
    from framescope.corpus.errors import FramescopeError

    ctx = multiprocessing.get_context("spawn")
    counter, results = ctx.Value("i", 2), ctx.Queue()
    name = "05_seeds_vs_outlets"
    (tmp_path / name).mkdir()
    given = {name: {"CORPUS": str(notebook_corpus.path), "BUILD_IF_MISSING": False, "FIGURES": "unused",
                    "SEEDS_QUERY": "no_such_column == 1"}}
    demo._worker(str(notebook_corpus.path), [name], given, str(tmp_path), counter, results, 1)
    kind, failed, exc = results.get(timeout=10)
    assert (kind, failed) == ("error", name) and isinstance(exc, FramescopeError)
    assert str(exc).startswith(f"notebook {name}: ") and "no_such_column" in str(exc)
    assert any("worker process" in note for note in getattr(exc, "__notes__", []))
    with pytest.raises(FramescopeError, match="jobs must be >= 1"):
        demo.run_demo(notebook_corpus.path, tmp_path, notebooks=("01",), jobs=0)


def test_demo_names_a_figure_without_a_sentence(notebook_corpus, tmp_path, monkeypatch):
    from framescope import demo
    from framescope.corpus.errors import FramescopeError

    monkeypatch.setitem(demo.SENTENCES, "01_corpus_overview", lambda r: [])
    with pytest.raises(FramescopeError, match="wrote 01_corpus_composition.png, which figures/README.md does not"):
        demo.run_demo(notebook_corpus.path, tmp_path, notebooks=("01",), progress=False)


def test_demo_rigour_section_sentences_carry_the_numbers(fakes_corpus, tmp_path):
    """Notebook 07 run by `framescope demo` on FA-KES alone (small settings: one
    preprocessing choice)."""
    from framescope.demo import run_demo

    params = {"N_BOOT": 20, "ROBUST_CHOICES": ["numbers"], "FAMILY_MODE": "rest"}
    records = run_demo(fakes_corpus.path, tmp_path, params, notebooks=("07",), progress=False)
    assert [r.name for r in records] == ["07_keyness_review_en", "07_network_en_coalition", "07_robustness_en"]
    for r in records:
        assert (tmp_path / f"{r.name}.png").stat().st_size > 10_000 and (tmp_path / f"{r.name}.pdf").is_file()
    review, network, robust = (r.sentence for r in records)
    assert "Of the top 50 pro-Damascus state-media keywords" in review and "LRC " in review and "20 bootstrap" in review
    assert "to be read with care: wire (23 documents" in review  # the wire is under the size floor and named
    # token layer 2 counts US-led and U.S.-led as one term, u.s.-led (shown as us-led where the
    # sentence uses framescope.analysis.surface)
    assert ("'u.s.-led'" in network or "'us-led'" in network) and "logDice" in network
    # the one choice (numbers kept; the default drops them) is named with what it does to the
    # top-20 keywords: moved (token layer 3: a number enters them) or left unchanged
    assert "over the 1 choice is" in robust
    assert "'numbers' (keep) moves them most (Jaccard" in robust or "numbers (keep) leaves them unchanged" in robust
    assert "'numbers' (keep) moves them most" in robust


def test_demo_events_section_sentences_carry_the_numbers(fakes_corpus, tmp_path):
    """Notebook 08 run by `framescope demo` on FA-KES alone."""
    from framescope.demo import run_demo

    records = run_demo(fakes_corpus.path, tmp_path, {"N_BOOT": 20}, notebooks=("08",), progress=False)
    assert [r.name for r in records] == ["08_event_profile_en", "08_within_event_en"]
    for r in records:
        assert (tmp_path / f"{r.name}.png").stat().st_size > 10_000 and (tmp_path / f"{r.name}.pdf").is_file()
    profile, within = (r.sentence for r in records)
    assert "pairwise precision 0." in profile and "ARI 0." in profile and "outlets)" in profile
    assert "inside" in within and "shared events against" in within and "unmatched" in within


def test_demo_cli_sets_notebook_parameters_like_papermill(tmp_path, capsys):
    """`framescope demo -p NAME VALUE`: a name no notebook has is a one-line error, before
    anything is built or written."""
    from framescope.cli import main

    corpus, figures = tmp_path / "corpus", tmp_path / "figures"
    assert main(["demo", "--corpus", str(corpus), "--figures", str(figures), "-p", "NBOOT", "3"]) == 2
    assert "'NBOOT' is a parameter of none of the notebooks" in capsys.readouterr().err
    assert not corpus.exists() and not figures.exists()
