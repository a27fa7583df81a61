"""The scripted parts, used from the keyboard: sortable tables and the search page (with results,
and without JavaScript)."""
from __future__ import annotations

import pytest

from .checks import describe_violations, run_axe
from .conftest import PHONE

SORTABLE = "table.sortable"


def _rows(page) -> list[str]:
    return page.evaluate(
        f"() => [...document.querySelector('{SORTABLE}').tBodies[0].rows].map(r => r.textContent.trim())")


def test_sortable_tables_sort_from_the_keyboard(open_page, sample_site):
    checked = 0
    for kind, path in sample_site.kinds().items():
        page = open_page(path)
        if page.locator(SORTABLE).count() == 0:
            page.context.close()
            continue
        checked += 1
        buttons = page.locator(f"{SORTABLE} >> nth=0 >> thead th .sort-button")
        assert buttons.count() > 1, f"{path}: sortable table without sort buttons"
        header = page.locator(f"{SORTABLE} >> nth=0 >> thead th").nth(1)
        before = _rows(page)
        buttons.nth(1).focus()
        page.keyboard.press("Enter")
        assert header.get_attribute("aria-sort") == "ascending", path
        ascending = _rows(page)
        page.keyboard.press("Space")
        assert header.get_attribute("aria-sort") == "descending", path
        descending = _rows(page)
        assert sorted(ascending) == sorted(before) == sorted(descending), f"{path}: rows lost or changed"
        if len(set(before)) > 1:
            assert ascending != descending, f"{path}: the order did not change"
        assert page.evaluate("document.activeElement.classList.contains('sort-button')"), \
            f"{path}: focus left the sort button"
        page.context.close()
    if not checked:
        pytest.skip("no sortable table on this site")


def test_search_results_by_keyboard_are_accessible(open_page, sample_site, axe_source):
    if not (sample_site.out / "search/index.html").is_file():
        pytest.skip("the site has no search page")
    if not (sample_site.out / "pagefind").is_dir():
        pytest.skip("no search index was built (pagefind not installed)")
    for width in (1280, PHONE):
        page = open_page("search/", width=width)
        page.focus("#search-q")
        page.keyboard.type("ballot")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results a').length > 0", timeout=15000)
        assert "match" in page.text_content("#search-status")
        links = page.evaluate("[...document.querySelectorAll('#search-results a')].map(a => a.href)")
        assert any("countries/testland/2015/" in link for link in links), links
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(f"search results at {width} px", violations)
        # Tab from the search field reaches the first result.
        page.focus("#search-q")
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('#search-results') !== null"):
                break
        else:
            pytest.fail("the results are not reachable with Tab from the search field")
        page.context.close()


def test_search_merges_every_part_of_a_split_index(chromium, tmp_path, monkeypatch):
    from conftest import FIXTURE_SITE, nit_project, serve_like_pages
    import publisher.search as search
    from publisher.pipeline import build

    if not search.search_available():
        pytest.skip("pagefind not installed")
    monkeypatch.setattr(search, "REPORTS_PER_PART", 4)  # 4 parts for the 12 fixture reports
    out = tmp_path / "www" / "reports-site"
    build(nit_project(FIXTURE_SITE), out, base_url="/reports-site/")
    with serve_like_pages(tmp_path / "www", out) as origin:
        page = chromium.new_page()
        try:
            page.goto(origin + "/reports-site/search/?q=transit")
            page.wait_for_function(
                "() => document.querySelectorAll('#search-results a').length > 0", timeout=15000)
            links = page.evaluate(
                "[...document.querySelectorAll('#search-results a')].map(a => a.href)")
        finally:
            page.close()
    found = {link.split("/countries/")[1].split("/")[0] for link in links if "/countries/" in link}
    assert found == {"aland", "borduria", "carpania", "dravia", "estoria"}, links


def test_search_page_without_javascript_offers_other_ways(chromium, site_url, sample_site):
    if not (sample_site.out / "search/index.html").is_file():
        pytest.skip("the site has no search page")
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "search/")
        fallback = page.locator("#search-fallback")
        assert fallback.is_visible()
        assert fallback.locator("a").count() >= 1
    finally:
        context.close()
