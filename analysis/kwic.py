"""KWIC: keyword-in-context concordance lines, English and Arabic.

``kwic(corpus, pattern, window=8, by='source_type', sort='right')`` returns a :class:`KWIC`
(a DataFrame that Jupyter shows as an aligned, right-to-left-aware concordance) with one
row per match and columns (docs/columns.md)::

    group        value of ``by`` for the document (only when ``by`` is given)
    doc_id, outlet, source_type, date, title   document metadata
    lang         language of the sentence holding the match
    sent         sentence number in the document (0..)
    position     token index of the match's first token in the document (0..)
    left         up to ``window`` tokens before the match (same document and language)
    keyword      the matched token(s), as in the text
    right        up to ``window`` tokens after the match (same document and language)
    pattern      the pattern as given

Tokens are shown as in the text (case, punctuation, Arabic diacritics kept); matching is
case-insensitive and on the normalised form (Arabic: :func:`framescope.corpus.text.normalize_arabic`,
so أ/إ/ا, ى/ي, ة/ه and diacritics do not matter). Contexts never cross documents.

Patterns (``pattern_type='auto'`` decides from the string)::

    word     one token, exact: ``coalition``, ``US-led``, ``التحالف``
    phrase   tokens in sequence within a sentence: ``white phosphorus``, ``التحالف الدولي``
    glob     ``*`` any characters, ``?`` one, per token: ``strike*``, ``*التحالف`` (also phrases:
             ``air strike*``)
    regex    ``re:`` prefix (auto) or pattern_type='regex': a Python regex that must match a
             whole token; whitespace separates the regexes of consecutive tokens:
             ``re:kill(ed|ing|s)?``

With ``options`` (the :class:`TokenOptions` of an analysis) tokens are compared in
the form that analysis used (e.g. stemmed), so a keyness or collocate row can be traced
back to its lines: ``kwic(corpus, row.term, options=opts, lang=row.lang)``.
"""
from __future__ import annotations

import fnmatch
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd

from framescope.analysis.counts import encode, group_labels
from framescope.analysis.token_options import PHRASE_JOINER, TokenOptions
from framescope.analysis.token_words import filter_tokens
from framescope.analysis.tokens import iter_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import progress
from framescope.corpus.store import Corpus
from framescope.corpus.text import normalize_arabic, normalize_text

__all__ = ["KWIC_TOKEN_OPTIONS", "KWIC_COLUMNS", "KWIC", "kwic", "kwic_html", "write_kwic", "kwic_to_html",
           "compile_pattern"]

#: Tokens as displayed: nothing removed, nothing folded, Arabic left as written.
KWIC_TOKEN_OPTIONS = TokenOptions(lowercase=False, stopwords=False, punctuation=True, numbers="keep",
                                  min_length=0, arabic_normalize=False, arabic_proclitics=False,
                                  credits=False, possessives=False)  # the text as written
KWIC_COLUMNS = ["doc_id", "outlet", "source_type", "date", "title", "lang", "sent", "position",
                "left", "keyword", "right", "pattern"]
PATTERN_TYPES = ("auto", "word", "phrase", "glob", "regex")


def _match_key(token: str, lang: str) -> str:
    key = token.casefold()
    return normalize_arabic(key) if lang == "ar" or _has_arabic(key) else key


_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def _has_arabic(s: str) -> bool:
    return bool(_ARABIC.search(s))


def compile_pattern(pattern: str, pattern_type: str = "auto") -> tuple[str, list]:
    """Compile a KWIC pattern into one matcher per token.

    Parameters
    ----------
    pattern : str
        The pattern (module docstring: word, phrase, glob or ``re:`` regex).
    pattern_type : {'auto', 'word', 'phrase', 'glob', 'regex'}
        How to read ``pattern``; ``'auto'`` decides from the string.

    Returns
    -------
    tuple of (str, list)
        The resolved pattern type and one matcher per token: a str (the exact, normalised
        key) or a compiled regular expression.

    Raises
    ------
    FramescopeError
        For an unknown pattern type, an empty pattern or a bad regular expression.
    """
    if pattern_type not in PATTERN_TYPES:
        raise FramescopeError(f"unknown pattern type {pattern_type!r} ({', '.join(PATTERN_TYPES)})")
    text = pattern.strip()
    if pattern_type == "auto":
        if text.startswith("re:"):
            pattern_type, text = "regex", text[3:].strip()
        elif any(ch in text for ch in "*?"):
            pattern_type = "glob"
        elif len(text.split()) > 1:
            pattern_type = "phrase"
        else:
            pattern_type = "word"
    if not text:
        raise FramescopeError("empty KWIC pattern")
    parts = text.split()
    if pattern_type == "word" and len(parts) > 1:
        pattern_type = "phrase"
    matchers: list = []
    for part in parts:
        if pattern_type == "regex":
            try:
                matchers.append(re.compile(part, re.IGNORECASE))
            except re.error as exc:
                raise FramescopeError(f"bad regular expression {part!r}: {exc}") from None
        elif pattern_type == "glob":
            key = normalize_text(part)
            key = _match_key(key, "ar" if _has_arabic(key) else "")
            matchers.append(re.compile(fnmatch.translate(key), re.IGNORECASE))
        else:
            key = normalize_text(part)
            matchers.append(_match_key(key, "ar" if _has_arabic(key) else ""))
    return pattern_type, matchers


def _vocab_hits(keys: np.ndarray, matcher) -> np.ndarray:
    if isinstance(matcher, str):
        return keys == matcher
    return np.fromiter((matcher.fullmatch(k) is not None for k in keys), dtype=bool, count=len(keys))


def _prefilter(corpus: Corpus, matchers: list, pattern_type: str, include_duplicates: bool,
               lang: str | None) -> Corpus:
    """Only documents whose normalised text contains every literal part of the pattern.

    A cheap substring test that can only keep too many documents, never too few: it is
    skipped for regexes and when matching uses analysis options (stems).
    """
    literals = []
    for m in matchers:
        if isinstance(m, str):
            literals.append(m)
    if not literals or pattern_type == "regex":
        return corpus
    segs = corpus.analysable_segments(include_duplicates=include_duplicates, lang=lang)
    keyed = segs["text"].fillna("").map(lambda t: _match_key(normalize_text(t), ""))
    hit = np.ones(len(segs), dtype=bool)
    for lit in literals:
        hit &= keyed.str.contains(lit, regex=False).to_numpy()
    keep = set(segs.loc[hit, "doc_id"])
    docs = corpus.documents[corpus.documents["doc_id"].isin(keep)].reset_index(drop=True)
    return Corpus(docs, corpus.segments[corpus.segments["doc_id"].isin(keep)].reset_index(drop=True),
                  corpus.rejects, corpus.manifest, corpus.path)


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]}%\u060c\u061b\u061f])")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]) ")


def _detok(tokens) -> str:
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def kwic(corpus: Corpus, pattern: str, window: int = 8, by: str | None = None,
         pattern_type: str = "auto", sort: str | None = None, lang: str | None = None,
         options: TokenOptions | None = None, include_duplicates: bool = False,
         limit: int | None = None, batch_size: int = 2000) -> pd.DataFrame:
    """Concordance lines of ``pattern`` in ``corpus``.

    Parameters
    ----------
    corpus : Corpus
        The corpus to search (analysable segments; never boilerplate).
    pattern : str
        A word, a phrase, a glob (``strike*``) or a regex (``re:kill(ed|ing)``); see the module docstring.
    window : int, default 8
        Tokens of context on each side (same document and language).
    by : str, optional
        A document column or expression whose value per document becomes the ``group`` column.
    pattern_type : {'auto', 'word', 'phrase', 'glob', 'regex'}
        How to read ``pattern``.
    sort : {None, 'doc', 'left', 'right'}
        Corpus order (``None``/``'doc'``), or by the tokens to the left (nearest first: L1,
        L2, …) or to the right (R1, R2, …), case-insensitive.
    lang : str, optional
        Search only sentences of this language (``'en'``, ``'ar'``).
    options : TokenOptions, optional
        Compare tokens in the form an analysis used (e.g. stemmed), to trace its rows back.
    include_duplicates : bool, default False
        Also search documents whose ``duplicate_of`` is set.
    limit : int, optional
        Keep the first lines after sorting (the total is in ``attrs['n_matches']``).
    batch_size : int, default 2000
        Documents tokenised at a time.

    Returns
    -------
    KWIC
        A DataFrame with one row per match, columns ``group`` (with ``by``), ``doc_id``,
        ``outlet``, ``source_type``, ``date``, ``title``, ``lang``, ``sent``, ``position``,
        ``left``, ``keyword``, ``right``, ``pattern`` (docs/columns.md); ``attrs``:
        ``pattern``, ``window``, ``n_matches``, ``corpus_id``.
    """
    if window < 0:
        raise FramescopeError("window must be >= 0")
    if sort not in (None, "doc", "left", "right"):
        raise FramescopeError(f"sort must be left, right or doc, not {sort!r}")
    if options is not None and PHRASE_JOINER in pattern and " " not in pattern:
        joined = {p.replace(" ", PHRASE_JOINER).casefold() for p in options.phrases}
        if pattern.casefold() in joined:
            pattern = pattern.replace(PHRASE_JOINER, " ")  # a joined phrase term → its words
            options = TokenOptions(**{**options.__dict__, "phrases": ()})
    resolved, matchers = compile_pattern(pattern, pattern_type)
    labels = group_labels(corpus, by) if by is not None else None
    source = corpus if options is not None else _prefilter(corpus, matchers, resolved,
                                                                  include_duplicates, lang)
    rows = []
    batches = iter_tokens(source, KWIC_TOKEN_OPTIONS, lang=lang, include_duplicates=include_duplicates,
                          batch_size=batch_size)
    for batch in progress(batches, total=-(-len(source.documents) // batch_size), desc="kwic", unit="batch"):
        enc = encode(batch)
        if not len(enc.ids):
            continue
        v = enc.vocab
        if options is None:
            keys = np.array([_match_key(t, l) for l, t in zip(v.langs, v.terms)], dtype=object)
        else:
            keys = np.array([_analysis_key(t, l, options) for l, t in zip(v.langs, v.terms)], dtype=object)
        hits = [_vocab_hits(keys, m) for m in matchers]
        k = len(hits)
        n = len(enc.ids)
        if n < k:
            continue
        ok = hits[0][enc.ids[:n - k + 1]].copy()
        for j in range(1, k):
            ok &= hits[j][enc.ids[j:n - k + 1 + j]]
            ok &= enc.sent[j:n - k + 1 + j] == enc.sent[:n - k + 1]
        starts = np.flatnonzero(ok)
        if not len(starts):
            continue
        # context runs: consecutive tokens of one document in one language (an English
        # caption's context never runs into its Arabic translation)
        tok_lang = enc.sent_lang[enc.sent]
        change = np.ones(n, dtype=bool)
        change[1:] = (enc.doc[1:] != enc.doc[:-1]) | (tok_lang[1:] != tok_lang[:-1])
        run = np.cumsum(change) - 1
        run_first = np.flatnonzero(change)
        run_last = np.append(run_first[1:], n)
        doc_first = np.searchsorted(enc.doc, np.arange(len(enc.doc_ids)), side="left")
        terms = v.terms
        for s in starts:
            d = enc.doc[s]
            lo, hi = run_first[run[s]], run_last[run[s]]
            e = s + k
            sent_no = enc.sent[s] - enc.sent[doc_first[d]]
            rows.append({
                "doc_id": enc.doc_ids[d], "lang": enc.sent_lang[enc.sent[s]], "sent": int(sent_no),
                "position": int(s - doc_first[d]),
                "left_tokens": terms[enc.ids[max(lo, s - window):s]],
                "keyword": _detok(terms[enc.ids[s:e]]),
                "right_tokens": terms[enc.ids[e:min(hi, e + window)]],
            })
    out = _assemble(rows, corpus, labels, by, pattern, sort)
    out.attrs.update({"pattern": pattern, "pattern_type": resolved, "window": window, "by": by,
                      "sort": sort, "n_matches": len(out),
                      "options": options.as_dict() if options else None,
                      "corpus_id": corpus.corpus_id})
    if limit is not None:
        out = out.head(limit)
    result = KWIC(out)
    result.attrs.update(out.attrs)
    return result


def _analysis_key(token: str, lang: str, options: TokenOptions) -> str:
    """The form a displayed token takes under an analysis' options ('' if removed)."""
    processed = filter_tokens([normalize_arabic(token, **options.arabic_flags()) if lang == "ar"
                         and options.arabic_normalize else token], lang, options)
    return _match_key(processed[0], lang) if processed else ""


def _assemble(rows, corpus, labels, by, pattern, sort) -> pd.DataFrame:
    cols = (["group"] if by is not None else []) + KWIC_COLUMNS
    if not rows:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(rows)
    if sort == "left":
        keys = [tuple(t.casefold() for t in toks[::-1]) for toks in frame["left_tokens"]]
    elif sort == "right":
        keys = [tuple(t.casefold() for t in toks) for toks in frame["right_tokens"]]
    else:
        keys = None
    frame["left"] = [_detok(t) for t in frame["left_tokens"]]
    frame["right"] = [_detok(t) for t in frame["right_tokens"]]
    if keys is not None:
        # stable: equal contexts stay in corpus order
        order = sorted(range(len(frame)), key=lambda i: (keys[i], frame["keyword"].iat[i].casefold()))
        frame = frame.iloc[order].reset_index(drop=True)
    meta_cols = ["doc_id", "outlet", "source_type", "date", "title"]
    meta = corpus.documents[[c for c in meta_cols if c in corpus.documents]].drop_duplicates("doc_id")
    frame = frame.merge(meta, on="doc_id", how="left", sort=False)
    if by is not None:
        frame.insert(0, "group", frame["doc_id"].map(labels))
    frame["pattern"] = pattern
    return frame[cols]


# --- display and export -------------------------------------------------------------------

class KWIC(pd.DataFrame):
    """The concordance table :func:`kwic` returns: a DataFrame that Jupyter shows as an
    aligned concordance (context before the keyword aligned against it, keyword in the
    middle, context after; Arabic lines right to left) instead of a plain table.

    It stays a KWIC through pandas' row operations (``head``, ``sort_values``, filters,
    ``groupby(...).head``); a selection without the ``left``/``keyword``/``right``
    columns shows as an ordinary DataFrame.

    Parameters
    ----------
    data, index, columns, dtype, copy : as in pandas.DataFrame
        The table; :func:`kwic` builds it.
    """

    @property
    def _constructor(self):
        return KWIC

    def _repr_html_(self) -> str | None:
        if not {"left", "keyword", "right"} <= set(self.columns):
            return super()._repr_html_()
        return kwic_html(self, max_rows=DISPLAY_ROWS)


#: Rows a KWIC shows in a notebook (the rest are counted under the table).
DISPLAY_ROWS = 60

# scoped to .fs-kwic so that a notebook's own styles are left alone; text-align 'end'
# follows each table's direction, so the preceding context hugs the keyword in both
_CSS = """
.fs-kwic{font-family:"Noto Sans","Noto Sans Arabic","DejaVu Sans",Arial,sans-serif;color:#222}
.fs-kwic p.meta{color:#555;font-size:.9em;margin:.2em 0 .6em}
.fs-kwic table{border-collapse:collapse;width:100%;margin-bottom:1.2em;font-size:.92em;table-layout:auto}
.fs-kwic th,.fs-kwic td{padding:.2em .5em;border-bottom:1px solid #e4e4e4;vertical-align:top}
.fs-kwic th{background:#f3f3f3;text-align:center}
.fs-kwic td.left{text-align:end;white-space:nowrap;overflow:hidden;max-width:32em}
.fs-kwic td.kw{font-weight:bold;color:#8b0000;text-align:center;white-space:nowrap}
.fs-kwic td.right{text-align:start;white-space:nowrap;overflow:hidden;max-width:32em}
.fs-kwic td.doc,.fs-kwic td.group{color:#666;font-size:.85em;white-space:nowrap}
"""
_PAGE_CSS = "body{margin:1.5em} h1{font-size:1.2em;font-family:sans-serif}"


def _date(value) -> str:
    return pd.Timestamp(value).date().isoformat() if pd.notna(value) else ""


def _text(value) -> str:
    return html.escape(value if isinstance(value, str) else "")


def kwic_html(table: pd.DataFrame, max_rows: int | None = None) -> str:
    """The concordance lines of ``table`` as an HTML fragment (inline CSS, no scripts).

    English (and other left-to-right) lines and Arabic lines are two tables: the Arabic
    one is ``dir="rtl" lang="ar"``, so the context before the keyword is on the right, as
    an Arabic reader expects; document and group cells are ``dir="ltr"``/``dir="auto"``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :func:`kwic`.
    max_rows : int, optional
        Show the first lines only (the number left out is said).

    Returns
    -------
    str
        The HTML fragment (a ``<div class="fs-kwic">`` with its own scoped styles).
    """
    shown = table if max_rows is None else table.head(max_rows)
    pattern = table.attrs.get("pattern") or (table["pattern"].iat[0] if len(table) and "pattern" in table else "")
    n_matches = table.attrs.get("n_matches", len(table))
    meta = [f"{len(table):,} lines" + (f" of {n_matches:,} matches" if n_matches != len(table) else "")]
    if "window" in table.attrs:
        meta.append(f"window {table.attrs['window']}")
    if table.attrs.get("corpus_id"):
        meta.append(f"corpus {table.attrs['corpus_id']}")
    parts = [f"<div class=\"fs-kwic\"><style>{_CSS}</style>",
             f'<p class="meta">KWIC <b dir="auto">{html.escape(str(pattern))}</b> · {html.escape(" · ".join(meta))}</p>']
    has_group = "group" in shown.columns
    lang = shown["lang"] if "lang" in shown else pd.Series("", index=shown.index)
    for direction, sub in (("ltr", shown[lang != "ar"]), ("rtl", shown[lang == "ar"])):
        if sub.empty:
            continue
        lang_attr = "ar" if direction == "rtl" else "en"
        parts.append(f'<table dir="{direction}" lang="{lang_attr}"><thead><tr>'
                     + ("<th>group</th>" if has_group else "")
                     + "<th>document</th><th>before</th><th>keyword</th><th>after</th></tr></thead><tbody>")
        for row in sub.to_dict("records"):
            doc = html.escape(" · ".join(str(v) for v in (row.get("doc_id", ""), _text(row.get("outlet")),
                                                          _date(row.get("date"))) if v))
            parts.append("<tr>" + (f'<td class="group" dir="auto">{html.escape(str(row["group"]))}</td>'
                                   if has_group else "")
                         + f'<td class="doc" dir="ltr">{doc}</td>'
                         + f'<td class="left">{_text(row["left"])}</td>'
                         + f'<td class="kw">{_text(row["keyword"])}</td>'
                         + f'<td class="right">{_text(row["right"])}</td></tr>')
        parts.append("</tbody></table>")
    if len(shown) < len(table):
        parts.append(f'<p class="meta">… {len(table) - len(shown):,} more lines</p>')
    parts.append("</div>")
    return "\n".join(parts)


def kwic_to_html(table: pd.DataFrame, title: str | None = None) -> str:
    """Render every line as a self-contained HTML page: :func:`kwic_html` under a title.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :func:`kwic`.
    title : str, optional
        The page title (default ``KWIC: <pattern>``).

    Returns
    -------
    str
        The page: inline CSS, no scripts, no external resources.
    """
    pattern = table.attrs.get("pattern") or (table["pattern"].iat[0] if len(table) else "")
    title = title or f"KWIC: {pattern}"
    return "\n".join(["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                      f"<title>{html.escape(title)}</title><style>{_PAGE_CSS}</style></head><body>",
                      f"<h1>{html.escape(title)}</h1>", kwic_html(table), "</body></html>"]) + "\n"


def write_kwic(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a KWIC table as CSV (UTF-8) or HTML, chosen by the file suffix.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :func:`kwic`.
    path : str or pathlib.Path
        The file to write: ``.csv``, ``.html`` or ``.htm`` (folders are created).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".html", ".htm"):
        raise FramescopeError(f"KWIC output must end in .csv or .html, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        table.to_csv(path, index=False, lineterminator="\n")
    else:
        path.write_text(kwic_to_html(table), encoding="utf-8")
    return path
