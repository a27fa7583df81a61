"""Site settings from `site.yaml`, validated into a `SiteConfig`."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ContentError, Problem, display_path
from .yamlsafe import YamlError, load_yaml_file

KNOWN_KEYS = ("title", "description", "language", "base_url", "url", "publisher",
              "series_publisher", "cname")


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Country Reports"
    description: str = ""
    language: str = "en"
    base_url: str = "/"  # path prefix of every link: "/" or "/repo/"
    url: str = ""  # absolute origin for canonical links, e.g. https://user.github.io
    publisher: str = ""  # who publishes this site (the footer, the feed)
    # Who publishes the report series, for citations; empty: the series definition's publisher
    # (see citation.credited_publisher).
    series_publisher: str = ""
    cname: str | None = None

    def with_base_url(self, base_url: str | None) -> "SiteConfig":
        return self if base_url is None else replace(self, base_url=normalise_base_url(base_url))


def normalise_base_url(value: str) -> str:
    """"" or "/" -> "/"; "repo", "/repo" or "/repo/" -> "/repo/". Always one leading and trailing slash."""
    value = value.strip()
    if re.match(r"^[a-z]+://", value):
        raise ValueError(f"base URL must be a path such as /reports-site/, not {value!r}")
    if any(part in ("..", ".") for part in value.split("/")):
        raise ValueError(f"base URL must not contain '.' or '..' segments: {value!r}")
    if re.search(r"[\s\"'<>\\?#]", value):
        raise ValueError(f"base URL contains characters not allowed in a path: {value!r}")
    parts = [p for p in value.split("/") if p]
    return "/" + "".join(p + "/" for p in parts)


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(KNOWN_KEYS)


def load_config(path: Path, data: bytes | None = None) -> SiteConfig:
    """Read site.yaml (a missing file means defaults); `data`: its bytes, if read already."""
    if data is None and not path.exists():
        return SiteConfig()
    shown = display_path(path)
    try:
        data, lines = load_yaml_file(path, data)
    except YamlError as error:
        raise ContentError([Problem(shown, error.line, error.message)]) from None
    data = data or {}
    if not isinstance(data, dict):
        raise ContentError([Problem(shown, 1, "site.yaml must be a mapping of settings")])
    problems = [Problem(shown, lines.get((k,), 1), f"unknown setting '{k}'; " + _suggest(str(k)))
                for k in data if k not in KNOWN_KEYS]
    values = {k: ("" if v is None else str(v).strip()) for k, v in data.items() if k in KNOWN_KEYS}
    try:
        values["base_url"] = normalise_base_url(values.get("base_url", "/"))
    except ValueError as error:
        problems.append(Problem(shown, lines.get(("base_url",), 1), str(error)))
    if values.get("url") and not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", values["url"]):
        problems.append(Problem(shown, lines.get(("url",), 1),
                                f"url must be an absolute http(s) origin, got {values['url']!r}"))
    if problems:
        raise ContentError(problems)
    values["url"] = values.get("url", "").rstrip("/")
    values["description"] = " ".join(values.get("description", "").split())
    values["cname"] = values.get("cname") or None
    return SiteConfig(**values)
