"""``framescope demo``: notebooks 01–08 run top to bottom on the default corpus; figures and a README.

The notebooks are the one copy of the analyses (issue 15). ``framescope demo`` builds the
default corpus if it is missing (seeds + FA-KES + SaudiNewsNet), then executes each
notebook's jupytext twin ``notebooks/NN_name.py`` (percent format, kept identical in code
to ``NN_name.ipynb`` by ``tests/test_notebooks.py``) the way papermill runs a notebook: the
``parameters`` cell first, then the demo's values of ``CORPUS``, ``FIGURES``,
``BUILD_IF_MISSING`` and ``OUT`` (and any ``parameters=`` override, e.g. fewer bootstrap
replicates in the tests) in place of papermill's injected-parameters cell, then every other
code cell in order, in one namespace per notebook. The notebooks save the figures
(PDF + PNG); this module only reads the tables a notebook left in its namespace
(``key_en``, ``col_ar``, ``res_en``, ...) to write ``figures/README.md``: one sentence per
figure with the numbers read from the data, and each notebook's parameters. Every constant
of the analyses (subsets, designs, targets, nodes, bootstrap replicates, K grids, seeds)
lives in a notebook's parameters cell and nowhere else.

Why the notebooks run, rather than library recipes that both call: a notebook is read by
people who check the method, so each step (the groups and their sizes, the keyness table,
the concordance lines behind it) has to be visible as a cell, not hidden in a
``keyness_recipe()``; executing the notebook's own code is the only way the demo cannot
drift from what a reader sees in JupyterLab. The statistics themselves stay in the library
(:mod:`framescope.analysis`, :mod:`framescope.report`), which the notebooks call.

The notebooks ship inside the package (``framescope.notebooks``, package data), so
``framescope demo`` runs from a wheel too. Work common to several notebooks is not
repeated: each notebook opens its corpus with :func:`framescope.report.open_session`, which
in one process hands every notebook the same loaded corpus, tokens (read from the token
store) and document-term matrix. The notebooks are independent of each other once the
corpus and its token store exist, so they run several at a time (``--jobs``, by default
one per core, at most 4): in this process and in spawned worker processes, each with its
own session (:func:`run_demo`). ``figures/README.md`` holds no timings, so that a rerun
on the same corpus gives the same file, with any number of processes.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from framescope import report
from framescope.analysis import plots
from framescope.analysis.framing.groupstats import document_sizes
from framescope.analysis.groups import SmallGroupWarning, document_groups, group_sizes, small_groups_sentence
from framescope.analysis.plots.names import outlet_label
from framescope.analysis.plots.style import display
from framescope.analysis.topics import frames_hold
from framescope.corpus.errors import FramescopeError
from framescope.analysis.token_options import TokenOptions

__all__ = ["NOTEBOOKS", "FigureRecord", "notebook_path", "notebook_cells", "notebook_parameters", "run_notebook",
           "run_demo", "write_readme", "EN_DESIGN_SENTENCE", "AR_DESIGN_SENTENCE", "NotebookRun", "default_jobs",
           "NOTEBOOK_SECONDS", "MAX_JOBS"]

#: The notebooks the demo runs, in order.
NOTEBOOKS = ("01_corpus_overview", "02_keyness", "03_collocations", "04_topics", "05_seeds_vs_outlets",
             "06_framing", "07_rigour", "08_events")
#: Parameters the demo sets in every notebook that has them (the rest keep the notebook's values).
RUN_PARAMETERS = ("CORPUS", "FIGURES", "BUILD_IF_MISSING", "OUT")

EN_DESIGN_SENTENCE = (
    "FA-KES is compared by the outlet's stance toward Damascus crossed with its ownership (registry columns "
    "alignment and source_type): pro-Damascus state media (SANA, Sputnik, TASS, Al-Alam), pro-Damascus partisan "
    "media (Hezbollah's Al-Manar), anti-Damascus media (Turkey's TRT and Daily Sabah, the Saudi- and Qatari-owned "
    "outlets, the opposition's Etilaf) and Reuters wire copy; the Egyptian and Jordanian (mixed), Lebanese NNA "
    "(neutral, mostly wire copy) and seed articles are left out, and so are duplicates. Ownership alone is shown "
    "only in the corpus overview, where it is the question.")
AR_DESIGN_SENTENCE = (
    "SaudiNewsNet is compared by ownership, the only contrast it offers (every outlet is Saudi and anti-Damascus): "
    "the Saudi Press Agency (was) against the 14 newspapers, on the days both cover (the agency's articles fall on "
    "two days, the press covers three weeks: match_dates=True), duplicates left out.")


@dataclass
class FigureRecord:
    """One figure written by the demo and its line in ``figures/README.md``.

    Parameters
    ----------
    name : str
        File stem of the figure (``name.png`` and ``name.pdf`` in the figures folder).
    sentence : str
        The sentence describing the figure, generated from the data the notebook left in
        its namespace (group sizes and numbers included).
    section : str
        The README section: the notebook's name with spaces for underscores
        (``"02 keyness"``).
    """
    name: str
    sentence: str
    section: str


# --- running a notebook ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """A code cell of a percent-format notebook: its source and the file line it starts after."""

    line: int
    source: str
    tags: tuple[str, ...]


_MARKER = re.compile(r"^# %%(?P<rest>.*)$")


def notebook_path(name: str) -> Path:
    """``NN_name.py`` of the notebooks shipped with framescope.

    The notebooks are ``notebooks/`` of the repository, installed as the package data
    ``framescope.notebooks``.

    Parameters
    ----------
    name : str
        A notebook name of :data:`NOTEBOOKS`, without ``.py`` (e.g. ``"02_keyness"``).

    Returns
    -------
    pathlib.Path
        The installed percent-format script; a :class:`~framescope.corpus.errors.FramescopeError`
        when the notebooks are not installed or there is no notebook ``name``.
    """
    from importlib.resources import files

    try:
        path = Path(str(files("framescope.notebooks").joinpath(f"{name}.py")))
    except ModuleNotFoundError:  # an install made before the notebooks were package data
        raise FramescopeError("the notebooks are not installed (package data framescope.notebooks): "
                              "reinstall framescope (make install, or pip install -e .)") from None
    if not path.is_file():
        raise FramescopeError(f"no notebook {name!r} (notebooks: {', '.join(NOTEBOOKS)})")
    return path


def notebook_cells(path: str | Path) -> list[Cell]:
    """The code cells of a jupytext percent-format script, with their tags.

    Parameters
    ----------
    path : str or path-like
        A ``.py`` notebook in jupytext percent format (cells start at ``# %%`` lines).

    Returns
    -------
    list of Cell
        Its code cells in file order (Markdown and raw cells left out): each with the line
        of its ``# %%`` marker, its source and the tags of ``tags=[...]``.
    """
    cells: list[dict] = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        m = _MARKER.match(line)
        if m:
            rest = m["rest"]
            tags = re.search(r"tags=(\[[^\]]*\])", rest)
            cells.append({"code": "[markdown]" not in rest and "[raw]" not in rest, "line": i + 1, "lines": [],
                          "tags": tuple(json.loads(tags.group(1))) if tags else ()})
        elif cells:
            cells[-1]["lines"].append(line)
    return [Cell(c["line"], "\n".join(c["lines"]), c["tags"]) for c in cells if c["code"]]


def notebook_parameters(cell: Cell) -> list[str]:
    """Names assigned in a ``parameters`` cell, in order.

    Parameters
    ----------
    cell : Cell
        The notebook's first code cell, tagged ``parameters``.

    Returns
    -------
    list of str
        Each name assigned at the top level of the cell (plain or annotated assignment,
        tuple targets unpacked), once, in order of first assignment.
    """
    names: list[str] = []
    for node in ast.parse(cell.source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return names


def run_notebook(name: str, parameters: Mapping[str, Any] | None = None) -> dict:
    """Execute notebook ``name`` top to bottom in a fresh namespace and return it.

    The ``parameters`` cell runs first, then ``parameters`` replace its values (as papermill's
    injected cell does), then the other code cells. What the notebook prints is not shown (it
    goes to the namespace's ``__stdout__``); an error in a cell names the notebook and keeps
    the traceback's notebook line numbers.

    Parameters
    ----------
    name : str
        A notebook of :data:`NOTEBOOKS` (e.g. ``"02_keyness"``).
    parameters : mapping of str to object, optional
        Values that replace those of the notebook's ``parameters`` cell; a name that is not a
        parameter of the notebook is an error. None: the notebook's own values.

    Returns
    -------
    dict
        The notebook's namespace after the last cell: every name it defined, plus
        ``__parameters__`` (the parameters' values as the notebook ran with them),
        ``__stdout__`` (what it printed) and ``__seconds__`` ({first line of each code cell:
        seconds}).
    """
    path = notebook_path(name)
    cells = notebook_cells(path)
    if not cells or "parameters" not in cells[0].tags:
        raise FramescopeError(f"notebook {name}: the first code cell must be tagged 'parameters'")
    known = notebook_parameters(cells[0])
    unknown = sorted(set(parameters or {}) - set(known))
    if unknown:
        raise FramescopeError(f"notebook {name} has no parameter {unknown[0]!r} (parameters: {', '.join(known)})")
    ns: dict[str, Any] = {"__name__": "__main__"}
    out = io.StringIO()
    seconds: dict[int, float] = {}
    with contextlib.redirect_stdout(out):
        for i, cell in enumerate(cells):
            code = compile("\n" * cell.line + cell.source, str(path), "exec")
            started = time.perf_counter()
            try:
                exec(code, ns)  # noqa: S102 - the notebook shipped with framescope
            except FramescopeError as exc:
                raise FramescopeError(f"notebook {name}: {exc}") from exc
            except Exception as exc:
                if hasattr(exc, "add_note"):
                    printed = out.getvalue().strip().splitlines()[-10:]
                    exc.add_note(f"in notebook {path} (code cell {i + 1}, line {cell.line + 1})"
                                 + ("; it printed last:\n" + "\n".join(printed) if printed else ""))
                raise
            seconds[cell.line + 1] = time.perf_counter() - started
            if i == 0:
                ns.update(parameters or {})
                used = {k: ns[k] for k in known}
    ns["__stdout__"] = out.getvalue()
    ns["__seconds__"] = seconds  # {first line of the cell: seconds}, to see where the time goes
    ns["__parameters__"] = used  # as the notebook started with them
    return ns


class Results(Mapping):
    """A notebook's namespace, read by the sentence writers: a missing name is a clear error."""

    def __init__(self, name: str, ns: dict):
        self.name, self.ns = name, ns

    def __getitem__(self, key: str):
        try:
            return self.ns[key]
        except KeyError:
            raise FramescopeError(f"notebook {self.name} left no {key!r}, which figures/README.md needs") from None

    def __iter__(self):
        return iter(self.ns)

    def __len__(self) -> int:
        return len(self.ns)


# --- small helpers of the sentences ---------------------------------------------------------------

def _small(corpus, column: str, groups=None) -> str:
    """The sentence naming the groups of ``column`` under the size floor (running words)."""
    labels = document_groups(corpus, column, groups=list(groups) if groups is not None else None)
    return small_groups_sentence(group_sizes(labels, document_sizes(corpus)), name=display)


def _n(corpus, column: str, group: str) -> int:
    return int((corpus.documents[column] == group).sum())


def _days(corpus) -> str:
    days = sorted({str(d.date()) for d in corpus.documents["date"].dropna()})
    if not days:
        return "no dated day"
    return f"1 day ({days[0]})" if len(days) == 1 else f"{len(days)} days ({days[0]} to {days[-1]})"


def _fmt_ci(row, col="log_ratio") -> str:
    return f"{row[col]:.2f} [{row[col + '_low']:.2f}, {row[col + '_high']:.2f}]"


# --- 01 corpus overview -------------------------------------------------------------------------

def overview_sentences(r: Results) -> list[tuple[str, str]]:
    comp, corp = r["composition"], r["corp"]
    docs, dups, analysed = int(comp["documents"].sum()), int(comp["duplicates"].sum()), int(comp["analysed"].sum())
    tok = comp.groupby("lang")["tokens"].sum()
    big = comp.sort_values("documents", ascending=False).iloc[0]
    fakes = comp[comp["collection"] == "fakes"]
    smallest = (f"the smallest FA-KES outlet {outlet_label(fakes.iloc[-1]['outlet'])} ({int(fakes.iloc[-1]['documents'])}); "
                if len(fakes) else "")
    sentence = (f"{docs:,} documents from {comp['outlet'].nunique()} outlets in {comp['collection'].nunique()} "
                f"collections ({dups:,} marked as duplicates, {analysed:,} analysed); {int(tok.sum()):,} analysed tokens, "
                f"{tok.get('ar', 0) / max(tok.sum(), 1):.0%} of them Arabic; the largest outlet is {outlet_label(big['outlet'])} "
                f"({int(big['documents']):,} documents), {smallest}by stance toward Damascus "
                + ", ".join(f"{display(a)} {n:,}" for a, n in document_groups(corp, "alignment").value_counts().items())
                + " documents (duplicates left out).")
    return [("01_corpus_composition", sentence)]


# --- 02 keyness ---------------------------------------------------------------------------------

def _left_out(table) -> str:
    """The sentence naming the terms a keyness table left out of its ranking (exclude_terms), or ''."""
    terms = list(dict.fromkeys(str(r["term"]) for r in table.attrs.get("left_out", [])))
    reason = str(table.attrs.get("left_out_reason") or "excluded").split(" (")[0]
    if not terms:
        given = table.attrs.get("left_out_given")
        return (f" None of the {given} {reason} looked for is among the tested terms: nothing is left out of the "
                f"ranking." if "left_out_reason" in table.attrs and given else "")
    return (f" Left out of the ranking as {reason} (tested with the rest; listed in the table's attrs and under the "
            f"figure): {len(terms)} term{'s' if len(terms) != 1 else ''}, " + ", ".join(f"'{t}'" for t in terms) + ".")


def _keyness_sentence(table, what: str) -> str:
    sig = table[table["p_adjusted"] < 0.05]
    t = sig[sig["g2"] > 0].nlargest(1, "g2")
    ref = sig[sig["g2"] < 0].nsmallest(1, "g2")
    # names, not outlet codes, as in the figure's legend
    target, reference = outlet_label(table.attrs["target_label"]), outlet_label(table.attrs["reference_label"])
    parts = [f"{what}: {int((sig['g2'] > 0).sum()):,} terms are key for {target} and "
             f"{int((sig['g2'] < 0).sum()):,} for {reference} (BH-adjusted p < 0.05)"]
    if len(t):
        parts.append(f"the strongest for {target} is '{t.iloc[0]['term']}' "
                     f"(G² = {t.iloc[0]['g2']:.0f}, log ratio {_fmt_ci(t.iloc[0])})")
    if len(ref):
        parts.append(f"for {reference} '{ref.iloc[0]['term']}' "
                     f"(G² = {-ref.iloc[0]['g2']:.0f}, log ratio {_fmt_ci(ref.iloc[0])})")
    return "; ".join(parts) + "."


def keyness_sentences(r: Results) -> list[tuple[str, str]]:
    key_en, key_ar, en, ar = r["key_en"], r["key_ar"], r["en"], r["ar"]
    groups, (agency, press) = list(r["EN_DESIGN"]), list(r["AR_GROUPS"])
    seed = r["SEED"]
    out = [("02_keyness_en_state_vs_wire",
            _keyness_sentence(key_en, "FA-KES, pro-Damascus state media against wire copy")
            + f" ({key_en.attrs['n_docs_target']} pro-Damascus state-media vs {key_en.attrs['n_docs_reference']} "
              f"Reuters documents; {r['N_BOOT']} document-bootstrap replicates)." + _left_out(key_en)
            + _small(en, "design", [r["EN_TARGET"], r["EN_REFERENCE"]])),
           ("02_keyness_ar_agency_vs_press",
            _keyness_sentence(key_ar, "SaudiNewsNet, the Saudi Press Agency against the 14 newspapers on the days "
                                      "both cover")
            + f" ({key_ar.attrs['n_docs_target']} vs {key_ar.attrs['n_docs_reference']:,} documents on {_days(ar)}; "
              f"terms seen ≥ {r['MIN_FREQ_AR']} times, {r['N_BOOT_AR']} bootstrap replicates)." + _small(ar, "agency"))]
    top, shown = r["top_en"], r["shown_en"]
    # the counts the figure shows: lines of the design's groups once duplicate lines are left out
    counts = shown.attrs["lines"]
    out.append((f"02_kwic_en_{top}",
                f"Concordance lines of '{top}' (the strongest pro-Damascus state-media keyword) in FA-KES: "
                f"{sum(int(counts.get(g, 0)) for g in groups):,} lines once {shown.attrs['duplicates']} duplicate "
                f"lines are left out, " + ", ".join(f"{int(counts.get(g, 0)):,} in {g}" for g in groups)
                + f"; three lines per group shown, drawn at random (seed {seed}) across outlets."))
    counts = r["shown_ar"].attrs["lines"]
    out.append(("02_kwic_ar_coalition",
                f"Concordance lines of {r['NODE_AR']} ('the coalition') in SaudiNewsNet, right to left: "
                f"{int(counts.get(agency, 0))} lines in the state agency and {int(counts.get(press, 0)):,} in the "
                f"press; up to six lines of each, drawn at random (seed {seed}) across outlets, duplicates left "
                f"out; under each line its English translation, written and reviewed by hand "
                f"(analysis/data/kwic_translations_ar.csv, {_translated(r['shown_ar'])})."))
    return out


def _translated(shown) -> str:
    """How many of the KWIC lines shown have a reviewed translation."""
    from framescope.analysis.plots.names import translation

    have = sum(translation(r["left"], r["keyword"], r["right"]) is not None for _, r in shown.head(12).iterrows())
    return f"{have} of the {min(len(shown), 12)} lines shown" if have < min(len(shown), 12) else "every line shown"


# --- 03 collocations ------------------------------------------------------------------------------

def _top_collocate(table, node, group, min_o11: int = 1) -> str:
    sub = table[(table["node"] == node) & (table["group"] == group) & (table["o11"] >= min_o11)]
    if sub.empty:
        return f"no collocate of '{node}' in {display(group)} rests on ≥ {min_o11} co-occurrences"
    row = sub.sort_values("logdice", ascending=False).iloc[0]
    return (f"'{row['collocate']}' is the strongest collocate of '{node}' in {display(group)} "
            f"(logDice {row['logdice']:.1f}, {int(row['o11'])} co-occurrences)")


def collocation_sentences(r: Results) -> list[tuple[str, str]]:
    groups, (agency, press) = list(r["EN_DESIGN"]), list(r["AR_GROUPS"])
    nodes, nodes_ar = list(r["NODES_EN"][:3]), list(r["NODES_AR"])
    en, ar, col_en, col_ar = r["en"], r["ar"], r["col_en"], r["col_ar"]
    window = f"±{r['SPAN']} tokens"
    m = int(r["MIN_O11"])
    n_agency = col_ar[col_ar["group"] == agency].groupby("node").size()
    strong_agency = col_ar[(col_ar["group"] == agency) & (col_ar["o11"] >= m)].groupby("node").size()
    rows = (f" Rows: each group's 8 strongest collocates among those whose score rests on ≥ {m} co-occurrences "
            f"(another group's score on fewer drawn faded); the node's own forms (the node again within its span, "
            f"its inflections or clitic forms) are not counted as its collocates. No interval: the co-occurrence "
            f"count (o11) of every score is printed beside its panel.")

    def sizes(corpus, column, names=None) -> str:
        legend = report.group_legend(corpus, column, names)
        return "; ".join(f"{outlet_label(g)} {d:,} documents, {t:,} words" for g, (d, t, _) in legend.items())

    out = [("03_collocates_en",
            f"Collocates by logDice ({window}, within sentences, ≥ {r['MIN_FREQ']} co-occurrences) of "
            f"{', '.join(nodes)} in FA-KES by stance and ownership ({sizes(en, 'design', groups)}): "
            f"{_top_collocate(col_en, nodes[0], groups[0], m)}, {_top_collocate(col_en, nodes[0], groups[2], m)}, "
            f"while {_top_collocate(col_en, nodes[2], groups[1], m)}." + rows + _small(en, "design")),
           ("03_collocates_ar",
            f"Collocates by logDice of {'، '.join(nodes_ar)} in SaudiNewsNet, state agency vs press on the days both "
            f"cover ({_days(ar)}; {sizes(ar, 'agency')}): {_top_collocate(col_ar, col_ar['node'].iloc[0], press, m)}; "
            f"the agency's "
            f"{_n(ar, 'agency', agency)} documents (the press's {_n(ar, 'agency', press):,}) give "
            f"{', '.join(f'{int(n_agency.get(n, 0))} for {n}' for n in pd.unique(col_ar['node']))} collocates "
            f"({window}, ≥ {r['MIN_FREQ_AR']} co-occurrences), of which "
            f"{', '.join(str(int(strong_agency.get(n, 0))) for n in pd.unique(col_ar['node']))} rest on ≥ {m}."
            + rows + _small(ar, "agency"))]
    pos_en = r["pos_en"]
    per = pos_en.groupby(["group", "term"]).size().unstack(fill_value=0)
    worst = per[nodes[2]].idxmax()
    out.append(("03_dispersion_en",
                f"Where {', '.join(nodes)} occur in each FA-KES outlet's documents (date order): "
                f"{outlet_label(worst)} alone has {int(per.loc[worst, nodes[2]])} of the {int(per[nodes[2]].sum())} "
                f"occurrences of '{nodes[2]}' ({pos_en.attrs['groups'][worst]['group_docs']} documents, "
                f"{pos_en.attrs['groups'][worst]['group_tokens']:,} running words; "
                f"{int(per.loc[worst, nodes[2]]) / pos_en.attrs['groups'][worst]['group_tokens'] * 1e4:.1f} per 10,000)."))
    pos_ar = r["pos_ar"]
    groups_ar = pos_ar.attrs["groups"]
    per = pos_ar.groupby("group").size().reindex(list(groups_ar), fill_value=0)
    rate = {g: per[g] / groups_ar[g]["group_tokens"] * 1e4 for g in groups_ar if groups_ar[g]["group_tokens"]}
    hi = max(rate, key=rate.get)
    silent = sorted(g for g in groups_ar if per[g] == 0)
    out.append(("03_dispersion_ar",
                f"Where {nodes_ar[0]} and {nodes_ar[2]} occur in each SaudiNewsNet outlet (documents in date order): "
                f"{outlet_label(hi)} uses them most (the two together {rate[hi]:.1f} per 10,000 running words, the "
                f"unit of every group size), the state "
                f"agency (SPA) {rate.get('was', 0):.1f}"
                + (f"; {', '.join(outlet_label(g) for g in silent)} never" if silent else "") + "."))
    tl_en = r["tl_en"]
    sm = tl_en[(tl_en["group"] == groups[0]) & (tl_en["term"] == nodes[0]) & (tl_en["size"] >= 1000)]
    peak = sm.loc[sm["per_10k"].idxmax()] if len(sm) else None
    median = en.documents.groupby("design")["date"].median().dt.year.reindex(groups)
    out.append(("03_timeline_en",
                f"Frequency per 10,000 tokens by year, stance and ownership in FA-KES (years with ≥ 1,000 tokens; "
                f"the groups cover different years, median publication year "
                + ", ".join(f"{g} {int(y)}" for g, y in median.dropna().items()) + "): "
                + (f"pro-Damascus state media's use of '{nodes[0]}' peaks in {peak['period'].year} at "
                   f"{peak['per_10k']:.0f}" if peak is not None else "")
                + (f"; {tl_en.attrs['undated_documents']} undated documents are left out"
                   if tl_en.attrs["undated_documents"] else "") + "."))
    tl_ar = r["tl_ar"]
    was = tl_ar.loc[tl_ar["group"] == "was", "period"]
    out.append(("03_timeline_ar",
                f"Daily frequency of {nodes_ar[0]} and {nodes_ar[2]} in the three largest dailies and the state "
                f"agency (days with ≥ 500 tokens): the agency's documents cover only {was.nunique()} "
                f"day{'s' if was.nunique() != 1 else ''} "
                f"({', '.join(sorted(str(p.date()) for p in was.unique()))})."))
    return out


# --- 04 topics ------------------------------------------------------------------------------------

def _topic_sentences(res, lang_label: str, pair: tuple[str, str]) -> tuple[str, str, str]:
    ks = res.k_search
    k_sent = (f"{lang_label}: K search over {', '.join(map(str, ks.summary['k']))} with {len(ks.seeds)} seeds; "
              + _k_rule_clause(ks))
    stable = res.stability.stable_topics()
    labels = plots.topic_labels(res.topic_terms)
    w_sent = (f"{lang_label}: top words of the K = {len(labels)} topics; {len(stable)} of {len(labels)} are stable "
              f"across {len(res.runs)} seeds (mean 1 − Jensen–Shannon distance of matched topics ≥ 0.5).")
    diffs = res.differences
    d = diffs[((diffs["group_a"] == pair[0]) & (diffs["group_b"] == pair[1]))]
    sign = 1
    if d.empty:
        d = diffs[((diffs["group_a"] == pair[1]) & (diffs["group_b"] == pair[0]))]
        sign = -1
    if len(d):
        top = d.reindex(d["diff"].abs().sort_values(ascending=False).index).iloc[0]
        diff, (lo, hi) = sign * top["diff"], sorted([sign * top["diff_low"], sign * top["diff_high"]])
        topic = int(top["topic"])
        words = labels[topic].split(" ", 1)[1]
        p_sent = (f"{lang_label}: mean topic proportions by group with bootstrap CIs; the largest "
                  f"{outlet_label(pair[0])} − {outlet_label(pair[1])} difference is topic {topic} ({words}): "
                  f"{diff:+.3f} [{lo:+.3f}, {hi:+.3f}].")
    else:
        p_sent = f"{lang_label}: mean topic proportions by group with bootstrap CIs."
    return k_sent, w_sent, p_sent


def _k_rule_clause(search) -> str:
    """How the K search chose K, with its numbers (the one-standard-error rule of
    :func:`framescope.analysis.topics.k_choice`): the best mean c_NPMI, the standard error and
    the K reported; says so when no K is distinguishable from the best."""
    summ = search.summary.set_index("k")
    mean = summ["coherence_npmi_mean"]
    rec, best = search.recommended_k, search.best_k if search.best_k is not None else int(mean.idxmax())
    se = summ["coherence_npmi_se"].get(best, float("nan")) if "coherence_npmi_se" in summ else float("nan")
    if not pd.notna(se):
        return f"c_NPMI is highest at K = {best} ({mean[best]:.3f}), the K reported."
    head = f"mean c_NPMI is highest at K = {best} ({mean[best]:.3f}; standard error over seeds {se:.3f})"
    within = [int(k) for k in summ.index[summ["within_threshold"].astype(bool)]]
    if len(within) == len(summ) and len(summ) > 1:
        return (head + f"; every K is within one standard error of it, so no K is distinguishable and the smallest, "
                f"K = {rec}, is reported (one-standard-error rule).")
    if rec == best:
        return head + f"; no smaller K is within one standard error of it, so K = {rec} is reported."
    return (head + f"; the smallest K within one standard error of it, K = {rec} ({mean[rec]:.3f}), is reported "
            f"(one-standard-error rule).")


def _count(n: int, noun: str, one: str) -> str:
    """"3 frames", or ``one`` for a single one."""
    return one if n == 1 else f"{n} {noun}s"


def _frame_sentence(res, lang_label: str, pair: tuple[str, str]) -> str:
    """One sentence on the ANTMN frames of a run_topics result: how many, and the frame
    whose share differs most between the two groups of ``pair``."""
    net = res.frames
    prev = res.frame_comparison.prevalence.set_index(["frame", "group"])
    diffs = res.frame_comparison.differences
    d = diffs[(diffs["group_a"] == pair[0]) & (diffs["group_b"] == pair[1])]
    sign = 1
    if d.empty:
        d, sign = diffs[(diffs["group_a"] == pair[1]) & (diffs["group_b"] == pair[0])], -1
    runs = len(res.consensus.seeds) if getattr(res, "consensus", None) is not None else None
    what = (f"consensus topics (the {runs} seeds' topics aligned and averaged: numbered as the "
            "first seed's, labelled by their own FREX words)" if runs else "topics")
    text = (f"{lang_label}: the K = {len(net.nodes)} {what} as a network (edges: cosine similarity of their "
            f"document columns; Louvain) form {_count(net.n_frames, 'frame', 'one community')} "
            f"(modularity {net.modularity:.2f})")
    stability = _frame_stability_sentence(res.frame_stability)
    fs = res.frame_stability
    if fs is not None and not fs.frames["stable"].astype(bool).any():
        return (text + "; none of them is stable, so the figure draws no communities and no frame difference "
                "is reported." + stability)
    if fs is not None and not frames_hold(fs.frames, fs.summary):
        return (text + f"; the communities are no more modular than with the edge weights shuffled (p = "
                f"{fs.summary['null']['p_value']:.2f}), so the figure draws no communities and no frame difference "
                "is reported." + stability)
    if d.empty:
        return text + "." + stability
    top = d.loc[d["diff"].abs().idxmax()]
    f = int(top["frame"])
    lo, hi = sorted([sign * top["diff_low"], sign * top["diff_high"]])
    members = net.frames.loc[net.frames["frame"] == f, "topics"].iloc[0].split()
    a, b = (prev.loc[(f, g)] for g in pair)
    art = {g: "an" if display(g)[:1].lower() in "aeiou" else "a" for g in pair}
    return (text + f"; frame {f} (topics {', '.join(members)}) makes up on average {a['mean']:.0%} of {art[pair[0]]} "
            f"{display(pair[0])} document and {b['mean']:.0%} of {art[pair[1]]} {display(pair[1])} one, a difference of "
            f"{sign * top['diff']:+.2f} "
            f"[{lo:+.2f}, {hi:+.2f}] (document bootstrap, {res.settings['bootstrap']['n_boot']} replicates)."
            + stability)


def _frame_stability_sentence(stability) -> str:
    """' Stability: …' — agreement across Louvain and topic seeds, the modularity null and
    the cohesion of each frame (empty without a stability result)."""
    if stability is None:
        return ""
    s, null = stability.summary, stability.summary["null"]
    parts = []
    if s["ari_louvain_seeds"] is not None:
        parts.append(f"mean adjusted Rand index {s['ari_louvain_seeds']:.2f} between {len(s['louvain_seeds'])} "
                     f"Louvain seeds")
    if s["ari_topic_runs"] is not None:
        parts.append(f"{s['ari_topic_runs']:.2f} between the networks of {len(s['topic_seeds'])} topic-model seeds")
    pieces = [" and ".join(parts)] if parts else []
    if null["mean"] is not None:
        pieces.append(f"modularity {s['single_seed_modularity']:.3f} against {null['mean']:.3f} with the edge "
                      f"weights shuffled (p = {null['p_value']:.2f})")
    text = (" Stability: " + "; ".join(pieces) + ".") if pieces else ""
    cohesions = []
    for r in stability.frames.itertuples():
        runs = "" if pd.isna(r.cohesion_runs) else f" and {r.cohesion_runs:.2f} across topic seeds"
        cohesions.append(f"frame {r.frame} {r.cohesion:.2f} across Louvain seeds{runs}, "
                         f"{'stable' if r.stable else 'unstable'}")
    return (text + f" Cohesion (mean share of partitions keeping a frame's topics together; stable if ≥ "
            f"{s['threshold']}): {'; '.join(cohesions)}.")


def topic_sentences(r: Results) -> list[tuple[str, str]]:
    (agency, press), pair = list(r["AR_GROUPS"]), (r["PRO_STATE"], r["ANTI"])
    res, en = r["res_en"], r["en"]
    k_sent, w_sent, p_sent = _topic_sentences(res, "FA-KES (English)", pair)
    out = [("04_topic_k_en", k_sent), ("04_topic_words_en", w_sent),
           ("04_topic_prevalence_en", p_sent + _small(en, "design")),
           ("04_frame_network_en", _frame_sentence(r["cons_en"], "FA-KES (English)", pair))]
    sample = r["ar"]
    label = (f"SaudiNewsNet (Arabic; days both cover; all {_n(sample, 'agency', agency)} agency documents + "
             f"{_n(sample, 'agency', press):,} sampled press documents, seed {r['SEED']})"
             if r["AR_SAMPLE"] is not None else "SaudiNewsNet (Arabic; days both cover)")
    k_sent, w_sent, p_sent = _topic_sentences(r["res_ar"], label, (agency, press))
    return out + [("04_topic_k_ar", k_sent), ("04_topic_words_ar", w_sent), ("04_topic_prevalence_ar", p_sent)]


# --- 05 seeds vs outlets --------------------------------------------------------------------------

def seeds_sentences(r: Results) -> list[tuple[str, str]]:
    sim, key, closest = r["sim"], r["key"], r["closest"]
    pooled = sim[sim["target"] == "all"]
    first, last = pooled.iloc[0], pooled.iloc[-1]
    kind = "kind" if "kind" in pooled else "source_type"

    def who(row) -> str:
        return (f"{outlet_label(row['group'])} ({display(row[kind])}; {int(row['n_docs']):,} documents, "
                f"{int(row['n_tokens']):,} running words")

    return [("05_seeds_similarity",
             f"Vocabulary of the {sim.attrs['target_docs']} seed articles ({sim.attrs['target_tokens']:,} running "
             f"words) against each FA-KES outlet, coloured by stance and ownership (top {sim.attrs['n_terms']:,} "
             f"terms; the median Jensen–Shannon divergence over {sim.attrs['n_boot']} equal samples of each outlet, "
             f"{sim.attrs['sample_tokens']:,} analysed tokens each, with the {sim.attrs['ci']:.0%} interval of the "
             f"samples): closest is {who(first)}; JSD {first['jsd_equal']:.3f} [{first['jsd_low']:.3f}, "
             f"{first['jsd_high']:.3f}], cosine {first['cosine']:.2f}), farthest {who(last)}; JSD "
             f"{last['jsd_equal']:.3f}); {', '.join(outlet_label(g) for g in sim.attrs['too_small'])} have too few "
             f"tokens to compare."),
            (f"05_keyness_seeds_vs_{closest}",
             _keyness_sentence(key, f"Seed articles against their closest outlet ({outlet_label(closest)})") + _left_out(key))]


# --- 06 framing -----------------------------------------------------------------------------------

def framing_sentences(r: Results) -> list[tuple[str, str]]:
    groups, en, claims = r["GROUPS"], r["en"], r["claims"]
    small = _small(en, "design")
    by_attr = r["by_attribution"]
    by_attr = by_attr[by_attr["group"].isin(groups)]
    un = by_attr[by_attr["attribution_class"] == "unattributed"].set_index("group")
    ngo = by_attr[by_attr["attribution_class"] == "ngo"].set_index("group")

    def shares(t):
        return ", ".join(f"{display(g)} {t.loc[g, 'share']:.0%} [{t.loc[g, 'share_low']:.0%}, "
                         f"{t.loc[g, 'share_high']:.0%}]" for g in groups if g in t.index)

    out = [("06_claims_attribution_en",
            f"{len(claims):,} casualty claims in the FA-KES groups by whom they credit (document-bootstrap CIs): "
            f"credited to an NGO or monitor in {shares(ngo)}; credited to no one in {shares(un)}." + small)]
    actors, mentions = r["actors"], r["mentions"]
    t = actors[(actors["actor"] == "isis") & (actors["label"] == "terrorists")].set_index("group")
    generic = mentions[mentions["label"] == "terrorists"]
    unresolved = (generic["actor"] == "unresolved").mean() if len(generic) else 0.0
    out.append(("06_actor_labels_en",
                "Names for the same actors per 10,000 tokens by stance and ownership: 'terrorists' naming ISIS (the "
                "referent resolved from a group named in the sentence or the one before) runs at "
                + ", ".join(f"{t.loc[g, 'per_10k']:.1f} [{t.loc[g, 'per_10k_low']:.1f}, {t.loc[g, 'per_10k_high']:.1f}] "
                            f"in {display(g)}" for g in groups if g in t.index)
                + f"; {unresolved:.0%} of the {len(generic):,} generic 'terrorists' labels name no group nearby and "
                  f"are counted as unresolved, not as ISIS." + small))
    markers = r["markers"]
    m = markers[(markers["category"] == "distancing") & (markers["marker"] == "(all)")].set_index("group")
    out.append(("06_markers_en",
                "Distancing, delegitimising, hedging, boosting and scare quotes per 10,000 tokens: distancing "
                "('so-called', 'alleged', ...) at "
                + ", ".join(f"{m.loc[g, 'per_10k']:.1f} in {display(g)}" for g in groups if g in m.index) + "."
                + small))
    ag = r["agency"]
    a = ag[(ag["agency"] == "agentless") & ag["group"].isin(groups)].set_index("group")
    out.append(("06_agency_en",
                "Grammatical agency in sentences that report killing: the killer is left out in "
                + ", ".join(f"{a.loc[g, 'share']:.0%} [{a.loc[g, 'share_low']:.0%}, {a.loc[g, 'share_high']:.0%}] of "
                            f"{display(g)}'s {int(a.loc[g, 'total']):,} expressions" for g in groups if g in a.index)
                + "." + small))
    return out


# --- 07 rigour ---------------------------------------------------------------------------------

_TEST_NAMES = {"sig_lrc": "LRC", "sig_wilcoxon": "Wilcoxon (BH)", "sig_bootstrap": "the document bootstrap",
               "sig_docs": "text dispersion"}


def _survival_sentence(review, top: int) -> str:
    from framescope.analysis.rigour import survival

    surv = survival(review, top).set_index("test")
    head = review[review["g2"] > 0].nlargest(top, "g2")
    every = head[[c for c in surv.index if c.startswith("sig_")]].all(axis=1)
    parts = ", ".join(f"{name} {int(surv.loc[t, 'survive'])}" for t, name in _TEST_NAMES.items() if t in surv.index)
    return (f"Of the top {int(surv.loc['all', 'of'])} pro-Damascus state-media keywords by G² in FA-KES (against "
            f"Reuters copy), "
            f"the checks keep: {parts}; {int(surv.loc['all', 'survive'])} pass all five tests "
            f"({', '.join(head.loc[every, 'term'].head(6))}). The figure shows the top 30 with the log ratio "
            f"shrinking to the conservative LRC ({review.attrs['n_tests']:,} terms tested, Bonferroni for LRC, "
            f"Benjamini–Hochberg for the p-values, {review.attrs['n_boot']} bootstrap replicates).")


def _network_sentence(edges, node: str, top: int) -> str:
    first = edges[edges["depth"] == 1].iloc[0]
    words = set(edges["source"]) | set(edges["target"])
    second = edges[edges["depth"] == 2]
    shared = second.groupby("target")["source"].nunique().sort_values(ascending=False, kind="mergesort")
    hub = (f"; '{shared.index[0]}' is reached from {int(shared.iloc[0])} of the node's collocates"
           if len(shared) and shared.iloc[0] > 1 else "")
    return (f"Collocation network of '{node}' in FA-KES (GraphColl style: top {top} "
            f"collocates by logDice, ±{int(first['span'])} tokens, ≥ {edges.attrs['min_freq']} co-occurrences, "
            f"two levels): {len(words)} words and {len(edges)} edges; the strongest collocate is "
            f"'{first['target']}' (logDice {first['value']:.1f}, {int(first['o11'])} co-occurrences){hub}.")


def _robustness_sentence(table, top: int) -> str:
    parts = []
    for analysis, what in (("keyness", f"the top {top} pro-Damascus state-media keywords"),
                           ("collocates", f"the top {top} collocates of '{table.attrs['node']}'")):
        part = table[table["analysis"] == analysis]
        if part.empty:
            continue
        n = len(part)
        text = (f"for {what} the mean Jaccard over the {n} choice{'s' if n > 1 else ''} is "
                f"{part['jaccard'].mean():.2f} (Spearman {part['spearman'].mean():.2f})")
        worst = part.sort_values(["jaccard", "spearman"], kind="mergesort").iloc[0]
        if worst["jaccard"] < 1.0:
            text += (f"; '{worst['choice']}' ({worst['setting']}) moves them most (Jaccard {worst['jaccard']:.2f}, "
                     f"ρ {worst['spearman']:.2f})")
        same = [f"{r.choice} ({r.setting})" for r in part.itertuples() if r.jaccard == 1.0]
        if same:
            text += f", {' and '.join(same)} leave{'s' if len(same) == 1 else ''} them unchanged"
        parts.append(text)
    return "Preprocessing sensitivity (Denny & Spirling 2018), each choice against the default: " + "; ".join(parts) + "."


def rigour_sentences(r: Results) -> list[tuple[str, str]]:
    review, node, en = r["review"], r["NODE"], r["en"]
    compared = pd.concat([en.subset(q).documents["design"] for q in (r["TARGET"], r["REFERENCE"])])
    return [("07_keyness_review_en",
             _survival_sentence(review, r["TOP"]) + _left_out(review)
             + _small(en, "design", list(dict.fromkeys(compared.dropna())))),
            (f"07_network_en_{node}", _network_sentence(r["edges"], node, r["NET_TOP"])),
            ("07_robustness_en", _robustness_sentence(r["robust"], r["ROBUST_TOP"]))]


# --- 08 events ---------------------------------------------------------------------------------

def events_sentences(r: Results) -> list[tuple[str, str]]:
    result, best, agree = r["result"], r["best"], r["agreement"].iloc[0]
    tolls = r["profile"].dropna(subset=["toll_max"])
    within = r["within"]
    config = result.meta["config"]

    def contrast(measure: str, fmt: str) -> str:
        t = within[within["measure"] == measure]
        parts = []
        for g in sorted(set(t["group"])):
            m = t[(t["group"] == g) & (t["design"] == "matched")].iloc[0]
            u = t[(t["group"] == g) & (t["design"] == "unmatched")].iloc[0]
            parts.append(f"{display(g)} {m['estimate']:{fmt}} [{m['estimate_low']:{fmt}}, {m['estimate_high']:{fmt}}] inside "
                         f"{int(m['n_events'])} shared events against {u['estimate']:{fmt}} unmatched")
        return "; ".join(parts)

    return [("08_event_profile_en",
             f"FA-KES matched to events (place, ±{config['window_days']} days, TF-IDF cosine ≥ "
             f"{config['similarity']} or a shared casualty number): {result.meta['events']:,} events, "
             f"{result.meta['events_with_two_or_more_outlets']} covered by two or more outlets; against FA-KES's own "
             f"(location, date) coding pairwise precision {agree['precision']:.2f}, recall {agree['recall']:.2f}, "
             f"ARI {agree['ari']:.2f}. The best-covered event ({best['place_name']}, {best['date_start']:%d %B %Y}, "
             f"{best['n_outlets']} outlets) has death tolls from {int(tolls['toll_min'].min())} to "
             f"{int(tolls['toll_max'].max())} claimed."),
            ("08_within_event_en",
             f"Differences from {display(within.attrs['reference'])} media ({result.meta['group_column']}) inside "
             f"events (event fixed effects, 95% intervals resampling events) and unmatched: 'terrorists' per "
             f"10,000 tokens {contrast('terrorists_per_10k', '+.0f')}; share of articles citing an NGO "
             f"{contrast('cites_ngo', '+.2f')}.")]


#: notebook → the function that writes its figures' sentences from what the notebook left
SENTENCES: dict[str, Callable[[Results], list[tuple[str, str]]]] = {
    "01_corpus_overview": overview_sentences, "02_keyness": keyness_sentences,
    "03_collocations": collocation_sentences, "04_topics": topic_sentences,
    "05_seeds_vs_outlets": seeds_sentences, "06_framing": framing_sentences, "07_rigour": rigour_sentences,
    "08_events": events_sentences}


# --- the whole demo -------------------------------------------------------------------------------

def _section(name: str) -> str:
    return name.replace("_", " ")


def _value(v) -> str:
    return repr(tuple(v)) if isinstance(v, list) else repr(v)


def write_readme(folder: Path, records: Sequence[FigureRecord], corpus, options,
                 parameters: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write ``figures/README.md``: per notebook its parameters and one line per figure.

    Each figure's line links its PNG and PDF and gives its generated sentence. The file holds
    no timings, so that a rerun on the same corpus gives the same file.

    Parameters
    ----------
    folder : pathlib.Path
        The figures folder; ``README.md`` in it is overwritten.
    records : sequence of FigureRecord
        The figures, in the order they are listed; grouped by their ``section``.
    corpus : Corpus
        The corpus the figures were made from (its ``corpus_id`` is recorded).
    options : TokenOptions
        The token options of the analyses (numbers, minimum length and stopwords are
        recorded).
    parameters : mapping of str to mapping
        Section → the parameters its notebook ran with; all but the run parameters
        (corpus and figure folders, ...) are listed under the section.

    Returns
    -------
    pathlib.Path
        The README written.
    """
    lines = ["# Figures", "",
             "Written by `framescope demo` from the default corpus (seeds + FA-KES + SaudiNewsNet), which runs "
             "`notebooks/01`–`08` top to bottom. Each figure is a PDF (fonts embedded) and a 300-dpi PNG. "
             "The sentences are generated from the data.", "",
             f"**Design.** {EN_DESIGN_SENTENCE} {AR_DESIGN_SENTENCE} Groups under the floor of 30 documents or "
             f"10,000 running words are named in the sentences of the figures that compare them.", "",
             f"corpus_id `{corpus.corpus_id}`; token options: numbers {options.numbers}, min_length "
             f"{options.min_length}, stopwords {'removed' if options.stopwords else 'kept'}.", ""]
    for section in dict.fromkeys(r.section for r in records):
        lines += [f"## {section}", ""]
        params = parameters.get(section, {})
        shown = {k: v for k, v in params.items() if k not in RUN_PARAMETERS}
        if shown:
            lines += ["Parameters: " + ", ".join(f"`{k} = {_value(v)}`" for k, v in shown.items()) + ".", ""]
        lines += [f"- [`{r.name}.png`]({r.name}.png) ([PDF]({r.name}.pdf)) — {r.sentence}"
                  for r in records if r.section == section]
        lines.append("")
    path = folder / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


#: Seconds each notebook takes in ``framescope demo`` on the default corpus (2 idle cores,
#: measured in docs/performance.md). Only the order in which notebooks are handed to the
#: processes reads them (longest first, so that the last one to finish is a short one);
#: what a notebook computes never depends on them.
NOTEBOOK_SECONDS = {"01_corpus_overview": 3, "02_keyness": 5, "03_collocations": 12, "04_topics": 27,
                    "05_seeds_vs_outlets": 2, "06_framing": 5, "07_rigour": 9, "08_events": 8}
#: Most processes :func:`default_jobs` gives: each one holds the corpus, its tokens and the
#: document-term matrix (about 2 GB for the default corpus).
MAX_JOBS = 4


def default_jobs() -> int:
    """Processes that run the demo's notebooks by default: the cores this process may use, at most :data:`MAX_JOBS`.

    Returns
    -------
    int
        ``len(os.sched_getaffinity(0))`` (``os.cpu_count()`` where there is no affinity),
        between 1 and :data:`MAX_JOBS`.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


@dataclass
class NotebookRun:
    """What ``run_demo`` keeps of one notebook run (picklable: it comes back from a worker process).

    Parameters
    ----------
    name : str
        The notebook.
    parameters : dict
        The parameters it ran with (``__parameters__`` of :func:`run_notebook`).
    sentences : list of tuple
        ``(figure, sentence)`` from :data:`SENTENCES`.
    written : list of str
        Stems of the PNGs it wrote (into its own folder).
    small : list of str
        Groups under the size floor its comparisons warned about.
    warnings : list of str
        Other warnings, formatted.
    slowest : list of tuple
        ``(first line, seconds)`` of its three slowest cells.
    seconds : float
        Wall time of the notebook.
    process : int
        0: run in the demo's own process; 1..: the worker process that ran it.
    """

    name: str
    parameters: dict
    sentences: list
    written: list
    small: list
    warnings: list
    slowest: list
    seconds: float
    process: int


def _run_one(name: str, given: Mapping[str, Any], figures: Path, process: int) -> NotebookRun:
    """Run notebook ``name`` with its figures written into ``figures`` (a folder of its own)."""
    import matplotlib.pyplot as plt

    began = time.perf_counter()
    # The README names every group under the floor; the log says so once per notebook
    # instead of one Python warning per table.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SmallGroupWarning)
        ns = run_notebook(name, {**given, **({"FIGURES": str(figures)} if "FIGURES" in given else {})})
    other = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno).rstrip()
             for w in caught if not issubclass(w.category, SmallGroupWarning)]
    small = sorted({str(w.message).split(": ", 1)[-1] for w in caught if issubclass(w.category, SmallGroupWarning)})
    plt.close("all")
    sentences = SENTENCES[name](Results(name, ns))
    slowest = sorted(ns["__seconds__"].items(), key=lambda kv: -kv[1])[:3]
    return NotebookRun(name, dict(ns["__parameters__"]), list(sentences),
                       sorted(p.stem for p in Path(figures).glob("*.png")), small, other, slowest,
                       time.perf_counter() - began, process)


def _take(counter) -> int:
    """The next index of the shared notebook order (each index is handed out once)."""
    with counter.get_lock():
        i = counter.value
        counter.value += 1
    return i


def _portable(exc: BaseException, name: str) -> BaseException:
    """``exc`` if it survives pickling (to the demo's process), else a FramescopeError saying what it was."""
    import pickle
    import traceback

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        exc = FramescopeError(f"notebook {name}: {type(exc).__name__}: {exc}")
    if hasattr(exc, "add_note"):
        exc.add_note("in a worker process of framescope demo:\n" + traceback.format_exc().rstrip())
    return exc


def _worker(corpus_dir: str, order: list, given: dict, scratch: str, counter, results, process: int) -> None:
    """Worker process ``process`` (1..): notebook ``order[process - 1]``, then the next of ``order`` until none is left."""
    report.open_session(corpus_dir, progress=False)  # the notebooks' session, without progress bars here
    i = process - 1
    while True:
        if i >= len(order):
            return
        name = order[i]
        try:
            results.put(("done", _run_one(name, given[name], Path(scratch) / name, process)))
        except BaseException as exc:  # noqa: BLE001 - handed to the demo's process, which raises it
            results.put(("error", name, _portable(exc, name)))
            return
        i = _take(counter)


def _run_notebooks(corpus_dir: Path, chosen: list, given: dict, scratch: Path, jobs: int,
                   ready: Callable[[], None], finished: Callable[[NotebookRun], None]) -> None:
    """Run ``chosen``: in this process (``jobs`` 1), or here and in ``jobs - 1`` spawned workers.

    The notebooks are independent once the corpus and its token store exist. With workers,
    worker *k* starts with the *k*-th notebook of one shared order (longest first,
    :data:`NOTEBOOK_SECONDS`), this process with the next, and each process then takes the
    next one left until none is; ``ready`` runs here once the workers have
    started (they open the corpus meanwhile); ``finished`` is called here, in the order the
    notebooks finish, and the caller puts the results back in notebook order.
    """
    if jobs <= 1:
        ready()
        for name in chosen:
            finished(_run_one(name, given[name], scratch / name, 0))
        return
    import multiprocessing
    import queue

    order = sorted(chosen, key=lambda n: -NOTEBOOK_SECONDS.get(n, 0))  # stable: ties keep notebook order
    ctx = multiprocessing.get_context("spawn")  # as everywhere in framescope
    # worker k starts with order[k - 1] (the longest: this process is ready first and starts
    # with the next); then each process takes the next one left
    counter, results = ctx.Value("i", jobs - 1), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(str(corpus_dir), order, given, str(scratch), counter, results, k),
                           name=f"framescope-demo-{k}") for k in range(1, jobs)]
    done = 0

    def handle(item) -> None:
        nonlocal done
        if item[0] == "error":
            raise item[2]
        done += 1
        finished(item[1])

    try:
        for w in workers:
            w.start()
        ready()
        while (i := _take(counter)) < len(order):  # this process takes its share too
            finished(_run_one(order[i], given[order[i]], scratch / order[i], 0))
            done += 1
            with contextlib.suppress(queue.Empty):
                while True:
                    handle(results.get_nowait())
        while done < len(order):
            try:
                handle(results.get(timeout=2))
            except queue.Empty:
                dead = [w for w in workers if w.exitcode not in (None, 0)]
                if dead:
                    raise FramescopeError(f"a worker process of the demo ended with exit code {dead[0].exitcode} "
                                          f"(out of memory? try --jobs 1)") from None
    finally:
        for w in workers:
            if w.is_alive() and done < len(order):
                w.terminate()  # an error elsewhere: the other notebooks are not waited for
            w.join()


def run_demo(corpus_dir="out/corpus", figures="figures", parameters: Mapping[str, Any] | None = None,
             rebuild: bool = False, notebooks: Sequence[str] = NOTEBOOKS,
             progress: bool | None = None, jobs: int | None = None) -> list[FigureRecord]:
    """Build (if needed) the default corpus, run ``notebooks``, write their figures and README.md.

    The corpus is tokenised once (the token store beside it) and, in each process, opened
    once and shared by its notebooks (:func:`framescope.report.open_session`). The notebooks
    are independent of each other: with ``jobs`` > 1 they run in this process and ``jobs - 1``
    spawned worker processes at once, each notebook writing its figures into a folder of
    its own, moved into ``figures`` when it has finished; the README is written from the
    results in notebook order, so it and every figure are the same bytes with any ``jobs``.
    A notebook that does not write exactly the figures that :mod:`framescope.demo`
    describes is an error.

    Parameters
    ----------
    corpus_dir : str or path-like, default "out/corpus"
        Folder of the default corpus (seeds + FA-KES + SaudiNewsNet); built there if missing.
    figures : str or path-like, default "figures"
        Folder the figures (PDF + PNG) and ``README.md`` are written to; created if missing.
    parameters : mapping of str to object, optional
        Overrides of notebook parameters by name (e.g. ``{"N_BOOT": 50}``), applied in every
        notebook that has them; a name that is a parameter of none of ``notebooks`` is an
        error.
    rebuild : bool, default False
        Rebuild the corpus even if ``corpus_dir`` holds one.
    notebooks : sequence of str, default NOTEBOOKS
        Notebooks to run, by name from :data:`NOTEBOOKS` or by number (``"02"``).
    progress : bool or None, default None
        Progress bar while tokenising (None: only on a terminal).
    jobs : int, optional
        Processes that run notebooks at once (at most one per notebook); default
        :func:`default_jobs` (the cores available, at most :data:`MAX_JOBS`). Each holds
        the corpus and its tokens: about 2 GB per process for the default corpus.

    Returns
    -------
    list of FigureRecord
        Every figure written, with its sentence and section, in the order of the README.
    """
    import shutil
    import sys

    from framescope.analysis.tokens import open_token_store
    from framescope.corpus.build import ensure_default_corpus

    started = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - started:6.0f} s] {msg}", flush=True)

    chosen = []
    for n in notebooks:
        match = [name for name in NOTEBOOKS if name == n or name.split("_")[0] == n]
        if not match:
            raise FramescopeError(f"no notebook {n!r} (notebooks: {', '.join(NOTEBOOKS)})")
        chosen.append(match[0])
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise FramescopeError(f"jobs must be >= 1, not {jobs}")
    jobs = min(jobs, len(chosen))
    parameters = dict(parameters or {})
    known = {name: notebook_parameters(notebook_cells(notebook_path(name))[0]) for name in chosen}
    unused = sorted(k for k in parameters if not any(k in p for p in known.values()))
    if unused:
        raise FramescopeError(f"{unused[0]!r} is a parameter of none of the notebooks {', '.join(chosen)}")
    corpus_dir = Path(corpus_dir).resolve()
    ensure_default_corpus(corpus_dir, rebuild)
    session = report.open_session(corpus_dir, progress=progress)
    folder = Path(figures).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    log(f"corpus {session.corpus.corpus_id}: {len(session.corpus.documents):,} documents; tokenising once ...")
    # the token store first (built now, or already there): every process reads it
    open_token_store(corpus_dir, session.options, corpus=session.corpus,
                     progress=sys.stderr.isatty() if progress is None else bool(progress))
    runs: dict[str, NotebookRun] = {}

    def finished(run: NotebookRun) -> None:
        where = f"process {run.process}" if run.process else "main process"
        for text in run.warnings:
            print(f"{run.name}: {text}", file=sys.stderr, flush=True)
        log(f"{run.name} done in {run.seconds:.0f} s ({where}): {len(run.sentences)} figures; slowest cells: "
            + ", ".join(f"line {line} {sec:.0f} s" for line, sec in run.slowest))
        if run.small:
            log(f"  {run.name}: groups under the floor (named in the README): {'; '.join(run.small)}")
        described = [f for f, _ in run.sentences]
        missing = [f for f in described if f not in run.written]
        extra = sorted(set(run.written) - set(described))
        if missing:
            raise FramescopeError(f"notebook {run.name} did not write {missing[0]}.png")
        if extra:
            raise FramescopeError(f"notebook {run.name} wrote {extra[0]}.png, which figures/README.md does not "
                                  f"describe (add its sentence to framescope.demo)")
        for path in sorted((scratch / run.name).iterdir()):
            shutil.move(str(path), str(folder / path.name))
        runs[run.name] = run

    with tempfile.TemporaryDirectory(prefix="framescope-demo-") as tmp:
        scratch = Path(tmp)
        run = {"CORPUS": str(corpus_dir), "FIGURES": str(folder), "BUILD_IF_MISSING": False,
               "OUT": str(scratch / "exports")}  # exports (GraphML, CSV) are not part of the demo
        given = {name: {k: v for k, v in {**run, **parameters}.items() if k in known[name]} for name in chosen}
        for name in chosen:
            (scratch / name).mkdir()
        if jobs > 1:
            log(f"{len(chosen)} notebooks in {jobs} processes (this one and {jobs - 1} worker"
                f"{'s' if jobs > 2 else ''}), longest first ...")

        def ready() -> None:
            session.matrix  # noqa: B018 (this process's tokens, from the token store)
            log(f"{session.encoded.n_tokens:,} tokens")

        _run_notebooks(corpus_dir, chosen, given, scratch, jobs, ready, finished)
    records = [FigureRecord(f, s, _section(name)) for name in chosen for f, s in runs[name].sentences]
    used = {_section(name): runs[name].parameters for name in chosen}
    readme = write_readme(folder, records, session.corpus, session.options, used)
    log(f"{len(records)} figures and {readme} written in {(time.time() - started) / 60:.1f} min")
    return records
