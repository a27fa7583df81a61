"""Phone width, text resizing, dark theme, reduced motion and print, measured in Chromium."""
from __future__ import annotations

import pytest

from .checks import horizontal_loss
from .conftest import DESKTOP, SMALLEST
from .sample_site import RICH_REPORT


def test_no_page_scrolls_sideways_at_320_px(open_page, sample_site):
    failures = []
    for path in sample_site.pages:
        page = open_page(path, width=SMALLEST)
        loss = horizontal_loss(page)
        if loss["scrollWidth"] > loss["clientWidth"] or loss["problems"]:
            failures.append(f"{path}: page {loss['scrollWidth']} px wide in {loss['clientWidth']} px; "
                            + "; ".join(loss["problems"]))
        page.context.close()
    assert not failures, "\n".join(failures)


TABLES = """() => [...document.querySelectorAll('table')].map(table => {
    let box = table.parentElement;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    return {
        caption: (table.caption ? table.caption.textContent : table.textContent).trim().slice(0, 50),
        container: box ? box.tagName.toLowerCase() : null,
        wider: box ? box.scrollWidth > box.clientWidth : null,
        focusable: box ? box.tabIndex >= 0 : false,
        named: box ? Boolean(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')) : false,
    };
})"""


def test_tables_scroll_inside_their_own_labelled_container_at_320_px(open_page, sample_site):
    seen_wide = False
    for kind, path in sample_site.kinds().items():
        page = open_page(path, width=SMALLEST)
        for table in page.evaluate(TABLES):
            assert table["container"], f"{path}: table '{table['caption']}' has no scrolling container"
            assert table["focusable"] and table["named"], \
                f"{path}: the scrolling container of '{table['caption']}' needs tabindex=0 and a label"
            seen_wide = seen_wide or table["wider"]
        page.context.close()
    assert seen_wide, "no table of the sample site is wider than 320 px: the test proves nothing"


FONT_SIZES = """() => [...document.querySelectorAll('main p, main li, main td, main th, main dd, main dt')]
    .filter(el => el.getClientRects().length && el.textContent.trim())
    .map(el => [__t.name(el), parseFloat(getComputedStyle(el).fontSize)])"""


@pytest.mark.parametrize("width", [DESKTOP, 768])
def test_text_resized_to_200_percent_loses_nothing(open_page, sample_site, width):
    failures = []
    for kind, path in sample_site.kinds().items():
        page = open_page(path, width=width)
        horizontal_loss(page)  # installs the helpers
        before = page.evaluate(FONT_SIZES)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        after = page.evaluate(FONT_SIZES)
        small = [f"{name} {a}->{b} px" for (name, a), (_, b) in zip(before, after) if b < 1.95 * a]
        if small:
            failures.append(f"{path}: text did not double: {small[:5]}")
        loss = horizontal_loss(page)
        if loss["scrollWidth"] > loss["clientWidth"] or loss["problems"]:
            failures.append(f"{path} at 200 % text: page {loss['scrollWidth']} px wide in "
                            f"{loss['clientWidth']} px; " + "; ".join(loss["problems"]))
        page.context.close()
    assert not failures, "\n".join(failures)


RELATIVE_LUMINANCE = """function luminance(color) {
    const [r, g, b] = color.match(/[\\d.]+/g).map(Number).slice(0, 3).map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""

LUMINANCE = f"(color) => {{ {RELATIVE_LUMINANCE}; return luminance(color); }}"

LIGHT_PATCHES = f"""() => {{
    {RELATIVE_LUMINANCE}
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {{
        const s = getComputedStyle(el);
        const bg = s.backgroundColor;
        if (bg === 'rgba(0, 0, 0, 0)' || s.display === 'none') continue;
        const r = el.getBoundingClientRect();
        // Off-screen skip link, swatches, buttons: only large light areas (cards, tables) count.
        if (r.bottom <= 0 || r.width * r.height < 20000) continue;
        if (luminance(bg) > 0.3) found.push(`${{el.tagName.toLowerCase()}}.${{el.className}} ${{bg}}`);
    }}
    return found;
}}"""


def test_dark_colour_scheme_gives_a_dark_readable_page(open_page, sample_site):
    for kind, path in sample_site.kinds().items():
        page = open_page(path, color_scheme="dark")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        colours = page.evaluate("""() => { const s = getComputedStyle(document.body);
            return [s.backgroundColor, getComputedStyle(document.documentElement).backgroundColor, s.color,
                    getComputedStyle(document.documentElement).colorScheme]; }""")
        body_bg, html_bg, text, scheme = colours
        background = body_bg if body_bg != "rgba(0, 0, 0, 0)" else html_bg
        bg_lum = page.evaluate(LUMINANCE, background)
        text_lum = page.evaluate(LUMINANCE, text)
        assert bg_lum < 0.05, f"{path}: background {background} is not dark"
        assert (text_lum + 0.05) / (bg_lum + 0.05) >= 7, f"{path}: body text {text} on {background}"
        assert "dark" in scheme, f"{path}: color-scheme is {scheme!r}, form controls and scrollbars stay light"
        patches = page.evaluate(LIGHT_PATCHES)
        assert not patches, f"{path}: light boxes left in the dark theme: {patches[:5]}"
        page.context.close()


MOTION = """() => {
    const moving = [];
    for (const el of [document.documentElement, ...document.querySelectorAll('*')]) {
        const s = getComputedStyle(el);
        const long = (v) => v.split(',').some(t => parseFloat(t) > 0);
        if (s.animationName !== 'none' && long(s.animationDuration)) moving.push(`${el.tagName} animation`);
        if (long(s.transitionDuration)) moving.push(`${el.tagName}.${el.className} transition`);
    }
    return {scroll: getComputedStyle(document.documentElement).scrollBehavior,
            running: document.getAnimations().length, moving};
}"""


def test_reduced_motion_is_respected(open_page, sample_site):
    for kind, path in sample_site.kinds().items():
        page = open_page(path, reduced_motion="reduce")
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        page.hover("main a")
        motion = page.evaluate(MOTION)
        assert motion["scroll"] == "auto", f"{path}: scroll-behavior is {motion['scroll']}"
        assert motion["running"] == 0 and not motion["moving"], f"{path}: {motion}"
        page.context.close()


HIDDEN_IN_PRINT = [".skip-link", "header nav", "nav[aria-label='Breadcrumb']", "nav[aria-label='Main']"]


def test_print_hides_navigation(open_page, sample_site):
    checked = set()
    for kind, path in sample_site.kinds().items():
        page = open_page(path, media="print")
        assert page.evaluate("matchMedia('print').matches")
        for selector in HIDDEN_IN_PRINT:
            for visible in page.evaluate(
                    "(sel) => [...document.querySelectorAll(sel)].map(el => el.checkVisibility())", selector):
                checked.add(selector)
                assert not visible, f"{path}: '{selector}' is printed"
        page.context.close()
    assert checked == set(HIDDEN_IN_PRINT), f"never found on any page: {set(HIDDEN_IN_PRINT) - checked}"


NOTE_LINKS = """() => [...document.querySelectorAll('[role=doc-endnotes] a[href^="http"]')].map(a => ({
    href: a.href, text: a.textContent.trim(), after: getComputedStyle(a, '::after').content,
    visible: a.checkVisibility()}))"""


def test_print_shows_the_address_of_every_link_in_the_notes(open_page):
    page = open_page(RICH_REPORT, media="print")
    links = page.evaluate(NOTE_LINKS)
    by_text = [link for link in links if link["text"].rstrip("/") in link["href"]]
    by_after = [link for link in links if link not in by_text]
    assert by_text and by_after, "the sample needs both bare URLs and linked words in its notes"
    for link in links:
        assert link["visible"], link
    for link in by_after:
        assert link["href"] in link["after"], f"printed without its address: {link}"
