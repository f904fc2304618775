"""Reasoning: the OWL 2 RL consequences of the asserted data, new and useful ones only.

Two engines give the same data entailments (tests/test_reasoning.py checks this on the real
repository):

- `rules` (the default): the rules the ontology actually needs (sub-classes, sub-properties,
  inverses, symmetric and transitive properties, the property chain, domains and ranges;
  `pipeline.rules`), compiled to SPARQL updates and run inside the Oxigraph store until nothing new
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

from jjjkg.core.errors import ReasonerError
from jjjkg.core.registry import REASONERS
from jjjkg.core.terms import INFERRED_GRAPH, OWL, RDF, RDFS

if TYPE_CHECKING:
    from rdflib import Graph

    from jjjkg.pipeline.load import Sources


BUILTIN_NAMESPACES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)

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


def _term(iri: str) -> bytes:
    return f"<{iri}>".encode()


_BUILTIN_STARTS = tuple(b"<" + ns.encode() for ns in BUILTIN_NAMESPACES)
_REFLEXIVE_TERMS = {_term(iri) for iri in REFLEXIVE_NOISE}
_TRIVIAL_TERMS = {_term(iri) for iri in TRIVIAL_OBJECTS}
_CATCH_ALL_TERMS = {_term(iri) for iri in CATCH_ALL_TYPES}
_TYPE, _SUB_CLASS_OF = _term(RDF + "type"), _term(RDFS + "subClassOf")
_OWL_TERM, _NOTHING = b"<" + OWL.encode(), _term(OWL + "Nothing")


def is_noise_line(line: bytes) -> bool:
    """`is_noise` for an N-Triples line as Oxigraph writes it (`S P O .`, single spaces)."""
    s, p, o = line[:-2].split(b" ", 2)
    if not s.startswith(b"<") or not p.startswith(b"<") or o.startswith(b"_:"):
        return True
    if s.startswith(_BUILTIN_STARTS):
        return True
    if o in _TRIVIAL_TERMS or (s == o and p in _REFLEXIVE_TERMS):
        return True
    if p == _TYPE and (o in _CATCH_ALL_TERMS or o.startswith(_OWL_TERM)):
        return True
    return p == _SUB_CLASS_OF and s == _NOTHING


def schema_closure(store) -> set[tuple[str, str, str]]:
    """What owlrl adds between ontology terms, cheaply: the transitive closure of
    `rdfs:subClassOf` and `rdfs:subPropertyOf` (with equivalences and union members, as the
    rules read them), and domains and ranges inherited along them (OWL 2 RL rules scm-sco,
    scm-spo, scm-uni, scm-dom1/2, scm-rng1/2). Asserted triples included.
    """
    import pyoxigraph as ox

    from jjjkg.pipeline.rules import _closure, class_pairs, property_pairs

    default = None  # every graph: what the sources state anywhere

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


def _new_schema_lines(store) -> bytes:
    """`schema_closure` minus what the store holds already (asserted or derived), as N-Triples."""
    import pyoxigraph as ox

    lines = []
    for s, p, o in sorted(schema_closure(store)):
        found = store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), None)
        if next(found, None) is None:  # in no graph, asserted or inferred
            lines.append(f"<{s}> <{p}> <{o}> .\n")
    return "".join(lines).encode()


def add_inferred(
    sources: Sources,
    reasoner: str = "rules",
    progress: Callable[[str], None] | None = None,
) -> int:
    """Reason over the asserted union (the default graph of `sources.store`); return the count.

    The new, useful triples go into the named graph `jjjr:graph/inferred` (queries that want
    asserted + inferred take the default graph and that graph together: they never share a
    triple); their N-Triples lines, sorted, are left in `sources.inferred` for the writers.
    """
    import pyoxigraph as ox

    from jjjkg.pipeline.rules import add_triples

    store = sources.store
    graph = ox.NamedNode(INFERRED_GRAPH)
    chunks: list[bytes] = []
    if reasoner == "rules":
        from jjjkg.pipeline.rules import saturate

        total = 0

        def step(rule: str, new: int) -> None:
            nonlocal total
            total += new
            if progress:
                progress(f"reason: {total:,} triples derived (last rule: {rule})")

        saturate(store, None, INFERRED_GRAPH, step, chunks)
        schema = _new_schema_lines(store)
        add_triples(store, schema, [graph])
        chunks.append(schema)
    elif reasoner == "owlrl":
        inferred = infer_owlrl(sources.asserted_rdflib())
        # Through Oxigraph once, so the lines are written (and literals spelled) as its own.
        work = ox.Store()
        work.load(inferred.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        data = work.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        add_triples(store, data, [graph])
        chunks.append(data)
    else:
        raise ReasonerError(f"unknown reasoner '{reasoner}' (choose from {', '.join(REASONERS)})")
    lines = {line for chunk in chunks for line in chunk.split(b"\n") if line}
    noise = {line for line in lines if is_noise_line(line)}
    if noise:
        for t in ox.parse(b"\n".join(noise), format=ox.RdfFormat.N_TRIPLES):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
    sources.inferred = sorted(lines - noise)
    return len(sources.inferred)
