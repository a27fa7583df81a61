"""The README's promises under faults and hostile input (issue 12): nothing outside the project
is published, the cache cannot be tricked into publishing the wrong text or running code, a
save racing the build never poisons the cache."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, ROOT, copy_project, report_text, write_tree
from publisher.errors import ContentError
from publisher.fingerprints import code_fingerprint
from publisher.groups import GroupContext, file_key
from publisher.pipeline import Builder, Paths, build
from publisher.store import BadEntry, Store, decode_entry, encode_entry


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_tree(project: Path, scratch: Path) -> dict[str, bytes]:
    build(Paths.at(project), scratch / "site", search=False, cache_dir=scratch / "cache")
    return tree(scratch / "site")


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search", *args],
                          cwd=project, capture_output=True, text=True, timeout=120)


# --- 3. nothing from outside the project -------------------------------------------------------

@pytest.mark.parametrize("link, target", [
    ("static/x.txt", "/etc/passwd"),
    ("static/env.txt", "/proc/self/environ"),
    ("content/pages/secret.md", "/etc/hostname"),
    ("templates/partial.html", "/etc/passwd"),
    ("data/extra.yaml", "/etc/passwd"),
    ("static/outside", "/etc"),  # a folder
])
def test_a_link_leaving_the_project_is_refused_with_its_name(project: Path, link: str, target: str):
    write_tree(project / "content", {"reports/testland/2015.md": report_text()})
    assert run_build(project).returncode == 0
    before = tree(project / "site")
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, project / link)
    result = run_build(project)
    assert result.returncode == 1
    assert f"{link}:0: symbolic link to {target} leads outside the project" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project / "site") == before  # nothing published, the previous site intact
    check = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], cwd=project,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and "leads outside the project" in check.stderr


def test_a_link_inside_the_project_is_followed(project: Path):
    write_tree(project / "content", {"reports/testland/2015.md": report_text()})
    write_tree(project, {"assets/logo.txt": "our logo"})
    os.symlink(project / "assets/logo.txt", project / "static/logo.txt")
    os.symlink("../assets", project / "static/assets")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/static/logo.txt").read_text() == "our logo"
    assert (project / "site/static/assets/logo.txt").read_text() == "our logo"


# --- 2. the cache: entries prove what they are, and are never code ------------------------------

def test_entries_are_json_with_a_header_naming_them():
    data = encode_entry("reports", "abc", ("text", 1, None))
    header, body = data.split(b"\n", 1)
    assert json.loads(header)["kind"] == "reports" and json.loads(header)["key"] == "abc"
    assert decode_entry(data, "reports", "abc") == ("text", 1, None)
    with pytest.raises(BadEntry):
        decode_entry(data, "reports", "other")  # another entry's file
    with pytest.raises(BadEntry):
        decode_entry(data[:-1] + b"]", "reports", "abc")  # body does not match its checksum


def test_a_pickle_in_the_cache_is_never_run(tmp_path: Path):
    """Write access to the cache is not code execution: a payload calling os.system, even
    behind a header and checksum made to match, is a bad entry and runs nothing."""
    import pickle

    from publisher.fingerprints import CACHE_FORMAT, digest

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    store = Store(tmp_path / "cache")
    for kind, body in (("groups", pickle.dumps(Payload())),
                       ("reports", pickle.dumps((1, Payload())))):
        path = store.path(kind, "k")
        path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"format": CACHE_FORMAT, "kind": kind, "key": "k",
                             "checksum": digest(body)}).encode()
        path.write_bytes(header + b"\n" + body)
        assert store.read(kind, "k") is None
        assert not marker.exists() and not path.exists()  # dropped, to be rebuilt
        path.write_bytes(body)  # and with no header at all
        assert store.read(kind, "k") is None and not marker.exists()


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / kind).glob("*.json"))


def test_swapped_entries_never_publish_another_reports_text(tmp_path: Path):
    project = copy_project(tmp_path / "project", FIXTURE_SITE)
    cache, out = tmp_path / "cache", tmp_path / "out"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    first, second = _entries(cache, "reports")[:2]
    swap = tmp_path / "swap"
    os.rename(first, swap)
    os.rename(second, first)
    os.rename(swap, second)
    for kind in ("groups", "sections"):  # the groups point to the report entries: rebuild them
        shutil.rmtree(cache / kind, ignore_errors=True)
    shutil.rmtree(out)
    build(Paths.at(project), out, search=False, cache_dir=cache)
    assert tree(out) == clean_tree(project, tmp_path / "clean")


@pytest.mark.parametrize("kind", ["reports", "groups", "outputs"])
@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other-header"])
def test_a_damaged_entry_is_dropped_and_rebuilt_silently(tmp_path: Path, kind: str, damage: str):
    project = copy_project(tmp_path / "project", FIXTURE_SITE)
    cache, out = tmp_path / "cache", tmp_path / "out"
    build(Paths.at(project), out, search=False, cache_dir=cache)
    entries = _entries(cache, kind)
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes({"garbage": os.urandom(300), "truncated": data[: len(data) // 2],
                           "empty": b"", "other-header": encode_entry(kind, "elsewhere", 1)}[damage])
    shutil.rmtree(out)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
         "from pathlib import Path; from publisher.pipeline import Paths, build;"
         "build(Paths.at(Path(sys.argv[2])), Path(sys.argv[3]), search=False,"
         " cache_dir=Path(sys.argv[4]))", str(ROOT), str(project), str(out), str(cache)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Traceback") == 0
    assert tree(out) == clean_tree(project, tmp_path / "clean")
    for entry in _entries(cache, kind):  # rebuilt entries are whole again
        header = json.loads(entry.read_bytes().split(b"\n", 1)[0])
        assert header["kind"] == kind and entry.name == header["key"] + ".json"


def test_entries_damaged_under_a_live_engine_are_rebuilt(tmp_path: Path):
    project = copy_project(tmp_path / "project", FIXTURE_SITE)
    cache, out = tmp_path / "cache", tmp_path / "out"
    builder = Builder(Paths.at(project), cache_dir=cache)
    builder.build(out, search_on=False)
    for entry in _entries(cache, "reports"):
        entry.write_bytes(b"garbage")
    builder.reader.forget()
    (project / "templates/report.html").write_text(
        (project / "templates/report.html").read_text() + "\n")  # every report page re-read
    result = builder.build(out, search_on=False)
    assert result.retried
    assert tree(out) == clean_tree(project, tmp_path / "clean")


# --- 1. a save racing the build never binds one version's hash to another's text ----------------

def test_saves_racing_builds_never_poison_the_cache(tmp_path: Path):
    """Saves alternate two versions of a file as fast as they can while a live engine builds;
    every entry in the cache must hold the text of the version whose hash it is filed under,
    and the final site must show what the file holds."""
    project = copy_project(tmp_path / "project", FIXTURE_SITE)
    cache, out = tmp_path / "cache", tmp_path / "out"
    path = project / "content/reports/aland/2015.md"
    original = path.read_text()
    versions = [original.replace("a short summary", f"version {v} summary") for v in "AB"]
    builder = Builder(Paths.at(project), cache_dir=cache)
    builder.build(out, search_on=False)
    stop = threading.Event()

    def storm() -> None:
        n = 0
        while not stop.is_set():
            path.write_text(versions[n % 2])
            n += 1

    writer = threading.Thread(target=storm)
    writer.start()
    try:
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            try:
                builder.build(out, search_on=False)
            except ContentError:
                pass  # a half-written file is a content error: fine, the next build sees it whole
    finally:
        stop.set()
        writer.join()
    from publisher.fingerprints import digest
    from publisher.definitions import load_definitions
    from publisher.errors import display_path

    context = GroupContext(str(project / "content"), load_definitions(project / "data"),
                           builder._definitions[0], code_fingerprint(), str(cache))
    shown = display_path(path)
    for version in versions:
        key = file_key(context, shown, digest(version.encode()))
        entry = Store(cache).read("reports", key)
        if entry is not None:
            text = "\n".join(section.source for section in entry[0].sections)
            assert version.split("version ")[1][0] == text.split("version ")[1][0]
    final = path.read_text()
    builder.build(out, search_on=False)
    assert final.split("version ")[1][:9] in (out / "countries/aland/2015/index.html").read_text()
    assert tree(out) == clean_tree(project, tmp_path / "clean")


# --- 5. a live engine after another process's build was killed in its mirror --------------------

KILLABLE_BUILD = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from publisher.pipeline import Paths, build
build(Paths.at(Path({project!r})), Path({out!r}), {base!r}, search=False, cache_dir=Path({cache!r}))
"""


def _big_project(root: Path, countries: int = 8) -> Path:
    copy_project(root)
    files = {}
    for c in range(countries):
        for edition in range(2005, 2017):
            files[f"reports/country{c}/{edition}.md"] = report_text(f"Country {c}", edition)
    write_tree(root / "content", files)
    return root


def _kill_when(child: subprocess.Popen, under_way, timeout: float = 60) -> None:
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and child.poll() is None and not under_way():
            time.sleep(0.002)
        assert child.poll() is None, "the build finished before it could be killed part-way"
        os.kill(child.pid, 9)
    finally:
        child.wait()


def build_when_unlocked(engine: Builder, out: Path) -> None:
    from publisher.write import BuildLocked

    deadline = time.monotonic() + 10
    while True:
        try:
            engine.build(out, search_on=False)
            return
        except BuildLocked:
            assert time.monotonic() < deadline, "the killed build's lock was never released"
            time.sleep(0.05)


def test_a_live_engine_never_swaps_in_what_a_killed_build_left_in_the_mirror(tmp_path: Path):
    project = _big_project(tmp_path / "project")
    out, cache = tmp_path / "out", tmp_path / "cache"
    engine = Builder(Paths.at(project), cache_dir=cache, keep_spare=True)  # as serve keeps it
    engine.build(out, search_on=False)
    (project / "static/extra.txt").write_text("one")
    engine.build(out, search_on=False)
    engine.tidy(out)  # the swapped-out folder is now the engine's mirror
    spare = tmp_path / ".out.spare"
    probe = spare / "countries/country0/2005/index.html"
    inode = probe.stat().st_ino
    # Another process builds into the same folder with another base URL (every page changes)
    # and is killed part-way, having written pages into the mirror.
    child = subprocess.Popen([sys.executable, "-c", KILLABLE_BUILD.format(
        root=str(ROOT), project=str(project), out=str(out), base="/x/", cache=str(cache))])
    _kill_when(child, lambda: probe.exists() and probe.stat().st_ino != inode)
    # One save; the live engine builds (once the killed build's lock is gone, as serve waits).
    (project / "static/extra.txt").write_text("two")
    build_when_unlocked(engine, out)
    assert tree(out) == clean_tree(project, tmp_path / "clean")


# --- 4. the indexer dies with the build, and never touches the live site ------------------------

def _children_named(pid: int, word: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue
        if parent == pid and word.encode() in command:
            found.append(int(entry))
    return found


def test_a_killed_build_takes_its_indexer_with_it_and_the_live_index_stays_whole(tmp_path: Path):
    pytest.importorskip("pagefind_bin")
    project = _big_project(tmp_path / "project", countries=30)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(Paths.at(project), out, search=True, cache_dir=cache)
    (project / "static/extra.txt").write_text("one")
    build(Paths.at(project), out, search=True, cache_dir=cache)  # leaves a mirror
    before = tree(out)
    template = project / "templates/report.html"
    template.write_text(template.read_text().replace(  # every report page changes: a new index
        "{% block content %}", "{% block content %}<!-- edited -->", 1))
    child = subprocess.Popen([sys.executable, "-c", KILLABLE_BUILD.replace("search=False", "search=True")
                              .format(root=str(ROOT), project=str(project), out=str(out), base=None,
                                      cache=str(cache))])
    indexers: list[int] = []

    def indexing() -> bool:
        if not list(tmp_path.glob(".*.index-*")):  # the indexer's private folder
            return False
        indexers[:] = _children_named(child.pid, "pagefind")
        return bool(indexers)

    _kill_when(child, indexing)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in indexers):
        time.sleep(0.05)
    alive = [p for p in indexers if os.path.exists(f"/proc/{p}")
             and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
    assert not alive, "the indexer outlived the build"
    assert tree(out) == before  # the live site, its index included, untouched
    result = build(Paths.at(project), out, search=True, cache_dir=cache)  # at once: it recovers
    assert result.changed
    counts = [sum(v["page_count"] for v in json.loads(entry.read_text())["languages"].values())
              for entry in (out / "pagefind").rglob("pagefind-entry.json")]
    assert len(counts) == 2 and sum(counts) == 30 * 12  # every report page, in 2 parts


# --- 11. a long preview session keeps memory bounded ---------------------------------------------

def test_a_live_engine_keeps_what_it_remembers_bounded_across_many_saves(tmp_path: Path):
    """What a long `serve` session keeps between builds does not grow with the number of saves
    (measured through `serve`: 44.0 MB after 2,000 saves as after the first)."""
    project = copy_project(tmp_path / "project", FIXTURE_SITE)
    out = tmp_path / "out"
    engine = Builder(Paths.at(project), cache_dir=tmp_path / "cache", keep_spare=True)
    path = project / "content/reports/aland/2015.md"
    original = path.read_text()
    template = project / "templates/report.html"
    template_text = template.read_text()
    kept = []
    for n in range(240):  # new text and new templates, alternating with versions seen before
        path.write_text(original.replace("a short summary", f"edit {n}" if n % 3 else "B"))
        if n % 40 == 0:
            template.write_text(template_text.replace(
                "{% block content %}", f"{{% block content %}}<!-- {n} -->", 1))
        engine.build(out, search_on=False)
        engine.tidy(out)
        if n in (80, 239):
            kept.append(engine.footprint())
    files = sum(1 for p in project.rglob("*") if p.is_file())
    from publisher.markdown import RECENT_SECTIONS

    recent = [k.pop("recent results") for k in kept]  # an LRU: it fills up to its bound
    assert recent[1] <= RECENT_SECTIONS
    assert kept[1] == kept[0], kept  # the same after 80 saves as after 240
    assert kept[1]["file states"] <= files and kept[1]["groups"] == 5
