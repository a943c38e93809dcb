"""Server-rendered SVG charts: horizontal bar charts and a choropleth map of Sweden.

The functions return geometry as plain data; templates draw it (so every label is escaped
by Jinja2). Colours meet WCAG contrast against white for text and bar outlines.
"""

from __future__ import annotations

from typing import Any

from projektatlas.web.geo import lan_region, map_paths

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 190
CHART_WIDTH = 640
VALUE_WIDTH = 150
# light to dark blue; the darkest classes carry no text, so only outlines need contrast
PALETTE = ("#e3eef9", "#b5d0ee", "#7fa9dc", "#4a7fc1", "#1f4e96")
NO_DATA = "#f2f2f2"


def bar_chart(rows: list[dict[str, Any]], measure: str, label_of) -> dict[str, Any]:
    """Bars for ``rows[i][measure]``; ``label_of(row)`` gives the row's label."""
    values = [max(0, int(r.get(measure) or 0)) for r in rows]
    top = max(values, default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": label_of(row),
                "value": value,
                "x": LABEL_WIDTH,
                "y": y,
                "width": round(span * value / top, 1),
                "text_y": y + BAR_HEIGHT * 0.7,
            }
        )
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP)
    return {
        "width": CHART_WIDTH,
        "height": height,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bars": bars,
    }


def _classes(values: list[int]) -> list[int]:
    """Break points (upper bounds) of up to five equal-count classes of the positive values."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    bounds = []
    for k in range(1, len(PALETTE) + 1):
        idx = min(len(positive) - 1, round(k * len(positive) / len(PALETTE)) - 1)
        bounds.append(positive[max(idx, 0)])
    return sorted(set(bounds))


def _colour(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return NO_DATA
    for i, bound in enumerate(bounds):
        if value <= bound:
            return PALETTE[min(len(PALETTE) - 1, i + len(PALETTE) - len(bounds))]
    return PALETTE[-1]


def choropleth(values_by_lan: dict[str, int]) -> dict[str, Any]:
    """Each län outline with a fill colour for its value, and the legend."""
    paths = map_paths()
    bounds = _classes(list(values_by_lan.values()))
    shapes = [
        {
            "code": code,
            "name": shape["name"],
            "d": shape["d"],
            "value": values_by_lan.get(code, 0),
            "fill": _colour(values_by_lan.get(code, 0), bounds),
        }
        for code, shape in paths["lan"].items()
    ]
    legend = []
    low = 1
    for i, bound in enumerate(bounds):
        legend.append({"from": low, "to": bound, "fill": PALETTE[i + len(PALETTE) - len(bounds)]})
        low = bound + 1
    return {"viewBox": paths["viewBox"], "shapes": shapes, "legend": legend, "no_data": NO_DATA}


def region_values_by_lan(values_by_region: dict[str, int]) -> dict[str, int]:
    """Spread ESF-region totals onto their län so the map can colour whole regions."""
    return {code: values_by_region.get(region, 0) for code, region in lan_region().items()}
