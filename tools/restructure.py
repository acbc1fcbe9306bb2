#!/usr/bin/env python3
"""Move framescope into one namespace, ``framescope`` (issue 15). Idempotent: run it at the
repository root, as often as you like, on whatever tree the branches merged into::

    python tools/restructure.py            # apply (uses git mv for the moves)
    python tools/restructure.py --dry-run  # say what would change

What it does, pattern-based so that it also rewrites files added after it was written:

1. Namespace. ``corpus/`` and ``analysis/`` stay at the top of the repository but install
   as ``framescope.corpus`` and ``framescope.analysis`` (setuptools ``package-dir``), so
   nothing named ``corpus`` or ``analysis`` lands in site-packages. A small top-level
   ``framescope/`` folder holds the public entry (``import framescope as fs``:
   ``fs.build``, ``fs.load``, ``fs.tokens``, ``fs.dfm``, ``fs.freq``, ``fs.kwic``,
   ``fs.keyness``, ``fs.collocates``, topics, framing, ``fs.plot.*``) and the application
   layer.
2. Moves (``git mv``). The application layer leaves the library packages: ``corpus/cli.py``
   → ``framescope/cli.py``; ``corpus/commands.py`` → ``framescope/commands/build.py``;
   every ``corpus/commands_X.py`` and ``analysis/commands_X.py`` →
   ``framescope/commands/X.py``; ``analysis/demo.py`` → ``framescope/demo.py``;
   ``analysis/report.py`` → ``framescope/report.py``. A module that imports upward moves to
   the layer it belongs to: ``corpus/export.py`` (tokenises) → ``analysis/export.py``;
   ``ensure_default_corpus`` (a library function living in a CLI module, imported by the
   demo and the notebooks) → ``corpus/build.py``.
3. Imports. Every ``corpus…``/``analysis…`` module reference in every tracked or new
   ``.py``, ``.ipynb`` (cell sources), ``.md``, ``.toml``, ``.cfg``, ``.txt`` file and the
   Makefile becomes absolute ``framescope.corpus…``/``framescope.analysis…`` (or the
   moved module's new name): ``from``/``import`` statements (split when some names moved),
   and, in strings and comments, dotted names whose first part is a real module of the
   package (mock patch targets, ``importlib`` names, ``-m corpus.cli``,
   ``COMMAND_MODULES``, :func:`analysis.x` references). Names that ``analysis/__init__.py``
   re-exported are imported from their own module.
4. The console script points at ``framescope.cli:main``.
5. ``analysis/__init__.py`` re-exports nothing (``import framescope.analysis.tokens as t``
   gives the module, not the function ``tokens``).
6. pyproject.toml gets the package list, ``package-dir``, package data, the console script,
   ``import-linter`` in the dev extra and the layer contract ``[tool.importlinter]``
   (between marker comments, regenerated on every run); ``tests/test_layers.py`` runs
   ``lint-imports`` so that an upward import or a cycle fails ``make test``.

It prints what it could not do by itself (``MANUAL:`` lines). Exit status 0.
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path.cwd()
LIBS = ("corpus", "analysis")
NS = "framescope"
#: folders installed as package data, not as modules: the notebooks, which ``framescope demo``
#: runs from an installed wheel too (their __init__.py empties __path__)
DATA_PACKAGES = {f"{NS}.notebooks": ("notebooks", ["*.py", "*.ipynb"])}

#: Fixed moves (repository paths, file or package folder); the commands_*.py pattern is added.
FIXED_MOVES = {
    "corpus/cli.py": "framescope/cli.py",
    "corpus/commands.py": "framescope/commands/build.py",
    "analysis/demo.py": "framescope/demo.py",
    "analysis/report.py": "framescope/report.py",
    "corpus/export.py": "analysis/export.py",
}
#: Functions that move to another module: (old module, name) → new module (old-style name).
SYMBOL_MOVES = {("corpus.commands", "ensure_default_corpus"): "corpus.build"}

#: The public namespace: name → "module:attribute" (module in old-style dotted form) or
#: "module" for a submodule. Entries whose target does not exist are left out with a warning.
PUBLIC = {
    "__version__": "corpus:__version__",
    "FramescopeError": "corpus.errors:FramescopeError",
    "Corpus": "corpus.store:Corpus",
    "build": "corpus.build:build",
    "load": "corpus.store:load",
    "ensure_default_corpus": "corpus.build:ensure_default_corpus",
    "TokenOptions": "analysis.token_options:TokenOptions",
    "tokens": "analysis.tokens:tokens",
    "tokenize": "analysis.token_words:tokenize",
    "split_sentences": "analysis.token_sentences:split_sentences",
    "dfm": "analysis.counts:dtm",
    "DocumentTermMatrix": "analysis.counts:DocumentTermMatrix",
    "freq": "analysis.counts:frequencies",
    "kwic": "analysis.kwic:kwic",
    "keyness": "analysis.keyness:keyness",
    "keyness_groups": "analysis.keyness:keyness_groups",
    "collocates": "analysis.collocations:collocates",
    "bigram_collocations": "analysis.collocations:bigram_collocations",
    "ngrams": "analysis.collocations:ngrams",
    "TopicConfig": "analysis.topics:TopicConfig",
    "run_topics": "analysis.topics:run_topics",
    "bag_of_words": "analysis.topics:bag_of_words",
    "fit_lda": "analysis.topics:fit_lda",
    "k_search": "analysis.topics:k_search",
    "topic_stability": "analysis.topics:topic_stability",
    "consensus_topics": "analysis.topics:consensus_topics",
    "topic_prevalence": "analysis.topics:compare_groups",
    "prevalence_effects": "analysis.topics:prevalence_effects",
    "frame_network": "analysis.topics:frame_network",
    "claims": "analysis.framing.claims:claims",
    "claims_comparison": "analysis.framing.claims:claims_comparison",
    "actors": "analysis.framing.actors:actors",
    "markers": "analysis.framing.markers:markers",
    "agency": "analysis.framing.agency:agency",
    "events": "analysis.events:events",
    "EventConfig": "analysis.events:EventConfig",
    "within_event_difference": "analysis.event_compare:within_event_difference",
    "document_groups": "analysis.groups:document_groups",
    "plot": "analysis.plots",
}

#: The layers, top to bottom, for import-linter (old-style module names). Siblings joined by
#: " | " must not import each other; by " : " they may. A module of analysis/ in no layer is
#: reported (MANUAL); corpus/ is the bottom layer as a whole.
LAYERS = [
    ("application", " : ", ["framescope.cli", "framescope.commands", "framescope.demo", "framescope.report"]),
    ("plots", " | ", ["analysis.plots"]),
    ("event matching", " : ", ["analysis.events", "analysis.event_compare"]),
    ("review", " | ", ["analysis.rigour", "analysis.robustness", "analysis.networks", "analysis.trace"]),
    ("statistics", " : ", ["analysis.keyness", "analysis.collocations", "analysis.topics", "analysis.framing",
                           "analysis.kwic"]),
    ("counts", " | ", ["analysis.counts", "analysis.export"]),
    ("partitions", " | ", ["analysis.partitioned"]),
    ("measures and groups", " | ", ["analysis.measures", "analysis.groups", "analysis.resampling"]),
    ("tokens", " : ", ["analysis.tokens", "analysis.token_rules", "analysis.arabic_clitics",
                       "analysis.token_store", "analysis.surface", "analysis.arabic_clitics_eval",
                       "analysis.token_options", "analysis.token_sentences", "analysis.token_words"]),
    ("sources and store", " | ", ["corpus"]),
]
#: Statistics families that must stay independent of each other.
INDEPENDENT = ["analysis.keyness", "analysis.kwic", "analysis.topics", "analysis.framing"]

MANUAL: list[str] = []
DRY = False


def log(msg: str) -> None:
    print(msg)


def manual(msg: str) -> None:
    MANUAL.append(msg)


def git(*args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=check, capture_output=True, text=True).stdout


# --- module names ------------------------------------------------------------------------------

def path_to_module(rel: str) -> str:
    p = Path(rel)
    parts = list(p.with_suffix("").parts) if p.suffix == ".py" else list(p.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def planned_moves() -> dict[str, str]:
    """Repository path → new repository path, for moves still to do or done."""
    moves = dict(FIXED_MOVES)
    seen = {}
    for lib in LIBS:
        for f in sorted((ROOT / lib).glob("commands_*.py")):
            rel = f.relative_to(ROOT).as_posix()
            target = f"{NS}/commands/{f.stem[len('commands_'):]}.py"
            if target in seen:
                sys.exit(f"restructure: {rel} and {seen[target]} would both become {target}")
            seen[target] = rel
            moves[rel] = target
    # on a rerun the commands_X.py are gone: framescope/commands/X.py was corpus/ or analysis/commands_X.py
    done = ROOT / NS / "commands"
    if done.is_dir():
        for f in sorted(done.glob("*.py")):
            if f.stem not in ("__init__", "build"):
                for lib in LIBS:
                    moves.setdefault(f"{lib}/commands_{f.stem}.py", f"{NS}/commands/{f.name}")
    return moves


def module_moves(moves: dict[str, str]) -> dict[str, str]:
    """Old dotted module (``corpus.cli``) → final dotted module (``framescope.cli``)."""
    out = {}
    for old, new in moves.items():
        new_mod = path_to_module(new)
        if not new_mod.startswith(NS + "."):
            new_mod = f"{NS}.{new_mod}"
        out[path_to_module(old)] = new_mod
    return out


def known_modules() -> dict[str, set[str]]:
    """First-level module and subpackage names of each library package (after the moves)."""
    names: dict[str, set[str]] = {}
    for lib in LIBS:
        found = set()
        for p in (ROOT / lib).iterdir():
            if p.suffix == ".py" and p.stem != "__init__":
                found.add(p.stem)
            elif p.is_dir() and (p / "__init__.py").is_file():
                found.add(p.name)
        names[lib] = found
    return names


class Namer:
    """Maps old-style dotted module names to the new ones."""

    def __init__(self, mod_moves: dict[str, str], known: dict[str, set[str]]):
        self.mod_moves, self.known = mod_moves, known
        for old in mod_moves:  # moved-away modules are known under their old name too
            lib, _, rest = old.partition(".")
            if rest:
                self.known.setdefault(lib, set()).add(rest.split(".")[0])

    def new(self, old: str) -> str:
        for src in sorted(self.mod_moves, key=len, reverse=True):
            if old == src or old.startswith(src + "."):
                return self.mod_moves[src] + old[len(src):]
        return f"{NS}.{old}"

    def is_module_ref(self, dotted: str) -> bool:
        lib, _, rest = dotted.partition(".")
        return lib in LIBS and (not rest or rest.split(".")[0] in self.known.get(lib, ()))


# --- step 2: moves ------------------------------------------------------------------------------

def do_moves(moves: dict[str, str]) -> None:
    for old, new in moves.items():
        src, dst = ROOT / old, ROOT / new
        if src.exists() and not dst.exists():
            log(f"git mv {old} {new}")
            if not DRY:
                dst.parent.mkdir(parents=True, exist_ok=True)
                git("mv", old, new)
        elif src.exists() and dst.exists():
            manual(f"both {old} and {new} exist: merge them by hand")
    if not DRY:
        for pkg in (ROOT / NS, ROOT / NS / "commands"):
            pkg.mkdir(parents=True, exist_ok=True)
        init = ROOT / NS / "commands" / "__init__.py"
        if not init.exists():
            init.write_text('"""``framescope`` subcommands: one module per stage, each with '
                            '``add_commands(subparsers)``."""\n')


def move_function(src_rel: str, name: str, dst_rel: str) -> None:
    """Cut top-level function ``name`` out of ``src_rel`` and append it to ``dst_rel``."""
    src, dst = ROOT / src_rel, ROOT / dst_rel
    if not src.is_file() or not dst.is_file():
        return
    dst_text = dst.read_text(encoding="utf-8")
    if re.search(rf"^def {name}\b", dst_text, re.M):
        return
    text = src.read_text(encoding="utf-8")
    node = next((n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if node is None:
        return
    lines = text.splitlines(keepends=True)
    start = node.lineno - 1 - len(node.decorator_list)
    body = "".join(lines[start:node.end_lineno])
    rest = "".join(lines[:start]).rstrip("\n") + "\n\n\n" + "".join(lines[node.end_lineno:]).lstrip("\n")
    own = path_to_module(dst_rel)
    # the function's own imports of the destination module are not needed there
    body = re.sub(rf"^[ \t]+from {re.escape(own)} import [^\n]*\n", "", body, flags=re.M)
    if re.search(rf"\b{name}\b", rest):
        rest = re.sub(r"^(from __future__ import annotations\n)", rf"\1\nfrom {own} import {name}\n", rest, 1,
                      flags=re.M)
    log(f"move function {name}: {src_rel} -> {dst_rel}")
    if not DRY:
        src.write_text(rest.rstrip("\n") + "\n", encoding="utf-8")
        dst.write_text(dst_text.rstrip("\n") + "\n\n\n" + body.rstrip("\n") + "\n", encoding="utf-8")
        if "Path(" in body and not re.search(r"^from pathlib import .*\bPath\b", dst_text, re.M):
            manual(f"{dst_rel}: {name} uses Path; check that pathlib.Path is imported")


# --- step 3: rewriting ----------------------------------------------------------------------------

FROM_RE = re.compile(r"^(?P<indent>[ \t]*)from[ \t]+(?P<mod>(?:corpus|analysis)(?:\.\w+)*)[ \t]+import[ \t]+"
                     r"(?P<names>\([^)]*\)|[^\n]*)", re.M)
IMPORT_RE = re.compile(r"^(?P<indent>[ \t]*)import[ \t]+(?P<mod>(?:corpus|analysis)(?:\.\w+)*)"
                       r"(?:[ \t]+as[ \t]+(?P<alias>\w+))?(?P<tail>[ \t]*(?:#[^\n]*)?)$", re.M)
DOTTED_RE = re.compile(r"(?<![\w./-])(corpus|analysis)((?:\.\w+)*)(?![\w/])")


def parse_names(names: str) -> tuple[list[tuple[str, str | None]], str]:
    """[(name, alias)] of an import list and a trailing comment."""
    comment = ""
    body = names.strip()
    if body.startswith("("):
        body = body[1:body.rindex(")")]
        body = re.sub(r"#[^\n]*", "", body)
    elif "#" in body:
        body, comment = body.split("#", 1)
        comment = "  #" + comment
    out = []
    for part in body.replace("\\\n", " ").split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        out.append((bits[0], bits[2] if len(bits) == 3 and bits[1] == "as" else None))
    return out, comment


class Rewriter:
    def __init__(self, namer: Namer, reexports: dict[str, str]):
        self.namer, self.reexports = namer, reexports

    def target(self, mod: str, name: str) -> tuple[str, str]:
        """(new module, attribute) for ``from mod import name``."""
        full = f"{mod}.{name}"
        if full in self.namer.mod_moves:  # a moved submodule
            new = self.namer.new(full)
            parent, _, last = new.rpartition(".")
            return parent, last
        if (mod, name) in SYMBOL_MOVES:
            return self.namer.new(SYMBOL_MOVES[(mod, name)]), name
        if mod == "analysis" and name in self.reexports and name not in self.namer.known["analysis"]:
            return self.namer.new(self.reexports[name]), name
        return self.namer.new(mod), name

    def from_import(self, m: re.Match) -> str:
        indent, mod = m["indent"], m["mod"]
        names, comment = parse_names(m["names"])
        groups: dict[str, list[str]] = {}
        simple = True
        for name, alias in names:
            new_mod, attr = self.target(mod, name)
            if new_mod != self.namer.new(mod) or attr != name:
                simple = False
            if attr != name and alias is None:
                alias = name
            groups.setdefault(new_mod, []).append(attr if alias is None or alias == attr else f"{attr} as {alias}")
        if simple:
            return f"{indent}from {self.namer.new(mod)} import {m['names']}"
        lines = [f"{indent}from {new_mod} import {', '.join(items)}" for new_mod, items in groups.items()]
        lines[-1] += comment
        return "\n".join(lines)

    def plain_import(self, m: re.Match) -> str:
        indent, mod, alias, tail = m["indent"], m["mod"], m["alias"], m["tail"] or ""
        new = self.namer.new(mod)
        if alias:
            return f"{indent}import {new} as {alias}{tail}"
        if "." not in mod:  # import corpus → the package under its old name
            return f"{indent}from {NS} import {mod}{tail}"
        lib = mod.split(".")[0]
        if new != f"{NS}.{mod}":
            manual(f"'import {mod}' (moved to {new}): code that uses '{mod}.' must use the new name")
            return f"{indent}import {new}{tail}"
        # import corpus.build: code uses corpus.build.x → import the module, bind the package name
        return f"{indent}import {new}{tail}\n{indent}from {NS} import {lib}"

    def dotted(self, text: str) -> str:
        def sub(m: re.Match) -> str:
            dotted = m.group(0)
            return self.namer.new(dotted) if self.namer.is_module_ref(dotted) and "." in dotted else dotted
        return DOTTED_RE.sub(sub, text)

    def statements(self, text: str) -> str:
        text = FROM_RE.sub(self.from_import, text)
        return IMPORT_RE.sub(self.plain_import, text)

    def python(self, text: str) -> str:
        """Import statements, then dotted names inside strings and comments only."""
        text = self.statements(text)
        try:
            toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            manual("could not tokenize a cell or file; strings not rewritten (see the log above)")
            return text
        starts = [0]
        for line in text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        kinds = {tokenize.STRING, tokenize.COMMENT} | {getattr(tokenize, n) for n in ("FSTRING_MIDDLE",)
                                                        if hasattr(tokenize, n)}
        pieces, pos = [], 0
        for tok in toks:
            if tok.type not in kinds:
                continue
            a = starts[tok.start[0] - 1] + tok.start[1]
            b = starts[tok.end[0] - 1] + tok.end[1]
            pieces.append(text[pos:a])
            pieces.append(self.dotted(text[a:b]))
            pos = b
        pieces.append(text[pos:])
        return "".join(pieces)

    def parallel_workaround(self, text: str) -> str:
        """``x = importlib.import_module("analysis.y")`` at module level → ``import …y as x``."""
        pat = re.compile(r'^(\w+) = importlib\.import_module\(["\']((?:framescope\.)?(?:corpus|analysis)[\w.]*)["\']\)',
                         re.M)
        if not pat.search(text):
            return text
        text = pat.sub(lambda m: f"import {m[2] if m[2].startswith(NS) else self.namer.new(m[2])} as {m[1]}",
                       text)
        text = re.sub(r"^# modules by name:[^\n]*re-exports[^\n]*\n", "", text, flags=re.M)
        if "importlib." not in text:
            text = re.sub(r"^import importlib\n", "", text, flags=re.M)
        return text


def notebook(text: str, rw: Rewriter) -> str:
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        src = "".join(cell.get("source", []))
        new = rw.python(src) if cell.get("cell_type") == "code" else rw.dotted(rw.statements(src))
        if new != src:
            lines = new.split("\n")
            cell["source"] = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


SUFFIXES = {".py", ".ipynb", ".md", ".toml", ".cfg", ".txt", ".ini", ".yml", ".yaml"}


def files_to_rewrite() -> list[Path]:
    listed = git("ls-files").splitlines() + git("ls-files", "--others", "--exclude-standard").splitlines()
    out = []
    for rel in sorted(set(listed)):
        p = ROOT / rel
        if rel == "tools/restructure.py" or not p.is_file():
            continue
        if p.suffix in SUFFIXES or p.name in ("Makefile", "setup.cfg"):
            out.append(p)
    return out


def rewrite_all(rw: Rewriter) -> None:
    for p in files_to_rewrite():
        text = p.read_text(encoding="utf-8")
        if p.suffix == ".py":
            new = rw.parallel_workaround(rw.python(text))
        elif p.suffix == ".ipynb":
            new = notebook(text, rw)
        else:
            new = rw.dotted(rw.statements(text))
        if new != text:
            log(f"rewrite {p.relative_to(ROOT)}")
            if not DRY:
                p.write_text(new, encoding="utf-8")


# --- step 5: analysis/__init__.py ---------------------------------------------------------------

def reexports_of(init: Path) -> dict[str, str]:
    """Names a package __init__ imports from its submodules: name → old-style module."""
    if not init.is_file():
        return {}
    out = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mod = node.module[len(NS) + 1:] if node.module.startswith(NS + ".") else node.module
            for a in node.names:
                out[a.asname or a.name] = mod
    return out


def strip_reexports(init: Path) -> None:
    """Keep the docstring of analysis/__init__.py, drop its re-exports."""
    text = init.read_text(encoding="utf-8")
    tree = ast.parse(text)
    doc = ast.get_docstring(tree, clean=False)
    if not any(isinstance(n, (ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign)) for n in tree.body):
        return
    note = ("\nThis package re-exports nothing, so ``import framescope.analysis.tokens as t`` gives the\n"
            "module; the public functions are reached through ``import framescope as fs``.\n")
    new = '"""' + (doc or "framescope analysis").rstrip() + "\n" + note + '"""\n'
    log(f"strip re-exports from {init.relative_to(ROOT)}")
    if not DRY:
        init.write_text(new, encoding="utf-8")


def check_shadowing() -> None:
    """A package __init__ that binds a submodule's name to something else breaks
    ``import pkg.sub as m`` (it gives the function): report every case."""
    for lib in LIBS:
        for init in sorted((ROOT / lib).rglob("__init__.py")):
            pkg = init.parent
            dotted = ".".join(pkg.relative_to(ROOT).parts)
            subs = {p.stem for p in pkg.glob("*.py")} | {p.name for p in pkg.iterdir() if (p / "__init__.py").is_file()}
            for node in ast.parse(init.read_text(encoding="utf-8")).body:
                if not isinstance(node, ast.ImportFrom) or not node.module or node.module.endswith(dotted):
                    continue  # 'from pkg import sub' binds the submodule itself
                for a in node.names:
                    name = a.asname or a.name
                    if name in subs:
                        manual(f"{init.relative_to(ROOT)} binds {name!r} (from {node.module}) over its submodule "
                               f"{name}: 'import ...{dotted}.{name} as m' gives that, not the module")


# --- step 1: the public namespace ----------------------------------------------------------------

def defined_names(path: Path) -> set[str]:
    if path.is_dir():
        path = path / "__init__.py"
    if not path.is_file():
        return set()
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.ImportFrom, ast.Import)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def module_path(old: str) -> Path:
    p = ROOT.joinpath(*old.split("."))
    return p if p.is_dir() else p.with_suffix(".py")


def write_namespace(namer: Namer) -> None:
    entries = {}
    for name, spec in PUBLIC.items():
        mod, _, attr = spec.partition(":")
        path = module_path(mod)
        if not path.exists() or (attr and attr not in defined_names(path)):
            manual(f"public name fs.{name}: {spec} not found; left out of framescope/__init__.py")
            continue
        entries[name] = f"{namer.new(mod)}:{attr}" if attr else namer.new(mod)
    table = "\n".join(f"    {name!r}: {spec!r}," for name, spec in entries.items())
    text = f'''"""framescope: compare how state media, NGOs and wire services cover the same events.

The one public entry, as ``library(quanteda)`` is in R::

    import framescope as fs
    c = fs.load("out/corpus")
    key = fs.keyness(c, "source_type == 'state_media'", "source_type == 'wire'")
    fs.plot.plot_keyness(key)

Names are resolved on first use (importing framescope loads nothing heavy). The library
lives in :mod:`framescope.corpus` (sources, text layer, store) and
:mod:`framescope.analysis` (tokens → counts → statistics → plots); the command line
(:mod:`framescope.cli`, :mod:`framescope.commands`), :mod:`framescope.demo` and
:mod:`framescope.report` are the application layer on top. Generated by
tools/restructure.py; edit ``PUBLIC`` there.
"""
from __future__ import annotations

import importlib

#: Public name → "module:attribute" (or a module).
PUBLIC = {{
{table}
}}

__all__ = sorted(PUBLIC)


def __getattr__(name: str):
    try:
        spec = PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'framescope' has no attribute {{name!r}}") from None
    module, _, attr = spec.partition(":")
    value = importlib.import_module(module)
    if attr:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(PUBLIC))
'''
    path = ROOT / NS / "__init__.py"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        log(f"write {path.relative_to(ROOT)}")
        if not DRY:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


# --- step 6: pyproject.toml and the layer test ----------------------------------------------------

BEGIN, END = "# >>> framescope layout (generated by tools/restructure.py; edit it there)", "# <<< framescope layout"


def packages() -> list[tuple[str, str]]:
    """(package, folder) of every package, namespaced."""
    out = []
    for top, folder in ((NS, NS), *((f"{NS}.{lib}", lib) for lib in LIBS)):
        base = ROOT / folder
        for init in sorted(base.rglob("__init__.py")):
            rel = init.parent.relative_to(base)
            out.append((".".join([top, *rel.parts]), init.parent.relative_to(ROOT).as_posix()))
    return out


def imported_names(path: Path) -> set[str]:
    """Every dotted-name component of the modules a file imports (any depth, lazy imports too)."""
    if not path.is_file():
        return set()
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out |= set(node.module.split("."))
        elif isinstance(node, ast.Import):
            out |= {part for a in node.names for part in a.name.split(".")}
    return out


def layer_modules(namer: Namer) -> tuple[list[str], list[str]]:
    """import-linter layer lines (top first) and the modules left out of every layer."""
    lines, covered = [], set()
    layers = [(name, sep, list(mods)) for name, sep, mods in LAYERS]
    for _, sep, mods in layers:
        present = []
        for old in mods:
            new = old if old.startswith(NS + ".") else namer.new(old)
            rel = new[len(NS) + 1:] if new.startswith(NS + ".") else new
            parts = rel.split(".")
            folder = ROOT / (NS if parts[0] not in LIBS else parts[0])
            sub = parts[1:] if parts[0] in LIBS else parts
            path = folder.joinpath(*sub)
            if path.is_dir() or path.with_suffix(".py").is_file():
                present.append(new)
                covered.add(new)
        if present:
            lines.append(sep.join(present))
    missing = []
    for lib in LIBS:
        for p in sorted((ROOT / lib).iterdir()):
            name = p.stem if p.suffix == ".py" else p.name
            if (p.suffix == ".py" and name != "__init__") or (p.is_dir() and (p / "__init__.py").is_file()):
                mod = f"{NS}.{lib}.{name}"
                if lib == "corpus":
                    continue  # the whole corpus package is the bottom layer
                if mod not in covered:
                    missing.append(mod)
    return lines, missing


def pyproject(namer: Namer) -> None:
    path = ROOT / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    # the old discovery and package data go; the generated block replaces them
    text = re.sub(r"\n\[tool\.setuptools\.packages\.find\]\n(?:[^\[\n][^\n]*\n|\n)*", "\n", text)
    text = re.sub(r"\n\[tool\.setuptools\.package-data\]\n(?:[^\[\n][^\n]*\n|\n)*", "\n", text)
    text = re.sub(rf"\n?{re.escape(BEGIN)}.*?{re.escape(END)}\n", "\n", text, flags=re.S)
    text = re.sub(r'^framescope = "[\w.]+:main"', f'framescope = "{NS}.cli:main"', text, flags=re.M)
    if "import-linter" not in text:
        text = re.sub(r'(\ndev = \[\n)', r'\1    "import-linter>=2.0",\n', text, 1)
    pkgs = packages()
    data = [(pkg, folder) for pkg, folder in pkgs if (ROOT / folder / "data").is_dir()]
    layers, missing = layer_modules(namer)
    for mod in missing:
        manual(f"{mod} is in no layer of the import-linter contract: add it to LAYERS in tools/restructure.py")
    contract_layers = "\n".join(f'    "{line}",' for line in layers)
    block = [BEGIN,
             "# corpus/ and analysis/ install as framescope.corpus and framescope.analysis: nothing named",
             "# corpus or analysis lands in site-packages.",
             "[tool.setuptools]",
             "packages = [",
             *(f'    "{pkg}",' for pkg, _ in pkgs),
             *(f'    "{pkg}",' for pkg in DATA_PACKAGES),
             "]",
             "",
             "[tool.setuptools.package-dir]",
             f'"{NS}" = "{NS}"',
             *(f'"{NS}.{lib}" = "{lib}"' for lib in LIBS),
             *(f'"{pkg}" = "{folder}"' for pkg, (folder, _) in DATA_PACKAGES.items()),
             "",
             "[tool.setuptools.package-data]",
             *(f'"{pkg}" = ["data/*"]' for pkg, _ in data),
             *(f'"{pkg}" = {json.dumps(globs)}' for pkg, (_, globs) in DATA_PACKAGES.items()),
             "",
             "# Layers, top to bottom: each imports only the ones below it (`|` = independent siblings,",
             "# which must not import each other). tests/test_layers.py runs lint-imports.",
             "[tool.importlinter]",
             f'root_package = "{NS}"',
             "",
             "[[tool.importlinter.contracts]]",
             'name = "layers: sources/store -> tokens -> counts -> statistics -> review -> plots -> application"',
             f'# {", ".join(name for name, _, _ in LAYERS[::-1])}',
             'type = "layers"',
             "layers = [",
             contract_layers,
             "]",
             "",
             "[[tool.importlinter.contracts]]",
             'name = "the library never imports the application layer"',
             'type = "forbidden"',
             f'source_modules = ["{NS}.corpus", "{NS}.analysis"]',
             f'forbidden_modules = ["{NS}.cli", "{NS}.commands", "{NS}.demo", "{NS}.report"]',
             "",
             "[[tool.importlinter.contracts]]",
             'name = "the statistics families are independent of each other"',
             'type = "independence"',
             "modules = [" + ", ".join(f'"{namer.new(m)}"' for m in INDEPENDENT if module_path(m).exists()) + "]",
             END]
    anchor = "\n[tool.jupytext]"
    block_text = "\n".join(block) + "\n"
    text = text.rstrip("\n") + "\n"
    text = text.replace(anchor, "\n" + block_text + anchor, 1) if anchor in text else text + "\n" + block_text
    old = path.read_text(encoding="utf-8")
    if text != old:
        log("update pyproject.toml")
        if not DRY:
            path.write_text(text, encoding="utf-8")


LAYER_TEST = '''"""The layer contract of pyproject.toml ([tool.importlinter]) holds: no upward import, no
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
'''


def layer_test() -> None:
    path = ROOT / "tests" / "test_layers.py"
    if not path.exists() or path.read_text(encoding="utf-8") != LAYER_TEST:
        log(f"write {path.relative_to(ROOT)}")
        if not DRY:
            path.write_text(LAYER_TEST, encoding="utf-8")


# --- main ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    global DRY
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    args = ap.parse_args(argv)
    DRY = args.dry_run
    if not (ROOT / "pyproject.toml").is_file() or not all((ROOT / lib).is_dir() for lib in LIBS):
        sys.exit("restructure: run me at the repository root (pyproject.toml, corpus/, analysis/)")
    reexports = reexports_of(ROOT / "analysis" / "__init__.py")
    # the function moves before its module does (the paths are the old ones on a first run)
    for (mod, name), dest in SYMBOL_MOVES.items():
        move_function(mod.replace(".", "/") + ".py", name, dest.replace(".", "/") + ".py")
    moves = planned_moves()
    do_moves(moves)
    namer = Namer(module_moves(moves), known_modules())
    rw = Rewriter(namer, reexports)
    strip_reexports(ROOT / "analysis" / "__init__.py")
    rewrite_all(rw)
    write_namespace(namer)
    pyproject(namer)
    layer_test()
    check_shadowing()
    log("done" + (" (dry run)" if DRY else "") + "; reinstall: pip install -e '.[dev]'")
    for line in dict.fromkeys(MANUAL):
        print("MANUAL:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
