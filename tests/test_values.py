"""Parameters as a VALUES block (jjjkg.readers.values), and the fork memory rule of the build."""

import pyoxigraph as ox
import pytest

from jjjkg.pipeline.parallel import fork_fits
from jjjkg.readers.values import where_brace, with_values

TIANJIN = ox.NamedNode("https://w3id.org/jjjkg/resource/place/tianjin")


@pytest.mark.parametrize(
    "text, before",
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE {"),
        ("ASK { ?x ?p ?o }", "ASK {"),
        ("SELECT (EXISTS { ?x a ?c } AS ?typed) WHERE { ?x ?p ?o }", "AS ?typed) WHERE {"),
        ("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", "} WHERE {"),
        ('SELECT ?x WHERE { ?x ?p "{" }', "SELECT ?x WHERE {"),
        ("# a { in a comment\nSELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE {"),
        ("CONSTRUCT { ?x ?p '''}''' } WHERE { ?x ?p ?o }", "''' } WHERE {"),
    ],
)
def test_where_brace_finds_the_where_group(text, before):
    at = where_brace(text)
    assert at is not None and text[:at].endswith(before)


def test_where_brace_leaves_construct_where_alone():
    assert where_brace("CONSTRUCT WHERE { ?x ?p ?o }") is None
    assert where_brace("DESCRIBE <urn:x>") is None


def test_with_values_opens_the_group_with_the_terms():
    text = with_values("SELECT ?p WHERE { ?x ?p ?o }", {"x": TIANJIN})
    assert text == (
        "SELECT ?p WHERE {\n  VALUES (?x) { (<https://w3id.org/jjjkg/resource/place/tianjin>) }"
        " ?x ?p ?o }"
    )


def test_a_value_cannot_inject_sparql():
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * { "')
    text = with_values("SELECT ?s WHERE { ?s ?p ?l }", {"l": hostile})
    store = ox.Store()
    store.add(ox.Quad(TIANJIN, TIANJIN, hostile))
    rows = list(store.query(text))
    assert [row["s"] for row in rows] == [TIANJIN]


def test_blank_nodes_stay_substitutions():
    assert with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.BlankNode("b0")}) is None
    assert with_values("SELECT ?s WHERE { ?s ?p ?o }", {}) is None


def test_fork_needs_twice_the_process_size_free():
    assert fork_fits(rss_kib=1_000_000, available_kib=2_000_000)
    assert not fork_fits(rss_kib=9_500_000, available_kib=14_000_000)


def test_every_library_query_takes_a_values_block():
    from pathlib import Path

    from jjjkg.core.terms import PREFIXES

    root = Path(__file__).resolve().parent.parent
    texts = sorted((root / "queries").rglob("*.rq"))
    assert len(texts) > 40
    store = ox.Store()
    for path in texts:
        text = with_values(path.read_text(encoding="utf-8"), {"unused": ox.Literal("x")})
        assert text is not None, path.name
        store.query(text, prefixes=PREFIXES)  # raises SyntaxError if the block landed badly
