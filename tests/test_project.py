"""Project set-up: the dependency lists agree, the CLI and packages are wired."""
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
    tracked = [p for p in PROJECT_ROOT.rglob("*") if ".git" not in p.parts and ".venv" not in p.parts
               and ".cache" not in p.parts]
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
