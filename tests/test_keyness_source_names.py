"""Source names (an outlet's own name, wire credits) left out of keyness rankings, never dropped silently."""
from __future__ import annotations

import pytest

from framescope.analysis import plots
from framescope.analysis.keyness import SOURCE_NAMES_REASON, exclude_terms, keyness, keyness_groups, source_terms
from framescope.analysis.plots import style
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError
from framescope.report import ANALYSIS_OPTIONS
from stats_corpora import make_corpus


def test_source_terms_are_the_names_not_the_words_of_the_names():
    names = source_terms(options=ANALYSIS_OPTIONS)
    terms = set(names["term"])
    # the outlets' names, abbreviations and the wires (credits)
    assert {"sana", "sputnik", "tass", "al-alam", "al-manar", "trt", "reuters", "afp", "nna", "spa"} <= terms
    # ordinary words of longer names, codes that are English words and generic abbreviations are vocabulary
    assert not terms & {"syrian", "arab", "news", "agency", "press", "world", "national", "un", "tv", "was", "who",
                        "the", "new", "online", "unattributed"}
    assert names.attrs["reason"] == SOURCE_NAMES_REASON
    assert set(names.loc[names["outlet"] == "sana", "form"]) == {"capitals"}
    # only the outlets asked for, plus the wire services (their credit lines)
    some = source_terms(["sana", "no-such-outlet"], options=ANALYSIS_OPTIONS)
    assert set(some["outlet"]) == {"sana", "reuters", "ap", "afp", "dpa"}
    assert set(source_terms(["sana"], options=ANALYSIS_OPTIONS, wires=False)["term"]) == {"sana"}
    # written as the table's token options write them
    assert "reuter" in set(source_terms(["reuters"], options=TokenOptions(stem=True))["term"])


def name_corpus():
    rows = [("s1", "body", "en", "SANA reported that terrorists shelled Aleppo, SANA said."),
            ("s2", "body", "en", "Terrorists fired rockets on Aleppo, a SANA reporter said."),
            ("s3", "body", "en", "SANA: terrorists attacked the army."),
            ("w1", "body", "en", "Rebels shelled Aleppo, activists told Reuters."),
            ("w2", "body", "en", "Rebels and the army fought, Reuters reported."),
            ("w3", "body", "en", "Activists said rebels held the town, a Reuters witness said.")]
    meta = {d: {"source_type": "state_media" if d[0] == "s" else "wire", "outlet": "sana" if d[0] == "s" else "reuters"}
            for d in ("s1", "s2", "s3", "w1", "w2", "w3")}
    return make_corpus(rows, meta)


def test_keyness_exclude_leaves_names_out_of_the_ranking_and_keeps_their_rows():
    c = name_corpus()
    args = dict(options=ANALYSIS_OPTIONS, min_freq=2, n_boot=20, seed=1)
    plain = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", **args)
    assert {"sana", "reuters"} <= set(plain["term"])  # the names rank as keywords
    names = source_terms(c.documents["outlet"].unique(), options=ANALYSIS_OPTIONS)
    key = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", exclude=names, **args)
    assert not {"sana", "reuters"} & set(key["term"])
    left = {r["term"]: r for r in key.attrs["left_out"]}
    assert set(left) == {"sana", "reuters"}
    assert left["sana"]["g2"] == pytest.approx(plain.set_index("term").loc["sana", "g2"])
    assert key.attrs["left_out_reason"] == SOURCE_NAMES_REASON
    # the other rows are unchanged: the names were tested with them (same p-value adjustment)
    rest = plain[~plain["term"].isin(["sana", "reuters"])].reset_index(drop=True)
    assert key[["term", "g2", "p_adjusted"]].equals(rest[["term", "g2", "p_adjusted"]])
    assert key.attrs["target_label"] == plain.attrs["target_label"]
    groups = keyness_groups(c, by="source_type", exclude=["sana"], **args)
    assert "sana" not in set(groups["term"]) and {r["group"] for r in groups.attrs["left_out"]} == {"state_media", "wire"}


def test_exclude_terms_accumulates_matches_languages_and_checks_its_input():
    c = name_corpus()
    key = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", options=ANALYSIS_OPTIONS, min_freq=2,
                  n_boot=0)
    once = exclude_terms(key, ["sana"], reason="names")
    twice = exclude_terms(once, ["reuters"])
    assert [r["term"] for r in twice.attrs["left_out"]] == ["sana", "reuters"]
    assert twice.attrs["left_out_reason"] == "names"
    import pandas as pd
    arabic_only = pd.DataFrame({"lang": ["ar"], "term": ["sana"]})
    assert len(exclude_terms(key, arabic_only)) == len(key)  # 'sana' in English is another term
    with pytest.raises(FramescopeError, match="no 'term' column"):
        exclude_terms(key.drop(columns="term"), ["sana"])


def test_a_figure_of_a_table_with_left_out_terms_names_them():
    c = name_corpus()
    names = source_terms(c.documents["outlet"].unique(), options=ANALYSIS_OPTIONS)
    key = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", options=ANALYSIS_OPTIONS, min_freq=2,
                  n_boot=20, exclude=names, target_label="state", reference_label="wire")
    fig = plots.plot_keyness(key, n=3, alpha=0.2)
    note = fig.get_supxlabel()
    assert "left out of the ranking as source names: sana, reuters (2 terms" in note.replace("\n", " ")
    # the figure grows by the note: it adds no problem to those of the same plot without it
    bare = key.copy()
    bare.attrs = {k: v for k, v in key.attrs.items() if k != "left_out"}
    plain_fig = plots.plot_keyness(bare, n=3, alpha=0.2)
    assert "left out" not in plain_fig.get_supxlabel()
    assert fig.get_figheight() > plain_fig.get_figheight()
    assert set(style.figure_problems(fig)) <= set(style.figure_problems(plain_fig))
    assert not style.left_out_note(names) and not style.left_out_note(bare)


def test_fakes_state_media_keywords_without_their_own_names(fakes_corpus):
    """FA-KES, pro-Damascus state media against Reuters: 'sana' and 'sputnik' are significant
    keywords; with the source names left out they are gone from the ranking and kept in attrs."""
    from framescope.analysis.groups import with_group_column
    from framescope.report import encode_corpus
    from framescope.analysis.counts import DocumentTermMatrix

    design = {"state": "alignment == 'pro_damascus' and source_type == 'state_media'", "wire": "source_type == 'wire'"}
    en = with_group_column(fakes_corpus, "design", groups=design)
    matrix = DocumentTermMatrix.from_encoded(encode_corpus(en, ANALYSIS_OPTIONS))
    args = dict(lang="en", matrix=matrix, n_boot=0, seed=0)
    plain = keyness(en, "design == 'state'", "design == 'wire'", **args)
    significant = plain[(plain["p_adjusted"] < 0.05) & (plain["g2"] > 0)]["term"].tolist()
    # 'sputnik' ranked 15th while every Sputnik page tail ("Comment via Sputnik News") was
    # counted as text; since text layer 8 it is 60th, still a significant keyword
    assert "sana" in significant[:30] and "sputnik" in significant
    names = source_terms(en.documents["outlet"].unique(), options=ANALYSIS_OPTIONS)
    key = keyness(en, "design == 'state'", "design == 'wire'", exclude=names, **args)
    left = [r["term"] for r in key.attrs["left_out"]]
    assert {"sana", "sputnik", "reuters"} <= set(left)
    assert not set(left) & set(key["term"])
    assert len(key) + len(left) == len(plain)
