"""numpydoc docstrings on the public API (issue 15, item 7), checked by ``numpydoc.validate``.

The public API is every name of ``framescope.PUBLIC`` (``fs.*``; for ``fs.plot`` its
functions) and the public functions and classes of every module of ``framescope.corpus``
and ``framescope.analysis``: the names in the module's ``__all__`` if it has one, otherwise
the names without a leading underscore that the module defines. Each must have a docstring
that passes the checks of :data:`CHECKS` (summary, Parameters that match the signature,
Returns/Yields, ...), and the functions of :data:`REFERENCES` must cite their method.

Modules listed in ``docs/api/pending.txt`` are being documented on other branches: their
test is an expected failure that lists the problems, and an entry whose modules all pass
fails :func:`test_every_pending_entry_is_still_needed` until its line is removed. The lead
empties that file after merging. :data:`ALLOW` holds the few single exceptions, each with
its reason.
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
import warnings

import pytest

import framescope
from framescope.corpus.paths import PROJECT_ROOT

numpydoc_validate = pytest.importorskip("numpydoc.validate")

#: numpydoc checks every public docstring must pass (numpydoc.readthedocs.io, "Validation")
CHECKS = {
    "GL08",  # no docstring
    "SS01", "SS02", "SS03",  # a summary line, starting with a capital, ending with a period
    "PR01", "PR02",  # every parameter documented, none unknown
    "PR03",  # parameters in the order of the signature
    "PR04", "PR07", "PR10",  # each with a type and a description; "name : type"
    "RT01", "RT03",  # a Returns section for functions that return, with a description
    "YD01",  # a Yields section for generators
}

#: (module, name) → why it is exempt. Keep it short.
ALLOW: dict[tuple[str, str], str] = {}

#: function → names that its References (or text) must cite: the method's source in the literature
#: ("A|B": either)
REFERENCES = {
    "framescope.analysis.measures.g2": ["Dunning"],
    "framescope.analysis.measures.log_ratio": ["Hardie"],
    "framescope.analysis.measures.logodds_z": ["Monroe"],
    "framescope.analysis.measures.logdice": ["Rychl"],
    "framescope.analysis.measures.adjust_pvalues": ["Benjamini"],
    "framescope.analysis.keyness.keyness": ["Dunning", "Hardie", "Monroe"],
    "framescope.analysis.keyness.keyness_groups": ["Dunning", "Hardie"],
    "framescope.analysis.collocations.collocates": ["Rychl", "Evert"],
    "framescope.analysis.collocations.bigram_collocations": ["Dunning|Manning"],
    "framescope.analysis.counts.frequencies": ["Gries"],
    "framescope.analysis.topics.fitting.fit_lda": ["Blei", "Hoffman"],
    "framescope.analysis.topics.ksearch.k_search": ["Mimno"],
    "framescope.analysis.rigour.keyness_review": ["Benjamini", "Lijffijt"],
    "framescope.analysis.groups.document_groups": ["Lijffijt"],
    "framescope.analysis.event_compare.within_event_difference": ["Wooldridge", "Cameron"],
    "framescope.analysis.event_compare.wilson_interval": ["Wilson"],
    "framescope.corpus.dedup.Deduplicator": ["Broder"],
}


def pending_modules() -> dict[str, str]:
    """Module → helper, from docs/api/pending.txt."""
    lines = (PROJECT_ROOT / "docs" / "api" / "pending.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split()[:2] for line in lines if line.strip() and not line.startswith("#"))


def library_modules() -> list[str]:
    """Every public module of framescope.corpus and framescope.analysis (no ``_name`` modules)."""
    names = []
    for package in ("framescope.corpus", "framescope.analysis"):
        pkg = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return sorted(names)


def module_api(module_name: str) -> list[tuple[str, object]]:
    """The public functions and classes of one module: its ``__all__``, or the public names it defines."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(module, name, None)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
            out.append((name, obj))
    return out


def public_api() -> dict[str, list[tuple[str, object]]]:
    """Module → its public (name, object); ``fs.*`` names are checked in their defining module."""
    api: dict[str, dict[str, object]] = {}
    for module_name in library_modules():
        api.setdefault(module_name, {}).update(module_api(module_name))
    for name, spec in framescope.PUBLIC.items():
        module, _, attr = spec.partition(":")
        obj = getattr(framescope, name)
        if inspect.ismodule(obj):                          # fs.plot: its functions
            for sub, fn in vars(obj).items():
                if inspect.isfunction(fn) and not sub.startswith("_"):
                    api.setdefault(fn.__module__, {})[fn.__qualname__] = fn
        elif inspect.isfunction(obj) or inspect.isclass(obj):
            api.setdefault(obj.__module__, {})[obj.__qualname__] = obj
    return {m: sorted(names.items()) for m, names in sorted(api.items())}


def pending_owner(module_name: str) -> str | None:
    for module, owner in pending_modules().items():
        if module_name == module or module_name.startswith(module + "."):
            return owner
    return None


def problems(module_name: str, name: str, obj) -> list[str]:
    """The failed checks of one object, as ``module.name: CODE message`` lines."""
    if (module_name, name) in ALLOW:
        return []
    result = numpydoc_validate.validate(f"{module_name}.{name}")
    out = [f"{module_name}.{name}: {code} {message}" for code, message in result["errors"] if code in CHECKS]
    required = REFERENCES.get(f"{module_name}.{name}", [])
    doc = inspect.getdoc(obj) or ""
    missing = [author for author in required if not any(name in doc for name in author.split("|"))]
    if missing:
        out.append(f"{module_name}.{name}: REF does not cite {', '.join(missing)}")
    return out


API = public_api()


@pytest.mark.parametrize("module_name", list(API))
def test_public_docstrings_pass_numpydoc_validation(module_name):
    found = [line for name, obj in API[module_name] for line in problems(module_name, name, obj)]
    owner = pending_owner(module_name)
    if found and owner:
        pytest.xfail(f"pending: docstrings by {owner} (docs/api/pending.txt); {len(found)} problems:\n"
                     + "\n".join(found))
    assert not found, f"{len(found)} docstring problems in {module_name}:\n" + "\n".join(found)


def test_every_pending_entry_is_still_needed():
    """An entry of docs/api/pending.txt whose modules all pass must leave the list (the lead empties it).

    One test over every entry (not one per entry: an empty list would show as a skip). An
    entry outside the validated API serves the docs build (docs/conf.py) and is not checked here.
    """
    passing = []
    for entry in pending_modules():
        covered = [m for m in API if m == entry or m.startswith(entry + ".")]
        if covered and not [line for m in covered for name, obj in API[m] for line in problems(m, name, obj)]:
            passing.append(entry)
    assert not passing, f"{', '.join(passing)} pass numpydoc validation now: remove their lines from docs/api/pending.txt"


def test_the_public_api_is_found():
    """The collection itself: fs.* names, the library modules, and the functions cited in REFERENCES."""
    assert {"framescope.analysis.keyness", "framescope.corpus.registry", "framescope.analysis.kwic"} <= set(API)
    names = {f"{m}.{n}" for m, items in API.items() for n, _ in items}
    assert {"framescope.analysis.counts.dtm", "framescope.analysis.plots.statistics.plot_keyness"} <= names
    assert set(REFERENCES) <= names, sorted(set(REFERENCES) - names)
    assert set(ALLOW) <= {(m, n) for m, items in API.items() for n, _ in items}, "stale ALLOW entries"


def test_pending_entries_name_framescope_modules():
    """Every line of docs/api/pending.txt is ``module owner`` with a ``framescope.`` module name.

    An entry may name a module another branch adds or removes: that is reported as a
    warning, not a failure; the lead drops the line once merged.
    """
    lines = (PROJECT_ROOT / "docs" / "api" / "pending.txt").read_text(encoding="utf-8").splitlines()
    bad = [line for line in lines if line.strip() and not line.startswith("#")
           and not re.fullmatch(r"framescope(\.\w+)+\s+\S+(\s.*)?", line.strip())]
    assert not bad, f"docs/api/pending.txt: not 'framescope.module owner': {bad}"
    for entry in pending_modules():
        try:
            found = importlib.util.find_spec(entry) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            warnings.warn(f"{entry} does not exist on this branch (added or removed by its owner's branch; "
                          "remove its line from docs/api/pending.txt once merged)", stacklevel=1)


def test_checks_catch_an_undocumented_parameter():
    """The validation is real: a function with an undocumented parameter and no Returns fails."""
    import types

    mod = types.ModuleType("framescope_probe")

    def probe(corpus, n_boot=1000):
        """Count something.

        Parameters
        ----------
        corpus : Corpus
            The corpus.
        """
        return n_boot

    probe.__module__ = mod.__name__
    mod.probe = probe
    import sys

    sys.modules[mod.__name__] = mod
    try:
        found = problems(mod.__name__, "probe", probe)
    finally:
        del sys.modules[mod.__name__]
    codes = {line.split(": ")[1].split()[0] for line in found}
    assert {"PR01", "RT01"} <= codes, found
