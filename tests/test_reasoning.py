"""The rules engine (pipeline.rules, the default) against owlrl (the reference) on the real data."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
import pytest
from conftest import REPO

from jjjkg.pipeline.rules import NEW_GRAPH, UNINFORMATIVE_TYPES, saturate

RESOURCE = "https://w3id.org/jjjkg/resource/"
JJJ = "https://w3id.org/jjjkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


def _triples(lines: list[bytes]) -> set[tuple[str, str, str]]:
    import pyoxigraph as ox

    data = b"\n".join(lines) + b"\n"
    return {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)
    }


def _data(triples: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Data triples: about a resource, with an IRI object (links and rdf:type)."""
    return {t for t in triples if t[0].startswith(RESOURCE)}


@pytest.fixture(scope="module")
def reasoned():
    """The real repository, reasoned by both engines: {engine: (asserted, inferred)}."""
    if not (REPO / "ontology" / "jjjkg.ttl").is_file():
        pytest.skip("the repository has no ontology yet")
    from jjjkg.pipeline.load import load_sources, strip_graph
    from jjjkg.pipeline.reason import add_inferred

    results = {}
    for engine in ("rules", "owlrl"):
        sources = load_sources(REPO)
        add_inferred(sources, engine)
        asserted = _triples([strip_graph(line) for line in sources.asserted_lines()])
        results[engine] = (asserted, _triples(sources.inferred))
    return results


def test_rules_equal_owlrl_on_the_data(reasoned):
    asserted, rules = reasoned["rules"]
    _, owlrl = reasoned["owlrl"]
    assert _data(rules), "the rules inferred nothing about the data"
    assert _data(rules) - _data(owlrl) == set(), "inferred by the rules only"
    assert _data(owlrl) - _data(rules) == set(), "inferred by owlrl only"


def test_schema_closure_equals_owlrl(reasoned):
    """Between ontology terms too (sub-class and sub-property chains, inherited domains)."""
    _, rules = reasoned["rules"]
    _, owlrl = reasoned["owlrl"]
    schema = {t for t in owlrl if t[0].startswith(JJJ)}
    assert schema, "owlrl inferred nothing about the ontology"
    assert {t for t in rules if t[0].startswith(JJJ)} == schema


def _axioms(asserted, predicate: str) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in asserted if p == predicate}


def test_types_follow_the_class_hierarchy(reasoned):
    asserted, inferred = reasoned["rules"]
    every = asserted | inferred
    supers = _axioms(asserted, RDFS + "subClassOf")
    checked = 0
    for s, p, o in asserted:
        if p == RDF_TYPE and s.startswith(RESOURCE):
            for sub, sup in supers:
                if sub == o and not sup.startswith(OWL):
                    assert (s, RDF_TYPE, sup) in every, (s, sup)
                    checked += 1
    assert checked > 100


def test_inverses_are_inferred(reasoned):
    asserted, inferred = reasoned["rules"]
    every = asserted | inferred
    pairs = _axioms(asserted, OWL + "inverseOf")
    pairs |= {(b, a) for a, b in pairs}
    checked = 0
    for s, p, o in asserted:
        if s.startswith(RESOURCE) and o.startswith(RESOURCE):
            for prop, inverse in pairs:
                if p == prop:
                    assert (o, inverse, s) in every, (s, p, o)
                    checked += 1
    assert checked > 20
    assert (
        RESOURCE + "place/tianjin",
        JJJ + "contains",
        RESOURCE + "place/binhai-new-area",
    ) in every


def test_sub_properties_are_inferred(reasoned):
    asserted, inferred = reasoned["rules"]
    every = asserted | inferred
    supers = _axioms(asserted, RDFS + "subPropertyOf")
    checked = 0
    for s, p, o in asserted:
        if s.startswith(RESOURCE):
            for sub, sup in supers:
                if p == sub:
                    assert (s, sup, o) in every, (s, p, o, sup)
                    checked += 1
    assert checked > 20


def test_located_in_is_transitive(reasoned):
    asserted, inferred = reasoned["rules"]
    every = asserted | inferred
    located = JJJ + "locatedIn"
    links = {(s, o) for s, p, o in every if p == located}
    chains = [(a, c) for a, b in links for b2, c in links if b == b2 and a != c]
    assert chains, "no chain of jjj:locatedIn in the data"
    assert all((a, located, c) in every for a, c in chains)
    # at least one chain the sources do not state: the reasoner closed it
    assert any((a, located, c) in inferred for a, c in chains)


def test_the_rules_infer_what_owlrl_infers_on_a_tiny_graph():
    """rules.infer (standalone) on a few triples: sub-class, inverse, transitive, union."""
    import pyoxigraph as ox

    ontology = f"""
    @prefix jjj: <{JJJ}> . @prefix owl: <{OWL}> . @prefix rdfs: <{RDFS}> .
    jjj:Company rdfs:subClassOf jjj:Organization .
    jjj:Agent owl:unionOf ( jjj:Organization jjj:Place ) .
    jjj:locatedIn a owl:TransitiveProperty ; owl:inverseOf jjj:contains ; rdfs:range jjj:Place .
    """
    data = f"""
    @prefix jjj: <{JJJ}> . @prefix r: <{RESOURCE}> .
    r:a a jjj:Company ; jjj:locatedIn r:b . r:b jjj:locatedIn r:c .
    """
    axioms = list(ox.parse(ontology.encode(), format=ox.RdfFormat.TURTLE))
    triples = axioms + list(ox.parse(data.encode(), format=ox.RdfFormat.TURTLE))
    derived = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in infer(triples, axioms)
        if isinstance(t.subject, ox.NamedNode)
    }
    r = RESOURCE
    assert {
        (r + "a", RDF_TYPE, JJJ + "Organization"),
        (r + "a", RDF_TYPE, JJJ + "Agent"),
        (r + "a", JJJ + "locatedIn", r + "c"),
        (r + "c", JJJ + "contains", r + "a"),
        (r + "b", RDF_TYPE, JJJ + "Place"),
        (r + "c", RDF_TYPE, JJJ + "Agent"),
    } <= derived


def infer(
    asserted: Iterable[ox.Quad | ox.Triple],
    ontology: Iterable[ox.Triple],
    progress: Callable[[str, int], None] | None = None,
) -> list[ox.Triple]:
    """The triples the rules derive from `asserted` that are not asserted (the rules engine
    run standalone, outside a build).

    ``asserted`` are read as one union graph; ``ontology`` supplies the axioms (it is usually
    part of ``asserted`` as well).
    """
    work = ox.Store()
    axioms = ox.NamedNode("urn:jjjkg:ontology")
    new = ox.NamedNode(NEW_GRAPH)
    work.extend(ox.Quad(t.subject, t.predicate, t.object, axioms) for t in ontology)
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
    saturate(work, axioms, NEW_GRAPH, progress)
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in work.quads_for_pattern(None, None, None, new)
        if not (q.predicate.value == RDF_TYPE and q.object.value in UNINFORMATIVE_TYPES)
    ]
