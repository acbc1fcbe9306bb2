"""Sphinx configuration of framescope's API reference (``make docs``).

Offline by design: no intersphinx, no remote images, no theme downloads; the build reads
only this repository and the installed packages. Warnings are errors (``-W --keep-going``
in the Makefile) and references are nitpicky, except references to third-party types
(pandas, numpy, ...) that would need intersphinx to resolve.
"""
from __future__ import annotations

import importlib.metadata

project = "framescope"
author = "framescope developers"
copyright = "framescope developers"
release = version = importlib.metadata.version("framescope")

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# the user guides are the Markdown pages of docs/ (read by myst-parser); the data files,
# the generated module pages' templates and the snippet that the demo pastes elsewhere are not pages
exclude_patterns = ["_build", "_templates", "examples", "figures_readme_snippet.md", "*.csv",
                    "api/generated/public.rst"]   # included by api/index.rst
# large_corpora.md starts at a level-2 heading (it is pasted into the README too); a ```csv
# block has no Pygments lexer and is shown as plain text
suppress_warnings = ["myst.header", "misc.highlighting_failure"]

# --- autodoc / autosummary: one page per module, generated at build time into api/generated
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {
    "members": True,
    # document each name where it is defined (an __all__ that re-exports would document it twice)
    "ignore-module-all": True,
    "member-order": "bysource",
}
autodoc_typehints = "none"          # the types are in the numpydoc Parameters sections
autodoc_mock_imports: list[str] = []
autoclass_content = "class"

# --- numpydoc
numpydoc_show_class_members = False   # autodoc lists the members; numpydoc's tables would repeat them
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()   # tests/test_docstrings.py validates, with its own allow-list

# --- MyST: the existing Markdown guides of docs/
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

# --- nitpicky, without intersphinx: third-party and standard-library names cannot resolve offline
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(pd|pandas|np|numpy|scipy|sparse|nx|networkx|matplotlib|plt|mpl|gensim|dask|distributed|"
               r"pathlib|os|typing|collections|datetime|dataclasses|re|io|json|concurrent|types|tqdm|"
               r"lxml|requests|pyarrow|pa|warcio|nltk|importlib|sklearn|logging|argparse|pytest)(\..*)?"),
    (r"py:.*", r"(Path|DataFrame|Series|Figure|Axes|Index|ndarray|Iterator|Iterable|Callable|Mapping|Sequence|"
               r"Any|Optional|Union|Literal|PathLike|Generator|datetime|date|Timestamp)"),
]

# --- HTML: the theme that ships with Sphinx (nothing fetched)
html_theme = "alabaster"
html_title = f"framescope {release}"
html_static_path: list[str] = []
html_show_sourcelink = False


# --- the table of ``fs.*``: written from framescope.PUBLIC at every build (git-ignored)
def _public_table() -> str:
    import inspect
    import re

    import framescope

    rows = []
    for name, spec in sorted(framescope.PUBLIC.items()):
        module, _, attr = spec.partition(":")
        if name == "__version__":
            continue
        obj = getattr(framescope, name)
        if not attr:
            role, target = "mod", module
        else:
            role = "class" if inspect.isclass(obj) else "func"
            target = f"{module}.{attr}"
        doc = inspect.getdoc(obj) or ""
        summary = doc.strip().split("\n\n")[0].replace("\n", " ")
        # the summary leaves its module: its references become plain code
        summary = re.sub(r":[\w:]+:`~?([^`<]*?)(?: <[^`]*>)?`", r"``\1``", summary)
        rows.append(f"   * - ``fs.{name}``\n     - :py:{role}:`~{target}`\n     - {summary}")
    head = (".. list-table::\n   :header-rows: 1\n   :widths: 20 25 55\n\n"
            "   * - name\n     - defined as\n     - summary\n")
    return head + "\n".join(rows) + "\n"


def _write_public_table() -> None:
    from pathlib import Path

    out = Path(__file__).parent / "api" / "generated" / "public.rst"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = _public_table()
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


_write_public_table()


# --- short references: ``:func:`run_topics``` from anywhere, and names re-exported by a package
# (``framescope.analysis.topics.compare_groups``) resolve to the one place where the object is
# documented; an ambiguous or unknown name stays a (nitpicky) warning.
_ROLE_TYPES = {"func": ("function", "method"), "meth": ("method", "function"), "class": ("class", "exception"),
               "exc": ("exception", "class"), "data": ("data", "attribute"), "attr": ("attribute", "property", "data"),
               "mod": ("module",), "obj": ("function", "class", "method", "data", "attribute", "module", "exception")}


def _public_targets() -> set[str]:
    import framescope

    return {spec.replace(":", ".") for spec in framescope.PUBLIC.values()}


_PUBLIC_TARGETS = _public_targets()


def _resolve_missing(app, env, node, contnode):
    import importlib

    from sphinx.util.nodes import make_refnode

    if node.get("refdomain") != "py":
        return None
    objects = env.get_domain("py").objects
    target = node["reftarget"].lstrip("~.")
    name = None
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):      # import resolution: where the object is defined
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except (ImportError, AttributeError):
            continue
        real = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
        name = real if real in objects else None
        break
    if name is None:                               # a unique documented object of that (dotted) name
        types = _ROLE_TYPES.get(node.get("reftype"), ())
        found = [k for k in objects if (k == target or k.endswith("." + target)) and objects[k].objtype in types]
        # several: an ``fs.*`` object first, then the role's own kind (a function before a method)
        rank = {k: (k not in _PUBLIC_TARGETS, types.index(objects[k].objtype)) for k in found}
        best = [k for k in found if rank[k] == min(rank.values())]
        if len(best) != 1:
            return None
        name = best[0]
    entry = objects[name]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name)


# --- modules other helpers are documenting (docs/api/pending.txt): their warnings are counted
# and printed, not raised, until the lead empties that file after merging
def _pending() -> list[str]:
    from pathlib import Path

    lines = (Path(__file__).parent / "api" / "pending.txt").read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


PENDING = _pending()


def _pending_module(text: str) -> str | None:
    import re

    for found in re.findall(r"docstring of ([\w.]+)|generated/([\w.]+)\.rst|target not found: ([\w.]+)", text):
        name = "".join(found).rstrip(".")
        for module in PENDING:
            if name == module or name.startswith(module + "."):
                return module
    return None


def _where(record) -> str:
    """The text that locates a log record: its location (a node, (docname, line) or text) and message."""
    location = getattr(record, "location", None)
    if location is not None and hasattr(location, "source"):
        location = f"{location.source} {getattr(location.parent, 'source', '')}"
    return f"{location} {record.getMessage()}"


class _PendingFilter:
    """A logging filter dropping (and counting, once each) warnings located in a pending module."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def filter(self, record) -> bool:
        import logging

        if record.levelno < logging.WARNING:
            return True
        module = _pending_module(_where(record))
        if module is None:
            return True
        self.counts[module] = self.counts.get(module, 0) + 1
        return False


def _literal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``:mpltype:`` of matplotlib's generated ``Artist.set`` docstrings, shown as code."""
    from docutils import nodes

    return [nodes.literal(rawtext, text)], []


def setup(app):
    import logging
    import os

    app.connect("missing-reference", _resolve_missing)
    app.add_role("mpltype", _literal_role)
    # FRAMESCOPE_DOCS_STRICT=1 raises the pending modules' warnings too
    if os.environ.get("FRAMESCOPE_DOCS_STRICT") == "1":
        return {"parallel_read_safe": True}
    pending = _PendingFilter()
    for handler in logging.getLogger("sphinx").handlers:
        if handler.level >= logging.WARNING:      # the warning handler: before it counts or raises
            handler.filters.insert(0, pending)

    def report(app, exception):
        if pending.counts:
            total = sum(pending.counts.values())
            detail = ", ".join(f"{m} {n}" for m, n in sorted(pending.counts.items()))
            print(f"docs: {total} warnings not raised, in modules pending docstring work "
                  f"(docs/api/pending.txt): {detail}")

    app.connect("build-finished", report)
    return {"parallel_read_safe": True}


# --- numpydoc makes a new Jinja environment and compiles its docstring template anew for every
# docstring it renders (about 3,600 compiles in this build, a fifth of its time); the template is
# the same file all build long, so it is compiled once and reused (the pages are the same bytes)
def _compile_numpydoc_template_once() -> None:
    import numpydoc.docscrape_sphinx as docscrape_sphinx

    class OneTemplate(docscrape_sphinx.SandboxedEnvironment):
        compiled: dict = {}

        def get_template(self, name, *args, **kwargs):
            if name not in self.compiled:
                self.compiled[name] = super().get_template(name, *args, **kwargs)
            return self.compiled[name]

    docscrape_sphinx.SandboxedEnvironment = OneTemplate


_compile_numpydoc_template_once()
