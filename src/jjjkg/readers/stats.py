"""Counts over the built dataset: classes, properties, label coverage, claims per section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jjjkg.core.terms import (
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    RDFS_LABEL,
    SHAPES_GRAPH,
    SKOS_PREF,
    short,
)

if TYPE_CHECKING:
    from rdflib import Dataset

LANGUAGES = ("zh", "en")
NOT_DATA = {
    "https://w3id.org/jjjkg/resource/graph/shapes",
    "https://w3id.org/jjjkg/resource/graph/inferred",
    "https://w3id.org/jjjkg/resource/graph/ontology",
}


@dataclass
class Section:
    number: int | None
    label: str
    paragraphs: int
    claims: int


@dataclass
class Stats:
    triples: int = 0
    inferred: int = 0
    entities: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)
    labels: list[tuple[str, int]] = field(default_factory=list)  # (language, entities labelled)
    named: int = 0  # typed resources that need a name: all but sentences (their text names them)
    sections: list[Section] = field(default_factory=list)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def compute_stats(ds: Dataset) -> Stats:
    """Stats of the built dataset (as `jjjkg.dist.dataset.load_built` returns it)."""
    from rdflib import Literal, URIRef

    stats = Stats()
    stats.entities, stats.classes = entity_classes(ds)
    properties: dict[str, int] = {}
    entities, sentences = set(), set()
    labels: dict[str, set] = {lang: set() for lang in LANGUAGES}
    per_graph: dict = {}
    quads = list(ds.quads((None, None, None, None)))
    for s, p, o, g in quads:
        graph = str(g)
        if graph == SHAPES_GRAPH:
            continue
        if graph == INFERRED_GRAPH:
            stats.inferred += 1
        stats.triples += 1
        per_graph[g] = per_graph.get(g, 0) + 1
        if graph in NOT_DATA:
            continue
        key = short(p)
        properties[key] = properties.get(key, 0) + 1
        if str(p) == RDF_TYPE and isinstance(s, URIRef):
            entities.add(s)
            if str(o) == JJJ + "Sentence":
                sentences.add(s)
        if str(p) in (SKOS_PREF, RDFS_LABEL) and isinstance(o, Literal) and o.language:
            lang = o.language.lower().split("-")[0]
            if lang in labels:
                labels[lang].add(s)
    stats.properties = sorted(properties.items(), key=lambda kv: (-kv[1], kv[0]))
    named = entities - sentences
    stats.named = len(named)
    stats.labels = [(lang, len(labels[lang] & named)) for lang in LANGUAGES]
    stats.sections = _sections(quads, per_graph)
    return stats


def _sections(quads: list[tuple], per_graph: dict) -> list[Section]:
    """Claims (triples) in the paragraph and sentence graphs of each article section."""
    from rdflib import Literal

    a, in_section, section_number = RDF_TYPE, JJJ + "inSection", JJJ + "sectionNumber"
    paragraphs: set = set()
    section_of: dict = {}
    in_paragraph: dict = {}
    numbers: dict = {}
    names: dict = {}
    sections: set = set()
    for s, p, o, _ in quads:
        p = str(p)
        if p == a and str(o) == JJJ + "Paragraph":
            paragraphs.add(s)
        elif p == a and str(o) == JJJ + "ArticleSection":
            sections.add(s)
        elif p == in_section:
            section_of[s] = o
        elif p == JJJ + "inParagraph":
            in_paragraph[s] = o
        elif p == section_number:
            numbers[s] = _number(o)
        elif p in (SKOS_PREF, RDFS_LABEL) and isinstance(o, Literal):
            names.setdefault(s, {})[o.language or ""] = str(o)
    # a sentence graph's claims count for its paragraph (jjj:inParagraph)
    claims: dict = {}
    for g, count in per_graph.items():
        paragraph = in_paragraph.get(g, g)
        claims[paragraph] = claims.get(paragraph, 0) + count
    rows = []
    for section in sections | {section_of[p] for p in paragraphs if p in section_of}:
        members = [p for p in paragraphs if section_of.get(p) == section]
        label = names.get(section, {})
        rows.append(
            Section(
                number=numbers.get(section),
                label=label.get("zh") or label.get("en") or str(section),
                paragraphs=len(members),
                claims=sum(claims.get(p, 0) for p in members),
            )
        )
    loose = [p for p in paragraphs if p not in section_of]
    if loose:
        rows.append(Section(None, "(no section)", len(loose), sum(claims.get(p, 0) for p in loose)))
    return sorted(rows, key=lambda r: (r.number is None, r.number or 0, r.label))


def entity_classes(ds: Dataset) -> tuple[int, list[tuple[str, int]]]:
    """Typed resources of the data graphs of an rdflib Dataset (`jjjkg.readers.stats` uses this):
    how many, and how many per asserted class. Same counts as `store_entity_classes`.
    """
    from rdflib import URIRef

    members: dict[str, set] = {}
    skip = {SHAPES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH}
    for s, _, o, g in ds.quads((None, URIRef(RDF_TYPE), None, None)):
        if str(g) not in skip and isinstance(s, URIRef):
            members.setdefault(short(o), set()).add(s)
    entities = set().union(*members.values()) if members else set()
    counts = sorted(((c, len(m)) for c, m in members.items()), key=lambda cm: (-cm[1], cm[0]))
    return len(entities), counts
