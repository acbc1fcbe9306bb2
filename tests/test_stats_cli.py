"""The statistics subcommands on the built FA-KES corpus (skipped without the shared data)."""
import json

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from framescope.analysis.collocations import SORT_DECIMALS, bigram_collocations
from framescope.analysis.keyness import KEYNESS_COLUMNS, KEYNESS_SIZE_COLUMNS, g2
from framescope.analysis.tokens import tokens
from framescope.cli import main

STATE = "source_type == 'state_media'"
WIRE = "source_type == 'wire'"


def test_keyness_state_media_vs_wire(fakes_corpus, tmp_path):
    out = tmp_path / "key.csv"
    assert main(["keyness", str(fakes_corpus.path), "--target", STATE, "--reference", WIRE, "--lang", "en",
                 "--n-boot", "200", "--seed", "3", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert list(table.columns) == KEYNESS_COLUMNS + KEYNESS_SIZE_COLUMNS
    assert len(table) > 500 and (table["freq_target"] + table["freq_reference"] >= 5).all()
    assert table["g2"].is_monotonic_decreasing
    top = table.iloc[0]
    assert top.g2 > 15.13 and top.p_adjusted < 0.01  # p < 0.0001 before adjustment
    # an independent count through the tokens' tidy frame
    toks = tokens(fakes_corpus.subset(STATE), lang="en").to_frame()
    term = top.term
    assert top.freq_target == (toks.token == term).sum()
    assert top.size_target == len(toks)
    assert top.docs_target == toks.loc[toks.token == term, "doc_id"].nunique()
    assert top.g2 == pytest.approx(float(g2(top.freq_target, top.freq_reference, top.size_target,
                                            top.size_reference)))
    assert (table.log_ratio_low <= table.log_ratio_high).all()
    meta = json.loads((tmp_path / "key.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 3 and meta["corpus_id"] == fakes_corpus.corpus_id
    assert meta["token_options"]["stopwords"] is True


def test_collocates_of_coalition_by_source_type(fakes_corpus, tmp_path):
    out = tmp_path / "coll.csv"
    assert main(["collocates", str(fakes_corpus.path), "coalition", "--by", "source_type", "--span", "5",
                 "--lang", "en", "--min-freq", "3", "--compare", "state_media", "wire", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table.group) >= {"state_media", "wire"}
    state = table[table.group == "state_media"].set_index("collocate")
    assert state["logdice"].is_monotonic_decreasing
    assert "u.s.-led" in state.index[:5]  # token layer 2: US-led and U.S.-led are one term
    # brute-force co-occurrence count over the sentences of the state media documents
    sents = tokens(fakes_corpus.subset(STATE), lang="en").sentences()
    count = 0
    for s in sents:
        for i, t in enumerate(s):
            if t == "coalition":
                window = s[max(0, i - 5):i] + s[i + 1:i + 6]
                count += window.count("u.s.-led")
    assert state.loc["u.s.-led", "o11"] == count
    assert (tmp_path / "coll.profiles.csv").is_file()


def test_bigram_ranks_equal_nltk_on_fakes(fakes_corpus):
    toks = tokens(fakes_corpus.subset(WIRE), lang="en")
    ours = bigram_collocations(toks, measure="g2", min_freq=1)
    scored = BigramCollocationFinder.from_documents(list(toks.sentences())).score_ngrams(
        BigramAssocMeasures.likelihood_ratio)
    nltk_order = [ng for ng, s in sorted(scored, key=lambda t: (-float(np.round(t[1], SORT_DECIMALS)), t[0]))]
    assert list(zip(ours.w1, ours.w2)) == nltk_order
    assert np.allclose(ours.g2.to_numpy(), [s for _, s in scored], rtol=1e-9)


def test_kwic_freq_ngrams_commands(fakes_corpus, tmp_path, capsys):
    html = tmp_path / "k.html"
    assert main(["kwic", str(fakes_corpus.path), "US-led coalition", "--by", "source_type", "--window", "6",
                 "--sort", "right", "--out", str(html)]) == 0
    assert "US-led coalition" in html.read_text(encoding="utf-8")
    assert main(["freq", str(fakes_corpus.path), "--top", "5", "--out", str(tmp_path / "f.csv")]) == 0
    freq = pd.read_csv(tmp_path / "f.csv")
    assert freq.groupby(["group", "lang"]).size().max() == 5
    assert main(["ngrams", str(fakes_corpus.path), "--n", "3", "--top", "3", "--out", str(tmp_path / "n.csv")]) == 0
    assert (pd.read_csv(tmp_path / "n.csv").ngram.str.count(" ") == 2).all()


@pytest.mark.parametrize("argv", [
    ["keyness", "{dir}", "--target", "nosuchcolumn == 1", "--out", "{tmp}/x.csv"],
    ["keyness", "{dir}", "--out", "{tmp}/x.csv"],
    ["keyness", "{dir}", "--target", STATE, "--out", "{tmp}/x.txt"],
    ["collocates", "{dir}", "the", "--out", "{tmp}/x.csv"],
    ["kwic", "{dir}", "re:(", "--out", "{tmp}/x.csv"],
    ["freq", "{tmp}/missing"],
])
def test_bad_arguments_end_in_one_line(fakes_corpus, tmp_path, capsys, argv):
    argv = [a.format(dir=fakes_corpus.path, tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("framescope: error:")


def test_statistics_group_by_crossed_columns(seeds_corpus, tmp_path, capsys):
    """--by alignment,source_type crosses two registry columns (issue 17), in every statistic
    that counts by group; a misspelled part gets the closest column."""
    out = tmp_path / "f.csv"
    assert main(["freq", str(seeds_corpus.path), "--by", "alignment,source_type", "--out", str(out)]) == 0
    groups = set(pd.read_csv(out)["group"])
    assert "pro_damascus/state_aligned" in groups and all("/" in g for g in groups)
    assert main(["keyness", str(seeds_corpus.path), "--by", "alignment,source_type", "--n-boot", "0",
                 "--out", str(tmp_path / "k.csv")]) == 0
    assert main(["freq", str(seeds_corpus.path), "--by", "alignment,sourcetype", "--out", str(out)]) == 2
    assert "did you mean 'source_type'" in capsys.readouterr().err


def test_bootstrap_alias_is_gone_only_n_boot(tmp_path, capsys):
    """One option name per concept: ``--n-boot``; the old ``--bootstrap`` alias is an error."""
    from framescope.cli import make_parser

    parser = make_parser()
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["keyness", str(tmp_path), "--by", "outlet", "--bootstrap", "10", "--out", "k.csv"])
    assert exc.value.code == 2
    assert parser.parse_args(["keyness", str(tmp_path), "--by", "outlet", "--n-boot", "10",
                              "--out", "k.csv"]).n_boot == 10
