"""Shared helpers for the issue-7 benchmarks: fresh-process measurements and tables.

Every measurement runs in a fresh ``python`` process (``run_child``) so that imports,
caches and memory of one measurement never leak into the next. Two peaks are reported:

* ``rss_mb`` — the measured process's own peak resident set (VmHWM from /proc; not
  ``ru_maxrss``, which Linux carries across fork+exec from a large parent);
* ``tree_mb`` — the peak of the summed RSS of the process and all its children (worker
  processes, Dask nanny/worker processes), sampled every 0.1 s by the parent with psutil.
  With one process both agree up to the sampling.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-RESULT "


def vmhwm_mb() -> float:
    """Peak RSS of this process in MB (VmHWM)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children (workers)."""
    import resource

    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def report(**values) -> None:
    """Called at the end of a child measurement: prints its result line for the parent."""
    values.setdefault("rss_mb", vmhwm_mb())
    values.setdefault("cpu_s", cpu_seconds())
    print(MARK + json.dumps(values, default=str), flush=True)


def run_child(args: list[str], label: str, poll: float = 0.1, timeout: float | None = None,
              env: dict[str, str] | None = None) -> dict:
    """Run ``python ARGS`` in a fresh process (``env``: variables added to this one's); its
    report plus wall seconds and tree peak."""
    import psutil

    env = dict(os.environ, **(env or {}),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    proc = psutil.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, env=env, cwd=ROOT)
    peak = 0.0
    while proc.poll() is None:
        total = 0
        try:
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total / 2**20)
        time.sleep(poll)
        if timeout and time.perf_counter() - started > timeout:
            proc.kill()
            raise RuntimeError(f"{label}: timed out after {timeout:.0f} s")
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    lines = [l for l in out.splitlines() if l.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(err[-4000:])
        raise RuntimeError(f"{label}: child failed with exit code {proc.returncode}")
    result = json.loads(lines[-1][len(MARK):])
    result.update(label=label, wall_s=seconds, tree_mb=max(peak, result.get("rss_mb", 0.0)))
    print(f"  {label}: {result.get('seconds', seconds):.1f} s, peak RSS {result['rss_mb']:.0f} MB "
          f"(tree {result['tree_mb']:.0f} MB)", file=sys.stderr, flush=True)
    return result


def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((l.split(":", 1)[1].strip() for l in fh if l.startswith("model name")), cpu)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1), "cpu": cpu,
            "python": platform.python_version(), "load_avg_1m": round(load[0], 2)}


def print_table(title: str, rows: list[dict], columns: list[tuple[str, str, str]], notes: list[str] = ()) -> str:
    """A Markdown table; ``columns``: (key, header, format). Returned and printed."""
    m = machine()
    lines = [f"### {title}", "",
             f"{m['date']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}, "
             f"load average {m['load_avg_1m']} at the end", "",
             "| " + " | ".join(h for _, h, _ in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for r in rows:
        cells = []
        for k, _, fmt in columns:
            v = r.get(k)
            cells.append("" if v is None else (format(v, fmt) if fmt and isinstance(v, (int, float)) else str(v)))
        lines.append("| " + " | ".join(cells) + " |")
    lines += [""] + [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text


def ratios(rows: list[dict], anchor: dict, keys: list[str]) -> None:
    """Add ``<key>_x`` = row[key] / anchor[key] to every row."""
    for r in rows:
        for k in keys:
            if r.get(k) is not None and anchor.get(k):
                r[f"{k}_x"] = r[k] / anchor[k]


def saudinewsnet_dir() -> Path:
    sys.path.insert(0, str(ROOT))
    from framescope.corpus.paths import collection_path

    folder = collection_path("saudinewsnet")
    if not sorted(folder.glob("*.zip")):
        sys.exit(f"SaudiNewsNet not found in {folder} (set FRAMESCOPE_DATA)")
    return folder


def input_mb(path: Path) -> float:
    """Size of the input: a file, or the zips of a folder."""
    files = [path] if path.is_file() else path.glob("*.zip")
    return sum(p.stat().st_size for p in files) / 2**20


def save_results(name: str, text: str) -> Path:
    """Keep the latest table of a benchmark in benchmarks/_data/results/NAME.md (not committed;
    benchmarks/RESULTS.md is written from them)."""
    out = ROOT / "benchmarks" / "_data" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.md"
    # the marker names the benchmark table, so RESULTS.md replaces it even when its heading changes
    heading, _, rest = text.partition("\n")
    path.write_text(f"{heading}\n{MARKER.format(name)}\n{rest}", encoding="utf-8")
    return path


#: the line after a RESULTS.md heading naming the saved table it came from
MARKER = "<!-- results: {} -->"


@contextmanager
def backend(workers: int, scheduler: str):
    """The framescope Backend of a measurement; ``localcluster`` starts a Dask LocalCluster of
    ``workers`` processes in the measured process (its start-up counts) and closes it after."""
    from framescope.corpus.parallel import Backend

    if scheduler != "localcluster":
        yield Backend(workers=workers, scheduler=scheduler)
        return
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield Backend(scheduler=cluster.scheduler_address)
    finally:
        cluster.close()
