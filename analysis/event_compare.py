"""Framing compared inside events, and casualty claims against an NGO reference.

:func:`within_event_difference` estimates how much a group of outlets differs from a
reference group *on the same events* (event fixed effects: the pooled within-event
difference), with intervals that resample events, not documents (documents of one event
are not independent). The same contrast without matching is reported beside it, so a
reader sees how much of a raw group difference is event selection.

:func:`document_measures` turns the claims table into one row of measures per document;
any other document-level measure (actor-label or marker rates, a topic share) can be
passed to :func:`within_event_difference` the same way: a DataFrame with ``doc_id`` and
numeric columns.

:func:`claims_against_reference` compares extracted death tolls with FA-KES's
credibility label (whether the article's casualty figures agree with the Violations
Documentation Center's records).

References
----------
Wooldridge, J. M. (2010). *Econometric Analysis of Cross Section and Panel Data*, 2nd ed.,
ch. 10 (fixed-effects estimator). MIT Press.
Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008). Bootstrap-based improvements for
inference with clustered errors. *Review of Economics and Statistics* 90(3), 414–427.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. *JASA* 22, 209–212.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from framescope.analysis.resampling import multinomial_weights, percentile_interval, resampled_means
from framescope.corpus.errors import FramescopeError

#: Columns of :func:`within_event_difference`.
DIFFERENCE_COLUMNS = ["measure", "design", "group", "reference", "estimate", "estimate_low", "estimate_high",
                      "n_events", "n_docs_group", "n_docs_reference", "n_boot", "seed"]
#: Measures of :func:`document_measures` (besides ``doc_id``).
MEASURE_COLUMNS = ["claims", "toll_max", "toll_min", "log_toll_max", "attributed_share"]
#: Columns of :func:`claims_against_reference`.
REFERENCE_COLUMNS = ["level", "name", "n_docs", "n_with_toll", "credible_with_toll",
                     "credible_share", "credible_share_low", "credible_share_high", "credible_share_without_toll"]


#: Cues of a cumulative (background) toll: "the conflict has killed more than 280000 people since
#: 2011" is not a claim about the event. No nested quantifiers: the scan is linear.
BACKGROUND_CUES = re.compile(
    r"\bsince (?:the (?:syrian |iraqi )?(?:conflict|war|uprising|revolution|crisis)|then|it (?:began|started|erupted)"
    r"|syrias (?:conflict|war|uprising)|syria's (?:conflict|war|uprising)"
    r"|(?:march |the start of |the beginning of )?2011|the (?:start|beginning|outbreak) of)\b"
    r"|\b(?:conflict|war|crisis) (?:has|have|had) (?:since )?(?:killed|left|claimed|caused)\b"
    r"|\b(?:has|have) since killed\b|\bthroughout the (?:war|conflict)\b|\byears of (?:war|conflict)\b"
    r"|\b(?:war|conflict) in syria (?:which|that)\b|\bmillions (?:more )?(?:displaced|forced|have been|of people)\b"
    r"|\b(?:over|in) the (?:past|last) (?:year|years|\w+ years)\b"
    r"|\bsince (?:its|the countrys|the country's) (?:conflict|war)\b|\bmarch 2011\b"
    r"|\b(?:conflict|war) (?:which|that) (?:began|has|will)\b|\b(?:which|that) (?:has|have) killed\b"
    r"|منذ (?:بدء|بداية|اندلاع)|منذ عام 2011|منذ 2011", re.IGNORECASE)


def is_background_claim(sentence: str) -> bool:
    """Tell whether a claim's sentence states a cumulative toll (a war's total), not an event's.

    Used by :func:`document_measures` to keep totals such as "more than 280000 people have
    been killed since 2011" out of the event measures.

    Parameters
    ----------
    sentence : str
        The sentence holding the claim.

    Returns
    -------
    bool
        True when a cue of a cumulative toll (``since 2011``, ``so far``, ...) is present.
    """
    return bool(BACKGROUND_CUES.search(str(sentence or "")))


def document_measures(claims_df: pd.DataFrame, doc_ids=None,
                      attribution_classes: tuple[str, ...] = ("ngo", "government", "state_media",
                                                                   "military", "un", "media"),
                      background: bool = False) -> pd.DataFrame:
    """One row per document: casualty-claim measures for within-event comparison.

    Parameters
    ----------
    claims_df : pandas.DataFrame
        Output of :func:`framescope.analysis.framing.claims`.
    doc_ids : iterable of str, optional
        Documents to report (those without a claim get ``claims = 0`` and null tolls);
        by default the documents in ``claims_df``.
    attribution_classes : tuple of str
        A ``cites_<class>`` indicator (1 if the document attributes at least one claim to
        that class, else 0; null for documents without claims) is added for each.
    background : bool
        Keep claims whose sentence states a cumulative toll (:func:`is_background_claim`);
        left out by default.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``claims`` (number of claims), ``toll_max`` / ``toll_min`` (largest /
        smallest number of people claimed killed; a range counts by its upper / lower
        bound), ``log_toll_max`` (log10(1 + toll_max): tolls are skewed), ``attributed_share``
        (share of claims attributed to a source), ``cites_<class>``.
    """
    need = {"doc_id", "number", "outcome", "attribution_class"}
    if missing := need - set(claims_df.columns):
        raise FramescopeError(f"claims table lacks columns {sorted(missing)}")
    cl = claims_df.copy()
    if "subset_of" in cl:
        # "including four children" is part of its total, not a claim of its own
        cl = cl[cl["subset_of"].isna()]
    if not background and "sentence" in cl:
        cl = cl[~cl["sentence"].map(is_background_claim)]
    cl["attributed"] = ~cl["attribution_class"].isin(["unattributed"]) & cl["attribution_class"].notna()
    killed = cl[(cl["outcome"] == "killed") & cl["number"].notna()].copy()
    hi = killed["number_max"] if "number_max" in killed else killed["number"]
    lo = killed["number_min"] if "number_min" in killed else killed["number"]
    killed["hi"] = hi.fillna(killed["number"]).astype(float)
    killed["lo"] = lo.fillna(killed["number"]).astype(float)
    g = cl.groupby("doc_id")
    out = pd.DataFrame({"claims": g.size(), "attributed_share": g["attributed"].mean()})
    k = killed.groupby("doc_id")
    out["toll_max"] = k["hi"].max()
    out["toll_min"] = k["lo"].min()
    out["log_toll_max"] = np.log10(1 + out["toll_max"])
    for cls in attribution_classes:
        out[f"cites_{cls}"] = g["attribution_class"].agg(lambda s, c=cls: float((s == c).any()))
    ids = pd.Index(pd.unique(pd.Series(list(doc_ids)))) if doc_ids is not None else out.index
    out = out.reindex(ids)
    out["claims"] = out["claims"].fillna(0).astype("int64")
    out.index.name = "doc_id"
    cols = MEASURE_COLUMNS + [f"cites_{c}" for c in attribution_classes]
    return out.reset_index()[["doc_id"] + cols]


#: Measures of :func:`framing_measures` (besides ``doc_id``).
FRAMING_MEASURE_COLUMNS = ["n_tokens", "agentless_share", "agent_named_share", "distancing_per_10k",
                           "delegitimising_per_10k", "terrorists_per_10k"]


def framing_measures(corpus, agency_lines: pd.DataFrame | None = None,
                     marker_lines: pd.DataFrame | None = None,
                     actor_lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: agency, distancing and labelling measures.

    Parameters
    ----------
    corpus : corpus.Corpus
        The documents to measure (duplicates left out, as in every analysis).
    agency_lines, marker_lines, actor_lines : pandas.DataFrame, optional
        Outputs of :func:`framescope.analysis.framing.agency_sentences`, ``marker_mentions`` and
        ``actor_mentions`` when already computed; computed otherwise.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``n_tokens`` (analysable tokens), ``agentless_share`` / ``agent_named_share``
        (share of the document's killing expressions with no agent / with the agent as
        subject or in a by-phrase; null without killing expressions), ``distancing_per_10k``,
        ``delegitimising_per_10k`` (markers per 10,000 tokens) and ``terrorists_per_10k``
        (the label "terrorists" for any actor per 10,000 tokens).
    """
    from framescope.analysis import framing
    from framescope.analysis.framing.groupstats import document_sizes

    sizes = document_sizes(corpus)
    out = pd.DataFrame({"n_tokens": sizes})
    ag = agency_lines if agency_lines is not None else framing.agency_sentences(corpus)
    if len(ag):
        g = ag.groupby("doc_id")["agency"]
        out["agentless_share"] = g.agg(lambda s: float((s == "agentless").mean()))
        out["agent_named_share"] = g.agg(lambda s: float(s.isin(["agent", "by_phrase"]).mean()))
    else:
        out["agentless_share"] = out["agent_named_share"] = np.nan
    mk = marker_lines if marker_lines is not None else framing.marker_mentions(corpus)
    for cat in ("distancing", "delegitimising"):
        n = mk[mk["category"] == cat].groupby("doc_id").size() if len(mk) else pd.Series(dtype=float)
        out[f"{cat}_per_10k"] = n.reindex(out.index).fillna(0) / out["n_tokens"].where(out["n_tokens"] > 0) * 1e4
    ac = actor_lines if actor_lines is not None else framing.actor_mentions(corpus)
    n = ac[ac["label"].str.lower() == "terrorists"].groupby("doc_id").size() if len(ac) else pd.Series(dtype=float)
    out["terrorists_per_10k"] = n.reindex(out.index).fillna(0) / out["n_tokens"].where(out["n_tokens"] > 0) * 1e4
    out.index.name = "doc_id"
    return out.reset_index()[["doc_id"] + FRAMING_MEASURE_COLUMNS]


def term_measures(corpus, terms, options=None) -> pd.DataFrame:
    """One row per document: the rate of each key term per 10,000 tokens.

    Parameters
    ----------
    corpus : framescope.corpus.Corpus
        The documents to measure (duplicates left out, as in every analysis).
    terms : list of str
        Terms as written ("terrorists", "regime", "التحالف"); each is tokenised with the
        same options as the counts, so "U.S.-led" finds "us-led" and التحالف finds تحالف.
    options : framescope.analysis.token_options.TokenOptions, optional
        Token options (the analysis defaults when omitted).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``n_tokens`` and one column ``term_<term>_per_10k`` per term (0 where the
        term is absent; null for documents without tokens).
    """
    from framescope.analysis.counts import dtm
    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.token_words import tokenize

    options = options or TokenOptions()
    if not terms:
        raise FramescopeError("give at least one term")
    m = dtm(corpus, options)
    sizes = np.asarray(m.matrix.sum(axis=1)).ravel().astype(float)
    out = pd.DataFrame({"doc_id": m.doc_ids, "n_tokens": sizes})
    vocab = np.asarray(m.vocab.terms, dtype=object)
    for term in terms:
        lang = "ar" if re.search("[\u0600-\u06ff]", term) else "en"
        toks = tokenize(term, lang, options)
        if len(toks) != 1:
            raise FramescopeError(f"term {term!r} is {len(toks)} tokens under these token options "
                                  f"({' '.join(toks) or 'a stopword'}); give one word")
        cols = np.flatnonzero(vocab == toks[0])
        counts = np.asarray(m.matrix[:, cols].sum(axis=1)).ravel() if len(cols) else np.zeros(len(sizes))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"term_{term}_per_10k"] = np.where(sizes > 0, counts / sizes * 1e4, np.nan)
    return out


def within_event_difference(measures: pd.DataFrame, assignments: pd.DataFrame,
                            measure_columns: list[str] | None = None, reference: str | None = None,
                            groups: list[str] | None = None, n_boot: int = 2000, seed: int = 0,
                            ci: float = 0.95) -> pd.DataFrame:
    """Group differences in document measures inside events (matched) and overall (unmatched).

    Parameters
    ----------
    measures : pandas.DataFrame
        ``doc_id`` and numeric measure columns (null = not measured for that document).
    assignments : pandas.DataFrame
        The document → event table of :func:`framescope.analysis.events.events` (``doc_id``,
        ``event_id``, ``group``).
    measure_columns : list of str, optional
        Measures to compare; all numeric columns by default.
    reference : str, optional
        The group every other group is compared with; by default the largest group.
    groups : list of str, optional
        Groups to compare with the reference; by default every other group.
    n_boot : int
        Bootstrap replicates: events are resampled for the matched design, documents
        (within group) for the unmatched one.
    seed : int
        Seed of the resampling (numpy PCG64).
    ci : float
        Coverage of the percentile interval.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFFERENCE_COLUMNS`, one row per (measure, design, group). ``design`` is
        ``matched`` (event fixed effects: the least-squares coefficient of a group indicator
        after removing each event's mean, i.e. a weighted mean of within-event differences,
        on events with documents of both groups) or ``unmatched`` (difference of group means
        over every matched-or-not document with the measure). ``n_events`` counts the events
        in which both groups are present (null for unmatched). The interval columns are
        ``estimate_low`` and ``estimate_high`` (docs/columns.md).

    References
    ----------
    Wooldridge, J. M. (2010). *Econometric Analysis of Cross Section and Panel Data*, 2nd ed.,
    ch. 10. MIT Press.
    Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements for
    inference with clustered errors. *Review of Economics and Statistics*, 90(3), 414–427.
    """
    if not 0 < ci < 1 or n_boot < 1:
        raise FramescopeError("ci must lie between 0 and 1 and n_boot be at least 1")
    for col in ("doc_id", "event_id", "group"):
        if col not in assignments:
            raise FramescopeError(f"assignments lack column {col!r}")
    cols = measure_columns or [c for c in measures.columns
                               if c != "doc_id" and pd.api.types.is_numeric_dtype(measures[c])]
    if missing := [c for c in cols if c not in measures]:
        raise FramescopeError(f"no measure columns {missing}; available: "
                              + ", ".join(c for c in measures.columns if c != "doc_id"))
    data = assignments[["doc_id", "event_id", "group"]].merge(measures[["doc_id"] + cols], on="doc_id")
    sizes = data["group"].value_counts()
    if sizes.empty:
        raise FramescopeError("no document has both an event and a measure")
    ref = reference if reference is not None else sorted(sizes.index, key=lambda g: (-sizes[g], g))[0]
    if ref not in sizes:
        raise FramescopeError(f"no group {ref!r}; groups: {', '.join(sorted(sizes.index))}")
    others = groups or sorted(g for g in sizes.index if g != ref)
    if not others:
        raise FramescopeError(f"only one group ({ref!r}) among the matched documents: nothing to compare "
                              "(is the grouping column filled for these documents?)")
    rng_seed = np.random.SeedSequence(seed)
    rows = []
    for m in cols:
        for g in others:
            sub = data[data["group"].isin([g, ref]) & data[m].notna()]
            child = np.random.default_rng(rng_seed.spawn(1)[0])
            rows.append(_matched_row(sub, m, g, ref, n_boot, child, ci) + [n_boot, seed])
            rows.append(_unmatched_row(sub, m, g, ref, n_boot, child, ci) + [n_boot, seed])
    out = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
    out["n_events"] = pd.array(out["n_events"].tolist(), dtype="Int64")
    out.attrs.update({"reference": ref, "ci": ci, "n_boot": n_boot, "seed": seed,
                      "interval": "percentile; matched resamples events, unmatched resamples documents within group"})
    return out


def fixed_effects_terms(y: np.ndarray, x: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-event sums Σ(x − x̄ₑ)(y − ȳₑ) and Σ(x − x̄ₑ)² of the within-event estimator.

    The fixed-effects coefficient is ``Sxy.sum() / Sxx.sum()``; events where ``x`` does
    not vary contribute zero to both, so they drop out.

    Parameters
    ----------
    y : numpy.ndarray of float
        The measure of each document.
    x : numpy.ndarray of float
        The group indicator (1: the group, 0: the reference) of each document.
    event : numpy.ndarray
        The event of each document.

    Returns
    -------
    tuple of numpy.ndarray
        ``(Sxy, Sxx)``, one entry per event in sorted order.
    """
    codes, inv = np.unique(event, return_inverse=True)
    n = np.bincount(inv).astype(float)
    xm = np.bincount(inv, weights=x) / n
    ym = np.bincount(inv, weights=y) / n
    dx, dy = x - xm[inv], y - ym[inv]
    return np.bincount(inv, weights=dx * dy), np.bincount(inv, weights=dx * dx)


def _matched_row(sub, m, g, ref, n_boot, rng, ci):
    x = (sub["group"] == g).to_numpy(float)
    sxy, sxx = fixed_effects_terms(sub[m].to_numpy(float), x, sub["event_id"].to_numpy())
    both = sxx > 0
    sxy, sxx = sxy[both], sxx[both]
    n_events = int(both.sum())
    kept = np.unique(sub["event_id"].to_numpy())[both]  # the order of fixed_effects_terms
    in_both = sub["event_id"].isin(kept)
    n_g = int(((sub["group"] == g) & in_both).sum())
    n_r = int(((sub["group"] == ref) & in_both).sum())
    if n_events == 0:
        return [m, "matched", g, ref, np.nan, np.nan, np.nan, 0, n_g, n_r]
    est = sxy.sum() / sxx.sum()
    w = multinomial_weights(rng, n_events, n_boot)
    den = w @ sxx
    reps = np.where(den > 0, (w @ sxy) / np.where(den > 0, den, 1), np.nan)
    lo, hi = percentile_interval(reps, ci, skip_nan=True, percent=False) if n_events > 1 else (np.nan, np.nan)
    return [m, "matched", g, ref, float(est), float(lo), float(hi), n_events, n_g, n_r]


def _unmatched_row(sub, m, g, ref, n_boot, rng, ci):
    a = sub.loc[sub["group"] == g, m].to_numpy(float)
    b = sub.loc[sub["group"] == ref, m].to_numpy(float)
    if len(a) == 0 or len(b) == 0:
        return [m, "unmatched", g, ref, np.nan, np.nan, np.nan, None, len(a), len(b)]
    est = a.mean() - b.mean()
    ra = resampled_means(a, rng, n_boot)
    rb = resampled_means(b, rng, n_boot)
    lo, hi = percentile_interval(ra - rb, ci, percent=False)
    return [m, "unmatched", g, ref, float(est), float(lo), float(hi), None, len(a), len(b)]


def wilson_interval(k, n, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (Wilson 1927).

    Parameters
    ----------
    k : array_like of int
        Successes.
    n : array_like of int
        Trials (NaN bounds where n = 0).
    ci : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    tuple of numpy.ndarray
        The lower and upper bounds.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22, 209–212.
    """
    from scipy.stats import norm

    k, n = np.asarray(k, float), np.asarray(n, float)
    z = norm.ppf(1 - (1 - ci) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def claims_against_reference(claims_df: pd.DataFrame, documents: pd.DataFrame, by: str = "alignment",
                             label_column: str = "fakes_label", ci: float = 0.95) -> pd.DataFrame:
    """How often articles with an extracted death toll are credible by the NGO reference.

    FA-KES labels each article 1 when its casualty figures agree with the Violations
    Documentation Center's records and 0 when they do not. For each outlet and each group
    (``by``), among the labelled articles from which a death toll was extracted: the share
    labelled credible, with a Wilson interval; and the same share among articles without an
    extracted toll, for comparison.

    Parameters
    ----------
    claims_df : pandas.DataFrame
        The claims table (:func:`framescope.analysis.framing.claims.claims`).
    documents : pandas.DataFrame
        The corpus's documents, with ``outlet``, ``by`` and ``label_column``.
    by : str, default "alignment"
        The document column whose values are the groups.
    label_column : str, default "fakes_label"
        The reference label (1 credible, 0 not).
    ci : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    pandas.DataFrame
        :data:`REFERENCE_COLUMNS`; ``level`` is ``outlet``, ``group`` or ``all``;
        ``credible_share_low``/``credible_share_high`` bracket ``credible_share`` (Wilson).
    """
    if label_column not in documents:
        raise FramescopeError(f"documents have no {label_column!r} column (is FA-KES in the corpus?)")
    if by not in documents:
        raise FramescopeError(f"documents have no {by!r} column to group by")
    docs = documents[documents[label_column].notna()].copy()
    docs["label"] = pd.to_numeric(docs[label_column], errors="coerce")
    docs = docs[docs["label"].isin([0, 1])]
    meas = document_measures(claims_df, docs["doc_id"])
    docs = docs.merge(meas[["doc_id", "toll_max"]], on="doc_id", how="left")
    docs["has_toll"] = docs["toll_max"].notna()
    rows = []
    for level, key in (("outlet", "outlet"), ("group", by), ("all", None)):
        parts = [("all", docs)] if key is None else list(docs.groupby(docs[key].fillna("unknown").astype(str)))
        for name, d in parts:
            with_toll = d[d["has_toll"]]
            without = d[~d["has_toll"]]
            k, n = int(with_toll["label"].sum()), len(with_toll)
            lo, hi = wilson_interval(k, n, ci)
            rows.append([level, name, len(d), n, k, k / n if n else np.nan, float(lo), float(hi),
                         without["label"].mean() if len(without) else np.nan])
    return pd.DataFrame(rows, columns=REFERENCE_COLUMNS)


def toll_label_confusion(claims_df: pd.DataFrame, documents: pd.DataFrame,
                         label_column: str = "fakes_label",
                         bins: tuple[int, ...] = (1, 10, 50, 100)) -> pd.DataFrame:
    """Count articles by extracted death toll (binned) and reference label.

    Parameters
    ----------
    claims_df : pandas.DataFrame
        The claims table.
    documents : pandas.DataFrame
        The corpus's documents, with ``label_column``.
    label_column : str, default "fakes_label"
        The reference label (1 credible, 0 not).
    bins : tuple of int, default (1, 10, 50, 100)
        Lower edges of the toll bins.

    Returns
    -------
    pandas.DataFrame
        ``toll`` (``none`` or a bin such as ``10-49``), ``label`` (``credible`` / ``not
        credible``), ``n_docs``.
    """
    docs = documents[documents[label_column].notna()].copy()
    docs["label"] = pd.to_numeric(docs[label_column], errors="coerce")
    docs = docs[docs["label"].isin([0, 1])]
    meas = document_measures(claims_df, docs["doc_id"])
    docs = docs.merge(meas[["doc_id", "toll_max"]], on="doc_id", how="left")
    edges = list(bins) + [np.inf]
    names = [f"{a}-{b - 1}" if np.isfinite(b) else f"{a}+" for a, b in zip(edges[:-1], edges[1:])]
    binned = pd.cut(docs["toll_max"], edges, right=False, labels=names)
    docs["toll"] = binned.astype(object).where(docs["toll_max"].notna(), "none")
    docs["label"] = docs["label"].map({1: "credible", 0: "not credible"})
    out = docs.groupby(["toll", "label"]).size().rename("n_docs").reset_index()
    order = {n: i for i, n in enumerate(["none"] + names)}
    return out.sort_values(["toll", "label"], key=lambda s: s.map(order) if s.name == "toll" else s
                           ).reset_index(drop=True)


#: Columns of :func:`event_profile`.
PROFILE_COLUMNS = ["event_id", "outlet", "group", "n_docs", "toll_min", "toll_max", "cited",
                   "perpetrator", "victims"]


def event_profile(event_id: str, assignments: pd.DataFrame, claims_df: pd.DataFrame,
                  agency_lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """One event, every outlet: who claimed what toll, cited whom, named whom as killer.

    Parameters
    ----------
    event_id : str
        An event of :func:`framescope.analysis.events.events`.
    assignments : pandas.DataFrame
        The document → event table.
    claims_df : pandas.DataFrame
        :func:`framescope.analysis.framing.claims` output (at least the event's documents).
    agency_lines : pandas.DataFrame, optional
        :func:`framescope.analysis.framing.agency_sentences` output; gives ``perpetrator``.

    Returns
    -------
    pandas.DataFrame
        :data:`PROFILE_COLUMNS`, one row per outlet: the lowest and highest number of people
        claimed killed (null when none), the attribution classes cited (most cited first,
        ``;``-joined), the actors named as agents of killing (``not named`` when every
        killing is agentless, null without ``agency_lines``) and the victim words used.
    """
    docs = assignments[assignments["event_id"] == event_id]
    if docs.empty:
        raise FramescopeError(f"no event {event_id!r}")
    cl = claims_df[claims_df["doc_id"].isin(docs["doc_id"])].merge(docs[["doc_id", "outlet"]], on="doc_id")
    if "sentence" in cl:
        cl = cl[~cl["sentence"].map(is_background_claim)]
    if "subset_of" in cl:
        cl = cl[cl["subset_of"].isna()]
    meas = document_measures(claims_df, docs["doc_id"]).merge(docs[["doc_id", "outlet"]], on="doc_id")
    rows = []
    for outlet, d in docs.groupby("outlet", sort=True):
        m = meas[meas["outlet"] == outlet]
        c = cl[cl["outlet"] == outlet]
        cited = c.loc[c["attribution_class"] != "unattributed", "attribution_class"].value_counts()
        victims = c["victim"].dropna().value_counts() if "victim" in c else pd.Series(dtype=int)
        perp = None
        if agency_lines is not None:
            a = agency_lines[agency_lines["doc_id"].isin(d["doc_id"])]
            named = a["agent_actor"].dropna().value_counts()
            perp = ";".join(named.index) if len(named) else ("not named" if len(a) else None)
        rows.append([event_id, outlet, d["group"].iloc[0], len(d), m["toll_min"].min(), m["toll_max"].max(),
                     ";".join(cited.index), perp, ";".join(victims.index[:3])])
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)
