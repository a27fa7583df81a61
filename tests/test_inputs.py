"""inputs.py: one listing per build in a stable order, links that leave the project refused,
each file read once, and an unchanged file costs a stat."""
from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import write_tree
from publisher.inputs import FileDigests, InputScan, Project, read_file


def project(root: Path) -> Project:
    write_tree(root, {"content/reports/b/2015.md": "b", "content/reports/a/2016.md": "a16",
                      "content/reports/a/2015.md": "a15", "data/x.yaml": "- 1",
                      "templates/t.html": "T", "static/css/s.css": "S", "site.yaml": "title: X"})
    return Project.at(root)


def test_the_listing_is_sorted_as_paths_are(tmp_path: Path):
    scan = InputScan(project(tmp_path), FileDigests())
    assert [r for r, _ in scan.listing["content"]] == [
        "reports/a/2015.md", "reports/a/2016.md", "reports/b/2015.md"]
    assert scan.config_present and not scan.problems
    assert scan.every_path() >= {str(tmp_path / "site.yaml"), str(tmp_path / "static/css/s.css")}


def test_links_inside_are_followed_and_links_outside_refused(tmp_path: Path):
    root = tmp_path / "p"
    proj = project(root)
    write_tree(tmp_path, {"outside/secret.txt": "secret"})
    os.symlink(root / "templates/t.html", root / "static/inside.html")
    os.symlink(tmp_path / "outside/secret.txt", root / "static/leak.txt")
    os.symlink(tmp_path / "outside", root / "static/folder")
    os.symlink(root / "static", root / "static/loop")  # a link loop is walked once
    scan = InputScan(proj, FileDigests())
    relatives = [r for r, _ in scan.listing["static"]]
    assert "inside.html" in relatives and "leak.txt" not in relatives
    assert not any(r.startswith("folder/") for r in relatives)
    assert sorted(p.path.rsplit("/", 1)[-1] for p in scan.problems) == ["folder", "leak.txt"]
    assert all("leads outside the project" in p.message for p in scan.problems)


def test_a_content_folder_elsewhere_may_hold_links_within_itself(tmp_path: Path):
    root = project(tmp_path / "p").root
    content = tmp_path / "elsewhere/content"
    write_tree(content, {"reports/a/2015.md": "x", "shared/note.md": "n"})
    os.symlink(content / "shared/note.md", content / "reports/a/link.md")
    scan = InputScan(Project.at(root, content), FileDigests())
    assert not scan.problems
    assert "reports/a/link.md" in [r for r, _ in scan.listing["content"]]


def test_each_file_is_read_once_per_build_and_its_hash_is_of_those_bytes(tmp_path: Path):
    proj = project(tmp_path)
    scan = InputScan(proj, FileDigests())
    path = str(tmp_path / "data/x.yaml")
    data = scan.read(path)
    Path(path).write_text("- 2")  # saved after the build read it
    assert scan.read(path) == data  # the build keeps working with what it read
    assert scan.digest(path) == read_file_digest(b"- 1")


def read_file_digest(data: bytes) -> str:
    from publisher.fingerprints import digest

    return digest(data)


def test_an_unchanged_file_costs_a_stat_and_a_changed_one_is_read_again(tmp_path: Path):
    proj = project(tmp_path)
    path = str(tmp_path / "data/x.yaml")
    digests = FileDigests()
    past = time.time_ns() - 5_000_000_000
    os.utime(path, ns=(past, past))  # long enough ago not to be "racy"
    _, state = read_file(path)
    digests.record(path, state)
    assert digests.unchanged(path) == state.digest
    Path(path).write_text("- 22")
    assert digests.unchanged(path) is None
    scan = InputScan(proj, digests)
    assert scan.digest(path) == read_file_digest(b"- 22")


def test_a_file_changed_within_the_same_tick_is_hashed_again(tmp_path: Path):
    """The "racy git" case: a file hashed less than a second after it was written may change
    again without its size or mtime changing, so its hash is not trusted."""
    path = str(project(tmp_path).root / "data/x.yaml")
    digests = FileDigests()
    _, state = read_file(path)
    digests.record(path, state)
    assert digests.unchanged(path) is None
