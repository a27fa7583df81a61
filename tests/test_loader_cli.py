"""Hostile content through the command line: one `path:line: message`, exit 1, never a traceback."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, report_text, write_tree

REPORT = "content/reports/testland/2015.md"


def run_cli(*args: str, cwd: Path, user: int | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def with_line(front: str) -> str:
    return report_text().replace("country: Testland\n", f"country: Testland\n{front}\n")


HOSTILE = {
    "rating 1e99": (report_text().replace("corruption: 3.00", "corruption: 1e99"), 11,
                    "rating for 'corruption' 1e99 is out of range (1-7)"),
    "100,000 digits": (report_text().replace("corruption: 3.00", "corruption: " + "7" * 100_000), 11,
                       "rating for 'corruption' 77777777777777777777… (100000 characters) is out of "
                       "range (1-7)"),
    "nested 20,000 deep": (with_line("summary: " + "[" * 20_000 + "]" * 20_000), 3,
                           "nested more than 32 levels deep: lists and mappings in content need "
                           "only a few levels"),
    "escaped NUL": (report_text().replace("country: Testland", 'country: "Test\\0land"'), 2,
                    "'country' contains U+0000 (NUL): remove it (as an escape in double quotes it "
                    "is written \"\\0\")"),
    "date out of range": (with_line("summary: 2015-02-30"), None, None),  # text, not a date: loads
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_report_gives_one_message_and_keeps_the_site(project: Path, case: str):
    text, line, message = HOSTILE[case]
    write_tree(project, {REPORT: report_text()})
    assert run_cli("--no-search", cwd=project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / REPORT).write_text(text, encoding="utf-8")
    for args in (("check",), ("--no-search",)):
        result = run_cli(*args, cwd=project)
        assert "Traceback" not in result.stderr, result.stderr
        if message is None:
            assert result.returncode == 0, result.stderr
            continue
        assert result.returncode == 1
        errors = [l for l in result.stderr.splitlines() if "warning:" not in l and ": " in l
                  and l.startswith("content/")]
        assert errors == [f"{REPORT}:{line}: {message}"]
    if message is not None:
        after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
        assert after == before


def test_check_summary_gives_numbers_when_it_fails(project: Path):
    write_tree(project, {REPORT: report_text().replace("corruption: 3.00", "corruption: 1.30"),
                         "content/reports/otherland/2015.md": report_text("Otherland")})
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1] == (
        "check FAILED: 2 report file(s), 0 warning(s), 1 error(s)")


def test_line_separators_and_tabs_in_a_summary_keep_the_feed_well_formed(project: Path):
    text = report_text().replace("ratings:", 'summary: "Line\\Lone\\ttwo\\Pthree"\nratings:')
    write_tree(project, {REPORT: text})
    result = run_cli("--no-search", cwd=project)
    assert result.returncode == 0, result.stderr
    feed = ElementTree.parse(project / "site/feed.xml")  # raises on an ill-formed feed
    assert "Line one two three" in ElementTree.tostring(feed.getroot(), encoding="unicode")


def test_unreadable_report_file_is_one_message():
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root, which reads any file")
    with tempfile.TemporaryDirectory() as tmp:  # not under pytest's root-only tmp folders
        project = copy_project(Path(tmp) / "project")
        write_tree(project, {REPORT: report_text()})
        os.chmod(project / REPORT, 0)
        user = None
        if os.geteuid() == 0:
            user = 65534  # nobody
            for folder, names, files in os.walk(tmp):
                os.chmod(folder, 0o777)
                for name in files:
                    path = Path(folder, name)
                    if path != project / REPORT:
                        path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IWOTH)
        result = run_cli("check", cwd=project, user=user)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 1
        # The engine reads each input once, before the loader (which says the same, with a hint:
        # test_load.py::test_an_unreadable_file_is_one_message).
        assert result.stderr.splitlines() == [f"{REPORT}:1: cannot read file: Permission denied"]
