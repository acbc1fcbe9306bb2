"""Back to the texts: the concordance lines behind a result row.

``trace(row, corpus)`` takes one row of a framescope result table and returns the KWIC
lines (:func:`framescope.analysis.kwic.kwic`, same columns) it rests on::

    keyword    a keyness / frequency row (``term``, ``lang``; optional ``group``): every
               occurrence of the term, matched in the form the analysis used
               (``options``: stemming, case, Arabic normalisation), in the row's group
               when ``by`` is given
    collocate  a collocates row (``node``, ``collocate``, optional ``group``): lines of the
               node whose ``span`` analysis tokens to the left or right (stopwords etc.
               removed as in the analysis) contain the collocate; column ``side`` says
               where. KWIC contexts may run over a sentence boundary while the counts
               stop at it, so the number of lines can exceed ``o11`` slightly (both in
               ``attrs``)
    topic      a topic row (``topic``; optional ``term``) with ``doc_topics`` (doc_id,
               topic, weight): the ``top_docs`` documents with the highest weight and, in
               them, the lines of ``terms`` (or the row's term); column ``weight``
    claim      a claims row (``doc_id``, ``sentence_id``, ``sentence``, ``amount_text``):
               the line of the claim's figure in that sentence

The kind is read from the columns unless ``kind`` is given.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from framescope.analysis.counts import group_labels
from framescope.analysis.kwic import KWIC_TOKEN_OPTIONS, kwic
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_words import tokenize
from framescope.corpus.errors import FramescopeError

__all__ = ["trace", "row_kind", "KINDS"]

KINDS = ("keyword", "collocate", "topic", "claim")


def _get(row, key, default=None):
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return default
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    return value


def row_kind(row) -> str:
    """Tell what kind of result a row is from its fields.

    Parameters
    ----------
    row : dict or pandas.Series
        One row of a framescope result table.

    Returns
    -------
    str
        ``'collocate'`` (``node`` and ``collocate``), ``'claim'`` (``doc_id`` and
        ``sentence_id``), ``'topic'`` (``topic``) or ``'keyword'`` (``term``).

    Raises
    ------
    FramescopeError
        When the row has none of these fields.
    """
    if _get(row, "node") is not None and _get(row, "collocate") is not None:
        return "collocate"
    if _get(row, "sentence_id") is not None and _get(row, "doc_id") is not None:
        return "claim"
    if _get(row, "topic") is not None:
        return "topic"
    if _get(row, "term") is not None:
        return "keyword"
    raise FramescopeError("cannot tell what the row is: it needs term, node+collocate, topic or doc_id+sentence_id")


def _in_group(lines: pd.DataFrame, corpus, by, group) -> pd.DataFrame:
    if by is None or group is None or lines.empty:
        return lines
    labels = group_labels(corpus, by)
    return lines[lines["doc_id"].map(labels) == str(group)].reset_index(drop=True)


def _term_pattern(term: str) -> tuple[str, str]:
    # a term is matched literally: glob/regex characters in a token are not operators
    return term, ("phrase" if " " in term else "word")


def trace(row, corpus, options: TokenOptions = TokenOptions(), kind: str | None = None, window: int = 8,
          by: str | None = None, span: int | None = None, doc_topics: pd.DataFrame | None = None,
          terms=None, top_docs: int = 5, limit: int | None = None) -> pd.DataFrame:
    """Return the KWIC lines behind one result row (module docstring: the four kinds).

    Parameters
    ----------
    row : dict or pandas.Series
        One row of a keyness, frequency, collocates, topic or claims table.
    corpus : Corpus
        The corpus the row was computed on.
    options : TokenOptions
        The token options of the analysis that produced the row (terms are matched in
        that form: stemmed, case-folded, ...).
    kind : {'keyword', 'collocate', 'topic', 'claim'}, optional
        The kind of row (default: :func:`row_kind`).
    window : int, default 8
        Tokens of context on each side.
    by : str, optional
        The grouping column of the analysis, to keep only lines of the row's ``group``.
    span : int, optional
        Collocation span (default: the row's ``span``, else 5).
    doc_topics : pandas.DataFrame, optional
        ``doc_id, topic, weight`` of the topic model (topic rows).
    terms : list of str, optional
        Terms whose lines to show in a topic's documents (default: the row's ``term``).
    top_docs : int, default 5
        Documents with the highest weight shown for a topic row.
    limit : int, optional
        Keep the first lines only (the total is ``attrs["n_lines"]``).

    Returns
    -------
    pandas.DataFrame
        KWIC lines (the columns of :func:`framescope.analysis.kwic.kwic`), plus ``side``
        for a collocate row and ``weight`` for a topic row; ``attrs``: ``kind``, ``n_lines``.
    """
    kind = kind or row_kind(row)
    if kind not in KINDS:
        raise FramescopeError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    lang = _get(row, "lang")
    group = _get(row, "group")
    if kind == "keyword":
        term = _get(row, "term")
        if term is None:
            raise FramescopeError("a keyword row needs a term")
        pattern, ptype = _term_pattern(str(term))
        lines = kwic(corpus, pattern, window=window, pattern_type=ptype, lang=lang, options=options)
        lines = _in_group(lines, corpus, by, group)
    elif kind == "collocate":
        lines = _trace_collocate(row, corpus, options, window, by, group, lang, span)
    elif kind == "topic":
        lines = _trace_topic(row, corpus, options, window, doc_topics, terms, top_docs, lang)
    else:
        lines = _trace_claim(row, corpus, window)
    lines.attrs.update({"kind": kind, "n_lines": len(lines)})
    if limit is not None:
        lines = lines.head(limit)
    return lines


def _trace_collocate(row, corpus, options, window, by, group, lang, span) -> pd.DataFrame:
    span = int(span or _get(row, "span", 5))
    node, collocate = str(_get(row, "node")), str(_get(row, "collocate"))
    key_lang = lang or "en"
    # contexts wide enough to hold `span` analysis tokens after stopword removal
    wide = max(window, 4 * span + 4)
    lines = kwic(corpus, node, window=wide, pattern_type="phrase" if " " in node else "word",
                 lang=lang, options=options)
    lines = _in_group(lines, corpus, by, group)
    sides = []
    for left, right in zip(lines["left"], lines["right"]):
        lt = tokenize(left, key_lang, options)[-span:] if left else []
        rt = tokenize(right, key_lang, options)[:span] if right else []
        sides.append("both" if collocate in lt and collocate in rt
                     else "left" if collocate in lt else "right" if collocate in rt else None)
    lines = lines.assign(side=sides)
    lines = lines[lines["side"].notna()].reset_index(drop=True)
    lines.attrs.update({"span": span, "o11": _get(row, "o11")})
    return lines


def _trace_topic(row, corpus, options, window, doc_topics, terms, top_docs, lang) -> pd.DataFrame:
    if doc_topics is None:
        raise FramescopeError("tracing a topic needs doc_topics (doc_id, topic, weight)")
    topic = _get(row, "topic")
    docs = doc_topics[doc_topics["topic"] == topic].sort_values(["weight", "doc_id"], ascending=[False, True])
    docs = docs.head(top_docs)
    if docs.empty:
        raise FramescopeError(f"no document has topic {topic!r}")
    if terms is None:
        term = _get(row, "term")
        terms = [term] if term is not None else []
    sub = corpus.subset(f"doc_id in {list(docs['doc_id'])!r}")
    frames = []
    for term in terms:
        pattern, ptype = _term_pattern(str(term))
        frames.append(kwic(sub, pattern, window=window, pattern_type=ptype, lang=lang, options=options))
    if frames:
        lines = pd.concat(frames, ignore_index=True)
    else:  # no terms: one line per document, its title as context
        lines = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy()})
    weights = docs.set_index("doc_id")["weight"]
    lines.insert(0, "weight", lines["doc_id"].map(weights).to_numpy())
    lines.insert(0, "topic", topic)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    lines = lines.iloc[np.argsort(lines["doc_id"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)
    return lines


def _trace_claim(row, corpus, window) -> pd.DataFrame:
    doc_id, sent = str(_get(row, "doc_id")), int(_get(row, "sentence_id"))
    sub = corpus.subset(f"doc_id == {doc_id!r}")
    if sub.documents.empty:
        raise FramescopeError(f"document {doc_id!r} is not in the corpus")
    amount = _get(row, "amount_text") or _get(row, "sentence")
    if amount is None:
        raise FramescopeError("a claim row needs amount_text or sentence")
    toks = tokenize(str(amount), _get(row, "lang", "en"), KWIC_TOKEN_OPTIONS)
    if not toks:
        raise FramescopeError(f"nothing to search for in {amount!r}")
    lines = kwic(sub, " ".join(toks[:6]), window=window, pattern_type="phrase" if len(toks) > 1 else "word",
                 include_duplicates=True)
    same = lines[lines["sent"] == sent]
    return (same if not same.empty else lines).reset_index(drop=True)
