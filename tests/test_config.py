"""site.yaml: every key documented with its default, checked against the code."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import ROOT
from publisher.config import KNOWN_KEYS, SiteConfig, load_config
from publisher.errors import ContentError

DOC = (ROOT / "docs/site-config.md").read_text(encoding="utf-8")


def documented() -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", DOC, re.M)}


def test_every_setting_is_documented_with_its_default():
    rows = documented()
    assert sorted(rows) == sorted(KNOWN_KEYS)
    for field in dataclasses.fields(SiteConfig):
        shown = rows[field.name].strip()
        if field.default in ("", None):
            assert shown.startswith("("), field.name
        else:
            assert shown == f"`{field.default}`", field.name


def test_an_unknown_setting_names_its_line_and_the_known_ones(tmp_path: Path):
    path = tmp_path / "site.yaml"
    path.write_text("title: X\ntitel: Y\nregion: Z\n")
    with pytest.raises(ContentError) as failure:
        load_config(path)
    close, far = failure.value.problems
    assert (close.line, close.message) == (2, "unknown setting 'titel'; did you mean 'title'?")
    assert far.line == 3 and far.message == ("unknown setting 'region'; known: title, "
                                             "description, language, base_url, url, publisher, "
                                             "series_publisher, cname")
