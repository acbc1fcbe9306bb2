"""framescope.analysis.groups: one rule for group labels, duplicates, matched dates and group sizes."""
import warnings

import pandas as pd
import pytest

from framescope.analysis.groups import (SizeFloor, SmallGroupWarning, attach_group_sizes, comparison_groups, document_groups,
                             group_sizes)
from framescope.corpus.errors import FramescopeError
from framescope.corpus.store import Corpus


def toy():
    """Agency on 2 days (one undated, one duplicate), press on 4 days spanning two weeks."""
    docs = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(9)],
        "outlet": ["was", "was", "was", "was", "okaz", "okaz", "okaz", "riyadh", "riyadh"],
        "source_type": ["state_media"] * 4 + ["state_aligned"] * 5,
        "alignment": ["anti_damascus"] * 9,
        "date": pd.to_datetime(["2015-07-23", "2015-07-24", None, "2015-07-24", "2015-07-23", "2015-07-20",
                                "2015-07-30", "2015-07-24", "2015-08-02"]),
        "duplicate_of": [None, None, None, "d1", None, None, None, None, None],
    })
    return Corpus.from_frames(docs, pd.DataFrame(columns=["doc_id", "seg", "role", "lang", "text"]))


AR = {"agency": "outlet == 'was'", "press": "outlet != 'was'"}


def test_duplicates_are_left_out_by_default_and_counted():
    labels = document_groups(toy(), groups=AR)
    assert labels.value_counts().to_dict() == {"agency": 2 + 1, "press": 5}
    assert "d3" not in labels.index and labels.attrs["excluded"]["duplicates"] == 1
    kept = document_groups(toy(), groups=AR, keep_duplicates=True)
    assert kept.value_counts()["agency"] == 4 and kept.attrs["excluded"]["duplicates"] == 0


def test_match_dates_by_day_and_by_week():
    day = document_groups(toy(), groups=AR, match_dates=True)
    # shared days: 23 and 24 July; the undated agency document and the press on 20, 30 July and 2 Aug go
    assert sorted(day.index) == ["d0", "d1", "d4", "d7"]
    assert day.attrs["shared_periods"] == ["2015-07-23", "2015-07-24"]
    assert day.attrs["excluded"] == {"duplicates": 1, "no_group": 0, "undated": 1, "outside_shared_dates": 3}
    week = document_groups(toy(), groups=AR, match_dates="week")
    # ISO week of 20–26 July is shared; 30 July and 2 Aug fall in the next week
    assert sorted(week.index) == ["d0", "d1", "d4", "d5", "d7"]
    assert week.attrs["excluded"]["outside_shared_dates"] == 2
    with pytest.raises(FramescopeError, match="match_dates must be"):
        document_groups(toy(), groups=AR, match_dates="fortnight")


def test_groups_that_share_no_date_are_an_error():
    with pytest.raises(FramescopeError, match="share no day"):
        document_groups(toy(), groups={"a": "doc_id == 'd5'", "b": "doc_id == 'd6'"}, match_dates=True)


def test_joined_labels_and_errors_name_the_closest_match():
    labels = document_groups(toy(), by=["alignment", "source_type"])
    assert set(labels) == {"anti_damascus/state_media", "anti_damascus/state_aligned"}
    assert document_groups(toy(), by="alignment, source_type").equals(labels)
    with pytest.raises(FramescopeError, match=r"no such document column \(did you mean 'alignment'\?\); columns: "):
        document_groups(toy(), by="alignmnet")
    with pytest.raises(FramescopeError, match=r"did you mean 'state_media'\?"):
        document_groups(toy(), by="source_type", groups=["state_meda"])
    with pytest.raises(FramescopeError, match="is in both groups 'agency' and 'all'"):
        document_groups(toy(), groups={"agency": "outlet == 'was'", "all": "outlet == outlet"})


def test_comparison_groups_from_values_and_queries():
    pair = comparison_groups(toy(), "state_media", "state_aligned", by="source_type")
    assert pair.value_counts().to_dict() == {"state_media": 3, "state_aligned": 5}
    rest = comparison_groups(toy(), "outlet == 'okaz'", target_label="okaz")
    assert rest.value_counts().to_dict() == {"okaz": 3, "rest": 5}
    with pytest.raises(FramescopeError, match=r"target 'state_meda' is not a group \(did you mean 'state_media'\?\)"):
        comparison_groups(toy(), "state_meda", by="source_type")


def test_sizes_floor_columns_attrs_and_warning():
    labels = document_groups(toy(), groups=AR)
    tokens = pd.Series({"d0": 100, "d1": 200, "d2": 50, "d3": 999, "d4": 6000, "d5": 6000, "d6": 10, "d7": 1, "d8": 1})
    sizes = group_sizes(labels, tokens, SizeFloor(min_docs=4, min_tokens=10_000))
    assert sizes.set_index("group")[["n_docs", "n_tokens", "small_group"]].to_dict("index") == {
        "agency": {"n_docs": 3, "n_tokens": 350, "small_group": True},   # the duplicate's 999 tokens are not counted
        "press": {"n_docs": 5, "n_tokens": 12012, "small_group": False}}
    table = pd.DataFrame({"group": ["agency", "press", "press"], "value": [1, 2, 3]})
    with pytest.warns(SmallGroupWarning, match=r"floor of 4 documents or 10,000 tokens: 'agency' \(3 documents, 350 tokens\)"):
        out = attach_group_sizes(table, sizes)
    assert out["group_docs"].tolist() == [3, 5, 5] and out["group_tokens"].tolist() == [350, 12012, 12012]
    assert out["small_group"].tolist() == [True, False, False]
    assert out.attrs["small_groups"] == ["agency"] and out.attrs["excluded"]["duplicates"] == 1
    assert out.attrs["group_sizes"][0] == {"group": "agency", "n_docs": 3, "n_tokens": 350, "small_group": True}
    pair = pd.DataFrame({"target": ["agency"], "reference": ["press"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two = attach_group_sizes(pair, sizes, columns=("target", "reference"), warn=False)
    assert two.loc[0, ["target_docs", "reference_docs"]].tolist() == [3, 5] and bool(two.loc[0, "small_group"])
    # attrs survive concatenation (records, not DataFrames)
    pd.concat([out, out])


def test_fakes_by_alignment_splits_state_media(fakes_corpus):
    labels = document_groups(fakes_corpus, by=["alignment", "source_type"])
    counts = labels.value_counts()
    assert counts["neutral/wire"] == 23
    assert counts["anti_damascus/state_media"] > 30          # TRT is no longer pooled with SANA
    assert counts["pro_damascus/state_media"] + counts["anti_damascus/state_media"] + \
        counts.get("mixed/state_media", 0) + counts.get("neutral/state_media", 0) == \
        document_groups(fakes_corpus, by="source_type").value_counts()["state_media"]
    assert labels.attrs["excluded"]["duplicates"] == fakes_corpus.documents["duplicate_of"].notna().sum()


def test_with_group_column_keeps_the_documents_of_the_design():
    from framescope.analysis.groups import with_group_column

    segs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(9)], "seg": 0, "role": "body", "lang": "ar", "text": "x"})
    c = Corpus.from_frames(toy().documents, segs)
    design = with_group_column(c, "agency", groups=AR, match_dates=True)
    assert design.documents.set_index("doc_id")["agency"].to_dict() == {"d0": "agency", "d1": "agency",
                                                                       "d4": "press", "d7": "press"}
    assert sorted(design.segments["doc_id"]) == ["d0", "d1", "d4", "d7"]
    assert design.manifest["groups"]["agency"]["excluded"]["outside_shared_dates"] == 3
    # every later grouping by the column sees the same N
    assert document_groups(design, "agency").value_counts().to_dict() == {"agency": 2, "press": 2}
    with pytest.raises(FramescopeError, match="already has a column 'agency'"):
        with_group_column(design, "agency", groups=AR)
    with pytest.raises(FramescopeError, match="match_dates must be"):
        document_groups(c, groups=AR, match_dates="fortnight")
    assert document_groups(c, groups=AR, match_dates="year").attrs["shared_periods"] == ["2015"]


# --- group sizes: one token count, the same N in every table -------------------------------------

HAND = {  # tests/stats_corpora.py::dated_corpus, counted by hand: (documents, running words)
    False: {"okaz": (5, 28), "was": (2, 14)},
    "day": {"okaz": (2, 15), "was": (2, 14)},
    "week": {"okaz": (3, 18), "was": (2, 14)},
}


def _sizes_of(table) -> dict:
    return {r["group"]: (r["n_docs"], r["n_tokens"]) for r in table.attrs["group_sizes"]}


@pytest.mark.parametrize("match", [False, "day", "week"])
def test_document_and_comparison_sizes_by_hand(match):
    from stats_corpora import dated_corpus

    from framescope.analysis.groups import comparison_sizes, document_sizes

    c = dated_corpus()
    assert document_sizes(c).to_dict() == {"a1": 6, "a2": 8, "p1": 9, "p2": 6, "p3": 6, "p5": 4, "p6": 3}
    assert document_sizes(c, include_duplicates=True)["p4"] == 6
    labels = document_groups(c, "outlet", match_dates=match)
    sizes = comparison_sizes(c, labels, SizeFloor(min_docs=2, min_tokens=15))
    assert {r.group: (r.n_docs, r.n_tokens) for r in sizes.itertuples()} == HAND[match]
    # the floor: 'was' has 14 words < 15; the press is under it only with 2 documents... not < 2
    assert dict(zip(sizes["group"], sizes["small_group"])) == {"okaz": False, "was": True}
    assert sizes.attrs["excluded"]["duplicates"] == 1
    # documents only (no corpus at hand): tokens empty, the floor read on documents
    docs_only = comparison_sizes(None, labels, SizeFloor(min_docs=3, min_tokens=15))
    assert docs_only["n_tokens"].isna().all()
    assert dict(zip(docs_only["group"], docs_only["small_group"])) == {"okaz": HAND[match]["okaz"][0] < 3,
                                                                       "was": True}


def test_seed_group_sizes_by_hand(seeds_corpus):
    """seeds.csv: four pro-Damascus articles and one of unknown stance; no duplicates."""
    from framescope.analysis.framing.actors import actors
    from framescope.analysis.framing.claims import claims, claims_comparison
    from framescope.analysis.groups import comparison_sizes, document_sizes

    labels = document_groups(seeds_corpus, "alignment")
    sizes = comparison_sizes(seeds_corpus, labels)
    per_doc = document_sizes(seeds_corpus)
    stance = seeds_corpus.documents.set_index("doc_id")["alignment"]
    expected = {g: (int((stance == g).sum()), int(per_doc[stance.index[stance == g]].sum()))
                for g in ("pro_damascus", "unknown")}
    assert {g: d for g, (d, _) in expected.items()} == {"pro_damascus": 4, "unknown": 1}
    assert {r.group: (r.n_docs, r.n_tokens) for r in sizes.itertuples()} == expected
    assert sizes["small_group"].all()  # 5 articles: both under the floor of 30 documents
    with pytest.warns(SmallGroupWarning):
        comp = claims_comparison(claims(seeds_corpus), seeds_corpus, by="alignment", period=None)
    with pytest.warns(SmallGroupWarning):
        act = actors(seeds_corpus, "alignment", n_boot=0)
    assert _sizes_of(comp) == _sizes_of(act) == expected
    rows = comp[comp["kind"] == "corpus"]
    assert all((r.group_docs, r.group_tokens) == expected[r.group] for r in rows.itertuples())


@pytest.mark.slow
@pytest.mark.parametrize("match", [False, "week"])
def test_same_group_same_n_in_topic_claims_and_framing_tables(match):
    """Topic prevalence, differences, effects and frames, the claims comparison, actors,
    markers and agency of one corpus give every group the hand-counted N."""
    from stats_corpora import dated_corpus

    from framescope.analysis.collocations import collocates
    from framescope.analysis.framing.actors import actors
    from framescope.analysis.framing.agency import agency
    from framescope.analysis.framing.claims import claims, claims_comparison
    from framescope.analysis.keyness import keyness_groups
    from framescope.analysis.framing.markers import markers
    from framescope.analysis.tokens import TokenOptions
    from framescope.analysis.topics.options import DictionaryOptions, LdaOptions
    from framescope.analysis.topics.pipeline import TopicConfig, run_topics

    c = dated_corpus()
    want = HAND[match]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallGroupWarning)
        topics = run_topics(c, "en", TopicConfig(
            k=2, n_seeds=1, by="outlet", match_dates=match, n_boot=20, composition_sims=2, composition_draws=2,
            dictionary_options=DictionaryOptions(no_below=1, no_above=1.0, min_tokens=1),
            lda_options=LdaOptions(passes=1, chunksize=200, iterations=20), frames=True,
            token_options=TokenOptions(numbers="drop", min_length=2)))
        tables = {"prevalence": topics.prevalence, "frame prevalence": topics.frame_comparison.prevalence,
                  "claims": claims_comparison(claims(c), c, by="outlet", period=None, match_dates=match),
                  "actors": actors(c, "outlet", n_boot=10, match_dates=match),
                  "markers": markers(c, "outlet", n_boot=10, match_dates=match),
                  "agency": agency(c, "outlet", n_boot=10, match_dates=match),
                  "keyness": keyness_groups(c, "outlet", min_freq=1, n_boot=10, match_dates=match),
                  "collocates": collocates(c, "killed", by="outlet", span=3, min_freq=1, match_dates=match)}
    for name, table in tables.items():
        assert _sizes_of(table) == want, name
        rows = table[table["group"].isin(want)]
        assert len(rows) or name == "markers", name  # the fixture has no distancing marker
        assert all((r.group_docs, r.group_tokens) == want[r.group] for r in rows.itertuples()), name
    diff = topics.differences.iloc[0]
    assert (diff["group_a_docs"], diff["group_a_tokens"]) == want[diff["group_a"]]
    assert (diff["group_b_docs"], diff["group_b_tokens"]) == want[diff["group_b"]]
    coef = topics.effects[topics.effects["variable"] == "outlet"].iloc[0]
    assert (coef["level_docs"], coef["level_tokens"], coef["reference_docs"]) == (*want["was"], want["okaz"][0])
    assert topics.effects_composition["reference_tokens"].dropna().unique().tolist() == [want["okaz"][1]]
    assert topics.settings["groups"]["sizes"][0]["n_docs"] == want["okaz"][0]
    # keyness of one outlet against the other, counted from a shared matrix: the same N
    from framescope.analysis.counts import dtm
    from framescope.analysis.keyness import keyness

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallGroupWarning)
        key = keyness(c, "outlet == 'was'", "outlet == 'okaz'", matrix=dtm(c, TokenOptions()), min_freq=1,
                      n_boot=0, match_dates=match)
    assert (key.attrs["n_docs_target"], key.attrs["n_docs_reference"]) == (want["was"][0], want["okaz"][0])
    assert (key["target_docs"].iloc[0], key["target_tokens"].iloc[0]) == want["was"]
    assert (key["reference_docs"].iloc[0], key["reference_tokens"].iloc[0]) == want["okaz"]
    # n_docs stays the documents behind the estimate: the modelled ones (all have English text here)
    assert set(topics.prevalence.groupby("group")["n_docs"].first().items()) == {(g, d) for g, (d, _) in want.items()}


@pytest.mark.parametrize("match", [False, "day", "week"])
def test_keyness_collocates_ngrams_and_freq_carry_the_hand_counted_n(match):
    """Keyness (both forms), collocates, bigrams, n-grams and frequencies of the dated fixture
    give each group the hand-counted documents and running words of HAND, with matched dates."""
    from stats_corpora import dated_corpus

    from framescope.analysis.collocations import bigram_collocations, collocates, ngrams
    from framescope.analysis.counts import frequencies
    from framescope.analysis.keyness import keyness, keyness_groups

    c = dated_corpus()
    want = HAND[match]
    with pytest.warns(SmallGroupWarning):  # 'was' is 2 documents
        key = keyness(c, "outlet == 'was'", "outlet == 'okaz'", min_freq=1, n_boot=0, match_dates=match)
    row = key.iloc[0]
    assert (row.target_docs, row.target_tokens) == want["was"]
    assert (row.reference_docs, row.reference_tokens) == want["okaz"]
    assert key["small_group"].all() and key.attrs["match_dates"] == match
    from framescope.analysis.groups import document_sizes

    with pytest.warns(SmallGroupWarning):  # sizes computed once and passed: the same table
        again = keyness(c, "outlet == 'was'", "outlet == 'okaz'", min_freq=1, n_boot=0, match_dates=match,
                        sizes=document_sizes(c))
    assert again.equals(key)
    assert (key.attrs["n_docs_target"], key.attrs["n_docs_reference"]) == (want["was"][0], want["okaz"][0])
    # the reference's tokens in the table are the tokens of the documents left in
    assert int(key["size_reference"].iloc[0]) < want["okaz"][1] or match is False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallGroupWarning)
        tables = {"keyness_groups": keyness_groups(c, "outlet", min_freq=1, n_boot=0, match_dates=match),
                  "collocates": collocates(c, "killed", by="outlet", span=3, min_freq=1, match_dates=match),
                  "bigrams": bigram_collocations(c, by="outlet", min_freq=1, match_dates=match),
                  "ngrams": ngrams(c, 2, by="outlet", min_freq=1, match_dates=match),
                  "freq": frequencies(c, by="outlet", match_dates=match)}
    for name, table in tables.items():
        assert _sizes_of(table) == want, name
        assert all((r.group_docs, r.group_tokens) == want[r.group] for r in table.itertuples()), name
        assert set(table["group"]) == set(want), name
    groups = tables["keyness_groups"]
    for g, other in (("was", "okaz"), ("okaz", "was")):
        r = groups[groups["group"] == g].iloc[0]
        assert (r.reference_docs, r.reference_tokens) == want[other]
    # frequencies count only the documents left in: n_docs of 'okaz' is its matched documents
    f = tables["freq"]
    assert f[f["group"] == "okaz"]["n_docs"].max() == want["okaz"][0]


def test_stats_commands_match_dates_and_write_sizes(tmp_path, capsys):
    """``framescope keyness/collocates/freq/ngrams --match-dates week`` on a corpus folder
    (counted by partitions): the same N as the library on the in-memory corpus."""
    from stats_corpora import dated_corpus

    from framescope.cli import main
    from framescope.corpus.store import write_corpus

    c = dated_corpus()
    folder = write_corpus(tmp_path / "dated", c.documents, c.segments, [], {"corpus_id": "dated"})
    want = HAND["week"]
    runs = {"keyness": ["--by", "outlet", "--min-freq", "1", "--n-boot", "0"],
            "collocates": ["killed", "--by", "outlet", "--min-freq", "1"],
            "freq": ["--by", "outlet"], "ngrams": ["--by", "outlet", "--min-freq", "1"]}
    for command, extra in runs.items():
        out = tmp_path / f"{command}.csv"
        args = [command, str(folder), *extra[:1]] if command == "collocates" else [command, str(folder)]
        rest = extra[1:] if command == "collocates" else extra
        assert main([*args, *rest, "--match-dates", "week", "--out", str(out)]) == 0, command
        table = pd.read_csv(out)
        got = {g: (int(d), int(t)) for g, d, t in zip(table["group"], table["group_docs"], table["group_tokens"])}
        assert got == want, command
        import json
        meta = json.loads(out.with_name(out.name + ".meta.json").read_text())
        assert meta["match_dates"] == "week" and meta["excluded"]["undated"] == 1, command
    assert "under the floor" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["keyness", str(folder), "--by", "outlet", "--match-dates", "month", "--out", str(tmp_path / "x.csv")])
