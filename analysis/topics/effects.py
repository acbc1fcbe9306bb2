"""Stage 5: topic prevalence by group (document bootstrap) and regression effects
(OLS with robust SEs; stm's method of composition)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.counts import MISSING_GROUP, group_labels
from framescope.analysis.groups import attach_group_sizes, document_groups
from framescope.analysis.resampling import multinomial_weights, percentile_interval
from framescope.corpus.errors import FramescopeError

__all__ = ["GroupComparison", "compare_groups", "prevalence", "group_differences", "bootstrap_group_means",
           "assign_groups", "covariate_labels", "design_matrix", "prevalence_effects",
           "prevalence_effects_composition", "document_topic_frame", "representative_documents",
           "attach_effect_sizes", "COMPOSITION_SE"]


def document_topic_frame(doc_ids: Sequence[str], theta: np.ndarray) -> pd.DataFrame:
    """Tidy document-topic proportions, one row per document × topic.

    Parameters
    ----------
    doc_ids : sequence of str
        The documents, in the row order of ``theta``.
    theta : numpy.ndarray
        n_docs × K topic proportions.

    Returns
    -------
    pandas.DataFrame
        doc_id (str), topic (int64, 0-based), weight (θ_dk, float).

    References
    ----------
    Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
    Machine Learning Research*, 3, 993–1022.
    """
    theta = np.asarray(theta)
    n, k = theta.shape
    return pd.DataFrame({"doc_id": np.repeat(np.asarray(doc_ids, dtype=object), k),
                         "topic": np.tile(np.arange(k, dtype=np.int64), n),
                         "weight": theta.reshape(-1)})


def assign_groups(corpus, by: str | None = "source_type", groups: Mapping[str, str] | None = None,
                  keep_duplicates: bool = True, match_dates: bool | str = False) -> pd.Series:
    """Group label of every document of ``corpus``, null for a document in no group.

    A thin view of :func:`framescope.analysis.groups.document_groups` (the one grouping rule
    of every comparison) reindexed to all the corpus's documents, for code that wants a
    label per document; :func:`~framescope.analysis.topics.pipeline.run_topics` calls
    ``document_groups`` itself.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    by : str, list of str or None
        Column(s) or expression giving the label (missing values → ``'(missing)'``).
    groups : mapping of str to str, optional
        ``{label: pandas query}``; wins over ``by``. A document matching none is null; one
        matching two is an error.
    keep_duplicates : bool
        Label documents marked as duplicates too (default True here: a label per document;
        the comparisons leave duplicates out).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Documents outside the periods all groups share get a null label.

    Returns
    -------
    pandas.Series
        Labels (object) indexed by ``doc_id`` in corpus order; ``attrs`` as
        :func:`~framescope.analysis.groups.document_groups`.

    References
    ----------
    The grouping rule of every comparison: ``docs/groups.md``.
    """
    if groups is not None:
        for label in groups:
            if not label:
                raise FramescopeError("a group needs a name (NAME=QUERY)")
    labels = document_groups(corpus, None if groups else by, groups=groups or None,
                             keep_duplicates=keep_duplicates, match_dates=match_dates)
    out = labels.reindex(corpus.documents["doc_id"].to_numpy()).astype(object)
    out = out.where(out.notna(), None)
    out.index.name = None
    out.attrs.update(labels.attrs)
    return out


def _labels_array(labels) -> np.ndarray:
    arr = np.asarray(pd.Series(labels).to_numpy(), dtype=object)
    return np.array([None if pd.isna(x) else str(x) for x in arr], dtype=object)


def bootstrap_group_means(theta: np.ndarray, labels, n_boot: int = 1000, seed: int = 0,
                          block: int | None = None) -> dict[str, np.ndarray]:
    """Bootstrap replicates of the mean topic proportions of each group.

    Documents are resampled with replacement within each group. For group j in sorted
    label order (documents with no label are left out): ``rng = default_rng(SeedSequence([seed, j]))``;
    each replicate draws ``w = rng.multinomial(n_j, [1/n_j]·n_j)`` (how often each
    document is drawn) and the replicate mean is w·θ_group / n_j. Replicates are drawn in
    blocks to bound memory; the draws, and so the result, do not depend on the block size.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K proportions.
    labels : sequence
        Group label per row (None or NaN: left out).
    n_boot : int
        Replicates (≥ 1).
    seed : int
        Seed of the draws.
    block : int, optional
        Replicates per block (default: as many as fit in about 2 million weights).

    Returns
    -------
    dict of str to numpy.ndarray
        {group: n_boot × K replicate means}.

    Raises
    ------
    FramescopeError
        Labels and rows differ in number, or ``n_boot`` < 1.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13 (percentile intervals).
    """
    theta = np.asarray(theta, dtype=np.float64)
    labels = _labels_array(labels)
    if len(labels) != len(theta):
        raise FramescopeError("one group label per document is needed")
    if int(n_boot) < 1:
        raise FramescopeError(f"the number of bootstrap replicates must be >= 1, not {n_boot}")
    out: dict[str, np.ndarray] = {}
    present = sorted({x for x in labels if x is not None})
    for j, group in enumerate(present):
        rows = theta[labels == group]
        n = len(rows)
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), j]))
        size = block or max(1, min(int(n_boot), 2_000_000 // max(n, 1)))
        reps = np.empty((int(n_boot), theta.shape[1]))
        done = 0
        while done < n_boot:
            b = min(size, int(n_boot) - done)
            w = multinomial_weights(rng, n, b)
            reps[done:done + b] = w @ rows / n
            done += b
        out[group] = reps
    return out


def _percentile_ci(reps: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    return percentile_interval(reps, ci, axis=0, percent=False)


@dataclass
class GroupComparison:
    """Result of :func:`compare_groups`: ``prevalence`` and ``differences`` tables.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        Mean topic proportion per group with its percentile bootstrap interval, one row
        per topic and group (columns: the Returns of :func:`compare_groups`;
        ``docs/columns.md``).
    differences : pandas.DataFrame
        Differences of group means with their bootstrap intervals, one row per pair of
        groups and topic (columns: the Returns of :func:`compare_groups`).
    n_boot : int
        Bootstrap replicates behind the intervals.
    ci : float
        Confidence level of the intervals.
    seed : int
        Seed of the bootstrap.
    """

    prevalence: pd.DataFrame
    differences: pd.DataFrame
    n_boot: int
    ci: float
    seed: int


def _check_ci(ci: float) -> None:
    if not 0 < ci < 1:
        raise FramescopeError(f"the confidence level must be in (0, 1), not {ci}")


def compare_groups(theta: np.ndarray, labels, contrasts: Sequence[tuple[str, str]] | None = None,
                   n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                   sizes: pd.DataFrame | None = None) -> GroupComparison:
    """Mean topic prevalence per group and differences between groups, with bootstrap CIs.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions (rows sum to 1).
    labels : sequence
        Group label per row of ``theta``; None/NaN leaves the document out (a document of no
        group, a duplicate, or one outside the shared dates:
        :func:`framescope.analysis.groups.document_groups`).
    contrasts : sequence of (str, str), optional
        Pairs (a, b) to difference; default every pair in sorted order; ``[]`` none.
    n_boot : int
        Bootstrap replicates (:func:`bootstrap_group_means`).
    ci : float
        Confidence level in (0, 1).
    seed : int
        Seed of the bootstrap (group j draws from ``SeedSequence([seed, j])``).
    sizes : pandas.DataFrame, optional
        Group sizes (:func:`framescope.analysis.groups.group_sizes`, e.g. from
        :func:`~framescope.analysis.groups.comparison_sizes`): both tables then carry them
        (below) and a :class:`~framescope.analysis.groups.SmallGroupWarning` names every
        group under the floor.

    Returns
    -------
    GroupComparison
        ``prevalence``: topic, group, mean (mean θ_k over the group's documents), mean_low,
        mean_high (percentile bootstrap), n_docs (documents behind the mean), and with
        ``sizes`` group_docs, group_tokens (the group's size by the rule of every
        comparison), small_group. ``differences``: group_a, group_b, topic, mean_a, mean_b,
        diff = mean_a − mean_b, diff_low, diff_high (percentile CI of the replicate differences;
        the two groups are resampled independently), rank (1 = largest abs(diff) within the
        contrast), and with ``sizes`` group_a_docs, group_a_tokens, group_b_docs,
        group_b_tokens, small_group. ``attrs`` of both: group_sizes, small_groups,
        size_floor, excluded.

    Raises
    ------
    FramescopeError
        A contrast names a group with no document, or ``ci`` is outside (0, 1).

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13 (percentile intervals).
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40.
    """
    _check_ci(ci)
    theta = np.asarray(theta, dtype=np.float64)
    labels = _labels_array(labels)
    reps = bootstrap_group_means(theta, labels, n_boot, seed)
    k = theta.shape[1]
    prev_rows = []
    means = {}
    for group, r in reps.items():
        rows = theta[labels == group]
        means[group] = rows.mean(axis=0)
        lo, hi = _percentile_ci(r, ci)
        for t in range(k):
            prev_rows.append((t, group, means[group][t], lo[t], hi[t], len(rows)))
    prevalence_table = pd.DataFrame(prev_rows, columns=["topic", "group", "mean", "mean_low", "mean_high", "n_docs"])
    prevalence_table = prevalence_table.sort_values(["topic", "group"], kind="stable").reset_index(drop=True)
    groups = sorted(reps)
    if contrasts is None:
        contrasts = [(a, b) for i, a in enumerate(groups) for b in groups[i + 1:]]
    diff_rows = []
    for a, b in contrasts:
        for g in (a, b):
            if g not in reps:
                raise FramescopeError(f"no document in group {g!r} (groups: {', '.join(groups) or 'none'})")
        d = means[a] - means[b]
        lo, hi = _percentile_ci(reps[a] - reps[b], ci)
        order = np.argsort(-np.abs(d), kind="stable")
        rank = np.empty(k, dtype=np.int64)
        rank[order] = np.arange(1, k + 1)
        for t in range(k):
            diff_rows.append((a, b, t, means[a][t], means[b][t], d[t], lo[t], hi[t], int(rank[t])))
    differences = pd.DataFrame(diff_rows, columns=["group_a", "group_b", "topic", "mean_a", "mean_b", "diff",
                                                   "diff_low", "diff_high", "rank"])
    if sizes is not None:
        prevalence_table = attach_group_sizes(prevalence_table, sizes, ("group",))
        differences = attach_group_sizes(differences, sizes, ("group_a", "group_b"), warn=False)
    return GroupComparison(prevalence_table, differences, int(n_boot), float(ci), int(seed))


def prevalence(theta: np.ndarray, labels, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
               sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean topic proportion per group with percentile bootstrap CIs.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions (rows sum to 1).
    labels : sequence
        Group label per row of ``theta``; None/NaN leaves the document out.
    n_boot : int
        Bootstrap replicates (default 1000; documents resampled within each group).
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    sizes : pandas.DataFrame, optional
        Group sizes (:func:`framescope.analysis.groups.group_sizes`), added as columns.

    Returns
    -------
    pandas.DataFrame
        The ``prevalence`` table of :func:`compare_groups`: topic, group, mean, mean_low,
        mean_high, n_docs [, group_docs, group_tokens, small_group].

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13 (percentile intervals).
    """
    return compare_groups(theta, labels, [], n_boot, ci, seed, sizes).prevalence


def group_differences(theta: np.ndarray, labels, contrasts: Sequence[tuple[str, str]] | None = None,
                      n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                      sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Differences of group means with bootstrap CIs.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions (rows sum to 1).
    labels : sequence
        Group label per row of ``theta``; None/NaN leaves the document out.
    contrasts : sequence of (str, str), optional
        Pairs (a, b) to difference (diff = a − b); default every pair in sorted order.
    n_boot : int
        Bootstrap replicates (default 1000; documents resampled within each group).
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    sizes : pandas.DataFrame, optional
        Group sizes (:func:`framescope.analysis.groups.group_sizes`), added as columns.

    Returns
    -------
    pandas.DataFrame
        The ``differences`` table of :func:`compare_groups`: group_a, group_b, topic,
        mean_a, mean_b, diff, diff_low, diff_high, rank [, group_a_docs, group_a_tokens,
        group_b_docs, group_b_tokens, small_group].

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
    Hall, ch. 13 (percentile intervals).
    """
    return compare_groups(theta, labels, contrasts, n_boot, ci, seed, sizes).differences


def attach_effect_sizes(table: pd.DataFrame, sizes: pd.DataFrame | None, group: str = "group") -> pd.DataFrame:
    """Group sizes on a regression table (:func:`prevalence_effects` and its composition twin).

    A group coefficient compares its ``level`` with the ``reference`` group, and the
    intercept is the reference group's expected proportion, so rows of the group variable
    get ``level_docs``, ``level_tokens`` and ``reference_docs``, ``reference_tokens``, the
    intercept the reference's; covariate rows stay empty. ``small_group`` is True when a
    group of the row is under the floor (:func:`framescope.analysis.groups.attach_group_sizes`).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``variable``, ``level``, ``reference``; ``attrs["reference"]``.
    sizes : pandas.DataFrame or None
        :func:`framescope.analysis.groups.group_sizes`; None returns ``table`` unchanged.
    group : str
        The value of ``variable`` on the group rows.

    Returns
    -------
    pandas.DataFrame
        ``table`` with level_docs, level_tokens, reference_docs, reference_tokens (Int64)
        and small_group (bool); size attrs as
        :func:`~framescope.analysis.groups.attach_group_sizes`.

    References
    ----------
    The size convention of every comparison: ``docs/groups.md``.
    """
    if sizes is None:
        return table
    is_group = (table["variable"] == group).to_numpy()
    is_intercept = (table["variable"] == "(intercept)").to_numpy()
    ref = table.attrs.get("reference")
    keys = pd.DataFrame({"level": np.where(is_group, table["level"].astype(object), None),
                         "reference": np.where(is_group, table["reference"].astype(object),
                                               np.where(is_intercept, ref, None))}, index=table.index)
    sized = attach_group_sizes(keys, sizes, ("level", "reference"), warn=False)
    out = table.copy()
    for col in ("level_docs", "level_tokens", "reference_docs", "reference_tokens", "small_group"):
        out[col] = sized[col]
    out.attrs.update({k: v for k, v in sized.attrs.items()})
    return out


def _dummies(values: np.ndarray, name: str, drop: str | None) -> tuple[np.ndarray, list[tuple[str, str]]]:
    levels = sorted(set(values))
    drop = levels[0] if drop is None else drop
    keep = [lv for lv in levels if lv != drop]
    cols = np.column_stack([(values == lv).astype(np.float64) for lv in keep]) if keep else np.zeros((len(values), 0))
    return cols, [(name, lv) for lv in keep]


def design_matrix(design: pd.DataFrame, group: str = "group", covariates: Sequence[str] = (),
                  reference: str | None = None) -> tuple[np.ndarray, list[tuple[str, str]], np.ndarray, str]:
    """The regression design of :func:`prevalence_effects`.

    Parameters
    ----------
    design : pandas.DataFrame
        One row per document with the ``group`` column and the covariates.
    group : str
        The group column (null: the row is left out).
    covariates : sequence of str
        Categorical covariates (first level in sorted order dropped; missing → '(missing)').
    reference : str, optional
        The group level dropped (default the first in sorted order).

    Returns
    -------
    tuple
        (X: n × p float array with an intercept column, [(variable, level)] per column,
        boolean mask of the rows used, the reference level).

    Raises
    ------
    FramescopeError
        A missing column, fewer than two groups, an unknown reference, a collinear design
        (e.g. outlet within source_type) or no more rows than coefficients.

    References
    ----------
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40.
    """
    missing = [c for c in (group, *covariates) if c not in design.columns]
    if missing:
        raise FramescopeError(f"no column {missing[0]!r} in the design")
    g = _labels_array(design[group])
    keep = np.array([x is not None for x in g], dtype=bool)
    g = g[keep]
    levels = sorted(set(g))
    if len(levels) < 2:
        raise FramescopeError(f"the regression needs at least two groups, found {levels}")
    if reference is None:
        reference = levels[0]
    if reference not in levels:
        raise FramescopeError(f"reference group {reference!r} not among the groups: {', '.join(levels)}")
    parts = [np.ones((len(g), 1))]
    names: list[tuple[str, str]] = [("(intercept)", "")]
    cols, nm = _dummies(g, group, reference)
    parts.append(cols)
    names += nm
    for cov in covariates:
        values = design[cov].to_numpy()[keep]
        values = np.array([MISSING_GROUP if pd.isna(x) else str(x) for x in values], dtype=object)
        cols, nm = _dummies(values, cov, None)
        parts.append(cols)
        names += nm
    x = np.hstack(parts)
    n, p = x.shape
    if np.linalg.matrix_rank(x) < p:
        raise FramescopeError(f"the regression design is collinear: covariate(s) {', '.join(covariates)} "
                              f"overlap the groups (e.g. outlet within source_type) or each other; drop one")
    if n <= p:
        raise FramescopeError(f"too few documents ({n}) for {p} regression coefficients")
    return x, names, keep, reference


def _coefficient_variances(x: np.ndarray, xtx_inv: np.ndarray, resid: np.ndarray, se_type: str) -> np.ndarray:
    """p × K sampling variances of the OLS coefficients of every topic (diagonal of V̂_k).

    Sandwich: ``V̂_k = Aᵀ diag(w_·k) A``, A = X(XᵀX)⁻¹, with w = e²/(1 − h)² (HC3; an
    observation with leverage h = 1 contributes 0), e²·n/(n − p) (HC1) or e² (HC0);
    'classical': σ̂_k² (XᵀX)⁻¹ with σ̂_k² = Σ e²/(n − p).
    """
    n, p = x.shape
    if se_type == "classical":
        return np.outer(np.diag(xtx_inv), (resid ** 2).sum(axis=0) / (n - p))
    a = x @ xtx_inv                                   # n × p
    if se_type == "HC3":
        h = np.einsum("ij,ij->i", a, x)               # leverages
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(h[:, None] < 1 - 1e-10, resid ** 2 / (1 - h[:, None]) ** 2, 0.0)
    else:
        w = resid ** 2 * (n / (n - p) if se_type == "HC1" else 1.0)
    return (a ** 2).T @ w                             # diagonal of Aᵀ diag(w_k) A, p × K


def prevalence_effects(theta: np.ndarray, design: pd.DataFrame, group: str = "group",
                       covariates: Sequence[str] = (), reference: str | None = None, ci: float = 0.95,
                       hc: str = "HC3", sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Regression of each topic's proportion on the group (stm ``estimateEffect`` style).

    For every topic k, OLS of θ_dk on an intercept, dummies of ``design[group]``
    (``reference`` level dropped; default the first in sorted order) and dummies of each
    categorical covariate (first level dropped). Robust standard errors (``hc``):
    HC3 = (XᵀX)⁻¹ Xᵀ diag(e_i² / (1 − h_i)²) X (XᵀX)⁻¹ (MacKinnon & White 1985), HC1 or
    HC0; an observation with leverage h_i = 1 has a zero residual and contributes 0.
    CI: estimate ± t_(n−p, (1+ci)/2) · SE; p value two-sided. Rows with a missing group
    are left out; covariate values are used as given (missing → '(missing)' level).

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions.
    design : pandas.DataFrame
        One row per document (same order) with the ``group`` column and the covariates.
    group : str
        The group column.
    covariates : sequence of str
        Categorical covariates ('month', 'outlet', ...).
    reference : str, optional
        Reference group (default the first in sorted order).
    ci : float
        Confidence level.
    hc : {'HC3', 'HC1', 'HC0'}
        Robust standard errors.
    sizes : pandas.DataFrame, optional
        Group sizes (:func:`framescope.analysis.groups.group_sizes`), attached by
        :func:`attach_effect_sizes`.

    Returns
    -------
    pandas.DataFrame
        topic, variable ('(intercept)', the group column, or a covariate), level,
        reference, estimate, std_error, estimate_low, estimate_high, t, p_value, n_docs (rows used) and,
        with ``sizes``, level_docs, level_tokens, reference_docs, reference_tokens,
        small_group. A group coefficient is the difference in expected proportion between
        that level and the reference, other covariates held fixed. ``attrs``: se_type, ci,
        group, covariates, reference.

    References
    ----------
    Roberts, M. E., Stewart, B. M., Tingley, D., Lucas, C., Leder-Luis, J., Gadarian, S. K.,
    Albertson, B., & Rand, D. G. (2014). Structural topic models for open-ended survey
    responses. *American Journal of Political Science*, 58(4), 1064–1082.
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40.
    MacKinnon, J. G., & White, H. (1985). Some heteroskedasticity-consistent covariance
    matrix estimators with improved finite sample properties. *Journal of Econometrics*,
    29(3), 305–325.
    Long, J. S., & Ervin, L. H. (2000). Using heteroscedasticity consistent standard errors in
    the linear regression model. *The American Statistician*, 54(3), 217–224.
    """
    from scipy import stats

    _check_ci(ci)
    if hc not in ("HC0", "HC1", "HC3"):
        raise FramescopeError(f"robust standard errors: HC0, HC1 or HC3, not {hc!r}")
    theta = np.asarray(theta, dtype=np.float64)
    if len(design) != len(theta):
        raise FramescopeError("the design needs one row per document")
    x, names, keep, reference = design_matrix(design, group, covariates, reference)
    y = theta[keep]
    n, p = x.shape
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)                        # p × K
    resid = y - x @ beta                              # n × K
    var = _coefficient_variances(x, xtx_inv, resid, hc)  # p × K
    se = np.sqrt(var)
    tcrit = stats.t.ppf((1 + ci) / 2, n - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        tval = beta / se
    pval = 2 * stats.t.sf(np.abs(tval), n - p)
    rows = []
    for t in range(theta.shape[1]):
        for j, (var_name, level) in enumerate(names):
            rows.append((t, var_name, level, reference if var_name == group else "", beta[j, t], se[j, t],
                         beta[j, t] - tcrit * se[j, t], beta[j, t] + tcrit * se[j, t], tval[j, t], pval[j, t], n))
    out = pd.DataFrame(rows, columns=["topic", "variable", "level", "reference", "estimate", "std_error", "estimate_low",
                                      "estimate_high", "t", "p_value", "n_docs"])
    out.attrs.update({"se_type": hc, "ci": ci, "group": group, "covariates": list(covariates),
                      "reference": reference})
    return attach_effect_sizes(out, sizes, group)


#: The variance estimates :func:`prevalence_effects_composition` draws coefficients with.
COMPOSITION_SE = ("HC3", "classical")


def prevalence_effects_composition(gamma: np.ndarray, design: pd.DataFrame, group: str = "group",
                                   covariates: Sequence[str] = (), reference: str | None = None,
                                   n_sims: int = 100, n_draws: int = 100, ci: float = 0.95, seed: int = 0,
                                   se_type: str = "HC3", sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Topic prevalence regression by the method of composition (stm ``estimateEffect``).

    Treats θ as uncertain: for every simulation s = 1..``n_sims``

    1. draw each document's proportions from its variational posterior,
       θ̃_d^(s) ~ Dirichlet(γ_d) (gensim's γ, :meth:`TopicModel.document_gamma`), drawn as
       independent Gamma(γ_dk, 1) variables divided by their sum;
    2. for each topic k, OLS of θ̃_·k^(s) on the design X of :func:`prevalence_effects`
       (intercept, group dummies without ``reference``, covariate dummies):
       β̂_k^(s) = (XᵀX)⁻¹Xᵀθ̃_·k^(s), with covariance V̂_k^(s) (``se_type``: 'HC3' as in
       :func:`prevalence_effects`, or 'classical' σ̂²(XᵀX)⁻¹ as stm's ``lm``);
    3. draw ``n_draws`` coefficients β_kj ~ N(β̂_kj^(s), V̂_k,jj^(s)) (stm's
       ``summary.estimateEffect`` draws 500 vectors per simulation from N(β̂, V̂); only
       marginal summaries are reported, and each coefficient's marginal under the joint
       normal is exactly this one, so the covariances need not be drawn).

    All S·D draws are pooled: estimate = their mean, std_error = their standard
    deviation, estimate_low/estimate_high = their (1 ∓ ci)/2 quantiles. The interval thus carries
    both the sampling uncertainty of the regression and the uncertainty of θ, which a
    regression on point estimates θ = γ/Σγ ignores (it is narrower when posteriors are
    diffuse, e.g. for short documents). Random numbers: one
    ``numpy.random.default_rng(seed)``, used in a fixed order (run, Dirichlet, then normal
    draws per simulation): same inputs and seed → identical table.

    Parameters
    ----------
    gamma : numpy.ndarray
        n_docs × K variational Dirichlet parameters, or R × n_docs × K for R runs aligned
        to consensus topics (:func:`consensus_topics` ``.gamma``): each simulation then
        first draws a run uniformly (a mixture over seeds), so seed-to-seed variation widens
        the interval too.
    design : pandas.DataFrame
        One row per document (same order as ``gamma``) with the ``group`` column and the
        covariates.
    group : str
        The group column (default "group").
    covariates : sequence of str
        Categorical covariates ('month', 'outlet', ...); default none.
    reference : str, optional
        Reference group (default the first in sorted order).
    n_sims, n_draws : int
        Simulations of θ and coefficient draws per simulation (≥ 1; default 100 each).
    ci : float
        Confidence level of the intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of every draw.
    se_type : {'HC3', 'classical'}
        Variance of the coefficients drawn from (:data:`COMPOSITION_SE`).
    sizes : pandas.DataFrame, optional
        Group sizes, attached by :func:`attach_effect_sizes`.

    Returns
    -------
    pandas.DataFrame
        topic, variable, level, reference, estimate, std_error, estimate_low, estimate_high, n_docs,
        n_sims, n_draws, seed, se_type, method ('composition') and, with ``sizes``,
        level_docs, level_tokens, reference_docs, reference_tokens, small_group.

    Raises
    ------
    FramescopeError
        Bad ``se_type``, ``n_sims``/``n_draws`` < 1, γ not positive and finite or not
        matching the design.

    References
    ----------
    Treier, S., & Jackman, S. (2008). Democracy as a latent variable. *American Journal of
    Political Science*, 52(1), 201–217.
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40. (§3.4)
    """
    _check_ci(ci)
    if se_type not in COMPOSITION_SE:
        raise FramescopeError(f"composition standard errors: {' or '.join(COMPOSITION_SE)}, not {se_type!r}")
    if int(n_sims) < 1 or int(n_draws) < 1:
        raise FramescopeError(f"the method of composition needs n_sims >= 1 and n_draws >= 1, "
                              f"not {n_sims} and {n_draws}")
    gamma = np.asarray(gamma, dtype=np.float64)
    if gamma.ndim == 2:
        gamma = gamma[None]
    if gamma.ndim != 3 or gamma.shape[2] < 1:
        raise FramescopeError(f"gamma must be n_docs × K or runs × n_docs × K, not of shape {gamma.shape}")
    if not np.all(np.isfinite(gamma)) or np.any(gamma <= 0):
        raise FramescopeError("gamma must be positive and finite (variational Dirichlet parameters)")
    if len(design) != gamma.shape[1]:
        raise FramescopeError("the design needs one row per document")
    x, names, keep, reference = design_matrix(design, group, covariates, reference)
    gamma = gamma[:, keep]
    n_runs, n, k = gamma.shape
    p = x.shape[1]
    xtx_inv = np.linalg.inv(x.T @ x)
    proj = xtx_inv @ x.T                                                   # p × n
    rng = np.random.default_rng(int(seed))
    n_sims, n_draws = int(n_sims), int(n_draws)
    draws = np.empty((n_sims * n_draws, k, p))
    for s in range(n_sims):
        r = int(rng.integers(n_runs)) if n_runs > 1 else 0
        y = rng.standard_gamma(gamma[r])                                   # n × K
        total = y.sum(axis=1, keepdims=True)
        y = np.where(total > 0, y / np.where(total > 0, total, 1), gamma[r] / gamma[r].sum(axis=1, keepdims=True))
        beta = proj @ y                                                    # p × K
        sd = np.sqrt(_coefficient_variances(x, xtx_inv, y - x @ beta, se_type))  # p × K
        z = rng.standard_normal((n_draws, k, p))
        draws[s * n_draws:(s + 1) * n_draws] = beta.T[None] + z * sd.T[None]
    est = draws.mean(axis=0)
    sd = draws.std(axis=0, ddof=1) if len(draws) > 1 else np.zeros_like(est)
    lo, hi = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    rows = []
    for t in range(k):
        for j, (var_name, level) in enumerate(names):
            rows.append((t, var_name, level, reference if var_name == group else "", est[t, j], sd[t, j],
                         lo[t, j], hi[t, j], n))
    out = pd.DataFrame(rows, columns=["topic", "variable", "level", "reference", "estimate", "std_error", "estimate_low",
                                      "estimate_high", "n_docs"])
    out["n_sims"], out["n_draws"], out["seed"] = n_sims, n_draws, int(seed)
    out["se_type"], out["method"] = se_type, "composition"
    out.attrs.update({"ci": ci, "group": group, "covariates": list(covariates), "reference": reference,
                      "n_runs": n_runs, "seed": int(seed), "n_sims": n_sims, "n_draws": n_draws, "se_type": se_type})
    return attach_effect_sizes(out, sizes, group)


def representative_documents(theta: np.ndarray, doc_ids: Sequence[str], documents: pd.DataFrame,
                             n: int = 5, columns: Sequence[str] = ("outlet", "source_type", "date", "title")
                             ) -> pd.DataFrame:
    """The ``n`` documents with the highest proportion of each topic, with metadata.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions.
    doc_ids : sequence of str
        The documents, in the row order of ``theta``.
    documents : pandas.DataFrame
        The corpus's documents table (metadata; texts are not copied).
    n : int
        Documents per topic.
    columns : sequence of str
        Metadata columns to add (those present).

    Returns
    -------
    pandas.DataFrame
        topic, rank (1 = highest proportion), doc_id, weight (θ_dk), then ``columns``
        (date as YYYY-MM-DD). Ties keep document order.

    References
    ----------
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm, ``findThoughts``.
    *Journal of Statistical Software*, 91(2), 1–40.
    """
    theta = np.asarray(theta)
    ids = np.asarray(doc_ids, dtype=object)
    cols = [c for c in columns if c in documents.columns]
    meta = documents[["doc_id", *cols]].set_index("doc_id")  # not the texts: no copy of the corpus
    rows = []
    for t in range(theta.shape[1]):
        order = np.argsort(-theta[:, t], kind="stable")[:n]
        for r, i in enumerate(order, start=1):
            rows.append((t, r, ids[i], float(theta[i, t])))
    out = pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "weight"])
    extra = meta.reindex(out["doc_id"])[cols].reset_index(drop=True)
    if "date" in extra:
        extra["date"] = pd.to_datetime(extra["date"]).dt.strftime("%Y-%m-%d")
    return pd.concat([out, extra], axis=1)


def covariate_labels(corpus, name: str) -> pd.Series:
    """Values of a regression covariate per document.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    name : str
        'month' (the publication month, YYYY-MM) or any column or expression
        (:func:`framescope.analysis.counts.group_labels`).

    Returns
    -------
    pandas.Series
        Labels (object) indexed by doc_id; missing values → '(missing)'.

    References
    ----------
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm (prevalence covariates).
    *Journal of Statistical Software*, 91(2), 1–40.
    """
    if name == "month":
        docs = corpus.documents
        months = pd.to_datetime(docs["date"]).dt.strftime("%Y-%m")
        values = months.astype(object).where(months.notna(), MISSING_GROUP)
        return pd.Series(values.to_numpy(), index=docs["doc_id"].to_numpy(), dtype=object)
    return group_labels(corpus, name)
