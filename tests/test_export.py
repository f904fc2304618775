"""`jjjkg export`: one writer per format (the dist/ writers), and one entity network."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from jjjkg.core.terms import INFERRED_GRAPH
from jjjkg.readers.export import CSV_HEAD, FORMATS, export

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = ("trig", "nq", "jsonld")
SAME_FILE = {("trig", True), ("nq", True), ("jsonld", True), ("ttl", False)}


def masked(quads) -> list[str]:
    """Each quad's N-Quads text with blank nodes masked: the terms, whatever the labels."""

    def term(t) -> str:
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)

    return sorted(
        " ".join(term(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in quads
    )


def dist_quads(dist, inferred: bool, merged: bool) -> list[ox.Quad]:
    """What dist/jjjkg.nq holds: every quad (inferred ones only if asked), or, `merged`, each
    triple of their union once, in the default graph."""
    quads = [
        q
        for q in ox.parse(path=str(dist / "jjjkg.nq"), format=ox.RdfFormat.N_QUADS)
        if inferred or q.graph_name != ox.NamedNode(INFERRED_GRAPH)
    ]
    if not merged:
        return quads
    return list({ox.Quad(q.subject, q.predicate, q.object) for q in quads})


@pytest.fixture(scope="module")
def fixture_dist(built_project):
    return built_project / "dist"


@pytest.mark.parametrize("inferred", [False, True])
@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
@pytest.mark.parametrize("where", ["fixture_dist", "built_dist"])
def test_every_rdf_export_holds_the_terms_of_dist(request, where, fmt, inferred):
    """Same quads (or, merged formats, the same triples) as dist/jjjkg.nq, term for term:
    numbers stay canonical (`"120"^^xsd:decimal`, never `120.0`)."""
    dist = request.getfixturevalue(where)
    data = export(dist, fmt, inferred=inferred)
    parsed = list(ox.parse(data, format=RDF_FORMATS[fmt]))
    expected = dist_quads(dist, inferred, merged=fmt not in QUAD_FORMATS)
    assert masked(parsed) == masked(expected)
    assert {q for q in parsed if not any(isinstance(t, ox.BlankNode) for t in q)} == {
        q for q in expected if not any(isinstance(t, ox.BlankNode) for t in q)
    }
    names = {"trig": "jjjkg.trig", "nq": "jjjkg.nq", "jsonld": "jjjkg.jsonld", "ttl": "jjjkg.ttl"}
    if (fmt, inferred) in SAME_FILE:
        assert data == (dist / names[fmt]).read_bytes()


def test_ntriples_export_is_sorted_lines_each_once(built_dist):
    lines = export(built_dist, "nt", inferred=True).decode("utf-8").splitlines()
    assert lines == sorted(set(lines))


@pytest.mark.parametrize("where", ["fixture_dist", "built_dist"])
@pytest.mark.parametrize("inferred", [False, True])
def test_csv_export_keeps_every_term(request, where, inferred):
    """Each row's kind, datatype and language columns give back the exact RDF term."""
    dist = request.getfixturevalue(where)
    rows = list(csv.reader(io.StringIO(export(dist, "csv", inferred).decode("utf-8"))))
    assert rows[0] == CSV_HEAD

    def node(text: str):
        return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)

    def obj(value: str, kind: str, datatype: str, language: str):
        if kind == "literal":
            if language:
                return ox.Literal(value, language=language)
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return ox.BlankNode(value[2:]) if kind == "bnode" else ox.NamedNode(value)

    quads = [
        ox.Quad(node(s), ox.NamedNode(p), obj(o, *rest), node(g)) for s, p, o, g, *rest in rows[1:]
    ]
    assert quads == dist_quads(dist, inferred, merged=False)


def test_csv_columns_for_the_fixture(fixture_dist):
    rows = list(csv.reader(io.StringIO(export(fixture_dist, "csv").decode("utf-8"))))
    catalogue = "https://w3id.org/jjjkg/resource/graph/catalogue"
    cnooc = "https://w3id.org/jjjkg/resource/org/cnooc"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    label = [cnooc, "http://www.w3.org/2004/02/skos/core#prefLabel", "中海油", catalogue]
    assert [*label, "literal", rdf + "langString", "zh"] in rows
    kind = [cnooc, rdf + "type", "https://w3id.org/jjjkg/ontology#Company", catalogue]
    assert [*kind, "iri", "", ""] in rows
    assert any(row[4] == "bnode" and row[2].startswith("_:") for row in rows[1:])


# -- one entity network --


@pytest.mark.parametrize("where", ["fixture_dist", "built_dist"])
def test_gexf_export_is_the_sites_network(request, where):
    dist = request.getfixturevalue(where)
    assert export(dist, "gexf") == (dist / "site" / "network.gexf").read_bytes()


@pytest.mark.parametrize("inferred", [False, True])
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_nodes_are_labelled_by_name_never_by_iri(built_dist, fmt, inferred):
    import networkx as nx

    reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    graph = reader(io.BytesIO(export(built_dist, fmt, inferred)))
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert graph.number_of_nodes() > 300
    assert [n for n, label in labels.items() if "://" in label or not label] == []
    cnooc = graph.nodes["https://w3id.org/jjjkg/resource/org/cnooc"]
    assert (cnooc["label"], cnooc["label_zh"], cnooc["label_en"]) == ("中海油", "中海油", "CNOOC")
    wanted = {"class", "family", "community", "degree", "pagerank", "paragraphs"}
    assert all(wanted <= set(d) for _, d in graph.nodes(data=True))


def test_inferred_network_keeps_the_most_specific_class_and_adds_inferred_links(built_dist):
    import networkx as nx

    asserted = nx.read_gexf(io.BytesIO(export(built_dist, "gexf")))
    closure = nx.read_gexf(io.BytesIO(export(built_dist, "gexf", inferred=True)))
    assert set(closure) == set(asserted)
    changed = [n for n in asserted if asserted.nodes[n]["class"] != closure.nodes[n]["class"]]
    assert changed == []
    assert closure.nodes["https://w3id.org/jjjkg/resource/org/cnooc"]["class"] == "jjj:CentralSOE"
    flags = [d["inferred"] for *_, d in closure.edges(data=True)]
    assert flags.count(False) == asserted.number_of_edges() and True in flags
    assert not any(d["inferred"] for *_, d in asserted.edges(data=True))


def test_every_format_is_written(fixture_dist):
    for fmt in FORMATS:
        for inferred in (False, True):
            assert export(fixture_dist, fmt, inferred)
