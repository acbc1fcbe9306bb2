"""Score the casualty-claims extractor against hand-annotated sentences.

An annotation file is a YAML list of items (see ``tests/data/claims_devset.yaml`` and its
README): one sentence (``sentence``, optionally ``prev``/``next`` for the attribution),
its language, error-type tags (``types``) and the claims a careful reader finds in it
(``claims``, possibly empty). Each claim names the numeric expression as written
(``amount``; ``at`` = which occurrence, default 1), ``number`` (null for ranges and vague
amounts), ``low``/``high`` (ranges only), ``outcome``, ``victim``, ``attribution`` (class)
and ``subset_of`` (the ``amount`` of the total it is part of: "10 people, including four
children").

:func:`score_claims` runs :func:`framescope.analysis.framing.claims.find_claims` on every sentence
and pairs each annotated claim with the extracted claim whose words overlap its amount;
:func:`claims_scores` turns the pairs into the measures of issue 20:

* ``recall_killed`` — stated death tolls (annotated ``killed``, not a subset) found with
  outcome ``killed``; ``recall_all`` — any annotated claim found;
* ``number_precision`` — extracted claims whose figure (number, or both range bounds, or
  "vague") is the annotated one, over every extracted claim (claims that match nothing
  count as wrong);
* ``range_bounds`` — annotated ranges found with both bounds right;
* ``outcome_acc``, ``victim_acc``, ``attribution_acc``, ``subset_acc`` — over the found claims.

Run ``python -m framescope.analysis.framing.claims_eval FILE.yaml`` to print them overall, per split,
per error type and per attribution class.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import pandas as pd
import yaml

from framescope.corpus.errors import FramescopeError

#: The columns of :func:`score_claims`, in order (one row per annotated claim and per prediction).
SCORE_COLUMNS = ["item", "split", "lang", "types", "kind", "amount", "gold_number", "gold_low", "gold_high",
                 "gold_outcome", "gold_victim", "gold_attribution", "gold_subset", "pred_text", "pred_number",
                 "pred_min", "pred_max", "pred_qualifier", "pred_outcome", "pred_victim", "pred_attribution",
                 "pred_subset", "found", "number_ok", "outcome_ok", "victim_ok", "attribution_ok", "subset_ok"]


def split_of(item_id: str, test_share: int = 4) -> str:
    """Deterministic development/test split of an annotated item.

    Parameters
    ----------
    item_id : str
        The item's id.
    test_share : int
        1 in ``test_share`` items is 'test'.

    Returns
    -------
    str
        'test' when the SHA-1 of the id is 0 mod ``test_share``, else 'dev'.
    """
    return "test" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % test_share == 0 else "dev"


def read_annotations(path) -> list[dict]:
    """The items of an annotation YAML, checked.

    Parameters
    ----------
    path : path
        The YAML file (``tests/data/claims_devset.yaml`` format).

    Returns
    -------
    list of dict
        One dict per item: id, sentence, lang, types, claims [, prev, next], split.

    Raises
    ------
    FramescopeError
        A missing or malformed file (one line).

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    p = Path(path)
    if not p.is_file():
        raise FramescopeError(f"annotation file not found: {p}")
    try:
        items = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FramescopeError(f"cannot parse {p}: {str(exc).splitlines()[0]}") from None
    if not isinstance(items, list):
        raise FramescopeError(f"{p} must hold a YAML list of items")
    seen = set()
    for k, it in enumerate(items):
        if not isinstance(it, dict) or not {"id", "lang", "sentence", "claims"} <= set(it):
            raise FramescopeError(f"{p} item {k + 1}: needs id, lang, sentence and claims")
        if it["id"] in seen:
            raise FramescopeError(f"{p}: duplicate item id {it['id']!r}")
        seen.add(it["id"])
        for c in it["claims"] or []:
            if str(c.get("amount", "")) not in it["sentence"]:
                raise FramescopeError(f"{p} item {it['id']}: amount {c.get('amount')!r} is not in the sentence")
    return items


def _gold_span(sentence: str, amount: str, at: int) -> tuple[int, int]:
    """Character span of the ``at``-th occurrence of ``amount`` as a whole word ("6" is not
    the 6 of "2016"), else as a substring (Arabic clitics: "طفل" in "وطفل")."""
    for pattern in (rf"(?<!\w){re.escape(amount)}(?!\w)", re.escape(amount)):
        hits = list(re.finditer(pattern, sentence))
        if len(hits) >= at:
            return hits[at - 1].span()
    raise FramescopeError(f"amount {amount!r} occurs fewer than {at} times in {sentence[:60]!r}")


def _figure_ok(gold: dict, row: dict) -> bool:
    num, lo, hi = row["number"], row["number_min"], row["number_max"]
    if gold.get("low") is not None:
        return num is None and (lo, hi) == (gold["low"], gold["high"])
    if gold.get("number") is None:  # vague: no figure
        return num is None and row["qualifier"] == "vague"
    return num == gold["number"]


def score_claims(items: list[dict], find=None) -> pd.DataFrame:
    """Pair every annotated claim with the extracted one whose words overlap its amount.

    Parameters
    ----------
    items : list of dict
        :func:`read_annotations`.
    find : callable, optional
        The extractor (default :func:`framescope.analysis.framing.claims.find_claims`).

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_COLUMNS`: one row per annotated claim (``kind='gold'``) and per
        extracted claim that matches none (``kind='spurious'``), with the extracted values
        and the ``*_ok`` judgments.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    from framescope.analysis.framing.claims import find_claims
    from framescope.analysis.framing.spans import scan

    find = find or find_claims
    rows = []
    for it in items:
        sentence = it["sentence"]
        toks = scan(sentence)
        preds = []
        try:
            found = find(sentence, it["lang"], it.get("prev"), it.get("next"))
        except Exception as exc:  # a crash scores as nothing found, and is reported
            found = []
            print(f"claims_eval: {it['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
        for c in found:
            r = c.as_row()
            a = c.amount
            lo_tok, hi_tok = min(c.start, a.start), max(c.end, a.end, a.start + 1)
            span = (toks[lo_tok].start, toks[min(hi_tok, len(toks)) - 1].end)
            preds.append((span, r))
        used: set[int] = set()
        base = {"item": it["id"], "split": split_of(it["id"]), "lang": it["lang"],
                "types": ",".join(it.get("types") or ["baseline"])}
        for g in it["claims"] or []:
            gs, ge = _gold_span(sentence, str(g["amount"]), g.get("at", 1))
            cands = [k for k, (span, _) in enumerate(preds) if k not in used and span[0] < ge and gs < span[1]]
            # the extracted claim whose figure is this one wins over a neighbour that only overlaps
            cands.sort(key=lambda k: (not _figure_ok(g, preds[k][1]), abs(preds[k][0][0] - gs)))
            row = {**base, "kind": "gold", "amount": g["amount"], "gold_number": g.get("number"),
                   "gold_low": g.get("low"), "gold_high": g.get("high"), "gold_outcome": g.get("outcome"),
                   "gold_victim": g.get("victim"), "gold_attribution": g.get("attribution"),
                   "gold_subset": g.get("subset_of")}
            if cands:
                k = cands[0]
                used.add(k)
                row.update(_pred_cols(preds[k][1]))
                row.update(found=True, number_ok=_figure_ok(g, preds[k][1]),
                           outcome_ok=preds[k][1]["outcome"] == g.get("outcome"),
                           victim_ok=preds[k][1]["victim"] == g.get("victim"),
                           attribution_ok=preds[k][1]["attribution_class"] == g.get("attribution"),
                           subset_ok=(preds[k][1].get("subset_of") is not None) == (g.get("subset_of") is not None))
            else:
                row.update(found=False)
            rows.append(row)
        for k, (_, r) in enumerate(preds):
            if k not in used:
                rows.append({**base, "kind": "spurious", **_pred_cols(r), "found": False, "number_ok": False})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def _pred_cols(r: dict) -> dict:
    return {"pred_text": r["claim_text"], "pred_number": r["number"], "pred_min": r["number_min"],
            "pred_max": r["number_max"], "pred_qualifier": r["qualifier"], "pred_outcome": r["outcome"],
            "pred_victim": r["victim"], "pred_attribution": r["attribution_class"], "pred_subset": r.get("subset_of")}


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else float("nan")


def claims_scores(scored: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The quality measures overall or per group.

    Parameters
    ----------
    scored : pandas.DataFrame
        :func:`score_claims`.
    by : str, optional
        ``split``, ``lang``, ``type`` (an item counts under each of its tags) or
        ``gold_attribution``.

    Returns
    -------
    pandas.DataFrame
        group, n_gold, n_pred, recall_killed, recall_all, number_precision, range_bounds,
        n_ranges, outcome_acc, victim_acc, attribution_acc, subset_acc.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    df = scored.copy()
    if by == "type":
        df = df.assign(type=df["types"].str.split(",")).explode("type")
    groups = [("all", df)] if by is None else list(df.groupby(by if by != "type" else "type", sort=True))
    out = []
    for name, part in groups:
        gold = part[part["kind"] == "gold"]
        found = gold[gold["found"].astype(bool)]
        preds = part[(part["kind"] == "spurious") | part["found"].astype(bool)]
        tolls = gold[(gold["gold_outcome"] == "killed") & gold["gold_subset"].isna()]
        ranges = gold[gold["gold_low"].notna()]
        out.append({
            "group": name, "n_gold": len(gold), "n_pred": len(preds),
            "recall_killed": _share(tolls["found"].astype(bool) & (tolls["pred_outcome"] == "killed")),
            "recall_all": _share(gold["found"].astype(bool)),
            "number_precision": _share(preds["number_ok"].fillna(False).astype(bool)),
            "range_bounds": _share(ranges["found"].astype(bool) & ranges["number_ok"].fillna(False).astype(bool)),
            "n_ranges": len(ranges),
            "outcome_acc": _share(found["outcome_ok"].astype(bool)),
            "victim_acc": _share(found["victim_ok"].astype(bool)),
            "attribution_acc": _share(found["attribution_ok"].astype(bool)),
            "subset_acc": _share(found["subset_ok"].astype(bool)),
        })
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    """``python -m framescope.analysis.framing.claims_eval [FILE.yaml] [--errors]``.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0, or 2 after a one-line error.
    """
    ap = argparse.ArgumentParser(prog="python -m framescope.analysis.framing.claims_eval",
                                 description="Score find_claims against an annotated YAML file.")
    ap.add_argument("annotations", nargs="?", default="tests/data/claims_devset.yaml")
    ap.add_argument("--errors", action="store_true", help="also print every miss and wrong field")
    args = ap.parse_args(argv)
    try:
        scored = score_claims(read_annotations(args.annotations))
    except FramescopeError as exc:
        print(f"claims_eval: error: {exc}", file=sys.stderr)
        return 2
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    fmt = {c: "{:.1%}".format for c in ("recall_killed", "recall_all", "number_precision", "range_bounds",
                                        "outcome_acc", "victim_acc", "attribution_acc", "subset_acc")}
    for title, by in (("overall", None), ("by split", "split"), ("by language", "lang"),
                      ("by error type", "type"), ("attribution accuracy by annotated class", "gold_attribution")):
        print(f"\n== {title}")
        print(claims_scores(scored, by).to_string(index=False, formatters=fmt, na_rep="-"))
    if args.errors:
        bad = scored[(scored["kind"] == "spurious") | ~scored["found"].astype(bool)
                     | ~scored["number_ok"].fillna(True).astype(bool)
                     | ~scored["outcome_ok"].fillna(True).astype(bool)
                     | ~scored["victim_ok"].fillna(True).astype(bool)
                     | ~scored["attribution_ok"].fillna(True).astype(bool)
                     | ~scored["subset_ok"].fillna(True).astype(bool)]
        print("\n== errors")
        print(bad.drop(columns=["types", "lang"]).to_string(index=False, max_colwidth=40))
    return 0


if __name__ == "__main__":
    sys.exit(main())
