"""A draft written by `import --partial` (placeholders for what the page lacks) renders as valid,
accessible HTML that says what the source lacks."""
from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, serve_like_pages
from publisher.importer.cli import main
from publisher.pipeline import Builder, Paths

from .checks import describe_violations, run_axe
from .conftest import BASE_PATH, DESKTOP

CORPUS = ROOT / "tests" / "fixtures" / "raw" / "corpus"
DRAFTS = {  # page -> (its report's address, extra import arguments)
    "nit_croatia_2021.txt": ("countries/croatia/2021/", ["--edition", "2021"]),  # no rating at all
    "nit_poland_2018.txt": ("countries/poland/2018/", []),  # four ratings of seven
}


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("draft-project"))
    for name, (_, extra) in DRAFTS.items():
        code = main([str(CORPUS / name), "--content", str(project / "content"), "--data", str(project / "data"),
                     "--partial", *extra], out=io.StringIO(), err=io.StringIO())
        assert code == 0, name
    served = tmp_path_factory.mktemp("draft-www")
    # Drafts are shown by a preview (and a build with --drafts), never by a published build.
    Builder(Paths.at(project), drafts=True).build(served / BASE_PATH.strip("/"), BASE_PATH, False)
    return served


def test_draft_report_pages_are_valid_html(draft_site, vnu_command):
    files = [str(draft_site / BASE_PATH.strip("/") / url / "index.html") for url, _ in DRAFTS.values()]
    result = subprocess.run([*vnu_command, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or "{}")
    errors = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    assert not errors and result.returncode == 0, errors[:10]


def test_draft_report_pages_have_no_axe_violations_and_say_what_is_missing(draft_site, chromium, axe_source):
    with serve_like_pages(draft_site, draft_site / BASE_PATH.strip("/")) as origin:
        for url, _ in DRAFTS.values():
            context = chromium.new_context(viewport={"width": DESKTOP, "height": 800})
            page = context.new_page()
            page.goto(origin + BASE_PATH + url, wait_until="load")
            violations = run_axe(page, axe_source)
            assert not violations, describe_violations(url, violations)
            missing = page.locator(".section-missing")
            assert missing.first.is_visible()
            assert "Section text not available in the source." in page.inner_text("main")
            context.close()
