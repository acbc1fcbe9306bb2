"""Stage 1: a corpus in one language as a streamed gensim bag-of-words on disk."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import detect_phrases, iter_tokens
from framescope.analysis.topics.options import DictionaryOptions
from framescope.corpus.errors import FramescopeError

__all__ = ["BagOfWords", "bag_of_words", "phrases_for", "EXCLUDED_DUPLICATE",
           "EXCLUDED_NO_TEXT", "EXCLUDED_FEW_TOKENS"]

_BOW_MM = "corpus.mm"
_TOKENS_FILE = "tokens.i32"
_FULL_TOKENS_FILE = "tokens-unfiltered.i32"


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
    :meth:`texts` streams the token sequences. Use as a context manager (or call
    :meth:`close`) to delete a temporary work folder. Built by
    :func:`~framescope.analysis.topics.bow.bag_of_words`, not by hand.

    Parameters
    ----------
    folder : pathlib.Path
        The work folder holding ``corpus.mm``, its index and the token sequences.
    dictionary : gensim.corpora.Dictionary
        The filtered vocabulary (term id → term).
    doc_ids : list of str
        ``doc_ids[i]`` is the id of document i of the bag of words.
    term_frequency : numpy.ndarray
        ``term_frequency[w]`` counts term w over the modelled documents.
    doc_lengths : numpy.ndarray
        ``doc_lengths[i]``: the in-vocabulary tokens of document i.
    offsets : numpy.ndarray
        Byte offsets of the documents' token sequences in the work folder (for
        :meth:`texts`).
    lang : str
        The language code of the modelled segments.
    corpus_id : str or None
        The id of the corpus the documents come from (None: unknown).
    token_options : TokenOptions
        The token options the documents were tokenised with.
    dictionary_options : DictionaryOptions
        The vocabulary and document filters applied.
    excluded : pandas.DataFrame
        The corpus documents left out and why: doc_id, reason ('duplicate', 'no text in
        the language', 'too few vocabulary tokens') and detail.
    owns_folder : bool
        Whether :meth:`close` deletes ``folder`` (True for a temporary work folder;
        default False).
    _mm : object, optional
        Internal: the opened ``MmCorpus``, opened on first iteration (leave None).
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
        """Delete the work folder if this object created it (a given ``folder`` is kept).

        Returns
        -------
        None
        """
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
        """Per document, its token ids in text order, read through a memory map.

        Returns
        -------
        iterator of numpy.ndarray
            One int32 array per modelled document (in ``doc_ids`` order); −1 marks a token not
            in the vocabulary (it keeps its place for the sliding windows of coherence).
        """
        offsets = self.offsets
        if offsets[-1] == 0:
            for _ in range(len(self)):
                yield np.zeros(0, dtype=np.int32)
            return
        ids = np.memmap(self.folder / _TOKENS_FILE, dtype=np.int32, mode="r")
        for i in range(len(self)):
            yield np.asarray(ids[offsets[i]:offsets[i + 1]])

    def texts(self) -> _Texts:
        """Token sequences for sliding-window coherence (gensim ``CoherenceModel(texts=...)``).

        Returns
        -------
        iterable
            Re-iterable; yields one ``list[str]`` of in-vocabulary tokens per document.
        """
        return _Texts(self)

    def subset(self, mask: Sequence[bool]) -> _Subset:
        """The documents where ``mask`` is true, streamed in order (e.g. the K search's training split).

        Parameters
        ----------
        mask : sequence of bool
            One value per modelled document.

        Returns
        -------
        iterable
            Re-iterable bag-of-words documents (``list[(term_id, count)]``).
        """
        return _Subset(self, np.asarray(mask, dtype=bool))

    def metadata(self) -> dict:
        """What ``run.json`` records of the bag-of-words.

        Returns
        -------
        dict
            lang, corpus_id, n_documents, n_terms, n_tokens, n_excluded, excluded_by_reason
            ({reason: count}), token_options, dictionary_options.
        """
        return {"lang": self.lang, "corpus_id": self.corpus_id, "n_documents": len(self),
                "n_terms": self.n_terms, "n_tokens": int(self.doc_lengths.sum()),
                "n_excluded": len(self.excluded),
                "excluded_by_reason": {str(k): int(v) for k, v in
                                       self.excluded["reason"].value_counts().sort_index().items()},
                "token_options": self.token_options.as_dict(),
                "dictionary_options": self.dictionary_options.as_dict()}


#: Reasons a corpus document is not modelled (``BagOfWords.excluded``): a duplicate document,
EXCLUDED_DUPLICATE = "duplicate"
#: a document without analysable text in the modelled language,
EXCLUDED_NO_TEXT = "no text in the language"
#: a document with fewer in-vocabulary tokens than ``DictionaryOptions.min_tokens``.
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

    One streaming pass over the tokens (:func:`framescope.analysis.tokens.iter_tokens`, segments of
    ``lang`` only) builds a gensim ``Dictionary`` and writes each document's token ids to
    a flat int32 file; the dictionary is then filtered (``no_below``, ``no_above``,
    ``keep_n``) and a second pass over that file writes ``corpus.mm`` (gensim
    ``MmCorpus``) and the filtered token file. Documents with fewer than ``min_tokens``
    in-vocabulary tokens are left out; every corpus document not modelled is listed in
    ``.excluded`` with its reason.

    Parameters
    ----------
    corpus : Corpus
        The documents (duplicates left out unless ``include_duplicates``).
    lang : str
        ISO 639-1 code: one model per language.
    token_options : TokenOptions
        Token rules (topic models usually drop numbers and one-letter tokens).
    dictionary_options : DictionaryOptions
        Vocabulary and document filters.
    folder : path, optional
        Work folder (created; default a temporary folder removed by :meth:`BagOfWords.close`).
    include_duplicates : bool
        Model documents marked as duplicates too.
    dictionary : gensim.corpora.Dictionary, optional
        Use this vocabulary as is, without filtering (e.g. a saved model's): the way to
        apply a model to a corpus.
    batch_size : int
        Documents tokenised per batch (memory).

    Returns
    -------
    BagOfWords
        ``doc_ids``, ``term_frequency``, ``doc_lengths`` and ``excluded`` (columns doc_id,
        reason — :data:`EXCLUDED_DUPLICATE`, :data:`EXCLUDED_NO_TEXT`,
        :data:`EXCLUDED_FEW_TOKENS` — and detail). Use it as a context manager.

    Raises
    ------
    FramescopeError
        No language, or no document left to model.

    References
    ----------
    Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large
    corpora. *Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks*, 45–50.
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
                                  f"(check the language; the corpus has {len(corpus.documents)} documents)")
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
    """Two-word phrases of ``lang`` for ``TokenOptions(phrases=...)``.

    Detected with :func:`framescope.analysis.tokens.detect_phrases` (gensim ``Phrases``
    with the NPMI scorer) on the tokens without stemming, so that phrases match the text;
    ``detect_phrases`` holds the sentences in memory.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    lang : str
        Language of the segments read.
    token_options : TokenOptions
        Token rules (stemming and phrases are switched off for the detection).
    include_duplicates : bool
        Read documents marked as duplicates too.
    min_count : int
        Fewest occurrences of a phrase.
    threshold : float
        Least NPMI of a phrase, in (−1, 1].

    Returns
    -------
    tuple of str
        The phrases ("white phosphorus"), sorted.

    References
    ----------
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *Proceedings of GSCL*, 31–40.
    Řehůřek, R., & Sojka, P. (2010). Software framework for topic modelling with large
    corpora. *Proceedings of the LREC 2010 Workshop on New Challenges for NLP Frameworks*, 45–50.
    """
    options = replace(token_options, stem=False, phrases=())

    def sentences():
        for batch in iter_tokens(corpus, options, lang=lang, include_duplicates=include_duplicates):
            yield from batch.sentences()

    return detect_phrases(sentences(), min_count=min_count, threshold=threshold)
