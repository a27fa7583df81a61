"""Incremental and cached builds give exactly the bytes of a clean build, rewrite nothing that
did not change, and never leave a half-written site, even when killed part-way."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_SITE, CATEGORY_TITLES, ROOT, copy_project, report_text, write_tree
from publisher.errors import ContentError
from publisher.outputs import MIRROR_TOKEN
from publisher.pipeline import Builder, Paths, build

FIXTURE = FIXTURE_SITE


def make_project(root: Path) -> Path:
    return copy_project(root, FIXTURE)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def clean_build(project: Path, scratch: Path, search: bool = False, **options) -> dict[str, bytes]:
    """A build with no cache and no previous output: the reference bytes."""
    if scratch.exists():
        shutil.rmtree(scratch)
    build(Paths.at(project), scratch / "site", search=search, cache_dir=scratch / "cache",
          **options)
    return tree(scratch / "site")


def assert_same_tree(actual: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(actual) == sorted(expected)
    different = [path for path in expected if actual[path] != expected[path]]
    assert not different, f"differ from a clean build: {different[:10]}"


# --- edits of every kind of input ---------------------------------------------------------

def edit_report_text(p: Path) -> None:
    path = p / "content/reports/aland/2015.md"
    path.write_text(path.read_text().replace("a short summary", "an edited summary"))


def set_front_matter_line(p: Path, report: str, key: str, line: str) -> None:
    """Replace the front-matter line of `key` in content/reports/<report>.md (if the file is
    still there: a random sequence of edits may have renamed or deleted it)."""
    path = p / "content/reports" / f"{report}.md"
    if not path.exists():
        return
    text = path.read_text()
    old = next(l for l in text.splitlines() if l.strip().startswith(f"{key}:"))
    path.write_text(text.replace(old, line, 1))


def edit_report_rating(p: Path) -> None:
    # Changes Aland 2014's scores: its page, Aland's country page, the listings, and the
    # "last year" figures shown by Aland 2015 are all affected.
    set_front_matter_line(p, "aland/2014", "civil-society", "  civil-society: 3.25")


def edit_old_rating(p: Path) -> None:
    # Aland 2013 is neither Aland's latest report nor in the latest edition (2016).
    set_front_matter_line(p, "aland/2013", "corruption", "  corruption: 6.75")


def edit_latest_rating(p: Path) -> None:
    # Dravia 2016 is the whole latest edition: the home page shows it.
    set_front_matter_line(p, "dravia/2016", "electoral-process", "  electoral-process: 1.25")


def rename_country_in_latest_report(p: Path) -> None:
    # Listings name a country as its latest report does.
    set_front_matter_line(p, "carpania/2015", "country", "country: New Carpania")


def edit_data(p: Path) -> None:
    path = p / "data/series/nit.yaml"
    path.write_text(path.read_text().replace("Considers the democratic character",
                                             "Looks at the democratic character"))


def edit_template(p: Path) -> None:
    path = p / "templates/report.html"
    path.write_text(path.read_text().replace("{% block content %}",
                                             "{% block content %}<!-- edited -->", 1))


def edit_base_template(p: Path) -> None:
    path = p / "templates/base.html"
    path.write_text(path.read_text().replace("</body>", "<!-- base edited -->\n</body>", 1))


def edit_static(p: Path) -> None:
    with open(p / "static/css/site.css", "a") as handle:
        handle.write("\n/* edited */\n")


def add_static(p: Path) -> None:
    (p / "static/extra.txt").write_text("an extra static file\n")


def remove_static(p: Path) -> None:
    (p / "static/favicon.svg").unlink(missing_ok=True)


def delete_report(p: Path) -> None:
    (p / "content/reports/dravia/2015.md").unlink(missing_ok=True)


def rename_report_country(p: Path) -> None:
    source = p / "content/reports/estoria"
    if source.exists():
        source.rename(p / "content/reports/estoria-north")


def rename_report_year(p: Path) -> None:
    source = p / "content/reports/dravia/2016.md"
    if source.exists():
        source.write_text(source.read_text().replace("edition: 2016", "edition: 2017"))
        source.rename(p / "content/reports/dravia/2017.md")


def add_report(p: Path) -> None:
    write_tree(p / "content", {"reports/fredonia/2015.md": report_text("Fredonia", 2015)})


def edit_page(p: Path) -> None:
    path = p / "content/pages/about.md"
    path.write_text(path.read_text().replace("About this fixture site.", "About this site, edited."))


def edit_essay(p: Path) -> None:
    path = p / "content/editions/2015.md"
    if path.exists():
        path.write_text(path.read_text().replace("Estoria rose.", "Estoria rose again."))


def add_essay(p: Path) -> None:
    write_tree(p / "content", {"editions/2014.md": "---\nkey_findings: [Aland held.]\n---\n"})


def remove_essay(p: Path) -> None:
    (p / "content/editions/2015.md").unlink(missing_ok=True)


def edit_site_yaml(p: Path) -> None:
    path = p / "site.yaml"
    text = path.read_text()
    # Whatever the title is (the repository's site.yaml is copied), it changes on every call.
    edited = re.sub(r"(?m)^title: (.*)$", lambda m: f"title: {m.group(1)} (edited)", text, count=1)
    assert edited != text, "site.yaml has no title line to edit"
    path.write_text(edited)


EDITS = [edit_report_text, edit_report_rating, edit_old_rating, edit_latest_rating,
         rename_country_in_latest_report, edit_data, edit_template, edit_base_template,
         edit_static, add_static, remove_static, delete_report, rename_report_country,
         rename_report_year, add_report, edit_page, edit_essay, add_essay, remove_essay,
         edit_site_yaml]


@pytest.mark.parametrize("keep_spare", [False, True], ids=["fresh-folder", "mirror-folder"])
def test_every_kind_of_edit_matches_a_clean_build(tmp_path: Path, keep_spare: bool):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    # One engine for all edits, as `serve` keeps it; with keep_spare, as serve does, the
    # swapped-out folder becomes the next build's starting point (tidied now and then lazily).
    builder = Builder(Paths.at(project), cache_dir=cache, keep_spare=keep_spare)
    builder.build(out, search_on=False)
    for number, edit in enumerate(EDITS):
        edit(project)
        builder.build(out, search_on=False)
        if number % 2:
            builder.tidy(out)
        assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))
        # A fresh process with the same on-disk cache agrees too, and has nothing to do.
        again = build(Paths.at(project), out, search=False, cache_dir=cache)
        assert not again.changed, edit.__name__


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=4))
def test_any_sequence_of_edits_matches_a_clean_build(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("seq")
    project = make_project(base / "project")
    out, cache = base / "out", base / "cache"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    for edit in edits:
        edit(project)
        build(Paths.at(project), out, search=False, cache_dir=cache)  # a cold process each time
    assert_same_tree(tree(out), clean_build(project, base / "clean"))


@pytest.mark.skipif(not __import__("publisher.search").search.search_available(),
                    reason="pagefind[bin] not installed")
def test_search_index_is_rebuilt_when_pages_change_and_kept_when_not(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(Paths.at(project), out, cache_dir=cache)
    index = out / "pagefind/pagefind-entry.json"
    before = index.stat().st_ino
    edit_static(project)  # no page changes: the index is carried over as is
    build(Paths.at(project), out, cache_dir=cache)
    assert index.stat().st_ino == before
    edit_report_text(project)
    build(Paths.at(project), out, cache_dir=cache)
    assert index.stat().st_ino != before
    # Pagefind itself names and orders its filter files differently on every run (two clean
    # builds differ there too), so those are compared by kind and count; all else byte for byte.
    actual, expected = tree(out), clean_build(project, tmp_path / "clean", search=True)
    assert_same_tree(*(without_pagefind_filters(t) for t in (actual, expected)))
    assert sorted(map(kind_of, actual)) == sorted(map(kind_of, expected))


def kind_of(path: str) -> str:
    return re.sub(r"_[0-9a-f]{5,}\.", "_#.", path)


def without_pagefind_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p: b for p, b in files.items()
            if not re.match(r"pagefind/(filter/|pagefind\.[^/]*\.pf_meta$|pagefind-entry\.json$)", p)}


def test_unchanged_files_are_never_rewritten(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    before_stats, before_bytes = stats(out), tree(out)
    folder_inode = out.stat().st_ino

    result = build(Paths.at(project), out, search=False, cache_dir=cache)
    assert not result.changed and result.rendered == ()
    assert stats(out) == before_stats and out.stat().st_ino == folder_inode  # not even swapped

    edit_report_text(project)  # prose only: its page and data file change, nothing else
    result = build(Paths.at(project), out, search=False, cache_dir=cache)
    after_stats, after_bytes = stats(out), tree(out)
    changed = {p for p in after_bytes if after_bytes[p] != before_bytes.get(p)}
    assert changed == {"countries/aland/2015/index.html", "countries/aland/2015/report.json"}
    assert set(result.written) == changed
    for path in before_bytes:
        if path not in changed:
            assert after_stats[path] == before_stats[path], f"{path} was rewritten"


def test_rating_edit_renders_only_the_pages_that_show_it(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    builder = Builder(Paths.at(project), cache_dir=cache)
    builder.build(out, search_on=False)

    edit_old_rating(project)
    result = builder.build(out, search_on=False)
    # Aland 2013 itself (its page, data and citation files: they are made from the report),
    # Aland 2014 (it shows last year's figures; its citation files are remade from its record,
    # the same bytes, not written), Aland's country page, the country list (its
    # small multiples chart every score), the two editions, the corruption category, the
    # downloads, the feed (the fixture's reports are all among the newest); the editions list
    # only if a status changed. Not the home page, the free pages or any other report.
    expected = {"countries/aland/2013/index.html", "countries/aland/2013/report.json",
                *(f"countries/aland/2013/citation.{kind}" for kind in ("bib", "ris", "csl.json")),
                "countries/aland/2014/index.html", "countries/aland/2014/report.json",
                *(f"countries/aland/2014/citation.{kind}" for kind in ("bib", "ris", "csl.json")),
                "countries/aland/index.html", "countries/index.html",
                "editions/2013/index.html", "editions/2014/index.html",
                "categories/corruption/index.html", "data/reports.csv", "data/reports.json",
                "feed.xml"}
    assert expected <= set(result.rendered) <= expected | {"editions/index.html"}
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))

    edit_latest_rating(project)
    result = builder.build(out, search_on=False)
    assert {"index.html", "countries/index.html", "countries/dravia/2016/index.html",
            "categories/electoral-process/index.html"} <= set(result.rendered)
    assert "countries/aland/2013/index.html" not in result.rendered
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))


def test_no_rewrite_even_without_a_cache(tmp_path: Path):
    """With the cache deleted, files whose bytes are unchanged still keep their inode."""
    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    build(Paths.at(project), out, search=False, cache_dir=tmp_path / "cache1")
    before = stats(out)
    edit_report_text(project)
    build(Paths.at(project), out, search=False, cache_dir=tmp_path / "cache2")
    after = stats(out)
    rewritten = {p for p in before if before[p] != after[p]}
    assert rewritten == {"countries/aland/2015/index.html", "countries/aland/2015/report.json"}


def test_file_changed_by_hand_in_the_output_is_restored(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    expected = tree(out)
    (out / "index.html").write_text("vandalised")
    (out / "stray.html").write_text("not ours")
    (out / "countries/aland/2014/report.json").unlink()
    build(Paths.at(project), out, search=False, cache_dir=cache)
    assert_same_tree(tree(out), expected)


def test_failed_build_keeps_the_previous_output_and_recovers(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    builder = Builder(Paths.at(project), cache_dir=cache)
    builder.build(out, search_on=False)
    expected, expected_stats = tree(out), stats(out)
    path = project / "content/reports/aland/2015.md"
    good = path.read_text()
    path.write_text(good.replace("corruption: 4.25", "corruption: 8.25"))
    with pytest.raises(ContentError) as failure:
        builder.build(out, search_on=False)
    assert any("rating for 'corruption'" in str(p) and ":11:" in str(p)
               for p in failure.value.problems)
    assert tree(out) == expected and stats(out) == expected_stats
    (project / "templates/report.html").write_text("{% extends 'base.html' %}{% block content %}"
                                                   "{{ report.nope() }}{% endblock %}")
    path.write_text(good)
    with pytest.raises(ContentError) as failure:
        builder.build(out, search_on=False)
    assert failure.value.problems[0].path.endswith("templates/report.html")
    assert failure.value.problems[0].line == 1
    assert tree(out) == expected
    shutil.copy(ROOT / "templates/report.html", project / "templates/report.html")
    builder.build(out, search_on=False)
    assert_same_tree(tree(out), expected)


def big_project(root: Path, countries: int = 8, years: int = 12) -> Path:
    make_project(root)
    shutil.rmtree(root / "content/reports")
    files = {}
    for c in range(countries):
        name = f"Country{chr(97 + c)}land"
        for edition in range(2005, 2005 + years):
            ratings = {k: 1 + ((c * 7 + edition + i) % 24) / 4 for i, k in enumerate(CATEGORY_TITLES)}
            notes = "\n\n".join(f"Paragraph {n} about {name}.[^{n}]" for n in range(1, 6))
            notes += "\n\n" + "\n".join(f"[^{n}]: Source {n}, https://example.org/{c}/{edition}/{n}."
                                        for n in range(1, 6))
            sections = {"Executive Summary": notes,
                        **{title: f"Text on {title} in {name}, {edition}." for title in
                           CATEGORY_TITLES.values()}}
            files[f"reports/{name.lower()}/{edition}.md"] = report_text(
                name, edition, ratings, sections=sections)
    write_tree(root / "content", files)
    return root


def test_parallel_build_matches_serial_build(tmp_path: Path):
    project = big_project(tmp_path / "project")
    serial = clean_build(project, tmp_path / "serial", jobs=1)
    parallel = clean_build(project, tmp_path / "parallel", jobs=2)
    assert len(serial) > 200
    assert_same_tree(parallel, serial)


KILLED_BUILD = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from publisher.pipeline import Paths, build
build(Paths.at(Path({project!r})), Path({out!r}), search=False, cache_dir=Path({cache!r}), jobs=1)
"""


@pytest.mark.parametrize("mode", ["fresh-folder", "mirror-folder"])
def test_sigkill_part_way_leaves_the_previous_site_complete(tmp_path: Path, mode: str):
    project = big_project(tmp_path / "project", countries=10, years=15)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    if mode == "mirror-folder":  # a second build leaves the swapped-out folder as a mirror
        edit_static(project)
        build(Paths.at(project), out, search=False, cache_dir=cache)
        assert (tmp_path / ".out.spare").is_dir()
    expected, expected_stats = tree(out), stats(out)
    edit_base_template(project)  # every page must be rendered again: a long build
    script = KILLED_BUILD.format(root=str(ROOT), project=str(project), out=str(out),
                                 cache=str(cache))
    probe = "countries/countryaland/2005/index.html"
    live_inode = (out / probe).stat().st_ino

    def build_under_way() -> bool:
        for folder in [*tmp_path.glob(".out.new-*"), tmp_path / ".out.spare"]:
            try:
                if (folder / probe).stat().st_ino != live_inode:
                    return True  # the build has written pages into its folder
            except OSError:
                continue
        return False

    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None and not build_under_way():
            time.sleep(0.002)
        assert child.poll() is None, "the build finished before it could be killed part-way"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert tree(out) == expected and stats(out) == expected_stats  # complete, untouched
    result = build(Paths.at(project), out, search=False, cache_dir=cache)  # and it recovers
    assert result.changed
    assert not list(tmp_path.glob(".out.new-*"))
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))


def test_cache_is_pruned_of_entries_no_build_uses(tmp_path: Path):
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    path = project / "content/reports/aland/2015.md"
    original = path.read_text()
    builder = Builder(Paths.at(project), cache_dir=cache)
    for n in range(30):  # each edit leaves one report entry behind
        path.write_text(original.replace("a short summary", f"summary {n}"))
        builder.build(out, search_on=False)
    entries = lambda: {p.name for p in (cache / "reports").glob("*.json")}
    before = entries()
    assert builder.prune_cache(grace_seconds=0) == 0  # not yet worth it
    assert builder.prune_cache(grace_seconds=3600, slack=0) == 0  # all too recent
    assert builder.prune_cache(grace_seconds=0, slack=0) > 0
    after = entries()
    assert after < before and len(after) == sum(len(g.file_keys) for g in builder.groups.values())
    # Everything still needed is there: a fresh process has nothing to re-render.
    assert not build(Paths.at(project), out, search=False, cache_dir=cache).changed
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))


def test_cache_deleted_under_a_live_engine_is_rebuilt(tmp_path: Path):
    """`.build-cache` removed while `serve` runs: the next build notices and starts over."""
    project = make_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    builder = Builder(Paths.at(project), cache_dir=cache)
    builder.build(out, search_on=False)
    shutil.rmtree(cache)
    builder.reader.forget()  # long since evicted from memory in a real session
    edit_template(project)  # every report page must read its sections again
    result = builder.build(out, search_on=False)
    assert result.retried  # the first attempt found its entries gone and started over
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))


def test_a_spare_is_prepared_after_a_first_fresh_build(tmp_path: Path):
    # serve calls prepare_spare while idle: the first save then starts from a ready mirror.
    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    builder = Builder(Paths.at(project), cache_dir=tmp_path / "cache", keep_spare=True)
    builder.build(out, search_on=False)
    builder.tidy(out)
    spare = out.parent / ".out.spare"
    assert not spare.exists()  # nothing was swapped out: no folder to recycle
    builder.prepare_spare(out)
    assert stats_by_inode(spare) == stats_by_inode(out)
    before = stats(out)
    edit_report_text(project)
    result = builder.build(out, search_on=False)
    assert set(result.written) == {"countries/aland/2015/index.html", "countries/aland/2015/report.json"}
    after = stats(out)
    assert all(after[p] == before[p] for p in before if p not in result.written)
    assert_same_tree(tree(out), clean_build(project, tmp_path / "clean"))


def stats_by_inode(folder: Path) -> dict[str, int]:
    """Inode per file, leaving out the token a mirror carries while it waits (outputs.py)."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and p.name != MIRROR_TOKEN}
