"""Shared definitions from `data/`: the report series (`series/<key>.yaml`: categories, scores,
status bands) and the countries with their regions.

Both the build and the importer read these, so category titles, status names and country names
live in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from . import urls
from .errors import ContentError, Problem, display_path
from .series import CategoryNode, Series, Status, read_series
from .yamlsafe import YamlError, load_yaml_file


# A category and a status are the series' own records (publisher/series.py).
Category = CategoryNode


@dataclass(frozen=True)
class Region:
    """A region the series groups its countries in ("Central Europe", "Balkans", "Eurasia")."""

    key: str  # slug of the name, for element ids and CSS: "central-europe"
    name: str
    order: int  # regions in the order countries.yaml first names them


@dataclass(frozen=True)
class CountryEntry:
    """A country of data/countries.yaml: its name and the region the series puts it in,
    from which edition on (a country regrouped over the years has several)."""

    name: str
    regions: tuple[tuple[int, str], ...] = ()  # (first edition, region name), oldest first


@dataclass(frozen=True)
class Definitions:
    series: tuple[Series, ...]  # every series the site publishes (data/series/*.yaml)
    # Names of the countries the report series covers (data/countries.yaml, optional): the
    # importer spells a name from an address with them, and falls back on them when a page
    # names its country nowhere structural. The build accepts any country.
    countries: tuple[str, ...] = ()
    regions: tuple[Region, ...] = ()  # in the series' order; empty: no country has a region
    # country name (case-folded) -> its (first edition, region key) pairs, oldest first
    country_regions: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)

    def region_of(self, country: str, edition: int) -> Region | None:
        """The region `country` is in for `edition` (None: countries.yaml gives it none)."""
        spans = self.country_regions.get(" ".join(country.split()).casefold(), ())
        key = None
        for first, region in spans:
            if first <= edition or key is None:
                key = region
        return next((r for r in self.regions if r.key == key), None) if key else None

    @property
    def primary(self) -> Series:
        """The series of a single-series site (the first one of several)."""
        return self.series[0]

    @property
    def several(self) -> bool:
        """The site publishes more than one series (its addresses and folders name them)."""
        return len(self.series) > 1

    def series_by_key(self, key: str) -> Series:
        return next(s for s in self.series if s.key == key)

    def series_of(self, report) -> Series:
        """The series a report (or any record with a `series` key) belongs to."""
        return self.series_by_key(report.series)

    def series_at(self, scope: str) -> Series:
        """The series whose addresses start with `scope` ("" on a site with one series)."""
        return next(s for s in self.series if urls.scope(self, s.key) == scope)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The rated categories (the tree's leaves), in the series' order."""
        return self.primary.leaves()

    @property
    def statuses(self) -> tuple[Status, ...]:
        return self.primary.statuses

    def score_range(self) -> tuple[Decimal, Decimal]:
        """The range of a mean of ratings: the categories' widest scale."""
        return min(c.min for c in self.categories), max(c.max for c in self.categories)

    def category(self, key: str) -> Category | None:
        node = self.primary.nodes.get(key)
        return node if node is not None and not node.is_group else None

    def category_by_title(self, title: str) -> Category | None:
        wanted = " ".join(title.split()).casefold()
        for category in self.categories:
            if category.title.casefold() == wanted:
                return category
        return None

    def status_for_score(self, score: Decimal) -> Status | None:
        band = self.primary.status.band(score)
        return self.primary.status_by_key(band.value) if band is not None else None

    def status_named(self, name: str) -> Status | None:
        """The status with this name or one of its older wordings (case-insensitive)."""
        return self.primary.status_named(name)


def load_definitions(data_dir: Path, read: Callable[[Path], bytes] | None = None) -> Definitions:
    """Read every series definition (`series/*.yaml`) and (if present) `countries.yaml`; raise
    ContentError naming file and line. `read(path)` gives a file's bytes (default: read it)."""
    problems: list[Problem] = []
    series = []
    folder = data_dir / "series"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        legacy = [n for n in ("categories.yaml", "statuses.yaml") if (data_dir / n).exists()]
        hint = (f" ({' and '.join(legacy)} now go into one series definition)" if legacy else "")
        problems.append(Problem(display_path(folder), 0, "no series definition: add "
                                f"data/series/<key>.yaml{hint}; see docs/series.md"))
    for path in files:
        found = _load_series(path, problems, read)
        if found is not None:
            series.append(found)
    keys: dict[str, str] = {}
    for item in series:
        if item.key in keys:
            problems.append(Problem(item.path, 1, f"series '{item.key}' is also defined in "
                                                  f"{keys[item.key]}"))
        keys[item.key] = item.path
    countries_file = data_dir / "countries.yaml"
    countries = (_load_list(countries_file, _country, problems, read)
                 if countries_file.exists() else [])
    if problems:
        raise ContentError(problems)
    regions, country_regions = _regions(countries)
    return Definitions(tuple(series), tuple(c.name for c in countries), regions, country_regions)


def _regions(countries: list[CountryEntry]):
    """The regions, in the order the countries first name them, and each country's spans."""
    regions: dict[str, Region] = {}
    spans: dict[str, tuple[tuple[int, str], ...]] = {}
    for country in countries:
        for _, name in country.regions:
            key = _slug(name)
            regions.setdefault(key, Region(key, name, len(regions)))
        if country.regions:
            spans[country.name.casefold()] = tuple((first, _slug(name))
                                                   for first, name in country.regions)
    return tuple(regions.values()), spans


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "region"


def _load_series(path: Path, problems: list[Problem], read=None) -> Series | None:
    shown = display_path(path)
    try:
        data, lines = load_yaml_file(path, read(path) if read else None)
    except OSError as error:
        problems.append(Problem(shown, 1, f"cannot read file: {error.strerror}"))
        return None
    except YamlError as error:
        problems.append(Problem(shown, error.line, error.message))
        return None
    series, found = read_series(data, lines, shown)
    problems.extend(found)
    if series is not None and series.key != path.stem:
        problems.append(Problem(shown, lines.get(("key",), 1), f"series key '{series.key}' must "
                                                               f"match the file name {path.name}"))
        return None
    return series


def _load_list(path: Path, build, problems: list[Problem], read=None) -> list:
    shown = display_path(path)
    try:
        items, lines = load_yaml_file(path, read(path) if read else None)
    except OSError as error:
        problems.append(Problem(shown, 1, f"cannot read file: {error.strerror}"))
        return []
    except YamlError as error:
        problems.append(Problem(shown, error.line, error.message))
        return []
    if not isinstance(items, list) or not items:
        problems.append(Problem(shown, 1, "expected a non-empty list of entries"))
        return []
    result = []
    for index, item in enumerate(items):
        line = lines.get((index,), 1)
        try:
            result.append(build(item))
        except KeyError as error:
            problems.append(Problem(shown, line, f"entry {index + 1} is invalid: it has no "
                                                 f"{error}"))
        except (TypeError, ValueError, ArithmeticError) as error:
            problems.append(Problem(shown, line, f"entry {index + 1} is invalid: {error}"))
    return result


def _country(item: dict) -> CountryEntry:
    name = " ".join(str(item["name"]).split())
    if not name:
        raise ValueError("a country needs a name")
    region = item.get("region")
    if region is None:
        return CountryEntry(name)
    if isinstance(region, str) and region.strip():
        return CountryEntry(name, ((0, " ".join(region.split())),))
    if isinstance(region, dict) and region and all(
            isinstance(k, int) and not isinstance(k, bool) and isinstance(v, str) and v.strip()
            for k, v in region.items()):
        return CountryEntry(name, tuple(sorted((k, " ".join(v.split())) for k, v in region.items())))
    raise ValueError(f"region of {name} must be a region's name (region: Eurasia) or, for a "
                     f"country the series regrouped, the first edition of each region "
                     f"(region: {{1996: Balkans, 2014: Central Europe}}); got {region!r}")
