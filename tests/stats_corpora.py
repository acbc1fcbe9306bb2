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
