"""Topic models (framescope.analysis.topics, issue 4): small K, one or two passes, FA-KES and one day
of SaudiNewsNet, plus tables and corpora written here with hand-computed values."""
from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import tokens
from framescope.analysis.topics import (COHERENCE_MEASURES, MODEL_META, DictionaryOptions, LdaOptions, TopicModel,
                             align_topics, bag_of_words, bootstrap_group_means, coherence, compare_groups,
                             exclusivity, fit_lda, frex, heldout_mask, heldout_perplexity, js_distance_matrix,
                             k_choice, k_search, prevalence, prevalence_effects, recommend_k, relevance, topic_stability,
                             window_counts, write_ldavis)
from framescope.cli import main
from framescope.corpus.errors import CorpusMismatchError, FramescopeError
from stats_corpora import make_corpus

EN = TokenOptions(numbers="drop", min_length=2)
FAST = LdaOptions(passes=1, chunksize=200, iterations=20)


@pytest.fixture(scope="module")
def fakes_bow(fakes_corpus):
    with bag_of_words(fakes_corpus, "en", EN) as bow:
        yield bow


@pytest.fixture(scope="module")
def fakes_runs(fakes_bow):
    return [fit_lda(fakes_bow, 4, seed, FAST) for seed in (0, 1)]


# --- bag of words -----------------------------------------------------------------------------

def test_bag_of_words_accounts_for_every_document(fakes_corpus, fakes_bow):
    bow = fakes_bow
    assert (bow.folder / "corpus.mm").is_file()
    assert len(bow) + len(bow.excluded) == len(fakes_corpus.documents)
    assert set(bow.doc_ids).isdisjoint(bow.excluded["doc_id"])
    dups = fakes_corpus.documents["duplicate_of"].notna().sum()
    assert (bow.excluded["reason"] == "duplicate").sum() == dups > 0
    # streamed twice from disk: same documents; counts agree with the recorded totals
    first, second = list(bow), list(bow)
    assert first == second and len(first) == len(bow)
    tf = np.zeros(bow.n_terms, dtype=np.int64)
    for doc in first:
        for w, c in doc:
            tf[w] += int(c)
    assert np.array_equal(tf, bow.term_frequency)
    assert np.array_equal([sum(c for _, c in d) for d in first], bow.doc_lengths)


def test_texts_stream_matches_tokens(fakes_corpus, fakes_bow):
    """The token sequences for coherence are the documents' tokens, with filtered terms
    as '' in place, and their in-vocabulary counts equal the bag-of-words."""
    bow = fakes_bow
    toks = tokens(fakes_corpus, EN, lang="en").select(list(bow.doc_ids[:30]))
    vocab = bow.dictionary.token2id
    for text, doc, raw in zip(bow.texts(), bow, toks):
        assert len(text) == len(raw)
        assert text == [t if t in vocab else "" for t in raw]
        counts = Counter(vocab[t] for t in text if t)
        assert sorted(counts.items()) == [(w, int(c)) for w, c in doc]


def _tiny_corpus():
    rows = [("a", "body", "en", "Bombing raids hit Aleppo market. Bombing raids continue."),
            ("a", "caption", "ar", "غارات على حلب"),
            ("b", "body", "en", "Aleppo market bombing kills civilians in Aleppo despite talks."),
            ("c", "body", "en", "Peace talks in Geneva on Syria ceasefire talks."),
            ("d", "body", "ar", "محادثات السلام في جنيف حول سوريا"),
            ("e", "body", "en", "Geneva peace talks resume on ceasefire."),
            ("f", "body", "en", "Bombing of Aleppo. Peace talks in Geneva.")]
    meta = {d: {"source_type": st, "outlet": o} for d, st, o in
            [("a", "state_media", "sana"), ("b", "wire", "reuters"), ("c", "state_media", "sana"),
             ("d", "state_media", "sana"), ("e", "wire", "reuters"), ("f", "wire", "reuters")]}
    return make_corpus(rows, meta)


def test_one_vocabulary_per_language():
    corpus = _tiny_corpus()
    opts = DictionaryOptions(no_below=1, no_above=1.0, min_tokens=1)
    with bag_of_words(corpus, "en", EN, opts) as en, bag_of_words(corpus, "ar", EN, opts) as ar:
        assert "d" not in en.doc_ids and en.excluded.set_index("doc_id").loc["d", "reason"] == "no text in the language"
        assert sorted(ar.doc_ids) == ["a", "d"]
        assert all(t.isascii() for t in en.terms)
        assert not any(t.isascii() for t in ar.terms)


def test_dictionary_filters_by_hand():
    corpus = _tiny_corpus()
    # document frequencies over the 5 English documents (a b c e f): talks 4 (b c e f),
    # aleppo 3, bombing 3, peace 3, geneva 3, market 2, ceasefire 2, raids 1, ...
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=3, no_above=1.0, min_tokens=1)) as bow:
        assert sorted(bow.terms) == ["aleppo", "bombing", "geneva", "peace", "talks"]
    # no_above 0.7: 'talks' (4 of 5 documents = 0.8) goes
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=3, no_above=0.7, min_tokens=1)) as bow:
        assert sorted(bow.terms) == ["aleppo", "bombing", "geneva", "peace"]
    # keep_n 2 keeps the two most widespread ('talks' 4, then gensim's order among the 3s)
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=3, no_above=1.0, keep_n=2, min_tokens=1)) as bow:
        assert len(bow.terms) == 2 and "talks" in bow.terms
    # vocabulary tokens: a bombing×2 aleppo = 3; b aleppo×2 bombing talks = 4;
    # c peace talks×2 geneva = 4; e geneva peace talks = 3; f 5
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=3, no_above=1.0, min_tokens=4)) as bow:
        excluded = bow.excluded.set_index("doc_id")
        few = excluded[excluded["reason"] == "too few vocabulary tokens"]
        assert sorted(few.index) == ["a", "e"]
        assert few.loc["e", "detail"] == "3 vocabulary tokens (min_tokens=4)"
        assert bow.doc_ids == ["b", "c", "f"]
        assert list(bow.doc_lengths) == [4, 4, 5]


def test_no_document_in_language_is_an_error():
    with pytest.raises(FramescopeError, match="language 'fr'"):
        bag_of_words(_tiny_corpus(), "fr", EN)


# --- fitting and determinism --------------------------------------------------------------------

def test_same_seed_same_model_and_proportions(fakes_bow, fakes_runs):
    again = fit_lda(fakes_bow, 4, 0, FAST)
    assert np.array_equal(again.topic_word(), fakes_runs[0].topic_word())
    assert not np.array_equal(fakes_runs[1].topic_word(), fakes_runs[0].topic_word())
    theta = again.document_topics(fakes_bow)
    assert theta.shape == (len(fakes_bow), 4)
    assert np.allclose(theta.sum(axis=1), 1)
    # inference restarts from the recorded seed: history does not matter
    again.lda.inference(list(fakes_bow)[:10])
    assert np.array_equal(again.document_topics(fakes_bow), theta)
    assert np.array_equal(fakes_runs[0].document_topics(fakes_bow), theta)


def test_document_topics_equal_get_document_topics(fakes_bow, fakes_runs):
    model = fakes_runs[0]
    docs = list(fakes_bow)[:25]
    theta = model.document_topics(docs, seed=3)
    model.lda.random_state = np.random.RandomState(3)
    for row, doc in zip(theta, docs):
        expected = np.zeros(model.k)
        for t, p in model.lda.get_document_topics(doc, minimum_probability=0):
            expected[t] = p
        assert np.allclose(row, expected, atol=1e-6)


def test_multicore_fit_and_options():
    corpus = make_corpus([(f"d{i}", "body", "en", text) for i, text in enumerate(
        ["bombing aleppo market raids", "peace talks geneva ceasefire"] * 10)])
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=1, min_tokens=1)) as bow:
        model = fit_lda(bow, 2, 0, LdaOptions(workers=1, passes=2))
        assert type(model.lda).__name__ == "LdaMulticore" and model.metadata()["reproducible"] is False
        assert sorted(sum(model.top_terms(4), [])) == sorted(bow.terms)
    assert not LdaOptions(workers=2).reproducible
    with pytest.raises(FramescopeError, match="auto"):
        LdaOptions(workers=1, alpha="auto")
    with pytest.raises(FramescopeError, match="passes"):
        LdaOptions(passes=0)


# --- describing topics --------------------------------------------------------------------------

def test_relevance_by_hand():
    phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    p = np.array([0.3, 0.2, 0.5])
    r = relevance(phi, p, 0.6)
    assert r[0, 0] == pytest.approx(0.6 * math.log(0.5) + 0.4 * math.log(0.5 / 0.3))
    assert r[1, 2] == pytest.approx(0.6 * math.log(0.8) + 0.4 * math.log(0.8 / 0.5))
    assert np.allclose(relevance(phi, p, 1.0), np.log(phi))


def test_frex_and_exclusivity_by_hand():
    phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    # exclusivity shares per word: .5/.6, .3/.4, .2/1.0 (topic 0); .1/.6, .1/.4, .8/1.0 (topic 1)
    # topic 0: freq ECDF (ranks /3) = 1, 2/3, 1/3; excl ECDF = 1 (.833), 2/3 (.75), 1/3 (.2)
    f = frex(phi, None, 0.5)
    assert f[0] == pytest.approx([1.0, 2 / 3, 1 / 3])
    # topic 1: freq ranks: .1,.1 tie → 1.5/3 each, .8 → 1; excl .167 → 1/3, .25 → 2/3, .8 → 1
    h = lambda e, fr, w: 1 / (w / e + (1 - w) / fr)  # noqa: E731
    assert f[1] == pytest.approx([h(1 / 3, 0.5, 0.5), h(2 / 3, 0.5, 0.5), 1.0])
    # stm exclusivity: FREX with weight .7, summed over the top-2 words by probability
    ex = exclusivity(phi, topn=2, weight=0.7)
    assert ex[0] == pytest.approx(1.0 + 2 / 3)
    # top-2 of topic 1 by probability: w2, then w0 (ties keep the lower id, as R's order)
    assert ex[1] == pytest.approx(1.0 + h(1 / 3, 0.5, 0.7))
    # James–Stein shrinkage (stm js.estimate): a word seen once gets uniform shares,
    # so its exclusivity ties across topics
    shrunk = frex(phi, np.array([100, 100, 1]), 0.5)
    assert shrunk.shape == phi.shape and np.all(shrunk > 0)


def test_terms_table(fakes_runs):
    model = fakes_runs[0]
    table = model.terms_table(topn=5, lam=0.6)
    assert list(table.columns) == ["topic", "rank", "term", "weight", "relevance", "relevance_rank", "frex",
                                   "frex_rank"]
    for t, part in table.groupby("topic"):
        assert part["rank"].is_monotonic_increasing
        assert set(range(1, 6)) <= set(part["rank"]) and set(range(1, 6)) <= set(part["relevance_rank"])
        assert part.loc[part["rank"] == 1, "term"].iloc[0] == model.top_terms(1)[t][0]
        assert part.loc[part["relevance_rank"] == 1, "term"].iloc[0] == model.top_terms(1, "relevance")[t][0]
        assert part.loc[part["frex_rank"] == 1, "term"].iloc[0] == model.top_terms(1, "frex")[t][0]


# --- K search -----------------------------------------------------------------------------------

def test_k_search_on_fakes(fakes_bow):
    search = k_search(fakes_bow, [3, 5], seeds=[0, 1], options=FAST, heldout=0.2, split_seed=4)
    t = search.table
    assert list(t[["k", "seed"]].itertuples(index=False, name=None)) == [(3, 0), (3, 1), (5, 0), (5, 1)]
    assert t[["coherence_npmi", "coherence_cv", "coherence_umass", "log_perplexity", "exclusivity"]].notna().all().all()
    assert t["coherence_npmi"].between(-1, 1).all() and (t["coherence_umass"] < 0).all()
    assert np.allclose(t["perplexity"], np.exp(-t["log_perplexity"]))
    assert (t["n_heldout"] == round(0.2 * len(fakes_bow))).all()
    means = t.groupby("k")["coherence_npmi"].mean()
    sd = t.groupby("k")["coherence_npmi"].std(ddof=1)
    se = math.sqrt((sd ** 2).mean() / 2)  # seed variance pooled over the two K, two seeds each
    assert search.best_k == means.idxmax() and search.threshold == pytest.approx(means.max() - se)
    want = min(k for k in (3, 5) if means[k] >= means.max() - se)
    assert search.recommended_k == want
    summary = search.summary.set_index("k")
    assert summary["recommended"].to_dict() == {k: k == want for k in (3, 5)}
    assert np.allclose(summary["coherence_npmi_se"], se)
    assert summary["within_threshold"].to_dict() == {k: bool(means[k] >= means.max() - se) for k in (3, 5)}
    assert "c_npmi" in search.rule and "standard error" in search.rule
    assert t.attrs["recommended_k"] == want and t.attrs["threshold"] == search.threshold
    meta = search.metadata()
    assert meta["best_k"] == search.best_k and meta["recommended_k"] == want


def test_recommend_k_rule():
    # n_se = 0: the highest mean, ties to the smaller K
    table = pd.DataFrame({"k": [5, 5, 10, 10, 15], "coherence_npmi": [0.1, 0.3, 0.2, 0.2, 0.05]})
    assert recommend_k(table, n_se=0) == 5  # means 0.2, 0.2, 0.05: tie → smaller K
    table.loc[4, "coherence_npmi"] = 0.25
    assert recommend_k(table, n_se=0) == 15


def test_one_standard_error_rule_by_hand():
    # means 0.10, 0.14, 0.16, 0.15; seed variances 0.0008, 0.0008, 0.0008, 0.0001 (ddof 1, two seeds each):
    # pooled 0.000625, standard error of a mean of two sqrt(0.000625 / 2) = 0.0176777
    table = pd.DataFrame({"k": [4, 4, 8, 8, 12, 12, 16, 16],
                          "coherence_npmi": [0.08, 0.12, 0.12, 0.16, 0.18, 0.14, 0.15 - 0.005 * 2 ** 0.5,
                                             0.15 + 0.005 * 2 ** 0.5]})
    choice = k_choice(table)
    assert choice["best_k"] == 12 and choice["se"] == pytest.approx(math.sqrt(0.000625 / 2))
    assert choice["threshold"] == pytest.approx(0.16 - math.sqrt(0.000625 / 2))  # 0.1423
    assert choice["indistinguishable"] == [12, 16] and choice["recommended_k"] == 12  # 0.14 < 0.1423
    assert not choice["all_indistinguishable"]
    assert recommend_k(table, n_se=2) == 8  # threshold 0.1246: 8 (0.14) reaches it, 4 (0.10) does not
    assert recommend_k(table, n_se=0) == 12
    # every K within one standard error of the best: the K search cannot tell them apart, the smallest is taken
    flat = table.assign(coherence_npmi=[0.1, 0.2, 0.12, 0.18, 0.1, 0.22, 0.2, 0.1])  # means .15 .15 .16 .15
    choice = k_choice(flat)
    assert choice["all_indistinguishable"] and choice["recommended_k"] == 4
    # one seed per K: no variance, the highest mean
    one = pd.DataFrame({"k": [4, 8, 12], "coherence_npmi": [0.1, 0.3, 0.2]})
    assert math.isnan(k_choice(one)["se"]) and recommend_k(one) == 8
    with pytest.raises(FramescopeError):
        k_choice(table, n_se=-1)
    with pytest.raises(FramescopeError):
        k_choice(table.assign(coherence_npmi=np.nan))


def _topic_mixture_corpus(n_docs: int = 150, n_topics: int = 3, per_topic: int = 20, length: int = 60, seed: int = 0):
    """Documents drawn from ``n_topics`` topics of ``per_topic`` words each (made-up words)."""
    import itertools

    rng = np.random.default_rng(seed)
    letters = "bcdfghjklmnpqrstvz"
    words = ["".join(p) for p in itertools.product(letters, "aeiou", letters)][: n_topics * per_topic]
    rows = []
    for d in range(n_docs):
        z = rng.choice(n_topics, size=length, p=rng.dirichlet([0.3] * n_topics))
        rows.append((f"d{d:03d}", "body", "en", " ".join(words[t * per_topic + rng.integers(per_topic)] for t in z)))
    return make_corpus(rows)


def test_heldout_perplexity_is_the_document_bound():
    """The held-out bound is gensim's bound without its topic-word terms: equal to
    ``bound(docs, gamma) − bound([])`` (the latter is E[log p(β|η) − log q(β|λ)] alone), and
    it does not grow by orders of magnitude with K on data from 3 topics (gensim's
    ``bound(docs) / n_words`` adds the K × V topic-word terms to a few held-out tokens:
    perplexity 48 at K = 2 and 125 at K = 24 here, against 42 and 37)."""
    with bag_of_words(_topic_mixture_corpus(), "en", EN) as bow:
        mask = heldout_mask(len(bow), 0.2, 0)
        held, train = list(bow.subset(mask)), bow.subset(~mask)
        n_words = sum(c for doc in held for _, c in doc)
        opts = LdaOptions(passes=5, chunksize=200, iterations=50)
        perplexity = {}
        for k in (2, 3, 24):
            model = fit_lda(bow, k, 0, opts, documents=train)
            bound, perplexity[k] = heldout_perplexity(model, held)
            assert perplexity[k] == pytest.approx(math.exp(-bound))
            assert heldout_perplexity(model, held) == (bound, perplexity[k])  # seeded: the same twice
            gamma = model.document_gamma(held).astype(model.lda.dtype)[:, None, :]
            by_gensim = (model.lda.bound(held, gamma=gamma) - model.lda.bound([])) / n_words
            assert bound == pytest.approx(by_gensim, rel=1e-5)
            assert bound > model.lda.bound(held, gamma=gamma) / n_words  # the topic-word terms are negative
        # a uniform model over the vocabulary has perplexity V; three topics fitted do better at any K
        assert max(perplexity.values()) < bow.n_terms
        assert perplexity[3] < perplexity[2] and perplexity[24] < 1.25 * perplexity[3]


def test_heldout_split_is_seeded():
    a, b = heldout_mask(100, 0.1, 7), heldout_mask(100, 0.1, 7)
    assert np.array_equal(a, b) and a.sum() == 10
    assert not np.array_equal(a, heldout_mask(100, 0.1, 8))
    with pytest.raises(FramescopeError):
        heldout_mask(100, 1.5, 0)


def test_window_counts_by_hand():
    # a b a c d, width 3: windows [a b a] [b a c] [a c d]; '-1' tokens hold their place
    occ, co, n = window_counts([np.array([0, 1, 0, 2, 3])], 4, 3)
    assert n == 3 and list(occ) == [3, 2, 2, 1]
    assert co[0, 2] == co[2, 0] == 2 and co[0, 1] == 2 and co[1, 2] == 1 and co[2, 3] == 1 and co[0, 3] == 1
    assert list(np.diag(co)) == list(occ)
    # shorter than the window and empty documents are one window each (as in gensim)
    occ, co, n = window_counts([np.array([1, -1, 1]), np.array([], dtype=int), np.array([0, -1, -1, -1, 1])], 2, 4)
    # windows: [1 − 1] | [] | [0 − − −] [− − − 1]
    assert n == 1 + 1 + 2 and list(occ) == [1, 2] and co[0, 1] == 0


def test_window_counts_equal_brute_force():
    rng = np.random.default_rng(2)
    docs = [rng.integers(-1, 6, size=rng.integers(0, 30)) for _ in range(40)]
    for window in (1, 3, 10):
        occ, co, n = window_counts(docs, 6, window)
        b_occ, b_co, b_n = np.zeros(6, int), np.zeros((6, 6), int), 0
        for d in docs:
            wins = [d[s:s + window] for s in range(len(d) - window + 1)] if len(d) >= window else [d]
            for w in wins:
                b_n += 1
                present = sorted({int(x) for x in w if x >= 0})
                for i in present:
                    b_occ[i] += 1
                    for j in present:
                        b_co[i, j] += 1
        assert n == b_n and np.array_equal(occ, b_occ) and np.array_equal(co, b_co)


def test_exact_counting_equals_gensim_without_repeats_in_windows():
    """Windows of 3 tokens in which no word repeats (and c_v windows longer than every
    document): gensim's incremental count is then right, and both countings agree."""
    corpus = _tiny_corpus()
    with bag_of_words(corpus, "en", EN, DictionaryOptions(no_below=1, no_above=1.0, min_tokens=1)) as bow:
        topics = [[["aleppo", "bombing", "market"], ["peace", "talks", "geneva"]]]
        args = ([*topics], bow, ("c_npmi", "c_v"), 3, {"c_npmi": 3})
        exact = coherence(*args, counting="exact")[0]
        gensim = coherence(*args, counting="gensim")[0]
        for measure in ("c_npmi", "c_v"):
            assert np.allclose(exact[measure], gensim[measure]), measure


def test_streaming_coherence_equals_gensim_in_memory(fakes_corpus, fakes_runs):
    """Our streamed texts and bag-of-words give gensim's numbers (with gensim's counting)."""
    from gensim.models.coherencemodel import CoherenceModel

    part = fakes_corpus.subset("outlet in ['reuters', 'alaraby', 'trt']")
    with bag_of_words(part, "en", EN, DictionaryOptions(no_below=2)) as bow:
        topics = [[w for w in t if w in bow.dictionary.token2id][:8] for t in fakes_runs[0].top_terms(30)]
        ours = coherence([topics], bow, COHERENCE_MEASURES, topn=8, counting="gensim")[0]
        exact = coherence([topics], bow, COHERENCE_MEASURES, topn=8)[0]
        assert np.array_equal(exact["u_mass"], ours["u_mass"])
        texts = list(tokens(part, EN, lang="en").select(list(bow.doc_ids)))
        corpus = list(bow)
        dictionary = bow.dictionary
    for measure in COHERENCE_MEASURES:
        kwargs = {"corpus": corpus} if measure == "u_mass" else {"texts": texts}
        cm = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, topn=8,
                            processes=1, **kwargs)
        assert np.allclose(ours[measure], cm.get_coherence_per_topic()), measure


# --- stability ----------------------------------------------------------------------------------

def test_js_distance_equals_scipy():
    from scipy.spatial.distance import jensenshannon

    rng = np.random.default_rng(1)
    a = rng.dirichlet(np.full(20, 0.3), size=4)
    b = rng.dirichlet(np.full(20, 0.3), size=3)
    b[0, :5] = 0
    b[0] /= b[0].sum()
    d = js_distance_matrix(a, b)
    for i in range(4):
        for j in range(3):
            assert d[i, j] == pytest.approx(jensenshannon(a[i], b[j], base=2), abs=1e-9)
    assert np.allclose(np.diag(js_distance_matrix(a, a)), 0, atol=1e-6)


def test_alignment_recovers_a_known_permutation():
    rng = np.random.default_rng(0)
    ref = rng.dirichlet(np.full(200, 0.05), size=6)
    perm = np.array([3, 0, 5, 1, 4, 2])  # other topic j is reference topic perm[j]
    other = ref[perm] * rng.uniform(0.9, 1.1, size=ref.shape)
    other /= other.sum(axis=1, keepdims=True)
    match, dist = align_topics(ref, other)
    assert np.array_equal(perm[match], np.arange(6))
    stab = topic_stability([ref, other, ref[perm]], threshold=0.5)
    assert stab.topics["stable"].all() and (stab.topics["stability"] > 0.9).all()
    assert (stab.topics["top_word_overlap"] > 0.5).all()
    # unrelated topics are not stable
    noise = rng.dirichlet(np.full(200, 0.05), size=6)
    assert not topic_stability([ref, noise]).topics["stable"].any()


def test_stability_of_two_runs(fakes_runs):
    stab = topic_stability(fakes_runs, threshold=0.5)
    m = stab.matches
    assert len(m) == 4 and sorted(m["matched_topic"]) == [0, 1, 2, 3] and set(m["seed"]) == {1}
    assert np.allclose(m["similarity"], 1 - m["js_distance"])
    assert np.allclose(stab.topics["stability"], m["similarity"])
    assert list(stab.topics["stable"]) == list(m["similarity"] >= 0.5)
    assert topic_stability(fakes_runs, threshold=0.0).topics["stable"].all()
    one = topic_stability(fakes_runs[:1])
    assert one.topics["stable"].isna().all() and one.topics["stability"].isna().all() and one.matches.empty


# --- comparison by group -----------------------------------------------------------------------

THETA = np.array([[0.7, 0.3], [0.2, 0.8], [0.5, 0.5], [0.9, 0.1], [0.4, 0.6]])
LABELS = ["a", "a", "a", "b", "b"]


def _hand_bootstrap(rows: list[list[float]], j: int, seed: int, n_boot: int) -> list[list[float]]:
    """Replicate means, one document at a time in plain Python."""
    n = len(rows)
    rng = np.random.default_rng(np.random.SeedSequence([seed, j]))
    out = []
    for _ in range(n_boot):
        counts = rng.multinomial(n, [1 / n] * n)
        sample = [rows[i] for i in range(n) for _ in range(counts[i])]
        out.append([sum(r[t] for r in sample) / n for t in range(len(rows[0]))])
    return out


def _hand_quantile(values: list[float], q: float) -> float:
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (pos - lo) * (v[hi] - v[lo])


def test_prevalence_ci_by_hand():
    table = prevalence(THETA, LABELS, n_boot=9, ci=0.8, seed=11)
    assert list(table.columns) == ["topic", "group", "mean", "mean_low", "mean_high", "n_docs"]
    for j, group in enumerate(["a", "b"]):
        rows = [list(r) for r, g in zip(THETA, LABELS) if g == group]
        reps = _hand_bootstrap(rows, j, 11, 9)
        for t in range(2):
            row = table[(table["group"] == group) & (table["topic"] == t)].iloc[0]
            assert row["mean"] == pytest.approx(sum(r[t] for r in rows) / len(rows))
            assert row["n_docs"] == len(rows)
            assert row["mean_low"] == pytest.approx(_hand_quantile([r[t] for r in reps], 0.1), abs=1e-12)
            assert row["mean_high"] == pytest.approx(_hand_quantile([r[t] for r in reps], 0.9), abs=1e-12)


def test_bootstrap_block_size_does_not_matter_and_missing_labels_are_left_out():
    labels = ["a", None, "a", "b", "b"]
    one = bootstrap_group_means(THETA, labels, 50, seed=3, block=1)
    big = bootstrap_group_means(THETA, labels, 50, seed=3)
    assert sorted(one) == ["a", "b"]
    assert all(np.array_equal(one[g], big[g]) for g in one)
    prev = prevalence(THETA, labels, n_boot=50, seed=3)
    assert prev.loc[(prev["group"] == "a") & (prev["topic"] == 0), "mean"].iloc[0] == pytest.approx(0.6)


def test_group_differences_by_hand():
    comp = compare_groups(THETA, LABELS, [("b", "a")], n_boot=9, ci=0.8, seed=11)
    d = comp.differences
    reps_a = np.array(_hand_bootstrap([list(r) for r in THETA[:3]], 0, 11, 9))
    reps_b = np.array(_hand_bootstrap([list(r) for r in THETA[3:]], 1, 11, 9))
    for t in range(2):
        row = d[d["topic"] == t].iloc[0]
        assert (row["group_a"], row["group_b"]) == ("b", "a")
        assert row["diff"] == pytest.approx(THETA[3:, t].mean() - THETA[:3, t].mean())
        diffs = list(reps_b[:, t] - reps_a[:, t])
        assert row["diff_low"] == pytest.approx(_hand_quantile(diffs, 0.1))
        assert row["diff_high"] == pytest.approx(_hand_quantile(diffs, 0.9))
    assert sorted(d["rank"]) == [1, 2]
    with pytest.raises(FramescopeError, match="no document in group 'c'"):
        compare_groups(THETA, LABELS, [("a", "c")], n_boot=5)


def test_effects_by_hand():
    design = pd.DataFrame({"group": LABELS})
    eff = prevalence_effects(THETA, design, "group", reference="a", ci=0.95)
    row = eff[(eff["topic"] == 0) & (eff["variable"] == "group")].iloc[0]
    ya, yb = THETA[:3, 0], THETA[3:, 0]
    assert row["level"] == "b" and row["reference"] == "a"
    assert row["estimate"] == pytest.approx(yb.mean() - ya.mean())
    # HC3 for a two-group dummy regression: leverage 1/n_g, row of (X'X)^-1 X' = ∓1/n_g
    var = sum((y - ya.mean()) ** 2 / (1 - 1 / 3) ** 2 / 3 ** 2 for y in ya)
    var += sum((y - yb.mean()) ** 2 / (1 - 1 / 2) ** 2 / 2 ** 2 for y in yb)
    assert row["std_error"] == pytest.approx(math.sqrt(var))
    from scipy.stats import t as student
    half = student.ppf(0.975, 5 - 2) * math.sqrt(var)
    assert (row["estimate_low"], row["estimate_high"]) == pytest.approx((row["estimate"] - half, row["estimate"] + half))
    intercept = eff[(eff["topic"] == 0) & (eff["variable"] == "(intercept)")].iloc[0]
    assert intercept["estimate"] == pytest.approx(ya.mean())


def test_effects_with_covariate_and_collinearity():
    rng = np.random.default_rng(5)
    n = 40
    groups = np.array(["state", "wire"] * (n // 2))
    month = np.array(["2016-01"] * (n // 2) + ["2016-02"] * (n // 2))
    y = 0.2 + 0.1 * (groups == "wire") + 0.05 * (month == "2016-02") + rng.normal(0, 0.01, n)
    theta = np.column_stack([y, 1 - y])
    eff = prevalence_effects(theta, pd.DataFrame({"group": groups, "month": month}), "group", ["month"])
    est = eff[eff["topic"] == 0].set_index(["variable", "level"])["estimate"]
    assert est[("group", "wire")] == pytest.approx(0.1, abs=0.01)
    assert est[("month", "2016-02")] == pytest.approx(0.05, abs=0.01)
    outlet = np.where(groups == "wire", "reuters", "sana")  # outlet nested in group
    with pytest.raises(FramescopeError, match="collinear"):
        prevalence_effects(theta, pd.DataFrame({"group": groups, "outlet": outlet}), "group", ["outlet"])


# --- persistence --------------------------------------------------------------------------------

def test_save_load_and_bad_files(tmp_path, fakes_corpus, fakes_bow, fakes_runs):
    model = fakes_runs[0]
    folder = model.save(tmp_path / "model")
    meta = json.loads((folder / MODEL_META).read_text())
    assert meta["corpus_id"] == fakes_corpus.corpus_id and meta["seed"] == 0 and meta["k"] == 4
    assert set(meta["files"]) == {p.name for p in folder.iterdir() if p.name != MODEL_META}
    loaded = TopicModel.load(folder, fakes_corpus)
    assert np.array_equal(loaded.topic_word(), model.topic_word())
    assert np.array_equal(loaded.document_topics(fakes_bow), model.document_topics(fakes_bow))
    assert loaded.token_options == model.token_options and loaded.options == model.options

    with pytest.raises(CorpusMismatchError, match="fitted on corpus"):
        TopicModel.load(folder, "another-corpus-id")
    assert TopicModel.load(folder, "another-corpus-id", force=True).k == 4

    import shutil
    for damage in ("flip", "truncate", "delete"):
        bad = tmp_path / f"bad-{damage}"
        shutil.copytree(folder, bad)
        target = bad / "lda.state"
        data = target.read_bytes()
        if damage == "flip":
            target.write_bytes(data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
        elif damage == "truncate":
            target.write_bytes(data[: len(data) // 2])
        else:
            target.unlink()
        with pytest.raises(FramescopeError, match="missing" if damage == "delete" else "corrupted or truncated"):
            TopicModel.load(bad)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FramescopeError, match="not a saved topic model"):
        TopicModel.load(tmp_path / "empty")
    with pytest.raises(FramescopeError, match="no saved topic model"):
        TopicModel.load(tmp_path / "nowhere")
    broken = tmp_path / "broken-json"
    shutil.copytree(folder, broken)
    (broken / MODEL_META).write_text('{"format": ')
    with pytest.raises(FramescopeError, match="cannot read"):
        TopicModel.load(broken)


def test_ldavis_is_optional(monkeypatch, tmp_path, fakes_bow, fakes_runs):
    import sys
    import types

    model = fakes_runs[0]
    theta = model.document_topics(fakes_bow)
    monkeypatch.setitem(sys.modules, "pyLDAvis", None)  # as if not installed
    with pytest.raises(FramescopeError, match="pyLDAvis is not installed"):
        write_ldavis(model, theta, fakes_bow.doc_lengths, tmp_path / "x.html")
    calls = {}
    fake = types.ModuleType("pyLDAvis")
    fake.prepare = lambda **kw: calls.update(kw) or "vis"
    fake.save_html = lambda vis, path: Path(path).write_text(vis)
    monkeypatch.setitem(sys.modules, "pyLDAvis", fake)
    write_ldavis(model, theta, fakes_bow.doc_lengths, tmp_path / "x.html")
    assert calls["topic_term_dists"].shape == (4, fakes_bow.n_terms)
    assert calls["doc_topic_dists"].shape == (len(fakes_bow), 4) and calls["sort_topics"] is False


# --- Arabic -------------------------------------------------------------------------------------

def test_arabic_model_on_saudi_sample(saudi_sample_corpus):
    options = TokenOptions(numbers="drop", min_length=2, arabic_proclitics=True)
    with bag_of_words(saudi_sample_corpus, "ar", options) as bow:
        assert len(bow) > 1000
        model = fit_lda(bow, 5, 0, LdaOptions(passes=1))
        arabic = set(range(0x0600, 0x0700))
        for words in model.top_terms(10):
            assert all(any(ord(ch) in arabic for ch in w) for w in words)
        theta = model.document_topics(bow)
        labels = saudi_sample_corpus.documents.set_index("doc_id")["outlet"].reindex(bow.doc_ids)
        groups = np.where(labels == "alriyadh", "alriyadh", "other")  # no SPA (was) item that day
        comp = compare_groups(theta, groups, [("alriyadh", "other")], n_boot=100)
        assert set(comp.prevalence["group"]) == {"alriyadh", "other"}
        assert (comp.prevalence["mean_low"] <= comp.prevalence["mean"]).all()
        assert (comp.prevalence["mean"] <= comp.prevalence["mean_high"]).all()


# --- command line -------------------------------------------------------------------------------

def _cli(tmp_path, corpus, name, extra=()):
    corpus_dir = str(corpus.path)
    out = tmp_path / name
    code = main(["topics", corpus_dir, "--lang", "en", "--k-grid", "3,4", "--seeds", "2", "--passes", "1",
                 "--chunksize", "200", "--iterations", "20", "--n-boot", "50", "--covariates", "month",
                 "--contrast", "state_media,wire", "--quiet", "--out", str(out), *extra])
    return code, out


def test_cli_outputs_are_byte_identical(tmp_path, fakes_corpus, capsys):
    code1, out1 = _cli(tmp_path, fakes_corpus, "one")
    code2, out2 = _cli(tmp_path, fakes_corpus, "two")
    assert code1 == code2 == 0
    files = ["topic_terms.csv", "topics.csv", "prevalence.csv", "differences.csv", "effects.csv",
             "representative_docs.csv", "stability.csv", "excluded_docs.csv", "k_search.csv", "k_summary.csv",
             "doc_topics.parquet"]
    for name in files:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    run = json.loads((out1 / "run.json").read_text())
    assert run["corpus_id"] == fakes_corpus.corpus_id and run["seeds"] == [0, 1]
    assert run["k"] == run["k_search"]["recommended_k"] and run["k_source"] == "k_search"
    assert run["split_seed"] == 0 and run["bootstrap"]["seed"] == 0 and run["reproducible"] is True
    assert set(files) <= set(run["outputs"])
    assert (out1 / "model" / MODEL_META).is_file()
    # the columns the issue asks for, and the stable flag on every per-topic table
    heads = {n: pd.read_csv(out1 / n, nrows=1).columns.tolist() for n in files if n.endswith(".csv")}
    assert heads["topic_terms.csv"][:5] == ["topic", "rank", "term", "weight", "relevance"]
    assert heads["prevalence.csv"][:5] == ["topic", "group", "mean", "mean_low", "mean_high"]
    assert heads["k_search.csv"][:8] == ["k", "seed", "coherence_npmi", "coherence_cv", "coherence_umass",
                                         "log_perplexity", "perplexity", "exclusivity"]
    for name in ("topic_terms.csv", "topics.csv", "prevalence.csv", "differences.csv", "effects.csv",
                 "representative_docs.csv"):
        assert "stable" in heads[name], name
    doc_topics = pd.read_parquet(out1 / "doc_topics.parquet")
    assert list(doc_topics.columns) == ["doc_id", "topic", "weight", "stable"]
    assert np.allclose(doc_topics.groupby("doc_id")["weight"].sum(), 1)
    # prevalence is the mean of the document proportions
    docs = fakes_corpus.documents.set_index("doc_id")
    doc_topics["group"] = docs["source_type"].reindex(doc_topics["doc_id"]).to_numpy()
    prev = pd.read_csv(out1 / "prevalence.csv")
    mean = doc_topics[doc_topics["group"] == "wire"].groupby("topic")["weight"].mean()
    assert np.allclose(prev[prev["group"] == "wire"].sort_values("topic")["mean"], mean)

    # apply the saved model; a corpus with another corpus_id is refused in one line
    applied = tmp_path / "applied.parquet"
    assert main(["topics-apply", str(fakes_corpus.path), "--model",
                 str(out1 / "model"), "--out", str(applied)]) == 0
    assert pd.read_parquet(applied).equals(doc_topics[["doc_id", "topic", "weight"]])
    meta = json.loads((out1 / "model" / MODEL_META).read_text())
    meta["corpus_id"] = "0000"
    (out1 / "model" / MODEL_META).write_text(json.dumps(meta))
    capsys.readouterr()
    assert main(["topics-apply", str(fakes_corpus.path), "--model",
                 str(out1 / "model"), "--out", str(applied)]) == 2
    err = capsys.readouterr().err
    assert "fitted on corpus 0000" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--k", "4"], "--lang"),
    (["--lang", "en", "--k-grid", "4,x"], "integers"),
    (["--lang", "en", "--group", "state"], "NAME=QUERY"),
    (["--lang", "en", "--by", "no_such_column"], "cannot group by"),
    (["--lang", "en", "--contrast", "state_media,nobody"], "'nobody' is not a group"),
    (["--lang", "en", "--covariates", "outlet", "--k", "3", "--seeds", "1", "--passes", "1"], "collinear"),
])
def test_cli_bad_arguments(tmp_path, fakes_corpus, capsys, args, message):
    corpus_dir = str(fakes_corpus.path)
    assert main(["topics", corpus_dir, "--out", str(tmp_path / "o"), "--quiet", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


# --- the package layout (issue 15) ------------------------------------------------------------

def test_topic_config_errors_name_fields_not_cli_flags():
    from framescope.analysis.topics import TopicConfig

    for kwargs, field in [({"n_seeds": 0}, "n_seeds"), ({"n_seeds": 1, "consensus": True}, "n_seeds 2 or more"),
                          ({"composition_draws": 0}, "composition_draws"), ({"topn": 0}, "topn")]:
        with pytest.raises(FramescopeError, match=field) as err:
            TopicConfig(**kwargs)
        assert "--" not in str(err.value)
    config = TopicConfig(k_grid=[4, 3], contrasts=[["a", "b"]], covariates=["month"], n_seeds=2)
    assert config.k_grid == (4, 3) and config.contrasts == (("a", "b"),) and config.run_seeds == [0, 1]
    assert config.frame_options() is None and TopicConfig(seed=7, frames=True).frame_options().seed == 7


def test_topics_subpackage_imports_each_stage_alone_without_cycles():
    import subprocess
    import sys

    # each stage module is imported first, on its own (a cycle fails for one of them); one
    # fresh interpreter, the topics modules dropped from sys.modules between stages
    stages = ["options", "bow", "describe", "fitting", "ksearch", "stability", "effects", "frames", "pipeline"]
    code = ("import importlib, sys\n"
            f"for stage in {stages!r}:\n"
            "    for name in [m for m in sys.modules if m.startswith('framescope.analysis.topics')]:\n"
            "        del sys.modules[name]\n"
            "    importlib.import_module('framescope.analysis.topics.' + stage)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    import framescope.analysis.topics as topics

    # the package re-exports functions, never over a submodule of the same name
    assert not set(stages) & set(topics.__all__)


@pytest.mark.parametrize("flag, want", [
    ((), {"okaz": (5, 28), "was": (2, 14)}),
    (("--match-dates", "day"), {"okaz": (2, 15), "was": (2, 14)}),
])
def test_cli_match_dates_and_group_sizes(tmp_path, flag, want):
    """The press covers 10-20 August, the agency 10-11: matched by day, the comparison keeps
    the press's 2 documents of those days (hand counts: tests/stats_corpora.py::dated_corpus)."""
    from stats_corpora import dated_corpus

    from framescope.corpus.store import write_corpus

    c = dated_corpus()
    folder = write_corpus(tmp_path / "dated", c.documents, c.segments, [], {"corpus_id": "dated"})
    out = tmp_path / "out"
    assert main(["topics", str(folder), "--lang", "en", "--k", "2", "--seeds", "1", "--passes", "1",
                 "--no-below", "1", "--no-above", "1", "--min-tokens", "1", "--by", "outlet", "--n-boot", "20",
                 "--composition-sims", "0", "--quiet", "--out", str(out), *flag]) == 0
    prev = pd.read_csv(out / "prevalence.csv")
    assert {(r.group, r.group_docs, r.group_tokens, r.n_docs) for r in prev.itertuples()} == \
        {(g, d, t, d) for g, (d, t) in want.items()}
    assert prev["small_group"].all()
    diff = pd.read_csv(out / "differences.csv").iloc[0]
    assert (diff["group_a_docs"], diff["group_b_docs"]) == (want[diff["group_a"]][0], want[diff["group_b"]][0])
    run = json.loads((out / "run.json").read_text())
    assert run["groups"]["match_dates"] == (flag[1] if flag else False)
    assert run["groups"]["excluded"] == {"duplicates": 1, "no_group": 0, "undated": 1 if flag else 0,
                                         "outside_shared_dates": 2 if flag else 0}
    assert run["groups"]["shared_periods"] == (["2015-08-10", "2015-08-11"] if flag else None)


def test_compare_groups_carries_the_sizes_it_is_given():
    from framescope.analysis.groups import SizeFloor, group_sizes

    labels = pd.Series(["a", "a", "b"], index=["d1", "d2", "d3"])
    labels.attrs["groups"] = ["a", "b"]
    sizes = group_sizes(labels, pd.Series({"d1": 10, "d2": 5, "d3": 40}), SizeFloor(min_docs=2, min_tokens=20))
    theta = np.array([[0.2, 0.8], [0.4, 0.6], [0.9, 0.1]])
    with pytest.warns(Warning, match="'b' \\(1 document, 40 tokens\\)"):
        comp = compare_groups(theta, labels.to_numpy(), n_boot=5, sizes=sizes)
    prev = comp.prevalence.set_index(["topic", "group"])
    assert prev.loc[(0, "a"), ["group_docs", "group_tokens", "small_group"]].tolist() == [2, 15, True]
    assert prev.loc[(1, "b"), ["group_docs", "group_tokens", "small_group"]].tolist() == [1, 40, True]
    assert comp.differences.loc[0, ["group_a_docs", "group_a_tokens", "group_b_docs", "group_b_tokens"]].tolist() \
        == [2, 15, 1, 40]
    eff = prevalence_effects(theta, pd.DataFrame({"group": labels.to_numpy()}), "group", reference="a",
                             sizes=sizes)
    coef = eff[eff["variable"] == "group"].iloc[0]
    assert coef[["level", "level_docs", "level_tokens", "reference_docs", "reference_tokens"]].tolist() == \
        ["b", 1, 40, 2, 15]
    intercept = eff[eff["variable"] == "(intercept)"].iloc[0]
    assert pd.isna(intercept["level_docs"]) and intercept["reference_docs"] == 2
    assert list(compare_groups(theta, labels.to_numpy(), n_boot=5).prevalence.columns) == \
        ["topic", "group", "mean", "mean_low", "mean_high", "n_docs"]  # no sizes given: the columns as before
