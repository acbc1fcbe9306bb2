"""Surface forms: how a counted term is written, for tables and figures (issue 17).

Counting merges spellings (Arabic normalisation: القتلى → القتلي; proclitics: التحالف،
والتحالف → تحالف; variants: US-led → u.s.-led). A table or a figure should show a word a
reader recognises: :func:`surface_forms` gives, for every ``(lang, term)``, its most
frequent written form in the corpus (lowercased; Arabic without diacritics or tatweel),
and :func:`add_surface` adds it as a ``surface`` column to any result with a term column.
Ties go to the alphabetically first form, so the choice is deterministic.
"""
from __future__ import annotations

import pandas as pd

from framescope.analysis.token_options import PHRASE_JOINER, TokenOptions
from framescope.analysis.tokens import Tokens, tokens
from framescope.corpus.errors import FramescopeError

__all__ = ["surface_forms", "add_surface"]


def surface_forms(source, options: TokenOptions = TokenOptions()) -> pd.DataFrame:
    """Most frequent surface form of every term.

    Parameters
    ----------
    source : Tokens or Corpus
        Tokens (their ``surfaces`` table: the whole corpus when they come from the token
        store) or a corpus (tokenised under ``options``, through the token store).
    options : TokenOptions
        Used when ``source`` is a corpus.

    Returns
    -------
    pandas.DataFrame
        ``lang``, ``term``, ``surface`` (the most frequent written form), ``surface_share``
        (its share of the term's occurrences), ``n_forms`` (distinct written forms).

    Examples
    --------
    >>> toks = tokens(corpus)                                       # doctest: +SKIP
    >>> surface_forms(toks).query("term == 'تحالف'").surface.item()  # doctest: +SKIP
    'التحالف'
    """
    toks = source if isinstance(source, Tokens) else tokens(source, options)
    table = toks.surfaces
    if table is None:
        raise FramescopeError("these tokens carry no surface forms (made by hand?): tokenise the corpus "
                              "with framescope.analysis.tokens.tokens")
    if not len(table):
        return pd.DataFrame({"lang": [], "term": [], "surface": [], "surface_share": [], "n_forms": []})
    ordered = table.sort_values(["lang", "term", "count", "surface"], ascending=[True, True, False, True],
                                kind="stable")
    totals = ordered.groupby(["lang", "term"], sort=False)["count"].agg(["sum", "size"])
    best = ordered.drop_duplicates(["lang", "term"]).set_index(["lang", "term"])
    out = best.join(totals)
    out["surface_share"] = out["count"] / out["sum"]
    out = out.rename(columns={"size": "n_forms"}).reset_index()
    return out[["lang", "term", "surface", "surface_share", "n_forms"]].reset_index(drop=True)


def add_surface(frame: pd.DataFrame, source, term: str = "term", lang: str | None = "lang",
                options: TokenOptions = TokenOptions(), column: str = "surface") -> pd.DataFrame:
    """``frame`` with a ``surface`` column: the written form to display for each term.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any result with a term column (keyness, frequencies, collocates: ``term``,
        ``collocate``, ``node`` ...).
    source : Tokens, Corpus or DataFrame
        Where the surface forms come from (see :func:`surface_forms`), or a table it
        returned.
    term : str
        The column holding the terms.
    lang : str or None
        The column holding the language; None when ``frame`` has none (the first
        language that has the term is used).
    options : TokenOptions, default TokenOptions()
        The tokenisation options the terms were made with, used when ``source`` is a
        Corpus or Tokens and the surface forms must be computed (ignored for a table of
        :func:`surface_forms`).
    column : str
        Name of the new column.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``column`` added. A term without a recorded form (a
        joined phrase, a number placeholder) keeps its own spelling; phrases joined with
        ``_`` are shown with spaces, each word in its surface form.
    """
    if term not in frame:
        raise FramescopeError(f"no column {term!r} in the table (columns: {', '.join(map(str, frame.columns))})")
    forms = source if isinstance(source, pd.DataFrame) and "surface" in source else surface_forms(source, options)
    out = frame.copy()
    if lang is not None and lang in frame:
        lookup = dict(zip(zip(forms["lang"], forms["term"]), forms["surface"]))
        keys = list(zip(out[lang], out[term]))
    else:
        lookup = dict(zip(forms["term"][::-1], forms["surface"][::-1]))  # first language wins
        keys = list(out[term])

    def show(key):
        found = lookup.get(key)
        if found is not None:
            return found
        word = key[1] if isinstance(key, tuple) else key
        if isinstance(word, str) and PHRASE_JOINER in word:
            parts = word.split(PHRASE_JOINER)
            return " ".join(lookup.get((key[0], p) if isinstance(key, tuple) else p, p) for p in parts)
        return word

    out[column] = [show(k) for k in keys]
    return out
