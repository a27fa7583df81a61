"""Shared definitions from `data/`: the categories, the regime-status bands, the countries.

Both the build and the importer read these, so category titles, status names and country names
live in one place.
"""
from __future__ import annotations

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
class Definitions:
    categories: tuple[Category, ...]
    statuses: tuple[Status, ...]
    by_key: dict[str, Category] = field(default_factory=dict, compare=False)
    # Names of the countries the report series covers (data/countries.yaml, optional): the
    # importer spells a name from an address with them, and falls back on them when a page
    # names its country nowhere structural. The build accepts any country.
    countries: tuple[str, ...] = ()

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
    return Definitions(categories, tuple(statuses), {c.key: c for c in categories},
                       tuple(countries))


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


def _country(item: dict) -> str:
    name = " ".join(str(item["name"]).split())
    if not name:
        raise ValueError("a country needs a name")
    return name
