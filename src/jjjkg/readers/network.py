"""The knowledge graph as a network of entities, for pages, paths, rankings and Gephi.

`load_facts` reads a built rdflib Dataset once into plain Python objects: entities (typed
resources of the data graphs, with zh/en names, their most specific class, the paragraphs
that state them, their statuses and figures), the links between them (object-property
triples, with the paragraphs stating each), classes and properties from the ontology graph,
and the article's sections and paragraphs. `entity_graph` turns the facts into a networkx
MultiDiGraph; the rest answers questions on it. Everything is built in sorted order, so the
same data gives the same network.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import JjjkgError
from jjjkg.core.terms import (
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    OWL,
    RDF_TYPE,
    RDFS,
    RDFS_LABEL,
    SHAPES_GRAPH,
    SKOS,
    SKOS_ALT,
    SKOS_DEFINITION,
    SKOS_PREF,
    slug,
)

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

SKIPPED_GRAPHS = {SHAPES_GRAPH, INFERRED_GRAPH}
PREF_LABEL, ALT_LABEL, LABEL = SKOS_PREF, SKOS_ALT, RDFS_LABEL

# The family of a class is that of its first ancestor in this list (order matters:
# a park is a place, but it belongs to the parks family).
FAMILIES = [
    ("Observation", "figures"),
    ("Organization", "organisations"),
    ("Zone", "parks"),
    ("Infrastructure", "infrastructure"),
    ("TransportService", "infrastructure"),
    ("Undertaking", "projects"),
    ("Place", "places"),
    ("Instrument", "policies"),
    ("Event", "events"),
    ("TourismProduct", "events"),
    ("Industry", "industries"),
    ("IndustrialChain", "industries"),
    ("IndustrialCluster", "industries"),
]
FAMILY_NAMES = {
    "organisations": ("组织机构", "organisations"),
    "parks": ("园区与功能区", "parks and zones"),
    "places": ("地点", "places"),
    "infrastructure": ("基础设施与运输", "infrastructure and transport"),
    "projects": ("项目、设施与平台", "projects, facilities and platforms"),
    "policies": ("政策与机制", "policies and mechanisms"),
    "events": ("活动", "events"),
    "industries": ("产业", "industries"),
    "figures": ("数据", "figures"),
    "other": ("其他", "other"),
}
# Typed resources that are vocabulary or source description, not entities of the network.
NOT_ENTITIES = {
    JJJ + name
    for name in (
        "Status",
        "Unit",
        "Qualifier",
        "Indicator",
        "Article",
        "ArticleSection",
        "Paragraph",
        "Sentence",
    )
} | {SKOS + "Concept", SKOS + "ConceptScheme", OWL + "Class", OWL + "Ontology"}
CENTRALITIES = ("degree", "betweenness", "pagerank")


class UnknownEntity(JjjkgError):
    """A name that matches no entity (or class); the message lists the nearest names."""


@dataclass
class Term:
    """A class, property or concept: its names and definition."""

    iri: str
    zh: str = ""
    en: str = ""
    definition: str = ""
    parents: list[str] = field(default_factory=list)

    def name(self, lang: str) -> str:
        return label_in(self, lang)


@dataclass
class Entity:
    iri: str
    zh: str = ""
    en: str = ""
    alt: list[str] = field(default_factory=list)
    cls: str = ""
    family: str = "other"
    paragraphs: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    figure: dict = field(default_factory=dict)  # for observations: value, unit, year, ...

    @property
    def slug(self) -> str:
        return slug(self.iri)

    def name(self, lang: str) -> str:
        return label_in(self, lang)


@dataclass(frozen=True)
class Link:
    source: str
    prop: str
    target: str
    paragraphs: tuple[str, ...] = ()


@dataclass
class Paragraph:
    iri: str
    id: str
    number: int
    section: str
    zh: str = ""
    en: str = ""
    evidence: str = ""

    def name(self, lang: str) -> str:
        return label_in(self, lang)


@dataclass
class Section:
    iri: str
    number: int
    zh: str = ""
    en: str = ""
    paragraphs: list[str] = field(default_factory=list)

    def name(self, lang: str) -> str:
        return label_in(self, lang)


@dataclass
class Facts:
    """What the pages and the network analysis need from a dataset, read once."""

    entities: dict[str, Entity]
    links: list[Link]
    terms: dict[str, Term]  # classes, properties and concepts (status, unit, ...)
    paragraphs: dict[str, Paragraph]  # by id, "p01"
    sections: dict[str, Section]  # by IRI, sorted by number
    ontology: list[tuple]  # (s, p, o) triples of the ontology graph, rdflib terms
    properties: set[str] = field(default_factory=set)  # the ontology's properties

    def ancestors(self, cls: str) -> list[str]:
        """`cls` and its superclasses, nearest first."""
        seen: list[str] = []
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if current not in seen:
                seen.append(current)
                todo.extend(self.terms[current].parents if current in self.terms else [])
        return seen

    def name(self, iri: str, lang: str) -> str:
        """The name of any entity or term in `lang`, else in the other language, else a slug."""
        thing = self.entities.get(iri)
        if thing is None:
            thing = self.terms.get(iri)
        return label_in(thing, lang) if thing is not None else slug(iri)


def label_in(thing, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    return getattr(thing, lang) or getattr(thing, other) or slug(thing.iri)


def paragraph_id(graph: str) -> str:
    """`p03` for a paragraph graph, `background` / `catalogue` for the others."""
    return graph.rstrip("/").rsplit("/", 1)[-1]


# -- reading a dataset --


def load_facts(ds: Dataset) -> Facts:
    """Read entities, links, terms and the article structure out of a built dataset."""
    from rdflib import Literal, URIRef

    onto: list[tuple] = []
    data: list[tuple] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = str(g)
        if name == ONTOLOGY_GRAPH:
            onto.append((s, p, o))
        elif name not in SKIPPED_GRAPHS:
            data.append((s, p, o, name))
    onto.sort(key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    data.sort(key=lambda q: (q[3], str(q[0]), str(q[1]), q[2].n3()))

    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o, _ in data:
        values[str(s)][str(p)].append(o)
    names: dict[str, dict[str, str]] = defaultdict(dict)
    alts: dict[str, list[str]] = defaultdict(list)
    for s, p, o in onto + [q[:3] for q in data]:
        if isinstance(o, Literal) and o.language in ("zh", "en"):
            if str(p) in (PREF_LABEL, LABEL):
                names[str(s)].setdefault(o.language, str(o))
            elif str(p) == ALT_LABEL:
                alts[str(s)].append(str(o))

    terms = _terms(onto, values, names)
    facts = Facts({}, [], terms, {}, {}, onto)
    facts.properties = {
        str(s) for s, p, o in onto if str(p) == RDF_TYPE and str(o).endswith("Property")
    }
    types: dict[str, list[str]] = defaultdict(list)
    for s, p, o, _ in data:
        if str(p) == RDF_TYPE and isinstance(s, URIRef) and isinstance(o, URIRef):
            types[str(s)].append(str(o))
    for iri in sorted(types):
        cls = _most_specific(facts, types[iri])
        if cls is not None:
            label = names.get(iri, {})
            facts.entities[iri] = Entity(
                iri,
                label.get("zh", ""),
                label.get("en", ""),
                sorted(set(alts[iri])),
                cls,
                family_of(facts, cls),
            )

    _article(facts, values, names)
    owner = sentence_paragraphs(values)
    stated: dict[tuple, set[str]] = defaultdict(set)
    for s, p, o, g in data:
        s, p, o = str(s), str(p), o if isinstance(o, Literal) else str(o)
        pid = owner.get(g, paragraph_id(g))
        in_paragraph = pid in facts.paragraphs
        for node in (s, o):
            if in_paragraph and isinstance(node, str) and node in facts.entities:
                _add(facts.entities[node].paragraphs, pid)
        if p != RDF_TYPE and s in facts.entities and isinstance(o, str) and o in facts.entities:
            stated[(s, p, o)].add(pid)
    facts.links = [
        Link(s, p, o, tuple(sorted(where))) for (s, p, o), where in sorted(stated.items())
    ]
    for entity in facts.entities.values():
        entity.paragraphs.sort()
        entity.statuses = sorted({str(o) for o in values[entity.iri].get(JJJ + "hasStatus", [])})
        if entity.family == "figures":
            entity.figure = _figure(values[entity.iri])
            for subject in entity.figure.get("of", []):
                if subject in facts.entities:
                    _add(facts.entities[subject].figures, entity.iri)
    return facts


def sentence_paragraphs(values: dict) -> dict[str, str]:
    """The paragraph id of each sentence graph (`jart:p05-s1` → `p05`): claims in a sentence's
    graph count as stated by its paragraph."""
    return {
        iri: paragraph_id(str(props[JJJ + "inParagraph"][0]))
        for iri, props in values.items()
        if JJJ + "inParagraph" in props
    }


def _add(items: list, item) -> None:
    if item not in items:
        items.append(item)


def _terms(onto: list[tuple], values: dict, names: dict) -> dict[str, Term]:
    from rdflib import URIRef

    terms: dict[str, Term] = {}
    for s, p, o in onto:
        if isinstance(s, URIRef):
            term = terms.setdefault(str(s), Term(str(s)))
            if str(p) == RDFS + "subClassOf" and isinstance(o, URIRef):
                term.parents.append(str(o))
            elif str(p) == SKOS_DEFINITION and not term.definition:
                term.definition = str(o)
    # Concepts of the vocabularies (statuses, units, qualifiers, indicators) are terms too.
    for iri in values:
        if SKOS + "inScheme" in values[iri] or iri in terms:
            terms.setdefault(iri, Term(iri))
    for iri, term in terms.items():
        term.zh = names.get(iri, {}).get("zh", "")
        term.en = names.get(iri, {}).get("en", "")
    return dict(sorted(terms.items()))


def _most_specific(facts: Facts, classes: list[str]) -> str | None:
    """The deepest of the classes that make a resource an entity, or None."""
    chosen = [
        c
        for c in sorted(set(classes))
        if family_of(facts, c) != "other" or not set(facts.ancestors(c)) & NOT_ENTITIES
    ]
    if not chosen:
        return None
    ours = [c for c in chosen if c.startswith(JJJ)] or chosen
    return max(ours, key=lambda c: (len(facts.ancestors(c)), c.startswith(JJJ)))


def family_of(facts: Facts, cls: str) -> str:
    ancestors = set(facts.ancestors(cls))
    for name, family in FAMILIES:
        if JJJ + name in ancestors:
            return family
    return "other"


def _article(facts: Facts, values: dict, names: dict) -> None:
    """Sections and paragraphs of the source description."""
    for iri, props in values.items():
        kinds = {str(t) for t in props.get(RDF_TYPE, [])}
        label = names.get(iri, {})
        if JJJ + "ArticleSection" in kinds:
            number = int(props.get(JJJ + "sectionNumber", [0])[0])
            facts.sections[iri] = Section(iri, number, label.get("zh", ""), label.get("en", ""))
        elif JJJ + "Paragraph" in kinds:
            pid = paragraph_id(iri)
            section = str(props[JJJ + "inSection"][0]) if JJJ + "inSection" in props else ""
            evidence = str(props[JJJ + "evidence"][0]) if JJJ + "evidence" in props else ""
            number = int(props.get(JJJ + "paragraphNumber", [0])[0])
            facts.paragraphs[pid] = Paragraph(
                iri, pid, number, section, label.get("zh", ""), label.get("en", ""), evidence
            )
    facts.paragraphs = dict(sorted(facts.paragraphs.items(), key=lambda kv: kv[1].number))
    facts.sections = dict(sorted(facts.sections.items(), key=lambda kv: kv[1].number))
    for paragraph in facts.paragraphs.values():
        if paragraph.section in facts.sections:
            facts.sections[paragraph.section].paragraphs.append(paragraph.id)


def _figure(props: dict) -> dict:
    """The parts of an observation, as plain values."""

    def one(name, convert=str):
        found = props.get(JJJ + name)
        return convert(found[0]) if found else None

    return {
        "of": sorted(str(o) for o in props.get(JJJ + "observationOf", [])),
        "value": one("value", float),
        "upper": one("upperValue", float),
        "unit": one("unit"),
        "measure": one("measure"),
        "year": one("referenceYear"),
        "baseline": one("baselineYear"),
        "start": one("periodStart"),
        "end": one("periodEnd"),
        "qualifiers": sorted(str(o) for o in props.get(JJJ + "qualifier", [])),
        "stated": one("statedAs") or "",
    }


def number_text(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.4g} billion"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.4g} million"
    return f"{value:,.10g}"


def figure_text(facts: Facts, entity: Entity, lang: str) -> str:
    """One line for an observation: `注册企业数：累计注册企业超4900家（2023年）` or
    `registered enterprises: more than, cumulative 4,900 (2023)`."""
    fig = entity.figure
    measure = facts.name(fig["measure"], lang) if fig.get("measure") else entity.name(lang)
    year = fig.get("year") or fig.get("end")
    if lang == "zh" and fig.get("stated"):
        when = f"（{year}年）" if year else ""
        return f"{measure}：{fig['stated']}{when}"
    qualifiers = ", ".join(facts.name(q, "en") for q in fig.get("qualifiers", []))
    amount = number_text(fig["value"]) if fig.get("value") is not None else "?"
    if fig.get("upper") is not None:
        amount += "–" + number_text(fig["upper"])
    unit = fig.get("unit") or ""
    if unit.endswith("/percent"):
        amount += "%"
    elif unit.endswith("/rank"):
        amount = "No. " + amount
    elif unit and not unit.endswith("/count"):
        amount += " " + facts.name(unit, "en")
    parts = [f"{measure}: {qualifiers + ' ' if qualifiers else ''}{amount}"]
    if year:
        parts.append(f"({year})")
    if fig.get("baseline"):
        parts.append(f"compared with {fig['baseline']}")
    return " ".join(parts)


# -- the network --


def entity_graph(facts: Facts, figures: bool = False) -> nx.MultiDiGraph:
    """Entities as nodes and links as edges; observations only if `figures` is true.

    Node attributes: label_zh, label_en, slug, cls, family, paragraphs (space-separated).
    Edge key: the property IRI; edge attributes: property (its short name), label_zh,
    label_en, paragraphs. Only strings, so the graph writes to GraphML and GEXF as it is.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, entity in facts.entities.items():
        if figures or entity.family != "figures":
            graph.add_node(
                iri,
                label_zh=entity.name("zh"),
                label_en=entity.name("en"),
                slug=entity.slug,
                cls=slug(entity.cls),
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
            )
    return graph


def resolve(facts: Facts, text: str, graph: nx.MultiDiGraph | None = None) -> str:
    """The IRI of the entity named `text`: an IRI, a slug (`org/cnooc`, `cnooc`), or a zh/en
    name or alternative name, case-insensitive. Raises UnknownEntity with the nearest names."""
    wanted = text.strip()
    candidates = [e for e in facts.entities.values() if graph is None or e.iri in graph]
    if not wanted:
        raise UnknownEntity("no entity name given")
    for match in (
        lambda e: e.iri == wanted,
        lambda e: wanted.casefold() in (e.slug, e.slug.split("/", 1)[-1]),
        lambda e: wanted in (e.zh, e.en),
        lambda e: wanted.casefold() in (e.en.casefold(), *(a.casefold() for a in e.alt)),
    ):
        found = [e.iri for e in candidates if match(e)]
        if found:
            return found[0]
    raise _unknown(candidates, wanted)


def _unknown(candidates: list[Entity], wanted: str) -> UnknownEntity:
    """An UnknownEntity error naming the entities whose names are nearest to `wanted`."""
    keys: dict[str, str] = {}
    for e in candidates:
        for key in (e.zh, e.en, e.slug, e.slug.split("/", 1)[-1], *e.alt):
            if key:
                keys.setdefault(key.casefold(), e.iri)
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in wanted) else "en"
    near = difflib.get_close_matches(wanted.casefold(), sorted(keys), n=12, cutoff=0.4)
    near += sorted(k for k in keys if wanted.casefold() in k and k not in near)
    names = list(dict.fromkeys(label_in(_by_iri(candidates, keys[k]), lang) for k in near))[:5]
    hint = f"; did you mean: {', '.join(names)}?" if names else ""
    return UnknownEntity(f"unknown entity '{wanted}'{hint}")


def _by_iri(candidates: list[Entity], iri: str) -> Entity:
    return next(e for e in candidates if e.iri == iri)


def resolve_class(facts: Facts, text: str) -> str:
    """The IRI of a class named by IRI, `jjj:Name`, `Name`, or its zh/en label."""
    wanted = text.strip()
    classes = {
        iri: term
        for iri, term in facts.terms.items()
        if iri.startswith(JJJ) and iri[len(JJJ) :][:1].isupper()
    }
    for iri, term in classes.items():
        if wanted in (iri, slug(iri), iri[len(JJJ) :], term.zh) or (
            wanted.casefold() == term.en.casefold()
        ):
            return iri
    names = sorted({slug(i)[4:] for i in classes} | {t.en for t in classes.values() if t.en})
    near = difflib.get_close_matches(wanted, names, n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(near)}?" if near else ""
    raise UnknownEntity(f"unknown class '{text}'{hint}")


@dataclass(frozen=True)
class Step:
    """One hop of a path: from `source` to `target` along `prop`, forwards or backwards."""

    source: str
    prop: str
    target: str
    forward: bool


def shortest_paths(
    facts: Facts, graph: nx.MultiDiGraph, a: str, b: str, limit: int = 10
) -> list[list[Step]]:
    """The shortest paths between entities `a` and `b`, links walked in either direction.

    Each path is a list of steps; where two entities are linked by several properties the
    first (sorted) is shown. Returns [] when they are not connected.
    """
    import networkx as nx

    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(graph.nodes))
    undirected.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    try:
        paths = sorted(nx.all_shortest_paths(undirected, a, b), key=lambda p: _path_key(facts, p))
    except nx.NetworkXNoPath:
        return []
    result = []
    for path in paths[:limit]:
        steps = []
        for u, v in zip(path, path[1:], strict=False):
            forward = sorted(graph.get_edge_data(u, v, default={}))
            backward = sorted(graph.get_edge_data(v, u, default={}))
            if forward:
                steps.append(Step(u, forward[0], v, True))
            else:
                steps.append(Step(u, backward[0], v, False))
        result.append(steps)
    return result


def _path_key(facts: Facts, path: list[str]) -> list[str]:
    return [facts.name(n, "en") for n in path]


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


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    import networkx as nx

    return ("\n".join(nx.generate_graphml(graph)) + "\n").encode("utf-8")


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    import re

    import networkx as nx

    text = "\n".join(nx.generate_gexf(graph))
    # GEXF stamps today's date; leave it out so the same data gives the same bytes.
    return (re.sub(r' lastmodifieddate="[^"]*"', "", text) + "\n").encode("utf-8")


def write_network(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write `graph` as GraphML or GEXF, chosen by the file's extension."""
    path = Path(path)
    writers = {".graphml": to_graphml, ".gexf": to_gexf}
    if path.suffix not in writers:
        raise JjjkgError(f"cannot write a network to '{path.name}' (use .graphml or .gexf)")
    path.write_bytes(writers[path.suffix](graph))
    return path
