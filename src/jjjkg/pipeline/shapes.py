"""Compile the SHACL shapes jjjkg uses into SPARQL queries that Oxigraph runs natively.

pySHACL is the reference validator, but it walks the graph in Python and grows too slow for
corpora of millions of triples. `ontology/shapes.ttl` uses a small part of SHACL Core: class
targets and property shapes with a predicate path and minCount, maxCount, datatype, class,
languageIn, uniqueLang and nodeKind. Each such constraint becomes one SELECT that returns the
failing focus nodes; tests check the results equal to pySHACL's on valid and broken data.
A shape that uses anything else is refused, so a new constraint cannot be silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from jjjkg.core.errors import UnsupportedShape
from jjjkg.core.terms import SH
from jjjkg.pipeline.rules import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, RDFS

# Shape vocabulary this compiler understands; anything else in a shape is an error.
NODE_KEYS = {RDF_TYPE, SH + "targetClass", SH + "property", SH + "nodeKind", SH + "message"}
PROPERTY_KEYS = {
    SH + "path",
    SH + "minCount",
    SH + "maxCount",
    SH + "datatype",
    SH + "class",
    SH + "languageIn",
    SH + "uniqueLang",
    SH + "nodeKind",
    SH + "message",
    SH + "name",
    SH + "description",
}


@dataclass(frozen=True)
class CompiledCheck:
    shape: str
    path: str | None
    component: str
    message: str
    sparql: str


def _objects(shapes: ox.Store, subject: ox.Node, predicate: str) -> list[ox.Term]:
    return [q.object for q in shapes.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _one(shapes: ox.Store, subject: ox.Node, predicate: str) -> ox.Term | None:
    values = _objects(shapes, subject, predicate)
    return values[0] if values else None


def _list(shapes: ox.Store, head: ox.Term) -> list[ox.Term]:
    items = []
    while not (isinstance(head, ox.NamedNode) and head.value == RDF_NIL):
        items.append(_one(shapes, head, RDF_FIRST))
        head = _one(shapes, head, RDF_REST)
    return items


def _subclasses(ontology: Iterable[ox.Triple]) -> dict[str, set[str]]:
    """Each class with all its (reflexive, transitive) subclasses."""
    children: dict[str, set[str]] = {}
    for t in ontology:
        if t.predicate.value == RDFS + "subClassOf" and isinstance(t.object, ox.NamedNode):
            children.setdefault(t.object.value, set()).add(t.subject.value)
    closed: dict[str, set[str]] = {}

    def down(cls: str) -> set[str]:
        if cls not in closed:
            closed[cls] = {cls}
            for child in children.get(cls, ()):
                closed[cls] |= down(child)
        return closed[cls]

    for cls in list(children):
        down(cls)
    return closed


def _iris(values: Iterable[str]) -> str:
    return " ".join(f"<{v}>" for v in sorted(values))


def _node_kind_test(kind: str, var: str) -> str:
    tests = {
        SH + "IRI": f"isIRI({var})",
        SH + "Literal": f"isLiteral({var})",
        SH + "BlankNode": f"isBlank({var})",
        SH + "BlankNodeOrIRI": f"(isBlank({var}) || isIRI({var}))",
        SH + "IRIOrLiteral": f"(isIRI({var}) || isLiteral({var}))",
        SH + "BlankNodeOrLiteral": f"(isBlank({var}) || isLiteral({var}))",
    }
    if kind not in tests:
        raise UnsupportedShape(f"sh:nodeKind {kind}")
    return tests[kind]


def _message(shapes: ox.Store, node: ox.Node, fallback: str) -> str:
    message = _one(shapes, node, SH + "message")
    return message.value if message is not None else fallback


def _check_keys(shapes: ox.Store, node: ox.Node, allowed: set[str], where: str) -> None:
    for quad in shapes.quads_for_pattern(node, None, None):
        if quad.predicate.value not in allowed:
            raise UnsupportedShape(f"{where} uses {quad.predicate.value}")


def compile_shapes(shapes: ox.Store, ontology: Iterable[ox.Triple]) -> list[CompiledCheck]:
    """One SELECT ?focus ?value per constraint of every node shape with sh:targetClass."""
    subclasses = _subclasses(ontology)
    checks = []
    node_shapes = sorted(
        {q.subject for q in shapes.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), None)},
        key=str,
    )
    for node in node_shapes:
        shape = node.value
        _check_keys(shapes, node, NODE_KEYS, shape)
        targets = set()
        for cls in _objects(shapes, node, SH + "targetClass"):
            targets |= subclasses.get(cls.value, {cls.value})
        focus = f"VALUES ?class {{ {_iris(targets)} }} ?focus a ?class ."
        kind = _one(shapes, node, SH + "nodeKind")
        if kind is not None:
            test = _node_kind_test(kind.value, "?focus")
            checks.append(
                CompiledCheck(
                    shape,
                    None,
                    "NodeKind",
                    _message(shapes, node, f"the node is not of kind {kind.value}"),
                    f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} FILTER(!{test}) }}",
                )
            )
        for prop in sorted(_objects(shapes, node, SH + "property"), key=str):
            checks.extend(_compile_property(shapes, shape, prop, focus, subclasses))
    return checks


def _compile_property(
    shapes: ox.Store, shape: str, prop: ox.Node, focus: str, subclasses: dict[str, set[str]]
) -> list[CompiledCheck]:
    _check_keys(shapes, prop, PROPERTY_KEYS, f"a property shape of {shape}")
    path = _one(shapes, prop, SH + "path")
    if not isinstance(path, ox.NamedNode):
        raise UnsupportedShape(f"a property shape of {shape} has a path that is not a predicate")
    p = f"<{path.value}>"
    checks = []

    def add(component: str, default: str, where: str) -> None:
        message = _message(shapes, prop, default)
        sparql = f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} {where} }}"
        checks.append(CompiledCheck(shape, path.value, component, message, sparql))

    def count(having: str) -> str:
        return (
            f"{{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} "
            f"OPTIONAL {{ ?focus {p} ?v }} }} GROUP BY ?focus }} "
            f"FILTER({having}) BIND(?n AS ?value)"
        )

    minimum = _one(shapes, prop, SH + "minCount")
    if minimum is not None:
        add("MinCount", f"fewer than {minimum.value} values", count(f"?n < {int(minimum.value)}"))
    maximum = _one(shapes, prop, SH + "maxCount")
    if maximum is not None:
        add("MaxCount", f"more than {maximum.value} values", count(f"?n > {int(maximum.value)}"))
    datatype = _one(shapes, prop, SH + "datatype")
    if datatype is not None:
        add(
            "Datatype",
            f"a value is not of datatype {datatype.value}",
            f"?focus {p} ?value "
            f"FILTER(!isLiteral(?value) || datatype(?value) != <{datatype.value}>)",
        )
    cls = _one(shapes, prop, SH + "class")
    if cls is not None:
        allowed = _iris(subclasses.get(cls.value, {cls.value}))
        add(
            "Class",
            f"a value is not an instance of {cls.value}",
            # MINUS, not FILTER NOT EXISTS: the same here (?value is always bound), and
            # Oxigraph runs it as one anti-join instead of a lookup per value (ten times
            # faster at a million triples, and it grows linearly).
            f"?focus {p} ?value MINUS {{ VALUES ?c {{ {allowed} }} ?value a ?c }}",
        )
    languages = _one(shapes, prop, SH + "languageIn")
    if languages is not None:
        ranges = " || ".join(
            f'langMatches(lang(?value), "{t.value}")' for t in _list(shapes, languages)
        )
        add(
            "LanguageIn",
            "a value has a language tag that is not allowed",
            f"?focus {p} ?value FILTER(!isLiteral(?value) || !({ranges}))",
        )
    unique = _one(shapes, prop, SH + "uniqueLang")
    if unique is not None and unique.value == "true":
        add(
            "UniqueLang",
            "two values share a language tag",
            f"?focus {p} ?a , ?b FILTER(isLiteral(?a) && lang(?a) != '' && ?a != ?b "
            f"&& lcase(lang(?a)) = lcase(lang(?b))) BIND(lang(?a) AS ?value)",
        )
    kind = _one(shapes, prop, SH + "nodeKind")
    if kind is not None:
        add(
            "NodeKind",
            f"a value is not of kind {kind.value}",
            f"?focus {p} ?value FILTER(!{_node_kind_test(kind.value, '?value')})",
        )
    return checks
