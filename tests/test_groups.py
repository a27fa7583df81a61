"""groups.py: one country folder loaded, rendered and assembled; cached under the hash of the
bytes that were parsed; never cached with a file it could not read."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import nit_definitions, report_text, write_tree
from publisher.fingerprints import digest
from publisher.groups import GroupContext, GroupFile, build_group, file_key, group_key
from publisher.store import SectionReader, Store, current_reader, reading

DEFINITIONS = nit_definitions()


@pytest.fixture
def country(tmp_path: Path):
    write_tree(tmp_path / "content", {"reports/testland/2014.md": report_text("Testland", 2014),
                                      "reports/testland/2015.md": report_text("Testland", 2015)})
    context = GroupContext(str(tmp_path / "content"), DEFINITIONS, "defs", "code",
                           str(tmp_path / "cache"))
    paths = sorted(str(p) for p in (tmp_path / "content/reports/testland").iterdir())
    with reading(SectionReader()):
        yield context, paths


def test_a_country_is_assembled_and_cached_under_the_hash_of_its_files(country):
    context, paths = country
    group, observed = build_group(context, [GroupFile(p, p, None) for p in paths])
    assert [r.edition for r in group.reports] == [2014, 2015]
    assert group.reports[1].previous.edition == 2014  # a cross-report fact
    digests = [digest(Path(p).read_bytes()) for p in paths]
    assert [state.digest for _, state in observed] == digests
    keys = [file_key(context, p, d) for p, d in zip(paths, digests)]
    assert group.key == group_key(context, keys) and group.file_keys == tuple(keys)
    assert Store(Path(context.store_root)).read("groups", group.key) == group


def test_a_file_known_unchanged_is_not_read_while_its_entry_exists(country):
    context, paths = country
    first, _ = build_group(context, [GroupFile(p, p, None) for p in paths])
    known = [GroupFile(p, p, digest(Path(p).read_bytes())) for p in paths]
    again, observed = build_group(context, known)
    assert observed == [] and again == first
    for entry in (Path(context.store_root) / "reports").iterdir():
        entry.unlink()  # the entries are gone: the files are read again
    current_reader().forget()
    rebuilt, observed = build_group(context, known)
    assert len(observed) == 2 and rebuilt == first


def test_an_unreadable_file_is_a_problem_and_the_country_is_not_cached(country, tmp_path):
    context, paths = country
    os.unlink(paths[1])  # vanished between the listing and the read
    group, _ = build_group(context, [GroupFile(p, p, None) for p in paths])
    assert [p.message for p in group.load_problems] == [
        "cannot read file: No such file or directory"]
    assert [r.edition for r in group.reports] == [2014]
    assert not (Path(context.store_root) / "groups").exists() or not any(
        (Path(context.store_root) / "groups").iterdir())
