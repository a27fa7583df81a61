#!/usr/bin/env python3
"""Make data/map/world.json, the country shapes of the edition maps, from Natural Earth.

    .venv/bin/python scripts/make_map.py                  # fetch the pinned package, write the file
    .venv/bin/python scripts/make_map.py --package world-atlas-2.0.2.tgz --out /tmp/world.json

Source: the npm package world-atlas (Natural Earth 4.1.0 admin-0 countries at 1:50m as TopoJSON;
Natural Earth is public domain, the package is ISC). Without --package, `npm pack` fetches the
pinned version into a temporary folder that is removed afterwards: nothing lands in the project
or in node_modules/. The tarball's sha512 must match the pinned integrity, so the same inputs
always give the same bytes. Names come from scripts/map_names.yaml (edit there, then re-run).

What it does, in order:
1. decodes the topology: arcs are delta-encoded quantized positions (TopoJSON spec 2.1.1);
2. claims every shape for one entry of the names table (or drops it, with a reason), and
   splits shapes where the table says so (Crimea, see below; the Palestinian territories);
3. unwraps each ring across the antimeridian and moves far-flung pieces next to the rest of
   their country (Russia's Chukotka, Fiji, the Aleutians), so that no ring jumps across the map;
4. projects with Equal Earth (equal-area: a choropleth's colours weigh by area, so Russia does
   not outweigh Central Europe the way it does in Mercator), central meridian 0;
5. simplifies each arc once (Douglas-Peucker, ends fixed), so that two neighbours keep the same
   border with no gaps or overlaps, then rounds to whole units (1 unit is about 10 km);
6. writes, per shape: code, names, SVG path data, a label point inside the shape, its bounding
   box and the box of its main part (mainland France without French Guiana), and the views.

Disputed areas follow Natural Earth's defaults (its de facto boundaries, 4.1.0): Kosovo,
Northern Cyprus, Somaliland and Western Sahara are shapes of their own; Abkhazia, South
Ossetia, Transnistria, Nagorno-Karabakh and Kashmir are inside the shapes around them, so a
report about one of them is listed as having no shape. One exception, made because the
publisher rates it apart: Natural Earth 4.1.0 draws Crimea inside Russia; here Crimea is a
shape of its own (Natural Earth's outline, unchanged), drawn grey unless a report covers it.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import heapq
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The names are checked, and the region's view fitted, as the build does it.
from publisher.mapdata import Box, ViewBox, check_names, fit_view  # noqa: E402

PACKAGE = "world-atlas@2.0.2"
INTEGRITY = ("sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcY"
             "a5ChG0LQ==")
# 1:50m: 1:110m draws Kosovo, Montenegro or North Macedonia with some twenty points each, and
# leaves out the islands of Croatia and Estonia; 1:10m is five times the size for detail that
# no page shows once simplified.
MEMBER = "package/countries-50m.json"
NAMES = ROOT / "scripts" / "map_names.yaml"
OUT = ROOT / "data" / "map" / "world.json"

WORLD_WIDTH = 8000  # units across the projected sphere at the equator: 1 unit is about 5 km
TOLERANCE = 1.0  # Douglas-Peucker tolerance, units (1/8 pixel on a 1000 px wide world map)
MIN_ISLAND_KM2 = 300  # smaller islands are left out (a whole country never is)
EARTH_RADIUS_KM = 6371.0
MAIN_GAP = 0.5  # a part nearer the main part than this share of its larger side joins it
# The view of Nations in Transit's region, fitted like a map of its countries: Central Europe,
# the Balkans and Eurasia. Russia is left out of the fit (it would take the view to the
# Pacific and shrink the Balkans to specks); its west is in view all the same.
REGION = ("ALB", "ARM", "AZE", "BGR", "BIH", "BLR", "CZE", "EST", "GEO", "HRV", "HUN", "KAZ", "KGZ",
          "LTU", "LVA", "MDA", "MKD", "MNE", "POL", "ROU", "SRB", "SVK", "SVN", "TJK", "TKM", "UKR",
          "UZB", "XKX")
WORLD_MARGIN = 10  # units around the world view


# --- fetching ------------------------------------------------------------------------------

def fetch_package(folder: Path) -> Path:
    """`npm pack` the pinned package into folder; return the tarball."""
    done = subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(folder), "--silent"],
                          cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"npm pack {PACKAGE} failed (is the npm registry reachable?):\n"
                         f"{done.stderr.strip()}")
    return folder / done.stdout.strip().splitlines()[-1]


def read_topology(tarball: Path) -> dict:
    data = tarball.read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != INTEGRITY:
        raise SystemExit(f"{tarball}: integrity {integrity} is not the pinned {PACKAGE}'s")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        return json.load(archive.extractfile(MEMBER))


# --- topology ------------------------------------------------------------------------------

def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as (longitude, latitude) points, unwrapped: no step of more than 180° of
    longitude, so an arc crossing the antimeridian runs on past ±180."""
    (scale_x, scale_y), (shift_x, shift_y) = (topology["transform"]["scale"],
                                              topology["transform"]["translate"])
    arcs = []
    for encoded in topology["arcs"]:
        x = y = 0
        points: list[tuple[float, float]] = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            lon = x * scale_x + shift_x
            if points:
                lon += 360 * round((points[-1][0] - lon) / 360)
            points.append((lon, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


@dataclass(frozen=True)
class ArcUse:
    """One arc as a ring runs along it."""

    arc: int  # index into the topology's arcs
    reversed: bool
    offset: int  # longitude shift in turns (multiples of 360°)


Ring = tuple[ArcUse, ...]
Polygon = tuple[Ring, ...]  # exterior, then holes


def geometry_polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_uses(indexes: list[int], arcs: list) -> Ring:
    """The arcs of a ring, each shifted by whole turns so that it starts where the previous
    one ended (an unwrapped arc may end a turn away from where the next one starts)."""
    uses: list[ArcUse] = []
    end_lon = None
    for index in indexes:
        arc, backwards = (index, False) if index >= 0 else (~index, True)
        points = arcs[arc]
        first, last = (points[-1], points[0]) if backwards else (points[0], points[-1])
        turn = 0 if end_lon is None else round((end_lon - first[0]) / 360)
        uses.append(ArcUse(arc, backwards, turn))
        end_lon = last[0] + 360 * turn
    return tuple(uses)


def ring_points(ring: Ring, arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for use in ring:
        arc = arcs[use.arc][::-1] if use.reversed else arcs[use.arc]
        shifted = [(lon + 360 * use.offset, lat) for lon, lat in arc]
        points.extend(shifted if not points else shifted[1:])
    return points


def shifted(ring: Ring, turns: int) -> Ring:
    return tuple(ArcUse(u.arc, u.reversed, u.offset + turns) for u in ring)


def contains(points: list[tuple[float, float]], point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def signed_area(points) -> float:
    """Shoelace area; positive for a ring running clockwise on screen (y down)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1])) / 2


def bounds(points) -> tuple[float, float, float, float]:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def country_polygons(indexes: list[list[list[int]]], arcs: list, name: str) -> list[Polygon]:
    """The polygons of one shape, each ring unwrapped and moved by whole turns to lie within
    half a turn of the largest ring: Chukotka east of Russia, Fiji in one piece."""
    polygons = [tuple(ring_uses(ring, arcs) for ring in polygon) for polygon in indexes]
    for polygon in polygons:
        for ring in polygon:
            points = ring_points(ring, arcs)
            if abs(points[0][0] - points[-1][0]) > 1e-6:
                raise SystemExit(f"{name}: a ring goes all the way round the globe; drop the shape")
    largest = max((polygon[0] for polygon in polygons),
                  key=lambda ring: abs(signed_area(ring_points(ring, arcs))))
    centre = _middle_longitude(largest, arcs)

    def placed(ring: Ring) -> Ring:
        return shifted(ring, round((centre - _middle_longitude(ring, arcs)) / 360))

    return [tuple(placed(ring) for ring in polygon) for polygon in polygons]


def _middle_longitude(ring: Ring, arcs: list) -> float:
    west, _, east, _ = bounds(ring_points(ring, arcs))
    return (west + east) / 2


# --- projection and simplification ----------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Šavrič, Patterson and Jenny (2018), unit sphere: x in ±2.7066 at the equator."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_HALF_WIDTH, _ = equal_earth(180, 0)
_, _HALF_HEIGHT = equal_earth(0, 90)
_SCALE = WORLD_WIDTH / (2 * _HALF_WIDTH)
# Equal-area: a unit² is the same ground everywhere, (EARTH_RADIUS_KM / _SCALE)² km².
MIN_ISLAND = MIN_ISLAND_KM2 * (_SCALE / EARTH_RADIUS_KM) ** 2


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map units: (0, 0) is the top left corner of the sphere's box, y grows down."""
    x, y = equal_earth(lon, lat)
    return (x + _HALF_WIDTH) * _SCALE, (_HALF_HEIGHT - y) * _SCALE


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker with both ends kept; a closed arc is split at its farthest point."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: _distance2(points[i], points[0]))
        if far == 0:
            return [points[0], points[-1]]
        return simplify(points[:far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        best, best_index = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance2(points[i], points[first], points[last])
            if d > best:
                best, best_index = d, i
        if best > limit:
            keep[best_index] = True
            stack += [(first, best_index), (best_index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _distance2(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_distance2(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return _distance2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return _distance2(p, (a[0] + t * dx, a[1] + t * dy))


# --- label point ---------------------------------------------------------------------------

def label_point(polygon: list[list[tuple[int, int]]]) -> tuple[float, float]:
    """The point inside the polygon farthest from its edges (Mapbox's polylabel): where a
    label or a marker goes, inside Croatia's crescent where the centroid would not be."""
    x0, y0, x1, y1 = bounds(polygon[0])
    size = min(x1 - x0, y1 - y0)
    if size <= 0:
        return (x0 + x1) / 2, (y0 + y1) / 2
    precision = max(size / 100, 0.1)

    def distance(x: float, y: float) -> float:  # to the nearest edge; negative outside
        inside = sum(contains(ring, (x, y)) for ring in polygon) % 2 == 1  # holes are out
        best = min(_segment_distance2((x, y), a, b)
                   for ring in polygon for a, b in zip(ring, ring[1:] + ring[:1]))
        return math.sqrt(best) * (1 if inside else -1)

    def cell(x: float, y: float, half: float):
        d = distance(x, y)
        return (-(d + half * math.sqrt(2)), x, y, half, d)

    cells = []
    half = size / 2
    x = x0
    while x < x1:
        y = y0
        while y < y1:
            heapq.heappush(cells, cell(x + half, y + half, half))
            y += size
        x += size
    cx, cy = signed_area_centroid(polygon[0])
    best = cell(cx, cy, 0)
    while cells:
        top = heapq.heappop(cells)
        if top[4] > best[4]:
            best = top
        if -top[0] - best[4] <= precision:
            continue
        half = top[3] / 2
        for dx in (-half, half):
            for dy in (-half, half):
                heapq.heappush(cells, cell(top[1] + dx, top[2] + dy, half))
    return best[1], best[2]


def signed_area_centroid(ring) -> tuple[float, float]:
    area = signed_area(ring)
    if area == 0:
        x0, y0, x1, y1 = bounds(ring)
        return (x0 + x1) / 2, (y0 + y1) / 2
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


# --- the names table -----------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    code: str
    source: str  # world-atlas name of the shape
    name: str
    aliases: tuple[str, ...]
    part_at: tuple[float, float] | None
    drop: str | None


def read_names(path: Path) -> tuple[list[Entry], dict[str, list[str]]]:
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = [Entry(e["code"], e["source"], e["name"], tuple(e.get("aliases", ())),
                     tuple(e["part_at"]) if "part_at" in e else None, e.get("drop"))
               for e in table["shapes"]]
    return entries, dict(table.get("groups") or {})


def claim(entries: list[Entry], topology: dict, arcs: list) -> dict[str, list[Polygon]]:
    """Each kept entry's polygons: every source shape claimed once, parts split off."""
    geometries = {g["properties"]["name"]: g for g in topology["objects"]["countries"]["geometries"]}
    by_source: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.source not in geometries:
            raise SystemExit(f"{NAMES.name}: {entry.code}: no shape named {entry.source!r} in {MEMBER}")
        by_source.setdefault(entry.source, []).append(entry)
    unclaimed = sorted(set(geometries) - set(by_source))
    if unclaimed:
        raise SystemExit(f"{NAMES.name}: no entry for these shapes: {', '.join(unclaimed)}")
    shapes: dict[str, list[Polygon]] = {}
    for source, claimants in by_source.items():
        if all(e.drop is not None for e in claimants):
            continue
        polygons = country_polygons(geometry_polygons(geometries[source]), arcs, source)
        wholes = [e for e in claimants if e.part_at is None]
        if len(wholes) > 1:
            raise SystemExit(f"{NAMES.name}: {source!r} is claimed whole by more than one entry")
        for part in (e for e in claimants if e.part_at is not None):
            taken = [p for p in polygons if _holds(ring_points(p[0], arcs), part.part_at)]
            if len(taken) != 1:
                raise SystemExit(f"{NAMES.name}: {part.code}: {len(taken)} polygons of {source!r} "
                                 f"hold {list(part.part_at)}; expected one")
            polygons = [p for p in polygons if p is not taken[0]]
            shapes[part.code] = taken
        if wholes:
            shapes[wholes[0].code] = polygons
        elif polygons:
            raise SystemExit(f"{NAMES.name}: {source!r}: {len(polygons)} polygons claimed by no entry")
    return {entry.code: shapes[entry.code] for entry in entries if entry.drop is None}


def _holds(points, lon_lat) -> bool:
    lon, lat = lon_lat
    return any(contains(points, (lon + 360 * turn, lat)) for turn in (-1, 0, 1))


# --- shapes in map units -------------------------------------------------------------------

def project_arcs(shapes: dict[str, list[Polygon]], arcs: list) -> dict[tuple[int, int], list]:
    """Every (arc, turn) in use, projected, simplified once and rounded to whole units.

    An arc's tolerance is the smallest its rings ask for: a small island keeps its outline at
    its own scale, and an arc shared by two countries is the same for both."""
    tolerance: dict[tuple[int, int], float] = {}
    for polygons in shapes.values():
        for polygon in polygons:
            for ring in polygon:
                x0, y0, x1, y1 = bounds([project(*p) for p in ring_points(ring, arcs)])
                wanted = min(TOLERANCE, max(x1 - x0, y1 - y0) / 8)
                for use in ring:
                    key = (use.arc, use.offset)
                    tolerance[key] = min(tolerance.get(key, TOLERANCE), wanted)
    projected = {}
    for (arc, turn), limit in sorted(tolerance.items()):
        points = [project(lon + 360 * turn, lat) for lon, lat in arcs[arc]]
        rounded = [(round(x), round(y)) for x, y in simplify(points, limit)]
        projected[(arc, turn)] = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    return projected


def ring_in_units(ring: Ring, projected) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for use in ring:
        arc = projected[(use.arc, use.offset)]
        arc = arc[::-1] if use.reversed else arc
        points.extend(arc if not points else arc[1:])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def arc_owners(shapes: dict[str, list[Polygon]]) -> dict[int, set[str]]:
    owners: dict[int, set[str]] = {}
    for code, polygons in shapes.items():
        for polygon in polygons:
            for ring in polygon:
                for use in ring:
                    owners.setdefault(use.arc, set()).add(code)
    return owners


def shape_record(entry: Entry, numeric: str | None, polygons: list[Polygon], projected,
                 owners) -> dict:
    """The country as world.json holds it."""

    def shared(ring: Ring) -> bool:
        return any(len(owners[use.arc]) > 1 for use in ring)

    drawn = []  # (rings in map units, shares a border): exterior first, then holes
    for polygon in polygons:
        exterior = ring_in_units(polygon[0], projected)
        if len(exterior) < 3 or signed_area(exterior) == 0:
            continue  # smaller than a unit
        rings = [_oriented(exterior, clockwise=True)]
        for hole in polygon[1:]:
            points = ring_in_units(hole, projected)
            if len(points) >= 3 and signed_area(points) != 0:
                rings.append(_oriented(points, clockwise=False))
        drawn.append((rings, shared(polygon[0])))
    if not drawn:  # a micro-state smaller than a unit: a point, no outline
        points = [p for polygon in polygons for p in ring_in_units(polygon[0], projected)]
        x = sum(p[0] for p in points) / len(points)
        y = sum(p[1] for p in points) / len(points)
        return _record(entry, numeric, (x, y), [round(x), round(y)] * 2, [round(x), round(y)] * 2, 0, "")
    drawn.sort(key=lambda item: -signed_area(item[0][0]))
    kept = [rings for index, (rings, is_shared) in enumerate(drawn)
            if index == 0 or is_shared or signed_area(rings[0]) >= MIN_ISLAND]
    box = list(bounds([p for rings in kept for p in rings[0]]))
    main = list(_main_box([bounds(rings[0]) for rings in kept]))
    area = sum(signed_area(ring) for rings in kept for ring in rings)
    path = "".join(_path(ring) for rings in kept for ring in rings)
    return _record(entry, numeric, label_point(kept[0]), box, main, round(area), path)


def _record(entry: Entry, numeric, label, box, main, area, path) -> dict:
    return {"code": entry.code, "numeric": numeric, "name": entry.name, "aliases": list(entry.aliases),
            "label": [round(label[0], 1), round(label[1], 1)], "bbox": box, "main": main,
            "area": area, "d": path}


def _oriented(points, clockwise: bool):
    return points if (signed_area(points) > 0) == clockwise else points[::-1]


def _main_box(boxes: list[tuple[float, float, float, float]]) -> tuple:
    """The box of the largest part and every part near it, grown until no more are near."""
    main = boxes[0]
    rest = boxes[1:]
    grown = True
    while grown:
        grown = False
        reach = MAIN_GAP * max(main[2] - main[0], main[3] - main[1])
        for box in list(rest):
            gap = max(box[0] - main[2], main[0] - box[2], box[1] - main[3], main[1] - box[3], 0)
            if gap <= reach:
                main = (min(main[0], box[0]), min(main[1], box[1]),
                        max(main[2], box[2]), max(main[3], box[3]))
                rest.remove(box)
                grown = True
    return main


def _path(ring: list[tuple[int, int]]) -> str:
    """`M x y l dx dy …z`: absolute start, so that paths can be joined; relative steps."""
    (x, y), steps = ring[0], []
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        steps += [bx - ax, by - ay]
    return f"M{x} {y}" + ("l" + _numbers(steps) if steps else "") + "z"


def _numbers(values: list[int]) -> str:
    text = ""
    for value in values:
        text += (str(value) if not text or value < 0 else " " + str(value))
    return text


# --- views and output ----------------------------------------------------------------------

def world_view(records: list[dict]) -> ViewBox:
    boxes = [r["bbox"] for r in records]
    x0 = min(b[0] for b in boxes) - WORLD_MARGIN
    y0 = min(b[1] for b in boxes) - WORLD_MARGIN
    x1 = max(b[2] for b in boxes) + WORLD_MARGIN
    y1 = max(b[3] for b in boxes) + WORLD_MARGIN
    return ViewBox(x0, y0, x1 - x0, y1 - y0)


def region_view(records: list[dict], world: ViewBox) -> ViewBox:
    boxes = [Box(*r["main"]) for r in records if r["code"] in REGION]
    if len(boxes) != len(REGION):
        raise SystemExit(f"REGION names codes that are not shapes of the map: {REGION}")
    union = boxes[0]
    for box in boxes[1:]:
        union = union.union(box)
    return fit_view(union, world)


def make(tarball: Path) -> str:
    topology = read_topology(tarball)
    arcs = decode_arcs(topology)
    entries, groups = read_names(NAMES)
    numerics = {g["properties"]["name"]: g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    shapes = claim(entries, topology, arcs)
    projected = project_arcs(shapes, arcs)
    owners = arc_owners(shapes)
    records = [shape_record(e, None if e.part_at else numerics[e.source], shapes[e.code], projected, owners)
               for e in sorted(entries, key=lambda e: e.code) if e.drop is None]
    world = world_view(records)
    document = {
        "about": ("Country shapes for the edition maps, made by scripts/make_map.py from "
                  "scripts/map_names.yaml and Natural Earth; do not edit by hand."),
        "source": {"package": PACKAGE, "file": MEMBER.removeprefix("package/"), "integrity": INTEGRITY,
                   "data": "Natural Earth 4.1.0, admin-0 countries, 1:50m (public domain)"},
        "attribution": "Boundaries: Natural Earth",
        "projection": {"name": "Equal Earth", "central_meridian": 0, "world_width": WORLD_WIDTH,
                       "y": "down"},
        "views": {"world": _view_list(world), "central-europe-eurasia": _view_list(region_view(records, world))},
        "groups": groups,
        "dropped": {e.code: e.drop for e in entries if e.drop is not None},
    }
    check_names(records, groups)
    return _dump(document, records)


def _view_list(view: ViewBox) -> list[int]:
    return [view.x, view.y, view.width, view.height]


def _dump(document: dict, records: list[dict]) -> str:
    """Stable JSON, one shape a line (readable diffs when Natural Earth or a name changes)."""

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, value in document.items():
        if isinstance(value, dict) and value:
            inner = [f"  {compact(k)}: {compact(v)}" for k, v in value.items()]
            lines.append(f" {compact(key)}: {{\n" + ",\n".join(inner) + "\n }")
        else:
            lines.append(f" {compact(key)}: {compact(value)}")
    shapes = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    lines.append(' "shapes": [\n' + ",\n".join(shapes) + "\n ]")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, help=f"a tarball of {PACKAGE} already fetched "
                        "(default: npm pack it into a temporary folder)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.package:
        text = make(args.package)
    else:
        with tempfile.TemporaryDirectory(prefix="world-atlas-") as folder:
            text = make(fetch_package(Path(folder)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
