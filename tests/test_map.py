"""The map: data/map/world.json as committed (every country our content names has a shape, the
paths are valid SVG inside their boxes, no ring jumps across the map), publisher/mapdata.py on
small worlds written for the test, and scripts/make_map.py (its parts, and the whole run:
the same bytes twice, and the committed file)."""
from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import nit_definitions, ROOT
from publisher.definitions import Status
from publisher.mapdata import (FIT_ASPECT, WORLD_FILE, Box, MapError, MapEntry, check_names,
                               choropleth, load_world, normal_name, read_world)

DEFINITIONS = nit_definitions()
STATUSES = DEFINITIONS.statuses


def _script():
    spec = importlib.util.spec_from_file_location("make_map", ROOT / "scripts" / "make_map.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_map"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_map = _script()


# --- an SVG path reader, independent of the code that writes the paths ---------------------

_TOKEN = re.compile(r"\s*(?:([MmLlHhVvZz])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))\s*,?")
_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "z": 0}


def path_rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings (subpaths) of SVG path data with M, L, H, V and Z commands, in absolute
    coordinates. Raises ValueError on anything the SVG path grammar does not allow."""
    tokens, at = [], 0
    while at < len(d):
        match = _TOKEN.match(d, at)
        if not match or match.end() == at:
            raise ValueError(f"bad path data at {at}: {d[at:at + 20]!r}")
        tokens.append(match.group(1) or float(match.group(2)))
        at = match.end()
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if isinstance(token, str):
            command, i = token, i + 1
            if command in "Zz":
                if not rings or not rings[-1]:
                    raise ValueError("z with no subpath")
                x, y = rings[-1][0]
                command = None
                continue
        elif command is None:
            raise ValueError(f"number {token} with no command")
        if command is None:
            raise ValueError("path data must start with M")
        count = _ARGS[command.lower()]
        args = tokens[i:i + count]
        if len(args) < count or not all(isinstance(a, float) for a in args):
            raise ValueError(f"{command} needs {count} numbers")
        i += count
        relative = command.islower()
        lower = command.lower()
        if lower == "m":
            x, y = (x + args[0], y + args[1]) if relative else (args[0], args[1])
            rings.append([(x, y)])
            command = "l" if relative else "L"  # numbers after a moveto are linetos
            continue
        if not rings:
            raise ValueError("path data must start with M")
        if lower == "l":
            x, y = (x + args[0], y + args[1]) if relative else (args[0], args[1])
        elif lower == "h":
            x = x + args[0] if relative else args[0]
        else:
            y = y + args[0] if relative else args[0]
        rings[-1].append((x, y))
    if not rings:
        raise ValueError("empty path data")
    return rings


def _inside(rings, point) -> bool:
    """Even-odd rule over every ring."""
    x, y = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_the_path_reader_reads_svg_and_refuses_what_is_not():
    assert path_rings("M1 2l3 0 0 4z M10,10 L 12 10 V 14 H 10 Z") == [
        [(1, 2), (4, 2), (4, 6)], [(10, 10), (12, 10), (12, 14), (10, 14)]]
    assert path_rings("m1 1 2 0-1-1z") == [[(1, 1), (3, 1), (2, 0)]]
    for bad in ("l1 2z", "M1z", "M1 2 l3", "M1 2 C 1 2 3 4 5 6", "M1 2 l3 4 x", "", "12 3"):
        with pytest.raises(ValueError):
            path_rings(bad)


# --- the committed data file ---------------------------------------------------------------

@pytest.fixture(scope="module")
def world():
    return load_world()


@pytest.fixture(scope="module")
def document():
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def test_the_data_file_is_small_and_names_its_source(document):
    assert WORLD_FILE.stat().st_size < 400_000
    assert document["source"]["package"] == make_map.PACKAGE
    assert document["source"]["integrity"] == make_map.INTEGRITY
    assert "Natural Earth" in document["attribution"]
    assert set(document["views"]) == {"world", "central-europe-eurasia"}


def test_every_country_our_content_names_has_a_shape(world):
    assert DEFINITIONS.countries, "data/countries.yaml lists no countries"
    for name in DEFINITIONS.countries:
        shapes = world.shapes_named(name)
        assert shapes and all(s.d for s in shapes), f"{name} has no shape on the map"


def test_former_and_current_names_draw_the_same_shapes(world):
    def codes(name):
        return [s.code for s in world.shapes_named(name)]

    assert codes("Macedonia") == codes("North Macedonia") == ["MKD"]
    assert codes("Czech Republic") == codes("Czechia") == ["CZE"]
    assert codes("Kyrgyzstan") == codes("Kyrgyz Republic") == ["KGZ"]
    assert codes("Russia") == codes("Russian Federation") == ["RUS"]
    assert codes("Kosovo") == ["XKX"]
    assert sorted(codes("Serbia and Montenegro")) == sorted(codes("Yugoslavia")) == ["MNE", "SRB", "XKX"]
    assert codes("côte d’ivoire") == codes("Cote d'Ivoire") == ["CIV"]
    assert codes("Saint Lucia") == codes("St. Lucia") == codes("St Lucia") == ["LCA"]
    assert codes("Transnistria") == codes("Atlantis") == []


def test_crimea_is_its_own_shape_not_russias(world):
    crimea, = world.shapes_named("Crimea")
    russia, = world.shapes_named("Russia")
    ukraine, = world.shapes_named("Ukraine")
    assert crimea.code == "XCR" and crimea.d
    assert not _inside(path_rings(russia.d), crimea.label)
    assert not _inside(path_rings(ukraine.d), crimea.label)
    assert _inside(path_rings(crimea.d), crimea.label)


def test_no_antarctica_and_every_code_once(world, document):
    codes = [s.code for s in world.shapes]
    assert len(codes) == len(set(codes)) > 230
    assert "ATA" not in codes and "ATA" in document["dropped"]
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_every_path_is_valid_and_inside_its_box_and_the_world_view(world):
    view = world.views["world"].box
    drawn = 0
    for shape in world.shapes:
        assert view.contains(shape.bbox), shape.code
        assert shape.bbox.contains(shape.main), shape.code
        if not shape.d:  # a micro-state smaller than a unit: a point
            assert shape.area == 0 and shape.bbox.width <= 1 and shape.bbox.height <= 1, shape.code
            continue
        drawn += 1
        rings = path_rings(shape.d)
        points = [p for ring in rings for p in ring]
        assert all(len(ring) >= 3 for ring in rings), shape.code
        box = Box(min(x for x, _ in points), min(y for _, y in points),
                  max(x for x, _ in points), max(y for _, y in points))
        assert box == shape.bbox, shape.code
        assert _inside(rings, shape.label), f"{shape.code}: label point outside the shape"
    assert drawn > 220


def test_no_ring_jumps_across_the_map(world):
    """A ring crossing the antimeridian unwrapped wrongly draws a stripe across the world."""
    width = world.views["world"].width
    for shape in world.shapes:
        if shape.d:
            for ring in path_rings(shape.d):
                longest = max(math.dist(a, b) for a, b in zip(ring, ring[1:] + ring[:1]))
                assert longest < width / 10, f"{shape.code}: a step of {longest:.0f} units"
    russia, = world.shapes_named("Russia")
    fiji, = world.shapes_named("Fiji")
    assert russia.bbox.width < width / 2 and fiji.bbox.width < width / 50


def test_far_flung_parts_stay_out_of_the_main_box(world):
    france, = world.shapes_named("France")
    assert france.main.width < france.bbox.width / 5  # French Guiana and Réunion left out
    poland, = world.shapes_named("Poland")
    assert poland.main == poland.bbox


# --- mapdata on the real file --------------------------------------------------------------

NIT_2015 = {
    "consolidated-democracy": ["Czech Republic", "Estonia", "Latvia", "Lithuania", "Poland",
                               "Slovakia", "Slovenia"],
    "semi-consolidated-democracy": ["Bulgaria", "Croatia", "Hungary", "Romania", "Serbia",
                                    "Montenegro"],
    "transitional-or-hybrid-regime": ["Albania", "Bosnia and Herzegovina", "Georgia", "Kosovo",
                                      "Macedonia", "Moldova", "Ukraine"],
    "semi-consolidated-authoritarian-regime": ["Armenia", "Kyrgyzstan"],
    "consolidated-authoritarian-regime": ["Azerbaijan", "Belarus", "Kazakhstan", "Russia",
                                          "Tajikistan", "Turkmenistan", "Uzbekistan"],
}


def nit_entries():
    return [MapEntry(country, status, f"/reports/{country}/2015/", f"{country}: {status}")
            for status, countries in NIT_2015.items() for country in countries]


def test_a_fitted_view_holds_every_covered_country_with_a_margin(world):
    mapped = choropleth(nit_entries(), STATUSES, world=world)
    view = mapped.view_box.box
    assert not mapped.missing
    for area in mapped.covered:
        for code in area.codes:
            main = world.by_code[code].main
            assert view.contains(main), area.country
    union = Box(min(world.by_code[c].main.x0 for a in mapped.covered for c in a.codes),
                min(world.by_code[c].main.y0 for a in mapped.covered for c in a.codes),
                max(world.by_code[c].main.x1 for a in mapped.covered for c in a.codes),
                max(world.by_code[c].main.y1 for a in mapped.covered for c in a.codes))
    assert view.width > union.width and view.height > union.height
    assert FIT_ASPECT[0] <= view.width / view.height <= FIT_ASPECT[1] + 0.01
    assert world.views["world"].box.contains(view)


def test_the_regional_view_shows_the_series_countries_but_russias_east(world):
    mapped = choropleth(nit_entries(), STATUSES, world=world, view="central-europe-eurasia")
    view = mapped.view_box.box
    for area in mapped.covered:
        if area.country != "Russia":
            assert view.contains(world.by_code[area.codes[0]].main), area.country
    russia, = world.shapes_named("Russia")
    assert view.intersects(russia.main) and not view.contains(russia.main)


def test_context_countries_are_the_other_shapes_in_view(world):
    mapped = choropleth(nit_entries(), STATUSES, world=world, view="central-europe-eurasia")
    covered = {code for area in mapped.covered for code in area.codes}
    context = {c.code for c in mapped.context}
    assert not covered & context
    assert {"DEU", "TUR", "IRN", "XCR", "GRC", "FIN"} <= context  # Crimea in grey, not Russia's colour
    assert "USA" not in context and "BRA" not in context  # out of view
    assert all(world.by_code[c].bbox.intersects(mapped.view_box.box) for c in context)


def test_each_covered_country_carries_its_link_status_and_accessible_name(world):
    mapped = choropleth(nit_entries(), STATUSES, world=world)
    kosovo, = [a for a in mapped.covered if a.country == "Kosovo"]
    assert (kosovo.status, kosovo.url, kosovo.label) == (
        "transitional-or-hybrid-regime", "/reports/Kosovo/2015/", "Kosovo: transitional-or-hybrid-regime")
    assert kosovo.codes == ("XKX",) and kosovo.d == world.by_code["XKX"].d
    assert [a.country for a in mapped.covered] == [e.country for e in nit_entries()]
    assert [(item.key, item.count) for item in mapped.legend] == [
        (status.key, len(NIT_2015[status.key])) for status in STATUSES]
    assert mapped.legend[0].name == "Consolidated Democracy"


def test_a_country_without_a_shape_is_reported_and_the_rest_drawn(world):
    entries = nit_entries() + [MapEntry("Transnistria", "consolidated-authoritarian-regime", "/t/", "T"),
                               MapEntry("Atlantis", "consolidated-democracy", "/a/", "A")]
    mapped = choropleth(entries, STATUSES, world=world)
    assert mapped.missing == ("Transnistria", "Atlantis")
    assert len(mapped.covered) == len(nit_entries())
    nothing = choropleth([MapEntry("Atlantis", "consolidated-democracy", "/a/", "A")], STATUSES, world=world)
    assert nothing.missing == ("Atlantis",) and not nothing.covered
    assert nothing.view_box == world.views["world"]


def test_a_former_state_draws_its_parts_and_a_narrower_entry_keeps_its_own(world):
    union = choropleth([("Serbia and Montenegro", "consolidated-democracy", "/sm/", "SM")], STATUSES,
                       world=world)
    assert sorted(union.covered[0].codes) == ["MNE", "SRB", "XKX"]
    both = choropleth([("Serbia and Montenegro", "consolidated-democracy", "/sm/", "SM"),
                       ("Kosovo", "transitional-or-hybrid-regime", "/k/", "K")], STATUSES, world=world)
    assert [a.codes for a in both.covered] == [("SRB", "MNE"), ("XKX",)]


def test_two_entries_for_one_shape_are_refused(world):
    with pytest.raises(MapError, match="'Macedonia' and 'North Macedonia'"):
        choropleth([("Macedonia", "consolidated-democracy", "/a/", "A"),
                    ("North Macedonia", "consolidated-democracy", "/b/", "B")], STATUSES, world=world)


def test_unknown_status_or_view_is_refused(world):
    with pytest.raises(MapError, match="unknown status 'free'"):
        choropleth([("Poland", "free", "/p/", "P")], STATUSES, world=world)
    with pytest.raises(MapError, match="no view 'asia'.*world"):
        choropleth([("Poland", "consolidated-democracy", "/p/", "P")], STATUSES, world=world, view="asia")


# --- mapdata on small worlds written for the test ------------------------------------------

def small_world(shapes, groups=None, views=None) -> str:
    return json.dumps({"attribution": "Boundaries: test", "groups": groups or {},
                       "views": views or {"world": [0, 0, 1000, 500]}, "shapes": shapes})


def square(code, name, x, y, size, aliases=()):
    return {"code": code, "numeric": None, "name": name, "aliases": list(aliases),
            "label": [x + size / 2, y + size / 2], "bbox": [x, y, x + size, y + size],
            "main": [x, y, x + size, y + size], "area": size * size,
            "d": f"M{x} {y}l{size} 0 0 {size}-{size} 0z"}


def tiny(code, name, x, y):
    return {"code": code, "numeric": None, "name": name, "aliases": [], "label": [x, y],
            "bbox": [x, y, x, y], "main": [x, y, x, y], "area": 0, "d": ""}


TWO = [Status("good", "Good", 0, 1), Status("bad", "Bad", 0, 1)]


def test_one_small_country_is_shown_with_its_neighbours_not_blown_up():
    world = read_world(small_world([square("AAA", "Aland", 100, 100, 10), square("BBB", "Bland", 150, 100, 50),
                                    square("CCC", "Cland", 900, 400, 50)]))
    mapped = choropleth([("Aland", "good", "/a/", "A")], TWO, world=world)
    view = mapped.view_box
    assert view.width >= 0.12 * 1000 and view.box.contains(Box(100, 100, 110, 110))
    assert [c.code for c in mapped.context] == ["BBB"]  # in view; Cland is not
    assert not mapped.covered[0].small


def test_a_micro_state_is_marked_small_and_keeps_a_point():
    world = read_world(small_world([tiny("MMM", "Microland", 500, 250), square("BBB", "Bland", 0, 0, 400)]))
    mapped = choropleth([("Microland", "good", "/m/", "M"), ("Bland", "bad", "/b/", "B")], TWO,
                        world=world, view="world")
    micro, big = mapped.covered
    assert micro.small and micro.point == (500, 250) and micro.d == ""
    assert not big.small
    assert mapped.marker_radius > 0
    assert [(item.key, item.count) for item in mapped.legend] == [("good", 1), ("bad", 1)]


def test_names_match_without_case_accents_or_punctuation():
    assert normal_name("  Côte d’Ivoire ") == normal_name("COTE D'IVOIRE") == "cote d ivoire"
    assert normal_name("Saint Kitts & Nevis") == normal_name("St. Kitts and Nevis")
    assert normal_name("Guinea-Bissau") == normal_name("Guinea Bissau")


def test_a_name_standing_for_two_shapes_is_refused():
    with pytest.raises(MapError, match="'Congo'.*'CONGO'"):
        check_names([square("COD", "CONGO", 0, 0, 1), square("COG", "Congo", 5, 5, 1)], {})
    with pytest.raises(MapError, match="unknown shapes ZZZ"):
        check_names([square("AAA", "Aland", 0, 0, 1)], {"Union": ["AAA", "ZZZ"]})


def test_a_broken_data_file_names_itself_and_the_fix(tmp_path):
    with pytest.raises(MapError, match="world.json: not a map data file.*make_map"):
        read_world('{"shapes": [{"code": "A"}]}', "world.json")
    with pytest.raises(MapError, match="cannot read.*make_map"):
        load_world(tmp_path / "absent.json")


# --- the script's parts --------------------------------------------------------------------

def test_arcs_are_delta_decoded_and_unwrapped_across_the_antimeridian():
    topology = {"transform": {"scale": [1, 1], "translate": [-180, 0]},
                "arcs": [[[0, 0], [10, 5], [-3, 0]], [[359, 10], [2, 0], [0, 1]]]}
    first, crossing = make_map.decode_arcs(topology)
    assert first == [(-180, 0), (-170, 5), (-173, 5)]
    assert crossing == [(179, 10), (181, 10), (181, 11)]  # not (-179, 10): no jump across the map


def test_a_country_across_the_antimeridian_is_drawn_in_one_piece():
    # An island east of 180° beside a larger one west of it, as Fiji's and Russia's pieces are.
    arcs = [[(170, 0), (178, 0), (178, 5), (170, 5), (170, 0)],
            [(-179, 0), (-178, 0), (-178, 1), (-179, 1), (-179, 0)]]
    polygons = make_map.country_polygons([[[0]], [[1]]], arcs, "Testland")
    offsets = [polygon[0][0].offset for polygon in polygons]
    assert offsets == [0, 1]  # the small piece moved a turn east, next to the large one


def test_simplify_keeps_the_ends_and_the_corners():
    line = [(0, 0), (1, 0.01), (2, 0), (2, 5), (2.01, 6), (2, 10)]
    assert make_map.simplify(line, 0.5) == [(0, 0), (2, 0), (2, 10)]
    ring = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
    assert make_map.simplify(ring, 0.5) == ring


def test_equal_earth_matches_the_published_extent():
    x, _ = make_map.equal_earth(180, 0)
    _, y = make_map.equal_earth(0, 90)
    assert x == pytest.approx(2.70663, abs=1e-5) and y == pytest.approx(1.31736, abs=1e-5)


def test_the_label_point_is_inside_a_crescent():
    crescent = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 80), (80, 80), (80, 20), (0, 20)]
    x, y = make_map.label_point([crescent])
    assert _inside([crescent], (x, y)) and x > 80


def test_paths_are_joinable_and_short():
    assert make_map._path([(10, 20), (15, 20), (15, 18)]) == "M10 20l5 0 0-2z"


# --- the whole script ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The pinned world-atlas tarball, fetched once with npm (its cache makes repeats fast)."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: cannot fetch world-atlas to re-run scripts/make_map.py")
    folder = tmp_path_factory.mktemp("world-atlas")
    try:
        done = subprocess.run(["npm", "pack", make_map.PACKAGE, "--pack-destination", str(folder)],
                              cwd=folder, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.skip("the npm registry did not answer in 180 s: cannot fetch world-atlas")
    if done.returncode != 0:
        if re.search(r"E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT)|network", done.stderr):
            pytest.skip(f"the npm registry is unreachable: {done.stderr.strip().splitlines()[-1]}")
        pytest.fail(f"npm pack {make_map.PACKAGE} failed:\n{done.stderr}")
    return folder / done.stdout.strip().splitlines()[-1]


def test_the_script_makes_the_same_bytes_twice_and_the_committed_file(package, tmp_path):
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / run / "world.json"
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_map.py"), "--package",
                               str(package), "--out", str(out)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == WORLD_FILE.read_bytes(), (
        "data/map/world.json is not what scripts/make_map.py makes: re-run the script")


def test_the_script_refuses_a_tarball_that_is_not_the_pinned_one(tmp_path):
    fake = tmp_path / "world-atlas-2.0.2.tgz"
    fake.write_bytes(b"not the package")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_map.py"), "--package", str(fake),
                           "--out", str(tmp_path / "out.json")], capture_output=True, text=True)
    assert done.returncode != 0 and "integrity" in done.stderr
    assert not (tmp_path / "out.json").exists()
