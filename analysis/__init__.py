"""framescope analysis: tokens → counts → statistics, one module per stage.

Stages (each returns tidy pandas DataFrames with documented columns):

* :mod:`analysis.tokens` — :class:`TokenOptions`, :func:`tokenize`, :func:`split_sentences`,
  :func:`tokens` (a :class:`Tokens` object over a corpus), :func:`iter_tokens` (batches).
"""
from analysis.tokens import (NUMBER_PLACEHOLDER, PHRASE_JOINER, TokenOptions, Tokens, detect_phrases,
                             iter_tokens, split_sentences, tokenize, tokens, train_punkt)

__all__ = ["TokenOptions", "Tokens", "tokenize", "tokens", "iter_tokens", "split_sentences",
           "train_punkt", "detect_phrases", "NUMBER_PLACEHOLDER", "PHRASE_JOINER"]
