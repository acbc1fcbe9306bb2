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
# # 04 · Topic models and prevalence by group
#
# One LDA model per language (`framescope.analysis.topics.run_topics`): a K search (c_NPMI,
# c_V, u_mass coherence, held-out perplexity, exclusivity; K by the one-standard-error
# rule on c_NPMI), several seeds matched for
# stability, and the mean topic proportion per group with document-bootstrap CIs.
# English: FA-KES by stance toward Damascus crossed with ownership (pro-Damascus state
# media, pro-Damascus partisan media, anti-Damascus media, Reuters wire: `EN_DESIGN` below;
# duplicates left out), then the same K reported as the consensus of the
# seeds, with the method of composition and frames as communities of topics (ANTMN).
# Arabic: SaudiNewsNet on the days the state agency and the press both cover
# (`match_dates`), every state-agency document and a seeded random sample of the press
# (a whole-collection model takes longer; raise `AR_SAMPLE` or set it to `None`).

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
PRO_STATE, ANTI = "pro-Damascus state media", "anti-Damascus media"  # the contrast reported
AR_SUBSET = "collection == 'saudinewsnet' and lang == 'ar'"
AR_GROUPS = {"state agency (was)": "outlet == 'was'", "press": "outlet != 'was'"}
AR_SAMPLE = 1000        # press documents in the Arabic model (None: all; more costs time in the K search)
MATCH_DATES_AR = True   # agency and press on the days both cover
K_GRID_EN = [4, 8, 12, 16, 20]  # a K search: wide enough that the best K is inside the grid
K_GRID_AR = [4, 8, 12, 16, 20]
SEEDS = 3               # runs per K: the spread across seeds is drawn (stability needs >= 2)
PASSES = 2
N_BOOT = 500
COMPOSITION_SIMS = 100  # method of composition: simulations of theta from its posterior
SEED = 0

# %%
from framescope.analysis import plots
from framescope import report
from framescope.analysis.groups import with_group_column
from framescope.analysis.topics import DictionaryOptions, LdaOptions, TopicConfig, run_topics

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
lda = LdaOptions(passes=PASSES)
DESIGN = "design"  # the document column of the groups
en = with_group_column(session.subset(EN_SUBSET), DESIGN, groups=EN_DESIGN)
EN_GROUPS = list(EN_DESIGN)

# %% [markdown]
# ## English (FA-KES) by stance and ownership

# %%
res_en = run_topics(en, "en",
                    TopicConfig(k_grid=K_GRID_EN, n_seeds=SEEDS, seed=SEED, by=DESIGN,
                                token_options=report.ANALYSIS_OPTIONS, lda_options=lda, n_boot=N_BOOT), log=print)
res_en.k_search.summary

# %% [markdown]
# **Choosing K.** The seeds differ only in their random start, so the spread of a K's
# c_NPMI over seeds is the noise a larger K has to beat. The K reported is the smallest K
# whose mean c_NPMI is within one standard error of the best mean (the one-standard-error
# rule of Hastie, Tibshirani & Friedman 2009, §7.10; the seed variance pooled over the K
# searched): the dotted line in the c_NPMI panel. Held-out perplexity is the documents'
# variational bound per word (`heldout_perplexity`); here it changes less with K than over seeds.

# %%
fig = plots.plot_topic_k(res_en.k_search.table, recommended=res_en.k_search.recommended_k)
plots.save(fig, "04_topic_k_en", FIGURES)
fig

# %%
res_en.topics[["topic", "stable", "stability", "prevalence", "top_probability", "top_frex"]]

# %%
fig = plots.plot_topic_words(res_en.topic_terms, n=8)
plots.save(fig, "04_topic_words_en", FIGURES)
fig

# %%
prev_en = res_en.prevalence[res_en.prevalence["group"].isin(EN_GROUPS)]
fig = plots.plot_topic_prevalence(prev_en, labels=plots.topic_labels(res_en.topic_terms), groups=EN_GROUPS)
plots.save(fig, "04_topic_prevalence_en", FIGURES)
fig

# %% [markdown]
# The topics where pro-Damascus state media and anti-Damascus media differ most (difference
# of group means, bootstrap CI):

# %%
d = res_en.differences
d[(d["group_a"].isin([PRO_STATE, ANTI])) & (d["group_b"].isin([PRO_STATE, ANTI]))].sort_values("rank").head(3)

# %% [markdown]
# ## English: consensus topics, method of composition, frames
#
# The same K, reported as the **consensus of the seeds**: every run's topics aligned to
# their mean (Hungarian matching on Jensen–Shannon distance, repeated until stable), the
# topic–word and document–topic distributions averaged; `stability` is the runs' pairwise
# agreement. (Exactly reproducible only with `workers=0`, gensim's single-process LdaModel.)

# %%
cons_en = run_topics(en, "en",
                     TopicConfig(k=res_en.settings["k"], n_seeds=SEEDS, seed=SEED, by=DESIGN,
                                 token_options=report.ANALYSIS_OPTIONS, lda_options=lda, n_boot=N_BOOT,
                                 consensus=True, composition_sims=COMPOSITION_SIMS, frames=True,
                                 contrasts=[(PRO_STATE, ANTI)]), log=print)
cons_en.topics[["topic", "stable", "stability", "prevalence", "top_probability"]]

# %% [markdown]
# **Method of composition** (stm's `estimateEffect`): each document's topic proportions
# drawn from its posterior Dirichlet(γ) — and, over the consensus, from a randomly chosen
# seed's model — then OLS and a draw of the coefficients, pooled. Its CI (`_mc`) against
# the regression on point estimates (`_ols`), wire against the reference group:

# %%
side = cons_en.effects_composition.merge(cons_en.effects, on=["topic", "variable", "level"], suffixes=("_mc", "_ols"))
side[side["level"] == "wire"][["topic", "estimate_mc", "estimate_low_mc", "estimate_high_mc", "estimate_ols", "estimate_low_ols",
                               "estimate_high_ols"]]

# %% [markdown]
# **Frames** (Walter & Ophir 2019): topics as nodes (size = prevalence), edges = cosine
# similarity of their document columns (how much they co-occur in documents), Louvain
# communities = frames; a document's frame proportion is the sum of its frame's topics.

# %% [markdown]
# **Are the frames stable?** Louvain is randomised and the topic model too, so the frames
# are run again: 50 Louvain seeds on this network, and 50 on the network of each
# topic-model seed (its topics aligned to these). `cohesion` is the mean share of those
# partitions in which a frame's topics share a frame (Lancichinetti & Fortunato 2012);
# below 0.75 the frame is flagged unstable (hollow markers in the figure). The adjusted
# Rand index (Hubert & Arabie 1985) says how alike two partitions are (1 = the same,
# about 0 = chance); the modularity is read against the same network with its edge
# weights shuffled.

# %%
fstab = cons_en.frame_stability
print({k: fstab.summary[k] for k in ("partition", "ari_louvain_seeds", "ari_topic_runs", "single_seed_modularity")},
      {k: fstab.summary["null"][k] for k in ("mean", "q95", "p_value")})
fstab.frames[["frame", "topics", "cohesion", "cohesion_runs", "outside", "stable"]]

# %%
net = cons_en.frames
frame_prev = cons_en.frame_comparison.prevalence
fig = plots.plot_frame_network(net.nodes, net.edges, frame_prev[frame_prev["group"].isin(EN_GROUPS)],
                               frame_labels=net.frame_labels(), groups=EN_GROUPS, stability=fstab.frames,
                               stability_summary=fstab.summary)
plots.save(fig, "04_frame_network_en", FIGURES)
fig

# %%
cons_en.frame_comparison.differences[["group_a", "group_b", "frame", "mean_a", "mean_b", "diff", "diff_low", "diff_high",
                                      "label"]]

# %% [markdown]
# ## Arabic (SaudiNewsNet): state agency vs press, on the days both cover

# %%
ar = with_group_column(session.subset(AR_SUBSET), "agency", groups=AR_GROUPS, match_dates=MATCH_DATES_AR)
if AR_SAMPLE is not None:
    ar = report.sample_documents(ar, AR_SAMPLE, seed=SEED, keep=AR_GROUPS["state agency (was)"])
res_ar = run_topics(ar, "ar",
                    TopicConfig(k_grid=K_GRID_AR, n_seeds=SEEDS, seed=SEED, groups=AR_GROUPS,
                                token_options=report.ANALYSIS_OPTIONS, lda_options=lda,
                                dictionary_options=DictionaryOptions(no_below=5, no_above=0.3), n_boot=N_BOOT),
                    log=print)
fig = plots.plot_topic_k(res_ar.k_search.table, recommended=res_ar.k_search.recommended_k)
plots.save(fig, "04_topic_k_ar", FIGURES)
fig

# %%
fig = plots.plot_topic_words(res_ar.topic_terms, n=8)
plots.save(fig, "04_topic_words_ar", FIGURES)
fig

# %%
fig = plots.plot_topic_prevalence(res_ar.prevalence, labels=plots.topic_labels(res_ar.topic_terms),
                                  groups=list(AR_GROUPS))
plots.save(fig, "04_topic_prevalence_ar", FIGURES)
fig

# %%
res_ar.differences.sort_values("rank").head(3)
