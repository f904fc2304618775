"""The claims about each entity, with the sentence or paragraph that states them.

Reads the asserted quads of a built dataset (an rdflib Dataset or a pyoxigraph Store) once.
A claim sits either in a sentence graph (`jart:p05-s1`, a `jjj:Sentence` whose paragraph is
its `jjj:inParagraph`), in a paragraph graph (`jart:p05`, the older shape), or in a graph
that is not the article (background, catalogue). `Provenance.where(graph)` tells which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from jjjkg.core.terms import (
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    RDFS_LABEL,
    SHAPES_GRAPH,
    SKOS_ALT,
    SKOS_PREF,
)

NAMES = {RDF_TYPE, RDFS_LABEL, SKOS_PREF, SKOS_ALT}  # shown as names and class, not claims
LEFT_OUT = {ONTOLOGY_GRAPH, SHAPES_GRAPH, INFERRED_GRAPH}


@dataclass(frozen=True)
class Lit:
    """A literal object: its text, language tag and datatype IRI."""

    value: str
    lang: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class Claim:
    subject: str
    prop: str
    object: str | Lit  # an IRI, or a literal
    graph: str


@dataclass
class Sentence:
    iri: str
    paragraph: str  # the paragraph's IRI
    number: int
    text: str


@dataclass
class Provenance:
    """Claims by entity (as subject or as object), sentences, and the article's paragraphs."""

    claims: dict[str, list[Claim]] = field(default_factory=dict)
    sentences: dict[str, Sentence] = field(default_factory=dict)  # by IRI
    paragraphs: set[str] = field(default_factory=set)  # IRIs of jjj:Paragraph
    _by_paragraph: dict[str, list[Sentence]] = field(default_factory=dict, repr=False)

    def paragraph_of(self, graph: str) -> str | None:
        """The paragraph IRI of a claim's graph: the graph itself if it is a paragraph, else
        the paragraph of its sentence; None for background and catalogue graphs."""
        if graph in self.paragraphs:
            return graph
        sentence = self.sentences.get(graph)
        return sentence.paragraph if sentence else None

    def sentence_of(self, graph: str) -> Sentence | None:
        return self.sentences.get(graph)

    def paragraph_text(self, paragraph: str) -> list[Sentence]:
        """The sentences of a paragraph, in order (empty when the data has none)."""
        if not self._by_paragraph and self.sentences:
            for sentence in sorted(self.sentences.values(), key=lambda s: (s.number, s.iri)):
                self._by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
        return self._by_paragraph.get(paragraph, [])


def quads(source):
    """(subject, predicate, object, graph) of every quad, IRIs as strings, literals as Lit;
    quads with a blank node are left out. `source`: rdflib Dataset or pyoxigraph Store."""
    if hasattr(source, "quads_for_pattern"):
        for q in source.quads_for_pattern(None, None, None, None):
            s, o, g = q.subject, q.object, q.graph_name
            if type(s).__name__ != "NamedNode" or type(o).__name__ == "BlankNode":
                continue
            graph = getattr(g, "value", "")
            yield s.value, q.predicate.value, _ox_object(o), graph
        return
    from rdflib import Literal, URIRef

    for s, p, o, g in source.quads((None, None, None, None)):
        if not isinstance(s, URIRef) or not isinstance(o, (URIRef, Literal)):
            continue
        graph = str(g.identifier if hasattr(g, "identifier") else g)
        if isinstance(o, Literal):
            obj = Lit(str(o), o.language or "", str(o.datatype or ""))
        else:
            obj = str(o)
        yield str(s), str(p), obj, graph


def _ox_object(o) -> str | Lit:
    if type(o).__name__ == "NamedNode":
        return o.value
    return Lit(o.value, o.language or "", o.datatype.value if o.datatype else "")


def read_claims(source, entities: set[str]) -> Provenance:
    """The asserted claims about `entities` and the sentences of the source description."""
    found = Provenance()
    by_entity: dict[str, set[Claim]] = defaultdict(set)
    sentences: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s, p, o, g in quads(source):
        if g in LEFT_OUT:
            continue
        if p == RDF_TYPE and o == JJJ + "Paragraph":
            found.paragraphs.add(s)
        if p in (JJJ + "inParagraph", JJJ + "sentenceNumber", JJJ + "text"):
            sentences[s][p].append(o)
        if p in NAMES:
            continue
        claim = Claim(s, p, o, g)
        if s in entities:
            by_entity[s].add(claim)
        if isinstance(o, str) and o in entities:
            by_entity[o].add(claim)
    for iri, props in sentences.items():
        if props.get(JJJ + "inParagraph"):
            number = props.get(JJJ + "sentenceNumber") or [Lit("0")]
            text = props.get(JJJ + "text") or [Lit("")]
            found.sentences[iri] = Sentence(
                iri, str(props[JJJ + "inParagraph"][0]), int(number[0].value), text[0].value
            )
    found.claims = {
        iri: sorted(claims, key=_claim_key) for iri, claims in sorted(by_entity.items())
    }
    return found


def _claim_key(claim: Claim) -> tuple:
    obj = claim.object
    text = obj if isinstance(obj, str) else f"{obj.value}\0{obj.lang}\0{obj.datatype}"
    return (claim.prop, claim.subject, text, claim.graph)


def located_in(source) -> set[tuple[str, str]]:
    """Every (thing, place) of `jjj:locatedIn` in any graph, the inferred graph included
    (so transitive steps and sub-properties count)."""
    wanted = JJJ + "locatedIn"
    return {
        (s, o)
        for s, p, o, g in quads(source)
        if p == wanted and isinstance(o, str) and g not in (ONTOLOGY_GRAPH, SHAPES_GRAPH)
    }
