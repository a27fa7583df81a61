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
    """Write access to the cache is not code execution: a pickle payload is a bad entry."""
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    store = Store(tmp_path / "cache")
    path = store.path("groups", "k")
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(Payload()))
    assert store.read("groups", "k") is None
    assert not marker.exists() and not path.exists()  # dropped, to be rebuilt


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
