"""Stage 2: fitting LDA (gensim) and the fitted :class:`TopicModel` with checked save/load."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from framescope.analysis.token_options import TokenOptions
from framescope.analysis.topics.bow import BagOfWords, bag_of_words
from framescope.analysis.topics.describe import exclusivity, frex, relevance
from framescope.analysis.topics.options import DictionaryOptions, LdaOptions
from framescope.corpus.errors import CorpusMismatchError, FramescopeError
from framescope.corpus.loaders.common import sha256_file

__all__ = ["TopicModel", "fit_lda", "count_terms", "gensim_version", "MODEL_META", "MODEL_FORMAT"]

#: The metadata file of a saved model.
MODEL_META = "topic_model.json"
MODEL_FORMAT = "framescope-topic-model/1"


@dataclass
class TopicModel:
    """A fitted LDA model with everything needed to reuse and describe it.

    Returned by :func:`fit_lda`; its settings are recorded with every output.

    Parameters
    ----------
    lda : gensim.models.LdaModel
        The fitted gensim model (``LdaMulticore`` when ``options.workers`` > 0).
    dictionary : gensim.corpora.Dictionary
        Its vocabulary (term id → term).
    seed : int
        The training seed (gensim's ``random_state``).
    lang : str
        The language code of the modelled documents.
    corpus_id : str or None
        The corpus it was fitted on (None: unknown).
    options : LdaOptions
        The gensim settings used.
    token_options : TokenOptions
        The token options of the documents.
    dictionary_options : DictionaryOptions
        The vocabulary and document filters of the bag of words.
    term_frequency : numpy.ndarray
        Term counts of the documents it was fitted on (for relevance and FREX).
    n_docs : int
        The number of documents it was fitted on.
    _phi : numpy.ndarray, optional
        Internal: the topic–word matrix, computed on first use (leave None).
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
        """φ: the topic-word probabilities.

        Returns
        -------
        numpy.ndarray
            K × V float64 (rows sum to 1; columns in vocabulary id order, :attr:`terms`).

        References
        ----------
        Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
        Machine Learning Research*, 3, 993–1022.
        Hoffman, M. D., Blei, D. M., & Bach, F. R. (2010). Online learning for latent Dirichlet
        allocation. *Advances in Neural Information Processing Systems*, 23, 856–864.
        """
        if self._phi is None:
            lam = np.asarray(self.lda.state.get_lambda(), dtype=np.float64)
            self._phi = lam / lam.sum(axis=1, keepdims=True)
        return self._phi

    def document_topics(self, docs: Iterable, seed: int | None = None) -> np.ndarray:
        """θ: topic proportions of bag-of-words documents (rows sum to 1).

        The normalised variational Dirichlet parameters of :meth:`document_gamma`:
        θ_d = γ_d / Σ_k γ_dk (the posterior mean of θ_d). Unlike ``get_document_topics``
        no value is dropped below 1e-8.

        Parameters
        ----------
        docs : iterable
            Bag-of-words documents (a :class:`BagOfWords` or ``list[(term_id, count)]`` each).
        seed : int, optional
            Seed of the inference (default the training seed).

        Returns
        -------
        numpy.ndarray
            n_docs × K proportions.

        References
        ----------
        Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
        Machine Learning Research*, 3, 993–1022.
        Hoffman, M. D., Blei, D. M., & Bach, F. R. (2010). Online learning for latent Dirichlet
        allocation. *Advances in Neural Information Processing Systems*, 23, 856–864.
        """
        gamma = self.document_gamma(docs, seed)
        return gamma / gamma.sum(axis=1, keepdims=True) if len(gamma) else gamma

    def document_gamma(self, docs: Iterable, seed: int | None = None) -> np.ndarray:
        """γ: variational Dirichlet parameters, q(θ_d) = Dirichlet(γ_d).

        gensim's variational inference (``LdaModel.inference``, as in
        ``get_document_topics``) in chunks of ``chunksize``, from the model's generator
        reset to ``seed``, so the result does not depend on what the model computed before.
        γ is what the method of composition draws from (:func:`prevalence_effects_composition`).

        Parameters
        ----------
        docs : iterable
            Bag-of-words documents.
        seed : int, optional
            Seed of the inference (default the training seed).

        Returns
        -------
        numpy.ndarray
            n_docs × K positive parameters.

        References
        ----------
        Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
        Machine Learning Research*, 3, 993–1022.
        Hoffman, M. D., Blei, D. M., & Bach, F. R. (2010). Online learning for latent Dirichlet
        allocation. *Advances in Neural Information Processing Systems*, 23, 856–864.
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
        """p_w: each term's share of the tokens of the documents the model was fitted on.

        Returns
        -------
        numpy.ndarray
            V probabilities (vocabulary id order), the p_w of :func:`relevance`.

        References
        ----------
        Sievert, C., & Shirley, K. (2014). LDAvis. *Workshop on Interactive Language Learning,
        Visualization, and Interfaces*, 63–70.
        """
        tf = np.asarray(self.term_frequency, dtype=np.float64)
        return tf / tf.sum()

    def terms_table(self, topn: int = 10, lam: float = 0.6, frex_weight: float = 0.5) -> pd.DataFrame:
        """Top terms of every topic by probability, relevance and FREX (tidy).

        Parameters
        ----------
        topn : int
            Terms per topic and ranking.
        lam : float
            Relevance λ (:func:`relevance`).
        frex_weight : float
            FREX weight on exclusivity (:func:`frex`).

        Returns
        -------
        pandas.DataFrame
            Per topic, every term in the top ``topn`` by any of the three rankings: topic,
            rank (by probability, 1 = most probable), term, weight (φ_kw), relevance,
            relevance_rank, frex, frex_rank. Ties are broken by term id.

        References
        ----------
        Sievert, C., & Shirley, K. (2014). LDAvis. *Workshop on Interactive Language Learning,
        Visualization, and Interfaces*, 63–70.
        Bischof, J., & Airoldi, E. M. (2012). Summarizing topical content with word frequency
        and exclusivity. *Proceedings of ICML*, 201–208.
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
        """The ``topn`` terms of each topic under one ranking.

        Parameters
        ----------
        topn : int
            Terms per topic.
        by : {'probability', 'relevance', 'frex'}
            The ranking.
        lam, frex_weight : float
            As :meth:`terms_table`.

        Returns
        -------
        list of list of str
            K lists, best first.

        References
        ----------
        See :meth:`terms_table`.
        """
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
        """Per-topic exclusivity (stm ``exclusivity``).

        Parameters
        ----------
        topn, weight
            As :func:`~framescope.analysis.topics.describe.exclusivity`.

        Returns
        -------
        numpy.ndarray
            K values.

        References
        ----------
        Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm. *Journal of Statistical
        Software*, 91(2), 1–40.
        """
        return exclusivity(self.topic_word(), topn, weight)

    def bag_of_words(self, corpus, folder=None, include_duplicates: bool = False) -> BagOfWords:
        """``corpus`` tokenised with this model's token options and its vocabulary (no filtering).

        Parameters
        ----------
        corpus : Corpus
            The documents to apply the model to.
        folder : path, optional
            Work folder (default temporary).
        include_duplicates : bool
            Read documents marked as duplicates too.

        Returns
        -------
        BagOfWords
            See :func:`~framescope.analysis.topics.bow.bag_of_words`.

        References
        ----------
        See :func:`~framescope.analysis.topics.bow.bag_of_words`.
        """
        return bag_of_words(corpus, self.lang, self.token_options, self.dictionary_options, folder=folder,
                            include_duplicates=include_duplicates, dictionary=self.dictionary)

    def metadata(self) -> dict:
        """What ``topic_model.json`` and ``run.json`` record of the model.

        Returns
        -------
        dict
            k, seed, lang, corpus_id, n_docs, n_terms, reproducible, lda_options,
            token_options, dictionary_options.
        """
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

        Parameters
        ----------
        folder : path
            Output folder (created or replaced).

        Returns
        -------
        pathlib.Path
            The folder.

        References
        ----------
        Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large
        corpora. *Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks*, 45–50.
        """
        from framescope.corpus import __version__
        from framescope.corpus.store import AtomicFolder

        with AtomicFolder(folder) as tmp:
            # the vocabulary is saved once, as the gensim Dictionary, not again inside lda
            self.lda.save(str(tmp / "lda"), ignore=("id2word",))
            self.dictionary.save(str(tmp / "dictionary"))
            np.save(tmp / "term_frequency.npy", np.asarray(self.term_frequency, dtype=np.int64),
                    allow_pickle=False)
            files = {p.name: sha256_file(p) for p in sorted(tmp.iterdir()) if p.is_file()}
            meta = {"format": MODEL_FORMAT, "framescope_version": __version__,
                    "gensim_version": gensim_version(), **self.metadata(),
                    "files": files,
                    "warning": "gensim files are Python pickles: load only models from a trusted origin"}
            (tmp / MODEL_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                          encoding="utf-8")
        return Path(folder)

    @classmethod
    def load(cls, folder, corpus=None, force: bool = False) -> "TopicModel":
        """Load a model saved by :meth:`save`.

        Every file is checked against its recorded sha256 first. Security: gensim's files are
        unpickled — never load a model from an unknown origin (the hash check does not protect
        against deliberate tampering).

        Parameters
        ----------
        folder : path
            The folder :meth:`save` wrote.
        corpus : Corpus or str, optional
            The corpus (or its corpus_id) the model is applied to: a model fitted on another
            corpus is refused.
        force : bool
            Accept a model fitted on another corpus.

        Returns
        -------
        TopicModel

        Raises
        ------
        CorpusMismatchError
            The model was fitted on another corpus (and not ``force``).
        FramescopeError
            A missing, truncated or corrupted file (one line).

        References
        ----------
        Python documentation, ``pickle`` module: "Warning — the pickle module is not secure".
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
            if sha256_file(path) != digest:
                raise FramescopeError(f"saved topic model file {path} is corrupted or truncated "
                                      f"(sha256 differs from {MODEL_META})")
        wanted = corpus if (corpus is None or isinstance(corpus, str)) else getattr(corpus, "corpus_id", None)
        if corpus is not None and meta.get("corpus_id") != wanted and not force:
            raise CorpusMismatchError(f"the topic model in {folder} was fitted on corpus {meta.get('corpus_id')}, "
                                      f"not {wanted} (pass force=True to use it anyway)")
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


def count_terms(documents: Iterable, n_terms: int) -> np.ndarray:
    """Term counts of bag-of-words documents.

    Parameters
    ----------
    documents : iterable
        ``list[(term_id, count)]`` per document.
    n_terms : int
        Vocabulary size V.

    Returns
    -------
    numpy.ndarray
        V int64 counts.
    """
    tf = np.zeros(n_terms, dtype=np.int64)
    for doc in documents:
        if doc:
            ids, counts = zip(*doc)
            tf[list(ids)] += np.asarray(counts, dtype=np.int64)
    return tf


def gensim_version() -> str:
    """The installed gensim's version (recorded in ``run.json``).

    Returns
    -------
    str
        ``gensim.__version__``, e.g. "4.3.3".
    """
    import gensim
    return gensim.__version__


def fit_lda(bow: BagOfWords, k: int, seed: int = 0, options: LdaOptions = LdaOptions(),
            documents: Iterable | None = None, term_frequency: np.ndarray | None = None) -> TopicModel:
    """Fit LDA with K topics on ``bow`` (or on ``documents``, e.g. ``bow.subset(mask)``).

    ``options.workers == 0``: gensim ``LdaModel`` (one process; exactly reproducible with
    ``seed``); otherwise ``LdaMulticore`` (not reproducible). Documents are streamed from
    disk on every pass. No perplexity is evaluated during training (``eval_every=None``):
    it would draw from the model's generator and cost a pass.

    Parameters
    ----------
    bow : BagOfWords
        Vocabulary and documents.
    k : int
        Number of topics (≥ 2).
    seed : int
        ``random_state`` of gensim.
    options : LdaOptions
        gensim settings.
    documents : iterable, optional
        Fit on these bag-of-words documents instead of all of ``bow``.
    term_frequency : numpy.ndarray, optional
        Term counts of ``documents`` (computed when not given).

    Returns
    -------
    TopicModel
        The fitted model with its seed, settings, vocabulary and the term counts of the
        documents fitted on.

    Raises
    ------
    FramescopeError
        K < 2.

    References
    ----------
    Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
    Machine Learning Research*, 3, 993–1022.
    Hoffman, M. D., Blei, D. M., & Bach, F. R. (2010). Online learning for latent Dirichlet
    allocation. *Advances in Neural Information Processing Systems*, 23, 856–864.
    Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large
    corpora. *Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks*, 45–50.
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
            term_frequency = count_terms(documents, bow.n_terms)
        n_docs = len(documents)
    return TopicModel(lda, bow.dictionary, int(seed), bow.lang, bow.corpus_id, options, bow.token_options,
                      bow.dictionary_options, term_frequency, n_docs)
