"""Tokenising the default corpus: before and after the per-word rules, 1 and 2 processes, and
the token store's first vs later commands (issue 21).

    python benchmarks/bench_tokens.py [--corpus DIR] [--before REV] [--options default|analysis]

Every row is a fresh process (:func:`_harness.run_child`) on a private copy of the corpus
folder (so no store lands in the folder given):

* **anchor** — the token layer as it was at ``--before`` (default ``7c8a12e``, the last commit
  before the per-word rules: one rule application per token), extracted from git into a
  temporary folder and filling the token-store arrays in one process;
* the current token layer filling the same arrays in 1 and in 2 processes
  (:func:`framescope.analysis.tokens.encode_store`);
* first command — ``corpus.load`` + :func:`framescope.analysis.tokens.tokens`: tokenises
  and writes ``CORPUS/tokens/KEY`` (the store; 2 processes by default for a corpus this size);
* second command — the same, reading the store;
* a subset (one outlet) read from the store, and the same subset tokenised in the process.

Same answers: the arrays of every encoding row (token ids, vocabulary in its order,
sentences, segments, surface forms) must have the SHA-256 of the anchor's — or, when the
anchor's token layer is older (token layer 3 merged place-name spellings on purpose), of
``--same-as`` (the first commit with this token layer's final rules), run in the same way; the command rows
compare doc ids and tokens with each other (the subset rows with each other). Without
``--corpus`` the default corpus (seeds + FA-KES + SaudiNewsNet) is built first (not measured).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, print_table, ratios, report, run_child, save_results  # noqa: E402

#: the last commit whose token layer applied the rules token by token
BEFORE = "7c8a12e"
#: the first commit with this token layer's final rules (3: place-name transliterations, issue
#: 18): a newer token layer changes the tokens on purpose, so the encoding rows are checked
#: against this commit's arrays when the anchor's token layer is older
SAME_AS = "d8984a6"


def token_layer(rev: str) -> str:
    """TOKEN_LAYER_VERSION of ``analysis/token_store.py`` at ``rev`` ("?" where there is none)."""
    import re
    for path in ("analysis/token_store.py", "analysis/tokens.py"):  # where it lived before the store
        found = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True)
        m = re.search(r"^TOKEN_LAYER_VERSION = (\d+)", found.stdout, re.M) if found.returncode == 0 else None
        if m:
            return m.group(1)
    return "?"


def _digest(toks) -> str:
    h = hashlib.sha256()
    for doc_id, sents in zip(toks.doc_ids, toks.docs):
        h.update(doc_id.encode())
        for s in sents:
            h.update(("\x1f".join(s) + "\x1e").encode())
    return h.hexdigest()


def _array_digest(arrays) -> str:
    import numpy as np

    h = hashlib.sha256()
    h.update("\x1f".join(arrays.doc_ids.tolist()).encode())
    h.update(np.ascontiguousarray(arrays.token_ids, dtype=np.int32).tobytes())
    h.update("\x1f".join(arrays.vocab.tolist()).encode())
    for frame in (arrays.segments, arrays.sentences, arrays.surfaces):
        h.update(frame.to_csv(index=False).encode())
    return h.hexdigest()


def _options(name: str):
    from framescope.analysis.token_options import TokenOptions

    return TokenOptions(numbers="drop", min_length=2) if name == "analysis" else TokenOptions()


def child(mode: str, corpus_dir: str, arg: str, options_name: str) -> None:
    """One measurement: ``encode-before`` (``arg``: the extracted tree), ``encode`` (``arg``:
    processes), ``fresh`` or ``store`` (``arg``: a subset query or '')."""
    if mode == "encode-before":
        sys.path.insert(0, arg)  # the old framescope first: its corpus/ and analysis/ with it
        import framescope

        assert framescope.__file__.startswith(arg), framescope.__file__
        import framescope.analysis.tokens as old

        options = old.TokenOptions(numbers="drop", min_length=2) if options_name == "analysis" else old.TokenOptions()
        from framescope.corpus import load

        corpus = load(corpus_dir)
        start = time.perf_counter()
        if hasattr(old, "encode_store"):  # a tree with today's API (the --same-as row)
            arrays = old.encode_store(corpus, options, "bench", {}, processes=1)
        else:
            arrays = old._encode_store(corpus, options, "bench", {}, False)
        report(seconds=time.perf_counter() - start, n_tokens=len(arrays.token_ids), n_docs=len(arrays.doc_ids),
               digest=_array_digest(arrays))
        return
    from framescope.analysis.tokens import encode_store, tokens
    from framescope.corpus import load

    options = _options(options_name)
    if mode == "encode":
        corpus = load(corpus_dir)
        start = time.perf_counter()
        arrays = encode_store(corpus, options, "bench", {}, processes=int(arg))
        report(seconds=time.perf_counter() - start, n_tokens=len(arrays.token_ids), n_docs=len(arrays.doc_ids),
               digest=_array_digest(arrays))
        return
    start = time.perf_counter()
    corpus = load(corpus_dir)
    if arg:
        corpus = corpus.subset(arg)
    toks = tokens(corpus, options, store=(mode != "fresh"))
    report(seconds=time.perf_counter() - start, n_tokens=toks.n_tokens(), n_docs=len(toks), digest=_digest(toks),
           store=toks.store or "")


def _extract(rev: str, into: Path, name: str = "before") -> Path | None:
    """The framescope of ``rev`` laid out as installed (framescope/{corpus,analysis}), or None."""
    try:
        raw = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "framescope", "corpus",
                              "analysis"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"cannot extract {rev} with git ({exc}); the before row is left out", file=sys.stderr)
        return None
    tar_path = into / f"{name}.tar"
    tar_path.write_bytes(raw)
    tree = into / name
    with tarfile.open(tar_path) as tar:
        tar.extractall(tree, filter="data")
    for lib in ("corpus", "analysis"):
        shutil.move(str(tree / lib), str(tree / "framescope" / lib))
    return tree


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(*argv[1:5])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="a built corpus folder (default: build the default corpus)")
    ap.add_argument("--before", default=BEFORE, help="git revision of the anchor's token layer")
    ap.add_argument("--same-as", default=SAME_AS,
                    help=f"revision whose arrays the encoding rows must equal when the anchor's token layer is older")
    ap.add_argument("--options", choices=["default", "analysis"], default="default",
                    help="TokenOptions() or the demo's (numbers dropped, min_length 2)")
    ap.add_argument("--subset", default="outlet == 'was'", help="the subset rows' query")
    args = ap.parse_args(argv)
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory(prefix="fs-bench-tokens-") as tmp:
        if args.corpus:
            source = Path(args.corpus)
        else:
            source = Path(tmp) / "default"
            print("building the default corpus (set-up, not measured)", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, "-c", "import sys; from framescope.corpus.build import "
                            "ensure_default_corpus; ensure_default_corpus(sys.argv[1])", str(source)],
                           check=True, cwd=ROOT)
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for name in ("documents.parquet", "segments.parquet", "manifest.json", "rejects.csv"):
            if (source / name).is_file():
                shutil.copy(source / name, corpus / name)
        tree = _extract(args.before, Path(tmp))
        plan = []
        if tree is not None:
            plan.append((f"anchor: token layer of {args.before}, 1 process", "encode-before", str(tree), "encode"))
        older = tree is not None and token_layer(args.before) != token_layer("HEAD")
        answers = _extract(args.same_as, Path(tmp), "same") if older else None
        if answers is not None:  # the anchor's tokens are an older token layer's: not the answers
            plan.append((f"same token layer ({args.same_as}), 1 process", "encode-before", str(answers), "encode"))
        plan += [("per-word rules, 1 process", "encode", "1", "encode"),
                 ("per-word rules, 2 processes", "encode", "2", "encode"),
                 ("first command: tokenise + write the store", "store", "", "tokens"),
                 ("second command: read the store", "store", "", "tokens"),
                 (f"subset {args.subset}: from the store", "store", args.subset, "subset"),
                 (f"subset {args.subset}: tokenised in the process", "fresh", args.subset, "subset")]
        rows = []
        for label, mode, arg, kind in plan:
            r = run_child([me, "--child", mode, str(corpus), arg, args.options], label)
            r.update(what=label, kind=kind)
            rows.append(r)
    anchor = rows[0]
    ratios(rows, anchor, ["seconds", "cpu_s", "rss_mb"])
    for kind in ("encode", "tokens", "subset"):
        group = [r for r in rows if r["kind"] == kind]
        first = group[1] if kind == "encode" and answers is not None else group[0]
        for r in group:
            r["same"] = ("older token layer" if r is anchor and first is not anchor
                         else "yes" if r["digest"] == first["digest"] else "NO")
    text = print_table(f"Tokenising the default corpus ({args.options} token options): before/after, "
                       "1 vs 2 processes, token store", rows, [
        ("what", "run", ""), ("n_docs", "documents", "d"), ("n_tokens", "tokens", "d"),
        ("seconds", "seconds", ".1f"), ("seconds_x", "× anchor time", ".3f"), ("cpu_s", "CPU s (process)", ".0f"),
        ("cpu_s_x", "× anchor CPU", ".2f"),
        ("rss_mb", "peak RSS MB", ".0f"), ("tree_mb", "tree peak MB", ".0f"), ("same", "same tokens", "")],
        [f"anchor: the token layer of {args.before} (rules applied token by token), measured in the same run; "
         "the encoding rows fill the token-store arrays from a loaded corpus (load not timed)",
         "command rows: a fresh process doing corpus.load + framescope.analysis.tokens.tokens (load timed)",
         ("same tokens: SHA-256 of the store arrays equal to the anchor's (encoding rows)" if answers is None else
          f"same tokens: SHA-256 of the store arrays equal to those of {args.same_as} (encoding rows; token layer "
          f"{token_layer('HEAD')}, while the anchor's is token layer {token_layer(args.before)}: other tokens "
          "on purpose)") + "; of doc ids and tokens "
         "equal to the first command's (command rows) and to the first subset row's (subset rows)"])
    save_results("tokens", text)
    return 0 if all(r["same"] in ("yes", "older token layer") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
