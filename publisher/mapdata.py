"""Country shapes for the edition maps, and what a choropleth of them draws.

`data/map/world.json` (made by `scripts/make_map.py` from Natural Earth) holds every country's
projected SVG path, a label point, boxes, the named views and a table of the names each shape
goes by. `choropleth()` matches the names our content uses to shapes through that table and
returns a frozen `Choropleth`: the covered countries with their status, link and accessible
name; the other shapes in view, drawn grey for context; the view box; the legend; and the
covered countries that have no shape, so that the build can say which. No HTML here: the
template loops and prints.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .errors import Problem

WORLD_FILE = Path(__file__).resolve().parent.parent / "data" / "map" / "world.json"

# A fitted view: the margin around the covered countries (share of the larger side), its
# narrowest and widest shape (width / height), and its least width (share of the world's),
# so that one small country is shown with its neighbours rather than blown up.
FIT_MARGIN = 0.04
FIT_ASPECT = (1.2, 2.0)
FIT_LEAST_WIDTH = 0.12
# A covered country narrower and lower than this share of the view's width gets a marker: it is
# too small to see or to click (Liechtenstein, Malta, most island states on a world map).
SMALL_SHARE = 1 / 150
MARKER_SHARE = 1 / 250  # the marker's radius, as a share of the view's width


class MapError(ValueError):
    """A map that cannot be drawn as asked (a broken data file, an unknown status or view)."""


@dataclass(frozen=True)
class Box:
    """A rectangle in map units (y grows down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def intersects(self, other: Box) -> bool:
        return self.x0 <= other.x1 and other.x0 <= self.x1 and self.y0 <= other.y1 and other.y0 <= self.y1

    def contains(self, other: Box) -> bool:
        return self.x0 <= other.x0 and self.y0 <= other.y0 and other.x1 <= self.x1 and other.y1 <= self.y1


@dataclass(frozen=True)
class ViewBox:
    """An SVG viewBox: `str(view)` is the attribute's value."""

    x: int
    y: int
    width: int
    height: int

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.x + self.width, self.y + self.height)

    def __str__(self) -> str:
        return f"{self.x} {self.y} {self.width} {self.height}"


@dataclass(frozen=True)
class Shape:
    """One country or territory of the data file."""

    code: str  # ISO 3166-1 alpha-3, or a user-assigned X.. code (XKX: Kosovo)
    name: str  # the name Freedom House uses
    d: str  # SVG path data, map units; "" for a micro-state smaller than one unit
    label: tuple[float, float]  # a point well inside its largest part
    bbox: Box  # all its parts
    main: Box  # its main part and the parts near it (France without French Guiana)
    area: float  # map units²


@dataclass(frozen=True)
class World:
    """The loaded data file."""

    shapes: tuple[Shape, ...]  # by code
    by_code: dict[str, Shape]
    names: dict[str, tuple[str, ...]]  # normal_name(name) -> codes of the shapes it stands for
    views: dict[str, ViewBox]  # "world", "central-europe-eurasia"
    attribution: str  # to print under the map

    def shapes_named(self, name: str) -> tuple[Shape, ...]:
        """The shapes a country name stands for (several for "Serbia and Montenegro"); ()
        for a name the table does not know."""
        return tuple(self.by_code[code] for code in self.names.get(normal_name(name), ()))


@dataclass(frozen=True)
class MapEntry:
    """A covered country as the page lists it."""

    country: str  # as our content names it
    status: str  # status key
    url: str  # its report
    label: str  # accessible name: country, status and score


@dataclass(frozen=True)
class CoveredArea:
    """A covered country as the map draws it: one link, one path (all its parts)."""

    country: str  # as our content names it
    status: str  # status key: the colour class
    url: str
    label: str  # accessible name
    codes: tuple[str, ...]  # the shapes drawn for it
    d: str  # their path data, joined
    point: tuple[float, float]  # inside its largest shape: where a marker goes
    small: bool  # too small to see or click in this view: draw a marker at `point` too


@dataclass(frozen=True)
class ContextArea:
    """A shape in view that no entry covers: drawn grey, no link."""

    code: str
    name: str
    d: str


@dataclass(frozen=True)
class LegendItem:
    key: str  # status key
    name: str  # status name, in words
    count: int  # countries drawn in its colour


@dataclass(frozen=True)
class Choropleth:
    view_box: ViewBox
    covered: tuple[CoveredArea, ...]  # in the order given
    context: tuple[ContextArea, ...]  # by code
    missing: tuple[str, ...]  # covered countries with no shape, as named, in the order given
    legend: tuple[LegendItem, ...]  # every status, in the order given
    marker_radius: float  # map units, for the small countries' markers
    attribution: str
    title: str = ""  # the map's name: "Regime status by country, Nations in Transit 2015"
    status_title: str = "Status"  # what the colours show: "Regime status"


# --- names ---------------------------------------------------------------------------------

def normal_name(name: str) -> str:
    """A name as matching sees it: no case, accents or punctuation; "St." and "Saint" alike."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", text.replace("&", " and ")).split()
    return " ".join("st" if word == "saint" else word for word in words)


def check_names(records: Iterable[dict], groups: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """The name table of the data file (shapes' names and aliases, then groups): each normal
    name to the codes it stands for. Raise MapError for a name that stands for two things."""
    table: dict[str, tuple[str, ...]] = {}
    said: dict[str, str] = {}
    clashes = []
    codes = set()

    def add(name: str, target: tuple[str, ...]) -> None:
        key = normal_name(name)
        if not key:
            clashes.append(f"{name!r} has no letters to match")
        elif table.setdefault(key, target) != target:
            clashes.append(f"{name!r} ({', '.join(target)}) reads as {said[key]!r} "
                           f"({', '.join(table[key])})")
        said.setdefault(key, name)

    for record in records:
        codes.add(record["code"])
        for name in (record["name"], *record["aliases"]):
            add(name, (record["code"],))
    for name, members in groups.items():
        unknown = [code for code in members if code not in codes]
        if unknown:
            clashes.append(f"group {name!r} names unknown shapes {', '.join(unknown)}")
        add(name, tuple(members))
    if clashes:
        raise MapError("map names: " + "; ".join(clashes))
    return table


# --- the data file -------------------------------------------------------------------------

@functools.cache
def load_world(path: Path = WORLD_FILE) -> World:
    """The data file, read and checked once per process."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MapError(f"{path}: cannot read the map data ({error.strerror}); "
                       "run scripts/make_map.py") from None
    return read_world(text, str(path))


def read_world(text: str, shown: str = "world.json") -> World:
    try:
        document = json.loads(text)
        shapes = tuple(_shape(record) for record in document["shapes"])
        views = {name: ViewBox(*map(int, box)) for name, box in document["views"].items()}
        names = check_names(document["shapes"], document.get("groups", {}))
        attribution = str(document["attribution"])
    except MapError as error:
        raise MapError(f"{shown}: {error}") from None
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise MapError(f"{shown}: not a map data file ({type(error).__name__}: {error}); "
                       "re-run scripts/make_map.py") from None
    return World(shapes, {s.code: s for s in shapes}, names, views, attribution)


def _shape(record: dict) -> Shape:
    x, y = record["label"]
    return Shape(str(record["code"]), str(record["name"]), str(record["d"]), (float(x), float(y)),
                 Box(*map(float, record["bbox"])), Box(*map(float, record["main"])),
                 float(record["area"]))


# --- the choropleth ------------------------------------------------------------------------

def choropleth(entries: Iterable[MapEntry | Sequence[str]], statuses: Sequence, *,
               world: World | None = None, view: str | None = None) -> Choropleth:
    """What to draw for these covered countries. `statuses` are the series' statuses in legend
    order (anything with `key` and `name`). `view`: a view of the data file by name, or None
    to fit the view to the covered countries."""
    world = world or load_world()
    entries = [e if isinstance(e, MapEntry) else MapEntry(*e) for e in entries]
    names = {status.key: status.name for status in statuses}
    unknown = sorted({e.status for e in entries} - set(names))
    if unknown:
        raise MapError(f"map: unknown status {', '.join(map(repr, unknown))}; "
                       f"known: {', '.join(names)}")
    drawn = _assign_shapes(entries, world)
    view_box = _view(view, world, [s for shapes in drawn for s in shapes])
    small_size = view_box.width * SMALL_SHARE
    covered, missing = [], []
    for entry, shapes in zip(entries, drawn):
        if not shapes:
            missing.append(entry.country)
            continue
        largest = max(shapes, key=lambda s: s.area)
        box = functools.reduce(Box.union, (s.bbox for s in shapes))
        covered.append(CoveredArea(entry.country, entry.status, entry.url, entry.label,
                                   tuple(s.code for s in shapes), "".join(s.d for s in shapes),
                                   largest.label, max(box.width, box.height) < small_size))
    taken = {code for area in covered for code in area.codes}
    context = tuple(ContextArea(s.code, s.name, s.d) for s in world.shapes
                    if s.code not in taken and s.d and s.bbox.intersects(view_box.box))
    legend = tuple(LegendItem(key, name, sum(1 for a in covered if a.status == key))
                   for key, name in names.items())
    return Choropleth(view_box, tuple(covered), context, tuple(missing), legend,
                      round(view_box.width * MARKER_SHARE, 1), world.attribution)


def _assign_shapes(entries: list[MapEntry], world: World) -> list[tuple[Shape, ...]]:
    """Each entry's shapes. Where two entries claim a shape (Serbia and Montenegro, and
    Kosovo, in one edition), the one standing for fewer shapes keeps it."""
    wanted = [world.shapes_named(e.country) for e in entries]
    owner: dict[str, int] = {}
    clashes = []
    for index, shapes in enumerate(wanted):
        for shape in shapes:
            other = owner.get(shape.code)
            if other is None or len(shapes) < len(wanted[other]):
                owner[shape.code] = index
            elif len(shapes) == len(wanted[other]):
                clashes.append(f"{entries[other].country!r} and {entries[index].country!r} "
                               f"are both {shape.name}")
    if clashes:
        raise MapError("map: two entries for one shape: " + "; ".join(clashes))
    return [tuple(s for s in shapes if owner[s.code] == index) for index, shapes in enumerate(wanted)]


def _view(name: str | None, world: World, shapes: list[Shape]) -> ViewBox:
    if name is not None:
        if name not in world.views:
            raise MapError(f"map: no view {name!r}; views: {', '.join(world.views)}")
        return world.views[name]
    if not shapes:
        return world.views["world"]
    return fit_view(functools.reduce(Box.union, (s.main for s in shapes)), world.views["world"])


def fit_view(box: Box, world: ViewBox) -> ViewBox:
    """A view box around box: a margin, no narrower than FIT_LEAST_WIDTH of the world, its
    shape within FIT_ASPECT, whole units, and never larger than the world's view."""
    margin = FIT_MARGIN * max(box.width, box.height)
    width = max(box.width + 2 * margin, FIT_LEAST_WIDTH * world.width)
    height = box.height + 2 * margin
    low, high = FIT_ASPECT
    width, height = max(width, height * low), max(height, width / high)
    width, height = min(width, world.width), min(height, world.height)
    x = (box.x0 + box.x1 - width) / 2
    y = (box.y0 + box.y1 - height) / 2
    x = min(max(x, world.x), world.x + world.width - width)
    y = min(max(y, world.y), world.y + world.height - height)
    x0, y0 = int(x // 1), int(y // 1)
    return ViewBox(x0, y0, int(-(-(x + width) // 1)) - x0, int(-(-(y + height) // 1)) - y0)


# --- what the build says -------------------------------------------------------------------

def unmapped_countries(reports: Iterable, world: World, shown: str) -> list:
    """One warning naming every covered country (anything with `country`) that has no shape in
    the map data: the edition maps leave it out, its edition's table still lists it."""
    names = sorted(name for name in {report.country for report in reports}
                   if not world.shapes_named(name))
    if not names:
        return []
    count = f"{len(names)} {'country has' if len(names) == 1 else 'countries have'}"
    return [Problem(shown, 1, f"{count} no shape in the map data, so the edition maps leave "
                              f"{'it' if len(names) == 1 else 'them'} out (each edition's table "
                              f"lists every country): {', '.join(names)}; if a name is only "
                              "spelt differently, add it to the shape's aliases in "
                              "scripts/map_names.yaml and run scripts/make_map.py", "warning",
                    "unmapped")]
