"""framescope analysis: tokens → counts → statistics, one module per stage.

Stages (each returns tidy pandas DataFrames with documented columns):

* :mod:`analysis.tokens` — :class:`TokenOptions`, :func:`tokenize`, :func:`split_sentences`,
  :func:`tokens` (a :class:`Tokens` object over a corpus), :func:`iter_tokens` (batches).
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
