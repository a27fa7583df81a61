"""write.py: the staged output is swapped in whole; unchanged files are links, never written
through; a second build cannot interleave."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write_tree
from publisher.errors import ContentError
from publisher.write import (BuildLocked, SITE_MARKER, Staging, check_output_folder, make_mirror,
                             output_lock, walk_output)


def site(root: Path) -> Path:
    write_tree(root, {"index.html": "old home", "a/page.html": "old page", SITE_MARKER: "m"})
    return root


def test_staging_links_unchanged_files_and_swaps_in_whole(tmp_path: Path):
    out = site(tmp_path / "out")
    before = (out / "a/page.html").stat().st_ino
    staging = Staging(out)
    staging.link("a/page.html")
    staging.write("index.html", b"new home")
    assert (out / "index.html").read_text() == "old home"  # nothing visible before the commit
    old = staging.commit()
    assert (out / "index.html").read_text() == "new home"
    assert (out / "a/page.html").stat().st_ino == before  # kept, not rewritten
    assert old is not None and (old / "index.html").read_text() == "old home"


def test_a_linked_file_is_replaced_never_written_through(tmp_path: Path):
    out = site(tmp_path / "out")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    make_mirror(mirror, out, {p: type("E", (), {"ino": (out / p).stat().st_ino})()
                              for p in walk_output(out)})
    staging = Staging(out, mirror)
    staging.write("index.html", b"new")
    assert (out / "index.html").read_text() == "old home"  # the live file is untouched
    staging.remove("a/page.html")
    assert not (mirror / "a").exists()  # empty folders go too
    staging.commit()
    assert (out / "index.html").read_text() == "new" and not (out / "a").exists()


def test_a_discarded_staging_leaves_the_output_as_it_was(tmp_path: Path):
    out = site(tmp_path / "out")
    staging = Staging(out)
    staging.write("index.html", b"half a site")
    staging.discard()
    assert (out / "index.html").read_text() == "old home"
    assert not list(tmp_path.glob(".out.new-*"))


def test_a_write_error_names_the_file(tmp_path: Path):
    out = site(tmp_path / "out")
    staging = Staging(out)
    staging.write("x/index.html", b"1")
    with pytest.raises(OSError) as failure:
        staging.write("x/index.html/inside", b"2")  # a file where a folder should be
    assert failure.value.filename and "x/index.html" in failure.value.filename
    staging.discard()


def test_the_lock_refuses_a_second_build(tmp_path: Path):
    out = tmp_path / "out"
    with output_lock(out):
        with pytest.raises(BuildLocked, match="another build is writing to"):
            with output_lock(out):
                pass
    with output_lock(out):  # released
        pass


def test_an_output_folder_that_would_destroy_inputs_or_foreign_files_is_refused(tmp_path: Path):
    write_tree(tmp_path, {"content/x.md": "x", "mine/readme.txt": "not a site"})
    with pytest.raises(ContentError, match="would contain or replace"):
        check_output_folder(tmp_path, [tmp_path / "content"])
    with pytest.raises(ContentError, match="not built by this tool"):
        check_output_folder(tmp_path / "mine", [tmp_path / "content"])
    check_output_folder(tmp_path / "new-site", [tmp_path / "content"])  # fine: does not exist
