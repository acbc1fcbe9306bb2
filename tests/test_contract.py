"""One contract for every public statistic (issue 15, item 5), as scikit-learn's check_estimator.

Each public statistic runs on one small corpus written here (18 English documents of three
groups over two days; no shared data, a few seconds in all), and its table is held to the
glossary of ``docs/columns.md``:

* every column is in the glossary, with the glossary's dtype;
* every interval ``X_low, X_high`` brackets its estimate ``X`` on every finite row;
* the column contracts promised by issue 15 (keyness, collocates, claims) hold, in order;
* shares lie in [0, 1], counts are never negative.

A column that today deviates from the glossary passes only if the table "Deviations the
contract test allows" of docs/columns.md lists it for that statistic (the lead's to-do list);
an entry that no longer deviates fails, so the list only shrinks.
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import framescope as fs
from framescope.analysis.event_compare import term_measures, within_event_difference
from framescope.analysis.groups import document_sizes, group_sizes
from framescope.analysis.networks import collocation_network, consistent_collocates
from framescope.analysis.robustness import robustness
from framescope.analysis.rigour import keyness_review
from framescope.corpus.paths import PROJECT_ROOT
from stats_corpora import make_corpus

COLUMNS_MD = PROJECT_ROOT / "docs" / "columns.md"

PROMISED = {
    "keyness": ["term", "freq_target", "freq_reference", "size_target", "size_reference", "g2", "log_ratio",
                "logodds_z", "docs_target", "docs_reference"],
    "collocates": ["group", "collocate", "o11", "f_node", "f_collocate", "n", "expected", "logdice", "pmi",
                   "t_score"],
    "claims": ["doc_id", "number", "outcome", "attribution_class"],
}

SENTENCES = [
    "Terrorists shelled Aleppo on Monday, killing 12 civilians, SANA said. The Syrian army responded to the terrorists.",
    "At least 30 people were killed in an air strike on Aleppo, the Syrian Observatory for Human Rights said. "
    "Rebels accused the regime.",
    "The so-called rebels fired rockets at Aleppo. Five civilians were killed by mortar shells, state media reported.",
    "Government forces killed 20 fighters near Aleppo, according to activists. The opposition said the regime "
    "bombed a hospital.",
    "Russian air strikes killed 15 civilians in Aleppo, the monitor said. The coalition denied the claims.",
    "Terrorists attacked a checkpoint in Aleppo, the ministry said. Three soldiers were killed in the attack.",
]
GROUPS = [("state_media", "pro_damascus", "sana"), ("wire", "neutral", "reuters"), ("ngo", "anti_damascus", "sohr")]


def small_corpus():
    """18 documents: three groups (source_type, alignment, outlet), two days, one place."""
    rows, meta = [], {}
    for k in range(18):
        source_type, alignment, outlet = GROUPS[k % 3]
        doc = f"d{k:02d}"
        rows.append((doc, "title", "en", SENTENCES[k % 6].split(".")[0]))
        rows.append((doc, "body", "en", " ".join(SENTENCES[(k + j) % 6] for j in range(3))))
        meta[doc] = {"source_type": source_type, "alignment": alignment, "outlet": outlet,
                     "title": SENTENCES[k % 6].split(".")[0],
                     "date": pd.Timestamp("2016-03-01") + pd.Timedelta(days=k % 2)}
    corpus = make_corpus(rows, meta)
    corpus.documents["date"] = pd.to_datetime(corpus.documents["date"])
    return corpus


def parse_glossary() -> dict[str, str]:
    """column → dtype, from every ``| `a`, `b` | meaning | dtype |`` row of docs/columns.md's Columns section."""
    text = COLUMNS_MD.read_text(encoding="utf-8")
    section = text[text.index("## Columns"):text.index("## Options")]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for name in re.findall(r"`([^`]+)`", cells[0]):
                assert name not in out, f"docs/columns.md lists {name} twice"
                out[name] = cells[2]
    return out


def parse_deviations() -> dict[str, dict[str, str]]:
    """statistic → {column today: what the glossary wants}, from the deviations table."""
    text = COLUMNS_MD.read_text(encoding="utf-8")
    section = text[text.index("## Deviations the contract test allows"):]
    out: dict[str, dict[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            stat = cells[0].strip("`")
            wanted = re.findall(r"`([^`]+)`", cells[2])
            out.setdefault(stat, {})[cells[1].strip("`")] = wanted[0] if wanted else cells[2]
    return out


GLOSSARY = parse_glossary()
DEVIATIONS = parse_deviations()

DTYPE_CHECKS = {
    "string": lambda s: pd.api.types.is_string_dtype(s) or (s.dtype == object and s.dropna().map(
        lambda v: isinstance(v, str)).all()),
    "int": lambda s: pd.api.types.is_integer_dtype(s) and not s.isna().any(),
    "Int64": pd.api.types.is_integer_dtype,
    "float": pd.api.types.is_float_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "boolean": pd.api.types.is_bool_dtype,
    "datetime": pd.api.types.is_datetime64_any_dtype,
    "object": lambda s: True,
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every public statistic's table on the small corpus (``fs.*`` names, or module.function)."""
    c = small_corpus()
    en = "source_type == 'state_media'", "source_type == 'wire'"
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # small groups: every table says so in small_group
        out["freq"] = fs.freq(c, by="source_type", min_freq=1)
        out["dfm"] = fs.dfm(c).to_frame()
        out["kwic"] = pd.DataFrame(fs.kwic(c, "terrorists", by="source_type"))
        out["keyness"] = fs.keyness(c, *en, min_freq=1, n_boot=50)
        out["keyness_groups"] = fs.keyness_groups(c, by="source_type", min_freq=1, n_boot=50)
        out["keyness_review"] = keyness_review(c, *en, min_freq=1, n_boot=20, n_perm=50)
        out["collocates"] = fs.collocates(c, "civilians", by="source_type", min_freq=1)
        out["bigram_collocations"] = fs.bigram_collocations(c, by="source_type", min_freq=1)
        out["ngrams"] = fs.ngrams(c, n=2, by="source_type", min_freq=1)
        out["consistent_collocates"] = consistent_collocates(c, "civilians", by="outlet", threshold=0, min_freq=1)
        out["collocation_network"] = collocation_network(c, "civilians", depth=2, top=3, min_freq=1)
        out["robustness"] = robustness(c, *en, lang="en", top=5, min_freq=1, choices=["stem", "stopwords"])
        claims = fs.claims(c)
        out["claims"] = claims
        out["claims_comparison"] = fs.claims_comparison(claims, c.documents)
        out["actors"] = fs.actors(c, by="source_type", n_boot=50)
        out["markers"] = fs.markers(c, by="source_type", n_boot=50)
        out["agency"] = fs.agency(c, by="source_type", n_boot=50)
        result = fs.events(c, claims=claims)
        out["events.events"] = result.events
        out["events.assignments"] = result.assignments
        measures = term_measures(c, ["terrorists", "civilians"])
        out["within_event_difference"] = within_event_difference(measures, result.assignments, n_boot=50)
        labels = fs.document_groups(c, by="source_type")
        out["group_sizes"] = group_sizes(labels, document_sizes(c))  # n_tokens: int (Int64 only without tokens)
        theta = np.random.default_rng(0).dirichlet(np.ones(3), size=len(labels))
        prevalence = fs.topic_prevalence(theta, labels.to_numpy(), n_boot=50)
        out["topic_prevalence.prevalence"] = prevalence.prevalence
        out["topic_prevalence.differences"] = prevalence.differences
        out["prevalence_effects"] = fs.prevalence_effects(theta, pd.DataFrame({"group": labels.to_numpy()}))
    return out


STATISTICS = ["freq", "dfm", "kwic", "keyness", "keyness_groups", "keyness_review", "collocates",
              "bigram_collocations", "ngrams", "consistent_collocates", "collocation_network", "robustness", "claims", "claims_comparison", "actors", "markers", "agency",
              "events.events", "events.assignments", "within_event_difference", "group_sizes",
              "topic_prevalence.prevalence", "topic_prevalence.differences", "prevalence_effects"]


def glossary_problems(stat: str, table: pd.DataFrame) -> list[str]:
    """Columns not in the glossary, or of another dtype, that the deviations table does not allow."""
    allowed = DEVIATIONS.get(stat, {})
    found = []
    for col in table.columns:
        if col in allowed:
            continue
        if col not in GLOSSARY:
            found.append(f"{stat}: column {col!r} is not in docs/columns.md")
        elif not DTYPE_CHECKS[GLOSSARY[col]](table[col]):
            if f"{col}:dtype" not in allowed:
                found.append(f"{stat}: column {col!r} is {table[col].dtype}, the glossary says {GLOSSARY[col]}")
    return found


def intervals(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(estimate, low, high) for every ``X_low``/``X_high`` pair whose estimate ``X`` is a column."""
    return [(col[:-4], col, col[:-4] + "_high") for col in table.columns
            if col.endswith("_low") and col[:-4] in table and col[:-4] + "_high" in table]


def test_glossary_parses():
    assert {"doc_id", "freq", "per_million", "log_ratio_low", "o11", "logdice"} <= set(GLOSSARY)
    assert set(GLOSSARY.values()) <= set(DTYPE_CHECKS), set(GLOSSARY.values()) - set(DTYPE_CHECKS)
    assert set(DEVIATIONS) <= set(STATISTICS), set(DEVIATIONS) - set(STATISTICS)


@pytest.mark.parametrize("stat", STATISTICS)
def test_columns_and_dtypes_follow_the_glossary(tables, stat):
    table = tables[stat]
    assert len(table), f"{stat} gave an empty table on the small corpus: the contract checks nothing"
    found = glossary_problems(stat, table)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("stat", STATISTICS)
def test_every_allowed_deviation_is_still_there(tables, stat):
    """A deviation that has been fixed leaves docs/columns.md's list (so the list only shrinks)."""
    table = tables[stat]
    for col, wanted in DEVIATIONS.get(stat, {}).items():
        name, _, kind = col.partition(":")
        if kind == "dtype":
            assert name in table and not DTYPE_CHECKS[GLOSSARY[name]](table[name]), \
                f"{stat}: {name} now has the glossary's dtype; remove its deviation from docs/columns.md"
        else:
            assert col in table, f"{stat}: {col} is gone ({wanted}?); remove its deviation from docs/columns.md"


@pytest.mark.parametrize("stat", STATISTICS)
def test_intervals_bracket_their_estimate(tables, stat):
    # a deviating name is checked under its glossary name (the DEVIATIONS table of docs/columns.md)
    table = tables[stat].rename(columns={today: wanted for today, wanted in DEVIATIONS.get(stat, {}).items()
                                         if ":" not in today})
    for est, low, high in intervals(table):
        x, lo, hi = (pd.to_numeric(table[c], errors="coerce").to_numpy(dtype=float) for c in (est, low, high))
        finite = np.isfinite(x) & np.isfinite(lo) & np.isfinite(hi)
        bad = finite & ~((lo <= x + 1e-9) & (x <= hi + 1e-9))
        assert not bad.any(), f"{stat}: {low} <= {est} <= {high} fails on {int(bad.sum())} rows:\n" \
                              f"{table.loc[bad, [est, low, high]].head()}"


def test_intervals_are_found(tables):
    """The interval check is not vacuous: the bootstrap tables have their intervals."""
    assert ("log_ratio", "log_ratio_low", "log_ratio_high") in intervals(tables["keyness"])
    assert ("share", "share_low", "share_high") in intervals(tables["agency"])
    assert ("doc_share", "doc_share_low", "doc_share_high") in intervals(tables["actors"])
    assert any(est == "mean" for est, _, _ in intervals(tables["topic_prevalence.prevalence"].rename(
        columns={})))


@pytest.mark.parametrize("stat", list(PROMISED))
def test_promised_column_contracts(tables, stat):
    table = tables[stat]
    cols = [c for c in table.columns if c in PROMISED[stat]]
    assert cols == PROMISED[stat], f"{stat}: promised {PROMISED[stat]}, has {list(table.columns)}"


@pytest.mark.parametrize("stat", STATISTICS)
def test_shares_in_unit_interval_and_counts_non_negative(tables, stat):
    table = tables[stat]
    for col in table.columns:
        kind = GLOSSARY.get(col)
        values = pd.to_numeric(table[col], errors="coerce") if kind in ("int", "Int64", "float") else None
        if values is None:
            continue
        if col in ("share", "doc_share") or col.startswith(("share_", "doc_share_")):
            assert values.dropna().between(0, 1).all(), f"{stat}: {col} outside [0, 1]"
        if kind in ("int", "Int64") and col not in ("topic", "frame", "seed"):
            assert (values.dropna() >= 0).all(), f"{stat}: negative {col}"


def test_a_column_outside_the_glossary_is_caught():
    """The contract can fail: an unknown column and a wrong dtype are reported."""
    table = pd.DataFrame({"term": ["a"], "frequency": [1], "freq": [1.5]})
    found = glossary_problems("freq-probe", table)
    assert any("'frequency' is not in" in f for f in found) and any("'freq' is float64" in f for f in found)
