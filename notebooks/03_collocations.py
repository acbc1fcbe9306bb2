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
# # 03 · Collocations, dispersion and frequency over time
#
# The company the contested words keep: window collocates (±5 tokens within sentences,
# logDice, Rychlý 2008) of *coalition*, *civilians*, *terrorists* / *ISIS* / *Daesh* in
# FA-KES and of التحالف، المدنيين، داعش in SaudiNewsNet; where the words occur across each
# outlet's documents; and their frequency over time.
#
# **Design**: FA-KES by stance toward Damascus crossed with ownership (pro-Damascus state
# media, pro-Damascus partisan media, anti-Damascus media, Reuters wire: `EN_DESIGN` below);
# SaudiNewsNet's state agency against the press on the days both cover (`match_dates`).
# Dispersion and timelines describe every outlet over the whole collections.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
EN_SUBSET = "collection == 'fakes'"
EN_DESIGN = {  # stance toward Damascus crossed with ownership (registry columns); duplicates left out
    "pro-Damascus state media": "alignment == 'pro_damascus' and source_type == 'state_media'",
    "pro-Damascus partisan": "alignment == 'pro_damascus' and source_type == 'partisan_media'",
    "anti-Damascus media": "alignment == 'anti_damascus'",
    "wire": "source_type == 'wire'"}
NODES_EN = ["coalition", "civilians", "terrorists", "isis", "daesh"]  # the first three in the figures
AR_SUBSET = "collection == 'saudinewsnet' and lang == 'ar'"
AR_GROUPS = {"state agency (was)": "outlet == 'was'", "press": "outlet != 'was'"}
NODES_AR = ["التحالف", "المدنيين", "داعش"]
SPAN = 5
MIN_FREQ = 3
MIN_FREQ_AR = 2
MIN_O11 = 5  # a figure's rows: collocates whose score rests on >= MIN_O11 co-occurrences in at least one group
MATCH_DATES_AR = True  # compare agency and press on the days both cover

# %%
import pandas as pd

from framescope.analysis import plots
from framescope import report
from framescope.analysis.collocations import collocate_profiles
from framescope.analysis.groups import with_group_column

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
en = with_group_column(session.subset(EN_SUBSET), "design", groups=EN_DESIGN)
enc_en = session.encoded_for(en)
EN_GROUPS = list(EN_DESIGN)
en.documents["design"].value_counts()

# %% [markdown]
# ## English collocates by stance and ownership
# The node's own forms (the node again inside its window, its inflections; Arabic: with
# proclitics) are not collocates (`collocations.node_variants`; listed in
# `attrs['node_variants']`). A figure's rows are chosen among the collocates whose score
# rests on at least `MIN_O11` co-occurrences in at least one group; another group's weaker
# score is drawn faded.

# %%
col_en = pd.concat([report.collocates_by(en, enc_en, node, by="design", groups=EN_GROUPS, span=SPAN,
                                         min_freq=MIN_FREQ) for node in NODES_EN], ignore_index=True)
col_en.groupby(["node", "group"]).head(3)

# %% [markdown]
# Word-sketch difference of *coalition*: pro-Damascus against anti-Damascus media
# (`diff` = logDice difference; 1 = the collocation is twice as typical).

# %%
collocate_profiles(col_en[col_en["node"] == NODES_EN[0]], groups=(EN_GROUPS[0], EN_GROUPS[2]), top=15)

# %%
fig = plots.plot_collocates(col_en[col_en["node"].isin(NODES_EN[:3])], n=8, groups=EN_GROUPS,
                            n_docs=report.group_legend(en, "design", EN_GROUPS), min_count=MIN_O11)
plots.save(fig, "03_collocates_en", FIGURES)
fig

# %% [markdown]
# ## Arabic collocates: state agency vs press, on the days both cover

# %%
ar = with_group_column(session.subset(AR_SUBSET), "agency", groups=AR_GROUPS, match_dates=MATCH_DATES_AR)
print(ar.documents["agency"].value_counts().to_dict(), ar.manifest["groups"]["agency"]["excluded"])
enc_ar = session.encoded_for(ar)
col_ar = pd.concat([report.collocates_by(ar, enc_ar, node, by="agency", groups=list(AR_GROUPS), span=SPAN,
                                         min_freq=MIN_FREQ_AR) for node in NODES_AR], ignore_index=True)
col_ar.groupby(["node", "group"]).head(3)

# %%
fig = plots.plot_collocates(col_ar, n=8, groups=list(AR_GROUPS), n_docs=report.group_legend(ar, "agency"),
                            min_count=MIN_O11)
plots.save(fig, "03_collocates_ar", FIGURES)
fig

# %% [markdown]
# ## Dispersion: where the words occur in each outlet
# Each outlet's documents in date order, end to end; one tick per occurrence (every outlet,
# every date: a description of the collections, not a comparison). Positions, band lengths,
# sizes and rates are all in running words (stopwords kept), the N of every group in every
# figure.

# %%
en_all, ar_all = session.subset(EN_SUBSET), session.subset(AR_SUBSET)
pos_en = report.term_positions(en_all, NODES_EN[:3], by="outlet")
fig = plots.plot_dispersion(pos_en)
plots.save(fig, "03_dispersion_en", FIGURES)
fig

# %%
pos_ar = report.term_positions(ar_all, [NODES_AR[0], NODES_AR[2]], by="outlet")
fig = plots.plot_dispersion(pos_ar)
plots.save(fig, "03_dispersion_ar", FIGURES)
fig

# %% [markdown]
# ## Frequency over time

# %%
tl_en = report.term_timeline(en, session.matrix, NODES_EN[:3], by="design", period="year")
tl_en = tl_en[tl_en["group"].isin(EN_GROUPS)]
fig = plots.plot_frequency_over_time(tl_en, groups=EN_GROUPS, min_size=1000)
plots.save(fig, "03_timeline_en", FIGURES)
fig

# %%
outlets = ar_all.documents[ar_all.documents["outlet"] != "was"]["outlet"].value_counts().head(3).index.tolist() + ["was"]
tl_ar = report.term_timeline(ar_all, session.matrix, [NODES_AR[0], NODES_AR[2]], by="outlet", period="day")
tl_ar = tl_ar[tl_ar["group"].isin(outlets)]
fig = plots.plot_frequency_over_time(tl_ar, groups=outlets, min_size=500)
plots.save(fig, "03_timeline_ar", FIGURES)
fig
