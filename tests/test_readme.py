"""The README's set-up and quick-start examples work as written."""
from __future__ import annotations

import os
import re
import shlex
import stat

import pandas as pd

from framescope.cli import main
from framescope.corpus.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _command(marker: str) -> list[str]:
    """The shell command of the README that contains ``marker`` (continuation lines joined)."""
    text = README.replace("\\\n", " ")
    line = next(l for l in text.splitlines() if marker in l)
    return shlex.split(line.split("#")[0])


def test_readme_csv_example_builds_from_the_shipped_example_table(seeds_dir, tmp_path, monkeypatch):
    argv = _command("csv:docs/examples/items.csv")
    assert argv[0] == ".venv/bin/framescope" and argv[1] == "build"
    monkeypatch.chdir(PROJECT_ROOT)  # the README's paths are relative to the repository
    argv = [a.replace("../shared/corpora/seeds", str(seeds_dir)) for a in argv[2:]]
    out = tmp_path / "mine"
    argv[argv.index("--out") + 1] = str(out)
    assert main(["build", *argv, "--no-progress"]) == 0
    docs = pd.read_parquet(out / "documents.parquet")
    items = docs[docs["collection"] == "items"].set_index("doc_id")
    table = pd.read_csv(PROJECT_ROOT / "docs" / "examples" / "items.csv")
    assert len(items) == len(table) == 6 and (pd.read_csv(out / "rejects.csv").empty)
    assert items.loc["items:ex-001", "title"].startswith("Air strikes hit school")
    assert items.loc["items:ex-001", "outlet"] == "reuters" and items.loc["items:ex-002", "source_type"] == "state_media"
    assert items.loc["items:ex-006", "lang"] == "ar" and str(items.loc["items:ex-003", "date"])[:10] == "2017-03-23"
    # an output folder gets the permissions of the umask, not a temporary folder's 0700
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask


def test_readme_papermill_line_runs_the_kernel_in_the_notebooks_folder():
    argv = _command(".venv/bin/papermill")
    assert argv[argv.index("--cwd") + 1] == "notebooks" and argv[1].startswith("notebooks/")


def test_readme_says_how_to_call_a_bare_framescope():
    assert re.search(r"activate the environment first\s+\(`source \.venv/bin/activate`", README)
    assert "Demo time on two cores" in README or re.search(r"About [\d½]+ min", README)
