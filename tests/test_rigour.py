"""Keyness that survives review (framescope.analysis.rigour): hand-computed LRC, Wilcoxon and
text-dispersion values, the burst corpus, reference lists, multi-group families, FA-KES."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framescope.analysis import rigour
from framescope.analysis.counts import dtm
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError
from tests.stats_corpora import make_corpus

PLAIN = TokenOptions(stopwords=False)


def test_lrc_hand_computed_zero_reference():
    # a = 10, b = 0, equal sizes, one test: the CP lower bound of π is (α/2)^(1/a)
    value, low, high = rigour.lrc(10, 0, 1000, 1000, alpha=0.05, m=1)
    pi = 0.025 ** 0.1
    assert low[()] == pytest.approx(math.log2(pi / (1 - pi)), rel=1e-9)
    assert high[()] == math.inf
    assert value[()] == pytest.approx(low[()])
    # mirrored: a term only in the reference gets the negated bound
    value2, low2, high2 = rigour.lrc(0, 10, 1000, 1000)
    assert value2[()] == pytest.approx(-value[()]) and low2[()] == -math.inf


def test_lrc_bonferroni_and_sizes():
    # m tests: the CI has confidence 1 − α/m (here α/2m = 0.0025) → a more conservative LRC
    value, low, _ = rigour.lrc(10, 0, 1000, 1000, alpha=0.05, m=10)
    pi = 0.0025 ** 0.1
    assert low[()] == pytest.approx(math.log2(pi / (1 - pi)))
    assert value[()] < rigour.lrc(10, 0, 1000, 1000)[0][()]
    # a reference twice as large shifts the log ratio by log2(2) = 1
    v1 = rigour.lrc(30, 5, 1000, 1000)[0][()]
    v2 = rigour.lrc(30, 10, 1000, 2000)[0][()]
    assert v1 > 0 and v2 > 0
    # equal relative frequencies: the CI contains 0 → LRC = 0
    assert rigour.lrc(20, 20, 1000, 1000)[0][()] == 0.0


def _tiny():
    rows = [("t1", "body", "en", "alpha beta beta beta"), ("t2", "body", "en", "alpha alpha beta beta"),
            ("r1", "body", "en", "beta beta beta beta"),
            ("r2", "body", "en", "alpha beta beta beta beta beta beta beta")]
    meta = {d: {"source_type": "state_media" if d[0] == "t" else "wire"} for d in ("t1", "t2", "r1", "r2")}
    return make_corpus(rows, meta)


def test_wilcoxon_and_text_dispersion_hand_computed():
    table = rigour.keyness_review(_tiny(), "source_type == 'state_media'", options=PLAIN, min_freq=1, n_boot=20)
    alpha = table.set_index("term").loc["alpha"]
    # alpha's relative frequencies: target .25, .5; reference 0, .125 → U = 4 of 4 pairs
    assert alpha["wilcoxon_u"] == 4.0 and alpha["rank_biserial"] == 1.0
    assert alpha["n_docs_target"] == 2 and alpha["n_docs_reference"] == 2
    # document table [[2, 1], [0, 1]]: G² = 2(2 ln(2/1.5) + ln(1/1.5) + ln(1/0.5))
    expected = 2 * (2 * math.log(2 / 1.5) + math.log(1 / 1.5) + math.log(1 / 0.5))
    assert alpha["docs_g2"] == pytest.approx(expected)
    assert alpha["docs_log_ratio"] == pytest.approx(math.log2((2 / 2) / (1 / 2)))
    # token counts are those of framescope.analysis.keyness: a = 3 of 8, b = 1 of 12
    assert (alpha["freq_target"], alpha["freq_reference"], alpha["size_target"], alpha["size_reference"]) == (3, 1, 8, 12)
    assert list(table.columns) == rigour.REVIEW_COLUMNS


def _burst_corpus():
    filler = ["the army said the city was calm today", "officials met in the capital on monday",
              "the report was published by the agency", "people returned to the market after rain",
              "the minister spoke about the economy again"]
    rows, meta = [], {}
    for i in range(12):
        for side in ("t", "r"):
            doc = f"{side}{i}"
            text = filler[i % 5] + " " + filler[(i + 2) % 5]
            if side == "t" and i == 0:
                text += " " + " ".join(["burst"] * 200)
            if side == "r" and i in (3, 7):
                text += " burst"
            rows.append((doc, "body", "en", text))
            meta[doc] = {"source_type": "state_media" if side == "t" else "wire"}
    return make_corpus(rows, meta)


def test_burst_term_is_token_key_but_not_document_key():
    table = rigour.keyness_review(_burst_corpus(), "source_type == 'state_media'", options=PLAIN,
                                  min_freq=1, n_boot=300, seed=3)
    burst = table.set_index("term").loc["burst"]
    assert burst["g2"] > 100 and burst["p_adjusted"] < 1e-10 and burst["sig_g2"]
    assert burst["sig_lrc"]  # LRC is still token-level: it does not protect against bursts
    assert burst["wilcoxon_p_adjusted"] > 0.05 and not burst["sig_wilcoxon"]
    assert burst["log_ratio_low"] < 0 < burst["log_ratio_high"] and not burst["sig_bootstrap"]
    assert not burst["sig_docs"]
    s = rigour.survival(table, top=1).set_index("test")
    assert s.loc["sig_g2", "survive"] == 1 and s.loc["sig_wilcoxon", "survive"] == 0
    assert s.loc["all", "survive"] == 0


def test_reference_list(tmp_path):
    corpus = _tiny()
    path = tmp_path / "ref.csv"
    pd.DataFrame({"term": ["Alpha", "beta", "gamma"], "frequency": [10, 980, 10],
                  "corpus_size": [1000, 1000, 1000]}).to_csv(path, index=False)
    table = rigour.keyness_reference_list(corpus, path, options=PLAIN, min_freq=1).set_index("term")
    # whole corpus: alpha 4 of 20 tokens vs 10 of 1000 (lowercased list)
    assert table.loc["alpha", "freq_target"] == 4 and table.loc["alpha", "freq_reference"] == 10
    assert table.loc["alpha", "size_target"] == 20 and table.loc["alpha", "size_reference"] == 1000
    assert table.loc["gamma", "freq_target"] == 0 and table.loc["gamma", "g2"] < 0
    assert table.loc["alpha", "lrc"] == pytest.approx(rigour.lrc(4, 10, 20, 1000, m=3)[0][()])
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"term": ["a"], "frequency": [5]}).to_csv(bad, index=False)
    with pytest.raises(FramescopeError, match="corpus_size"):
        rigour.keyness_reference_list(corpus, bad)
    pd.DataFrame({"term": ["a", "b"], "frequency": [5, 6], "corpus_size": [100, 200]}).to_csv(bad, index=False)
    with pytest.raises(FramescopeError, match="more than one corpus_size"):
        rigour.read_reference_list(bad)


def test_family_adjusts_over_all_comparisons():
    rows, meta = [], {}
    for g, word in (("a", "apple"), ("b", "banana"), ("c", "cherry")):
        for i in range(4):
            rows.append((f"{g}{i}", "body", "en", f"{word} {word} fruit market day {i}"))
            meta[f"{g}{i}"] = {"source_type": g}
    corpus = make_corpus(rows, meta)
    fam = rigour.keyness_family(corpus, "source_type", options=PLAIN, min_freq=1, n_boot=50)
    assert sorted(fam["comparison"].unique()) == ["a vs (rest)", "a vs b", "a vs c", "b vs (rest)",
                                                  "b vs c", "c vs (rest)"]
    from framescope.analysis.keyness import adjust_pvalues
    assert np.allclose(fam["p_adjusted"], adjust_pvalues(fam["p_value"].to_numpy()))
    assert fam.attrs["n_tests"] == len(fam)
    row = fam[(fam["comparison"] == "a vs b") & (fam["term"] == "apple")].iloc[0]
    assert row["freq_target"] == 8 and row["freq_reference"] == 0
    assert row["lrc"] == pytest.approx(rigour.lrc(8, 0, row["size_target"], row["size_reference"], m=len(fam))[0][()])
    # deterministic
    again = rigour.keyness_family(corpus, "source_type", options=PLAIN, min_freq=1, n_boot=50)
    pd.testing.assert_frame_equal(fam, again)


def test_fakes_top50_survival(fakes_corpus):
    table = rigour.keyness_review(fakes_corpus, "source_type == 'state_media'", "source_type == 'wire'",
                                  lang="en", n_boot=200, seed=0)
    s = rigour.survival(table, top=50).set_index("test")
    assert s.loc["sig_g2", "of"] == 50
    # the document-level tests are stricter than token-level G²
    assert s.loc["sig_wilcoxon", "survive"] <= s.loc["sig_g2", "survive"]
    assert s.loc["all", "survive"] <= min(s.loc[t, "survive"] for t in rigour.TESTS)
    # every effect size points the way of its counts (the old zero rule flipped hundreds)
    assert (np.sign(table["log_ratio"]) == np.sign(table["g2"])).all()
    doc_diff = table["docs_target"] / table["n_docs_target"] - table["docs_reference"] / table["n_docs_reference"]
    assert (np.sign(table["docs_log_ratio"]) == np.sign(doc_diff)).all()
    assert (np.sign(table["logodds_z"]) == np.sign(table["g2"])).all()
    # terms absent from the 23 Reuters documents: the bootstrap CI excludes 0 for all of them,
    # the permutation test only for those in enough documents
    head = table[table["g2"] > 0].head(50)
    one = head[head["freq_reference"] == 0]
    assert len(one) > 10 and (one["log_ratio_low"] > 0).all()
    assert 0 < one["sig_bootstrap"].sum() < len(one)
    assert (~one["perm_testable"]).sum() > 0 and set(one.loc[~one["perm_testable"], "term"]) <= set(
        table.attrs["untestable_terms"])
    print(s)


# --- back to the texts (framescope.analysis.trace) -------------------------------------------------------

def _trace_corpus():
    rows = [("s1", "body", "en", "Terrorists shelled Aleppo. The coalition bombed Raqqa."),
            ("s2", "body", "en", "The illegal coalition killed civilians in Raqqa."),
            ("w1", "body", "en", "Rebels shelled Aleppo, said the monitor. At least 12 civilians were killed."),
            ("w2", "body", "en", "Coalition strikes hit Raqqa.")]
    meta = {"s1": {"source_type": "state_media"}, "s2": {"source_type": "state_media"},
            "w1": {"source_type": "wire"}, "w2": {"source_type": "wire"}}
    return make_corpus(rows, meta)


def test_trace_keyword_row_with_group_and_stemming():
    from framescope.analysis.trace import trace
    corpus = _trace_corpus()
    lines = trace({"lang": "en", "term": "shelled", "group": "wire"}, corpus, by="source_type")
    assert list(lines["doc_id"]) == ["w1"] and lines.attrs["kind"] == "keyword"
    stem = TokenOptions(stem=True)
    # a stemmed keyness term ('coalit') is found in its surface forms
    lines = trace({"lang": "en", "term": "coalit"}, corpus, options=stem)
    assert sorted(lines["doc_id"]) == ["s1", "s2", "w2"]
    assert set(lines["keyword"]) == {"coalition", "Coalition"}


def test_trace_collocate_row_respects_span():
    from framescope.analysis.trace import trace
    corpus = _trace_corpus()
    row = {"group": "state_media", "lang": "en", "node": "coalition", "collocate": "raqqa", "o11": 2}
    lines = trace(row, corpus, by="source_type", span=2)
    # s1: coalition bombed raqqa (2 analysis tokens right); s2: coalition killed civilians raqqa (3)
    assert list(lines["doc_id"]) == ["s1"] and list(lines["side"]) == ["right"]
    lines = trace(row, corpus, by="source_type", span=3)
    assert list(lines["doc_id"]) == ["s1", "s2"]


def test_trace_claim_and_topic_rows():
    from framescope.analysis.trace import trace
    corpus = _trace_corpus()
    claim = {"doc_id": "w1", "sentence_id": 1, "sentence": "At least 12 civilians were killed.",
             "amount_text": "12", "lang": "en"}
    lines = trace(claim, corpus)
    assert len(lines) == 1 and lines["keyword"].iloc[0] == "12" and lines["sent"].iloc[0] == 1
    doc_topics = pd.DataFrame({"doc_id": ["s1", "s2", "w2", "s1"], "topic": [0, 0, 0, 1],
                               "weight": [0.2, 0.9, 0.5, 0.8]})
    lines = trace({"topic": 0, "term": "raqqa"}, corpus, doc_topics=doc_topics, top_docs=2)
    assert list(lines["doc_id"]) == ["s2", "w2"] and list(lines["weight"]) == [0.9, 0.5]
    with pytest.raises(FramescopeError):
        trace({"foo": 1}, corpus)


def test_document_log_ratio_keeps_its_sign():
    # the row: a term in 7 of 395 target documents and 0 of 23 reference ones
    td = rigour.text_dispersion([7, 0, 3], [0, 2, 1], [395, 395, 10], [23, 23, 40])
    assert td["docs_log_ratio"][0] == pytest.approx(math.log2((7 / 395 + 0.5 / 23) / (0.5 / 23)))
    assert td["docs_log_ratio"][0] > 0  # was −0.20 with 0.5 added to both counts only
    assert td["docs_log_ratio"][1] < 0
    assert td["docs_log_ratio"][2] == pytest.approx(math.log2((3 / 10) / (1 / 40)))


def test_family_permutation_columns_and_untestable_terms():
    rows, meta = [], {}
    for g, word in (("a", "apple"), ("b", "banana")):
        for i in range(12):
            text = f"{word} fruit market day" if i < 7 else "fruit market day stall"
            rows.append((f"{g}{i}", "body", "en", text))
            meta[f"{g}{i}"] = {"source_type": g}
    rows.append(("a99", "body", "en", "plum fruit market day"))
    meta["a99"] = {"source_type": "a"}
    corpus = make_corpus(rows, meta)
    fam = rigour.keyness_family(corpus, "source_type", mode="pairs", options=PLAIN, min_freq=1, n_boot=200,
                                n_perm=999)
    assert list(fam.columns[3:]) == rigour.REVIEW_COLUMNS
    apple = fam[fam["term"] == "apple"].iloc[0]
    plum = fam[fam["term"] == "plum"].iloc[0]
    fruit = fam[fam["term"] == "fruit"].iloc[0]
    # apple: in 7 of 13 a-documents, none of 12 b-documents: C(13,7)/C(25,7) = 1716/480700, testable
    assert apple["perm_testable"] and apple["perm_p"] == pytest.approx(2 * 1716 / 480700, rel=1e-9)
    assert apple["sig_bootstrap"]
    # plum: one document, one occurrence: cannot be tested, and is not passed by the bootstrap either
    assert plum["perm_testable"] == False  # noqa: E712 (pandas boolean)
    assert not plum["sig_bootstrap"]
    assert fam.attrs["untestable_terms"] == ["a vs b: plum"]
    # terms seen on both sides keep the bootstrap test and have no permutation p-value
    assert np.isnan(fruit["perm_p"]) and pd.isna(fruit["perm_testable"])
    one = fam["perm_p"].notna().to_numpy()
    from framescope.analysis.measures import adjust_pvalues
    assert np.allclose(fam.loc[one, "perm_p_adjusted"], adjust_pvalues(fam.loc[one, "perm_p"].to_numpy()))
