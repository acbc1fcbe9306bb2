"""Actor labels and distancing markers: matching, hand-computed rates and shares, KWIC lines."""
import numpy as np
import pandas as pd
import pytest

from framescope.analysis.framing.actors import actor_kwic, actor_lexicon, actor_mentions, actors
from framescope.analysis.framing.groupstats import bootstrap_ratio, document_sizes
from framescope.analysis.framing.markers import find_scare_quotes, marker_kwic, marker_mentions, markers
from framescope.analysis.framing.actors import actor_matchers
from framescope.analysis.framing.spans import scan
from framescope.corpus.errors import FramescopeError
from stats_corpora import make_corpus


def labels_in(text, lang="en"):
    corpus = make_corpus([("d", "body", lang, text)], {"d": {"source_type": "x"}})
    return list(zip(*[actor_mentions(corpus)[c] for c in ("actor", "label")]))


@pytest.mark.parametrize("text,lang,expected", [
    ("ISIS and IS and ISIL and the Islamic State and Daesh.", "en",
     [("isis", "ISIS"), ("isis", "IS"), ("isis", "ISIL"), ("isis", "Islamic State"), ("isis", "Daesh")]),
    ("It is what it is.", "en", []),  # lower-case "is" is no label
    ("داعش وتنظيم الدولة الإسلامية", "ar", [("isis", "داعش"), ("isis", "تنظيم الدولة")]),
    ("the US-led coalition, the illegal coalition, the so-called 'international coalition'", "en",
     [("us_coalition", "US-led coalition"), ("us_coalition", "illegal coalition"),
      ("us_coalition", "so-called coalition")]),
    ("غارات التحالف الدولي وما يسمى التحالف الدولي والتحالف غير الشرعي", "ar",
     [("us_coalition", "التحالف الدولي"), ("us_coalition", "ما يسمى التحالف"),
      ("us_coalition", "التحالف غير الشرعي")]),
    ("the coalition and the National Coalition", "en",
     [("coalition_unspecified", "coalition"), ("national_coalition", "National Coalition")]),
    ("SDF, separatist militias, the Syrian Arab Army and regime forces", "en",
     [("sdf", "SDF"), ("sdf", "separatist militias"), ("saa", "Syrian Arab Army"), ("saa", "regime forces")]),
    ("قسد والميليشيات الانفصالية والجيش العربي السوري وقوات النظام", "ar",
     [("sdf", "قسد"), ("sdf", "الميليشيات الانفصالية"), ("saa", "الجيش العربي السوري"), ("saa", "قوات النظام")]),
    ("the White Helmets, also called Syria Civil Defence", "en",
     [("white_helmets", "White Helmets"), ("white_helmets", "Syria Civil Defence")]),
    ("الخوذ البيضاء", "ar", [("white_helmets", "الخوذ البيضاء")]),
    ("terrorists of Daesh", "en", [("isis", "terrorists"), ("isis", "Daesh")]),
])
def test_actor_labels(text, lang, expected):
    assert labels_in(text, lang) == expected


def test_arabic_labels_with_clitics_and_diacritics():
    assert labels_in("وللتحالفِ الدوليّ", "ar") == [("us_coalition", "التحالف الدولي")]


def _two_groups():
    rows = [
        ("s1", "body", "en", "The illegal coalition bombed Raqqa. The illegal coalition lies."),  # 9 tokens
        ("s2", "body", "en", "Daesh attacked."),  # 2
        ("w1", "body", "en", "The US-led coalition struck Islamic State positions."),  # 7
        ("w2", "body", "en", "Rebels shelled Aleppo."),  # 3
    ]
    meta = {"s1": {"source_type": "state_media"}, "s2": {"source_type": "state_media"},
            "w1": {"source_type": "wire"}, "w2": {"source_type": "wire"}}
    return make_corpus(rows, meta)


def test_actor_rates_and_shares_hand_computed():
    corpus = _two_groups()
    assert document_sizes(corpus).to_dict() == {"s1": 9, "s2": 2, "w1": 7, "w2": 3}
    table = actors(corpus, n_boot=300, seed=7)
    row = table[(table["group"] == "state_media") & (table["label"] == "illegal coalition")].iloc[0]
    assert (row["count"], row["docs"], row["n_docs"], row["n_tokens"]) == (2, 1, 2, 11)
    assert row["per_10k"] == pytest.approx(2 / 11 * 1e4)
    assert row["doc_share"] == pytest.approx(0.5)
    assert row["share"] == pytest.approx(1.0)  # every US-coalition mention in state media says "illegal"
    assert row["per_10k_low"] <= row["per_10k"] <= row["per_10k_high"]
    allrow = table[(table["group"] == "wire") & (table["actor"] == "isis") & (table["label"] == "(all)")].iloc[0]
    assert (allrow["count"], allrow["per_10k"]) == (1, pytest.approx(1 / 10 * 1e4))
    zero = table[(table["group"] == "wire") & (table["label"] == "illegal coalition")].iloc[0]
    assert (zero["count"], zero["per_10k"], zero["share"]) == (0, 0.0, 0.0)
    assert set(table["seed"]) == {7} and set(table["n_boot"]) == {300}
    pd.testing.assert_frame_equal(table, actors(corpus, n_boot=300, seed=7))
    assert not table.equals(actors(corpus, n_boot=300, seed=8))


def test_actor_kwic_lines_behind_a_count():
    corpus = _two_groups()
    lines = actor_mentions(corpus, by="source_type")
    behind = actor_kwic(lines, group="state_media", label="illegal coalition")
    assert len(behind) == 2
    first = behind.iloc[0]
    assert (first["left"], first["keyword"], first["right"]) == ("The", "illegal coalition", "bombed Raqqa.")
    assert len(actor_kwic(lines, group="state_media", actor="us_coalition", label="(all)")) == 2
    with pytest.raises(FramescopeError, match="no column"):
        actor_kwic(lines.drop(columns="group"), group="x")


def test_bootstrap_ratio_hand_checks():
    num = np.array([[2.0], [0.0]])
    den = np.array([9.0, 2.0])
    est, lo, hi = bootstrap_ratio(num, den, 500, 0.95, np.random.SeedSequence(1))
    assert est[0] == pytest.approx(2 / 11)
    # possible resample ratios: 0 (both s2), 2/11, 2/9 (both s1)
    assert lo[0] == pytest.approx(0.0) and hi[0] == pytest.approx(2 / 9)
    est, lo, hi = bootstrap_ratio(num, den, 0, 0.95, np.random.SeedSequence(1))
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_bad_actor_lexicon(tmp_path):
    bad = tmp_path / "actors.csv"
    bad.write_text("actor,label,lang\nisis,ISIS,en\n", encoding="utf-8")
    with pytest.raises(FramescopeError, match="lacks column"):
        actor_lexicon(bad)
    with pytest.raises(FramescopeError, match="not found"):
        actor_lexicon(tmp_path / "nope.csv")


def test_user_actor_lexicon(tmp_path):
    user = tmp_path / "actors.csv"
    user.write_text("actor,label,lang,pattern\nrussia,Russian jets,en,Russian jets\n", encoding="utf-8")
    corpus = make_corpus([("d", "body", "en", "Russian jets and Daesh.")], {"d": {"source_type": "x"}})
    lines = actor_mentions(corpus, lexicon=user)
    assert list(lines["label"]) == ["Russian jets"]


# --- markers ------------------------------------------------------------------------------------

def quoted(text, lang="en"):
    toks = scan(text)
    return [(" ".join(t.text for t in toks[s:e]), a)
            for s, e, a in find_scare_quotes(text, toks, lang, actor_matchers().get(lang))]


@pytest.mark.parametrize("text,lang,expected", [
    ("the so-called “international coalition” kills civilians", "en", [("international coalition", "us_coalition")]),
    ('the so-called "international coalition" kills civilians', "en", [("international coalition", "us_coalition")]),
    ("the US-led ‘Coalition’ have committed massacres", "en", [("Coalition", "coalition_unspecified")]),
    ("withdraw from this “coalition.” The UN", "en", [("coalition", "coalition_unspecified")]),
    ("during this ‘War Of Terror’ waged by the US", "en", [("War Of Terror", None)]),
    ("ما يسمى «التحالف الدولي» يقتل المدنيين", "ar", [("التحالف الدولي", "us_coalition")]),
    ('the army said: "terrorists" attacked', "en", []),           # a quotation, not a scare quote
    ("in deliberate 'friendly fire' when", "en", []),              # not a name
    ("the int'l coalition's warplanes and civilians' houses", "en", []),  # apostrophes
])
def test_scare_quotes(text, lang, expected):
    assert quoted(text, lang) == expected


def test_marker_mentions_and_targets():
    corpus = make_corpus([
        ("s1", "body", "en", 'The so-called "international coalition" and the alleged coalition strikes. '
                             "The illegal presence may reportedly end. It is clearly a crime."),
        ("a1", "body", "ar", "ما يسمى التحالف الدولي غير الشرعي ربما يقصف بلا شك."),
    ], {"s1": {"source_type": "state_media"}, "a1": {"source_type": "state_media"}})
    lines = marker_mentions(corpus)
    got = list(zip(lines["category"], lines["marker"], lines["target_actor"].fillna("-")))
    assert got == [
        ("distancing", "so-called", "us_coalition"), ("scare_quotes", "scare quotes", "us_coalition"),
        ("distancing", "alleged", "coalition_unspecified"), ("delegitimising", "illegal", "-"),
        ("hedge", "may", "-"), ("hedge", "reportedly", "-"), ("booster", "clearly", "-"),
        ("distancing", "ما يسمى", "us_coalition"), ("delegitimising", "غير الشرعي", "-"),
        ("hedge", "ربما", "-"), ("booster", "بلا شك", "-"),
    ]
    assert marker_kwic(lines, category="hedge").shape[0] == 3


def test_may_the_month_is_no_hedge():
    corpus = make_corpus([("d", "body", "en", "On May 24 the jets struck.")], {"d": {"source_type": "x"}})
    assert marker_mentions(corpus).empty


def test_marker_rates_hand_computed():
    corpus = _two_groups()
    table = markers(corpus, n_boot=100, seed=1)
    row = table[(table["group"] == "state_media") & (table["marker"] == "illegal")].iloc[0]
    assert (row["count"], row["docs"], row["per_10k"]) == (2, 1, pytest.approx(2 / 11 * 1e4))
    total = table[(table["group"] == "state_media") & (table["category"] == "delegitimising") & (table["marker"] == "(all)")].iloc[0]
    assert total["count"] == 2
    wire = table[(table["group"] == "wire") & (table["marker"] == "illegal")].iloc[0]
    assert wire["count"] == 0


# --- generic labels name their referent ---------------------------------------------------------

def referents_in(text, lang="en"):
    corpus = make_corpus([("d", "body", lang, text)], {"d": {"source_type": "x"}})
    lines = actor_mentions(corpus)
    return list(zip(*[lines[lines["label"].isin(["terrorists", "الإرهابيين"])][c] for c in ("actor", "resolution")]))


@pytest.mark.parametrize("text,lang,expected", [
    ("ISIS terrorists shelled the town.", "en", [("isis", "sentence")]),
    ("Jabhat al-Nusra terrorists shelled the town.", "en", [("nusra", "sentence")]),
    ("The terrorist group Jaish al-Islam shelled Damascus.", "en", [("rebels", "sentence")]),
    ("Turkey shelled PKK terrorists near Afrin.", "en", [("sdf", "sentence")]),
    # the army and Kurdish forces named further away are the label's opponents, not its referent
    ("The Syrian army killed 40 terrorists in Hama.", "en", [("unresolved", "unresolved")]),
    ("Kurdish forces ousted the terrorists from the town.", "en", [("unresolved", "unresolved")]),
    ("ISIL attacked Kobani. Kurdish forces ousted the terrorists from the town.", "en",
     [("isis", "previous sentence")]),
    # 'other' sets the label apart from the group named
    ("Nusra Front and other terrorist groups fired shells.", "en", [("unresolved", "unresolved")]),
    ("Nusra shelled the town and other ISIS terrorists fled.", "en", [("isis", "sentence")]),
    # two groups in the sentence before: no guess
    ("ISIS and Nusra clashed. Terrorists fired shells.", "en", [("unresolved", "unresolved")]),
    ("هاجم الإرهابيون من داعش القرية", "ar", [("isis", "sentence")]),
    ("قتل الجيش السوري عشرات الإرهابيين في حماة", "ar", [("unresolved", "unresolved")]),
])
def test_generic_labels_resolve_their_referent(text, lang, expected):
    assert referents_in(text, lang) == expected


def test_unresolved_terrorists_are_not_counted_as_isis():
    corpus = make_corpus([("d", "body", "en", "The army killed terrorists. ISIS terrorists fled.")],
                         {"d": {"source_type": "x"}})
    table = actors(corpus, n_boot=0)
    count = table[table["label"] == "terrorists"].set_index("actor")["count"].to_dict()
    assert count == {"isis": 1, "unresolved": 1}
    lines = actor_mentions(corpus, resolve=False)
    assert set(lines.loc[lines["label"] == "terrorists", "actor"]) == {"unresolved"}


@pytest.mark.parametrize("sample,old_max,min_precision,min_recall", [
    ("actor_referents_fakes.csv", 0.40, 0.85, 0.85),            # development sample (rules chosen on it)
    ("actor_referents_fakes_heldout.csv", 0.50, 0.85, 0.80),    # drawn and annotated after the rules
])
def test_referent_precision_on_annotated_fakes_samples(fakes_corpus, sample, old_max, min_precision, min_recall):
    """tests/data/actor_referents_fakes*.csv: occurrences of the generic 'terrorists' labels in
    FA-KES (seeded random samples: 110 for development, 50 held out), the referent annotated
    by hand from the sentence and the one before ('a|b' when the label covers both). Was:
    every one counted as ISIS (35% and 46% right)."""
    from pathlib import Path

    gold = pd.read_csv(Path(__file__).parent / "data" / sample, keep_default_na=False)
    assert len(gold) >= 50
    # an occurrence inside a related headline is boilerplate since text layer 8: not analysed
    gold = gold[~gold["note"].str.startswith("page furniture")].reset_index(drop=True)
    lines = actor_mentions(fakes_corpus, window=60)
    lines = lines[lines["label"] == "terrorists"]
    pred = []
    for r in gold.itertuples():
        # matched on the text around the label, not the sentence number, which moves with the
        # sentence model
        hit = lines[(lines["doc_id"] == r.doc_id) & (lines["keyword"] == r.keyword)
                    & lines["left"].str.endswith(r.left[-40:])]
        same = hit[hit["sent"] == r.sent]
        hit = same if len(same) else hit
        assert len(hit) >= 1, f"item {r.item} not found"
        pred.append(hit.iloc[0]["actor"])
    gold["pred"] = pred
    gold["ok"] = [p in g.split("|") for p, g in zip(gold["pred"], gold["referent"])]
    resolved = gold[gold["pred"] != "unresolved"]
    precision = resolved["ok"].mean()
    recall = resolved["ok"].sum() / (gold["referent"] != "unresolved").sum()
    assert gold["referent"].str.contains("isis").mean() < old_max
    assert precision >= min_precision and recall >= min_recall, (precision, recall)


def test_framing_tables_carry_group_sizes_and_follow_the_group_rules(fakes_corpus):
    from framescope.analysis.groups import SmallGroupWarning, document_groups

    with pytest.warns(SmallGroupWarning, match="neutral/wire"):
        table = actors(fakes_corpus, by=["alignment", "source_type"], n_boot=0)
    sizes = {r["group"]: r for r in table.attrs["group_sizes"]}
    labels = document_groups(fakes_corpus, by=["alignment", "source_type"])
    assert {g: r["n_docs"] for g, r in sizes.items()} == labels.value_counts().to_dict()
    wire = table[table["group"] == "neutral/wire"]
    assert wire["small_group"].all() and (wire["group_docs"] == 23).all()
    assert "neutral/wire" in table.attrs["small_groups"]
    assert not table.loc[table["group"] == "pro_damascus/state_media", "small_group"].any()
    # markers use the same groups and the same N
    mk = markers(fakes_corpus, by=["alignment", "source_type"], n_boot=0)
    assert mk.attrs["group_sizes"] == table.attrs["group_sizes"]
    # matched dates by week restrict every group to the weeks they share
    matched = actors(fakes_corpus, by="alignment", groups=["pro_damascus", "anti_damascus"], match_dates="week",
                     n_boot=0)
    assert matched.attrs["excluded"]["outside_shared_dates"] > 0
    assert set(matched["group"]) == {"pro_damascus", "anti_damascus"}
    assert sum(r["n_docs"] for r in matched.attrs["group_sizes"]) < 299 + 268
