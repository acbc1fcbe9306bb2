"""One counting measurement in a fresh process (used by bench_keyness, bench_scale, bench_dask).

    python benchmarks/_counting.py KIND CORPUS WORKERS SCHEDULER [KWARGS_JSON]

KIND: ``freq``, ``keyness``, ``collocates``, ``bigrams`` (the corpus folder streamed by
partitions: the statistic's ``backend=`` argument, :mod:`framescope.analysis.partitioned`), or
``keyness-in-memory`` / ``collocates-in-memory`` (the same functions on the whole corpus
loaded with ``corpus.load``: the path before issue 7). SCHEDULER ``localcluster``
starts a ``distributed.LocalCluster`` with WORKERS single-threaded worker processes.
Reports seconds, rows and a SHA-256 of the table's CSV (equal digests = identical tables).
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import backend, report  # noqa: E402


def run(kind: str, corpus: str, workers: int, scheduler: str, kwargs: dict):
    from framescope.analysis.collocations import bigram_collocations, collocates
    from framescope.analysis.counts import frequencies
    from framescope.analysis.keyness import keyness

    if kind.endswith("-in-memory"):
        import framescope.corpus as corpus_pkg

        fn = {"keyness-in-memory": keyness, "collocates-in-memory": collocates}[kind]
        return fn(corpus_pkg.load(corpus), **kwargs)
    fn = {"freq": frequencies, "keyness": keyness, "collocates": collocates, "bigrams": bigram_collocations}[kind]
    with backend(workers, scheduler) as chosen:
        return fn(corpus, backend=chosen, **kwargs)


def main(argv: list[str]) -> int:
    kind, corpus, workers, scheduler = argv[0], argv[1], int(argv[2]), argv[3]
    kwargs = json.loads(argv[4]) if len(argv) > 4 else {}
    started = time.perf_counter()
    table = run(kind, corpus, workers, scheduler, kwargs)
    seconds = time.perf_counter() - started
    csv = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    report(seconds=seconds, rows=len(table), digest=hashlib.sha256(csv).hexdigest(),
           n_tokens=table.attrs.get("n_tokens"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
