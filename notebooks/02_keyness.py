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
# # 02 · Keyness
#
# Which words are characteristic of one group of sources against another:
# **state media vs wire copy** in FA-KES (English) and the **Saudi state agency (`was`,
# SPA) vs the press** in SaudiNewsNet (Arabic). Signed log-likelihood G² (Dunning 1993),
# Benjamini–Hochberg-adjusted p-values, and the log ratio (Hardie 2014) with a bootstrap
# CI that resamples documents, so that one verbose article cannot make a keyword
# (`analysis.keyness`). Then the concordance lines behind the strongest keyword.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
EN_SUBSET = "collection == 'fakes'"
EN_TARGET, EN_REFERENCE = "source_type == 'state_media'", "source_type == 'wire'"
AR_SUBSET = "collection == 'saudinewsnet' and lang == 'ar'"
AR_GROUPS = {"state agency (was)": "outlet == 'was'", "press": "outlet != 'was'"}
N_BOOT = 500          # bootstrap replicates, English
N_BOOT_AR = 100       # Arabic: 28,000 documents per replicate
MIN_FREQ_AR = 20
SEED = 0

# %%
import corpus
from analysis import plots, report
from analysis.kwic import kwic
from corpus.commands import ensure_default_corpus

plots.use()
corp = ensure_default_corpus(CORPUS) if BUILD_IF_MISSING else corpus.load(CORPUS)
session = report.Session(corp)

# %% [markdown]
# ## English: state media vs wire (FA-KES)

# %%
en = session.subset(EN_SUBSET)
key_en = report.keyness_between(en, session.matrix, EN_TARGET, EN_REFERENCE, lang="en",
                                target_label="state media", reference_label="wire (Reuters)",
                                n_boot=N_BOOT, seed=SEED)
key_en.head(15)

# %%
key_en.sort_values("g2").head(15)

# %%
fig = plots.plot_keyness(key_en)
plots.save(fig, "02_keyness_en_state_vs_wire", FIGURES)
fig

# %% [markdown]
# The concordance lines behind the strongest state-media keyword:

# %%
top_en = key_en[(key_en["p_adjusted"] < 0.05) & (key_en["g2"] > 0)]["term"].iloc[0]
lines_en = kwic(en, top_en, window=8, by="source_type", sort="right")
print(f"{top_en!r}: {len(lines_en)} lines;", lines_en["group"].value_counts().to_dict())
fig = plots.plot_kwic(lines_en.groupby("group", sort=False).head(4), n=12, label="outlet")
plots.save(fig, f"02_kwic_en_{top_en}", FIGURES)
fig

# %% [markdown]
# ## Arabic: state agency vs press (SaudiNewsNet)
# The groups are named by queries (`report.label_groups`); Arabic terms are normalised
# (alef, alef maqsura, taa marbuta, diacritics) before counting.

# %%
ar = report.label_groups(session.subset(AR_SUBSET), AR_GROUPS, column="agency")
agency, press = list(AR_GROUPS)
key_ar = report.keyness_between(ar, session.matrix, f"agency == '{agency}'", f"agency == '{press}'", lang="ar",
                                target_label=agency, reference_label=press, n_boot=N_BOOT_AR,
                                min_freq=MIN_FREQ_AR, seed=SEED)
key_ar.head(15)

# %%
fig = plots.plot_keyness(key_ar)
plots.save(fig, "02_keyness_ar_agency_vs_press", FIGURES)
fig

# %%
lines_ar = kwic(ar, "التحالف", window=8, by="agency")
print(len(lines_ar), lines_ar["group"].value_counts().to_dict())
fig = plots.plot_kwic(lines_ar.groupby("group", sort=False).head(6), n=12, label="outlet")
plots.save(fig, "02_kwic_ar_coalition", FIGURES)
fig
