"""Print the error rate of the Arabic proclitic rules on the hand-annotated sample.

    .venv/bin/python tools/eval_arabic_clitics.py --corpus out/corpus [--errors]

The corpus must hold SaudiNewsNet (``framescope build default`` or
``framescope build saudinewsnet:DIR``); see :mod:`framescope.analysis.arabic_clitics_eval`.
"""
from __future__ import annotations

import argparse


def main(argv=None) -> int:
    import pandas as pd

    from framescope.analysis.arabic_clitics_eval import SAMPLE, evaluate, summarise
    from framescope.corpus import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="out/corpus")
    parser.add_argument("--sample", default=str(SAMPLE))
    parser.add_argument("--errors", action="store_true", help="list the tokens the rules get wrong")
    args = parser.parse_args(argv)
    corpus = load(args.corpus)
    pd.set_option("display.width", 160)
    for check in (True, False):
        result = evaluate(corpus, args.sample, frequency_check=check)
        label = "rules as used (with the frequency check)" if check else "without the frequency check (fallback)"
        print(f"\n{label}:")
        print(summarise(result).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if args.errors and check:
            print(result[result["error"]][["surface", "gold", "stem", "kind"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
