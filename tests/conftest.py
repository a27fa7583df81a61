"""Shared helpers: tiny content trees written for each test, built with the real pipeline."""
from __future__ import annotations

import atexit
import dataclasses
import functools
import http.server
import json
import shutil
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings

# scripts/test.sh (and so CI) runs the property tests on the same examples every time
# (`--hypothesis-profile=ci`): a fresh random draw may find a new case in any run, and a finding
# belongs in an issue with its example, not in a red CI for an unrelated change. Exploring is what
# a plain `pytest` run (new examples each time) and the long fuzz run (fuzz/run.py) are for.
settings.register_profile("ci", derandomize=True, database=None)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE_SITE = ROOT / "tests/fixtures/site/content"  # five countries, 2013-2016

from publisher.definitions import Definitions, load_definitions  # noqa: E402 (needs sys.path)
from publisher.inputs import Project  # noqa: E402

CATEGORY_TITLES = {
    "national-democratic-governance": "National Democratic Governance",
    "electoral-process": "Electoral Process",
    "civil-society": "Civil Society",
    "independent-media": "Independent Media",
    "local-democratic-governance": "Local Democratic Governance",
    "judicial-framework-and-independence": "Judicial Framework and Independence",
    "corruption": "Corruption",
}


def report_text(country: str = "Testland", edition: int = 2015, ratings: dict | None = None,
                front: str = "", sections: dict[str, str] | None = None) -> str:
    """A valid report file; `front` adds front-matter lines, `sections` replaces section bodies."""
    ratings = ratings or {key: 3.0 for key in CATEGORY_TITLES}
    lines = ["---", f"country: {country}", f"edition: {edition}", "ratings:"]
    lines += [f"  {key}: {value:.2f}" for key, value in ratings.items()]
    if front:
        lines += front.strip("\n").split("\n")
    lines.append("---")
    body = sections if sections is not None else {
        "Executive Summary": f"{country} in {edition - 1}.",
        **{CATEGORY_TITLES[k]: f"Text about {CATEGORY_TITLES[k].lower()}." for k in ratings},
    }
    for title, text in body.items():
        lines += ["", f"## {title}", "", text]
    return "\n".join(lines) + "\n"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


# The series the one-series test sites publish. The repository's sample publishes three
# (data/series/), so most tests take only Nations in Transit's definition from it: a site with
# one series keeps the unprefixed layout and addresses (reports/<slug>/<edition>.md).
ONE_SERIES = ("nit",)
ALL_SERIES = tuple(sorted(p.stem for p in (ROOT / "data/series").glob("*.yaml")))


def copy_data(target: Path, series: tuple[str, ...] = ONE_SERIES) -> Path:
    """A copy of the repository's data/ with only the definitions of `series`."""
    unwanted = {f"{key}.yaml" for key in ALL_SERIES if key not in series}
    shutil.copytree(ROOT / "data", target,
                    ignore=lambda folder, names: [n for n in names if n in unwanted
                                                  and Path(folder).name == "series"])
    return target


def one_series(definitions: Definitions, key: str = ONE_SERIES[0]) -> Definitions:
    """`definitions` as a site publishing only the series `key` would load them."""
    return dataclasses.replace(definitions, series=(definitions.series_by_key(key),))


@functools.cache
def nit_root() -> Path:
    """A Nations in Transit project folder without content (made once per test run), for
    commands that read its definitions and settings (`build.py check --root`, `import --data`)."""
    parent = Path(tempfile.mkdtemp(prefix="nit-project-"))
    atexit.register(shutil.rmtree, parent, ignore_errors=True)
    return copy_project(parent / "project")


def data_folder() -> Path:
    """The data/ folder of that project: the repository's, with Nations in Transit's definition only."""
    return nit_root() / "data"


@functools.cache
def nit_definitions() -> Definitions:
    """The repository's definitions as a Nations in Transit site has them (loaded once)."""
    return one_series(load_definitions(ROOT / "data"))


def nit_project(content: Path) -> Project:
    """A Nations in Transit project reading `content`, with the repository's templates, static
    files and settings (no copy made but of the data/ folder, once per test run)."""
    return dataclasses.replace(Project.at(ROOT, content), data=data_folder())


def copy_project(root: Path, content: Path | None = None,
                 series: tuple[str, ...] = ONE_SERIES) -> Path:
    """A project folder with the repository's data/ (the definitions of `series` only),
    templates/, static/ and site.yaml, and a copy of `content` (or an empty content/reports/)."""
    copy_data(root / "data", series)
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    if content is None:
        (root / "content" / "reports").mkdir(parents=True)
    else:
        shutil.copytree(content, root / "content")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the repository's definitions, templates and settings, no content."""
    return copy_project(tmp_path)


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Like GitHub Pages: files as they are, the site's 404.html (status 404) for the rest."""

    not_found_page: Path

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404 or not self.not_found_page.is_file():
            return super().send_error(code, message, explain)
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_like_pages(www: Path, site: Path) -> Iterator[str]:
    """Serve the folder `www` on 127.0.0.1, with `site`/404.html for missing paths; yields the origin."""
    handler = type("Handler", (PagesHandler,), {"not_found_page": site / "404.html"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
