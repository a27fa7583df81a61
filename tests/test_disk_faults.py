"""A full or read-only disk, at any point of the build (rendering, the cache, the search index,
the swap): one clear message, exit status 1, the previous site intact, and the next build
(with the space given back) repairs everything (issue 12, items 4 and 6).

Each scenario runs in a private mount namespace with a small tmpfs of its own
(`unshare --user --map-root-user --mount`: no root needed, nothing on the machine affected).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SCENARIO = Path(__file__).with_name("disk_scenario.py")


def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                           capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _namespaces_work(),
                                reason="needs user and mount namespaces (unshare)")


def scenario(tmp_path: Path, mode: str, free_kb: int = 0, search: bool = False,
             size_mb: int = 24) -> dict:
    folder = tmp_path / "fs"
    folder.mkdir()
    script = (f"mount -t tmpfs -o size={size_mb}m tmpfs {folder} && exec {sys.executable} "
              f"{SCENARIO} {folder} {ROOT} {tmp_path} {mode} {free_kb} "
              f"{'search' if search else 'no-search'}")
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_failed_cleanly(outcome: dict, reason: str) -> None:
    assert outcome["returncode"] == 1, outcome
    assert "Traceback" not in outcome["stderr"]
    problems = [line for line in outcome["stderr"].splitlines()
                if ": " in line and not line.startswith("Build failed")]
    assert len(problems) == 1, outcome["stderr"]  # one message, naming the path
    assert reason in problems[0].lower(), problems[0]
    assert outcome["intact"], "the previous site was changed"


def assert_repaired(outcome: dict) -> None:
    assert outcome["again"] == 0, outcome["again_stderr"]
    assert outcome["repaired"], "the next build did not bring the site up to date"
    assert outcome["index_whole"], "the search index is not whole after the next build"


@pytest.mark.parametrize("free_kb", [0, 8, 40, 120])
def test_a_full_disk_fails_the_build_and_the_next_one_repairs(tmp_path: Path, free_kb: int):
    outcome = scenario(tmp_path, "full", free_kb)
    if outcome["returncode"] == 0:  # there was room enough after all: then it must be right
        assert outcome["intact"] is False and "Traceback" not in outcome["stderr"]
    else:
        assert_failed_cleanly(outcome, "no space left on device")
    assert_repaired(outcome)


def test_a_read_only_output_fails_the_build_cleanly(tmp_path: Path):
    outcome = scenario(tmp_path, "readonly")
    assert_failed_cleanly(outcome, "read-only file system")
    assert_repaired(outcome)


@pytest.mark.parametrize("free_kb", [150, 400, 800])
def test_a_full_disk_while_indexing_fails_the_build_and_the_next_one_reindexes(tmp_path: Path,
                                                                               free_kb: int):
    outcome = scenario(tmp_path, "full", free_kb, search=True)
    if outcome["returncode"] == 0:
        assert outcome["index_whole"] is not False
    else:
        assert "Traceback" not in outcome["stderr"]
        assert outcome["intact"], "the previous site was changed"
    assert_repaired(outcome)
