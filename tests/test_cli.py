"""The command line as an editor meets it: commands you can discover, one precise message per
mistake, grouped warnings, drafts and the `new` scaffold (issue 13)."""
from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, report_text, write_tree

MISSING_NOTES = "\n".join(f"Claim {n}.[^{n}]" for n in range(1, 6)) + "\n\n" + "\n".join(
    f"[^{n}]: [missing]" for n in range(1, 6))


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    # No edition maps: the warning that Testland has no map shape is not what these test.
    shutil.rmtree(project / "data/map")
    write_tree(project / "content", {
        "reports/testland/2015.md": report_text("Testland", 2015, sections={
            "Executive Summary": MISSING_NOTES,
            **{title: "Text." for title in (
                "National Democratic Governance", "Electoral Process", "Civil Society",
                "Independent Media", "Local Democratic Governance",
                "Judicial Framework and Independence", "Corruption")}}),
    })
    return project


def test_help_lists_every_command_and_each_has_its_own_help(site: Path):
    overview = run(site, "--help")
    assert overview.returncode == 0
    for command in ("build", "check", "serve", "new", "import"):
        assert f"\n  {command} " in overview.stdout
    assert "--no-search" in overview.stdout  # the default command's options
    for command in ("check", "serve", "new", "build"):
        own = run(site, command, "--help")
        usage = "usage: build.py " + ("" if command == "build" else command)
        assert own.returncode == 0 and own.stdout.startswith(usage.rstrip())
    assert "--no-drafts" in run(site, "serve", "--help").stdout
    assert "--verbose" in run(site, "check", "--help").stdout
    assert run(site, "--version").stdout.startswith("build.py (report publisher) ")


@pytest.mark.parametrize("typed, suggestion", [("serv", "serve"), ("chek", "check"),
                                               ("biuld", "build"), ("imprt", "import")])
def test_a_mistyped_command_gets_did_you_mean(site: Path, typed: str, suggestion: str):
    result = run(site, typed)
    assert result.returncode == 2
    assert f"unknown command '{typed}'; did you mean '{suggestion}'?" in result.stderr
    assert not (site / "site").exists()  # nothing was built


def test_an_unrelated_word_lists_the_commands(site: Path):
    result = run(site, "publish")
    assert result.returncode == 2
    assert "the commands are: build, check, serve, new, import" in result.stderr


def test_many_warnings_of_one_kind_are_one_line_and_verbose_lists_each(site: Path):
    grouped = run(site, "check")
    assert grouped.returncode == 0
    lines = [line for line in grouped.stderr.splitlines() if "warning:" in line]
    assert lines == ["content/reports/testland/2015.md:22: warning: 5 notes have no text yet "
                     "([missing]; 'build.py check --verbose' lists each)"]
    assert "check OK: 1 report(s), 5 warning(s), 0 error(s)" in grouped.stdout
    verbose = run(site, "check", "--verbose")
    assert len([line for line in verbose.stderr.splitlines() if "has no text yet" in line]) == 5
    quiet = run(site, "check", "-q")
    assert quiet.stderr == "" and "5 warning(s)" in quiet.stdout
    build = run(site, "--no-search")
    assert build.stderr.count("warning:") == 1 and "(5 warning(s))" in build.stdout
    assert run(site, "--no-search", "-q").stderr == ""


def test_a_failed_check_still_counts(site: Path):
    (site / "content/reports/testland/2015.md").write_text("---\ncountry: [\n---\n")
    result = run(site, "check")
    assert result.returncode == 1
    assert "check FAILED: 1 report file(s), 0 warning(s), 1 error(s)" in result.stdout


def test_new_starts_from_the_previous_edition_and_never_overwrites(site: Path):
    result = run(site, "new", "Testland", "2016")
    assert result.returncode == 0, result.stderr
    path = site / "content/reports/testland/2016.md"
    text = path.read_text()
    assert "draft: true" in text and "country: \"Testland\"" in text
    assert "  corruption: 3.00" in text  # last edition's rating as the starting point
    for title in ("Executive Summary", "Electoral Process", "Corruption"):
        assert f"\n## {title}\n" in text
    assert "Next:" in result.stdout and "build.py check" in result.stdout
    check = run(site, "check")
    assert check.returncode == 0, check.stderr
    assert "1 report(s) (1 draft(s) left out)" in check.stdout
    path.write_text(text + "\nEdited by hand.\n")
    again = run(site, "new", "Testland", "2016")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text().endswith("Edited by hand.\n")


def test_new_for_a_first_edition_starts_from_scratch(site: Path):
    result = run(site, "new", "Otherland", "2015")
    assert result.returncode == 0 and "from scratch" in result.stdout
    assert run(site, "check", "--drafts").returncode == 0


def test_drafts_stay_out_of_a_published_build(site: Path):
    write_tree(site / "content", {"reports/testland/2016.md": report_text(
        "Testland", 2016, front="draft: true")})
    result = run(site, "--no-search")
    assert result.returncode == 0, result.stderr
    assert "Built 1 report(s), 1 draft(s) left out" in result.stdout
    built = site / "site"
    assert not (built / "countries/testland/2016").exists()
    for name in ("sitemap.xml", "feed.xml", "data/reports.csv", "data/reports.json",
                 "countries/testland/2015/index.html", "editions/index.html"):
        assert "2016" not in (built / name).read_text(), name
    with_drafts = run(site, "--no-search", "--drafts", "--out", "preview")
    assert with_drafts.returncode == 0
    assert (site / "preview/countries/testland/2016/index.html").is_file()


def test_draft_must_be_true_or_false(site: Path):
    write_tree(site / "content", {"reports/testland/2016.md": report_text(
        "Testland", 2016, front="draft: maybe")})
    result = run(site, "check")
    assert "2016.md:12: 'draft' must be true or false, got 'maybe'" in result.stderr


def _on_a_terminal(project: Path, *args: str) -> bytes:
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                               stdin=child, stdout=child, stderr=child)
    os.close(child)
    output = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(main)
    return output


def test_progress_shows_on_a_terminal_only(site: Path):
    write_tree(site / "content", {f"reports/country{n}/2015.md": report_text(f"Country {n}", 2015)
                                  for n in range(6)})
    output = _on_a_terminal(site, "--no-search")
    assert b"\r\x1b[2K  pages " in output and b"reports" in output
    plain = run(site, "--no-search", "--out", "other")
    assert "\r" not in plain.stderr and "pages " not in plain.stderr
