"""Reasoning: the OWL 2 RL consequences of the asserted data, new and useful ones only.

Two engines give the same data entailments (tests/test_reasoning.py checks this on the real
repository):

- `rules` (the default): the rules the ontology actually needs (sub-classes, sub-properties,
  inverses, symmetric and transitive properties, the property chain, domains and ranges;
  `jjjkg.rules`), compiled to SPARQL updates and run inside the Oxigraph store until nothing new
  appears; plus the schema-level closure a reader may want (transitive `rdfs:subClassOf` and
  `rdfs:subPropertyOf` between terms, domains and ranges inherited along them). It grows
  linearly and handles millions of triples.
- `owlrl`: the reference, a full OWL 2 RL closure in Python (`infer_owlrl`); about 1 s per
  2k triples and worse beyond, so for small graphs and for checking the rules.

Either way, what is kept is only what was not asserted, minus owlrl's noise: triples about
literals and blank nodes (restrictions, lists), reflexive `owl:sameAs` / `rdfs:subClassOf` and
the like, statements about the RDF/RDFS/OWL/XSD vocabularies themselves, and typing with
`owl:Thing`, `rdfs:Resource` and other catch-all classes. The result is the named graph
`jjjr:graph/inferred`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from jjjkg.errors import JjjkgError

if TYPE_CHECKING:
    from rdflib import Graph

    from jjjkg.sources import Sources

INFERRED_GRAPH = "https://w3id.org/jjjkg/resource/graph/inferred"
REASONERS = ("rules", "owlrl")

BUILTIN_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# rdf:type objects that say nothing a reader wants to know.
CATCH_ALL_TYPES = {
    OWL + "Thing",
    RDFS + "Resource",
    RDFS + "Class",
    RDFS + "Datatype",
    RDF + "Property",
    OWL + "NamedIndividual",
}
# Predicates whose reflexive use (x p x) is always true and never worth keeping.
REFLEXIVE_NOISE = {
    OWL + "sameAs",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
}
# Objects that make a triple trivially true (everything is a subclass of owl:Thing ...).
TRIVIAL_OBJECTS = {
    OWL + "Thing",
    RDFS + "Resource",
    OWL + "topObjectProperty",
    OWL + "topDataProperty",
}


class ReasonerError(JjjkgError):
    """An unknown reasoner name."""


def is_noise(s, p, o) -> bool:
    """True for inferred triples that add nothing for a reader of the graph."""
    from rdflib import BNode, Literal

    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or isinstance(p, BNode):
        return True
    if str(s).startswith(BUILTIN_NAMESPACES):
        return True
    if str(p) in REFLEXIVE_NOISE and s == o:
        return True
    if str(o) in TRIVIAL_OBJECTS:
        return True
    if str(p) == RDF + "type" and (str(o) in CATCH_ALL_TYPES or str(o).startswith(OWL)):
        return True
    if str(p) == RDFS + "subClassOf" and str(s) == OWL + "Nothing":
        return True
    return False


def infer_owlrl(asserted: Graph) -> Graph:
    """The OWL 2 RL consequences of `asserted` (an rdflib Graph), by owlrl, new and not noise."""
    import owlrl
    from rdflib import Graph, Literal

    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    # owlrl rewrites literals in canonical form ("120" becomes "120.0"); give inferred
    # triples back the lexical form the sources wrote for the same value.
    written: dict = {}
    for o in sorted(set(asserted.objects()), key=lambda term: term.n3()):
        if isinstance(o, Literal) and o.value is not None:
            written.setdefault((o.datatype, o.language, o.value), o)
    inferred = Graph()
    for s, p, o in closure:
        if isinstance(o, Literal) and o.value is not None:
            o = written.get((o.datatype, o.language, o.value), o)
        if (s, p, o) not in asserted and not is_noise(s, p, o):
            inferred.add((s, p, o))
    return inferred


infer = infer_owlrl  # the reference, under its old name


def _iri(term: str) -> str:
    return f"<{term}>"


def _noise_filter(var_s: str = "?s", var_p: str = "?p", var_o: str = "?o") -> str:
    """`is_noise` as a SPARQL boolean expression."""
    s, p, o = var_s, var_p, var_o
    builtin = " || ".join(f'STRSTARTS(STR({s}), "{ns}")' for ns in BUILTIN_NAMESPACES)
    reflexive = ", ".join(_iri(x) for x in sorted(REFLEXIVE_NOISE))
    trivial = ", ".join(_iri(x) for x in sorted(TRIVIAL_OBJECTS))
    catch_all = ", ".join(_iri(x) for x in sorted(CATCH_ALL_TYPES))
    return (
        f"!isIRI({s}) || isBlank({o}) || !isIRI({p}) || {builtin}"
        f" || (sameTerm({s}, {o}) && {p} IN ({reflexive}))"
        f" || (isIRI({o}) && {o} IN ({trivial}))"
        f" || ({p} = {_iri(RDF + 'type')} && isIRI({o})"
        f' && ({o} IN ({catch_all}) || STRSTARTS(STR({o}), "{OWL}")))'
        f" || ({p} = {_iri(RDFS + 'subClassOf')} && {s} = {_iri(OWL + 'Nothing')})"
    )


def schema_closure(store) -> set[tuple[str, str, str]]:
    """What owlrl adds between ontology terms, cheaply: the transitive closure of
    `rdfs:subClassOf` and `rdfs:subPropertyOf` (with equivalences and union members, as the
    rules read them), and domains and ranges inherited along them (OWL 2 RL rules scm-sco,
    scm-spo, scm-uni, scm-dom1/2, scm-rng1/2). Asserted triples included.
    """
    import pyoxigraph as ox

    from jjjkg.rules import _closure, class_pairs, property_pairs

    default = ox.DefaultGraph()

    def pairs(predicate: str) -> set[tuple[str, str]]:
        return {
            (q.subject.value, q.object.value)
            for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None, default)
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
        }

    classes = _closure(class_pairs(store, default))
    properties = _closure(property_pairs(store, default))
    supers_c: dict[str, set[str]] = {}
    for child, parent in classes:
        supers_c.setdefault(child, set()).add(parent)
    supers_p: dict[str, set[str]] = {}
    for child, parent in properties:
        supers_p.setdefault(child, set()).add(parent)
    triples = {(c, RDFS + "subClassOf", d) for c, d in classes}
    triples |= {(p, RDFS + "subPropertyOf", q) for p, q in properties}
    for predicate in (RDFS + "domain", RDFS + "range"):
        stated: dict[str, set[str]] = {}
        for prop, cls in pairs(predicate):
            stated.setdefault(prop, set()).add(cls)
        for prop in set(stated) | set(supers_p):
            for via in {prop} | supers_p.get(prop, set()):
                for cls in stated.get(via, ()):
                    for up in {cls} | supers_c.get(cls, set()):
                        triples.add((prop, predicate, up))
    return triples


def _insert_new(store, graph: str, triples: set[tuple[str, str, str]]) -> None:
    """Add the triples not in the default graph to it and to `graph`."""
    if not triples:
        return
    values = " ".join(f"(<{s}> <{p}> <{o}>)" for s, p, o in sorted(triples))
    store.update(
        f"INSERT {{ ?s ?p ?o . GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p ?o) "
        f"{{ {values} }} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
    )


def _count(store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))[0].value)


def _asserted_rdflib(store) -> Graph:
    """The default graph of `store` (the asserted union) as an rdflib Graph."""
    import pyoxigraph as ox
    from rdflib import Graph

    from jjjkg.dataset import KeepLabels

    graph = Graph()
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph.parse(data=data.decode("utf-8"), format="nt", bnode_context=KeepLabels())
    return graph


def add_inferred(
    sources: Sources,
    reasoner: str = "rules",
    progress: Callable[[str], None] | None = None,
) -> int:
    """Reason over the asserted union of `sources.store`, in place; return the inferred count.

    The new, useful triples go into the named graph `jjjr:graph/inferred` and into the
    default graph (which then holds asserted + inferred, what the check queries see).
    """
    import pyoxigraph as ox

    store = sources.store
    if reasoner == "rules":
        from jjjkg.rules import saturate

        total = 0

        def step(rule: str, new: int) -> None:
            nonlocal total
            total += new
            if progress:
                progress(f"reason: {total:,} triples derived (last rule: {rule})")

        saturate(store, ox.DefaultGraph(), INFERRED_GRAPH, step)
        _insert_new(store, INFERRED_GRAPH, schema_closure(store))
        store.update(
            f"DELETE {{ ?s ?p ?o . GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} FILTER({_noise_filter()}) }}"
        )
    elif reasoner == "owlrl":
        inferred = infer_owlrl(_asserted_rdflib(store))
        data = inferred.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(INFERRED_GRAPH))
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        raise ReasonerError(f"unknown reasoner '{reasoner}' (choose from {', '.join(REASONERS)})")
    return _count(store, INFERRED_GRAPH)
