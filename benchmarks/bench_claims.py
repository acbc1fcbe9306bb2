"""Casualty claims on one very long sentence: is extraction linear in the text length?

    python benchmarks/bench_claims.py [--repeat 3]

Issue 20, item 10: a single 150,000-character sentence took 15 s because some steps
compared every claim with every other one. Each row times :func:`framescope.analysis.framing.claims.find_claims`
(best of ``--repeat``) on a text of N characters; the anchor is the same call on N/10
characters, measured in the same run, so the ratio does not depend on the machine:
linear extraction gives a ratio near 10, quadratic near 100. Target: ratio <= 15 for
every text. Three texts: dense claims with sources and places (one claim every ~50
characters), plain words without any claim, and the worst case for the single-victim
rule ("a a a ...").
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = {
    "dense claims": "Six civilians were killed in Raqqa and the coalition said 20 people died, "
                    "according to the Observatory, ",
    "no claims": "the convoy moved slowly along the river road towards the northern villages ",
    "articles only": "a ",
}
LONG, TARGET = 150_000, 15.0


def best_time(text: str, repeat: int) -> tuple[float, int]:
    from framescope.analysis.framing.claims import find_claims

    best, n = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        n = len(find_claims(text, "en"))
        best = min(best, time.perf_counter() - started)
    return best, n


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from framescope.analysis.framing.claims import find_claims

    find_claims("Six civilians were killed.", "en")  # compile the lexicons outside the timing
    print(f"{'text':<14} {'chars':>8} {'claims':>7} {'seconds':>8} {'anchor s':>9} {'ratio':>6}  target <= {TARGET:g}")
    ok = True
    for name, unit in TEXTS.items():
        long = (unit * (LONG // len(unit) + 1))[:LONG]
        short = long[:LONG // 10]
        t_short, _ = best_time(short, args.repeat)
        t_long, n = best_time(long, args.repeat)
        ratio = t_long / t_short
        ok &= ratio <= TARGET
        print(f"{name:<14} {LONG:>8,} {n:>7,} {t_long:>8.2f} {t_short:>9.3f} {ratio:>6.1f}")
    print("linear: yes" if ok else "linear: NO (ratio above target)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
