"""Typed access to the fields of a parsed YAML mapping, every problem reported with its line.

Generic: nothing here knows what a report is (that is `reportfields`). Each accessor takes
the path of a value (`"country"`, or `"previous", "status"`), returns the typed value or None,
and when the value is unusable records one problem on the value's line and returns None, so
the caller carries on and reports the file's other mistakes in the same run.
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from .errors import Problem

CLOSE_MATCH = 0.75  # difflib ratio: 'auhtors' -> 'authors' (0.86), not 'region' -> 'edition' (0.62)
TOO_LARGE = Decimal(10) ** 9  # no figure in a report comes near; keeps Decimal arithmetic cheap
URL_RE = re.compile(r"^https?://[^\s<>\"]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class FileProblems:
    """Collects the problems of one file."""

    def __init__(self, path: str):
        self.path = path
        self.items: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, message))

    def warning(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


def did_you_mean(word: str, choices: Iterable[str], fallback: str = "") -> str:
    """'; did you mean 'x'?' for a close match only (else `fallback`)."""
    match = close_match(word, choices)
    return f"; did you mean '{match}'?" if match else fallback


def close_match(word: str, choices: Iterable[str]) -> str | None:
    by_folded = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=CLOSE_MATCH)
    return by_folded[match[0]] if match else None


def kind(value: Any) -> str:
    """What a YAML value is, in words: 'a mapping', 'a list', 'true/false' ..."""
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


def shown(value: Any) -> str:
    """A value as quoted in a message; a very long one is cut (a 100,000-digit number)."""
    return _cut(repr(value), len(str(value)))


def _cut(text: str, length: int) -> str:
    return text if len(text) <= 40 else f"{text[:20]}… ({length} characters)"


def plain(number: Decimal) -> str:
    """1, 7, 0.25: a bound or step as a reader would write it."""
    return f"{number.normalize():f}"


class FrontMatter:
    """Typed access to the fields of one YAML mapping (`meta`), with `lines` from `yamlsafe`."""

    def __init__(self, meta: dict[str, Any], lines: dict, issues: FileProblems):
        self.meta = meta
        self.lines = lines
        self.issues = issues

    def line(self, *path: Any) -> int:
        """The line of a value, or of its nearest enclosing one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 2)

    def value(self, *path: Any) -> Any:
        """The raw value at `path`, or None when it (or what encloses it) is absent."""
        value: Any = self.meta
        for part in path:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def error(self, path: tuple, message: str) -> None:
        self.issues.error(self.line(*path), message)

    def check_keys(self, path: tuple, allowed: Iterable[str], required: Iterable[str] = (),
                   what: str = "field") -> bool:
        """Unknown keys (with a close match, else the allowed ones) and missing required keys
        of the mapping at `path`; True when there were none. A misspelt required key is one
        mistake: it is reported as unknown, with the name it should have, not also as missing."""
        mapping = self.value(*path) if path else self.meta
        allowed = tuple(allowed)
        prefix = "".join(f"{part}." for part in path)
        good = True
        meant: set[str] = set()
        for key in mapping:
            if key not in allowed:
                good = False
                match = close_match(str(key), [k for k in allowed if k not in mapping])
                meant.add(match or "")
                hint = f"; did you mean '{match}'?" if match else did_you_mean(
                    str(key), allowed, "; expected one of: " + ", ".join(allowed))
                self.error(path + (key,), f"unknown {what} '{prefix}{key}'{hint}")
        for key in required:
            if key not in mapping:
                good = False
                if key not in meant:
                    self.error(path, f"missing required {what} '{prefix}{key}'")
        return good

    def present(self, *path: Any) -> bool:
        """Whether the key at `path` is written, even with no value (`country:`)."""
        parent = self.value(*path[:-1]) if len(path) > 1 else self.meta
        return isinstance(parent, dict) and path[-1] in parent

    def name(self, path: tuple) -> str:
        return "'" + ".".join(map(str, path)) + "'"

    def text(self, *path: Any, required: bool = False) -> str | None:
        """Text on one line: runs of whitespace (line breaks included) become one space."""
        value = self.value(*path)
        if value is None:
            if required and self.present(*path):
                self.error(path, f"{self.name(path)} is empty")
            return None
        if isinstance(value, bool):
            self.error(path, f"{self.name(path)} must be text, got {str(value).lower()}: YAML "
                             "reads an unquoted yes, no, on, off, true or false as true/false, "
                             "so put the value in quotes")
            return None
        if not isinstance(value, (str, int, float)):
            self.error(path, f"{self.name(path)} must be text, got {kind(value)}")
            return None
        text = " ".join(str(value).split())
        if required and not text:
            self.error(path, f"{self.name(path)} is empty")
        return text or None

    def text_list(self, *path: Any) -> tuple[str, ...]:
        """A list of texts; a single text stands for a list of one."""
        raw = self.value(*path)
        if raw is None:
            return ()
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(a, str) and a.strip() for a in raw):
            self.error(path, f"{self.name(path)} must be a list of names")
            return ()
        return tuple(" ".join(a.split()) for a in raw)

    def year(self, *path: Any, required: bool = False) -> int | None:
        """A year such as 2015 (1990-2100: no report series is older, none is far ahead)."""
        value = self.value(*path)
        if value is None:
            if required and self.present(*path):
                self.error(path, f"{self.name(path)} is empty")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
            self.error(path, f"{self.name(path)} must be a year such as 2015, got {shown(value)}")
            return None
        return value

    def boolean(self, *path: Any) -> bool | None:
        value = self.value(*path)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(path, f"{self.name(path)} must be true or false, got {shown(value)}")
            return None
        return value

    def url(self, *path: Any) -> str | None:
        value = self.value(*path)
        if value is None:
            return None
        if not isinstance(value, str) or not URL_RE.match(value):
            self.error(path, f"{'.'.join(map(str, path))} must be an http(s) address, got "
                             f"{shown(value)}")
            return None
        return value

    def mapping(self, *path: Any, expected: str) -> dict | None:
        """The mapping at `path`; `expected` says what it should hold, for the message."""
        value = self.value(*path)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(path, f"{self.name(path)} must be {expected}")
            return None
        return value

    def number(self, *path: Any, what: str, low: Decimal | None = None,
               high: Decimal | None = None, step: Decimal | None = None) -> Decimal | None:
        """A rating or score: a number within [low, high], on `step` from `low` when given,
        else with at most 2 decimals; returned with 2 decimals (1.5 -> 1.50)."""
        value = self.value(*path)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(path, f"{what} must be a number, got {kind(value)}")
            return None
        written = repr(value) if isinstance(value, float) else str(value).strip()
        try:
            number = Decimal(written)
        except InvalidOperation:
            hint = (" (write decimals with a point: " + value.strip().replace(",", ".") + ")"
                    if isinstance(value, str) and re.fullmatch(r"\s*\d+,\d+\s*", value) else "")
            self.error(path, f"{what} must be a number, got {shown(value)}{hint}")
            return None
        if not number.is_finite():
            self.error(path, f"{what} must be a number, got {shown(value)}")
            return None
        written = _cut(written, len(written))  # a number as written, without quotes
        lowest = plain(low) if low is not None else ""
        highest = plain(high) if high is not None else ""
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(path, f"{what} {written} is out of range ({lowest}-{highest})")
            return None
        if abs(number) >= TOO_LARGE:
            self.error(path, f"{what} {written} is too large")
            return None
        places = 2
        if step is not None and low is not None:
            places = max(2, -step.normalize().as_tuple().exponent)
            steps = (number - low) / step
            if steps != steps.to_integral_value():
                below = low + steps.to_integral_value(rounding="ROUND_FLOOR") * step
                nearest = [v for v in (below, below + step) if high is None or v <= high]
                self.error(path, f"{what} {written} is off the scale's step of {plain(step)} "
                                 f"({lowest} to {highest or '…'}): use "
                                 + " or ".join(f"{v:.{places}f}" for v in nearest))
                return None
        elif number != number.quantize(Decimal("0.01")):
            self.error(path, f"{what} has more than 2 decimals: {written}")
            return None
        return number.quantize(Decimal(1).scaleb(-places))
