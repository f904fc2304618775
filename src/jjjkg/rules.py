"""The OWL 2 RL rules the jjjkg ontology needs, run as SPARQL updates inside an Oxigraph store.

owlrl is the reference reasoner, but it works triple by triple in Python and grows too slow past
a few hundred thousand triples. The ontology uses only a handful of constructs (sub-classes,
sub-properties, inverses, symmetric and transitive properties, one property chain, domains and
ranges), so their rules are compiled into a few SPARQL updates that Oxigraph runs natively, repeated
until nothing new appears. Tests check the result equal to owlrl's on the article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"

# Classes and properties whose members every resource would get; owlrl's output of them is noise.
UNINFORMATIVE_TYPES = {OWL + "Thing", RDFS + "Resource"}


def _pairs(store: ox.Store, graph: ox.NamedNode, predicate: str) -> set[tuple[str, str]]:
    return {
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None, graph)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    }


def _closure(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Transitive closure of a small relation (the ontology's hierarchies), without self-pairs."""
    parents: dict[str, set[str]] = {}
    for child, parent in pairs:
        parents.setdefault(child, set()).add(parent)
    closed = set()
    for start in parents:
        stack, seen = list(parents[start]), set()
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(parents.get(node, ()))
        closed.update((start, node) for node in seen)
    return closed


def _list_items(store: ox.Store, graph: ox.NamedNode, head: ox.Node) -> list[str]:
    items = []
    while not (isinstance(head, ox.NamedNode) and head.value == RDF_NIL):
        first = next(store.quads_for_pattern(head, ox.NamedNode(RDF_FIRST), None, graph), None)
        rest = next(store.quads_for_pattern(head, ox.NamedNode(RDF_REST), None, graph), None)
        if first is None or rest is None:
            return []
        items.append(first.object.value)
        head = rest.object
    return items


def _values(rows: Iterable[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"<{term}>" for term in row) + ")" for row in sorted(rows))


def compile_rules(store: ox.Store, ontology_graph: ox.NamedNode) -> list[str]:
    """Turn the ontology's axioms into SPARQL updates over the store's default graph.

    Each update inserts what it derives both into the default graph (so later rules see it) and
    into the named graph ``<urn:jjjkg:new>``, which collects exactly the new triples.
    """
    typed = {
        kind: {
            q.subject.value
            for q in store.quads_for_pattern(
                None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + kind), ontology_graph
            )
        }
        for kind in ("TransitiveProperty", "SymmetricProperty")
    }
    sub_classes = _closure(_pairs(store, ontology_graph, RDFS + "subClassOf"))
    sub_properties = _closure(_pairs(store, ontology_graph, RDFS + "subPropertyOf"))
    inverses = _pairs(store, ontology_graph, OWL + "inverseOf")
    inverses |= {(b, a) for a, b in inverses}
    domains = _pairs(store, ontology_graph, RDFS + "domain")
    ranges = _pairs(store, ontology_graph, RDFS + "range")
    chains = []
    for quad in store.quads_for_pattern(
        None, ox.NamedNode(OWL + "propertyChainAxiom"), None, ontology_graph
    ):
        steps = _list_items(store, ontology_graph, quad.object)
        if len(steps) == 2:
            chains.append((quad.subject.value, *steps))

    def insert(triple: str, where: str) -> str:
        return (
            f"INSERT {{ {triple} GRAPH <urn:jjjkg:new> {{ {triple} }} }} "
            f"WHERE {{ {where} FILTER NOT EXISTS {{ {triple} }} }}"
        )

    rules = []
    if sub_classes:
        rules.append(insert("?x a ?d .", f"VALUES (?c ?d) {{ {_values(sub_classes)} }} ?x a ?c ."))
    if sub_properties:
        rules.append(
            insert("?s ?q ?o .", f"VALUES (?p ?q) {{ {_values(sub_properties)} }} ?s ?p ?o .")
        )
    if inverses:
        rules.append(
            insert(
                "?o ?q ?s .",
                f"VALUES (?p ?q) {{ {_values(inverses)} }} ?s ?p ?o . FILTER(!isLiteral(?o))",
            )
        )
    for prop in sorted(typed["SymmetricProperty"]):
        rules.append(insert(f"?o <{prop}> ?s .", f"?s <{prop}> ?o . FILTER(!isLiteral(?o))"))
    for prop in sorted(typed["TransitiveProperty"]):
        rules.append(insert(f"?x <{prop}> ?z .", f"?x <{prop}> ?y . ?y <{prop}>+ ?z ."))
    for target, first, second in sorted(chains):
        rules.append(insert(f"?x <{target}> ?z .", f"?x <{first}> ?y . ?y <{second}> ?z ."))
    if domains:
        rules.append(insert("?s a ?c .", f"VALUES (?p ?c) {{ {_values(domains)} }} ?s ?p ?o ."))
    object_ranges = {
        (p, c) for p, c in ranges if not c.startswith("http://www.w3.org/2001/XMLSchema#")
    }
    if object_ranges:
        rules.append(
            insert(
                "?o a ?c .",
                f"VALUES (?p ?c) {{ {_values(object_ranges)} }} ?s ?p ?o . FILTER(!isLiteral(?o))",
            )
        )
    return rules


def infer(
    asserted: Iterable[ox.Quad | ox.Triple],
    ontology: Iterable[ox.Triple],
    progress: Callable[[str, int], None] | None = None,
) -> list[ox.Triple]:
    """Return the triples the rules derive from the asserted triples that are not asserted.

    ``asserted`` are read as one union graph; ``ontology`` supplies the axioms (it is usually
    part of ``asserted`` as well).
    """
    work = ox.Store()
    axioms = ox.NamedNode("urn:jjjkg:ontology")
    new = ox.NamedNode("urn:jjjkg:new")
    work.extend(ox.Quad(t.subject, t.predicate, t.object, axioms) for t in ontology)
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
    rules = compile_rules(work, axioms)
    work.remove_graph(axioms)
    work.add_graph(new)
    rounds = 0
    while True:
        before = len(work)
        for rule in rules:
            work.update(rule)
        rounds += 1
        if progress:
            progress("reason", len(work) - before)
        if len(work) == before:
            break
    derived = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in work.quads_for_pattern(None, None, None, new)
        if not (q.predicate.value == RDF_TYPE and q.object.value in UNINFORMATIVE_TYPES)
    ]
    return derived
