"""framescope.report: the shared steps of the notebooks and the demo, on corpora written here."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framescope import report
from framescope.analysis.collocations import collocates
from framescope.analysis.counts import DocumentTermMatrix, dtm, encode
from framescope.analysis.groups import SIZE_OPTIONS, document_sizes
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import tokens
from framescope.corpus.errors import FramescopeError
from stats_corpora import make_corpus, two_group_corpus

OPTS = TokenOptions()


def dated_corpus():
    """Two outlets; documents with dates (one undated) and known token counts."""
    rows = [
        ("a1", "body", "en", "coalition strike town"),            # 3 tokens
        ("a2", "body", "en", "town market coalition coalition"),  # 4 tokens
        ("a3", "body", "en", "quiet day"),                        # 2 tokens, undated
        ("b1", "body", "en", "coalition civilians"),              # 2 tokens
        ("b2", "body", "en", "civilians civilians town"),         # 3 tokens
    ]
    meta = {"a1": {"outlet": "x", "source_type": "state_media", "date": pd.Timestamp("2016-03-05")},
            "a2": {"outlet": "x", "source_type": "state_media", "date": pd.Timestamp("2016-01-20")},
            "a3": {"outlet": "x", "source_type": "state_media", "date": pd.NaT},
            "b1": {"outlet": "y", "source_type": "wire", "date": pd.Timestamp("2016-01-02")},
            "b2": {"outlet": "y", "source_type": "wire", "date": pd.Timestamp("2017-06-01")}}
    c = make_corpus(rows, meta)
    c.documents["date"] = pd.to_datetime(c.documents["date"])
    return c


def test_encode_corpus_in_batches_equals_one_encode():
    c = two_group_corpus()
    whole = DocumentTermMatrix.from_encoded(encode(tokens(c, OPTS)))
    batched = report.encode_corpus(c, OPTS, batch_size=1)
    m = DocumentTermMatrix.from_encoded(batched)
    assert m.vocab == whole.vocab
    assert list(m.doc_ids) == list(whole.doc_ids)
    assert (m.matrix != whole.matrix).nnz == 0
    assert batched.metadata["n_tokens"] == whole.matrix.sum()


def test_select_documents_equals_encoding_the_subset():
    c = two_group_corpus()
    enc = report.encode_corpus(c, OPTS, batch_size=2)
    sub = report.select_documents(enc, ["w2", "s1"])
    assert list(sub.doc_ids) == ["s1", "w2"]  # enc's order, not the order asked
    direct = encode(tokens(c.subset("doc_id in ['s1', 'w2']"), OPTS))
    got = [[sub.vocab.terms[i] for i in sub.ids[sub.sent == s]] for s in np.unique(sub.sent)]
    want = [[direct.vocab.terms[i] for i in direct.ids[direct.sent == s]] for s in np.unique(direct.sent)]
    assert got == want
    assert list(sub.sent_doc) == list(direct.sent_doc)


def test_label_groups_and_overlap_error():
    c = report.label_groups(two_group_corpus(), {"state": "source_type == 'state_media'", "agency": "outlet == 'reuters'"},
                            column="side")
    assert dict(zip(c.documents["doc_id"], c.documents["side"])) == {
        "s1": "state", "s2": "state", "w1": "agency", "w2": "agency", "w3": "agency"}
    with pytest.raises(FramescopeError, match="both group"):
        report.label_groups(two_group_corpus(), {"a": "outlet == 'sana'", "b": "source_type == 'state_media'"})
    with pytest.raises(FramescopeError, match="already has a column"):
        report.label_groups(two_group_corpus(), {"a": "outlet == 'sana'"}, column="outlet")


def test_sample_documents_keeps_the_group_and_is_seeded():
    c = make_corpus([(f"d{i}", "body", "en", "word") for i in range(20)],
                    {f"d{i}": {"outlet": "was" if i < 3 else "press"} for i in range(20)})
    one = report.sample_documents(c, 5, seed=1, keep="outlet == 'was'")
    two = report.sample_documents(c, 5, seed=1, keep="outlet == 'was'")
    ids = list(one.documents["doc_id"])
    assert ids == list(two.documents["doc_id"])
    assert {"d0", "d1", "d2"} <= set(ids) and len(ids) == 8
    assert set(one.segments["doc_id"]) == set(ids)
    assert "seed 1" in one.manifest["subset"][-1]


def test_composition_counts_by_hand():
    c = two_group_corpus()
    c.documents["collection"] = "t"
    c.documents["lang"] = "en"
    c.documents["text"] = ["a b c", "a b", "a", "a b c d", "x"]
    m = dtm(c, OPTS)
    comp = report.composition(c, m).set_index("outlet")
    assert comp.loc["sana", "documents"] == 2 and comp.loc["reuters", "documents"] == 3
    assert comp.loc["reuters", "duplicates"] == 1 and comp.loc["reuters", "analysed"] == 2
    assert comp.loc["sana", "words"] == 5 and comp.loc["reuters", "words"] == 6
    per_doc = dict(zip(m.doc_ids, np.asarray(m.matrix.sum(axis=1)).ravel()))
    assert comp.loc["sana", "tokens"] == per_doc["s1"] + per_doc["s2"]
    assert comp.loc["reuters", "tokens"] == per_doc["w1"] + per_doc["w2"]  # duplicate w3 not counted


def test_collocates_by_equals_collocates_with_by():
    c = two_group_corpus()
    enc = report.encode_corpus(c, OPTS)
    mine = report.collocates_by(c, enc, "aleppo", by="source_type", span=3, min_freq=1)
    ref = collocates(c, "aleppo", by="source_type", span=3, min_freq=1)
    key = ["group", "collocate"]
    pd.testing.assert_frame_equal(mine.sort_values(key).reset_index(drop=True)[ref.columns],
                                  ref.sort_values(key).reset_index(drop=True), check_dtype=False)
    only_wire = report.collocates_by(c, enc, "rebels", by="source_type", groups=["state_media", "wire"], min_freq=1)
    assert set(only_wire["group"]) == {"wire"}  # node absent from state media: no rows, no error
    assert mine.attrs["group_sizes"] == ref.attrs["group_sizes"]  # the same N as collocates(by=)
    with pytest.raises(FramescopeError, match="no documents in group"):
        report.collocates_by(c, enc, "aleppo", by="source_type", groups=["ngo"])


def test_term_positions_by_hand():
    c = dated_corpus()
    pos = report.term_positions(c, ["coalition", "civilians"], by="outlet")
    # outlet x in date order: a2 (4 words), a1 (3), a3 (2, undated last) → 9 running words
    x = pos[pos["group"] == "x"]
    assert list(x.loc[x["term"] == "coalition", "position"]) == [2, 3, 4]
    assert list(x.loc[x["term"] == "coalition", "doc_id"]) == ["a2", "a2", "a1"]
    assert x["group_tokens"].iloc[0] == 9
    # outlet y: b1 (2 words) then b2 (3) → civilians at 1, 2, 3 of 5
    y = pos[(pos["group"] == "y") & (pos["term"] == "civilians")]
    assert list(y["position"]) == [1, 2, 3]
    assert list(y["rel_position"]) == pytest.approx([0.2, 0.4, 0.6])
    assert pos.attrs["groups"] == {
        "x": {"group_tokens": 9, "group_docs": 3, "years": {"2016": 0}, "first_year": 2016, "last_year": 2016},
        "y": {"group_tokens": 5, "group_docs": 2, "years": {"2016": 0, "2017": 2}, "first_year": 2016, "last_year": 2017}}
    assert pos.attrs["unit"] == "running words"


def test_term_positions_count_running_words_with_stopwords_and_numbers():
    """Positions and group lengths are in running words (stopwords and numbers kept), the
    unit of every group size, not in the analysed tokens (stopwords removed)."""
    rows = [("a1", "body", "en", "The coalition struck the town on 3 May."),  # the coalition struck the town on 3 may: 8
            ("a2", "body", "en", "It was the coalition again."),              # it was the coalition again: 5
            ("b1", "body", "en", "Civilians and the coalition.")]             # civilians and the coalition: 4
    meta = {"a1": {"outlet": "x", "source_type": "state_media", "date": pd.Timestamp("2016-01-01")},
            "a2": {"outlet": "x", "source_type": "state_media", "date": pd.Timestamp("2016-02-01")},
            "b1": {"outlet": "y", "source_type": "wire", "date": pd.Timestamp("2016-01-01")}}
    c = make_corpus(rows, meta)
    c.documents["date"] = pd.to_datetime(c.documents["date"])
    pos = report.term_positions(c, ["coalition", "civilians"], by="outlet")
    x = pos[(pos["group"] == "x") & (pos["term"] == "coalition")]
    assert list(x["position"]) == [1, 8 + 3]  # a1's 2nd word; a2's 4th word after a1's 8
    assert {g: (v["group_tokens"], v["group_docs"]) for g, v in pos.attrs["groups"].items()} == {"x": (13, 2), "y": (4, 1)}
    sizes = document_sizes(c)
    assert pos.attrs["groups"]["x"]["group_tokens"] == sizes[["a1", "a2"]].sum()
    with pytest.raises(FramescopeError, match="several words"):
        report.term_positions(c, ["the coalition"])
    with pytest.raises(FramescopeError, match="list of words"):
        report.term_positions(c, report.encode_corpus(c, OPTS))
    with pytest.raises(FramescopeError, match="SIZE_OPTIONS"):
        report.term_positions(c, ["coalition"], running=report.encode_corpus(c, OPTS))


def test_dispersion_groups_have_the_sizes_of_every_other_table(fakes_corpus):
    """One group, one N: the stretch of text each outlet gets in the dispersion table is the sum
    of its documents' running words (document_sizes), as in group_sizes and every comparison."""
    from framescope.analysis.groups import document_groups, group_sizes

    pos = report.term_positions(fakes_corpus, ["coalition", "civilians", "terrorists"], by="outlet")
    sizes = group_sizes(document_groups(fakes_corpus, "outlet"), document_sizes(fakes_corpus)).set_index("group")
    assert set(pos.attrs["groups"]) == set(sizes.index)
    for g, size in pos.attrs["groups"].items():
        assert (size["group_tokens"], size["group_docs"]) == (sizes.loc[g, "n_tokens"], sizes.loc[g, "n_docs"]), g
    # every position lies inside its group's stretch, and the counts are those of the words in the running text
    assert (pos["position"] < pos["group_tokens"]).all() and (pos["position"] >= 0).all()
    running = report.encode_corpus(fakes_corpus, SIZE_OPTIONS)
    coalition = running.vocab.index("en", "coalition")
    assert (pos["term"] == "coalition").sum() == int((running.ids == coalition).sum())


def test_term_timeline_by_hand_with_zero_periods_and_undated():
    c = dated_corpus()
    m = dtm(c, OPTS)
    tl = report.term_timeline(c, m, ["coalition"], by="outlet", period="year")
    rows = {(g, p.year): (f, s) for g, p, f, s in zip(tl["group"], tl["period"], tl["freq"], tl["size"])}
    # x 2016: a1 + a2 = 3 of 7 tokens; y 2016: b1 = 1 of 2; y 2017: b2 has none of 3 (a zero row)
    assert rows == {("x", 2016): (3, 7), ("y", 2016): (1, 2), ("y", 2017): (0, 3)}
    assert tl.loc[tl["group"] == "x", "per_10k"].iloc[0] == pytest.approx(3 / 7 * 1e4)
    assert tl.attrs["undated_documents"] == 1
    # a matrix of a larger corpus: only the subset's documents count
    sub = c.subset("outlet == 'y'")
    tl_y = report.term_timeline(sub, m, ["coalition"], by="outlet", period="year")
    assert set(tl_y["group"]) == {"y"} and tl_y.attrs["undated_documents"] == 0
    with pytest.raises(FramescopeError, match="period must be"):
        report.term_timeline(c, m, ["coalition"], period="fortnight")


def test_jensen_shannon_and_cosine_by_hand():
    assert report.jensen_shannon([1, 0], [0, 1])[0] == pytest.approx(1.0)
    assert report.jensen_shannon([0.3, 0.7], [0.3, 0.7])[0] == pytest.approx(0.0)
    # M = (.75, .25): ½[.5 log2(.5/.75) + .5 log2(.5/.25)] + ½[1 · log2(1/.75)]
    want = 0.5 * (0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(2)) + 0.5 * math.log2(1 / 0.75)
    assert report.jensen_shannon([0.5, 0.5], [1, 0])[0] == pytest.approx(want)
    assert report.cosine([1, 0], [1, 1])[0] == pytest.approx(1 / math.sqrt(2))


def test_vocabulary_similarity_finds_the_identical_group():
    text_a, text_b = "coalition strike civilians town", "market price oil trade"
    rows = [("t1", "body", "en", text_a)] + [(f"a{i}", "body", "en", text_a) for i in range(4)] + \
           [(f"b{i}", "body", "en", text_b) for i in range(4)] + [("c0", "body", "en", "zebra")]
    meta = {"t1": {"outlet": "seed", "source_type": "unknown"},
            **{f"a{i}": {"outlet": "same", "source_type": "wire"} for i in range(4)},
            **{f"b{i}": {"outlet": "other", "source_type": "state_media"} for i in range(4)},
            "c0": {"outlet": "tiny", "source_type": "ngo"}}
    c = make_corpus(rows, meta)
    m = dtm(c, OPTS)
    sim = report.vocabulary_similarity(c, m, "outlet == 'seed'", by="outlet", n_terms=50, min_tokens=4, n_boot=20)
    assert list(sim["group"]) == ["same", "other"]
    same, other = sim.iloc[0], sim.iloc[1]
    assert same["jsd"] == pytest.approx(0.0) and same["jsd_equal"] == pytest.approx(0.0)
    assert same["cosine"] == pytest.approx(1.0)
    assert other["jsd"] == pytest.approx(1.0) and other["cosine"] == pytest.approx(0.0)
    assert sim.attrs["too_small"] == {"tiny": 1}
    assert same["source_type"] == "wire" and same["sample_tokens"] == 16
    again = report.vocabulary_similarity(c, m, "outlet == 'seed'", by="outlet", n_terms=50, min_tokens=4, n_boot=20)
    pd.testing.assert_frame_equal(sim, again)
    with pytest.raises(FramescopeError, match="no document matches"):
        report.vocabulary_similarity(c, m, "outlet == 'nobody'")


def test_vocabulary_similarity_gives_the_n_of_every_table_and_the_kind_of_each_group():
    """Sizes are the documents and running words of every other table (stopwords kept,
    duplicates left out), not the analysed tokens the profiles are made of; a kind per group."""
    from framescope.analysis.groups import document_groups, group_sizes

    text_a, text_b = "the coalition struck the town and the civilians", "oil and the price of the trade"
    rows = [("t1", "body", "en", text_a)] + [(f"a{i}", "body", "en", text_a) for i in range(4)] + \
           [(f"b{i}", "body", "en", text_b) for i in range(3)] + [("b9", "body", "en", text_b)]
    meta = {"t1": {"outlet": "seed", "source_type": "unknown"},
            **{f"a{i}": {"outlet": "same", "source_type": "wire"} for i in range(4)},
            **{f"b{i}": {"outlet": "other", "source_type": "state_media"} for i in range(3)},
            "b9": {"outlet": "other", "source_type": "state_media", "duplicate_of": "b0"}}
    c = make_corpus(rows, meta)
    m = dtm(c, OPTS)
    kind = pd.Series({"a0": "x", "a1": "x", "a2": "y", "a3": "x", "b0": "z", "b1": "z", "b2": "z"}, name="design")
    kind = kind.astype(pd.CategoricalDtype(["z", "x", "y"]))
    sim = report.vocabulary_similarity(c, m, "outlet == 'seed'", by="outlet", n_terms=50, min_tokens=2, n_boot=10,
                                       kind=kind, target_label="seeds")
    sizes = group_sizes(document_groups(c.subset("outlet != 'seed'"), "outlet"), document_sizes(c)).set_index("group")
    for _, row in sim.iterrows():
        assert (row["n_docs"], row["n_tokens"]) == (sizes.loc[row["group"], "n_docs"], sizes.loc[row["group"], "n_tokens"])
    same = sim.set_index("group").loc["same"]
    assert same["n_tokens"] == 4 * 8 and same["analysed_tokens"] < same["n_tokens"]  # stopwords kept in the N
    assert sim.set_index("group").loc["other", "n_docs"] == 3  # the duplicate is left out
    assert dict(zip(sim["group"], sim["kind"])) == {"same": "x", "other": "z"}
    assert sim.attrs["kind_order"] == ["z", "x", "y"] and sim.attrs["kind"] == "design"
    assert (sim.attrs["target_docs"], sim.attrs["target_tokens"], sim.attrs["target_label"]) == (1, 8, "seeds")


def test_doc_mask_matches_isin():
    c = two_group_corpus()
    ids = np.array(["w2", "s1", "zz", "s2"], dtype=object)
    assert list(report.doc_mask(ids, c, "outlet == 'sana'")) == [False, True, False, True]


def test_claims_by_attribution_by_hand():
    claims = pd.DataFrame({"doc_id": ["s1", "s1", "s2", "w1", "w1", "w1"],
                           "attribution_class": ["ngo", "unattributed", "ngo", "military", "military", "un"]})
    out = report.claims_by_attribution(claims, two_group_corpus(), "source_type", n_boot=200, seed=1)
    state = out[out["group"] == "state_media"].set_index("attribution_class")
    wire = out[out["group"] == "wire"].set_index("attribution_class")
    assert state.loc["ngo", "count"] == 2 and state.loc["ngo", "total"] == 3
    assert state.loc["ngo", "share"] == pytest.approx(2 / 3)
    assert wire.loc["military", "share"] == pytest.approx(2 / 3) and wire.loc["un", "share"] == pytest.approx(1 / 3)
    assert wire.loc["ngo", "count"] == 0 and wire["n_docs"].iloc[0] == 1
    assert state.loc["ngo", "share_low"] <= 2 / 3 <= state.loc["ngo", "share_high"]
    # one document in the wire group: every resample is that document
    assert wire.loc["military", "share_low"] == pytest.approx(2 / 3) == wire.loc["military", "share_high"]


def test_open_session_is_shared_until_the_corpus_changes(seeds_corpus, tmp_path):
    """The notebooks run by `framescope demo` share one loaded corpus, tokens and matrix; a
    rebuilt corpus (a new manifest) or other token options give a new session."""
    import os
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(seeds_corpus.path, folder, ignore=shutil.ignore_patterns("tokens"))
    first = report.open_session(folder)
    assert report.open_session(str(folder)) is first and report.open_session(folder / ".") is first
    assert first.matrix is report.open_session(folder).matrix  # computed once
    assert report.open_session(folder, options=TokenOptions()) is not first
    again = report.open_session(folder)
    stat = (folder / "manifest.json").stat()
    os.utime(folder / "manifest.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert report.open_session(folder) is not again
    with pytest.raises(FramescopeError):
        report.open_session(tmp_path / "absent")


def test_group_legend_by_hand():
    c = dated_corpus()
    legend = report.group_legend(c, "outlet")
    # running words (stopwords and numbers kept): x has 3 + 4 + 2, y 2 + 3; both under the floor
    assert legend == {"x": (3, 9, True), "y": (2, 5, True)}
    assert list(report.group_legend(c, "outlet", ["y"])) == ["y"]


def test_document_sizes_counts_each_document_once_and_equals_tokenising(seeds_corpus, monkeypatch):
    """framescope.analysis.groups.document_sizes keeps the sizes it counted (per
    corpus_id): a subset asked for later is not tokenised again, and every answer equals
    tokenising the documents asked for."""
    from framescope.analysis import groups as groupstats

    def direct(corpus, dup=False):
        toks = tokens(corpus, groupstats.SIZE_OPTIONS, include_duplicates=dup)
        return pd.Series([len(t) for t in toks], index=pd.Index(toks.doc_ids, name="doc_id"), dtype=np.int64)

    monkeypatch.setattr(groupstats, "SIZE_CACHE", {})
    some = seeds_corpus.subset(f"doc_id in {list(seeds_corpus.documents['doc_id'][:2])!r}")
    for corpus in (some, seeds_corpus, some):
        pd.testing.assert_series_equal(groupstats.document_sizes(corpus), direct(corpus))
    calls = []
    monkeypatch.setattr(groupstats, "tokens", lambda *a, **k: calls.append(a) or direct(*a[:1]))
    groupstats.document_sizes(seeds_corpus)
    assert not calls  # every document counted already
