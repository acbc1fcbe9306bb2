import math
import random
import re

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from framescope.analysis.counts import GROUP_SIZE_COLUMNS
from framescope.analysis.collocations import (BIGRAM_MEASURES, COLLOCATE_COLUMNS, SORT_DECIMALS, bigram_collocations,
                                   collocate_profiles, collocates, ngrams)
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import tokens
from framescope.corpus.errors import FramescopeError
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
    assert row.o11 == count and row.n == toks.n_tokens()


def _window_corpus():
    return make_corpus([("d1", "body", "xx", "p node q r. q node p"),
                        ("d2", "body", "xx", "r s node"),
                        ("d3", "body", "xx", "node p p")],
                       {"d1": {"g": "A"}, "d2": {"g": "A"}, "d3": {"g": "B"}})


def test_window_collocates_hand_computed():
    t = collocates(_window_corpus(), "node", by="g", span=1, options=RAW, min_freq=1)
    assert list(t.columns) == COLLOCATE_COLUMNS + GROUP_SIZE_COLUMNS
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


def test_the_node_and_its_own_forms_are_not_its_collocates():
    """Regression (issue 18): تحالف was listed as a collocate of تحالف, resting on the node's
    second mention inside its own window."""
    corpus = make_corpus([("e1", "body", "en", "Terrorists attacked; the terrorists and a terrorist fled terrorism. "
                                               "News of new terrorists"),
                          ("a1", "body", "ar", "غارات التحالف على مواقع التحالف وللتحالف قوات التحالفات")])
    en = collocates(corpus, "terrorists", by=None, span=5, min_freq=1, lang="en")
    assert "terrorists" not in set(en.collocate) and "terrorist" not in set(en.collocate)
    assert {"terrorism", "attacked", "news", "fled"} <= set(en.collocate)  # a derived word and other words stay
    assert en.attrs["node_variants"] == ["terrorist", "terrorists"] and en.attrs["keep_node"] is False
    both = collocates(corpus, "terrorists", by=None, span=5, min_freq=1, lang="en", keep_node=True)
    assert {"terrorist", "terrorists"} <= set(both.collocate) and both.attrs["node_variants"] == []
    # the window positions (R1) and every other row are those of the table with the node's forms in it
    rest = both[~both.collocate.isin(["terrorist", "terrorists"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(en.reset_index(drop=True), rest)
    ar = collocates(corpus, "التحالف", by=None, span=5, min_freq=1)
    assert "تحالف" not in set(ar.collocate) and {"غارات", "مواقع", "قوات", "تحالفات"} <= set(ar.collocate)
    assert ar.attrs["node_variants"] == ["تحالف"]
    # with the clitics kept on the tokens, the forms with proclitics are the node's too
    whole = collocates(corpus, "التحالف", by=None, span=5, min_freq=1,
                       options=TokenOptions(arabic_proclitics=False))
    assert not {"التحالف", "وللتحالف"} & set(whole.collocate) and "التحالفات" in set(whole.collocate)


def test_node_variants_rule():
    from framescope.analysis.collocations import node_variants
    terms = ["terrorist", "terrorists", "Terrorists", "terrorism", "army"]
    assert node_variants(terms, "terrorists", "en").tolist() == [True, True, True, False, False]
    assert node_variants(["news", "new"], "new", "en").tolist() == [False, True]  # same base, other stem
    assert node_variants(["killed", "killing", "kills", "killer"], "kill", "en").tolist() == [True, True, True, False]
    assert node_variants(["stopped", "general", "generally"], "stop", "en").tolist() == [True, False, False]
    assert node_variants(["generally"], "general", "en").tolist() == [False]  # same stem, derived: stays
    ar = ["تحالف", "التحالف", "والتحالف", "للتحالف", "بتحالف", "تحالفات", "حالف"]
    assert node_variants(ar, "تحالف", "ar").tolist() == [True] * 5 + [False] * 2
    # a word that begins with a proclitic's letter is not that proclitic plus the node
    assert node_variants(["بنان", "ولبنان"], "لبنان", "ar").tolist() == [False, True]


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


# --- spans in running words (issue 17) ------------------------------------------------------

def _stopword_corpus():
    # default options drop "the", "of", "and", "was"
    return make_corpus([("d1", "body", "en", "The node of the stone moss. Rain was the node"),
                        ("d2", "body", "en", "Stone and the of node")],
                       {"d1": {"g": "A"}, "d2": {"g": "A"}})


def test_running_word_spans_hand_computed():
    corpus = _stopword_corpus()
    # running words: [the node of the stone moss] [rain was the node] [stone and the of node]
    # tokens:        [    node        stone moss] [rain         node] [stone            node]
    tok = collocates(corpus, "node", by=None, span=2, min_freq=1).set_index("collocate")
    # ±2 tokens: s1 node → stone, moss; s2 → rain; s3 → stone   (R1 = 4)
    assert tok["o11"].to_dict() == {"stone": 2, "moss": 1, "rain": 1}
    assert set(tok["window"]) == {4} and set(tok["n"]) == {7} and set(tok["f_node"]) == {3}
    assert tok.attrs["span_unit"] == "tokens"
    run = collocates(corpus, "node", by=None, span=2, min_freq=1, span_unit="running_words")
    # ±2 running words: stone is 3 words from the node in s1 and 4 in s3, rain 3 in s2: none
    assert run.empty
    run = collocates(corpus, "node", by=None, span=3, min_freq=1, span_unit="running_words").set_index("collocate")
    # ±3: s1 stone (distance 3), s2 rain (3); s3's stone is 4 away, s1's moss 4
    assert run["o11"].to_dict() == {"stone": 1, "rain": 1}
    assert set(run["window"]) == {2} and set(run["n"]) == {7} and set(run["f_node"]) == {3}
    assert run.loc["stone", "expected"] == pytest.approx(2 * 2 / 7)
    assert run.loc["stone", "logdice"] == pytest.approx(14 + math.log2(2 * 1 / (3 + 2)))
    assert run.attrs["span_unit"] == "running_words"
    left = collocates(corpus, "node", by=None, left=4, right=0, min_freq=1,
                      span_unit="running_words").set_index("collocate")
    assert left["o11"].to_dict() == {"stone": 1, "rain": 1}  # s3's stone (4 left), s2's rain (3 left)
    assert set(left["window"]) == {2}
    # a span wide enough for every sentence: both units count the same windows
    wide = collocates(corpus, "node", by=None, span=9, min_freq=1, span_unit="running_words")
    wide_tok = collocates(corpus, "node", by=None, span=9, min_freq=1)
    assert wide.equals(wide_tok)


def test_running_word_spans_errors():
    with pytest.raises(FramescopeError, match="span unit"):
        collocates(_stopword_corpus(), "node", by=None, span_unit="characters")
    with pytest.raises(FramescopeError, match="running-word spans need a corpus"):
        collocates(tokens(_stopword_corpus()), "node", by=None, span_unit="running_words")


@pytest.mark.parametrize("unit", ["tokens", "running_words"])
def test_window_counts_on_fakes_equal_a_direct_count(fakes_corpus, unit):
    """Every count against a plain loop over the real FA-KES text, in both span units."""
    from framescope.analysis.token_words import stopword_set
    node, span = "coalition", 8  # wide enough that the node meets its own forms in both units
    table = collocates(fakes_corpus, node, by=None, span=span, min_freq=1, span_unit=unit, keep_node=True)
    running = tokens(fakes_corpus, TokenOptions(stopwords=False), lang="en")
    kept = tokens(fakes_corpus, TokenOptions(), lang="en")
    stops = stopword_set("en", TokenOptions())
    o11: dict[str, int] = {}
    window = 0
    for sent in running.sentences():
        # numbers are never removed as stopwords ("10" is in the English list)
        words = [w for w in sent if w not in stops or re.fullmatch(r"[\d.,:/]+", w)]
        # distances in running words: places in the sentence; in tokens: places among the kept
        words = list(zip(range(len(words)), words)) if unit == "tokens" else \
            [(i, w) for i, w in enumerate(sent) if w not in stops or re.fullmatch(r"[\d.,:/]+", w)]
        for i, w in words:
            if w != node:
                continue
            for j, x in words:
                if j != i and abs(j - i) <= span:
                    o11[x] = o11.get(x, 0) + 1
                    window += 1
    assert len(o11) > 100
    assert dict(zip(table["collocate"], table["o11"])) == o11
    assert set(table["window"]) == {window}
    n = kept.n_tokens()
    assert set(table["n"]) == {n}
    f_node = sum(s.count(node) for s in kept.sentences())
    assert set(table["f_node"]) == {f_node}
    # by default the node's own forms are left out, and only they: every other row is the same
    default = collocates(fakes_corpus, node, by=None, span=span, min_freq=1, span_unit=unit)
    own = {"coalition", "coalitions", "coalition's"} & set(o11)
    assert "coalition" in own and default.attrs["node_variants"] == sorted(own)
    kept_rows = table[~table["collocate"].isin(own)].reset_index(drop=True)
    pd.testing.assert_frame_equal(default.reset_index(drop=True), kept_rows)


# --- vectorised kernels give the answers of the straightforward ones (issue 21) ---------------

def test_ranking_ties_by_words_whether_or_not_pairs_come_sorted():
    """One stable sort when the pairs come sorted by (w1, w2), three keys otherwise: same order."""
    from framescope.analysis.collocations import BigramCounts, score_bigrams
    from framescope.analysis.counts import Vocabulary
    rng = np.random.default_rng(0)
    v = 30
    code = np.unique(rng.integers(0, v * v, 600))  # distinct pairs, sorted
    w1, w2 = (code // v).astype(np.int32), (code % v).astype(np.int32)
    freq = rng.integers(1, 4, len(code)).astype(np.int64)  # few values: many tied scores
    uni = np.bincount(w1, freq, minlength=v).astype(np.int64) + np.bincount(w2, freq, minlength=v).astype(np.int64)
    vocab = Vocabulary(["xx"] * v, [f"t{i:02d}" for i in range(v)])
    ranked = score_bigrams(BigramCounts(w1, w2, freq, uni, vocab), sort_by="dice")
    dice = 2.0 * freq / (uni[w1] + uni[w2])  # the score of each pair, in (w1, w2) order
    want = np.lexsort((w2, w1, -np.round(dice, SORT_DECIMALS)))
    shuffled = rng.permutation(len(code))
    again = score_bigrams(BigramCounts(w1[shuffled], w2[shuffled], freq[shuffled], uni, vocab), sort_by="dice")
    pairs = list(zip(ranked.w1.astype(str), ranked.w2.astype(str)))
    assert pairs == [(vocab.terms[w1[i]], vocab.terms[w2[i]]) for i in want]
    assert pairs == list(zip(again.w1.astype(str), again.w2.astype(str)))
    assert ranked.dice.round(SORT_DECIMALS).nunique() < len(ranked) / 2  # ties decided by the words


def test_bigrams_from_token_lines_equal_bigrams_from_sentences(fakes_corpus):
    from framescope.analysis.collocations import bigram_counts, score_bigrams
    from framescope.analysis.counts import encode_lines, encode_sentences
    sents = [s for s in tokens(fakes_corpus, TokenOptions()).sentences() if s]
    data = "".join(" ".join(s) + "\n" for s in sents).encode("utf-8")
    old = score_bigrams(bigram_counts(encode_sentences(iter(sents), lang="en")), sort_by="g2")
    new = score_bigrams(bigram_counts(encode_lines(data, lang="en")), sort_by="g2")
    assert len(new) > 50_000
    pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_scores_do_not_depend_on_threads_or_blocks(monkeypatch, fakes_corpus):
    """Measures are computed block by block on threads: any block size and thread count give
    the same table, bit for bit (and the same ranking as one block in one thread)."""
    from framescope.analysis import collocations
    from framescope.analysis.collocations import bigram_counts, score_bigrams
    from framescope.analysis.counts import encode_sentences
    sents = [s for s in tokens(fakes_corpus, TokenOptions()).sentences() if s][:3000]
    counts = bigram_counts(encode_sentences(iter(sents), lang="en"))
    monkeypatch.setenv("FRAMESCOPE_THREADS", "1")
    want = score_bigrams(counts, sort_by="g2")
    monkeypatch.setattr(collocations, "_SCORE_BLOCK", 1000)
    for threads in ("1", "3"):
        monkeypatch.setenv("FRAMESCOPE_THREADS", threads)
        pd.testing.assert_frame_equal(score_bigrams(counts, sort_by="g2"), want, check_exact=True)
    assert len(want) > 10 * 1000
