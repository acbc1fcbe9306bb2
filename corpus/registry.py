"""Outlet registry: outlet key → name, country, ownership, format, source_type, alignment.

The shipped registry (``corpus/data/outlets.csv``) covers the outlets of the shared
collections and the main wires, state media, NGOs and UN bodies. ``--registry FILE``
adds or overrides rows. A document's own metadata wins over the registry; outlets not
in the registry get ``source_type = 'unknown'`` and ``alignment = 'unknown'``.

Two independent dimensions describe an outlet: ``source_type`` (ownership and format)
and ``alignment`` (the owner's stance toward the Syrian government during the war:
``pro_damascus``, ``anti_damascus``, ``neutral``, ``mixed``, ``unknown``); the rule that
assigns it is in ``docs/groups.md``. A row without an alignment (registry files written
before the column existed) keeps the alignment of the row it overrides, else ``unknown``.
"""
from __future__ import annotations

import csv
import os
import re
from importlib import resources
from pathlib import Path

from framescope.corpus.errors import FramescopeError

REGISTRY_COLUMNS = ["outlet", "name", "country", "ownership", "format", "source_type", "alignment", "note"]
SOURCE_TYPES = {"state_media", "state_aligned", "partisan_media", "wire", "ngo", "igo",
                "government", "private_media", "unknown"}
ALIGNMENTS = {"pro_damascus", "anti_damascus", "neutral", "mixed", "unknown"}


def outlet_key(name: str | None) -> str | None:
    """Normalise an outlet name or domain to a registry key: 'Reuters' → 'reuters'.

    Parameters
    ----------
    name : str or None
        An outlet code, full name or domain.

    Returns
    -------
    str or None
        The key (None for a missing or empty name).
    """
    if name is None:
        return None
    key = str(name).strip().lower()
    key = re.sub(r"^https?://", "", key)
    key = re.sub(r"^www\.", "", key)
    key = re.sub(r"\s+", " ", key)
    return key or None


class Registry:
    """Outlet metadata keyed by outlet; also matches full names and domains.

    Parameters
    ----------
    rows : list of dict
        Registry rows (``outlet``, ``name``, ``source_type``, ``alignment``, ...); a later
        row for the same outlet replaces an earlier one.
    """

    def __init__(self, rows: list[dict[str, str]]):
        self.rows: dict[str, dict[str, str]] = {}
        self._aliases: dict[str, str] = {}
        for row in rows:
            self.add(row)

    def add(self, row: dict[str, str]) -> None:
        """Add or replace one outlet's row (a missing alignment keeps the earlier one).

        Parameters
        ----------
        row : dict
            ``outlet``, ``source_type`` and the other registry columns.
        """
        key = outlet_key(row.get("outlet"))
        if not key:
            raise FramescopeError(f"registry row without an outlet: {row}")
        st = (row.get("source_type") or "unknown").strip()
        if st not in SOURCE_TYPES:
            raise FramescopeError(f"registry row {key!r}: unknown source_type {st!r} "
                                  f"(one of {', '.join(sorted(SOURCE_TYPES))})")
        al = (row.get("alignment") or "").strip() or self.rows.get(key, {}).get("alignment") or "unknown"
        if al not in ALIGNMENTS:
            raise FramescopeError(f"registry row {key!r}: unknown alignment {al!r} "
                                  f"(one of {', '.join(sorted(ALIGNMENTS))})")
        clean = {c: (row.get(c) or "").strip() for c in REGISTRY_COLUMNS}
        clean["outlet"], clean["source_type"], clean["alignment"] = key, st, al
        self.rows[key] = clean
        self._aliases[key] = key
        if clean["name"]:
            self._aliases[outlet_key(clean["name"])] = key
            # "Syrian Arab News Agency (SANA)" is also known by what is in brackets
            for inner in re.findall(r"\(([^)]+)\)", clean["name"]):
                self._aliases.setdefault(outlet_key(inner), key)

    def resolve(self, outlet: str | None) -> str | None:
        """Find the registry key of an outlet code, full name or domain.

        Parameters
        ----------
        outlet : str or None
            ``'SANA'``, ``'Syrian Arab News Agency (SANA)'``, ``'www.reuters.com'``, ...

        Returns
        -------
        str or None
            The key, None if unknown.
        """
        key = outlet_key(outlet)
        if key is None:
            return None
        if key in self._aliases:
            return self._aliases[key]
        # domains: 'www.reuters.com' → 'reuters'
        host = key.split("/")[0]
        parts = host.split(".")
        for i in range(len(parts) - 1):
            cand = parts[i]
            if cand in self._aliases and cand not in {"com", "org", "net", "news"}:
                return self._aliases[cand]
        return None

    def lookup(self, outlet: str | None) -> dict[str, str] | None:
        """Return the registry row of an outlet (see :meth:`resolve`).

        Parameters
        ----------
        outlet : str or None
            An outlet code, full name or domain.

        Returns
        -------
        dict or None
            The row, None if unknown.
        """
        key = self.resolve(outlet)
        return self.rows.get(key) if key else None

    def __contains__(self, outlet: str) -> bool:
        return self.resolve(outlet) is not None

    def __len__(self) -> int:
        return len(self.rows)


def _read_rows(path: str | os.PathLike) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise FramescopeError(f"registry file not found: {p}")
    try:
        with open(p, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "outlet" not in reader.fieldnames:
                raise FramescopeError(f"registry file {p} has no 'outlet' column")
            return list(reader)
    except UnicodeDecodeError:
        raise FramescopeError(f"registry file {p} is not UTF-8") from None


def load_registry(extra: str | os.PathLike | None = None) -> Registry:
    """Load the shipped outlet registry, with rows from ``extra`` added or overriding.

    Parameters
    ----------
    extra : str or os.PathLike, optional
        A CSV of more outlets (``outlet``, ``name``, ``source_type``, ``alignment``, ...).

    Returns
    -------
    Registry
        The registry.

    Raises
    ------
    FramescopeError
        For a row without an outlet or with an unknown source type or alignment.
    """
    shipped = resources.files("framescope.corpus").joinpath("data/outlets.csv")
    with resources.as_file(shipped) as path:
        reg = Registry(_read_rows(path))
    if extra:
        for row in _read_rows(extra):
            reg.add(row)
    return reg
