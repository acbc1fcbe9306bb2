# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Framing: casualty claims, actor labels, distancing and agency
#
# How each group of sources counts the dead and whom it credits, which names it gives
# the same actors, how it distances itself from them, and whether its sentences name
# the killer (`analysis.framing`). English: FA-KES and the seed articles by source type.
# Every count can be traced to its KWIC lines.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
SUBSET = "collection == 'fakes' or collection == 'seeds'"
GROUPS = ["state_media", "state_aligned", "partisan_media", "wire"]
ACTORS = ["isis", "us_coalition", "saa", "sdf"]
N_BOOT = 500
SEED = 0

# %%
import corpus
from analysis import framing, plots, report
from corpus.commands import ensure_default_corpus

plots.use()
corp = ensure_default_corpus(CORPUS) if BUILD_IF_MISSING else corpus.load(CORPUS)
en = corp.subset(SUBSET)

# %% [markdown]
# ## Casualty claims and their attribution

# %%
claims = framing.claims(en)
claims[["doc_id", "claim_text", "number", "qualifier", "victim", "outcome", "place", "attribution_class",
        "attribution_text"]].head(10)

# %%
by_attribution = report.claims_by_attribution(claims, en, "source_type", n_boot=N_BOOT, seed=SEED)
by_attribution[by_attribution["group"].isin(GROUPS)].pivot(index="attribution_class", columns="group", values="share")

# %%
fig = plots.plot_claims_attribution(by_attribution[by_attribution["group"].isin(GROUPS)], groups=GROUPS)
plots.save(fig, "06_claims_attribution_en", FIGURES)
fig

# %% [markdown]
# The figures each source type cites for the same place and month:

# %%
framing.claims_comparison(claims, en, by="source_type").sort_values("n_claims", ascending=False).head(10)

# %% [markdown]
# ## Actor labels

# %%
mentions = framing.actor_mentions(en, by="source_type")
actors = framing.actors(en, n_boot=N_BOOT, seed=SEED, mentions=mentions)
fig = plots.plot_actor_labels(actors, groups=GROUPS, actors=ACTORS)
plots.save(fig, "06_actor_labels_en", FIGURES)
fig

# %% [markdown]
# The lines behind one count: ISIS called "terrorists" in state media.

# %%
framing.actor_kwic(mentions, group="state_media", actor="isis", label="terrorists").head(8)

# %% [markdown]
# ## Distancing, delegitimising, hedging and boosting

# %%
markers = framing.markers(en, n_boot=N_BOOT, seed=SEED)
fig = plots.plot_markers(markers, summary=True, groups=GROUPS, width="single")
plots.save(fig, "06_markers_en", FIGURES)
fig

# %% [markdown]
# ## Who kills in the grammar

# %%
agency = framing.agency(en, n_boot=N_BOOT, seed=SEED)
fig = plots.plot_agency(agency[agency["group"].isin(GROUPS)], groups=GROUPS)
plots.save(fig, "06_agency_en", FIGURES)
fig
