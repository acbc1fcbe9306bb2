"""Project set-up: the dependency lists agree, the CLI and packages are wired."""
import os
import re
import tomllib
from pathlib import Path

import yaml

from framescope.corpus.paths import PROJECT_ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_installs_the_dev_extra_in_pyprojects_python_range():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_list = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_list == ["-e .[dev]"]  # dependencies and their ranges come from pyproject.toml itself
    assert "pytest" in " ".join(project["optional-dependencies"]["dev"])
    assert f"python{project['requires-python']}" in env["dependencies"]


def test_lock_pins_every_dependency_exactly():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lines = [l for l in (PROJECT_ROOT / "requirements.lock").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    pinned = {_name(l): l for l in lines}
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^=\s]+", l) for l in lines), "only name==version lines"
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(req) in pinned, f"{_name(req)} is not in requirements.lock (run make lock)"
    assert "framescope" not in pinned and "pip" not in pinned
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "pip install -r $(LOCK)" in makefile and "--no-deps -e '.[dev]'" in makefile
    assert "--upgrade pip" not in makefile


def test_ci_runs_make_test_only():
    run = (PROJECT_ROOT / ".ci" / "run").read_text()
    commands = [l for l in run.splitlines() if l.strip() and not l.startswith("#")
                and not l.startswith(("set ", "cd "))]
    assert commands == ["make test"]


def test_readme_gives_the_two_setup_commands():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme


def test_shared_data_is_not_in_the_repo():
    # os.walk, pruned: not into .venv or the test cache, where another xdist worker may be
    # renaming a folder away mid-walk (rglob stops on a folder that vanished)
    tracked = []
    for folder, dirs, files in os.walk(PROJECT_ROOT):
        dirs[:] = [d for d in dirs if d not in (".git", ".venv", ".cache")]
        tracked += [Path(folder) / f for f in files + dirs]
    assert len(tracked) > 100 and PROJECT_ROOT / "README.md" in tracked
    assert not [p for p in tracked if p.name in ("FA-KES-Dataset.csv",) or re.fullmatch(r"2015-0[78]-\d+\.zip", p.name)]


def test_package_works_outside_the_repository(tmp_path):
    """From another folder only the installed ``framescope`` namespace is importable (no
    top-level corpus/ or analysis/ on sys.path): every module imports and every shipped data
    file (registry, lexicons, gazetteer, glossary, sentence model) is found."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, framescope\n"
        "import framescope.corpus as c, framescope.analysis as a\n"
        "for pkg in (framescope, c, a):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "assert not [k for k in sys.modules if k.split('.')[0] in ('corpus', 'analysis')]\n"
        "from framescope.corpus.registry import load_registry\n"
        "from framescope.analysis.events import gazetteer\n"
        "from framescope.analysis.framing.lexicon import casualty_lexicon\n"
        "from framescope.analysis.plots.names import gloss\n"
        "from framescope.analysis.token_sentences import split_sentences\n"
        "assert len(load_registry()) > 50 and len(gazetteer()) > 500 and casualty_lexicon()\n"
        "assert split_sentences('Dr. Smith left. He came back.', 'en') == ['Dr. Smith left.', 'He came back.']\n"
        "print('ok')\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_test_cache_corpus_built_by_workers_at_once(seeds_dir, tmp_path):
    """`make test` runs pytest-xdist workers: three processes asking tests/conftest.py for the
    same cached corpus at once all get it (one builds, the others wait and reuse it), where
    `build` alone would stop the second with "another framescope run is writing"."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, sys.argv[1]); import conftest\n"
            "c = conftest.built('seeds', ['text:' + sys.argv[2]])\n"
            "print(c.corpus_id, len(c.documents))\n")
    env = {**os.environ, "FRAMESCOPE_TEST_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-c", code, str(PROJECT_ROOT / "tests"), str(seeds_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(3)]
    results = [(run.communicate(timeout=300), run.returncode) for run in runs]
    assert all(code == 0 for _, code in results), [err[-1000:] for (_, err), _ in results]
    assert len({out for (out, _), _ in results}) == 1
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")] == \
        [f"seeds-{__import__('conftest').CODE_HASH}"]
