"""Corpus build of SaudiNewsNet: seconds, MB/s, peak RSS; one process vs ``--workers``.

    python benchmarks/bench_build.py [--workers 1 2] [--source saudinewsnet:DIR]

Each build runs in a fresh process (``framescope build`` through :func:`framescope.corpus.build.build`)
into a temporary folder that is deleted afterwards. The anchor is the single-process
build, measured in the same run; every other build must give byte-identical files
(column ``same files``). MB/s is the size of the input zips over the build's seconds.
Target (issue 7): peak RSS ≤ 1.5 GB.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import input_mb, print_table, ratios, report, run_child, saudinewsnet_dir, save_results  # noqa: E402

FILES = ("documents.parquet", "segments.parquet", "rejects.csv", "manifest.json")


def child(source: str, out: str, workers: int, scheduler: str) -> None:
    from framescope.corpus.build import build
    from framescope.corpus.parallel import Backend

    cluster = None
    if scheduler == "localcluster":
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        scheduler = cluster.scheduler_address
    started = time.perf_counter()
    result = build([source], out, progress=False, backend=Backend(workers=workers if not cluster else 1,
                                                                   scheduler=scheduler))
    seconds = time.perf_counter() - started
    if cluster is not None:
        cluster.close()
    c = result.manifest["counts"]
    report(seconds=seconds, documents=c["documents"], segments=c["segments"],
           corpus_id=result.manifest["corpus_id"])


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for name in FILES:
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def measure(source: str, size_mb: float, runs: list[tuple[str, int, str]], name: str, title: str,
            notes: list[str], folder: Path | None = None) -> list[dict]:
    """Build once per run (label, workers, scheduler), each in a fresh process, into
    ``folder``/<n> (default: a temporary folder removed at the end); rows with ratios."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="fs-bench-build-") as tmp:
        for k, (label, workers, scheduler) in enumerate(runs):
            out = Path(folder or tmp) / f"build-{k}"
            r = run_child([__file__, "--child", source, str(out), str(workers), scheduler], label)
            r["mb_s"] = size_mb / r["seconds"]
            r["docs_s"] = r["documents"] / r["seconds"]
            r["digest"] = digest(out)
            r["path"] = str(out)
            rows.append(r)
    anchor = rows[0]
    ratios(rows, anchor, ["seconds", "rss_mb", "tree_mb"])
    for r in rows:
        r["same"] = "yes" if r["digest"] == anchor["digest"] else "NO"
    text = print_table(title, rows, [
        ("label", "build", ""), ("documents", "documents", "d"), ("seconds", "seconds", ".1f"),
        ("seconds_x", "× time", ".2f"), ("cpu_s", "CPU s", ".0f"), ("mb_s", "MB/s (zips)", ".3f"), ("docs_s", "docs/s", ".0f"),
        ("rss_mb", "peak RSS MB", ".0f"), ("rss_mb_x", "× RSS", ".2f"), ("tree_mb", "peak RSS all processes MB", ".0f"),
        ("tree_mb_x", "× all", ".2f"), ("same", "same files", "")], notes)
    save_results(name, text)
    return rows


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        child(argv[1], argv[2], int(argv[3]), argv[4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (first = anchor)")
    ap.add_argument("--source", help="build source (default: saudinewsnet:<shared data>)")
    args = ap.parse_args(argv)
    folder = saudinewsnet_dir()
    source = args.source or f"saudinewsnet:{folder}"
    size = input_mb(Path(source.split(":", 1)[1])) if args.source else input_mb(folder)
    runs = [(f"--workers {w}", w, "local") for w in args.workers]
    rows = measure(source, size, runs, "build", f"Build: {source.split(':', 1)[0]} ({size:.1f} MB of zips)",
                   ["anchor: the single-process build (first row), measured in the same run",
                    "peak RSS: the main process (VmHWM); all processes: main + workers, sampled every 0.1 s",
                    "target: peak RSS ≤ 1.5 GB"])
    worst = max(r["tree_mb"] for r in rows)
    print(f"target peak RSS ≤ 1536 MB: {'met' if worst <= 1536 else 'NOT met'} (worst {worst:.0f} MB)")
    return 0 if all(r["same"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
