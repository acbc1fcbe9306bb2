"""framescope analysis: tokens → counts → statistics, one module per stage.

Every statistic returns a tidy pandas DataFrame whose columns are documented in its module,
with ``attrs`` recording the corpus_id, token options, seeds and parameters.

* :mod:`framescope.analysis.tokens` — :class:`TokenOptions`, :func:`tokenize`, :func:`split_sentences`,
  :func:`tokens` (a :class:`Tokens` object over a corpus), :func:`iter_tokens` (batches).
* :mod:`framescope.analysis.counts` — :class:`Vocabulary` keyed by (lang, term), :func:`encode`,
  :class:`DocumentTermMatrix` / :func:`dtm`, :func:`frequencies` (per million, documents,
  Gries' DP), :func:`group_labels`.
* :mod:`framescope.analysis.groups` — :func:`document_groups`, :func:`comparison_groups`,
  :func:`with_group_column`, :func:`group_sizes`: one rule for the groups of every comparison
  (``by`` columns such as ``alignment``, duplicates, ``match_dates``, the size floor).
* :mod:`framescope.analysis.kwic` — :func:`kwic`, :func:`write_kwic` (CSV, self-contained HTML).
* :mod:`framescope.analysis.keyness` — :func:`keyness` (target vs reference), :func:`keyness_groups`
  (each group vs the rest): signed G², p values, log ratio with bootstrap CI, %DIFF, χ²,
  log-odds z.
* :mod:`framescope.analysis.collocations` — :func:`bigram_collocations` (NLTK measures, exact
  counts), :func:`ngrams`, :func:`collocates` (window collocates by group),
  :func:`collocate_profiles`.
* :mod:`framescope.analysis.topics` — gensim LDA per language on a streamed bag-of-words:
  :func:`bag_of_words`, :func:`fit_lda` (:class:`TopicModel`, checked save/load),
  :func:`k_search`, :func:`topic_stability`, :func:`compare_groups`,
  :func:`prevalence_effects`, :func:`run_topics` (``framescope topics``).

This package re-exports nothing, so ``import framescope.analysis.tokens as t`` gives the
module; the public functions are reached through ``import framescope as fs``.
"""
