"""A page for every entity, a list page per class, the article's text, the search index.

`write_entity_pages(facts, provenance, out)` writes `resource/<path>.html` for every entity
(its names, class, the claims about it grouped by property in both directions with the
sentence that states each, its figures, a static SVG of its neighbours, the paragraphs it is
cited in), `class/<Name>.html`, `article.html` (paragraphs and sentences, anchored, which the
claims link to) and `search-index.js` (names → pages, for the search box of every page).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from jjjkg.core.terms import BACKGROUND_GRAPH, CATALOGUE_GRAPH, JJJ, shorten
from jjjkg.readers.claim_index import Claim, Lit, Provenance
from jjjkg.readers.facts import FAMILY_NAMES, OTHER_STYLE, Entity, Facts, paragraph_id
from jjjkg.readers.figures import figure_text
from jjjkg.readers.pages import bi, class_path, doc_page, entity_path, esc, root_of, table

NEIGHBOURS_SHOWN = 18
SVG_LABEL = 14  # characters of a name drawn in the neighbour picture (the title has all)


def write_entity_pages(facts: Facts, prov: Provenance, out: Path) -> list[Path]:
    """Write every entity page, the class pages, article.html and search-index.js."""
    written = []
    for entity in facts.entities.values():
        path = entity_path(entity.iri)
        if path:
            written.append(_write(out / path, entity_page(facts, prov, entity)))
    by_class: dict[str, list[Entity]] = defaultdict(list)
    for entity in facts.entities.values():
        by_class[entity.cls].append(entity)
    for cls, members in sorted(by_class.items()):
        written.append(_write(out / class_path(cls), class_page(facts, cls, members)))
    written.append(_write(out / "article.html", article_page(facts, prov)))
    written.append(_write(out / "search-index.js", search_index(facts)))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def search_index(facts: Facts) -> str:
    """`window.JJJKG_SEARCH = [...]`: each entity's names and page, figures left out."""
    items = []
    for entity in facts.entities.values():
        page = entity_path(entity.iri)
        if page and entity.family != "figures":
            keys = [entity.zh, entity.en, *entity.alt, entity.slug.rsplit("/", 1)[-1]]
            items.append(
                {
                    "zh": entity.name("zh"),
                    "en": entity.name("en"),
                    "keys": list(dict.fromkeys(k for k in keys if k)),
                    "page": page,
                }
            )
    items.sort(key=lambda i: (i["zh"], i["page"]))
    text = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "window.JJJKG_SEARCH = " + text.replace("</", "<\\/") + ";\n"


# -- one entity --


def link_to(facts: Facts, iri: str, root: str) -> str:
    """The entity's name linked to its page, or the term's name as text."""
    name = bi(facts.name(iri, "zh"), facts.name(iri, "en"))
    path = entity_path(iri) if iri in facts.entities else None
    return f'<a href="{esc(root + path)}">{name}</a>' if path else name


def literal_text(value: Lit) -> str:
    lang = f' <span class="muted">@{esc(value.lang)}</span>' if value.lang else ""
    kind = value.datatype.rsplit("#", 1)[-1] if value.datatype else ""
    suffix = f' <span class="muted">{esc(kind)}</span>' if kind and kind != "langString" else ""
    return esc(value.value) + (lang or suffix)


def where(facts: Facts, prov: Provenance, claim: Claim, root: str) -> str:
    """Which sentence (or paragraph) states a claim, linked to the article page; or a badge
    saying it is background knowledge or the catalogue."""
    paragraph = prov.paragraph_of(claim.graph)
    if paragraph is None:
        if claim.graph == BACKGROUND_GRAPH:
            return f'<span class="badge background">{bi("背景知识（非原文）", "background")}</span>'
        if claim.graph == CATALOGUE_GRAPH:
            return f'<span class="badge">{bi("实体目录", "catalogue")}</span>'
        return f'<span class="badge">{esc(shorten(claim.graph))}</span>'
    pid = paragraph_id(paragraph)
    known = facts.paragraphs.get(pid)
    name = bi(known.name("zh"), known.name("en")) if known else esc(pid)
    sentence = prov.sentence_of(claim.graph)
    if sentence is None:
        return f'<a class="badge article" href="{esc(root)}article.html#{esc(pid)}">{name}</a>'
    anchor = paragraph_id(sentence.iri)
    return (
        f'<span class="said"><q>{esc(sentence.text)}</q></span> '
        f'<a class="badge article" href="{esc(root)}article.html#{esc(anchor)}">{name}</a>'
    )


def claim_groups(facts: Facts, prov: Provenance, entity: Entity, root: str) -> str:
    groups: dict[tuple[bool, str], list[Claim]] = defaultdict(list)
    for claim in prov.claims.get(entity.iri, []):
        if claim.subject == entity.iri:
            groups[(True, claim.prop)].append(claim)
        if claim.object == entity.iri and claim.subject != entity.iri:
            groups[(False, claim.prop)].append(claim)
    if not groups:
        return f'<p class="muted">{bi("没有陈述。", "No claims.")}</p>'
    out = []
    order = sorted(groups, key=lambda k: (not k[0], facts.name(k[1], "en"), k[1]))
    for forward, prop in order:
        zh, en = facts.name(prop, "zh"), facts.name(prop, "en")
        head = bi(zh, en) if forward else bi(f"← {zh}（以本实体为对象）", f"← {en} (this entity)")
        rows = []
        for claim in groups[(forward, prop)]:
            other = claim.object if forward else claim.subject
            shown = literal_text(other) if isinstance(other, Lit) else link_to(facts, other, root)
            rows.append([shown, where(facts, prov, claim, root)])
        out.append(
            f"<h3>{head} <code>{esc(shorten(prop))}</code></h3>"
            + table([bi("值", "value"), bi("出处", "stated in")], rows, "claims")
        )
    return "".join(out)


def figures_table(facts: Facts, entity: Entity, root: str) -> str:
    observations = ([entity] if entity.figure else []) + [
        facts.entities[f] for f in entity.figures if f in facts.entities
    ]
    if not observations:
        return ""
    rows = []
    for obs in observations:
        fig = obs.figure
        value = "" if fig.get("value") is None else f"{fig['value']:,.10g}"
        if fig.get("upper") is not None:
            value += f"–{fig['upper']:,.10g}"
        unit = fig.get("unit")
        year = fig.get("year") or "–".join(x for x in (fig.get("start"), fig.get("end")) if x)
        quals = [facts.name(q, "zh") + " / " + facts.name(q, "en") for q in fig["qualifiers"]]
        if fig.get("baseline"):
            quals.append(f"比较基准 / compared with {fig['baseline']}")
        rows.append(
            [
                link_to(facts, obs.iri, root),
                esc(value),
                bi(facts.name(unit, "zh"), facts.name(unit, "en")) if unit else "",
                esc(year or ""),
                esc("; ".join(quals)),
                esc(fig.get("stated") or ""),
                bi(figure_text(facts, obs, "zh"), figure_text(facts, obs, "en")),
            ]
        )
    head = [
        bi("数据", "figure"),
        bi("数值", "value"),
        bi("单位", "unit"),
        bi("年份", "year"),
        bi("限定", "qualifiers"),
        bi("原文", "as stated"),
        bi("读作", "reads"),
    ]
    return f"<h2>{bi('数据', 'Figures')}</h2>" + table(head, rows, "figures")


def neighbour_svg(facts: Facts, entity: Entity, root: str) -> str:
    """The entity and its direct neighbours on a circle, as a static SVG with links."""
    near = {k.target for k in facts.links if k.source == entity.iri}
    near |= {k.source for k in facts.links if k.target == entity.iri}
    near.discard(entity.iri)
    if not near:
        return ""
    ordered = sorted(near, key=lambda i: (facts.name(i, "zh"), i))
    shown = ordered[:NEIGHBOURS_SHOWN]
    width, height, cx, cy, radius = 720, 400, 360, 200, 150
    parts = []
    points = []
    for i, iri in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = cx + radius * 1.6 * math.cos(angle), cy + radius * math.sin(angle)
        points.append((iri, round(x, 1), round(y, 1)))
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbb"/>')

    def node(iri: str, x: float, y: float, size: int) -> str:
        thing = facts.entities.get(iri)
        colour = facts.style(thing.cls)[0] if thing and thing.cls else OTHER_STYLE[0]
        full = thing.name("zh") if thing else facts.name(iri, "zh")
        label = full if len(full) <= SVG_LABEL else full[: SVG_LABEL - 1] + "…"
        anchor = "middle" if abs(x - cx) < 40 else ("start" if x > cx else "end")
        dx = 0 if anchor == "middle" else (size + 4 if x > cx else -size - 4)
        dy = (
            -size - 4 if anchor == "middle" and y < cy else (size + 14 if anchor == "middle" else 4)
        )
        body = (
            f'<circle cx="{x}" cy="{y}" r="{size}" fill="{colour}"><title>{esc(full)}</title>'
            f'</circle><text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
            f"{esc(label)}</text>"
        )
        path = entity_path(iri) if iri != entity.iri and iri in facts.entities else None
        return f'<a href="{esc(root + path)}">{body}</a>' if path else body

    parts += [node(iri, x, y, 7) for iri, x, y in points]
    parts.append(node(entity.iri, cx, cy, 12))
    more = len(ordered) - len(shown)
    if more:
        parts.append(f'<text x="8" y="{height - 8}" fill="#666">+{more}</text>')
    return (
        f"<h2>{bi('直接相连的实体', 'Linked entities')} ({len(ordered)})</h2>"
        f'<svg class="neighbours" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="neighbours">{"".join(parts)}</svg>'
    )


def cited_paragraphs(facts: Facts, prov: Provenance, entity: Entity, root: str) -> str:
    """The text of each paragraph that states something about the entity."""
    graphs = {c.graph for c in prov.claims.get(entity.iri, [])}
    stating = {prov.paragraph_of(g) for g in graphs} - {None}
    items = []
    for paragraph in sorted(stating, key=lambda p: _number(facts, p)):
        pid = paragraph_id(paragraph)
        known = facts.paragraphs.get(pid)
        name = bi(known.name("zh"), known.name("en")) if known else esc(pid)
        sentences = prov.paragraph_text(paragraph)
        if sentences:
            text = "".join(
                f"<mark>{esc(s.text)}</mark>" if s.iri in graphs else esc(s.text) for s in sentences
            )
        else:
            text = esc(known.evidence if known else "")
        items.append(
            f'<li><a href="{esc(root)}article.html#{esc(pid)}">{name}</a><p>{text}</p></li>'
        )
    if not items:
        return ""
    return f"<h2>{bi('所在段落', 'Cited in')}</h2><ul class='article-text'>{''.join(items)}</ul>"


def _number(facts: Facts, paragraph: str) -> tuple:
    known = facts.paragraphs.get(paragraph_id(paragraph))
    return (known.number if known else 10**6, paragraph)


def entity_page(facts: Facts, prov: Provenance, entity: Entity) -> str:
    path = entity_path(entity.iri) or ""
    root = root_of(path)
    cls_zh, cls_en = facts.name(entity.cls, "zh"), facts.name(entity.cls, "en")
    family = FAMILY_NAMES.get(entity.family, FAMILY_NAMES["other"])
    ontology = (
        f' · <a href="{root}ontology.html#{esc(entity.cls[len(JJJ) :])}">'
        f"{bi('本体定义', 'definition')}</a>"
        if entity.cls.startswith(JJJ)
        else ""
    )
    names = [
        [bi("中文名", "Chinese name"), esc(entity.zh)],
        [bi("英文名", "English name"), esc(entity.en)],
        [bi("别名", "other names"), esc("；".join(entity.alt))],
        [
            bi("类别", "class"),
            f'<a href="{esc(root + class_path(entity.cls))}">{bi(cls_zh, cls_en)}</a>'
            f" <code>{esc(shorten(entity.cls))}</code>{ontology}",
        ],
        [bi("大类", "family"), bi(*family)],
        ["IRI", f"<code>{esc(entity.iri)}</code>"],
    ]
    if entity.statuses:
        statuses = ", ".join(bi(facts.name(s, "zh"), facts.name(s, "en")) for s in entity.statuses)
        names.insert(4, [bi("状态", "status"), statuses])
    crumbs = (
        f'<p class="crumbs"><a href="{root}index.html">{bi("首页", "Home")}</a> › '
        f'<a href="{esc(root + class_path(entity.cls))}">{bi(cls_zh, cls_en)}</a></p>'
    )
    body = (
        crumbs
        + table([bi("名称", "name"), ""], [r for r in names if r[1]], "names")
        + neighbour_svg(facts, entity, root)
        + f"<h2>{bi('陈述', 'Claims')}</h2>"
        + claim_groups(facts, prov, entity, root)
        + figures_table(facts, entity, root)
        + cited_paragraphs(facts, prov, entity, root)
    )
    return doc_page(entity.name("zh"), entity.name("en"), body, root)


# -- lists --


def class_page(facts: Facts, cls: str, members: list[Entity]) -> str:
    path = class_path(cls)
    root = root_of(path)
    rows = [
        [
            link_to(facts, e.iri, root),
            esc(e.en),
            esc("；".join(e.alt)),
            esc(" ".join(e.paragraphs)),
        ]
        for e in sorted(members, key=lambda e: (e.name("zh"), e.iri))
    ]
    term = facts.terms.get(cls)
    lead = f'<p class="lead">{esc(term.definition)}</p>' if term and term.definition else ""
    head = [bi("名称", "name"), bi("英文名", "English name"), bi("别名", "other names")]
    return doc_page(
        f"{facts.name(cls, 'zh')}（{len(members)}）",
        f"{facts.name(cls, 'en')} ({len(members)})",
        f'<p class="crumbs"><a href="{root}index.html#classes">{bi("首页", "Home")}</a> · '
        f"<code>{esc(shorten(cls))}</code></p>"
        + lead
        + table([*head, bi("段落", "paragraphs")], rows),
        root,
    )


def article_page(facts: Facts, prov: Provenance) -> str:
    """The article paragraph by paragraph, each sentence anchored (`#p05-s2`)."""
    parts = []
    for section in facts.sections.values():
        parts.append(f"<h2>{section.number}. {bi(section.name('zh'), section.name('en'))}</h2>")
        for pid in section.paragraphs:
            paragraph = facts.paragraphs[pid]
            sentences = prov.paragraph_text(paragraph.iri)
            if sentences:
                text = "".join(
                    f'<span class="sentence" id="{esc(paragraph_id(s.iri))}">{esc(s.text)}</span>'
                    for s in sentences
                )
            else:
                text = f"<q>{esc(paragraph.evidence)}</q>" if paragraph.evidence else ""
            parts.append(
                f'<h3 id="{esc(pid)}">{bi(paragraph.name("zh"), paragraph.name("en"))}</h3>'
                f"<p>{text}</p>"
            )
    return doc_page("原文", "The article", f'<div class="article-text">{"".join(parts)}</div>')
