"""Keyness on SaudiNewsNet: the document bootstrap (issue 21) and the whole pipeline (issue 7).

    python benchmarks/bench_keyness.py [--corpus DIR] [--n-boot 1000] [--workers 2] [--part all|bootstrap|pipeline]

Target: the state news agency (outlet ``was``, SPA) against the rest of SaudiNewsNet, all
15 measures of the keyness table with the document bootstrap CI of the log ratio.

``--part bootstrap`` (issue 21, target ≤ 20 s for 1,000 replicates): the document-term
matrix is counted once (set-up, not measured) and saved; then, each in a fresh process,
:func:`framescope.analysis.keyness.keyness_matrix` with ``n_boot`` replicates
* anchor — the bootstrap engine of main before issue 21 (``_keyness_anchor.py``: float64
  replicate blocks, weights converted per block of terms, ``np.nanpercentile``), computing
  the same statistic (the current log ratio);
* the current engine (sparse products over integer resampling weights in float32 blocks).
Same answers: every column but the interval bounds must be identical, and the intervals
must agree statistically (two independent Monte Carlo runs of the same bootstrap: mean
difference of each bound within 0.02 bits, and the same verdict "CI excludes 0" for ≥ 99%
of the terms).

``--part pipeline`` (issue 7): corpus loading + counting + keyness, whole corpus in memory
(anchor) vs streamed partitions, 1 process and ``--workers`` processes; the three tables
must be identical (SHA-256 of the CSV).

Without ``--corpus`` the corpus is built first into a temporary folder.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import print_table, ratios, report, run_child, saudinewsnet_dir, save_results  # noqa: E402

HERE = Path(__file__).resolve()
COUNTING = str(HERE.parent / "_counting.py")
TARGET = "outlet == 'was'"


def built_corpus(tmp: str) -> str:
    """The SaudiNewsNet corpus, built once (not measured) into ``tmp``."""
    import bench_build

    out = Path(tmp) / "saudinewsnet"
    run_child([bench_build.__file__, "--child", "-", f"saudinewsnet:{saudinewsnet_dir()}", str(out), "2"],
              "build SaudiNewsNet (set-up, not measured)")
    return str(out)


# --- children ---------------------------------------------------------------------------------

def child_prepare(corpus_dir: str, out: str) -> None:
    """Count the document-term matrix once and save it with the target mask (not measured)."""
    import pickle

    import numpy as np

    import framescope.corpus as corpus_pkg
    from framescope.analysis.counts import dtm
    from framescope.analysis.keyness import masks_for
    from framescope.analysis.token_options import TokenOptions

    started = time.perf_counter()
    c = corpus_pkg.load(corpus_dir)
    m = dtm(c, TokenOptions())
    target, _ = masks_for(c, m, TARGET, None)
    with open(out, "wb") as fh:
        pickle.dump((m, np.asarray(target)), fh, protocol=pickle.HIGHEST_PROTOCOL)
    report(seconds=time.perf_counter() - started, n_docs=int(m.shape[0]), n_terms=int(m.shape[1]),
           nnz=int(m.matrix.nnz))


def child_bootstrap(engine: str, matrix_pkl: str, out: str, n_boot: int) -> None:
    """keyness_matrix with the ``engine`` ('anchor' or 'current') bootstrap; table saved to ``out``."""
    import pickle

    import framescope.analysis.keyness as key

    with open(matrix_pkl, "rb") as fh:
        m, target = pickle.load(fh)
    if engine == "anchor":
        import _keyness_anchor

        key.bootstrap_log_ratio = _keyness_anchor.bootstrap_log_ratio  # what _comparison calls
    inner = key.bootstrap_log_ratio
    spent = []

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    key.bootstrap_log_ratio = timed
    started = time.perf_counter()
    table = key.keyness_matrix(m, target, ~target, n_boot=n_boot, seed=0)
    seconds = time.perf_counter() - started
    table.to_pickle(out)
    report(seconds=seconds, boot_s=sum(spent), rows=len(table), n_docs=int(m.shape[0]))


# --- comparison of the two bootstrap tables ---------------------------------------------------

def compare_tables(anchor_pkl: str, current_pkl: str) -> dict:
    """Point estimates identical; interval bounds in statistical agreement (see module docstring)."""
    import numpy as np
    import pandas as pd

    a, c = pd.read_pickle(anchor_pkl), pd.read_pickle(current_pkl)
    bounds = ["log_ratio_low", "log_ratio_high"]
    same_points = a.drop(columns=bounds).equals(c.drop(columns=bounds))
    out = {"same_points": same_points}
    for col in bounds:
        d = (c[col] - a[col]).to_numpy()
        d = d[np.isfinite(d)]
        out[f"{col}_mean_diff"] = float(d.mean())
        out[f"{col}_median_abs_diff"] = float(np.median(np.abs(d)))
    excl = [((t["log_ratio_low"] > 0) | (t["log_ratio_high"] < 0)).to_numpy() for t in (a, c)]
    out["same_verdict"] = float((excl[0] == excl[1]).mean())
    out["agree"] = bool(same_points and out["same_verdict"] >= 0.99
                        and all(abs(out[f"{b}_mean_diff"]) <= 0.02 for b in bounds))
    return out


def part_bootstrap(corpus: str, tmp: str, n_boot: int) -> bool:
    pkl = str(Path(tmp) / "dtm.pkl")
    prep = run_child([str(HERE), "--child", "prepare", corpus, pkl], "count the matrix (set-up, not measured)")
    rows, tables = [], {}
    for label, engine in [("bootstrap before issue 21 (anchor)", "anchor"), ("sparse weights × counts, float32 blocks",
                                                                            "current")]:
        tables[engine] = str(Path(tmp) / f"{engine}.pkl")
        r = run_child([str(HERE), "--child", "bootstrap", engine, pkl, tables[engine], str(n_boot)], label)
        r["what"] = label
        rows.append(r)
    ratios(rows, rows[0], ["seconds", "boot_s", "rss_mb"])
    check = compare_tables(tables["anchor"], tables["current"])
    for r in rows:
        r["same"] = "anchor" if r is rows[0] else ("yes" if check["agree"] else "NO")
    text = print_table(f"Keyness bootstrap: SPA vs the rest of SaudiNewsNet, {n_boot:,} replicates", rows, [
        ("what", "engine", ""), ("rows", "terms", "d"), ("n_docs", "documents", "d"), ("seconds", "keyness s", ".1f"),
        ("seconds_x", "× time", ".2f"), ("boot_s", "bootstrap s", ".1f"), ("boot_s_x", "× bootstrap", ".2f"),
        ("cpu_s", "CPU s (process)", ".0f"), ("rss_mb", "peak RSS MB", ".0f"), ("rss_mb_x", "× RSS", ".2f"), ("same", "same answers", "")],
        [f"keyness_matrix(outlet == 'was' vs the rest, n_boot={n_boot}, seed=0) on a document-term matrix counted "
         f"once ({prep['n_docs']:,} documents × {prep['n_terms']:,} terms, {prep['nnz']:,} non-zeros; counting "
         f"{prep['seconds']:.0f} s, not measured); target: ≤ 20 s for 1,000 replicates",
         "anchor: the bootstrap engine before issue 21 on the same statistic, measured in the same run",
         f"same answers: point estimates identical ({check['same_points']}); bounds of two independent bootstrap "
         f"runs: mean difference {check['log_ratio_low_mean_diff']:+.4f} (low) / "
         f"{check['log_ratio_high_mean_diff']:+.4f} (high) bits, median |difference| "
         f"{check['log_ratio_low_median_abs_diff']:.3f} / {check['log_ratio_high_median_abs_diff']:.3f}, "
         f"same 'CI excludes 0' verdict for {100 * check['same_verdict']:.2f}% of terms"])
    save_results("keyness_bootstrap", text)
    return check["agree"]


def part_pipeline(corpus: str, n_boot: int, workers: int) -> bool:
    kwargs = {"target": TARGET, "n_boot": n_boot}
    rows = []
    for label, kind, w in [("whole corpus in memory (anchor)", "keyness-in-memory", 1),
                           ("streamed partitions, 1 process", "keyness", 1),
                           (f"streamed partitions, --workers {workers}", "keyness", workers)]:
        r = run_child([COUNTING, kind, corpus, str(w), "local", json.dumps(kwargs)], label)
        r["what"] = label
        rows.append(r)
    ratios(rows, rows[0], ["seconds", "rss_mb", "tree_mb"])
    for r in rows:
        r["same"] = "yes" if r["digest"] == rows[0]["digest"] else "NO"
    text = print_table("Keyness: SPA (outlet was) vs the rest of SaudiNewsNet", rows, [
        ("what", "run", ""), ("rows", "terms", "d"), ("n_tokens", "tokens", "d"), ("seconds", "seconds", ".1f"),
        ("seconds_x", "× time", ".2f"), ("cpu_s", "CPU s", ".0f"), ("rss_mb", "peak RSS MB", ".0f"), ("rss_mb_x", "× RSS", ".2f"),
        ("tree_mb", "peak RSS all processes MB", ".0f"), ("same", "same table", "")],
        [f"keyness(target=\"{TARGET}\", n_boot={n_boot}), default token options, min_freq 5",
         "anchor: the whole corpus loaded in memory (corpus.load), measured in the same run"])
    save_results("keyness", text)
    return all(r["same"] == "yes" for r in rows)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        kind, rest = argv[1], argv[2:]
        if kind == "prepare":
            child_prepare(*rest)
        else:
            child_bootstrap(rest[0], rest[1], rest[2], int(rest[3]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a built SaudiNewsNet corpus folder (default: build one)")
    ap.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates (default 1000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--part", choices=["all", "bootstrap", "pipeline"], default="all")
    args = ap.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="fs-bench-keyness-") as tmp:
        corpus = args.corpus or built_corpus(tmp)
        if args.part in ("all", "bootstrap"):
            ok &= part_bootstrap(corpus, tmp, args.n_boot)
        if args.part in ("all", "pipeline"):
            ok &= part_pipeline(corpus, args.n_boot, args.workers)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
