"""Browser test fixtures: the sample site built once, served over HTTP, and Debian's Chromium.

The site is built under a project sub-path (`/reports-site/`, as on GitHub Pages) and served by a
local http.server that answers missing paths with the site's own 404.html, as GitHub Pages does.
Chromium is never downloaded: the tests use /usr/bin/chromium. A missing browser or test tool is a
skip on a developer machine and a failure under CI (CI_REQUIRE_BROWSER=1, set by scripts/test.sh).
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import ROOT, serve_like_pages
from publisher.pipeline import Paths, build

from .sample_site import RICH_REPORT, make_project

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
SCREENSHOTS = ROOT / "artifacts/screenshots"
BASE_PATH = "/reports-site/"

DESKTOP, PHONE, SMALLEST = 1280, 360, 320


def missing_tool(reason: str) -> None:
    """Skip on a developer machine, fail under CI where every tool must be present."""
    if os.environ.get("CI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CI_REQUIRE_BROWSER=1: browser tests must run; see scripts/setup.sh --test)",
                    pytrace=False)
    pytest.skip(f"{reason}; run scripts/setup.sh --test to install it")


def page_kind(path: str) -> str:
    """One kind per URL pattern: the first folder stays, deeper folders become '*'.

    countries/kazakhstan/2015/index.html -> countries/*/*/index.html; index.html stays index.html.
    """
    parts = path.split("/")
    if len(parts) == 1:
        return path
    return "/".join([parts[0], *["*"] * (len(parts) - 2), parts[-1]])


@dataclass(frozen=True)
class SampleSite:
    root: Path  # the served folder; the site itself is root / "reports-site"
    out: Path
    pages: tuple[str, ...]  # every HTML file, relative to `out`

    def kinds(self) -> dict[str, str]:
        """Page kind -> its largest page (the one with the most features on it)."""
        chosen: dict[str, str] = {}
        for path in self.pages:
            kind = page_kind(path)
            size = (self.out / path).stat().st_size
            if kind not in chosen or size > (self.out / chosen[kind]).stat().st_size:
                chosen[kind] = path
        report = "countries/*/*/index.html"
        if report in chosen and chosen[report] != RICH_REPORT + "index.html":
            # The sample's report with every edge case, and the largest real report as well.
            chosen[report + " (largest)"] = chosen[report]
            chosen[report] = RICH_REPORT + "index.html"
        return dict(sorted(chosen.items()))


def built_site(project: Path, served: Path) -> SampleSite:
    """`project` built under BASE_PATH in the folder `served` (which a server then serves)."""
    out = served / BASE_PATH.strip("/")
    build(Paths.at(project), out, base_url=BASE_PATH)
    pages = tuple(sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")))
    return SampleSite(served, out, pages)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    return built_site(make_project(tmp_path_factory.mktemp("browser-project")),
                      tmp_path_factory.mktemp("browser-www"))


@pytest.fixture(scope="session")
def site_url(sample_site: SampleSite) -> Iterator[str]:
    """http://127.0.0.1:<port>/reports-site/"""
    with serve_like_pages(sample_site.root, sample_site.out) as origin:
        yield origin + BASE_PATH


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright's sync API (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the playwright Python package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_opener(chromium, site_url: str) -> Iterator[Callable]:
    """opener(path, width=1280, color_scheme="light", ...) -> a loaded Playwright page of the
    site at `site_url`; every browser context it opened is closed at the end."""
    contexts = []

    def opener(path: str = "", width: int = DESKTOP, height: int = 800, color_scheme: str = "light",
               reduced_motion: str = "no-preference", media: str = "screen"):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       color_scheme=color_scheme, reduced_motion=reduced_motion)
        contexts.append(context)
        page = context.new_page()
        page.emulate_media(media=media)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
        page.on("response", lambda response: response.status >= 400
                and not response.request.is_navigation_request()
                and errors.append(f"HTTP {response.status}: {response.url}"))
        # Whatever the page's own Content-Security-Policy blocks (inline styles, scripts ...).
        page.add_init_script("""window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
                `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at line ${e.lineNumber}: ${e.sample}`));""")
        response = page.goto(site_url + path.removesuffix("index.html"), wait_until="load")
        page.status = response.status if response else None
        if page.evaluate("document.scripts.length > 0"):
            # Scripts may still change the page (search loads its index): measure the settled page.
            page.wait_for_load_state("networkidle")
        page.page_errors = errors  # inspected by tests that care
        return page

    try:
        yield opener
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_page(chromium, site_url: str) -> Iterator[Callable]:
    """open_page(path, width=1280, color_scheme="light", ...) -> a loaded page of the sample site."""
    with page_opener(chromium, site_url) as opener:
        yield opener


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        missing_tool(f"{AXE_JS.relative_to(ROOT)} not found (npm ci installs axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing_tool("java not found (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR.relative_to(ROOT)} not found (npm ci installs vnu-jar)")
    return [java, "-jar", str(VNU_JAR)]
