"""The entity network walked on the store's indexes: `jjjkg path`'s shortest paths, and
the neighbourhood or answer that `jjjkg viz --focus` / `--query` draw.

The network is the one `jjjkg.readers.analysis.entity_graph` draws: the entities but figures
as nodes (typed resources of the data graphs, `facts.most_specific` class not a figure's),
and as links the other triples of the data graphs between two of them, walked either way.
A breadth-first search from both ends reads only the neighbourhoods it reaches, by index
look-ups, so at a million triples a path costs what its neighbourhoods cost rather than a
reading of the whole graph.

A link's graphs say who states it (`jjjkg.readers.claims.places`): a paragraph or sentence of
the article, else the background or the catalogue; `article_only` walks only the links some
paragraph states. Between two entities linked by several properties, a step shows the first
(sorted) forward one, else the first backward one; paths come sorted by their entities'
English names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from jjjkg.core.terms import (
    BACKGROUND_GRAPH,
    DATASET_GRAPH,
    IN_PARAGRAPH,
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    SHAPES_GRAPH,
)
from jjjkg.readers.claims import Place, places
from jjjkg.readers.facts import Facts, most_specific, quad_store
from jjjkg.readers.resolve import Names
from jjjkg.readers.show import outside

NOT_DATA = {ONTOLOGY_GRAPH, SHAPES_GRAPH, DATASET_GRAPH, INFERRED_GRAPH}
_TYPE = ox.NamedNode(RDF_TYPE)
_PARAGRAPH = ox.NamedNode(JJJ + "Paragraph")
_IN_PARAGRAPH = ox.NamedNode(IN_PARAGRAPH)
OBSERVATION_OF = JJJ + "observationOf"
_IN_SECTION = ox.NamedNode(JJJ + "inSection")


@dataclass(frozen=True)
class Step:
    """One hop of a path: from `source` to `target` along `prop`, forwards or backwards;
    `graphs`: the graphs stating the link."""

    source: str
    prop: str
    target: str
    forward: bool
    graphs: tuple[str, ...] = ()


class Network:
    """The entity network of a store, read node by node as a walk reaches it.

    `store`: a `jjjkg.dist.store.Store` (or a pyoxigraph Store of the named graphs);
    `ontology`: `facts.ontology_facts` of it; `names`: the resolver's names of it
    (`names_from_store`), whose types say which IRIs are nodes.
    """

    def __init__(self, store, ontology: Facts, names: Names, article_only: bool = False):
        self.store, self.ontology, self.article_only = store, ontology, article_only
        self.quads = quad_store(store)
        self.names = names
        self._classes: dict[frozenset, bool] = {}
        self._nodes: dict[str, bool] = {}
        self._in_article: dict[str, bool] = {}
        self._links: dict[str, dict[str, dict[tuple[str, bool], list[str]]]] = {}

    def is_node_type(self, types) -> bool:
        """Whether a resource of these (asserted) types is a node of the network."""
        key = frozenset(types)
        if key not in self._classes:
            cls = most_specific(self.ontology, sorted(key)) if key else None
            self._classes[key] = cls is not None and self.ontology.family(cls) != "figures"
        return self._classes[key]

    def is_node(self, iri: str) -> bool:
        if iri not in self._nodes:
            self._nodes[iri] = self.is_node_candidate(self.names.get(iri))
        return self._nodes[iri]

    def is_entity_candidate(self, candidate) -> bool:
        """Whether a resolver candidate is an entity of the facts (a node, or a figure)."""
        return (
            candidate is not None
            and candidate.is_kind("entity")
            and most_specific(self.ontology, sorted(candidate.types)) is not None
        )

    def is_node_candidate(self, candidate) -> bool:
        """Whether a resolver candidate (`names.Candidate`, or None) is a node: not an
        ontology term, and typed as a node."""
        return (
            candidate is not None
            and candidate.is_kind("entity")
            and self.is_node_type(candidate.types)
        )

    def in_article(self, graph: str) -> bool:
        """Whether a graph is a paragraph or sentence of the article (`claims.places`)."""
        if graph not in self._in_article:
            node = ox.NamedNode(graph)
            self._in_article[graph] = any(
                True for _ in self.quads.quads_for_pattern(node, _TYPE, _PARAGRAPH, None)
            ) or any(True for _ in self.quads.quads_for_pattern(node, _IN_PARAGRAPH, None, None))
        return self._in_article[graph]

    def links(self, iri: str) -> dict[str, dict[tuple[str, bool], list[str]]]:
        """{neighbour: {(property, forward): [graphs]}} of the node `iri`."""
        if iri in self._links:
            return self._links[iri]
        node = ox.NamedNode(iri)
        found: dict[str, dict[tuple[str, bool], list[str]]] = defaultdict(lambda: defaultdict(list))
        for forward, quads in (
            (True, self.quads.quads_for_pattern(node, None, None, None)),
            (False, self.quads.quads_for_pattern(None, None, node, None)),
        ):
            for quad in quads:
                other = quad.object if forward else quad.subject
                if (
                    isinstance(other, ox.NamedNode)
                    and other != node
                    and quad.predicate != _TYPE
                    and _data(quad.graph_name)
                ):
                    found[other.value][(quad.predicate.value, forward)].append(
                        quad.graph_name.value
                    )
        result = {}
        for other in sorted(found):
            ways = {
                way: sorted(set(gs))
                for way, gs in sorted(found[other].items())
                if not self.article_only or any(self.in_article(g) for g in gs)
            }
            if ways and self.is_node(other):
                result[other] = ways
        self._links[iri] = result
        return result

    def step(self, source: str, target: str) -> Step:
        """The step from `source` to `target`, read from whichever end the walk read."""
        if source in self._links:
            ways = self._links[source][target]
        else:
            ways = {(p, not f): gs for (p, f), gs in self.links(target)[source].items()}
        forward = sorted(way for way in ways if way[1])
        prop, way = (forward or sorted(ways))[0]
        return Step(source, prop, target, way, tuple(ways[(prop, way)]))


def _data(graph) -> bool:
    return isinstance(graph, ox.NamedNode) and graph.value not in NOT_DATA


def shortest_paths(network: Network, a: str, b: str, name, limit: int) -> tuple[int, list]:
    """(how many shortest paths join `a` and `b`, the first `limit` of them as steps), in the
    order of their entities' `name(iri)`; (0, []) when they are not connected."""
    if a == b:
        return 1, [[]]
    sides = [({a: 0}, {a: []}, [a]), ({b: 0}, {b: []}, [b])]
    meeting: list[str] = []
    while not meeting and sides[0][2] and sides[1][2]:
        near = 0 if len(sides[0][2]) <= len(sides[1][2]) else 1
        depth, parents, frontier = sides[near]
        level = []
        for node in frontier:
            for other in network.links(node):
                if other not in depth:
                    depth[other] = depth[node] + 1
                    parents[other] = [node]
                    level.append(other)
                elif depth[other] == depth[node] + 1:
                    parents[other].append(node)
        sides[near] = (depth, parents, level)
        far = sides[1 - near][0]
        meeting = [n for n in level if n in far]
    if not meeting:
        return 0, []
    paths = [
        head + tail[1:]
        for m in meeting
        for head in _walks(sides[0][1], m)
        for tail in _walks(sides[1][1], m, backwards=True)
    ]
    paths.sort(key=lambda path: [name(n) for n in path])
    chosen = [
        [network.step(u, v) for u, v in zip(path, path[1:], strict=False)] for path in paths[:limit]
    ]
    return len(paths), chosen


def _walks(parents: dict[str, list[str]], node: str, backwards: bool = False):
    """Every walk from the search's start to `node` (from `node` back to it: `backwards`)."""
    if not parents[node]:
        yield [node]
        return
    for parent in parents[node]:
        for walk in _walks(parents, parent, backwards):
            yield [node, *walk] if backwards else [*walk, node]


def mark(places_: dict[str, Place], step: Step, lang: str) -> str:
    """`[第7段]`, `[paragraphs 2, 5]`, or `[背景]` / `[background]` for a step no paragraph
    states; `places_`: `claims.places` of the step's graphs."""
    found = [places_[g] for g in step.graphs]
    numbers = sorted({p.paragraph_number for p in found if p.in_article and p.paragraph_number})
    if numbers:
        words = [str(n) for n in numbers]
        if lang == "zh":
            return f"[第{'、'.join(words)}段]"
        return f"[paragraph{'s' * (len(words) > 1)} {', '.join(words)}]"
    kinds = dict.fromkeys(outside(p.graph, lang) for p in found if not p.in_article)
    return f"[{'; '.join(kinds) or outside(BACKGROUND_GRAPH, lang)}]"


def step_places(store, paths: list[list[Step]]) -> dict[str, Place]:
    """`claims.places` of every graph stating a step of `paths`."""
    return places(store, {g for path in paths for step in path for g in step.graphs})


# -- a neighbourhood, for `jjjkg viz --focus` --


def neighbourhood(network: Network, iri: str, depth: int) -> set[str]:
    """The nodes within `depth` links of `iri`, links taken either way."""
    near, frontier = {iri}, [iri]
    for _ in range(depth):
        frontier = [n for node in frontier for n in network.links(node) if n not in near]
        near.update(frontier)
    return near


def local_store(network: Network, nodes: set[str]) -> ox.Store:
    """An in-memory store of what `facts.load_facts` needs to describe `nodes` as the whole
    graph would: the ontology graph; every quad with a node as subject or object; the quads
    of each node's observations (`jjj:observationOf`) and of what else but nodes these name
    (statuses, units, qualifiers); and the description of every graph those quads are in
    (sentence, paragraph, section)."""
    quads = network.quads
    kept: list[ox.Quad] = list(
        quads.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH))
    )
    read: set[str] = set()

    def about(iri: str, objects: bool = False) -> list[ox.Quad]:
        if iri in read:
            return []
        read.add(iri)
        node = ox.NamedNode(iri)
        found = [q for q in quads.quads_for_pattern(node, None, None, None) if _named(q)]
        if objects:
            found += [q for q in quads.quads_for_pattern(None, None, node, None) if _named(q)]
        kept.extend(found)
        return found

    described = []
    for node in sorted(nodes):
        for q in about(node, objects=True):
            described.append(q)
            if q.predicate.value == OBSERVATION_OF and isinstance(q.subject, ox.NamedNode):
                described += about(q.subject.value)
    for q in described:  # what they name that is no node: a status, unit, qualifier, ...
        if isinstance(q.object, ox.NamedNode) and not network.is_node(q.object.value):
            about(q.object.value)
    parents = set()
    for graph in sorted({q.graph_name.value for q in kept}):  # a sentence: two look-ups
        node = ox.NamedNode(graph)
        for predicate in (_TYPE, _IN_PARAGRAPH, _IN_SECTION):
            found = [q for q in quads.quads_for_pattern(node, predicate, None, None) if _named(q)]
            kept.extend(found)
            parents |= {q.object.value for q in found if predicate != _TYPE}
    for paragraph in sorted(parents):
        for q in about(paragraph):
            if q.predicate == _IN_SECTION:
                about(q.object.value)
    store = ox.Store()
    store.extend(kept)
    return store


def _named(quad: ox.Quad) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value not in (
        SHAPES_GRAPH,
        DATASET_GRAPH,
    )
