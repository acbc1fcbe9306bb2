"""Small corpora written in the tests for the statistics modules (Corpus.from_frames)."""
from __future__ import annotations

import pandas as pd

from framescope.corpus.store import Corpus


def make_corpus(rows: list[tuple], docs_meta: dict[str, dict] | None = None) -> Corpus:
    """``rows``: (doc_id, role, lang, text) in document order; ``docs_meta``: doc_id → metadata."""
    seg_rows, seen = [], {}
    for doc_id, role, lang, text in rows:
        seg = seen.get(doc_id, 0)
        seen[doc_id] = seg + 1
        seg_rows.append({"doc_id": doc_id, "seg": seg, "role": role, "lang": lang, "text": text})
    meta = docs_meta or {}
    doc_rows = [{"doc_id": d, **meta.get(d, {})} for d in seen]
    return Corpus.from_frames(pd.DataFrame(doc_rows), pd.DataFrame(seg_rows))


def two_group_corpus() -> Corpus:
    """state_media (s1, s2) vs wire (w1, w2); one Arabic caption; one duplicate; boilerplate."""
    rows = [
        ("s1", "title", "en", "Terrorists attack Aleppo"),
        ("s1", "body", "en", "Terrorists shelled Aleppo. The army responded."),
        ("s1", "boilerplate", "en", "Subscribe to our newsletter"),
        ("s1", "caption", "ar", "غارات التحالف على الرقة"),
        ("s2", "body", "en", "Terrorists fired rockets. Civilians killed."),
        ("w1", "body", "en", "Rebels shelled Aleppo. Civilians killed in Aleppo."),
        ("w2", "body", "en", "Rebels attack army. Monitor said civilians killed."),
        ("w3", "body", "en", "Rebels shelled Aleppo. Civilians killed in Aleppo."),
    ]
    meta = {"s1": {"source_type": "state_media", "outlet": "sana"},
            "s2": {"source_type": "state_media", "outlet": "sana"},
            "w1": {"source_type": "wire", "outlet": "reuters"},
            "w2": {"source_type": "wire", "outlet": "reuters"},
            "w3": {"source_type": "wire", "outlet": "reuters", "duplicate_of": "w1"}}
    return make_corpus(rows, meta)


#: (doc_id, outlet, date, duplicate_of, text) of :func:`dated_corpus`; the running words
#: (group sizes' tokens) are counted by hand in the comments.
DATED_ROWS = [
    ("a1", "was", "2015-08-10", None, "Six civilians were killed in Hama."),                      # 6
    ("a2", "was", "2015-08-11", None, "Rebels shelled Aleppo and ten people were killed."),      # 8
    ("p1", "okaz", "2015-08-10", None, "Twenty civilians were killed in Idlib, the monitor said."),  # 9
    ("p2", "okaz", "2015-08-11", None, "The coalition struck Raqqa on Monday."),                # 6
    ("p3", "okaz", "2015-08-20", None, "Five soldiers were killed near Homs."),                 # 6
    ("p4", "okaz", "2015-08-20", "p3", "Five soldiers were killed near Homs."),                 # duplicate
    ("p5", "okaz", None, None, "Talks resumed in Geneva."),                                     # 4, undated
    ("p6", "okaz", "2015-08-12", None, "Aid reached Douma."),                                   # 3
]


def dated_corpus() -> Corpus:
    """A state agency (``was``: 2 documents on 10 and 11 August 2015) against the press
    (``okaz``: 6 documents over 10–20 August, one a duplicate, one undated).

    Group sizes by hand (running words, duplicates left out):

    ============  ==================  ====================  =====================
    match_dates   was                 okaz                  left out
    ============  ==================  ====================  =====================
    False         2 docs, 14 words    5 docs, 28 words      p4 (duplicate)
    "day"         2 docs, 14 words    2 docs, 15 words      + p5 (undated), p3, p6
    "week"        2 docs, 14 words    3 docs, 18 words      + p5 (undated), p3
    ============  ==================  ====================  =====================
    """
    rows = [(d, "body", "en", text) for d, _, _, _, text in DATED_ROWS]
    meta = {d: {"outlet": outlet, "source_type": "state_media" if outlet == "was" else "state_aligned",
                "alignment": "anti_damascus", "collection": "test", "lang": "en",
                "date": pd.Timestamp(date) if date else pd.NaT, "duplicate_of": dup}
            for d, outlet, date, dup, _ in DATED_ROWS}
    corpus = make_corpus(rows, meta)
    corpus.documents["date"] = pd.to_datetime(corpus.documents["date"])
    return corpus
