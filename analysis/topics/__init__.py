"""Topic models (LDA, gensim) that compare coverage by group: which themes do state media,
NGOs and wire services give weight to, and how sure are we.

Pipeline (each step a function in a module of this package; :func:`run_topics` chains them,
configured by one :class:`TopicConfig`)::

    bow = bag_of_words(corpus, "en", TokenOptions(...), DictionaryOptions(no_below=5))
    search = k_search(bow, ks=[5, 10, 15], seeds=[0, 1])        # coherence, perplexity, FREX
    runs = [fit_lda(bow, search.recommended_k, seed=s) for s in (0, 1, 2)]
    stab = topic_stability(runs)                                  # Hungarian matching, JS distance
    theta = runs[0].document_topics(bow)                          # n_docs × K, rows sum to 1
    comp = compare_groups(theta, labels, n_boot=1000, seed=0)     # prevalence + differences
    eff = prevalence_effects(theta, design, covariates=["month"])  # OLS, HC3 robust CIs
    runs[0].save("model/"); TopicModel.load("model/", corpus)
    results = run_topics(corpus, "en", TopicConfig(k_grid=(5, 10, 15), n_seeds=3, frames=True))

Modules, one per stage: :mod:`~framescope.analysis.topics.options` (DictionaryOptions, LdaOptions),
:mod:`~framescope.analysis.topics.bow` (bag of words), :mod:`~framescope.analysis.topics.fitting` (fit_lda,
TopicModel), :mod:`~framescope.analysis.topics.describe` (relevance, FREX, exclusivity),
:mod:`~framescope.analysis.topics.ksearch` (coherence, perplexity, K search),
:mod:`~framescope.analysis.topics.stability` (stability, consensus), :mod:`~framescope.analysis.topics.effects`
(prevalence and effects by group), :mod:`~framescope.analysis.topics.frames` (ANTMN frames) and
:mod:`~framescope.analysis.topics.pipeline` (TopicConfig, run_topics, TopicResults). Each imports
only the ones before it in this list.

One model per language
    :func:`bag_of_words` reads only the segments of one language (``lang``), so an English
    and an Arabic model never share a vocabulary. Run the command once per language.

Streaming
    Tokens come from :func:`framescope.analysis.tokens.iter_tokens` in batches. The bag-of-words is
    serialised with gensim's ``MmCorpus`` into a work folder and streamed from there for
    every pass, every fit and the u_mass coherence; the token sequences (for the
    sliding-window coherences c_npmi and c_v) are a flat int32 file read through a memory
    map. Memory holds the dictionary, one batch of documents and the n_docs × K matrix of
    document-topic proportions, not the corpus.

Reproducibility
    Every random choice takes a seed and the seeds are recorded (``run.json``): the LDA
    initialisation and its online updates (``random_state`` of ``LdaModel``), the held-out
    split of the K search, the variational inference of the document-topic proportions
    (gensim draws a random starting point per document; we reset the model's generator to
    the recorded ``inference_seed`` before each inference, so a loaded model gives the same
    proportions), and the bootstrap. A fit with ``LdaOptions.workers == 0`` (gensim
    ``LdaModel``, one process) is exactly reproducible: same inputs and seed → identical
    topics and byte-identical tables. ``workers >= 1`` uses gensim ``LdaMulticore``, which
    is faster on several cores but NOT deterministic across runs (the order in which
    worker results are merged varies), even with the same seed.

Choosing K (:func:`k_search`)
    A grid of K × seeds, each model fitted on a seeded training split and scored with
    c_npmi (default criterion), c_v and u_mass coherence (gensim ``CoherenceModel``'s
    measures, top ``topn`` words, statistics gathered in one streaming pass per measure
    over the whole corpus for all models; sliding windows are counted exactly by
    :func:`~framescope.analysis.topics.ksearch.window_counts` — gensim's own counter drops a word from the window while it
    still occurs in it, see there), held-out log perplexity (the documents' variational bound
    per word, without gensim's topic-word terms: :func:`heldout_perplexity`) and stm-style
    exclusivity. Recommended K (:data:`K_RULE`, :func:`k_choice`): the one-standard-error
    rule — the smallest K whose mean c_npmi over seeds is within one standard error (seed
    variance pooled over K) of the highest mean. c_v is reported but not used (it is known
    to misbehave: gensim issues #3040, #3132).

Stability (:func:`topic_stability`)
    Several seeds at one K; each run's topics are matched to the reference run's (the
    first seed) with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``)
    minimising the Jensen–Shannon distance (base 2, in [0, 1]) between topic-word
    distributions. A topic's stability is the mean over the other runs of
    1 − JS distance of its match; it is ``stable`` when that is ≥ the threshold
    (:data:`STABILITY_THRESHOLD`, 0.5 unless given). Every per-topic output carries the
    ``stable`` and ``stability`` columns (empty with a single seed: nothing to compare).

Describing topics (:meth:`TopicModel.terms_table`)
    Top words by probability φ_kw; by relevance (Sievert & Shirley 2014)
    r = λ log φ_kw + (1 − λ) log(φ_kw / p_w), p_w the word's share of the corpus tokens,
    λ = 0.6 by default; and by FREX (Bischof & Airoldi 2012; Roberts et al. 2016, stm):
    the weighted harmonic mean of a word's within-topic ECDF rank of exclusivity and of
    frequency, FREX = 1 / (w / ECDF(excl) + (1 − w) / ECDF(φ)), with stm's James–Stein
    shrinkage of the exclusivity towards uniform (``calcfrex``) and w = 0.5.

Comparison by group (:func:`compare_groups`, :func:`prevalence_effects`)
    Per-document topic proportions θ_dk (the normalised variational Dirichlet γ of gensim's
    inference, i.e. ``get_document_topics(minimum_probability=0)`` without gensim's 1e-8
    floor) joined to the document metadata; mean θ per group with percentile bootstrap CIs
    over documents; differences of group means with bootstrap CIs; and an stm
    ``estimateEffect``-style regression of θ_k on the group (reference level dropped)
    and optional categorical covariates (outlet, month) by OLS with HC3 robust standard
    errors (MacKinnon & White 1985; Long & Ervin 2000) and t intervals, θ treated as
    observed; and the same regression by stm's "method of composition"
    (:func:`prevalence_effects_composition`: θ drawn from its variational posterior
    Dirichlet(γ), coefficients drawn from their sampling distribution, pooled).

Consensus over seeds (:func:`consensus_topics`)
    Every run aligned to the mean of the aligned topics (Hungarian, JS distance, iterated);
    reported φ and θ are the aligned means, stability the runs' pairwise agreement. Exactly
    reproducible only for single-process fits (``LdaModel``); ``LdaMulticore`` is not.

Frames (:mod:`framescope.analysis.topics.frames`)
    Topic co-occurrence networks and Louvain communities of topics (ANTMN, Walter & Ophir
    2019; by default the consensus partition of 50 Louvain seeds), frame prevalence by group
    with bootstrap CIs, the frames' stability across Louvain seeds and topic runs (adjusted
    Rand index, co-assignment, cohesion, modularity against a permutation null), GraphML.

Persistence (:meth:`TopicModel.save`, :meth:`TopicModel.load`)
    A folder with gensim's own save files, ``term_frequency.npy`` and ``topic_model.json``
    (options, seeds, language, corpus_id, and the sha256 of every file). Loading checks
    every hash (a corrupted or truncated file → one-line :class:`FramescopeError`) and the
    corpus_id (another corpus → :class:`CorpusMismatchError` unless ``force=True``).
    WARNING: gensim's save format is Python pickle, and unpickling runs code: load only
    models you made yourself or got from someone you trust. The sha256 check guards
    against accidental corruption, not against a malicious file (whoever can change the
    model can change the JSON too).

Output tables (tidy; topics numbered 0..K−1 as in gensim; columns in ``docs/columns.md``)
    topic_terms
        topic, rank (by probability), term, weight (φ_kw), relevance, relevance_rank,
        frex, frex_rank, stable, stability — every term in the top ``topn`` of a topic
        by any of the three rankings
    topics
        topic, stable, stability, top_word_overlap, prevalence, coherence_npmi,
        exclusivity, top_probability, top_relevance, top_frex
    prevalence
        topic, group, mean, mean_low, mean_high, n_docs, stable, stability
    differences
        group_a, group_b, topic, mean_a, mean_b, diff (a − b), diff_low, diff_high, rank
        (by ``|diff|`` within the pair), stable, stability
    effects
        topic, variable, level, reference, estimate, std_error, estimate_low, estimate_high, t,
        p_value, n_docs, stable, stability
    effects_composition
        topic, variable, level, reference, estimate, std_error, estimate_low,
        estimate_high, n_docs, n_sims, n_draws, seed, se_type, method, stable, stability
    consensus_matches
        seed, topic, matched_topic, js_distance, similarity
    doc_topics
        doc_id, topic, weight, stable
    k_search
        k, seed, coherence_npmi, coherence_cv, coherence_umass, log_perplexity,
        perplexity, exclusivity, n_train, n_heldout

References
----------
- Bischof, J. M. & Airoldi, E. M. (2012). Summarizing topical content with word frequency
  and exclusivity. Proceedings of ICML 2012.
- Blei, D. M., Ng, A. Y. & Jordan, M. I. (2003). Latent Dirichlet allocation. Journal of
  Machine Learning Research 3, 993–1022.
- Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
  communities in large networks. Journal of Statistical Mechanics, P10008.
- Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
- Hoffman, M. D., Blei, D. M. & Bach, F. (2010). Online learning for latent Dirichlet
  allocation. Advances in Neural Information Processing Systems 23, 856–864.
- Long, J. S. & Ervin, L. H. (2000). Using heteroscedasticity consistent standard errors in
  the linear regression model. The American Statistician 54(3), 217–224.
- MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix
  estimators with improved finite sample properties. Journal of Econometrics 29(3), 305–325.
- Mimno, D., Wallach, H. M., Talley, E., Leenders, M. & McCallum, A. (2011). Optimizing
  semantic coherence in topic models. Proceedings of EMNLP 2011, 262–272.
- Roberts, M. E., Stewart, B. M., Tingley, D., Lucas, C., Leder-Luis, J., Gadarian, S. K.,
  Albertson, B. & Rand, D. G. (2014). Structural topic models for open-ended survey
  responses. American Journal of Political Science 58(4), 1064–1082.
- Roberts, M. E., Stewart, B. M. & Airoldi, E. M. (2016). A model of text for
  experimentation in the social sciences. Journal of the American Statistical Association
  111(515), 988–1003.
- Röder, M., Both, A. & Hinneburg, A. (2015). Exploring the space of topic coherence
  measures. Proceedings of WSDM 2015, 399–408.
- Sievert, C. & Shirley, K. E. (2014). LDAvis: a method for visualizing and interpreting
  topics. Proceedings of the Workshop on Interactive Language Learning, Visualization, and
  Interfaces (ACL 2014), 63–70.
- Walter, D. & Ophir, Y. (2019). News frame analysis: an inductive mixed-method
  computational approach. Communication Methods and Measures 13(4), 248–266.
"""

from framescope.analysis.topics.bow import (EXCLUDED_DUPLICATE, EXCLUDED_FEW_TOKENS, EXCLUDED_NO_TEXT, BagOfWords,
                                 bag_of_words, phrases_for)
from framescope.analysis.topics.describe import exclusivity, frex, relevance
from framescope.analysis.topics.effects import (COMPOSITION_SE, GroupComparison, assign_groups, bootstrap_group_means,
                                     compare_groups, covariate_labels, design_matrix, document_topic_frame,
                                     group_differences, prevalence, prevalence_effects,
                                     prevalence_effects_composition, representative_documents)
from framescope.analysis.topics.fitting import MODEL_META, TopicModel, fit_lda
from framescope.analysis.topics.frames import (FrameNetwork, FrameOptions, FrameStability, adjusted_rand_index, coassignment,
                                    consensus_partition, frame_cohesion, frame_network, frame_prevalence,
                                    frame_proportions, frame_stability, frames_hold, modularity_null)
from framescope.analysis.topics.ksearch import (COHERENCE_COLUMNS, COHERENCE_MEASURES, K_RULE, WINDOW_SIZES, KSearch,
                                     coherence, heldout_mask, heldout_perplexity, k_choice, k_search, recommend_k,
                                     window_counts)
from framescope.analysis.topics.options import DictionaryOptions, LdaOptions
from framescope.analysis.topics.pipeline import TopicConfig, TopicResults, run_topics, write_ldavis
from framescope.analysis.topics.stability import (STABILITY_THRESHOLD, ConsensusTopics, Stability, align_topics,
                                       consensus_topics, js_distance_matrix, topic_stability)

__all__ = [
    "DictionaryOptions", "LdaOptions", "BagOfWords", "TopicModel", "KSearch", "Stability", "ConsensusTopics",
    "GroupComparison", "TopicConfig", "TopicResults", "bag_of_words", "phrases_for", "fit_lda", "relevance",
    "frex", "exclusivity", "coherence", "window_counts", "heldout_perplexity", "heldout_mask", "k_search",
    "recommend_k", "k_choice", "js_distance_matrix", "align_topics", "topic_stability", "consensus_topics",
    "document_topic_frame", "assign_groups", "covariate_labels", "compare_groups", "prevalence",
    "group_differences", "bootstrap_group_means", "design_matrix", "prevalence_effects",
    "prevalence_effects_composition", "representative_documents", "write_ldavis", "run_topics",
    "FrameOptions", "FrameNetwork", "FrameStability", "frame_network", "frame_proportions", "frame_prevalence",
    "frame_stability", "frame_cohesion", "coassignment", "consensus_partition", "adjusted_rand_index",
    "modularity_null", "frames_hold", "K_RULE", "STABILITY_THRESHOLD", "COHERENCE_MEASURES", "COHERENCE_COLUMNS",
    "WINDOW_SIZES", "MODEL_META", "COMPOSITION_SE", "EXCLUDED_DUPLICATE", "EXCLUDED_NO_TEXT",
    "EXCLUDED_FEW_TOKENS",
]
