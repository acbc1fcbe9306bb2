"""Exports for the tools corpus linguists already use: CWB/CQPweb, quanteda, MALLET, AntConc.

``framescope export DIR --format FORMAT --out PATH`` (or :func:`export`) writes:

``vrt``
    CWB vertical text (one file) for ``cwb-encode`` / CQPweb / (No)Sketch Engine:
    ``<text id=… collection=… outlet=… source_type=… date=… lang=… …>`` with every
    document metadata column as an attribute (names reduced to ``[a-z_]``),
    ``<p role=… lang=… seg=…>`` per title/body/caption segment (never boilerplate),
    ``<s>`` per sentence (:func:`framescope.analysis.token_sentences.split_sentences`) and one token
    per line: ``word<TAB>norm<TAB>stem``. Next to it: ``NAME.registry`` (a CWB
    registry entry) and ``NAME.cwb-encode.sh`` (the ``cwb-encode`` and
    ``cwb-makeall`` command lines).
``quanteda``
    one CSV (``doc_id``, ``text``, every metadata column as a docvar; dates ISO
    8601) for ``readtext`` / ``quanteda::corpus()``.
``mallet``
    a folder with ``LANG.tsv`` per language in MALLET's one-document-per-line
    format (``id<TAB>label<TAB>text``) and ``LANG.stopwords.txt``.
``txt``
    a folder with one UTF-8 ``.txt`` per document in sub-folders named after a
    metadata column (AntConc), a ``metadata.csv`` in each sub-folder (read back by
    framescope's ``text:`` loader) and one for all documents at the top.
``parquet``, ``csv``
    documents and segments as they are (plus ``manifest.json`` and
    ``rejects.csv``): a parquet export is itself a corpus folder ``corpus.load`` reads.

Every export writes ``export.json`` (``NAME.export.json`` beside a file export): format,
corpus_id, options, counts and the ``framescope build`` sources that read it back. Writes
are atomic (temporary file or folder, then rename) and deterministic: the same corpus and
options give byte-identical files.

Text: the txt, quanteda and MALLET exports carry the analysable text of
``documents.text`` (title, body and caption segments joined by newlines, boilerplate
removed, quotes, dashes and digits normalised); the VRT tokenises each analysable segment
in its own language. Documents marked ``duplicate_of`` are exported (the column says so)
unless ``include_duplicates=False``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shlex
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import escape

import pandas as pd

from framescope.corpus.errors import FramescopeError
from framescope.corpus.progress import progress
from framescope.corpus.store import ANALYSABLE_ROLES, AtomicFolder, Corpus, write_parquet
from framescope.corpus.text import normalize_arabic, normalize_text

__all__ = [
    "FORMATS", "BY_FORMATS", "DEFAULT_BY", "ExportResult", "export", "export_vrt",
    "export_quanteda", "export_mallet", "export_txt", "export_tables", "vrt_token_options",
    "vrt_tokens", "cwb_attribute_name", "cwb_text_attributes", "cwb_corpus_id", "safe_name",
    "metadata_frame",
]

FORMATS = ("vrt", "quanteda", "mallet", "txt", "parquet", "csv")
#: Formats that group documents by a metadata column (``--by``).
BY_FORMATS = ("mallet", "txt")
DEFAULT_BY = "source_type"
#: Folder name / MALLET label for a missing value.
MISSING = "NA"
EXPORT_JSON = "export.json"
#: cwb-encode reads input lines into CL_MAX_LINE_LENGTH (4096-byte) buffers: a longer
#: <text ...> line would be cut. Attribute values are shortened to keep the tag below this.
CWB_MAX_TAG_BYTES = 4000
_ELLIPSIS = "\u2026"
#: p-attributes after ``word`` (cwb-encode's default first attribute).
VRT_PATTRS = ("norm", "stem")
VRT_PARAGRAPH_ATTRS = ("role", "lang", "seg")


@dataclass
class ExportResult:
    """What an export wrote: the main path, every file, and the export.json content.

    Parameters
    ----------
    format : str
        The export format.
    path : pathlib.Path
        The file or folder written.
    files : list of pathlib.Path
        Every file written.
    documents : int
        Documents exported.
    info : dict
        The content of ``export.json``.
    """

    format: str
    path: Path
    files: list[Path]
    documents: int
    info: dict[str, Any] = field(default_factory=dict)


# --- shared helpers --------------------------------------------------------------------------

def cell(value: Any) -> str | None:
    """Render a metadata value as text: None for missing, dates ISO 8601, everything else ``str``.

    Parameters
    ----------
    value : object
        A cell of a documents table.

    Returns
    -------
    str or None
        The text, or None for a missing value.
    """
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists/arrays are not NA
        pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def metadata_columns(documents: pd.DataFrame) -> list[str]:
    """List every document column except ``text``, ``doc_id`` first, in store order.

    Parameters
    ----------
    documents : pandas.DataFrame
        A corpus's documents.

    Returns
    -------
    list of str
        The metadata columns.
    """
    return ["doc_id"] + [c for c in documents.columns if c not in ("doc_id", "text")]


def metadata_frame(documents: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Render the chosen document columns as text (None for missing, dates ISO) for CSV files.

    Parameters
    ----------
    documents : pandas.DataFrame
        A corpus's documents (or segments).
    columns : list of str, optional
        The columns (default :func:`metadata_columns`).

    Returns
    -------
    pandas.DataFrame
        The columns as object dtype holding str or None.
    """
    columns = columns or metadata_columns(documents)
    return pd.DataFrame({c: [cell(v) for v in documents[c]] for c in columns},
                        index=documents.index, dtype=object)


def _select(corpus: Corpus, include_duplicates: bool) -> Corpus:
    # Corpus.subset records the query in the manifest, so an export says what it left out
    return corpus if include_duplicates else corpus.subset("duplicate_of.isna()")


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def safe_name(value: Any, max_length: int = 100) -> str:
    """A file or folder name for a metadata value: letters, digits, ``. _ -`` (any script).

    ``None``/NaN → ``NA``; other characters become ``_``; names reserved on Windows get a
    leading ``_``. Distinct values can map to the same name ("a/b", "a_b"): callers make
    names unique.

    Parameters
    ----------
    value : object
        A metadata value.
    max_length : int, default 100
        Longest name.

    Returns
    -------
    str
        The name (``NA`` for a missing value, ``_`` when nothing is left).
    """
    text = cell(value)
    if text is None:
        return MISSING
    text = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", text)).strip("._-")[:max_length]
    if not text:
        return "_"
    if text.lower().split(".")[0] in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... not yet in ``taken`` (compared case-folded,
    since macOS and Windows file systems ignore case)."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate.casefold())
    return candidate


def _umask_mode(mode: int) -> int:
    """``mode`` under the process umask: temporary files are private, exports are not."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


@contextlib.contextmanager
def _atomic_file(path: Path, mode: int = 0o666) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _umask_mode(mode))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def _atomic_folder(out: str | os.PathLike, fmt: str) -> Iterator[Path]:
    """A temporary folder renamed over ``out`` on success (never over a folder that is
    not an export)."""
    path = Path(out)
    if path.exists():
        if not path.is_dir():
            raise FramescopeError(f"--out {path} is a file; the {fmt} export writes a folder")
        if any(path.iterdir()) and not (path / EXPORT_JSON).is_file():
            raise FramescopeError(f"--out {path} exists and is not a framescope export; "
                                  "choose a new folder (an export replaces its folder)")
    with AtomicFolder(path) as tmp:
        yield tmp
        os.chmod(tmp, _umask_mode(0o777))


def _file_target(out: str | os.PathLike, fmt: str) -> Path:
    path = Path(out)
    if path.is_dir():
        raise FramescopeError(f"--out {path} is a folder; the {fmt} export writes a file (e.g. {path / ('corpus.vrt' if fmt == 'vrt' else 'corpus.csv')})")
    return path


def _info(corpus: Corpus, fmt: str, include_duplicates: bool, documents: int, **extra) -> dict:
    from framescope.corpus import __version__

    return {"format": fmt, "framescope_version": __version__, "corpus_id": corpus.corpus_id,
            "subset": list(corpus.manifest.get("subset", [])),
            "include_duplicates": include_duplicates, "documents": documents, **extra}


def _json_text(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _write_json(data: dict, path: Path) -> None:
    path.write_text(_json_text(data), encoding="utf-8")


def _write_beside(path: Path, text: str, mode: int = 0o666) -> None:
    """A side file of a file export, written atomically like the export itself."""
    with _atomic_file(path, mode) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _check_by(corpus: Corpus, by: str) -> None:
    if by == "text" or by not in corpus.documents.columns:
        columns = ", ".join(c for c in corpus.documents.columns if c != "text")
        raise FramescopeError(f"--by {by!r} is not a document metadata column (columns: {columns})")


def _analysable_by_document(corpus: Corpus) -> Iterator[tuple[str, list[tuple[int, str, str, str]]]]:
    """(doc_id, [(seg, role, lang, text), ...]) for every document, in corpus order.

    Title, body and caption segments in segment order; never boilerplate. Documents
    without such segments come with an empty list.
    """
    segs = corpus.segments[corpus.segments["role"].isin(ANALYSABLE_ROLES)]
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])}
    segs = segs[segs["doc_id"].isin(order.keys())]
    segs = segs.assign(_doc=segs["doc_id"].map(order)).sort_values(["_doc", "seg"], kind="stable")
    grouped: dict[str, list] = {}
    for doc_id, seg, role, lang, text in zip(segs["doc_id"], segs["seg"], segs["role"],
                                             segs["lang"], segs["text"]):
        if not isinstance(text, str) or not text.strip():
            continue
        lang = lang if isinstance(lang, str) and lang else "und"
        grouped.setdefault(doc_id, []).append((int(seg), role, lang, text))
    for doc_id in progress(corpus.documents["doc_id"], desc="export", unit="doc"):
        yield doc_id, grouped.get(doc_id, [])


# --- VRT (CWB / CQPweb) ----------------------------------------------------------------------

def vrt_token_options(options=None):
    """Token options of the VRT ``norm`` column: ``options`` with every token kept.

    A concordancer needs the running text, so stopwords, punctuation, numbers and short
    words are all kept and no phrases are joined: the VRT has one line per token of
    ``framescope.analysis.token_words.tokenize`` under these options. Case folding and the Arabic
    normalisation flags come from ``options`` (default :class:`TokenOptions`).

    Parameters
    ----------
    options : TokenOptions, optional
        The options whose case folding and Arabic flags are kept.

    Returns
    -------
    TokenOptions
        The options of the ``norm`` column.
    """
    from framescope.analysis.token_options import TokenOptions

    base = options if options is not None else TokenOptions()
    return replace(base, stem=False, stopwords=False, extra_stopwords=(), keep_words=(),
                   numbers="keep", punctuation=True, min_length=0, phrases=())


def _vrt_option_sets(options):
    norm = vrt_token_options(options)
    # the word column: the analysable surface form (no case folding, Arabic untouched)
    surface = replace(norm, lowercase=False, arabic_normalize=False, arabic_proclitics=False)
    return surface, norm, replace(norm, stem=True)


def vrt_tokens(text: str, lang: str, options=None) -> list[list[tuple[str, str, str]]]:
    """Sentences of one segment, each a list of ``(word, norm, stem)`` triples.

    ``norm`` is the token of :func:`framescope.analysis.token_words.tokenize` under
    :func:`vrt_token_options` (lowercased; Arabic: :func:`framescope.corpus.text.normalize_arabic`),
    so a document has exactly as many VRT tokens as the tokenizer gives it; ``stem`` is
    its Snowball (English and other Snowball languages) or ISRI (Arabic) stem, the same
    token with ``stem=True``; languages without a stemmer repeat ``norm``. ``word`` is the
    token as it stands in the analysable text (quotes, dashes and digits normalised as in
    ``documents.text``; Arabic keeps its diacritics and tatweel).

    Parameters
    ----------
    text : str
        The segment's text.
    lang : str
        Its language.
    options : TokenOptions, optional
        Case folding and Arabic flags (:func:`vrt_token_options`).

    Returns
    -------
    list of list of tuple (str, str, str)
        One list per sentence of ``(word, norm, stem)``.
    """
    return _vrt_sentences(text, lang, _vrt_option_sets(options))[0]


def _vrt_sentences(text: str, lang: str, option_sets) -> tuple[list[list[tuple[str, str, str]]], int]:
    """:func:`vrt_tokens` plus the number of sentences whose ``word`` had to be ``norm``."""
    from framescope.analysis.token_sentences import lang_key, split_sentences
    from framescope.analysis.token_words import tokenize

    surface, norm, stem = option_sets
    # the language key of the whole segment, as framescope.analysis.tokens.tokens decides it
    key = lang_key(lang, text)
    out, fallback = [], 0
    for sentence in split_sentences(text, key, surface):
        words = tokenize(sentence, key, surface)
        norms = tokenize(sentence, key, norm)
        stems = tokenize(sentence, key, stem)
        if len(words) != len(norms):
            # a lone tatweel or haraka is a token of the surface text that Arabic
            # normalisation deletes: it is not a token of the analysed text
            words = [w for w in words if tokenize(w, key, norm)]
        if len(words) != len(norms):
            words, fallback = norms, fallback + 1  # never seen; keep the counts right
        if norms:
            out.append(list(zip(words, norms, stems)))
    return out, fallback


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ATTR_SPACE = re.compile(r"\s+")


_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):  # nearly every token: skip the two passes
        return value
    return escape(_XML_INVALID.sub("\ufffd", value))


def _xml_attr(value: str) -> str:
    # one line: cwb-encode reads a tag from a single input line
    value = _ATTR_SPACE.sub(" ", _XML_INVALID.sub("\ufffd", value)).strip()
    return escape(value, {'"': "&quot;"})


def cwb_attribute_name(name: str) -> str:
    """Make a CWB attribute name for a metadata column: lowercase ``[a-z_]``, starting with a letter.

    Parameters
    ----------
    name : str
        The column name.

    Returns
    -------
    str
        The attribute name (``attr`` when nothing is left).
    """
    text = re.sub(r"[^a-z_]+", "_", unicodedata.normalize("NFKD", str(name)).lower())
    text = re.sub(r"_+", "_", text).strip("_")
    return text or "attr"


def cwb_text_attributes(columns: list[str]) -> list[tuple[str, str]]:
    """Name the attributes of the ``<text>`` element after the document columns.

    Parameters
    ----------
    columns : list of str
        The document columns.

    Returns
    -------
    list of tuple (str, str)
        ``(attribute, column)``: ``doc_id`` → ``id``, then every metadata column except
        ``text``; clashing names get ``_b``, ``_c``... suffixes.
    """
    pairs: list[tuple[str, str]] = [("id", "doc_id")]
    taken = {"id"}
    for column in columns:
        if column in ("doc_id", "text"):
            continue
        base = cwb_attribute_name(column)
        name, n = base, 0
        while name in taken:
            n += 1
            name = f"{base}_{chr(ord('a') + n)}" if n < 26 else f"{base}_{'z' * (n - 24)}"
        taken.add(name)
        pairs.append((name, column))
    return pairs


def cwb_corpus_id(name: str) -> str:
    """Make a CWB corpus id (registry file name) from a name.

    Parameters
    ----------
    name : str
        The corpus or file name.

    Returns
    -------
    str
        Lowercase ASCII letters, digits, ``_`` and ``-``, starting with a letter, at most 64 characters.
    """
    text = re.sub(r"[^a-z0-9_-]+", "_", unicodedata.normalize("NFKD", name).lower()).strip("_-")
    if not text or not text[0].isalpha():
        text = "c_" + text
    return text[:64]


def _truncate_escaped(value: str, max_bytes: int) -> str:
    """Longest prefix of ``value`` whose escaped UTF-8 form fits in ``max_bytes``, + '…'."""
    budget = max_bytes - len(_ELLIPSIS.encode("utf-8"))
    out, used = [], 0
    for ch in value:
        n = len(_xml_attr(ch).encode("utf-8")) or 1
        if used + n > budget:
            break
        out.append(ch)
        used += n
    return "".join(out).rstrip() + _ELLIPSIS


def _text_tag(pairs: list[tuple[str, str]], limit: int = CWB_MAX_TAG_BYTES) -> tuple[str, int]:
    """``<text a="…" …>`` within ``limit`` bytes, and how many values were shortened.

    When the tag is too long, the longest values (never ``id``) are cut to a common
    length, the largest that fits ("water filling"), and end in '…'.
    """
    escaped = [(name, _xml_attr(value)) for name, value in pairs]
    sizes = [len(v.encode("utf-8")) for _, v in escaped]
    overhead = len("<text>".encode()) + sum(len(f' {n}=""') for n, _ in escaped)
    if overhead + sum(sizes) <= limit:
        return "<text " + " ".join(f'{n}="{v}"' for n, v in escaped) + ">", 0
    fixed = sizes[0]  # the id stays whole
    rest = sizes[1:]
    lo, hi = 0, max(rest, default=0)
    while lo < hi:  # largest cap with overhead + id + sum(min(size, cap)) <= limit
        mid = (lo + hi + 1) // 2
        if overhead + fixed + sum(min(s, mid) for s in rest) <= limit:
            lo = mid
        else:
            hi = mid - 1
    cap = max(lo, len(_ELLIPSIS.encode("utf-8")))
    out, cut = [escaped[0]], 0
    for (name, value), (_, raw) in zip(escaped[1:], pairs[1:]):
        if len(value.encode("utf-8")) > cap:
            value = _xml_attr(_truncate_escaped(raw, cap))
            cut += 1
        out.append((name, value))
    return "<text " + " ".join(f'{n}="{v}"' for n, v in out) + ">", cut


def export_vrt(corpus: Corpus, out: str | os.PathLike, options=None,
               include_duplicates: bool = True) -> ExportResult:
    """Write ``out`` (.vrt), ``NAME.registry``, ``NAME.cwb-encode.sh`` and ``NAME.export.json``.


    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    out : str or os.PathLike
        The ``.vrt`` file to write.
    options : TokenOptions, optional
        Case folding and Arabic normalisation (everything else is fixed by :func:`vrt_token_options`).
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.
    """
    from framescope.analysis.token_sentences import sentence_model_name

    path = _file_target(out, "vrt")
    corpus = _select(corpus, include_duplicates)
    docs = corpus.documents
    attrs = cwb_text_attributes(list(docs.columns))
    columns = [docs[c] for _, c in attrs]
    tokens_per_lang: dict[str, int] = {}
    n_tokens = n_sentences = n_paragraphs = cut = fallback = 0
    option_sets = _vrt_option_sets(options)
    with _atomic_file(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for (doc_id, segments), values in zip(_analysable_by_document(corpus), zip(*columns)):
                tag, n_cut = _text_tag([(name, cell(v) or "") for (name, _), v in zip(attrs, values)])
                cut += n_cut
                lines = [tag]
                for seg, role, lang, text in segments:
                    sentences, n_fallback = _vrt_sentences(text, lang, option_sets)
                    fallback += n_fallback
                    if not sentences:
                        continue
                    n_paragraphs += 1
                    lines.append(f'<p role="{_xml_attr(role)}" lang="{_xml_attr(lang)}" seg="{seg}">')
                    for sentence in sentences:
                        n_sentences += 1
                        lines.append("<s>")
                        lines.extend(_xml_text("\t".join(triple)) for triple in sentence)
                        lines.append("</s>")
                        n_tokens += len(sentence)
                        tokens_per_lang[lang] = tokens_per_lang.get(lang, 0) + len(sentence)
                    lines.append("</p>")
                lines.append("</text>")
                fh.write("\n".join(lines) + "\n")
    corpus_id = cwb_corpus_id(path.stem)
    stem = path.with_suffix("")
    registry = stem.with_name(stem.name + ".registry")
    script = stem.with_name(stem.name + ".cwb-encode.sh")
    sidecar = stem.with_name(stem.name + ".export.json")
    langs = docs["lang"].dropna().value_counts()
    language = str(langs.index[0]) if len(langs) else "und"
    _write_beside(registry, _cwb_registry(path, corpus_id, attrs, language, corpus))
    _write_beside(script, _cwb_script(path, corpus_id, attrs, corpus), mode=0o777)
    info = _info(corpus, "vrt", include_duplicates, len(docs),
                 tokens=n_tokens, sentences=n_sentences, paragraphs=n_paragraphs,
                 tokens_by_lang=dict(sorted(tokens_per_lang.items())),
                 token_options=vrt_token_options(options).as_dict(),
                 sentence_models={k: sentence_model_name(k) for k in sorted(tokens_per_lang)},
                 cwb={"corpus": corpus_id, "p_attributes": ["word", *VRT_PATTRS],
                      "s_attributes": {"text": [a for a, _ in attrs], "p": list(VRT_PARAGRAPH_ATTRS), "s": []},
                      "text_attribute_columns": {a: c for a, c in attrs},
                      "shortened_attribute_values": cut},
                 sentences_with_norm_as_word=fallback,
                 files=[path.name, registry.name, script.name])
    _write_beside(sidecar, _json_text(info))
    return ExportResult("vrt", path, [path, registry, script, sidecar], len(docs), info)


def _cwb_s_attribute_flags(attrs: list[tuple[str, str]]) -> list[str]:
    return ["-S", "text:0+" + "+".join(a for a, _ in attrs),
            "-S", "p:0+" + "+".join(VRT_PARAGRAPH_ATTRS), "-S", "s:0"]


def _cwb_script(vrt: Path, corpus_id: str, attrs: list[tuple[str, str]], corpus: Corpus) -> str:
    from framescope.corpus import __version__

    flags = _cwb_s_attribute_flags(attrs)
    p_flags = " ".join(f"-P {p}" for p in VRT_PATTRS)
    s_flags = " \\\n  ".join(f"{flags[i]} {flags[i + 1]}" for i in range(0, len(flags), 2))
    return f"""#!/bin/sh
# Encode {vrt.name} as the CWB corpus {corpus_id.upper()} and index it
# (IMS Open Corpus Workbench 3.4 or later: cwb-encode, cwb-makeall).
# Written by framescope {__version__} from corpus {corpus.corpus_id}.
#   DATA      folder for the binary corpus data (default: {corpus_id}-cwb beside the .vrt)
#   REGISTRY  CWB registry folder (default: registry beside the .vrt); cwb-encode -R
#             writes the registry entry there (see {vrt.stem}.registry for its content)
# Then: cqp -r "$REGISTRY" -D {corpus_id.upper()}   or install it in CQPweb.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${{DATA:-$HERE/{corpus_id}-cwb}}
REGISTRY=${{REGISTRY:-$HERE/registry}}
mkdir -p "$DATA" "$REGISTRY"
cwb-encode -c utf8 -x -s -B -d "$DATA" -f "$HERE"/{shlex.quote(vrt.name)} -R "$REGISTRY/{corpus_id}" \\
  {p_flags} \\
  {s_flags}
cwb-makeall -r "$REGISTRY" -V {corpus_id.upper()}
"""


def _cwb_registry(vrt: Path, corpus_id: str, attrs: list[tuple[str, str]], language: str,
                  corpus: Corpus) -> str:
    from framescope.corpus import __version__

    home = vrt.resolve().parent / f"{corpus_id}-cwb"
    lines = [
        "##",
        f"## registry entry for corpus {corpus_id.upper()}",
        f"## template written by framescope {__version__} for {vrt.name} (corpus {corpus.corpus_id}).",
        f"## {vrt.stem}.cwb-encode.sh encodes the corpus and writes this entry itself; to install",
        "## by hand, set HOME to the folder holding the encoded data and copy this file into",
        f"## the CWB registry folder under the name {corpus_id}.",
        "##",
        "",
        f'NAME "framescope corpus {corpus.corpus_id or corpus_id}"',
        f"ID   {corpus_id}",
        f"HOME {home}",
        f"INFO {home / '.info'}",
        "",
        '##:: charset  = "utf8"',
        f'##:: language = "{language}"',
        "",
        "##",
        "## p-attributes (token annotations): surface form, normalised form, stem",
        "##",
        "",
        "ATTRIBUTE word",
        *[f"ATTRIBUTE {p}" for p in VRT_PATTRS],
        "",
        "##",
        "## s-attributes (structural markup)",
        "##",
        "",
        "# <text " + " ".join(f'{a}=".."' for a, _ in attrs) + "> ... </text>",
        "# (no recursive embedding allowed)",
        "STRUCTURE text",
        *[f"STRUCTURE text_{a:<24} # [annotations]" for a, _ in attrs],
        "",
        "# <p " + " ".join(f'{a}=".."' for a in VRT_PARAGRAPH_ATTRS) + "> ... </p>",
        "STRUCTURE p",
        *[f"STRUCTURE p_{a:<27} # [annotations]" for a in VRT_PARAGRAPH_ATTRS],
        "",
        "# <s> ... </s>",
        "STRUCTURE s",
        "",
    ]
    return "\n".join(lines)


# --- quanteda / readtext ---------------------------------------------------------------------

def export_quanteda(corpus: Corpus, out: str | os.PathLike, include_duplicates: bool = True) -> ExportResult:
    """One CSV: ``doc_id``, ``text``, then every metadata column (docvars), UTF-8, dates ISO.

    ``readtext::readtext(FILE, text_field = "text", docid_field = "doc_id")`` then
    ``quanteda::corpus()`` read it; so does ``framescope build csv:FILE --map id=doc_id``.
    Missing values are empty fields.

    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    out : str or os.PathLike
        The CSV file to write.
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.
    """
    path = _file_target(out, "quanteda")
    corpus = _select(corpus, include_duplicates)
    docs = corpus.documents
    frame = metadata_frame(docs, ["doc_id", "text"] + metadata_columns(docs)[1:])
    with _atomic_file(path) as tmp:
        _write_csv(frame, tmp)
    sidecar = path.with_name(path.stem + ".export.json")
    info = _info(corpus, "quanteda", include_duplicates, len(docs),
                 columns=list(frame.columns), files=[path.name],
                 reimport={"sources": [f"csv:{path.name}"], "map": "id=doc_id"})
    _write_beside(sidecar, _json_text(info))
    return ExportResult("quanteda", path, [path, sidecar], len(docs), info)


# --- MALLET ----------------------------------------------------------------------------------

_FOLD = re.compile(r"\s+")


def mallet_label(value: Any) -> str:
    """Make a MALLET label: no white space (MALLET's default line regex splits on it).

    Parameters
    ----------
    value : object
        A metadata value.

    Returns
    -------
    str
        The label, ``NA`` if missing.
    """
    text = cell(value)
    return _FOLD.sub("_", text.strip()) if text and text.strip() else MISSING


def export_mallet(corpus: Corpus, out: str | os.PathLike, by: str = DEFAULT_BY,
                  include_duplicates: bool = True) -> ExportResult:
    """A folder with ``LANG.tsv`` (``id<TAB>label<TAB>text``) and ``LANG.stopwords.txt``.

    Each document contributes to the file of every language it has analysable segments
    in, with only those segments (a bilingual caption goes to its own language's file),
    so a topic model never mixes languages. The label is the value of ``by``. Text is
    normalised as for framescope's own tokens (:func:`framescope.corpus.text.normalize_text`; Arabic
    also :func:`framescope.corpus.text.normalize_arabic`, since MALLET's default token pattern
    ``\\p{L}[\\p{L}\\p{P}]*\\p{L}`` would split words at Arabic diacritics) and folded to one
    line. ``LANG.stopwords.txt`` is the ``stopwordsiso`` list in the same normalised form,
    for ``mallet import-file --stoplist-file``.

    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    out : str or os.PathLike
        The folder to write.
    by : str, default "source_type"
        The document column whose value labels each document.
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.
    """
    from framescope.analysis.token_options import TokenOptions
    from framescope.analysis.token_words import stopword_set

    _check_by(corpus, by)
    corpus = _select(corpus, include_duplicates)
    docs = corpus.documents
    labels = dict(zip(docs["doc_id"], (mallet_label(v) for v in docs[by])))
    lines: dict[str, list[str]] = {}
    for doc_id, segments in _analysable_by_document(corpus):
        parts: dict[str, list[str]] = {}
        for _, _, lang, text in segments:
            text = normalize_text(text)
            if lang == "ar":
                text = normalize_arabic(text)
            parts.setdefault(lang, []).append(text)
        for lang, texts in parts.items():
            folded = _FOLD.sub(" ", " ".join(texts)).strip()
            if folded:
                lines.setdefault(lang, []).append(f"{_FOLD.sub('_', doc_id)}\t{labels[doc_id]}\t{folded}")
    files: list[str] = []
    with _atomic_folder(out, "mallet") as tmp:
        names: set[str] = set()
        per_lang = {}
        for lang in sorted(lines):
            name = _unique(safe_name(lang), names)
            (tmp / f"{name}.tsv").write_text("\n".join(lines[lang]) + "\n", encoding="utf-8")
            files.append(f"{name}.tsv")
            stops = sorted(w for w in stopword_set(lang, TokenOptions()) if not _FOLD.search(w))
            if stops:
                (tmp / f"{name}.stopwords.txt").write_text("\n".join(stops) + "\n", encoding="utf-8")
                files.append(f"{name}.stopwords.txt")
            per_lang[lang] = len(lines[lang])
        info = _info(corpus, "mallet", include_duplicates, len(docs), by=by,
                     documents_by_lang=per_lang, files=files)
        _write_json(info, tmp / EXPORT_JSON)
    folder = Path(out)
    return ExportResult("mallet", folder, [folder / f for f in files] + [folder / EXPORT_JSON],
                        len(docs), info)


# --- plain text (AntConc) --------------------------------------------------------------------

#: metadata file in every folder of a txt export (framescope's text: loader reads it)
TXT_METADATA = "metadata.csv"


def export_txt(corpus: Corpus, out: str | os.PathLike, by: str = DEFAULT_BY,
               include_duplicates: bool = True) -> ExportResult:
    """One ``.txt`` per document (``documents.text``, UTF-8) in one folder per value of ``by``.

    File names come from ``doc_id`` (``seeds:000_…`` → ``seeds_000_….txt``), folder names
    from the value (``NA`` when missing), both reduced to letters, digits and ``. _ -`` and
    made unique. Each folder holds ``metadata.csv`` (``file`` = file name, then every
    metadata column) so that ``framescope build text:OUT/FOLDER`` reads the documents back
    with their metadata; ``OUT/metadata.csv`` lists all documents (``file`` = relative path).

    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    out : str or os.PathLike
        The folder to write.
    by : str, default "source_type"
        The document column whose values name the sub-folders.
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.
    """
    _check_by(corpus, by)
    corpus = _select(corpus, include_duplicates)
    docs = corpus.documents
    if "file" in docs.columns:
        raise FramescopeError("the corpus has a metadata column named 'file', which the txt "
                              "export needs for file names; rename it first")
    meta = metadata_frame(docs)
    values = [cell(v) for v in docs[by]]
    folders: dict[str | None, str] = {}
    taken: set[str] = set()
    # sorted values, missing last: the folder names do not depend on document order
    for value in sorted({v for v in values if v is not None}) + ([None] if None in values else []):
        folders[value] = _unique(safe_name(value), taken)
    file_names: list[str] = []
    per_folder: dict[str, set[str]] = {}
    for doc_id, value in zip(docs["doc_id"], values):
        folder = folders[value]
        name = _unique(safe_name(doc_id, max_length=150), per_folder.setdefault(folder, set()))
        file_names.append(f"{folder}/{name}.txt")
    with _atomic_folder(out, "txt") as tmp:
        for rel, text in zip(file_names, docs["text"]):
            target = tmp / rel
            target.parent.mkdir(exist_ok=True)
            target.write_text((text if isinstance(text, str) else "") + "\n", encoding="utf-8")
        full = meta.copy()
        full.insert(0, "file", file_names)
        _write_csv(full, tmp / TXT_METADATA)
        folder_of = pd.Series([r.split("/", 1)[0] for r in file_names], index=full.index)
        for folder in sorted(set(folder_of)):
            part = full[folder_of == folder].copy()
            part["file"] = [r.split("/", 1)[1] for r in part["file"]]
            _write_csv(part, tmp / folder / TXT_METADATA)
        folder_list = sorted(set(folder_of))
        info = _info(corpus, "txt", include_duplicates, len(docs), by=by,
                     folders={f: int((folder_of == f).sum()) for f in folder_list},
                     folder_values={folders[v]: v for v in folders},
                     reimport={"sources": [f"text:{f}" for f in folder_list]},
                     files=[TXT_METADATA, *(f"{f}/{TXT_METADATA}" for f in folder_list)],
                     text_files=len(file_names))
        _write_json(info, tmp / EXPORT_JSON)
    folder = Path(out)
    return ExportResult("txt", folder, [folder / f for f in [*info["files"], *file_names]]
                        + [folder / EXPORT_JSON], len(docs), info)


# --- parquet / csv ---------------------------------------------------------------------------

def export_tables(corpus: Corpus, out: str | os.PathLike, fmt: str = "parquet",
                  include_duplicates: bool = True) -> ExportResult:
    """Write ``documents`` and ``segments`` (all roles) as Parquet or CSV, with the manifest and rejects.

    Parquet keeps the store's types (``date`` as a date), so the folder is a corpus that
    :func:`framescope.corpus.store.load` reads; CSV is UTF-8 with ISO dates and empty
    fields for missing values, for pandas, polars, DuckDB or a spreadsheet.

    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    out : str or os.PathLike
        The folder to write.
    fmt : {'parquet', 'csv'}
        The table format.
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.
    """
    if fmt not in ("parquet", "csv"):
        raise FramescopeError(f"table format must be parquet or csv, not {fmt!r}")
    corpus = _select(corpus, include_duplicates)
    docs, segs = corpus.documents, corpus.segments
    names = [f"documents.{fmt}", f"segments.{fmt}", "manifest.json", "rejects.csv"]
    with _atomic_folder(out, fmt) as tmp:
        if fmt == "parquet":
            docs = docs.copy()
            if "date" in docs:
                # the store keeps a date (date32); load() reads it as datetime64
                docs["date"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in docs["date"]]
            write_parquet(docs, tmp / names[0])
            write_parquet(segs, tmp / names[1])
        else:
            _write_csv(metadata_frame(docs, list(docs.columns)), tmp / names[0])
            _write_csv(metadata_frame(segs, list(segs.columns)), tmp / names[1])
        _write_json(corpus.manifest, tmp / names[2])
        _write_csv(corpus.rejects, tmp / names[3])
        info = _info(corpus, fmt, include_duplicates, len(docs), segments=len(segs), files=names)
        _write_json(info, tmp / EXPORT_JSON)
    folder = Path(out)
    return ExportResult(fmt, folder, [folder / n for n in names] + [folder / EXPORT_JSON],
                        len(docs), info)


# --- one entry point -------------------------------------------------------------------------

def export(corpus: Corpus, fmt: str, out: str | os.PathLike, *, by: str | None = None,
           include_duplicates: bool = True, options=None) -> ExportResult:
    """Export ``corpus`` in format ``fmt`` (one of ``FORMATS``) to ``out``.

    ``out`` is a file for ``vrt`` and ``quanteda``, a folder otherwise. ``by`` (a document
    column; default ``source_type``) names the folders of ``txt`` and the labels of
    ``mallet``. ``options`` (TokenOptions) applies to ``vrt`` only.

    Parameters
    ----------
    corpus : Corpus
        The corpus to export.
    fmt : str
        ``vrt``, ``quanteda``, ``mallet``, ``txt``, ``parquet`` or ``csv``.
    out : str or os.PathLike
        A file for ``vrt`` and ``quanteda``, a folder otherwise.
    by : str, optional
        The document column naming the folders of ``txt`` and the labels of ``mallet``
        (default ``source_type``).
    include_duplicates : bool, default True
        Export documents whose ``duplicate_of`` is set too (an export is the corpus as stored).
    options : TokenOptions, optional
        Token options of the ``vrt`` export.

    Returns
    -------
    ExportResult
        The main path, every file written and the ``export.json`` content.

    Raises
    ------
    FramescopeError
        For an unknown format, or ``by`` / ``options`` given to a format that has none.
    """
    if fmt not in FORMATS:
        raise FramescopeError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")
    if by is not None and fmt not in BY_FORMATS:
        raise FramescopeError(f"--by applies to {' and '.join(BY_FORMATS)} exports, not {fmt}")
    if options is not None and fmt != "vrt":
        raise FramescopeError(f"token options apply to the vrt export, not {fmt}")
    if fmt == "vrt":
        return export_vrt(corpus, out, options, include_duplicates)
    if fmt == "quanteda":
        return export_quanteda(corpus, out, include_duplicates)
    if fmt == "mallet":
        return export_mallet(corpus, out, by or DEFAULT_BY, include_duplicates)
    if fmt == "txt":
        return export_txt(corpus, out, by or DEFAULT_BY, include_duplicates)
    return export_tables(corpus, out, fmt, include_duplicates)
