"""The token store: a corpus's tokens computed once, kept beside it in Parquet (issue 21).

Tokenising SaudiNewsNet takes a minute or two; every command, notebook and the demo used
to do it again. The store keeps the tokens of a corpus folder under
``CORPUS/tokens/<key>/``, where ``key`` hashes everything the tokens depend on: the
``corpus_id``, the :class:`~framescope.analysis.token_options.TokenOptions`, the token-layer version, the
sentence models and the rule files (:func:`framescope.analysis.token_store.token_metadata`). A different
key is a different folder, so a change of any part is never served stale tokens; the
folders of other keys are left alone (``framescope tokens CORPUS --list`` lists them).

Files of one store (all written into a temporary folder beside it and renamed into place
when complete, so an interrupted build leaves nothing half-written; a corpus folder that
cannot be written falls back to ``$FRAMESCOPE_CACHE/tokens/<corpus_id>/<key>``):

=====================  ======================================================================
``documents.parquet``  ``doc`` (int32, corpus order), ``doc_id``, ``size_tokens`` (int32: the
                       document's running words, the tokens :data:`RUNNING_WORD_OPTIONS` keeps,
                       counted in the same pass; absent when ``meta.json`` has
                       ``document_sizes: null``, see :func:`running_word_options`)
``segments.parquet``   ``doc``, ``seg``, ``seg_lang`` (the segment's ``lang``: what
                       ``lang=`` selects on) — every analysable segment
``sentences.parquet``  ``doc``, ``sentence`` (0.. within the document), ``seg``, ``lang``,
                       ``n_tokens``
``tokens.parquet``     ``doc``, ``sentence``, ``position`` (0.. within the sentence),
                       ``token`` (int32 id into the vocabulary)
``vocab.parquet``      ``token`` (id), ``term`` (str)
``surfaces.parquet``   ``lang``, ``term``, ``surface``, ``count``: how each counted term is
                       written (:func:`framescope.analysis.surface.surface_forms`)
``meta.json``          the key and its parts, counts, the framescope version
=====================  ======================================================================

This module reads and writes, and says what a store's key is made of (:func:`token_metadata`,
:func:`token_store_key`: among the parts, a hash of the rule files and of every module of the
token layer, so a store made by other code is never read, the store format and the options
of the running-word count); :func:`framescope.analysis.tokens.tokens` decides when to use it.

Running words: every comparison gives its groups' sizes in running words, counted by one
rule whatever the statistic's options (``framescope.analysis.groups.SIZE_OPTIONS`` =
:data:`RUNNING_WORD_OPTIONS`). Tokenising the corpus a second time only to count them cost
as much as the store itself, so the store's own pass counts them too: the raw tokens and the
document context of each sentence are filtered a second time under
:data:`RUNNING_WORD_OPTIONS` (a dictionary look-up per token). That is exact whenever the
store's options produce the same raw tokens and document context, i.e. agree on credit
removal and Arabic normalisation (:func:`running_word_options`); the filters (stopwords,
numbers, punctuation, minimum length, stemming, phrases, variants, possessives, proclitics)
are those of :data:`RUNNING_WORD_OPTIONS` itself. :func:`read_document_sizes` reads them.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_sentences import sentence_model_name, sentence_model_names, shipped_sentence_model
from framescope.analysis.token_words import norm_flags
from framescope.corpus.errors import FramescopeError

__all__ = ["StoreArrays", "store_key", "store_folder", "read_store", "read_store_documents", "write_store",
           "list_stores", "store_lock", "STORE_DIR", "TOKEN_LAYER_VERSION", "CODE_FILES", "RULE_FILES",
           "token_metadata", "token_store_key", "rule_files_digest", "STORE_FORMAT", "RUNNING_WORD_OPTIONS",
           "running_word_options", "read_document_sizes"]

#: Name of the folder inside a corpus folder that holds the stores.
STORE_DIR = "tokens"
_FILES = ("documents.parquet", "segments.parquet", "sentences.parquet", "tokens.parquet",
          "vocab.parquet", "surfaces.parquet", "meta.json")


#: Version of the token layer: bumped whenever the same text and options give other tokens.
#: 2: credits removed, variants merged, possessives split, Arabic proclitics on by default,
#: the shipped English sentence model. 3: transliterations of one place merged (Deir ez-Zor /
#: al-Zor), possessives after an Arabic article (al-Assads).
TOKEN_LAYER_VERSION = 3
#: Data files of the token rules (``analysis/data/``), hashed into every store key.
RULE_FILES = ("arabic_lexicon_v1.tsv.gz", "arabic_clitic_exceptions.txt", "variants_en.csv")
#: Modules of the token layer whose code is hashed into every store key: every
#: ``analysis/token*.py`` module (found by name, so a new one is never forgotten) and the
#: Arabic clitic rules.
CODE_FILES = tuple(sorted(p.name for p in Path(__file__).resolve().parent.glob("token*.py"))) + ("arabic_clitics.py",)
_DATA = Path(__file__).resolve().parent / "data"
#: Version of the store's files, part of every key: 2 added ``documents.parquet``'s
#: ``size_tokens`` (a store without it is never read).
STORE_FORMAT = 2
#: The one token count of group sizes and rates (``framescope.analysis.groups.SIZE_OPTIONS``):
#: running words and numbers, punctuation dropped, stopwords kept.
RUNNING_WORD_OPTIONS = TokenOptions(stopwords=False, punctuation=False, numbers="keep")


def running_word_options(options: TokenOptions) -> TokenOptions | None:
    """The options of the running-word count a store under ``options`` records, if it can.

    The count filters the raw tokens of the store's own pass under
    :data:`RUNNING_WORD_OPTIONS`, with the document context of that pass; both are those a
    tokenisation under :data:`RUNNING_WORD_OPTIONS` makes when the two options agree on what
    acts before the filters: credit removal (the text split into sentences and raw tokens)
    and the Arabic normalisation flags (the document's lexicon of the proclitic rules).

    Parameters
    ----------
    options : TokenOptions
        The options of a token store.

    Returns
    -------
    TokenOptions or None
        :data:`RUNNING_WORD_OPTIONS`, or None when ``options`` split or normalise otherwise
        (the store then records no count and ``document_sizes`` tokenises).
    """
    same = (options.credits == RUNNING_WORD_OPTIONS.credits
            and norm_flags(options) == norm_flags(RUNNING_WORD_OPTIONS))
    return RUNNING_WORD_OPTIONS if same else None


@functools.lru_cache(maxsize=None)
def rule_files_digest() -> dict[str, str]:
    """sha256 prefixes of the rule files and of the token layer's code.

    A store made by other code is never read, even where :data:`TOKEN_LAYER_VERSION` was
    not bumped.

    Returns
    -------
    dict
        File name (:data:`RULE_FILES`) → 16 hex digits, and ``code`` → 16 hex digits of the
        SHA-256 over the modules of :data:`CODE_FILES` (name and bytes, in that order).
    """
    here = Path(__file__).resolve().parent
    digest = {name: hashlib.sha256((_DATA / name).read_bytes()).hexdigest()[:16] for name in RULE_FILES}
    code = hashlib.sha256()
    for name in CODE_FILES:
        code.update(name.encode("utf-8") + b"\0")
        code.update((here / name).read_bytes())
    digest["code"] = code.hexdigest()[:16]
    return digest


def token_metadata(options: TokenOptions = TokenOptions()) -> dict:
    """What every output's ``.meta.json`` records about its tokens.

    Parameters
    ----------
    options : TokenOptions, default TokenOptions()
        The tokenisation options of the tokens.

    Returns
    -------
    dict
        ``token_layer_version``, ``token_options`` (:meth:`TokenOptions.as_dict`),
        ``sentence_models`` (language → model name: for English the shipped Punkt model
        with its version and file hash, e.g. ``punkt:en:fakes:v1:3f2a...``; ``rules``
        elsewhere, or whatever :func:`~framescope.analysis.token_sentences.set_sentence_model`
        registered), ``sentence_model_file`` (file, version, sha256 of the shipped English
        model) and ``rule_files`` (:func:`rule_files_digest`: the lexicon, exception and
        variant files, and ``code``: the token layer's modules).
    """
    sentence_model_name("en")
    sentence_model_name("ar")
    shipped = shipped_sentence_model("en")
    # English, Arabic and any language given a model of its own (others split by rules)
    models = {lang: name for lang, name in sentence_model_names().items() if lang in ("en", "ar") or name != "rules"}
    return {"token_layer_version": TOKEN_LAYER_VERSION, "token_options": options.as_dict(),
            "sentence_models": dict(sorted(models.items())),
            "sentence_model_file": {k: shipped[k] for k in ("file", "version", "sha256")},
            "rule_files": rule_files_digest()}


def token_store_key(corpus_id: str, options: TokenOptions = TokenOptions()) -> tuple[str, dict]:
    """The key of the token store of ``corpus_id`` under ``options``.

    Parameters
    ----------
    corpus_id : str
        The corpus's ``corpus_id`` (from its manifest).
    options : TokenOptions, default TokenOptions()
        The tokenisation options of the tokens.

    Returns
    -------
    tuple
        ``(key, parts)``: 16 hex digits (:func:`store_key`) and the parts hashed:
        ``corpus_id``, :func:`token_metadata`, ``store_format`` (:data:`STORE_FORMAT`) and
        ``document_sizes`` (the options of the running-word count,
        :func:`running_word_options`, or None).
    """
    running = running_word_options(options)
    parts = {"corpus_id": corpus_id, **token_metadata(options), "store_format": STORE_FORMAT,
             "document_sizes": running.as_dict() if running is not None else None}
    return store_key(parts), parts


def store_key(parts: dict) -> str:
    """The key of a store from its parts.

    Parameters
    ----------
    parts : dict
        JSON-able parts (:func:`token_store_key`).

    Returns
    -------
    str
        16 hex digits of the SHA-256 of ``parts`` as canonical JSON (sorted keys).
    """
    raw = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _cache_root() -> Path:
    return Path(os.environ.get("FRAMESCOPE_CACHE", Path.home() / ".cache" / "framescope"))


def store_folder(corpus_path: str | os.PathLike, corpus_id: str, key: str) -> Path:
    """Where the store of ``key`` lives.

    Parameters
    ----------
    corpus_path : path-like
        The corpus folder.
    corpus_id : str
        The corpus's ``corpus_id`` (names the cache folder).
    key : str
        The store key (:func:`token_store_key`).

    Returns
    -------
    pathlib.Path
        ``CORPUS/tokens/KEY`` if the corpus folder can be written (or the store is there
        already), else ``$FRAMESCOPE_CACHE/tokens/<corpus_id>/KEY``.
    """
    corpus_path = Path(corpus_path)
    inside = corpus_path / STORE_DIR / key
    if inside.is_dir() or _writable(corpus_path):
        return inside
    return _cache_root() / STORE_DIR / corpus_id / key


@dataclass
class StoreArrays:
    """A store in memory: tables as pandas/numpy, tokens as int32 ids.

    The columns are those of the store's files (module docstring).

    Parameters
    ----------
    doc_ids : numpy.ndarray
        Object array of ``doc_id`` strings in corpus order; position ``i`` is document
        number ``doc == i`` of the other tables.
    segments : pandas.DataFrame
        ``doc``, ``seg``, ``seg_lang``: every analysable segment and its language.
    sentences : pandas.DataFrame
        ``doc``, ``sentence`` (0.. within the document), ``seg``, ``lang``, ``n_tokens``:
        one row per sentence, in corpus order.
    token_ids : numpy.ndarray
        int32 ids into ``vocab``, sentence after sentence (``n_tokens`` of each sentence
        in turn).
    vocab : numpy.ndarray
        Object array: token id → term.
    surfaces : pandas.DataFrame
        ``lang``, ``term``, ``surface``, ``count``: how each counted term is written.
    meta : dict
        The content of ``meta.json``: the key and its parts, counts, framescope version.
    sizes : numpy.ndarray, optional
        int32 per document (``doc_ids`` order): the tokens :data:`RUNNING_WORD_OPTIONS`
        keeps (``documents.parquet``'s ``size_tokens``); None when the store has no count.
    """

    doc_ids: np.ndarray              # object array, corpus order
    segments: pd.DataFrame           # doc, seg, seg_lang
    sentences: pd.DataFrame          # doc, sentence, seg, lang, n_tokens
    token_ids: np.ndarray            # int32, sentence after sentence
    vocab: np.ndarray                # object array: id -> term
    surfaces: pd.DataFrame           # lang, term, surface, count
    meta: dict
    sizes: np.ndarray | None = None  # int32 running words per document, or None


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 18, write_statistics=True)


def write_store(folder: Path, arrays: StoreArrays) -> Path:
    """Write ``arrays`` to ``folder`` atomically (temporary sibling, then rename).

    Only a folder this module wrote (it holds our ``meta.json``) is ever replaced.

    Parameters
    ----------
    folder : pathlib.Path
        Where the store goes (:func:`store_folder`).
    arrays : StoreArrays
        The tables to write; ``arrays.meta`` becomes ``meta.json``.

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    FramescopeError
        When ``folder`` exists and is not a token store.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists() and not (folder / "meta.json").is_file():
        raise FramescopeError(f"{folder} exists and is not a token store; not overwriting it")
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        sent = arrays.sentences
        n = sent["n_tokens"].to_numpy(dtype=np.int64)
        doc_of_token = np.repeat(sent["doc"].to_numpy(dtype=np.int32), n)
        sent_of_token = np.repeat(sent["sentence"].to_numpy(dtype=np.int32), n)
        starts = np.repeat(np.cumsum(n) - n, n)
        position = (np.arange(int(n.sum()), dtype=np.int64) - starts).astype(np.int32)
        documents = {"doc": pa.array(np.arange(len(arrays.doc_ids), dtype=np.int32)),
                     "doc_id": pa.array(arrays.doc_ids.tolist(), pa.string())}
        if arrays.sizes is not None:
            documents["size_tokens"] = pa.array(np.asarray(arrays.sizes, dtype=np.int32))
        _write_parquet(pa.table(documents), tmp / "documents.parquet")
        _write_parquet(pa.Table.from_pandas(arrays.segments, preserve_index=False), tmp / "segments.parquet")
        _write_parquet(pa.Table.from_pandas(sent, preserve_index=False), tmp / "sentences.parquet")
        _write_parquet(pa.table({"doc": doc_of_token, "sentence": sent_of_token, "position": position,
                                 "token": arrays.token_ids.astype(np.int32)}), tmp / "tokens.parquet")
        _write_parquet(pa.table({"token": pa.array(np.arange(len(arrays.vocab), dtype=np.int32)),
                                 "term": pa.array(arrays.vocab.tolist(), pa.string())}), tmp / "vocab.parquet")
        _write_parquet(pa.Table.from_pandas(arrays.surfaces, preserve_index=False), tmp / "surfaces.parquet")
        (tmp / "meta.json").write_text(json.dumps(arrays.meta, indent=2, sort_keys=True, ensure_ascii=False)
                                       + "\n", encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp made it private; the store is an ordinary folder
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def read_store(folder: Path, key: str, doc_range: tuple[int, int] | None = None) -> StoreArrays | None:
    """The store in ``folder`` if it is complete and its key is ``key``, else None.

    Parameters
    ----------
    folder : pathlib.Path
        The store folder (:func:`store_folder`).
    key : str
        The key expected (:func:`token_store_key`); a store of another key is not read.
    doc_range : tuple of int, optional
        Only the tokens of documents ``[lo, hi)`` (read by row-group statistics).

    Returns
    -------
    StoreArrays or None
        The store's arrays (of ``doc_range`` only, if given); None when the folder is
        absent, incomplete or holds another key.

    Raises
    ------
    FramescopeError
        When the files cannot be read or disagree (delete the folder to rebuild it).
    """
    folder = Path(folder)
    if not all((folder / name).is_file() for name in _FILES):
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("key") != key:
            return None
        documents = pq.read_table(folder / "documents.parquet")
        docs = documents.column("doc_id").to_numpy(zero_copy_only=False)
        sizes = documents.column("size_tokens").to_numpy() if "size_tokens" in documents.column_names else None
        segments = pq.read_table(folder / "segments.parquet").to_pandas()
        sentences = pq.read_table(folder / "sentences.parquet").to_pandas()
        filters = None
        if doc_range is not None:
            filters = [("doc", ">=", doc_range[0]), ("doc", "<", doc_range[1])]
            sentences = sentences[(sentences["doc"] >= doc_range[0]) & (sentences["doc"] < doc_range[1])]
        token_ids = pq.read_table(folder / "tokens.parquet", columns=["token"], filters=filters) \
            .column("token").to_numpy().astype(np.int32, copy=False)
        vocab = pq.read_table(folder / "vocab.parquet").column("term").to_numpy(zero_copy_only=False)
        surfaces = pq.read_table(folder / "surfaces.parquet").to_pandas()
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        raise FramescopeError(f"cannot read the token store {folder}: {exc}; delete that folder to rebuild it") \
            from None
    if int(sentences["n_tokens"].sum()) != len(token_ids):
        raise FramescopeError(f"the token store {folder} is inconsistent; delete that folder to rebuild it")
    return StoreArrays(docs, segments, sentences.reset_index(drop=True), token_ids, vocab, surfaces, meta, sizes)


def read_store_documents(folder, key: str, doc_ids) -> StoreArrays | None:
    """The rows of some documents of the store in ``folder`` (None: no complete store of ``key``).

    Only the row groups of ``segments``, ``sentences`` and ``tokens.parquet`` whose ``doc``
    statistics overlap the documents' range are read (a partition of a corpus reads its
    own rows, not the store), plus the ``doc_id`` column of ``documents.parquet`` and the
    vocabulary entries the tokens use.

    Parameters
    ----------
    folder : path-like
        A store folder (:func:`store_folder`).
    key : str
        Its expected key.
    doc_ids : array_like of str
        Documents wanted; those not in the store (no analysable text) are ignored.

    Returns
    -------
    StoreArrays or None
        A store of its own: ``doc_ids`` the store's documents from the first to the last
        wanted one (in store order), ``doc`` columns counted from 0 in that range,
        ``token_ids`` into ``vocab``, which holds only the terms used; ``surfaces`` empty
        (not read); ``meta`` the store's, with ``doc_range`` added.
    """
    folder = Path(folder)
    if not all((folder / name).is_file() for name in _FILES):
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("key") != key:
            return None
        all_ids = pq.read_table(folder / "documents.parquet", columns=["doc_id"]).column("doc_id")
        hits = np.flatnonzero(pd.Index(all_ids.to_numpy(zero_copy_only=False)).isin(list(doc_ids)))
        lo, hi = (int(hits[0]), int(hits[-1]) + 1) if len(hits) else (0, 0)
        filters = [("doc", ">=", lo), ("doc", "<", hi)]
        segments = pq.read_table(folder / "segments.parquet", filters=filters).to_pandas()
        sentences = pq.read_table(folder / "sentences.parquet", filters=filters).to_pandas()
        tokens = pq.read_table(folder / "tokens.parquet", columns=["token"], filters=filters)
        used, local = np.unique(tokens.column("token").to_numpy(), return_inverse=True)
        del tokens
        vocab = pq.read_table(folder / "vocab.parquet", columns=["term"]).column("term").take(used)
        vocab = vocab.to_numpy(zero_copy_only=False)
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        raise FramescopeError(f"cannot read the token store {folder}: {exc}; delete that folder to rebuild it") \
            from None
    if int(sentences["n_tokens"].sum()) != len(local):
        raise FramescopeError(f"the token store {folder} is inconsistent; delete that folder to rebuild it")
    for frame in (segments, sentences):
        frame["doc"] = (frame["doc"].to_numpy(dtype=np.int64) - lo).astype(np.int32)
    doc_ids_range = all_ids.slice(lo, hi - lo).to_numpy(zero_copy_only=False)
    surfaces = pd.DataFrame({c: pd.Series(dtype=object) for c in ("lang", "term", "surface", "count")})
    return StoreArrays(np.asarray(doc_ids_range, dtype=object), segments, sentences.reset_index(drop=True),
                       local.astype(np.int32).ravel(), np.asarray(vocab, dtype=object), surfaces,
                       {**meta, "doc_range": [lo, hi]})


def read_document_sizes(corpus_path: str | os.PathLike, corpus_id: str,
                        options: TokenOptions = RUNNING_WORD_OPTIONS) -> pd.Series | None:
    """Per document, the tokens ``options`` keeps, from a token store that counted them.

    The stores of the corpus (:func:`list_stores`) are looked at in key order; the first
    whose key is the one this code gives its options (so its tokens, and the count, are
    current), and whose ``meta.json`` records ``document_sizes`` equal to ``options``, is
    read (its ``documents.parquet``: ``doc_id`` and ``size_tokens``). Any store that
    qualifies holds the same numbers.

    Parameters
    ----------
    corpus_path : path-like
        The corpus folder.
    corpus_id : str
        Its ``corpus_id``.
    options : TokenOptions, default RUNNING_WORD_OPTIONS
        The options the count must have been taken under.

    Returns
    -------
    pandas.Series or None
        int64 counts indexed by ``doc_id``, for every document of the store (those with
        analysable text, duplicates included); None when no store has the count.
    """
    wanted = options.as_dict()
    stores = list_stores(corpus_path, corpus_id)
    for path in sorted(stores["path"], key=lambda p: Path(p).name):
        folder = Path(path)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("document_sizes") != wanted or meta.get("corpus_id") != corpus_id:
                continue
            if meta.get("key") != token_store_key(corpus_id, TokenOptions.from_dict(meta["token_options"]))[0]:
                continue  # made by other code or other sentence models
            if not all((folder / name).is_file() for name in _FILES):
                continue
            table = pq.read_table(folder / "documents.parquet", columns=["doc_id", "size_tokens"])
        except (OSError, ValueError, KeyError, TypeError, FramescopeError, pa.ArrowException):
            continue  # an unreadable or foreign store: another qualifies, or the caller tokenises
        sizes = pd.Series(table.column("size_tokens").to_numpy().astype(np.int64),
                          index=table.column("doc_id").to_numpy(zero_copy_only=False), name="tokens")
        sizes.index.name = "doc_id"
        return sizes
    return None


def list_stores(corpus_path: str | os.PathLike, corpus_id: str | None = None) -> pd.DataFrame:
    """The token stores of a corpus, inside its folder and in the cache.

    Parameters
    ----------
    corpus_path : path-like
        The corpus folder (its ``tokens/`` folder is listed).
    corpus_id : str, optional
        Also look in ``$FRAMESCOPE_CACHE/tokens/<corpus_id>``.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``path``, ``corpus_id``, ``n_tokens``, ``created``, ``token_layer_version``.
    """
    roots = [Path(corpus_path) / STORE_DIR]
    if corpus_id:
        roots.append(_cache_root() / STORE_DIR / corpus_id)
    rows = []
    for root in roots:
        if not root.is_dir():
            continue
        for meta_path in sorted(root.glob("*/meta.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            rows.append({"key": meta.get("key"), "path": str(meta_path.parent), "corpus_id": meta.get("corpus_id"),
                         "n_tokens": meta.get("n_tokens"), "created": meta.get("created"),
                         "token_layer_version": meta.get("token_layer_version")})
    return pd.DataFrame(rows, columns=["key", "path", "corpus_id", "n_tokens", "created", "token_layer_version"])


@contextlib.contextmanager
def store_lock(folder: Path):
    """An exclusive lock on building the store in ``folder`` (workers wait for one builder).

    Parameters
    ----------
    folder : pathlib.Path
        The store folder to be built.

    Yields
    ------
    None
        Nothing; the ``with`` block runs while an ``fcntl`` lock is held on
        ``.<key>.lock`` beside the folder (no lock on Windows;
        the atomic rename still keeps the store whole).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock_path = folder.parent / f".{folder.name}.lock"
    with open(lock_path, "a+") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; the atomic rename still keeps the store whole
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
