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
# # 03 · Collocations, dispersion and frequency over time
#
# The company the contested words keep: window collocates (±5 tokens within sentences,
# logDice, Rychlý 2008) of *coalition*, *civilians*, *terrorists* / *ISIS* / *Daesh* by
# source type in FA-KES, and of التحالف، المدنيين، داعش in SaudiNewsNet (state agency vs
# press); where the words occur across each outlet's documents; and their frequency
# over time.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
EN_SUBSET = "collection == 'fakes'"
EN_GROUPS = ["state_media", "state_aligned", "partisan_media", "wire"]
NODES_EN = ["coalition", "civilians", "terrorists", "isis", "daesh"]
AR_SUBSET = "collection == 'saudinewsnet' and lang == 'ar'"
AR_GROUPS = {"state agency (was)": "outlet == 'was'", "press": "outlet != 'was'"}
NODES_AR = ["التحالف", "المدنيين", "داعش"]
SPAN = 5
MIN_FREQ = 3
MIN_FREQ_AR = 2

# %%
import pandas as pd

import corpus
from analysis import plots, report
from analysis.collocations import collocate_profiles
from corpus.commands import ensure_default_corpus

plots.use()
corp = ensure_default_corpus(CORPUS) if BUILD_IF_MISSING else corpus.load(CORPUS)
session = report.Session(corp)
en = session.subset(EN_SUBSET)
enc_en = session.encoded_for(en)

# %% [markdown]
# ## English collocates by source type

# %%
col_en = pd.concat([report.collocates_by(en, enc_en, node, by="source_type", groups=EN_GROUPS, span=SPAN,
                                         min_freq=MIN_FREQ) for node in NODES_EN], ignore_index=True)
col_en.groupby(["node", "group"]).head(3)

# %% [markdown]
# Word-sketch difference of *coalition*: state media against partisan media
# (`diff` = logDice difference; 1 = the collocation is twice as typical).

# %%
collocate_profiles(col_en[col_en["node"] == NODES_EN[0]], groups=("state_media", "partisan_media"), top=15)

# %%
fig = plots.plot_collocates(col_en[col_en["node"].isin(NODES_EN[:3])], n=8, groups=EN_GROUPS)
plots.save(fig, "03_collocates_en", FIGURES)
fig

# %% [markdown]
# ## Arabic collocates: state agency vs press

# %%
ar = report.label_groups(session.subset(AR_SUBSET), AR_GROUPS, column="agency")
enc_ar = session.encoded_for(ar)
col_ar = pd.concat([report.collocates_by(ar, enc_ar, node, by="agency", groups=list(AR_GROUPS), span=SPAN,
                                         min_freq=MIN_FREQ_AR) for node in NODES_AR], ignore_index=True)
col_ar.groupby(["node", "group"]).head(3)

# %%
fig = plots.plot_collocates(col_ar, n=8, groups=list(AR_GROUPS))
plots.save(fig, "03_collocates_ar", FIGURES)
fig

# %% [markdown]
# ## Dispersion: where the words occur in each outlet
# Each outlet's documents in date order, end to end; one tick per occurrence.

# %%
pos_en = report.term_positions(en, enc_en, NODES_EN[:3], by="outlet")
fig = plots.plot_dispersion(pos_en)
plots.save(fig, "03_dispersion_en", FIGURES)
fig

# %%
pos_ar = report.term_positions(ar, enc_ar, [NODES_AR[0], NODES_AR[2]], by="outlet")
fig = plots.plot_dispersion(pos_ar)
plots.save(fig, "03_dispersion_ar", FIGURES)
fig

# %% [markdown]
# ## Frequency over time

# %%
tl_en = report.term_timeline(en, session.matrix, NODES_EN[:3], by="source_type", period="year")
fig = plots.plot_frequency_over_time(tl_en, groups=EN_GROUPS, min_size=1000)
plots.save(fig, "03_timeline_en", FIGURES)
fig

# %%
outlets = ar.documents[ar.documents["outlet"] != "was"]["outlet"].value_counts().head(3).index.tolist() + ["was"]
tl_ar = report.term_timeline(ar, session.matrix, [NODES_AR[0], NODES_AR[2]], by="outlet", period="day")
fig = plots.plot_frequency_over_time(tl_ar[tl_ar["group"].isin(outlets)], groups=outlets, min_size=500)
plots.save(fig, "03_timeline_ar", FIGURES)
fig
