"""Event matching (framescope.analysis.events) and within-event comparison (framescope.analysis.event_compare)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framescope.cli import main
from framescope.corpus.errors import FramescopeError
from framescope.corpus.store import Corpus
from framescope.analysis.event_compare import (claims_against_reference, document_measures,
                                    fixed_effects_terms, toll_label_confusion,
                                    within_event_difference)
from framescope.analysis.events import (EventConfig, event_agreement, events, find_places, fold, gazetteer,
                             locate_documents)

STRIKE = ("Air strikes on a market in {place} killed {n} civilians on Tuesday, a monitor said. "
          "Warplanes hit the crowded vegetable market and rescue workers pulled bodies from rubble.")
SIEGE = ("Aid convoys reached the besieged district of {place} after months of negotiations, "
         "bringing flour, medicine and fuel to families trapped by the siege.")
DAM = ("Engineers warned that the dam near {place} could collapse after fighting damaged "
       "its control room and flood gates, threatening villages downstream.")


def _corpus(rows) -> Corpus:
    docs = pd.DataFrame(rows, columns=["doc_id", "outlet", "alignment", "date", "title", "text"])
    docs["date"] = pd.to_datetime(docs["date"])
    docs["collection"] = "t"
    docs["duplicate_of"] = None
    return Corpus.from_frames(docs, pd.DataFrame(columns=["doc_id"]), manifest={"corpus_id": "t"})


@pytest.fixture
def small():
    """Three known events; place names spelt in several transliterations and in Arabic."""
    return _corpus([
        # event A: Deir ez-Zor market strike, 2017-03-01, three spellings
        ("a1", "sana", "pro", "2017-03-01", "Strike in Deir ez-Zor", STRIKE.format(place="Deir ez-Zor", n=12)),
        ("a2", "trt", "anti", "2017-03-02", "Market strike", STRIKE.format(place="Deir Ezzor", n=12)),
        ("a3", "reuters", "neutral", "2017-03-03", "Dayr az Zawr market hit", STRIKE.format(place="Dayr az-Zawr", n=15)),
        # same story, same place, but 5 days after the last one: outside the ±2-day window
        ("a4", "manar", "pro", "2017-03-08", "Deir al-Zour market", STRIKE.format(place="Deir al-Zour", n=12)),
        # event B: Madaya (Rif Dimashq) siege, one Arabic-script headline with a proclitic
        ("b1", "sana", "pro", "2016-01-10", "قوافل المساعدات تصل إلى مضايا", SIEGE.format(place="Madaya")),
        ("b2", "etilaf", "anti", "2016-01-11", "Aid in Madaya", SIEGE.format(place="Madaya")),
        # event C: Tabqa dam (Raqqa governorate), same day as nothing else
        ("c1", "tass", "pro", "2017-03-26", "Tabqa dam", DAM.format(place="Tabqa")),
        ("c2", "trt", "anti", "2017-03-27", "Raqqa dam fears", DAM.format(place="al-Tabqa")),
        # a different story in Deir ez-Zor on event A's days: not the same event
        ("d1", "ahram", "mixed", "2017-03-02", "Deir ez-Zor siege", SIEGE.format(place="Deir ez-Zor")),
        # undated and unplaced documents are left out and counted
        ("u1", "sana", "pro", None, "Undated", STRIKE.format(place="Aleppo", n=3)),
        ("u2", "sana", "pro", "2017-03-01", "Nowhere", "A statement on the economy."),
    ])


def test_fold_and_places_read_variants_and_arabic_proclitics():
    assert fold("Deir ez-Zor") == ["deir", "ez", "zor"]
    assert fold("Ma'arat al-Nu'man") == ["maarat", "al", "numan"]
    assert [g for _, g in find_places("Fighting in DEIR EZZOR and Dayr az-Zawr")] == ["deir_ez_zor"] * 2
    assert [g for _, g in find_places("غارات على الرقة وبحلب وللرقة")] == ["raqqa", "aleppo", "raqqa"]
    assert [g for _, g in find_places("Aleppos eastern districts")] == ["aleppo"]  # FA-KES possessive
    assert find_places("The missile hit a school") == []  # 'Hit' (Anbar) is not in the gazetteer
    gaz = gazetteer()
    assert {"SY", "IQ"} == set(gaz["country"])
    assert gaz.groupby("key")["governorate"].nunique().max() == 1


def test_locate_documents_weights_headlines_and_merges_damascus_countryside():
    docs = pd.DataFrame({"doc_id": ["x", "y"], "title": ["Raid on Douma", "Homs"],
                         "text": ["Damascus said ... Aleppo ... Aleppo", "Hama Hama"]})
    loc = locate_documents(docs).set_index("doc_id")
    # Douma (Rif Dimashq, merged with Damascus) ×3 from the headline + Damascus 1 > Aleppo 2
    assert loc.loc["x", "place"] == "damascus"
    assert loc.loc["y", "place"] == "homs" and loc.loc["y", "mentions"] == 3  # tie-breaking by weight
    unmerged = locate_documents(docs, EventConfig(merge_places=())).set_index("doc_id")
    assert unmerged.loc["x", "place"] == "rif_dimashq"


def test_events_recover_known_events(small):
    res = events(small, EventConfig(window_days=2, similarity=0.2, use_numbers=False))
    ev = res.assignments.set_index("doc_id")["event_id"]
    assert ev["a1"] == ev["a2"] == ev["a3"]
    assert ev["a4"] != ev["a1"]  # 5 days after a3: outside the window
    assert ev["b1"] == ev["b2"] and ev["c1"] == ev["c2"]
    assert ev["d1"] != ev["a1"]  # same place and days, another story
    assert res.meta["left_out_undated"] == 1 and res.meta["left_out_unplaced"] == 1
    a = res.events.set_index("event_id").loc[ev["a1"]]
    assert (a["n_docs"], a["n_outlets"], a["n_groups"], a["place"]) == (3, 3, 3, "deir_ez_zor")
    assert str(a["date_start"].date()) == "2017-03-01" and str(a["date_end"].date()) == "2017-03-03"
    # wider window: a4 joins
    wide = events(small, EventConfig(window_days=5, similarity=0.2, use_numbers=False))
    w = wide.assignments.set_index("doc_id")["event_id"]
    assert w["a4"] == w["a1"]


def test_shared_casualty_number_links_dissimilar_texts():
    c = _corpus([
        ("p", "sana", "pro", "2017-05-01", "Homs", "Rockets fell on Homs killing 27 people in the old city."),
        ("q", "trt", "anti", "2017-05-02", "Homs", "Regime shelling of the Waer neighbourhood left 27 dead."),
    ])
    claims = pd.DataFrame({"doc_id": ["p", "q"], "number": pd.array([27, 27], dtype="Int64"),
                           "outcome": "killed", "attribution_class": "unattributed"})
    apart = events(c, EventConfig(similarity=0.9), claims=None).assignments.set_index("doc_id")["event_id"]
    assert apart["p"] != apart["q"]
    linked = events(c, EventConfig(similarity=0.9), claims=claims).assignments.set_index("doc_id")
    assert linked.loc["p", "event_id"] == linked.loc["q", "event_id"] and linked.loc["q", "link"] == "number"


def test_events_are_deterministic(small):
    shuffled = Corpus.from_frames(small.documents.sample(frac=1, random_state=3), small.segments,
                                  manifest=small.manifest)
    a = events(small, EventConfig(use_numbers=False))
    b = events(shuffled, EventConfig(use_numbers=False))
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)


def test_event_agreement_by_hand():
    assign = pd.DataFrame({"doc_id": list("abcde"), "event_id": ["1", "1", "1", "2", "2"]})
    ref = pd.Series(["x", "x", "y", "y", "y"], index=list("abcde"))
    row = event_agreement(assign, ref).iloc[0]
    # predicted pairs: ab ac bc de = 4; reference pairs: ab cd ce de = 4; true: ab de = 2
    assert (row["n_pairs_predicted"], row["n_pairs_reference"], row["true_pairs"]) == (4, 4, 2)
    assert row["precision"] == pytest.approx(0.5) and row["recall"] == pytest.approx(0.5)
    # ARI: index 2, expected 4*4/10 = 1.6, max 4 -> (2-1.6)/(4-1.6)
    assert row["ari"] == pytest.approx(0.4 / 2.4)
    # a document missing from the assignments is a singleton
    row = event_agreement(assign[assign.doc_id != "e"], ref).iloc[0]
    assert row["true_pairs"] == 1 and row["n_pairs_predicted"] == 3


def test_within_event_estimator_by_hand():
    # E1: group g {2, 4}, reference r {1}; E2: g {3}, r {1, 1}; E3 only g: drops out
    assign = pd.DataFrame({"doc_id": list("abcdefg"), "event_id": ["E1"] * 3 + ["E2"] * 3 + ["E3"],
                           "group": ["g", "g", "r", "g", "r", "r", "g"]})
    meas = pd.DataFrame({"doc_id": list("abcdefg"), "y": [2.0, 4.0, 1.0, 3.0, 1.0, 1.0, 100.0]})
    sxy, sxx = fixed_effects_terms(meas["y"].to_numpy(), (assign["group"] == "g").to_numpy(float),
                                   assign["event_id"].to_numpy())
    assert sxy.tolist() == pytest.approx([4 / 3, 4 / 3, 0.0]) and sxx.tolist() == pytest.approx([2 / 3, 2 / 3, 0.0])
    out = within_event_difference(meas, assign, ["y"], reference="r", n_boot=500, seed=1)
    m = out[out.design == "matched"].iloc[0]
    u = out[out.design == "unmatched"].iloc[0]
    assert m["estimate"] == pytest.approx(2.0) and m["n_events"] == 2
    assert (m["n_docs_group"], m["n_docs_reference"]) == (3, 3)
    # unmatched: mean(2, 4, 3, 100) - mean(1, 1, 1) — the event only g covered inflates it
    assert u["estimate"] == pytest.approx(109 / 4 - 1)
    assert m["estimate_low"] <= m["estimate"] <= m["estimate_high"]
    again = within_event_difference(meas, assign, ["y"], reference="r", n_boot=500, seed=1)
    pd.testing.assert_frame_equal(out, again)
    with pytest.raises(FramescopeError, match="no measure columns"):
        within_event_difference(meas, assign, ["z"])


def test_document_measures_and_reference_tables():
    claims = pd.DataFrame({
        "doc_id": ["a", "a", "b", "c"],
        "number": pd.array([10, 30, 5, 7], dtype="Int64"),
        "number_min": pd.array([10, 20, 5, 7], dtype="Int64"),
        "number_max": pd.array([10, 30, 5, 7], dtype="Int64"),
        "outcome": ["killed", "killed", "injured", "killed"],
        "attribution_class": ["ngo", "unattributed", "government", "ngo"]})
    m = document_measures(claims, ["a", "b", "c", "z"]).set_index("doc_id")
    assert (m.loc["a", "toll_max"], m.loc["a", "toll_min"], m.loc["a", "claims"]) == (30, 10, 2)
    assert m.loc["a", "attributed_share"] == 0.5 and m.loc["a", "cites_ngo"] == 1.0
    assert pd.isna(m.loc["b", "toll_max"]) and m.loc["z", "claims"] == 0 and pd.isna(m.loc["z", "cites_ngo"])
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "z"], "outlet": ["o1", "o1", "o2", "o2"],
                         "alignment": ["pro", "pro", "anti", "anti"], "fakes_label": [1, 0, 0, 1]})
    ref = claims_against_reference(claims, docs).set_index(["level", "name"])
    assert ref.loc[("all", "all"), "n_with_toll"] == 2 and ref.loc[("all", "all"), "credible_with_toll"] == 1
    assert ref.loc[("group", "pro"), "credible_share"] == 1.0
    assert ref.loc[("group", "pro"), "credible_share_low"] < 1.0  # Wilson interval for 1/1
    conf = toll_label_confusion(claims, docs)
    assert conf["n_docs"].sum() == 4
    assert conf.set_index(["toll", "label"]).loc[("10-49", "credible"), "n_docs"] == 1


def test_events_command_writes_tables_and_refuses_foreign_folder(small, tmp_path, capsys):
    from framescope.corpus.store import write_corpus

    write_corpus(tmp_path / "c", small.documents, pd.DataFrame(
        {"doc_id": small.documents.doc_id, "seg": 0, "role": "body", "lang": "en",
         "text": small.documents.text}), pd.DataFrame(columns=["source", "location", "reason"]),
        {"corpus_id": "t"})
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert main(["events", str(tmp_path / "c"), "--out", str(foreign), "--n-boot", "50"]) == 2
    assert "holds other files" in capsys.readouterr().err
    assert (foreign / "notes.txt").read_text() == "keep me"
    out = tmp_path / "ev"
    assert main(["events", str(tmp_path / "c"), "--out", str(out), "--n-boot", "50",
                 "--similarity", "0.2"]) == 0
    ev = pd.read_parquet(out / "events.parquet")
    assert ev["n_docs"].sum() == len(pd.read_parquet(out / "event_documents.parquet")) == 9
    meta = json.loads((out / "events.meta.json").read_text())
    assert meta["config"]["window_days"] == 2 and meta["left_out_undated"] == 1
    # rerun into its own output folder is allowed
    assert main(["events", str(tmp_path / "c"), "--out", str(out), "--n-boot", "50"]) == 0


@pytest.mark.parametrize("window", [0, 2])
def test_fakes_events_agree_with_fakes_coding(fakes_corpus, window):
    """On FA-KES the clusters agree with its (location, date) coding well above chance."""
    from framescope.analysis.events import fakes_reference

    res = events(fakes_corpus, EventConfig(window_days=window, use_numbers=False))
    agree = event_agreement(res.assignments, fakes_reference(fakes_corpus.documents)).iloc[0]
    assert agree["n_docs"] > 700
    assert agree["ari"] > 0.2 and agree["recall"] > 0.2
    if window == 0:
        assert agree["precision"] > 0.7
    assert np.isfinite(agree["f1"])


def test_background_tolls_are_not_event_claims():
    from framescope.analysis.event_compare import is_background_claim

    assert is_background_claim("More than 280000 people have been killed since Syrias conflict erupted in 2011.")
    assert is_background_claim("The war has since killed more than 300000 people.")
    assert is_background_claim("قتل أكثر من 300 ألف شخص منذ اندلاع النزاع")
    assert not is_background_claim("Air strikes on towns across the country killed at least 32 people on Monday.")
    assert not is_background_claim("The Observatory said 26 civilians were killed in Raqqa on Tuesday.")
    claims = pd.DataFrame({"doc_id": ["a", "a"], "number": pd.array([12, 280000], dtype="Int64"),
                           "outcome": "killed", "attribution_class": "ngo",
                           "sentence": ["Strikes killed 12 people in Idlib.",
                                        "The conflict has killed 280000 people since 2011."]})
    assert document_measures(claims).set_index("doc_id").loc["a", "toll_max"] == 12
    assert document_measures(claims, background=True).set_index("doc_id").loc["a", "toll_max"] == 280000


def test_term_measures_count_key_terms_per_document(small):
    from framescope.analysis.event_compare import term_measures
    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.tokens import tokens as tokenise

    docs = small.documents[small.documents["date"].notna()]
    segs = pd.DataFrame({"doc_id": docs["doc_id"], "seg": 0, "role": "body", "lang": "en", "text": docs["text"]})
    c = Corpus.from_frames(docs.assign(lang="en"), segs, manifest={"corpus_id": "t2"})
    out = term_measures(c, ["market", "siege"], TokenOptions()).set_index("doc_id")
    assert out.loc["a1", "term_market_per_10k"] > 0 and out.loc["a1", "term_siege_per_10k"] == 0
    assert out.loc["b2", "term_siege_per_10k"] > 0
    toks = [t for s in tokenise(c.subset("doc_id == 'a1'"), TokenOptions()).sentences() for t in s]
    assert out.loc["a1", "n_tokens"] == len(toks)
    assert out.loc["a1", "term_market_per_10k"] == pytest.approx(toks.count("market") / len(toks) * 1e4)
    with pytest.raises(FramescopeError, match="one word"):
        term_measures(c, ["vegetable market"])
