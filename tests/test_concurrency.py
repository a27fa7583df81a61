"""Two builds at once cannot interleave their output: the second one stops with a clear message."""
from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, report_text, write_tree


def test_second_build_is_refused_while_one_is_writing(project: Path):
    write_tree(project / "content", {"reports/testland/2015.md": report_text()})
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search"], cwd=project,
                          capture_output=True).returncode == 0
    before = (project / "site/index.html").read_bytes()
    # Hold the output lock as a running build does, from another open file description.
    lock_file = next(project.glob(".site*.lock"))
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search"], cwd=project,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "another build is writing to" in result.stderr and "Traceback" not in result.stderr
    assert (project / "site/index.html").read_bytes() == before
    # Once the lock is released, building works again.
    again = subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search"], cwd=project,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
