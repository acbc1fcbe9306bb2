"""Casualty claims on sentences written here (English and the Arabic counterpart) and on the seeds."""
import pandas as pd
import pytest

from framescope.analysis.framing.claims import CLAIM_COLUMNS, claims, claims_comparison, find_claims, read_reference
from framescope.corpus.errors import FramescopeError


def rows(sentence, lang="en", prev=None, next=None):
    return [c.as_row() for c in find_claims(sentence, lang, prev, next)]


def one(sentence, lang="en", prev=None, next=None):
    found = rows(sentence, lang, prev, next)
    assert len(found) == 1, found
    return found[0]


# --- numbers, qualifiers, victims, outcomes ---------------------------------------------------

@pytest.mark.parametrize("sentence,lang,number,lo,hi,qualifier", [
    ("Six civilians were killed on Saturday.", "en", 6, 6, 6, "exact"),
    ("قتل ستة مدنيين يوم السبت.", "ar", 6, 6, 6, "exact"),
    ("The strikes killed at least 1,139 civilians.", "en", 1139, 1139, None, "at least"),
    ("قتل ما لا يقل عن 1139 مدنيا.", "ar", 1139, 1139, None, "at least"),
    ("قتل 20 مدنيا على الأقل.", "ar", 20, 20, None, "at least"),
    ("Coalition raids killed more than 1,300 civilians.", "en", 1300, 1300, None, "more than"),
    ("Over 1,600 civilians have been killed.", "en", 1600, 1600, None, "more than"),
    ("قتل أكثر من 1300 مدني.", "ar", 1300, 1300, None, "more than"),
    ("About 40 people were killed.", "en", 40, None, None, "about"),
    ("قتل نحو 40 شخصا.", "ar", 40, None, None, "about"),
    ("Nearly 50 soldiers died.", "en", 50, None, 50, "nearly"),
    ("قتل قرابة 50 جنديا.", "ar", 50, None, 50, "nearly"),
    ("Up to 30 people were injured.", "en", 30, None, 30, "up to"),
    ("أصيب ما يصل إلى 30 شخصا.", "ar", 30, None, 30, "up to"),
    ("Between 20 and 30 people were wounded.", "en", None, 20, 30, "range"),
    ("أصيب بين 20 و30 شخصا.", "ar", None, 20, 30, "range"),
    ("Dozens of civilians were killed.", "en", None, None, None, "vague"),
    ("قتل عشرات المدنيين.", "ar", None, None, None, "vague"),
    ("The bombing killed a dozen people.", "en", 12, 12, 12, "exact"),
    ("أسفر القصف عن مقتل خمسة وعشرين شخصا.", "ar", 25, 25, 25, "exact"),
    ("قتل ١٥ شخصاً.", "ar", 15, 15, 15, "exact"),
])
def test_numbers_and_qualifiers(sentence, lang, number, lo, hi, qualifier):
    r = one(sentence, lang)
    assert (r["number"], r["number_min"], r["number_max"], r["qualifier"]) == (number, lo, hi, qualifier)


@pytest.mark.parametrize("sentence,lang,victim,outcome", [
    ("The coalition killed 62 civilians.", "en", "civilians", "killed"),
    ("قتل التحالف 62 مدنيا.", "ar", "civilians", "killed"),
    ("Six children were wounded.", "en", "children", "injured"),
    ("أصيب ستة أطفال.", "ar", "children", "injured"),
    ("Twelve soldiers are missing.", "en", "soldiers", "missing"),
    ("فقد 12 جنديا.", "ar", "soldiers", "missing"),
    ("The clashes left 20 fighters dead.", "en", "fighters", "killed"),
    ("لقي 20 مسلحا مصرعهم.", "ar", "fighters", "killed"),
    ("Rebels killed 7 women.", "en", "women", "killed"),
    ("استشهد 7 نساء.", "ar", "women", "killed"),
    ("The raid caused 1,100 civilian deaths.", "en", "civilians", "killed"),
    ("سقط 20 قتيلا.", "ar", None, "killed"),
    ("Mortars killed 10 people.", "en", "people", "killed"),
    ("مقتل 10 أشخاص.", "ar", "people", "killed"),
    ("The shelling killed or wounded 40 people.", "en", "people", "casualties"),
    ("سقط عشرات القتلى والجرحى.", "ar", None, "casualties"),
    ("There were 40 casualties.", "en", None, "casualties"),
])
def test_victims_and_outcomes(sentence, lang, victim, outcome):
    r = one(sentence, lang)
    assert (r["victim"], r["outcome"]) == (victim, outcome)


def test_two_claims_in_one_sentence():
    found = rows("An explosion inside a bus killed six people and injured another ten in Damascus.")
    assert [(r["number"], r["outcome"]) for r in found] == [(6, "killed"), (10, "injured")]
    found = rows("أسفر الانفجار عن مقتل ستة أشخاص وإصابة عشرة آخرين في دمشق.", "ar")
    assert [(r["number"], r["outcome"], r["victim"]) for r in found] == [(6, "killed", "people"), (10, "injured", "people")]


@pytest.mark.parametrize("sentence,lang,expected", [
    ("Twenty of them were killed.", "en", [(20, None, "killed")]),
    ("Jets killed dozens of sheep and injured 3 people.", "en", [(3, "people", "injured")]),
    ("أدى ذلك إلى إعدام ملايين من الدجاجات.", "ar", []),
    ("قتل عشرات من المدنيين.", "ar", [(None, "civilians", "killed")]),
    ("Published September 24 2016 Ninety-two civilians were killed.", "en", [(92, "civilians", "killed")]),
    ("09-02-2016 Eight Civilians Killed 14 Injured in Damascus.", "en", [(8, "civilians", "killed"), (14, None, "injured")]),
    ("40 Civilians 25 YPG Fighters Killed 110 Injured", "en", [(25, "fighters", "killed"), (110, None, "injured")]),
])
def test_of_complements_dates_and_headlines(sentence, lang, expected):
    assert [(r["number"], r["victim"], r["outcome"]) for r in rows(sentence, lang)] == expected


def test_arabic_dual_noun_is_two():
    r = one("وأصيب طفلين في القصف.", "ar")
    assert (r["number"], r["victim"], r["outcome"]) == (2, "children", "injured")


@pytest.mark.parametrize("sentence,lang", [
    ("The coalition carried out 34,502 strikes since 2014.", "en"),
    ("Amnesty interviewed 112 civilian residents of Raqqa.", "en"),
    ("The killing took place 24 hours after the attack.", "en"),
    ("نفذ التحالف 34502 غارة منذ 2014.", "ar"),
    ("The group saved the lives of more than 100 people.", "en"),
])
def test_not_claims(sentence, lang):
    assert rows(sentence, lang) == []


# --- attribution ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,lang,cls,text", [
    ("The coalition said in a statement that its strikes killed at least 1,139 civilians.", "en",
     "military", "The coalition said in a statement"),
    ("قال التحالف الدولي في بيان إن غاراته قتلت 1139 مدنيا.", "ar", "military", "قال التحالف الدولي في بيان"),
    ("At least 412 people have been killed, according to the Syrian Observatory for Human Rights.", "en",
     "ngo", "according to the Syrian Observatory for Human Rights"),
    ("قال المرصد السوري إن 412 شخصا قتلوا.", "ar", "ngo", "قال المرصد السوري"),
    ("Six people were killed, the Interior Ministry said.", "en", "government", "the Interior Ministry said"),
    ("قتل ستة أشخاص بحسب وزارة الداخلية.", "ar", "government", "بحسب وزارة الداخلية"),
    ("SANA reported that 20 people were killed.", "en", "state_media", "SANA reported"),
    ("ذكرت سانا أن 20 شخصا قتلوا.", "ar", "state_media", "ذكرت سانا"),
    ("The UN said 30 civilians were killed.", "en", "un", "The UN said"),
    ("قالت الأمم المتحدة إن 30 مدنيا قتلوا.", "ar", "un", "قالت الأمم المتحدة"),
    ("Seven civilians were killed, medical sources said.", "en", "medical_local", "medical sources said"),
    ("قتل سبعة مدنيين وفقا لمصادر طبية.", "ar", "medical_local", "وفقا لمصادر طبية"),
    ("Reuters reported that 9 rebels were killed.", "en", "media", "Reuters reported"),
    ("ذكرت رويترز أن 9 مسلحين قتلوا.", "ar", "media", "ذكرت رويترز"),
    ("Fifteen people were killed on Sunday.", "en", "unattributed", None),
    ("قتل 15 شخصا يوم الأحد.", "ar", "unattributed", None),
    ("Twenty people were killed, a spokesperson for the clinic said.", "en", "medical_local",
     "clinic said"),
])
def test_attribution_classes(sentence, lang, cls, text):
    r = one(sentence, lang)
    assert r["attribution_class"] == cls
    if text is None:
        assert r["attribution_text"] is None and r["attribution_scope"] == "none"
    else:
        assert r["attribution_text"].endswith(text) or r["attribution_text"] == text


def test_attribution_from_neighbour_sentences():
    r = one("Twenty people were killed in Idlib.", next="The Syrian Observatory said the toll may rise.")
    assert (r["attribution_class"], r["attribution_scope"]) == ("ngo", "next")
    # the previous sentence lends its source only when it restates the figure
    r = one("Twenty people were killed in Idlib.", prev="A police source told SANA that 20 people died in Idlib.")
    assert (r["attribution_class"], r["attribution_scope"]) == ("government", "previous")
    r = one("Twenty people were killed in Idlib.", prev="SANA quoted a police source.")
    assert r["attribution_scope"] == "none"
    # a neighbour reporting another figure keeps its source to itself
    r = one("Two civilians were injured in Ramouseh.", next="Local sources said three civilians were injured.")
    assert r["attribution_scope"] == "none"
    r = one("Two civilians were injured in Ramouseh.", next="Local sources said 2 civilians were injured there.")
    assert (r["attribution_class"], r["attribution_scope"]) == ("local_sources", "next")
    r = one("قتل 20 شخصا في إدلب.", "ar", next="قال المرصد السوري إن الحصيلة قد ترتفع.")
    assert (r["attribution_class"], r["attribution_scope"]) == ("ngo", "next")


def test_pronoun_speaker_takes_the_previous_source():
    r = one("It said 20 civilians were killed.", prev="The Syrian Observatory issued a report, the monitor said.")
    assert (r["attribution_class"], r["attribution_scope"]) == ("ngo", "pronoun")


def test_unknown_source_is_other_and_passive_report_is_no_source():
    r = one("Some news sites reported that 20 people were killed.")
    assert r["attribution_class"] in ("media", "other")
    r = one("Twenty people were reported killed.")
    assert r["attribution_class"] == "unattributed"
    r = one("The coalition added a new crime by killing 78 civilians.")
    assert r["attribution_class"] == "unattributed"  # "added a new crime" is not speech


def test_quoted_source_beats_the_quoting_one():
    r = one("SANA quoted a military source as saying 11 terrorists were killed.")
    assert r["attribution_class"] == "military"


# --- places ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,lang,place", [
    ("Six civilians were killed in Raqqa.", "en", "Raqqa"),
    ("Airstrikes killed 7 civilians in al-Mayadin city.", "en", "al-Mayadin"),
    ("The raid killed 62 civilians in the towns of Sousseh and Bu Badran.", "en", "Sousseh"),
    ("Six civilians were killed in the eastern countryside of Hama.", "en", "Hama"),
    ("Twenty people were killed near the city of Deir al-Zor.", "en", "Deir al-Zor"),
    ("Six civilians were killed on Saturday.", "en", None),
    ("قتل ستة مدنيين في الرقة.", "ar", "الرقة"),
    ("قتل 25 شخصا في بلدة الميادين.", "ar", "الميادين"),
    ("قتل 45 شخصا في دير الزور.", "ar", "دير الزور"),
    ("قتل 20 مدنيا في غارة للتحالف على مدينة الرقة.", "ar", "الرقة"),
])
def test_places(sentence, lang, place):
    assert one(sentence, lang)["place"] == place


# --- corpora ---------------------------------------------------------------------------------------

def test_seed_articles(seeds_corpus):
    table = claims(seeds_corpus)
    assert list(table.columns) == CLAIM_COLUMNS
    s0 = table[table["doc_id"].str.contains("000_")]
    row = s0[s0["number"] == 1139].iloc[0]
    assert (row["qualifier"], row["victim"], row["outcome"], row["attribution_class"]) == \
        ("at least", "civilians", "killed", "military")
    assert "in a statement" in row["attribution_text"]
    assert 1140 in set(s0["number"].dropna())  # the headline
    s4 = table[table["doc_id"].str.contains("004_")]
    body = s4[(s4["number"] == 1300) & (s4["role"] == "body")]
    assert len(body) == 2 and set(body["qualifier"]) == {"more than"} and set(body["attribution_class"]) == {"military"}
    assert set(s4["number"].dropna()) >= {1300, 1100, 13000, 1600}
    s3 = table[table["doc_id"].str.contains("003_")]
    assert set(s3["number"].dropna()) == {62, 30}
    # no claim from the chrome of seed 003 nor from "112 civilian residents" (seed 002)
    assert 112 not in set(table["number"].dropna())


def test_claims_deterministic_and_typed(seeds_corpus):
    a, b = claims(seeds_corpus), claims(seeds_corpus)
    pd.testing.assert_frame_equal(a, b)
    assert str(a["number"].dtype) == "Int64"


# --- comparison ------------------------------------------------------------------------------------

def _claims_table():
    base = {c: None for c in CLAIM_COLUMNS}
    data = [
        {**base, "doc_id": "a", "place": "Raqqa", "outcome": "killed", "number": 40, "number_min": 40, "number_max": 40, "qualifier": "exact", "attribution_class": "ngo"},
        {**base, "doc_id": "a", "place": "raqqa", "outcome": "killed", "number": 60, "number_min": 60, "number_max": None, "qualifier": "at least", "attribution_class": "ngo"},
        {**base, "doc_id": "b", "place": "Raqqa", "outcome": "killed", "number": None, "number_min": 20, "number_max": 30, "qualifier": "range", "attribution_class": "military"},
        {**base, "doc_id": "b", "place": "Raqqa", "outcome": "killed", "number": None, "number_min": None, "number_max": None, "qualifier": "vague", "attribution_class": "military"},
        {**base, "doc_id": "c", "place": None, "outcome": "injured", "number": 5, "number_min": 5, "number_max": 5, "qualifier": "exact", "attribution_class": "unattributed"},
    ]
    t = pd.DataFrame(data)
    for col in ("number", "number_min", "number_max"):
        t[col] = pd.array(t[col].tolist(), dtype="Int64")
    return t


def test_comparison_by_group_and_reference(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "source_type": ["wire", "state_media", "wire"],
                         "date": pd.to_datetime(["2017-08-01", "2017-08-20", "2017-09-01"])})
    ref = tmp_path / "ref.csv"
    ref.write_text("label,number,source,place\nmonitor estimate,100,Airwars,Raqqa\nadmitted total,1139,CJTF-OIR,\n", encoding="utf-8")
    t = claims_comparison(_claims_table(), docs, reference=ref)
    corpus_rows = t[t["kind"] == "corpus"]
    wire = corpus_rows[(corpus_rows["group"] == "wire") & (corpus_rows["reference_label"] == "monitor estimate")].iloc[0]
    # Raqqa + raqqa merged; figures 40 and 60 → median 50
    assert (wire["place"], wire["period"], wire["n_claims"], wire["number_median"], wire["numbers"]) == \
        ("Raqqa", "2017-08", 2, 50.0, "40;60")
    assert wire["ratio_to_reference"] == pytest.approx(0.5)
    state = corpus_rows[(corpus_rows["group"] == "state_media") & (corpus_rows["reference_label"] == "monitor estimate")].iloc[0]
    # a range contributes its bounds; the vague claim is counted apart
    assert (state["n_claims"], state["n_vague"], state["number_min"], state["number_max"], state["number_median"]) == \
        (1, 1, 20, 30, 25.0)
    assert state["attribution"] == "military:2"
    refs = t[t["kind"] == "reference"]
    assert set(refs["group"]) == {"Airwars", "CJTF-OIR"} and set(refs["number_median"]) == {100.0, 1139.0}
    # a reference without a place applies to every corpus row of its outcome
    assert (t["reference_label"] == "admitted total").sum() == 2
    # injured claims are left out by default, kept with outcome=None
    assert "injured" not in set(t["outcome"])
    assert "injured" in set(claims_comparison(_claims_table(), docs, outcome=None, period=None)["outcome"])


def test_bad_reference_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,figure,source\nx,1,y\n", encoding="utf-8")
    with pytest.raises(FramescopeError, match="lacks column"):
        read_reference(bad)
    bad.write_text("label,number,source\nx,many,y\n", encoding="utf-8")
    with pytest.raises(FramescopeError, match="row 2"):
        read_reference(bad)
    with pytest.raises(FramescopeError, match="not found"):
        read_reference(tmp_path / "missing.csv")


def test_user_casualty_lexicon_and_yaml_booleans(tmp_path):
    from framescope.analysis.framing import lexicon as lx
    from framescope.analysis.framing.claims import rules_for

    text = lx.shipped_path(lx.CASUALTIES).read_text(encoding="utf-8")
    user = tmp_path / "cas.yaml"
    user.write_text(text.replace("slain, martyred", "slain, martyred, liquidated"), encoding="utf-8")
    found = find_claims("Twelve fighters were liquidated.", "en", rules=rules_for("en", user))
    assert [(c.as_row()["number"], c.as_row()["outcome"]) for c in found] == [(12, "killed")]
    assert find_claims("Twelve fighters were liquidated.", "en") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('"on"]', "on]"), encoding="utf-8")
    with pytest.raises(FramescopeError, match="quote it"):
        rules_for("en", bad)


# --- issue 20: NGO incident-report patterns (one regression case per error type) ----------------

def _triples(sentence, lang="en", prev=None):
    return [(r["number"], r["number_min"], r["number_max"], r["outcome"], r["victim"]) for r in rows(sentence, lang, prev)]


@pytest.mark.parametrize("sentence,lang,expected", [
    # 1 victim noun far from the verb, across dashes, brackets and prepositional phrases
    ("Five civilians – including a father and his three children – died in the strike.", "en",
     [(5, 5, 5, "killed", "civilians"), (1, 1, 1, "killed", "people"), (3, 3, 3, "killed", "children")]),
    ("26 civilians from one family died in the strike on Hajin.", "en", [(26, 26, 26, "killed", "civilians")]),
    ("At least 14 civilians (six of them children) were killed.", "en",
     [(14, 14, None, "killed", "civilians"), (6, 6, 6, "killed", "children")]),
    ("Nine civilians who had fled the fighting in the old city died in the airstrike.", "en",
     [(9, 9, 9, "killed", "civilians")]),
    # 2 ranges
    ("The strike killed at least seven and as many as 14 civilians.", "en", [(None, 7, 14, "killed", "civilians")]),
    ("Monitors said 230 or even 520 civilians died.", "en", [(None, 230, 520, "killed", "civilians")]),
    ("Residents put the number of dead between 40 and", "en", []),
    # 3 single victims, ages, families, family members
    ("A man was killed when a drone struck his motorcycle.", "en", [(1, 1, 1, "killed", "people")]),
    ("A child died of his wounds.", "en", [(1, 1, 1, "killed", "children")]),
    ("A 60-year-old man was killed in the strike.", "en", [(1, 1, 1, "killed", "people")]),
    ("Six families were trapped under the rubble, and 23 people died.", "en", [(23, 23, 23, "killed", "people")]),
    ("The strike killed six families in the village.", "en", []),
    ("Nine members of the Jassem family were killed.", "en", [(9, 9, 9, "killed", "people")]),
    ("A 45-year-old man was arrested at the checkpoint.", "en", []),
    ("قتل طفل وأصيب ثلاثة مدنيين في القصف.", "ar", [(1, 1, 1, "killed", "children"), (3, 3, 3, "injured", "civilians")]),
    ("استشهد رجل يبلغ من العمر 60 عاما في الغارة.", "ar", [(1, 1, 1, "killed", "people")]),
    ("استشهد الفتى الفلسطيني ليث الخالدي في الغارة.", "ar", []),  # a definite noun names someone
])
def test_issue20_counts(sentence, lang, expected):
    assert _triples(sentence, lang) == expected


def test_subsets_take_the_total_outcome_and_are_marked():
    found = rows("The strikes killed 10 people, including four children, and injured 20 others.")
    assert [(r["number"], r["outcome"], r["subset_of"]) for r in found] == [
        (10, "killed", None), (4, "killed", "10 people"), (20, "injured", None)]
    found = rows("At least 35 civilians were killed, among them 12 women and 9 children, and dozens were wounded.")
    assert [(r["amount_text"], r["outcome"], r["subset_of"] is not None) for r in found] == [
        ("35", "killed", False), ("12", "killed", True), ("9", "killed", True), ("dozens", "injured", False)]
    found = rows("قتل 18 شخصا بينهم ستة أطفال وأصيب 40 آخرون في الغارة.", "ar")
    assert [(r["number"], r["outcome"], r["subset_of"] is not None) for r in found] == [
        (18, "killed", False), (6, "killed", True), (40, "injured", False)]
    # "and 43 others were injured" after a subset is a new group, not part of the total
    found = rows("Four people were killed including 3 children and 43 others were injured.")
    assert [(r["number"], r["outcome"], r["subset_of"] is not None) for r in found] == [
        (4, "killed", False), (3, "killed", True), (43, "injured", False)]


@pytest.mark.parametrize("sentence,lang,prev,cls", [
    # 5 military admissions
    ("The Coalition later conceded that four civilians were killed in the strike.", "en", None, "military"),
    ("CJTF-OIR admitted responsibility for the deaths of 12 civilians in Mosul.", "en", None, "military"),
    ("The Coalition confirmed the deaths of nine civilians in the raid on al-Bab.", "en", None, "military"),
    ("The Coalition estimated that 18 civilians had been killed.", "en", None, "military"),
    ("Its casualty report noted that 3 civilians were unintentionally killed.", "en",
     "The Coalition published its monthly civilian casualty report on Thursday.", "military"),
    ("أقر التحالف بمسؤوليته عن مقتل ثمانية مدنيين في الرقة.", "ar", None, "military"),
    # 6 local media and monitors, names holding casualty words and numbers
    ("Raqqa is Being Slaughtered Silently reported that 14 civilians were killed in the strikes.", "en", None,
     "local_sources"),
    ("According to Deir Ezzor 24, 11 civilians were killed in al-Mayadin.", "en", None, "local_sources"),
    ("The Euphrates Post said six civilians died in the bombardment.", "en", None, "local_sources"),
    ("The Kurdish Red Crescent said four people died of their injuries.", "en", None, "medical_local"),
    ("قالت منظمة اليونيسف إن 21 طفلا قتلوا.", "ar", None, "un"),
    ("بحسب شبكة دير الزور 24 قتل 11 مدنيا في الميادين.", "ar", None, "local_sources"),
    # 7 reporting verbs, quotes
    ("The Observatory placed the death toll at 45.", "en", None, "ngo"),
    ("Airwars published its assessment on Monday, saying at least 12 civilians had died.", "en", None, "ngo"),
    ("The Observatory gave a toll of 31 dead.", "en", None, "ngo"),
    ('"Twelve civilians were killed in the strike," said Fadel Abdul Ghany, head of the Syrian Network for '
     'Human Rights.', "en", None, "ngo"),
    ('"At least 18 civilians died in the raids."', "en",
     "Rami Abdel Rahman, director of the Syrian Observatory for Human Rights, told Reuters:", "ngo"),
    ('"Nine people died in the strike," he said.', "en",
     "Abu Mohammad, a local activist in al-Bukamal, spoke to Airwars by phone.", "local_sources"),
    ("ونشر المرصد السوري لحقوق الإنسان حصيلة جديدة تفيد بمقتل 45 شخصا.", "ar", None, "ngo"),
    # 8 blame is not a source
    ("Local sources blamed the Coalition for the deaths of eight civilians in Hajin.", "en", None, "local_sources"),
    ("Activists said the attack was by Russia and killed 15 civilians.", "en", None, "local_sources"),
    ("Syrian state media blamed the US-led coalition for the deaths of 25 civilians.", "en", None, "state_media"),
    ("اتهمت مصادر محلية التحالف بقتل 8 مدنيين في هجين.", "ar", None, "local_sources"),
    # 9 local sources are not medical
    ("Eight people were killed, according to local sources.", "en", None, "local_sources"),
    ("قالت مصادر محلية إن 6 مدنيين قتلوا في القصف.", "ar", None, "local_sources"),
])
def test_issue20_attribution(sentence, lang, prev, cls):
    found = rows(sentence, lang, prev)
    assert found and {r["attribution_class"] for r in found} == {cls}, found


def test_claim_columns_end_with_subset_of():
    assert CLAIM_COLUMNS[:2] == ["doc_id", "seg"] and CLAIM_COLUMNS[-1] == "subset_of"
    assert {"doc_id", "number", "outcome", "attribution_class"} <= set(CLAIM_COLUMNS)


def test_comparison_leaves_subsets_out():
    t = _claims_table()
    t["subset_of"] = None
    sub = t.iloc[[0]].copy()
    sub["number"] = pd.array([4], dtype="Int64")
    sub["subset_of"] = "40 people"
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "source_type": ["wire", "state_media", "wire"],
                         "date": pd.to_datetime(["2017-08-01", "2017-08-20", "2017-09-01"])})
    with_sub = claims_comparison(pd.concat([t, sub], ignore_index=True), docs, period=None)
    assert with_sub.equals(claims_comparison(t, docs, period=None))


def test_long_sentence_is_read_in_one_pass():
    # 150,000 characters of claims in one sentence: every claim found, places and
    # attribution resolved without comparing each claim with every other one
    unit = "Six civilians were killed in Raqqa and the coalition said 20 people died, according to the Observatory, "
    text = unit * (150_000 // len(unit) + 1)  # just over 150,000 characters
    found = rows(text)
    assert len(found) >= 2 * (150_000 // len(unit))
    assert {r["attribution_class"] for r in found if r["number"] == 20} == {"military"}
    assert {r["attribution_class"] for r in found} <= {"military", "ngo"} and {r["place"] for r in found} == {"Raqqa"}


def test_one_bad_document_becomes_a_warning(seeds_corpus, monkeypatch, tmp_path, capsys):
    import importlib

    from framescope.analysis.framing.claims import WARNING_COLUMNS, claims_warnings

    claims_module = importlib.import_module("framescope.analysis.framing.claims")  # the module, not the function
    from framescope.cli import main

    real = claims_module.find_claims
    bad_doc = sorted(seeds_corpus.documents["doc_id"])[0]
    bad_texts = set(seeds_corpus.segments.loc[seeds_corpus.segments["doc_id"] == bad_doc, "text"])

    def flaky(sentence, *args, **kwargs):
        if any(sentence in t for t in bad_texts):
            raise IndexError("list index out of range")
        return real(sentence, *args, **kwargs)

    monkeypatch.setattr(claims_module, "find_claims", flaky)
    table = claims(seeds_corpus)
    warn = claims_warnings(table)
    assert list(warn.columns) == WARNING_COLUMNS and list(warn["doc_id"]) == [bad_doc]
    assert warn["error"].iloc[0] == "IndexError: list index out of range"
    assert bad_doc not in set(table["doc_id"]) and table["doc_id"].nunique() >= 3
    out = tmp_path / "claims.csv"
    assert main(["claims", str(seeds_corpus.path), "--out", str(out)]) == 0
    assert "1 document(s) skipped" in capsys.readouterr().err
    written = pd.read_csv(tmp_path / "claims.warnings.csv")
    assert list(written["doc_id"]) == [bad_doc]
    assert len(pd.read_csv(out)) == len(table)


def test_ten_attribution_classes_keep_distinct_styles():
    # local_sources made nine credited classes: the ninth must not repeat the first's colour and hatch
    from framescope.analysis.framing.claims import ATTRIBUTION_CLASSES
    from framescope.analysis.plots import style

    credited = [c for c in ATTRIBUTION_CLASSES if c != "unattributed"]
    styles = style.group_styles(credited)
    assert len({(s.colour, s.hatch) for s in styles.values()}) == len(credited) == 9


def test_shared_nouns_appositions_and_clitic_amounts():
    # "30 regime and 39 rebel fighters": both numbers count fighters
    assert [(r["number"], r["victim"], r["outcome"]) for r in
            rows("The Observatory said 30 regime and 39 rebel fighters have been killed.")] == [
        (30, "fighters", "killed"), (39, "fighters", "killed")]
    # an apposition listing the victims is part of the total, not two more claims
    found = rows("Three civilians, a mother and her two sons, were killed when the strike hit their car.")
    assert [(r["number"], r["subset_of"]) for r in found] == [
        (3, None), (1, "Three civilians"), (2, "Three civilians")]
    assert [(r["qualifier"], r["outcome"]) for r in rows("A bomb killed 48 people and left dozens more wounded.")] == [
        ("exact", "killed"), ("vague", "injured")]
    assert [(r["qualifier"], r["outcome"]) for r in rows("سقط نحو 30 قتيلا وعشرات الجرحى في الانفجار.", "ar")] == [
        ("about", "killed"), ("vague", "injured")]


@pytest.mark.parametrize("sentence,expected", [
    ("A 12-year-old boy and a 9-year-old girl were among four civilians killed in the strike.",
     [(1, "killed"), (1, "killed"), (4, "killed")]),
    ("Among the dead in the blast were a woman and a child, the monitoring group said.", [(1, "killed"), (1, "killed")]),
    ("Two children were among the wounded.", [(2, "injured")]),
    ("A woman was among those arrested.", []),
    ("The raid killed 21 civilians, of whom eight were children.", [(21, "killed"), (8, "killed")]),
    # no people noun, or more than the total: no subset and no claim
    ("More than 280000 people have been killed and millions have fled, including around five million who "
     "sought refuge abroad.", [(280000, "killed")]),
    ("The Violations Documentation Center put the number of dead at 27.", [(27, "killed")]),
])
def test_counted_among_a_group_and_number_of_dead(sentence, expected):
    assert [(r["number"], r["outcome"]) for r in rows(sentence)] == expected
