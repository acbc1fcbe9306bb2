"""Options of the topic-model stages: vocabulary filtering and gensim LDA settings."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Mapping

from framescope.corpus.errors import FramescopeError

__all__ = ["DictionaryOptions", "LdaOptions"]


class _Options:
    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]):
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise FramescopeError(f"unknown {cls.__name__} field(s): {', '.join(unknown)}")
        return cls(**d)


@dataclass(frozen=True)
class DictionaryOptions(_Options):
    """Vocabulary filtering (gensim ``Dictionary.filter_extremes``) and document filtering.

    Parameters
    ----------
    no_below : int
        Keep terms that occur in at least this many documents (≥ 1; default 5).
    no_above : float
        Keep terms that occur in at most this fraction of documents, in (0, 1]
        (default 0.5: terms in more than half the documents are dropped).
    keep_n : int or None
        Then keep the ``keep_n`` terms that occur in most documents (default 100,000;
        None: all).
    min_tokens : int
        A document with fewer in-vocabulary tokens is left out of the model and listed in
        the excluded documents with the reason (≥ 1; default 5).
    """

    no_below: int = 5
    no_above: float = 0.5
    keep_n: int | None = 100_000
    min_tokens: int = 5

    def __post_init__(self):
        if int(self.no_below) < 1:
            raise FramescopeError(f"no_below must be >= 1, not {self.no_below}")
        if not 0 < float(self.no_above) <= 1:
            raise FramescopeError(f"no_above must be in (0, 1], not {self.no_above}")
        if self.keep_n is not None and int(self.keep_n) < 1:
            raise FramescopeError(f"keep_n must be >= 1, not {self.keep_n}")
        if int(self.min_tokens) < 1:
            raise FramescopeError(f"min_tokens must be >= 1, not {self.min_tokens}")


@dataclass(frozen=True)
class LdaOptions(_Options):
    """Settings of gensim's LDA (online variational Bayes, Hoffman et al. 2010).

    The names and meanings are those of ``gensim.models.LdaModel``.

    Parameters
    ----------
    passes : int
        Passes over the corpus (≥ 1; default 10).
    iterations : int
        Maximum E-step iterations per document (≥ 1; default 50).
    chunksize : int
        Documents per online update (≥ 1; default 2000).
    alpha : {"symmetric", "asymmetric", "auto"} or float
        Document–topic Dirichlet prior: "symmetric" (default) is 1/K for every topic;
        "asymmetric" 1/(topic index + √K), normalised; "auto" learns it from the data
        (needs ``workers == 0``); a number: that symmetric value.
    eta : {"symmetric", "auto"}, float or None
        Topic–word Dirichlet prior (default None: 1/K for every term).
    decay : float
        κ of Hoffman et al. (2010): how fast earlier estimates are forgotten as new
        chunks arrive (the paper's convergence guarantee needs κ in (0.5, 1]; default
        0.5, gensim's).
    offset : float
        τ₀ of Hoffman et al. (2010): down-weights the first updates (default 1.0).
    gamma_threshold : float
        Convergence threshold of the per-document topic weights (default 0.001).
    workers : int
        0 (default): ``LdaModel`` in this process, exactly reproducible under a seed;
        n ≥ 1: ``LdaMulticore`` with n worker processes (faster, NOT reproducible across
        runs).
    dtype : {"float32", "float64"}
        Precision of the model's arrays (default "float32", gensim's).

    References
    ----------
    Hoffman, M. D., Blei, D. M. & Bach, F. (2010). Online learning for latent Dirichlet
    allocation. Advances in Neural Information Processing Systems 23, 856–864.
    """

    passes: int = 10
    iterations: int = 50
    chunksize: int = 2000
    alpha: str | float = "symmetric"
    eta: str | float | None = None
    decay: float = 0.5
    offset: float = 1.0
    gamma_threshold: float = 0.001
    workers: int = 0
    dtype: str = "float32"

    def __post_init__(self):
        for name in ("passes", "iterations", "chunksize"):
            if int(getattr(self, name)) < 1:
                raise FramescopeError(f"{name} must be >= 1, not {getattr(self, name)}")
        if int(self.workers) < 0:
            raise FramescopeError(f"workers must be >= 0, not {self.workers}")
        if self.dtype not in ("float32", "float64"):
            raise FramescopeError(f"dtype must be float32 or float64, not {self.dtype!r}")
        if isinstance(self.alpha, str) and self.alpha not in ("symmetric", "asymmetric", "auto"):
            raise FramescopeError(f"alpha must be symmetric, asymmetric, auto or a number, not {self.alpha!r}")
        if self.workers and self.alpha == "auto":
            raise FramescopeError("alpha='auto' is not available with workers (gensim LdaMulticore)")

    @property
    def reproducible(self) -> bool:
        return int(self.workers) == 0
