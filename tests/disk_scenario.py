"""One disk-fault scenario, run by tests/test_disk_faults.py inside a private mount namespace
(`unshare --user --map-root-user --mount`) where FOLDER is a small tmpfs of its own.

A project on that file system is built once; then one report is edited and the file system is
made full (leaving FREE_KB) or read-only, and the build runs again. The file system is then
given back and a last build must repair everything. Prints one JSON object with what happened.

    python disk_scenario.py FOLDER REPO SCRATCH full|readonly FREE_KB search|no-search
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

folder, repo, scratch = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
mode, free_kb, search = sys.argv[4], int(sys.argv[5]), sys.argv[6] == "search"
project = folder / "project"
sys.path.insert(0, str(repo / "tests"))
from conftest import FIXTURE_SITE, copy_project  # noqa: E402 (the tests' own project maker)

copy_project(project, FIXTURE_SITE)


def run_build() -> subprocess.CompletedProcess:
    command = [sys.executable, str(repo / "build.py")] + ([] if search else ["--no-search"])
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)


def tree(site: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def fill(leave_kb: int) -> Path:
    """Take every byte of the file system but `leave_kb` KB."""
    filler = folder / "filler"
    # Unbuffered, so that nothing is left in a buffer for close() to fail on when the disk is full.
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
    stat = os.statvfs(folder)
    size = filler.stat().st_size - max(0, leave_kb * 1024 - stat.f_bavail * stat.f_frsize)
    os.truncate(filler, max(0, size))
    return filler


def index_whole(site: Path) -> bool:
    """The search bundle of the site is complete (see publisher.search.check_bundle)."""
    sys.path.insert(0, str(repo))
    from publisher.search import IndexFailed, _count_pages, check_bundle

    folders = tuple(p.name + "/" for p in site.iterdir() if p.is_dir() and p.name != "pagefind")
    try:
        check_bundle(site / "pagefind", _count_pages(site, folders))
    except IndexFailed:
        return False
    return True


first = run_build()
assert first.returncode == 0, first.stderr
before = tree(project / "site")
report = project / "content/reports/aland/2015.md"
report.write_text(report.read_text().replace("a short summary", "an edited summary"))
if mode == "full":
    filler = fill(free_kb)
else:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
faulty = run_build()
after = tree(project / "site")
if mode == "full":
    filler.unlink()
else:
    subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
again = run_build()
repaired = tree(project / "site")
clean = scratch / "clean"
shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".build-cache", ".site*"))
subprocess.run([sys.executable, str(repo / "build.py")] + ([] if search else ["--no-search"]),
               cwd=clean, capture_output=True, text=True, timeout=300, check=True)
expected = tree(clean / "site")
print(json.dumps({
    "returncode": faulty.returncode, "stderr": faulty.stderr, "stdout": faulty.stdout,
    "intact": after == before, "again": again.returncode, "again_stderr": again.stderr,
    "repaired": {k: v for k, v in repaired.items() if not k.startswith("pagefind/")}
    == {k: v for k, v in expected.items() if not k.startswith("pagefind/")},
    "index_whole": index_whole(project / "site") if search else True,
}))
