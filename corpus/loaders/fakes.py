"""``fakes:FILE`` — the FA-KES CSV (Abu Salem et al. 2019).

Latin-1 as published; ``date`` is m/d/Y; ``source`` is the outlet key; ``labels`` is kept
as ``fakes_label`` (1 = credible, 0 = fake, checked against the VDC) and ``location`` and
``unit_id`` are kept. Most bodies open with a dateline and repeat the headline
("Wed 05 Apr 2017 <title>. <body>"): the dateline goes to the ``dateline`` column and
the repeated headline becomes the title segment, so neither is counted twice.
Rows sharing a ``unit_id`` with an earlier row are rejects (the data set has 9 such ids).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from framescope.corpus.loaders.common import DecodeError, decode_bytes, parse_date, require_path
from framescope.corpus.loaders.tabular import iter_csv_records
from framescope.corpus.records import RawDocument, Reject

COLLECTION = "fakes"
CITATION = ("Abu Salem, F. K., Al Feel, R., Elbassuoni, S., Jaber, M., & Farah, M. (2019). "
            "FA-KES: A Fake News Dataset around the Syrian War. Proceedings of the International "
            "AAAI Conference on Web and Social Media, 13(01), 573-582. doi:10.1609/icwsm.v13i01.3254. "
            "Data: doi:10.5281/zenodo.2607278. Licence: CC BY 4.0.")
BIBTEX = """@inproceedings{abusalem2019fakes,
  author = {Abu Salem, Fatima K. and Al Feel, Roaa and Elbassuoni, Shady and Jaber, Mohamad and Farah, May},
  title = {{FA-KES}: A Fake News Dataset around the {Syrian} War},
  booktitle = {Proceedings of the International AAAI Conference on Web and Social Media},
  volume = {13},
  number = {1},
  pages = {573--582},
  year = {2019},
  doi = {10.1609/icwsm.v13i01.3254}
}

@misc{abusalem2019fakesdata,
  author = {Abu Salem, Fatima K. and Al Feel, Roaa and Elbassuoni, Shady and Jaber, Mohamad and Farah, May},
  title = {{FA-KES}: A Fake News Dataset around the {Syrian} War},
  howpublished = {Zenodo},
  year = {2019},
  doi = {10.5281/zenodo.2607278},
  note = {Data set. Licence: CC BY 4.0}
}"""
REQUIRED = ("unit_id", "article_title", "article_content", "source", "date")

_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^\s*(?:{_WEEKDAY}\s+)?(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
    rf"(?:\s*,?\s*(?:at\s+)?\d{{1,2}}:?\d{{2}}(?:\s*(?:GMT|UTC|am|pm|AM|PM))?)?\s+")


def _words_key(text: str) -> list[str]:
    return re.sub(r"[\W_]+", " ", text.lower()).split()


def split_dateline_and_title(content: str, title: str) -> tuple[str | None, str]:
    """Split FA-KES's opening dateline and repeated headline off an article's body.

    Parameters
    ----------
    content : str
        The article's body as published ("Wed 05 Apr 2017 <title>. <body>").
    title : str
        The article's title.

    Returns
    -------
    tuple of (str or None, str)
        ``("Wed 05 Apr 2017", "<title>\\n<body>")`` when the body opens that way, else
        ``(None, content)`` with the headline left as it is.
    """
    dateline = None
    m = _DATELINE.match(content)
    rest = content
    if m:
        dateline = m.group(0).strip()
        rest = content[m.end():]
    want = _words_key(title)
    if want:
        # find where the first len(want) words of rest end
        words = list(re.finditer(r"[^\W_]+", rest))
        if len(words) >= len(want) and [w.group(0).lower() for w in words[:len(want)]] == want:
            end = words[len(want) - 1].end()
            head, tail = rest[:end], rest[end:].lstrip(" .:-")
            return dateline, f"{head}\n{tail}"
    return dateline, rest


def load(spec: str, options: dict) -> Iterator[RawDocument | Reject]:
    """Read the FA-KES CSV into documents.

    Parameters
    ----------
    spec : str
        FA-KES-Dataset.csv.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Yields
    ------
    RawDocument or Reject
        One document per article (row), or a reject saying why it could not be read.
    """
    path = require_path(spec, "fakes", "file")
    data = path.read_bytes()
    try:
        # the published CSV is called latin-1, but its bytes are ASCII plus UTF-8 encoded
        # U+FFFD: read as latin-1 those become "ï¿½" tokens. Strict UTF-8 first, then latin-1.
        text, _ = decode_bytes(data, options.get("encoding"))
    except DecodeError as exc:
        yield Reject(COLLECTION, str(path), str(exc))
        return
    seen: dict[str, tuple[str, str]] = {}
    for item in iter_csv_records(text, COLLECTION, path):
        if isinstance(item, Reject):
            yield item
            continue
        loc, row, digest = item
        if loc == "header":
            missing = [c for c in REQUIRED if c not in row["columns"]]
            if missing:
                yield Reject(COLLECTION, str(path), f"not a FA-KES file: missing column(s) {', '.join(missing)}")
                return
            continue
        uid = row["unit_id"].strip()
        if not uid:
            yield Reject(COLLECTION, loc, "empty unit_id")
            continue
        if uid in seen:
            first_loc, first_digest = seen[uid]
            how = "identical row" if first_digest == digest else "different content"
            yield Reject(COLLECTION, loc, f"duplicate id {uid} ({how}; first at {first_loc})")
            continue
        seen[uid] = (loc, digest)
        content = row["article_content"].strip()
        if not content:
            yield Reject(COLLECTION, loc, "empty text")
            continue
        try:
            date = parse_date(row["date"], "%m/%d/%Y")
        except ValueError:
            yield Reject(COLLECTION, loc, f"unparsable date {row['date']!r}")
            continue
        title = row["article_title"].strip() or None
        dateline, body = split_dateline_and_title(content, title or "")
        yield RawDocument(
            collection=COLLECTION, original_id=uid, body=body, title=title,
            outlet=row["source"].strip() or None, date=date, lang_hint="en",
            raw_sha256=digest, location=loc,
            extra={"fakes_label": row.get("labels"), "location": row.get("location"),
                   "unit_id": uid, "dateline": dateline})


def inputs(spec: str, options: dict) -> list[Path]:
    """List the local files the ``fakes`` source reads.

    The build records their checksums in the manifest.

    Parameters
    ----------
    spec : str
        FA-KES-Dataset.csv.
    options : dict
        Loader options (module docstring); ``--opt key=value`` on the command line.

    Returns
    -------
    list of pathlib.Path
        The files, in reading order.
    """
    return [require_path(spec, "fakes", "file")]
