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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
