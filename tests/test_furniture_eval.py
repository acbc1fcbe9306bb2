"""The page-furniture cuts against the hand-labelled FA-KES development set (text layer 8).

The rules were written while reading FA-KES, the set drawn afterwards (four articles per
outlet, seed 2026) and labelled by hand: these are development figures, asserted so that a
change that loses them fails. docs/furniture.md gives the numbers and the command.
"""
from __future__ import annotations

import pytest

from framescope.corpus.errors import FramescopeError
from framescope.corpus.furniture_eval import DEVSET, draw_sample, evaluate, read_devset, summarise

#: the share of cut characters that are furniture, and of furniture characters cut
MIN_PRECISION = 0.98
MIN_RECALL = 0.70


@pytest.fixture(scope="module")
def scores(fakes_csv):
    return summarise(evaluate(fakes_csv))


def test_devset_is_the_seeded_draw_and_covers_every_outlet(fakes_csv):
    spans = read_devset()
    drawn = draw_sample(fakes_csv)
    assert list(dict.fromkeys(zip(spans["outlet"], spans["unit_id"]))) == drawn
    assert len(drawn) == 60 and len({o for o, _ in drawn}) == 15
    assert (spans["kind"] != "none").sum() >= 20  # spans of furniture, of several kinds
    assert {"tags", "page tail", "video widget", "embedded tweet", "share widget"} <= set(spans["kind"])


def test_cuts_reach_the_precision_and_recall_targets(scores):
    overall = scores.iloc[-1]
    assert overall["outlet"] == "all" and overall["articles"] == 60
    assert overall["precision"] >= MIN_PRECISION, overall.to_dict()
    assert overall["recall"] >= MIN_RECALL, overall.to_dict()
    assert overall["lost"] <= (1 - MIN_PRECISION) * overall["cut"]


def test_outlets_without_furniture_lose_nothing(scores):
    clean = scores[(scores["gold"] == 0) & (scores["outlet"] != "all")]
    assert len(clean) >= 8
    assert (clean["cut"] == 0).all(), clean.to_dict("records")


def test_a_span_that_is_not_in_the_text_is_a_clear_error(fakes_csv, tmp_path):
    bad = tmp_path / "dev.csv"
    bad.write_text("unit_id,outlet,span,kind,starts,offset,ends\n1923102970,alaraby,1,tags,No such text,0,\n",
                   encoding="utf-8")
    with pytest.raises(FramescopeError, match="not in the text"):
        evaluate(fakes_csv, bad)
    with pytest.raises(FramescopeError, match="missing column"):
        bad.write_text("unit_id,outlet\n1,x\n", encoding="utf-8")
        read_devset(bad)
    with pytest.raises(FramescopeError, match="not found"):
        read_devset(tmp_path / "absent.csv")
    assert DEVSET.is_file()
