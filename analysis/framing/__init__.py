"""Framing measures: casualty claims, actor labels, distancing markers, agency of killing.

* :mod:`framescope.analysis.framing.claims`  — :func:`claims` (one row per casualty claim with number,
  qualifier, victim, outcome, place and attribution), :func:`claims_comparison`; its stages
  live in ``claims_rules`` (lexicons, shared types), ``claims_outcomes`` (numbers that count
  people, victims, outcomes, subsets), ``claims_places``, ``claims_attribution``,
  ``claims_compare``; ``claims_eval`` scores it against an annotated file (docs/claims.md);
* :mod:`framescope.analysis.framing.actors`  — :func:`actors` (label rates and shares by group),
  :func:`actor_mentions` / :func:`actor_kwic` (the KWIC lines behind each count);
* :mod:`framescope.analysis.framing.markers` — :func:`markers`, :func:`marker_mentions`, :func:`marker_kwic`;
* :mod:`framescope.analysis.framing.agency`  — :func:`agency` (agent / by-phrase / agentless shares by
  group), :func:`agency_sentences`;
* :mod:`framescope.analysis.framing.numbers` — :func:`parse_number`, :func:`find_amounts`.

The four corpus-level functions ``claims``, ``actors``, ``markers`` and ``agency`` are
*not* re-exported here, because each has the name of its submodule:
``import framescope.analysis.framing.claims as m`` gives the module, and the functions are
``fs.claims``, ``fs.actors``, ``fs.markers``, ``fs.agency`` (or
``framescope.analysis.framing.claims.claims``, ...). The other public names are re-exported.
Sentence-level engines (:func:`find_claims`, :func:`find_agency`) take one sentence and
need no corpus. Lexicons are shipped in ``analysis/data/framing_*`` and can be replaced by
user files (see :mod:`framescope.analysis.framing.lexicon`). Every table is a tidy DataFrame; CIs
are document-bootstrap intervals with the seed in the table.
"""
from framescope.analysis.framing.actors import actor_kwic, actor_lexicon, actor_mentions
from framescope.analysis.framing.agency import agency_sentences, find_agency
from framescope.analysis.framing.claims import claims_comparison, find_claims, read_reference
from framescope.analysis.framing.markers import marker_kwic, marker_lexicon, marker_mentions
from framescope.analysis.framing.numbers import find_amounts, parse_number

__all__ = ["claims_comparison", "find_claims", "read_reference", "actor_mentions", "actor_kwic", "actor_lexicon",
           "marker_mentions", "marker_kwic", "marker_lexicon", "agency_sentences", "find_agency", "parse_number",
           "find_amounts"]
