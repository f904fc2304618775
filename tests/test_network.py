"""The knowledge graph as a network: facts, entity names, paths, rankings, communities."""

from __future__ import annotations

import graph_fixture as fx
import pytest

from jjjkg.core.errors import JjjkgError, UnknownEntity
from jjjkg.core.terms import JJJ, slug
from jjjkg.readers import analysis, figures, netfiles, paths
from jjjkg.readers.facts import load_facts
from jjjkg.readers.resolve import resolve


@pytest.fixture(scope="module")
def facts():
    return load_facts(fx.store())


@pytest.fixture(scope="module")
def graph(facts):
    return analysis.entity_graph(facts)


def test_entities_get_their_most_specific_class_and_family(facts):
    cnooc = facts.entities[fx.CNOOC]
    # the catalogue says Enterprise, paragraph 1 says CentralSOE: the deeper class wins
    assert slug(cnooc.cls) == "jjj:CentralSOE"
    assert cnooc.family == "organisations"
    assert (cnooc.zh, cnooc.en, cnooc.alt) == ("中海油", "CNOOC", ["中国海洋石油集团有限公司"])
    families = {e.slug: e.family for e in facts.entities.values()}
    assert families == {
        "infra/port": "infrastructure",
        "obs/zgc-enterprises": "figures",
        "org/cnooc": "organisations",
        "org/evil": "organisations",
        "org/port-group": "organisations",
        "park/zgc": "parks",
        "place/beijing": "places",
        "place/hebei": "places",
        "place/tianjin": "places",
        "place/xiongan": "places",
        "policy/relief": "policies",
    }


def test_vocabulary_and_source_description_are_not_entities(facts):
    kinds = {slug(e.cls) for e in facts.entities.values()}
    assert not kinds & {"jjj:Status", "jjj:Unit", "jjj:Indicator", "jjj:Paragraph"}
    assert list(facts.paragraphs) == ["p01", "p02", "p03"]
    assert [s.paragraphs for s in facts.sections.values()] == [["p01", "p02"], ["p03"]]


def test_entities_know_the_paragraphs_that_state_them(facts):
    assert facts.entities[fx.TIANJIN].paragraphs == ["p01"]  # background links do not count
    assert facts.entities[fx.R + "place/hebei"].paragraphs == []
    park = facts.entities[fx.R + "park/zgc"]
    assert park.paragraphs == ["p02"]
    assert [facts.name(s, "en") for s in park.statuses] == ["in operation"]
    assert park.figures == [fx.OBSERVATION]


def test_links_carry_their_property_and_provenance(facts):
    links = {(slug(k.source), slug(k.prop), slug(k.target)): k.paragraphs
             for k in facts.links}  # fmt: skip
    assert links[("org/cnooc", "jjj:setUpUnitIn", "place/tianjin")] == ("p01",)
    assert links[("park/zgc", "jjj:locatedIn", "place/tianjin")] == ("background",)
    assert ("park/zgc", "jjj:hasStatus", "status/in-operation") not in links
    assert len(facts.links) == 8


def test_figure_text_gives_value_unit_year_and_qualifiers(facts):
    observation = facts.entities[fx.OBSERVATION]
    assert figures.figure_text(facts, observation, "zh") == (
        "注册企业数：累计注册企业超4900家（2023年）"
    )
    assert figures.figure_text(facts, observation, "en") == (
        "registered enterprises: cumulative, more than 4,900 (2023)"
    )


@pytest.mark.parametrize(
    "value, text",
    [(4900.0, "4,900"), (57.2, "57.2"), (27400000000.0, "27.4 billion"), (2.2e7, "22 million")],
)
def test_number_text(value, text):
    assert figures.number_text(value) == text


def test_entity_graph_leaves_figures_out_unless_asked(facts, graph):
    assert graph.number_of_nodes() == fx.ENTITIES
    assert graph.number_of_edges() == 7
    assert fx.OBSERVATION in analysis.entity_graph(facts, figures=True)
    edge = graph.get_edge_data(fx.CNOOC, fx.TIANJIN)[JJJ + "setUpUnitIn"]
    assert (edge["label_zh"], edge["label_en"], edge["paragraphs"]) == (
        "布局于",
        "set up a unit in",
        "p01",
    )


@pytest.mark.parametrize(
    "name",
    [fx.CNOOC, "org/cnooc", "cnooc", "CNOOC", "cnooc ", "中海油", "中国海洋石油集团有限公司"],
)
def test_resolve_by_iri_slug_or_name(facts, name):
    assert resolve(facts, name) == fx.CNOOC


def test_resolve_unknown_names_the_nearest(facts):
    with pytest.raises(UnknownEntity) as caught:
        resolve(facts, "cnoocx")
    assert str(caught.value) == "unknown entity 'cnoocx'; did you mean: CNOOC?"
    assert caught.value.exit_code == 2


def _network(store, names=None):
    from jjjkg.core.names import ASSERTED_NAMES_QUERY, fold
    from jjjkg.readers.facts import ontology_facts
    from jjjkg.readers.resolve import Names

    names = names or Names(fold(store.query(ASSERTED_NAMES_QUERY)))
    return paths.Network(store, ontology_facts(store), names)


def test_shortest_path_walks_links_either_way():
    network = _network(fx.store())
    name = lambda iri: iri  # noqa: E731
    # cnooc and Xiong'an are not connected in the fixture
    assert paths.shortest_paths(network, fx.CNOOC, fx.XIONGAN, name, 10) == (0, [])
    count, found = paths.shortest_paths(network, fx.R + "org/port-group", fx.XIONGAN, name, 10)
    assert count == 1
    assert [[(slug(s.prop), slug(s.target), s.forward) for s in p] for p in found] == [
        [("jjj:operatedBy", "infra/port", False), ("jjj:serves", "place/xiongan", True)]
    ]


def test_real_paths_walked_on_the_store_are_networkx_shortest_paths(built_dist):
    """The walk on the store's indexes finds the paths networkx finds on the whole network
    read into memory (`analysis.entity_graph`), for pairs all over the real graph."""
    import random

    import networkx as nx

    from jjjkg.dist.store import open_store
    from jjjkg.readers.resolve import names_from_store

    store = open_store(built_dist, few_queries=True)
    facts = load_facts(store)
    whole = nx.Graph(analysis.entity_graph(facts).to_undirected())
    whole.remove_edges_from(nx.selfloop_edges(whole))
    network = _network(store, names_from_store(store))
    pick = random.Random(7)
    nodes = sorted(whole)
    assert set(nodes) == {c.iri for c in network.names.by_iri.values() if network.is_node(c.iri)}
    for _ in range(60):
        a, b = pick.sample(nodes, 2)
        expected = sorted(nx.all_shortest_paths(whole, a, b)) if nx.has_path(whole, a, b) else []
        count, found = paths.shortest_paths(network, a, b, lambda iri: iri, 10**6)
        assert count == len(expected)
        assert sorted([a, *(s.target for s in p)] for p in found) == expected


def test_rank_by_degree_and_class(facts, graph):
    top = analysis.rank(facts, graph, "degree", top=3)
    # ties are broken by English name: Port of Tianjin, Tianjin, Tianjin Port Group
    assert top == [(fx.PORT, 2.0), (fx.TIANJIN, 2.0), (fx.R + "org/port-group", 2.0)]
    places = analysis.rank(facts, graph, "degree", cls="jjj:Place")
    assert {slug(n) for n, _ in places} == {
        "place/beijing", "place/hebei", "place/tianjin", "place/xiongan", "park/zgc"
    }  # fmt: skip
    enterprises = analysis.rank(facts, graph, "pagerank", cls="企业")  # by zh label
    assert {slug(n) for n, _ in enterprises} == {"org/cnooc", "org/evil", "org/port-group"}


def test_rank_unknown_class_or_measure(facts, graph):
    with pytest.raises(UnknownEntity, match="unknown class 'Enterprize'; did you mean"):
        analysis.rank(facts, graph, cls="Enterprize")
    with pytest.raises(JjjkgError, match="unknown centrality"):
        analysis.rank(facts, graph, by="closeness")


def test_pagerank_sums_to_one_and_favours_hubs(graph):
    scores = analysis.centrality(graph, "pagerank")
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores[fx.R + "org/port-group"] > scores[fx.CNOOC]


def test_communities_are_numbered_by_size_and_cover_every_node(graph):
    groups = analysis.communities(graph)
    assert set(groups) == set(graph.nodes)
    assert groups[fx.PORT] == groups[fx.R + "org/port-group"] == groups[fx.EVIL] == 0
    assert groups[fx.XIONGAN] == groups[fx.R + "place/hebei"]
    assert groups == analysis._louvain(graph)


def test_network_files_for_gephi(facts, graph, tmp_path):
    import networkx as nx

    path = netfiles.write_network(facts, tmp_path / "n.gexf")
    again = netfiles.write_network(facts, tmp_path / "again.gexf")
    assert path.read_bytes() == again.read_bytes()
    assert b"lastmodifieddate" not in path.read_bytes()
    read = nx.read_graphml(netfiles.write_network(facts, tmp_path / "n.graphml"))
    assert read.nodes[fx.CNOOC]["label_en"] == "CNOOC"
    assert read.nodes[fx.CNOOC]["community"] >= 0
    with pytest.raises(JjjkgError, match="use .graphml or .gexf"):
        netfiles.write_network(facts, tmp_path / "n.txt")


# -- sentence graphs, and how the ontology says a class is drawn --


def test_sentence_graphs_count_for_their_paragraph(facts):
    """Claims in `jart:p03-s1` (a jjj:Sentence, jjj:inParagraph jart:p03) belong to p03."""
    by_sentence = load_facts(fx.store(fx.sentence_shaped()))
    assert {i: e.paragraphs for i, e in by_sentence.entities.items()} == {
        i: e.paragraphs for i, e in facts.entities.items()
    }
    assert by_sentence.links == facts.links
    assert by_sentence.entities[fx.EVIL].paragraphs == ["p03"]
    assert not any(e.cls == JJJ + "Sentence" for e in by_sentence.entities.values())
    assert list(by_sentence.paragraphs) == ["p01", "p02", "p03"]


def test_sentence_shaped_network_file_equals_the_paragraph_shaped_one(facts):
    by_sentence = load_facts(fx.store(fx.sentence_shaped()))
    assert netfiles.network_file(by_sentence, "gexf") == netfiles.network_file(facts, "gexf")


NEW_CLASSES = """
@prefix jjj: <https://w3id.org/jjjkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
jjj:Airport rdfs:subClassOf jjj:Infrastructure ; rdfs:label "机场"@zh , "airport"@en .
jjj:Port jjj:siteShape "box" .
"""


def test_family_and_style_come_from_the_nearest_annotated_ancestor(facts):
    import pyoxigraph as ox

    store = fx.store()
    store.load(NEW_CLASSES, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(fx.ONTOLOGY_GRAPH))
    store.load(
        f"<{fx.R}infra/airport> a <{JJJ}Airport> .",
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(fx.R + "graph/catalogue"),
    )
    drawn = load_facts(store)
    # a class the Python code has never heard of: its ancestor's family and style
    assert drawn.entities[fx.R + "infra/airport"].family == "infrastructure"
    assert drawn.style(JJJ + "Airport") == ("#e07b20", "triangle")
    # a subclass's own annotation wins over its ancestor's, for that annotation only
    assert drawn.style(JJJ + "Port") == ("#e07b20", "box")
    assert drawn.style(JJJ + "Infrastructure") == ("#e07b20", "triangle")
    # Zone is nearer than Place: a science park is in the parks family
    assert drawn.family(JJJ + "SciencePark") == "parks"
    assert (facts.family(JJJ + "Entity"), facts.style(JJJ + "Entity")) == (
        "other",
        ("#9e9e9e", "dot"),
    )


def test_the_ontology_annotates_the_site_families(built_dist):
    from jjjkg.dist.store import open_store

    real = load_facts(open_store(built_dist))
    names = ("CentralSOE", "SciencePark", "Port", "Observation")
    assert [real.family(JJJ + name) for name in names] == [
        "organisations",
        "parks",
        "infrastructure",
        "figures",
    ]
    assert {e.family for e in real.entities.values()} == {
        "organisations", "parks", "places", "infrastructure", "projects", "policies",
        "events", "industries", "figures",
    }  # fmt: skip
