"""outputs.py: the manifest stored as the changes since it was last stored whole reads back as
the whole manifest, in another process too; changes made for another whole manifest are
never applied."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from publisher.inputs import FileState
from publisher.outputs import DELTA_SHARE, OutputFile, OutputFolder, OutputManifest
from publisher.store import Store


def entry(n: int, fp: str = "fp") -> OutputFile:
    return OutputFile("page", fp, f"d{n}", n, n * 10, n * 100, reads=n % 2 == 0)


def manifest(files: dict[str, OutputFile], inputs: str = "in") -> OutputManifest:
    return OutputManifest(inputs, files, None, [], len(files), [], len(files))


def folder(tmp_path: Path) -> OutputFolder:
    return OutputFolder(tmp_path / "site", Store(tmp_path / "cache"), keep_spare=True)


def entries(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "cache" / "outputs").iterdir())


def test_changes_are_stored_alone_and_read_back_whole(tmp_path: Path):
    live = folder(tmp_path)
    files = {f"p{n}.html": entry(n) for n in range(100)}
    live.save_manifest(manifest(files), {"/a": FileState(1, 2, 3, "d", 4)})
    assert len(entries(tmp_path)) == 1  # the whole manifest
    edited = dict(files)
    edited["p3.html"] = entry(3, "new fp")
    edited["new.html"] = entry(1000)
    del edited["p7.html"]
    second = manifest(edited, "in 2")
    live.save_manifest(second, {"/b": FileState(5, 6, 7, "e", 8)})
    assert len(entries(tmp_path)) == 2  # ... and the changes since
    read, inputs = folder(tmp_path).manifest()  # as another process reads it
    assert read == second and list(read.files) != [] and inputs == {"/b": FileState(5, 6, 7, "e", 8)}
    # That process saves its own changes against the same whole manifest.
    other = folder(tmp_path)
    other.manifest()
    third = manifest({**edited, "p9.html": entry(9, "again")}, "in 3")
    other.save_manifest(third, {})
    assert folder(tmp_path).manifest()[0] == third


def test_many_changes_store_the_manifest_whole_again(tmp_path: Path):
    live = folder(tmp_path)
    files = {f"p{n}.html": entry(n) for n in range(80)}
    live.save_manifest(manifest(files), {})
    changed = {p: replace(f, fp="other") for p, f in files.items()}
    assert len(changed) > len(files) // DELTA_SHARE
    live.save_manifest(manifest(changed, "in 2"), {})
    assert len(entries(tmp_path)) == 1  # whole again, and the old changes gone
    assert folder(tmp_path).manifest()[0] == manifest(changed, "in 2")


def test_changes_for_another_whole_manifest_are_never_applied(tmp_path: Path):
    files = {f"p{n}.html": entry(n) for n in range(40)}
    first = folder(tmp_path)
    first.save_manifest(manifest(files), {})
    first.save_manifest(manifest({**files, "p1.html": entry(1, "first's")}, "in 2"), {})
    delta = first.store.path("outputs", first._key("delta"))
    kept = delta.read_bytes()
    # Another process stores the manifest whole (say it rebuilt everything) ...
    rebuilt = {p: replace(f, fp="rebuilt") for p, f in files.items()}
    folder(tmp_path).save_manifest(manifest(rebuilt, "in 3"), {})
    assert not delta.exists()
    # ... and the first process's changes come back (written late): they are not for it.
    delta.write_bytes(kept)
    assert folder(tmp_path).manifest()[0] == manifest(rebuilt, "in 3")


def test_a_forgotten_manifest_is_stored_whole(tmp_path: Path):
    live = folder(tmp_path)
    files = {f"p{n}.html": entry(n) for n in range(40)}
    live.save_manifest(manifest(files), {})
    for path in (tmp_path / "cache" / "outputs").iterdir():  # the cache deleted under it
        path.unlink()
    live.forget()
    assert live.manifest()[0] == OutputManifest()
    live.save_manifest(manifest({**files, "p1.html": entry(1, "x")}, "in 2"), {})
    assert folder(tmp_path).manifest()[0] == manifest({**files, "p1.html": entry(1, "x")}, "in 2")
