"""`build.py new COUNTRY EDITION`: a new report file to fill in, never over an existing one.

Starts from the country's latest earlier edition when there is one: its ratings (and so its
status) as the starting point, its authors, every category heading with the category's
description as a reminder, and `draft: true`, so the report stays out of the published site
until the editor removes that line.
"""
from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

from .assemble import slugify
from .definitions import Definitions, load_definitions
from .errors import ContentError, display_path
from .inputs import Project
from .load import load_report_file, report_path, section_heading
from .series import CategoryNode, Series, plain_number

TODO = "TODO: write this section."


def new_report(project: Project, country: str, edition: int, series_key: str | None = None) -> int:
    """Write the new report's file (`load.report_path`); 1 or 2 (and a message) if it cannot be."""
    if not 1990 <= edition <= 2100:
        print(f"new: error: {edition} is not an edition year such as 2016", file=sys.stderr)
        return 2
    name = " ".join(country.split())
    slug = slugify(name)
    try:
        definitions = load_definitions(project.data)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    series = _chosen_series(definitions, series_key)
    if series is None:
        return 2
    target = report_path(project.content, series.key if definitions.several else None, slug,
                         edition)
    previous = _previous(target.parent, edition, project.content, definitions)
    text = report_skeleton(name, edition, definitions, previous, series)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        print(f"new: error: {display_path(target)} already exists; edit it, or remove it first",
              file=sys.stderr)
        return 1
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    start = f"from {display_path(previous.path)}" if previous else "from scratch"
    print(f"Wrote {display_path(target)} ({start}, marked 'draft: true').\n"
          f"Next: fill in the sections and ratings, then 'build.py check', and preview with "
          f"'build.py serve'. Remove the 'draft: true' line to publish it.")
    return 0


def _chosen_series(definitions: Definitions, key: str | None) -> Series | None:
    """The series named by --series (the site's only one when not given); None after saying why."""
    keys = ", ".join(s.key for s in definitions.series)
    if key is None:
        if not definitions.several:
            return definitions.primary
        print(f"new: error: this site has several series ({keys}): say which with --series KEY",
              file=sys.stderr)
        return None
    found = next((s for s in definitions.series if s.key == key), None)
    if found is None:
        print(f"new: error: '{key}' is not a series of this site (data/series/ defines: {keys})",
              file=sys.stderr)
    return found


def _previous(folder: Path, edition: int, content: Path, definitions: Definitions):
    """The latest earlier edition of the country that loads cleanly, if any."""
    if not folder.is_dir():
        return None
    earlier = sorted((p for p in folder.glob("*.md") if p.stem.isdigit() and int(p.stem) < edition),
                     key=lambda p: int(p.stem), reverse=True)
    for path in earlier:
        source, _ = load_report_file(path, content, definitions)
        if source is not None:
            return source
    return None


def report_skeleton(country: str, edition: int, definitions: Definitions, previous,
                    series: Series | None = None) -> str:
    """The text of a new report file (front matter, then one section per rated category)."""
    series = series or definitions.primary
    # The level the previous edition was rated at (every indicator, or only group totals).
    rated = tuple(n for n in series.all_nodes() if n.key in previous.ratings) if previous else ()
    rated = rated or series.indicators()
    lines = ["---", f"country: {_yaml_text(country)}", f"edition: {edition}", "draft: true",
             "ratings:" + ("  # last edition's: update them" if previous else _scale_comment(series))]
    for category in rated:
        rating = previous.ratings.get(category.key) if previous else None
        shown = f"{rating:.{category.places}f}" if rating is not None else _middle(category)
        lines.append(f"  {category.key}: {shown}")
    if previous and previous.authors:
        lines.append("authors: [" + ", ".join(_yaml_text(a) for a in previous.authors) + "]")
    else:
        lines.append("authors: []")
    lines.append("summary: TODO one paragraph for listings and search results.")
    lines += ["---", "", f"## {series.opening}", "", TODO, ""]
    for category in rated:
        lines += [f"## {section_heading(category)}", "",
                  f"{TODO}" + (f" (It {_lower_first(category.description)})"
                               if category.description and category.title != category.code
                               else ""), ""]
    return "\n".join(lines)


def _middle(category: CategoryNode) -> str:
    """A placeholder rating: the middle of the category's scale, on its step."""
    step = category.step or Decimal(1)
    middle = category.min + ((category.max - category.min) / 2 / step).to_integral_value() * step
    return f"{middle:.{category.places}f}"


def _scale_comment(series: Series) -> str:
    """'  # 1.00-7.00 in steps of 0.25, 7 = most democratic', when the rated categories share one."""
    scales = {(c.min, c.max, c.step, c.places) for c in series.indicators()}
    if len(scales) != 1:
        return "  # each category's scale: see its definition in data/series/"
    low, high, step, places = scales.pop()
    steps = f" in steps of {plain_number(step)}" if step not in (None, 1) else ""
    best = f", {plain_number(high)} = {series.best}" if series.best else ""
    return f"  # {low:.{places}f}-{high:.{places}f}{steps}{best}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as `value`."""
    import json

    return json.dumps(value, ensure_ascii=False)
