"""Precision and recall of the page-furniture cuts on a hand-labelled FA-KES sample.

The development set ``tests/data/furniture_dev.csv`` holds 60 FA-KES articles, four per
outlet drawn with a fixed seed, and the furniture spans a reader marked in each (none for
most). Each span is written as text to find, not as offsets, so that it survives a change
of the loader: ``starts`` is found in the article's cleaned text (the first occurrence at
or after the previous span), the span begins ``offset`` characters into it and ends at the
end of the first ``ends`` found from there, or at the end of the line when ``ends`` is
empty. Characters are compared without whitespace: a cut character inside a marked span
is a hit, outside it article text lost. See docs/furniture.md.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pandas as pd

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.fakes import split_dateline_and_title
from framescope.corpus.segment import split_furniture
from framescope.corpus.text import clean_whitespace

DEVSET = Path(__file__).resolve().parents[1] / "tests" / "data" / "furniture_dev.csv"
#: how the development set was drawn: this many articles per outlet, this seed
PER_OUTLET = 4
SEED = 2026
_COLUMNS = ("unit_id", "outlet", "span", "kind", "starts", "offset", "ends")


def draw_sample(fakes_csv: str | Path, per_outlet: int = PER_OUTLET, seed: int = SEED) -> list[tuple[str, str]]:
    """The ``(outlet, unit_id)`` pairs of the development set, drawn as it was.

    Parameters
    ----------
    fakes_csv : str or pathlib.Path
        FA-KES-Dataset.csv.
    per_outlet : int, default PER_OUTLET
        Articles per outlet (``random.Random(seed).sample`` of the sorted ids of its rows,
        outlets in alphabetical order).
    seed : int, default SEED
        The seed.

    Returns
    -------
    list of tuple of (str, str)
        Outlet and FA-KES ``unit_id`` of each drawn article, in drawing order.
    """
    by_outlet: dict[str, list[str]] = {}
    for row in _read_fakes(fakes_csv):  # every row: the 12 ids listed twice count twice
        by_outlet.setdefault(row["source"], []).append(row["unit_id"])
    rng = random.Random(seed)
    return [(outlet, uid) for outlet in sorted(by_outlet)
            for uid in rng.sample(sorted(by_outlet[outlet]), per_outlet)]


def _read_fakes(fakes_csv: str | Path) -> list[dict]:
    path = Path(fakes_csv)
    if not path.is_file():
        raise FramescopeError(f"FA-KES file not found: {path}")
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def _fakes_rows(fakes_csv: str | Path) -> dict[str, dict]:
    """unit_id → its first row (the loader rejects the later rows of a repeated id)."""
    rows: dict[str, dict] = {}
    for row in _read_fakes(fakes_csv):
        rows.setdefault(row["unit_id"], row)
    return rows


def read_devset(path: str | Path = DEVSET) -> pd.DataFrame:
    """The labelled spans, one row per span (``span`` 0 and kind ``none``: no furniture).

    Parameters
    ----------
    path : str or pathlib.Path, default DEVSET
        The development set CSV (columns ``unit_id, outlet, span, kind, starts, offset,
        ends``).

    Returns
    -------
    pandas.DataFrame
        Its rows with ``offset`` as int and empty ``starts``/``ends`` as "".
    """
    path = Path(path)
    if not path.is_file():
        raise FramescopeError(f"furniture development set not found: {path}")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise FramescopeError(f"{path}: missing column(s) {', '.join(missing)}")
    table["offset"] = pd.to_numeric(table["offset"].replace("", "0")).astype(int)
    return table


def article_text(row: dict) -> str:
    """An FA-KES article's body as the loader gives it to the segmenter, cleaned.

    Parameters
    ----------
    row : dict
        A row of FA-KES-Dataset.csv.

    Returns
    -------
    str
        :func:`~framescope.corpus.loaders.fakes.split_dateline_and_title` of its content,
        through :func:`~framescope.corpus.text.clean_whitespace`.
    """
    _, body = split_dateline_and_title(row["article_content"].strip(), row["article_title"].strip())
    return clean_whitespace(body)


def _gold_mask(text: str, spans: pd.DataFrame, uid: str) -> np.ndarray:
    mask = np.zeros(len(text), dtype=bool)
    at = 0
    for span in spans.itertuples():
        if not span.starts:
            continue
        found = text.find(span.starts, at)
        if found < 0:
            raise FramescopeError(f"development set: {uid} span {span.span}: {span.starts!r} not in the text")
        start = found + span.offset
        if span.ends:
            stop = text.find(span.ends, start)
            if stop < 0:
                raise FramescopeError(f"development set: {uid} span {span.span}: {span.ends!r} not after its start")
            end = stop + len(span.ends)
        else:
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        mask[start:end] = True
        at = end
    return mask


def _cut_mask(text: str) -> np.ndarray:
    mask = np.zeros(len(text), dtype=bool)
    base = 0
    for line in text.split("\n"):
        at = 0
        for furniture, piece in split_furniture(line):
            found = line.find(piece, at)
            if furniture:
                mask[base + found:base + found + len(piece)] = True
            at = found + len(piece)
        base += len(line) + 1
    return mask


def evaluate(fakes_csv: str | Path, devset: str | Path = DEVSET) -> pd.DataFrame:
    """Characters cut and marked per article of the development set.

    Parameters
    ----------
    fakes_csv : str or pathlib.Path
        FA-KES-Dataset.csv.
    devset : str or pathlib.Path, default DEVSET
        The labelled spans (:func:`read_devset`).

    Returns
    -------
    pandas.DataFrame
        One row per article: ``unit_id``, ``outlet``, ``chars`` (non-space characters of
        the article), ``gold`` (of them marked furniture), ``cut`` (cut by
        :func:`~framescope.corpus.segment.split_furniture`), ``hit`` (cut and marked),
        ``lost`` (cut but article text) and ``missed`` (marked but not cut).
    """
    rows = _fakes_rows(fakes_csv)
    spans = read_devset(devset)
    out = []
    for uid, group in spans.groupby("unit_id", sort=False):
        if uid not in rows:
            raise FramescopeError(f"development set: unit_id {uid} is not in {fakes_csv}")
        text = article_text(rows[uid])
        visible = np.array([not c.isspace() for c in text], dtype=bool)
        gold = _gold_mask(text, group.sort_values("span"), uid) & visible
        cut = _cut_mask(text) & visible
        out.append({"unit_id": uid, "outlet": group["outlet"].iloc[0], "chars": int(visible.sum()),
                    "gold": int(gold.sum()), "cut": int(cut.sum()), "hit": int((gold & cut).sum()),
                    "lost": int((cut & ~gold).sum()), "missed": int((gold & ~cut).sum())})
    return pd.DataFrame(out)


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of the cuts, per outlet and overall.

    Parameters
    ----------
    result : pandas.DataFrame
        The output of :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        One row per outlet and a last row ``all``: ``outlet``, ``articles``, ``chars``,
        ``gold``, ``cut``, ``hit``, ``lost``, ``missed``, ``precision`` (hit / cut: the
        share of cut characters that are furniture; NaN when nothing was cut),
        ``recall`` (hit / gold; NaN when nothing is furniture) and
        ``articles_with_loss`` (articles that lost any article character).
    """
    def one(name: str, part: pd.DataFrame) -> dict:
        sums = part[["chars", "gold", "cut", "hit", "lost", "missed"]].sum()
        return {"outlet": name, "articles": len(part), **{k: int(v) for k, v in sums.items()},
                "precision": sums["hit"] / sums["cut"] if sums["cut"] else float("nan"),
                "recall": sums["hit"] / sums["gold"] if sums["gold"] else float("nan"),
                "articles_with_loss": int((part["lost"] > 0).sum())}
    rows = [one(name, part) for name, part in result.groupby("outlet", sort=True)]
    return pd.DataFrame(rows + [one("all", result)])
