"""framescope claims|actors|markers|agency on the seed corpus; bad inputs end in one line."""
import json

import pandas as pd
import pytest

from framescope.cli import main


def run(*argv):
    return main([str(a) for a in argv])


def test_claims_cli_with_comparison_and_reference(seeds_corpus, tmp_path, capsys):
    ref = tmp_path / "ref.csv"
    ref.write_text("label,number,source\nadmitted total,1139,CJTF-OIR\nmonitor estimate,13000,UK-based monitor\n",
                   encoding="utf-8")
    out, comp = tmp_path / "claims.csv", tmp_path / "comp.csv"
    assert run("claims", seeds_corpus.path, "--out", out, "--comparison", comp, "--reference", ref,
               "--period", "all") == 0
    table = pd.read_csv(out)
    assert {"doc_id", "number", "qualifier", "attribution_class", "attribution_text"} <= set(table.columns)
    assert ((table["number"] == 1139) & (table["attribution_class"] == "military")).any()
    meta = json.loads((tmp_path / "claims.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["rows"] == len(table) and meta["corpus_id"] == seeds_corpus.corpus_id
    c = pd.read_csv(comp)
    assert set(c["kind"]) == {"corpus", "reference"}
    assert set(c.loc[c["kind"] == "reference", "group"]) == {"CJTF-OIR", "UK-based monitor"}
    assert c["ratio_to_reference"].notna().any()


def test_actors_markers_agency_cli(seeds_corpus, tmp_path):
    a, ak = tmp_path / "actors.csv", tmp_path / "actors_kwic.csv"
    assert run("actors", seeds_corpus.path, "--out", a, "--kwic", ak, "--n-boot", 50, "--seed", 5) == 0
    table, lines = pd.read_csv(a), pd.read_csv(ak)
    ill = table[(table["label"] == "illegal coalition")]
    assert ill["count"].sum() == (lines["label"] == "illegal coalition").sum() > 0
    assert set(table["seed"]) == {5}
    m, mk = tmp_path / "markers.csv", tmp_path / "markers_kwic.csv"
    assert run("markers", seeds_corpus.path, "--out", m, "--kwic", mk, "--n-boot", 50) == 0
    mlines = pd.read_csv(mk)
    assert (mlines["category"] == "scare_quotes").sum() >= 3  # seed 001 and 003
    assert {"so-called", "alleged", "illegal", "illegitimate"} <= set(mlines["marker"])
    g, gs = tmp_path / "agency.csv", tmp_path / "agency_sentences.csv"
    assert run("agency", seeds_corpus.path, "--out", g, "--sentences", gs, "--n-boot", 50,
               "--victim", "civilians") == 0
    shares = pd.read_csv(g)
    assert shares.groupby("group")["share"].sum().round(9).eq(1).all()


@pytest.mark.parametrize("argv,message", [
    (["claims", "{c}", "--out", "{t}/x.txt"], "must end in .csv"),
    (["claims", "{c}", "--out", "{t}/x.csv", "--outcome", "dead"], "--outcome must be one of"),
    (["claims", "{c}", "--out", "{t}/x.csv", "--reference", "{t}/none.csv", "--comparison", "{t}/c.csv"],
     "reference file not found"),
    (["claims", "{c}", "--out", "{t}/x.csv", "--reference", "{t}/none.csv"], "needs --comparison"),
    (["actors", "{c}", "--out", "{t}/x.csv", "--lexicon", "{t}/none.csv"], "lexicon file not found"),
    (["actors", "{c}", "--out", "{t}/x.csv", "--ci", "2"], "--ci must be between"),
    (["markers", "{c}", "--out", "{t}/x.csv", "--kwic", "{t}/k.html"], "must end in .csv"),
    (["agency", "{c}", "--out", "{t}/x.csv", "--by", "no_such_column"], "cannot group by"),
    (["agency", "{t}/no_corpus", "--out", "{t}/x.csv"], "no corpus folder"),
    (["claims", "{c}", "--out", "{t}/x.csv", "--query", "source_type =="], "bad query"),
])
def test_bad_inputs_one_line(seeds_corpus, tmp_path, capsys, argv, message):
    argv = [a.format(c=seeds_corpus.path, t=tmp_path) for a in argv]
    assert run(*argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("framescope: error:") and message in err and "\n" not in err


@pytest.fixture
def dated_dir(tmp_path):
    """tests/stats_corpora.py::dated_corpus on disk: the agency on 2 days, the press on 5."""
    from stats_corpora import dated_corpus

    from framescope.corpus.store import write_corpus

    c = dated_corpus()
    return write_corpus(tmp_path / "dated", c.documents, c.segments, [], {"corpus_id": "dated"})


#: (documents, running words) per group, by hand (tests/stats_corpora.py::dated_corpus)
DATED_SIZES = {(): {"okaz": (5, 28), "was": (2, 14)},
               ("--match-dates", "day"): {"okaz": (2, 15), "was": (2, 14)},
               ("--match-dates", "week"): {"okaz": (3, 18), "was": (2, 14)}}


@pytest.mark.parametrize("flag", list(DATED_SIZES))
def test_match_dates_on_the_framing_commands(dated_dir, tmp_path, flag):
    want = DATED_SIZES[flag]
    out, comp = tmp_path / "claims.csv", tmp_path / "comp.csv"
    assert run("claims", dated_dir, "--out", out, "--comparison", comp, "--by", "outlet", "--period", "all",
               *flag) == 0
    c = pd.read_csv(comp)
    assert {(r.group, r.group_docs, r.group_tokens) for r in c.itertuples()} <= \
        {(g, d, t) for g, (d, t) in want.items()}
    # the press's claim from 20 August (p3: five soldiers) is compared only without matching
    assert (5 in set(c.loc[c["group"] == "okaz", "number_median"])) == (flag == ())
    meta = json.loads((tmp_path / "comp.csv.meta.json").read_text(encoding="utf-8"))
    assert {r["group"]: (r["n_docs"], r["n_tokens"]) for r in meta["group_sizes"]} == want
    assert meta["excluded"]["outside_shared_dates"] == {(): 0, "day": 2, "week": 1}[flag[1] if flag else ()]
    for command in ("actors", "agency"):
        path = tmp_path / f"{command}.csv"
        assert run(command, dated_dir, "--out", path, "--by", "outlet", "--n-boot", 10, *flag) == 0
        table = pd.read_csv(path)
        assert {(r.group, r.group_docs, r.group_tokens) for r in table.itertuples()} == \
            {(g, d, t) for g, (d, t) in want.items()}, command
        meta = json.loads((tmp_path / f"{command}.csv.meta.json").read_text(encoding="utf-8"))
        assert meta["match_dates"] == (flag[1] if flag else False)


def test_match_dates_takes_day_or_week_only(dated_dir, tmp_path, capsys):
    with pytest.raises(SystemExit):
        run("actors", dated_dir, "--out", tmp_path / "a.csv", "--match-dates", "fortnight")
    assert "invalid choice" in capsys.readouterr().err


def test_small_groups_are_named_in_one_warning_line(dated_dir, tmp_path, capsys):
    assert run("agency", dated_dir, "--out", tmp_path / "g.csv", "--by", "outlet", "--n-boot", 10,
               "--match-dates", "day") == 0
    err = capsys.readouterr().err
    lines = [l for l in err.splitlines() if "under the floor" in l]
    assert lines == ["framescope: warning: groups under the floor of 30 documents or 10,000 tokens: "
                     "'okaz' (2 documents, 15 tokens), 'was' (2 documents, 14 tokens)"]
    assert "SmallGroupWarning" not in err
