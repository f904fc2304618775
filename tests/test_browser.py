"""The site's pages in a real browser: Debian's chromium driven by Playwright's client.

No browser is ever downloaded: the tests use /usr/bin/chromium and are skipped only when
it is absent. Every page of the built site (and of a small fixture site) must load from
disk with no console error and no request outside file://, draw the nodes its view
holds, switch its labels between zh and en, and find a node by name. A fixture entity
named `<img src=x onerror=alert(1)>` must show as text and never run.
"""

from __future__ import annotations

import time
from pathlib import Path

import graph_fixture
import pytest

from jjjkg.readers.viz import cap

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
READY = "() => window.jjjkg && window.jjjkg.ready"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


def expected_views(facts) -> dict[str, int]:
    from jjjkg.readers import viz

    return {f"{v.name}.html": len(v.nodes) for v in viz.site_views(facts)}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    from jjjkg.readers.facts import load_facts
    from jjjkg.readers.site import build_site

    ds = graph_fixture.store()
    out = tmp_path_factory.mktemp("fixture-site") / "site"
    build_site(ds, out)
    return out, expected_views(load_facts(ds))


@pytest.fixture(scope="module")
def real_site(built_dist):
    from jjjkg.dist.store import open_store
    from jjjkg.readers.facts import load_facts

    return built_dist / "site", expected_views(load_facts(open_store(built_dist)))


class Visit:
    """One page opened from disk, with everything it logged, requested or popped up."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.on("dialog", self._dialog)
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.graph = self.page.evaluate("typeof window.jjjkg === 'object'")
        if self.graph:
            self.page.wait_for_function(READY, timeout=20000)
        self.seconds = time.perf_counter() - started

    def _request(self, request) -> None:
        if not request.url.startswith("file://"):
            self.requests.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.page.close()


def check_page(browser, path: Path, expected: dict[str, int]) -> list[str]:
    """Everything every page must do; returns what went wrong (empty when all is well)."""
    visit = Visit(browser, path)
    problems = []
    try:
        if visit.errors:
            problems.append(f"console errors: {visit.errors[:3]}")
        if visit.requests:
            problems.append(f"requests outside file://: {visit.requests[:3]}")
        if visit.dialogs:
            problems.append(f"dialogs: {visit.dialogs}")
        if visit.graph:
            problems += check_graph(visit, expected.get(path.name))
        else:
            problems += check_document(visit)
    finally:
        visit.close()
    return [f"{path.name}: {p}" for p in problems]


def check_graph(visit: Visit, expected: int | None) -> list[str]:
    problems = []
    drawn = visit.js("jjjkg.network.body.data.nodes.length")
    visible = visit.js("jjjkg.network.body.nodeIndices.length")
    if expected is None or drawn != expected or visible != expected:
        problems.append(f"drew {drawn} nodes ({visible} visible), expected {expected}")
    title = visit.page.inner_text("#title")
    labels = visit.js("jjjkg.nodes.map(n => n.label).join('|')")
    visit.page.click("#lang")
    if visit.page.inner_text("#title") == title:
        problems.append("the language switch did not change the title")
    if drawn and visit.js("jjjkg.nodes.map(n => n.label).join('|')") == labels:
        problems.append("the language switch did not change the node labels")
    if drawn:
        target = visit.js("jjjkg.nodes.get()[0]")
        visit.page.fill("#search", target["label"])
        visit.page.press("#search", "Enter")
        if visit.js("jjjkg.network.getSelectedNodes()") != [target["id"]]:
            problems.append(f"search did not find {target['label']!r}")
    return problems


def check_document(visit: Visit) -> list[str]:
    title = visit.page.inner_text("#title")
    visit.page.click("#lang")
    return [] if visit.page.inner_text("#title") != title else ["the language switch did nothing"]


def test_fixture_site_pages(browser, fixture_site):
    site, expected = fixture_site
    pages = sorted(site.glob("*.html"))
    assert {p.name for p in pages} >= set(expected) | {"index.html", "ontology.html"}
    problems = [p for path in pages for p in check_page(browser, path, expected)]
    assert problems == []


def test_built_site_pages(browser, real_site):
    site, expected = real_site
    pages = sorted(site.glob("*.html"))
    assert {p.name for p in pages} >= set(expected) | {"index.html", "ontology.html"}
    problems = [p for path in pages for p in check_page(browser, path, expected)]
    assert problems == []


def test_overview_settles_and_holds_still(browser, real_site):
    """The overview stops moving once laid out, the same way every time; screenshot saved."""
    site, _ = real_site
    positions = []
    for _ in range(2):
        visit = Visit(browser, site / "overview.html")
        try:
            assert visit.js("jjjkg.network.physics.physicsEnabled") is False
            first = visit.js("JSON.stringify(jjjkg.network.getPositions())")
            visit.page.wait_for_timeout(300)
            assert visit.js("JSON.stringify(jjjkg.network.getPositions())") == first
            positions.append(first)
            OUTPUT.mkdir(exist_ok=True)
            visit.page.screenshot(path=str(OUTPUT / "overview.png"))
        finally:
            visit.close()
    assert positions[0] == positions[1]


def hover(visit: Visit, node: str) -> str:
    """Move the mouse onto `node` and return the text of the tooltip that opens."""
    point = visit.js(f"jjjkg.network.canvasToDOM(jjjkg.network.getPositions([{node!r}])[{node!r}])")
    box = visit.page.locator("#graph").bounding_box()
    visit.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = visit.page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    return tooltip.inner_text()


def test_html_in_a_name_shows_as_text(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "overview.html")
    try:
        evil = graph_fixture.EVIL
        # the canvas label is capped in length; the tooltip has the whole name
        assert visit.js(f"jjjkg.nodes.get({evil!r}).label") == cap(graph_fixture.XSS_ZH)
        visit.js(f"jjjkg.network.focus({evil!r}, {{scale: 1.5}})")
        assert graph_fixture.XSS_ZH in hover(visit, evil)
        visit.page.click("#lang")
        assert visit.js(f"jjjkg.nodes.get({evil!r}).label") == cap(graph_fixture.XSS_EN)
        visit.page.fill("#search", "<img src=x")
        visit.page.press("#search", "Enter")
        assert visit.js("jjjkg.network.getSelectedNodes()") == [evil]
        assert visit.js("document.querySelectorAll('img, #side script').length") == 0
        visit.page.wait_for_timeout(200)
        assert visit.dialogs == []
        assert visit.errors == []
    finally:
        visit.close()


def test_tooltip_shows_class_figures_and_paragraphs(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "overview.html")
    try:
        park = graph_fixture.R + "park/zgc"
        visit.js(f"jjjkg.network.focus({park!r}, {{scale: 1.5}})")
        text = hover(visit, park)
        assert "科技园区" in text  # its class
        assert "注册企业数：累计注册企业超4900家（2023年）" in text  # its figure
        assert "第2段：科技园" in text  # the paragraph that states it
        assert "投入运营" in text  # its status
    finally:
        visit.close()


def test_section_paragraph_list_selects_its_nodes(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "section-2.html")
    try:
        visit.page.click("#paragraphs li")
        selected = sorted(visit.js("jjjkg.network.getSelectedNodes()"))
        expected = [graph_fixture.EVIL, graph_fixture.PORT, graph_fixture.R + "org/port-group"]
        assert selected == sorted([*expected, graph_fixture.XIONGAN])
    finally:
        visit.close()


def test_legend_selects_a_family_and_recolours_by_community(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "overview.html")
    try:
        legend = visit.page.locator("#legend li")
        assert legend.count() == 5  # the families drawn in the overview of the fixture
        legend.filter(has=visit.page.get_by_text("组织机构", exact=True)).click()
        organisations = [
            graph_fixture.CNOOC,
            graph_fixture.EVIL,
            graph_fixture.R + "org/port-group",
        ]
        assert sorted(visit.js("jjjkg.network.getSelectedNodes()")) == organisations
        visit.page.select_option("#colour-by", "community")
        assert legend.count() == 4  # the fixture's four communities
        assert legend.first.inner_text().startswith("社区 1")
        colours = visit.js("new Set(jjjkg.nodes.map(n => n.color)).size")
        assert colours == 4
        assert visit.errors == []
    finally:
        visit.close()


# -- the site: entity pages, map, overview, search (issue 15) --


def save_screenshot(visit: Visit, folder: Path, name: str, full_page: bool = False) -> Path:
    """Save a screenshot into `folder` (the test's tmp dir) and, if $JJJKG_SCREENS names a
    folder, a copy there for people to look at."""
    import os
    import shutil

    path = folder / name
    visit.page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("JJJKG_SCREENS"):
        target = Path(os.environ["JJJKG_SCREENS"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / name)
    return path


@pytest.fixture(scope="module")
def sentence_site(tmp_path_factory):
    import site_fixture

    from jjjkg.readers.site import build_site

    out = tmp_path_factory.mktemp("sentence-site") / "site"
    build_site(site_fixture.dataset(), out)
    return out


def test_built_entity_and_class_pages(browser, real_site):
    """A sample of entity pages and class lists: no error, nothing fetched, zh/en switch."""
    site, _ = real_site
    pages = sorted((site / "resource").rglob("*.html"))
    assert len(pages) > 300
    sample = pages[:: len(pages) // 12] + sorted((site / "class").glob("*.html"))[:3]
    problems = [p for path in sample for p in check_page(browser, path, {})]
    assert problems == []


def test_hostile_names_stay_text_on_entity_pages_and_the_map(browser, sentence_site):
    for path in ("resource/org/evil.html", "resource/org/long-name.html", "map.html"):
        visit = Visit(browser, sentence_site / path)
        try:
            assert (
                visit.js("document.querySelectorAll('main img, main script, main b').length") == 0
            )
            assert visit.errors == [] and visit.requests == []
            visit.page.wait_for_timeout(100)
            assert visit.dialogs == []
        finally:
            visit.close()
    visit = Visit(browser, sentence_site / "resource/org/evil.html")
    try:
        assert visit.page.inner_text("h1") == graph_fixture.XSS_ZH
        visit.page.click("#lang")
        assert visit.page.inner_text("h1") == graph_fixture.XSS_EN
    finally:
        visit.close()


def test_map_draws_its_regions_and_lists_a_regions_entities(browser, real_site, tmp_path):
    site, _ = real_site
    visit = Visit(browser, site / "map.html")
    try:
        assert visit.errors == [] and visit.requests == []
        drawn = visit.js(
            "Array.from(document.querySelectorAll('#map .region'))"
            ".filter(r => r.getBBox().width > 0).length"
        )
        assert drawn == 43
        binhai = visit.page.locator('#map .region[data-code="120116"]')
        count = int(binhai.get_attribute("data-count"))
        assert count > 0
        binhai.hover()
        assert visit.page.inner_text("#map-status") == f"滨海新区: {count}"
        binhai.click(force=True)
        assert visit.page.locator("#map-list li").count() == count
        save_screenshot(visit, tmp_path, "map.png")
    finally:
        visit.close()


def test_overview_legend_has_at_most_12_entries(browser, real_site, tmp_path):
    site, _ = real_site
    visit = Visit(browser, site / "overview.html")
    try:
        entries = visit.page.locator("#legend li").count()
        assert 0 < entries <= 12
        hubs = visit.js("jjjkg.nodes.get().filter(n => n.font.size > 20).length")
        assert 8 <= hubs <= 20  # only hubs are labelled until the user zooms in
        assert visit.js("jjjkg.edges.get().filter(e => e.dashes).length") > 0
        save_screenshot(visit, tmp_path, "overview.png")
    finally:
        visit.close()


XIONGAN_PAGE = "resource/place/xiongan.html"


@pytest.mark.parametrize("query", ["雄安", "Xiongan", "xiong'an"])
def test_search_lands_on_xiongan(browser, real_site, query):
    """Enter once: the exact or shortest match is selected, and the view stays on it."""
    site, _ = real_site
    visit = Visit(browser, site / "overview.html")
    try:
        visit.page.fill("#search", query)
        visit.page.press("#search", "Enter")
        assert visit.js("jjjkg.network.getSelectedNodes()") == [graph_fixture.XIONGAN]
        node = f"jjjkg.network.getPositions([{graph_fixture.XIONGAN!r}])[{graph_fixture.XIONGAN!r}]"
        on_node = (
            f"() => {{ const v = jjjkg.network.getViewPosition(), n = {node};"
            " return Math.hypot(v.x - n.x, v.y - n.y) < 1; }"
        )
        visit.page.wait_for_function(on_node, timeout=5000)  # the focus animation ends on it
        visit.page.wait_for_timeout(500)
        assert visit.js(f"({on_node})()")  # and stays there
        assert visit.js("jjjkg.network.getSelectedNodes()") == [graph_fixture.XIONGAN]
    finally:
        visit.close()


def test_search_from_an_entity_page_opens_the_entity(browser, real_site, tmp_path):
    site, _ = real_site
    visit = Visit(browser, site / "resource/org/cnooc.html")
    try:
        save_screenshot(visit, tmp_path, "entity.png", full_page=True)
        visit.page.fill("#search", "雄安")
        with visit.page.expect_navigation():
            visit.page.press("#search", "Enter")
        assert visit.page.url == (site / XIONGAN_PAGE).as_uri()
        assert visit.page.inner_text("h1") == "河北雄安新区"
        assert visit.errors == [] and visit.requests == []
    finally:
        visit.close()


def test_paragraph_click_dims_what_it_does_not_state(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "section-1.html")
    try:
        visit.page.click("#paragraphs li")
        faint = visit.js("jjjkg.nodes.get().filter(n => n.color.startsWith('rgba')).map(n => n.id)")
        stated = visit.js("jjjkg.network.getSelectedNodes()")
        assert faint and stated and not set(faint) & set(stated)
        visit.page.click("#paragraphs li")
        assert visit.js("jjjkg.nodes.get().filter(n => n.color.startsWith('rgba')).length") == 0
    finally:
        visit.close()


def test_hovering_a_hub_shows_the_hub(browser, real_site):
    """Regression (issue 15): the centre of a hub showed the tooltip of one of its links."""
    site, _ = real_site
    visit = Visit(browser, site / "overview.html")
    try:
        text = hover(visit, graph_fixture.TIANJIN)
        assert text.split()[:2] == ["天津", "Tianjin"]
    finally:
        visit.close()


def test_double_click_opens_the_nodes_page(browser, fixture_site):
    site, _ = fixture_site
    visit = Visit(browser, site / "overview.html")
    try:
        port = graph_fixture.PORT
        visit.js(f"jjjkg.network.focus({port!r}, {{scale: 1.5}})")
        point = visit.js(
            f"jjjkg.network.canvasToDOM(jjjkg.network.getPositions([{port!r}])[{port!r}])"
        )
        box = visit.page.locator("#graph").bounding_box()
        with visit.page.expect_navigation():
            visit.page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
        assert visit.page.url == (site / "resource/infra/port.html").as_uri()
        assert visit.page.inner_text("h1") == "天津港"
    finally:
        visit.close()
