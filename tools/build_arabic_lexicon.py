"""Build the Arabic word-frequency lexicon shipped in ``analysis/data/`` (run once, by hand).

The frequency check of :mod:`framescope.analysis.arabic_clitics` needs to know whether a stem occurs
as a word of its own. This script counts the normalised Arabic word tokens of the
analysable segments of SaudiNewsNet (non-duplicate documents; the same raw tokens and
normalisation as :mod:`framescope.analysis.tokens`) and writes those seen at least ``--min-count``
times as ``word<TAB>count`` lines, sorted, gzipped (deterministic bytes). A frequency list
is a list of facts about the corpus, not its text; it is shipped so that the same word
gets the same segmentation on every machine and in every corpus.

    .venv/bin/python tools/build_arabic_lexicon.py --corpus out/corpus [--min-count 5]
"""
from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.token_sentences import prepare_surface
    from framescope.analysis.token_words import arabic_forms, raw_tokens
    from framescope.corpus import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="out/corpus")
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args(argv)
    corpus = load(args.corpus)
    docs = corpus.documents
    keep = set(docs.loc[docs["collection"] == "saudinewsnet", "doc_id"])
    segs = corpus.analysable_segments()
    segs = segs[segs["doc_id"].isin(keep) & (segs["lang"] == "ar")]
    options = TokenOptions()
    flags = tuple(sorted(options.arabic_flags().items()))
    word = re.compile(r"^[\u0621-\u064a]+$")
    counts: Counter = Counter()
    for text in segs["text"]:
        prepared = prepare_surface(text, "ar", options)
        for raw in raw_tokens(prepared, "ar"):
            norm = arabic_forms(raw, flags)[1]
            if word.match(norm):
                counts[norm] += 1
    lines = [f"{w}\t{n}" for w, n in sorted(counts.items()) if n >= args.min_count]
    header = (f"# Arabic word frequencies: SaudiNewsNet, {len(keep)} documents, normalised as "
              f"framescope.analysis.tokens (min count {args.min_count}); built by tools/build_arabic_lexicon.py\n")
    out = ROOT / "analysis" / "data" / f"arabic_lexicon_v{args.version}.tsv.gz"
    out.write_bytes(gzip.compress((header + "\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{out.relative_to(ROOT)}: {len(lines):,} words, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
