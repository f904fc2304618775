"""Interactive graph pages: one self-contained HTML file per view.

A view is a set of entities and the links between them (the overview, one article section,
one family of classes, the neighbourhood of an entity, a query result). pyvis assembles the
vis-network nodes and edges; the page itself is our own small template (assets/view.html)
with vis-network's script inlined from the pyvis package, so it opens offline from disk
and asks no other host for anything. Labels, tooltips and the legend come in zh and en;
the page's script shows data only through textContent and the canvas, never as HTML.
"""

from __future__ import annotations

import colorsys
import html
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jjjkg.core.errors import JjjkgError
from jjjkg.core.terms import JJJ, RDF_TYPE, slug
from jjjkg.readers.facts import FAMILY_NAMES, OTHER_STYLE, Entity, Facts, Link
from jjjkg.readers.figures import figure_text
from jjjkg.readers.pages import entity_path

ASSETS = Path(__file__).parent / "assets"
SEED = 7
# The order of families in a page's legend (colours and shapes come from the ontology).
LEGEND_ORDER = (
    "figures", "organisations", "parks", "infrastructure", "projects", "places", "policies",
    "events", "industries", "other",
)  # fmt: skip
COMMUNITY_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b",
]  # fmt: skip
WORDS = {
    "class": ("类别", "class"),
    "status": ("状态", "status"),
    "figures": ("数据", "figures"),
    "stated": ("出处", "stated in"),
    "background": ("背景知识（非原文）", "background knowledge (not in the article)"),
    "catalogue": ("实体目录", "entity catalogue"),
}


@dataclass
class View:
    """What one page shows: entity IRIs and the links among them."""

    name: str  # file stem
    zh: str
    en: str
    nodes: list[str]
    links: list[Link]
    kind: str = "view"
    about_zh: str = ""
    about_en: str = ""
    paragraphs: list[str] = field(default_factory=list)  # paragraph ids, for section views
    communities: bool = False

    def title(self, lang: str) -> str:
        return getattr(self, lang) or self.zh or self.en


def _links_among(facts: Facts, nodes: set[str]) -> list[Link]:
    return [k for k in facts.links if k.source in nodes and k.target in nodes]


def _view(facts: Facts, name: str, zh: str, en: str, nodes, **kw) -> View:
    chosen = set(nodes)
    links = kw.pop("links", None)
    if links is None:
        links = _links_among(facts, chosen)
    return View(name, zh, en, sorted(chosen), links, **kw)


def overview(facts: Facts) -> View:
    nodes = [i for i, e in facts.entities.items() if e.family != "figures"]
    return _view(
        facts,
        "overview",
        "全图总览",
        "Overview",
        nodes,
        kind="overview",
        about_zh="全部实体及其关系（数据见各节点提示）",
        about_en="Every entity and the links between them (figures are in the tooltips)",
        communities=True,
    )


def section_views(facts: Facts) -> list[View]:
    """One view per article section: what its paragraphs state, figures included."""
    views = []
    for section in facts.sections.values():
        pids = set(section.paragraphs)
        nodes = {i for i, e in facts.entities.items() if pids & set(e.paragraphs)}
        links = [k for k in facts.links if pids & set(k.paragraphs)]
        nodes |= {k.source for k in links} | {k.target for k in links}
        views.append(
            _view(
                facts,
                f"section-{section.number}",
                f"{section.number}. {section.zh}" if section.zh else f"第{section.number}部分",
                f"{section.number}. {section.en}" if section.en else f"Section {section.number}",
                nodes,
                links=links,
                kind="section",
                about_zh=f"第{section.number}部分各段落陈述的实体、关系与数据",
                about_en=f"What the paragraphs of section {section.number} state",
                paragraphs=list(section.paragraphs),
            )
        )
    return views


FAMILY_VIEWS = [
    (
        "organisations-parks",
        ("organisations", "parks"),
        "组织机构与园区",
        "Organisations and parks",
    ),
    ("infrastructure", ("infrastructure",), "基础设施与交通", "Infrastructure and transport"),
    ("policies", ("policies",), "政策与机制", "Policies and mechanisms"),
]


def family_views(facts: Facts) -> list[View]:
    """Views by family: the family's entities and their direct neighbours; and figures."""
    views = []
    for name, families, zh, en in FAMILY_VIEWS:
        core = {i for i, e in facts.entities.items() if e.family in families}
        near = {k.target for k in facts.links if k.source in core}
        near |= {k.source for k in facts.links if k.target in core}
        near = {i for i in near if facts.entities[i].family != "figures"}
        views.append(
            _view(
                facts,
                f"family-{name}",
                zh,
                en,
                core | near,
                kind="family",
                about_zh=f"{zh}及与之直接相连的实体",
                about_en=f"{en}, with the entities linked to them",
            )
        )
    figures = {i for i, e in facts.entities.items() if e.family == "figures"}
    subjects = {s for i in figures for s in facts.entities[i].figure.get("of", [])}
    links = [k for k in facts.links if k.source in figures and k.target in subjects]
    views.append(
        _view(
            facts,
            "family-figures",
            "数据与指标",
            "Figures",
            figures | (subjects & set(facts.entities)),
            links=links,
            kind="family",
            about_zh="文中的每个数字及其所描述的实体",
            about_en="Every figure of the article and what it describes",
        )
    )
    return views


def focus_view(facts: Facts, iri: str, depth: int = 1) -> View:
    """The neighbourhood of one entity: everything within `depth` links, either way."""
    import networkx as nx

    from jjjkg.readers.analysis import entity_graph

    graph = entity_graph(facts, figures=facts.entities[iri].family == "figures")
    near = nx.ego_graph(graph.to_undirected(as_view=True), iri, radius=max(depth, 0))
    entity = facts.entities[iri]
    return _view(
        facts,
        f"focus-{entity.slug.replace('/', '-')}",
        f"{entity.name('zh')}（{depth}步邻域）",
        f"{entity.name('en')} (neighbourhood, depth {depth})",
        near.nodes,
        kind="focus",
    )


def query_view(facts: Facts, result, name: str = "query") -> View:
    """The graph of a query result (`jjjkg.readers.query.Result`): CONSTRUCT or SELECT.

    CONSTRUCT: its triples between IRIs (rdf:type left out). SELECT: the IRIs of each
    row, linked as the data links them, or else by the row (its first IRI to the others,
    labelled with the variable's name).
    """
    import pyoxigraph as ox

    def iri(term) -> str | None:
        return term.value if isinstance(term, ox.NamedNode) else None

    nodes: set[str] = set()
    links: set[Link] = set()
    if result.kind == "graph":
        for triple in result.triples:
            s, p, o = iri(triple.subject), iri(triple.predicate), iri(triple.object)
            if s and o and p != RDF_TYPE:
                nodes |= {s, o}
                links.add(Link(s, p, o))
            elif s:
                nodes.add(s)
    elif result.kind == "select":
        rows = [
            [(var, iri(t)) for var, t in zip(result.variables, row, strict=False) if iri(t)]
            for row in result.rows
        ]
        nodes = {t for row in rows for _, t in row if _is_node(facts, t)}
        links = set(_links_among(facts, nodes))
        linked = {frozenset((k.source, k.target)) for k in links}
        for row in rows:
            for link in _row_links(facts, row):
                if frozenset((link.source, link.target)) not in linked:
                    links.add(link)
                    linked.add(frozenset((link.source, link.target)))
    else:
        raise JjjkgError("an ASK query answers yes or no; there is no graph to draw")
    title = f"查询：{name}", f"Query: {name}"
    return View(f"query-{name}", *title, sorted(nodes), sorted(links, key=_link_key), kind="query")


def answer_iris(result) -> set[str]:
    """The IRIs of a query's answer (`jjjkg.readers.query.Result`): what `query_view` draws."""
    import pyoxigraph as ox

    if result.kind == "graph":
        terms = [t for triple in result.triples for t in (triple.subject, triple.object)]
    else:
        terms = [t for row in result.rows or [] for t in row]
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def _is_node(facts: Facts, iri: str) -> bool:
    """Whether a SELECT cell is something to draw (not a property, class or paragraph)."""
    source = {p.iri for p in facts.paragraphs.values()} | set(facts.sections)
    ontology = iri in facts.terms and iri.startswith(JJJ)
    return iri not in facts.properties and iri not in source and not ontology


def _row_links(facts: Facts, cells: list[tuple[str, str]]) -> list[Link]:
    """Links one SELECT row draws: its first thing to each other thing, along the row's
    property if it has one (`?s ?link ?o`), else labelled with the column's name."""
    things = [(var, t) for var, t in cells if _is_node(facts, t)]
    props = [t for _, t in cells if t in facts.properties]
    iris = {t for _, t in cells}
    pids = tuple(sorted(p.id for p in facts.paragraphs.values() if p.iri in iris))
    first = things[0][1] if things else ""
    if props and len(things) == 2:
        return [Link(first, props[0], things[1][1], pids)]
    return [Link(first, "?" + var, t, pids) for var, t in things[1:] if t != first]


def _link_key(link: Link) -> tuple:
    return (link.source, link.prop, link.target)


def site_views(facts: Facts) -> list[View]:
    return [overview(facts), *section_views(facts), *family_views(facts)]


# -- styling --


def class_colours(facts: Facts) -> dict[str, str]:
    """A colour per class: its family's hue (`jjj:siteColour`), shifted and lightened per
    class."""
    by_family: dict[str, list[str]] = {}
    classes = {e.cls for e in facts.entities.values()}
    classes |= {i for i in facts.terms if i.startswith(JJJ) and i[len(JJJ) :][:1].isupper()}
    for cls in sorted(classes):
        by_family.setdefault(facts.family(cls), []).append(cls)
    colours = {}
    for members in by_family.values():
        n = len(members)
        for i, cls in enumerate(members):
            base = facts.style(cls)[0]
            r, g, b = (int(base[k : k + 2], 16) / 255 for k in (1, 3, 5))
            hue, light, sat = colorsys.rgb_to_hls(r, g, b)
            shift = (i - (n - 1) / 2) * min(0.012, 0.1 / max(n, 1))
            lightness = min(0.72, max(0.3, light + (((i * 0.618) % 1) - 0.5) * 0.28))
            rgb = colorsys.hls_to_rgb((hue + shift) % 1, lightness, sat)
            colours[cls] = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
    return colours


def _figures(facts: Facts, entity: Entity, lang: str) -> list[str]:
    own = [figure_text(facts, entity, lang)] if entity.figure else []
    return own + [figure_text(facts, facts.entities[f], lang) for f in entity.figures]


def _paragraph_name(facts: Facts, pid: str, lang: str) -> str:
    paragraph = facts.paragraphs.get(pid)
    if paragraph is None:
        return WORDS.get(pid, (pid, pid))[0 if lang == "zh" else 1]
    return paragraph.name(lang)


def _node_label(facts: Facts, entity: Entity, lang: str, view: View) -> str:
    if entity.family == "figures" and entity.figure and view.kind != "overview":
        stated = entity.figure.get("stated")
        if lang == "zh" and stated:
            return stated
        return figure_text(facts, entity, "en")
    return entity.name(lang)


def page_data(facts: Facts, view: View, lang: str = "zh") -> dict:
    """Everything the page script needs, as JSON-ready data (tooltips are built there)."""
    from pyvis.network import Network

    degree: dict[str, int] = {}
    for link in view.links:
        degree[link.source] = degree.get(link.source, 0) + 1
        degree[link.target] = degree.get(link.target, 0) + 1
    hubs = set(sorted(degree, key=lambda n: (-degree[n], n))[: hub_count(len(view.nodes))])
    groups = {}
    if view.communities:
        from jjjkg.readers.analysis import communities, entity_graph

        groups = communities(entity_graph(facts).subgraph(view.nodes))
    both = ("zh", "en")
    colours = class_colours(facts)
    net = Network(directed=True)
    classes: dict[str, dict] = {}
    families: dict[str, dict] = {}
    paragraphs: set[str] = set()
    for iri in view.nodes:
        entity = facts.entities.get(iri) or Entity(
            iri, facts.name(iri, "zh"), facts.name(iri, "en")
        )
        cls = entity.cls or "other"
        colour = colours.get(entity.cls, OTHER_STYLE[0])
        shape = facts.style(entity.cls)[1] if entity.cls else OTHER_STYLE[1]
        names = {k: cap(_node_label(facts, entity, k, view)) for k in both}
        net.add_node(
            iri,
            label=names[lang],
            shape=shape,
            color=colour,
            value=round(math.sqrt(degree.get(iri, 0)), 3),
            names=names,
            full={k: entity.name(k) for k in both},
            find=sorted({entity.zh, entity.en, entity.slug, *entity.alt} - {""}),
            cls=cls,
            family=entity.family,
            hub=iri in hubs,
            slug=entity.slug,
            page=entity_path(iri) or "",
            status={k: [facts.name(s, k) for s in entity.statuses] for k in both},
            figures={k: _figures(facts, entity, k) for k in both},
            paras=entity.paragraphs,
            community=groups.get(iri, -1),
        )
        paragraphs.update(entity.paragraphs)
        classes.setdefault(
            cls,
            {
                "zh": facts.name(cls, "zh") if entity.cls else "其他",
                "en": facts.name(cls, "en") if entity.cls else "other",
            },
        )
        zh, en = FAMILY_NAMES.get(entity.family, FAMILY_NAMES["other"])
        item = families.setdefault(
            entity.family,
            {"family": entity.family, "zh": zh, "en": en, "color": colour, "shape": shape},
        )
        item["count"] = item.get("count", 0) + 1
    for number, link in enumerate(view.links):
        names = {k: _prop_name(facts, link.prop, k) for k in both}
        background = not set(link.paragraphs) & set(facts.paragraphs)
        net.add_edge(
            link.source,
            link.target,
            id=f"e{number}",
            label=names[lang],
            names=names,
            slug="" if link.prop.startswith("?") else slug(link.prop),
            paras=list(link.paragraphs),
            background=background,
        )
        paragraphs.update(link.paragraphs)
    order = {family: i for i, family in enumerate(LEGEND_ORDER)}
    return {
        "lang": lang,
        "title": {k: view.title(k) for k in both},
        "about": {"zh": view.about_zh, "en": view.about_en},
        "words": {key: {"zh": zh, "en": en} for key, (zh, en) in WORDS.items()},
        "nodes": net.nodes,
        "edges": net.edges,
        "classes": classes,
        "legend": sorted(families.values(), key=lambda x: order.get(x["family"], 99)),
        "paras": {p: {k: _paragraph_name(facts, p, k) for k in both} for p in sorted(paragraphs)},
        "paragraphs": _paragraph_panel(facts, view),
        "communities": view.communities,
        "communityColours": COMMUNITY_COLOURS,
        "edgeLabels": len(view.nodes) <= EDGE_LABELS_UP_TO,
        "fonts": {"hub": HUB_FONT, "node": NODE_FONT},
        "options": vis_options(len(view.nodes)),
    }


LABEL_THRESHOLD = 8  # on-screen px below which vis-network leaves a label out
HUB_FONT, NODE_FONT = 48, 14
LABEL_CAP = {"zh": 12, "en": 24}  # characters of a name drawn on the canvas
EDGE_LABELS_UP_TO = 150  # larger views keep link names in the tooltips only


def cap(text: str) -> str:
    """A name cut for the canvas (the tooltip keeps the whole of it)."""
    wide = any("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in text)
    limit = LABEL_CAP["zh" if wide else "en"]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hub_count(size: int) -> int:
    """How many of a view's best-linked nodes keep their label when zoomed out."""
    return max(8, size // 25)


def _prop_name(facts: Facts, prop: str, lang: str) -> str:
    return prop if prop.startswith("?") else facts.name(prop, lang)


def _paragraph_panel(facts: Facts, view: View) -> list[dict]:
    panel = []
    for pid in view.paragraphs:
        paragraph = facts.paragraphs[pid]
        members = {i for i in view.nodes if pid in facts.entities[i].paragraphs}
        members |= {k.source for k in view.links if pid in k.paragraphs}
        members |= {k.target for k in view.links if pid in k.paragraphs}
        panel.append(
            {
                "id": pid,
                "zh": paragraph.name("zh"),
                "en": paragraph.name("en"),
                "evidence": paragraph.evidence,
                "nodes": sorted(members),
            }
        )
    return panel


def vis_options(size: int) -> dict:
    """Physics that settles in a bounded number of iterations, from a fixed seed.

    The iteration count, not the clock, ends the layout, so it is the same every time.
    """
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": size <= 100},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "theta": 0.9,
                "gravitationalConstant": -70,
                "centralGravity": 0.012,
                "springLength": 110 if size > 150 else 150,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 1,
            "stabilization": {
                "enabled": True,
                "iterations": 250 if size <= 200 else 150,
                "updateInterval": 50,
                "fit": True,
            },
        },
        "nodes": {
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#fff"},
            "borderWidth": 1,
            "widthConstraint": {"maximum": 180},
            "scaling": {
                "min": 10,
                "max": 40,
                # the page gives hubs a large font: zoomed out, only their names are drawn
                "label": {"enabled": False, "drawThreshold": LABEL_THRESHOLD, "maxVisible": 24},
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa3ad", "highlight": "#333", "hover": "#555"},
            "font": {"size": 10, "color": "#555", "strokeWidth": 3, "align": "middle"},
            "smooth": {"type": "continuous", "roundness": 0.2},
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": size > 300},
    }


# -- the page --


@lru_cache(maxsize=1)
def vis_script() -> str:
    """vis-network's script as the pyvis package ships it (no network needed)."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` left raw."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


VIS_FILE = "vis-network.min.js"  # the site's one copy of vis-network, beside its pages


def render(
    facts: Facts,
    view: View,
    lang: str = "zh",
    home: str | None = "index.html",
    shared: bool = False,
) -> str:
    """The HTML page of `view`; `home` links back to the site index (None: no link).

    `shared`: load vis-network from the sibling file VIS_FILE (the site writes it once)
    instead of inlining it, so that many pages do not carry a copy each.
    """
    data = page_data(facts, view, lang)
    data["home"] = home
    data["pages"] = shared  # nodes open their entity pages (resource/…) on a double-click
    if shared:
        vis = f'<script src="{VIS_FILE}"></script><script src="search-index.js"></script>'
    else:
        vis = "<script>" + vis_script().replace("</script", "<\\/script") + "</script>"
    return fill(
        asset("view.html"),
        lang=lang,
        title=html.escape(view.title(lang)),
        css=asset("site.css") + asset("view.css"),
        vis=vis,
        data=script_json(data),
        script=asset("view.js"),
    )


def fill(template: str, **values: str) -> str:
    """Replace each `@@name@@` in `template` (one pass, so values are never re-read)."""
    import re

    return re.sub(r"@@(\w+)@@", lambda m: values[m.group(1)], template)


def write_page(text: str, path: Path) -> Path:
    """Write an HTML page as UTF-8 (never the platform's encoding), LF line ends."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
