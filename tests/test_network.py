"""The knowledge graph as a network: facts, entity names, paths, rankings, communities."""

from __future__ import annotations

import graph_fixture as fx
import pytest

from jjjkg.core.errors import JjjkgError, UnknownEntity
from jjjkg.core.terms import JJJ
from jjjkg.readers import network
from jjjkg.readers.resolve import resolve


@pytest.fixture(scope="module")
def facts():
    return network.load_facts(fx.dataset())


@pytest.fixture(scope="module")
def graph(facts):
    return network.entity_graph(facts)


def test_entities_get_their_most_specific_class_and_family(facts):
    cnooc = facts.entities[fx.CNOOC]
    # the catalogue says Enterprise, paragraph 1 says CentralSOE: the deeper class wins
    assert network.slug(cnooc.cls) == "jjj:CentralSOE"
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
    kinds = {network.slug(e.cls) for e in facts.entities.values()}
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
    links = {(network.slug(k.source), network.slug(k.prop), network.slug(k.target)): k.paragraphs
             for k in facts.links}  # fmt: skip
    assert links[("org/cnooc", "jjj:setUpUnitIn", "place/tianjin")] == ("p01",)
    assert links[("park/zgc", "jjj:locatedIn", "place/tianjin")] == ("background",)
    assert ("park/zgc", "jjj:hasStatus", "status/in-operation") not in links
    assert len(facts.links) == 8


def test_figure_text_gives_value_unit_year_and_qualifiers(facts):
    observation = facts.entities[fx.OBSERVATION]
    assert network.figure_text(facts, observation, "zh") == (
        "注册企业数：累计注册企业超4900家（2023年）"
    )
    assert network.figure_text(facts, observation, "en") == (
        "registered enterprises: cumulative, more than 4,900 (2023)"
    )


@pytest.mark.parametrize(
    "value, text",
    [(4900.0, "4,900"), (57.2, "57.2"), (27400000000.0, "27.4 billion"), (2.2e7, "22 million")],
)
def test_number_text(value, text):
    assert network.number_text(value) == text


def test_entity_graph_leaves_figures_out_unless_asked(facts, graph):
    assert graph.number_of_nodes() == fx.ENTITIES
    assert graph.number_of_edges() == 7
    assert fx.OBSERVATION in network.entity_graph(facts, figures=True)
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


def test_shortest_path_walks_links_either_way(facts, graph):
    paths = network.shortest_paths(facts, graph, fx.CNOOC, fx.XIONGAN)
    assert paths == []  # cnooc and Xiong'an are not connected in the fixture
    paths = network.shortest_paths(facts, graph, fx.R + "org/port-group", fx.XIONGAN)
    assert [
        [(network.slug(s.prop), network.slug(s.target), s.forward) for s in p] for p in paths
    ] == [[("jjj:operatedBy", "infra/port", False), ("jjj:serves", "place/xiongan", True)]]


def test_rank_by_degree_and_class(facts, graph):
    top = network.rank(facts, graph, "degree", top=3)
    # ties are broken by English name: Port of Tianjin, Tianjin, Tianjin Port Group
    assert top == [(fx.PORT, 2.0), (fx.TIANJIN, 2.0), (fx.R + "org/port-group", 2.0)]
    places = network.rank(facts, graph, "degree", cls="jjj:Place")
    assert {network.slug(n) for n, _ in places} == {
        "place/beijing", "place/hebei", "place/tianjin", "place/xiongan", "park/zgc"
    }  # fmt: skip
    enterprises = network.rank(facts, graph, "pagerank", cls="企业")  # by zh label
    assert {network.slug(n) for n, _ in enterprises} == {"org/cnooc", "org/evil", "org/port-group"}


def test_rank_unknown_class_or_measure(facts, graph):
    with pytest.raises(UnknownEntity, match="unknown class 'Enterprize'; did you mean"):
        network.rank(facts, graph, cls="Enterprize")
    with pytest.raises(JjjkgError, match="unknown centrality"):
        network.rank(facts, graph, by="closeness")


def test_pagerank_sums_to_one_and_favours_hubs(graph):
    scores = network.centrality(graph, "pagerank")
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores[fx.R + "org/port-group"] > scores[fx.CNOOC]


def test_communities_are_numbered_by_size_and_cover_every_node(graph):
    groups = network.communities(graph)
    assert set(groups) == set(graph.nodes)
    assert groups[fx.PORT] == groups[fx.R + "org/port-group"] == groups[fx.EVIL] == 0
    assert groups[fx.XIONGAN] == groups[fx.R + "place/hebei"]
    assert groups == network._louvain(graph)


def test_network_files_for_gephi(facts, graph, tmp_path):
    import networkx as nx

    annotated = network.annotated(graph)
    path = network.write_network(annotated, tmp_path / "n.gexf")
    again = network.write_network(annotated, tmp_path / "again.gexf")
    assert path.read_bytes() == again.read_bytes()
    assert b"lastmodifieddate" not in path.read_bytes()
    read = nx.read_graphml(network.write_network(annotated, tmp_path / "n.graphml"))
    assert read.nodes[fx.CNOOC]["label_en"] == "CNOOC"
    assert read.nodes[fx.CNOOC]["community"] >= 0
    with pytest.raises(JjjkgError, match="use .graphml or .gexf"):
        network.write_network(annotated, tmp_path / "n.txt")
