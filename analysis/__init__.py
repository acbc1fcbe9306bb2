"""framescope analysis: tokens → counts → statistics, one module per stage.

Every statistic returns a tidy pandas DataFrame whose columns are documented in its module,
with ``attrs`` recording the corpus_id, token options, seeds and parameters.

* :mod:`analysis.tokens` — :class:`TokenOptions`, :func:`tokenize`, :func:`split_sentences`,
  :func:`tokens` (a :class:`Tokens` object over a corpus), :func:`iter_tokens` (batches).
* :mod:`analysis.counts` — :class:`Vocabulary` keyed by (lang, term), :func:`encode`,
  :class:`DocumentTermMatrix` / :func:`dtm`, :func:`frequencies` (per million, documents,
  Gries' DP), :func:`group_labels`.
* :mod:`analysis.groups` — :func:`document_groups`, :func:`comparison_groups`,
  :func:`with_group_column`, :func:`group_sizes`: one rule for the groups of every comparison
  (``by`` columns such as ``alignment``, duplicates, ``match_dates``, the size floor).
* :mod:`analysis.kwic` — :func:`kwic`, :func:`write_kwic` (CSV, self-contained HTML).
* :mod:`analysis.keyness` — :func:`keyness` (target vs reference), :func:`keyness_groups`
  (each group vs the rest): signed G², p values, log ratio with bootstrap CI, %DIFF, χ²,
  log-odds z.
* :mod:`analysis.collocations` — :func:`bigram_collocations` (NLTK measures, exact
  counts), :func:`ngrams`, :func:`collocates` (window collocates by group),
  :func:`collocate_profiles`.
* :mod:`analysis.topics` — gensim LDA per language on a streamed bag-of-words:
  :func:`bag_of_words`, :func:`fit_lda` (:class:`TopicModel`, checked save/load),
  :func:`k_search`, :func:`topic_stability`, :func:`compare_groups`,
  :func:`prevalence_effects`, :func:`run_topics` (``framescope topics``).
"""
from analysis.tokens import (NUMBER_PLACEHOLDER, PHRASE_JOINER, TokenOptions, Tokens, detect_phrases,
                             iter_tokens, split_sentences, tokenize, tokens, train_punkt)

__all__ = ["TokenOptions", "Tokens", "tokenize", "tokens", "iter_tokens", "split_sentences",
           "train_punkt", "detect_phrases", "NUMBER_PLACEHOLDER", "PHRASE_JOINER"]

# framing measures (issue 6): analysis.claims(corpus), analysis.actors(corpus), ...
from analysis.framing import (actor_kwic, actor_mentions, actors, agency, agency_sentences, claims,  # noqa: E402
                              claims_comparison, marker_kwic, marker_mentions, markers)

__all__ += ["claims", "claims_comparison", "actors", "actor_mentions", "actor_kwic", "markers",
            "marker_mentions", "marker_kwic", "agency", "agency_sentences"]
