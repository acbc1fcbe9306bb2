"""Project set-up: the dependency lists agree, the CLI and packages are wired."""
import re
import tomllib
from pathlib import Path

import yaml

from corpus.paths import PROJECT_ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_pyproject_dependencies():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_list = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"]}
    listed = {_name(r): r.replace(" ", "") for r in pip_list if not r.startswith("-e")}
    assert listed == wanted
    assert "-e ." in pip_list
    assert "python=3.11" in env["dependencies"]


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
