"""Test files mirror the modules they test (issue 15, item 8).

``tests/test_<name>.py`` tests the module whose dotted path below ``framescope`` ends in
``<name>`` with dots as underscores (``test_kwic.py`` → ``framescope.analysis.kwic``,
``test_framing_claims.py`` → ``framescope.analysis.framing.claims``,
``test_plots_rigour.py`` → ``framescope.analysis.plots.rigour``), optionally followed by
``_<aspect>`` for a second file on the same module (``test_framing_claims_devset.py``,
``test_loaders_web_api.py``). Tests that check the project as a whole have no module and
are listed in :data:`CROSS_CUTTING` with what they cover.
"""
from __future__ import annotations

import importlib
import pkgutil

from framescope.corpus.paths import PROJECT_ROOT

#: test file → what it covers instead of one module
CROSS_CUTTING = {
    "test_contract.py": "every public statistic against docs/columns.md",
    "test_docs.py": "the Sphinx build of the API reference (make docs)",
    "test_docstrings.py": "numpydoc validation of the whole public API",
    "test_layout.py": "this mapping of test files to modules",
    "test_layers.py": "the import-linter layers contract",
    "test_project.py": "packaging, the lock, CI and the repository",
    "test_readme.py": "the README's commands",
    "test_notebooks.py": "the notebooks and the demo end to end",
    "test_hostile_inputs.py": "hostile inputs through build, load and the loaders",
    "test_linear_patterns.py": "every regular expression on user text (text layer and claims)",
    "test_displays.py": "Jupyter displays of Corpus, KWIC and tables, and provenance attrs",
    "test_data_licences.py": "licences and attribution of the shipped data files (analysis/data/NOTICE.md)",
}


def module_tails() -> set[str]:
    """Every ``a_b_c`` a test file may be named after: the tails of each module's dotted path."""
    names = []
    for package in ("framescope", "framescope.corpus", "framescope.analysis"):
        names.append(package)
        names += [info.name for info in pkgutil.walk_packages(importlib.import_module(package).__path__,
                                                              package + ".")]
    tails = {"framescope"}
    for name in names:
        parts = [p for p in name.split(".")[1:] if not p.startswith("_")]
        tails |= {"_".join(parts[-k:]) for k in range(1, len(parts) + 1)}
    return tails


def test_every_test_file_mirrors_a_module():
    tails = module_tails()
    files = sorted(p.name for p in (PROJECT_ROOT / "tests").glob("test_*.py"))
    orphans = [f for f in files if f not in CROSS_CUTTING
               and not any(f[5:-3] == t or f[5:-3].startswith(t + "_") for t in tails)]
    assert not orphans, (f"test files named after no module: {orphans}; name them tests/test_<module>.py "
                         "(or list a project-wide test in CROSS_CUTTING with what it covers)")
    assert not set(CROSS_CUTTING) - set(files), "CROSS_CUTTING names a file that is gone"


def test_the_mapping_knows_the_layers():
    tails = module_tails()
    assert {"kwic", "framing_claims", "plots_rigour", "loaders_http", "commands_stats", "cli"} <= tails
