"""Consistent collocates and collocation networks (framescope.analysis.networks)."""
from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from framescope.analysis import networks
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError
from tests.stats_corpora import make_corpus

PLAIN = TokenOptions(stopwords=False)


def _outlets():
    rows = [("a1", "body", "en", "coalition strikes hit town"), ("a2", "body", "en", "coalition strikes again"),
            ("b1", "body", "en", "coalition strikes city"), ("c1", "body", "en", "coalition meeting today"),
            ("c2", "body", "en", "strikes were reported")]
    meta = {d: {"outlet": d[0].upper()} for d in ("a1", "a2", "b1", "c1", "c2")}
    return make_corpus(rows, meta)


def test_consistent_collocates_k_of_n():
    table = networks.consistent_collocates(_outlets(), "coalition", by="outlet", k=2, measure="o11",
                                           threshold=1, span=2, min_freq=1, options=PLAIN)
    t = table.set_index("collocate")
    assert t.loc["strikes", "n_reached"] == 2 and t.loc["strikes", "subcorpora"] == "A;B"
    assert t.loc["strikes", "n_subcorpora"] == 3 and bool(t.loc["strikes", "consistent"])
    assert t.loc["hit", "n_reached"] == 1 and not t.loc["hit", "consistent"]
    assert t.loc["meeting", "subcorpora"] == "C"
    # in A: o11 = 2, f_node = 2, f(strikes) = 2 → logDice 14; in B: 2·1/(1+1) → 14; threshold 14 kept
    ld = networks.consistent_collocates(_outlets(), "coalition", by="outlet", k=2, measure="logdice",
                                        threshold=14.0, span=2, min_freq=1, options=PLAIN).set_index("collocate")
    assert ld.loc["strikes", "n_reached"] == 2 and ld.loc["strikes", "measure_mean"] == pytest.approx(14.0)
    # hit in A: o11 = 1, f_node = 2, f(hit) = 1 → 14 + log2(2/3) < 14: not reached
    assert "hit" not in ld.index
    with pytest.raises(FramescopeError):
        networks.consistent_collocates(_outlets(), "coalition", measure="dice")


def test_collocation_network_levels_and_export(tmp_path):
    rows = [("d1", "body", "en", "coalition strikes hit raqqa"), ("d2", "body", "en", "coalition strikes hit aleppo"),
            ("d3", "body", "en", "rebels hit raqqa again")]
    corpus = make_corpus(rows, {d: {} for d in ("d1", "d2", "d3")})
    edges = networks.collocation_network(corpus, "coalition", depth=2, top=2, measure="o11", span=1,
                                         min_freq=1, options=PLAIN)
    # level 1: coalition's only R1/L1 neighbour is strikes (o11 = 2)
    lvl1 = edges[edges["depth"] == 1]
    assert list(zip(lvl1["source"], lvl1["target"], lvl1["o11"])) == [("coalition", "strikes", 2)]
    # level 2: strikes → hit (2) and coalition (already an edge: not repeated)
    lvl2 = edges[edges["depth"] == 2]
    assert list(zip(lvl2["source"], lvl2["target"], lvl2["o11"])) == [("strikes", "hit", 2)]
    assert set(edges["span"]) == {1} and set(edges["measure"]) == {"o11"}
    files = networks.write_network(edges, tmp_path / "net")
    g = nx.read_graphml(files[0])
    assert set(g.nodes) == {"coalition", "strikes", "hit"}
    assert g.nodes["hit"]["depth"] == 2 and g.edges["strikes", "hit"]["o11"] == 2
    assert pd.read_csv(files[1]).shape[0] == 2
    # logDice on an edge: o11 = 2, f(coalition) = 2, f(strikes) = 2 → 14
    ld = networks.collocation_network(corpus, "coalition", depth=1, top=5, span=1, min_freq=1, options=PLAIN)
    assert ld.set_index("target").loc["strikes", "value"] == pytest.approx(14.0)


def test_fakes_consistent_collocates_and_network(fakes_corpus):
    table = networks.consistent_collocates(fakes_corpus, "coalition", by="outlet", k=3, threshold=7.0, lang="en")
    assert len(table) > 0 and (table["n_reached"] <= table["n_subcorpora"]).all()
    assert table["consistent"].any()
    edges = networks.collocation_network(fakes_corpus, "coalition", depth=2, top=5, lang="en")
    assert (edges["depth"] == 1).sum() == 5 and edges["depth"].max() == 2
    print(table.head(10).to_string())
    print(edges.head(12).to_string())


# --- CLI (framescope.commands.rigour) -------------------------------------------------------------

def test_cli_review_network_robustness(tmp_path, capsys):
    from framescope.cli import main
    from tests.test_rigour import _burst_corpus
    corpus = _burst_corpus()
    d = tmp_path / "corpus"
    from framescope.corpus.store import write_corpus
    write_corpus(d, corpus.documents, corpus.segments, [], {"corpus_id": "burst-test"})
    out = tmp_path / "review.csv"
    assert main(["keyness-review", str(d), "--target", "source_type == 'state_media'", "--keep-stopwords",
                 "--min-freq", "1", "--n-boot", "50", "--summary", "1", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert table.loc[table["term"] == "burst", "sig_wilcoxon"].item() in (False, "False")
    assert main(["collocation-network", str(d), "army", "--keep-stopwords", "--min-freq", "1",
                 "--out", str(tmp_path / "net")]) == 0
    assert (tmp_path / "net.graphml").is_file() and (tmp_path / "net.csv").is_file()
    assert main(["robustness", str(d), "--target", "source_type == 'state_media'", "--top", "5",
                 "--min-freq", "1", "--choices", "stopwords,numbers", "--out", str(tmp_path / "r.csv")]) == 0
    assert set(pd.read_csv(tmp_path / "r.csv")["choice"]) == {"stopwords", "numbers"}
    assert main(["keyness-review", str(d)]) == 2
    assert "give --target" in capsys.readouterr().err
