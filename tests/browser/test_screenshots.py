"""Full-page screenshots of the report page (desktop and phone, light and dark, and print) saved to
artifacts/screenshots/ for a person to look at. The test checks each shot is as wide as its
viewport: a page that overflows sideways gives a wider picture."""
from __future__ import annotations

import struct

import pytest

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .sample_site import RICH_REPORT


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_report_page_screenshot(open_page, width, scheme):
    page = open_page(RICH_REPORT, width=width, color_scheme=scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"report-{width}-{scheme}.png"
    data = page.screenshot(path=str(path), full_page=True)
    shot_width, shot_height = png_size(data)
    assert shot_width == width
    assert shot_height > 3 * page.viewport_size["height"]  # the whole long report, not one screen


def test_report_page_print_screenshot(open_page):
    page = open_page(RICH_REPORT, width=800, media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=str(SCREENSHOTS / "report-print.png"), full_page=True)
    assert png_size(data)[0] == 800


def test_every_page_kind_screenshot_at_phone_width(open_page, sample_site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, path in sample_site.kinds().items():
        page = open_page(path, width=PHONE)
        name = kind.replace("/index.html", "").replace("/", "-").replace("*", "x").removesuffix(".html")
        data = page.screenshot(path=str(SCREENSHOTS / f"kind-{name}-{PHONE}.png"), full_page=True)
        assert png_size(data)[0] == PHONE, f"{path} is wider than the phone screen"
        page.context.close()


READER_PAGES = {"report": RICH_REPORT, "edition": "editions/2015/", "countries": "countries/",
                "country": "countries/testland/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [DESKTOP, 375])
@pytest.mark.parametrize("name", sorted(READER_PAGES))
def test_reader_page_screenshots(open_page, name, width, scheme):
    """The pages a reader compares on (report, edition with its map, countries with the small
    multiples, country with its chart) at a desktop and a phone width, light and dark."""
    page = open_page(READER_PAGES[name], width=width, color_scheme=scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    assert png_size(data)[0] == width, f"{name} is wider than {width} px"
