"""Keyness on SaudiNewsNet: whole corpus in memory (the anchor) vs streamed partitions vs workers.

    python benchmarks/bench_keyness.py [--corpus DIR] [--bootstrap 1000] [--workers 2]

Target: the state news agency (outlet ``was``, SPA) against the rest of SaudiNewsNet,
all 15 measures of the keyness table with the document bootstrap CI of the log ratio.
Rows, each in a fresh process:
* anchor — ``corpus.load`` + :func:`analysis.keyness.keyness` (the whole corpus in memory);
* :func:`analysis.parallel.keyness`, one process: partitions read by row group;
* the same with a pool of ``--workers`` processes.
All three tables must be identical (SHA-256 of the CSV). Without ``--corpus`` the corpus
is built first into a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import print_table, ratios, run_child, saudinewsnet_dir, save_results  # noqa: E402

COUNTING = str(Path(__file__).resolve().parent / "_counting.py")


def built_corpus(tmp: str) -> str:
    """The SaudiNewsNet corpus, built once (not measured) into ``tmp``."""
    import bench_build

    out = Path(tmp) / "saudinewsnet"
    run_child([bench_build.__file__, "--child", f"saudinewsnet:{saudinewsnet_dir()}", str(out), "2", "local"],
              "build SaudiNewsNet (set-up, not measured)")
    return str(out)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a built SaudiNewsNet corpus folder (default: build one)")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    kwargs = {"target": "outlet == 'was'", "n_boot": args.bootstrap}
    with tempfile.TemporaryDirectory(prefix="fs-bench-keyness-") as tmp:
        corpus = args.corpus or built_corpus(tmp)
        rows = []
        for label, kind, workers in [("whole corpus in memory (anchor)", "keyness-in-memory", 1),
                                     ("streamed partitions, 1 process", "keyness", 1),
                                     (f"streamed partitions, --workers {args.workers}", "keyness", args.workers)]:
            r = run_child([COUNTING, kind, corpus, str(workers), "local", json.dumps(kwargs)], label)
            r["what"] = label
            rows.append(r)
    ratios(rows, rows[0], ["seconds", "rss_mb", "tree_mb"])
    for r in rows:
        r["same"] = "yes" if r["digest"] == rows[0]["digest"] else "NO"
    text = print_table("Keyness: SPA (outlet was) vs the rest of SaudiNewsNet", rows, [
        ("what", "run", ""), ("rows", "terms", "d"), ("n_tokens", "tokens", "d"), ("seconds", "seconds", ".1f"),
        ("seconds_x", "× time", ".2f"), ("cpu_s", "CPU s", ".0f"), ("rss_mb", "peak RSS MB", ".0f"), ("rss_mb_x", "× RSS", ".2f"),
        ("tree_mb", "peak RSS all processes MB", ".0f"), ("same", "same table", "")],
        [f"keyness(target=\"outlet == 'was'\", n_boot={args.bootstrap}), default token options, min_freq 5",
         "anchor: the whole corpus loaded in memory (corpus.load), measured in the same run"])
    save_results("keyness", text)
    return 0 if all(r["same"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
