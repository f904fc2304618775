"""Counts over the built dataset: classes, properties, label coverage, claims per section.

Every count is a SPARQL aggregate over the named graphs of the read-only store
(`jjjkg.dist.store`, `Store.named()`), so `jjjkg stats` reads no triple into Python and
opens the build's on-disk store at any size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jjjkg.core.counts import IN_DATA, by_count, entity_classes
from jjjkg.core.terms import DATASET_GRAPH, INFERRED_GRAPH, JJJ, RDFS_LABEL, SKOS_PREF, short

LANGUAGES = ("zh", "en")


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


_PER_GRAPH = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{DATASET_GRAPH}>) }} GROUP BY ?g"""
_PER_PROPERTY = f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER({IN_DATA}) }} GROUP BY ?p"""
# typed resources but sentences, with a zh or en label (skos:prefLabel or rdfs:label)
_LABELLED = f"""SELECT ?lang (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?c }} FILTER(isIRI(?s) && {IN_DATA}) }} }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s a <{JJJ}Sentence> }} FILTER({IN_DATA}) }}
  VALUES ?lp {{ <{SKOS_PREF}> <{RDFS_LABEL}> }}
  GRAPH ?g {{ ?s ?lp ?label }} FILTER({IN_DATA} && isLiteral(?label))
  BIND(LCASE(STRBEFORE(CONCAT(LANG(?label), "-"), "-")) AS ?lang)
  FILTER(?lang IN ("zh", "en"))
}} GROUP BY ?lang"""
_PARAGRAPHS = f"""SELECT DISTINCT ?paragraph ?section WHERE {{
  GRAPH ?g {{ ?paragraph a <{JJJ}Paragraph> }}
  OPTIONAL {{ GRAPH ?h {{ ?paragraph <{JJJ}inSection> ?section }} }}
}}"""
_SECTIONS = f"""SELECT DISTINCT ?section ?number ?zh ?en WHERE {{
  GRAPH ?g {{ ?section a <{JJJ}ArticleSection> }}
  OPTIONAL {{ GRAPH ?h {{ ?section <{JJJ}sectionNumber> ?number }} }}
  OPTIONAL {{ GRAPH ?i {{ ?section <{SKOS_PREF}> ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }} }}
  OPTIONAL {{ GRAPH ?j {{ ?section <{SKOS_PREF}> ?en FILTER(LANGMATCHES(LANG(?en), "en")) }} }}
}}"""
_IN_PARAGRAPH = f"""SELECT DISTINCT ?sentence ?paragraph WHERE {{
  GRAPH ?g {{ ?sentence <{JJJ}inParagraph> ?paragraph }} }}"""


def compute_stats(store) -> Stats:
    """Stats of the built dataset: `store` holds its named graphs (`Store.named()`)."""
    stats = Stats()
    stats.entities, stats.classes = entity_classes(store)
    per_graph = {g.value: int(n.value) for g, n in store.query(_PER_GRAPH)}
    stats.triples = sum(per_graph.values())
    stats.inferred = per_graph.get(INFERRED_GRAPH, 0)
    stats.properties = by_count((short(p), int(n.value)) for p, n in store.query(_PER_PROPERTY))
    stats.named = stats.entities - dict(stats.classes).get("jjj:Sentence", 0)
    labelled = {lang.value: int(n.value) for lang, n in store.query(_LABELLED)}
    stats.labels = [(lang, labelled.get(lang, 0)) for lang in LANGUAGES]
    stats.sections = _sections(store, per_graph)
    return stats


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sections(store, per_graph: dict[str, int]) -> list[Section]:
    """Claims (triples) in the paragraph and sentence graphs of each article section."""
    # a sentence graph's claims count for its paragraph (jjj:inParagraph)
    paragraph_of = {s.value: p.value for s, p in store.query(_IN_PARAGRAPH)}
    claims: dict[str, int] = {}
    for graph, count in per_graph.items():
        paragraph = paragraph_of.get(graph, graph)
        claims[paragraph] = claims.get(paragraph, 0) + count
    section_of: dict[str, str | None] = {}
    for paragraph, section in store.query(_PARAGRAPHS):
        if section is not None or paragraph.value not in section_of:
            section_of[paragraph.value] = section.value if section is not None else None
    named: dict[str, tuple[int | None, str]] = {}
    for section, number, zh, en in store.query(_SECTIONS):
        label = (zh or en or section).value
        named.setdefault(section.value, (_number(number.value) if number else None, label))
    rows = []
    for section in set(named) | {s for s in section_of.values() if s is not None}:
        members = [p for p, s in section_of.items() if s == section]
        number, label = named.get(section, (None, section))
        rows.append(Section(number, label, len(members), sum(claims.get(p, 0) for p in members)))
    loose = [p for p, s in section_of.items() if s is None]
    if loose:
        rows.append(Section(None, "(no section)", len(loose), sum(claims.get(p, 0) for p in loose)))
    return sorted(rows, key=lambda r: (r.number is None, r.number or 0, r.label))
