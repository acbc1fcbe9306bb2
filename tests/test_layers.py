"""The layer contract of pyproject.toml ([tool.importlinter]) holds: no upward import, no
cycle between the statistics packages, the library never imports the CLI (issue 15).

lint-imports reads packages from their folders; corpus/ and analysis/ are mapped into
framescope by package-dir, so the check runs on a copy of the three folders laid out as
installed (framescope/, framescope/corpus/, framescope/analysis/).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_lint_imports_keeps_the_layers(tmp_path):
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if lint is None:
        pytest.fail("lint-imports is missing: pip install -e '.[dev]' (import-linter is in the dev extra)")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "data")
    shutil.copytree(ROOT / "framescope", tmp_path / "framescope", ignore=ignore)
    for lib in ("corpus", "analysis"):
        shutil.copytree(ROOT / lib, tmp_path / "framescope" / lib, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([lint, str(tmp_path / "pyproject.toml")], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_public_namespace_resolves_every_name():
    import framescope as fs

    for name in fs.PUBLIC:
        assert getattr(fs, name) is not None, name
    import framescope.analysis.tokens as tokens_module

    assert type(tokens_module).__name__ == "module"  # not the function tokens()


def test_every_package_folder_is_installed():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for top, folder in (("framescope", "framescope"), ("framescope.corpus", "corpus"),
                        ("framescope.analysis", "analysis")):
        for init in (ROOT / folder).rglob("__init__.py"):
            found.add(".".join([top, *init.parent.relative_to(ROOT / folder).parts]))
    found.add("framescope.notebooks")  # notebooks/: package data that framescope demo runs (no modules)
    assert found == listed, "rerun python tools/restructure.py to list new packages"


def test_no_package_binds_a_name_over_its_submodule():
    """``import framescope.analysis.framing.claims as m`` gives the module (issue 15): no
    ``__init__`` re-exports a function under the name of one of its submodules."""
    import importlib
    import pkgutil
    import types

    for name in ("framescope.analysis", "framescope.analysis.framing", "framescope.analysis.topics",
                 "framescope.analysis.plots", "framescope.corpus", "framescope.commands"):
        pkg = importlib.import_module(name)
        for info in pkgutil.iter_modules(pkg.__path__):
            sub = importlib.import_module(f"{name}.{info.name}")
            assert getattr(pkg, info.name) is sub, f"{name}.{info.name} is not the module"
            assert isinstance(sub, types.ModuleType)
