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
# # 08 · Same event, different outlets
#
# A difference between groups of outlets mixes how they frame with what they chose to
# cover. Here FA-KES articles are matched to events (place from a shipped gazetteer, a
# date window, textual similarity or a shared casualty number: `framescope.analysis.events`), the
# clusters are checked against FA-KES's own (location, date) coding, and casualty-claim
# measures are compared between alignment groups *inside* events (event fixed effects,
# intervals resampling events) beside the same comparison without matching.

# %% tags=["parameters"]
CORPUS = "../out/corpus"
BUILD_IF_MISSING = True
FIGURES = "../figures"
SUBSET = "collection == 'fakes'"
BY = "alignment"            # document column of the groups (falls back to source_type)
WINDOW_DAYS = 2
SIMILARITY = 0.1
REFERENCE_GROUP = "pro_damascus"
N_BOOT = 1000              # bootstrap replicates (resampling events)
SEED = 0
KEY_TERMS = ["regime", "rebels", "militants", "terrorists"]  # key terms compared inside events

# %%
from framescope import report
from framescope.analysis import event_compare, events, framing, plots
import framescope as fs
from framescope.corpus.registry import load_registry

plots.use()
session = report.open_session(CORPUS, build_if_missing=BUILD_IF_MISSING)
en = session.subset(SUBSET)
claims = fs.claims(en)

# %% [markdown]
# ## Events

# %%
config = events.EventConfig(window_days=WINDOW_DAYS, similarity=SIMILARITY, by=BY)
result = events.events(en, config, claims=claims)
result.meta

# %%
result.events.sort_values(["n_outlets", "n_docs"], ascending=False).head(10)

# %% [markdown]
# ## Validation against FA-KES's (location, date) coding
#
# Pairwise precision and recall: a pair of articles is a true pair when both the clusters
# and FA-KES put it in one event. FA-KES codes events by day, so a wider window lowers
# precision against it by construction (see `docs/events.md` for the full grid).

# %%
reference = events.fakes_reference(en.documents)
agreement = events.event_agreement(result.assignments, reference)
agreement

# %% [markdown]
# ## One event, every outlet

# %%
best = result.events.sort_values(["n_outlets", "n_docs", "event_id"], ascending=[False, False, True]).iloc[0]
ids = best["doc_ids"].split(";")
lines = framing.agency_sentences(en.subset(f"doc_id in {ids!r}"))
profile = event_compare.event_profile(best["event_id"], result.assignments, claims, lines)
profile

# %%
names = {k: row.get("name") or k for k, row in load_registry().rows.items()}
fig = plots.plot_event_profile(profile, outlet_names=names,
                               title=f"{best['place_name']}, {best['date_start']:%d %b %Y}: "
                                     f"{best['n_outlets']} outlets, {best['n_docs']} articles")
plots.save(fig, "08_event_profile_en", FIGURES)
fig

# %% [markdown]
# ## Within-event differences, matched and unmatched

# %%
# claim measures (tolls without cumulative war totals, sources cited) and framing measures
# (agentless killings, distancing markers, the label 'terrorists') per document
measures = event_compare.document_measures(claims, en.documents["doc_id"]).merge(
    event_compare.framing_measures(en), on="doc_id")
reference_group = REFERENCE_GROUP if REFERENCE_GROUP in set(result.assignments["group"]) else None
within = event_compare.within_event_difference(
    measures, result.assignments, ["log_toll_max", "cites_ngo", "agentless_share", "distancing_per_10k", "terrorists_per_10k"],
    reference=reference_group, n_boot=N_BOOT, seed=SEED)
within

# %%
fig = plots.plot_within_event(within)
plots.save(fig, "08_within_event_en", FIGURES)
fig

# %% [markdown]
# ## Key terms inside events
#
# How often each group uses the words that name the sides (per 10,000 tokens), on the same
# events and unmatched.

# %%
terms = event_compare.term_measures(en, KEY_TERMS)
term_diff = event_compare.within_event_difference(
    terms, result.assignments, [c for c in terms.columns if c.startswith("term_")],
    reference=reference_group, n_boot=N_BOOT, seed=SEED)
term_diff

# %% [markdown]
# ## Casualty claims against the NGO reference
#
# FA-KES labels an article credible when its casualty figures agree with the Violations
# Documentation Center's records. Share of credible articles among those with an
# extracted death toll, per outlet and group (Wilson intervals), and the confusion of
# extracted tolls with the label.

# %%
event_compare.claims_against_reference(claims, en.documents, by=result.meta["group_column"])

# %%
event_compare.toll_label_confusion(claims, en.documents)
