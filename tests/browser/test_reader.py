"""What a reader of the report, edition, countries and country pages uses, measured in Chromium:
the Other years switcher and the map's links from the keyboard, the sticky contents column, the
copy-citation button, the citation files as served (read by real parsers), the small multiples,
the fitted country chart, and the phone widths (main figures in view, captions whole)."""
from __future__ import annotations

import json
from datetime import date

import bibtexparser
import pytest
import rispy

from .checks import install
from .conftest import DESKTOP, PHONE
from .sample_site import MAPPED_2015, RICH_REPORT

EDITION = "editions/2015/"
PHONES = (PHONE, 375)
ACTIVE = "document.activeElement"


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab from the top until focus is on an element matching `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(sel) => {ACTIVE}.matches(sel)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


# --- the report page --------------------------------------------------------------------------

@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_other_years_switcher_by_keyboard(open_page, width):
    page = open_page(RICH_REPORT, width=width, reduced_motion="reduce")
    switcher = "nav.other-years a"
    years = page.evaluate(f"""() => [...document.querySelectorAll('{switcher}')].map(a =>
        [a.textContent.trim(), a.getAttribute('aria-current')])""")
    assert years == [["2014", None], ["2015", "page"], ["2016", None]]
    # near the top: in the first screen, before the scores
    top = page.evaluate(f"document.querySelector('{switcher}').getBoundingClientRect().top")
    assert 0 < top < 800
    install(page)
    _tab_to(page, switcher)
    seen = []
    for _ in years:
        stop = page.evaluate("__t.active()")
        assert stop["visible"] and stop["inViewport"], stop
        seen.append(page.evaluate(f"{ACTIVE}.textContent.trim()"))
        page.keyboard.press("Tab")
    assert seen == ["2014", "2015", "2016"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # on 2016
    page.wait_for_url("**/countries/testland/2016/")
    assert page.evaluate("document.querySelector('nav.other-years [aria-current=page]').textContent"
                         ).strip() == "2016"


def test_the_contents_stay_beside_the_text_on_a_wide_screen(open_page):
    page = open_page(RICH_REPORT, width=DESKTOP, reduced_motion="reduce")
    page.evaluate("document.getElementById('corruption').scrollIntoView()")
    toc = page.evaluate("""() => { const r = document.querySelector('.toc').getBoundingClientRect();
        const text = document.querySelector('#corruption .prose p').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, right: r.right, textLeft: text.left,
                textWidth: text.width, rem: parseFloat(getComputedStyle(document.documentElement).fontSize)}; }""")
    assert 0 <= toc["top"] < 50 and toc["bottom"] <= 800, f"the contents scrolled away: {toc}"
    assert toc["right"] <= toc["textLeft"], "the contents overlap the text"
    assert toc["textWidth"] <= 42 * toc["rem"] + 1, "the reading measure grew"
    assert page.evaluate("document.querySelector('.to-contents').checkVisibility()") is False
    page.click(".toc__top a")
    page.wait_for_function("() => window.scrollY === 0")
    page.keyboard.press("Tab")  # the next Tab starts from the top again: the skip link
    assert page.evaluate(f"{ACTIVE}.classList.contains('skip-link')")


def test_on_a_phone_the_contents_open_the_report_and_each_section_leads_back(open_page):
    page = open_page(RICH_REPORT, width=PHONE, reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.querySelector('.toc')).position") == "static"
    back = page.locator("#corruption .to-contents a")
    assert back.is_visible()
    back.click()
    assert page.evaluate("location.hash") == "#contents"
    assert page.evaluate("document.getElementById('contents').getBoundingClientRect().top") < 100


def test_copy_citation_puts_the_citation_with_todays_date_on_the_clipboard(chromium, site_url):
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(site_url + RICH_REPORT)
        button = page.get_by_role("button", name="Copy citation")
        button.focus()
        page.keyboard.press("Enter")
        status = page.locator(".cite__status")
        status.wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('.cite__status').textContent !== ''")
        assert "Citation copied" in status.text_content()
        copied = page.evaluate("navigator.clipboard.readText()")
        today = date.today()
        assert copied.startswith("Doe, Jane, and Johannes Alexander Longname-Smythe. “Testland.” "
                                 "In Nations in Transit 2015. Freedom House, 2015. ")
        # the date as the page's language (en) writes it, as Chicago style has it
        assert copied.endswith(f"Accessed {today.strftime('%B')} {today.day}, {today.year}.")
        assert "[date]" not in copied and "\n" not in copied
        # Without the script the page still shows the whole citation, date left for the reader.
        assert page.evaluate("document.getElementById('citation-text').textContent").strip() \
            .endswith("Accessed [date].")
    finally:
        context.close()


def test_the_citation_files_beside_the_citation_are_read_by_real_parsers(open_page):
    page = open_page(RICH_REPORT)
    links = page.evaluate("""() => [...document.querySelectorAll('.cite__files a')].map(a =>
        [a.textContent.trim(), a.href, a.getAttribute('download')])""")
    assert [label for label, _, _ in links] == ["BibTeX", "RIS", "CSL-JSON"]
    files = {label: page.request.get(href) for label, href, _ in links}
    assert all(response.ok for response in files.values())
    library = bibtexparser.parse_string(files["BibTeX"].text())
    assert not library.failed_blocks and library.entries[0]["booktitle"] == "Nations in Transit 2015"
    (entry,) = rispy.loads(files["RIS"].text())
    assert entry["authors"][0] == "Doe, Jane" and entry["publisher"] == "Freedom House"
    (item,) = json.loads(files["CSL-JSON"].text())
    assert item["URL"].endswith("/reports-site/countries/testland/2015/")
    meta = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        'meta[name^=citation_]')].map(m => [m.name, m.content]))""")
    assert meta["citation_title"] == "Testland" and meta["citation_publisher"] == "Freedom House"


# --- the edition page: the map ------------------------------------------------------------------

def test_the_maps_links_are_reached_by_keyboard_named_with_status_and_score(open_page):
    page = open_page(EDITION, reduced_motion="reduce")
    covered = page.evaluate("""() => [...document.querySelectorAll('.status-map svg a')].map(a =>
        [document.getElementById(a.getAttribute('aria-labelledby')).textContent,
         a.getAttribute('href')])""")
    names = [label.split(":")[0] for label, _ in covered]
    assert sorted(names) == sorted([*MAPPED_2015, "Kazakhstan"])
    assert all(", Democracy Score " in label and " out of 7" in label for label, _ in covered)
    # the accessible names, as the browser computes them for assistive technology
    snapshot = page.locator(".status-map svg").aria_snapshot()
    assert 'link "Poland: Consolidated Democracy, Democracy Score 5.75 out of 7"' in snapshot
    # the grey countries outside the series are no links and hidden from screen readers
    assert page.evaluate("document.querySelector('.map-context').getAttribute('aria-hidden')") == "true"
    install(page)
    _tab_to(page, ".status-map svg a")
    for label, href in covered:  # in the ranking's order
        focused = page.evaluate(f"""() => [{ACTIVE}.getAttribute('href'),
            getComputedStyle({ACTIVE}.querySelector('path')).fill,
            getComputedStyle({ACTIVE}).outlineStyle]""")
        assert focused[0] == href
        assert focused[2] != "none", f"{label}: no focus outline"
        page.keyboard.press("Tab")
    # Enter on a country opens its report
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + covered[-1][1])


def test_the_map_states_its_legend_in_words_and_which_countries_it_lacks(open_page):
    page = open_page(EDITION)
    legend = page.evaluate("[...document.querySelectorAll('.map-legend li')].map(li => li.textContent.replace(/\\s+/g, ' ').trim())")
    assert "Consolidated Democracy 1 country" in legend  # Poland (Otherland has no shape)
    assert len(legend) == 5
    note = page.locator(".status-map__legend .note").first.text_content()
    assert "Otherland" in note and "Testland" in note and "Midland" in note


def test_the_map_fits_a_phone_and_keeps_its_links_usable(open_page):
    for width in PHONES:
        page = open_page(EDITION, width=width)
        box = page.evaluate("""() => { const r = document.querySelector('.status-map__svg').getBoundingClientRect();
            return [r.left, r.right, document.documentElement.clientWidth]; }""")
        assert box[0] >= 0 and box[1] <= box[2], f"the map is wider than {width} px: {box}"
        page.context.close()


# --- the countries and country pages -------------------------------------------------------------

def test_small_multiples_share_their_axes_and_link_to_each_country(open_page):
    page = open_page("countries/")
    charts = page.evaluate("""() => [...document.querySelectorAll('a.multiple')].map(a => ({
        href: a.getAttribute('href'), name: a.querySelector('.multiple__name').textContent,
        text: a.textContent.replace(/\\s+/g, ' ').trim(),
        labels: [...a.querySelectorAll('.multiple__label')].map(t => t.textContent),
        hidden: a.querySelector('svg').getAttribute('aria-hidden')}))""")
    countries = page.evaluate("[...document.querySelectorAll('.countries-table tbody th > a')].map(a => a.getAttribute('href'))")
    assert sorted(c["href"] for c in charts) == sorted(countries)  # one chart per country
    labels = {tuple(c["labels"]) for c in charts}
    assert len(labels) == 1, f"charts on different axes: {labels}"
    testland = next(c for c in charts if c["name"] == "Testland")
    assert "1.43 (2014) to 1.36 (2016)" in testland["text"] and testland["hidden"] == "true"
    page.click("a.multiple[href$='/countries/testland/']")
    page.wait_for_url("**/countries/testland/")


def test_the_country_chart_is_fitted_to_its_scores_and_says_so(open_page):
    page = open_page("countries/testland/")
    caption = page.text_content(".chart figcaption")
    assert "fitted to these scores" in caption and "the full scale is 1 to 7" in caption
    labels = page.evaluate("[...document.querySelectorAll('.chart__svg text')].map(t => t.textContent)")
    assert "1.35" in labels and "1.45" in labels and "7" not in labels
    # the full scale stays in the table: every score as published
    assert page.evaluate("[...document.querySelectorAll('#history-caption ~ tbody td.num')].length") > 0


# --- phone widths -------------------------------------------------------------------------------

MAIN_FIGURES = {  # page: (table, the columns that must be in view without scrolling)
    "": ("table", ("Rank", "Country", "Score", "Change")),
    EDITION: (".ranking-table", ("Rank", "Country", "Score", "Change")),
    "countries/": (".countries-table", ("Country", "Score", "Latest edition")),
    "countries/testland/": ("#history-caption", ("Edition", "Score", "Change")),
}

FIGURES_IN_VIEW = """([selector, wanted]) => {
    const found = document.querySelector(selector);
    const table = found.tagName === 'TABLE' ? found : found.closest('table');
    const width = document.documentElement.clientWidth;
    const heads = [...table.tHead.rows[0].cells];
    const problems = [];
    for (const name of wanted) {
        const index = heads.findIndex(th => th.textContent.trim().endsWith(name));
        if (index < 0) { problems.push(`no column ${name}`); continue; }
        for (const row of [table.tHead.rows[0], ...table.tBodies[0].rows]) {
            const r = row.cells[index].getBoundingClientRect();
            if (r.width === 0 || r.right > width + 0.5 || r.left < 0) {
                problems.push(`${name} at ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
                break;
            }
        }
    }
    return problems;
}"""

CAPTIONS_WHOLE = """() => [...document.querySelectorAll('caption')].flatMap(caption => {
    const box = caption.closest('.table-scroll') || document.documentElement;
    const seen = box.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(caption);
    const text = [...range.getClientRects()];
    const cut = text.filter(r => r.right > Math.min(seen.right, document.documentElement.clientWidth) + 1
                                 || r.left < seen.left - 1);
    return cut.length ? [caption.textContent.trim().slice(0, 60)] : [];
})"""


@pytest.mark.parametrize("width", PHONES)
def test_main_figures_need_no_sideways_scroll_and_captions_are_whole_on_a_phone(open_page,
                                                                                 sample_site, width):
    failures = []
    for path, (selector, columns) in MAIN_FIGURES.items():
        page = open_page(path, width=width)
        problems = page.evaluate(FIGURES_IN_VIEW, [selector, list(columns)])
        if problems:
            failures.append(f"{path or 'home'} at {width} px: {problems}")
        page.context.close()
    for kind, path in sample_site.kinds().items():
        page = open_page(path, width=width)
        cut = page.evaluate(CAPTIONS_WHOLE)
        if cut:
            failures.append(f"{path} at {width} px: captions cut off: {cut}")
        page.context.close()
    assert not failures, "\n".join(failures)
