"""The whole build, stage by stage: load -> markdown/assemble -> render -> write.

One engine does every build (the command line, `check`, and `serve` on each change), cold or
incremental, and its output is byte-identical to a clean build:

1. Reports, one country at a time (`groups.py`: the unit of every cross-report fact). A country
   whose files did not change is taken whole from the cache (memory, else `.build-cache/`);
   the others are built again, spread over all cores on a cold build (`workers.py`).
2. Pages: `render.site_pages()` lists every output file with its template and the records it
   reads (`deps`). A page's fingerprint joins those records' fingerprints, its template (with
   everything the template extends, includes or imports), the site settings and definitions,
   and the code. A page that read no report's sections when it was last rendered (noted while
   rendering) uses the reports' summary fingerprints instead, so prose edits leave listings
   alone. Only pages whose fingerprint changed are rendered (in worker processes when many).
3. Output: the next output is assembled in a folder next to the output, holding hard links to
   every unchanged file and new files for what changed, and swapped in atomically. A file whose
   bytes did not change keeps its inode and mtime. A build that fails or is killed leaves the
   previous site complete. The swapped-out folder is made a mirror of the new output
   (`.<out>.spare`) where the next build starts, so an edit costs what it changes.

The manifest of what each output folder holds is kept in `.build-cache/outputs/`; a build with
nothing changed compares hashes, finds everything in place, and touches nothing.
"""
from __future__ import annotations

import gc
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import meta as jinja_meta

from . import cache, search
from .cache import FileDigests, RecordMemo, StaleCache, Store, StoredSections, code_fingerprint, \
    digest, digest_parts, fingerprint
from .config import SiteConfig, load_config
from .definitions import Definitions, load_definitions
from .errors import ContentError, Problem, display_path
from .groups import CountryGroup, build_group, entries_exist
from .load import load_pages
from .render import Page, SiteData, index_parts, make_environment, report_dep, site_pages
from .workers import context as workers_context, in_workers
from .write import MARKER_TEXT, SITE_MARKER, OutputFile, OutputManifest, Staging, \
    check_output_folder, has_strays, make_mirror, output_intact, output_lock, remove_tree, \
    spare_path, st_tuple, walk_output

PARALLEL_GROUPS_MIN = 4  # countries to (re)build before worker processes pay off
PARALLEL_PAGES_MIN = 150  # pages to render before worker processes pay off
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Paths:
    """Where a project's inputs live."""

    content: Path
    data: Path
    templates: Path
    static: Path
    config: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None) -> "Paths":
        return cls(content or root / "content", root / "data", root / "templates",
                   root / "static", root / "site.yaml")


@dataclass(frozen=True)
class BuildResult:
    reports: int
    files: int
    warnings: list[Problem]
    seconds: float
    written: tuple[str, ...] = ()  # output paths created or changed by this build
    removed: tuple[str, ...] = ()  # output paths this build deleted
    rendered: tuple[str, ...] = ()  # pages rendered (the others were unchanged: not rendered at all)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def load_site(paths: Paths, base_url: str | None = None,
              cache_dir: Path | None = None) -> tuple[SiteData, list[Problem]]:
    """Read and validate everything; raise ContentError when any error was found."""
    return Builder(paths, cache_dir=cache_dir).load(base_url)


def build(paths: Paths, out_dir: Path, base_url: str | None = None, search: bool = True,
          cache_dir: Path | None = None, jobs: int | None = None) -> BuildResult:
    """Validate everything, then bring `out_dir` up to date (atomically; only what changed).

    With `search`, the complete new site is indexed for full-text search before the swap.
    """
    builder = Builder(paths, cache_dir=cache_dir, jobs=jobs)
    result = builder.build(out_dir, base_url, search)
    builder.tidy(out_dir)  # the swapped-out folder becomes the next build's mirror
    builder.prune_cache()
    return result


class Builder:
    """The build engine. Keep one alive (as `serve` does) to reuse its memory between builds."""

    def __init__(self, paths: Paths, cache_dir: Path | None = None, jobs: int | None = None,
                 keep_spare: bool = True):
        """`keep_spare`: keep the swapped-out folder, as `.<out>.spare`, as a hard-link mirror
        of the output for the next build (see `tidy`), so that an edit costs work in proportion
        to what changed instead of re-linking every file. False: delete it after each build."""
        self.paths = paths
        self.keep_spare = keep_spare
        self._spares: dict[Path, Path] = {}
        self._retired: dict[Path, tuple[Path, dict[str, OutputFile]]] = {}
        self._shown: dict[tuple[str, str], str] = {}
        self._file_keys_known: dict[tuple[str, str, str, str], str] = {}
        self._loaded_config: tuple[tuple, SiteConfig] | None = None
        # Per country, its reports' page dependencies -> full and summary fingerprints.
        self._dep_fingerprints = RecordMemo(_dep_fingerprints)
        self._verify_store = False
        self.store = Store(cache_dir or paths.config.parent / ".build-cache")
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.digests = FileDigests()
        self.groups: dict[str, CountryGroup] = {}
        self.manifests: dict[Path, OutputManifest] = {}
        self._definitions: tuple[str, Definitions] | None = None
        self._env: tuple[str, Any] | None = None
        self._template_refs: dict[str, tuple[str, ...] | None] = {}
        self.timings: dict[str, float] = {}  # seconds per step of the last build (benchmarks)
        self._clock = 0.0
        self.site: SiteData | None = None  # the last good site's records

    # --- inputs ---------------------------------------------------------------------------

    def _config(self, base_url: str | None) -> SiteConfig:
        config_file = self.paths.config
        key = (self.digests.get(config_file) if config_file.exists() else None, base_url)
        if self._loaded_config is not None and self._loaded_config[0] == key:
            return self._loaded_config[1]
        try:
            config = load_config(config_file).with_base_url(base_url)
        except ValueError as error:
            raise ContentError([Problem("--base-url", 0, str(error))]) from None
        self._loaded_config = (key, config)
        return config

    def _scan_inputs(self) -> None:
        """List every input file once per build (sorted as `sorted(Path.rglob())` would)."""
        self.digests.new_scan()
        self._listing = {name: _scan(folder) for name, folder in (
            ("content", self.paths.content), ("data", self.paths.data),
            ("templates", self.paths.templates), ("static", self.paths.static))}

    def _definitions_fp(self) -> tuple[str, Definitions]:
        key = digest_parts(*[(relative, self.digests.get(path))
                             for relative, path in self._listing["data"]])
        if self._definitions is None or self._definitions[0] != key:
            self._definitions = (key, load_definitions(self.paths.data))
        return self._definitions

    def _inputs_fp(self, base_url: str | None, search_on: bool) -> str:
        """One hash of everything a build reads: no change here means no change in the output."""
        parts: list[Any] = [code_fingerprint(), repr(base_url), search_on, os.getcwd(),
                            self.paths.content.resolve()]
        if search_on:
            parts.append(search.search_available())
        for name, folder in (("content", self.paths.content), ("data", self.paths.data),
                             ("templates", self.paths.templates), ("static", self.paths.static)):
            parts.append(f"[{folder.resolve()}]")
            for relative, path in self._listing[name]:
                parts += [relative, self.digests.get(path)]
        if self.paths.config.exists():
            parts += ["site.yaml", self.digests.get(self.paths.config)]
        return digest_parts(*parts)

    # --- stage 1: reports, one country at a time -----------------------------------------

    def load(self, base_url: str | None = None,
             rescan: bool = True) -> tuple[SiteData, list[Problem]]:
        """Validate and assemble every report (from the cache where nothing changed)."""
        if rescan:
            self._scan_inputs()
        config = self._config(base_url)
        defs_fp, definitions = self._definitions_fp()
        if not self.paths.content.is_dir():
            raise ContentError([Problem(display_path(self.paths.content), 0,
                                        "content folder not found")])
        groups = self._report_groups(definitions, defs_fp)
        pages, page_problems = load_pages(self.paths.content)
        problems = [p for g in groups for p in g.load_problems]
        problems += [p for g in groups for p in g.assemble_problems]
        problems += page_problems
        if any(p.severity == "error" for p in problems):
            raise ContentError(problems)
        reports = sorted((r for g in groups for r in g.reports), key=lambda r: (r.slug, r.edition))
        data = SiteData(config, definitions, tuple(reports), tuple(pages))
        self._fingerprints, self._summaries = {}, {}
        for full, summary in self._dep_fingerprints.values(groups, None):
            self._fingerprints.update(full)
            self._summaries.update(summary)
        self.site = data
        return data, problems

    def _report_groups(self, definitions: Definitions, defs_fp: str) -> list[CountryGroup]:
        code = code_fingerprint()
        by_group: dict[str, list[tuple[str, str, str]]] = {}
        self._file_keys: list[str] = []
        for relative, path in self._listing["content"]:
            parts = relative.split("/")
            if parts[0] != "reports" or len(parts) < 2 or parts[-1].startswith("."):
                continue  # the same files as load.find_report_files()
            shown = self._display(path)
            file_key = self._file_key(code, defs_fp, shown, self.digests.get(path))
            self._file_keys.append(file_key)
            by_group.setdefault(parts[1], []).append((path, shown, file_key))
        result: dict[str, CountryGroup] = {}
        todo = []
        for name, items in by_group.items():
            key = digest_parts(code, defs_fp, *[k for _, _, k in items])
            known = self.groups.get(name)
            if known is not None and known.key == key:
                result[name] = known
                continue
            stored = self.store.read("groups", key)
            if isinstance(stored, CountryGroup) and (not self._verify_store or entries_exist(stored)):
                result[name] = stored
                continue
            todo.append((name, key, items))
        if todo:
            context = (str(self.paths.content), definitions, str(self.store.root))
            files = sum(len(items) for _, _, items in todo)
            if len(todo) >= PARALLEL_GROUPS_MIN and files >= 2 * PARALLEL_GROUPS_MIN and self.jobs > 1:
                for name, key in in_workers(_build_group_task, todo, context, self.jobs):
                    stored = self.store.read("groups", key)
                    if not isinstance(stored, CountryGroup):
                        raise RuntimeError(f"build cache entry for {name} could not be read back")
                    result[name] = stored
            else:
                for name, key, items in todo:
                    result[name] = build_group(context, key, items)
        self.groups = {name: result[name] for name in by_group}
        return [result[name] for name in by_group]

    # --- stages 2 and 3: pages and output ------------------------------------------------

    def build(self, out_dir: Path, base_url: str | None = None,
              search_on: bool = True) -> BuildResult:
        """Bring `out_dir` up to date with the inputs; see the module docstring."""
        # The cyclic garbage collector would walk every record in memory several times per
        # build (100+ ms at 1,000 reports); the build makes little cyclic garbage, so it runs
        # once afterwards instead (`serve` runs it while idle).
        enabled = gc.isenabled()
        gc.disable()
        try:
            try:
                return self._build(out_dir, base_url, search_on)
            except StaleCache:
                # Cache entries vanished under us (`.build-cache` deleted while serving, or
                # pruned by another build): forget what memory knew and build once more,
                # checking every stored entry this time.
                self.groups.clear()
                self.manifests.clear()
                cache._ENTRIES.clear()
                self._verify_store = True
                try:
                    return self._build(out_dir, base_url, search_on)
                finally:
                    self._verify_store = False
        finally:
            if enabled:
                gc.enable()

    def _build(self, out_dir: Path, base_url: str | None, search_on: bool) -> BuildResult:
        started = self._clock = time.perf_counter()
        self.timings = {}
        check_output_folder(out_dir, (self.paths.content, self.paths.data, self.paths.templates,
                                      self.paths.static, self.paths.config.parent))
        out = out_dir.resolve()
        with output_lock(out):
            self._tidy(out)
            manifest = self._manifest(out)
            self._scan_inputs()
            inputs = self._inputs_fp(base_url, search_on)
            self._mark("inputs")
            if manifest.inputs == inputs and output_intact(out, manifest):
                return BuildResult(manifest.reports, manifest.file_count, list(manifest.warnings),
                                   time.perf_counter() - started)
            data, problems = self.load(base_url, rescan=False)
            self._mark("reports")
            warnings = [p for p in problems if p.severity == "warning"]
            new_manifest, written, removed, rendered, old = self._write(out, data, manifest,
                                                                        search_on)
            new_manifest.inputs = inputs
            new_manifest.reports = len(data.reports)
            new_manifest.warnings = warnings + new_manifest.derived_notes
            new_manifest.file_count = sum(1 for f in new_manifest.files.values()
                                          if f.kind != "derived")
            self._save_manifest(out, new_manifest)
            self._mark("manifest")
            if old is not None:
                self._retired[out] = (old, new_manifest.files)
                if not self.keep_spare:
                    self._tidy(out)
        return BuildResult(len(data.reports), new_manifest.file_count,
                           list(new_manifest.warnings), time.perf_counter() - started,
                           tuple(written), tuple(removed), rendered)

    def tidy(self, out_dir: Path) -> None:
        """Deal with the folder the last swap left behind: delete it, or (`keep_spare`) make it
        a mirror of the new output for the next build. `serve` calls this after the reload."""
        out = out_dir.resolve()
        with output_lock(out):
            self._tidy(out)

    def prepare_spare(self, out_dir: Path) -> None:
        """Make the mirror the next build starts from, if the last build left none (a first
        build into an empty folder): `serve` calls this while idle, so that the first save of
        a session costs what it changes, not a link per file of the site."""
        out = out_dir.resolve()
        if not self.keep_spare or out in self._spares or out in self._retired:
            return
        manifest = self.manifests.get(out)
        if manifest is None or not manifest.files or not out.is_dir():
            return
        with output_lock(out):
            spare = spare_path(out)
            try:
                spare.mkdir(exist_ok=True)
                make_mirror(spare, out, manifest.files)
            except OSError:
                remove_tree(spare)
                return
            self._spares[out] = spare

    def _tidy(self, out: Path) -> None:
        retired = self._retired.pop(out, None)
        if retired is None:
            return
        folder, files = retired
        if self.keep_spare:
            spare = spare_path(out)
            try:
                make_mirror(folder, out, files)
                if folder != spare:
                    if spare.exists():
                        remove_tree(spare)
                    os.rename(folder, spare)
                self._spares[out] = spare
                return
            except OSError:
                pass
        remove_tree(folder)

    def _take_spare(self, out: Path, files: dict[str, OutputFile]) -> Path | None:
        """A folder mirroring the current output, if one can be had cheaply (else None)."""
        spare = spare_path(out)
        if self._spares.pop(out, None) == spare and spare.is_dir():
            return spare  # made by this process right after the last swap
        if not self.keep_spare or not spare.is_dir() or not files or not out.is_dir():
            return None
        try:  # left by an earlier process: check it file by file, fix what differs
            make_mirror(spare, out, files)
            return spare
        except OSError:
            remove_tree(spare)
            return None

    def prune_cache(self, grace_seconds: float = 86400, slack: int = 1000) -> int:
        """Delete cache entries the last build did not use, once they outnumber the used ones
        by `slack`, and only those untouched for `grace_seconds` (a day: another build sharing
        the cache, with other content, keeps what it uses). Returns the number of files deleted.
        The cache stays correct either way; this only bounds its size."""
        if not self.groups:
            return 0
        live = {"groups": {g.key for g in self.groups.values()}, "reports": set(self._file_keys),
                "sections": set()}
        for group in self.groups.values():
            for report in group.reports:
                for stored in (report.sections, report.source.sections):
                    if isinstance(stored, StoredSections):
                        kind = Path(stored.path).parent.name
                        live.setdefault(kind, set()).add(Path(stored.path).stem)
        entries = self.store.root / "reports"
        try:
            count = sum(1 for _ in os.scandir(entries))
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
                name = entry.name
                key = name[:-len(".pickle")] if name.endswith(".pickle") else None
                try:
                    if key not in keep and entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                        deleted += 1
                except OSError:
                    continue
        return deleted

    def _file_key(self, code: str, defs_fp: str, shown: str, content: str) -> str:
        """The cache key of one content file (remembered: most files are the same each build)."""
        parts = (code, defs_fp, shown, content)
        key = self._file_keys_known.get(parts)
        if key is None:
            if len(self._file_keys_known) > 4 * len(self._listing["content"]) + 100:
                self._file_keys_known.clear()  # keys of files long gone
            key = self._file_keys_known[parts] = digest_parts(*parts)
        return key

    def _display(self, path: Path) -> str:
        key = (os.getcwd(), str(path))
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = display_path(path)
        return shown

    def _mark(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - self._clock
        self._clock = now

    def _environment(self, config: SiteConfig):
        key = fingerprint((str(self.paths.templates.resolve()), config))
        if self._env is None or self._env[0] != key:
            self._env = (key, make_environment(self.paths.templates, config))
            self._template_refs.clear()
        return self._env[1]

    def _template_fps(self, env, names: set[str]) -> dict[str, str]:
        """Each template's hash, including every template it extends, includes or imports."""
        own: dict[str, str] = {}
        refs: dict[str, tuple[str, ...]] = {}
        pending = sorted(names)
        while pending:
            name = pending.pop()
            if name in own:
                continue
            source, filename, _ = env.loader.get_source(env, name)
            own[name] = digest_parts(name, source)
            if own[name] not in self._template_refs:
                try:
                    parsed = env.parse(source, name, filename)
                except Exception as error:
                    raise ContentError(error_problems(error, self.paths.templates)) from None
                found = list(jinja_meta.find_referenced_templates(parsed))
                # A computed template name could be any template: depend on all of them.
                self._template_refs[own[name]] = (tuple(env.list_templates())
                                                  if any(r is None for r in found)
                                                  else tuple(sorted(set(found))))
            refs[name] = self._template_refs[own[name]]
            pending += [t for t in refs[name] if t not in own]
        result = {}
        for name in names:
            seen, stack = set(), [name]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack += refs[current]
            result[name] = digest_parts(*[(t, own[t]) for t in sorted(seen)])
        return result

    def _write(self, out: Path, data: SiteData, manifest: OutputManifest, search_on: bool):
        env = self._environment(data.config)
        pages = site_pages(data, env)
        full, summary = self._fingerprints, self._summaries
        all_full, all_summary = digest_parts(*full.values()), digest_parts(*summary.values())
        base = digest_parts(code_fingerprint(), fingerprint(data.config), self._definitions[0],
                            fingerprint(data.pages), fingerprint(data.definitions))
        templates = self._template_fps(env, {p.template for p in pages if p.template})
        old_files = manifest.files
        new_files: dict[str, OutputFile] = {}
        # A page that read no report's sections last time depends on the reports' summaries
        # only (its output could not have changed otherwise): fingerprints come in two kinds.
        plan_pages: list[tuple[int, str, str]] = []  # (page index, full fp, summary fp)
        links: list[str] = []
        for index, page in enumerate(pages):
            # Plain joined strings (hashes and paths, no separators inside): no hashing needed.
            head = f"{base}|{page.path}|{templates.get(page.template, '-')}|"
            previous = old_files.get(page.path)
            if previous and previous.kind == "page":
                fps, everything = (full, all_full) if previous.reads else (summary, all_summary)
                if previous.fp == head + "|".join([_dep(d, fps, everything) for d in page.deps]) \
                        and previous.intact(out, page.path):
                    new_files[page.path] = previous
                    links.append(page.path)
                    continue
            plan_pages.append((index, head + "|".join([_dep(d, full, all_full) for d in page.deps]),
                               head + "|".join([_dep(d, summary, all_summary) for d in page.deps])))
        static_plan: list[tuple[str, Path, str]] = []
        for relative, source in self._listing["static"]:
            if relative.rsplit("/", 1)[-1].startswith("."):
                continue
            path = "static/" + relative
            content = self.digests.get(source)
            previous = old_files.get(path)
            if previous and previous.kind == "static" and previous.digest == content \
                    and previous.intact(out, path):
                new_files[path] = previous
                links.append(path)
            else:
                static_plan.append((path, Path(source), content))
        extras = {SITE_MARKER: MARKER_TEXT, ".nojekyll": b""}
        if data.config.cname:
            extras["CNAME"] = (data.config.cname + "\n").encode()
        extra_plan = []
        for path, content in extras.items():
            previous = old_files.get(path)
            if previous and previous.kind == "extra" and previous.digest == digest(content) \
                    and previous.intact(out, path):
                new_files[path] = previous
                links.append(path)
            else:
                extra_plan.append((path, content))
        produced = {p for p in new_files} | {pages[i].path for i, _, _ in plan_pages} \
            | {p for p, _, _ in static_plan} | {p for p, _ in extra_plan}
        # Cheap exit: nothing to render, nothing removed, the search index still matches.
        removed = [p for p, f in old_files.items() if p not in produced and f.kind != "derived"]
        old_derived = {p: f for p, f in old_files.items() if f.kind == "derived"}
        unchanged = not plan_pages and not static_plan and not extra_plan and not removed
        derived_ok = (_derived_key(new_files, search_on) == manifest.derived_key
                      and all(f.intact(out, p) for p, f in old_derived.items()))
        if unchanged and derived_ok and out.is_dir() and not has_strays(out, old_files):
            kept = OutputManifest(files=dict(old_files), derived_key=manifest.derived_key,
                             derived_notes=list(manifest.derived_notes))
            return kept, [], [], (), None
        self._mark("plan")
        staging = Staging(out, self._take_spare(out, old_files))
        try:
            written: list[str] = []
            if not staging.mirror:
                for path in links:
                    staging.link(path)
            else:
                for path in removed:
                    staging.remove(path)
            self._mark("link")
            results = self._render(pages, plan_pages, staging, old_files)
            self._mark("render")
            for index, page_fp, content, stat, same, reads in results:
                path = pages[index].path
                new_files[path] = OutputFile("page", page_fp, content, *stat, reads=reads)
                if not same:
                    written.append(path)
            for path, source, content in static_plan:
                stat, wrote = staging.keep_or_write(path, old_files.get(path), content,
                                                    lambda: staging.copy(path, source))
                if wrote:
                    written.append(path)
                new_files[path] = OutputFile("static", content, content, *stat)
            for path, content in extra_plan:
                value = digest(content)
                stat, wrote = staging.keep_or_write(path, old_files.get(path), value,
                                                    lambda: staging.write(path, content))
                if wrote:
                    written.append(path)
                new_files[path] = OutputFile("extra", value, value, *stat)
            notes: list[Problem] = []
            derived_key = _derived_key(new_files, search_on)
            reuse = (search_on and derived_key == manifest.derived_key
                     and all(f.intact(out, p) for p, f in old_derived.items()))
            if staging.mirror and not reuse:
                for path in old_derived:
                    staging.remove(path)  # never let the indexer write through shared inodes
            if reuse:
                # The index is made from the finished HTML pages: while none of them changed,
                # the previous index is carried over as it is.
                for path, entry in old_derived.items():
                    staging.link(path)
                    new_files[path] = entry
                notes = list(manifest.derived_notes)
            elif search_on:
                note = search.build_search_index(staging.root, index_parts(data))
                if note:
                    notes.append(Problem("search", 0, note, "warning"))
                for path in walk_output(staging.root):
                    if path not in new_files:
                        stat = os.stat(os.path.join(staging.root, path))
                        new_files[path] = OutputFile("derived", derived_key or "", "",
                                                     *st_tuple(stat))
                        written.append(path)
            self._mark("static+search")
            old = staging.commit()
            self._mark("swap")
        except BaseException:
            staging.discard()
            raise
        new_manifest = OutputManifest(files=new_files, derived_key=derived_key, derived_notes=notes)
        removed_all = [p for p in old_files if p not in new_files]
        return new_manifest, written, removed_all, tuple(pages[i].path for i, _, _ in plan_pages), old

    def _render(self, pages: list[Page], plan: list[tuple[int, str]], staging: Staging,
                old_files: dict[str, OutputFile]):
        """Render the planned pages into the staging folder; in worker processes when many."""
        if len(plan) >= PARALLEL_PAGES_MIN and self.jobs > 1:
            for page in {p.template for p in pages if p.template}:
                self._env[1].get_template(page)  # compile once, before the workers fork
            context = (pages, staging, old_files, self.paths.templates)
            try:
                return list(in_workers(_render_task, plan, context, self.jobs,
                                       chunksize=max(1, len(plan) // (self.jobs * 8))))
            except _RenderFailed as failed:
                raise ContentError([Problem(*p) for p in failed.args[0]]) from None
        try:
            return [render_page(pages, staging, old_files, item, self.paths.templates)
                    for item in plan]
        except _RenderFailed as failed:
            raise ContentError([Problem(*p) for p in failed.args[0]]) from None

    # --- manifests -------------------------------------------------------------------------

    def _manifest_key(self, out: Path) -> str:
        return digest_parts(MANIFEST_FORMAT, str(out))

    def _manifest(self, out: Path) -> OutputManifest:
        known = self.manifests.get(out)
        if known is not None:
            return known
        stored = self.store.read("outputs", self._manifest_key(out))
        if isinstance(stored, dict) and stored.get("format") == MANIFEST_FORMAT:
            self.digests.known.update(stored.get("digests", {}))
            manifest = stored["manifest"]
            if isinstance(manifest, OutputManifest):
                return manifest
        return OutputManifest()

    def _save_manifest(self, out: Path, manifest: OutputManifest) -> None:
        self.manifests[out] = manifest
        self.store.write("outputs", self._manifest_key(out), {
            "format": MANIFEST_FORMAT, "manifest": manifest, "digests": self.digests.known})


def _dep_fingerprints(group: CountryGroup, _context: None) -> tuple[dict[str, str], dict[str, str]]:
    deps = [report_dep(r) for r in group.reports]
    return dict(zip(deps, group.fingerprints)), dict(zip(deps, group.summaries))


def _dep(dep: str, fingerprints: dict[str, str], everything: str) -> str:
    """The fingerprint a page dependency stands for ("reports:*" and unknown kinds: all)."""
    found = fingerprints.get(dep)
    if found is not None:
        return found
    if dep.startswith("value:"):  # a fact spelled out in the dependency itself
        return dep
    if dep.startswith("report:"):
        return digest_parts("missing", dep)
    return everything


def _derived_key(files: dict[str, OutputFile], search_on: bool) -> str | None:
    """What the search index is made from: the HTML pages (Pagefind reads those only)."""
    if not search_on:
        return None
    return digest_parts(code_fingerprint(), search.search_available(),
                        *[(p, f.digest) for p, f in sorted(files.items())
                          if f.kind != "derived" and p.endswith(".html")])


def _scan(folder: Path) -> list[tuple[str, str]]:
    """(relative posix path, absolute path) of every file under `folder`, in Path sort order."""
    found: list[tuple[tuple[str, ...], str, str]] = []
    if not folder.is_dir():
        return []

    def walk(directory: str, prefix: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path, prefix + (entry.name,))
                    elif entry.is_file():
                        parts = prefix + (entry.name,)
                        found.append((parts, "/".join(parts), entry.path))
                except OSError:
                    continue

    walk(str(folder), ())
    found.sort(key=lambda item: item[0])
    return [(relative, path) for _, relative, path in found]


def error_problems(error: BaseException, templates: Path) -> list[Problem]:
    """Problems naming a file and line for any build error (content, template or other)."""
    if isinstance(error, ContentError):
        return list(error.problems)
    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError):
        where = error.filename or str(templates / (error.name or "?"))
        return [Problem(display_path(where), error.lineno or 0, f"template error: {error.message}")]
    where, line = "build", 0
    templates_dir = str(templates.resolve())
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(templates_dir):
            where, line = display_path(filename), lineno
    return [Problem(where, line, f"{'template error: ' if line else ''}"
                                 f"{type(error).__name__}: {error}")]


class _RenderFailed(Exception):
    """A page could not be rendered; carries its problems (picklable, unlike ContentError)."""


def render_page(pages: list[Page], staging: Staging,
                old_files: dict[str, OutputFile], item: tuple[int, str, str],
                templates: Path | None = None):
    """Render one page into the staging folder (or keep the old file if the bytes are equal).

    Returns (index, fingerprint, digest, stat, kept, reads): `reads` tells whether the page
    looked at any report's sections; its fingerprint is the full one if so, else the summary one.
    """
    index, page_full, page_summary = item
    page = pages[index]
    cache.READS = []
    try:
        data = page.produce()
        reads = bool(cache.READS)
    except cache.StaleCache:
        raise
    except Exception as error:
        if templates is None:
            raise
        problems = error_problems(error, templates)
        raise _RenderFailed([(p.path, p.line, p.message, p.severity) for p in problems]) from None
    finally:
        cache.READS = None
    page_fp = page_full if reads else page_summary
    content = digest(data)
    stat, wrote = staging.keep_or_write(page.path, old_files.get(page.path), content,
                                        lambda: staging.write(page.path, data))
    return index, page_fp, content, stat, not wrote, reads


# --- tasks run in worker processes (see publisher/workers.py) --------------------------------

def _build_group_task(item):
    name, key, items = item
    build_group(workers_context(), key, items)
    return name, key


def _render_task(item):
    pages, staging, old_files, templates = workers_context()
    return render_page(pages, staging, old_files, item, templates)
