"""Topic models (LDA, gensim) that compare coverage by group: which themes do state media,
NGOs and wire services give weight to, and how sure are we.

Pipeline (each step a function; :func:`run_topics` chains them for the CLI)::

    bow = bag_of_words(corpus, "en", TokenOptions(...), DictionaryOptions(no_below=5))
    search = k_search(bow, ks=[5, 10, 15], seeds=[0, 1])        # coherence, perplexity, FREX
    runs = [fit_lda(bow, search.recommended_k, seed=s) for s in (0, 1, 2)]
    stab = topic_stability(runs)                                  # Hungarian matching, JS distance
    theta = runs[0].document_topics(bow)                          # n_docs × K, rows sum to 1
    comp = compare_groups(theta, labels, n_boot=1000, seed=0)     # prevalence + differences
    eff = prevalence_effects(theta, design, covariates=["month"])  # OLS, HC3 robust CIs
    runs[0].save("model/"); TopicModel.load("model/", corpus)

One model per language
    :func:`bag_of_words` reads only the segments of one language (``lang``), so an English
    and an Arabic model never share a vocabulary. Run the command once per language.

Streaming
    Tokens come from :func:`analysis.tokens.iter_tokens` in batches. The bag-of-words is
    serialised with gensim's ``MmCorpus`` into a work folder and streamed from there for
    every pass, every fit and the u_mass coherence; the token sequences (for the
    sliding-window coherences c_npmi and c_v) are a flat int32 file read through a memory
    map. Memory holds the dictionary, one batch of documents and the n_docs × K matrix of
    document-topic proportions, not the corpus.

Reproducibility
    Every random choice takes a seed and the seeds are recorded (``run.json``): the LDA
    initialisation and its online updates (``random_state`` of ``LdaModel``), the held-out
    split of the K search, the variational inference of the document-topic proportions
    (gensim draws a random starting point per document; we reset the model's generator to
    the recorded ``inference_seed`` before each inference, so a loaded model gives the same
    proportions), and the bootstrap. A fit with ``LdaOptions.workers == 0`` (gensim
    ``LdaModel``, one process) is exactly reproducible: same inputs and seed → identical
    topics and byte-identical tables. ``workers >= 1`` uses gensim ``LdaMulticore``, which
    is faster on several cores but NOT deterministic across runs (the order in which
    worker results are merged varies), even with the same seed.

Choosing K (:func:`k_search`)
    A grid of K × seeds, each model fitted on a seeded training split and scored with
    c_npmi (default criterion), c_v and u_mass coherence (gensim ``CoherenceModel``'s
    measures, top ``topn`` words, statistics gathered in one streaming pass per measure
    over the whole corpus for all models; sliding windows are counted exactly by
    :func:`window_counts` — gensim's own counter drops a word from the window while it
    still occurs in it, see there), held-out log perplexity and stm-style exclusivity. Recommended K (:data:`K_RULE`): the
    K with the highest mean c_npmi over seeds; ties go to the smaller K. c_v is reported
    but not used (it is known to misbehave: gensim issues #3040, #3132).

Stability (:func:`topic_stability`)
    Several seeds at one K; each run's topics are matched to the reference run's (the
    first seed) with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``)
    minimising the Jensen–Shannon distance (base 2, in [0, 1]) between topic-word
    distributions. A topic's stability is the mean over the other runs of
    1 − JS distance of its match; it is ``stable`` when that is ≥ the threshold
    (:data:`STABILITY_THRESHOLD`, 0.5 unless given). Every per-topic output carries the
    ``stable`` and ``stability`` columns (empty with a single seed: nothing to compare).

Describing topics (:meth:`TopicModel.terms_table`)
    Top words by probability φ_kw; by relevance (Sievert & Shirley 2014)
    r = λ log φ_kw + (1 − λ) log(φ_kw / p_w), p_w the word's share of the corpus tokens,
    λ = 0.6 by default; and by FREX (Bischof & Airoldi 2012; Roberts et al. 2016, stm):
    the weighted harmonic mean of a word's within-topic ECDF rank of exclusivity and of
    frequency, FREX = 1 / (w / ECDF(excl) + (1 − w) / ECDF(φ)), with stm's James–Stein
    shrinkage of the exclusivity towards uniform (``calcfrex``) and w = 0.5.

Comparison by group (:func:`compare_groups`, :func:`prevalence_effects`)
    Per-document topic proportions θ_dk (the normalised variational Dirichlet γ of gensim's
    inference, i.e. ``get_document_topics(minimum_probability=0)`` without gensim's 1e-8
    floor) joined to the document metadata; mean θ per group with percentile bootstrap CIs
    over documents; differences of group means with bootstrap CIs; and an stm
    ``estimateEffect``-style regression of θ_k on the group (reference level dropped)
    and optional categorical covariates (outlet, month) by OLS with HC3 robust standard
    errors (MacKinnon & White 1985; Long & Ervin 2000) and t intervals, θ treated as
    observed; and the same regression by stm's "method of composition"
    (:func:`prevalence_effects_composition`: θ drawn from its variational posterior
    Dirichlet(γ), coefficients drawn from their sampling distribution, pooled).

Consensus over seeds (:func:`consensus_topics`)
    Every run aligned to the mean of the aligned topics (Hungarian, JS distance, iterated);
    reported φ and θ are the aligned means, stability the runs' pairwise agreement. Exactly
    reproducible only for single-process fits (``LdaModel``); ``LdaMulticore`` is not.

Frames (:mod:`analysis.topic_frames`)
    Topic co-occurrence networks and Louvain communities of topics (ANTMN, Walter & Ophir
    2019; by default the consensus partition of 50 Louvain seeds), frame prevalence by group
    with bootstrap CIs, the frames' stability across Louvain seeds and topic runs (adjusted
    Rand index, co-assignment, cohesion, modularity against a permutation null), GraphML.

Persistence (:meth:`TopicModel.save`, :meth:`TopicModel.load`)
    A folder with gensim's own save files, ``term_frequency.npy`` and ``topic_model.json``
    (options, seeds, language, corpus_id, and the sha256 of every file). Loading checks
    every hash (a corrupted or truncated file → one-line :class:`FramescopeError`) and the
    corpus_id (another corpus → :class:`CorpusMismatchError` unless ``force=True``).
    WARNING: gensim's save format is Python pickle, and unpickling runs code: load only
    models you made yourself or got from someone you trust. The sha256 check guards
    against accidental corruption, not against a malicious file (whoever can change the
    model can change the JSON too).

Output tables (tidy; topics numbered 0..K−1 as in gensim):
    topic_terms  topic, rank (by probability), term, weight (φ_kw), relevance, relevance_rank,
                 frex, frex_rank, stable, stability — every term in the top ``topn`` of a topic
                 by any of the three rankings
    topics       topic, stable, stability, top_word_overlap, prevalence, coherence_npmi,
                 exclusivity, top_probability, top_relevance, top_frex
    prevalence   topic, group, mean, ci_low, ci_high, n_docs, stable, stability
    differences  group_a, group_b, topic, mean_a, mean_b, diff (a − b), ci_low, ci_high, rank
                 (by |diff| within the pair), stable, stability
    effects      topic, variable, level, reference, estimate, std_error, ci_low, ci_high, t,
                 p_value, n_docs, stable, stability
    effects_composition  topic, variable, level, reference, estimate, std_error, ci_low,
                 ci_high, n_docs, n_sims, n_draws, seed, se_type, method, stable, stability
    consensus_matches  seed, topic, matched_topic, js_distance, similarity
    doc_topics   doc_id, topic, weight, stable
    k_search     k, seed, coherence_npmi, coherence_cv, coherence_umass, log_perplexity,
                 perplexity, exclusivity, n_train, n_heldout
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.counts import MISSING_GROUP, group_labels
from analysis.tokens import TokenOptions, detect_phrases, iter_tokens
from corpus.errors import CorpusMismatchError, FramescopeError

__all__ = [
    "DictionaryOptions", "LdaOptions", "BagOfWords", "TopicModel", "KSearch", "Stability",
    "GroupComparison", "TopicResults", "bag_of_words", "fit_lda", "relevance", "frex",
    "exclusivity", "coherence", "window_counts", "heldout_perplexity", "k_search", "recommend_k",
    "js_distance_matrix", "align_topics", "topic_stability", "document_topic_frame",
    "assign_groups", "compare_groups", "prevalence", "group_differences", "bootstrap_group_means",
    "prevalence_effects", "prevalence_effects_composition", "consensus_topics", "ConsensusTopics",
    "design_matrix", "covariate_labels", "representative_documents", "phrases_for", "heldout_mask", "write_ldavis", "run_topics",
    "K_RULE", "STABILITY_THRESHOLD", "COHERENCE_MEASURES", "MODEL_META",
]

#: The rule that picks K from the K search.
K_RULE = "highest mean c_npmi coherence over seeds; ties go to the smaller K"
#: Default minimum stability (mean 1 − Jensen–Shannon distance of matched topics).
STABILITY_THRESHOLD = 0.5
#: Coherence measures computed in the K search; the first one chooses K.
COHERENCE_MEASURES = ("c_npmi", "c_v", "u_mass")
#: Column names of the coherence measures in k_search tables.
COHERENCE_COLUMNS = {"c_npmi": "coherence_npmi", "c_v": "coherence_cv", "u_mass": "coherence_umass"}
#: The metadata file of a saved model.
MODEL_META = "topic_model.json"
MODEL_FORMAT = "framescope-topic-model/1"

_BOW_MM = "corpus.mm"
_TOKENS_FILE = "tokens.i32"
_FULL_TOKENS_FILE = "tokens-unfiltered.i32"


# --- options ---------------------------------------------------------------------------------

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

    no_below:    keep terms in at least this many documents.
    no_above:    keep terms in at most this fraction of documents.
    keep_n:      then keep the ``keep_n`` terms in most documents (None: all).
    min_tokens:  a document with fewer in-vocabulary tokens is left out of the model
                 (listed in the excluded documents with the reason).
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
    """gensim LDA settings (online variational Bayes, Hoffman et al. 2010).

    passes, iterations, chunksize, alpha, eta, decay, offset, gamma_threshold: as in
    ``gensim.models.LdaModel`` (alpha 'symmetric' = 1/K; eta None = 1/K).
    workers: 0 → ``LdaModel`` in this process (exactly reproducible under a seed);
             n ≥ 1 → ``LdaMulticore`` with n worker processes (faster, NOT reproducible
             across runs). ``alpha='auto'`` needs ``workers == 0``.
    dtype:   'float32' (gensim's default) or 'float64'.
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


# --- bag of words ----------------------------------------------------------------------------

class _Subset:
    """Documents of a :class:`BagOfWords` selected by a boolean mask, streamed."""

    def __init__(self, bow: "BagOfWords", mask: np.ndarray):
        self.bow, self.mask = bow, np.asarray(mask, dtype=bool)
        if len(self.mask) != len(bow):
            raise ValueError("mask length differs from the number of documents")
        self.n = int(self.mask.sum())

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        mask = self.mask
        for i, doc in enumerate(self.bow):
            if mask[i]:
                yield doc


class _Texts:
    """Token sequences of a :class:`BagOfWords` for sliding-window coherence, streamed.

    Tokens removed by the dictionary filter stay in place as '' so that window
    distances are those of the text.
    """

    def __init__(self, bow: "BagOfWords"):
        self.bow = bow

    def __len__(self) -> int:
        return len(self.bow)

    def __iter__(self):
        lookup = np.asarray(list(self.bow.terms) + [""], dtype=object)  # id −1 → ''
        for ids in self.bow.id_sequences():
            yield lookup[ids].tolist()


@dataclass
class BagOfWords:
    """A corpus in one language as a gensim bag-of-words on disk (``MmCorpus``).

    Iterating yields one document at a time (``list[(term_id, count)]``), read from
    ``folder/corpus.mm``: iterate as often as needed, memory does not grow with the corpus.
    ``doc_ids[i]`` is document i; ``excluded`` lists the corpus documents left out and why
    (doc_id, reason — 'duplicate', 'no text in the language', 'too few vocabulary tokens' —
    and detail); ``term_frequency[w]`` counts term w over the modelled documents;
    ``doc_lengths[i]`` the in-vocabulary tokens of document i. :meth:`texts` streams the
    token sequences. Use as a context manager (or call :meth:`close`) to delete a
    temporary work folder.
    """

    folder: Path
    dictionary: Any
    doc_ids: list[str]
    term_frequency: np.ndarray
    doc_lengths: np.ndarray
    offsets: np.ndarray
    lang: str
    corpus_id: str | None
    token_options: TokenOptions
    dictionary_options: DictionaryOptions
    excluded: pd.DataFrame
    owns_folder: bool = False
    _mm: Any = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __iter__(self) -> Iterator[list[tuple[int, float]]]:
        if self._mm is None:
            from gensim.corpora import MmCorpus
            self._mm = MmCorpus(str(self.folder / _BOW_MM))
        return iter(self._mm)

    def __enter__(self) -> "BagOfWords":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Delete the work folder if this object created it."""
        self._mm = None
        if self.owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.owns_folder = False

    @property
    def terms(self) -> np.ndarray:
        """Term of each id (object array)."""
        d = self.dictionary
        out = np.empty(len(d), dtype=object)
        for token, i in d.token2id.items():
            out[i] = token
        return out

    @property
    def n_terms(self) -> int:
        return len(self.dictionary)

    def id_sequences(self) -> Iterator[np.ndarray]:
        """Per document, its token ids in text order (−1 for tokens not in the vocabulary),
        read through a memory map."""
        offsets = self.offsets
        if offsets[-1] == 0:
            for _ in range(len(self)):
                yield np.zeros(0, dtype=np.int32)
            return
        ids = np.memmap(self.folder / _TOKENS_FILE, dtype=np.int32, mode="r")
        for i in range(len(self)):
            yield np.asarray(ids[offsets[i]:offsets[i + 1]])

    def texts(self) -> _Texts:
        """Token sequences (list of str per document) for sliding-window coherence."""
        return _Texts(self)

    def subset(self, mask: Sequence[bool]) -> _Subset:
        """The documents where ``mask`` is true, streamed in order."""
        return _Subset(self, np.asarray(mask, dtype=bool))

    def metadata(self) -> dict:
        return {"lang": self.lang, "corpus_id": self.corpus_id, "n_documents": len(self),
                "n_terms": self.n_terms, "n_tokens": int(self.doc_lengths.sum()),
                "n_excluded": len(self.excluded),
                "excluded_by_reason": {str(k): int(v) for k, v in
                                       self.excluded["reason"].value_counts().sort_index().items()},
                "token_options": self.token_options.as_dict(),
                "dictionary_options": self.dictionary_options.as_dict()}


#: Reasons a corpus document is not modelled (``BagOfWords.excluded``).
EXCLUDED_DUPLICATE = "duplicate"
EXCLUDED_NO_TEXT = "no text in the language"
EXCLUDED_FEW_TOKENS = "too few vocabulary tokens"


def _corpus_exclusions(corpus, seen: set, lang: str, include_duplicates: bool) -> list[tuple[str, str, str]]:
    """Documents of the corpus that gave no token stream for ``lang``: (doc_id, reason, detail)."""
    docs = corpus.documents
    dup = docs["duplicate_of"] if "duplicate_of" in docs else pd.Series([None] * len(docs))
    out = []
    for doc_id, dup_of in zip(docs["doc_id"], dup):
        if doc_id in seen:
            continue
        if not include_duplicates and isinstance(dup_of, str) and dup_of:
            out.append((doc_id, EXCLUDED_DUPLICATE, f"duplicate of {dup_of}"))
        else:
            out.append((doc_id, EXCLUDED_NO_TEXT, f"no analysable segment in language {lang!r}"))
    return out


def bag_of_words(corpus, lang: str, token_options: TokenOptions = TokenOptions(),
                 dictionary_options: DictionaryOptions = DictionaryOptions(), folder=None,
                 include_duplicates: bool = False, dictionary=None, batch_size: int = 2000) -> BagOfWords:
    """The documents of ``corpus`` in language ``lang`` as a bag-of-words on disk.

    One streaming pass over the tokens (:func:`analysis.tokens.iter_tokens`, segments of
    ``lang`` only) builds a gensim ``Dictionary`` and writes each document's token ids to
    a flat int32 file; the dictionary is then filtered (``no_below``, ``no_above``,
    ``keep_n``) and a second pass over that file writes ``corpus.mm`` (gensim
    ``MmCorpus``) and the filtered token file. Documents with fewer than ``min_tokens``
    in-vocabulary tokens are left out; every corpus document not modelled is listed in
    ``.excluded`` with its reason. With ``dictionary`` (e.g. a saved model's), that
    vocabulary is used as is (no filtering): the way to apply a model to a corpus.

    ``folder``: work folder (created; default a temporary folder removed by ``close()``).
    """
    from gensim.corpora import Dictionary, MmCorpus

    if not lang or not isinstance(lang, str):
        raise FramescopeError("a topic model needs one language (e.g. lang='en'): one model per language")
    owns = folder is None
    folder = Path(tempfile.mkdtemp(prefix="framescope-bow-")) if owns else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fixed = dictionary is not None
        dct = dictionary if fixed else Dictionary()
        token2id = dct.token2id
        doc_ids: list[str] = []
        lengths: list[int] = []
        raw_path = folder / _FULL_TOKENS_FILE
        with open(raw_path, "wb") as raw:
            for batch in iter_tokens(corpus, token_options, lang=lang, include_duplicates=include_duplicates,
                                     batch_size=batch_size):
                for doc_id, toks in zip(batch.doc_ids, batch):
                    if fixed:
                        ids = np.fromiter((token2id.get(t, -1) for t in toks), dtype=np.int32, count=len(toks))
                    else:
                        dct.doc2bow(toks, allow_update=True)
                        ids = np.fromiter((token2id[t] for t in toks), dtype=np.int32, count=len(toks))
                    raw.write(ids.tobytes())
                    doc_ids.append(doc_id)
                    lengths.append(len(toks))
        excluded = _corpus_exclusions(corpus, set(doc_ids), lang, include_duplicates)
        if not doc_ids:
            raise FramescopeError(f"no document has analysable text in language {lang!r} "
                                  f"(check --lang; the corpus has {len(corpus.documents)} documents)")
        if fixed:
            remap = None
        else:
            before = np.empty(len(dct), dtype=object)
            for token, i in token2id.items():
                before[i] = token
            dct.filter_extremes(no_below=dictionary_options.no_below, no_above=dictionary_options.no_above,
                                keep_n=dictionary_options.keep_n)
            if len(dct) == 0:
                raise FramescopeError(
                    f"the vocabulary is empty after filtering (no_below={dictionary_options.no_below}, "
                    f"no_above={dictionary_options.no_above}) over {len(doc_ids)} documents: lower no_below")
            token2id = dct.token2id
            remap = np.fromiter((token2id.get(t, -1) for t in before), dtype=np.int32, count=len(before))
        n_terms = len(dct)
        term_frequency = np.zeros(n_terms, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        kept_ids: list[str] = []
        kept_lengths: list[int] = []
        kept_offsets = [0]
        min_tokens = dictionary_options.min_tokens

        def documents():
            """Second pass: filtered ids → corpus.mm (via gensim) and tokens.i32."""
            src = np.memmap(raw_path, dtype=np.int32, mode="r") if starts[-1] else np.zeros(0, np.int32)
            with open(folder / _TOKENS_FILE, "wb") as out:
                for i, doc_id in enumerate(doc_ids):
                    ids = np.asarray(src[starts[i]:starts[i + 1]])
                    if remap is not None:
                        ids = remap[ids]
                    in_vocab = ids[ids >= 0]
                    if len(in_vocab) < min_tokens:
                        excluded.append((doc_id, EXCLUDED_FEW_TOKENS,
                                         f"{len(in_vocab)} vocabulary tokens (min_tokens={min_tokens})"))
                        continue
                    uniq, counts = np.unique(in_vocab, return_counts=True)
                    term_frequency[uniq] += counts
                    kept_ids.append(doc_id)
                    kept_lengths.append(len(in_vocab))
                    kept_offsets.append(kept_offsets[-1] + len(ids))
                    out.write(ids.astype(np.int32, copy=False).tobytes())
                    yield list(zip(uniq.tolist(), counts.tolist()))

        MmCorpus.serialize(str(folder / _BOW_MM), documents(), id2word=dct, progress_cnt=10 ** 9)
        raw_path.unlink(missing_ok=True)
        if not kept_ids:
            raise FramescopeError(f"no document in language {lang!r} has {min_tokens} or more tokens in the "
                                  f"vocabulary (lower min_tokens or no_below)")
        excluded_frame = pd.DataFrame(sorted(excluded), columns=["doc_id", "reason", "detail"])
        return BagOfWords(folder, dct, kept_ids, term_frequency, np.asarray(kept_lengths, dtype=np.int64),
                          np.asarray(kept_offsets, dtype=np.int64), lang, getattr(corpus, "corpus_id", None),
                          token_options, dictionary_options, excluded_frame, owns_folder=owns)
    except BaseException:
        if owns:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def phrases_for(corpus, lang: str, token_options: TokenOptions, include_duplicates: bool = False,
                min_count: int = 5, threshold: float = 0.5) -> tuple[str, ...]:
    """Two-word phrases of ``lang`` detected with :func:`analysis.tokens.detect_phrases`
    (gensim Phrases, NPMI ≥ ``threshold``), ready for ``TokenOptions(phrases=...)``.

    Detection runs on the tokens without stemming so that phrases match the text; note
    that ``detect_phrases`` holds the sentences in memory.
    """
    options = replace(token_options, stem=False, phrases=())

    def sentences():
        for batch in iter_tokens(corpus, options, lang=lang, include_duplicates=include_duplicates):
            yield from batch.sentences()

    return detect_phrases(sentences(), min_count=min_count, threshold=threshold)


# --- the model -------------------------------------------------------------------------------

@dataclass
class TopicModel:
    """A fitted LDA model with everything needed to reuse and describe it.

    ``lda`` is the gensim model, ``dictionary`` its vocabulary; ``seed`` the training
    seed; ``term_frequency`` the term counts of the documents it was fitted on (for
    relevance and FREX); ``corpus_id`` the corpus it was fitted on.
    """

    lda: Any
    dictionary: Any
    seed: int
    lang: str
    corpus_id: str | None
    options: LdaOptions
    token_options: TokenOptions
    dictionary_options: DictionaryOptions
    term_frequency: np.ndarray
    n_docs: int
    _phi: np.ndarray | None = field(default=None, repr=False)

    @property
    def k(self) -> int:
        return int(self.lda.num_topics)

    @property
    def terms(self) -> np.ndarray:
        out = np.empty(len(self.dictionary), dtype=object)
        for token, i in self.dictionary.token2id.items():
            out[i] = token
        return out

    def topic_word(self) -> np.ndarray:
        """φ: K × V topic-word probabilities (float64, rows sum to 1)."""
        if self._phi is None:
            lam = np.asarray(self.lda.state.get_lambda(), dtype=np.float64)
            self._phi = lam / lam.sum(axis=1, keepdims=True)
        return self._phi

    def document_topics(self, docs: Iterable, seed: int | None = None) -> np.ndarray:
        """θ: n_docs × K topic proportions of bag-of-words documents (rows sum to 1).

        The normalised variational Dirichlet parameters of :meth:`document_gamma`:
        θ_d = γ_d / Σ_k γ_dk (the posterior mean of θ_d). Unlike ``get_document_topics``
        no value is dropped below 1e-8.
        """
        gamma = self.document_gamma(docs, seed)
        return gamma / gamma.sum(axis=1, keepdims=True) if len(gamma) else gamma

    def document_gamma(self, docs: Iterable, seed: int | None = None) -> np.ndarray:
        """γ: n_docs × K variational Dirichlet parameters, q(θ_d) = Dirichlet(γ_d).

        gensim's variational inference (``LdaModel.inference``, as in
        ``get_document_topics``) in chunks of ``chunksize``, from the model's generator
        reset to ``seed`` (default: the training seed), so the result does not depend on
        what the model computed before. γ is what the method of composition draws from
        (:func:`prevalence_effects_composition`).
        """
        lda = self.lda
        saved = lda.random_state
        lda.random_state = np.random.RandomState(self.seed if seed is None else int(seed))
        parts: list[np.ndarray] = []
        try:
            chunk: list = []
            size = int(self.options.chunksize)
            for doc in docs:
                chunk.append(doc)
                if len(chunk) == size:
                    parts.append(lda.inference(chunk)[0].astype(np.float64))
                    chunk = []
            if chunk:
                parts.append(lda.inference(chunk)[0].astype(np.float64))
        finally:
            lda.random_state = saved
        if not parts:
            return np.zeros((0, self.k))
        return np.vstack(parts)

    def term_probability(self) -> np.ndarray:
        """p_w: each term's share of the tokens of the documents the model was fitted on."""
        tf = np.asarray(self.term_frequency, dtype=np.float64)
        return tf / tf.sum()

    def terms_table(self, topn: int = 10, lam: float = 0.6, frex_weight: float = 0.5) -> pd.DataFrame:
        """Top terms of every topic by probability, relevance and FREX (tidy).

        Rows: per topic, every term in the top ``topn`` by any of the three rankings.
        Columns: topic, rank (by probability, 1 = most probable), term, weight (φ_kw),
        relevance (λ = ``lam``), relevance_rank, frex (weight ``frex_weight`` on
        exclusivity), frex_rank. Ties are broken by term id.
        """
        phi = self.topic_word()
        rel = relevance(phi, self.term_probability(), lam)
        fx = frex(phi, self.term_frequency, frex_weight)
        terms = self.terms
        k, v = phi.shape
        topn = min(int(topn), v)
        rows = []
        for t in range(k):
            # stable sorts on the negated scores: ties keep the lower term id first
            by_prob = np.argsort(-phi[t], kind="stable")
            by_rel = np.argsort(-rel[t], kind="stable")
            by_frex = np.argsort(-fx[t], kind="stable")
            rank_prob = np.empty(v, dtype=np.int64)
            rank_prob[by_prob] = np.arange(1, v + 1)
            rank_rel = np.empty(v, dtype=np.int64)
            rank_rel[by_rel] = np.arange(1, v + 1)
            rank_frex = np.empty(v, dtype=np.int64)
            rank_frex[by_frex] = np.arange(1, v + 1)
            chosen = np.union1d(np.union1d(by_prob[:topn], by_rel[:topn]), by_frex[:topn])
            chosen = chosen[np.argsort(rank_prob[chosen], kind="stable")]
            for w in chosen:
                rows.append((t, int(rank_prob[w]), terms[w], float(phi[t, w]), float(rel[t, w]),
                             int(rank_rel[w]), float(fx[t, w]), int(rank_frex[w])))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "relevance", "relevance_rank",
                                           "frex", "frex_rank"])

    def top_terms(self, topn: int = 10, by: str = "probability", lam: float = 0.6,
                  frex_weight: float = 0.5) -> list[list[str]]:
        """The ``topn`` terms of each topic by 'probability', 'relevance' or 'frex'."""
        phi = self.topic_word()
        if by == "probability":
            score = phi
        elif by == "relevance":
            score = relevance(phi, self.term_probability(), lam)
        elif by == "frex":
            score = frex(phi, self.term_frequency, frex_weight)
        else:
            raise FramescopeError(f"unknown ranking {by!r} (probability, relevance, frex)")
        terms = self.terms
        return [[terms[w] for w in np.argsort(-row, kind="stable")[:topn]] for row in score]

    def exclusivity(self, topn: int = 10, weight: float = 0.7) -> np.ndarray:
        """Per-topic exclusivity (stm ``exclusivity``), see :func:`exclusivity`."""
        return exclusivity(self.topic_word(), topn, weight)

    def bag_of_words(self, corpus, folder=None, include_duplicates: bool = False) -> BagOfWords:
        """``corpus`` tokenised with this model's token options and its vocabulary."""
        return bag_of_words(corpus, self.lang, self.token_options, self.dictionary_options, folder=folder,
                            include_duplicates=include_duplicates, dictionary=self.dictionary)

    def metadata(self) -> dict:
        return {"k": self.k, "seed": self.seed, "lang": self.lang, "corpus_id": self.corpus_id,
                "n_docs": self.n_docs, "n_terms": len(self.dictionary),
                "reproducible": self.options.reproducible,
                "lda_options": self.options.as_dict(), "token_options": self.token_options.as_dict(),
                "dictionary_options": self.dictionary_options.as_dict()}

    # --- persistence ---------------------------------------------------------------------

    def save(self, folder) -> Path:
        """Write the model into ``folder`` (replaced atomically).

        Files: gensim's ``lda*`` (pickle + numpy arrays), ``dictionary`` (gensim, pickle),
        ``term_frequency.npy`` and :data:`MODEL_META` with the options, seed, language,
        corpus_id and the sha256 of every other file. See the module docstring on pickle.
        """
        from corpus import __version__
        from corpus.store import AtomicFolder

        with AtomicFolder(folder) as tmp:
            # the vocabulary is saved once, as the gensim Dictionary, not again inside lda
            self.lda.save(str(tmp / "lda"), ignore=("id2word",))
            self.dictionary.save(str(tmp / "dictionary"))
            np.save(tmp / "term_frequency.npy", np.asarray(self.term_frequency, dtype=np.int64),
                    allow_pickle=False)
            files = {p.name: _sha256(p) for p in sorted(tmp.iterdir()) if p.is_file()}
            meta = {"format": MODEL_FORMAT, "framescope_version": __version__,
                    "gensim_version": _gensim_version(), **self.metadata(),
                    "files": files,
                    "warning": "gensim files are Python pickles: load only models from a trusted origin"}
            (tmp / MODEL_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                          encoding="utf-8")
        return Path(folder)

    @classmethod
    def load(cls, folder, corpus=None, force: bool = False) -> "TopicModel":
        """Load a model saved by :meth:`save`.

        ``corpus`` (a :class:`corpus.Corpus` or a corpus_id string): refuse with
        :class:`CorpusMismatchError` if the model was fitted on another corpus, unless
        ``force``. Every file is checked against its recorded sha256 first; a missing,
        truncated or corrupted file ends in one-line :class:`FramescopeError`.
        Security: gensim's files are unpickled — never load a model from an unknown
        origin (the hash check does not protect against deliberate tampering).
        """
        folder = Path(folder)
        meta_path = folder / MODEL_META
        if not folder.is_dir():
            raise FramescopeError(f"no saved topic model at {folder}")
        if not meta_path.is_file():
            raise FramescopeError(f"{folder} is not a saved topic model (missing {MODEL_META})")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FramescopeError(f"cannot read {meta_path}: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT or not isinstance(meta.get("files"), dict):
            raise FramescopeError(f"{meta_path} is not a {MODEL_FORMAT} file")
        for name, digest in sorted(meta["files"].items()):
            if Path(name).name != name or name in ("", ".", ".."):
                raise FramescopeError(f"{meta_path} names a file outside the model folder: {name!r}")
            path = folder / name
            if not path.is_file():
                raise FramescopeError(f"saved topic model {folder} is incomplete: {name} is missing")
            if _sha256(path) != digest:
                raise FramescopeError(f"saved topic model file {path} is corrupted or truncated "
                                      f"(sha256 differs from {MODEL_META})")
        wanted = corpus if (corpus is None or isinstance(corpus, str)) else getattr(corpus, "corpus_id", None)
        if corpus is not None and meta.get("corpus_id") != wanted and not force:
            raise CorpusMismatchError(f"the topic model in {folder} was fitted on corpus {meta.get('corpus_id')}, "
                                      f"not {wanted} (pass force=True / --force to use it anyway)")
        try:
            from gensim.corpora import Dictionary
            from gensim.models import LdaModel

            lda = LdaModel.load(str(folder / "lda"))
            dictionary = Dictionary.load(str(folder / "dictionary"))
            lda.id2word = dictionary
            term_frequency = np.load(folder / "term_frequency.npy", allow_pickle=False)
            model = cls(lda, dictionary, int(meta["seed"]), meta["lang"], meta.get("corpus_id"),
                        LdaOptions.from_dict(meta["lda_options"]),
                        TokenOptions.from_dict(meta["token_options"]),
                        DictionaryOptions.from_dict(meta["dictionary_options"]), term_frequency,
                        int(meta["n_docs"]))
        except FramescopeError:
            raise
        except Exception as exc:  # gensim/pickle raise many types for a damaged file
            raise FramescopeError(f"cannot load the topic model in {folder}: {type(exc).__name__}: {exc}") from None
        if model.k != meta.get("k") or len(term_frequency) != len(dictionary) or lda.num_terms != len(dictionary):
            raise FramescopeError(f"saved topic model {folder} is inconsistent (K or vocabulary size)")
        return model


def _term_frequency(documents: Iterable, n_terms: int) -> np.ndarray:
    tf = np.zeros(n_terms, dtype=np.int64)
    for doc in documents:
        if doc:
            ids, counts = zip(*doc)
            tf[list(ids)] += np.asarray(counts, dtype=np.int64)
    return tf


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _gensim_version() -> str:
    import gensim
    return gensim.__version__


def fit_lda(bow: BagOfWords, k: int, seed: int = 0, options: LdaOptions = LdaOptions(),
            documents: Iterable | None = None, term_frequency: np.ndarray | None = None) -> TopicModel:
    """Fit LDA with K topics on ``bow`` (or on ``documents``, e.g. ``bow.subset(mask)``).

    ``options.workers == 0``: gensim ``LdaModel`` (one process; exactly reproducible with
    ``seed``); otherwise ``LdaMulticore`` (not reproducible). Documents are streamed from
    disk on every pass. No perplexity is evaluated during training (``eval_every=None``):
    it would draw from the model's generator and cost a pass. ``term_frequency`` (term
    counts of ``documents``) is computed when not given.
    """
    from gensim.models import LdaModel, LdaMulticore

    k = int(k)
    if k < 2:
        raise FramescopeError(f"K must be >= 2, not {k}")
    docs = bow if documents is None else documents
    kwargs = dict(corpus=docs, num_topics=k, id2word=bow.dictionary, chunksize=options.chunksize,
                  passes=options.passes, iterations=options.iterations, alpha=options.alpha, eta=options.eta,
                  decay=options.decay, offset=options.offset, gamma_threshold=options.gamma_threshold,
                  eval_every=None, random_state=int(seed), dtype=np.dtype(options.dtype).type)
    if options.workers:
        lda = LdaMulticore(workers=int(options.workers), **kwargs)
    else:
        lda = LdaModel(update_every=1, **kwargs)
    if documents is None:
        term_frequency, n_docs = bow.term_frequency, len(bow)
    else:
        if term_frequency is None:
            term_frequency = _term_frequency(documents, bow.n_terms)
        n_docs = len(documents)
    return TopicModel(lda, bow.dictionary, int(seed), bow.lang, bow.corpus_id, options, bow.token_options,
                      bow.dictionary_options, term_frequency, n_docs)


# --- describing topics -----------------------------------------------------------------------

def relevance(topic_word: np.ndarray, term_probability: np.ndarray, lam: float = 0.6) -> np.ndarray:
    """Relevance of every term to every topic (Sievert & Shirley 2014, LDAvis).

    r(w, k | λ) = λ log φ_kw + (1 − λ) log(φ_kw / p_w), with p_w the term's marginal
    probability in the corpus. λ = 1 ranks by probability, λ = 0 by lift; the authors'
    user study found λ ≈ 0.6 best for interpretation.
    """
    if not 0 <= lam <= 1:
        raise FramescopeError(f"relevance lambda must be in [0, 1], not {lam}")
    phi = np.asarray(topic_word, dtype=np.float64)
    p = np.asarray(term_probability, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_phi = np.log(phi)
        return lam * log_phi + (1 - lam) * (log_phi - np.log(p)[None, :])


def _js_shrink(share: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """stm ``js.estimate``: shrink each word's topic-share vector towards uniform.

    For word w with share vector p (over K topics) and corpus count c:
    λ = Σ_k p_k(1 − p_k)/(c − 1) / Σ_k (p_k − 1/K)², clipped to [0, 1]; result
    λ/K + (1 − λ) p. A word seen at most once gets the uniform vector; a uniform p is kept.
    """
    k = share.shape[0]
    unif = 1.0 / k
    c = np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mlvar = (share * (1 - share)).sum(axis=0) / (c - 1)
        deviation = ((share - unif) ** 2).sum(axis=0)
        lam = np.clip(mlvar / deviation, 0.0, 1.0)
    lam = np.where(deviation == 0, 0.0, lam)
    lam = np.where(c <= 1, 1.0, lam)
    lam = np.where(np.isnan(lam), 1.0, lam)
    return lam[None, :] * unif + (1 - lam[None, :]) * share


def frex(topic_word: np.ndarray, term_counts: np.ndarray | None = None, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Bischof & Airoldi 2012; stm ``calcfrex``).

    Exclusivity of w to k: excl_kw = φ_kw / Σ_j φ_jw, shrunk towards uniform with stm's
    James–Stein estimator when ``term_counts`` are given. With ECDF the within-topic rank
    over terms divided by V (average ranks for ties):
    FREX_kw = 1 / (w / ECDF_k(excl_kw) + (1 − w) / ECDF_k(φ_kw)), w = ``weight`` on
    exclusivity. Higher = both frequent in and exclusive to the topic.
    """
    from scipy.stats import rankdata

    if not 0 <= weight <= 1:
        raise FramescopeError(f"FREX weight must be in [0, 1], not {weight}")
    phi = np.asarray(topic_word, dtype=np.float64)
    share = phi / phi.sum(axis=0, keepdims=True)
    if term_counts is not None:
        share = _js_shrink(share, term_counts)
    v = phi.shape[1]
    freq_ecdf = rankdata(phi, axis=1, method="average") / v
    excl_ecdf = rankdata(share, axis=1, method="average") / v
    return 1.0 / (weight / excl_ecdf + (1 - weight) / freq_ecdf)


def exclusivity(topic_word: np.ndarray, topn: int = 10, weight: float = 0.7) -> np.ndarray:
    """Per-topic exclusivity as stm's ``exclusivity(model, M, frexw)``.

    FREX (:func:`frex` without shrinkage, ``weight`` on exclusivity, stm's default 0.7)
    summed over the topic's ``topn`` most probable terms. Between 0 and ``topn``;
    averaged over topics in the K search (higher = topics less alike).
    """
    phi = np.asarray(topic_word, dtype=np.float64)
    scores = frex(phi, None, weight)
    top = np.argsort(-phi, axis=1, kind="stable")[:, :topn]
    return np.take_along_axis(scores, top, axis=1).sum(axis=1)


# --- coherence and perplexity ----------------------------------------------------------------

def window_counts(sequences: Iterable[np.ndarray], n_words: int, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Boolean sliding-window counts (Röder et al. 2015), vectorised per document.

    ``sequences``: per document, an int array of word indices in [0, n_words) with −1 for
    the other tokens (they keep their place). A document of length L ≥ ``window`` has
    L − window + 1 windows, a shorter (or empty) one a single window holding all of it,
    as in gensim. Returns (occurrences[w] = windows containing w, co[w, v] = windows
    containing both, with co[w, w] = occurrences[w], number of windows).

    Unlike gensim's ``WordOccurrenceAccumulator``, a word stays in the window as long as
    any of its occurrences is inside: gensim updates the window incrementally and drops
    the word leaving on the left even when it occurs again inside the window (for
    a b a c d and width 3 it counts 'a' in 1 window instead of 3), which undercounts
    repeated words.
    """
    if window < 1:
        raise FramescopeError(f"the window must be >= 1 token, not {window}")
    occurrences = np.zeros(n_words, dtype=np.int64)
    co = np.zeros((n_words, n_words), dtype=np.int64)
    n_windows = 0
    for seq in sequences:
        seq = np.asarray(seq)
        n_win = max(len(seq) - window + 1, 1)
        n_windows += n_win
        pos = np.flatnonzero(seq >= 0)
        if not len(pos):
            continue
        words, col = np.unique(seq[pos], return_inverse=True)
        m = len(words)
        if n_win == 1:
            present = np.ones((1, m))
        else:
            # word j is in windows [max(0, p − window + 1), min(p, n_win − 1)] for each of
            # its positions p: +1/−1 at the interval ends, cumulative sum over windows
            start = np.maximum(pos - window + 1, 0)
            stop = np.minimum(pos, n_win - 1) + 1
            marks = (np.bincount(start * m + col, minlength=(n_win + 1) * m)
                     - np.bincount(stop * m + col, minlength=(n_win + 1) * m))
            present = (np.cumsum(marks.reshape(n_win + 1, m)[:-1], axis=0) > 0).astype(np.float64)
        counts = np.rint(present.T @ present).astype(np.int64)
        occurrences[words] += np.diag(counts)
        co[np.ix_(words, words)] += counts
    return occurrences, co, n_windows


def _exact_accumulator(bow: BagOfWords, ids: Sequence[int], window: int):
    """A gensim ``WordOccurrenceAccumulator`` filled from :func:`window_counts` over the
    bag-of-words' token file (streamed), for gensim's confirmation measures."""
    from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

    ids = np.asarray(sorted(ids), dtype=np.int64)
    lookup = np.full(bow.n_terms + 1, -1, dtype=np.int64)  # index −1 (filtered token) → −1
    lookup[ids] = np.arange(len(ids))
    occurrences, co, n_windows = window_counts((lookup[s] for s in bow.id_sequences()), len(ids), window)
    acc = WordOccurrenceAccumulator(set(int(i) for i in ids), bow.dictionary)
    order = np.array([acc.id2contiguous[int(i)] for i in ids], dtype=np.int64)  # ours → gensim's index
    acc._occurrences = np.zeros(len(ids), dtype=np.int64)
    acc._occurrences[order] = occurrences
    full = np.zeros_like(co)
    full[np.ix_(order, order)] = co
    acc._co_occurrences = full
    acc._num_docs = n_windows
    return acc


#: Sliding-window widths of gensim (Röder et al. 2015's choices).
WINDOW_SIZES = {"c_npmi": 10, "c_v": 110}


def coherence(topic_sets: Sequence[Sequence[Sequence[str]]], bow: BagOfWords,
              measures: Sequence[str] = COHERENCE_MEASURES, topn: int = 10,
              window_sizes: Mapping[str, int] | None = None, counting: str = "exact") -> list[dict[str, np.ndarray]]:
    """Per-topic coherence of several models' topics with gensim ``CoherenceModel``.

    ``topic_sets[m]`` is model m's topics (lists of top terms, most probable first). For
    each measure the word statistics are accumulated ONCE, streaming over the corpus, for
    the union of all models' words, then gensim's confirmation measure and aggregation
    give each topic's value: c_npmi and c_v from boolean sliding windows over the token
    sequences (widths :data:`WINDOW_SIZES`: 10 and 110), u_mass from document
    co-occurrence in the bag-of-words (gensim's own accumulator).

    ``counting`` for the sliding windows: 'exact' (default) counts with
    :func:`window_counts` — vectorised, and a word counts as present in every window
    that contains it; 'gensim' uses gensim's ``WordOccurrenceAccumulator`` on the
    streamed texts (slow in Python, and it undercounts words repeated within a window;
    kept to reproduce gensim's numbers). Returns, per model, {measure: array of K values};
    a model's coherence is their mean (gensim's aggregation).
    """
    from gensim.models.coherencemodel import CoherenceModel

    unknown = [m for m in measures if m not in COHERENCE_COLUMNS]
    if unknown:
        raise FramescopeError(f"unknown coherence measure {unknown[0]!r} ({', '.join(COHERENCE_COLUMNS)})")
    if counting not in ("exact", "gensim"):
        raise FramescopeError(f"coherence counting must be 'exact' or 'gensim', not {counting!r}")
    dictionary = bow.dictionary
    sets = [[list(t)[:topn] for t in topics] for topics in topic_sets]
    ids = sorted({dictionary.token2id[w] for topics in sets for t in topics for w in t})
    out: list[dict[str, np.ndarray]] = [dict() for _ in sets]
    for measure in measures:
        kwargs = dict(dictionary=dictionary, coherence=measure, topn=topn, processes=1)
        window = None
        if measure == "u_mass":
            kwargs["corpus"] = bow
        else:
            window = int((window_sizes or {}).get(measure, WINDOW_SIZES[measure]))
            kwargs.update(texts=bow.texts(), window_size=window)
        cm = CoherenceModel(topics=sets[0], **kwargs)
        if window is not None and counting == "exact":
            cm._accumulator = _exact_accumulator(bow, ids, window)
        else:
            # one gensim pass for every word of every model (pairs of a word with itself
            # make gensim collect exactly these ids)
            cm.estimate_probabilities(segmented_topics=[[(i, i) for i in ids]])
        for m, topics in enumerate(sets):
            cm.topics = topics
            out[m][measure] = np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
    return out


def heldout_perplexity(model: TopicModel, documents: Iterable, n_words: int | None = None,
                       seed: int | None = None) -> tuple[float, float]:
    """(per-word log likelihood bound, perplexity) of held-out documents.

    gensim's variational bound (``LdaModel.bound``, streamed; as ``log_perplexity`` with
    the held-out set as the whole evaluation corpus) divided by the number of held-out
    tokens; perplexity = exp(−bound) (an upper bound; lower is better). Inference starts
    from the model's generator reset to ``seed`` (default the training seed).
    """
    lda = model.lda
    saved = lda.random_state
    lda.random_state = np.random.RandomState(model.seed if seed is None else int(seed))
    try:
        if n_words is None:
            documents = list(documents)
            n_words = int(sum(c for doc in documents for _, c in doc))
        if n_words <= 0:
            return float("nan"), float("nan")
        bound = float(lda.bound(documents)) / n_words
    finally:
        lda.random_state = saved
    return bound, float(np.exp(-bound))


# --- K search --------------------------------------------------------------------------------

@dataclass
class KSearch:
    """Result of :func:`k_search`: ``table`` (one row per K × seed), ``summary`` (one row
    per K: mean and sd of each score, ``recommended``), ``recommended_k``, the ``rule``
    and the split and seeds used."""

    table: pd.DataFrame
    summary: pd.DataFrame
    recommended_k: int
    rule: str
    seeds: list[int]
    split_seed: int
    heldout: float

    def metadata(self) -> dict:
        return {"ks": [int(k) for k in self.summary["k"]], "seeds": self.seeds, "split_seed": self.split_seed,
                "heldout_fraction": self.heldout, "recommended_k": self.recommended_k, "rule": self.rule}


def recommend_k(table: pd.DataFrame, column: str = "coherence_npmi") -> int:
    """The K with the highest mean ``column`` over seeds; ties go to the smaller K (:data:`K_RULE`)."""
    means = table.groupby("k", sort=True)[column].mean()
    means = means[means.notna()]
    if means.empty:
        raise FramescopeError(f"no {column} value to choose K from")
    best = means.max()
    return int(means.index[means == best].min())


def heldout_mask(n: int, fraction: float, seed: int) -> np.ndarray:
    """Boolean mask of the held-out documents: a seeded random ``fraction`` of ``n``
    (at least one, at most n − 1): ``default_rng(seed).permutation(n)[:round(fraction·n)]``."""
    if not 0 < fraction < 1:
        raise FramescopeError(f"the held-out fraction must be in (0, 1), not {fraction}")
    if n < 2:
        raise FramescopeError("a K search needs at least 2 documents")
    n_held = min(max(1, int(round(fraction * n))), n - 1)
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(seed).permutation(n)[:n_held]] = True
    return mask


def k_search(bow: BagOfWords, ks: Sequence[int], seeds: Sequence[int] = (0,), options: LdaOptions = LdaOptions(),
             heldout: float = 0.1, split_seed: int = 0, measures: Sequence[str] = COHERENCE_MEASURES,
             topn: int = 10, exclusivity_weight: float = 0.7,
             log: Callable[[str], None] | None = None) -> KSearch:
    """Fit one model per K × seed on a seeded training split and score it.

    Columns of ``table``: k, seed, coherence_npmi, coherence_cv, coherence_umass (means
    over topics of the top-``topn`` coherence, computed on the whole corpus, see
    :func:`coherence`), log_perplexity (held-out per-word bound, natural log), perplexity
    (exp(−log_perplexity)), exclusivity (mean over topics of :func:`exclusivity`),
    n_train, n_heldout. The held-out split (:func:`heldout_mask`, ``split_seed``) is the
    same for every K and seed so perplexities compare. Recommended K: :data:`K_RULE`.
    """
    ks = sorted({int(k) for k in ks})
    seeds = [int(s) for s in seeds]
    if not ks or not seeds:
        raise FramescopeError("a K search needs at least one K and one seed")
    if "c_npmi" not in measures:
        raise FramescopeError("the K search chooses K by c_npmi: keep it among the measures")
    mask = heldout_mask(len(bow), heldout, split_seed)
    n_heldout_words = int(bow.doc_lengths[mask].sum())
    train = bow.subset(~mask)
    held = bow.subset(mask)
    train_tf = _term_frequency(train, bow.n_terms)
    rows, topic_sets = [], []
    for k in ks:
        for seed in seeds:
            if log:
                log(f"K search: fitting K={k}, seed={seed}")
            model = fit_lda(bow, k, seed, options, documents=train, term_frequency=train_tf)
            bound, perplexity = heldout_perplexity(model, held, n_heldout_words)
            rows.append({"k": k, "seed": seed, "log_perplexity": bound, "perplexity": perplexity,
                         "exclusivity": float(model.exclusivity(topn, exclusivity_weight).mean()),
                         "n_train": len(train), "n_heldout": len(held)})
            topic_sets.append(model.top_terms(topn))
    if log:
        log(f"K search: coherence ({', '.join(measures)}) of {len(rows)} models")
    scores = coherence(topic_sets, bow, measures, topn)
    for row, score in zip(rows, scores):
        for measure in COHERENCE_MEASURES:
            row[COHERENCE_COLUMNS[measure]] = float(score[measure].mean()) if measure in score else float("nan")
    table = pd.DataFrame(rows, columns=["k", "seed", "coherence_npmi", "coherence_cv", "coherence_umass",
                                        "log_perplexity", "perplexity", "exclusivity", "n_train", "n_heldout"])
    best = recommend_k(table)
    score_cols = ["coherence_npmi", "coherence_cv", "coherence_umass", "log_perplexity", "perplexity", "exclusivity"]
    grouped = table.groupby("k", sort=True)[score_cols]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()
    summary.insert(1, "n_seeds", table.groupby("k", sort=True).size().to_numpy())
    summary["recommended"] = summary["k"] == best
    return KSearch(table, summary, best, K_RULE, seeds, int(split_seed), float(heldout))


# --- stability -------------------------------------------------------------------------------

def js_distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distance (base 2, in [0, 1]) between every row of ``a`` and of ``b``.

    JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2; distance = √JSD (a metric;
    equals ``scipy.spatial.distance.jensenshannon(p, q, base=2)``).
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a = a / a.sum(axis=1, keepdims=True)
    b = b / b.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        a_log = np.where(a > 0, a * np.log2(a), 0.0).sum(axis=1)
        b_log = np.where(b > 0, b * np.log2(b), 0.0).sum(axis=1)
    out = np.empty((len(a), len(b)))
    for i in range(len(a)):
        m = (a[i][None, :] + b) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            m_log = np.where(m > 0, np.log2(m), 0.0)
        # ½ Σ p log p + ½ Σ q log q − Σ m log m, using Σ (p + q)/2 · log m
        cross = 0.5 * (a[i][None, :] * m_log).sum(axis=1) + 0.5 * (b * m_log).sum(axis=1)
        out[i] = 0.5 * a_log[i] + 0.5 * b_log - cross
    return np.sqrt(np.clip(out, 0.0, 1.0))


def align_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match each reference topic to one topic of ``other`` (Hungarian algorithm).

    Minimises the summed Jensen–Shannon distance of the matched topic-word distributions
    (``scipy.optimize.linear_sum_assignment``). Returns (``match``, ``distance``):
    reference topic i ↔ other topic ``match[i]`` at JS distance ``distance[i]``.
    """
    from scipy.optimize import linear_sum_assignment

    ref = np.asarray(reference)
    oth = np.asarray(other)
    if ref.shape != oth.shape:
        raise FramescopeError(f"cannot align topics of shapes {ref.shape} and {oth.shape} "
                              f"(same K and vocabulary needed)")
    dist = js_distance_matrix(ref, oth)
    rows, cols = linear_sum_assignment(dist)
    match = np.empty(len(ref), dtype=np.int64)
    match[rows] = cols
    return match, dist[np.arange(len(ref)), match]


@dataclass
class Stability:
    """Result of :func:`topic_stability`.

    ``topics``: topic (of the reference run), stability (mean 1 − JS distance of its
    matches; NaN with one run), top_word_overlap (mean share of the top-``topn`` words
    shared with its matches), stable (stability ≥ threshold; NA with one run), n_runs.
    ``matches``: seed, topic, matched_topic, js_distance, similarity, top_word_overlap
    for every other run.
    """

    topics: pd.DataFrame
    matches: pd.DataFrame
    threshold: float
    seeds: list[int]

    def flags(self) -> pd.DataFrame:
        """topic, stable, stability: the columns every per-topic output carries."""
        return self.topics[["topic", "stable", "stability"]]

    def stable_topics(self) -> list[int]:
        return [int(t) for t in self.topics.loc[self.topics["stable"].fillna(False).astype(bool), "topic"]]


def _top_ids(phi: np.ndarray, topn: int) -> np.ndarray:
    return np.argsort(-phi, axis=1, kind="stable")[:, :topn]


def topic_stability(runs: Sequence[TopicModel | np.ndarray], threshold: float = STABILITY_THRESHOLD,
                    topn: int = 10, seeds: Sequence[int] | None = None) -> Stability:
    """Stability of the first run's topics across the other runs (same K, same vocabulary).

    Each other run is aligned to the first with :func:`align_topics`; a topic's stability
    is the mean over the other runs of 1 − JS distance to its match, and it is stable
    when that is at least ``threshold``. ``runs`` are :class:`TopicModel` or K × V arrays.
    """
    if not runs:
        raise FramescopeError("topic stability needs at least one run")
    if not 0 <= threshold <= 1:
        raise FramescopeError(f"the stability threshold must be in [0, 1], not {threshold}")
    phis = [r.topic_word() if isinstance(r, TopicModel) else np.asarray(r, dtype=np.float64) for r in runs]
    if seeds is None:
        seeds = [r.seed if isinstance(r, TopicModel) else i for i, r in enumerate(runs)]
    seeds = [int(s) for s in seeds]
    k = phis[0].shape[0]
    ref_top = _top_ids(phis[0], topn)
    rows = []
    sims = np.zeros((len(phis) - 1, k))
    overlaps = np.zeros((len(phis) - 1, k))
    for r, phi in enumerate(phis[1:]):
        match, dist = align_topics(phis[0], phi)
        other_top = _top_ids(phi, topn)
        for t in range(k):
            overlap = len(set(ref_top[t]) & set(other_top[match[t]])) / ref_top.shape[1]
            sims[r, t] = 1 - dist[t]
            overlaps[r, t] = overlap
            rows.append((seeds[r + 1], t, int(match[t]), float(dist[t]), float(1 - dist[t]), overlap))
    matches = pd.DataFrame(rows, columns=["seed", "topic", "matched_topic", "js_distance", "similarity",
                                          "top_word_overlap"])
    if len(phis) > 1:
        stability = sims.mean(axis=0)
        stable = pd.array(stability >= threshold, dtype="boolean")
        overlap_mean = overlaps.mean(axis=0)
    else:
        stability = np.full(k, np.nan)
        stable = pd.array([pd.NA] * k, dtype="boolean")
        overlap_mean = np.full(k, np.nan)
    topics = pd.DataFrame({"topic": np.arange(k), "stability": stability, "top_word_overlap": overlap_mean,
                           "stable": stable, "n_runs": len(phis)})
    return Stability(topics, matches, float(threshold), seeds)


# --- consensus over seeds --------------------------------------------------------------------

@dataclass
class ConsensusTopics:
    """Result of :func:`consensus_topics`: the topics as the aligned mean over several runs.

    ``topic_word``: K × V consensus φ (rows sum to 1). ``theta``: n_docs × K aligned mean
    document-topic proportions (None without per-run proportions). ``gamma``: R × n_docs × K
    variational Dirichlet parameters of every run, columns aligned to the consensus topics
    (None unless given; what :func:`prevalence_effects_composition` draws from).
    ``matches``: seed, topic (consensus), matched_topic (the run's own topic number),
    js_distance (to the consensus topic), similarity (1 − js_distance). ``stability``: a
    :class:`Stability` whose ``topics`` hold the pairwise agreement of the runs (below).
    ``seeds``: the runs' seeds; ``iterations``: alignment rounds until the matches stopped
    changing.
    """

    topic_word: np.ndarray
    theta: np.ndarray | None
    gamma: np.ndarray | None
    matches: pd.DataFrame
    stability: Stability
    seeds: list[int]
    iterations: int

    @property
    def k(self) -> int:
        return int(self.topic_word.shape[0])

    def topics(self) -> pd.DataFrame:
        """topic, stability, top_word_overlap, stable, n_runs, min_similarity (the lowest
        similarity of a run's topic to the consensus), prevalence (mean consensus θ)."""
        out = self.stability.topics.copy()
        out["min_similarity"] = self.matches.groupby("topic")["similarity"].min().reindex(out["topic"]).to_numpy()
        out["prevalence"] = self.theta.mean(axis=0) if self.theta is not None else np.nan
        return out

    def metadata(self) -> dict:
        return {"seeds": self.seeds, "n_runs": len(self.seeds), "iterations": self.iterations,
                "alignment": "Hungarian matching (minimum Jensen-Shannon distance) of every run to the mean of "
                             "the aligned topics, repeated until the matches stop changing; topic k starts as "
                             "topic k of the first run",
                "stability": "mean over pairs of runs of 1 - Jensen-Shannon distance (base 2) of their aligned "
                             "topics", "threshold": self.stability.threshold}


def _aligned_pairs(phis: Sequence[np.ndarray], matches: Sequence[np.ndarray], topn: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per topic, mean over pairs of runs of 1 − JS distance and of the top-word overlap."""
    k = len(matches[0])
    tops = [_top_ids(phi[m], topn) for phi, m in zip(phis, matches)]
    sims, overlaps = [], []
    for r in range(len(phis)):
        for s in range(r + 1, len(phis)):
            a, b = phis[r][matches[r]], phis[s][matches[s]]
            sims.append(1 - np.array([js_distance_matrix(a[t:t + 1], b[t:t + 1])[0, 0] for t in range(k)]))
            overlaps.append([len(set(tops[r][t]) & set(tops[s][t])) / tops[r].shape[1] for t in range(k)])
    return np.mean(sims, axis=0), np.mean(overlaps, axis=0)


def consensus_topics(runs: Sequence[TopicModel | np.ndarray], thetas: Sequence[np.ndarray] | None = None,
                     gammas: Sequence[np.ndarray] | None = None, seeds: Sequence[int] | None = None,
                     threshold: float = STABILITY_THRESHOLD, topn: int = 10, max_iter: int = 50) -> ConsensusTopics:
    """Consensus topics of several runs (same K, same vocabulary), aligned across seeds.

    Alignment: start from the first run's topics as the consensus c (topic k of the
    consensus begins as topic k of the first run); match every run r to c with
    :func:`align_topics` (Hungarian algorithm, minimum summed Jensen–Shannon distance),
    giving a permutation π_r; set c_k = (1/R) Σ_r φ^(r)_{π_r(k)}; repeat until no π_r
    changes (at most ``max_iter`` rounds). The result no longer leans on the first run.

    Reported: φ̄_k = c_k; θ̄_dk = (1/R) Σ_r θ^(r)_{d, π_r(k)} (``thetas``: each run's
    n_docs × K proportions, or ``gammas``: its variational Dirichlet parameters, from which
    θ = γ / Σγ); per topic, ``stability`` = mean over the R(R − 1)/2 pairs of runs of
    1 − JS distance between their aligned topics (reference-free; equals
    :func:`topic_stability` for two runs), ``stable`` when ≥ ``threshold``, and
    ``top_word_overlap`` = mean share of the top-``topn`` words the pairs share.
    Consensus over seeds follows the practice of reporting topics that recur across
    initialisations (Roberts, Stewart & Tingley 2016, "Navigating the local modes of big
    data", in *Computational Social Science*; Maier et al. 2018, *Communication Methods
    and Measures* 12(2–3)).

    Reproducibility: the consensus is as reproducible as the runs. Only single-process fits
    (gensim ``LdaModel``, ``LdaOptions.workers == 0``) are exactly reproducible under a
    seed; ``LdaMulticore`` (``workers >= 1``) is not deterministic across runs, so neither
    is a consensus of its runs.
    """
    if not runs:
        raise FramescopeError("a consensus needs at least one run")
    if not 0 <= threshold <= 1:
        raise FramescopeError(f"the stability threshold must be in [0, 1], not {threshold}")
    phis = [r.topic_word() if isinstance(r, TopicModel) else np.asarray(r, dtype=np.float64) for r in runs]
    phis = [p / p.sum(axis=1, keepdims=True) for p in phis]
    if any(p.shape != phis[0].shape for p in phis):
        raise FramescopeError(f"cannot build a consensus of runs with different K or vocabulary: "
                              f"{sorted({p.shape for p in phis})}")
    if seeds is None:
        seeds = [r.seed if isinstance(r, TopicModel) else i for i, r in enumerate(runs)]
    seeds = [int(s) for s in seeds]
    if len(seeds) != len(phis):
        raise FramescopeError("one seed per run is needed")
    per_doc = gammas if gammas is not None else thetas
    if per_doc is not None:
        per_doc = [np.asarray(x, dtype=np.float64) for x in per_doc]
        if len(per_doc) != len(phis) or any(x.shape != per_doc[0].shape or x.shape[1] != phis[0].shape[0]
                                            for x in per_doc):
            raise FramescopeError("one n_docs × K matrix per run is needed, all of the same shape")
    k = phis[0].shape[0]
    matches = [np.arange(k)] + [align_topics(phis[0], p)[0] for p in phis[1:]]
    iterations = 1
    for iterations in range(1, max_iter + 1):
        centre = np.mean([p[m] for p, m in zip(phis, matches)], axis=0)
        new = [align_topics(centre, p)[0] for p in phis]
        if all(np.array_equal(a, b) for a, b in zip(new, matches)):
            break
        matches = new
    centre = np.mean([p[m] for p, m in zip(phis, matches)], axis=0)
    rows = []
    for seed_, p, m in zip(seeds, phis, matches):
        dist = js_distance_matrix(centre, p)[np.arange(k), m]
        for t in range(k):
            rows.append((seed_, t, int(m[t]), float(dist[t]), float(1 - dist[t])))
    table = pd.DataFrame(rows, columns=["seed", "topic", "matched_topic", "js_distance", "similarity"])
    if len(phis) > 1:
        stability, overlap = _aligned_pairs(phis, matches, topn)
        stable = pd.array(stability >= threshold, dtype="boolean")
    else:
        stability, overlap = np.full(k, np.nan), np.full(k, np.nan)
        stable = pd.array([pd.NA] * k, dtype="boolean")
    topics = pd.DataFrame({"topic": np.arange(k), "stability": stability, "top_word_overlap": overlap,
                           "stable": stable, "n_runs": len(phis)})
    theta = gamma = None
    if per_doc is not None:
        aligned = np.stack([x[:, m] for x, m in zip(per_doc, matches)])
        if gammas is not None:
            gamma = aligned
            aligned = aligned / aligned.sum(axis=2, keepdims=True)
        theta = aligned.mean(axis=0)
    stab = Stability(topics, table, float(threshold), seeds)
    return ConsensusTopics(centre, theta, gamma, table, stab, seeds, iterations)


# --- comparison by group ---------------------------------------------------------------------

def document_topic_frame(doc_ids: Sequence[str], theta: np.ndarray) -> pd.DataFrame:
    """Tidy document-topic proportions: doc_id, topic, weight (one row per document × topic)."""
    theta = np.asarray(theta)
    n, k = theta.shape
    return pd.DataFrame({"doc_id": np.repeat(np.asarray(doc_ids, dtype=object), k),
                         "topic": np.tile(np.arange(k, dtype=np.int64), n),
                         "weight": theta.reshape(-1)})


def assign_groups(corpus, by: str | None = "source_type", groups: Mapping[str, str] | None = None) -> pd.Series:
    """Group label per document (index doc_id).

    ``groups`` {label: pandas query} wins over ``by``: a document gets the label of the
    query it matches; none → NaN (left out of comparisons); two or more → error. Else
    ``by`` is a column or expression (:func:`analysis.counts.group_labels`; missing values
    → '(missing)').
    """
    docs = corpus.documents
    if not groups:
        return group_labels(corpus, by)
    labels = pd.Series(np.full(len(docs), None, dtype=object), index=docs["doc_id"].to_numpy())
    for label, query in groups.items():
        if not label:
            raise FramescopeError("a group needs a name: --group NAME=QUERY")
        try:
            hit = docs.eval(query, engine="python")
        except Exception as exc:
            raise FramescopeError(f"bad query for group {label!r}: {query!r}: {exc}") from None
        if not isinstance(hit, pd.Series) or not pd.api.types.is_bool_dtype(hit.dtype):
            raise FramescopeError(f"the query for group {label!r} must be true or false per document: {query!r}")
        hit = hit.fillna(False).to_numpy(dtype=bool)
        clash = hit & labels.notna().to_numpy()
        if clash.any():
            doc = labels.index[np.flatnonzero(clash)[0]]
            raise FramescopeError(f"document {doc} matches both group {labels[doc]!r} and {label!r}: "
                                  f"make the group queries exclusive")
        labels[hit] = str(label)
    return labels


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
    Returns {group: n_boot × K array}.
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
        p = np.full(n, 1.0 / n)
        done = 0
        while done < n_boot:
            b = min(size, int(n_boot) - done)
            w = rng.multinomial(n, p, size=b).astype(np.float64)
            reps[done:done + b] = w @ rows / n
            done += b
        out[group] = reps
    return out


def _percentile_ci(reps: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = np.quantile(reps, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return lo, hi


@dataclass
class GroupComparison:
    """Result of :func:`compare_groups`: ``prevalence`` and ``differences`` tables."""

    prevalence: pd.DataFrame
    differences: pd.DataFrame
    n_boot: int
    ci: float
    seed: int


def _check_ci(ci: float) -> None:
    if not 0 < ci < 1:
        raise FramescopeError(f"the confidence level must be in (0, 1), not {ci}")


def compare_groups(theta: np.ndarray, labels, contrasts: Sequence[tuple[str, str]] | None = None,
                   n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> GroupComparison:
    """Mean topic prevalence per group and differences between groups, with bootstrap CIs.

    prevalence: topic, group, mean (mean θ_k over the group's documents), ci_low, ci_high
    (percentile bootstrap, :func:`bootstrap_group_means`), n_docs.
    differences: for each contrast (a, b) — default every pair in sorted order — topic,
    group_a, group_b, mean_a, mean_b, diff = mean_a − mean_b, ci_low, ci_high (percentile
    CI of the replicate differences; the two groups are resampled independently) and rank
    (1 = largest |diff| within the contrast).
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
    prevalence_table = pd.DataFrame(prev_rows, columns=["topic", "group", "mean", "ci_low", "ci_high", "n_docs"])
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
                                                   "ci_low", "ci_high", "rank"])
    return GroupComparison(prevalence_table, differences, int(n_boot), float(ci), int(seed))


def prevalence(theta: np.ndarray, labels, n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Mean topic proportion per group with percentile bootstrap CIs (see :func:`compare_groups`)."""
    return compare_groups(theta, labels, [], n_boot, ci, seed).prevalence


def group_differences(theta: np.ndarray, labels, contrasts: Sequence[tuple[str, str]] | None = None,
                      n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Differences of group means with bootstrap CIs (see :func:`compare_groups`)."""
    return compare_groups(theta, labels, contrasts, n_boot, ci, seed).differences


def _dummies(values: np.ndarray, name: str, drop: str | None) -> tuple[np.ndarray, list[tuple[str, str]]]:
    levels = sorted(set(values))
    drop = levels[0] if drop is None else drop
    keep = [lv for lv in levels if lv != drop]
    cols = np.column_stack([(values == lv).astype(np.float64) for lv in keep]) if keep else np.zeros((len(values), 0))
    return cols, [(name, lv) for lv in keep]


def design_matrix(design: pd.DataFrame, group: str = "group", covariates: Sequence[str] = (),
                  reference: str | None = None) -> tuple[np.ndarray, list[tuple[str, str]], np.ndarray, str]:
    """The regression design of :func:`prevalence_effects`: (X, [(variable, level)] per
    column, mask of the rows used (group not missing), reference level). Checks that X
    has full column rank and more rows than columns (one-line error otherwise)."""
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

    Sandwich: V̂_k = Aᵀ diag(w_·k) A, A = X(XᵀX)⁻¹, with w = e²/(1 − h)² (HC3; an
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
                       hc: str = "HC3") -> pd.DataFrame:
    """Regression of each topic's proportion on the group (stm ``estimateEffect`` style).

    For every topic k, OLS of θ_dk on an intercept, dummies of ``design[group]``
    (``reference`` level dropped; default the first in sorted order) and dummies of each
    categorical covariate (first level dropped). Robust standard errors (``hc``):
    HC3 = (XᵀX)⁻¹ Xᵀ diag(e_i² / (1 − h_i)²) X (XᵀX)⁻¹ (MacKinnon & White 1985), HC1 or
    HC0; an observation with leverage h_i = 1 has a zero residual and contributes 0.
    CI: estimate ± t_{n−p, (1+ci)/2} · SE; p value two-sided. Rows with a missing group
    are left out; covariate values are used as given (missing → '(missing)' level).

    Columns: topic, variable ('(intercept)', the group column, or a covariate), level,
    reference, estimate, std_error, ci_low, ci_high, t, p_value, n_docs. A group
    coefficient is the difference in expected proportion between that level and the
    reference, other covariates held fixed.
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
    out = pd.DataFrame(rows, columns=["topic", "variable", "level", "reference", "estimate", "std_error", "ci_low",
                                      "ci_high", "t", "p_value", "n_docs"])
    out.attrs.update({"se_type": hc, "ci": ci, "group": group, "covariates": list(covariates),
                      "reference": reference})
    return out


#: The variance estimates :func:`prevalence_effects_composition` draws coefficients with.
COMPOSITION_SE = ("HC3", "classical")


def prevalence_effects_composition(gamma: np.ndarray, design: pd.DataFrame, group: str = "group",
                                   covariates: Sequence[str] = (), reference: str | None = None,
                                   n_sims: int = 100, n_draws: int = 100, ci: float = 0.95, seed: int = 0,
                                   se_type: str = "HC3") -> pd.DataFrame:
    """Topic prevalence regression by the method of composition (stm ``estimateEffect``).

    Treats θ as uncertain (Treier & Jackman 2008; Roberts, Stewart & Tingley 2019,
    "stm: An R package for structural topic models", *Journal of Statistical Software*
    91(2), §3.4): for every simulation s = 1..``n_sims``

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
    deviation, ci_low/ci_high = their (1 ∓ ci)/2 quantiles. The interval thus carries
    both the sampling uncertainty of the regression and the uncertainty of θ, which a
    regression on point estimates θ = γ/Σγ ignores (it is narrower when posteriors are
    diffuse, e.g. for short documents).

    ``gamma``: n_docs × K, or R × n_docs × K for R runs aligned to consensus topics
    (:func:`consensus_topics` ``.gamma``): each simulation then first draws a run r
    uniformly (a mixture over seeds), so seed-to-seed variation widens the interval too.

    Random numbers: one ``numpy.random.default_rng(seed)``, used in a fixed order (run,
    Dirichlet, then normal draws per simulation): same inputs and seed → identical table.

    Columns: topic, variable, level, reference, estimate, std_error, ci_low, ci_high,
    n_docs, n_sims, n_draws, seed, se_type, method ('composition').
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
    out = pd.DataFrame(rows, columns=["topic", "variable", "level", "reference", "estimate", "std_error", "ci_low",
                                      "ci_high", "n_docs"])
    out["n_sims"], out["n_draws"], out["seed"] = n_sims, n_draws, int(seed)
    out["se_type"], out["method"] = se_type, "composition"
    out.attrs.update({"ci": ci, "group": group, "covariates": list(covariates), "reference": reference,
                      "n_runs": n_runs, "seed": int(seed), "n_sims": n_sims, "n_draws": n_draws, "se_type": se_type})
    return out


def representative_documents(theta: np.ndarray, doc_ids: Sequence[str], documents: pd.DataFrame,
                             n: int = 5, columns: Sequence[str] = ("outlet", "source_type", "date", "title")
                             ) -> pd.DataFrame:
    """The ``n`` documents with the highest proportion of each topic, with metadata.

    Columns: topic, rank, doc_id, weight, then ``columns`` of ``documents``. Ties keep
    document order.
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


def write_ldavis(model: TopicModel, theta: np.ndarray, doc_lengths: np.ndarray, path) -> Path:
    """LDAvis HTML (Sievert & Shirley 2014) with pyLDAvis, if installed (optional).

    pyLDAvis is not a dependency of framescope: ``pip install pyLDAvis`` to use this.
    Topic order is kept (``sort_topics=False``); pyLDAvis numbers topics from 1.
    """
    try:
        import pyLDAvis
    except ImportError:
        raise FramescopeError("pyLDAvis is not installed (pip install pyLDAvis) — it is optional") from None
    vis = pyLDAvis.prepare(topic_term_dists=model.topic_word(), doc_topic_dists=np.asarray(theta),
                           doc_lengths=np.asarray(doc_lengths), vocab=list(model.terms),
                           term_frequency=np.asarray(model.term_frequency), sort_topics=False)
    path = Path(path)
    pyLDAvis.save_html(vis, str(path))
    return path


# --- the whole analysis ----------------------------------------------------------------------

@dataclass
class TopicResults:
    """Everything :func:`run_topics` computed; :meth:`write` writes the output folder."""

    model: TopicModel
    runs: list[TopicModel]
    bow_meta: dict
    excluded: pd.DataFrame
    doc_ids: list[str]
    theta: np.ndarray
    doc_lengths: np.ndarray
    stability: Stability
    topic_terms: pd.DataFrame
    topics: pd.DataFrame
    prevalence: pd.DataFrame
    differences: pd.DataFrame
    effects: pd.DataFrame
    representative: pd.DataFrame
    k_search: KSearch | None
    settings: dict
    consensus: ConsensusTopics | None = None
    effects_composition: pd.DataFrame | None = None
    frames: Any = None                          # analysis.topic_frames.FrameNetwork
    frame_comparison: GroupComparison | None = None
    frame_stability: Any = None                 # analysis.topic_frames.FrameStability

    def doc_topics(self) -> pd.DataFrame:
        """doc_id, topic, weight, stable."""
        out = document_topic_frame(self.doc_ids, self.theta)
        return out.merge(self.stability.flags()[["topic", "stable"]], on="topic", how="left")

    def write(self, outdir, ldavis: bool = False) -> dict[str, str]:
        """Write the tables, the model and run.json into ``outdir``; returns {file: sha256}
        of the tables (also recorded in run.json). Same inputs and seeds → identical bytes
        for every CSV and Parquet file."""
        from corpus.store import write_parquet

        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, str] = {}

        def csv(name: str, table: pd.DataFrame) -> None:
            path = out / name
            tmp = path.with_name(f".{name}.tmp")
            table.to_csv(tmp, index=False, lineterminator="\n", float_format="%.10g")
            os.replace(tmp, path)
            written[name] = _sha256(path)

        csv("topic_terms.csv", self.topic_terms)
        csv("topics.csv", self.topics)
        csv("prevalence.csv", self.prevalence)
        csv("differences.csv", self.differences)
        csv("effects.csv", self.effects)
        csv("representative_docs.csv", self.representative)
        csv("stability.csv", _with_flags(self.stability.matches, self.stability))
        csv("excluded_docs.csv", self.excluded)
        if self.effects_composition is not None:
            csv("effects_composition.csv", self.effects_composition)
        if self.consensus is not None:
            csv("consensus_matches.csv", self.consensus.matches)
        if self.frames is not None:
            csv("frame_nodes.csv", self.frames.nodes)
            csv("frame_edges.csv", self.frames.edges)
            csv("frames.csv", self.frames.frames)
            csv("frame_prevalence.csv", self.frame_comparison.prevalence)
            csv("frame_differences.csv", self.frame_comparison.differences)
            if self.frame_stability is not None:
                csv("frame_stability.csv", self.frame_stability.frames)
                csv("frame_coassignment.csv", self.frame_stability.coassignment)
                csv("frame_partitions.csv", self.frame_stability.partitions)
                csv("frame_agreement.csv", self.frame_stability.agreement)
            self.frames.write_graphml(out / "frame_network.graphml")
            written["frame_network.graphml"] = _sha256(out / "frame_network.graphml")
        if self.k_search is not None:
            csv("k_search.csv", self.k_search.table)
            csv("k_summary.csv", self.k_search.summary)
        parquet = out / "doc_topics.parquet"
        tmp = parquet.with_name(".doc_topics.parquet.tmp")
        write_parquet(self.doc_topics(), tmp)
        os.replace(tmp, parquet)
        written["doc_topics.parquet"] = _sha256(parquet)
        self.model.save(out / "model")
        if ldavis:
            write_ldavis(self.model, self.theta, self.doc_lengths, out / "ldavis.html")
        run = {**self.settings, "outputs": dict(sorted(written.items()))}
        (out / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False, sort_keys=True, default=str)
                                      + "\n", encoding="utf-8")
        return written


def _with_flags(table: pd.DataFrame, stability: Stability) -> pd.DataFrame:
    attrs = dict(table.attrs)
    out = table.merge(stability.flags(), on="topic", how="left")
    out.attrs.update(attrs)
    return out


def covariate_labels(corpus, name: str) -> pd.Series:
    """Values of a covariate per document (index doc_id): 'month' is the publication month
    (YYYY-MM); anything else a column or expression (:func:`analysis.counts.group_labels`).
    Missing values → '(missing)'."""
    if name == "month":
        docs = corpus.documents
        months = pd.to_datetime(docs["date"]).dt.strftime("%Y-%m")
        values = months.astype(object).where(months.notna(), MISSING_GROUP)
        return pd.Series(values.to_numpy(), index=docs["doc_id"].to_numpy(), dtype=object)
    return group_labels(corpus, name)


def _design(corpus, doc_ids: Sequence[str], labels: pd.Series, covariates: Sequence[str]) -> pd.DataFrame:
    design = pd.DataFrame({"doc_id": list(doc_ids)})
    design["group"] = labels.reindex(design["doc_id"]).to_numpy()
    for cov in covariates:
        design[cov] = covariate_labels(corpus, cov).reindex(design["doc_id"]).to_numpy()
    return design


def run_topics(corpus, lang: str, k: int | None = None, k_grid: Sequence[int] | None = None, seeds: int = 3,
               seed: int = 0, by: str | None = "source_type", groups: Mapping[str, str] | None = None,
               covariates: Sequence[str] = (), reference: str | None = None,
               contrasts: Sequence[tuple[str, str]] | None = None,
               token_options: TokenOptions = TokenOptions(), dictionary_options: DictionaryOptions = DictionaryOptions(),
               lda_options: LdaOptions = LdaOptions(), detect: bool = False, topn: int = 10, lam: float = 0.6,
               frex_weight: float = 0.5, n_boot: int = 1000, ci: float = 0.95,
               stability_threshold: float = STABILITY_THRESHOLD, heldout: float = 0.1, n_representative: int = 5,
               include_duplicates: bool = False, work_dir=None, consensus: bool = False,
               composition_sims: int = 100, composition_draws: int = 100, frames: Any = None,
               log: Callable[[str], None] | None = None) -> TopicResults:
    """The whole topic analysis of one language of ``corpus``, as the CLI runs it.

    Seeds: the runs use seeds ``seed, seed+1, …, seed+seeds−1`` (the first is the
    reported model); the K search uses the same seeds and ``split_seed = seed``; the
    document-topic inference uses ``inference_seed = seed``; the bootstrap, the method of
    composition and Louvain use ``seed``.
    K: ``k`` if given; else, with ``k_grid``, the recommended K (:data:`K_RULE`); else 10.
    Groups: ``groups`` {label: query} or the column/expression ``by``.

    ``consensus``: report the consensus of all runs (:func:`consensus_topics`) instead of
    the first run: topic words, θ, prevalence, differences, effects, representative
    documents and frames then describe the aligned mean topics, and ``stable``/
    ``stability`` are the runs' pairwise agreement. The saved ``model/`` stays the first
    run (gensim cannot hold a consensus). ``composition_sims`` > 0: also
    :func:`prevalence_effects_composition` (``effects_composition``; over all runs'
    aligned posteriors with ``consensus``). ``frames``: True or an
    :class:`analysis.topic_frames.FrameOptions` → the ANTMN frame network, frame
    prevalence by group and the frames' stability across Louvain seeds and, with 2 or more
    ``seeds``, across the topic runs aligned to the reported topics
    (:func:`analysis.topic_frames.frame_stability`; ``frames``, ``frame_comparison``,
    ``frame_stability``).
    """
    log = log or (lambda msg: None)
    if seeds < 1:
        raise FramescopeError(f"--seeds must be >= 1, not {seeds}")
    if n_representative < 0 or topn < 1:
        raise FramescopeError("topn must be >= 1 and the number of representative documents >= 0")
    if composition_sims < 0 or composition_draws < 1:
        raise FramescopeError(f"composition needs sims >= 0 and draws >= 1, not {composition_sims} and "
                              f"{composition_draws}")
    if consensus and seeds < 2:
        raise FramescopeError("a consensus over seeds needs --seeds 2 or more")
    frame_options = None
    if frames:
        from analysis.topic_frames import FrameOptions
        frame_options = frames if isinstance(frames, FrameOptions) else FrameOptions(seed=int(seed))
    run_seeds = [int(seed) + i for i in range(int(seeds))]
    labels = assign_groups(corpus, by, groups)  # early: a bad --by fails before any fitting
    present = set(labels.dropna())
    for pair in contrasts or []:
        for g in pair:
            if g not in present:
                raise FramescopeError(f"contrast group {g!r} is not a group of the corpus "
                                      f"(groups: {', '.join(sorted(present))})")
    # a bad design fails here, before any fitting (checked again on the modelled documents)
    design_matrix(_design(corpus, corpus.documents["doc_id"], labels, covariates), "group", covariates, reference)
    if detect:
        log("detecting phrases")
        found = phrases_for(corpus, lang, token_options, include_duplicates)
        token_options = replace(token_options, phrases=tuple(sorted(set(token_options.phrases) | set(found))))
    own_dir = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="framescope-topics-")) if own_dir else Path(work_dir)
    try:
        log(f"bag of words ({lang})")
        bow = bag_of_words(corpus, lang, token_options, dictionary_options, folder=work / "bow",
                           include_duplicates=include_duplicates)
        log(f"{len(bow)} documents, {bow.n_terms} terms, {int(bow.doc_lengths.sum())} tokens; "
            f"{len(bow.excluded)} corpus documents not modelled")
        search = None
        if k_grid:
            search = k_search(bow, k_grid, run_seeds, lda_options, heldout=heldout, split_seed=seed, topn=topn,
                              log=log)
            log(f"recommended K = {search.recommended_k} ({K_RULE})")
        chosen_k = int(k) if k is not None else (search.recommended_k if search is not None else 10)
        runs = []
        for s in run_seeds:
            log(f"fitting K={chosen_k}, seed={s}")
            runs.append(fit_lda(bow, chosen_k, s, lda_options))
        model = runs[0]
        log("document-topic proportions")
        cons = run_thetas = None
        if consensus:
            gammas = [r.document_gamma(bow, seed=seed) for r in runs]
            cons = consensus_topics(runs, gammas=gammas, threshold=stability_threshold, topn=topn)
            log(f"consensus of {len(runs)} runs ({cons.iterations} alignment rounds)")
            stab, theta, gamma = cons.stability, cons.theta, cons.gamma
            model = replace(model, _phi=cons.topic_word)  # describes the consensus; saves the first run
        else:
            stab = topic_stability(runs, stability_threshold, topn)
            gamma = model.document_gamma(bow, seed=seed)
            theta = gamma / gamma.sum(axis=1, keepdims=True)
            if frame_options is not None and len(runs) > 1:  # the other runs' θ, for the frames' stability
                run_thetas = [theta]
                for r in runs[1:]:
                    g_r = r.document_gamma(bow, seed=seed)
                    match = stab.matches[stab.matches["seed"] == r.seed].sort_values("topic")["matched_topic"]
                    run_thetas.append((g_r / g_r.sum(axis=1, keepdims=True))[:, match.to_numpy()])
        doc_ids = list(bow.doc_ids)
        row_labels = labels.reindex(doc_ids)
        comp = compare_groups(theta, row_labels.to_numpy(), contrasts, n_boot, ci, seed)
        design = _design(corpus, doc_ids, labels, covariates)
        effects = prevalence_effects(theta, design, "group", covariates, reference, ci)
        composition = None
        if composition_sims:
            log(f"method of composition ({composition_sims} simulations)")
            composition = prevalence_effects_composition(gamma, design, "group", covariates, reference,
                                                         composition_sims, composition_draws, ci, seed)
        for table in (effects, composition):
            if by and not groups and table is not None:
                table["variable"] = table["variable"].replace({"group": by})
        log("coherence of the reported model")
        npmi = coherence([model.top_terms(topn)], bow, ("c_npmi",), topn)[0]["c_npmi"]
        bow_meta = bow.metadata()
        excluded = bow.excluded.copy()
        doc_lengths = bow.doc_lengths.copy()
        bow.close()
    finally:
        if own_dir:
            shutil.rmtree(work, ignore_errors=True)

    terms = model.terms_table(topn, lam, frex_weight)
    top = {by_: model.top_terms(topn, by_, lam, frex_weight) for by_ in ("probability", "relevance", "frex")}
    topics = stab.topics[["topic", "stable", "stability", "top_word_overlap"]].copy()
    topics["prevalence"] = theta.mean(axis=0)
    topics["coherence_npmi"] = npmi
    topics["exclusivity"] = model.exclusivity(topn)
    for name, lists in top.items():
        topics[f"top_{name}"] = [" ".join(words) for words in lists]
    representative = representative_documents(theta, doc_ids, corpus.documents, n_representative)
    representative.insert(4, "group", labels.reindex(representative["doc_id"]).to_numpy())
    n_without_group = int(row_labels.isna().sum())
    network = frame_comparison = frame_stab = None
    if frame_options is not None:
        from analysis.topic_frames import frame_network, frame_prevalence, frame_stability

        log("frame network (ANTMN)")
        topic_names = [f"T{t} " + " \u00b7 ".join(words[:3]) for t, words in enumerate(top["probability"])]
        network = frame_network(theta, topic_names, frame_options, stab.topics["stable"])
        frame_comparison = frame_prevalence(theta, network, row_labels.to_numpy(), contrasts, n_boot, ci, seed)
        if cons is not None:
            run_thetas = list(cons.gamma / cons.gamma.sum(axis=2, keepdims=True))
        log("frame stability (Louvain seeds" + (", topic runs)" if run_thetas else ")"))
        frame_stab = frame_stability(network, run_thetas, run_seeds if run_thetas else None)
    settings = {
        "command": "topics", "lang": lang, "corpus_id": getattr(corpus, "corpus_id", None),
        "corpus_path": str(getattr(corpus, "path", "") or ""), "corpus_subset": corpus.manifest.get("subset", []),
        "k": chosen_k, "k_source": "given" if k is not None else ("k_search" if search else "default"),
        "seeds": run_seeds, "reported_seed": run_seeds[0], "split_seed": int(seed), "inference_seed": int(seed),
        "bootstrap": {"seed": int(seed), "n_boot": int(n_boot), "ci": float(ci), "method": "percentile",
                      "resampling": "documents within each group, SeedSequence([seed, group index])"},
        "stability": {"threshold": float(stability_threshold), "measure": "mean 1 - Jensen-Shannon distance "
                      "(base 2) of Hungarian-matched topics " + ("between every pair of runs (consensus)" if cons
                                                                 else "to the reported run"), "n_runs": len(runs),
                      "stable_topics": stab.stable_topics()},
        "k_search": search.metadata() if search else None, "k_rule": K_RULE,
        "groups": {"by": None if groups else by, "queries": dict(groups) if groups else None,
                   "contrasts": [list(c) for c in (contrasts or [])] or "all pairs",
                   "reference": effects.attrs["reference"], "covariates": list(covariates),
                   "documents_without_group": n_without_group},
        "effects": {"model": "OLS of topic proportion on group + covariates", "se_type": effects.attrs["se_type"]},
        "reported": "consensus of all runs" if cons is not None else "first run",
        "consensus": cons.metadata() if cons is not None else None,
        "composition": None if composition is None else {
            "method": "method of composition (Treier & Jackman 2008; stm estimateEffect): theta drawn from "
                      "Dirichlet(gamma), OLS, coefficients drawn from N(beta, V)",
            "seed": int(seed), "n_sims": int(composition_sims), "n_draws": int(composition_draws),
            "se_type": composition.attrs["se_type"], "n_runs": composition.attrs["n_runs"]},
        "frames": network.metadata() if network is not None else None,
        "frame_stability": frame_stab.summary if frame_stab is not None else None,
        "description": {"topn": topn, "relevance_lambda": lam, "frex_weight": frex_weight,
                        "exclusivity_weight": 0.7, "coherence_windows": WINDOW_SIZES,
                        "coherence_counting": "exact boolean sliding windows (framescope), gensim measures"},
        "lda_options": lda_options.as_dict(), "reproducible": lda_options.reproducible,
        "token_options": token_options.as_dict(), "dictionary_options": dictionary_options.as_dict(),
        "include_duplicates": include_duplicates, "bag_of_words": bow_meta,
        "versions": _versions(),
    }
    return TopicResults(model, runs, bow_meta, excluded, doc_ids, theta, doc_lengths, stab,
                        _with_flags(terms, stab), topics, _with_flags(comp.prevalence, stab),
                        _with_flags(comp.differences, stab), _with_flags(effects, stab),
                        _with_flags(representative, stab), search, settings, cons,
                        None if composition is None else _with_flags(composition, stab), network,
                        frame_comparison, frame_stab)


def _versions() -> dict:
    import scipy

    from corpus import __version__
    return {"framescope": __version__, "gensim": _gensim_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "pandas": pd.__version__}
