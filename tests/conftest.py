"""Shared helpers: tiny content trees written for each test, built with the real pipeline."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the repository's data/, templates/, static/ and site.yaml."""
    for name in ("data", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    (tmp_path / "content" / "reports").mkdir(parents=True)
    return tmp_path


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
