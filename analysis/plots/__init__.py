"""Paper-ready figures: each function takes the DataFrame an analysis returns and gives
back a matplotlib Figure; :func:`save` writes ``figures/NAME.pdf`` and ``NAME.png``.

All functions draw in the one style of :mod:`framescope.analysis.plots.style` (colour-blind- and
greyscale-safe palette, markers and hatches per group, one- and two-column paper widths,
Noto Sans Arabic for Arabic). matplotlib ≥ 3.11 shapes Arabic and lays it out right to
left by itself: pass plain Unicode strings.

function                        input (columns)
==============================  ==========================================================
:func:`plot_composition`        :func:`framescope.report.composition`
:func:`plot_keyness`            :func:`framescope.analysis.keyness.keyness` (term, log_ratio, _low, _high, g2, p_adjusted)
:func:`plot_collocates`         :func:`framescope.analysis.collocations.collocates` / :func:`framescope.report.collocates_by`
:func:`plot_dispersion`         :func:`framescope.report.term_positions`
:func:`plot_frequency_over_time`  :func:`framescope.report.term_timeline`
:func:`plot_similarity`         :func:`framescope.report.vocabulary_similarity`
:func:`plot_kwic`               :func:`framescope.analysis.kwic.kwic` (left, keyword, right + metadata), via :func:`kwic_sample`
:func:`plot_topic_k`            :func:`framescope.analysis.topics.k_search` ``.table`` (k, seed, coherence_*, perplexity)
:func:`plot_topic_words`        topic terms (topic, rank, term, weight)
:func:`plot_topic_prevalence`   topic prevalence (topic, group, mean, mean_low, mean_high[, stable])
:func:`plot_frame_network`      :func:`framescope.analysis.topics.frames.frame_network` nodes + edges[, frame prevalence]
:func:`plot_claims_attribution` :func:`framescope.report.claims_by_attribution`
:func:`plot_actor_labels`       :func:`framescope.analysis.framing.actors`
:func:`plot_markers`            :func:`framescope.analysis.framing.markers`
:func:`plot_agency`             :func:`framescope.analysis.framing.agency`
:func:`plot_keyness_review`     :func:`framescope.analysis.rigour.keyness_review` / ``keyness_family`` (term, g2, log_ratio, lrc, sig_*)
:func:`plot_collocation_network`  :func:`framescope.analysis.networks.collocation_network` (edge table)
:func:`plot_robustness`         :func:`framescope.analysis.robustness.robustness` (analysis, choice, setting, jaccard, spearman)
:func:`plot_event_profile`      :func:`framescope.analysis.event_compare.event_profile` (one event, one row per outlet)
:func:`plot_within_event`       :func:`framescope.analysis.event_compare.within_event_difference` (matched vs unmatched)
==============================  ==========================================================
=======
==================================  ==========================================================
function                            input (columns)
==================================  ==========================================================
:func:`plot_composition`            :func:`framescope.report.composition`
:func:`plot_keyness`                :func:`framescope.analysis.keyness.keyness` (term, log_ratio, _low, _high, g2, p_adjusted)
:func:`plot_collocates`             :func:`framescope.analysis.collocations.collocates` / :func:`framescope.report.collocates_by`
:func:`plot_dispersion`             :func:`framescope.report.term_positions`
:func:`plot_frequency_over_time`    :func:`framescope.report.term_timeline`
:func:`plot_similarity`             :func:`framescope.report.vocabulary_similarity`
:func:`plot_kwic`                   :func:`framescope.analysis.kwic.kwic` (left, keyword, right + metadata), via :func:`kwic_sample`
:func:`plot_topic_k`                :func:`framescope.analysis.topics.k_search` ``.table`` (k, seed, coherence_*, perplexity)
:func:`plot_topic_words`            topic terms (topic, rank, term, weight)
:func:`plot_topic_prevalence`       topic prevalence (topic, group, mean, mean_low, mean_high[, stable])
:func:`plot_frame_network`          :func:`framescope.analysis.topics.frames.frame_network` nodes + edges[, frame prevalence]
:func:`plot_claims_attribution`     :func:`framescope.report.claims_by_attribution`
:func:`plot_actor_labels`           :func:`framescope.analysis.framing.actors`
:func:`plot_markers`                :func:`framescope.analysis.framing.markers`
:func:`plot_agency`                 :func:`framescope.analysis.framing.agency`
:func:`plot_keyness_review`         :func:`framescope.analysis.rigour.keyness_review` / ``keyness_family`` (term, g2, log_ratio, lrc, sig_*)
:func:`plot_collocation_network`    :func:`framescope.analysis.networks.collocation_network` (edge table)
:func:`plot_robustness`             :func:`framescope.analysis.robustness.robustness` (analysis, choice, setting, jaccard, spearman)
:func:`plot_event_profile`          :func:`framescope.analysis.event_compare.event_profile` (one event, one row per outlet)
:func:`plot_within_event`           :func:`framescope.analysis.event_compare.within_event_difference` (matched vs unmatched)
==================================  ==========================================================
"""
from framescope.analysis.plots.framing import plot_actor_labels, plot_agency, plot_claims_attribution, plot_markers
from framescope.analysis.plots.events import plot_event_profile, plot_within_event
from framescope.analysis.plots.corpus import kwic_sample, plot_composition, plot_dispersion, plot_frequency_over_time, plot_kwic
from framescope.analysis.plots.rigour import plot_collocation_network, plot_keyness_review, plot_robustness
from framescope.analysis.plots.statistics import plot_collocates, plot_keyness, plot_similarity
from framescope.analysis.plots.style import DOUBLE_COLUMN, SINGLE_COLUMN, group_styles, save, use
from framescope.analysis.plots.topics import (plot_frame_network, plot_topic_k, plot_topic_prevalence, plot_topic_words,
                                  topic_labels)

__all__ = ["kwic_sample", "plot_composition", "plot_dispersion", "plot_frequency_over_time", "plot_kwic",
           "plot_keyness", "plot_collocates", "plot_similarity", "plot_topic_k", "plot_topic_words",
           "plot_topic_prevalence", "plot_frame_network", "topic_labels", "plot_claims_attribution",
           "plot_actor_labels", "plot_markers", "plot_agency", "plot_keyness_review", "plot_collocation_network",
           "plot_robustness", "plot_event_profile", "plot_within_event", "save", "use", "group_styles", "SINGLE_COLUMN", "DOUBLE_COLUMN"]
