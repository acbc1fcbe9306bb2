"""Run every benchmark: ``make bench`` (never CI).

    python benchmarks/run.py [NAME ...] [-- ARGS...]

Discovers ``benchmarks/bench_*.py`` and runs each in its own subprocess, one after the
other (they measure time and memory: never two at once). ``NAME`` selects benchmarks by
the part after ``bench_`` (e.g. ``build scale``); arguments after ``--`` go to each.
Each benchmark prints its table with ratios to an anchor measured in the same run;
benchmarks/RESULTS.md records the latest results.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
#: order of the sections in RESULTS.md (tables saved by each benchmark under _data/results)
ORDER = ["build", "collocations", "keyness", "scale", "dask", "topics"]


def write_results() -> Path | None:
    """benchmarks/RESULTS.md: the latest table of every benchmark (each table carries the
    machine, date and load of its own run)."""
    sys.path.insert(0, str(HERE))
    from _harness import machine

    folder = HERE / "_data" / "results"
    tables = sorted(folder.glob("*.md"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    if not tables:
        return None
    m = machine()
    head = ["# Benchmark results", "",
            "Written by `make bench` (`python benchmarks/run.py`) from the latest run of each benchmark; "
            "never run by CI. Every table gives its anchor, measured in the same run, and the ratio to it. "
            f"Machine: {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}.", ""]
    body = [t.read_text(encoding="utf-8").rstrip() + "\n" for t in tables]
    RESULTS.write_text("\n".join(head) + "\n" + "\n".join(body), encoding="utf-8")
    return RESULTS


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
        code = subprocess.call([sys.executable, str(script), *extra], cwd=HERE.parent)
        seconds = time.perf_counter() - started
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
