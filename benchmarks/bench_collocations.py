"""Bigram G² and window collocates over SaudiNewsNet: framescope vs NLTK, same tokens.

    python benchmarks/bench_collocations.py [--docs N] [--keep-tokens] [--node التحالف] [--span 5]
                                            [--reference COMMIT]

1. Tokenise SaudiNewsNet once with framescope's tokenizer (default TokenOptions, Arabic,
   sentences kept), read straight from the zips with the corpus layer's loader, and write
   one sentence per line to a temporary token file (cached in benchmarks/_data/ with
   --keep-tokens; never committed).
2. Run each contender in its own subprocess, so that peak RSS is measured separately:
   * framescope: read the file → ``encode_lines`` (ids, Arrow hashing) → ``bigram_counts``
     → ``score_bigrams(measures=("g2",))`` → rank by G²;
   * framescope as it was at ``--reference`` (default: the last commit before the
     vectorised counting): the same steps with ``encode_sentences`` over ``line.split()``,
     imported from that commit's tree (``git archive``), so the new answers are checked
     against the current implementation's in the same run;
   * NLTK (the anchor): stream the file → ``BigramCollocationFinder.from_documents`` →
     ``score_ngrams(BigramAssocMeasures.likelihood_ratio)``.
   Wall time covers reading the file to the ranked list (the same work for all); peak
   RSS is the subprocess's VmHWM, also shown beside its RSS after imports.
3. Check: framescope's whole table equals the reference's: every bigram's words, freq,
   f_w1, f_w2 and n bit for bit (SHA-256 of the arrays, rows in (w1, w2) order), and its
   G² to 1e-12 relative (the measures module of issue 15 can differ in the last bit and
   clips rounding below 0, so the reference's G² is clipped at 0 too); framescope
   and NLTK rank the same bigrams (top 1,000 after ordering ties by the words, and the
   number of bigrams).
4. Window collocates of ``--node`` (±``--span`` tokens within sentences), each contender
   in its own subprocess again:
   * framescope (and the reference): ids → ``collocate_counts`` (only the node's windows
     are counted) → ``collocate_table`` (all measures);
   * NLTK (the anchor), as its documentation shows it: ``BigramCollocationFinder.
     from_words(..., window_size=span + 1)`` over the sentences padded as
     ``from_documents`` pads them (every pair within the window, none across sentences) →
     ``apply_ngram_filter`` keeping the node's pairs → ``score_ngrams(likelihood_ratio)``.
   framescope's table (o11, f_node, f_collocate, n, R1 and every measure) must equal the
   reference's (counts exactly, measures to 1e-12 relative); ``o11 = n(node, x) + n(x, node)`` must equal NLTK's for every
   collocate. (NLTK's scores are not compared: its windowed association measures use
   plain unigram marginals, framescope's the window size, Evert 2008.)
Targets (issue 21): bigrams ≥ 15× faster than NLTK with ≤ 1/3 of its peak memory; window
collocates ≥ 15× faster.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the framescope code a child imports: this tree, or the reference commit's (see _child)
CODE = Path(os.environ.get("BENCH_CODE_ROOT", ROOT))
sys.path.insert(0, str(CODE))

TOP = 1000
#: the implementation before vectorised counting (issue 21), checked against in every run
REFERENCE = "d9964fb"
SPEED_TARGET, MEMORY_TARGET = 15.0, 1 / 3


def _rss_mb() -> float:
    """Peak resident set size of this process in MB (VmHWM).

    Not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child started by a big
    parent would report the parent's size; VmHWM belongs to the new address space.
    """
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sentences(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield line.split()


# --- step 1: tokens --------------------------------------------------------------------------

def write_tokens(out: Path, max_docs: int | None) -> dict:
    import pandas as pd

    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.tokens import tokens
    from framescope.corpus.loaders.saudinewsnet import iter_zip
    from framescope.corpus.paths import collection_path
    from framescope.corpus.records import RawDocument
    from framescope.corpus.store import Corpus

    folder = collection_path("saudinewsnet")
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        sys.exit(f"SaudiNewsNet not found in {folder} (set FRAMESCOPE_DATA)")
    n_docs = n_tokens = n_sents = 0
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        for z in zips:
            segs = []
            for rec in iter_zip(z):
                if not isinstance(rec, RawDocument):
                    continue
                if max_docs is not None and n_docs >= max_docs:
                    break
                doc_id = f"{z.stem}-{rec.original_id}"
                if rec.title:
                    segs.append((doc_id, len(segs), "title", "ar", rec.title))
                segs.append((doc_id, len(segs), "body", "ar", rec.body))
                n_docs += 1
            if not segs:
                continue
            frame = pd.DataFrame(segs, columns=["doc_id", "seg", "role", "lang", "text"])
            corpus = Corpus.from_frames(pd.DataFrame({"doc_id": pd.unique(frame["doc_id"])}), frame)
            for sent in tokens(corpus, TokenOptions()).sentences():
                if sent:
                    fh.write(" ".join(sent))
                    fh.write("\n")
                    n_tokens += len(sent)
                    n_sents += 1
            if max_docs is not None and n_docs >= max_docs:
                break
    return {"documents": n_docs, "sentences": n_sents, "tokens": n_tokens,
            "tokenise_seconds": time.perf_counter() - t0}


# --- step 2: contenders (run as subprocesses) ------------------------------------------------

def _check_code_root(module) -> None:
    """The child must measure the code it was given (this tree or the reference's)."""
    if not Path(module.__file__).resolve().is_relative_to(CODE.resolve()):
        raise SystemExit(f"{module.__name__} imported from {module.__file__}, not from {CODE}")


def _digest(*arrays) -> str:
    """SHA-256 of the exact columns in order (strings joined by newlines): equal digests =
    identical words, counts and order. Scores are compared apart (:func:`_floats`)."""
    import hashlib

    import numpy as np
    h = hashlib.sha256()
    for a in arrays:
        a = np.asarray(a)
        if a.dtype == object:
            h.update("\n".join(map(str, a.tolist())).encode("utf-8"))
        else:
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(b"\x00")
    return h.hexdigest()


#: Scores must agree to this relative difference (absolute below 1; one module computes every
#: measure since issue 15: equal to the reference's to about 1e-15, not always in the last bit).
SCORE_RTOL = 1e-12


def _save_floats(result: Path, table) -> None:
    """The table's score columns, saved beside the child's result for :func:`_same_scores`."""
    import numpy as np
    cols = [c for c in table.columns if table[c].dtype.kind == "f"]
    np.save(result.with_suffix(".npy"), np.column_stack([table[c].to_numpy(np.float64) for c in cols]))


def _same_scores(a: dict, b: dict) -> tuple[bool, float]:
    """(every score within SCORE_RTOL, the largest relative difference) of two children."""
    import numpy as np
    x, y = a["floats"], b["floats"]
    if x.shape != y.shape:
        return False, float("inf")
    both_nan = np.isnan(x) & np.isnan(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        # relative above 1, absolute below (a G² of 1e-13 against 0 is rounding, not a difference)
        rel = np.where(both_nan | (x == y), 0.0, np.abs(x - y) / np.maximum(np.abs(y), 1.0))
    worst = float(np.nanmax(rel)) if rel.size else 0.0
    return bool(worst <= SCORE_RTOL), worst


def _analysis(module: str):
    """``module`` of the analysis package of the code measured: ``framescope.analysis.*`` in this
    tree, the top-level ``analysis.*`` of a reference from before the one namespace (issue 15)."""
    import importlib

    if (CODE / "framescope").is_dir():
        return importlib.import_module(f"framescope.analysis.{module}")
    return importlib.import_module(f"analysis.{'tokens' if module == 'token_options' else module}")


def _encode(path: Path):
    """Token file → Encoded: encode_lines where it exists, else (the reference) encode_sentences."""
    counts = _analysis("counts")
    _check_code_root(counts)
    if hasattr(counts, "encode_lines"):
        return counts.encode_lines(path, lang="ar")
    return counts.encode_sentences(_sentences(path), lang="ar")


def run_framescope(path: Path, result: Path) -> None:
    import numpy as np  # (imported before the baseline)

    collocations = _analysis("collocations")
    bigram_counts, score_bigrams = collocations.bigram_counts, collocations.score_bigrams
    base = _rss_mb()
    t0 = time.perf_counter()
    enc = _encode(path)
    counts = bigram_counts(enc)
    del enc  # the token arrays are not needed once the pairs are counted
    table = score_bigrams(counts, measures=("g2",), sort_by="g2")
    seconds = time.perf_counter() - t0
    peak = _rss_mb()
    w1, w2 = table.w1.astype(object).to_numpy(), table.w2.astype(object).to_numpy()
    top = [[a, b, float(s)] for a, b, s in zip(w1[:TOP], w2[:TOP], table.g2[:TOP])]
    if "o11" not in table and "freq" in table:  # the reference's name for it (renamed in issue 15)
        table = table.rename(columns={"freq": "o11"})
    # rows in (w1, w2) order and G² clipped at 0 (a G² below 0 is rounding; clipped since issue
    # 15, not before): the reference's last rows, tied at 0 here, may come in another order
    canon = np.lexsort((w2.astype(str), w1.astype(str)))
    digest = _digest(w1[canon], w2[canon], *(table[c].to_numpy()[canon] for c in ("o11", "f_w1", "f_w2", "n")))
    table = table.iloc[canon][["g2"]].clip(lower=0.0)
    _save_floats(result, table)
    result.write_text(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "base_rss_mb": base,
                                  "n_bigrams": len(table), "n_tokens": int(counts.n), "top": top,
                                  "digest": digest}),
                      encoding="utf-8")


def run_nltk(path: Path, result: Path) -> None:
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
    base = _rss_mb()
    t0 = time.perf_counter()
    finder = BigramCollocationFinder.from_documents(_sentences(path))
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    seconds = time.perf_counter() - t0
    import numpy as np
    top = sorted(scored, key=lambda t: (-float(np.round(t[1], 9)), t[0]))[:TOP]
    result.write_text(json.dumps({"seconds": seconds, "peak_rss_mb": _rss_mb(), "base_rss_mb": base,
                                  "n_bigrams": len(scored), "n_tokens": finder.N,
                                  "top": [[a, b, s] for (a, b), s in top]}), encoding="utf-8")


def run_framescope_window(path: Path, result: Path, node: str, span: int) -> None:
    import numpy as np  # noqa: F401  (imports before the baseline)

    collocations = _analysis("collocations")
    collocate_counts, collocate_table = collocations.collocate_counts, collocations.collocate_table
    TokenOptions = _analysis("token_options").TokenOptions
    base = _rss_mb()
    t0 = time.perf_counter()
    enc = _encode(path)
    counts = collocate_counts(enc, None, ["all"], "ar", node, span, span)
    del enc
    import inspect

    # the same rows as NLTK and the reference: the node's own forms kept (issue 18 leaves them
    # out of collocates tables by default; counting is what is measured here)
    keep = {"keep_node": True} if "keep_node" in inspect.signature(collocate_table).parameters else {}
    table = collocate_table(counts, ["all"], node, "ar", node, None, span, span, 1, "g2", TokenOptions(), **keep)
    seconds = time.perf_counter() - t0
    peak = _rss_mb()
    o11 = dict(zip(table["collocate"], table["o11"].astype(int).tolist()))
    digest = _digest(*(table[c].to_numpy() for c in table.columns if table[c].dtype.kind != "f"))
    _save_floats(result, table)
    result.write_text(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "base_rss_mb": base,
                                  "o11": o11, "digest": digest, "rows": len(table)}, ensure_ascii=False),
                      encoding="utf-8")


def run_nltk_window(path: Path, result: Path, node: str, span: int) -> None:
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
    base = _rss_mb()
    t0 = time.perf_counter()
    # from_documents has no window_size: pad each sentence as it does, so no window crosses one
    words = BigramCollocationFinder._build_new_documents(_sentences(path), span + 1, pad_right=True)
    finder = BigramCollocationFinder.from_words(words, window_size=span + 1)
    finder.apply_ngram_filter(lambda w1, w2: node not in (w1, w2))
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    seconds = time.perf_counter() - t0
    o11: dict[str, int] = {}
    for (w1, w2), _ in scored:
        n = finder.ngram_fd[(w1, w2)]
        if w1 == node:
            o11[w2] = o11.get(w2, 0) + n
        if w2 == node:
            o11[w1] = o11.get(w1, 0) + n
    result.write_text(json.dumps({"seconds": seconds, "peak_rss_mb": _rss_mb(), "base_rss_mb": base,
                                  "o11": o11}, ensure_ascii=False), encoding="utf-8")


CHILDREN = {"framescope": run_framescope, "nltk": run_nltk,
            "framescope-window": run_framescope_window, "nltk-window": run_nltk_window}


def _child(which: str, tokens_file: Path, *extra: str, code: Path = ROOT) -> dict:
    """Run one contender in a fresh process importing framescope from ``code``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ, BENCH_CODE_ROOT=str(code),
                   PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        subprocess.run([sys.executable, __file__, "--child", which, str(tokens_file), str(out), *extra],
                       check=True, env=env)
        found = json.loads(out.read_text(encoding="utf-8"))
        if out.with_suffix(".npy").is_file():
            import numpy as np
            found["floats"] = np.load(out.with_suffix(".npy"))
        return found


def reference_tree(commit: str, into: Path) -> Path:
    """The ``analysis`` and ``corpus`` packages as they were at ``commit`` (git archive)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "analysis", "corpus"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _rows(title: str, anchor: dict, ours: dict, before: dict, check: str, check_before: str,
          memory_target: bool) -> tuple[list[str], bool]:
    """Markdown rows (and whether the targets are met) for one task."""
    speed, mem = anchor["seconds"] / ours["seconds"], ours["peak_rss_mb"] / anchor["peak_rss_mb"]
    ok = speed >= SPEED_TARGET and (mem <= MEMORY_TARGET or not memory_target)

    def row(name, r, note):
        return (f"| {title}: {name} | {r['seconds']:.1f} | {anchor['seconds'] / r['seconds']:.1f}× | "
                f"{r['peak_rss_mb']:.0f} | {r['peak_rss_mb'] / anchor['peak_rss_mb']:.2f} | {note} |")

    lines = [row("NLTK (anchor)", anchor, check), row(f"framescope before ({REFERENCE})", before, "reference"),
             row("framescope", ours, f"{check}; {check_before}")]
    print(f"{title}: NLTK {anchor['seconds']:.1f} s, {anchor['peak_rss_mb']:.0f} MB; framescope "
          f"{ours['seconds']:.1f} s, {ours['peak_rss_mb']:.0f} MB → {speed:.1f}× faster, {mem:.2f}× memory "
          f"(before: {before['seconds']:.1f} s, {before['peak_rss_mb']:.0f} MB); targets: "
          f"{'met' if ok else 'NOT met'}")
    return lines, ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, help="only the first N articles (quick run)")
    ap.add_argument("--keep-tokens", action="store_true", help="cache the token file in benchmarks/_data/")
    ap.add_argument("--node", default="التحالف", help="node of the window collocates (default التحالف)")
    ap.add_argument("--span", type=int, default=5, help="window collocates: tokens each side (default 5)")
    ap.add_argument("--reference", default=REFERENCE,
                    help=f"commit whose framescope the answers must equal (default {REFERENCE})")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        which, tokens_file, out, *extra = args.child
        fn = CHILDREN[which]
        fn(Path(tokens_file), Path(out), *([extra[0], int(extra[1])] if extra else []))
        return 0

    cache = ROOT / "benchmarks" / "_data" / f"saudinewsnet-tokens-{args.docs or 'all'}.txt"
    tmpdir = tempfile.TemporaryDirectory()
    tokens_file = cache if args.keep_tokens else Path(tmpdir.name) / "tokens.txt"
    info_file = tokens_file.with_suffix(".json")
    if args.keep_tokens and tokens_file.is_file() and info_file.is_file():
        info = json.loads(info_file.read_text(encoding="utf-8"))
    else:
        tokens_file.parent.mkdir(parents=True, exist_ok=True)
        info = write_tokens(tokens_file, args.docs)
        info_file.write_text(json.dumps(info), encoding="utf-8")
    print(f"SaudiNewsNet: {info['documents']:,} articles, {info['sentences']:,} sentences, "
          f"{info['tokens']:,} tokens (tokenised in {info['tokenise_seconds']:.0f} s; not timed below)")

    ref_dir = Path(tmpdir.name) / "reference"
    ref_dir.mkdir()
    reference_tree(args.reference, ref_dir)
    ours = _child("framescope", tokens_file)
    before = _child("framescope", tokens_file, code=ref_dir)
    anchor = _child("nltk", tokens_file)
    close_before, worst = _same_scores(ours, before)
    same_before = ours["digest"] == before["digest"] and close_before

    same_n = ours["n_bigrams"] == anchor["n_bigrams"] and ours["n_tokens"] == anchor["n_tokens"]
    same_rank = [t[:2] for t in ours["top"]] == [t[:2] for t in anchor["top"]]
    close = all(abs(a[2] - b[2]) <= 1e-6 * max(1.0, abs(b[2])) for a, b in zip(ours["top"], anchor["top"]))

    import psutil
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM; Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"bigram types: {ours['n_bigrams']:,}; tokens: {ours['n_tokens']:,}; "
          f"same counts: {same_n}; same top-{TOP} ranking: {same_rank}; G² equal (1e-6): {close}; "
          f"whole table identical to {args.reference}'s: {same_before} (scores: largest relative difference {worst:.1e})")
    header = f"{'contender':<24}{'wall s':>10}{'peak RSS MB':>14}{'RSS after imports':>20}{'time ratio':>12}{'memory ratio':>14}"
    print(header)
    print("-" * len(header))
    for name, r in (("NLTK (anchor)", anchor), (f"framescope {args.reference}", before), ("framescope", ours)):
        print(f"{name:<24}{r['seconds']:>10.2f}{r['peak_rss_mb']:>14.0f}{r['base_rss_mb']:>20.0f}"
              f"{anchor['seconds'] / r['seconds']:>11.1f}x{r['peak_rss_mb'] / anchor['peak_rss_mb']:>14.2f}")
    grow_anchor = anchor["peak_rss_mb"] - anchor["base_rss_mb"]
    grow_ours = ours["peak_rss_mb"] - ours["base_rss_mb"]
    print(f"memory growth over imports: NLTK {grow_anchor:.0f} MB, framescope {grow_ours:.0f} MB "
          f"(ratio {grow_ours / grow_anchor:.2f})")
    speed_ok = anchor["seconds"] / ours["seconds"] >= SPEED_TARGET
    mem_ok = ours["peak_rss_mb"] <= anchor["peak_rss_mb"] * MEMORY_TARGET
    print(f"targets: ≥{SPEED_TARGET:.0f}× faster: {'met' if speed_ok else 'NOT met'}; ≤1/3 peak memory: "
          f"{'met' if mem_ok else 'NOT met'}")

    from framescope.analysis.collocations import node_term
    from framescope.analysis.token_options import TokenOptions
    _, node, _ = node_term(args.node, TokenOptions(), "ar")
    ours_w = _child("framescope-window", tokens_file, node, str(args.span))
    before_w = _child("framescope-window", tokens_file, node, str(args.span), code=ref_dir)
    anchor_w = _child("nltk-window", tokens_file, node, str(args.span))
    same_w = ours_w["o11"] == anchor_w["o11"]
    close_before_w, worst_w = _same_scores(ours_w, before_w)
    same_before_w = ours_w["digest"] == before_w["digest"] and close_before_w
    print(f"window collocates of {node} (±{args.span}): {len(ours_w['o11']):,} collocates; "
          f"same o11 for every collocate: {same_w}; whole table identical to {args.reference}'s: {same_before_w} "
          f"(scores: largest relative difference {worst_w:.1e})")
    load = os.getloadavg()
    tmpdir.cleanup()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _harness import machine, save_results
    m = machine()
    rows_b, ok_b = _rows("bigram G²", anchor, ours, before,
                         f"{ours['n_bigrams']:,} bigrams; same counts and top-{TOP}: {same_n and same_rank}",
                         f"whole table identical to the reference: {same_before}", memory_target=True)
    rows_w, ok_w = _rows(f"window collocates of {node} ±{args.span}", anchor_w, ours_w, before_w,
                         f"{len(ours_w['o11']):,} collocates; same o11: {same_w}",
                         f"whole table identical to the reference: {same_before_w}", memory_target=False)
    text = "\n".join([
        "### Collocations: framescope vs NLTK on the same tokens", "",
        f"{m['date']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}, "
        f"load average {m['load_avg_1m']} at the end", "",
        f"SaudiNewsNet: {info['documents']:,} articles, {info['sentences']:,} sentences, {info['tokens']:,} tokens", "",
        "| task: contender | seconds | × faster | peak RSS MB | × RSS | same result |", "|---|---|---|---|---|---|",
        *rows_b, *rows_w, "",
        "- anchor: NLTK on the same token file, each contender in its own process, measured in the same run; "
        "× RSS is peak RSS / NLTK's",
        f"- reference: framescope at commit {args.reference} (before the vectorised counting of issue 21), "
        "imported from that commit's tree in the same run; \"identical\" compares the whole table: every "
        f"row's words, counts and order bit for bit (SHA-256), every score to {SCORE_RTOL:g} relative "
        f"(largest difference: bigrams {worst:.1e}, window {worst_w:.1e})",
        f"- load average (1, 5, 15 min) after the run: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
        f"({m['cores']} cores, shared)",
        f"- targets: bigrams ≥ {SPEED_TARGET:.0f}× and ≤ 1/3 peak RSS: {'met' if ok_b else 'NOT met'}; "
        f"window collocates ≥ {SPEED_TARGET:.0f}×: {'met' if ok_w else 'NOT met'}", ""])
    save_results("collocations", text)
    return 0 if (same_n and same_rank and same_w and same_before and same_before_w) else 1


if __name__ == "__main__":
    sys.exit(main())
