"""Casualty claims: who says how many people were killed, injured or went missing, where.

One row per numeric claim. The rules run on one sentence (plus its neighbours for the
attribution) and use only the shipped, editable lexicons ``framing_casualties.yaml`` and
``framing_sources.csv``; no model is downloaded.

How a claim is found (token rules; see :mod:`framescope.analysis.framing.spans`):

1. every numeric expression (:func:`framescope.analysis.framing.numbers.find_amounts`): digits,
   English/Arabic number words, ranges, vague amounts ("dozens", "عشرات"), Arabic dual
   nouns (طفلين = 2 children);
2. the number counts people when it is followed (over at most three modifiers, or
   "من"/"of") by a victim noun ("62 civilians", "20 من المدنيين") or an outcome noun
   ("20 dead", "20 قتيلا", "1,100 civilian deaths"), and it is not followed by a unit
   ("24 hours", "34,502 strikes");
3. its outcome comes from, in this order: the outcome noun after it; an outcome word in
   front of it over a few allowed words ("killing at least 20", "the death toll rose to
   45", "مقتل 20", "ارتفعت حصيلة القتلى إلى 45"); an outcome word behind the victim noun
   that is passive or intransitive ("six civilians were killed", "62 civilians killed
   in", "لقي 20 شخصا مصرعهم"). Two outcomes joined by and/or ("killing and wounding",
   "القتلى والجرحى") and words like "casualties" give the outcome ``casualties``;
4. the qualifier is the lexicon phrase right in front of the number ("at least", "ما لا
   يقل عن", "more than", "over", "nearly", "up to") or "at least"/"على الأقل" behind it;
5. the place is a gazetteer-free guess (:func:`find_place`);
6. the attribution is a speech cue with a known source around it (:func:`find_attributions`)
   in the same sentence (a named source first, then the cue nearest the number), else in
   the next sentence of the same segment when it reports no other figure or restates
   this one, else in the previous sentence when it restates this figure
   (:func:`~framescope.analysis.framing.claims_attribution.same_event`); pronoun speakers ("it said") take the class of the previous
   sentence's source; a headline ending in its source ("... in Raqa - Monitor") counts.
   ``attribution_scope`` says which. No coreference beyond one sentence back.

Number columns: ``number`` is the figure as written; ``number_min``/``number_max`` the
bounds the wording implies: exact N → N, N; "at least"/"more than" N → N, null ("more
than" is an exclusive bound, the qualifier says so); "up to"/"nearly" N → null, N;
"about" N → null, null; a range "20 to 30" → null number, 20, 30; a vague amount → all
null with ``qualifier = 'vague'`` and the words in ``amount_text``.
"""
from __future__ import annotations

import pandas as pd

from framescope.analysis.framing import lexicon as lx
from framescope.analysis.framing.claims_attribution import attribute_claims, find_attributions
from framescope.analysis.framing.claims_compare import COMPARISON_COLUMNS, claims_comparison, read_reference
from framescope.analysis.framing.claims_outcomes import find_counts
from framescope.analysis.framing.claims_places import find_place, place_candidates
from framescope.analysis.framing.claims_rules import (ATTRIBUTION_CLASSES, OUTCOMES, QUALIFIERS, Attribution, Claim,
                                           ClaimRules, rules_for)
from framescope.analysis.framing.spans import scan

__all__ = ["claims", "claims_warnings", "WARNING_COLUMNS", "find_claims", "claims_comparison", "read_reference", "rules_for", "find_attributions",
           "find_place", "Claim", "Attribution", "ClaimRules", "CLAIM_COLUMNS", "COMPARISON_COLUMNS",
           "ATTRIBUTION_CLASSES", "OUTCOMES", "QUALIFIERS"]

#: The columns of :func:`claims`, in order (one row per casualty claim; see docs/claims.md).
CLAIM_COLUMNS = [
    "doc_id",             # document
    "seg",                # segment number in the document
    "role",               # title, body or caption
    "lang",               # segment language
    "sentence_id",        # sentence number within the document (0-based)
    "sentence",           # the sentence (normalised text)
    "claim_text",         # the words of the claim: qualifier, number, victim ("at least 1,139 civilians")
    "number",             # figure as written (Int64), null for ranges and vague amounts
    "number_min",         # lower bound implied by the wording (Int64) or null
    "number_max",         # upper bound implied by the wording (Int64) or null
    "qualifier",          # exact, at least, more than, about, nearly, up to, range, vague
    "amount_text",        # the numeric expression as written ("1,139", "dozens", "خمسة وعشرين")
    "victim",             # civilians, children, women, elderly, people, fighters, soldiers, police, journalists, aid_workers, or null
    "outcome",            # killed, injured, missing, casualties
    "place",              # heuristic place name or null
    "attribution_class",  # military, government, state_media, ngo, un, medical_local, local_sources, media, other, unattributed
    "attribution_text",   # the words that credit the claim, or null
    "attribution_scope",  # sentence, next, previous, pronoun (resolved from the previous sentence), none
    "subset_of",          # claim_text of the total this claim is part of ("including four children"), or null
]


def find_claims(sentence: str, lang: str = "en", prev: str | None = None,
                next: str | None = None, rules: ClaimRules | None = None,
                attribute: bool = True) -> list[Claim]:
    """Casualty claims in one sentence; ``prev``/``next`` are its neighbours (attribution).

    Parameters
    ----------
    sentence : str
        One sentence (normalised text).
    lang : str
        'ar' reads Arabic, anything else English.
    prev, next : str, optional
        The neighbouring sentences of the same segment, for the attribution.
    rules : ClaimRules, optional
        Compiled lexicons (:func:`rules_for`); default the shipped ones for ``lang``.
    attribute : bool
        False skips places and attribution.

    Returns
    -------
    list of Claim
        In text order; :meth:`Claim.as_row` gives the claim columns.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md``.

    >>> [c.as_row()["number"] for c in find_claims("Six civilians were killed in Hama.")]
    [6]
    """
    rules = rules or rules_for(lang)
    toks = scan(sentence)
    found = find_counts(toks, sentence, rules)
    if not found or not attribute:
        return found
    places = place_candidates(toks, rules)
    for c in found:
        c.place = find_place(toks, c.start, c.end, rules, places)
    attribute_claims(found, toks, sentence, prev, next, rules)
    return found


# --- corpus level -----------------------------------------------------------------------------

#: Columns of :func:`claims_warnings`: one row per document whose claims could not be read.
WARNING_COLUMNS = ["doc_id", "seg", "sentence_id", "error"]


def claims(corpus, casualty_lexicon=None, source_lexicon=None,
           include_duplicates: bool = False) -> pd.DataFrame:
    """One row per casualty claim in the corpus (columns: :data:`CLAIM_COLUMNS`).

    Parameters
    ----------
    corpus : framescope.corpus.store.Corpus
        The corpus (title, body and caption segments are read; never boilerplate).
    casualty_lexicon, source_lexicon : path, optional
        Files replacing the shipped ``framing_casualties.yaml`` / ``framing_sources.csv``.
    include_duplicates : bool
        Keep documents marked as duplicates (left out by default).

    Returns
    -------
    pandas.DataFrame
        :data:`CLAIM_COLUMNS`, one row per claim in document and sentence order.
        ``attrs``: corpus_id, the lexicons, and ``warnings``: a list of
        :data:`WARNING_COLUMNS` dicts, one per document whose extraction raised an
        error (its claims are left out, every other document's are kept; read them
        with :func:`claims_warnings`).

    Notes
    -----
    Sentence by sentence (:func:`framescope.analysis.token_sentences.split_sentences`); a sentence's neighbours
    for the attribution are the sentences of the same segment. English rules apply to
    every non-Arabic segment. A bad lexicon is an error for the whole call, before any
    document is read.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md``.
    """
    from framescope.analysis.framing.groupstats import iter_segment_sentences

    cas = None if casualty_lexicon is None else str(casualty_lexicon)
    src = None if source_lexicon is None else str(source_lexicon)
    rules = {key: rules_for(key, cas, src) for key in ("en", "ar")}  # lexicon errors stop here
    by_doc: dict[str, list[dict]] = {}
    warnings: dict[str, dict] = {}
    for doc_id, seg, role, lang, sents in iter_segment_sentences(corpus, include_duplicates):
        if doc_id in warnings:
            continue
        texts = [s for _, s in sents]
        doc_rows = by_doc.setdefault(doc_id, [])
        sent = None
        try:
            for k, (sent, sentence) in enumerate(sents):
                found = find_claims(sentence, lang, texts[k - 1] if k > 0 else None,
                                    texts[k + 1] if k + 1 < len(texts) else None,
                                    rules["ar" if lang == "ar" else "en"])
                for c in found:
                    doc_rows.append({"doc_id": doc_id, "seg": seg, "role": role, "lang": lang,
                                     "sentence_id": sent, "sentence": sentence, **c.as_row()})
        except Exception as exc:  # one bad document must not cost the others their claims
            warnings[doc_id] = {"doc_id": doc_id, "seg": int(seg), "sentence_id": sent,
                                "error": f"{type(exc).__name__}: {exc}"}
            by_doc.pop(doc_id, None)
    rows = [r for doc_rows in by_doc.values() for r in doc_rows]
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    for col in ("number", "number_min", "number_max"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    for col in ("seg", "sentence_id"):
        out[col] = out[col].astype("int64")
    out.attrs.update({"corpus_id": corpus.corpus_id,
                      "casualty_lexicon": cas or f"shipped {lx.CASUALTIES}",
                      "source_lexicon": src or f"shipped {lx.SOURCES}",
                      "warnings": list(warnings.values())})
    return out


def claims_warnings(table: pd.DataFrame) -> pd.DataFrame:
    """The documents :func:`claims` could not read (columns :data:`WARNING_COLUMNS`).

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`claims` result.

    Returns
    -------
    pandas.DataFrame
        doc_id, seg (the segment being read), sentence_id (the sentence, or null) and
        error (exception type and message); empty when every document was read.

    References
    ----------
    The rules and their measured quality: ``docs/claims.md`` and ``docs/claims_precision.md``.
    """
    return pd.DataFrame(table.attrs.get("warnings") or [], columns=WARNING_COLUMNS)
