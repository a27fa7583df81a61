"""Stages 1-3 for one country folder, cached: its reports loaded, their Markdown rendered, and
the country's reports assembled.

A country is the unit of every cross-report fact (last year's figures, previous and next
editions), so it is built as a whole. Each file's parsed record and rendered sections are
stored under a hash of its bytes, its path, the shared definitions and the build's code
(`.build-cache/reports/`); the assembled, light records of the whole country under a hash of
all of those (`.build-cache/groups/`). A light `Report` keeps its sections in the store
(`store.StoredSections`), which keeps memory flat at thousands of reports.

Each report file is read here, once: the hash its cache entry is filed under is the hash of
the bytes that were parsed (see `inputs.py`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .assemble import assemble, render_sections
from .definitions import Definitions
from .errors import Problem
from .fingerprints import digest_parts, fingerprint, summary_fingerprint
from .inputs import FileState, read_file
from .load import load_report_data
from .model import Report
from .store import Store, StoredSections, current_reader, section_overrides


@dataclass
class CountryGroup:
    """The reports of one country folder, as cached."""

    key: str
    reports: tuple[Report, ...]
    fingerprints: tuple[str, ...]  # of each light report, stored sections included
    summaries: tuple[str, ...]  # of each light report without its sections
    load_problems: list[Problem]
    assemble_problems: list[Problem]
    file_keys: tuple[str, ...] = ()  # the cache keys of its files' entries
    drafts_left_out: int = 0  # reports marked as drafts, not in `reports`


@dataclass(frozen=True)
class GroupContext:
    """What every country builder of one build shares."""

    content_dir: str
    definitions: Definitions
    definitions_key: str  # hash of data/
    code: str  # the build's code fingerprint
    store_root: str
    drafts: bool = False  # include reports marked `draft: true` (else they are left out)


@dataclass(frozen=True)
class GroupFile:
    """A report file to build: its path, as shown in messages, and its hash if known unchanged."""

    path: str
    shown: str
    digest: str | None


class UnreadableFile(Exception):
    """A report file could not be read (its reason is the message)."""


def file_key(context: GroupContext, shown: str, content: str) -> str:
    """The cache key of one report file's entry."""
    return digest_parts(context.code, context.definitions_key, shown, content)


def group_key(context: GroupContext, file_keys: list[str] | tuple[str, ...]) -> str:
    return digest_parts(context.code, context.definitions_key, context.drafts, *file_keys)


def build_group(context: GroupContext, files: list[GroupFile]
                ) -> tuple[CountryGroup, list[tuple[str, FileState]]]:
    """Load, render and assemble the reports of one country folder; store the result.

    Returns the group and the files read to build it, with the state they were read in."""
    store = Store(Path(context.store_root))
    reader = current_reader()
    sources, keys, observed = [], [], []
    load_problems: list[Problem] = []
    rendered: dict[int, tuple] = {}
    seen: dict[tuple[str, int], str] = {}
    drafts = 0
    for item in files:
        try:
            entry, entry_path, key, state = _file_entry(context, store, reader, item)
        except UnreadableFile as error:  # permissions, vanished: never cached
            load_problems.append(Problem(item.shown, 1, f"cannot read file: {error}"))
            continue
        if state is not None:
            observed.append((item.path, state))
        keys.append(key)
        source, problems, sections, section_problems = entry
        load_problems.extend(problems)
        if source is None:
            continue
        if source.draft and not context.drafts:  # not published yet: no page, no cross-links
            drafts += 1
            continue
        report_key = (source.series, source.slug, source.edition)
        if report_key in seen:
            load_problems.append(Problem(source.path, 1, f"duplicate report: {source.country} "
                                         f"{source.edition} is also defined in {seen[report_key]}"))
            continue
        seen[report_key] = source.path
        sources.append(source)
        rendered[id(source)] = (sections, section_problems, entry_path, entry)
    reports, assemble_problems = assemble(
        sources, context.definitions, render=lambda s: (rendered[id(s)][0], rendered[id(s)][1]))
    light = [_light(store, report, *rendered[id(report.source)][2:]) for report in reports]
    group = CountryGroup(group_key(context, keys), tuple(light),
                         tuple(fingerprint(r) for r in light),
                         tuple(summary_fingerprint(r) for r in light), load_problems,
                         assemble_problems, tuple(keys), drafts)
    if len(keys) == len(files):  # a group with an unreadable file is never cached
        store.write("groups", group.key, group)
    return group, observed


def _file_entry(context: GroupContext, store: Store, reader, item: GroupFile):
    """(entry, its path, its key, the file's state if it was read) for one report file.

    A file known unchanged is looked up by its known hash; otherwise (or when that entry is
    missing) it is read, and its entry is looked up, or made, under the hash of those bytes."""
    if item.digest is not None:
        key = file_key(context, item.shown, item.digest)
        entry_path = str(store.path("reports", key))
        entry = reader.find(entry_path)
        if _is_entry(entry):
            return entry, entry_path, key, None
    try:
        data, state = read_file(item.path)
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    key = file_key(context, item.shown, state.digest)
    entry_path = str(store.path("reports", key))
    entry = reader.find(entry_path)
    if not _is_entry(entry):
        source, problems = load_report_data(data, Path(item.path), Path(context.content_dir),
                                            context.definitions)
        sections, section_problems = render_sections(source) if source is not None else (None, [])
        entry = (source, problems, sections, section_problems)
        store.write("reports", key, entry)
        reader.remember(entry_path, entry)
    return entry, entry_path, key, state


def _is_entry(entry) -> bool:
    return isinstance(entry, tuple) and len(entry) == 4


def _light(store: Store, report: Report, entry_path: str, entry: tuple) -> Report:
    """The report with its sections left in the store (memory stays flat)."""
    sections = entry[2]
    overrides = section_overrides(report.sections, sections)
    if overrides is None:
        stored = StoredSections(str(store.write("sections", fingerprint(report.sections),
                                                report.sections)), "all")
    else:
        stored = StoredSections(entry_path, "sections", overrides if any(overrides) else None)
    source = report.source
    if source.sections is entry[0].sections:
        raw = StoredSections(entry_path, "raw")
    else:
        raw = StoredSections(str(store.write("sections", fingerprint(source.sections),
                                             source.sections)), "all")
    return replace(report, sections=stored, source=replace(source, sections=raw))


def entries_readable(group: CountryGroup) -> bool:
    """Can every entry the group's records point to still be read back?"""
    reader = current_reader()
    for report in group.reports:
        for stored in (report.sections, report.source.sections):
            if isinstance(stored, StoredSections) and not os.path.exists(stored.path):
                return False
            if isinstance(stored, StoredSections) and reader.find(stored.path) is None:
                return False
    return True
