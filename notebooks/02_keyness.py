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
# # 02 · Keyness
#
# Which words are characteristic of one group of sources against another:
# **pro-Damascus state media (SANA, Sputnik, TASS, Al-Alam) vs Reuters wire copy** in FA-KES
# (English; groups by the registry's `alignment` and `source_type`, so that Turkey's TRT is no
# longer pooled with Damascus's allies as "state media") and the **Saudi state agency (`was`,
# SPA) vs the press** in SaudiNewsNet (Arabic), **on the days both cover**: the agency's
# articles fall on two days, the press covers three weeks (`match_dates=True`). Signed log-likelihood G² (Dunning 1993),
# Benjamini–Hochberg-adjusted p-values, and the log ratio (Hardie 2014) with a bootstrap
# CI that resamples documents, so that one verbose article cannot make a keyword
# (`framescope.analysis.keyness`). Then the concordance lines behind the strongest keyword.

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
EN_TARGET, EN_REFERENCE = "pro-Damascus state media", "wire"  # the two groups of EN_DESIGN compared
LEAVE_OUT_SOURCE_NAMES = True  # the outlets' own names and wire credits out of the keyword ranking (kept in attrs)
AR_SUBSET = "collection == 'saudinewsnet' and lang == 'ar'"
AR_GROUPS = {"state agency (was)": "outlet == 'was'", "press": "outlet != 'was'"}
MATCH_DATES_AR = True  # restrict agency and press to the days both cover (or "week", False)
NODE_AR = "التحالف"    # concordance lines of 'the coalition'
N_BOOT = 500          # bootstrap replicates, English
N_BOOT_AR = 100       # Arabic: 28,000 documents per replicate
MIN_FREQ_AR = 20
SEED = 0

# %%
from framescope.analysis import plots
from framescope import report
import framescope as fs
from framescope.analysis.groups import document_groups, group_sizes, with_group_column
from framescope.analysis.framing.groupstats import document_sizes
from framescope.analysis.kwic import kwic

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)

# %% [markdown]
# ## English: pro-Damascus state media vs wire (FA-KES)
# The groups of the design, their sizes (running words) and the floor: a group under 30
# documents or 10,000 words is `small_group` and to be read with care (here the wire).

# %%
en = with_group_column(session.subset(EN_SUBSET), "design", groups=EN_DESIGN)
group_sizes(document_groups(en, "design"), document_sizes(en))

# %% [markdown]
# An outlet's own name ("SANA", "Sputnik") and the wire's credit line ("(Reuters)") are
# frequent in its texts and absent from the others': they would rank among the strongest
# keywords as artefacts of attribution, not framing. `source_terms` lists the tokens by which
# the compared outlets and the wire services name themselves; they are tested like every
# term, then left out of the ranking (`key_en.attrs["left_out"]` keeps their rows, and the
# figure names them).

# %%
from framescope.analysis.keyness import source_terms

names_en = source_terms(en.documents["outlet"].unique(), options=session.options) if LEAVE_OUT_SOURCE_NAMES else None
key_en = fs.keyness(en, f"design == '{EN_TARGET}'", f"design == '{EN_REFERENCE}'", lang="en",
                    matrix=session.matrix, target_label=EN_TARGET, reference_label="wire (Reuters)",
                    n_boot=N_BOOT, seed=SEED, exclude=names_en)
print("left out of the ranking:", [(r["term"], round(r["g2"])) for r in key_en.attrs.get("left_out", [])])
key_en.head(15)

# %%
key_en.sort_values("g2").head(15)

# %%
fig = plots.plot_keyness(key_en)
plots.save(fig, "02_keyness_en_state_vs_wire", FIGURES)
fig

# %% [markdown]
# The concordance lines behind the strongest state-media keyword, three per group drawn at
# random across outlets (`plots.kwic_sample`):

# %%
top_en = key_en[(key_en["p_adjusted"] < 0.05) & (key_en["g2"] > 0)]["term"].iloc[0]
lines_en = kwic(en, top_en, window=8, by="design", sort="right")
print(f"{top_en!r}: {len(lines_en)} lines;", lines_en["group"].value_counts().to_dict())
shown_en = plots.kwic_sample(lines_en[lines_en["group"].isin(EN_DESIGN)], per_group=3, seed=SEED)
fig = plots.plot_kwic(shown_en, n=12, label="outlet", groups=list(EN_DESIGN))
plots.save(fig, f"02_kwic_en_{top_en}", FIGURES)
fig

# %% [markdown]
# ## Arabic: state agency vs press (SaudiNewsNet), matched days
# The groups are named by queries and restricted to the days both cover
# (`framescope.analysis.groups.with_group_column`; the documents left out are counted); Arabic terms
# are normalised (alef, alef maqsura, taa marbuta, diacritics) before counting. No term is left
# out here: the registry's outlet names are Latin, and the SaudiNewsNet papers' own names
# (الرياض, المدينة, الوطن) are also ordinary words (Riyadh, the city, the nation).

# %%
ar = with_group_column(session.subset(AR_SUBSET), "agency", groups=AR_GROUPS, match_dates=MATCH_DATES_AR)
agency, press = list(AR_GROUPS)
print(ar.manifest["groups"]["agency"]["excluded"], ar.manifest["groups"]["agency"].get("shared_periods"))
group_sizes(document_groups(ar, "agency"), document_sizes(ar))
key_ar = fs.keyness(ar, f"agency == '{agency}'", f"agency == '{press}'", lang="ar", matrix=session.matrix,
                    target_label=agency, reference_label=press, n_boot=N_BOOT_AR,
                    min_freq=MIN_FREQ_AR, seed=SEED)
key_ar.head(15)

# %%
fig = plots.plot_keyness(key_ar)
plots.save(fig, "02_keyness_ar_agency_vs_press", FIGURES)
fig

# %%
lines_ar = kwic(ar, NODE_AR, window=8, by="agency")
print(len(lines_ar), lines_ar["group"].value_counts().to_dict())
shown_ar = plots.kwic_sample(lines_ar, per_group=6, seed=SEED)
# each Arabic line is drawn with its English translation, written and reviewed by hand
# (analysis/data/kwic_translations_ar.csv); a line the file lacks is marked "[no reviewed translation]"
fig = plots.plot_kwic(shown_ar, n=12, label="outlet")
plots.save(fig, "02_kwic_ar_coalition", FIGURES)
fig
