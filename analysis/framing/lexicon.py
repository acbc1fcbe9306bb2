"""The shipped framing lexicons (``analysis/data/framing_*``) and user replacements.

Every lexicon is a plain YAML or CSV file that users may copy, edit and pass back
(``lexicon=PATH`` in Python, ``--*-lexicon FILE`` on the command line). Shipped files are
read with :mod:`importlib.resources`, so they work from an installed wheel:

* ``framing_casualties.yaml`` — outcome words, victims, qualifiers, places, attribution
  and agency cues (claims, agency);
* ``framing_sources.csv`` — attribution source → class (claims);
* ``framing_actors.csv`` — actor labels (actors, marker targets, agents);
* ``framing_markers.csv`` — distancing and evaluation markers (markers).

Arabic entries are written as usual; they are matched through
:func:`framescope.corpus.text.normalize_arabic` like the text.
"""
from __future__ import annotations

import functools
import io
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from framescope.corpus.errors import FramescopeError

#: The shipped casualty lexicon (outcome words, victims, qualifiers; YAML).
CASUALTIES = "framing_casualties.yaml"
#: The shipped lexicon of attribution sources (columns source, lang, class, case_sensitive, note).
SOURCES = "framing_sources.csv"
#: The shipped actor lexicon (columns actor, label, lang, pattern, case_sensitive, note).
ACTORS = "framing_actors.csv"
#: The shipped lexicon of distancing and evaluation markers.
MARKERS = "framing_markers.csv"


def shipped_path(name: str):
    """A shipped lexicon file.

    Parameters
    ----------
    name : str
        File name in ``framescope.analysis/data`` (e.g. :data:`ACTORS`).

    Returns
    -------
    importlib.resources.abc.Traversable
        Readable and copyable (``read_text``), also from a wheel.
    """
    return resources.files("framescope.analysis").joinpath("data").joinpath(name)


def _read_text(name: str, path: str | Path | None) -> tuple[str, str]:
    """(text, where) of a user file if given, else of the shipped file ``name``."""
    if path is None:
        return shipped_path(name).read_text(encoding="utf-8"), f"shipped {name}"
    p = Path(path)
    if not p.is_file():
        raise FramescopeError(f"lexicon file not found: {p}")
    try:
        return p.read_text(encoding="utf-8-sig"), str(p)
    except UnicodeDecodeError:
        raise FramescopeError(f"lexicon {p} is not UTF-8 text") from None


@functools.lru_cache(maxsize=16)
def load_yaml(name: str, path: str | None = None) -> dict:
    """A YAML lexicon (user file or shipped), checked.

    Parameters
    ----------
    name : str
        The shipped file's name.
    path : str, optional
        A user file replacing it (UTF-8).

    Returns
    -------
    dict
        The mapping.

    Raises
    ------
    FramescopeError
        A missing or unreadable file, bad YAML, not a mapping, or a list entry that is not
        text (YAML reads bare on/off/yes/no as booleans).
    """
    text, where = _read_text(name, path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FramescopeError(f"cannot parse lexicon {where}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise FramescopeError(f"lexicon {where} must be a YAML mapping")
    _check_strings(data, where)
    return data


def _check_strings(node, where: str, path: str = "") -> None:
    """Every list entry must be text: YAML reads bare on/off/yes/no as booleans."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_strings(value, where, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, bool) or value is None:
                raise FramescopeError(f"lexicon {where}: entry {value!r} under {path} is not text; "
                                      f"quote it (YAML reads bare on/off/yes/no as true/false)")


def load_csv(name: str, path: str | None, required: list[str]) -> pd.DataFrame:
    """A CSV lexicon with its ``required`` columns checked.

    Parameters
    ----------
    name : str
        The shipped file's name.
    path : str, optional
        A user file replacing it (UTF-8).
    required : list of str
        Columns that must exist and be non-empty on every row (stripped).

    Returns
    -------
    pandas.DataFrame
        The rows as strings, ``case_sensitive`` as bool (False when the column is absent).

    Raises
    ------
    FramescopeError
        A missing or unreadable file, a missing column or an empty required field (naming
        the lines).
    """
    text, where = _read_text(name, None if path is None else str(path))
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # pandas raises several types for malformed CSV
        raise FramescopeError(f"cannot parse lexicon {where}: {exc}") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise FramescopeError(f"lexicon {where} lacks column(s) {', '.join(missing)}")
    if "case_sensitive" in df:
        df["case_sensitive"] = df["case_sensitive"].str.strip().str.lower().isin(["true", "1", "yes"])
    else:
        df["case_sensitive"] = False
    for col in required:
        df[col] = df[col].str.strip()
    empty = df[required].eq("").any(axis=1)
    if empty.any():
        rows = ", ".join(str(i + 2) for i in df.index[empty][:5])
        raise FramescopeError(f"lexicon {where}: empty required field on line(s) {rows}")
    return df.reset_index(drop=True)


def casualty_lexicon(path: str | Path | None = None) -> dict:
    """The casualty lexicon (``framing_casualties.yaml`` or a user file), checked.

    Parameters
    ----------
    path : path, optional
        A YAML file replacing the shipped one.

    Returns
    -------
    dict
        Sections outcomes, victims, qualifiers, attribution_cues, agency, ... each
        ``{en: [...], ar: [...]}``.

    Raises
    ------
    FramescopeError
        A bad file or a missing section.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md``.
    """
    data = load_yaml(CASUALTIES, None if path is None else str(path))
    for key in ("outcomes", "victims", "qualifiers", "attribution_cues", "agency"):
        if key not in data:
            raise FramescopeError(f"casualty lexicon lacks the section {key!r}")
    return data


def words(section: dict | None, lang: str) -> list[str]:
    """A language's list from a ``{en: [...], ar: [...]}`` section.

    Parameters
    ----------
    section : dict or None
        The lexicon section.
    lang : str
        'en' or 'ar'.

    Returns
    -------
    list of str
        The words ([] if the section or language is absent).
    """
    if not section:
        return []
    return [str(w) for w in (section.get(lang) or [])]
