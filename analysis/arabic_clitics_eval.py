"""Error rate of the Arabic proclitic rules on a hand-annotated sample (issue 17).

The sample, ``tests/data/arabic_clitics_sample.csv``, holds 330 word tokens drawn at random
(seed 17) from 110 random non-duplicate SaudiNewsNet documents: ``doc_id``, ``seg``,
``surface`` (the word as written) and ``gold``, its segmentation annotated by hand under
the scheme of :mod:`framescope.analysis.arabic_clitics` (``و+ال+تنسيق``, ``ل+ال+أشقاء`` for للأشقاء,
``ب+نا``; only و ف ب ك ل and ال are proclitics: سيكون, فيما, الذين are one word). A token is
an error when the stem the rules give differs from the gold stem (both normalised).

    .venv/bin/python tools/eval_arabic_clitics.py --corpus out/corpus
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from framescope.analysis.arabic_clitics import segment
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_words import DocContext, stopword_set
from framescope.analysis.tokens import document_raw_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.text import normalize_arabic

__all__ = ["SAMPLE", "evaluate", "summarise"]

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "arabic_clitics_sample.csv"


def _gold_stem(gold: str) -> tuple[str, ...]:
    return tuple(gold.split("+"))


def evaluate(corpus, sample: str | Path = SAMPLE, options: TokenOptions = TokenOptions(),
             frequency_check: bool = True) -> pd.DataFrame:
    """Compare the proclitic rules' stems with the hand-annotated ones, token by token.

    The segmenter is evaluated alone (stopwords are not passed to it, so وكان must become
    و + كان); ``stopword`` marks the tokens the counts drop anyway.

    Parameters
    ----------
    corpus : Corpus
        A corpus holding the sample's SaudiNewsNet documents (each document's own lexicon
        decides ambiguous splits).
    sample : str or pathlib.Path
        The annotated sample (default ``tests/data/arabic_clitics_sample.csv``).
    options : TokenOptions
        Token options (Arabic normalisation flags and the shortest stem).
    frequency_check : bool, default True
        ``False`` evaluates the lexicon-free fallback rule, for comparison.

    Returns
    -------
    pandas.DataFrame
        One row per sample token: ``doc_id``, ``surface``, ``gold``, ``gold_stem``, ``stem``
        (the rules'), ``error`` (bool), ``kind`` ('over' split too much, 'under' too
        little, 'wrong' both or other), ``clitic_letter`` (the word starts with و ف ب ك ل
        or ا), ``stopword``.
    """
    table = pd.read_csv(sample, dtype=str, keep_default_na=False)
    missing = sorted(set(table["doc_id"]) - set(corpus.documents["doc_id"]))
    if missing:
        raise FramescopeError(f"{len(missing)} sample document(s) not in the corpus (e.g. {missing[0]}); "
                              "evaluate on a corpus that holds SaudiNewsNet")
    # the sample's documents only: each lookup below then scans their segments, not the
    # whole corpus's (a document's tokens and lexicon are its own, so the result is the same)
    wanted = set(table["doc_id"])
    corpus = dataclasses.replace(corpus, documents=corpus.documents[corpus.documents["doc_id"].isin(wanted)],
                                 segments=corpus.segments[corpus.segments["doc_id"].isin(wanted)])
    flags = options.arabic_flags()
    stops = stopword_set("ar", options)
    contexts: dict[str, DocContext] = {}
    rows = []
    for doc_id, surface, gold in zip(table["doc_id"], table["surface"], table["gold"]):
        if doc_id not in contexts:
            contexts[doc_id] = DocContext.of(document_raw_tokens(corpus, doc_id, options), options)
        word = normalize_arabic(surface, **flags)
        written = normalize_arabic(surface, tatweel=True, diacritics=True, alef=False, alef_maqsura=False,
                                   taa_marbuta=False, digits=False)
        clitics, stem = segment(word, contexts[doc_id].lexicon, options.arabic_min_stem, written,
                                frequency_check=frequency_check)
        parts = gold.split("+")
        gold_stem = normalize_arabic(parts[-1], **flags)
        n_gold, n_sys = len(parts) - 1, len(clitics)
        error = stem != gold_stem
        kind = "" if not error else ("over" if n_sys > n_gold else "under" if n_sys < n_gold else "wrong")
        rows.append({"doc_id": doc_id, "surface": surface, "gold": gold, "gold_stem": gold_stem, "stem": stem,
                     "error": error, "kind": kind, "clitic_letter": word[:1] in "وفبكلا",
                     "stopword": word in stops})
    return pd.DataFrame(rows)


def summarise(result: pd.DataFrame) -> pd.DataFrame:
    """Summarise the error rate with its 95% Wilson interval, overall and by subset.

    Parameters
    ----------
    result : pandas.DataFrame
        A table of :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        ``subset``, ``n``, ``errors``, ``error_rate``, ``error_rate_low``,
        ``error_rate_high`` (the interval named after its estimate, docs/columns.md),
        ``over``, ``under``.
    """
    subsets = {"all tokens": result, "starts with و ف ب ك ل ا": result[result["clitic_letter"]],
               "content words (not stopwords)": result[~result["stopword"]]}
    rows = []
    for name, part in subsets.items():
        n, k = len(part), int(part["error"].sum())
        low, high = _wilson(k, n)
        rows.append({"subset": name, "n": n, "errors": k, "error_rate": k / n if n else float("nan"),
                     "error_rate_low": low, "error_rate_high": high, "over": int((part["kind"] == "over").sum()),
                     "under": int((part["kind"] == "under").sum())})
    return pd.DataFrame(rows)


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a proportion (Wilson 1927)."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
