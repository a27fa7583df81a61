"""`build.py serve` in a real browser: the open tab reloads after a save, the build-error panel
shows (styled) and goes away, all within the site's Content-Security-Policy."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project
from test_serve import FIXTURE, PAGE, REPORT, Server, edit

CSP_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));"""


@pytest.fixture
def served(tmp_path: Path):
    copy_project(tmp_path, FIXTURE)
    server = Server(tmp_path)
    yield server, tmp_path
    server.stop()


def open_live_page(chromium, server: Server):
    """The report page in a new tab, once livereload.js has connected; returns (context, page)."""
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(CSP_WATCH)
    page.goto(server.url(PAGE), wait_until="load")
    # livereload.js has connected when it set its marker on the page.
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=15000)
    return context, page


def test_saving_a_report_reloads_the_open_tab(chromium, served):
    server, project = served
    context, page = open_live_page(chromium, server)
    page.evaluate("window.__notReloaded = true")
    edit(project / REPORT, "What happened to civil society in Aland during 2014.",
         "A sentence typed in the editor just now.")
    # Polled through the reload itself: between two documents there may be no body yet.
    page.wait_for_function(
        "() => (document.body?.innerText ?? '').includes('A sentence typed in the editor just now.')",
        timeout=20000)
    assert page.evaluate("window.__notReloaded === undefined"), "the page changed without a reload?"
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def test_build_error_panel_is_shown_styled_and_clears(chromium, served):
    server, project = served
    context, page = open_live_page(chromium, server)
    edit(project / REPORT, "civil-society: 5.50", "civil-society: 9.50")
    panel = page.locator("#publisher-build-error")
    panel.wait_for(timeout=20000)
    assert "aland/2015.md" in panel.inner_text() and "out of range" in panel.inner_text()
    border = panel.evaluate("e => getComputedStyle(e).borderBottomColor")
    assert border == "rgb(164, 0, 0)", "the panel's stylesheet did not apply"
    edit(project / REPORT, "civil-society: 9.50", "civil-society: 5.50")
    panel.wait_for(state="detached", timeout=20000)
    assert page.evaluate("window.__cspViolations") == []
    context.close()
