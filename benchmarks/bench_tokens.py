"""Token store: the first command that tokenises a corpus vs every later one (issue 21).

    python benchmarks/bench_tokens.py [--corpus DIR]

Rows, each a fresh process doing what a command does (``corpus.load`` +
:func:`framescope.analysis.tokens.tokens` with the default options, then counting the tokens):

* anchor — tokenising in the process, no store (``store=False``: what every command did
  before the store);
* first command — no store yet: tokenises and writes ``CORPUS/tokens/KEY`` (the store);
* second command — reads the store;
* a subset (one outlet) read from the store.

The corpus folder is copied into a temporary folder first, so the store never lands in the
folder given. The tokens of every row must be identical (SHA-256 over the doc ids and
tokens; the subset row is compared with the same subset tokenised in the process). Without
``--corpus`` SaudiNewsNet is built first (not measured).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import print_table, ratios, report, run_child, save_results  # noqa: E402


def _digest(toks) -> str:
    h = hashlib.sha256()
    for doc_id, sents in zip(toks.doc_ids, toks.docs):
        h.update(doc_id.encode())
        for s in sents:
            h.update(("\x1f".join(s) + "\x1e").encode())
    return h.hexdigest()


def child(mode: str, corpus_dir: str, query: str) -> None:
    import importlib

    from framescope.corpus import load

    tok = importlib.import_module("framescope.analysis.tokens")
    start = time.perf_counter()
    corpus = load(corpus_dir)
    if query:
        corpus = corpus.subset(query)
    toks = tok.tokens(corpus, store=(mode != "fresh"))
    seconds = time.perf_counter() - start
    report(seconds=seconds, n_tokens=toks.n_tokens(), n_docs=len(toks), digest=_digest(toks),
           store=toks.store or "")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a built corpus folder (default: build SaudiNewsNet)")
    ap.add_argument("--subset", default="outlet == 'was'", help="the subset row's query")
    args = ap.parse_args(argv)
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory(prefix="fs-bench-tokens-") as tmp:
        if args.corpus:
            source = Path(args.corpus)
        else:
            from bench_keyness import built_corpus
            source = Path(built_corpus(tmp))
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for name in ("documents.parquet", "segments.parquet", "manifest.json", "rejects.csv"):
            if (source / name).is_file():
                shutil.copy(source / name, corpus / name)
        rows = []
        for label, mode, query in [("tokenised in the process, no store (anchor)", "fresh", ""),
                                   ("first command: tokenise + write the store", "store", ""),
                                   ("second command: read the store", "store", ""),
                                   (f"subset {args.subset}: from the store", "store", args.subset),
                                   (f"subset {args.subset}: tokenised in the process", "fresh", args.subset)]:
            r = run_child([me, "--child", mode, str(corpus), query], label)
            r["what"] = label
            rows.append(r)
    ratios(rows, rows[0], ["seconds", "rss_mb"])
    for r in rows[:3]:
        r["same"] = "yes" if r["digest"] == rows[0]["digest"] else "NO"
    for r in rows[3:]:
        r["same"] = "yes" if r["digest"] == rows[4]["digest"] else "NO"
    text = print_table("Token store: first vs later commands", rows, [
        ("what", "run", ""), ("n_docs", "documents", "d"), ("n_tokens", "tokens", "d"),
        ("seconds", "seconds", ".1f"), ("seconds_x", "× time", ".3f"), ("cpu_s", "CPU s", ".0f"),
        ("rss_mb", "peak RSS MB", ".0f"), ("same", "same tokens", "")],
        ["each row a fresh process: corpus.load + framescope.analysis.tokens.tokens (default TokenOptions)",
         "anchor: tokenising in the process without the store, measured in the same run",
         "same tokens: SHA-256 of doc ids and tokens equal to the anchor (subsets: to the subset tokenised "
         "in the process)"])
    save_results("tokens", text)
    return 0 if all(r["same"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
