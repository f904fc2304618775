"""The OWL 2 RL rules the jjjkg ontology needs, run as SPARQL queries inside an Oxigraph store.

owlrl is the reference reasoner, but it works triple by triple in Python and grows too slow past
a few hundred thousand triples. The ontology uses only a handful of constructs (sub-classes,
sub-properties, equivalences, unions, inverses, symmetric and transitive properties, one property
chain, domains and ranges), so their rules are compiled into a few SPARQL CONSTRUCT queries that
Oxigraph runs natively; what they derive is loaded back in bulk, and the rules run again until
nothing new appears. Tests check the result equal to owlrl's on the article.

The schema is closed in Python first (it is small), so one rule does a lot: sub-properties,
inverses and symmetry become one mapping "p implies q, maybe turned around"; domains and ranges
name every superclass at once. The property rules repeat until stable; the typing rules (domain,
range, sub-class) come last, because nothing the ontology says derives a link from a type.
(A CONSTRUCT plus a bulk load is about ten times faster in Oxigraph than the same SPARQL UPDATE.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from jjjkg.core.terms import OWL, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, RDFS, XSD

# Where axioms are read: one graph, or None for every graph of the store.
Graph = ox.NamedNode | ox.DefaultGraph | None


# Classes and properties whose members every resource would get; owlrl's output of them is noise.
UNINFORMATIVE_TYPES = {OWL + "Thing", RDFS + "Resource"}
# The working graph that collects what the rules derive, and the one of the last pass's links.
NEW_GRAPH = "urn:jjjkg:new"
DELTA_GRAPH = "urn:jjjkg:delta"


def _pairs(store: ox.Store, graph: Graph, predicate: str) -> set[tuple[str, str]]:
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


def _list_items(store: ox.Store, graph: Graph, head: ox.Node) -> list[str]:
    items = []
    while not (isinstance(head, ox.NamedNode) and head.value == RDF_NIL):
        first = next(store.quads_for_pattern(head, ox.NamedNode(RDF_FIRST), None, graph), None)
        rest = next(store.quads_for_pattern(head, ox.NamedNode(RDF_REST), None, graph), None)
        if first is None or rest is None:
            return []
        items.append(first.object.value)
        head = rest.object
    return items


def class_pairs(store: ox.Store, graph: Graph) -> set[tuple[str, str]]:
    """(sub, super) class pairs the axioms state: rdfs:subClassOf, both ways of
    owl:equivalentClass, and each member of an owl:unionOf under the union (cls-uni, scm-uni).
    """
    pairs = _pairs(store, graph, RDFS + "subClassOf")
    same = _pairs(store, graph, OWL + "equivalentClass")
    pairs |= same | {(b, a) for a, b in same}
    for quad in store.quads_for_pattern(None, ox.NamedNode(OWL + "unionOf"), None, graph):
        if isinstance(quad.subject, ox.NamedNode):
            pairs |= {
                (member, quad.subject.value) for member in _list_items(store, graph, quad.object)
            }
    return pairs


def property_pairs(store: ox.Store, graph: Graph) -> set[tuple[str, str]]:
    """(sub, super) property pairs: rdfs:subPropertyOf and both ways of owl:equivalentProperty."""
    pairs = _pairs(store, graph, RDFS + "subPropertyOf")
    same = _pairs(store, graph, OWL + "equivalentProperty")
    return pairs | same | {(b, a) for a, b in same}


def _values(rows: Iterable[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"<{term}>" for term in row) + ")" for row in sorted(rows))


# Turtle's short forms, which the SPARQL TSV results format uses for some literals.
_SHORT_LITERALS = [
    (re.compile(rb"\t([+-]?[0-9]+)$", re.M), XSD + "integer"),
    (re.compile(rb"\t([+-]?[0-9]*\.[0-9]+)$", re.M), XSD + "decimal"),
    (
        re.compile(rb"\t([+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+)$", re.M),
        XSD + "double",
    ),
    (re.compile(rb"\t(true|false)$", re.M), XSD + "boolean"),
]


@dataclass(frozen=True)
class Rule:
    """One rule: derive `template` wherever `values` + `body` + `filters` hold and the result
    is not there yet.

    `anti` says how "not there yet" is asked, the fastest way in Oxigraph for the rule's
    shape: "not-exists" (a lookup per result: few results), "minus" (one anti-join against
    every triple like the template) or "distinct-minus" (the same after dropping repeats: many
    results that repeat, as domains give).
    """

    name: str
    template: str
    body: str  # triple patterns (or a pattern and a sub-query)
    kind: str  # "property" (derives links) or "type" (derives rdf:type)
    values: str = ""  # a VALUES clause with the schema pairs the rule applies
    filters: str = ""
    anti: str = "minus"

    @property
    def where(self) -> str:
        return f"{self.values} {self.body} {self.filters}".strip()

    @property
    def variables(self) -> list[str]:
        return [term for term in self.template.split() if term.startswith("?")]

    def select(self, delta: str | None = None) -> str:
        """The rule as a SELECT of the template's variables where the triple is new; with
        `delta`, only for the triples of that graph (one-pattern rules)."""
        body = f"GRAPH <{delta}> {{ {self.body} }}" if delta else self.body
        where = f"{self.values} {body} {self.filters}"
        variables = " ".join(self.variables)
        anti = "not-exists" if delta else self.anti
        if anti == "not-exists":
            where += f" FILTER NOT EXISTS {{ {self.template} }}"
        elif anti == "distinct-minus":
            where = (
                f"{{ SELECT DISTINCT {variables} WHERE {{ {where} }} }} MINUS {{ {self.template} }}"
            )
        else:
            where += f" MINUS {{ {self.template} }}"
        return f"SELECT {variables} WHERE {{ {where} }}"

    def ntriples(self, tsv: bytes) -> bytes:
        """N-Triples of the template from the rule's SELECT results in TSV."""
        body = tsv[tsv.index(b"\n") + 1 :] if b"\n" in tsv else b""
        if not body:
            return b""
        if not body.endswith(b"\n"):
            body += b"\n"
        for pattern, datatype in _SHORT_LITERALS:  # `1.5` → `"1.5"^^xsd:decimal`, ...
            body = pattern.sub(b'\t"\\1"^^<' + datatype.encode() + b">", body)
        predicate = self.template.split()[1]
        if predicate == "a":
            predicate = f"<{RDF_TYPE}>"
        separator = b" " if predicate.startswith("?") else f" {predicate} ".encode()
        return body.replace(b"\t", separator).replace(b"\n", b" .\n")


def _implications(
    sub_properties: set[tuple[str, str]], inverses: set[tuple[str, str]], symmetric: set[str]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(p, q) pairs such that `s p o` implies `s q o` (forward) or `o q s` (turned).

    The closure of sub-property (keeps the direction), inverse and symmetry (turn it) over
    (property, turned) states, from each property the axioms mention.
    """
    supers: dict[str, set[str]] = {}
    for child, parent in sub_properties:
        supers.setdefault(child, set()).add(parent)
    inverse: dict[str, set[str]] = {}
    for a, b in inverses:
        inverse.setdefault(a, set()).add(b)
    forward, turned = set(), set()
    for start in set(supers) | set(inverse) | symmetric:
        seen = {(start, False)}
        stack = [(start, False)]
        while stack:
            prop, flip = stack.pop()
            steps = [(q, flip) for q in supers.get(prop, ())]
            steps += [(q, not flip) for q in inverse.get(prop, ())]
            if prop in symmetric:
                steps.append((prop, not flip))
            for state in steps:
                if state not in seen:
                    seen.add(state)
                    stack.append(state)
        for prop, flip in seen:
            if flip:
                turned.add((start, prop))
            elif prop != start:
                forward.add((start, prop))
    return forward, turned


def compile_rules(
    store: ox.Store,
    ontology_graph: Graph,
) -> list[Rule]:
    """Turn the ontology's axioms into rules over the store's default graph, property rules first.

    The axioms are read from ``ontology_graph`` (None: from every graph of the store, as owlrl
    reads the whole asserted union).
    """
    typed = {
        kind: {
            q.subject.value
            for q in store.quads_for_pattern(
                None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + kind), ontology_graph
            )
            if isinstance(q.subject, ox.NamedNode)
        }
        for kind in ("TransitiveProperty", "SymmetricProperty")
    }
    sub_classes = _closure(class_pairs(store, ontology_graph))
    sub_properties = _closure(property_pairs(store, ontology_graph))
    inverses = _pairs(store, ontology_graph, OWL + "inverseOf")
    inverses |= {(b, a) for a, b in inverses}
    forward, turned = _implications(sub_properties, inverses, typed["SymmetricProperty"])
    supers: dict[str, set[str]] = {}
    for child, parent in sub_classes:
        supers.setdefault(child, set()).add(parent)

    def upward(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(p, d) for p, c in pairs for d in {c} | supers.get(c, set())}

    domains = upward(_pairs(store, ontology_graph, RDFS + "domain"))
    ranges = upward(
        {
            (p, c)
            for p, c in _pairs(store, ontology_graph, RDFS + "range")
            if not c.startswith("http://www.w3.org/2001/XMLSchema#")
        }
    )
    chains = []
    for quad in store.quads_for_pattern(
        None, ox.NamedNode(OWL + "propertyChainAxiom"), None, ontology_graph
    ):
        steps = _list_items(store, ontology_graph, quad.object)
        if len(steps) == 2:
            chains.append((quad.subject.value, *steps))

    rules = []
    not_literal = "FILTER(!isLiteral(?o))"
    if forward:
        rules.append(
            Rule(
                "sub-property",
                "?s ?q ?o .",
                "?s ?p ?o .",
                "property",
                f"VALUES (?p ?q) {{ {_values(forward)} }}",
                anti="not-exists",
            )
        )
    if turned:
        rules.append(
            Rule(
                "inverse",
                "?o ?q ?s .",
                "?s ?p ?o .",
                "property",
                f"VALUES (?p ?q) {{ {_values(turned)} }}",
                not_literal,
                anti="not-exists",
            )
        )
    for prop in sorted(typed["TransitiveProperty"]):
        # Two steps at a time, repeated until stable (path lengths double each time), where
        # `?y <p>+ ?z` can be slow. The second step is a sub-query: Oxigraph then joins the two
        # sides by hashing, and does not walk one link at a time into a node that many reach.
        # (One rule per property: with the property a variable, the join can go very wrong.)
        step = f"{{ SELECT ?y ?z WHERE {{ ?y <{prop}> ?z }} }}"
        rules.append(
            Rule("transitive", f"?x <{prop}> ?z .", f"?x <{prop}> ?y . {step}", "property")
        )
    for target, first, second in sorted(chains):
        step = f"{{ SELECT ?y ?z WHERE {{ ?y <{second}> ?z }} }}"
        rules.append(Rule("chain", f"?x <{target}> ?z .", f"?x <{first}> ?y . {step}", "property"))
    if domains:
        rules.append(
            Rule(
                "domain",
                "?s a ?c .",
                "?s ?p ?o .",
                "type",
                f"VALUES (?p ?c) {{ {_values(domains)} }}",
                anti="distinct-minus",
            )
        )
    if ranges:
        rules.append(
            Rule(
                "range",
                "?o a ?c .",
                "?s ?p ?o .",
                "type",
                f"VALUES (?p ?c) {{ {_values(ranges)} }}",
                not_literal,
                anti="distinct-minus",
            )
        )
    if sub_classes:
        rules.append(
            Rule(
                "sub-class",
                "?x a ?d .",
                "?x a ?c .",
                "type",
                f"VALUES (?c ?d) {{ {_values(sub_classes)} }}",
            )
        )
    return rules


def add_triples(store: ox.Store, data: bytes, graphs: Iterable) -> None:
    """Add N-Triples `data` to each of `graphs` (DefaultGraph or NamedNode), in bulk.

    Lines with a blank node go in as Python quads: `Store.load` would give the blank node a
    fresh label, and it must stay the node it is.
    """
    graphs = list(graphs)
    if b"_:" in data:
        lines = data.split(b"\n")
        blank = b"\n".join(line for line in lines if b"_:" in line)
        data = b"\n".join(line for line in lines if b"_:" not in line)
        triples = list(ox.parse(blank, format=ox.RdfFormat.N_TRIPLES))
        for graph in graphs:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    if data.strip():
        for graph in graphs:
            store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True, to_graph=graph)


def saturate(
    store: ox.Store,
    ontology_graph: Graph = None,
    new_graph: str = NEW_GRAPH,
    progress: Callable[[str, int], None] | None = None,
    derived: list[bytes] | None = None,
) -> int:
    """Derive until nothing new appears, in place; return the passes over the property rules.

    The rules read the union of all the store's graphs (Oxigraph's union default graph: a
    triple stated in two graphs counts twice, which changes nothing here) and put what they
    derive into ``new_graph``, and, as N-Triples (one bytes object per rule run), into
    ``derived`` if given. The axioms come from ``ontology_graph`` (None: every graph).
    """
    rules = compile_rules(store, ontology_graph)
    graph, delta = ox.NamedNode(new_graph), ox.NamedNode(DELTA_GRAPH)

    def run(rule: Rule, from_delta: bool = False, to_delta: bool = False) -> int:
        text = rule.select(DELTA_GRAPH if from_delta else None)
        results = store.query(text, use_default_graph_as_union=True, named_graphs=[delta])
        data = rule.ntriples(results.serialize(format=ox.QueryResultsFormat.TSV))
        if data:
            add_triples(store, data, [graph, delta] if to_delta else [graph])
            if derived is not None:
                derived.append(data)
        if progress:
            progress(rule.name, data.count(b"\n"))
        return data.count(b"\n")

    implied = [r for r in rules if r.name in ("sub-property", "inverse")]
    closing = [r for r in rules if r.kind == "property" and r not in implied]
    passes = 0
    for rule in implied:
        run(rule)
    # Transitivity and chains make new links, whose implications (read from the delta graph:
    # the implied rules are closed, one application suffices) may feed them again.
    while closing:
        passes += 1
        store.remove_graph(delta)
        new = 0
        for rule in closing:
            while True:
                found = run(rule, to_delta=True)
                new += found
                if not found or rule.name != "transitive":
                    break
        if not new:
            break
        for rule in implied:
            run(rule, from_delta=True)
    store.remove_graph(delta)
    for rule in rules:
        if rule.kind == "type":
            run(rule)
    return passes
