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
