"""Event matching: documents grouped into the events they report.

A difference between groups of outlets mixes *how* they frame with *what* they chose to
cover. Matching documents to events lets the framing measures be compared inside each
event (:mod:`framescope.analysis.event_compare`). An event here is a place, a short date window and
a story: documents are linked when

* they name the same place (a shipped gazetteer of Syrian and Iraqi governorates, cities,
  districts and neighbourhoods, English and Arabic spellings and transliteration variants,
  :func:`gazetteer`; a document's place is the governorate it names most, headline
  mentions counting ``EventConfig.title_weight`` times),
* their dates lie within ``EventConfig.window_days`` of each other (undated and
  unplaced documents are left out and counted), and
* their texts are similar (TF-IDF cosine, average link over the event's documents, at
  least ``EventConfig.similarity``) or they claim the same casualty number (from
  :func:`framescope.analysis.framing.claims`, numbers of at least ``EventConfig.min_number``).

Documents are taken in date order and each joins the best-linked open event of its place
or starts a new one (average linkage, so a story cannot chain across weeks). The result is
deterministic: ties go to the earlier event and documents are ordered by (date, doc_id).

References
----------
Allan, J. (ed.) (2002). *Topic Detection and Tracking: Event-based Information
Organization*. Kluwer.
Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification* 2, 193–218.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy import sparse

from framescope.corpus.errors import FramescopeError
from framescope.corpus.text import normalize_arabic

#: Columns of ``EventResult.events``.
EVENT_COLUMNS = ["event_id", "place", "place_name", "country", "date_start", "date_end",
                 "n_docs", "n_outlets", "n_groups", "outlets", "groups", "doc_ids"]
#: Columns of ``EventResult.assignments`` (the document → event table).
ASSIGNMENT_COLUMNS = ["doc_id", "event_id", "place", "date", "outlet", "group", "link",
                      "similarity"]
#: Columns of :func:`event_agreement`.
AGREEMENT_COLUMNS = ["n_docs", "n_pairs_reference", "n_pairs_predicted", "true_pairs",
                     "precision", "recall", "f1", "ari"]

_TOKEN = re.compile(r"[a-z0-9]+|[\u0621-\u064a\u0660-\u0669\u066e-\u06d3]+")
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʿʾ`´"), None)


@dataclass(frozen=True)
class EventConfig:
    """Parameters of :func:`events` (all recorded in the result's ``meta``).

    Parameters
    ----------
    window_days : int
        Two documents can share an event when their dates differ by at most this many
        days; an event spans at most twice this.
    similarity : float
        Least average TF-IDF cosine between a document and an event's documents.
    use_numbers : bool
        Also link documents that claim the same casualty number (needs ``claims``).
    min_number : int
        Smallest casualty number that links two documents (small numbers are common).
    title_weight : int
        A place named in the headline counts this many times.
    merge_places : tuple of (str, str)
        Places counted as one for matching. Outlets write "Damascus" for its countryside
        (Eastern Ghouta, Douma), so Rif Dimashq is matched with Damascus by default.
    by : str
        Document column naming each document's group (``alignment`` by default; falls back
        to ``source_type`` when the corpus has no such column).
    include_duplicates : bool
        Keep documents marked as duplicates (left out by default, as in every analysis).
    """

    window_days: int = 2
    similarity: float = 0.1
    use_numbers: bool = True
    min_number: int = 5
    title_weight: int = 3
    merge_places: tuple = (("rif_dimashq", "damascus"),)
    by: str = "alignment"
    include_duplicates: bool = False

    def __post_init__(self):
        if self.window_days < 0:
            raise FramescopeError(f"window_days must be 0 or more, not {self.window_days}")
        if not 0.0 <= self.similarity <= 1.0:
            raise FramescopeError(f"similarity must be between 0 and 1, not {self.similarity}")
        if self.min_number < 1 or self.title_weight < 1:
            raise FramescopeError("min_number and title_weight must be at least 1")


@dataclass
class EventResult:
    """What :func:`events` returns: the events, the document → event table and the meta.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event: :data:`EVENT_COLUMNS` (docs/columns.md).
    assignments : pandas.DataFrame
        One row per matched document: :data:`ASSIGNMENT_COLUMNS`.
    meta : dict
        The configuration, the group column and the counts of documents left out.
    """

    events: pd.DataFrame
    assignments: pd.DataFrame
    meta: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- gazetteer
def fold(text: str) -> list[str]:
    """Tokens for place matching: lower case, accents and apostrophes gone, Arabic normalised.

    ``Deir ez-Zor``, ``Deir Ezzor`` and ``DEIR EZ ZOR`` fold to tokens that the gazetteer's
    variants list; ``Ma'arat al-Nu'man`` folds to ``maarat al numan``.

    Parameters
    ----------
    text : str
        Any text (English or Arabic).

    Returns
    -------
    list of str
        The folded tokens.
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or "\u0600" <= ch <= "\u06ff")
    text = normalize_arabic(unicodedata.normalize("NFC", text)).lower()
    return _TOKEN.findall(text)


@lru_cache(maxsize=4)
def gazetteer(path: str | None = None) -> pd.DataFrame:
    """The place gazetteer: one row per (alias, place).

    Columns: ``place`` (slug of the place), ``name``, ``governorate``, ``country`` (ISO
    3166 alpha-2), ``kind``, ``alias`` (as written), ``lang``, ``key`` (folded tokens,
    space-joined). The shipped file is ``analysis/data/gazetteer.csv``: the 14 Syrian and
    19 Iraqi governorates with their cities, districts and neighbourhoods as aliases; words
    that are also common nouns (Arabic العلم "the flag", English "Hit") are left out.
    """
    if path is None:
        src = resources.files("framescope.analysis").joinpath("data/gazetteer.csv")
        with src.open("r", encoding="utf-8") as fh:
            table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    else:
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as exc:
            raise FramescopeError(f"cannot read gazetteer {path}: {exc}") from None
    need = {"place", "name", "governorate", "country", "kind", "en", "ar"}
    if missing := need - set(table.columns):
        raise FramescopeError(f"gazetteer {path} lacks columns {sorted(missing)}")
    rows = []
    for rec in table.itertuples(index=False):
        for lang in ("en", "ar"):
            for alias in str(getattr(rec, lang)).split(";"):
                key = " ".join(fold(alias))
                if key:
                    rows.append((rec.place, rec.name, rec.governorate, rec.country, rec.kind,
                                 alias.strip(), lang, key))
    out = pd.DataFrame(rows, columns=["place", "name", "governorate", "country", "kind",
                                      "alias", "lang", "key"])
    clash = out.groupby("key")["governorate"].nunique()
    if (clash > 1).any():
        raise FramescopeError("gazetteer aliases name two governorates: "
                              + ", ".join(clash[clash > 1].index[:5]))
    return out.drop_duplicates(["key", "governorate"]).reset_index(drop=True)


@lru_cache(maxsize=4)
def _alias_index(path: str | None) -> tuple[dict, int]:
    gaz = gazetteer(path)
    index = {tuple(k.split()): g for k, g in zip(gaz["key"], gaz["governorate"])}
    vocab = frozenset(t for k in index for t in k)
    return index, max(len(k) for k in index), vocab


def find_places(text: str, gazetteer_path: str | None = None) -> list[tuple[int, str]]:
    """Governorates named in ``text``, as (token position, governorate), longest match first.

    Arabic words may carry a proclitic (و ف ب ل ك, and لل for ل + ال): ``بحلب`` and
    ``وللرقة`` name Aleppo and Raqqa. The scan is linear in the text (at most a few
    dictionary look-ups per token).

    Parameters
    ----------
    text : str
        The text to scan.
    gazetteer_path : str, optional
        A gazetteer CSV replacing the shipped one (:func:`gazetteer`).

    Returns
    -------
    list of tuple (int, str)
        ``(token position, governorate)`` of every place named, in text order.
    """
    index, longest, vocab = _alias_index(gazetteer_path)
    # FA-KES strips apostrophes ("Aleppos"): a possessive s is dropped when that names a place
    toks = [t[:-1] if t.endswith("s") and t not in vocab and t[:-1] in vocab else t
            for t in fold(text)]
    found, i = [], 0
    while i < len(toks):
        hit = None
        for n in range(min(longest, len(toks) - i), 0, -1):
            for first in _first_token_forms(toks[i]):
                gov = index.get((first, *toks[i + 1:i + n]))
                if gov is not None:
                    hit = (n, gov)
                    break
            if hit:
                break
        if hit:
            found.append((i, hit[1]))
            i += hit[0]
        else:
            i += 1
    return found


def _first_token_forms(tok: str) -> tuple[str, ...]:
    """The token and, for Arabic, the token without its proclitics.

    A conjunction (و ف) may precede a preposition (ب ل ك); ل before the article contracts
    to لل (وللرقة = و + ل + الرقة). At least three letters must remain.
    """
    if not ("\u0621" <= tok[0] <= "\u064a"):
        return (tok,)
    forms = [tok]
    for conj in ("", "و", "ف"):
        if conj and not tok.startswith(conj):
            continue
        rest = tok[len(conj):]
        if conj and len(rest) >= 3:
            forms.append(rest)
        if rest.startswith("لل") and len(rest) > 4:
            forms.append("ال" + rest[2:])
        elif rest[:1] in ("ب", "ل", "ك") and len(rest) - 1 >= 3:
            forms.append(rest[1:])
    return tuple(dict.fromkeys(forms))


def locate_documents(documents: pd.DataFrame, config: EventConfig | None = None,
                     gazetteer_path: str | None = None) -> pd.DataFrame:
    """Find each document's place: the governorate it names most.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``title`` and ``text`` of each document.
    config : EventConfig, optional
        ``title_weight`` and ``merge_places`` are used.
    gazetteer_path : str, optional
        A gazetteer CSV replacing the shipped one.

    Returns
    -------
    pandas.DataFrame
        One row per document: ``doc_id``, ``place`` (governorate slug after
        ``EventConfig.merge_places``, null when no place is named), ``mentions`` (weighted
        count of the winning place), ``places`` (every governorate named, ``;``-joined,
        most named first). Ties go to the place named first.
    """
    config = config or EventConfig()
    merge = dict(config.merge_places)
    rows = []
    for doc_id, title, text in zip(documents["doc_id"], documents["title"].fillna(""),
                                   documents["text"].fillna("")):
        score: dict[str, int] = {}
        first: dict[str, int] = {}
        pos = 0
        for weight, part in ((config.title_weight, title), (1, text)):
            for at, gov in find_places(part, gazetteer_path):
                gov = merge.get(gov, gov)
                score[gov] = score.get(gov, 0) + weight
                first.setdefault(gov, pos + at)
            pos += 1_000_000
        ranked = sorted(score, key=lambda g: (-score[g], first[g]))
        rows.append((doc_id, ranked[0] if ranked else None,
                     score[ranked[0]] if ranked else 0, ";".join(ranked)))
    return pd.DataFrame(rows, columns=["doc_id", "place", "mentions", "places"])


# --------------------------------------------------------------------------- similarity
def tfidf_matrix(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smooth idf) of folded tokens.

    Tokens of at least three letters that are not stopwords (stopwords-iso, English and
    Arabic) and not numbers; deterministic vocabulary order.

    Parameters
    ----------
    texts : list of str
        One text per row.

    Returns
    -------
    scipy.sparse.csr_matrix
        Documents × terms, each row of unit length (an all-zero row for an empty text).
    """
    stop = _stopwords()
    docs = [[t for t in fold(x) if len(t) >= 3 and not t.isdigit() and t not in stop] for x in texts]
    vocab: dict[str, int] = {}
    indptr, indices, values = [0], [], []
    for toks in docs:
        counts: dict[int, int] = {}
        for t in toks:
            j = vocab.setdefault(t, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        for j in sorted(counts):
            indices.append(j)
            values.append(1.0 + math.log(counts[j]))
        indptr.append(len(indices))
    m = sparse.csr_matrix((np.asarray(values, float), np.asarray(indices, np.int64),
                           np.asarray(indptr, np.int64)), shape=(len(docs), max(len(vocab), 1)))
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    m = m.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m


@lru_cache(maxsize=1)
def _stopwords() -> frozenset:
    import stopwordsiso

    words = set(stopwordsiso.stopwords("en")) | set(stopwordsiso.stopwords("ar"))
    return frozenset(t for w in words for t in fold(w))


# --------------------------------------------------------------------------- clustering
def events(corpus, config: EventConfig | None = None, claims: pd.DataFrame | None = None,
           gazetteer_path: str | None = None) -> EventResult:
    """Group a corpus's documents into events (place × date window × story).

    Parameters
    ----------
    corpus : corpus.Corpus
        A built corpus (``documents`` with ``doc_id``, ``date``, ``title``, ``text``,
        ``outlet`` and the grouping column).
    config : EventConfig, optional
        Window, similarity threshold, number linking, grouping; defaults as documented.
    claims : pandas.DataFrame, optional
        Output of :func:`framescope.analysis.framing.claims` (``doc_id``, ``number``). When given and
        ``config.use_numbers``, documents claiming the same casualty number are linked.
    gazetteer_path : str, optional
        A gazetteer CSV with the shipped file's columns, instead of the shipped one.

    Returns
    -------
    EventResult
        ``events`` (:data:`EVENT_COLUMNS`: one row per event, with its place, date span,
        documents, outlets and groups), ``assignments`` (:data:`ASSIGNMENT_COLUMNS`: one row
        per matched document; ``link`` says how it joined: ``first``, ``similarity`` or
        ``number``), ``meta`` (the configuration, counts of the documents left out
        undated, unplaced or duplicate, and the corpus_id).
    """
    config = config or EventConfig()
    docs = corpus.documents
    if not config.include_duplicates and "duplicate_of" in docs:
        n_dup = int(docs["duplicate_of"].notna().sum())
        docs = docs[docs["duplicate_of"].isna()]
    else:
        n_dup = 0
    by = config.by if config.by in docs.columns else "source_type"
    if by not in docs.columns:
        raise FramescopeError(f"no column {config.by!r} to group documents by; available: "
                              + ", ".join(map(str, docs.columns)))
    dated = docs[docs["date"].notna()]
    placed = locate_documents(dated, config, gazetteer_path)
    table = dated[["doc_id", "date", "outlet", by, "title", "text"]].rename(columns={by: "group"})
    table = table.merge(placed[["doc_id", "place"]], on="doc_id")
    table = table[table["place"].notna()].copy()
    table["date"] = pd.to_datetime(table["date"]).dt.normalize()
    table["group"] = table["group"].fillna("unknown").astype(str)
    table = table.sort_values(["date", "doc_id"], kind="mergesort").reset_index(drop=True)

    numbers = _numbers_by_doc(claims, config) if config.use_numbers and claims is not None else {}
    rows: list[tuple] = []
    for place, block in table.groupby("place", sort=True):
        rows.extend(_cluster_block(place, block, numbers, config))
    assign = pd.DataFrame(rows, columns=["doc_id", "local", "place", "date", "outlet", "group",
                                         "link", "similarity"])
    assign, ev = _name_events(assign, gazetteer_path)
    meta = {"config": asdict(config), "group_column": by, "corpus_id": corpus.corpus_id,
            "documents": int(len(corpus.documents)), "left_out_duplicates": n_dup,
            "left_out_undated": int(len(docs) - len(dated)),
            "left_out_unplaced": int(len(dated) - len(table)),
            "matched_documents": int(len(assign)), "events": int(len(ev)),
            "events_with_two_or_more_outlets": int((ev["n_outlets"] >= 2).sum()),
            "numbers_used": bool(numbers)}
    assign.attrs.update(meta)
    ev.attrs.update(meta)
    return EventResult(ev, assign, meta)


def _numbers_by_doc(claims: pd.DataFrame, config: EventConfig) -> dict[str, frozenset]:
    if not {"doc_id", "number"} <= set(claims.columns):
        raise FramescopeError("claims table needs columns doc_id and number")
    nums = claims[["doc_id", "number"]].dropna()
    nums = nums[nums["number"].astype("int64") >= config.min_number]
    return {d: frozenset(g.astype("int64")) for d, g in nums.groupby("doc_id")["number"]}


def _cluster_block(place: str, block: pd.DataFrame, numbers: dict, config: EventConfig):
    """Greedy average-link clustering of one place's documents in date order."""
    vecs = tfidf_matrix((block["title"].fillna("") + "\n" + block["text"].fillna("")).tolist())
    sims = (vecs @ vecs.T).toarray()
    days = (block["date"].values.astype("datetime64[D]").astype(np.int64))
    ids = block["doc_id"].tolist()
    members: list[list[int]] = []
    out = []
    for i in range(len(block)):
        best, best_score, how = None, -1.0, "first"
        for e, mem in enumerate(members):
            span_lo = days[mem].min()
            if days[i] - days[mem].max() > config.window_days or days[i] - span_lo > 2 * config.window_days:
                continue
            close = [m for m in mem if abs(days[i] - days[m]) <= config.window_days]
            score = float(sims[i, mem].mean())
            shared = bool(numbers.get(ids[i])) and any(
                numbers.get(ids[i], frozenset()) & numbers.get(ids[m], frozenset()) for m in close)
            if score >= config.similarity or shared:
                if score > best_score:
                    best, best_score = e, score
                    how = "similarity" if score >= config.similarity else "number"
        if best is None:
            members.append([i])
            best, best_score = len(members) - 1, 1.0
        else:
            members[best].append(i)
        out.append((ids[i], best, place, block["date"].iat[i], block["outlet"].iat[i],
                    block["group"].iat[i], how, round(best_score, 6)))
    return out


def _name_events(assign: pd.DataFrame, gazetteer_path: str | None):
    gaz = gazetteer(gazetteer_path).drop_duplicates("governorate").set_index("governorate")
    if assign.empty:
        return (assign.drop(columns="local").reindex(columns=ASSIGNMENT_COLUMNS),
                pd.DataFrame(columns=EVENT_COLUMNS))
    key = assign.groupby(["place", "local"]).agg(start=("date", "min"), first=("doc_id", "min"))
    key = key.sort_values(["start", "place", "first"]).reset_index()
    width = max(4, len(str(len(key))))
    key["event_id"] = [f"E{n:0{width}d}" for n in range(1, len(key) + 1)]
    assign = assign.merge(key[["place", "local", "event_id"]], on=["place", "local"])
    assign = assign.drop(columns="local").sort_values(["event_id", "date", "doc_id"]).reset_index(drop=True)
    assign = assign[ASSIGNMENT_COLUMNS]
    g = assign.groupby("event_id", sort=True)
    ev = pd.DataFrame({
        "place": g["place"].first(),
        "date_start": g["date"].min(), "date_end": g["date"].max(),
        "n_docs": g.size(), "n_outlets": g["outlet"].nunique(), "n_groups": g["group"].nunique(),
        "outlets": g["outlet"].agg(lambda s: ";".join(sorted(set(map(str, s))))),
        "groups": g["group"].agg(lambda s: ";".join(sorted(set(s)))),
        "doc_ids": g["doc_id"].agg(";".join),
    }).reset_index()
    ev["place_name"] = ev["place"].map(gaz["name"])
    ev["country"] = ev["place"].map(gaz["country"])
    return assign, ev[EVENT_COLUMNS]


# --------------------------------------------------------------------------- validation
def event_agreement(assignments: pd.DataFrame, reference: pd.Series) -> pd.DataFrame:
    """Pairwise precision, recall, F1 and adjusted Rand index against a reference coding.

    Parameters
    ----------
    assignments : pandas.DataFrame
        ``doc_id`` and ``event_id`` (documents missing from it count as singletons).
    reference : pandas.Series
        Reference event label per document, indexed by ``doc_id`` (e.g. FA-KES's
        ``location`` and ``date`` joined); documents with a null label are left out.

    Returns
    -------
    pandas.DataFrame
        One row, :data:`AGREEMENT_COLUMNS`. A pair of documents is *true* when both the
        clustering and the reference put it in one event; precision = true pairs /
        predicted pairs, recall = true pairs / reference pairs (Hubert & Arabie 1985
        for the ARI).
    """
    ref = reference.dropna()
    ref = ref[~ref.index.duplicated()]
    pred = assignments.set_index("doc_id")["event_id"].reindex(ref.index)
    # unmatched documents are singletons: give each its own label
    pred = pred.astype(object).where(pred.notna(), "single:" + pred.index.to_series().astype(str))
    cont = pd.crosstab(ref.values, pred.values)

    def pairs(x) -> float:
        x = np.asarray(x, dtype=float)
        return float((x * (x - 1) / 2).sum())

    n = len(ref)
    tp, a, b = pairs(cont.values.ravel()), pairs(cont.sum(axis=1)), pairs(cont.sum(axis=0))
    total = n * (n - 1) / 2
    expected = a * b / total if total else 0.0
    top = (a + b) / 2 - expected
    ari = (tp - expected) / top if top else float("nan")
    precision = tp / b if b else float("nan")
    recall = tp / a if a else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else float("nan")
    return pd.DataFrame([[n, int(a), int(b), int(tp), precision, recall, f1, ari]],
                        columns=AGREEMENT_COLUMNS)


def fakes_reference(documents: pd.DataFrame) -> pd.Series:
    """Read FA-KES's own event coding: ``location|date`` per FA-KES document.

    Parameters
    ----------
    documents : pandas.DataFrame
        The corpus's documents (``collection``, ``location``, ``date``).

    Returns
    -------
    pandas.Series
        ``location|YYYY-MM-DD`` indexed by ``doc_id``, for the dated FA-KES documents with a
        location (others left out); name ``"reference"``.
    """
    if "location" not in documents.columns:
        raise FramescopeError("documents have no 'location' column (is FA-KES in the corpus?)")
    docs = documents[(documents["collection"] == "fakes") & documents["location"].notna()
                     & documents["date"].notna()]
    label = docs["location"].astype(str).str.lower() + "|" + pd.to_datetime(docs["date"]).dt.strftime("%Y-%m-%d")
    return pd.Series(label.values, index=docs["doc_id"].values, name="reference")
