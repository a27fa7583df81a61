"""Publishing on GitHub Pages: the workflow is valid and least-privileged, and a site built for
a project sub-path works when served there: every link, asset and #fragment resolves, from
every page and from the 404 page at any depth."""
from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

import publisher.search as search
from conftest import FIXTURE_SITE, ROOT, copy_project, nit_project, serve_like_pages
from publisher.pipeline import Paths, build

WORKFLOW = ROOT / ".github/workflows/pages.yml"
FIXTURE = FIXTURE_SITE
BASE = "/reports-site/"
SITE_URL = "https://example.github.io"  # `url` in site.yaml: canonical, feed, sitemap


def check_jsonschema() -> str:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("check-jsonschema is not installed (requirements-dev.txt)")
    return found


def test_workflow_is_valid_against_the_github_workflow_schema():
    result = subprocess.run([check_jsonschema(), "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_would_catch_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    result = subprocess.run([check_jsonschema(), "--builtin-schema", "vendor.github-workflows",
                             str(broken)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_workflow_builds_with_the_pages_base_path_and_least_permissions():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build_job["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    steps = {step.get("uses", "").split("@")[0]: step for step in build_job["steps"]}
    assert steps["actions/configure-pages"]["id"] == "pages"
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    build_step = next(s for s in build_job["steps"] if "build.py" in s.get("run", ""))
    assert build_step["env"]["BASE_PATH"] == "${{ steps.pages.outputs.base_path }}"
    assert [s["uses"].split("@")[0] for s in deploy_job["steps"]] == ["actions/deploy-pages"]
    # The shell expression normalises configure-pages' base_path as the build expects.
    for given, expected in (("/reports-site", "/reports-site/"), ("", "/"), ("/x/", "/x/")):
        command = build_step["run"].replace("python build.py --base-url", "printf %s")
        out = subprocess.run(["bash", "-c", command], env={"BASE_PATH": given},
                             capture_output=True, text=True, check=True).stdout
        assert out == expected


# --- the built site, served under the project sub-path ----------------------------------------

@pytest.fixture(scope="module", params=["fixture", "sample"])
def served(request, tmp_path_factory):
    """A site built with --base-url /reports-site/, served at that path: the Nations in Transit
    fixture site (five countries, one series) and the repository's own three-series sample."""
    root = tmp_path_factory.mktemp("pages")
    project = copy_project(root / "project", FIXTURE) if request.param == "fixture" else ROOT
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project),
         "--content", str(project / "content"), "--out", str(root / "www" / BASE.strip("/")), "--base-url", BASE],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = root / "www" / BASE.strip("/")
    with serve_like_pages(root / "www", site) as origin:
        yield origin, site


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def links_of(url: str, content_type: str, body: bytes) -> tuple[list[str], set[str]]:
    """Every href/src (and srcset) of a page, resolved against it; and the page's ids."""
    if "html" in content_type:
        soup = BeautifulSoup(body, "html.parser")
        found = []
        for tag in soup.find_all(True):
            for attribute in ("href", "src", "action", "poster", "data"):
                value = tag.get(attribute)
                if value and tag.name != "base":
                    found.append(value)
            for candidate in (tag.get("srcset") or "").split(","):
                if candidate.strip():
                    found.append(candidate.split()[0])
        ids = {tag["id"] for tag in soup.find_all(id=True)} | \
            {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return [urljoin(url, link) for link in found], ids
    if "xml" in content_type:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(body, "html.parser")  # sitemap <loc>, feed <link href> and <id>
        found = [tag.get_text(strip=True) for tag in soup.find_all("loc")]
        found += [tag["href"] for tag in soup.find_all("link", href=True)]
        return [urljoin(url, link) for link in found], set()
    return [], set()


def local(url: str, origin: str) -> str | None:
    """The local address for an internal link (absolute site URLs included); None if external."""
    if url.startswith(SITE_URL + "/"):
        return origin + url[len(SITE_URL):]
    if url.startswith(origin + "/"):
        return url
    return None


def crawl(origin: str, start: str) -> tuple[dict[str, set[str]], list[str]]:
    """Breadth-first over every internal link; returns the ids of each page and the problems."""
    pages: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    problems: list[str] = []
    queue, seen = [start], {start}
    while queue:
        url = queue.pop(0)
        status, content_type, body = fetch(url)
        if status != 200:
            problems.append(f"{status} {url}")
            continue
        links, ids = links_of(url, content_type, body)
        pages[url] = ids
        for link in links:
            scheme = urlsplit(link).scheme
            if scheme in ("mailto", "tel", "data", "javascript"):
                continue
            target = local(link, origin)
            if target is None:
                continue
            address, fragment = urldefrag(target)
            if not urlsplit(address).path.startswith(BASE):
                problems.append(f"outside {BASE}: {link} (on {url})")
                continue
            if fragment:
                fragments.append((address, fragment, url))
            if address not in seen:
                seen.add(address)
                queue.append(address)
    for address, fragment, where in fragments:
        if address in pages and fragment not in pages[address]:
            problems.append(f"#{fragment} not found in {address} (linked from {where})")
    return pages, problems


def test_no_broken_link_asset_or_fragment_under_the_project_path(served):
    origin, site = served
    pages, problems = crawl(origin, origin + BASE)
    assert not problems, "\n".join(problems)
    # The crawl reached every page of the site, not just a few.
    html_files = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.name != "404.html" and not p.relative_to(site).as_posix().startswith("pagefind/")}
    reached = {urlsplit(u).path[len(BASE):] for u in pages}
    reached = {p + "index.html" if p.endswith("/") or p == "" else p for p in reached}
    assert html_files <= reached, sorted(html_files - reached)[:10]


@pytest.mark.parametrize("missing", ["no-such-page", "countries/no-such/2099/", "a/b/c/missing.html"],
                         ids=["depth-0", "depth-2", "depth-3"])
def test_404_page_links_work_at_any_depth(served, missing: str):
    origin, _ = served
    url = origin + BASE + missing
    status, content_type, body = fetch(url)
    assert status == 404 and b"Page not found" in body
    links, ids = links_of(url, content_type, body)
    assert links
    for link in links:
        target = local(link, origin)
        if target is None:
            continue
        address, fragment = urldefrag(target)
        if address == url:  # a link within the 404 page itself (the skip link)
            assert fragment in ids, link
            continue
        assert urlsplit(address).path.startswith(BASE), link
        status, _, _ = fetch(address)
        assert status == 200, f"{link} from the 404 page at {missing}"


def test_nojekyll_and_no_cname_by_default(served):
    _, site = served
    assert (site / ".nojekyll").is_file() and (site / ".nojekyll").read_bytes() == b""
    assert not (site / "CNAME").exists()


def test_cname_from_site_yaml(tmp_path: Path):
    copy_project(tmp_path, FIXTURE)
    (tmp_path / "site.yaml").write_text((ROOT / "site.yaml").read_text()
                                        + "cname: reports.example.org\n")
    build(Paths.at(tmp_path), tmp_path / "site", search=False)
    assert (tmp_path / "site/CNAME").read_text() == "reports.example.org\n"
    assert (tmp_path / "site/.nojekyll").is_file()
    # Removing the setting removes the file on the next (incremental) build.
    (tmp_path / "site.yaml").write_text((ROOT / "site.yaml").read_text())
    build(Paths.at(tmp_path), tmp_path / "site", search=False)
    assert not (tmp_path / "site/CNAME").exists()


def test_user_site_at_the_root_has_root_links(tmp_path: Path):
    build(nit_project(FIXTURE), tmp_path / "site", base_url="/", search=False)
    page = (tmp_path / "site/countries/aland/2015/index.html").read_text()
    assert 'href="/static/css/site.css"' in page and "/reports-site/" not in page


@pytest.mark.skipif(not search.search_available(), reason="pagefind[bin] not installed")
def test_search_index_is_published_under_the_project_path(served):
    origin, site = served
    assert (site / "pagefind/pagefind.js").is_file()
    assert fetch(origin + BASE + "pagefind/pagefind.js")[0] == 200
