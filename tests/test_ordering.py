"""ORDER BY done in Python on the on-disk store orders rows as Oxigraph does, or steps aside."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from jjjkg.core.terms import XSD
from jjjkg.dist.store import open_store
from jjjkg.readers import query
from jjjkg.readers.ordering import SortedAnswer, sorted_answer, split_order

REPO = Path(__file__).resolve().parent.parent
NAMED = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
EX = "http://example.org/"
GEO = "http://www.opengis.net/ont/geosparql#"


def test_split_order_takes_the_final_order_by_only():
    text = 'SELECT ?a ?b WHERE { { SELECT ?a WHERE { ?a ?p "}" } ORDER BY ?a } ?a ?q ?b }\n'
    unordered, conditions = split_order(text + "ORDER BY DESC(?b) ?a  # last\n")
    assert unordered == text + "  # last\n"
    assert conditions == [("b", False), ("a", True)]
    assert split_order(text + "ORDER BY ?a # } ORDER BY ?b\n")[1] == [("a", True)]
    assert split_order('SELECT * { ?a <http://x/#y> "# not a comment" } ORDER BY $a')[1] == [
        ("a", True)
    ]


@pytest.mark.parametrize(
    "tail",
    [
        "",  # no ORDER BY
        "ORDER BY ?a LIMIT 3",  # the limit needs Oxigraph's order
        "ORDER BY ?a OFFSET 1",
        "ORDER BY STR(?a)",  # an expression
        "ORDER BY DESC(?a + 1)",
        "ORDER BY ?a VALUES ?a { 1 }",
    ],
)
def test_split_order_steps_aside(tail):
    assert split_order("SELECT ?a WHERE { ?a ?p ?o } " + tail) is None


def _pool(kind: str, rng: random.Random) -> list:
    """Terms of one family of literals, with nodes and gaps (None: unbound)."""
    nodes = [ox.NamedNode(EX + s) for s in ("b", "a", "a/1", "é", "Z")]
    nodes += [ox.BlankNode("x1"), ox.BlankNode("x0"), None]
    if kind == "number":
        literals = [
            ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))
            for n in (-3, 0, 7, 10, 100, 12)
        ]
        literals += [
            ox.Literal(v, datatype=ox.NamedNode(XSD + "decimal"))
            for v in ("7.5", "-3.5", ".25", "10.000001")
        ]
    elif kind == "text":
        literals = [ox.Literal(s) for s in ("天津", "北京", "a", "B", "", "ab")]
        literals += [ox.Literal(s, language=lang) for s in ("天津", "a") for lang in ("zh", "en")]
        literals += [ox.Literal("1", datatype=ox.NamedNode(EX + "code"))]
        literals += [ox.Literal("POINT(1 2)", datatype=ox.NamedNode(GEO + "wktLiteral"))]
    else:  # literals whose order Oxigraph does not take from the lexical form
        literals = [
            ox.Literal(d, datatype=ox.NamedNode(XSD + "date"))
            for d in ("2024-01-02", "2023-12-31Z")
        ]
        literals += [ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("x")]
    return [rng.choice(nodes + literals * 2) for _ in range(40)]


def _store(columns: dict[str, list]) -> ox.Store:
    store = ox.Store()
    for i, row in enumerate(zip(*columns.values(), strict=True)):
        subject = ox.NamedNode(f"{EX}row{i}")
        for name, term in zip(columns, row, strict=True):
            if term is not None:
                store.add(ox.Quad(subject, ox.NamedNode(EX + name), term))
    return store


UNORDERED = (
    "SELECT ?r ?x ?y WHERE { ?r <http://example.org/r> ?n "
    "OPTIONAL { ?r <http://example.org/x> ?x } OPTIONAL { ?r <http://example.org/y> ?y } }"
)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kinds", [("number", "text"), ("text", "text"), ("number", "number")])
def test_rows_come_in_oxigraph_order(kinds, seed):
    rng = random.Random(seed)
    x, y = (_pool(kind, rng) for kind in kinds)
    store = _store({"r": [ox.Literal(1)] * len(x), "x": x, "y": y})
    for conditions in ([("x", True), ("y", False)], [("y", True), ("x", True)]):
        by = " ".join(f"?{v}" if up else f"DESC(?{v})" for v, up in conditions)
        expected = [(s["x"], s["y"]) for s in store.query(f"{UNORDERED} ORDER BY {by}")]
        answer = sorted_answer(store.query(UNORDERED), conditions)
        assert isinstance(answer, SortedAnswer)
        assert [(row[1], row[2]) for row in answer] == expected


@pytest.mark.parametrize("seed", range(4))
def test_literals_whose_order_is_not_lexical_are_left_to_oxigraph(seed):
    rng = random.Random(seed)
    x = _pool("other", rng)
    x[0] = ox.Literal("2020-05-05", datatype=ox.NamedNode(XSD + "date"))
    store = _store({"r": [ox.Literal(1)] * len(x), "x": x, "y": [None] * len(x)})
    assert sorted_answer(store.query(UNORDERED), [("x", True)]) is None
    mixed = [ox.Literal(1), ox.Literal("1")]  # a number beside text
    store = _store({"r": [ox.Literal(1)] * 2, "x": mixed, "y": [None] * 2})
    assert sorted_answer(store.query(UNORDERED), [("x", True)]) is None
    assert sorted_answer(store.query(UNORDERED), [("unselected", True)]) is None


@pytest.fixture(scope="module")
def disk(built_dist):
    store = open_store(built_dist, few_queries=True)
    assert store.on_disk()
    return store


@pytest.mark.parametrize("name", NAMED)
def test_library_answers_sorted_here_match_oxigraphs_order(disk, name):
    """On the article's on-disk store: every library query with a final ORDER BY has its
    rows sorted in Python, in the order Oxigraph gives them (ties aside)."""
    item = query.find_query(REPO, name)
    split = split_order(item.text)
    if split is None:
        assert "ORDER BY" not in item.text.rsplit("}", 1)[-1].upper()
        return
    binds = query.bindings(item)
    ours = query.execute_text(disk, item, binds, True, rows=True)
    assert isinstance(ours, SortedAnswer)
    theirs = query.execute_text(disk, item, binds, True)
    names = [v.value for v in theirs.variables]
    keys = [names.index(v) for v, _ in split[1]]
    theirs = [tuple(s) for s in theirs]
    assert sorted(map(str, ours.rows)) == sorted(map(str, theirs))
    assert [[r[k] for k in keys] for r in ours] == [[r[k] for k in keys] for r in theirs]
