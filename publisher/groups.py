"""Stages 1 and 2 for one country folder, cached: its reports loaded, rendered and assembled.

A country is the unit of every cross-report fact (last year's figures, previous and next
editions), so it is built as a whole. Each file's parsed record and rendered sections are
stored under a hash of its bytes, its path, the shared definitions and the build's code
(`.build-cache/reports/`); the assembled, light records of the whole country under a hash of
all of those (`.build-cache/groups/`). A light `Report` keeps its sections in the store
(`cache.StoredSections`), which keeps memory flat at thousands of reports.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .assemble import assemble, render_sections
from .cache import (
    Store,
    StoredSections,
    find_entry,
    fingerprint,
    remember_entry,
    section_overrides,
    summary_fingerprint,
)
from .definitions import Definitions
from .errors import Problem
from .load import load_report_file
from .model import Report


@dataclass
class CountryGroup:
    """The reports of one country folder, as cached."""

    key: str
    reports: tuple[Report, ...]
    fingerprints: tuple[str, ...]  # of each light report, stored sections included
    summaries: tuple[str, ...]  # of each light report without its sections
    load_problems: list[Problem]
    assemble_problems: list[Problem]


def build_group(context: tuple[str, Definitions, str], key: str,
                items: list[tuple[str, str, str]]) -> CountryGroup:
    """Load, render and assemble the reports of one country folder; store the result."""
    content_dir, definitions, store_root = context
    store = Store(Path(store_root))
    sources = []
    load_problems: list[Problem] = []
    rendered: dict[int, tuple[Any, list[Problem], str, Any]] = {}
    seen: dict[tuple[str, int], str] = {}
    for path, _shown, file_key in items:
        entry_path = str(store.path("reports", file_key))
        entry = find_entry(entry_path)
        if not (isinstance(entry, tuple) and len(entry) == 4):
            source, problems = load_report_file(Path(path), Path(content_dir), definitions)
            sections, section_problems = render_sections(source) if source is not None else (None, [])
            entry = (source, problems, sections, section_problems)
            store.write("reports", file_key, entry)
        remember_entry(entry_path, entry)
        source, problems, sections, section_problems = entry
        load_problems.extend(problems)
        if source is None:
            continue
        report_key = (source.slug, source.edition)
        if report_key in seen:
            load_problems.append(Problem(source.path, 1, f"duplicate report: {source.country} "
                                         f"{source.edition} is also defined in {seen[report_key]}"))
            continue
        seen[report_key] = source.path
        sources.append(source)
        rendered[id(source)] = (sections, section_problems, entry_path, entry)
    reports, assemble_problems = assemble(
        sources, render=lambda s: (rendered[id(s)][0], rendered[id(s)][1]))
    light = []
    for report in reports:
        sections, _, entry_path, entry = rendered[id(report.source)]
        overrides = section_overrides(report.sections, sections)
        if overrides is None:
            stored = StoredSections(str(store.write("sections", fingerprint(report.sections),
                                                    report.sections)), "all")
        else:
            stored = StoredSections(entry_path, "sections",
                                    overrides if any(overrides) else None)
        source = report.source
        if source.sections is entry[0].sections:
            raw = StoredSections(entry_path, "raw")
        else:
            raw = StoredSections(str(store.write("sections", fingerprint(source.sections),
                                                 source.sections)), "all")
        light.append(replace(report, sections=stored, source=replace(source, sections=raw)))
    group = CountryGroup(key, tuple(light), tuple(fingerprint(r) for r in light),
                         tuple(summary_fingerprint(r) for r in light), load_problems,
                         assemble_problems)
    store.write("groups", key, group)
    return group


def entries_exist(group: CountryGroup) -> bool:
    return all(os.path.exists(stored.path) for report in group.reports
               for stored in (report.sections, report.source.sections)
               if isinstance(stored, StoredSections))
