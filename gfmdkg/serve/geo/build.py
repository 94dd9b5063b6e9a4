"""Build ``countries.json`` (the world map's bundled geometry) from Natural Earth admin-0 countries as TopoJSON.

Run once at development time, never by the server::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m gfmdkg.serve.geo.build package/countries-110m.json package/countries-50m.json

Countries come from the 1:110m file; states too small to be in it (Cabo Verde, Comoros, ...) from the 1:50m file.
Antarctica is left out; rings across the antimeridian are kept on its eastern side. Rings are projected with the
Equal Earth projection (areas in proportion, so a shaded country's size is not exaggerated), scaled to a 1000-unit
wide view box, simplified (Douglas-Peucker, 0.2 unit), rounded to 0.1 unit and written as SVG path data with
relative moves. Each country is keyed by its ISO 3166-1 alpha-3 code (pycountry's table from the numeric id), as the
graph's country IRIs are; the few Natural Earth units without an ISO code are kept unkeyed (drawn, never linked),
except Kosovo, which the graph calls XKX.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("countries.json")
WIDTH = 1000.0
TOLERANCE = 0.2  # units of the 1000-wide view box a simplified line may stray from the source
#: Natural Earth units without an ISO numeric code that the graph names (by world-atlas's name)
UNCODED = {"Kosovo": "XKX"}
LEFT_OUT = {"010"}  # Antarctica
SOURCE = {"name": "Natural Earth admin-0 countries, 1:110m (1:50m for states too small for it)",
          "package": "world-atlas 2.0.2 (npm), TopoJSON of Natural Earth 4.1.0",
          "licence": "Natural Earth: public domain; world-atlas packaging: ISC (Michael Bostock)",
          "projection": "Equal Earth", "built_by": "python -m gfmdkg.serve.geo.build"}

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection (Šavrič, Patterson and Jenny 2018) of degrees, in radians of the unit sphere."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decoded_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (lon, lat) points: delta-decoded and un-quantized."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    """A closed ring from arc indexes (``~i``: arc i reversed), shared end points once."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (Fiji, Chukotka) kept on the eastern edge: its western longitudes moved
    east by 360 degrees, then clamped to 180 (a sliver along the edge rather than a line across the whole map)."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in zip(points, points[1:], strict=False)):
        return points
    return [(min(lon + 360 if lon < 0 else lon, 180.0), lat) for lon, lat in points]


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def simplified(points: list[tuple[float, float]], tolerance: float = TOLERANCE) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` units of the original."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        best, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            dist = abs(dy * (x - x0) - dx * (y - y0)) / norm if norm else math.hypot(x - x0, y - y0)
            if dist > best:
                best, index = dist, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=False) if k]


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: an absolute move to each ring's start, then relative lines; repeated points dropped."""
    parts = []
    for r in rings:
        pts = []
        for x, y in simplified(r):
            q = (round(x * 10), round(y * 10))
            if not pts or q != pts[-1]:
                pts.append(q)
        if len(pts) < 3:
            continue
        out = [f"M{_num(pts[0][0])} {_num(pts[0][1])}"]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            out.append(f"{_num(x1 - x0)} {_num(y1 - y0)}")
        parts.append(out[0] + "l" + " ".join(out[1:]) + "z")
    return re.sub(r" (?=-)", "", "".join(parts))  # a minus sign already separates two numbers


def _num(tenths: int) -> str:
    """Tenths of a unit as the shortest decimal: 15 -> 1.5, -3 -> -.3, 20 -> 2."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


def alpha3(geometry: dict) -> str | None:
    import pycountry

    code = geometry.get("id")
    if code is None:
        return UNCODED.get(geometry.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=code)
    return country.alpha_3 if country else None


def build(small_scale: dict, larger_scale: dict) -> dict:
    """The bundle: view box, source note and each unit's path, centre and size, keyed by alpha-3 (or ``_n``)."""
    units: list[tuple[str | None, str, list[list[tuple[float, float]]]]] = []
    seen: set[str] = set()
    for topo, only_new in ((small_scale, False), (larger_scale, True)):
        arcs = decoded_arcs(topo)
        for g in topo["objects"]["countries"]["geometries"]:
            key = g.get("id") or g.get("properties", {}).get("name", "")
            if key in LEFT_OUT or (only_new and key in seen):
                continue
            seen.add(key)
            rings = [[equal_earth(lon, lat) for lon, lat in unwrapped(ring(arcs, r))]
                     for poly in polygons(g) for r in poly]
            if rings:
                units.append((alpha3(g), g.get("properties", {}).get("name", ""), rings))
    xs = [x for _, _, rings in units for r in rings for x, _ in r]
    ys = [y for _, _, rings in units for r in rings for _, y in r]
    scale = WIDTH / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale)
    countries, unnamed = {}, 0
    for code, name, rings in units:
        placed = [[((x - min(xs)) * scale, (max(ys) - y) * scale) for x, y in r] for r in rings]
        biggest = max(placed, key=lambda r: (max(p[0] for p in r) - min(p[0] for p in r))
                      * (max(p[1] for p in r) - min(p[1] for p in r)))
        bx, by = [p[0] for p in biggest], [p[1] for p in biggest]
        entry = {"name": name, "d": path_data(placed), "c": [round((min(bx) + max(bx)) / 2, 1),
                                                             round((min(by) + max(by)) / 2, 1)],
                 "size": round(max(max(bx) - min(bx), max(by) - min(by)), 1)}
        if not entry["d"]:  # smaller than a tenth of a unit at this scale
            continue
        if code is None:
            unnamed += 1
            code = f"_{unnamed}"
        countries[code] = entry
    return {"source": SOURCE, "viewBox": [0, 0, int(WIDTH), height], "countries": countries}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m gfmdkg.serve.geo.build countries-110m.json countries-50m.json", file=sys.stderr)
        return 2
    small, larger = (json.loads(Path(a).read_text(encoding="utf-8")) for a in argv)
    bundle = build(small, larger)
    from gfmdkg.atomic import write_text_atomic

    write_text_atomic(OUT, json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(bundle['countries'])} units, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
