"""Graph views and pages, the site, and the viz / path / rank commands."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import graph_fixture as fx
import pytest
from click.testing import CliRunner

from jjjkg.cli import cli
from jjjkg.core.terms import JJJ, RDF_TYPE, slug
from jjjkg.readers import viz
from jjjkg.readers.facts import load_facts
from jjjkg.readers.site import build_site

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def facts():
    return load_facts(fx.store())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    return out, build_site(fx.store(), out)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The fixture as a built project, for the commands."""
    from jjjkg.pipeline.build import build

    root = fx.write_project(tmp_path_factory.mktemp("viz") / "project")
    (root / "queries").mkdir()
    (root / "queries" / "served.rq").write_text(
        "CONSTRUCT { ?s jjj:serves ?o . ?o jjj:locatedIn ?p }\n"
        "WHERE { ?s jjj:serves ?o OPTIONAL { ?o jjj:locatedIn ?p } }\n",
        encoding="utf-8",
    )
    build(root)
    return root


def slugs(view: viz.View) -> list[str]:
    return [slug(n) for n in view.nodes]


# -- views --


def test_site_views(facts):
    views = {v.name: len(v.nodes) for v in viz.site_views(facts)}
    assert views == {
        "overview": fx.ENTITIES,
        "section-1": 6,
        "section-2": 4,
        "family-organisations-parks": 6,
        "family-infrastructure": 3,
        "family-policies": 2,
        "family-figures": 2,
    }


def test_overview_leaves_figures_to_the_tooltips(facts):
    overview = viz.overview(facts)
    assert fx.OBSERVATION not in overview.nodes
    assert overview.communities


def test_section_view_is_what_its_paragraphs_state(facts):
    section = {v.name: v for v in viz.section_views(facts)}["section-2"]
    assert slugs(section) == ["infra/port", "org/evil", "org/port-group", "place/xiongan"]
    assert {k.paragraphs for k in section.links} == {("p03",)}
    assert section.paragraphs == ["p03"]


def test_family_views_add_the_linked_entities(facts):
    views = {v.name: v for v in viz.family_views(facts)}
    assert slugs(views["family-infrastructure"]) == [
        "infra/port",
        "org/port-group",
        "place/xiongan",
    ]
    assert slugs(views["family-figures"]) == ["obs/zgc-enterprises", "park/zgc"]


@pytest.mark.parametrize("depth, count", [(0, 1), (1, 3), (2, 4), (3, 5)])
def test_focus_view_depth(facts, depth, count):
    view = viz.focus_view(facts, fx.R + "org/port-group", depth)
    assert len(view.nodes) == count
    assert view.name == "focus-org-port-group"


def test_real_focus_pages_from_the_neighbourhood_are_those_of_the_whole_graph(built_dist):
    """`viz --focus` reads only the entity's neighbourhood from the store; its page is byte
    for byte the page drawn from the facts of the whole graph, at every depth."""
    import random

    from jjjkg.dist.store import open_store
    from jjjkg.readers import paths
    from jjjkg.readers.facts import ontology_facts
    from jjjkg.readers.resolve import names_from_store

    store = open_store(built_dist, few_queries=True)
    whole = load_facts(store)
    network = paths.Network(store, ontology_facts(store), names_from_store(store))
    nodes = sorted(i for i, e in whole.entities.items() if e.family != "figures")
    pick = random.Random(11)
    for iri, depth in [(i, d) for i in pick.sample(nodes, 8) for d in (0, 1, 2)]:
        local = load_facts(paths.local_store(network, paths.neighbourhood(network, iri, depth)))
        expected = viz.render(whole, viz.focus_view(whole, iri, depth), "zh", home=None)
        assert viz.render(local, viz.focus_view(local, iri, depth), "zh", home=None) == expected


@pytest.mark.parametrize(
    "name", ["central-soe-units", "construct-central-soes", "park-enterprise-counts", "events"]
)
def test_real_query_pages_from_the_answer_are_those_of_the_whole_graph(built_dist, name):
    """`viz --query` reads the facts of the answer's IRIs only; its page is the page drawn
    from the facts of the whole graph."""
    from jjjkg.dist.store import open_store
    from jjjkg.readers import paths
    from jjjkg.readers import query as queries
    from jjjkg.readers.facts import ontology_facts
    from jjjkg.readers.resolve import names_from_store

    root = Path(__file__).resolve().parent.parent
    store = open_store(built_dist, few_queries=True)
    result = queries.execute(open_store(built_dist), queries.find_query(root, name), {}, False)
    whole = load_facts(store)
    network = paths.Network(store, ontology_facts(store), names_from_store(store))
    local = load_facts(paths.local_store(network, viz.answer_iris(result)))
    expected = viz.render(whole, viz.query_view(whole, result, name), "en", home=None)
    assert viz.render(local, viz.query_view(local, result, name), "en", home=None) == expected


def test_query_view_of_construct_and_select(facts):
    import pyoxigraph as ox

    from jjjkg.readers.query import Result

    def iri(x):
        return ox.NamedNode(x)

    serves = JJJ + "serves"
    construct = Result(
        "graph",
        triples=[
            ox.Triple(iri(fx.PORT), iri(serves), iri(fx.XIONGAN)),
            ox.Triple(iri(fx.PORT), iri(RDF_TYPE), iri(JJJ + "Port")),
        ],
    )
    view = viz.query_view(facts, construct, "q")
    assert (slugs(view), [slug(k.prop) for k in view.links]) == (
        ["infra/port", "place/xiongan"],
        ["jjj:serves"],
    )
    select = Result(
        "select",
        variables=["a", "b", "n"],
        rows=[
            (iri(fx.CNOOC), iri(fx.TIANJIN), ox.Literal("x")),
            (iri(fx.PORT), iri(fx.CNOOC), None),
        ],
    )
    view = viz.query_view(facts, select, "q")
    assert [(slug(k.source), k.prop) for k in view.links] == [
        ("infra/port", "?b"),  # not linked in the data: linked by the row
        ("org/cnooc", JJJ + "setUpUnitIn"),  # linked in the data
    ]
    with pytest.raises(Exception, match="ASK query"):
        viz.query_view(facts, Result("ask", boolean=True), "q")


# -- pages --


def test_page_asks_no_other_host(facts):
    page = viz.render(facts, viz.overview(facts))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert '<link rel="stylesheet"' not in page and "@import" not in page
    assert "default-src 'none'" in page  # the browser refuses any request we forgot
    assert "vis.Network" in page and "cdn" not in page.lower().replace("cdnjs", "")


def test_page_data_cannot_break_out_of_its_script(facts):
    page = viz.render(facts, viz.overview(facts))
    assert fx.XSS_ZH not in page and fx.XSS_EN not in page and "<img" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert page.count("</script>") == 3  # vis, data, page script


def test_script_json_escapes_markup():
    text = viz.script_json({"a": "</script><b>&\u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}'


def test_page_opens_in_the_language_asked(facts):
    english = viz.render(facts, viz.overview(facts), lang="en")
    assert '<html lang="en">' in english and "<title>Overview</title>" in english


RENDER = """
import sys, graph_fixture as fx
from jjjkg.readers import viz
from jjjkg.readers.facts import load_facts
facts = load_facts(fx.store())
sys.stdout.buffer.write(viz.render(facts, viz.overview(facts)).encode("utf-8"))
"""


def test_page_is_the_same_whatever_the_hash_seed():
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(TESTS)}
        out = subprocess.run(
            [sys.executable, "-c", RENDER], env=env, capture_output=True, check=True
        )
        digests.add(hashlib.sha256(out.stdout).hexdigest())
    assert len(digests) == 1


def test_page_is_utf8_whatever_the_locale(tmp_path):
    script = RENDER.replace(
        'sys.stdout.buffer.write(viz.render(facts, viz.overview(facts)).encode("utf-8"))',
        f"viz.write_page(viz.render(facts, viz.overview(facts)), {str(tmp_path / 'p.html')!r})",
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONPATH": str(TESTS)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    assert "中海油" in (tmp_path / "p.html").read_bytes().decode("utf-8")


def test_class_colours_are_stable_and_shared_by_family(facts):
    colours = viz.class_colours(facts)
    assert colours == viz.class_colours(facts)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours.values())
    assert colours[JJJ + "Enterprise"] != colours[JJJ + "CentralSOE"]


# -- the site --


def test_site_files(site):
    out, files = site
    assert [str(f.relative_to(out)) for f in files] == [
        "article.html",
        "class/CentralSOE.html",
        "class/Enterprise.html",
        "class/NewArea.html",
        "class/Observation.html",
        "class/Policy.html",
        "class/Port.html",
        "class/ProvinceLevelUnit.html",
        "class/SciencePark.html",
        "family-figures.html",
        "family-infrastructure.html",
        "family-organisations-parks.html",
        "family-policies.html",
        "index.html",
        "map-data-LICENSE.txt",
        "map.html",
        "network.gexf",
        "ontology.html",
        "overview.html",
        "resource/infra/port.html",
        "resource/obs/zgc-enterprises.html",
        "resource/org/cnooc.html",
        "resource/org/evil.html",
        "resource/org/port-group.html",
        "resource/park/zgc.html",
        "resource/place/beijing.html",
        "resource/place/hebei.html",
        "resource/place/tianjin.html",
        "resource/place/xiongan.html",
        "resource/policy/relief.html",
        "search-index.js",
        "section-1.html",
        "section-2.html",
        "site.css",
        "site.js",
        "vis-network.min.js",
    ]


def test_index_links_every_view_the_ontology_and_downloads(site):
    out, files = site
    index = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    pages = {str(f.relative_to(out)) for f in files if f.suffix in (".html", ".gexf")}
    assert {p for p in pages if "/" not in p or p.startswith("class/")} - {"index.html"} <= links
    assert "中央企业" in index and "central state-owned enterprise" in index  # counts by class
    assert "港口与交通" in index  # by section
    assert "&lt;img src=x onerror=alert(1)&gt;" not in index  # names are not listed here


def test_index_links_dist_downloads_that_exist(tmp_path):
    (tmp_path / "jjjkg.ttl").write_text("", encoding="utf-8")
    build_site(fx.store(), tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="../jjjkg.ttl"' in index and "../jjjkg.trig" not in index


def test_ontology_page_documents_every_term(site):
    out, _ = site
    page = (out / "ontology.html").read_text(encoding="utf-8")
    for name in ("Organization", "CentralSOE", "SciencePark", "locatedIn", "value"):
        assert f'id="{name}"' in page
    assert "中央企业" in page and "The central state-owned enterprise class." in page
    assert '<a href="#Entity">jjj:Entity</a>' in page  # domains link to their class
    assert "Transitive" in page and "Symmetric" in page


def test_site_is_deterministic(site, tmp_path):
    out, files = site
    again = build_site(fx.store(), tmp_path / "site")
    assert [f.read_bytes() for f in again] == [f.read_bytes() for f in files]


# -- commands --


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(project)], catch_exceptions=False)


def test_cli_path(project):
    result = run(project, "path", "天津港集团", "雄安")
    assert result.exit_code == 0
    assert result.output == (
        "天津港集团 → 河北雄安新区: 1 shortest path of 2 steps\n"
        "\n"
        "1. 天津港集团\n"
        "   ←运营单位— 天津港  [第3段]\n"
        "   —服务→ 河北雄安新区  [第3段]\n"
    )


def test_cli_path_none(project):
    result = run(project, "path", "cnooc", "xiongan", "--lang", "en")
    assert (result.exit_code, result.output) == (1, "No path: CNOOC → Xiong'an New Area\n")


def test_cli_unknown_entity(project):
    result = run(project, "path", "cnoocx", "xiongan")
    assert result.exit_code == 2
    assert result.output == "Error: unknown entity 'cnoocx'; did you mean: CNOOC?\n"


def test_cli_rank(project):
    result = run(project, "rank", "--by", "pagerank", "--class", "Enterprise", "--lang", "en")
    assert result.exit_code == 0
    assert result.output == (
        "#  pagerank  entity                     class\n"
        "1  0.1230    Tianjin Port Group         enterprise\n"
        "2  0.0770    CNOOC                      central state-owned enterprise\n"
        "3  0.0673    <script>alert(2)</script>  enterprise\n"
    )


def test_cli_viz(project, tmp_path):
    out = tmp_path / "port.html"
    result = run(project, "viz", "--focus", "Port of Tianjin", "--depth", "1", "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote {out} (3 nodes, 2 links)\n")
    page = out.read_text(encoding="utf-8")
    assert "天津港集团" in page and 'id="home"' in page and '"home":null' in page


def test_cli_viz_overview_in_english(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(project, "viz", "--lang", "en")
    assert (result.exit_code, result.output) == (0, "Wrote overview.html (10 nodes, 7 links)\n")
    assert '<html lang="en">' in (tmp_path / "overview.html").read_text(encoding="utf-8")


def test_cli_viz_query(project, tmp_path):
    out = tmp_path / "q.html"
    result = run(project, "viz", "--query", "served", "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote {out} (3 nodes, 2 links)\n")
    assert "查询：served" in out.read_text(encoding="utf-8")
    select = tmp_path / "select.rq"
    select.write_text("SELECT ?org ?place WHERE { ?org jjj:setUpUnitIn ?place }", encoding="utf-8")
    result = run(project, "viz", "--query", str(select), "-o", str(out))
    assert (result.exit_code, result.output) == (0, f"Wrote {out} (2 nodes, 1 link)\n")


def test_cli_viz_focus_and_query_together(project):
    result = run(project, "viz", "--focus", "cnooc", "--query", "x")
    assert result.exit_code == 2 and "give --focus or --query, not both" in result.output
