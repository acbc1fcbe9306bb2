# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · The seed articles against the FA-KES outlets
#
# Which outlets' vocabulary are the five seed articles closest to? Each side becomes a
# relative-frequency profile over the shared vocabulary (the most frequent terms of all
# compared documents); closeness is the Jensen–Shannon divergence (and cosine) of the
# profiles. Because a small outlet gives a sparser, noisier profile, each outlet is
# compared through equal-size samples of its documents (`report.vocabulary_similarity`).
# Then the keyness terms that set the seeds apart from their closest outlet.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
SEEDS_QUERY = "collection == 'seeds'"
OUTLETS_QUERY = "collection == 'fakes'"
EN_DESIGN = {  # stance toward Damascus crossed with ownership (registry columns), as in notebooks 02, 03, 06, 07
    "pro-Damascus state media": "alignment == 'pro_damascus' and source_type == 'state_media'",
    "pro-Damascus partisan": "alignment == 'pro_damascus' and source_type == 'partisan_media'",
    "anti-Damascus media": "alignment == 'anti_damascus'",
    "wire": "source_type == 'wire'"}
OTHER = "mixed or neutral stance"  # the outlets of no design group (Al-Ahram, Jordan Times, NNA)
N_TERMS = 1000
N_BOOT = 500
SEED = 0
LEAVE_OUT_SOURCE_NAMES = True  # outlet names and wire credits out of the keyword ranking (kept in attrs)

# %%
from framescope.analysis import plots
from framescope import report
import framescope as fs

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
both = session.subset(f"({SEEDS_QUERY}) or ({OUTLETS_QUERY})")

# %% [markdown]
# Each outlet is coloured by the design group it belongs to (stance toward Damascus crossed
# with ownership), and labelled with its documents and running words, the N of every figure.

# %%
import pandas as pd

from framescope.analysis.groups import document_groups

outlets = session.subset(OUTLETS_QUERY)
design = document_groups(outlets, groups=EN_DESIGN).reindex(outlets.documents["doc_id"]).fillna(OTHER)
design = design.astype(pd.CategoricalDtype([*EN_DESIGN, OTHER])).rename("design")  # the design's order
sim = report.vocabulary_similarity(both, session.matrix, SEEDS_QUERY, by="outlet", lang="en", n_terms=N_TERMS,
                                   per_document=True, n_boot=N_BOOT, seed=SEED, kind=design,
                                   target_label="seed articles")
print("too small to compare:", sim.attrs["too_small"])
sim[sim["target"] == "all"]

# %% [markdown]
# Each seed article on its own (closest three outlets):

# %%
sim[sim["target"] != "all"].groupby("target").head(3)

# %%
fig = plots.plot_similarity(sim, width="double")
plots.save(fig, "05_seeds_similarity", FIGURES)
fig

# %% [markdown]
# ## What sets the seeds apart from their closest outlet

# %%
from framescope.analysis.keyness import source_terms

closest = sim[sim["target"] == "all"]["group"].iloc[0]
# the outlets' own names and wire credits rank as keywords of their texts (attribution, not
# framing): tested, then left out of the ranking and listed in key.attrs["left_out"]
names = source_terms(both.documents["outlet"].unique(), options=session.options) if LEAVE_OUT_SOURCE_NAMES else None
key = fs.keyness(both, SEEDS_QUERY, f"outlet == '{closest}'", lang="en", matrix=session.matrix,
                 target_label="seed articles", reference_label=closest, n_boot=N_BOOT, seed=SEED,
                 min_freq=3, exclude=names)
print("left out of the ranking:", [(r["term"], round(r["g2"])) for r in key.attrs.get("left_out", [])])
key.head(10)

# %%
fig = plots.plot_keyness(key, n=10)
plots.save(fig, f"05_keyness_seeds_vs_{closest}", FIGURES)
fig
