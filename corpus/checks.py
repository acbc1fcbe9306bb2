"""Checks of command-line arguments against a corpus folder, before any long computation.

A misspelled language, column or query would otherwise give an empty table ("wrote 0
rows") or an error that lists only the columns a partial read loaded. Each check reads
only the metadata it needs (the schema of ``documents.parquet``, the ``lang`` column of
``segments.parquet``) and ends in a one-line :class:`~framescope.corpus.errors.FramescopeError` that
names what is available and the closest match.
"""
from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from framescope.corpus.errors import FramescopeError
from framescope.corpus.store import ANALYSABLE_ROLES, corpus_folder, read_documents

__all__ = ["closest", "did_you_mean", "language_codes", "check_language", "check_column_expression",
           "check_query", "warn_small_groups", "check_corpus_arguments", "take_warnings"]


def closest(word: str, candidates, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Find the candidates most like ``word`` (case-insensitive).

    Parameters
    ----------
    word : str
        The word as typed.
    candidates : iterable of str
        The words it may have meant.
    n : int, default 1
        How many to return at most.
    cutoff : float, default 0.6
        Least difflib similarity ratio.

    Returns
    -------
    list of str
        Up to ``n`` candidates, best first.
    """
    candidates = [str(c) for c in candidates]
    folded = {c.casefold(): c for c in candidates}
    return [folded[m] for m in difflib.get_close_matches(str(word).casefold(), list(folded), n=n, cutoff=cutoff)]


def did_you_mean(word: str, candidates) -> str:
    """Suggest the closest candidate, as the end of an error message.

    Parameters
    ----------
    word : str
        The word as typed.
    candidates : iterable of str
        The words it may have meant.

    Returns
    -------
    str
        ``"; did you mean 'x'?"`` for the closest candidate, or ``""``.
    """
    match = closest(word, candidates)
    return f"; did you mean {match[0]!r}?" if match else ""


@functools.lru_cache(maxsize=1)
def language_codes() -> dict[str, str]:
    """Map language names (lower case, e.g. 'english', 'arabic') to ISO 639-1 codes, from lingua.

    Returns
    -------
    dict of str to str
        Name → code.
    """
    try:
        from lingua import Language
    except ImportError:  # lingua is a dependency; without it only codes are matched
        return {}
    return {lang.name.lower(): lang.iso_code_639_1.name.lower() for lang in Language.all()}


def _segment_languages(folder: Path) -> dict[str, int]:
    """Analysable segments per language code in a corpus folder."""
    segs = pq.read_table(folder / "segments.parquet", columns=["role", "lang"]).to_pandas()
    segs = segs[segs["role"].isin(ANALYSABLE_ROLES)]
    return segs["lang"].value_counts().sort_index().to_dict()


def check_language(folder, lang: str | None, option: str = "--lang") -> None:
    """Check that ``lang`` is the code of a language the corpus has segments in.

    Parameters
    ----------
    folder : str or pathlib.Path
        The corpus folder.
    lang : str or None
        The language code (None: nothing to check).
    option : str, default "--lang"
        The option named in the error.

    Raises
    ------
    FramescopeError
        One line naming what is available and the closest match.
    """
    if lang is None:
        return
    available = _segment_languages(corpus_folder(folder))
    if available.get(lang):
        return
    listed = ", ".join(f"{code} ({n:,} segments)" for code, n in available.items()) or "none"
    code = language_codes().get(lang.strip().lower())
    if code in available:
        hint = f"; did you mean {code!r} ({lang.strip().lower()})?"
    else:
        hint = did_you_mean(lang, available) or (f"; {lang!r} is {code!r}, which this corpus does not have"
                                                 if code else "")
    raise FramescopeError(f"{option} {lang!r}: no analysable segments in that language (languages are "
                          f"ISO 639-1 codes; this corpus has: {listed}){hint}")


def _columns(folder: Path) -> list[str]:
    return [c for c in pq.ParquetFile(folder / "documents.parquet").schema_arrow.names]


def _metadata(folder: Path, columns: list[str]) -> pd.DataFrame:
    # every metadata column but the text: cheap, and any expression over metadata evaluates
    return read_documents(folder, columns=[c for c in columns if c != "text"])


_UNDEFINED = re.compile(r"name '([^']+)' is not defined")


def _unknown_name_hint(exc: Exception, columns: list[str]) -> str:
    found = _UNDEFINED.search(str(exc))
    if not found:
        return ""
    name = found.group(1)
    return f"no column {name!r}" + did_you_mean(name, columns)


def check_column_expression(folder, by: str | None, option: str = "--by",
                            documents: pd.DataFrame | None = None) -> None:
    """Check that ``by`` is a document column or a pandas expression over the columns.

    Parameters
    ----------
    folder : str or pathlib.Path
        The corpus folder.
    by : str or None
        The column or expression (None: nothing to check).
    option : str, default "--by"
        The option named in the error.
    documents : pandas.DataFrame, optional
        The documents' metadata, when already read.

    Raises
    ------
    FramescopeError
        One line naming what is available and the closest match.
    """
    if by is None:
        return
    folder = corpus_folder(folder)
    columns = _columns(folder)
    if by in columns:
        return
    listed = ", ".join(c for c in columns if c != "text")
    parts = [p.strip() for p in by.split(",")]
    if len(parts) > 1 and all(re.fullmatch(r"\w+", p) for p in parts):
        # several columns crossed ("alignment,source_type" → pro_damascus/state_media)
        for part in parts:
            if part not in columns:
                raise FramescopeError(f"cannot group by {part!r} ({option}): no such document column"
                                      f"{did_you_mean(part, columns)} (columns: {listed})")
        return
    if re.fullmatch(r"\w+", by):
        raise FramescopeError(f"cannot group by {by!r} ({option}): no such document column"
                              f"{did_you_mean(by, columns)} (columns: {listed})")
    docs = documents if documents is not None else _metadata(folder, columns)
    try:
        values = docs.eval(by, engine="python")
    except Exception as exc:  # pandas raises many types for a bad expression
        hint = _unknown_name_hint(exc, columns) or str(exc).splitlines()[0]
        raise FramescopeError(f"cannot group by {by!r} ({option}): not a column nor an expression over the "
                              f"columns ({hint}; columns: {listed})") from None
    if not isinstance(values, pd.Series) or len(values) != len(docs):
        raise FramescopeError(f"cannot group by {by!r} ({option}): it does not give one value per document")


def check_query(folder, query: str | None, option: str, documents: pd.DataFrame | None = None) -> int | None:
    """Check that ``query`` is a valid pandas query that selects at least one document.

    Parameters
    ----------
    folder : str or pathlib.Path
        The corpus folder.
    query : str or None
        The pandas query (None: nothing to check).
    option : str
        The option named in the error (``--target``, ``--query``, ...).
    documents : pandas.DataFrame, optional
        The documents' metadata, when already read.

    Returns
    -------
    int or None
        The number of documents it selects (None without a query).

    Raises
    ------
    FramescopeError
        One line naming what is available and the closest match.
    """
    if not query:
        return None
    folder = corpus_folder(folder)
    columns = _columns(folder)
    docs = documents if documents is not None else _metadata(folder, columns)
    try:
        n = len(docs.query(query, engine="python"))
    except Exception as exc:  # pandas raises many types for a bad expression
        hint = _unknown_name_hint(exc, columns) or str(exc).splitlines()[0]
        listed = ", ".join(c for c in columns if c != "text")
        raise FramescopeError(f"bad query {query!r} ({option}): {hint} (columns: {listed})") from None
    if n == 0:
        raise FramescopeError(f"{option} {query!r} selects no document (of {len(docs):,})")
    return n


#: Warnings of the checks, printed by the command line once the command has succeeded (a
#: command that fails ends in its one-line error alone).
_PENDING: list[str] = []


def _warn(message: str) -> None:
    _PENDING.append(message)


def take_warnings() -> list[str]:
    """Return the warnings the checks have made since the last call, and forget them.

    Returns
    -------
    list of str
        The warnings, oldest first.
    """
    out = list(_PENDING)
    _PENDING.clear()
    return out


def warn_small_groups(labels: pd.Series, what: str = "group") -> list[str]:
    """Warn about every group with a single document (:func:`take_warnings`).

    A document bootstrap cannot vary such a group, so its interval is meaningless.

    Parameters
    ----------
    labels : pandas.Series
        The group of each document.
    what : str, default "group"
        The word used for a group in the warning.

    Returns
    -------
    list of str
        The groups with a single document.
    """
    sizes = labels.astype(object).where(labels.notna(), "(missing)").map(str).value_counts()
    single = sorted(sizes.index[sizes == 1])
    for g in single:
        _warn(f"{what} {g!r} has only 1 document: its confidence interval is meaningless")
    return single


def check_corpus_arguments(folder, lang: str | None = None, by: str | None = None,
                           queries: dict[str, str | None] | None = None, subset: str | None = None,
                           include_duplicates: bool = True) -> None:
    """All checks of one command's arguments, reading the metadata once.

    Warns about groups (``by``) and query selections of a single document.

    Parameters
    ----------
    folder : str or pathlib.Path
        The corpus folder.
    lang : str, optional
        The ``--lang`` code.
    by : str, optional
        The ``--by`` column or expression.
    queries : dict of str to str, optional
        Option name → pandas query (``{'--target': ..., '--reference': ...}``).
    subset : str, optional
        A ``--query`` the groups are counted within.
    include_duplicates : bool, default True
        Count documents whose ``duplicate_of`` is set.

    Raises
    ------
    FramescopeError
        One line naming what is available and the closest match.
    """
    folder = corpus_folder(folder)
    check_language(folder, lang)
    if by is None and not queries and not subset:
        return
    columns = _columns(folder)
    docs = _metadata(folder, columns)
    if not include_duplicates and "duplicate_of" in docs:
        docs = docs[docs["duplicate_of"].isna()]
    if subset:
        check_query(folder, subset, "--query", docs)
        docs = docs.query(subset, engine="python")
    for option, query in (queries or {}).items():
        n = check_query(folder, query, option, docs)
        if n == 1:
            _warn(f"{option} {query!r} selects only 1 document: its confidence intervals are meaningless")
    if by is not None:
        check_column_expression(folder, by, documents=docs)
        values = docs[by] if by in docs else docs.eval(by, engine="python")
        warn_small_groups(values)
