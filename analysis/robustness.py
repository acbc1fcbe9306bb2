"""Preprocessing sensitivity (Denny & Spirling 2018): do the findings survive other
reasonable preprocessing choices?

A comparison (keyness top-k of target vs reference; optionally the top-k collocates of a
node) is rerun once per choice of :func:`preprocessing_grid`, each changing ONE option of
the default :class:`~framescope.analysis.token_options.TokenOptions`, and compared with the default run.
:func:`robustness` returns one row per (analysis, choice)::

    analysis      'keyness' or 'collocates'
    choice        the option changed (stem, stopwords, lowercase, min_length, numbers,
                  phrases, arabic_normalize, arabic_tatweel, ..., arabic_proclitics)
    setting       its value in this run (phrases: how many detected phrases)
    k             top-k compared
    n_default, n_variant  terms in each top-k (can be < k for small corpora)
    overlap       terms in both top-k lists
    jaccard       |A ∩ B| / |A ∪ B|
    spearman      Spearman's ρ of the two rankings over the union of the two top-k lists;
                  a term's rank is its position in the full ranking of that run, terms
                  missing from a run get the rank after its last term
    entered, exited terms entering / leaving the top-k (';'-joined)

Terms are compared in a common key so that a choice is not penalised for spelling: case
folded, Arabic fully normalised (:func:`framescope.corpus.text.normalize_arabic`), and stemmed in both
lists when either run stems. Keyness top-k: the target's terms with G² > 0 ranked by G²
(:func:`framescope.analysis.keyness.keyness_matrix`, no bootstrap); collocates: ranked by logDice
(:func:`framescope.analysis.collocations.collocates`).

References
----------
Denny, M. J., & Spirling, A. (2018). Text preprocessing for unsupervised learning: Why it
matters, when it misleads, and what to do about it. *Political Analysis*, 26(2), 168–189.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from framescope.analysis.collocations import collocates
from framescope.analysis.counts import dtm
from framescope.analysis.keyness import masks_for, keyness_matrix
from framescope.analysis.token_options import PHRASE_JOINER, TokenOptions
from framescope.analysis.token_words import stem_word
from framescope.analysis.tokens import detect_phrases, tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import progress
from framescope.corpus.text import normalize_arabic

__all__ = ["ROBUSTNESS_COLUMNS", "ARABIC_CHOICES", "preprocessing_grid", "compare_rankings", "robustness"]

#: Columns of :func:`robustness` (module docstring).
ROBUSTNESS_COLUMNS = ["analysis", "choice", "setting", "k", "n_default", "n_variant", "overlap", "jaccard",
                      "spearman", "entered", "exited"]

ARABIC_CHOICES = ("arabic_normalize", "arabic_tatweel", "arabic_diacritics", "arabic_alef",
                  "arabic_alef_maqsura", "arabic_taa_marbuta", "arabic_digits", "arabic_proclitics")


def preprocessing_grid(base: TokenOptions = TokenOptions(), arabic: bool = True, phrases: tuple[str, ...] = (),
                       min_length: int = 3) -> list[tuple[str, str, TokenOptions]]:
    """List the preprocessing variants: the default, then one option changed at a time.

    Parameters
    ----------
    base : TokenOptions
        The default token options.
    arabic : bool, default True
        Add the Arabic choices (each normalisation flag switched, proclitic stripping switched).
    phrases : tuple of str
        Detected phrases to join for the 'phrases' choice (skipped if empty).
    min_length : int, default 3
        The other ``min_length`` tried (1 when the default already is this).

    Returns
    -------
    list of tuple (str, str, TokenOptions)
        ``(choice, setting, options)``, the default first.
    """
    grid = [("default", "default", base),
            ("stem", str(not base.stem), replace(base, stem=not base.stem)),
            ("stopwords", str(not base.stopwords), replace(base, stopwords=not base.stopwords)),
            ("lowercase", str(not base.lowercase), replace(base, lowercase=not base.lowercase)),
            ("min_length", str(min_length if base.min_length != min_length else 1),
             replace(base, min_length=min_length if base.min_length != min_length else 1)),
            ("numbers", "drop" if base.numbers != "drop" else "keep",
             replace(base, numbers="drop" if base.numbers != "drop" else "keep"))]
    if phrases:
        grid.append(("phrases", f"{len(phrases)} detected", replace(base, phrases=tuple(base.phrases) + tuple(phrases))))
    if arabic:
        grid += [(c, str(not getattr(base, c)), replace(base, **{c: not getattr(base, c)})) for c in ARABIC_CHOICES]
    return grid


def _key(term: str, lang: str, stem: bool) -> str:
    key = term.casefold()
    if lang == "ar":
        key = normalize_arabic(key)
    if stem:
        key = PHRASE_JOINER.join(stem_word(lang, part) for part in key.split(PHRASE_JOINER))
    return key


def _keys(terms, langs, stem: bool) -> list[str]:
    out, seen = [], set()
    for t, lg in zip(terms, langs):
        k = _key(str(t), str(lg), stem)
        if k not in seen:  # 'Coalition' and 'coalition' are one entry
            seen.add(k)
            out.append(k)
    return out


def compare_rankings(default: list[str], variant: list[str], k: int) -> dict:
    """Compare the top-``k`` of two full rankings: Jaccard, Spearman and the terms that moved.

    Parameters
    ----------
    default, variant : list of str
        The two rankings (keys, best first), in full.
    k : int
        How many top terms to compare.

    Returns
    -------
    dict
        ``k, n_default, n_variant, overlap, jaccard, spearman, entered, exited`` (the
        columns of :func:`robustness` after ``setting``).
    """
    a, b = default[:k], variant[:k]
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)
    jac = len(sa & sb) / len(sa | sb) if union else np.nan
    rank_a = {t: i for i, t in enumerate(default)}
    rank_b = {t: i for i, t in enumerate(variant)}
    ra = [rank_a.get(t, len(default)) for t in union]
    rb = [rank_b.get(t, len(variant)) for t in union]
    rho = stats.spearmanr(ra, rb).statistic if len(union) > 2 and len(set(ra)) > 1 and len(set(rb)) > 1 else np.nan
    return {"k": k, "n_default": len(a), "n_variant": len(b), "overlap": len(sa & sb), "jaccard": jac,
            "spearman": float(rho), "entered": ";".join(t for t in b if t not in sa),
            "exited": ";".join(t for t in a if t not in sb)}


def _keyness_ranking(corpus, options, target, reference, lang, min_freq, include_duplicates):
    m = dtm(corpus, options, lang=lang, include_duplicates=include_duplicates)
    t_mask, r_mask = masks_for(corpus, m, target, reference)
    table = keyness_matrix(m, t_mask, r_mask, lang, min_freq, n_boot=0, adjust="none")
    table = table[table["g2"] > 0]
    return table["term"].tolist(), table["lang"].tolist()


def _collocate_ranking(corpus, options, node, lang, span, min_freq, include_duplicates):
    table = collocates(corpus, node, by=None, span=span, options=options, lang=lang, min_freq=min_freq,
                       measure="logdice", include_duplicates=include_duplicates)
    return table["collocate"].tolist(), table["lang"].tolist()


def robustness(corpus, target: str, reference: str | None = None, lang: str | None = None, top: int = 20,
               node: str | None = None, span: int = 5, base: TokenOptions = TokenOptions(),
               choices: list[str] | None = None, min_freq: int = 5, phrase_min_count: int = 5,
               include_duplicates: bool = False) -> pd.DataFrame:
    """Measure how keyness top-k (and a node's top collocates) move under each preprocessing choice.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    target : str
        Pandas query selecting the target documents.
    reference : str, optional
        Pandas query selecting the reference documents (default: every other document).
    lang : str, optional
        Restrict to one language; the Arabic choices run only when ``lang`` is None or 'ar'.
    top : int, default 20
        Size of the top lists compared.
    node : str, optional
        Also compare the top collocates of this node.
    span : int, default 5
        Collocation span.
    base : TokenOptions
        The default token options (each variant changes one of them).
    choices : list of str, optional
        Limit the grid to these choices.
    min_freq : int, default 5
        Fewest occurrences of a ranked term.
    phrase_min_count : int, default 5
        Phrases are detected on the default tokens (gensim NPMI ≥ 0.5) at least this often.
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.

    Returns
    -------
    pandas.DataFrame
        :data:`ROBUSTNESS_COLUMNS`, one row per (analysis, choice).

    References
    ----------
    Denny, M. J., & Spirling, A. (2018). *Political Analysis*, 26(2), 168–189.
    """
    if top < 1:
        raise FramescopeError("--top must be at least 1")
    arabic = lang in (None, "ar")
    wanted = set(choices) if choices is not None else None
    phrases: tuple[str, ...] = ()
    if wanted is None or "phrases" in wanted:
        phrases = detect_phrases(tokens(corpus, base, lang=lang, include_duplicates=include_duplicates),
                                 min_count=phrase_min_count)
    grid = preprocessing_grid(base, arabic=arabic, phrases=phrases)
    if wanted is not None:
        known = {c for c, _, _ in grid} | {"phrases"} | set(ARABIC_CHOICES)
        unknown = sorted(wanted - known)
        if unknown:
            raise FramescopeError(f"unknown preprocessing choice {unknown[0]!r} ({', '.join(sorted(known))})")
        grid = [g for g in grid if g[0] == "default" or g[0] in wanted]
    analyses = [("keyness", lambda o: _keyness_ranking(corpus, o, target, reference, lang, min_freq,
                                                       include_duplicates))]
    if node is not None:
        analyses.append(("collocates", lambda o: _collocate_ranking(corpus, o, node, lang, span, max(2, min_freq // 2),
                                                                     include_duplicates)))
    rows = []
    for name, run in analyses:
        default_terms, default_langs = run(base)
        for choice, setting, opts in progress(grid, desc=f"robustness: {name}", unit="choice"):
            if choice == "default":
                continue
            terms, langs = run(opts)
            stem = base.stem or opts.stem
            row = compare_rankings(_keys(default_terms, default_langs, stem), _keys(terms, langs, stem), top)
            rows.append({"analysis": name, "choice": choice, "setting": setting, **row})
    out = pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)
    out.attrs.update({"target": target, "reference": reference, "lang": lang, "top": top, "node": node,
                      "span": span, "base_options": base.as_dict(), "phrases": list(phrases),
                      "corpus_id": corpus.corpus_id})
    return out
