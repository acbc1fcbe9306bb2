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
# # 06 · Framing: casualty claims, actor labels, distancing and agency
#
# How each group of sources counts the dead and whom it credits, which names it gives
# the same actors, how it distances itself from them, and whether its sentences name
# the killer (`framescope.analysis.framing`). Every count can be traced to its KWIC lines.
#
# **Design**: FA-KES by the outlet's stance toward Damascus crossed with its ownership
# (registry columns `alignment` and `source_type`): pro-Damascus state media vs pro-Damascus
# partisan media (Al-Manar) vs anti-Damascus media vs Reuters wire copy (`EN_DESIGN` below,
# labelled by `framescope.analysis.groups`: duplicates left out, the same N in every table). Each table
# carries `group_docs`, `group_tokens` and `small_group` (under 30 documents or 10,000 words).

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
SUBSET = "collection == 'fakes'"
EN_DESIGN = {  # stance toward Damascus crossed with ownership (registry columns); duplicates left out
    "pro-Damascus state media": "alignment == 'pro_damascus' and source_type == 'state_media'",
    "pro-Damascus partisan": "alignment == 'pro_damascus' and source_type == 'partisan_media'",
    "anti-Damascus media": "alignment == 'anti_damascus'",
    "wire": "source_type == 'wire'"}
ACTORS = {"isis": "ISIS", "nusra": "Nusra Front / HTS", "unresolved": "'terrorists', referent unresolved",
          "us_coalition": "US-led coalition", "saa": "Syrian army", "sdf": "SDF / YPG"}  # lexicon key: title
N_BOOT = 500
SEED = 0

# %%
from framescope.analysis import framing, plots
import framescope as fs
from framescope import report
from framescope.analysis.groups import document_groups, group_sizes, with_group_column
from framescope.analysis.framing.groupstats import document_sizes

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
DESIGN = "design"  # the document column of the groups
en = with_group_column(session.subset(SUBSET), DESIGN, groups=EN_DESIGN)
GROUPS = list(EN_DESIGN)
group_sizes(document_groups(en, DESIGN), document_sizes(en))

# %% [markdown]
# ## Casualty claims and their attribution

# %%
claims = fs.claims(en)
claims[["doc_id", "claim_text", "number", "qualifier", "victim", "outcome", "place", "attribution_class",
        "attribution_text"]].head(10)

# %%
by_attribution = report.claims_by_attribution(claims, en, DESIGN, n_boot=N_BOOT, seed=SEED)
by_attribution[by_attribution["group"].isin(GROUPS)].pivot(index="attribution_class", columns="group", values="share")

# %%
from framescope.analysis.framing.groupstats import document_sizes
from framescope.analysis.groups import document_groups, group_sizes

sizes = group_sizes(document_groups(en, DESIGN, groups=GROUPS), document_sizes(en))  # documents, tokens, small
fig = plots.plot_claims_attribution(by_attribution[by_attribution["group"].isin(GROUPS)], groups=GROUPS,
                                    n={r.group: (r.n_docs, r.n_tokens, r.small_group) for r in sizes.itertuples()})
plots.save(fig, "06_claims_attribution_en", FIGURES)
fig

# %% [markdown]
# The figures each group cites for the same place and month:

# %%
framing.claims_comparison(claims, en, by=DESIGN).sort_values("n_claims", ascending=False).head(10)

# %% [markdown]
# ## Actor labels

# %%
mentions = framing.actor_mentions(en, by=DESIGN)
actors = fs.actors(en, by=DESIGN, groups=GROUPS, n_boot=N_BOOT, seed=SEED, mentions=mentions)
fig = plots.plot_actor_labels(actors, groups=GROUPS, actors=list(ACTORS), titles=ACTORS, max_cols=2)
plots.save(fig, "06_actor_labels_en", FIGURES)
fig

# %% [markdown]
# "terrorists" names no actor by itself: each occurrence takes the referent of a group named
# in the sentence or the one before (`resolution`, `referent_cue`), else stays `unresolved`.
# How the generic labels resolve, and the lines behind one count:

# %%
generic = mentions[mentions["label"] == "terrorists"]
print(generic.groupby(["actor", "resolution"]).size().unstack(fill_value=0))
framing.actor_kwic(mentions, group=GROUPS[0], actor="isis", label="terrorists")[
    ["outlet", "left", "keyword", "right", "resolution", "referent_cue"]].head(8)

# %% [markdown]
# ## Distancing, delegitimising, hedging and boosting

# %%
markers = fs.markers(en, by=DESIGN, groups=GROUPS, n_boot=N_BOOT, seed=SEED)
fig = plots.plot_markers(markers, summary=True, groups=GROUPS, width="single")
plots.save(fig, "06_markers_en", FIGURES)
fig

# %% [markdown]
# ## Who kills in the grammar

# %%
agency = fs.agency(en, by=DESIGN, groups=GROUPS, n_boot=N_BOOT, seed=SEED)
fig = plots.plot_agency(agency[agency["group"].isin(GROUPS)], groups=GROUPS)
plots.save(fig, "06_agency_en", FIGURES)
fig
