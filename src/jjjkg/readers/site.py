"""The browsable site: an index, the graph views, the ontology documentation, downloads.

`build_site(dataset, out_dir)` is called by `jjjkg build` with the built dataset and writes
dist/site/: the pages and the few files they share (site.css, site.js, search-index.js,
vis-network.min.js), all of which open offline from disk.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.terms import DCTERMS, JJJ, OWL, RDF_TYPE, RDFS, shorten
from jjjkg.readers import viz
from jjjkg.readers.facts import FAMILY_NAMES, Facts, load_facts, plain
from jjjkg.readers.netfiles import write_network
from jjjkg.readers.pages import class_path

if TYPE_CHECKING:
    import pyoxigraph as ox

# Files of dist/ the index links to when they are there (the site lives in dist/site/).
DOWNLOADS = [
    ("jjjkg.ttl", "Turtle：本体与全部断言（合并）", "Turtle: ontology and all assertions, merged"),
    (
        "jjjkg.trig",
        "TriG：保留命名图（段落出处）",
        "TriG: named graphs kept (paragraph provenance)",
    ),
    ("jjjkg.nq", "N-Quads：含推理结果", "N-Quads, inferred graph included"),
    ("jjjkg.jsonld", "JSON-LD", "JSON-LD"),
    ("jjjkg-inferred.ttl", "Turtle：推理所得三元组", "Turtle: inferred triples only"),
    ("manifest.json", "构建清单（计数、输入哈希）", "build manifest (counts, input hashes)"),
]
NETWORK_FILES = [
    ("network.gexf", "GEXF：实体网络，含社区与中心性（Gephi）",
     "GEXF: the entity network with communities and centrality (for Gephi)"),
]  # fmt: skip


def build_site(store: ox.Store, out_dir: Path, version: str | None = None) -> list[Path]:
    """Write the site for the built graph in `store` (every named graph, as the build's own
    store holds them; see `jjjkg.readers.facts.load_facts`) into `out_dir`, data set `version`
    shown on the index; return the files written, sorted."""
    from jjjkg.readers import claim_index, entity_pages, map_page

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    facts = load_facts(store)
    views = viz.site_views(facts)
    written = [
        viz.write_page(viz.render(facts, v, shared=True), out / f"{v.name}.html") for v in views
    ]
    written += shared_files(out)
    provenance = claim_index.read_claims(store, set(facts.entities))
    written += entity_pages.write_entity_pages(facts, provenance, out)
    located = claim_index.located_in(store)
    written.append(viz.write_page(map_page.map_page(facts, located), out / "map.html"))
    for name, _, _ in NETWORK_FILES:
        written.append(write_network(facts, out / name))
    written.append(viz.write_page(ontology_page(facts), out / "ontology.html"))
    written.append(viz.write_page(index_page(facts, views, out, version), out / "index.html"))
    return sorted(written)


def shared_files(out: Path) -> list[Path]:
    """The files every page shares: one stylesheet, one script, vis-network, map licence."""
    files = {
        "site.css": viz.asset("site.css") + viz.asset("page.css") + viz.asset("doc.css"),
        "site.js": viz.asset("site.js"),
        viz.VIS_FILE: viz.vis_script(),
        "map-data-LICENSE.txt": viz.asset("regions.LICENSE"),
    }
    return [viz.write_page(text, out / name) for name, text in files.items()]


# -- HTML helpers --


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def bi(zh: str, en: str) -> str:
    """Text in both languages; the page's switch shows one of them."""
    if zh == en:
        return esc(zh)
    return f'<span class="zh-only">{esc(zh)}</span><span class="en-only">{esc(en)}</span>'


def name(thing) -> str:
    return bi(thing.name("zh"), thing.name("en"))


def page(title_zh: str, title_en: str, body: str) -> str:
    from jjjkg.readers.pages import doc_page

    return doc_page(title_zh, title_en, body)


def table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


# -- index --


def index_page(facts: Facts, views: list[viz.View], out: Path, version: str | None = None) -> str:
    entities = facts.entities.values()
    figures = sum(1 for e in entities if e.family == "figures")
    article = f"""
<p class="lead">{
        bi(
            "根据一篇关于天津推动京津冀协同发展十年成就的文章构建的知识图谱：每条陈述都可追溯到原文段落。",
            "A knowledge graph built from a Chinese article on ten years of Tianjin's part in "
            "Beijing–Tianjin–Hebei coordinated development; "
            "every claim is traceable to its paragraph.",
        )
    }</p>
<ul class="stats">
<li><b>{len(facts.entities) - figures}</b> {bi("个实体", "entities")}</li>
<li><b>{len(facts.links)}</b> {bi("条实体间关系", "links between entities")}</li>
<li><b>{figures}</b> {bi("个数据观测", "figures (observations)")}</li>
<li><b>{len(facts.paragraphs)}</b> {bi("个段落", "paragraphs")} ·
<b>{len(facts.sections)}</b> {bi("个章节", "sections")}</li>
</ul>
{f'<p class="version">{bi("数据版本", "Data version")} {esc(version)}</p>' if version else ""}
<p class="nav"><a href="overview.html">{bi("全图总览", "Overview")}</a> ·
<a href="map.html">{bi("地图", "Map")}</a> ·
<a href="article.html">{bi("原文", "The article")}</a> ·
<a href="#views">{bi("图视图", "Graph views")}</a> ·
<a href="#sections">{bi("按文章章节", "By article section")}</a> ·
<a href="#classes">{bi("按类别", "By class")}</a> ·
<a href="ontology.html">{bi("本体文档", "Ontology")}</a> ·
<a href="#downloads">{bi("下载", "Downloads")}</a></p>"""
    rows = [
        [
            f'<a href="{esc(v.name)}.html">{bi(v.title("zh"), v.title("en"))}</a>',
            bi(v.about_zh, v.about_en),
            str(len(v.nodes)),
            str(len(v.links)),
        ]
        for v in views
        if v.kind != "section"
    ]
    head = [
        bi("视图", "view"),
        bi("内容", "what it shows"),
        bi("实体", "nodes"),
        bi("关系", "links"),
    ]
    by_view = {v.name: v for v in views}
    section_rows = []
    for section in facts.sections.values():
        view = by_view.get(f"section-{section.number}")
        pids = set(section.paragraphs)
        stated = [e for e in entities if pids & set(e.paragraphs)]
        title = bi(section.name("zh"), section.name("en"))
        section_rows.append(
            [
                str(section.number),
                f'<a href="{esc(view.name)}.html">{title}</a>' if view else title,
                str(len(section.paragraphs)),
                str(sum(1 for e in stated if e.family != "figures")),
                str(sum(1 for k in facts.links if pids & set(k.paragraphs))),
                str(sum(1 for e in stated if e.family == "figures")),
            ]
        )
    section_head = [
        "#",
        bi("章节（点击查看其图）", "section (click for its graph)"),
        bi("段落", "paragraphs"),
        bi("实体", "entities"),
        bi("关系", "links"),
        bi("数据", "figures"),
    ]
    return page(
        "京津冀协同发展知识图谱",
        "Beijing–Tianjin–Hebei Coordinated Development Knowledge Graph",
        article
        + f'<h2 id="views">{bi("图视图", "Graph views")}</h2>'
        + table(head, rows)
        + f'<h2 id="sections">{bi("按文章章节", "By article section")}</h2>'
        + table(section_head, section_rows)
        + f'<h2 id="classes">{bi("按类别", "By class")}</h2>'
        + class_counts(facts)
        + f"<h2>{bi('本体文档', 'Ontology documentation')}</h2>"
        + f'<p><a href="ontology.html">{bi("类、属性及其定义", "Classes and properties")}</a></p>'
        + f'<h2 id="downloads">{bi("下载", "Downloads")}</h2>'
        + downloads(out),
    )


def class_counts(facts: Facts) -> str:
    counts = Counter(e.cls for e in facts.entities.values())
    order = {f: i for i, f in enumerate(FAMILY_NAMES)}
    classes = sorted(
        counts,
        key=lambda c: (order.get(facts.family(c), 99), -counts[c], facts.name(c, "en")),
    )
    rows = []
    for cls in classes:
        family = FAMILY_NAMES.get(facts.family(cls), (facts.family(cls),) * 2)
        label = bi(facts.name(cls, "zh"), facts.name(cls, "en"))
        link = f'<a href="{esc(class_path(cls))}">{label}</a>'
        if cls.startswith(JJJ):
            link += f' <a class="muted" href="ontology.html#{esc(anchor(cls))}">ⓘ</a>'

        rows.append([link, f"<code>{esc(shorten(cls))}</code>", bi(*family), str(counts[cls])])
    head = [bi("类别", "class"), "IRI", bi("大类", "family"), bi("数量", "count")]
    return table(head, rows, "counts")


def downloads(out: Path) -> str:
    items = [
        (f"../{file}", zh, en) for file, zh, en in DOWNLOADS if (out.parent / file).is_file()
    ] + [(file, zh, en) for file, zh, en in NETWORK_FILES]
    return (
        "<ul>"
        + "".join(
            f'<li><a href="{esc(href)}">{esc(href.rsplit("/", 1)[-1])}</a> — {bi(zh, en)}</li>'
            for href, zh, en in items
        )
        + "</ul>"
    )


# -- ontology documentation --


def anchor(iri: str) -> str:
    return iri[len(JJJ) :] if iri.startswith(JJJ) else shorten(iri)


def term_link(facts: Facts, iri: str) -> str:
    if iri.startswith(JJJ) and iri in facts.terms:
        return f'<a href="#{esc(anchor(iri))}">{esc(shorten(iri))}</a>'
    return f"<code>{esc(shorten(iri))}</code>"


def ontology_page(facts: Facts) -> str:
    """Classes as a tree, then object and datatype properties, from the ontology graph."""
    import pyoxigraph as ox

    props: dict[str, dict[str, list]] = {}
    for s, p, o in facts.ontology:
        if isinstance(s, str) and not isinstance(o, ox.BlankNode):
            props.setdefault(str(s), {}).setdefault(str(p), []).append(o)

    def kinds(iri: str) -> set[str]:
        return {plain(o) for o in props.get(iri, {}).get(RDF_TYPE, [])}

    def values(iri: str, prop: str) -> list[str]:
        return sorted(plain(o) for o in props.get(iri, {}).get(prop, []))

    ontology_iri = next((i for i in props if OWL + "Ontology" in kinds(i)), "")
    head = props.get(ontology_iri, {})

    def literal(prop: str, lang: str | None = None) -> str:
        found = [
            o.value
            for o in head.get(DCTERMS + prop, [])
            if isinstance(o, ox.Literal) and (lang is None or o.language == lang)
        ]
        return found[0] if found else ""

    classes = sorted(i for i in props if OWL + "Class" in kinds(i) and i.startswith(JJJ))
    children: dict[str, list[str]] = {}
    roots = []
    for cls in classes:
        ours = [p for p in values(cls, RDFS + "subClassOf") if p in classes]
        for parent in ours:
            children.setdefault(parent, []).append(cls)
        if not ours:
            roots.append(cls)
    counts = Counter(e.cls for e in facts.entities.values())

    def tree(cls: str) -> str:
        term = facts.terms[cls]
        external = [p for p in values(cls, RDFS + "subClassOf") if p not in classes]
        also = (
            f' <span class="muted">⊑ {", ".join(esc(shorten(p)) for p in external)}</span>'
            if external
            else ""
        )
        count = f' <span class="count">{counts[cls]}</span>' if counts.get(cls) else ""
        inner = "".join(tree(c) for c in children.get(cls, []))
        return (
            f'<li id="{esc(anchor(cls))}"><b>{name(term)}</b> <code>{esc(shorten(cls))}</code>'
            f'{count}{also}<br><span class="def">{esc(term.definition)}</span>'
            + (f"<ul>{inner}</ul>" if inner else "")
            + "</li>"
        )

    inverses: dict[str, list[str]] = {}
    for iri in props:
        for other in values(iri, OWL + "inverseOf"):
            inverses.setdefault(iri, []).append(other)
            inverses.setdefault(other, []).append(iri)

    def property_rows(kind: str) -> list[list[str]]:
        rows = []
        for iri in sorted(i for i in props if kind in kinds(i) and i.startswith(JJJ)):
            term = facts.terms[iri]
            traits = sorted(
                t[len(OWL) :].replace("Property", "")
                for t in kinds(iri)
                if t.startswith(OWL) and t not in (OWL + "ObjectProperty", OWL + "DatatypeProperty")
            )
            notes = [
                *(f"⊑ {term_link(facts, p)}" for p in values(iri, RDFS + "subPropertyOf")),
                *(f"⇄ {term_link(facts, p)}" for p in inverses.get(iri, [])),
                *(esc(t) for t in traits),
            ]
            rows.append(
                [
                    f'<span id="{esc(anchor(iri))}"><b>{name(term)}</b><br>'
                    f"<code>{esc(shorten(iri))}</code></span>",
                    ", ".join(term_link(facts, d) for d in values(iri, RDFS + "domain")),
                    ", ".join(term_link(facts, r) for r in values(iri, RDFS + "range")),
                    "<br>".join(notes),
                    esc(term.definition),
                ]
            )
        return rows

    prop_head = [
        bi("属性", "property"),
        bi("定义域", "domain"),
        bi("值域", "range"),
        bi("关系", "relations"),
        bi("定义", "definition"),
    ]
    version = plain(head.get(OWL + "versionInfo", [""])[0])
    intro = f"""
<p class="lead">{esc(literal("description"))}</p>
<p><code>{esc(ontology_iri)}</code> · {bi("版本", "version")} {esc(version)} ·
{bi("命名空间", "namespace")} <code>{esc(JJJ)}</code> ·
{bi("许可", "license")} <code>{esc(", ".join(values(ontology_iri, DCTERMS + "license")))}</code></p>
<p><a href="index.html">{bi("← 首页", "← Home")}</a> ·
<a href="#classes">{bi("类", "Classes")} ({len(classes)})</a> ·
<a href="#object-properties">{bi("对象属性", "Object properties")}</a> ·
<a href="#datatype-properties">{bi("数据属性", "Datatype properties")}</a></p>"""
    return page(
        literal("title", "zh") or "本体",
        literal("title", "en") or "Ontology",
        intro
        + f'<h2 id="classes">{bi("类", "Classes")}</h2>'
        + f'<ul class="tree">{"".join(tree(c) for c in roots)}</ul>'
        + f'<h2 id="object-properties">{bi("对象属性", "Object properties")}</h2>'
        + table(prop_head, property_rows(OWL + "ObjectProperty"), "props")
        + f'<h2 id="datatype-properties">{bi("数据属性", "Datatype properties")}</h2>'
        + table(prop_head, property_rows(OWL + "DatatypeProperty"), "props"),
    )
