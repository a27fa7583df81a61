"""`build.py new COUNTRY EDITION`: a new report file to fill in, never over an existing one.

Starts from the country's latest earlier edition when there is one: its ratings (and so its
status) as the starting point, its authors, every category heading with the category's
description as a reminder, and `draft: true`, so the report stays out of the published site
until the editor removes that line.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .assemble import slugify
from .definitions import Definitions, load_definitions
from .errors import ContentError, display_path
from .inputs import Project
from .load import load_report_file

TODO = "TODO: write this section."


def new_report(project: Project, country: str, edition: int) -> int:
    """Write content/reports/<slug>/<edition>.md; 1 (and a message) if it cannot be."""
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
    folder = project.content / "reports" / slug
    target = folder / f"{edition}.md"
    previous = _previous(folder, edition, project.content, definitions)
    text = report_skeleton(name, edition, definitions, previous)
    folder.mkdir(parents=True, exist_ok=True)
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


def report_skeleton(country: str, edition: int, definitions: Definitions, previous) -> str:
    """The text of a new report file (front matter, then one section per category)."""
    lines = ["---", f"country: {_yaml_text(country)}", f"edition: {edition}", "draft: true",
             "ratings:" + ("  # last edition's: update them" if previous else
                           "  # 1.00-7.00 in quarter points, 7 = most democratic")]
    for category in definitions.categories:
        rating = previous.ratings.get(category.key) if previous else None
        lines.append(f"  {category.key}: {rating if rating is not None else '4.00'}")
    if previous and previous.authors:
        lines.append("authors: [" + ", ".join(_yaml_text(a) for a in previous.authors) + "]")
    else:
        lines.append("authors: []")
    lines.append("summary: TODO one paragraph for listings and search results.")
    lines += ["---", "", "## Executive Summary", "", TODO, ""]
    for category in definitions.categories:
        lines += [f"## {category.title}", "", f"{TODO} (It {_lower_first(category.description)})", ""]
    return "\n".join(lines)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as `value`."""
    import json

    return json.dumps(value, ensure_ascii=False)
