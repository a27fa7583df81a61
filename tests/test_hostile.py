"""Hostile content: payloads in every field never become markup, script or a dangerous link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CATEGORY_TITLES, report_text, write_tree
from publisher.errors import ContentError
from publisher.pipeline import Paths, build

SCRIPT = "<script>alert(1)</script>"
BODY_PAYLOADS = "\n\n".join([
    f"Raw {SCRIPT} and <img src=x onerror=alert(2)> and <iframe src=//evil></iframe>.",
    "[a](javascript:alert(3)) [b](JAVASCRIPT:alert(4)) [c](java&#x09;script:alert(5)) [d](data:text/html;base64,PHNjcmlwdD4=)",
    "[e](vbscript:msgbox(6)) [f]( javascript:alert(7)) <javascript:alert(8)> [g](file:///etc/passwd)",
    "![img](javascript:alert(9)) [ok](https://example.org/safe) <https://example.org/auto>",
    '<a href="javascript:alert(10)">html link</a> <svg onload=alert(11)>',
    "A note with a payload.[^1]",
    f"[^1]: Note {SCRIPT} [n](javascript:alert(12)) https://example.org/note",
])
FRONT = (
    "authors: ['<b onmouseover=alert(13)>Mallory</b>']\n"
    "summary: '\"><script>alert(14)</script>'\n"
    "other_scores:\n  global-freedom: {label: '<img src=x onerror=alert(15)>', score: 1, max: 100, "
    "status: '</dd><script>alert(16)</script>', note: '{{ 7*7 }}{% raw %}'}\n"
)


@pytest.fixture
def hostile_site(project: Path) -> Path:
    sections = {"Executive Summary": BODY_PAYLOADS, "Score Changes in 2015": "{{ config }} {% include 'x' %}"}
    sections.update({title: "Text." for title in CATEGORY_TITLES.values()})
    write_tree(project / "content", {
        "reports/evil/2015.md": report_text("Evil", 2015, front=FRONT, sections=sections).replace(
            "country: Evil", "country: '\"><script>alert(0)</script>Evil'"),
        "pages/about.md": f"---\ntitle: 'About {SCRIPT}'\n---\n\n{BODY_PAYLOADS}\n".replace(
            "A note with a payload.[^1]", "").replace(f"[^1]: Note {SCRIPT} [n](javascript:alert(12)) https://example.org/note", ""),
    })
    build(Paths.at(project), project / "site", search=False)
    return project / "site"


OUR_SVGS = {"chart__svg", "multiple__svg", "status-map__svg"}  # macros/browse.html, map.html


def all_html(site: Path):
    for path in site.rglob("*.html"):
        yield path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_payload_becomes_script_handler_or_frame(hostile_site: Path):
    for path, soup in all_html(hostile_site):
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith("/static/js/"), (path, script)
            assert not script.string, (path, script)
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (path, tag)
        # The only embedded content is the templates' own charts and maps, with nothing foreign
        # inside them.
        embedded = soup.find_all(["iframe", "object", "embed", "img", "svg", "foreignobject"])
        assert all(t.name == "svg" and set(t.get("class", ())) & OUR_SVGS for t in embedded), \
            (path, [t.name for t in embedded])


def test_no_dangerous_link_schemes(hostile_site: Path):
    for path, soup in all_html(hostile_site):
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            target = re.sub(r"[\x00-\x20]", "", tag.get("href") or tag.get("src")).lower()
            assert not target.startswith(("javascript:", "vbscript:", "data:", "file:")), (path, tag)


def test_payload_text_is_shown_escaped(hostile_site: Path):
    html = (hostile_site / "countries/evil/2015/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert '"&gt;&lt;script&gt;alert(0)&lt;/script&gt;Evil' in html or "&#34;&gt;&lt;script&gt;alert(0)" in html
    assert "{{ config }}" in html and "{{ 7*7 }}" in html  # never evaluated as templates
    assert '<a href="https://example.org/safe">ok</a>' in html


def test_feed_and_json_stay_well_formed(hostile_site: Path):
    import json
    import xml.etree.ElementTree as ET

    ET.parse(hostile_site / "feed.xml")
    ET.parse(hostile_site / "sitemap.xml")
    data = json.loads((hostile_site / "countries/evil/2015/report.json").read_text())
    assert data["country"] == '"><script>alert(0)</script>Evil'  # data keeps the text as written


def test_content_security_policy_forbids_inline_script(hostile_site: Path):
    for path, soup in all_html(hostile_site):
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";") if part.strip())
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        assert "'unsafe-inline'" not in policy.get("style-src", "")


@pytest.mark.parametrize("yaml_text", [
    "!!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']",
    "!!python/name:os.system",
])
def test_yaml_goes_through_the_safe_loader(project: Path, yaml_text: str):
    text = report_text().replace("country: Testland", f"country: {yaml_text}")
    write_tree(project / "content", {"reports/testland/2015.md": text})
    with pytest.raises(ContentError) as error:
        build(Paths.at(project), project / "site", search=False)
    assert any(p.message.startswith("the YAML tag '!!python/") and "is not allowed" in p.message
               and p.line == 2 for p in error.value.problems)
    assert not Path("/tmp/pwned-by-yaml").exists()


def test_unsafe_source_url_is_an_error(project: Path):
    text = report_text(front="source: {url: 'javascript:alert(1)'}")
    write_tree(project / "content", {"reports/testland/2015.md": text})
    with pytest.raises(ContentError) as error:
        build(Paths.at(project), project / "site", search=False)
    assert any("source.url must be an http(s) address" in p.message for p in error.value.problems)
