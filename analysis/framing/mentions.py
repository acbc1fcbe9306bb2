"""Lexicon mentions in a corpus as KWIC lines: the rows behind every framing count.

One row per occurrence, with the KWIC columns of :mod:`framescope.analysis.kwic` (doc_id, outlet,
source_type, date, title, lang, sent, left, keyword, right) plus what the lexicon says
about the match. Context is the sentence around the match (``window`` tokens each side,
as written). Matching is leftmost-longest and non-overlapping within a language, so
"US-led coalition" is one mention of that label, not also one of "coalition".
"""
from __future__ import annotations

from typing import Callable, Iterable

import pandas as pd

from framescope.analysis.framing.groupstats import iter_segment_sentences
from framescope.analysis.framing.spans import Match, PhraseMatcher, Tok, scan
from framescope.analysis.groups import document_groups

META_COLUMNS = ["doc_id", "outlet", "source_type", "date", "title"]
LINE_COLUMNS = ["lang", "sent", "role", "left", "keyword", "right"]


def lang_key(lang: str) -> str:
    """Lexicon language of a segment.

    Parameters
    ----------
    lang : str
        The segment's language code.

    Returns
    -------
    str
        'ar' for Arabic, 'en' for everything else.
    """
    return "ar" if lang == "ar" else "en"


def context(sentence: str, toks: list[Tok], start: int, end: int, window: int) -> tuple[str, str, str]:
    """The words around a match, as written.

    Parameters
    ----------
    sentence : str
        The sentence.
    toks : list of Tok
        Its tokens.
    start, end : int
        The match's token span.
    window : int
        Tokens each side (within the sentence).

    Returns
    -------
    tuple of str
        (left, keyword, right).
    """
    lo = max(0, start - window)
    hi = min(len(toks), end + window)
    left = sentence[toks[lo].start:toks[start].start].strip() if start > lo else ""
    keyword = sentence[toks[start].start:toks[end - 1].end]
    right = sentence[toks[end - 1].end:toks[hi - 1].end].strip() if hi > end else ""
    return left, keyword, right


def scan_corpus(corpus, matchers: dict[str, PhraseMatcher],
                extra: Callable[[str, list[Tok], str], Iterable[tuple[int, int, dict]]] | None = None,
                window: int = 8, include_duplicates: bool = False,
                fields: Callable[[Match], dict] | None = None,
                new_document: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Every lexicon match (and every ``extra`` finding) in the corpus' sentences.

    ``matchers``: PhraseMatcher per lexicon language ('en', 'ar'); ``fields(match)`` turns
    a match into the row's lexicon columns; ``extra(sentence, toks, lang)`` yields
    (start, end, columns) for findings that are not lexicon phrases (scare quotes);
    ``new_document(doc_id)`` is called before the first sentence of each document (so that
    ``extra`` can look back at earlier sentences of the same document).

    Parameters
    ----------
    corpus : Corpus
        The documents.
    matchers : dict of str to PhraseMatcher
        Per lexicon language ('en', 'ar').
    extra : callable, optional
        ``extra(sentence, toks, lang)`` → (start, end, columns) findings.
    window : int
        Context tokens each side.
    include_duplicates : bool
        Read documents marked as duplicates too.
    fields : callable, optional
        ``fields(match)`` → the row's lexicon columns.
    new_document : callable, optional
        Called with the doc_id before each document.

    Returns
    -------
    pandas.DataFrame
        doc_id, lang, sent, role, left, keyword, right and the lexicon columns, one row per
        finding in document and sentence order.

    References
    ----------
    Sinclair, J. (1991). *Corpus, Concordance, Collocation*. Oxford University Press (KWIC).
    """
    rows = []
    current = None
    for doc_id, seg, role, lang, sents in iter_segment_sentences(corpus, include_duplicates):
        if new_document is not None and doc_id != current:
            new_document(doc_id)
        current = doc_id
        key = lang_key(lang)
        matcher = matchers.get(key)
        for sent, sentence in sents:
            toks = scan(sentence)
            if not toks:
                continue
            found = []
            if matcher:
                found += [(m.start, m.end, fields(m) if fields else {"phrase": m.phrase})
                          for m in matcher.find(toks)]
            if extra is not None:
                found += list(extra(sentence, toks, key))
            for start, end, cols in sorted(found, key=lambda f: (f[0], f[1])):
                left, keyword, right = context(sentence, toks, start, end, window)
                rows.append({"doc_id": doc_id, "lang": lang, "sent": sent, "role": role,
                             "left": left, "keyword": keyword, "right": right, **cols})
    return pd.DataFrame(rows)


def attach_metadata(lines: pd.DataFrame, corpus, by: str | None, columns: list[str]) -> pd.DataFrame:
    """KWIC column order with document metadata.

    Parameters
    ----------
    lines : pandas.DataFrame
        :func:`scan_corpus` rows.
    corpus : Corpus
        Their documents.
    by : str, list of str or None
        Add ``group`` first (duplicates labelled too).
    columns : list of str
        The lexicon columns, placed last.

    Returns
    -------
    pandas.DataFrame
        [group,] doc_id, outlet, source_type, date, title, lang, sent, role, left, keyword,
        right, ``*columns``.
    """
    cols = (["group"] if by is not None else []) + META_COLUMNS + LINE_COLUMNS + columns
    if lines.empty:
        return pd.DataFrame(columns=cols)
    docs = corpus.documents
    meta = docs[[c for c in META_COLUMNS if c in docs]].drop_duplicates("doc_id")
    out = lines.merge(meta, on="doc_id", how="left", sort=False)
    if by is not None:
        # labels only: which documents take part is decided by the statistic (framescope.analysis.groups)
        out.insert(0, "group", out["doc_id"].map(document_groups(corpus, by, keep_duplicates=True)))
    return out[cols].reset_index(drop=True)


def lines_behind(lines: pd.DataFrame, **where) -> pd.DataFrame:
    """The KWIC lines behind one count: ``lines_behind(lines, group='wire', label='ISIS')``.

    Each keyword names a column of ``lines`` and the value it must have; a list of values
    keeps any of them. Unknown columns raise a one-line error.

    Parameters
    ----------
    lines : pandas.DataFrame
        KWIC lines.
    **where
        column=value (or list of values) filters; None values are ignored.

    Returns
    -------
    pandas.DataFrame
        The lines that match every filter.

    Raises
    ------
    FramescopeError
        A filter names a column ``lines`` does not have.
    """
    from framescope.corpus.errors import FramescopeError

    mask = pd.Series(True, index=lines.index)
    for col, value in where.items():
        if value is None:
            continue
        if col not in lines.columns:
            raise FramescopeError(f"no column {col!r} in these lines ({', '.join(lines.columns)})")
        values = value if isinstance(value, (list, tuple, set)) else [value]
        mask &= lines[col].isin(list(values))
    return lines[mask].reset_index(drop=True)
