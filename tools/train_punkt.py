"""Train the English sentence model shipped in ``analysis/data/`` (run once, by hand).

The model is NLTK Punkt trained, unsupervised, on the FA-KES article texts as the corpus
loader reads them (title and body, normalised by :func:`framescope.corpus.text.normalize_text`), plus
the abbreviations Punkt cannot learn from a small corpus (``framescope.analysis.tokens``). It is
stored as gzipped JSON with a version and the sha256 of the training file, and every
tokenisation loads it from the package, so that the same corpus gives the same sentences
on every machine whether or not the shared data are present (issue 15, item 6).

    .venv/bin/python tools/train_punkt.py [--fakes PATH] [--version N]

Retraining with a different version number writes a new file; bump
``framescope.analysis.token_sentences.SENTENCE_MODEL_FILE`` to use it (and the token layer changes with it).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    import nltk

    from framescope.analysis.token_sentences import punkt_params_to_json, train_punkt
    from framescope.corpus.loaders import fakes
    from framescope.corpus.paths import FAKES_CSV, data_dir
    from framescope.corpus.records import RawDocument

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fakes", default=str(data_dir() / FAKES_CSV), help="the FA-KES CSV")
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args(argv)
    path = Path(args.fakes)
    texts = []
    for doc in fakes.load(str(path), {}):
        if isinstance(doc, RawDocument):
            texts.append("\n".join(t for t in (doc.title, doc.body) if t))
    model = train_punkt(texts, "en", register=False)
    payload = {
        "name": f"punkt:en:fakes:v{args.version}",
        "version": args.version,
        "trained_on": {"file": "fakes/FA-KES-Dataset.csv",
                       "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                       "documents": len(texts)},
        "trainer": {"nltk": nltk.__version__, "script": "tools/train_punkt.py",
                    "include_all_collocs": True},
        "params": punkt_params_to_json(model._params),
    }
    out = ROOT / "analysis" / "data" / f"punkt_en_v{args.version}.json.gz"
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same model gives the same bytes
    out.write_bytes(gzip.compress(raw, mtime=0))
    print(f"{out.relative_to(ROOT)}: {len(texts)} documents, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
