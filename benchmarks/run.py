"""Run every benchmark: ``make bench`` (never CI).

    python benchmarks/run.py [NAME ...] [-- ARGS...]

Discovers ``benchmarks/bench_*.py`` and runs each in its own subprocess, one after the
other (they measure time and memory: never two at once). ``NAME`` selects benchmarks by
the part after ``bench_`` (e.g. ``build scale``); arguments after ``--`` go to each.
Each benchmark prints its table with ratios to an anchor measured in the same run;
benchmarks/RESULTS.md records the latest results. A benchmark that saves no table of its own
(``_harness.save_results``; e.g. ``bench_claims.py``, which prints its anchor and ratios) is
registered from its printed output: a section headed by the first line of its docstring.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
#: order of the sections in RESULTS.md (tables saved by each benchmark under _data/results)
ORDER = ["build", "tokens", "collocations", "keyness", "keyness_bootstrap", "scale", "dask", "dask_count", "topics",
         "claims"]


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading, text) of each ``### `` section of a Markdown text, in order."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.startswith("### "):
            out.append((line, line + "\n"))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line + "\n")
    return [(h, t.rstrip() + "\n") for h, t in out]


def _name(section: str) -> str | None:
    """The benchmark table a RESULTS.md section came from (its marker line), if it says."""
    match = re.search(r"^<!-- results: (\S+) -->$", section, flags=re.M)
    return match.group(1) if match else None


def write_results() -> Path | None:
    """benchmarks/RESULTS.md: the latest table of every benchmark (each table carries the
    machine, date and load of its own run).

    Tables come from benchmarks/_data/results (one file per benchmark table run on this
    machine, named in the section by a marker line). Every section of the current
    RESULTS.md made by the same table is replaced by the fresh one (in the place of the
    first), so an old heading never lingers; a section that no fresh table replaces is
    kept where it was, so running one benchmark updates only its own tables.
    """
    sys.path.insert(0, str(HERE))
    from _harness import machine

    folder = HERE / "_data" / "results"
    tables = sorted(folder.glob("*.md"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    if not tables:
        return None
    fresh = {t.stem: t.read_text(encoding="utf-8").rstrip() + "\n" for t in tables}
    old = _sections(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else []
    body, placed = [], set()
    for heading, text in old:
        name = _name(text) or next((n for n, t in fresh.items() if t.startswith(heading + "\n")), None)
        if name in fresh:
            if name not in placed:
                body.append(fresh[name])
                placed.add(name)
        else:
            body.append(text)
    body += [text for name, text in fresh.items() if name not in placed]
    m = machine()
    head = ["# Benchmark results", "",
            "Written by `make bench` (`python benchmarks/run.py`) from the latest run of each benchmark; "
            "never run by CI. Every table gives its anchor, measured in the same run, and the ratio to it. "
            f"Machine: {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}.", ""]
    RESULTS.write_text("\n".join(head) + "\n" + "\n".join(body), encoding="utf-8")
    return RESULTS


def _saved_tables() -> dict[str, float]:
    """Tables in benchmarks/_data/results and their modification times."""
    folder = HERE / "_data" / "results"
    return {p.name: p.stat().st_mtime for p in folder.glob("*.md")} if folder.is_dir() else {}


def _run_teed(command: list[str]) -> tuple[int, str]:
    """Run ``command``, echoing its standard output as it comes, and return (exit code, output)."""
    proc = subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return proc.wait(), "".join(lines)


def register_output(script: Path, output: str) -> Path:
    """Save the printed output of a benchmark that writes no table as its RESULTS.md section.

    Parameters
    ----------
    script : pathlib.Path
        The benchmark (``bench_NAME.py``); its docstring's first line is the heading.
    output : str
        What it printed (its own anchor and ratios).

    Returns
    -------
    pathlib.Path
        ``benchmarks/_data/results/NAME.md``.
    """
    import ast

    sys.path.insert(0, str(HERE))
    from _harness import machine, save_results

    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or script.stem
    m = machine()
    text = "\n".join([f"### {doc.splitlines()[0].rstrip('.')}", "",
                      f"{m['date']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}, "
                      f"load average {m['load_avg_1m']} at the end; `python benchmarks/{script.name}`", "",
                      "```", output.rstrip(), "```", ""])
    return save_results(script.stem[len("bench_"):], text)


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    scripts = sorted(HERE.glob("bench_*.py"))
    names = {s.stem[len("bench_"):]: s for s in scripts}
    unknown = [a for a in argv if a not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)} (have: {', '.join(names)})", file=sys.stderr)
        return 2
    chosen = [names[a] for a in argv] if argv else scripts
    failed = []
    summary = []
    for script in chosen:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        saved_before = _saved_tables()
        code, output = _run_teed([sys.executable, str(script), *extra])
        seconds = time.perf_counter() - started
        if code == 0 and _saved_tables() == saved_before and output.strip():
            register_output(script, output)
        summary.append(f"{script.name:<28} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:8.0f} s")
        if code != 0:
            failed.append(script.name)
    print("\n=== summary ===")
    print("\n".join(summary))
    written = write_results()
    if written:
        print(f"wrote {written.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
