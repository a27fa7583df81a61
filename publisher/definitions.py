"""Shared definitions from `data/`: the categories, the regime-status bands, the countries.

Both the build and the importer read these, so category titles, status names and country names
live in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
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
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            problems.append(Problem(shown, line, f"entry {index + 1} is invalid: {error}"))
    return result


def _category(item: dict) -> Category:
    return Category(
        key=str(item["key"]),
        title=str(item["title"]),
        description=" ".join(str(item["description"]).split()),
        order=int(item["order"]),
    )


def _status(item: dict) -> Status:
    return Status(
        key=str(item["key"]),
        name=str(item["name"]),
        min=Decimal(str(item["min"])),
        max=Decimal(str(item["max"])),
        aliases=tuple(str(a) for a in item.get("aliases", []) or []),
    )


def _country(item: dict) -> str:
    name = " ".join(str(item["name"]).split())
    if not name:
        raise ValueError("a country needs a name")
    return name
