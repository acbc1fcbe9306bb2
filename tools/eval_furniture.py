"""Print the precision and recall of the page-furniture cuts on the hand-labelled FA-KES sample.

    .venv/bin/python tools/eval_furniture.py [--fakes PATH] [--articles]

See :mod:`framescope.corpus.furniture_eval` and docs/furniture.md.
"""
from __future__ import annotations

import argparse


def main(argv=None) -> int:
    import pandas as pd

    from framescope.corpus.furniture_eval import DEVSET, evaluate, summarise
    from framescope.corpus.paths import collection_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fakes", default=None, help="FA-KES-Dataset.csv (default: the shared corpora)")
    parser.add_argument("--devset", default=str(DEVSET))
    parser.add_argument("--articles", action="store_true", help="list the articles with a miss or a loss")
    args = parser.parse_args(argv)
    fakes = args.fakes or collection_path("fakes") / "FA-KES-Dataset.csv"
    result = evaluate(fakes, args.devset)
    pd.set_option("display.width", 160)
    print(summarise(result).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.articles:
        print(result[(result["lost"] > 0) | (result["missed"] > 0)].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
