"""Questions on the entity network: its graph, centrality, communities (shortest paths
are walked on the store: `jjjkg.readers.paths`).

`entity_graph` turns the facts (`jjjkg.readers.facts`) into a networkx MultiDiGraph, built in
sorted order so the same data gives the same network; the rest answers questions on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jjjkg.core.errors import JjjkgError
from jjjkg.core.registry import CENTRALITIES
from jjjkg.core.terms import slug
from jjjkg.readers.facts import Facts
from jjjkg.readers.resolve import resolve_class

if TYPE_CHECKING:
    import networkx as nx


def entity_graph(facts: Facts, figures: bool = False) -> nx.MultiDiGraph:
    """Entities as nodes and links as edges; observations only if `figures` is true.

    Node attributes: label (the zh name, else en), label_zh, label_en, slug, class, family,
    paragraphs (space-separated). Edge key: the property IRI; edge attributes: property (its
    short name), label_zh, label_en, paragraphs, inferred (a bool: stated by the reasoner
    only). Strings and bools only, so the graph writes to GraphML and GEXF as it is.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, entity in facts.entities.items():
        if figures or entity.family != "figures":
            graph.add_node(
                iri,
                label=entity.name("zh"),
                label_zh=entity.name("zh"),
                label_en=entity.name("en"),
                slug=entity.slug,
                **{"class": slug(entity.cls)},
                family=entity.family,
                paragraphs=" ".join(entity.paragraphs),
            )
    for link in facts.links:
        if link.source in graph and link.target in graph:
            graph.add_edge(
                link.source,
                link.target,
                key=link.prop,
                property=slug(link.prop),
                label_zh=facts.name(link.prop, "zh"),
                label_en=facts.name(link.prop, "en"),
                paragraphs=" ".join(link.paragraphs),
                inferred=link.inferred,
            )
    return graph


def centrality(graph: nx.MultiDiGraph, by: str = "degree") -> dict[str, float]:
    """Centrality of every node on the undirected simple view of the network."""
    import networkx as nx

    if by not in CENTRALITIES:
        raise JjjkgError(f"unknown centrality '{by}' (choose from {', '.join(CENTRALITIES)})")
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    if by == "degree":
        return {n: float(d) for n, d in simple.degree()}
    if by == "betweenness":
        return nx.betweenness_centrality(simple)
    return pagerank(simple)


def pagerank(graph: nx.Graph, damping: float = 0.85, tol: float = 1e-10) -> dict[str, float]:
    """PageRank by power iteration in plain Python (networkx's own needs numpy and scipy)."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    share = 1.0 / len(nodes)
    neighbours = {n: list(graph.neighbors(n)) for n in nodes}
    degree = {n: len(neighbours[n]) for n in nodes}
    rank = dict.fromkeys(nodes, share)
    for _ in range(200):
        dangling = damping * share * sum(rank[n] for n in nodes if not degree[n])
        new = {
            n: (1 - damping) * share
            + dangling
            + damping * sum(rank[m] / degree[m] for m in neighbours[n])
            for n in nodes
        }
        done = sum(abs(new[n] - rank[n]) for n in nodes) < tol * len(nodes)
        rank = new
        if done:
            break
    return rank


def rank(
    facts: Facts,
    graph: nx.MultiDiGraph,
    by: str = "degree",
    cls: str | None = None,
    top: int = 20,
) -> list[tuple[str, float]]:
    """The `top` most central entities (of class `cls` and its subclasses, if given)."""
    scores = centrality(graph, by)
    if cls is not None:
        wanted = resolve_class(facts, cls)
        scores = {
            n: s for n, s in scores.items() if wanted in facts.ancestors(facts.entities[n].cls)
        }
    ordered = sorted(scores.items(), key=lambda ns: (-ns[1], facts.name(ns[0], "en"), ns[0]))
    return ordered[:top]


def communities(graph: nx.MultiDiGraph) -> dict[str, int]:
    """A community number per node (Louvain, fixed seed); 0 is the largest community."""
    key = (tuple(sorted(graph.nodes)), tuple(sorted((u, v) for u, v, _ in graph.edges)))
    if key not in _communities:
        _communities.clear()
        _communities[key] = _louvain(graph)
    return _communities[key]


_communities: dict[tuple, dict[str, int]] = {}


def _louvain(graph: nx.MultiDiGraph) -> dict[str, int]:
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    found = nx.community.louvain_communities(simple, seed=42)
    ordered = sorted(found, key=lambda c: (-len(c), sorted(c)[0]))
    return {node: number for number, members in enumerate(ordered) for node in members}


def annotated(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `graph` with community, degree and pagerank on each node, for Gephi.

    (Betweenness is left out: it is the slow one; `jjjkg rank --by betweenness` has it.)
    """
    out = graph.copy()
    groups = communities(graph)
    scores = {by: centrality(graph, by) for by in ("degree", "pagerank")}
    for node, data in out.nodes(data=True):
        data["community"] = groups.get(node, -1)
        for by, values in scores.items():
            data[by] = round(values.get(node, 0.0), 6)
    return out
