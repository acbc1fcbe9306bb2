"""Dask ``LocalCluster`` (2 worker processes) against one process: build and counting.

    python benchmarks/bench_dask.py [--workers 2] [--node التحالف] [--n-boot 200]

1. Build SaudiNewsNet in one process (anchor) and through a LocalCluster started in the
   measured process (one task per zip); files must be byte-identical.
2. Count on the built corpus: window collocates of a node by outlet, and keyness of the
   state news agency (outlet ``was``) against the rest, in one process (anchor), in a pool
   of worker processes and on a LocalCluster — the same functions (``fs.collocates``,
   ``fs.keyness``) with another ``backend=``; tables must be identical (SHA-256 of the CSV).
Every measurement runs in a fresh process; RSS of all processes = the measured process
plus the cluster's nanny and worker processes.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # noqa: E402
from _harness import print_table, ratios, run_child, saudinewsnet_dir, save_results, input_mb  # noqa: E402

COUNTING = str(Path(__file__).resolve().parent / "_counting.py")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    ap.add_argument("--node", default="التحالف", help="collocates node (default التحالف, 'the coalition')")
    ap.add_argument("--n-boot", "--bootstrap", dest="bootstrap", type=int, default=200,
                    help="keyness bootstrap replicates (default 200)")
    args = ap.parse_args(argv)
    folder = saudinewsnet_dir()
    source = f"saudinewsnet:{folder}"
    ok = True
    with tempfile.TemporaryDirectory(prefix="fs-bench-dask-") as tmp:
        cluster_label = f"Dask LocalCluster, {args.workers} workers"
        rows = []
        for k, (label, workers, scheduler) in enumerate([("one process", 1, "local"),
                                                          (cluster_label, args.workers, "localcluster")]):
            out = Path(tmp) / f"build-{k}"
            r = run_child([bench_build.__file__, "--child", "-", source, str(out), str(workers), scheduler], label)
            r.update(what=label, path=str(out), digest=bench_build.digest(out))
            r["mb_s"], r["docs_s"] = input_mb(folder) / r["seconds"], r["documents"] / r["seconds"]
            rows.append(r)
        ratios(rows, rows[0], ["seconds", "rss_mb", "tree_mb"])
        for r in rows:
            r["same"] = "yes" if (r["digest"], r["corpus_id"]) == (rows[0]["digest"], rows[0]["corpus_id"]) else "NO"
        build_text = print_table("Dask vs one process: build of SaudiNewsNet", rows, [
            ("what", "build", ""), ("documents", "documents", "d"), ("seconds", "seconds", ".1f"),
            ("seconds_x", "× time", ".2f"), ("cpu_s", "CPU s", ".0f"), ("mb_s", "MB/s (zips)", ".3f"),
            ("docs_s", "docs/s", ".0f"), ("rss_mb", "peak RSS MB", ".0f"), ("rss_mb_x", "× RSS", ".2f"),
            ("tree_mb", "peak RSS all processes MB", ".0f"), ("tree_mb_x", "× all", ".2f"), ("same", "same files", "")],
            ["anchor: one process, measured in the same run; the cluster is started inside the measured process "
             "(its start-up is in the seconds)"])
        save_results("dask_build", build_text)
        ok &= all(r["same"] == "yes" for r in rows)
        corpus = rows[0]["path"]
        count_rows = []
        jobs = [("collocates", {"node": args.node, "by": "outlet"}),
                ("keyness", {"target": "outlet == 'was'", "n_boot": args.bootstrap})]
        for kind, kwargs in jobs:
            pair = []
            for label, workers, scheduler in [("one process", 1, "local"),
                                              (f"process pool, {args.workers} workers", args.workers, "local"),
                                              (cluster_label, args.workers, "localcluster")]:
                r = run_child([COUNTING, kind, corpus, str(workers), scheduler, json.dumps(kwargs, ensure_ascii=False)],
                              f"{kind}: {label}")
                r["what"] = f"{kind}: {label}"
                pair.append(r)
            ratios(pair, pair[0], ["seconds", "rss_mb", "tree_mb"])
            for r in pair:
                r["same"] = "yes" if r["digest"] == pair[0]["digest"] else "NO"
            ok &= all(r["same"] == "yes" for r in pair)
            count_rows += pair
    text = print_table("Dask vs one process: counting on SaudiNewsNet", count_rows, [
        ("what", "counting", ""), ("rows", "rows", "d"), ("seconds", "seconds", ".1f"), ("seconds_x", "× time", ".2f"), ("cpu_s", "CPU s", ".0f"),
        ("rss_mb", "peak RSS MB", ".0f"), ("tree_mb", "peak RSS all processes MB", ".0f"), ("tree_mb_x", "× all", ".2f"),
        ("same", "same table", "")],
        [f"collocates of {args.node} by outlet (window 5, min_freq 3); keyness outlet == 'was' vs the rest, "
         f"{args.bootstrap} bootstrap replicates",
         "anchor: one process (streamed by partitions), measured in the same run"])
    save_results("dask_count", text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
