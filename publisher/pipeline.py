"""The build, stage by stage:

1. load      content files -> validated `ReportSource` records (`load.py`)     \\  per country,
2. markdown  section Markdown -> HTML, notes resolved per section              |  cached
             (`markdown.py`)                                                   |  (`groups.py`)
3. assemble  cross-report facts: last year, changes, editions (`assemble.py`)  /
4. pages     records -> every output file as a `Page` (`render.py`, views in `browse.py`)
5. write     into a fresh folder next to the output, swapped in whole (`write.py`)

One engine does every build (the command line, `check`, and `serve` on each change), cold or
incremental, and its output is byte-identical to a clean build. Around the stages:
`inputs.py` (what a build reads, each file once), `store.py` (the cache), `plan.py` (what must
be rendered, kept, copied or removed), `produce.py` (making the planned files, in worker
processes when many), `search.py` (the index of the finished pages), `outputs.py` (the
output's manifest and the mirror the next build starts from).

`Builder.build` reads top to bottom: lock the output, list the inputs, stop early if nothing
changed, stages 1-3 per country (from the cache where nothing changed), stage 4 and the
plan, make the planned files in a staging folder, index it, swap it in, save the manifest.
"""
from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .errors import ContentError, Problem, disk_problem, display_path
from .fingerprints import code_fingerprint, digest_parts, fingerprint
from .inputs import FileDigests, InputScan, Project
from .memo import Memory, RecordMemo, remembering
from .outputs import OutputFile, OutputFolder, OutputManifest, output_intact
from .plan import DepFingerprints, Plan, derived_key, nothing_to_do, plan_build
from .produce import copy_files, render_pages
from .search import SEARCH_FOLDER, build_search_index, search_available
from .store import SectionReader, StaleCache, Store, StoredSections, reading
from .templating import ScanLoader, TemplateFingerprints
from .workers import context as worker_context, in_workers
from .write import MARKER_TEXT, SITE_MARKER, Staging, check_output_folder, output_lock, \
    walk_output

# The stages' own modules (settings and definitions, reading and rendering reports, the views)
# are imported where a build first needs them: a build that finds nothing changed, which is
# done in a tenth of a second, never loads them (they were half of its time).
if TYPE_CHECKING:
    from .config import SiteConfig
    from .definitions import Definitions
    from .groups import CountryGroup, GroupContext, GroupFile
    from .mapdata import World
    from .render import SiteData

PARALLEL_GROUPS_MIN = 4  # countries to (re)build before worker processes pay off

Paths = Project  # the name the command line and older callers know


@dataclass(frozen=True)
class BuildResult:
    reports: int
    files: int
    warnings: list[Problem]
    seconds: float
    written: tuple[str, ...] = ()  # output paths created or changed by this build
    removed: tuple[str, ...] = ()  # output paths this build deleted
    rendered: tuple[str, ...] = ()  # pages rendered (the others were unchanged: not rendered at all)
    retried: bool = False  # the cache lost entries under the build, which then started over
    drafts: int = 0  # reports left out because they are marked as drafts

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def load_site(project: Project, base_url: str | None = None,
              cache_dir: Path | None = None) -> tuple[SiteData, list[Problem]]:
    """Read and validate everything; raise ContentError when any error was found."""
    return Builder(project, cache_dir=cache_dir).load(base_url)


def build(project: Project, out_dir: Path, base_url: str | None = None, search: bool = True,
          cache_dir: Path | None = None, jobs: int | None = None) -> BuildResult:
    """Validate everything, then bring `out_dir` up to date (atomically; only what changed).

    With `search`, the complete new site is indexed for full-text search before the swap.
    """
    builder = Builder(project, cache_dir=cache_dir, jobs=jobs)
    result = builder.build(out_dir, base_url, search)
    builder.tidy(out_dir)  # the swapped-out folder becomes the next build's mirror
    builder.prune_cache()
    return result


class Builder:
    """The build engine. Keep one alive (as `serve` does) to reuse its memory between builds."""

    def __init__(self, project: Project, cache_dir: Path | None = None, jobs: int | None = None,
                 keep_spare: bool = True, progress: Callable[[str, int, int], None] | None = None,
                 drafts: bool = False):
        """`keep_spare`: keep the swapped-out folder, as `.<out>.spare`, as a hard-link mirror
        of the output for the next build (see `outputs.py`), so that an edit costs work in
        proportion to what changed instead of re-linking every file. False: delete it.
        `progress(step, done, total)`: told as reports are built and pages rendered.
        `drafts`: include reports marked `draft: true` (a preview does; a published build not)."""
        self.project = project
        self.progress = progress
        self.drafts = drafts
        self.keep_spare = keep_spare
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.store = Store(cache_dir or project.root / ".build-cache")
        self.digests = FileDigests()
        self.reader = SectionReader()
        self.memory = Memory()
        self.groups: dict[str, CountryGroup] = {}  # by country folder, as last built
        self.site: SiteData | None = None  # the last good site's records
        self.timings: dict[str, float] = {}  # seconds per step of the last build (benchmarks)
        self._scan: InputScan | None = None  # the inputs of the build under way (or the last)
        self._outputs: dict[Path, OutputFolder] = {}
        self._config: tuple[Any, SiteConfig] | None = None
        self._definitions: tuple[str, Definitions] | None = None
        self._world: tuple[str, World] | None = None  # the map shapes, by their file's hash
        self._env: tuple[str, Any] | None = None
        self._template_fps = TemplateFingerprints()
        # Per country, its reports' page dependencies -> full and summary fingerprints.
        self._dep_fingerprints = RecordMemo(_dep_fingerprints)
        self._deps = DepFingerprints.of({}, {})
        self._file_keys: dict[tuple[str, str, str], str] = {}  # (definitions, shown, hash) -> key
        self._shown: dict[str, str] = {}  # path -> as shown in messages, from `_shown_from`
        self._shown_from = ""  # the working folder paths are shown relative to
        self._verify_store = False  # after a stale entry: check every stored group's entries
        self._clock = 0.0

    # --- public API ------------------------------------------------------------------------

    def config(self, base_url: str | None = None) -> SiteConfig:
        """The site settings, with `base_url` (the command line's) winning over site.yaml's."""
        return self._site_config(self._scan or InputScan(self.project, self.digests), base_url)

    def load(self, base_url: str | None = None) -> tuple[SiteData, list[Problem]]:
        """Stages 1-3: validate and assemble every report (`check`); raise ContentError."""
        with self._building():
            site, problems = self._load(self._new_scan(), base_url)
        return site, problems

    def build(self, out_dir: Path, base_url: str | None = None,
              search_on: bool = True) -> BuildResult:
        """Bring `out_dir` up to date with the inputs; see the module docstring."""
        with self._building():
            try:
                try:
                    return self._build(out_dir, base_url, search_on)
                except StaleCache:
                    # Cache entries vanished or went bad under us (`.build-cache` deleted while
                    # serving, pruned by another build): forget what memory knew and build once
                    # more, checking every stored entry this time.
                    self._forget()
                    self._verify_store = True
                    try:
                        return replace(self._build(out_dir, base_url, search_on), retried=True)
                    finally:
                        self._verify_store = False
            except OSError as error:  # no space left, a read-only folder ...: nothing swapped in
                raise ContentError([disk_problem(error)]) from None

    def inputs_changed(self) -> bool:
        """Has any input file changed (or come or gone) since the last build looked at the
        inputs? Costs a listing and a stat per file; builds nothing."""
        if self._scan is None:
            return True
        scan = InputScan(self.project, self.digests)
        return (scan.listing != self._scan.listing
                or not all(self.digests.stat_unchanged(path) for path in scan.every_path()))

    @property
    def drafts_left_out(self) -> int:
        """Reports the last build or check left out as drafts."""
        return sum(g.drafts_left_out for g in self.groups.values())

    def report_files(self) -> int:
        """How many report files the last build or check found."""
        return len(self._report_files(self._scan)) if self._scan is not None else 0

    def footprint(self) -> dict[str, int]:
        """How much this engine keeps between builds, per kind (every kind is bounded by the
        size of the project, never by the number of builds)."""
        return {"file states": len(self.digests.known), "shown paths": len(self._shown),
                "groups": len(self.groups), "outputs": len(self._outputs),
                **self.reader.footprint(), **self.memory.footprint(),
                **self._template_fps.footprint()}

    def tidy(self, out_dir: Path) -> None:
        """Make the folder the last swap left behind the next build's mirror (or delete it).
        `serve` calls this after the reload, off the critical path."""
        output = self._output(out_dir)
        with output_lock(output.out):
            output.tidy()

    def prepare_spare(self, out_dir: Path) -> None:
        """Make a mirror for the next build if the last one left none (see OutputFolder)."""
        self._output(out_dir).prepare_spare()

    def prune_cache(self, grace_seconds: float = 86400, slack: int = 1000) -> int:
        """Delete cache entries the last build did not use, once they outnumber the used ones
        by `slack`, and only those untouched for `grace_seconds` (a day: another build sharing
        the cache, with other content, keeps what it uses). Returns the number of files deleted.
        The cache stays correct either way; this only bounds its size."""
        if not self.groups:
            return 0
        live: dict[str, set[str]] = {
            "groups": {g.key for g in self.groups.values()},
            "reports": {k for g in self.groups.values() for k in g.file_keys}, "sections": set()}
        for group in self.groups.values():
            for report in group.reports:
                for stored in (report.sections, report.source.sections):
                    if isinstance(stored, StoredSections):
                        kind, name = Path(stored.path).parent.name, Path(stored.path).name
                        live.setdefault(kind, set()).add(name.rsplit(".", 1)[0])
        try:
            count = sum(1 for _ in os.scandir(self.store.root / "reports"))
        except OSError:
            return 0
        if count <= 2 * len(live["reports"]) + slack:
            return 0
        deleted, cutoff = 0, time.time() - grace_seconds
        for kind, keep in live.items():
            folder = self.store.root / kind
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                try:
                    if entry.name.rsplit(".", 1)[0] not in keep and entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                        deleted += 1
                except OSError:
                    continue
        return deleted

    # --- the build, top to bottom ----------------------------------------------------------

    def _build(self, out_dir: Path, base_url: str | None, search_on: bool) -> BuildResult:
        started = self._clock = time.perf_counter()
        self.timings = {}
        check_output_folder(out_dir, (self.project.content, self.project.data,
                                      self.project.templates, self.project.static,
                                      self.project.root))
        output = self._output(out_dir)
        with output_lock(output.out):
            output.tidy()
            manifest = self._manifest(output)
            scan = self._new_scan()
            if self._unchanged(scan, manifest, output.out, base_url, search_on):
                return BuildResult(manifest.reports, manifest.file_count, list(manifest.warnings),
                                   time.perf_counter() - started, drafts=manifest.drafts)
            self._mark("inputs")
            site, problems = self._load(scan, base_url)
            self._mark("reports")
            plan = self._plan(site, scan, output.out, manifest)
            self._mark("plan")
            search_key = derived_key(plan.kept, search_on, search_available())
            warnings = [p for p in problems if p.severity == "warning"]
            inputs = self._inputs_fingerprint(scan, base_url, search_on)
            if nothing_to_do(output.out, plan, manifest, search_key):
                kept = OutputManifest(inputs, dict(manifest.files), manifest.derived_key,
                                      list(manifest.derived_notes), len(site.reports),
                                      warnings + list(manifest.derived_notes), manifest.file_count,
                                      self.drafts_left_out)
                output.save_manifest(kept, self.digests.known)
                return BuildResult(len(site.reports), kept.file_count, list(kept.warnings),
                                   time.perf_counter() - started, drafts=kept.drafts)
            staging = Staging(output.out, output.take_mirror(manifest.files))
            try:
                files, written = self._produce(plan, staging, manifest)
                self._mark("render")
                derived, notes, indexed = self._index(site, staging, files, manifest, search_on)
                written += indexed
                self._mark("search")
                old_folder = staging.commit()
                self._mark("swap")
            except BaseException:
                staging.discard()
                raise
            new = OutputManifest(inputs, {**files, **derived}, derived_key(files, search_on,
                                 search_available()), notes, len(site.reports), warnings + notes,
                                 len(files), self.drafts_left_out)
            try:
                output.save_manifest(new, self.digests.known)
            except OSError as error:  # the site is published and whole: only the cache suffers
                problem = disk_problem(error)
                new.warnings.append(replace(problem, severity="warning", message=(
                    f"{problem.message}; the site was published, but the build manifest was "
                    "not saved: the next build checks every file")))
            self._mark("manifest")
            output.retire(old_folder, new.files)
            if not self.keep_spare:
                output.tidy()
        removed = tuple(p for p in manifest.files if p not in new.files)
        return BuildResult(len(site.reports), new.file_count, list(new.warnings),
                           time.perf_counter() - started, tuple(written), removed,
                           plan.rendered_paths, drafts=new.drafts)

    def _unchanged(self, scan: InputScan, manifest: OutputManifest, out: Path,
                   base_url: str | None, search_on: bool) -> bool:
        """The no-change fast path: every input as it was when the output was made (each
        report file's stat unchanged, so no file needs reading), and the output intact."""
        if not manifest.inputs or scan.problems:
            return False
        if not scan.all_known([path for _, path in self._report_files(scan)]):
            return False
        return (manifest.inputs == self._inputs_fingerprint(scan, base_url, search_on)
                and output_intact(out, manifest))

    def _load(self, scan: InputScan, base_url: str | None) -> tuple[SiteData, list[Problem]]:
        """Stages 1-3, from the cache where nothing changed."""
        from .essays import load_edition_essays, unshown_essays
        from .load import check_collection, load_pages
        from .mapdata import unmapped_countries
        from .render import SiteData

        config = self._site_config(scan, base_url)
        definitions_key, definitions = self._site_definitions(scan)
        world = self._site_world(scan)
        if not self.project.content.is_dir():
            raise ContentError([Problem(display_path(self.project.content), 0,
                                        "content folder not found")])
        groups = self._report_groups(scan, definitions, definitions_key)
        pages, page_problems = load_pages(self.project.content)
        essays, essay_problems = load_edition_essays(
            ((self._display(path), scan.read(path)) for path in self._essay_files(scan)),
            definitions)
        problems = list(scan.problems)
        problems += [p for g in groups for p in g.load_problems]
        problems += check_collection([r.source for g in groups for r in g.reports])
        problems += [p for g in groups for p in g.assemble_problems]
        problems += page_problems
        problems += essay_problems
        if any(p.severity == "error" for p in problems):
            raise ContentError(problems)
        reports = sorted((r for g in groups for r in g.reports), key=lambda r: (r.slug, r.series, r.edition))
        problems += unshown_essays(essays, reports)
        if world is not None:
            problems += unmapped_countries(reports, world, self._display(self._world_file))
        site = SiteData(config, definitions, tuple(reports), tuple(pages), essays, world)
        full: dict[str, str] = {}
        summary: dict[str, str] = {}
        for group_full, group_summary in self._dep_fingerprints.values(groups, None):
            full.update(group_full)
            summary.update(group_summary)
        self._deps = DepFingerprints.of(full, summary)
        self.site = site
        return site, problems

    def _plan(self, site: SiteData, scan: InputScan, out: Path, manifest: OutputManifest) -> Plan:
        """Stage 4 (the page list) and the plan: what to render, keep, copy or remove."""
        from .render import site_pages

        env = self._environment(site.config)
        pages = site_pages(site, env)
        site_key = digest_parts(code_fingerprint(), fingerprint(site.config), self._definitions[0],
                                fingerprint(site.pages), fingerprint(site.definitions))
        templates = self._template_fps.of(env, {p.template for p in pages if p.template},
                                          self.project.templates)
        static = [("static/" + relative, path, scan.digest(path))
                  for relative, path in scan.listing["static"]
                  if not relative.rsplit("/", 1)[-1].startswith(".")]
        extras = {SITE_MARKER: MARKER_TEXT, ".nojekyll": b""}
        if site.config.cname:
            extras["CNAME"] = (site.config.cname + "\n").encode()
        return plan_build(out, pages, site_key, templates, self._deps, static, extras,
                          manifest, scan.read)

    def _produce(self, plan: Plan, staging: Staging,
                 manifest: OutputManifest) -> tuple[dict[str, OutputFile], list[str]]:
        """Stage 5, into the staging folder: carry unchanged files over, make the rest."""
        if staging.mirror:
            for path in plan.removed:
                staging.remove(path)
        else:
            for path in plan.kept:
                staging.link(path)
        env = self._env[1]
        templates = {p.template for p in plan.pages if p.template}
        made = render_pages(plan, staging, manifest.files, self.project.templates, self.jobs,
                            lambda: [env.get_template(t) for t in templates],
                            self._told("pages"))
        made += copy_files(plan, staging, manifest.files)
        files = dict(plan.kept)
        files.update((m.path, m.entry) for m in made)
        return files, [m.path for m in made if m.written]

    def _index(self, site: SiteData, staging: Staging, files: dict[str, OutputFile],
               manifest: OutputManifest, search_on: bool
               ) -> tuple[dict[str, OutputFile], list[Problem], list[str]]:
        """The search index of the staged site, carried over while no page changed. Returns its
        files' entries, its notes and the paths written."""
        from .render import index_parts

        old = {p: f for p, f in manifest.files.items() if f.kind == "derived"}
        key = derived_key(files, search_on, search_available())
        if search_on and key == manifest.derived_key and all(f.intact(staging.out_dir, p)
                                                             for p, f in old.items()):
            for path in old:
                staging.link(path)
            return old, list(manifest.derived_notes), []
        # The mirror's index files are links to the live site's: never kept, never written
        # through. All of them go, whatever the manifest lists (a build that could not save
        # its manifest leaves files it does not name).
        staging.remove_folder(SEARCH_FOLDER)
        if not search_on:
            return {}, [], []
        note = build_search_index(staging.root, index_parts(site))
        derived = {}
        for path in walk_output(staging.root):
            if path not in files:
                st = os.stat(os.path.join(staging.root, path))
                derived[path] = OutputFile("derived", key or "", "", st.st_size, st.st_mtime_ns,
                                           st.st_ino)
        return derived, ([Problem("search", 0, note, "warning")] if note else []), list(derived)

    # --- inputs ----------------------------------------------------------------------------

    def _new_scan(self) -> InputScan:
        self._scan = InputScan(self.project, self.digests)
        return self._scan

    def _report_files(self, scan: InputScan) -> list[tuple[str, str]]:
        """(folder, path) of every report file (the same files as `load.find_report_files`):
        one group per folder, a country's reports ("kazakhstan", or "fiw/kazakhstan" on a site
        with several series)."""
        found = []
        for relative, path in scan.listing["content"]:
            parts = relative.split("/")
            if parts[0] == "reports" and len(parts) >= 2 and not parts[-1].startswith("."):
                found.append(("/".join(parts[1:-1]) or parts[1], path))
        return found

    def _essay_files(self, scan: InputScan) -> list[str]:
        """`content/editions/<edition>.md` or `content/editions/<series>/<edition>.md`: the
        editions' essays (the loader says which of the two the site's files must be)."""
        return [path for relative, path in scan.listing["content"]
                if relative.startswith("editions/") and relative.count("/") in (1, 2)
                and relative.endswith(".md")
                and not any(part.startswith(".") for part in relative.split("/"))]

    def _inputs_fingerprint(self, scan: InputScan, base_url: str | None, search_on: bool) -> str:
        return scan.fingerprint(code_fingerprint(), repr(base_url), search_on, self.drafts,
                                os.getcwd(), self.project.content.resolve(),
                                search_available() if search_on else "")

    def _site_config(self, scan: InputScan, base_url: str | None) -> SiteConfig:
        from .config import SiteConfig, load_config

        config_file = self.project.config
        key = (scan.digest(config_file) if scan.config_present else None, base_url)
        if self._config is not None and self._config[0] == key:
            return self._config[1]
        data = scan.read(config_file) if scan.config_present else None
        try:
            config = (load_config(config_file, data) if data is not None
                      else SiteConfig()).with_base_url(base_url)
        except ValueError as error:
            raise ContentError([Problem("--base-url", 0, str(error))]) from None
        self._config = (key, config)
        return config

    def _site_definitions(self, scan: InputScan) -> tuple[str, Definitions]:
        key = digest_parts(*[(relative, scan.digest(path))
                             for relative, path in scan.listing["data"]])
        if self._definitions is None or self._definitions[0] != key:
            from .definitions import load_definitions

            self._definitions = (key, load_definitions(self.project.data, scan.read))
        return self._definitions

    @property
    def _world_file(self) -> str:
        return str(self.project.data / "map" / "world.json")

    def _site_world(self, scan: InputScan) -> World | None:
        """The edition maps' country shapes, from the project's data/map/world.json (None when
        the project has none: the edition pages then have no map)."""
        path = self._world_file
        if not any(p == path for _, p in scan.listing["data"]):
            return None
        key = scan.digest(path)
        if self._world is None or self._world[0] != key:
            from .mapdata import MapError, read_world

            try:
                world = read_world(scan.read(path).decode("utf-8"), "the map data")
            except (MapError, UnicodeDecodeError) as error:
                raise ContentError([Problem(self._display(path), 1, str(error))]) from None
            self._world = (key, world)
        return self._world[1]

    def _report_groups(self, scan: InputScan, definitions: Definitions,
                       definitions_key: str) -> list[CountryGroup]:
        """Stages 1-3 per country folder: from memory or the store when its files did not
        change, else built (in worker processes when many)."""
        from .groups import GroupContext, GroupFile, build_group

        context = GroupContext(str(self.project.content), definitions, definitions_key,
                               code_fingerprint(), str(self.store.root), self.drafts)
        by_folder: dict[str, list[GroupFile]] = {}
        for folder, path in self._report_files(scan):
            by_folder.setdefault(folder, []).append(
                GroupFile(path, self._display(path), scan.known_digest(path)))
        result: dict[str, CountryGroup] = {}
        todo = []
        for name, files in by_folder.items():
            found = self._known_group(context, name, files)
            if found is not None:
                result[name] = found
            else:
                todo.append((name, files))
        count = sum(len(files) for _, files in todo)
        if len(todo) >= PARALLEL_GROUPS_MIN and count >= 2 * PARALLEL_GROUPS_MIN and self.jobs > 1:
            built = in_workers(_build_group_task, todo, context, self.jobs)
        else:
            built = ((name, *build_group(context, files)) for name, files in todo)
        told, done = self._told("reports"), 0
        for name, group, observed in built:
            for path, state in observed:
                scan.observed(path, state)
            result[name] = group
            done += len(group.file_keys)
            if told is not None:
                told(done, count)
        self.groups = {name: result[name] for name in by_folder}
        if len(self._file_keys) > 2 * sum(map(len, by_folder.values())) + 64:  # files long gone
            self._file_keys = {}
        return list(self.groups.values())

    def _known_group(self, context: GroupContext, name: str,
                     files: list[GroupFile]) -> CountryGroup | None:
        """The country as built before, if none of its files changed."""
        from .groups import CountryGroup, entries_readable, group_key

        if any(f.digest is None for f in files):
            return None
        key = group_key(context, [self._file_key(context, f) for f in files])
        known = self.groups.get(name)
        if known is not None and known.key == key:
            return known
        stored = self.store.read("groups", key)
        if isinstance(stored, CountryGroup) and stored.key == key \
                and (not self._verify_store or entries_readable(stored)):
            return stored
        return None

    def _file_key(self, context: GroupContext, file: GroupFile) -> str:
        """A report file's cache key; remembered, since most files are the same each build."""
        memo = (context.definitions_key, file.shown, file.digest)
        known = self._file_keys.get(memo)
        if known is None:
            from .groups import file_key

            known = self._file_keys[memo] = file_key(context, file.shown, file.digest)
        return known

    # --- outputs, templates, housekeeping --------------------------------------------------

    def _output(self, out_dir: Path) -> OutputFolder:
        out = out_dir.resolve()
        if out not in self._outputs:
            self._outputs[out] = OutputFolder(out, self.store, self.keep_spare)
        return self._outputs[out]

    def _manifest(self, output: OutputFolder) -> OutputManifest:
        manifest, states = output.manifest()
        for path, state in states.items():  # what a previous process hashed
            self.digests.known.setdefault(path, state)
        return manifest

    def _environment(self, config: SiteConfig):
        key = fingerprint((str(self.project.templates.resolve()), config))
        if self._env is None or self._env[0] != key:
            from .render import make_environment

            env = make_environment(self.project.templates, config)
            env.loader = ScanLoader(lambda: self._scan)
            self._env = (key, env)
            self._template_fps.forget()
        return self._env[1]

    def _display(self, path: str) -> str:
        shown = self._shown.get(path)
        if shown is None:
            shown = self._shown[path] = display_path(path)
        return shown

    @contextmanager
    def _building(self) -> Iterator[None]:
        """What every build runs inside: this engine's memory and section reader active, and
        the cyclic garbage collector paused (it would walk every record in memory several
        times per build, 100+ ms at 1,000 reports; `serve` runs it while idle)."""
        enabled = gc.isenabled()
        gc.disable()
        if self._shown_from != os.getcwd():
            self._shown, self._shown_from = {}, os.getcwd()
        try:
            with remembering(self.memory), reading(self.reader):
                yield
        finally:
            if enabled:
                gc.enable()
            known = self.digests.known
            if self._scan is not None and len(known) > len(self._scan.every_path()) + 64:
                self.digests.forget_except(self._scan.every_path())
            if len(self._shown) > 2 * len(known) + 64:
                self._shown = {}

    def _forget(self) -> None:
        self.groups.clear()
        self.reader.forget()
        for output in self._outputs.values():
            output.forget()

    def _told(self, step: str) -> Callable[[int, int], None] | None:
        """`progress` for one step, if anyone listens."""
        progress = self.progress
        return None if progress is None else lambda done, total: progress(step, done, total)

    def _mark(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - self._clock
        self._clock = now


def _dep_fingerprints(group: CountryGroup, _context: None) -> tuple[dict[str, str], dict[str, str]]:
    from .render import report_dep

    deps = [report_dep(r) for r in group.reports]
    return dict(zip(deps, group.fingerprints)), dict(zip(deps, group.summaries))


# --- a task run in worker processes (see publisher/workers.py) --------------------------------

def _build_group_task(item):
    from .groups import build_group

    name, files = item
    group, observed = build_group(worker_context(), files)
    return name, group, observed
