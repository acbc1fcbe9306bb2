"""Exact and near-duplicate detection, in corpus order (the first copy is the original).

Exact: identical normalised text (case, spacing, punctuation and Arabic letter variants
folded). Near: Jaccard similarity of word 5-gram shingles estimated with MinHash
(Broder 1997) and candidate pairs found with LSH banding (the bands datasketch.MinHashLSH
chooses);
a pair counts when the estimated Jaccard is at least ``threshold`` (default 0.8).
All hashing is seeded and platform-independent (crc32 + fixed universal hash
parameters), so the same corpus gives the same duplicates on every machine.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from framescope.corpus.text import collapse_non_words, normalize_arabic

_PRIME = np.uint64(4294967311)  # smallest prime above 2**32
#: hash functions computed at once in :meth:`Deduplicator.signatures` (temporary arrays of
#: 8 x shingles x 8 bytes)
_PERM_BLOCK = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def _mod_prime(x: np.ndarray) -> np.ndarray:
    """``x %= _PRIME`` in place, as ``x -= x // _PRIME * _PRIME`` (numpy divides a uint64
    array by a scalar about three times faster than it takes the remainder)."""
    q = x // _PRIME
    q *= _PRIME
    x -= q
    return x


def lsh_bands(threshold: float, num_perm: int, false_positive_weight: float = 0.5,
              false_negative_weight: float = 0.5) -> list[tuple[int, int]]:
    """LSH bands of a MinHash signature: the ``(b, r)`` that minimise the weighted error.

    The banding ``datasketch.MinHashLSH`` chooses (its ``hashranges``): of all ``b`` bands
    of ``r`` rows with ``b * r <= num_perm`` (b, then r, ascending; the first minimum wins),
    the one minimising ``false_positive_weight`` times the false-positive area
    ``∫_0^t 1 - (1 - s^r)^b ds`` plus ``false_negative_weight`` times the false-negative
    area ``∫_t^1 (1 - s^r)^b ds`` (Leskovec et al. 2014, sec. 3.4). The integrands are
    polynomials of degree ``b * r <= num_perm``, so Gauss-Legendre quadrature with
    ``num_perm // 2 + 1`` nodes computes them exactly (up to rounding), without SciPy;
    ``tests/test_dedup.py`` checks the bands against datasketch's.

    Parameters
    ----------
    threshold : float
        The Jaccard similarity threshold ``t``, in (0, 1).
    num_perm : int
        Hash values per signature.
    false_positive_weight, false_negative_weight : float, default 0.5
        Weights of the two error areas.

    Returns
    -------
    list of tuple of (int, int)
        ``(start, end)`` of each band: ``[(0, r), (r, 2r), ..., ((b - 1) r, b r)]``.

    References
    ----------
    .. [1] J. Leskovec, A. Rajaraman and J. D. Ullman, *Mining of Massive Datasets*, 2nd
       ed., sec. 3.4. Cambridge University Press, 2014.
    """
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    b = np.array([p[0] for p in pairs], dtype=float)[:, None]
    r = np.array([p[1] for p in pairs], dtype=float)[:, None]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def area(lo: float, hi: float, missed: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p_none = (1 - s[None, :] ** r) ** b  # no band of a pair with similarity s agrees
        return ((p_none if missed else 1 - p_none) * weights).sum(axis=1) * (hi - lo) / 2

    error = (area(0.0, threshold, False) * false_positive_weight
             + area(threshold, 1.0, True) * false_negative_weight)
    best_b, best_r = pairs[int(np.argmin(error))]
    return [(i * best_r, (i + 1) * best_r) for i in range(best_b)]


def fold_for_matching(text: str) -> list[str]:
    """Words of ``text`` in a form where trivial variants compare equal.

    Lower case, :func:`~framescope.corpus.text.normalize_arabic` with its defaults
    (diacritics, tatweel, alef, alef maqsura, taa marbuta and digit variants folded), then
    the ``\\w+`` runs, so spacing and punctuation no longer matter.

    Parameters
    ----------
    text : str
        A document's text.

    Returns
    -------
    list of str
        Its folded words, in order.
    """
    return _WORD.findall(normalize_arabic(text.lower()))


def _folded_utf8(text: str) -> bytes:
    """``" ".join(fold_for_matching(text))`` in UTF-8, without a Python string per word."""
    return collapse_non_words(normalize_arabic(text.lower())).strip(" ").encode("utf-8")


@dataclass
class WordHashes:
    """A batch of documents between the two stages of :class:`Deduplicator` fingerprints.

    Parameters
    ----------
    keys : list of bytes
        sha256 of each document's folded text (the exact-duplicate key).
    hashes : numpy.ndarray
        crc32 of every folded word (uint64), the documents one after another.
    bounds : numpy.ndarray
        ``len(keys) + 1`` offsets: document ``i``'s words are ``hashes[bounds[i]:bounds[i + 1]]``.
    """

    keys: list[bytes]
    hashes: np.ndarray
    bounds: np.ndarray


class Deduplicator:
    """Feed documents in corpus order; get back the doc_id each one duplicates, if any.

    An exact duplicate has the same words after :func:`fold_for_matching` (compared by
    sha256). A near duplicate has an estimated Jaccard similarity of its word
    ``shingle``-grams of at least ``threshold`` with an earlier document: MinHash
    signatures (Broder 1997) with seeded universal hashes over crc32 word hashes, and
    candidates from LSH banding (:func:`lsh_bands`; Leskovec et al. 2014, ch. 3).
    Of several earlier matches the earliest is returned. The same documents in the same
    order give the same answers on every machine.

    Parameters
    ----------
    threshold : float, default 0.8
        Estimated Jaccard similarity (0-1) of the shingle sets from which two documents
        count as near duplicates; also the LSH banding threshold.
    num_perm : int, default 64
        Number of hash functions in a MinHash signature; more makes the Jaccard estimate
        less noisy (standard error about ``sqrt(J(1-J)/num_perm)``) and costs time.
    shingle : int, default 5
        Words per shingle (w-shingling).
    seed : int, default 1
        Seed of the hash function parameters, recorded in the manifest; a different seed
        can give slightly different near duplicates.
    min_shingles : int, default 10
        Documents with fewer shingles get no signature and are only checked for exact
        duplicates (a short text's Jaccard estimate is too coarse).

    References
    ----------
    .. [1] A. Z. Broder, "On the resemblance and containment of documents", in *Proc.
       Compression and Complexity of Sequences*, 1997, pp. 21-29.
    .. [2] J. Leskovec, A. Rajaraman and J. D. Ullman, *Mining of Massive Datasets*, 2nd
       ed., ch. 3. Cambridge University Press, 2014.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, shingle: int = 5,
                 seed: int = 1, min_shingles: int = 10):
        self.threshold, self.num_perm, self.shingle = threshold, num_perm, shingle
        self.min_shingles = min_shingles
        self.seed = seed
        rng = np.random.RandomState(seed)
        self._a = rng.randint(1, 2**31 - 1, size=num_perm).astype(np.uint64)
        self._b = rng.randint(0, 2**31 - 1, size=num_perm).astype(np.uint64)
        self._exact: dict[bytes, str] = {}
        # the bands kept here as dicts: the candidates of MinHashLSH.query without a
        # MinHash object per document
        self._bands = lsh_bands(threshold, num_perm)
        self._tables: list[dict[bytes, list[str]]] = [{} for _ in self._bands]
        self._sigs: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}  # insertion order, to prefer the earliest copy

    def params(self) -> dict:
        return {"threshold": self.threshold, "num_perm": self.num_perm,
                "shingle": self.shingle, "seed": self.seed}

    def signature(self, words: list[str]) -> np.ndarray | None:
        """MinHash signature of the word shingles (None for fewer than ``min_shingles``)."""
        words_utf8 = [w.encode("utf-8") for w in words]
        hashes = np.fromiter(map(zlib.crc32, words_utf8), dtype=np.uint64, count=len(words_utf8))
        return self.signatures(WordHashes([b""], hashes, np.array([0, len(words)])))[0]

    def word_hashes(self, texts: list[str]) -> WordHashes:
        """First stage of the fingerprints of ``texts``: exact keys and crc32 word hashes.

        Python work (folding the text, hashing each word); :meth:`signatures` is the
        second stage, numpy arithmetic that runs without the GIL.
        """
        keys, words, bounds = [], [], [0]
        for text in texts:
            folded = _folded_utf8(text)
            keys.append(hashlib.sha256(folded).digest())
            if folded:
                words += folded.split(b" ")
            bounds.append(len(words))
        hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
        return WordHashes(keys, hashes, np.array(bounds, dtype=np.int64))

    def signatures(self, batch: WordHashes) -> list[np.ndarray | None]:
        """MinHash signatures of a batch of documents (second stage of the fingerprints).

        Each document's signature is what it would be alone: the minimum over its shingles
        of ``(a * shingle + b) mod p`` for every hash function ``(a, b)``; the shingle
        hashes are computed over the whole batch at once and only those inside one
        document are kept. None for a document with fewer than ``min_shingles`` shingles.
        """
        k = self.shingle
        sizes = np.diff(batch.bounds)
        counts = np.where(sizes >= max(k + self.min_shingles - 1, k), sizes - k + 1, 0)
        out: list[np.ndarray | None] = [None] * len(sizes)
        if not counts.any():
            return out
        h = batch.hashes
        # rolling combination of `k` consecutive word hashes, kept below 2**32
        sh = np.zeros(len(h) - k + 1, dtype=np.uint64)
        for j in range(k):
            sh *= np.uint64(1000003)
            sh += h[j:len(h) - k + 1 + j]
            _mod_prime(sh)
        # the shingles that start and end inside one document, document after document
        firsts = np.cumsum(counts) - counts
        keep = np.arange(counts.sum()) + np.repeat(batch.bounds[:-1] - firsts, counts)
        sh = sh[keep]
        starts = firsts[counts > 0]
        sigs = np.empty((len(starts), self.num_perm), dtype=np.uint64)
        for lo in range(0, self.num_perm, _PERM_BLOCK):  # bounded temporary arrays
            x = np.multiply.outer(self._a[lo:lo + _PERM_BLOCK], sh)
            x += self._b[lo:lo + _PERM_BLOCK, None]
            # the minimum over repeated shingles is the minimum over distinct ones: no np.unique
            sigs[:, lo:lo + _PERM_BLOCK] = np.minimum.reduceat(_mod_prime(x), starts, axis=1).T
        for i, sig in zip(np.flatnonzero(counts), sigs):
            out[i] = sig.copy()  # its own 512 bytes: a kept signature must not keep its batch
        return out

    def fingerprint(self, text: str) -> tuple[bytes, np.ndarray | None]:
        """What :meth:`check_fingerprint` needs: exact-text key and MinHash signature.

        Depends only on the text and the parameters, so parallel builds compute it in
        workers while the comparison against earlier documents stays in corpus order.
        """
        batch = self.word_hashes([text])
        return batch.keys[0], self.signatures(batch)[0]

    def check(self, doc_id: str, text: str) -> str | None:
        """doc_id of an earlier duplicate of ``text``, else None (and remember it)."""
        return self.check_fingerprint(doc_id, *self.fingerprint(text))

    def check_fingerprint(self, doc_id: str, key: bytes, sig: np.ndarray | None) -> str | None:
        """:meth:`check` from a precomputed :meth:`fingerprint`."""
        if key in self._exact:
            return self._exact[key]
        self._exact[key] = doc_id
        if sig is None:
            return None
        bands = [sig[start:end].tobytes() for start, end in self._bands]
        candidates: set[str] = set()
        for band, table in zip(bands, self._tables):
            found = table.get(band)
            if found:
                candidates.update(found)
        best = None
        for cand in candidates:
            # MinHash.jaccard: the share of equal hash values
            if np.count_nonzero(sig == self._sigs[cand]) / len(sig) >= self.threshold:
                order = self._order[cand]
                if best is None or order < self._order[best]:
                    best = cand
        if best is not None:
            return best
        for band, table in zip(bands, self._tables):
            table.setdefault(band, []).append(doc_id)
        self._sigs[doc_id] = sig
        self._order[doc_id] = len(self._order)
        return None
