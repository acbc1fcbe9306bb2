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
# # 01 · Corpus overview
#
# What the default corpus holds: documents and tokens per outlet, source type and
# language; the bilingual captions of seed article 000; and every input that did not
# become a document (the rejects). The numbers come from the corpus layer
# (`framescope.corpus.load`) and the token counts from one tokenisation (`framescope.report.open_session`).

# %% tags=["parameters"]
CORPUS = "../out/corpus"      # a built corpus; the default corpus is built here if missing
BUILD_IF_MISSING = True       # build the default corpus (seeds + FA-KES + SaudiNewsNet, ~3 min)
FIGURES = "../figures"        # where figures are written (PDF + PNG)

# %%
from framescope.analysis import plots
from framescope import report
from framescope.corpus.build import reason_class

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
corp = session.corpus
corp  # the summary table: documents by collection, outlet, source type and language

# %% [markdown]
# ## Composition
# `documents` counts every document, `duplicates` those marked as exact or near
# duplicates (kept in the corpus, left out of the statistics), `tokens` the analysed
# tokens (stopwords, punctuation, numbers and one-letter tokens removed).

# %%
composition = report.composition(corp, session.matrix)
composition

# %%
fig = plots.plot_composition(composition)
plots.save(fig, "01_corpus_composition", FIGURES)
fig

# %% [markdown]
# ## Languages and segment roles
# Analyses read title, body and caption segments, never boilerplate.

# %%
corp.segments.groupby(["role", "lang"]).size().unstack(fill_value=0)

# %% [markdown]
# ## The bilingual captions of seed article 000
# Each caption line holds an English caption and its Arabic translation; the corpus layer
# splits it into two caption segments, one per language.

# %%
corp.segments[corp.segments["doc_id"].str.startswith("seeds:000") & (corp.segments["role"] == "caption")]

# %% [markdown]
# ## Rejects
# Every input file or row that did not become a document, by reason.

# %%
corp.rejects["reason"].map(reason_class).value_counts().rename("rejects").to_frame()
