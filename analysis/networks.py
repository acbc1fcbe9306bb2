"""Collocations across groups: consistent collocates and collocation networks.

Consistent collocates (Gabrielatos & Baker 2008; Gabrielatos 2018): a word is a
*consistent* collocate of a node when it reaches an association threshold (e.g.
logDice ≥ 7, or MI3 ≥ 6) in at least ``k`` of the ``n`` subcorpora (outlets, months, ...).
:func:`consistent_collocates` columns::

    lang, node, collocate
    n_reached     subcorpora where the collocate reaches the threshold (o11 ≥ min_freq too)
    n_subcorpora  subcorpora where the node occurs (the n of "k of n")
    subcorpora    those reaching it, ';'-joined, sorted
    measure_mean, measure_min, measure_max
                  the measure over the subcorpora where it was scored
    consistent    n_reached ≥ k

Collocation networks (GraphColl, Brezina, McEnery & Wattam 2015): from the node, its
``top`` collocates passing the threshold (level 1), then theirs (level 2, ...). Counts are
the window counts of :mod:`framescope.analysis.collocations` on the whole (sub)corpus, tokenised once.
:func:`collocation_network` edge columns::

    source, target   node and collocate (analysis tokens)
    depth            1 for the root's collocates, 2 for theirs, ...
    lang, measure, value, o11, f_node, f_collocate, span

An edge found from both ends is kept once (at its lower level). :func:`to_graph` makes a
networkx graph (edge attributes as above; node attribute ``depth`` = distance from the root),
:func:`write_network` writes ``.graphml`` and ``.csv``.

References
----------
Brezina, V., McEnery, T., & Wattam, S. (2015). Collocations in context: A new perspective on
collocation networks. *International Journal of Corpus Linguistics*, 20(2), 139–173.
Gabrielatos, C., & Baker, P. (2008). Fleeing, sneaking, flooding: A corpus analysis of discursive
constructions of refugees and asylum seekers in the UK press, 1996–2005. *Journal of English
Linguistics*, 36(1), 5–38.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from framescope.analysis.collocations import window_table, collocates, node_term, window_counts
from framescope.analysis.counts import encode
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import tokens
from framescope.corpus.errors import FramescopeError

__all__ = ["MEASURES", "consistent_collocates", "collocation_network", "to_graph", "write_network"]

MEASURES = ("logdice", "pmi", "mi3", "g2", "t_score", "o11")


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise FramescopeError(f"unknown measure {measure!r} ({', '.join(MEASURES)})")


def consistent_collocates(corpus, node: str, by: str = "outlet", k: int = 2, measure: str = "logdice",
                          threshold: float = 7.0, span: int = 5, min_freq: int = 2,
                          options: TokenOptions = TokenOptions(), lang: str | None = None,
                          include_duplicates: bool = False) -> pd.DataFrame:
    """Find the collocates of ``node`` that reach a threshold in at least ``k`` subcorpora.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    node : str
        The node word as written (tokenised with ``options``).
    by : str, default "outlet"
        The subcorpora: a document column or expression, e.g. ``"date.dt.to_period('M')"``.
    k : int, default 2
        Subcorpora in which a collocate must reach the threshold to be consistent.
    measure : {'logdice', 'pmi', 'mi3', 'g2', 't_score', 'o11'}
        The association measure.
    threshold : float, default 7.0
        Fewest ``measure`` a collocate must reach in a subcorpus.
    span : int, default 5
        Tokens on each side of the node (within a sentence).
    min_freq : int
        Fewest co-occurrences (o11) a collocate needs.
    options : TokenOptions
        Token options of the counts.
    lang : str, optional
        Language of the node (default: read from its script).
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.

    Returns
    -------
    pandas.DataFrame
        ``lang, node, collocate, n_reached, n_subcorpora, subcorpora, measure_mean,
        measure_min, measure_max, consistent`` (module docstring), sorted by descending
        ``n_reached``, ``measure_mean``, then ``collocate``.

    References
    ----------
    Gabrielatos, C., & Baker, P. (2008). *Journal of English Linguistics*, 36(1), 5–38.
    """
    _check_measure(measure)
    if k < 1:
        raise FramescopeError("k must be at least 1")
    table = collocates(corpus, node, by=by, span=span, options=options, lang=lang, min_freq=min_freq,
                       measure=measure, include_duplicates=include_duplicates)
    cols = ["lang", "node", "collocate", "n_reached", "n_subcorpora", "subcorpora", "measure_mean", "measure_min",
            "measure_max", "consistent"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    n_sub = table["group"].nunique()
    table = table.assign(reached=table[measure] >= threshold)
    out = table.groupby(["lang", "node", "collocate"], sort=True).agg(
        n_reached=("reached", "sum"), measure_mean=(measure, "mean"), measure_min=(measure, "min"),
        measure_max=(measure, "max")).reset_index()
    names = (table[table["reached"]].groupby("collocate")["group"]
             .agg(lambda g: ";".join(sorted(map(str, g)))))
    out["subcorpora"] = out["collocate"].map(names).fillna("")
    out["n_subcorpora"] = n_sub
    out["n_reached"] = out["n_reached"].astype(np.int64)
    out["consistent"] = out["n_reached"] >= k
    out = out[out["n_reached"] > 0].sort_values(["n_reached", "measure_mean", "collocate"], ascending=[False, False, True],
                                                 kind="mergesort").reset_index(drop=True)
    out.attrs.update({"node": node, "by": by, "k": k, "measure": measure, "threshold": threshold, "span": span,
                      "min_freq": min_freq, "token_options": options.as_dict()})
    return out[cols]


def _scores(enc, node_id: int, lang_mask: np.ndarray, span: int, min_freq: int, n: int, uni: np.ndarray):
    o11, window = window_counts(enc, node_id, span, span, np.where(lang_mask, 0, -1), 1)
    idx = np.flatnonzero(o11[0] >= max(1, min_freq))
    lang = enc.vocab.langs[node_id]
    return window_table("all", lang, enc.vocab.terms[node_id], o11[0, idx], int(uni[node_id]), uni[idx], n,
                         int(window[0]), enc.vocab.terms[idx])


def collocation_network(corpus, node: str, depth: int = 2, top: int = 10, measure: str = "logdice",
                        threshold: float | None = None, span: int = 5, min_freq: int = 3,
                        options: TokenOptions = TokenOptions(), lang: str | None = None,
                        include_duplicates: bool = False) -> pd.DataFrame:
    """Build a GraphColl-style collocation network around ``node``, as an edge table.

    At each level every new word contributes its ``top`` collocates by ``measure`` (ties by
    word) among those with o11 ≥ ``min_freq`` and, when given, measure ≥ ``threshold``.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    node : str
        The node word as written (tokenised with ``options``).
    depth : int, default 2
        Levels of collocates of collocates.
    top : int, default 10
        Collocates each word contributes.
    measure : {'logdice', 'pmi', 'mi3', 'g2', 't_score', 'o11'}
        The association measure.
    threshold : float, optional
        Fewest ``measure`` a collocate must reach (default: no threshold).
    span : int, default 5
        Tokens on each side of the node (within a sentence).
    min_freq : int
        Fewest co-occurrences (o11) a collocate needs.
    options : TokenOptions
        Token options of the counts.
    lang : str, optional
        Language of the node (default: read from its script).
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.

    Returns
    -------
    pandas.DataFrame
        Edges ``source, target, depth, lang, measure, value, o11, f_node, f_collocate, span``
        (module docstring); ``attrs``: the parameters, token options and ``corpus_id``.

    References
    ----------
    Brezina, V., McEnery, T., & Wattam, S. (2015). *International Journal of Corpus
    Linguistics*, 20(2), 139–173.
    """
    _check_measure(measure)
    if depth < 1 or top < 1 or span < 1:
        raise FramescopeError("depth, top and span must be at least 1")
    node_lang, node_tok, options = node_term(node, options, lang)
    enc = encode(tokens(corpus, options, lang=node_lang, include_duplicates=include_duplicates))
    root = enc.vocab.index(node_lang, node_tok)
    if root < 0:
        raise FramescopeError(f"node {node!r} (token {node_tok!r}) does not occur in the corpus")
    lang_mask = enc.vocab.langs[enc.ids] == node_lang
    uni = np.bincount(enc.ids[lang_mask], minlength=len(enc.vocab)).astype(np.int64)
    n = int(lang_mask.sum())
    seen_edges: set[frozenset] = set()
    visited = {root}
    frontier = [root]
    rows = []
    for level in range(1, depth + 1):
        nxt = []
        for word_id in frontier:
            table = _scores(enc, word_id, lang_mask, span, min_freq, n, uni)
            table = table[table["collocate"] != enc.vocab.terms[word_id]]
            if threshold is not None:
                table = table[table[measure] >= threshold]
            table = table.sort_values([measure, "collocate"], ascending=[False, True], kind="mergesort").head(top)
            for r in table.itertuples(index=False):
                target = enc.vocab.index(node_lang, r.collocate)
                edge = frozenset((word_id, target))
                if edge in seen_edges:
                    continue
                seen_edges.add(edge)
                rows.append({"source": enc.vocab.terms[word_id], "target": r.collocate, "depth": level,
                             "lang": node_lang, "measure": measure, "value": float(getattr(r, measure)),
                             "o11": int(r.o11), "f_node": int(r.f_node), "f_collocate": int(r.f_collocate),
                             "span": span})
                if target not in visited:
                    visited.add(target)
                    nxt.append(target)
        frontier = nxt
    cols = ["source", "target", "depth", "lang", "measure", "value", "o11", "f_node", "f_collocate", "span"]
    out = pd.DataFrame(rows, columns=cols)
    out.attrs.update({"node": node, "node_token": node_tok, "depth": depth, "top": top, "measure": measure,
                      "threshold": threshold, "span": span, "min_freq": min_freq,
                      "token_options": options.as_dict(), "corpus_id": corpus.corpus_id})
    return out


def to_graph(edges: pd.DataFrame, root: str | None = None) -> nx.Graph:
    """Make an undirected networkx graph of an edge table.

    Parameters
    ----------
    edges : pandas.DataFrame
        A table of :func:`collocation_network` (edge columns become edge attributes).
    root : str, optional
        The node whose distance gives each node's ``depth`` (default: the table's node).

    Returns
    -------
    networkx.Graph
        The graph, with node attribute ``depth`` (hops from the root).
    """
    g = nx.Graph()
    for r in edges.to_dict("records"):
        attrs = {k: v for k, v in r.items() if k not in ("source", "target")}
        g.add_edge(r["source"], r["target"], **attrs)
    root = root or edges.attrs.get("node_token") or (edges["source"].iloc[0] if len(edges) else None)
    if root in g:
        for name, dist in nx.single_source_shortest_path_length(g, root).items():
            g.nodes[name]["depth"] = int(dist)
    return g


def write_network(edges: pd.DataFrame, path) -> list[Path]:
    """Write an edge table as ``PATH.graphml`` and ``PATH.csv``.

    Parameters
    ----------
    edges : pandas.DataFrame
        A table of :func:`collocation_network`.
    path : str or pathlib.Path
        The base path, with or without a ``.graphml`` / ``.csv`` suffix.

    Returns
    -------
    list of pathlib.Path
        The two files written.
    """
    base = Path(path)
    if base.suffix.lower() in (".graphml", ".csv"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    g = to_graph(edges)
    nx.write_graphml(g, base.with_suffix(".graphml"))
    edges.to_csv(base.with_suffix(".csv"), index=False, lineterminator="\n")
    return [base.with_suffix(".graphml"), base.with_suffix(".csv")]
