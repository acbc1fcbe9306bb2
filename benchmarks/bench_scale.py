"""Bounded memory: SaudiNewsNet (1×) against a synthetic corpus ten times its size (10×).

    python benchmarks/bench_scale.py [--factor 10] [--build-workers 1] [--count-workers 2] [--keep DIR]

The 10× corpus is generated here by resampling SaudiNewsNet articles with replacement
(seeded) into zips of the same JSON format, in a temporary folder that is deleted
afterwards (never committed). Then, each in a fresh process:

1. build 1× and 10× (``--build-workers``, default one process);
2. count both with ``--include-duplicates`` semantics (the resampled copies are exact
   duplicates: without it 90 % of the 10× corpus would be skipped):
   * window collocates of a node by outlet — per-partition counts summed;
   * term frequencies by outlet with Gries' DP — per-partition sums, then DP's
     per-document terms from the partition matrices spilled to disk (two passes).

Targets (issue 7): build and counting peak RSS at 10× at most 20 % above 1×; counting
SaudiNewsNet ≤ 1.5 GB. The anchor of each row is its own 1× run, measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # noqa: E402
from _harness import print_table, run_child, saudinewsnet_dir, save_results  # noqa: E402

COUNTING = str(Path(__file__).resolve().parent / "_counting.py")
PER_ZIP = 3000


def read_articles(folder: Path) -> list[bytes]:
    """Every article of every zip, as its JSON text (bytes), in corpus order."""
    out = []
    for z in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for member in zf.infolist():
                if member.filename.endswith(".json"):
                    out.extend(json.dumps(a, ensure_ascii=False).encode("utf-8")
                               for a in json.loads(zf.read(member)))
    return out


def generate(source: Path, folder: Path, factor: int, seed: int = 0) -> dict:
    """Write ``factor`` × the articles of ``source`` resampled with replacement into ``folder``."""
    started = time.perf_counter()
    articles = read_articles(source)
    rng = random.Random(seed)
    n = factor * len(articles)
    folder.mkdir(parents=True, exist_ok=True)
    for k, start in enumerate(range(0, n, PER_ZIP)):
        picks = [articles[rng.randrange(len(articles))] for _ in range(min(PER_ZIP, n - start))]
        with zipfile.ZipFile(folder / f"syn-{k:04d}.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"syn-{k:04d}/articles.json", b"[" + b",".join(picks) + b"]")
    size = sum(p.stat().st_size for p in folder.glob("*.zip")) / 2**20
    print(f"  generated {n} articles ({factor}× {len(articles)}) in {size:.0f} MB of zips, "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return {"articles": n, "mb": size}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--build-workers", type=int, default=1)
    ap.add_argument("--count-workers", type=int, default=2)
    ap.add_argument("--node", default="التحالف")
    ap.add_argument("--keep", help="keep the generated zips and corpora in this folder")
    ap.add_argument("--source", help="folder of SaudiNewsNet zips for 1× (default: the shared collection)")
    args = ap.parse_args(argv)
    one = Path(args.source) if args.source else saudinewsnet_dir()
    with tempfile.TemporaryDirectory(prefix="fs-bench-scale-") as tmp:
        base = Path(args.keep or tmp)
        big = base / f"saudinewsnet-x{args.factor}"
        if not any(big.glob("*.zip")):
            generate(one, big, args.factor)
        builds = {}
        for scale, folder in [("1×", one), (f"{args.factor}×", big)]:
            out = base / f"corpus-{scale}"
            r = run_child([bench_build.__file__, "--child", "-", f"saudinewsnet:{folder}", str(out),
                           str(args.build_workers)], f"build {scale}")
            r["path"] = str(out)
            builds[scale] = r
        counts = {}
        jobs = [("collocates", {"node": args.node, "by": "outlet", "include_duplicates": True}),
                ("freq", {"by": "outlet", "include_duplicates": True})]
        for kind, kwargs in jobs:
            for scale, b in builds.items():
                counts[(kind, scale)] = run_child([COUNTING, kind, b["path"], str(args.count_workers), "local",
                                                   json.dumps(kwargs, ensure_ascii=False)], f"{kind} {scale}")
    big_key = f"{args.factor}×"
    rows = []

    def row(what, small, large, key, target):
        growth = large[key] / small[key] - 1.0
        rows.append({"what": what, "s1": small["seconds"], "s10": large["seconds"],
                     "time_x": large["seconds"] / small["seconds"], "cpu1": small.get("cpu_s"),
                     "cpu10": large.get("cpu_s"), "m1": small[key], "m10": large[key],
                     "growth": 100 * growth, "target": target(growth, large[key])})

    b_key = "rss_mb" if args.build_workers == 1 else "tree_mb"
    row(f"build ({args.build_workers} process{'es' if args.build_workers > 1 else ''})", builds["1×"],
        builds[big_key], b_key, lambda g, m: "met" if g <= 0.20 else "NOT met")
    for kind, label in [("collocates", "collocates"), ("freq", "freq (with DP)")]:
        row(f"{label}, {args.count_workers} workers", counts[(kind, "1×")], counts[(kind, big_key)], "tree_mb",
            lambda g, m: "met" if g <= 0.20 else "NOT met")
    tokens = {s: counts[("freq", s)].get("n_tokens") for s in ("1×", big_key)}
    text = print_table(f"Scale: SaudiNewsNet 1× vs {big_key} (resampled)", rows, [
        ("what", "step", ""), ("s1", "1× s", ".0f"), ("s10", f"{big_key} s", ".0f"), ("time_x", "× time", ".1f"),
        ("cpu1", "1× CPU s", ".0f"), ("cpu10", f"{big_key} CPU s", ".0f"),
        ("m1", "1× peak RSS MB", ".0f"), ("m10", f"{big_key} peak RSS MB", ".0f"), ("growth", "RSS growth %", "+.0f"),
        ("target", "target ≤ +20 %", "")],
        [f"documents: {builds['1×']['documents']} (1×) and {builds[big_key]['documents']} ({big_key}); tokens "
         f"counted (duplicates included): {tokens['1×']} and {tokens[big_key]}",
         "build: peak RSS of the build process" if b_key == "rss_mb" else "build: peak RSS of all processes",
         "counting: peak RSS of all processes (main + workers, sampled every 0.1 s)",
         f"collocates of {args.node} by outlet; freq by outlet; both with include_duplicates=True",
         "anchor of each row: its own 1× run in the same benchmark run"])
    save_results("scale", text)
    counting_peak = max(counts[(k, "1×")]["tree_mb"] for k, _ in jobs)
    print(f"counting SaudiNewsNet peak RSS ≤ 1536 MB: {'met' if counting_peak <= 1536 else 'NOT met'} "
          f"({counting_peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
