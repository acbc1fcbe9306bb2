"""Corpus build: seconds, peak RSS and byte-identity against the previous implementation.

    python benchmarks/bench_build.py [--source default] [--workers 1 [2]] [--reference COMMIT | --no-reference]

Rows, each in a fresh process, in one run:

* **anchor** — the floor of any build of these inputs: every member of the SaudiNewsNet
  zips read and JSON-parsed (nothing else);
* **reference** — ``framescope build`` as it was at ``--reference`` (default: the commit
  before the issue-21 build work), imported from that commit's tree (``git archive``);
* **this tree** — ``framescope build`` now, one process (then ``--workers N`` if asked).

Every build must give byte-identical ``documents.parquet``, ``segments.parquet`` and
``rejects.csv`` and the same ``corpus_id`` as the reference (column ``same answers``; the
exit code is 1 otherwise). When the reference's text layer is older than this tree's (text
layer 8 cut page furniture on purpose), the answers are those of ``--same-as`` (the first
commit with this text layer's final rules), built in the same run. Target (issue 21): the default corpus built by one process
in ≤ 30 s on a quiet machine, peak RSS ≤ 800 MB. The machine's load average is printed
with the table: on a shared machine read the ratios, not the seconds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, backend, input_mb, print_table, ratios, report, run_child, saudinewsnet_dir, save_results  # noqa: E402

FILES = ("documents.parquet", "segments.parquet", "rejects.csv")
#: the build before issue 21's speed work (the speed reference; its files are the answers while
#: the text layer is the same)
REFERENCE = "7c8a12e"
#: the first commit with this text layer's final rules (8: page furniture cut, issue 18): a
#: newer text layer changes the files on purpose, so identity is checked against this build
SAME_AS = "6fbcc25"
TARGET_SECONDS, TARGET_RSS_MB = 30.0, 800.0


def child_build(code: str, source: str, out: str, workers: int, scheduler: str = "local") -> None:
    """One build (in a fresh process) with the framescope found in ``code`` (or installed).

    ``scheduler`` ``localcluster`` starts a Dask LocalCluster of ``workers`` processes inside
    the measured process (its start-up is part of the seconds); else a Backend scheduler.
    """
    if code != "-":
        sys.path.insert(0, code)
    from framescope.corpus import build as build_module

    if code != "-" and not Path(build_module.__file__).resolve().is_relative_to(Path(code).resolve()):
        raise SystemExit(f"framescope imported from {build_module.__file__}, not from {code}")
    started = time.perf_counter()
    with backend(workers, scheduler) as chosen:
        result = build_module.build([source], out, progress=False, backend=chosen)
    seconds = time.perf_counter() - started
    c = result.manifest["counts"]
    report(seconds=seconds, documents=c["documents"], segments=c["segments"],
           corpus_id=result.manifest["corpus_id"])


def child_anchor(folder: str) -> None:
    """Read and JSON-parse every member of the SaudiNewsNet zips: the floor of a build."""
    import zipfile

    started = time.perf_counter()
    articles = 0
    for path in sorted(Path(folder).glob("*.zip")):
        with zipfile.ZipFile(path) as zf:
            for member in zf.infolist():
                if not member.is_dir():
                    articles += len(json.loads(zf.read(member).decode("utf-8")))
    report(seconds=time.perf_counter() - started, documents=articles)


def text_layer(commit: str) -> str:
    """TEXT_LAYER_VERSION of ``corpus/build.py`` at ``commit``."""
    import re
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:corpus/build.py"], check=True,
                            capture_output=True, text=True).stdout
    found = re.search(r'^TEXT_LAYER_VERSION = "([^"]+)"', source, re.M)
    return found.group(1) if found else "?"


def reference_tree(commit: str, into: Path) -> Path:
    """framescope as it was at ``commit``, laid out as an importable package in ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit,
                              "framescope", "corpus", "analysis"], check=True, capture_output=True).stdout
    raw = into / "raw"
    raw.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(raw)], input=archive, check=True)
    package = into / "code" / "framescope"
    package.parent.mkdir()
    (raw / "framescope").rename(package)
    (raw / "corpus").rename(package / "corpus")
    (raw / "analysis").rename(package / "analysis")
    return package.parent


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for name in FILES:
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":  # --child CODE SOURCE OUT WORKERS [SCHEDULER]
        child_build(*argv[1:4], int(argv[4]), *argv[5:6])
        return 0
    if argv and argv[0] == "--anchor":
        child_anchor(argv[1])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default="default", help="build source (default: the default corpus)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1], help="worker counts of this tree's builds")
    ap.add_argument("--reference", default=REFERENCE, help=f"commit whose files must be reproduced ({REFERENCE})")
    ap.add_argument("--no-reference", action="store_true", help="skip the reference build (no identity check)")
    ap.add_argument("--same-as", default=SAME_AS,
                    help=f"commit whose files must be reproduced when the reference's text layer is older ({SAME_AS})")
    args = ap.parse_args(argv)
    zips = saudinewsnet_dir()
    size = input_mb(zips)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fs-bench-build-") as tmp:
        rows.append(run_child([__file__, "--anchor", str(zips)], "anchor: read + JSON-parse the zips"))
        builds = [] if args.no_reference else [(f"reference ({args.reference}), 1 process",
                                                 str(reference_tree(args.reference, Path(tmp) / "ref")), 1)]
        layer_differs = not args.no_reference and text_layer(args.reference) != text_layer("HEAD")
        if layer_differs:  # the speed reference's files are an older text layer's: not the answers
            builds.append((f"same text layer ({args.same_as}), 1 process",
                           str(reference_tree(args.same_as, Path(tmp) / "same")), 1))
        builds += [(f"this tree, {w} process{'es' if w > 1 else ''}", "-", w) for w in args.workers]
        if 1 in args.workers:  # the build's second thread (Parquet writes, MinHash arithmetic) off
            builds.insert(builds.index(("this tree, 1 process", "-", 1)) + 1,
                          ("this tree, 1 process, 1 thread", "-", 1))
        for k, (label, code, workers) in enumerate(builds):
            out = Path(tmp) / f"build-{k}"
            r = run_child([__file__, "--child", code, args.source, str(out), str(workers)], label,
                          env={"FRAMESCOPE_THREADS": "1"} if label.endswith("1 thread") else None)
            r["digest"] = digest(out)
            rows.append(r)
    anchor, built = rows[0], rows[1:]
    ratios(rows, anchor, ["seconds"])
    reference = built[0] if not args.no_reference else None
    answers = built[1] if layer_differs else reference
    for r in built:
        r["docs_s"] = r["documents"] / r["seconds"]
        if answers is not None:
            r["same"] = ("yes" if (r["digest"], r["corpus_id"]) == (answers["digest"], answers["corpus_id"])
                         else "older text layer" if layer_differs and r is reference else "NO")
        if reference is not None and r is not reference:
            r["speedup"] = reference["seconds"] / r["seconds"]
            r["cpu_speedup"] = reference["cpu_s"] / r["cpu_s"]
    ours = next(r for r in built if r["label"] == "this tree, 1 process")
    met = ours["seconds"] <= TARGET_SECONDS and ours["rss_mb"] <= TARGET_RSS_MB
    notes = [f"anchor: every member of the SaudiNewsNet zips ({size:.1f} MB) read and JSON-parsed, same run",
             "reference: the build before the issue-21 speed work, imported from that commit's tree; "
             "same answers: byte-identical documents/segments Parquet and rejects.csv, same corpus_id"
             + (f" as the build of {args.same_as} (text layer {text_layer('HEAD')}; the speed reference is text "
                f"layer {text_layer(args.reference)}, whose text differs on purpose)" if layer_differs
                else " as the reference"),
             "speed-up: reference seconds (CPU seconds) / this build's, measured in the same run",
             "peak RSS: the build process (VmHWM); all processes: with its workers",
             "1 thread: FRAMESCOPE_THREADS=1, the build's second thread off (Parquet writes and the MinHash "
             "arithmetic, which run without the GIL)",
             f"target (issue 21): one process ≤ {TARGET_SECONDS:.0f} s on a quiet machine, peak RSS ≤ "
             f"{TARGET_RSS_MB:.0f} MB: {'met' if met else 'NOT met'} in this run "
             f"({ours['seconds']:.1f} s, {ours['rss_mb']:.0f} MB; see the load average)"]
    text = print_table(f"Build: {args.source} corpus, one process", rows, [
        ("label", "run", ""), ("documents", "documents", "d"), ("seconds", "seconds", ".1f"),
        ("seconds_x", "× anchor", ".1f"), ("cpu_s", "CPU s", ".1f"), ("speedup", "speed-up (wall)", ".2f"),
        ("cpu_speedup", "speed-up (CPU)", ".2f"), ("docs_s", "docs/s", ".0f"), ("rss_mb", "peak RSS MB", ".0f"),
        ("tree_mb", "all processes MB", ".0f"), ("same", "same answers", "")], notes)
    save_results("build", text)
    return 0 if all(r.get("same", "yes") in ("yes", "older text layer") for r in built) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
