"""Shared definitions from `data/`: the categories, the regime-status bands, the countries.

Both the build and the importer read these, so category titles, status names and country names
live in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from .errors import ContentError, Problem, display_path
from .yamlsafe import YamlError, load_yaml_file


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str
    order: int
    min: Decimal  # the lowest rating
    max: Decimal  # the highest rating
    step: Decimal  # ratings move in steps of this from `min` (NIT: quarter points)

    def scale(self) -> str:
        """'1 to 7 in steps of 0.25', as messages and docs say it."""
        return f"{_plain(self.min)} to {_plain(self.max)} in steps of {_plain(self.step)}"


@dataclass(frozen=True)
class Status:
    key: str
    name: str
    min: Decimal
    max: Decimal
    aliases: tuple[str, ...] = ()

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


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
    categories: tuple[Category, ...]
    statuses: tuple[Status, ...]
    by_key: dict[str, Category] = field(default_factory=dict, compare=False)
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

    def score_range(self) -> tuple[Decimal, Decimal]:
        """The range of a mean of ratings (a Democracy Score): the categories' widest scale."""
        return min(c.min for c in self.categories), max(c.max for c in self.categories)

    def category(self, key: str) -> Category | None:
        return self.by_key.get(key)

    def category_by_title(self, title: str) -> Category | None:
        wanted = " ".join(title.split()).casefold()
        for category in self.categories:
            if category.title.casefold() == wanted:
                return category
        return None

    def status_for_score(self, score: Decimal) -> Status | None:
        for status in self.statuses:
            if status.contains(score):
                return status
        return None

    def status_named(self, name: str) -> Status | None:
        """The status with this name or one of its older wordings (case-insensitive)."""
        wanted = " ".join(name.split()).casefold()
        for status in self.statuses:
            if wanted in {n.casefold() for n in (status.name, *status.aliases)}:
                return status
        return None


def load_definitions(data_dir: Path, read: Callable[[Path], bytes] | None = None) -> Definitions:
    """Read `categories.yaml`, `statuses.yaml` and (if present) `countries.yaml`; raise
    ContentError naming file and line. `read(path)` gives a file's bytes (default: read it)."""
    problems: list[Problem] = []
    categories = _load_list(data_dir / "categories.yaml", _category, problems, read)
    statuses = _load_list(data_dir / "statuses.yaml", _status, problems, read)
    countries_file = data_dir / "countries.yaml"
    countries = (_load_list(countries_file, _country, problems, read)
                 if countries_file.exists() else [])
    if problems:
        raise ContentError(problems)
    categories = tuple(sorted(categories, key=lambda c: c.order))
    regions, country_regions = _regions(countries)
    return Definitions(categories, tuple(statuses), {c.key: c for c in categories},
                       tuple(c.name for c in countries), regions, country_regions)


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


def _category(item: dict) -> Category:
    category = Category(
        key=str(item["key"]),
        title=str(item["title"]),
        description=" ".join(str(item["description"]).split()),
        order=int(item["order"]),
        min=_decimal(item["min"]),
        max=_decimal(item["max"]),
        step=_decimal(item["step"]),
    )
    if not category.min < category.max or category.step <= 0:
        raise ValueError("a category's scale needs min < max and a step above 0")
    steps = (category.max - category.min) / category.step
    if steps != steps.to_integral_value():
        raise ValueError(f"max {_plain(category.max)} is not a whole number of steps of "
                         f"{_plain(category.step)} from min {_plain(category.min)}")
    return category


def _decimal(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"expected a number, got {value!r}")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite() or abs(number) > 10**6:
        raise ValueError(f"expected a number, got {value!r}")
    return number


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _status(item: dict) -> Status:
    return Status(
        key=str(item["key"]),
        name=str(item["name"]),
        min=_decimal(item["min"]),
        max=_decimal(item["max"]),
        aliases=tuple(str(a) for a in item.get("aliases", []) or []),
    )


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
