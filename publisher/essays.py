"""Stage 1 for the editions' essays: `content/editions/<edition>.md` (on a site of several
series `content/editions/<series>/<edition>.md`) -> `EditionEssay` records.

A file holds front matter (`title`, `authors`, `key_findings`, all optional) and the essay in
Markdown, whose notes work as in a report section. Every problem names its file and line, all
of them in one run, as for reports.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable

from . import urls
from .definitions import Definitions
from .errors import Problem
from .frontmatter import FileProblems, did_you_mean
from .load import _decode_text, split_front_matter  # content files are read as reports are
from .markdown import render_inline_markdown, render_section
from .model import EditionEssay, RawSection, Section
from .yamlsafe import YamlError, load_yaml

ESSAY_FIELDS = ("title", "authors", "key_findings")
ESSAY_SECTION_ID = "essay"  # the essay's element ids: "essay-fn1", "essay-notes" ...
HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])>")


def load_edition_essays(files: Iterable[tuple[str, bytes]], definitions: Definitions
                        ) -> tuple[tuple[EditionEssay, ...], list[Problem]]:
    """The essays of these files, as (shown path, bytes), by series and edition, and every
    problem."""
    essays, problems = [], []
    for shown, data in files:
        essay, file_problems = load_edition_essay(shown, data, definitions)
        problems += file_problems
        if essay is not None:
            essays.append(essay)
    return tuple(sorted(essays, key=lambda e: (e.scope, e.edition))), problems


def load_edition_essay(shown: str, data: bytes, definitions: Definitions
                       ) -> tuple[EditionEssay | None, list[Problem]]:
    """One file's essay (None when it has an error) and its problems."""
    issues = FileProblems(shown)
    segments = shown.replace("\\", "/").split("/")
    stem = segments[-1].removesuffix(".md")
    if not (stem.isdigit() and len(stem) == 4):
        issues.error(1, f"an edition's essay is named after the edition's year, e.g. "
                        f"{_example(definitions)}, not '{stem}.md'")
    scope = _scope(segments[-2] if len(segments) > 1 else "", definitions, issues)
    text = _decode_text(data, issues)
    parts = split_front_matter(text, issues) if text is not None else None
    if parts is None:
        return None, issues.items
    front, body, body_line = parts
    fields = _fields(front, issues)
    if fields is None or issues.has_errors:
        return None, issues.items
    title, authors, findings = fields
    essay, body_problems = _essay(body, body_line, title or f"Essay {stem}", shown)
    if essay is None and not findings and not body_problems:
        issues.warning(1, "the file has neither key findings nor an essay: nothing to show")
    problems = body_problems + issues.items
    if any(p.severity == "error" for p in problems):
        return None, problems
    return EditionEssay(int(stem), shown, title, authors,
                        tuple(render_inline_markdown(f) for f in findings), essay, scope), problems


def _example(definitions: Definitions) -> str:
    series = f"{definitions.primary.key}/" if definitions.several else ""
    return f"content/editions/{series}2015.md"


def _scope(folder: str, definitions: Definitions, issues: FileProblems) -> str:
    """The series the essay's folder names ("" on a site of one series, where it names none)."""
    keys = [s.key for s in definitions.series]
    if not definitions.several:
        if folder != "editions":
            issues.error(1, "an edition's essay goes in content/editions/<edition>.md (this site "
                            "has one series, so its folder names none)")
        return ""
    if folder == "editions":
        issues.error(1, f"this site has several series ({', '.join(keys)}), so an edition's "
                        "essay goes in content/editions/<series>/<edition>.md")
        return ""
    if folder not in keys:
        issues.error(1, f"'{folder}' is not a series of this site: expected "
                        f"content/editions/<series>/<edition>.md with one of: {', '.join(keys)}")
        return ""
    return urls.scope(definitions, folder)


def _fields(front: str, issues: FileProblems) -> tuple[str | None, tuple[str, ...],
                                                       tuple[str, ...]] | None:
    """The front matter's title, authors and key findings (None when it cannot be read)."""
    try:
        meta, lines = load_yaml(front, first_line=2)
    except YamlError as error:
        issues.error(error.line, error.message)
        return None
    meta = {} if meta is None else meta  # an empty front matter: no fields
    if not isinstance(meta, dict):
        issues.error(2, "front matter must be a mapping (title, authors, key_findings)")
        return None

    def line(key: Any) -> int:
        return lines.get((key,), 2)

    for key in meta:
        if key not in ESSAY_FIELDS:
            issues.error(line(key), f"unknown field '{key}'" + did_you_mean(str(key), ESSAY_FIELDS))
    title = meta.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        issues.error(line("title"), "'title' must be a line of text")
        title = None
    return (" ".join(title.split()) if title else None, _text_list(meta, "authors", line, issues),
            _text_list(meta, "key_findings", line, issues))


def _text_list(meta: dict, key: str, line, issues: FileProblems) -> tuple[str, ...]:
    value = meta.get(key) or []
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return tuple(" ".join(item.split()) for item in value)
    issues.error(line(key), f"'{key}' must be a list of text lines, e.g. {key}: [First, Second]")
    return ()


def _essay(body: str, body_line: int, title: str, shown: str) -> tuple[Section | None,
                                                                       list[Problem]]:
    """The essay's body rendered as one section, with its notes (None for an empty body)."""
    if not body.strip():
        return None, []
    section, problems = render_section(RawSection(title, body_line - 1, body, None),
                                       ESSAY_SECTION_ID, shown)
    # Under the essay's own h2 its headings start at h3. Rendered Markdown holds no raw HTML,
    # so every "<hN>" in it is a heading the renderer wrote.
    html = HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{max(int(m.group(2)) + 1, 3)}>",
                              section.html)
    return replace(section, html=html), problems


def unshown_essays(essays: Iterable[EditionEssay], reports: Iterable[Any]) -> list[Problem]:
    """A warning for each essay of an edition no report of the site (in its series) belongs to."""
    editions = {(report.scope, report.edition) for report in reports}
    return [Problem(essay.path, 1, f"no report of edition {essay.edition} is on the site, so "
                                   "this essay is not shown", "warning")
            for essay in essays if (essay.scope, essay.edition) not in editions]