"""Citations for a paper: the software, and each data set a corpus was built from.

``framescope cite DIR`` (or :func:`cite`) prints, in plain text or BibTeX:

* the software citation, from ``CITATION.cff`` at the project root (Citation File
  Format 1.2.0; the package metadata when the file is absent, as in an installed wheel),
  with the framescope version and ``corpus_id`` the corpus was built with;
* for each source in the corpus manifest (``sources[].loader``), the citation its loader
  module declares (``CITATION``, plain text; ``BIBTEX``, BibTeX entries). A loader without
  one (``text:``, ``csv:``, ``jsonl:``) reads the user's own files: their names are listed
  and the user is told to cite their origin.

Only framescope's own loader modules (:data:`framescope.corpus.loaders.LOADERS`) are imported, whatever
a manifest names.
"""
from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framescope.corpus.errors import FramescopeError
from framescope.corpus.paths import PROJECT_ROOT

__all__ = ["CFF_PATH", "SourceCitation", "software_metadata", "software_citation",
           "source_citations", "format_citations", "cite"]

CFF_PATH = PROJECT_ROOT / "CITATION.cff"
#: Input files listed by name for a source without a citation; the rest are counted.
MAX_LISTED_INPUTS = 20
FORMATS = ("text", "bibtex")


@dataclass
class SourceCitation:
    """One source of a corpus and what to cite for it.

    Parameters
    ----------
    source : str
        ``KIND:SPEC`` as given to ``framescope build``.
    loader : str
        The loader module recorded in the manifest.
    citation : str or None
        Plain-text citation, None when the loader declares none.
    bibtex : str or None
        BibTeX entries, None when the loader declares none.
    inputs : list of str
        Input file names.
    """

    source: str                 # KIND:SPEC as given to ``framescope build``
    loader: str                 # loader module recorded in the manifest
    citation: str | None        # plain-text citation, None when the loader declares none
    bibtex: str | None          # BibTeX entries, None when the loader declares none
    inputs: list[str] = field(default_factory=list)  # input file names


def software_metadata(path: str | os.PathLike = CFF_PATH) -> dict[str, Any]:
    """Read ``CITATION.cff`` as a dict; without the file, the installed package's metadata.

    Parameters
    ----------
    path : str or os.PathLike
        The CITATION.cff file (default: the repository's).

    Returns
    -------
    dict
        ``title``, ``version``, ``authors``, ``date-released``, ... as in CITATION.cff.
    """
    import yaml

    path = Path(path)
    if path.is_file():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise FramescopeError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict) or not data.get("title"):
            raise FramescopeError(f"{path}: not a citation file (no title)")
        return data
    from importlib import metadata

    from framescope.corpus import __version__

    try:
        meta = metadata.metadata("framescope")
        author = meta.get("Author") or "framescope developers"
        return {"title": f"framescope: {meta.get('Summary') or ''}".rstrip(": "),
                "version": meta.get("Version") or __version__,
                "authors": [{"name": author}], "license": meta.get("License")}
    except metadata.PackageNotFoundError:
        return {"title": "framescope", "version": __version__,
                "authors": [{"name": "framescope developers"}]}


def _year(meta: dict) -> str | None:
    released = meta.get("date-released")
    return str(released)[:4] if released else None


def _authors_text(authors: list[dict]) -> str:
    """APA style: 'Family, G. G., Other, A., & Last, B.'; entities by name."""
    names = []
    for a in authors or []:
        if a.get("family-names"):
            initials = " ".join(f"{p[0]}." for p in str(a.get("given-names", "")).split() if p)
            particle = f"{a['name-particle']} " if a.get("name-particle") else ""
            names.append(f"{particle}{a['family-names']}, {initials}".rstrip(", "))
        elif a.get("name"):
            names.append(str(a["name"]))
    if len(names) <= 1:
        return "".join(names) or "Anonymous"
    return ", ".join(names[:-1]) + ", & " + names[-1]


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}~^\\])")


def _bibtex_escape(text: str) -> str:
    def repl(m):
        ch = m.group(1)
        return {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}.get(ch, "\\" + ch)
    return _BIBTEX_SPECIAL.sub(repl, text)


def _authors_bibtex(authors: list[dict]) -> str:
    names = []
    for a in authors or []:
        if a.get("family-names"):
            family = " ".join(x for x in (a.get("name-particle"), a["family-names"]) if x)
            given = a.get("given-names")
            names.append(_bibtex_escape(f"{family}, {given}" if given else family))
        elif a.get("name"):
            names.append("{" + _bibtex_escape(str(a["name"])) + "}")  # an entity: no first/last split
    return " and ".join(names)


def software_citation(fmt: str = "text", meta: dict | None = None) -> str:
    """Cite the software: APA-like text, or a BibTeX ``@misc`` entry.

    Parameters
    ----------
    fmt : {'text', 'bibtex'}
        Plain text (APA-like) or BibTeX.
    meta : dict, optional
        The software metadata (default :func:`software_metadata`).

    Returns
    -------
    str
        The citation.
    """
    meta = meta or software_metadata()
    version = meta.get("version")
    year = _year(meta)
    link = f"https://doi.org/{meta['doi']}" if meta.get("doi") else (meta.get("repository-code") or meta.get("url"))
    if fmt == "bibtex":
        fields = [("author", _authors_bibtex(meta.get("authors", []))),
                  ("title", "{" + _bibtex_escape(str(meta["title"])) + "}"),
                  ("year", year), ("version", version),
                  ("note", _bibtex_escape("Computer software"
                                          + (f", version {version}" if version else "")
                                          + (f". Licence: {meta['license']}" if meta.get("license") else ""))),
                  ("doi", meta.get("doi")),
                  ("url", None if meta.get("doi") else link)]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
        return f"@misc{{framescope,\n{body}\n}}"
    parts = [f"{_authors_text(meta.get('authors', []))} ({year or 'n.d.'}). {meta['title']}"]
    if version:
        parts[0] += f" (Version {version})"
    parts[0] += " [Computer software]."
    if link:
        parts.append(str(link))
    if meta.get("license"):
        parts.append(f"Licence: {meta['license']}.")
    return " ".join(parts)


def source_citations(manifest: dict) -> list[SourceCitation]:
    """List what to cite for each source recorded in a corpus manifest, in build order.

    Parameters
    ----------
    manifest : dict
        A corpus's ``manifest.json``.

    Returns
    -------
    list of SourceCitation
        One per source.
    """
    from framescope.corpus.loaders import LOADERS

    known = {module for module, _ in LOADERS.values()}
    out = []
    for src in manifest.get("sources") or []:
        loader = str(src.get("loader") or "")
        # a manifest is data: import only framescope's own loader modules
        module = importlib.import_module(loader) if loader in known else None
        inputs = [str(i.get("name") or Path(str(i.get("path", ""))).name)
                  for i in src.get("inputs") or []]
        out.append(SourceCitation(f"{src.get('kind')}:{src.get('spec')}", loader,
                                  getattr(module, "CITATION", None), getattr(module, "BIBTEX", None),
                                  inputs))
    return out


def _input_list(inputs: list[str]) -> str:
    listed = ", ".join(inputs[:MAX_LISTED_INPUTS])
    more = len(inputs) - MAX_LISTED_INPUTS
    return listed + (f" and {more} more (see manifest.json)" if more > 0 else "") if inputs else "(none recorded)"


def _uncited_note(src: SourceCitation) -> str:
    how = "" if src.loader else " (no loader recorded)"
    return (f"no citation is known for this source{how}: cite the origin of its input "
            f"files yourself: {_input_list(src.inputs)}")


def format_citations(manifest: dict, fmt: str = "text", meta: dict | None = None) -> str:
    """Format the software and data-source citations for a corpus manifest.

    Parameters
    ----------
    manifest : dict
        A corpus's ``manifest.json``.
    fmt : {'text', 'bibtex'}
        Plain text (APA-like) or BibTeX.
    meta : dict, optional
        The software metadata (default :func:`software_metadata`).

    Returns
    -------
    str
        The citations, with a note for sources whose loader declares none.
    """
    if fmt not in FORMATS:
        raise FramescopeError(f"citation format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    sources = source_citations(manifest)
    built = (f"Corpus {manifest.get('corpus_id')} was built with framescope "
             f"{manifest.get('framescope_version', '?')}, text layer {manifest.get('text_layer_version', '?')}.")
    if fmt == "bibtex":
        blocks = [f"@comment{{{_bibtex_escape(built)}}}", software_citation("bibtex", meta)]
        seen: set[str] = set()
        for n, src in enumerate(sources, start=1):
            if src.bibtex:
                entry = src.bibtex.strip()
            elif src.citation:
                entry = (f"@misc{{{re.sub(r'[^a-z0-9]+', '', src.source.split(':')[0].lower()) or 'source'}{n},\n"
                         f"  note = {{{_bibtex_escape(src.citation)}}}\n}}")
            else:
                entry = "@comment{" + _bibtex_escape(f"{src.source}: {_uncited_note(src)}") + "}"
            if entry not in seen:  # two sources from one data set: cite it once
                seen.add(entry)
                blocks.append(entry)
        return "\n\n".join(blocks)
    lines = ["Software", f"  {software_citation('text', meta)}", f"  {built}", ""]
    if not sources:
        lines.append("Data: no sources are recorded in this corpus's manifest.")
        return "\n".join(lines)
    lines.append(f"Data ({len(sources)} source{'s' if len(sources) != 1 else ''})")
    for n, src in enumerate(sources, start=1):
        lines.append(f"  [{n}] {src.source}  (loader {src.loader or 'unknown'})")
        lines.append(f"      {src.citation if src.citation else _uncited_note(src)}")
    return "\n".join(lines)


def cite(folder: str | os.PathLike, fmt: str = "text") -> str:
    """Cite the corpus in ``folder`` (see :func:`format_citations`).

    Parameters
    ----------
    folder : str or os.PathLike
        The corpus folder.
    fmt : {'text', 'bibtex'}
        Plain text (APA-like) or BibTeX.

    Returns
    -------
    str
        The citations.
    """
    import framescope.corpus as corpus_pkg

    return format_citations(corpus_pkg.load(folder).manifest, fmt)
