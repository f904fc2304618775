"""What the pages and the network read out of the built graph, once, as plain Python objects.

`load_facts` reads a pyoxigraph Store (the build's own, or one loaded from `dist/jjjkg.nq`):
entities (typed resources of the data graphs, with zh/en names, their most specific class, the
paragraphs that state them, their statuses and figures), the links between them
(object-property triples, with the paragraphs stating each), classes and properties from the
ontology graph, and the article's sections and paragraphs. A claim's paragraph is its graph
when that is a `jjj:Paragraph`, else the graph's `jjj:inParagraph` (a sentence graph).

How the site draws a class (family, colour, shape) is read from the ontology's
`jjj:siteFamily`, `jjj:siteColour` and `jjj:siteShape` annotations: the nearest annotated
class among the class and its ancestors wins. Everything is sorted, so the same data gives
the same facts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jjjkg.core.terms import (
    DATASET_GRAPH,
    IN_PARAGRAPH,
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    OWL,
    RDF_TYPE,
    RDFS_LABEL,
    SHAPES_GRAPH,
    SITE_COLOUR,
    SITE_FAMILY,
    SITE_SHAPE,
    SKOS,
    SKOS_ALT,
    SKOS_DEFINITION,
    SKOS_PREF,
    SUB_CLASS_OF,
    slug,
)

if TYPE_CHECKING:
    import pyoxigraph as ox

# A family's names, in the order the site lists families; "other" is a class without one.
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
OTHER_STYLE = ("#9e9e9e", "dot")  # colour and shape of a class no annotation reaches
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


@dataclass
class Term:
    """A class, property or concept: its names, definition and (classes) site annotations."""

    iri: str
    zh: str = ""
    en: str = ""
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    site: dict[str, str] = field(default_factory=dict)  # SITE_FAMILY/COLOUR/SHAPE → value

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
    inferred: bool = False  # stated only by the reasoner (facts read with inferred=True)


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
    # (s, p, o) of the ontology graph, sorted: IRIs as str, literals and blank nodes as
    # pyoxigraph terms
    ontology: list[tuple]
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

    def site(self, cls: str, annotation: str) -> str | None:
        """A site annotation of `cls`, from the nearest of it and its ancestors that has one."""
        for ancestor in self.ancestors(cls):
            term = self.terms.get(ancestor)
            if term is not None and annotation in term.site:
                return term.site[annotation]
        return None

    def family(self, cls: str) -> str:
        return self.site(cls, SITE_FAMILY) or "other"

    def style(self, cls: str) -> tuple[str, str]:
        """(colour, vis shape) of a class."""
        return (
            self.site(cls, SITE_COLOUR) or OTHER_STYLE[0],
            self.site(cls, SITE_SHAPE) or OTHER_STYLE[1],
        )


def label_in(thing, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    return getattr(thing, lang) or getattr(thing, other) or slug(thing.iri)


def paragraph_id(graph: str) -> str:
    """`p03` for a paragraph graph, `background` / `catalogue` for the others."""
    return graph.rstrip("/").rsplit("/", 1)[-1]


def plain(term) -> str:
    """The text of a term as `load_facts` keeps it: an IRI, a literal's value, a bnode id."""
    return term if isinstance(term, str) else term.value


# -- reading a store --


def quad_store(source) -> ox.Store:
    """A pyoxigraph Store of every named graph: `source` itself, or `source.named()` (a
    `jjjkg.dist.store.Store`), or an rdflib Dataset converted once (tests, old callers)."""
    import pyoxigraph as ox

    if isinstance(source, ox.Store):
        return source
    if hasattr(source, "named"):
        return source.named()
    store = ox.Store()
    store.load(source.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def _quads(store: ox.Store, inferred: bool, graph: str | None = None) -> list[tuple]:
    """(s, p, o, g, key) of the named graphs but shapes (and inferred unless asked), or of
    `graph` alone, sorted by graph and N-Triples text: IRIs as str, other terms as pyoxigraph
    terms."""
    import pyoxigraph as ox

    skipped = {SHAPES_GRAPH, DATASET_GRAPH} | (set() if inferred else {INFERRED_GRAPH})
    rows = []
    only = ox.NamedNode(graph) if graph is not None else None
    for quad in store.quads_for_pattern(None, None, None, only):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode) or graph.value in skipped:
            continue
        s, o = quad.subject, quad.object
        rows.append(
            (
                s.value if isinstance(s, ox.NamedNode) else s,
                quad.predicate.value,
                o.value if isinstance(o, ox.NamedNode) else o,
                graph.value,
                (graph.value, str(s), quad.predicate.value, str(o)),
            )
        )
    rows.sort(key=lambda row: row[4])
    return rows


def load_facts(source, inferred: bool = False) -> Facts:
    """Read entities, links, terms and the article structure out of the built graph.

    `source`: a pyoxigraph Store holding the built named graphs (the build's store, or
    `jjjkg.dist.store.Store`, whose `named()` is one). With `inferred`, the reasoner's graph
    counts too: entities get their most specific class of the closure, and its links between
    entities join the others with `inferred=True`.
    """

    onto: list[tuple] = []
    data: list[tuple] = []
    for s, p, o, g, _ in _quads(quad_store(source), inferred):
        if g == ONTOLOGY_GRAPH:
            onto.append((s, p, o))
        else:
            data.append((s, p, o, g))

    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o, _ in data:
        if isinstance(s, str):
            values[s][p].append(o)
    names, alts = _names(onto + data)
    facts = _ontology(onto, values, names)
    types: dict[str, list[str]] = defaultdict(list)
    for s, p, o, _ in data:
        if p == RDF_TYPE and isinstance(s, str) and isinstance(o, str):
            types[s].append(o)
    for iri in sorted(types):
        cls = most_specific(facts, types[iri])
        if cls is not None:
            label = names.get(iri, {})
            facts.entities[iri] = Entity(
                iri,
                label.get("zh", ""),
                label.get("en", ""),
                sorted(set(alts[iri])),
                cls,
                facts.family(cls),
            )

    _article(facts, values, names)
    where = _paragraph_of_graph(facts, values)
    stated: dict[tuple, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)  # sets: a hub is in thousands
    for s, p, o, g in data:
        pid = where.get(g) or paragraph_id(g)
        if pid in facts.paragraphs:
            for node in (s, o):
                if isinstance(node, str) and node in facts.entities:
                    mentioned[node].add(pid)
        if p != RDF_TYPE and s in facts.entities and isinstance(o, str) and o in facts.entities:
            stated[(s, p, o)].add(pid)
    facts.links = [
        Link(s, p, o, tuple(sorted(w - {"inferred"})), w == {"inferred"})
        for (s, p, o), w in sorted(stated.items())
    ]
    figures: dict[str, dict[str, None]] = defaultdict(dict)  # in order, without repeats
    for entity in facts.entities.values():
        entity.paragraphs = sorted(mentioned[entity.iri])
        entity.statuses = sorted({plain(o) for o in values[entity.iri].get(JJJ + "hasStatus", [])})
        if entity.family == "figures":
            entity.figure = _figure(values[entity.iri])
            for subject in entity.figure.get("of", []):
                if subject in facts.entities:
                    figures[subject][entity.iri] = None
    for iri, found in figures.items():
        facts.entities[iri].figures = list(found)
    return facts


def ontology_facts(source) -> Facts:
    """Facts with the ontology's classes and properties only (no entities, links or
    article), read from the ontology graph alone: enough to name a property and to tell a
    resource's class and family (`most_specific`, `Facts.family`) at any size of data."""
    onto = [(s, p, o) for s, p, o, *_ in _quads(quad_store(source), False, ONTOLOGY_GRAPH)]
    names, _ = _names(onto)
    return _ontology(onto, {}, names)


def _names(rows: list[tuple]) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """({iri: {lang: name}}, {iri: alternative names}) of the rows' zh and en labels."""
    import pyoxigraph as ox

    names: dict[str, dict[str, str]] = defaultdict(dict)
    alts: dict[str, list[str]] = defaultdict(list)
    for s, p, o, *_ in rows:
        if isinstance(o, ox.Literal) and o.language in ("zh", "en") and isinstance(s, str):
            if p in (SKOS_PREF, RDFS_LABEL):
                names[s].setdefault(o.language, o.value)
            elif p == SKOS_ALT:
                alts[s].append(o.value)
    return names, alts


def _ontology(onto: list[tuple], values: dict, names: dict) -> Facts:
    """Facts holding the terms (and the ontology triples), nothing else yet."""
    facts = Facts({}, [], _terms(onto, values, names), {}, {}, onto)
    facts.properties = {
        s for s, p, o in onto if p == RDF_TYPE and isinstance(o, str) and o.endswith("Property")
    }
    return facts


def _terms(onto: list[tuple], values: dict, names: dict) -> dict[str, Term]:
    import pyoxigraph as ox

    site = {SITE_FAMILY, SITE_COLOUR, SITE_SHAPE}
    terms: dict[str, Term] = {}
    for s, p, o in onto:
        if isinstance(s, str):
            term = terms.setdefault(s, Term(s))
            if p == SUB_CLASS_OF and isinstance(o, str):
                term.parents.append(o)
            elif p == SKOS_DEFINITION and not term.definition:
                term.definition = plain(o)
            elif p in site and isinstance(o, ox.Literal):
                term.site.setdefault(p, o.value)
    # Concepts of the vocabularies (statuses, units, qualifiers, indicators) are terms too.
    for iri in values:
        if SKOS + "inScheme" in values[iri] or iri in terms:
            terms.setdefault(iri, Term(iri))
    for iri, term in terms.items():
        term.zh = names.get(iri, {}).get("zh", "")
        term.en = names.get(iri, {}).get("en", "")
    return dict(sorted(terms.items()))


def most_specific(facts: Facts, classes: list[str]) -> str | None:
    """The deepest of the classes that make a resource an entity, or None (vocabulary and
    source description: a class of NOT_ENTITIES, and no class with a family)."""
    chosen = [c for c in sorted(set(classes)) if facts.family(c) != "other"]
    if not chosen:
        if any(set(facts.ancestors(c)) & NOT_ENTITIES for c in classes):
            return None
        chosen = sorted(set(classes))
    ours = [c for c in chosen if c.startswith(JJJ)] or chosen
    return max(ours, key=lambda c: (len(facts.ancestors(c)), c.startswith(JJJ)))


def _article(facts: Facts, values: dict, names: dict) -> None:
    """Sections and paragraphs of the source description."""
    for iri, props in values.items():
        kinds = {plain(t) for t in props.get(RDF_TYPE, [])}
        label = names.get(iri, {})
        if JJJ + "ArticleSection" in kinds:
            number = int(plain(props.get(JJJ + "sectionNumber", ["0"])[0]))
            facts.sections[iri] = Section(iri, number, label.get("zh", ""), label.get("en", ""))
        elif JJJ + "Paragraph" in kinds:
            pid = paragraph_id(iri)
            section = plain(props[JJJ + "inSection"][0]) if JJJ + "inSection" in props else ""
            evidence = plain(props[JJJ + "evidence"][0]) if JJJ + "evidence" in props else ""
            number = int(plain(props.get(JJJ + "paragraphNumber", ["0"])[0]))
            facts.paragraphs[pid] = Paragraph(
                iri, pid, number, section, label.get("zh", ""), label.get("en", ""), evidence
            )
    facts.paragraphs = dict(sorted(facts.paragraphs.items(), key=lambda kv: kv[1].number))
    facts.sections = dict(sorted(facts.sections.items(), key=lambda kv: kv[1].number))
    for paragraph in facts.paragraphs.values():
        if paragraph.section in facts.sections:
            facts.sections[paragraph.section].paragraphs.append(paragraph.id)


def _paragraph_of_graph(facts: Facts, values: dict) -> dict[str, str]:
    """Graph IRI → paragraph id: a paragraph's own graph, and each sentence graph's
    paragraph (`jjj:inParagraph`)."""
    ids = {p.iri: p.id for p in facts.paragraphs.values()}
    where = dict(ids)
    for iri, props in values.items():
        for paragraph in props.get(IN_PARAGRAPH, []):
            if plain(paragraph) in ids:
                where.setdefault(iri, ids[plain(paragraph)])
    return where


def _figure(props: dict) -> dict:
    """The parts of an observation, as plain values."""

    def one(name, convert=str):
        found = props.get(JJJ + name)
        return convert(plain(found[0])) if found else None

    return {
        "of": sorted(plain(o) for o in props.get(JJJ + "observationOf", [])),
        "value": one("value", float),
        "upper": one("upperValue", float),
        "unit": one("unit"),
        "measure": one("measure"),
        "year": one("referenceYear"),
        "baseline": one("baselineYear"),
        "start": one("periodStart"),
        "end": one("periodEnd"),
        "qualifiers": sorted(plain(o) for o in props.get(JJJ + "qualifier", [])),
        "stated": one("statedAs") or "",
    }


# -- finding an entity or class by name --
