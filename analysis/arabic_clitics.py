"""Light, rule-based segmentation of Arabic proclitics for counting (issue 17).

Arabic writes the conjunctions و ف, the prepositions ب ك ل and the article ال as part of
the next word, so والتحالف، بالتحالف، للتحالف and التحالف are four types for one word.
For counting they are one: :func:`segment` splits the proclitics off and the counting
token is the stem (تحالف); :func:`framescope.analysis.surface.surface_forms` gives the most frequent
written form (التحالف) for display.

The rule set, in the order it is tried (normalised text, :func:`framescope.corpus.text.normalize_arabic`):

1. **Never segmented**: words in ``data/arabic_clitic_exceptions.txt`` — words that begin
   with the letters of a proclitic that is not one (فيصل، كريم، لجنه، المانيا، الكتروني,
   والي ...), found by the offline frequency check described there and by reading.
2. **Article** (ال, alone or after و ف and/or ب ك, or ل + ال written لل): stripped when at
   least ``min_stem - 1`` letters (default 2: الحب → حب) remain. On the original spelling, a hamza on the
   alef (أل، إل، آل: ألمانيا، إلغاء، آلاف) is never the article.
3. **Bare proclitics** (و ف, then ب ك ل, without the article; e.g. وسوريا، بغارة، لسوريا،
   وبغداد): stripped only when at least ``min_stem`` letters remain *and* the stem occurs
   as a word of its own: in the same document (bare or with the article), or in the
   shipped SaudiNewsNet word counts (``data/arabic_lexicon_v1.tsv.gz``, built by
   ``tools/build_arabic_lexicon.py``) at least ``max(STEM_MIN_COUNT, STEM_RATIO × count of
   the whole word)`` times (5 and 0.1). This frequency check is what keeps the root
   letters of وزير، بريطانيا، لبنان، كتاب (زير، ريطانيا، بنان، تاب are rare or absent as
   words). The longest strip whose stem passes is taken.
4. **Function words**: a stopword is never split; a word that is a proclitic plus a
   stopword (ولكن، لهم، فهو، وبعد) is a stopword too, whatever the frequency check (the
   shortest proclitic first, stems of 2 letters allowed, exceptions kept: ولي as in
   ولي العهد).

The error rate of these rules on 300+ hand-annotated SaudiNewsNet tokens is measured by
``benchmarks/eval_arabic_clitics.py`` (gold: ``tests/data/arabic_clitics_sample.csv``).

References
----------
Larkey, L. S., Ballesteros, L., & Connell, M. E. (2007). Light stemming for Arabic
information retrieval. In *Arabic Computational Morphology* (pp. 221–243). Springer.
Habash, N. (2010). *Introduction to Arabic Natural Language Processing*. Morgan & Claypool.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Collection

__all__ = ["segment", "segment_static", "strip_proclitics", "clitic_exceptions", "CONJUNCTIONS", "PREPOSITIONS", "ARTICLE"]

CONJUNCTIONS = ("\u0648", "\u0641")            # و ف
PREPOSITIONS = ("\u0628", "\u0643", "\u0644")  # ب ك ل
ARTICLE = "\u0627\u0644"                       # ال
_LAM = "\u0644"
_HAMZA_ALEFS = "\u0623\u0625\u0622"            # أ إ آ
_DATA = Path(__file__).resolve().parent / "data"


@functools.lru_cache(maxsize=1)
def clitic_exceptions() -> frozenset[str]:
    """Words that are never segmented.

    Returns
    -------
    frozenset of str
        Normalised words of ``data/arabic_clitic_exceptions.txt``.
    """
    from framescope.corpus.text import normalize_arabic

    words = set()
    for line in (_DATA / "arabic_clitic_exceptions.txt").read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(normalize_arabic(word))
    return frozenset(words)


def _article_prefixes() -> list[tuple[tuple[str, ...], str]]:
    """(clitics, written prefix) that contain the article, longest first."""
    out = []
    for conj in ("",) + CONJUNCTIONS:
        for prep in ("", "\u0628", "\u0643"):
            clitics = tuple(c for c in (conj, prep) if c) + (ARTICLE,)
            out.append((clitics, conj + prep + ARTICLE))
        out.append((tuple(c for c in (conj,) if c) + (_LAM, ARTICLE), conj + _LAM + _LAM))
    return sorted(out, key=lambda e: -len(e[1]))


def _bare_prefixes() -> list[tuple[tuple[str, ...], str]]:
    out = []
    for conj in ("",) + CONJUNCTIONS:
        for prep in ("",) + PREPOSITIONS:
            clitics = tuple(c for c in (conj, prep) if c)
            if clitics:
                out.append((clitics, conj + prep))
    return sorted(out, key=lambda e: -len(e[1]))


_ARTICLE_PREFIXES = _article_prefixes()
_BARE_PREFIXES = _bare_prefixes()


#: Shipped word-frequency lexicon (tools/build_arabic_lexicon.py) used by the frequency check.
LEXICON_FILE = "arabic_lexicon_v1.tsv.gz"
#: A bare proclitic is split when the stem's corpus frequency is at least this share of the word's.
STEM_RATIO = 0.1
#: ... and at least this many occurrences.
STEM_MIN_COUNT = 5


@functools.lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    """The shipped word counts of the frequency check.

    Returns
    -------
    dict
        Normalised Arabic word → frequency in SaudiNewsNet (``data/arabic_lexicon_v1.tsv.gz``).
    """
    import gzip

    counts: dict[str, int] = {}
    text = gzip.decompress((_DATA / LEXICON_FILE).read_bytes()).decode("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            w, n = line.split("\t")
            counts[w] = int(n)
    return counts


def _stem_is_word(word: str, stem: str) -> bool:
    """The frequency check on the shipped counts: ``stem`` occurs as a word of its own
    (bare or with the article) at least ``max(STEM_MIN_COUNT, STEM_RATIO × count(word))``
    times. (:func:`segment` also passes a stem found among the document's words.)"""
    counts = word_counts()
    n_stem = counts.get(stem, 0) + counts.get(ARTICLE + stem, 0)
    return n_stem >= max(STEM_MIN_COUNT, STEM_RATIO * counts.get(word, 0))


def segment(word: str, lexicon: Collection[str] | None = None, min_stem: int = 3,
            surface: str | None = None, stopwords: Collection[str] = (),
            frequency_check: bool = True) -> tuple[tuple[str, ...], str]:
    """``(proclitics, stem)`` of a normalised Arabic word under the rules of this module.

    Parameters
    ----------
    word : str
        The word, normalised (:func:`framescope.corpus.text.normalize_arabic`).
    lexicon : collection of str, optional
        Words of the same document (normalised): a stem found there passes the frequency
        check whatever the shipped counts say.
    min_stem : int
        Fewest letters a stem may keep after a bare proclitic; after the article,
        ``min_stem - 1`` (الحب → حب, السن → سن).
    surface : str, optional
        The word as written (before normalisation), used to tell أل/إل/آل from the article;
        it must have as many letters as ``word`` (diacritics and tatweel removed).
    stopwords : collection of str
        Normalised stopwords: a stopword is never split, and a proclitic + stopword is
        split whatever the frequency check (ولكن → و + لكن).
    frequency_check : bool
        False: the lexicon-free fallback instead of rule 3 (a bare و ف is split when
        ``min_stem + 2`` letters remain, a bare ب ك ل never); kept for comparison.

    Returns
    -------
    tuple
        The proclitics in writing order (``("و", "ب", "ال")``) and the stem; ``((), word)``
        when nothing is split.

    Examples
    --------
    >>> segment("وبالتحالف")
    (('و', 'ب', 'ال'), 'تحالف')
    >>> segment("بريطانيا")
    ((), 'بريطانيا')
    """
    stops = stopwords if isinstance(stopwords, frozenset) else frozenset(stopwords)
    found, candidates = segment_static(word, surface, min_stem, stops, frequency_check)
    if found is not None:
        return found
    # the longest strip that passes on the shipped counts or on the document's own words
    for clitics, stem, passes in candidates:
        if passes or (lexicon is not None and (stem in lexicon or ARTICLE + stem in lexicon)):
            return clitics, stem
    return (), word


_FIRST_LETTERS = frozenset(CONJUNCTIONS + PREPOSITIONS + ("\u0627",))


def segment_static(word: str, surface: str | None = None, min_stem: int = 3, stopwords: frozenset = frozenset(),
                   frequency_check: bool = True) -> tuple:
    """What :func:`segment` decides without the document's words.

    The token layer calls it once per distinct word and keeps the answer; only the bare
    proclitics whose stem fails the shipped counts need the document (:func:`segment`).

    Parameters
    ----------
    word : str
        The word, normalised (:func:`framescope.corpus.text.normalize_arabic`).
    surface : str, optional
        The word as written (diacritics and tatweel removed, as many letters as
        ``word``), to tell أل/إل/آل from the article; None when not known.
    min_stem : int, default 3
        Fewest letters a stem may keep after a bare proclitic (``min_stem - 1`` after the
        article).
    stopwords : frozenset of str, default frozenset()
        Normalised stopwords: never split, and split off a proclitic whatever the
        frequency check (a frozenset: the answers are cached).
    frequency_check : bool, default True
        False: the lexicon-free fallback (a bare و ف split when ``min_stem + 2`` letters
        remain, a bare ب ك ل never), as in :func:`segment`.

    Returns
    -------
    tuple
        ``(result, candidates)``: ``result`` is :func:`segment`'s answer when the document
        cannot change it, else None; ``candidates`` are the ``(clitics, stem, passes the
        shipped counts)`` strips, longest first, up to the first that passes: :func:`segment`
        takes the first that passes or whose stem (bare or with the article) is among the
        document's words, else leaves the word whole.
    """
    if len(word) < 3 or word[0] not in _FIRST_LETTERS:
        return ((), word), ()
    return _segment_static(word, surface, min_stem, stopwords, frequency_check)


@functools.lru_cache(maxsize=500_000)
def _segment_static(word: str, surface: str | None, min_stem: int, stopwords: frozenset,
                    frequency_check: bool) -> tuple:
    """What does not depend on the document: ``(result or None, bare candidates)``.

    Candidates: ``(clitics, stem, passes the shipped counts)``, longest strip first, up to
    the first that passes; the document's words may pass an earlier one (:func:`segment`)."""
    if word in clitic_exceptions() or word in stopwords:
        return ((), word), ()
    if surface is not None and len(surface) != len(word):
        surface = None  # lengths differ (unnormalised diacritics): no positional guard
    # hamza alefs among the first letters of the written form (all the article test needs)
    hamzas = tuple(i for i, ch in enumerate(surface[:4]) if ch in _HAMZA_ALEFS) if surface else ()
    for clitics, prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= max(2, min_stem - 1):
            if len(prefix) - 2 in hamzas:
                continue  # أل/إل: a hamza, not the article
            return (clitics, word[len(prefix):]), ()
    if stopwords:
        for clitics, prefix in reversed(_BARE_PREFIXES):  # shortest first: وكان → و + كان
            stem = word[len(prefix):]
            if word.startswith(prefix) and len(stem) >= 2 and stem in stopwords:
                return (clitics, stem), ()
    if not frequency_check:
        if word[:1] in CONJUNCTIONS and len(word) - 1 >= min_stem + 2:
            return ((word[0],), word[1:]), ()
        return ((), word), ()
    candidates = []
    for clitics, prefix in _BARE_PREFIXES:
        stem = word[len(prefix):]
        if word.startswith(prefix) and len(stem) >= min_stem:
            passes = _stem_is_word(word, stem)
            if passes and not candidates:
                return (clitics, stem), ()
            candidates.append((clitics, stem, passes))
            if passes:
                break
    return None, tuple(candidates)


def strip_proclitics(word: str, lexicon: Collection[str] | None = None, min_stem: int = 3,
                     surface: str | None = None) -> str:
    """The stem of :func:`segment` (the word without its proclitics).

    Parameters
    ----------
    word : str
        The word, normalised (:func:`framescope.corpus.text.normalize_arabic`).
    lexicon : collection of str, optional
        Words of the same document (normalised): a stem found there passes the frequency
        check; None uses the shipped counts only.
    min_stem : int, default 3
        Fewest letters a stem may keep after a bare proclitic (``min_stem - 1`` after the
        article).
    surface : str, optional
        The word as written (diacritics and tatweel removed), to tell أل/إل/آل from the
        article; None when not known.

    Returns
    -------
    str
        The stem; ``word`` itself when nothing is split (``segment(...)[1]``).
    """
    return segment(word, lexicon, min_stem, surface)[1]
