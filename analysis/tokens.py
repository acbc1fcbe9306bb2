"""Tokens: language-aware tokenisation of a corpus, sentence by sentence.

The first stage of the pipeline ``corpus → tokens → counts → statistic``::

    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.tokens import tokens
    toks = tokens(corpus, TokenOptions(stem=False, phrases=("white phosphorus",)))
    toks.to_frame()          # doc_id, seg, sent, pos, lang, token
    for doc in toks: ...     # one flat token list per document (gensim-like)
    for sent in toks.sentences(): ...

Rules
-----
* Only title, body and caption segments are read (``Corpus.analysable_segments``); never
  boilerplate; documents marked as duplicates are left out unless asked.
* Each segment is tokenised in its own language (its ``lang``), and every sentence keeps
  that language: counts are keyed by ``(lang, term)`` so scripts never merge.
* English: a regular expression (the ``regex`` engine, as NLTK's ``RegexpTokenizer``) that keeps
  hyphenated words ("US-led"), abbreviations ("U.S.", "U.S.-led") and numbers ("1,139",
  "3.5") whole; optional Snowball stemming. Arabic: :func:`framescope.corpus.text.normalize_arabic`
  token by token (each flag switchable; the written form is kept for display), a regex
  tokenizer, proclitic segmentation (:mod:`framescope.analysis.arabic_clitics`, on by default) and
  optional ISRI stemming (NLTK). Other languages: a Unicode word regex, Snowball stemming
  where NLTK has a stemmer for the language.
* Token rules (issue 17; :mod:`framescope.analysis.token_rules`): agency credits and bylines out of the
  text, spelling variants merged, possessives split ("Syria's", FA-KES's "Syrias").
* Stopwords from ``stopwordsiso`` (per language, normalised like the tokens); an Arabic
  word made of proclitics + a stopword (ولكن، لهم) is a stopword too.
* Sentences: NLTK Punkt; for English the model shipped in ``analysis/data/`` (trained once
  on FA-KES by ``tools/train_punkt.py``; nothing is downloaded or trained at run time); see
  :func:`framescope.analysis.token_sentences.split_sentences`.
* The tokens of a corpus folder are computed once per options and kept beside it (the
  token store, :mod:`framescope.analysis.token_store`);
  :func:`framescope.analysis.token_store.token_metadata` is what outputs record.

Modules of the token layer: :mod:`~framescope.analysis.token_options` (:class:`TokenOptions`),
:mod:`~framescope.analysis.token_sentences` (text preparation, sentences),
:mod:`~framescope.analysis.token_words` (word tokenisation and filtering, :func:`tokenize`),
:mod:`~framescope.analysis.token_rules`, :mod:`~framescope.analysis.arabic_clitics`,
:mod:`~framescope.analysis.token_store` (files, key, metadata) and this module (a corpus's
tokens: :class:`Tokens`, :func:`tokens`, :func:`iter_tokens`).

Processing order for one token (documented because it changes counts):
credits removed from the text → raw tokens → (Arabic: normalise each token) → possessives
split (English) → phrase joining (user multiword units, matched case-insensitively) →
punctuation / numbers → variants (English, when lowercasing) → lowercase → stopwords →
Arabic proclitics (a proclitic + stopword is dropped) → stemming → minimum length. Joined
phrases are never stemmed, segmented nor removed as stopwords. The rules that look beyond
the token (possessives, the proclitic frequency check) see the words of the same document
(:class:`framescope.analysis.token_words.DocContext`), so a document gets the same tokens in any corpus, subset or batch.
"""
from __future__ import annotations

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from framescope.analysis.token_options import PHRASE_JOINER, TokenOptions
from framescope.analysis.token_sentences import (lang_key, prepare_surface, restore_sentence_models,
                                                 sentence_model_name, sentence_model_state, split_prepared)
from framescope.analysis.token_store import token_metadata, token_store_key
from framescope.analysis.token_words import DocContext, filter_surface, raw_tokens
from framescope.corpus.errors import FramescopeError

__all__ = ["Tokens", "tokens", "iter_tokens", "open_token_store", "encode_store", "document_raw_tokens",
           "ordered_segments", "raw_sentences", "tokenize_segments", "detect_phrases", "stored_document_sizes"]

# --- Tokens over a corpus ------------------------------------------------------------------

@dataclass
class Tokens:
    """Tokens of a corpus, document by document and sentence by sentence.

    ``doc_ids[i]`` is document *i*; ``docs[i]`` its sentences (each a list of str);
    ``sent_langs[i][j]`` the language of sentence *j* (its segment's ``lang``) and
    ``sent_segs[i][j]`` its segment number. Iterating yields one flat token list per
    document; :meth:`sentences` yields one token list per sentence. A token's language is
    that of its sentence; counts key terms by ``(lang, token)``.

    Parameters
    ----------
    doc_ids : list of str
        The ``doc_id`` of each document, in corpus order.
    docs : list of list of list of str
        Per document, per sentence, the tokens.
    sent_langs : list of list of str
        Per document, the language of each sentence.
    sent_segs : list of list of int
        Per document, the segment number of each sentence.
    options : TokenOptions
        The options the tokens were made with.
    corpus_id : str, optional
        The ``corpus_id`` of the corpus tokenised (from its manifest); None for an
        in-memory corpus.
    sentence_models : dict
        Language → sentence model name.
    surfaces : pandas.DataFrame, optional
        ``lang``, ``term``, ``surface``, ``count``.
    store : str, optional
        The token store folder the tokens were read from.
    """

    doc_ids: list[str]
    docs: list[list[list[str]]]
    sent_langs: list[list[str]]
    sent_segs: list[list[int]]
    options: TokenOptions = field(default_factory=TokenOptions)
    corpus_id: str | None = None
    sentence_models: dict[str, str] = field(default_factory=dict)
    #: how each term is written: lang, term, surface, count (of the whole corpus when the
    #: tokens come from the token store); see :func:`framescope.analysis.surface.surface_forms`
    surfaces: pd.DataFrame | None = field(default=None, repr=False)
    #: where the tokens came from: the token store folder, or None (tokenised here)
    store: str | None = None

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __iter__(self) -> Iterator[list[str]]:
        for sents in self.docs:
            yield [t for s in sents for t in s]

    def sentences(self) -> Iterator[list[str]]:
        """Every sentence's tokens, document after document.

        Returns
        -------
        iterator of list of str
        """
        for sents in self.docs:
            yield from sents

    def sentences_with_lang(self) -> Iterator[tuple[int, str, list[str]]]:
        """Every sentence with its document and language.

        Returns
        -------
        iterator of tuple
            ``(document index, language, tokens)``.
        """
        for i, (sents, langs) in enumerate(zip(self.docs, self.sent_langs)):
            for s, lang in zip(sents, langs):
                yield i, lang, s

    @property
    def langs(self) -> list[tuple[str, ...]]:
        """Languages of each document's sentences, sorted."""
        return [tuple(sorted(set(l))) for l in self.sent_langs]

    def n_tokens(self) -> int:
        """Number of tokens.

        Returns
        -------
        int
        """
        return sum(len(s) for sents in self.docs for s in sents)

    def select(self, keep: Sequence[bool] | Sequence[str]) -> "Tokens":
        """Some of the documents, in the order of this object.

        Parameters
        ----------
        keep : sequence of bool or sequence of str
            A boolean mask over the documents, or doc_ids.

        Returns
        -------
        Tokens
        """
        if len(keep) and isinstance(next(iter(keep)), str):
            wanted = set(keep)
            mask = [d in wanted for d in self.doc_ids]
        else:
            mask = list(keep)
        idx = [i for i, m in enumerate(mask) if m]
        return Tokens([self.doc_ids[i] for i in idx], [self.docs[i] for i in idx],
                      [self.sent_langs[i] for i in idx], [self.sent_segs[i] for i in idx],
                      self.options, self.corpus_id, dict(self.sentence_models), self.surfaces, self.store)

    def to_frame(self) -> pd.DataFrame:
        """The tokens as a tidy table, one row per token.

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``seg`` (int64), ``sent`` (int64, 0.. within the document), ``pos``
            (int64, 0.. within the sentence), ``lang``, ``token``.
        """
        rows_doc, rows_seg, rows_sent, rows_pos, rows_lang, rows_tok = [], [], [], [], [], []
        for doc_id, sents, langs, segs in zip(self.doc_ids, self.docs, self.sent_langs, self.sent_segs):
            for j, (s, lang, seg) in enumerate(zip(sents, langs, segs)):
                n = len(s)
                rows_doc.extend([doc_id] * n)
                rows_seg.extend([seg] * n)
                rows_sent.extend([j] * n)
                rows_pos.extend(range(n))
                rows_lang.extend([lang] * n)
                rows_tok.extend(s)
        return pd.DataFrame({"doc_id": rows_doc, "seg": pd.array(rows_seg, dtype="int64"),
                             "sent": pd.array(rows_sent, dtype="int64"),
                             "pos": pd.array(rows_pos, dtype="int64"),
                             "lang": rows_lang, "token": rows_tok})

    def metadata(self) -> dict:
        """What to record next to a result computed from these tokens.

        Returns
        -------
        dict
            ``corpus_id``, what :func:`framescope.analysis.token_store.token_metadata`
            returns (token options, token-layer version, sentence models, rule files), with
            the sentence models actually used, ``n_documents`` and ``n_tokens``.
        """
        meta = {"corpus_id": self.corpus_id, **token_metadata(self.options)}
        meta["sentence_models"] = {**meta["sentence_models"], **dict(sorted(self.sentence_models.items()))}
        # not the store's path: the same tokens give the same metadata wherever they were read
        meta.update({"n_documents": len(self), "n_tokens": self.n_tokens()})
        return meta

    @classmethod
    def concat(cls, parts: Sequence["Tokens"]) -> "Tokens":
        """The documents of several :class:`Tokens` (batches of one corpus), in order.

        Parameters
        ----------
        parts : sequence of Tokens

        Returns
        -------
        Tokens
            Options, corpus_id, surfaces and store of the first part.
        """
        if not parts:
            return cls([], [], [], [])
        models: dict[str, str] = {}
        for p in parts:
            models.update(p.sentence_models)
        return cls([d for p in parts for d in p.doc_ids], [d for p in parts for d in p.docs],
                   [d for p in parts for d in p.sent_langs], [d for p in parts for d in p.sent_segs],
                   parts[0].options, parts[0].corpus_id, models, parts[0].surfaces, parts[0].store)


def raw_sentences(text, lang, seg, options: TokenOptions, models: dict | None = None) -> list[tuple]:
    """The raw tokens of every sentence of one segment.

    Parameters
    ----------
    text : str
        The segment's text.
    lang : str
        The segment's language.
    seg : int
        The segment number.
    options : TokenOptions
        The tokenisation options (normalisation and credit removal before the split).
    models : dict, optional
        Receives language key → name of the sentence model used.

    Returns
    -------
    list of tuple
        ``(lang key, sentence lang, seg, raw tokens)`` per sentence; empty for no text.
    """
    if not isinstance(text, str) or not text:
        return []
    lang = lang if isinstance(lang, str) and lang else "und"
    key = lang_key(lang, text)
    seg_no = int(seg) if seg is not None else 0
    out = [(key, "ar" if key == "ar" else lang, seg_no, raw_tokens(sentence, key))
           for sentence in split_prepared(prepare_surface(text, key, options), key)]
    if models is not None:
        models[key] = sentence_model_name(key)
    return out


def document_raw_tokens(corpus, doc_id: str, options: TokenOptions = TokenOptions()) -> list[tuple[str, list[str]]]:
    """The raw tokens of each sentence of one document, as the rules see them before
    filtering (what :class:`~framescope.analysis.token_words.DocContext` is built from).

    Parameters
    ----------
    corpus : Corpus
        The corpus holding the document.
    doc_id : str
        The document's ``doc_id``.
    options : TokenOptions, default TokenOptions()
        The tokenisation options (:class:`~framescope.analysis.token_options.TokenOptions`).

    Returns
    -------
    list of tuple
        ``(lang key, raw tokens)`` per sentence.
    """
    segs = corpus.analysable_segments(include_duplicates=True)
    segs = segs[segs["doc_id"] == doc_id].sort_values("seg", kind="stable")
    return [(key, raw) for text, lang, seg in zip(segs["text"], segs["lang"], segs["seg"])
            for key, _, _, raw in raw_sentences(text, lang, seg, options)]


def tokenize_segments(segs: pd.DataFrame, options: TokenOptions, surfaces: dict | None = None,
                      size_options: TokenOptions | None = None, sizes: list | None = None) -> tuple:
    """Tokens of analysable segments in (doc order of first appearance, seg order).

    Each document is read twice: its raw tokens first (they are its
    :class:`~framescope.analysis.token_words.DocContext`), then the rules.

    Parameters
    ----------
    segs : pandas.DataFrame
        Analysable segments (``doc_id``, ``seg``, ``lang``, ``text``), as
        :func:`ordered_segments` orders them.
    options : TokenOptions
        The tokenisation options.
    surfaces : dict, optional
        Language → :class:`collections.Counter` of ``(token, surface)``, updated in place
        (:func:`surface_frame` makes the table).
    size_options : TokenOptions, optional
        Also count, per document, the tokens these options keep, from the same raw tokens
        and document context (exact only when
        :func:`~framescope.analysis.token_store.running_word_options` accepts ``options``).
    sizes : list, optional
        Receives those counts, one per document in the order of ``doc_ids`` (needed with
        ``size_options``).

    Returns
    -------
    tuple
        ``(doc_ids, docs, sent_langs, sent_segs, sentence_models)`` as :class:`Tokens`
        holds them.
    """
    doc_ids: list[str] = []
    docs: list[list[list[str]]] = []
    langs: list[list[str]] = []
    seg_nos: list[list[int]] = []
    models: dict[str, str] = {}
    position: dict[str, int] = {}
    pending: list[list] = []  # per document: (key, lang, seg, raw tokens) per sentence
    for doc_id, seg, lang, text in zip(segs["doc_id"], segs["seg"], segs["lang"], segs["text"]):
        i = position.get(doc_id)
        if i is None:
            i = position[doc_id] = len(doc_ids)
            doc_ids.append(doc_id)
            pending.append([])
        pending[i].extend(raw_sentences(text, lang, seg, options, models))
    for sentences in pending:
        context = DocContext.of(((key, raw) for key, _, _, raw in sentences), options)
        doc, doc_langs, doc_segs = [], [], []
        if size_options is not None:
            # the running words: the same raw tokens and context, the count's own filters
            sizes.append(sum(len(filter_surface(raw, key, size_options, context)) for key, _, _, raw in sentences))
        for key, lang, seg_no, raw in sentences:
            pairs = filter_surface(raw, key, options, context)
            doc.append([t for t, _ in pairs])
            if surfaces is not None:
                counter = surfaces.get(lang)
                if counter is None:
                    counter = surfaces[lang] = Counter()
                counter.update(pairs)  # the pairs are shared per word: counting them is cheap
            doc_langs.append(lang)
            doc_segs.append(seg_no)
        docs.append(doc)
        langs.append(doc_langs)
        seg_nos.append(doc_segs)
    return doc_ids, docs, langs, seg_nos, models


def ordered_segments(corpus, include_duplicates: bool, lang: str | None) -> pd.DataFrame:
    """The analysable segments of ``corpus`` in the order tokens are made in.

    Parameters
    ----------
    corpus : Corpus
        The corpus (or subset) to read.
    include_duplicates : bool
        Keep documents marked ``duplicate_of``.
    lang : str or None
        Only segments in this language.

    Returns
    -------
    pandas.DataFrame
        ``Corpus.analysable_segments`` rows, documents in corpus order and segments in
        document order (stable, whatever the file order).
    """
    segs = corpus.analysable_segments(include_duplicates=include_duplicates, lang=lang)
    # documents in corpus order, segments in document order: stable, whatever the file order
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])}
    segs = segs.assign(_doc=segs["doc_id"].map(order)).sort_values(["_doc", "seg"], kind="stable")
    return segs.drop(columns="_doc")


def iter_tokens(corpus, options: TokenOptions = TokenOptions(), lang: str | None = None,
                include_duplicates: bool = False, batch_size: int = 2000,
                store: bool | None = None) -> Iterator[Tokens]:
    """Stream :class:`Tokens` in batches of ``batch_size`` documents (corpus order).

    Counting functions consume batches and merge by summing (issue 7: bounded memory,
    workers, Dask). Documents with no analysable segment (all boilerplate, duplicates,
    other language) are not yielded.

    Parameters
    ----------
    corpus : Corpus
        The corpus to tokenise.
    options : TokenOptions, default TokenOptions()
        The tokenisation options.
    lang : str, optional
        Only segments in this language (ISO 639-1); None: all.
    include_duplicates : bool, default False
        Keep documents marked ``duplicate_of``.
    batch_size : int, default 2000
        Documents per batch.
    store : bool, optional
        Use the token store, as in :func:`tokens` (default: yes, unless
        ``$FRAMESCOPE_TOKEN_STORE=0``).

    Yields
    ------
    Tokens
        The tokens of up to ``batch_size`` consecutive documents, with the options and
        ``corpus_id``; sentence models and surface forms are those of the batch.
    """
    if batch_size < 1:
        raise FramescopeError("batch_size must be >= 1")
    stored = _stored(corpus, options, store)
    if stored is not None:
        yield from _from_store(stored, corpus, options, lang, include_duplicates, batch_size)
        return
    segs = ordered_segments(corpus, include_duplicates, lang)
    doc_ids = pd.unique(segs["doc_id"])
    for start in range(0, len(doc_ids), batch_size):
        batch_ids = set(doc_ids[start:start + batch_size])
        part = segs[segs["doc_id"].isin(batch_ids)]
        surfaces: dict = {}
        ids, docs, langs, seg_nos, models = tokenize_segments(part, options, surfaces)
        yield Tokens(ids, docs, langs, seg_nos, options, corpus.corpus_id, models, surface_frame(surfaces))


def tokens(corpus, options: TokenOptions = TokenOptions(), lang: str | None = None,
           include_duplicates: bool = False, store: bool | None = None) -> Tokens:
    """Tokens of every analysable segment of ``corpus``, each in its own language.

    ``lang`` keeps only segments in that language; ``include_duplicates`` keeps documents
    marked ``duplicate_of``. Documents without analysable text are absent from the result.

    A corpus loaded from a folder is tokenised once per token options: the first call on
    the whole corpus writes the token store beside it (:mod:`framescope.analysis.token_store`) and
    every later call, in any process, reads it; a subset or partition of the corpus reads
    its documents from the store when there is one (and is tokenised here otherwise, so a
    query on a few documents never waits for the whole corpus).
    ``store=False`` (or ``$FRAMESCOPE_TOKEN_STORE=0``) tokenises here and writes nothing;
    an in-memory corpus (no folder) is always tokenised here. The tokens are identical
    either way.

    Parameters
    ----------
    corpus : Corpus
        A corpus loaded from a folder (:func:`framescope.corpus.store.load`), a subset
        of one, or one made in memory.
    options : TokenOptions, default TokenOptions()
        The tokenisation options (:class:`~framescope.analysis.token_options.TokenOptions`).
    lang : str, optional
        Only segments in this language.
    include_duplicates : bool, default False
        Keep documents marked ``duplicate_of``.
    store : bool, optional
        Use the token store (default: yes, unless ``$FRAMESCOPE_TOKEN_STORE=0``).

    Returns
    -------
    Tokens
        Per document (corpus order) the token lists of its sentences, with their
        languages and segment numbers, the options, ``corpus_id``, sentence models and
        surface forms.

    References
    ----------
    Benoit, K., et al. (2018). quanteda: An R package for the quantitative analysis of
    textual data. *Journal of Open Source Software*, 3(30), 774 (``tokens()``).
    """
    stored = _stored(corpus, options, store)
    if stored is not None:
        parts = list(_from_store(stored, corpus, options, lang, include_duplicates, None))
        return parts[0] if parts else Tokens([], [], [], [], options, corpus.corpus_id,
                                             dict(stored.meta.get("sentence_model_names", {})),
                                             stored.surfaces, stored.meta.get("path"))
    segs = ordered_segments(corpus, include_duplicates, lang)
    surfaces: dict = {}
    ids, docs, langs, seg_nos, models = tokenize_segments(segs, options, surfaces)
    return Tokens(ids, docs, langs, seg_nos, options, corpus.corpus_id, models, surface_frame(surfaces))


def surface_frame(surfaces: dict) -> pd.DataFrame:
    """The surface-form table of :attr:`Tokens.surfaces`.

    Parameters
    ----------
    surfaces : dict
        Language → Counter of ``(token, surface)``, as :func:`tokenize_segments` fills it.

    Returns
    -------
    pandas.DataFrame
        ``lang``, ``term``, ``surface``, ``count`` (int64), sorted by the first three.
    """
    rows = sorted((lang, term, surface, n) for lang, counter in surfaces.items()
                  for (term, surface), n in counter.items())
    return pd.DataFrame({"lang": [r[0] for r in rows], "term": [r[1] for r in rows],
                         "surface": [r[2] for r in rows],
                         "count": pd.array([r[3] for r in rows], dtype="int64")})


# --- the token store --------------------------------------------------------------------------

def _store_enabled(store: bool | None) -> bool:
    if store is not None:
        return bool(store)
    return os.environ.get("FRAMESCOPE_TOKEN_STORE", "1").strip().lower() not in ("0", "false", "no", "off")


def _folder_corpus_id(path) -> str | None:
    try:
        return json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8")).get("corpus_id")
    except (OSError, ValueError):
        return None



def _stored(corpus, options: TokenOptions, store: bool | None):
    """The token store of ``corpus`` under ``options`` (built now if missing), or None when
    the corpus has no folder of its own, the store is switched off, or its folder's
    corpus_id differs from the corpus's (an in-memory change: tokenise it here)."""
    path = getattr(corpus, "path", None)
    if not _store_enabled(store) or path is None or not corpus.corpus_id:
        return None
    if _folder_corpus_id(path) != corpus.corpus_id:
        return None
    if not _is_whole(corpus, path) and not _store_exists(path, corpus.corpus_id, options):
        return None  # a subset or partition reads a store but does not build one
    return open_token_store(path, options, corpus=corpus)


def stored_document_sizes(corpus, options: TokenOptions | None = None):
    """Per document of ``corpus``'s folder, the tokens ``options`` keeps, as its token store counted them.

    Every token store whose options allow it counts the running words of each document in
    its own pass (:func:`framescope.analysis.token_store.running_word_options`), so group
    sizes need no second tokenisation of the corpus.

    Parameters
    ----------
    corpus : Corpus
        A corpus loaded from a folder, or a subset of one.
    options : TokenOptions, optional
        The options of the count (default
        :data:`~framescope.analysis.token_store.RUNNING_WORD_OPTIONS`).

    Returns
    -------
    pandas.Series or None
        int64 counts indexed by ``doc_id`` for every document of the folder with analysable
        text (duplicates included), identical to the lengths of
        ``tokens(corpus, options, include_duplicates=True)``; None when the corpus has no
        folder of its own (or it holds another corpus_id), the store is switched off
        (``$FRAMESCOPE_TOKEN_STORE=0``) or no store counted under ``options``.
    """
    from framescope.analysis.token_store import RUNNING_WORD_OPTIONS, read_document_sizes

    path = getattr(corpus, "path", None)
    if not _store_enabled(None) or path is None or not corpus.corpus_id:
        return None
    if _folder_corpus_id(path) != corpus.corpus_id:
        return None
    return read_document_sizes(path, corpus.corpus_id, RUNNING_WORD_OPTIONS if options is None else options)


def _store_exists(path, corpus_id: str, options: TokenOptions) -> bool:
    from framescope.analysis.token_store import store_folder

    key, _ = token_store_key(corpus_id, options)
    meta = store_folder(path, corpus_id, key) / "meta.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False



def open_token_store(path, options: TokenOptions = TokenOptions(), progress: bool = False,
                     rebuild: bool = False, corpus=None, processes: int | None = None):
    """The token store of the corpus folder ``path`` under ``options``, built if missing.

    Parameters
    ----------
    path : path-like
        A corpus folder written by ``framescope build``.
    options : TokenOptions, default TokenOptions()
        The tokenisation options (:class:`~framescope.analysis.token_options.TokenOptions`).
    progress : bool
        Show a progress bar (tqdm) while building.
    rebuild : bool
        Build again even if a complete store with the same key exists.
    corpus : Corpus, optional
        The loaded corpus, if the caller has it whole (saves reading it again).
    processes : int, optional
        Processes that tokenise when the store is built (:func:`encode_store`; the store is
        the same with any number).

    Returns
    -------
    framescope.analysis.token_store.StoreArrays
        With ``meta['path']`` the store folder and ``meta['built']`` whether it was built now.
    """
    from framescope.analysis.token_store import read_store, store_folder, store_lock, write_store

    corpus_id = _folder_corpus_id(path)
    if not corpus_id:
        raise FramescopeError(f"{path} has no corpus_id in its manifest.json: not a framescope corpus")
    key, parts = token_store_key(corpus_id, options)
    folder = store_folder(path, corpus_id, key)
    found = None if rebuild else read_store(folder, key)
    if found is None:
        with store_lock(folder):
            found = None if rebuild else read_store(folder, key)  # another process may have built it
            if found is None:
                full = corpus if corpus is not None and _is_whole(corpus, path) else _load_corpus(path)
                write_store(folder, encode_store(full, options, key, parts, progress, processes))
                found = read_store(folder, key)
                found.meta["built"] = True
    found.meta["path"] = str(folder)
    return found


def _load_corpus(path):
    from framescope.corpus.store import load

    return load(path)


def _is_whole(corpus, path) -> bool:
    """``corpus`` holds every document of its folder, with their segments."""
    if corpus.manifest.get("subset") or "text" not in corpus.segments:
        return False
    from framescope.corpus.store import read_documents

    on_disk = read_documents(path, columns=["doc_id"])["doc_id"]
    return len(on_disk) == len(corpus.documents) and on_disk.tolist() == corpus.documents["doc_id"].tolist()


def _encode_batch(part: pd.DataFrame, options: TokenOptions, models_state: list | None = None,
                  size_options: TokenOptions | None = None) -> tuple:
    """Tokenise the segments of a batch of whole documents into arrays (local vocabulary).

    Returns ``(n_docs, sentence columns, token codes, local vocabulary, surfaces, models,
    running words per document or None)``; codes index the local vocabulary, in order of
    first appearance, so that batches merged in order give the ids one pass over the corpus
    gives (:func:`encode_store`)."""
    import numpy as np

    if models_state is not None:
        restore_sentence_models(models_state)  # a spawned worker splits as the parent does
    surfaces: dict = {}
    sizes: list[int] = []
    ids, docs, langs, seg_nos, models = tokenize_segments(part, options, surfaces, size_options, sizes)
    doc_col, sent_col, seg_col, lang_col, n_col = [], [], [], [], []
    flat: list[str] = []
    for d, (sents, s_langs, s_segs) in enumerate(zip(docs, langs, seg_nos)):
        doc_col.extend([d] * len(sents))
        sent_col.extend(range(len(sents)))
        seg_col.extend(s_segs)
        lang_col.extend(s_langs)
        for sent in sents:
            n_col.append(len(sent))
            flat.extend(sent)
    codes, uniques = pd.factorize(np.asarray(flat, dtype=object)) if flat else (np.zeros(0, np.int64), [])
    columns = (np.asarray(doc_col, dtype=np.int32), np.asarray(sent_col, dtype=np.int32),
               np.asarray(seg_col, dtype=np.int32), lang_col, np.asarray(n_col, dtype=np.int32))
    counted = np.asarray(sizes, dtype=np.int32) if size_options is not None else None
    return len(ids), columns, codes.astype(np.int32), np.asarray(uniques, dtype=object), surfaces, models, counted


def _token_processes(processes: int | None, n_docs: int) -> int:
    """Processes that fill a store: ``processes``, else ``$FRAMESCOPE_TOKEN_PROCESSES``, else 2
    on a machine with two or more cores for a corpus of 5,000 documents or more (1 below:
    starting a worker costs more than it saves)."""
    if processes is None:
        env = os.environ.get("FRAMESCOPE_TOKEN_PROCESSES", "").strip()
        if env:
            try:
                processes = int(env)
            except ValueError:
                raise FramescopeError(f"FRAMESCOPE_TOKEN_PROCESSES must be a whole number, not {env!r}") from None
        else:
            processes = 2 if n_docs >= 5000 and (os.cpu_count() or 1) >= 2 else 1
    if processes < 1:
        raise FramescopeError(f"processes must be >= 1, not {processes}")
    return processes


def encode_store(corpus, options: TokenOptions, key: str, parts: dict, progress: bool = False,
                 processes: int | None = None):
    """Tokenise every analysable segment of ``corpus`` (duplicates included) into the arrays of
    a token store.

    Documents are tokenised in batches; with ``processes`` > 1 the batches run in worker
    processes and are merged in corpus order, so the arrays (token ids, vocabulary order,
    sentences, surface forms) are identical to those of one process.

    Parameters
    ----------
    corpus : Corpus
        The whole corpus of a folder.
    options : TokenOptions, default TokenOptions()
        The tokenisation options (:class:`~framescope.analysis.token_options.TokenOptions`).
    key : str
        The store key (:func:`framescope.analysis.token_store.token_store_key`).
    parts : dict
        What the key is made of (recorded in ``meta.json``).
    progress : bool
        Show a progress bar (tqdm).
    processes : int, optional
        Worker processes; default ``$FRAMESCOPE_TOKEN_PROCESSES``, else 2 for a corpus of
        5,000 documents or more on a machine with two or more cores, else 1.

    Returns
    -------
    framescope.analysis.token_store.StoreArrays
        The store's tables and token ids, with ``meta`` holding the key and its parts, and
        ``sizes`` each document's running words (the tokens
        :data:`~framescope.analysis.token_store.RUNNING_WORD_OPTIONS` keeps, counted in the
        same pass; None when :func:`~framescope.analysis.token_store.running_word_options`
        refuses ``options``).
    """
    import datetime

    import numpy as np
    from tqdm import tqdm

    from framescope.analysis.token_store import StoreArrays, running_word_options
    from framescope.corpus import __version__

    segs = ordered_segments(corpus, include_duplicates=True, lang=None)
    doc_ids = pd.unique(segs["doc_id"])
    batch = 500
    position = {d: i for i, d in enumerate(doc_ids)}
    doc_of_seg = segs["doc_id"].map(position).to_numpy()
    # batches of whole documents, in corpus order (a groupby keeps each group's row order)
    batches = [part for _, part in segs.groupby(doc_of_seg // batch, sort=True)]
    workers = min(_token_processes(processes, len(doc_ids)), max(1, len(batches)))
    bar = tqdm(total=len(doc_ids), unit="doc", desc="tokenising", disable=not progress, leave=False)
    columns: list[tuple] = []
    codes: list = []
    uniques: list = []
    surfaces: dict = {}
    models: dict[str, str] = {}
    running = running_word_options(options)  # counted in this pass when it can be (exactly)
    sizes: list = []
    n_done = 0

    def add(result) -> None:
        nonlocal n_done
        n, cols, b_codes, b_uniques, b_surfaces, b_models, b_sizes = result
        columns.append((cols[0] + n_done,) + cols[1:])
        if b_sizes is not None:
            sizes.append(b_sizes)
        codes.append(b_codes)
        uniques.append(b_uniques)
        for lang, counter in b_surfaces.items():
            surfaces.setdefault(lang, Counter()).update(counter)
        models.update(b_models)
        n_done += n
        bar.update(n)

    # this process takes the first share of the batches, workers the rest (merged after it,
    # in order); workers are spawned, as everywhere in framescope, and given the sentence models
    own = len(batches) if workers == 1 else -(-len(batches) // workers)
    pool = None
    try:
        if own < len(batches):
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("spawn"))
            rest = batches[own:]
            state = sentence_model_state()
            futures = [pool.submit(_encode_batch, part, options, state, running) for part in rest]
        for part in batches[:own]:
            add(_encode_batch(part, options, None, running))
        if pool is not None:
            for future in futures:
                add(future.result())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        bar.close()
    # one vocabulary in order of first appearance: the batches' vocabularies in batch order
    all_uniques = np.concatenate(uniques) if uniques else np.zeros(0, dtype=object)
    global_codes, vocab = pd.factorize(all_uniques) if len(all_uniques) else (np.zeros(0, np.int64), [])
    offsets = np.cumsum([0] + [len(u) for u in uniques])
    token_ids = np.concatenate([global_codes[offsets[k]:offsets[k + 1]][c] for k, c in enumerate(codes)]) \
        if codes else np.zeros(0, dtype=np.int64)
    segments = pd.DataFrame({"doc": doc_of_seg.astype(np.int32),
                             "seg": segs["seg"].fillna(0).to_numpy(dtype=np.int32),
                             "seg_lang": segs["lang"].fillna("und").astype(str).to_numpy()})
    sentences = pd.DataFrame({"doc": np.concatenate([c[0] for c in columns]).astype(np.int32),
                              "sentence": np.concatenate([c[1] for c in columns]).astype(np.int32),
                              "seg": np.concatenate([c[2] for c in columns]).astype(np.int32),
                              "lang": [lang for c in columns for lang in c[3]],
                              "n_tokens": np.concatenate([c[4] for c in columns]).astype(np.int32)}) \
        if columns else pd.DataFrame({"doc": np.zeros(0, np.int32), "sentence": np.zeros(0, np.int32),
                                      "seg": np.zeros(0, np.int32), "lang": [], "n_tokens": np.zeros(0, np.int32)})
    meta = {"key": key, **parts, "document_sizes": running.as_dict() if running is not None else None,
            "sentence_model_names": models, "n_documents": len(doc_ids),
            "n_sentences": len(sentences), "n_tokens": len(token_ids), "n_types": len(vocab),
            "framescope_version": __version__,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    counts = None
    if running is not None:
        counts = np.concatenate(sizes).astype(np.int32) if sizes else np.zeros(0, np.int32)
    return StoreArrays(np.asarray(doc_ids, dtype=object), segments, sentences, token_ids.astype(np.int32),
                       np.asarray(vocab, dtype=object), surface_frame(surfaces), meta, counts)


def _from_store(stored, corpus, options: TokenOptions, lang: str | None, include_duplicates: bool,
                batch_size: int | None) -> Iterator[Tokens]:
    """The documents of ``corpus`` (a whole corpus, a subset or a partition) from the store,
    as :func:`tokens` would have tokenised them, in batches of ``batch_size`` documents."""
    import numpy as np

    docs = corpus.documents
    wanted = docs["doc_id"]
    if not include_duplicates and "duplicate_of" in docs:
        wanted = wanted[docs["duplicate_of"].isna()]
    index = pd.Series(np.arange(len(stored.doc_ids)), index=stored.doc_ids)
    doc_idx = index.reindex(pd.unique(wanted.to_numpy())).dropna().to_numpy(dtype=np.int64)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    # documents in the corpus's order, as ordered_segments sorts them
    doc_idx = np.array(sorted(doc_idx, key=lambda i: order[stored.doc_ids[i]]), dtype=np.int64)
    segs = stored.segments
    if lang is not None:
        segs = segs[segs["seg_lang"] == lang]
    present = set(segs["doc"].tolist())
    doc_idx = np.array([i for i in doc_idx if i in present], dtype=np.int64)
    sent = stored.sentences
    offsets = np.concatenate([[0], np.cumsum(sent["n_tokens"].to_numpy(dtype=np.int64))])
    keep_seg = set(zip(segs["doc"].tolist(), segs["seg"].tolist())) if lang is not None else None
    by_doc = {d: g for d, g in zip(*np.unique(sent["doc"].to_numpy(), return_index=True))}
    first = sent["doc"].to_numpy()
    counts = np.bincount(first, minlength=len(stored.doc_ids))
    vocab = stored.vocab
    models = dict(stored.meta.get("sentence_model_names", {}))
    folder = stored.meta.get("path")
    step = batch_size or max(1, len(doc_idx))
    sent_seg = sent["seg"].to_numpy()
    sent_lang = sent["lang"].to_numpy()
    for start in range(0, len(doc_idx), step):
        ids, out_docs, out_langs, out_segs = [], [], [], []
        for d in doc_idx[start:start + step]:
            lo = by_doc.get(d, 0)
            doc, langs, seg_nos = [], [], []
            for r in range(lo, lo + int(counts[d])):
                if keep_seg is not None and (int(d), int(sent_seg[r])) not in keep_seg:
                    continue
                doc.append(vocab[stored.token_ids[offsets[r]:offsets[r + 1]]].tolist())
                langs.append(sent_lang[r])
                seg_nos.append(int(sent_seg[r]))
            ids.append(stored.doc_ids[d])
            out_docs.append(doc)
            out_langs.append(langs)
            out_segs.append(seg_nos)
        yield Tokens(ids, out_docs, out_langs, out_segs, options, corpus.corpus_id, models, stored.surfaces, folder)


# --- detected phrases ----------------------------------------------------------------------

def detect_phrases(toks: Tokens | Iterable[list[str]], min_count: int = 5, threshold: float = 0.5,
                   max_vocab_size: int = 40_000_000) -> tuple[str, ...]:
    """Two-word phrases found by gensim ``Phrases`` with NPMI scoring (Bouma 2009).

    A bigram a_b is a phrase when its normalised PMI ≥ ``threshold`` (in [-1, 1]) and it
    occurs at least ``min_count`` times, counted within sentences. Deterministic (pure
    counting; no randomness). Returns phrases as space-separated strings, sorted, ready for
    ``TokenOptions(phrases=...)`` so the choice is recorded with the options. Detect on
    unstemmed tokens so the phrases match the surface text.

    Parameters
    ----------
    toks : Tokens or iterable of list of str
        Tokens, or sentences as token lists.
    min_count : int, default 5
        Fewest occurrences of a bigram, within sentences, for it to be a phrase.
    threshold : float
        NPMI threshold in [-1, 1].
    max_vocab_size : int
        Passed to gensim ``Phrases``.

    Returns
    -------
    tuple of str
        The phrases as space-separated word pairs, sorted.

    References
    ----------
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *Proceedings of GSCL*, 31–40.
    """
    from gensim.models.phrases import Phrases

    sentences = toks.sentences() if isinstance(toks, Tokens) else toks
    model = Phrases(list(sentences), min_count=min_count, threshold=threshold, scoring="npmi",
                    delimiter=PHRASE_JOINER, max_vocab_size=max_vocab_size)
    found = model.export_phrases()
    return tuple(sorted(p.replace(PHRASE_JOINER, " ") for p in found))

