"""store.py: records survive the cache exactly (same values, same fingerprints), bad
entries are misses, and stored sections are read through the active reader."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import nit_definitions, report_text, write_tree
from publisher.fingerprints import fingerprint
from publisher.groups import CountryGroup, GroupContext, GroupFile, build_group
from publisher.inputs import FileState
from publisher.outputs import OutputFile, OutputManifest
from publisher.store import (BadEntry, SectionReader, StaleCache, Store, StoredSections,
                             decode_entry, encode_entry, reading)

DEFINITIONS = nit_definitions()


def roundtrip(value):
    return decode_entry(encode_entry("k", "v", value), "k", "v")


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 2.5, "text with ünïcode and \u2028", (), (1, (2, 3)), [1, [2]],
    {"a": 1, (1, 2): "tuple key", 3: None}, Decimal("1.50"), Decimal("-0.25"),
    {"nested": ({"x": [Decimal("7.00")]},)},
])
def test_plain_values_come_back_with_their_exact_types(value):
    back = roundtrip(value)
    assert back == value and type(back) is type(value)
    assert fingerprint(back) == fingerprint(value)


def test_decimals_keep_their_exponent():
    assert str(roundtrip(Decimal("1.50"))) == "1.50"
    assert str(roundtrip(Decimal("2"))) == "2"


def test_a_whole_country_group_comes_back_identical(tmp_path: Path):
    write_tree(tmp_path / "content", {
        "reports/testland/2014.md": report_text("Testland", 2014),
        "reports/testland/2015.md": report_text("Testland", 2015, front="authors: [A. B.]"),
    })
    context = GroupContext(str(tmp_path / "content"), DEFINITIONS, "defs", "code",
                           str(tmp_path / "cache"))
    files = [GroupFile(str(p), str(p), None)
             for p in sorted((tmp_path / "content/reports/testland").iterdir())]
    with reading(SectionReader()):
        group, observed = build_group(context, files)
        stored = Store(tmp_path / "cache").read("groups", group.key)
        assert isinstance(stored, CountryGroup)
        assert stored == group
        assert [fingerprint(r) for r in stored.reports] == [fingerprint(r) for r in group.reports]
        assert [tuple(r.sections) for r in stored.reports] == [tuple(r.sections) for r in group.reports]
    assert [path for path, _ in observed] == [f.path for f in files]
    assert all(isinstance(state, FileState) for _, state in observed)


def test_manifests_come_back_identical():
    manifest = OutputManifest("inputs", {"index.html": OutputFile("page", "fp", "d", 10, 20, 30,
                                                                   reads=False)}, "key", [], 3)
    assert roundtrip({"manifest": manifest, "inputs": {"/a": FileState(1, 2, 3, "d", 4)}}) == {
        "manifest": manifest, "inputs": {"/a": FileState(1, 2, 3, "d", 4)}}


def test_only_the_projects_own_records_can_be_stored_or_read():
    from pathlib import PurePosixPath

    with pytest.raises(BadEntry, match="pathlib.PurePosixPath"):  # written, never read back
        decode_entry(encode_entry("k", "v", PurePosixPath("/etc")), "k", "v")
    import pickle
    import subprocess

    from publisher.fingerprints import CACHE_FORMAT, digest

    body = pickle.dumps(subprocess.Popen)  # a name outside the allow-list
    header = json.dumps({"format": CACHE_FORMAT, "kind": "k", "key": "v", "checksum": digest(body)})
    with pytest.raises(BadEntry, match="subprocess.Popen, which a cache entry may not hold"):
        decode_entry(header.encode() + b"\n" + body, "k", "v")


@pytest.mark.parametrize("data", [b"", b"\n", b"{}", b"not json\n{}", b"\x80\x81\n\x82",
                                  encode_entry("k", "v", 1)[:-1]])
def test_bad_bytes_are_bad_entries_never_other_errors(data):
    with pytest.raises(BadEntry):
        decode_entry(data, "k", "v")


def test_a_bad_entry_file_is_a_miss_and_is_removed(tmp_path: Path):
    store = Store(tmp_path)
    path = store.write("groups", "abc", (1, 2))
    assert store.read("groups", "abc") == (1, 2)
    path.write_bytes(b"garbage")
    assert store.read("groups", "abc") is None and not path.exists()
    assert store.read("groups", "never-written") is None


def test_stored_sections_read_through_the_active_reader_and_are_tracked(tmp_path: Path):
    store = Store(tmp_path)
    path = str(store.write("sections", "s1", ("first", "second")))
    stored = StoredSections(path, "all")
    reader = SectionReader(limit=2)
    with reading(reader):
        with reader.tracking() as reads:
            assert list(stored) == ["first", "second"] and len(stored) == 2
        assert reads and set(reads) == {path}
        with reader.tracking() as reads:
            pass
        assert reads == []
        Path(path).unlink()
        assert stored[0] == "first"  # remembered: entries never change
        reader.forget()
        with pytest.raises(StaleCache):
            stored[0]


def test_the_reader_keeps_only_the_most_recent_entries(tmp_path: Path):
    store = Store(tmp_path)
    reader = SectionReader(limit=2)
    paths = [str(store.write("reports", f"k{n}", n)) for n in range(3)]
    for path in paths:
        assert reader.entry(path) == int(Path(path).stem[1:])
    for path in paths:
        Path(path).unlink()
    assert reader.find(paths[0]) is None  # evicted
    assert reader.find(paths[2]) == 2
