"""Shared definitions: each category's rating scale comes from the series definition in data/."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import copy_data, nit_definitions, report_text, write_tree
from publisher.definitions import load_definitions
from publisher.errors import ContentError
from publisher.load import load_reports


def data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    copy_data(data)
    return data


def test_the_nations_in_transit_scale():
    definitions = nit_definitions()
    assert [s.key for s in definitions.series] == ["nit"]
    assert {(c.min, c.max, c.step) for c in definitions.categories} == {(D("1.00"), D("7.00"), D("0.25"))}
    assert definitions.categories[0].scale() == "1 to 7 in steps of 0.25"
    assert definitions.score_range() == (D("1.00"), D("7.00"))
    assert [s.name for s in definitions.statuses][0] == "Consolidated Democracy"
    assert (definitions.statuses[0].min, definitions.statuses[0].max) == (D("5.01"), D("7.00"))


def test_the_step_is_the_data_files_not_the_codes(tmp_path):
    data = data_copy(tmp_path)
    path = data / "series/nit.yaml"
    path.write_text(path.read_text().replace("step: 0.25", "step: 0.5"))
    definitions = load_definitions(data)
    ratings = {c.key: 3.0 for c in definitions.categories}
    write_tree(tmp_path / "content", {
        "reports/testland/2015.md": report_text(ratings={**ratings, "corruption": 3.25})})
    _, problems = load_reports(tmp_path / "content", definitions)
    assert [p.message for p in problems] == [
        "rating for 'corruption' 3.25 is off the scale's step of 0.5 (1 to 7): use 3.00 or 3.50"]


def test_a_wider_scale_is_accepted(tmp_path):
    data = data_copy(tmp_path)
    path = data / "series/nit.yaml"
    path.write_text(path.read_text().replace("min: 1.00", "min: 0").replace("max: 7.00", "max: 40")
                    .replace("step: 0.25", "step: 1"))
    definitions = load_definitions(data)
    assert definitions.score_range() == (D(0), D(40))


@pytest.mark.parametrize("edit,message", [
    (("step: 0.25", "step: 0.35"), "category 'national-democratic-governance': its scale needs min < max and a whole number of steps of 0.35 between them"),
    (("step: 0.25", "step: 0"), "category 'national-democratic-governance': its scale needs min < max and a whole number of steps of 0 between them"),
    (("max: 7.00", "max: high"), "'max' must be a number, got 'high'"),
])
def test_a_category_scale_is_checked(tmp_path, edit, message):
    data = data_copy(tmp_path)
    path = data / "series/nit.yaml"
    text = path.read_text()
    first_entry_end = text.index("  - key: electoral-process")
    path.write_text(text[:first_entry_end].replace(*edit) + text[first_entry_end:])
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    (problem,) = error.value.problems
    assert problem.path.endswith("series/nit.yaml")
    assert problem.message == message


def test_a_yaml_mistake_in_a_data_file_is_explained(tmp_path):
    data = data_copy(tmp_path)
    path = data / "series/nit.yaml"
    path.write_text(path.read_text().replace("    title: Electoral Process", "     title: Electoral Process"))
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    (problem,) = error.value.problems
    assert problem.path.endswith("series/nit.yaml")
    assert problem.message == ("this line is indented more than the line above (5 spaces, not 4): "
                               "the fields of one mapping must line up")


def test_a_site_needs_a_series_and_the_old_files_are_named(tmp_path):
    data = tmp_path / "data"
    write_tree(data, {"categories.yaml": "- key: x\n", "statuses.yaml": "- key: y\n"})
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    (problem,) = error.value.problems
    assert problem.message == ("no series definition: add data/series/<key>.yaml (categories.yaml "
                               "and statuses.yaml now go into one series definition); see docs/series.md")


def test_a_series_key_matches_its_file_name(tmp_path):
    data = data_copy(tmp_path)
    (data / "series/nit.yaml").rename(data / "series/transit.yaml")
    with pytest.raises(ContentError) as error:
        load_definitions(data)
    assert [p.message for p in error.value.problems] == [
        "series key 'nit' must match the file name transit.yaml"]
