"""Keyboard: a visible skip link first, every link reachable with a visible focus indicator, and
footnote reference -> note -> back to the same reference, by keyboard and by mouse."""
from __future__ import annotations

import pytest

from .checks import focus_shows, install, tab_walk
from .conftest import DESKTOP, PHONE
from .sample_site import RICH_REPORT

IN_VIEW = """(id) => {
    const el = document.getElementById(id);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
}"""
ACTIVE_ID = "document.activeElement ? document.activeElement.id : null"


def test_first_tab_reaches_a_visible_skip_link_on_every_page_kind(open_page, sample_site):
    for kind, path in sample_site.kinds().items():
        page = open_page(path)
        install(page)
        page.keyboard.press("Tab")
        stop = page.evaluate("__t.active()")
        assert stop is not None and "skip-link" in stop["label"], (kind, stop)
        assert stop["visible"] and stop["inViewport"], f"{path}: skip link focused but not visible: {stop}"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        assert page.evaluate(ACTIVE_ID) == "main", f"{path}: focus did not move to the main content"
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), \
            f"{path}: Tab after the skip link left the main content"
        page.context.close()


def _walk_every_focusable(page, where: str) -> list[dict]:
    install(page)
    targets = page.evaluate("__t.tagFocusables()")
    stops = tab_walk(page, limit=len(targets) + 20)
    reached = {s["kb"] for s in stops if s["kb"] is not None}
    missed = [t["label"] for t in targets if t["kb"] not in reached]
    assert not missed, f"{where}: not reachable with Tab: {missed[:10]}"
    problems = []
    for stop in stops:
        if stop["kb"] is None:
            problems.append(f"focus on an element that is not meant to be focusable: {stop['label']}")
            continue
        if not focus_shows(targets[stop["kb"]]["look"], stop["look"]):
            problems.append(f"no visible focus indicator: {stop['label']} {stop['look']}")
        if not (stop["visible"] and stop["inViewport"]):
            problems.append(f"focused but not visible in the viewport: {stop['label']}")
    assert not problems, f"{where}:\n" + "\n".join(problems[:15])
    return targets


def test_every_link_is_reachable_by_tab_with_a_visible_focus_indicator(open_page, sample_site):
    for kind, path in sample_site.kinds().items():
        page = open_page(path, reduced_motion="reduce")  # focus scrolls instantly, not smoothly
        targets = _walk_every_focusable(page, f"{path} [{kind}]")
        assert any(t["kind"] == "navigation link" for t in targets), f"{path}: no navigation links found"
        page.context.close()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_report_notes_and_back_links_are_reachable_by_tab(open_page, width):
    page = open_page(RICH_REPORT, width=width, reduced_motion="reduce")
    targets = _walk_every_focusable(page, f"{RICH_REPORT} at {width} px")
    kinds = {t["kind"] for t in targets}
    assert {"skip link", "navigation link", "doc-noteref", "doc-backlink"} <= kinds, kinds


def _refs(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('a[role=doc-noteref]')].map(a => ({
        id: a.id, note: a.getAttribute('href').slice(1)}))""")


# The round trips run with reduced motion: overlapping smooth scrolls would make "where the page
# ends up" depend on timing; where focus lands does not depend on the scrolling style.


def test_reference_to_note_and_back_by_keyboard(open_page):
    page = open_page(RICH_REPORT, reduced_motion="reduce")
    refs = _refs(page)
    assert len(refs) >= 12 and len({r["note"] for r in refs}) < len(refs), "fixture needs repeated notes"
    install(page)
    looks = {ref["note"]: page.evaluate("(id) => __t.look(document.getElementById(id))", ref["note"])
             for ref in refs}
    for ref in refs:
        page.focus(f"#{ref['id']}")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == f"#{ref['note']}"
        # Focus lands on the note itself, so the next Tab stays in it and a screen reader reads it.
        assert page.evaluate(ACTIVE_ID) == ref["note"], f"after Enter on {ref['id']} focus is elsewhere"
        now = page.evaluate("(id) => __t.look(document.getElementById(id))", ref["note"])
        assert focus_shows(looks[ref["note"]], now), f"note {ref['note']} shows no sign of focus: {now}"
        page.wait_for_function(IN_VIEW, arg=ref["note"], timeout=5000)
        # Tab to this reference's own back link, never leaving the note on the way.
        for _ in range(10):
            page.keyboard.press("Tab")
            inside, href = page.evaluate(
                """(note) => [document.getElementById(note).contains(document.activeElement),
                              document.activeElement.getAttribute('href')]""", ref["note"])
            assert inside, f"Tab left note {ref['note']} before reaching the link back to {ref['id']}"
            if href == f"#{ref['id']}":
                break
        else:
            pytest.fail(f"no back link to {ref['id']} in note {ref['note']}")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == f"#{ref['id']}"
        assert page.evaluate(ACTIVE_ID) == ref["id"], f"back link did not return focus to {ref['id']}"
        page.wait_for_function(IN_VIEW, arg=ref["id"], timeout=5000)


def test_reference_to_note_and_back_by_click(open_page):
    page = open_page(RICH_REPORT, width=PHONE, reduced_motion="reduce")
    for ref in _refs(page):
        page.click(f"#{ref['id']}")
        assert page.evaluate("location.hash") == f"#{ref['note']}"
        assert page.evaluate(ACTIVE_ID) == ref["note"]
        page.wait_for_function(IN_VIEW, arg=ref["note"], timeout=5000)
        page.click(f"#{ref['note']} a[role=doc-backlink][href='#{ref['id']}']")
        assert page.evaluate("location.hash") == f"#{ref['id']}"
        assert page.evaluate(ACTIVE_ID) == ref["id"]
        page.wait_for_function(IN_VIEW, arg=ref["id"], timeout=5000)
