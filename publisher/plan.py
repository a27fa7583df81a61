"""What a build must do: which pages to render, which files to keep, copy, write or remove.

A page's fingerprint joins the fingerprints of the records it depends on (`Page.deps`), its
template (with everything the template extends, includes or imports), the site settings and
definitions, and the code. A page that read no report's sections when it was last rendered
(noted while it rendered) is compared by the reports' summary fingerprints instead, so prose
edits leave listings alone. Only pages whose fingerprint changed are rendered; every other
file of the current output is kept as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .fingerprints import code_fingerprint, digest, digest_parts
from .outputs import OutputFile, OutputManifest, has_strays

if TYPE_CHECKING:
    from .render import Page


@dataclass(frozen=True)
class DepFingerprints:
    """Fingerprints of the records pages depend on, in the two kinds a page is compared by."""

    full: dict[str, str]  # dependency -> fingerprint of the whole record
    summary: dict[str, str]  # dependency -> fingerprint without the report's sections
    all_full: str = ""  # of everything: what a dependency on all reports stands for
    all_summary: str = ""

    @classmethod
    def of(cls, full: dict[str, str], summary: dict[str, str]) -> "DepFingerprints":
        return cls(full, summary, digest_parts(*full.values()), digest_parts(*summary.values()))

    def page(self, head: str, deps: tuple[str, ...], summary: bool) -> str:
        """A page's fingerprint: `head` (site, path, template) and its dependencies'."""
        return head + self.joined(deps, summary)

    def joined(self, deps: tuple[str, ...], summary: bool) -> str:
        """The part of a page's fingerprint its dependencies make."""
        fps, everything = (self.summary, self.all_summary) if summary else (self.full, self.all_full)
        return "|".join([_dep(d, fps, everything) for d in deps])


def _dep(dep: str, fingerprints: dict[str, str], everything: str) -> str:
    """The fingerprint a page dependency stands for (unknown kinds: all reports)."""
    found = fingerprints.get(dep)
    if found is not None:
        return found
    if dep.startswith("value:"):  # a fact spelled out in the dependency itself
        return dep
    if dep.startswith("report:"):
        return digest_parts("missing", dep)
    return everything


@dataclass(frozen=True)
class PlannedPage:
    index: int  # position in the page list
    full_fp: str  # the page's fingerprint if it reads report sections
    summary_fp: str  # ... and if it does not


@dataclass(frozen=True)
class Source:
    """A file copied into the site as it is (a static asset): its bytes and their hash."""

    path: str  # output path
    data: bytes
    digest: str


@dataclass
class Plan:
    """Everything one build does to the output folder."""

    pages: list[Page]
    render: list[PlannedPage] = field(default_factory=list)
    kept: dict[str, OutputFile] = field(default_factory=dict)  # carried over unchanged
    copies: list[Source] = field(default_factory=list)  # static files, new or changed
    writes: list[tuple[str, bytes]] = field(default_factory=list)  # small extra files
    removed: list[str] = field(default_factory=list)  # paths the new output no longer has

    @property
    def rendered_paths(self) -> tuple[str, ...]:
        return tuple(self.pages[p.index].path for p in self.render)

    def changes_nothing(self) -> bool:
        return not (self.render or self.copies or self.writes or self.removed)


def plan_build(out: Path, pages: list[Page], site_key: str, template_fps: dict[str, str],
               deps: DepFingerprints, static: list[tuple[str, str, str]],
               extras: dict[str, bytes], manifest: OutputManifest, read) -> Plan:
    """Compare what the site consists of now with what the output holds.

    `site_key`: a hash of what every page depends on (code, settings, definitions);
    `static`: (output path, source path, hash of its bytes) per static file; `read(source)`
    gives a static file's bytes (read only for the files that must be copied)."""
    old = manifest.files
    plan = Plan(pages)
    kept = plan.kept
    root = str(out) + "/"
    # Pages given the same inputs share their dependencies (a report's data and citation
    # files): their part of the fingerprint is joined once (this loop runs for every file).
    joined: dict[tuple[tuple[str, ...], bool], str] = {}
    for index, page in enumerate(pages):
        path = page.path
        head = f"{site_key}|{path}|{template_fps.get(page.template, '-')}|"
        previous = old.get(path)
        if previous is not None and previous.kind == "page":
            key = (page.deps, not previous.reads)
            tail = joined.get(key)
            if tail is None:
                tail = joined[key] = deps.joined(*key)
            if previous.fp == head + tail and previous.intact_at(root + path):
                kept[path] = previous
                continue
        plan.render.append(PlannedPage(index, deps.page(head, page.deps, summary=False),
                                       deps.page(head, page.deps, summary=True)))
    for path, source, content in static:
        previous = old.get(path)
        if previous and previous.kind == "static" and previous.digest == content \
                and previous.intact(out, path):
            plan.kept[path] = previous
        else:
            data = read(source)
            plan.copies.append(Source(path, data, digest(data)))
    for path, data in extras.items():
        previous = old.get(path)
        if previous and previous.kind == "extra" and previous.digest == digest(data) \
                and previous.intact(out, path):
            plan.kept[path] = previous
        else:
            plan.writes.append((path, data))
    produced = set(plan.kept) | {pages[p.index].path for p in plan.render} \
        | {s.path for s in plan.copies} | {path for path, _ in plan.writes}
    plan.removed = [p for p, f in old.items() if p not in produced and f.kind != "derived"]
    return plan


def derived_key(files: dict[str, OutputFile], search_on: bool, search_version: object) -> str | None:
    """What the search index is made from: the HTML pages (Pagefind reads those only)."""
    if not search_on:
        return None
    return digest_parts(code_fingerprint(), search_version,
                        *[(p, f.digest) for p, f in sorted(files.items())
                          if f.kind != "derived" and p.endswith(".html")])


def nothing_to_do(out: Path, plan: Plan, manifest: OutputManifest, search_key: str | None) -> bool:
    """Is the current output already exactly what this plan would make (search index too)?"""
    derived = {p: f for p, f in manifest.files.items() if f.kind == "derived"}
    return (plan.changes_nothing() and search_key == manifest.derived_key
            and all(f.intact(out, p) for p, f in derived.items())
            and out.is_dir() and not has_strays(out, manifest.files))
