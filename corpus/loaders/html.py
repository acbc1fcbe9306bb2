"""``html:DIR`` (or one .html file, or a file of URLs with ``fetch=1``) — web pages.

Main text comes from trafilatura (Barbaresi 2021) in precision mode: navigation,
cookie banners, related links, comments and footers are dropped; tables are kept (one
paragraph per row, cells joined by " | "). Image captions — ``<figcaption>``,
``<caption>`` and WordPress ``.wp-caption-text`` — are taken out of the page *before*
extraction (so they never end up in the body) and kept in ``RawDocument.captions``; the
text layer turns them into ``caption`` segments and splits bilingual ones by language.

Per page: title, date (the page's own metadata: ``article:published_time``, JSON-LD,
``<time>``, the URL; never a date guessed from the running text), author (kept as
extra ``author``), URL (``<link rel=canonical>``/``og:url``, else the fetched URL),
language hint (``<html lang>``) and outlet: the registry key of the URL's domain or of
the site name, else the site name, else the domain.

Encoding: the HTTP charset, a BOM or a ``<meta charset>`` decides; without one, UTF-8
is tried, then the encoding is detected with charset_normalizer and recorded as extra
``encoding`` with ``encoding_detected = True``; a page whose bytes fit no encoding
convincingly is a reject.

Rejects: a page with no main text, an undecodable page, an HTML file that cannot be
read, and (fetching) a URL that failed (HTTP status, robots.txt, timeout, size cap,
not HTML), a line that is not an http(s) URL, a URL listed twice.

Options:

- ``fetch=1`` — the spec is a file of URLs (one a line, ``#`` comments) or one URL;
  pages are fetched politely and cached (:mod:`framescope.corpus.loaders.http`: ``cache``,
  ``offline``, ``refresh``, ``timeout``, ``retries``, ``backoff``, ``max_wait``,
  ``rate`` (default 1 s per host), ``max_bytes``, ``contact``);
- ``outlet=KEY`` — outlet for every page (wins over the domain);
- ``collection=NAME`` — default: the folder or file name;
- ``favor=precision|balanced|recall`` — trafilatura's trade-off (default precision);
- ``registry=FILE`` — extra outlet registry rows.

Any option may be written ``html.KEY=VALUE`` to apply to this loader only. With
``fetch=1``, ``inputs()`` fetches (or reads from the cache) every page and returns the
URL list plus the cached answers, so that the manifest records what was fetched.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura

from framescope.corpus.errors import FramescopeError
from framescope.corpus.loaders.common import folder_files, read_input_bytes, require_path, sha256_bytes
from framescope.corpus.loaders.http import FetchError, Fetcher
from framescope.corpus.loaders.websupport import (hostname, opt_bool, opt_choice, opt_str,
                                       registry_from_options, resolve_outlet, scoped, short_id)
from framescope.corpus.records import RawDocument, Reject
from framescope.corpus.registry import Registry

CITATION = ("Web pages: cite each page's outlet, title, date and URL, and the date it was "
            "retrieved (extra column fetched_at).")

KIND = "html"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_DETECTION_CHAOS = 0.2  # charset_normalizer's mess ratio above which a guess is refused
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
# WHATWG: these labels mean windows-1252 in browsers; decoding as latin-1 garbles quotes.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


class PageError(ValueError):
    """A page that does not give a document; the message is the rejects reason."""


@dataclass
class Page:
    """The text and metadata extracted from one HTML page.

    Parameters
    ----------
    body : str
        The main text, one paragraph per line.
    title : str, optional
        The page's title.
    date : datetime.date, optional
        The page's own publication date (never guessed from the running text).
    author, url, sitename, lang : str, optional
        The page's own metadata.
    captions : list of str
        Image captions taken out before extraction.
    encoding : str, default "utf-8"
        The encoding the page was decoded with.
    encoding_detected : bool, default False
        True when the encoding was guessed rather than declared.
    """
    body: str
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None
    lang: str | None = None
    captions: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    encoding_detected: bool = False


# --- decoding ---------------------------------------------------------------------------

def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = _WHATWG_ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, bool]:
    """Decode an HTML page's bytes.

    Order: the HTTP charset, a BOM, ``<meta charset>`` in the first 4 KB (each used
    only if the bytes decode with it), strict UTF-8, then charset_normalizer's best
    guess when its mess ratio is at most 0.2.

    Parameters
    ----------
    data : bytes
        The page as served.
    declared : str, optional
        The HTTP charset.

    Returns
    -------
    tuple of (str, str, bool)
        ``(text, encoding, detected)``.

    Raises
    ------
    PageError
        When the page cannot be decoded.
    """
    if not data.strip():
        raise PageError("empty page")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", False
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16", False
        except UnicodeDecodeError:
            raise PageError("broken UTF-16 page") from None
    meta = _META_CHARSET.search(data[:4096])
    for label in (declared, meta.group(1).decode("ascii", "replace") if meta else None):
        codec = _codec(label)
        if codec:
            try:
                return data.decode(codec), codec, False
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to UTF-8 and detection
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None or best.chaos > MAX_DETECTION_CHAOS:
        guess = f" (best guess {best.encoding}, mess ratio {best.chaos:.2f})" if best else ""
        raise PageError("not UTF-8, no charset declared and the encoding could not be "
                        f"detected{guess}")
    return str(best), codecs.lookup(best.encoding).name, True


# --- extraction -------------------------------------------------------------------------

def _clean(text: str) -> str:
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _text_of(element) -> str:
    for br in element.iter("lb"):
        br.tail = "\n" + (br.tail or "")
    return _clean("".join(element.itertext()))


def _pull_captions(tree) -> list[str]:
    """Remove caption elements from the tree and return their texts, in page order."""
    found = tree.xpath("//figcaption | //caption | //*[contains(concat(' ', normalize-space(@class), ' '),"
                       " ' wp-caption-text ')]")
    inside = set(found)
    found = [e for e in found if not any(a in inside for a in e.iterancestors())]
    captions: list[str] = []
    for element in found:
        text = _clean(" ".join(element.itertext()))
        if text and text not in captions:
            captions.append(text)
    for element in found:
        if element.getparent() is not None:
            element.drop_tree()
    return captions


def _paragraphs(main) -> list[str]:
    paragraphs: list[str] = []
    for block in main:
        if not isinstance(block.tag, str) or block.tag == "graphic":
            continue
        if block.tag == "list":
            items = block.findall(".//item") or [block]
            paragraphs.extend(_text_of(item) for item in items)
        elif block.tag == "table":
            for row in block.iter("row"):
                cells = [_text_of(cell) for cell in row.iter("cell")]
                paragraphs.append(" | ".join(c for c in cells if c))
        else:
            paragraphs.append(_text_of(block))
    return [p for p in paragraphs if p]


def extract_page(data: bytes, *, url: str | None = None, charset: str | None = None,
                 favor: str = "precision") -> Page:
    """Extract the main text, captions and metadata of one HTML page (bytes as served).

    Parameters
    ----------
    data : bytes
        The page.
    url : str, optional
        The URL it was fetched from (a fallback for its canonical URL and date).
    charset : str, optional
        The HTTP charset.
    favor : {'precision', 'recall'}
        trafilatura's extraction mode.

    Returns
    -------
    Page
        The text and metadata.

    Raises
    ------
    PageError
        When no main text can be extracted.
    """
    text, encoding, detected = decode_html(data, charset)
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise PageError(f"unparsable HTML: {exc}") from None
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    captions = _pull_captions(tree)
    xml = trafilatura.extract(
        tree, url=url, output_format="xml", include_comments=False, include_tables=True,
        with_metadata=True, favor_precision=favor == "precision", favor_recall=favor == "recall",
        date_extraction_params={"extensive_search": False, "original_date": True})
    if not xml:
        raise PageError("no main text found")
    doc = lxml.etree.fromstring(xml.encode("utf-8"))
    main = doc.find("main")
    paragraphs = _paragraphs(main) if main is not None else []
    title = _clean(doc.get("title") or "") or None
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline repeated as the first block
    if not paragraphs:
        raise PageError("no main text found")
    date = None
    if doc.get("date"):
        try:
            date = dt.date.fromisoformat(doc.get("date")[:10])
        except ValueError:
            date = None
    return Page(body="\n\n".join(paragraphs), title=title, date=date,
                author=_clean(doc.get("author") or "") or None,
                url=doc.get("url") or url, sitename=doc.get("sitename") or None,
                lang=(lang or "").strip().lower()[:2] or None, captions=captions,
                encoding=encoding, encoding_detected=detected)


_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr",
                         "section", "article", "ul", "ol", "table", "pre", "dd", "dt", "figure",
                         "header", "footer", "address", "hr", "main", "aside", "dl"})
_ACTIVE_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "template")


def fragment_text(html: str) -> tuple[str, list[str]]:
    """Convert an HTML fragment (a ReliefWeb ``body-html``, an RSS entry) to text.

    Every block element (p, li, h1-h6, tr, blockquote...) becomes one paragraph, ``<br>``
    a line break, table cells are joined by " | "; captions are taken out as in pages;
    scripts, styles, forms and embedded objects are dropped unread.

    Parameters
    ----------
    html : str
        The fragment.

    Returns
    -------
    tuple of (str, list of str)
        ``(body, captions)``.
    """
    if not html or not html.strip():
        return "", []
    try:
        root = lxml.html.fragment_fromstring(_XML_DECL.sub("", html, count=1), create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return "", []
    captions = _pull_captions(root)
    for element in root.xpath(" | ".join(f".//{tag}" for tag in _ACTIVE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in ("td", "th"):
            element.tail = " | " + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    paragraphs = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", root.text_content()):
        chunk = re.sub(r"(?:\s*\|\s*)+$", "", _clean(chunk))
        if chunk:
            paragraphs.append(chunk)
    return "\n\n".join(paragraphs), captions


def page_document(page: Page, raw: bytes, *, collection: str, original_id: str, location: str,
                  registry: Registry, url: str | None = None, outlet: str | None = None,
                  fallback_date: dt.date | None = None, extra: dict | None = None) -> RawDocument:
    """Make a document from an extracted page (shared by html, warc, rss and gdelt).

    Parameters
    ----------
    page : Page
        The extracted page.
    raw : bytes
        The page as served (hashed into ``raw_sha256``).
    collection : str
        The collection name of the document.
    original_id : str
        The page's id in its source (file name, record id, URL).
    location : str
        Where the page was read.
    registry : Registry
        The outlet registry.
    url : str, optional
        The URL (default: the page's own).
    outlet : str, optional
        The outlet (default: from the URL's domain or the site name).
    fallback_date : datetime.date, optional
        The date when the page gives none (a feed's date, a WARC-Date).
    extra : dict, optional
        More metadata columns.

    Returns
    -------
    RawDocument
        The document.
    """
    url = url or page.url
    if not outlet:
        outlet = (resolve_outlet(registry, hostname(url), hostname(page.url), page.sitename)
                  or page.sitename or hostname(url) or hostname(page.url))
    meta = {"author": page.author, "encoding": page.encoding,
            "encoding_detected": page.encoding_detected}
    if page.url and url and page.url != url:
        meta["canonical_url"] = page.url
    meta.update(extra or {})
    return RawDocument(collection=collection, original_id=original_id, body=page.body,
                       title=page.title, outlet=outlet, date=page.date or fallback_date, url=url,
                       lang_hint=page.lang, captions=list(page.captions),
                       raw_sha256=sha256_bytes(raw), location=location, extra=meta)


def fetch_page(fetcher: Fetcher, url: str, *, favor: str = "precision"):
    """Fetch and extract one page.

    Parameters
    ----------
    fetcher : Fetcher
        The polite, cached HTTP client.
    url : str
        The page.
    favor : {'precision', 'recall'}
        trafilatura's extraction mode.

    Returns
    -------
    tuple of (Response, Page)
        The answer and the extracted page.

    Raises
    ------
    FetchError, PageError
        When the page does not arrive or gives no text.
    """
    response = fetcher.get(url, page=True)
    if not response.ok:
        raise FetchError(f"HTTP {response.status}", response.status, url)
    if response.content_type and response.content_type not in HTML_TYPES:
        raise PageError(f"not an HTML page ({response.content_type})")
    return response, extract_page(response.content, url=response.final_url,
                                  charset=response.charset, favor=favor)


# --- the loader -------------------------------------------------------------------------

def _settings(options: dict) -> dict:
    return {"favor": opt_choice(options, "favor", ("precision", "balanced", "recall"), "precision", KIND),
            "outlet": opt_str(options, "outlet"), "fetch": opt_bool(options, "fetch", False, KIND)}


def _is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


def _html_files(path: Path, refused: list | None = None) -> list[Path]:
    """The pages under ``path``; links leaving it, FIFOs etc. go to ``refused``."""
    if path.is_file():
        return [path]
    files, bad = folder_files(path, _is_html)
    if refused is not None:
        refused.extend(bad)
    return files


def _url_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FramescopeError(f"html: URL list {path} is not UTF-8 text") from None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield number, line


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read web pages into documents.

    Parameters
    ----------
    spec : str
        A folder of .html files, one file, or a file of URLs (with ``fetch=1``).
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per page, or a reject saying why it could not be read.
    """
    options = scoped(options, KIND)
    settings = _settings(options)
    registry = registry_from_options(options)
    if _is_url(spec):
        yield from _load_urls(spec, [(0, spec)], "html", settings, options, registry)
        return
    path = require_path(spec, "html")
    if path.is_file() and path.suffix.lower() not in HTML_SUFFIXES:
        if not settings["fetch"]:
            raise FramescopeError(f"html: {path} is not an .html file; a list of URLs needs "
                                  "--opt fetch=1")
        collection = opt_str(options, "collection", path.stem)
        yield from _load_urls(str(path), _url_lines(path), collection, settings, options, registry)
        return
    refused: list = []
    files = _html_files(path, refused)
    if not files and not refused:
        raise FramescopeError(f"html: no .html/.htm files in {path}")
    root = path if path.is_dir() else path.parent
    collection = opt_str(options, "collection", root.name)
    for location, reason in refused:
        yield Reject(collection, location, reason)
    for file in files:
        location = str(file)
        try:
            raw = read_input_bytes(file)
        except OSError as exc:
            yield Reject(collection, location, f"unreadable file: {exc.strerror or exc}")
            continue
        try:
            page = extract_page(raw, favor=settings["favor"])
        except PageError as exc:
            yield Reject(collection, location, str(exc))
            continue
        original_id = file.relative_to(root).with_suffix("").as_posix()
        yield page_document(page, raw, collection=collection, original_id=original_id,
                            location=location, registry=registry, outlet=settings["outlet"])


def _load_urls(source: str, lines, collection: str, settings: dict, options: dict,
               registry: Registry, fetcher: Fetcher | None = None,
               extract: bool = True) -> Iterator[RawDocument | Reject]:
    fetcher = fetcher or Fetcher.from_options(options, KIND, rate=1.0)
    seen: dict[str, str] = {}
    for number, url in lines:
        location = f"{source}:{number}" if number else url
        if not _is_url(url):
            yield Reject(collection, location, f"not an http(s) URL: {url[:200]}")
            continue
        if url in seen:
            yield Reject(collection, location, f"duplicate URL (first at {seen[url]})")
            continue
        seen[url] = location
        if not extract:
            try:
                fetcher.get(url, page=True)  # only to fill the cache
            except FetchError:
                pass
            continue
        try:
            response, page = fetch_page(fetcher, url, favor=settings["favor"])
        except (FetchError, PageError) as exc:
            yield Reject(collection, location, f"{url[:200]}: {exc}")
            continue
        yield page_document(page, response.content, collection=collection,
                            original_id=short_id(url), location=location, registry=registry,
                            url=response.final_url, outlet=settings["outlet"],
                            extra={"requested_url": url, "fetched_at": response.fetched_at})


def inputs(spec: str, options: dict) -> list[Path]:
    """List the pages read: the .html files, or the URL list and the cached fetched pages.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        A folder of .html files, one file, or a file of URLs (with ``fetch=1``).
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    options = scoped(options, KIND)
    if not _is_url(spec):
        path = require_path(spec, KIND)
        if not (path.is_file() and path.suffix.lower() not in HTML_SUFFIXES):
            return _html_files(path)
    settings = _settings(options)
    if not settings["fetch"] and not _is_url(spec):
        raise FramescopeError(f"html: {spec} is not an .html file; a list of URLs needs --opt fetch=1")
    fetcher = Fetcher.from_options(options, KIND, rate=1.0)
    lines = [(0, spec)] if _is_url(spec) else list(_url_lines(Path(spec)))
    for _ in _load_urls(spec, lines, KIND, settings, options, registry_from_options(options), fetcher, extract=False):
        pass
    return ([] if _is_url(spec) else [Path(spec)]) + fetcher.used
