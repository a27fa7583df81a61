"""The pages of a site with several series (tests/fixtures/multi: Nations in Transit, Freedom in
the World, Freedom on the Net) in a browser: valid HTML everywhere, no axe violation on any page
kind at desktop and phone widths in both colour schemes, a skip link first and every link
reachable by keyboard with a visible focus, and no sideways scrolling at 360 px."""
from __future__ import annotations

import json
import shutil
import subprocess
from typing import Callable, Iterator

import pytest

from conftest import ALL_SERIES, ROOT, copy_project, serve_like_pages

from .checks import describe_violations, horizontal_loss, install, run_axe
from .conftest import BASE_PATH, DESKTOP, PHONE, SampleSite, built_site, page_kind, page_opener
from .test_keyboard import _walk_every_focusable

MULTI = ROOT / "tests/fixtures/multi/content"


@pytest.fixture(scope="module")
def series_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    project = copy_project(tmp_path_factory.mktemp("series-project"), MULTI, series=ALL_SERIES)
    # The repository's own pages (about, methodology) are written for a site of several series.
    shutil.copytree(ROOT / "content/pages", project / "content/pages")
    return built_site(project, tmp_path_factory.mktemp("series-www"))


@pytest.fixture(scope="module")
def series_pages(chromium, series_site: SampleSite) -> Iterator[Callable]:
    """series_pages(path, width=1280, color_scheme="light", ...): a loaded page of the series site."""
    with serve_like_pages(series_site.root, series_site.out) as origin, \
            page_opener(chromium, origin + BASE_PATH) as opener:
        yield opener


def kinds(site: SampleSite) -> dict[str, str]:
    """One page per kind of the series site: the new kinds (overview, a series' front page)
    by name, the others by URL pattern, each its largest page."""
    chosen: dict[str, str] = {}
    for path in site.pages:
        kind = "series front page" if path.count("/") == 1 and path.split("/")[0] in (
            "fiw", "fotn", "nit") else page_kind(path)
        size = (site.out / path).stat().st_size
        if kind not in chosen or size > (site.out / chosen[kind]).stat().st_size:
            chosen[kind] = path
    return chosen


def test_the_series_site_has_the_new_page_kinds(series_site):
    found = kinds(series_site)
    assert {"index.html", "series front page", "countries/*/index.html",
            "countries/*/*/*/index.html", "fiw/*/*/index.html"} <= set(found), found


def test_every_page_of_the_series_site_is_valid_html(series_site, vnu_command):
    files = [str(series_site.out / path) for path in series_site.pages]
    result = subprocess.run([*vnu_command, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or "{}")
    errors = [m for m in report.get("messages", [])
              if m.get("type") in ("error", "non-document-error")]
    assert "messages" in report and not errors, "\n".join(
        f"{m.get('url', '?').rsplit('/reports-site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in errors[:30])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_violations_on_the_series_pages(series_pages, series_site, axe_source,
                                                      width, scheme):
    failures = []
    for kind, path in kinds(series_site).items():
        violations = run_axe(series_pages(path, width=width, color_scheme=scheme), axe_source)
        if violations:
            failures.append(describe_violations(f"{path} at {width}px, {scheme}", violations))
    assert not failures, "\n".join(failures)


def test_keyboard_reaches_every_link_with_a_visible_focus(series_pages, series_site):
    for kind, path in kinds(series_site).items():
        page = series_pages(path, reduced_motion="reduce")  # focus scrolls instantly, not smoothly
        install(page)
        page.keyboard.press("Tab")
        first = page.evaluate("__t.active()")
        assert first is not None and "skip-link" in first["label"], (path, first)
        page.reload(wait_until="load")
        _walk_every_focusable(page, f"{path} [{kind}]")


def test_no_page_scrolls_sideways_on_a_phone(series_pages, series_site):
    failures = []
    for path in series_site.pages:
        loss = horizontal_loss(series_pages(path, width=PHONE))
        if loss["scrollWidth"] > loss["clientWidth"] or loss["problems"]:
            failures.append(f"{path}: {loss['scrollWidth']} px in {loss['clientWidth']} px; "
                            + "; ".join(loss["problems"]))
    assert not failures, "\n".join(failures)
