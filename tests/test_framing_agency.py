"""Agency of killing on sentences written here, English and Arabic, and shares by group."""
import numpy as np
import pytest

from framescope.analysis.framing.agency import AGENCY_CLASSES, agency, agency_sentences, find_agency
from stats_corpora import make_corpus


def first(sentence, lang="en"):
    found = find_agency(sentence, lang)
    assert found, sentence
    return found[0]


@pytest.mark.parametrize("sentence,lang,cls,agent,actor", [
    # agent
    ("The coalition killed 62 civilians in Raqqa.", "en", "agent", "The coalition", "coalition_unspecified"),
    ("The US-led coalition has killed more than 1,300 civilians.", "en", "agent", "The US-led coalition", "us_coalition"),
    ("A car bomb killed 20 people.", "en", "agent", "A car bomb", None),
    ("An explosion which killed 12 people rocked Damascus.", "en", "agent", "An explosion", None),
    ("Jets struck the town, killing 7 civilians.", "en", "agent", None, None),
    ("Its aim is to kill innocent people.", "en", "agent", None, None),
    ("US-Led Coalition in Syria and Iraq Slaughtered 1140 Civilians", "en", "agent",
     "US-Led Coalition in Syria and Iraq", "us_coalition"),
    ("The coalition says it has killed 1,300 civilians.", "en", "agent", "it", None),
    ("قتل التحالف الدولي 20 مدنيا في الرقة.", "ar", "agent", "التحالف الدولي", "us_coalition"),
    ("قتلت طائرات التحالف 20 مدنيا.", "ar", "agent", "طائرات التحالف", "coalition_unspecified"),
    # by-phrase
    ("Dozens of civilians were killed by coalition air strikes.", "en", "by_phrase", "coalition air strikes", "coalition_unspecified"),
    ("Five civilians were killed at the hands of ISIS.", "en", "by_phrase", "ISIS", "isis"),
    ("The killing of civilians by the coalition must stop.", "en", "by_phrase", "the coalition", "coalition_unspecified"),
    ("قتل 20 مدنيا بغارات التحالف الدولي.", "ar", "by_phrase", "بغارات التحالف الدولي", "us_coalition"),
    ("قتل خمسة مدنيين على يد داعش.", "ar", "by_phrase", "على يد داعش", "isis"),
    # agentless
    ("62 civilians were killed on Sunday.", "en", "agentless", None, None),
    ("62 civilians killed in Deir Ezzor.", "en", "agentless", None, None),
    ("Six people have been killed in Idlib by Sunday.", "en", "agentless", None, None),
    ("قتل 20 مدنيا في غارة على الرقة.", "ar", "agentless", None, None),
    ("قتل ما لا يقل عن 30 شخصا في الرقة.", "ar", "agentless", None, None),
    # nominal
    ("The attack resulted in the deaths of 15 civilians.", "en", "nominal", None, None),
    ("The death toll rose to 45.", "en", "nominal", None, None),
    ("We have reported the massacres the coalition committed.", "en", "nominal", None, None),
    ("The coalition is committing massacres in Raqqa.", "en", "nominal", None, None),
    ("أسفر القصف عن مقتل خمسة أشخاص.", "ar", "nominal", None, None),
    ("ارتفعت حصيلة القتلى إلى 45.", "ar", "nominal", None, None),
    # intransitive
    ("Six people died in the fire.", "en", "intransitive", None, None),
    ("Twenty people lost their lives.", "en", "intransitive", None, None),
    ("لقي 15 شخصا مصرعهم في انفجار.", "ar", "intransitive", None, None),
    ("استشهد خمسة مواطنين.", "ar", "intransitive", None, None),
])
def test_agency_classes(sentence, lang, cls, agent, actor):
    r = first(sentence, lang)
    assert r["agency"] == cls
    assert r["agent_text"] == agent
    assert r["agent_actor"] == actor


def test_agent_kind_and_victim():
    r = first("A car bomb killed 20 civilians.")
    assert (r["agent_kind"], r["victim"]) == ("event", "civilians")
    r = first("The coalition killed 62 civilians.")
    assert (r["agent_kind"], r["victim"]) == ("actor", "civilians")
    r = first("قتل 20 طفلا بغارات التحالف.", "ar")
    assert (r["agent_kind"], r["victim"]) == ("actor", "children")


def test_lagi_masra_counted_once_and_no_kill_no_row():
    assert len(find_agency("لقي 15 شخصا مصرعهم.", "ar")) == 1
    assert find_agency("The army shelled the town.") == []
    assert find_agency("قصف الجيش البلدة.", "ar") == []


def test_agency_shares_hand_computed():
    corpus = make_corpus([
        ("s1", "body", "en", "The coalition killed 10 civilians. Six people died."),
        ("s2", "body", "en", "Five civilians were killed."),
        ("w1", "body", "en", "Five civilians were killed. Ten civilians were killed by ISIS."),
        ("w2", "body", "en", "The army shelled the town."),
    ], {"s1": {"source_type": "state_media"}, "s2": {"source_type": "state_media"},
        "w1": {"source_type": "wire"}, "w2": {"source_type": "wire"}})
    lines = agency_sentences(corpus)
    assert list(lines["agency"]) == ["agent", "intransitive", "agentless", "agentless", "by_phrase"]
    table = agency(corpus, lines=lines, n_boot=200, seed=3)
    state = table[table["group"] == "state_media"].set_index("agency")
    assert list(state.index) == list(AGENCY_CLASSES)
    assert state.loc["agent", "count"] == 1 and state.loc["agent", "total"] == 3
    assert state.loc["agentless", "share"] == pytest.approx(1 / 3)
    assert state["share"].sum() == pytest.approx(1.0)
    wire = table[table["group"] == "wire"].set_index("agency")
    # w2 has no killing expression: it is not part of the wire denominator
    assert wire.loc["by_phrase", "share"] == pytest.approx(0.5) and wire.loc["agentless", "n_docs"] == 1
    # with one document the bootstrap cannot move the share
    assert wire.loc["by_phrase", "share_low"] == pytest.approx(0.5) == wire.loc["by_phrase", "share_high"]
    assert 0 <= state.loc["agent", "share_low"] <= 1 / 3 <= state.loc["agent", "share_high"] <= 1
    again = agency(corpus, lines=lines, n_boot=200, seed=3)
    assert table.equals(again) and set(table["seed"]) == {3}
    civ = agency(corpus, lines=lines, victim="civilians", n_boot=0)
    assert civ["total"].max() == 2 and np.isnan(civ["share_low"]).all()
