"""Tokens with character offsets, and a phrase matcher over them.

The framing rules need what the counting tokenizer (:mod:`framescope.analysis.tokens`) throws away:
the character offsets of each token (for KWIC lines and ``attribution_text``), numbers
with their thousands separators ("1,139"), punctuation and quote marks (clause
boundaries, scare quotes) and the original case ("IS" is not "is"). :func:`scan` keeps
all of that; each :class:`Tok` also carries ``norm``, its matching form: lower-cased and,
for Arabic, :func:`framescope.corpus.text.normalize_arabic`.

Arabic words carry proclitics (و ف ب ل ك, and ل + ال written لل). :func:`ar_variants`
gives the forms a token may match in a lexicon: ``وللتحالف`` matches ``التحالف`` and
``تحالف``; the lexicon entries themselves are written without clitics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from framescope.corpus.text import normalize_arabic

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[,\u066c]\d{3})+(?:[.\u066b]\d+)?(?!\d)|\d+(?:[.\u066b]\d+)?)"
    rf"|(?P<word>{_LETTER}+(?:-{_LETTER}+)*)"
    r"|(?P<punct>[^\w\s])", re.UNICODE)
QUOTES = set("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a`")
CLAUSE_BREAKS = set(",;:()[]!?.\u060c\u061b\u061f")


@dataclass(frozen=True)
class Tok:
    """One token of :func:`scan`, with its offsets into the source text.

    Parameters
    ----------
    text : str
        The token as written.
    norm : str
        Its matching form (:func:`norm_word`: lower case, Arabic normalised).
    start, end : int
        Character offsets of the token in the scanned text (half-open).
    kind : {"num", "word", "punct"}
        A number, a word (inner hyphens included) or a punctuation mark.
    """

    text: str
    norm: str
    start: int
    end: int
    kind: str  # 'num', 'word', 'punct'

    @property
    def is_quote(self) -> bool:
        return self.kind == "punct" and self.text in QUOTES

    @property
    def is_break(self) -> bool:
        return self.kind == "punct" and self.text in CLAUSE_BREAKS


def norm_word(word: str) -> str:
    """Matching form of one word: lower case, Arabic normalised.

    Parameters
    ----------
    word : str
        The word as written.

    Returns
    -------
    str
        The word in lower case, and for non-ASCII words Arabic-normalised
        (:func:`framescope.corpus.text.normalize_arabic`).
    """
    if word.isascii():
        return word.lower()  # nothing to normalise: keeps scanning long texts cheap
    return normalize_arabic(word.lower())


def scan(text: str) -> list[Tok]:
    """Tokens of ``text`` with offsets (numbers, words with inner hyphens, punctuation).

    Parameters
    ----------
    text : str
        A sentence or phrase.

    Returns
    -------
    list of Tok
        text (as written), norm (:func:`norm_word`), start, end (character offsets), kind
        ('num', 'word', 'punct').
    """
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        tok = m.group()
        if kind == "word":
            norm = norm_word(tok)
        else:
            norm = tok if tok.isascii() else normalize_arabic(tok)  # Arabic-Indic digits
        out.append(Tok(tok, norm, m.start(), m.end(), kind))
    return out


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as the tuple of matching forms :func:`scan` would give.

    Parameters
    ----------
    phrase : str
        The phrase.

    Returns
    -------
    tuple of str
        The ``norm`` of each of its tokens, in order.
    """
    return tuple(t.norm for t in scan(phrase))


def ar_variants(norm: str) -> set[str]:
    """Forms of a normalised Arabic token with its proclitics and article removed.

    و/ف (conjunctions; two letters must remain: وما → ما), then ب/ل/ك (prepositions;
    لل → ال; three letters must remain), then ال (three must remain), so short words are
    not mangled.

    Parameters
    ----------
    norm : str
        A normalised Arabic token.

    Returns
    -------
    set of str
        The token and its forms without proclitics and article.

    References
    ----------
    Larkey, L. S., Ballesteros, L., & Connell, M. E. (2007). Light stemming for Arabic
    information retrieval. In *Arabic Computational Morphology*, 221–243. Springer.
    """
    out = {norm}
    stems = [norm]
    if norm[:1] in ("و", "ف") and len(norm) > 2:
        stems.append(norm[1:])
    for s in stems:
        out.add(s)
        if s.startswith("لل") and len(s) > 4:
            out.add("ال" + s[2:])
        elif s[:1] in ("ب", "ل", "ك") and len(s) > 3:
            out.add(s[1:])
    for s in list(out):
        if s.startswith("ال") and len(s) > 4:
            out.add(s[2:])
    return out


def is_arabic_word(norm: str) -> bool:
    """Whether a token is written in Arabic script (first letter in U+0600–U+06FF).

    Parameters
    ----------
    norm : str
        The token.

    Returns
    -------
    bool
        True when its first character is in the Arabic block (U+0600–U+06FF).
    """
    return bool(norm) and "\u0600" <= norm[0] <= "\u06ff"


@dataclass(frozen=True)
class Match:
    """One phrase found by :meth:`PhraseMatcher.find` in a token list.

    Parameters
    ----------
    start : int
        Index of its first token.
    end : int
        Index one past its last token.
    phrase : str
        The lexicon phrase that matched, as written in the lexicon.
    payload : object
        What the lexicon entry carries (an outcome, a victim class, an attribution
        class, ...).
    """

    start: int  # first token
    end: int    # one past the last token
    phrase: str
    payload: object


class PhraseMatcher:
    """Find lexicon phrases in a token list (longest match first at each position).

    A case-sensitive phrase compares the tokens as written ('IS'); others compare matching
    forms, the first word of an Arabic phrase also through :func:`ar_variants`. Quote marks
    inside a phrase are skipped, so ``US-led 'international coalition'`` matches
    ``US-led international coalition``.

    Parameters
    ----------
    entries : iterable of (str, object, bool)
        (phrase, payload, case_sensitive) per lexicon entry; the payload is returned with
        each :class:`Match`.
    """

    def __init__(self, entries: Iterable[tuple[str, object, bool]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, object, bool]]] = {}
        for phrase, payload, case_sensitive in entries:
            words = tuple(t.text for t in scan(phrase)) if case_sensitive else phrase_words(phrase)
            words = tuple(w for w in words if w not in QUOTES)
            if not words:
                continue
            key = words[0] if case_sensitive else words[0]
            self._by_first.setdefault(key, []).append((words, phrase, payload, case_sensitive))
        for cands in self._by_first.values():
            cands.sort(key=lambda c: -len(c[0]))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def _first_keys(self, tok: Tok) -> Iterable[str]:
        if tok.kind == "word" and is_arabic_word(tok.norm):
            return {tok.text, tok.norm} | ar_variants(tok.norm)
        return (tok.norm,) if tok.text == tok.norm else (tok.text, tok.norm)

    def match_at(self, toks: Sequence[Tok], i: int) -> Match | None:
        """Longest phrase starting at token ``i``.

        Parameters
        ----------
        toks : sequence of Tok
            The tokens.
        i : int
            The start position.

        Returns
        -------
        Match or None
            start, end (one past the last token), phrase, payload.
        """
        best: Match | None = None
        for key in self._first_keys(toks[i]):
            for words, phrase, payload, cs in self._by_first.get(key, ()):
                if cs and toks[i].text != words[0]:
                    continue
                j, k = i + 1, 1
                while k < len(words) and j < len(toks):
                    if toks[j].is_quote:
                        j += 1
                        continue
                    if (toks[j].text if cs else toks[j].norm) != words[k]:
                        break
                    j += 1
                    k += 1
                if k == len(words) and (best is None or j > best.end):
                    best = Match(i, j, phrase, payload)
        return best

    def find(self, toks: Sequence[Tok], overlapping: bool = False) -> list[Match]:
        """All matches in ``toks``.

        Parameters
        ----------
        toks : sequence of Tok
            The tokens.
        overlapping : bool
            Report every match at every position (default leftmost-longest, non-overlapping).

        Returns
        -------
        list of Match
            In text order.
        """
        out: list[Match] = []
        by_first = self._by_first
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if t.norm not in by_first and t.text not in by_first and not (
                    t.kind == "word" and is_arabic_word(t.norm)):
                i += 1  # no phrase starts with this token: skip the full match (long texts)
                continue
            m = self.match_at(toks, i)
            if m is None:
                i += 1
                continue
            out.append(m)
            i = i + 1 if overlapping else m.end
        return out
