"""Query answers as comparable rows of text: for the pinned answers and the rdflib cross-check."""

from __future__ import annotations

import pyoxigraph as ox

from jjjkg.core.terms import PREFIXES, XSD
from jjjkg.readers.query import NamedQuery, Result, term_text


def result_rows(result: Result) -> tuple[list[str], list[tuple[str, ...]]]:
    """Header and sorted rows of text, for pins and comparisons."""
    if result.kind == "ask":
        return ["boolean"], [("true" if result.boolean else "false",)]
    if result.kind == "graph":
        rows = [tuple(term_text(t) for t in tr) for tr in result.triples]
        return ["subject", "predicate", "object"], sorted(set(rows))
    rows = [tuple(term_text(t) for t in row) for row in result.rows]
    return list(result.variables), sorted(rows)


def run_rdflib(ds, query: NamedQuery, binds: dict[str, object] | None = None):
    """Run `query` with rdflib on a Dataset (default graph = union): header and sorted rows."""
    from rdflib import Literal, URIRef
    from rdflib.plugins.sparql import prepareQuery

    def to_rdflib(term):
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))

    def text(term) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            return term_text(ox.NamedNode(str(term)))
        if isinstance(term, Literal):
            if term.language:
                return term_text(ox.Literal(str(term), language=term.language))
            datatype = str(term.datatype) if term.datatype else XSD + "string"
            return term_text(ox.Literal(str(term), datatype=ox.NamedNode(datatype)))
        return "_:b"

    prepared = prepareQuery(query.text, initNs=PREFIXES)
    init = {var: to_rdflib(term) for var, term in (binds or {}).items()}
    results = ds.query(prepared, initBindings=init)
    if results.type == "ASK":
        return ["boolean"], [("true" if results.askAnswer else "false",)]
    if results.type in ("CONSTRUCT", "DESCRIBE"):
        rows = {tuple(text(t) for t in triple) for triple in results.graph}
        return ["subject", "predicate", "object"], sorted(rows)
    header = [str(v) for v in results.vars]
    rows = [tuple(text(row[i]) for i in range(len(header))) for row in results]
    return header, sorted(rows)
