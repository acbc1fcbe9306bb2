import math
import random

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from analysis.collocations import (BIGRAM_MEASURES, COLLOCATE_COLUMNS, SORT_DECIMALS, bigram_collocations,
                                   collocate_profiles, collocates, ngrams)
from analysis.tokens import TokenOptions, tokens
from corpus.errors import FramescopeError
from stats_corpora import make_corpus

RAW = TokenOptions(stopwords=False)


def _random_corpus(seed=3, n_docs=40):
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(60)]
    weights = [1 / (i + 1) for i in range(60)]
    rows = []
    for d in range(n_docs):
        sents = []
        for _ in range(rng.randint(2, 6)):
            words = rng.choices(vocab, weights, k=rng.randint(3, 12))
            if rng.random() < 0.4:
                words[rng.randrange(len(words)):0] = ["white", "phosphorus"]
            sents.append(" ".join(words) + ".")
        rows.append((f"d{d}", "body", "xx", " ".join(sents)))
    return make_corpus(rows, {f"d{d}": {"g": "a" if d % 2 else "b"} for d in range(n_docs)})


def _nltk_order(scored):
    return [ng for ng, s in sorted(scored, key=lambda t: (-float(np.round(t[1], SORT_DECIMALS)), t[0]))]


@pytest.mark.parametrize("measure", sorted(BIGRAM_MEASURES))
def test_bigram_measures_equal_nltk_values_and_ranks(measure):
    toks = tokens(_random_corpus(), RAW)
    ours = bigram_collocations(toks, measure=measure, min_freq=1)
    finder = BigramCollocationFinder.from_documents(list(toks.sentences()))
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, BIGRAM_MEASURES[measure]))
    assert len(ours) == len(scored) > 100
    theirs = dict(scored)
    assert np.allclose(ours[measure].to_numpy(), [theirs[(a, b)] for a, b in zip(ours.w1, ours.w2)],
                       rtol=1e-9, atol=1e-12)
    assert list(zip(ours.w1, ours.w2)) == _nltk_order(scored)
    # NLTK's own order agrees except inside ties (scores equal to 1e-9)
    assert np.allclose(ours[measure].to_numpy(), [s for _, s in scored], rtol=1e-9, atol=1e-12)


def test_bigram_counts_per_group_and_batches():
    corpus = _random_corpus()
    whole = bigram_collocations(corpus, by="g", options=RAW, min_freq=2, batch_size=1000)
    batched = bigram_collocations(corpus, by="g", options=RAW, min_freq=2, batch_size=3)
    assert whole.equals(batched)
    assert set(whole.group) == {"a", "b"}
    row = whole[(whole.group == "a") & (whole.ngram == "white phosphorus")].iloc[0]
    toks = tokens(corpus.subset("g == 'a'"), RAW)
    count = sum(1 for s in toks.sentences() for x, y in zip(s, s[1:]) if (x, y) == ("white", "phosphorus"))
    assert row.freq == count and row.n == toks.n_tokens()


def _window_corpus():
    return make_corpus([("d1", "body", "xx", "p node q r. q node p"),
                        ("d2", "body", "xx", "r s node"),
                        ("d3", "body", "xx", "node p p")],
                       {"d1": {"g": "A"}, "d2": {"g": "A"}, "d3": {"g": "B"}})


def test_window_collocates_hand_computed():
    t = collocates(_window_corpus(), "node", by="g", span=1, options=RAW, min_freq=1)
    assert list(t.columns) == COLLOCATE_COLUMNS
    a = t[t.group == "A"].set_index("collocate")
    # group A sentences: [p node q r] [q node p] [r s node]; windows ±1 inside sentences:
    # p,q | q,p | s → R1 = 5; o11: p 2, q 2, s 1; n = 10; f_node 3; f_p 2
    assert a.loc["p", ["o11", "f_node", "f_collocate", "n", "window"]].tolist() == [2, 3, 2, 10, 5]
    assert "r" not in a.index  # never inside a ±1 window
    assert a.loc["p", "expected"] == pytest.approx(5 * 2 / 10)
    assert a.loc["p", "logdice"] == pytest.approx(14 + math.log2(2 * 2 / (3 + 2)))
    assert a.loc["p", "pmi"] == pytest.approx(1.0)
    assert a.loc["p", "mi3"] == pytest.approx(3.0)
    assert a.loc["p", "t_score"] == pytest.approx((2 - 1) / math.sqrt(2))
    # table [[2, 3], [0, 5]], expected [[1, 4], [1, 4]]
    g2 = 2 * (2 * math.log(2 / 1) + 3 * math.log(3 / 4) + 5 * math.log(5 / 4))
    assert a.loc["p", "g2"] == pytest.approx(g2)
    b = t[t.group == "B"].set_index("collocate")
    assert b.loc["p", ["o11", "f_node", "n", "window"]].tolist() == [1, 1, 3, 1]


def test_window_never_crosses_sentences_and_batches_merge():
    corpus = _window_corpus()
    t = collocates(corpus, "node", by="g", span=3, options=RAW, min_freq=1)
    a = t[t.group == "A"].set_index("collocate")
    # d1: [p node q r] gives p, q, r; [q node p] gives q, p; d2 [r s node] gives r, s
    assert a["o11"].to_dict() == {"p": 2, "q": 2, "r": 2, "s": 1}
    assert a["o11"].sum() == a["window"].iloc[0] == 7
    one = collocates(corpus, "node", by="g", span=3, options=RAW, min_freq=1, batch_size=1)
    assert one.equals(t)


def test_collocates_arabic_node_and_errors():
    corpus = make_corpus([("a1", "body", "ar", "غارات التحالف الدولي على الرقة. قصف التحالف الدولي المدينة")])
    t = collocates(corpus, "التحالف الدولي", by=None, span=2, min_freq=1)
    assert set(t.node) == {"التحالف_الدولي"}
    # token layer 2 splits the article off (الرقه → رقه); the phrase node stays whole
    assert set(t.collocate) >= {"غارات", "رقه", "قصف", "مدينه"}
    with pytest.raises(FramescopeError):
        collocates(corpus, "absentword", by=None)
    with pytest.raises(FramescopeError):
        collocates(_window_corpus(), "the", by="g")  # a stopword


def test_collocate_profiles_difference():
    t = collocates(_window_corpus(), "node", by="g", span=1, options=RAW, min_freq=1)
    prof = collocate_profiles(t, ("A", "B"))
    row = prof.set_index("collocate").loc["p"]
    assert row["diff"] == pytest.approx(row["logdice_A"] - row["logdice_B"])
    assert pd.isna(prof.set_index("collocate").loc["q", "o11_B"])  # not a collocate in B


def test_ngrams_within_sentences():
    corpus = make_corpus([("d1", "body", "xx", "a b c. a b c"), ("d2", "body", "xx", "a b")], {"d1": {"g": "x"}, "d2": {"g": "x"}})
    t = ngrams(corpus, n=3, by="g", options=RAW, min_freq=1)
    assert t[["ngram", "freq", "docs"]].values.tolist() == [["a b c", 2, 1]]  # "b c a" crosses a sentence
    t2 = ngrams(corpus, n=2, by="g", options=RAW, min_freq=1).set_index("ngram")
    assert t2.loc["a b", "freq"] == 3 and t2.loc["a b", "docs"] == 2 and "c a" not in t2.index
    assert t2.loc["a b", "per_million"] == pytest.approx(3 / 8 * 1e6)


def test_ngrams_batches_merge_exactly():
    corpus = _random_corpus()
    whole = ngrams(corpus, n=2, by="g", options=RAW, min_freq=2, batch_size=1000)
    batched = ngrams(corpus, n=2, by="g", options=RAW, min_freq=2, batch_size=3)
    assert len(whole) > 50
    assert whole.equals(batched)
