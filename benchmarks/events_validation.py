"""Event clusters against FA-KES's own (location, date) coding, over a grid of parameters.

Usage: python benchmarks/events_validation.py CORPUS_DIR [--claims FILE.csv]
CORPUS_DIR holds a corpus with FA-KES (e.g. `framescope build fakes:.../FA-KES-Dataset.csv`).
Prints a Markdown table (docs/events.md quotes it): pairwise precision, recall, F1 and ARI for
each date window and similarity threshold, with and without shared-number links.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from framescope.corpus import load
from framescope.commands.events import read_claims
from framescope.analysis.events import EventConfig, event_agreement, events, fakes_reference


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--claims", help="claims CSV (else extracted)")
    args = ap.parse_args(argv)
    c = load(args.corpus)
    c = c.subset("collection == 'fakes'")
    if args.claims:
        cl = read_claims(args.claims)
    else:
        from framescope.analysis.framing.claims import claims
        cl = claims(c)
    ref = fakes_reference(c.documents)
    rows = []
    for window in (0, 1, 2, 3, 7):
        for sim in (0.05, 0.1, 0.2, 0.3):
            for numbers in (False, True):
                r = events(c, EventConfig(window_days=window, similarity=sim, use_numbers=numbers),
                           claims=cl if numbers else None)
                a = event_agreement(r.assignments, ref).iloc[0]
                rows.append({"window_days": window, "similarity": sim, "numbers": numbers,
                             "events": r.meta["events"], "multi_outlet": r.meta["events_with_two_or_more_outlets"],
                             "precision": a.precision, "recall": a.recall, "f1": a.f1, "ari": a.ari})
    table = pd.DataFrame(rows)
    print(f"FA-KES documents: {len(ref)} with (location, date); reference pairs: "
          f"{int(event_agreement(r.assignments, ref).iloc[0].n_pairs_reference)}\n")
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for rec in table.itertuples(index=False):
        print("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in rec) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
