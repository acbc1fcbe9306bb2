"""The ``events`` subcommand: documents matched to events, and framing compared inside them.

``framescope events CORPUS --out DIR`` writes into DIR (created if absent; refused when it
holds files that this command did not write):

``events.parquet``            one row per event (:data:`framescope.analysis.events.EVENT_COLUMNS`)
``event_documents.parquet``   the document → event table (:data:`framescope.analysis.events.ASSIGNMENT_COLUMNS`)
``within_event.csv``          claim measures compared between groups, matched and unmatched
``validation.csv``            agreement with FA-KES's (location, date) coding, when FA-KES is in the corpus
``claims_reference.csv``      extracted death tolls against FA-KES's VDC-based label (idem)
``events.meta.json``          parameters, counts, corpus_id, command line, versions
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from framescope.corpus.errors import FramescopeError

OUTPUT_FILES = ("events.parquet", "event_documents.parquet", "within_event.csv", "validation.csv",
                "claims_reference.csv", "events.meta.json")


def add_commands(sub) -> None:
    p = sub.add_parser("events", help="match documents to events; compare framing inside events",
                       description="Group documents into events by place (shipped gazetteer), date "
                                   "window and textual similarity or shared casualty numbers, then "
                                   "compare casualty-claim measures between groups inside events.")
    p.add_argument("corpus", metavar="DIR")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--query", help="pandas query on document metadata, e.g. \"collection == 'fakes'\"")
    p.add_argument("--window", type=int, default=2, help="date window in days (default 2)")
    p.add_argument("--similarity", type=float, default=0.1,
                   help="least average TF-IDF cosine to join an event (default 0.1)")
    p.add_argument("--no-numbers", action="store_true",
                   help="do not link documents that claim the same casualty number")
    p.add_argument("--claims", metavar="FILE.csv", help="claims table from `framescope claims` (else extracted)")
    p.add_argument("--by", default="alignment", help="document column of the groups (default alignment)")
    p.add_argument("--reference-group", help="group the others are compared with (default: the largest)")
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap replicates (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.set_defaults(func=cmd_events)


def check_output_folder(out: str) -> Path:
    """The output folder, refused when it holds anything this command does not write."""
    path = Path(out)
    if str(out).strip() == "":
        raise FramescopeError("--out must name a folder")
    if path.exists() and not path.is_dir():
        raise FramescopeError(f"--out {path} is a file, not a folder")
    if path.is_dir():
        foreign = sorted(p.name for p in path.iterdir() if p.name not in OUTPUT_FILES)
        if foreign:
            raise FramescopeError(f"--out {path} holds other files ({', '.join(foreign[:3])}); "
                                  "choose an empty or new folder")
    return path


def cmd_events(args) -> int:
    from framescope.corpus import __version__, load
    from framescope.analysis.event_compare import (claims_against_reference, document_measures,
                                        within_event_difference)
    from framescope.analysis.events import EventConfig, event_agreement, events, fakes_reference

    out = check_output_folder(args.out)
    config = EventConfig(window_days=args.window, similarity=args.similarity,
                         use_numbers=not args.no_numbers, by=args.by)
    corpus = load(args.corpus)
    if args.query:
        corpus = corpus.subset(args.query)
    if len(corpus) == 0:
        raise FramescopeError("no documents to match (check --query)")
    claims_df = read_claims(args.claims) if args.claims else None
    if claims_df is None:
        from framescope.analysis.framing.claims import claims
        print("extracting casualty claims ...", file=sys.stderr)
        claims_df = claims(corpus)
    result = events(corpus, config, claims=claims_df)
    measures = document_measures(claims_df, result.assignments["doc_id"])
    compare = within_event_difference(measures, result.assignments,
                                      ["log_toll_max", "attributed_share", "cites_ngo",
                                       "cites_government", "cites_state_media"],
                                      reference=args.reference_group, n_boot=args.n_boot, seed=args.seed)
    out.mkdir(parents=True, exist_ok=True)
    result.events.to_parquet(out / "events.parquet", index=False)
    result.assignments.to_parquet(out / "event_documents.parquet", index=False)
    compare.to_csv(out / "within_event.csv", index=False, lineterminator="\n")
    meta = {"command": " ".join(["framescope", *sys.argv[1:]]), "framescope_version": __version__,
            **result.meta, "comparison": compare.attrs}
    docs = corpus.documents
    if "location" in docs and (docs["collection"] == "fakes").any():
        agreement = event_agreement(result.assignments, fakes_reference(docs))
        agreement.to_csv(out / "validation.csv", index=False, lineterminator="\n")
        meta["validation"] = agreement.iloc[0].to_dict()
        if "fakes_label" in docs and result.meta["group_column"] in docs:
            claims_against_reference(claims_df, docs, by=result.meta["group_column"]).to_csv(
                out / "claims_reference.csv", index=False, lineterminator="\n")
    (out / "events.meta.json").write_text(json.dumps(meta, indent=2, default=str, sort_keys=True) + "\n",
                                          encoding="utf-8")
    print(f"{result.meta['events']} events ({result.meta['events_with_two_or_more_outlets']} covered by "
          f"two or more outlets) from {result.meta['matched_documents']} documents; left out: "
          f"{result.meta['left_out_undated']} undated, {result.meta['left_out_unplaced']} without a place; "
          f"wrote {out}", file=sys.stderr)
    return 0


def read_claims(path: str) -> pd.DataFrame:
    """A claims CSV written by ``framescope claims`` (one-line error when it is not one)."""
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise FramescopeError(f"cannot read claims table {path}: {exc}") from None
    need = {"doc_id", "number", "outcome", "attribution_class"}
    if missing := need - set(table.columns):
        raise FramescopeError(f"{path} is not a claims table: no {', '.join(sorted(missing))}")
    for col in ("number", "number_min", "number_max"):
        if col in table:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
    return table
