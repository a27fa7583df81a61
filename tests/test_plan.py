"""plan.py: what a build renders, keeps, copies, writes and removes, from fingerprints alone."""
from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from publisher.fingerprints import digest
from publisher.outputs import OutputFile, OutputManifest
from publisher.plan import DepFingerprints, derived_key, nothing_to_do, plan_build
from publisher.render import Page


def page(path: str, deps: tuple[str, ...], template: str = "t.html") -> Page:
    return Page(path, lambda: b"", deps, template)


def previous(out: Path, files: dict[str, tuple[str, str, bool]]) -> OutputManifest:
    """A manifest of files on disk: path -> (kind, fingerprint, reads)."""
    entries = {}
    for path, (kind, fp, reads) in files.items():
        write_tree(out, {path: path})
        st = (out / path).stat()
        entries[path] = OutputFile(kind, fp, digest(path.encode()), st.st_size, st.st_mtime_ns,
                                   st.st_ino, reads=reads)
    return OutputManifest(files=entries)


def plan(out, pages, deps, manifest, static=(), extras=None):
    return plan_build(out, pages, "site", {"t.html": "tfp"}, deps, list(static), extras or {},
                      manifest, lambda source: Path(source).read_bytes())


def test_a_page_is_rendered_only_when_a_dependency_changed(tmp_path: Path):
    out = tmp_path / "out"
    deps = DepFingerprints.of({"report:a/2015": "A1", "report:b/2015": "B1"},
                              {"report:a/2015": "a1", "report:b/2015": "b1"})
    pages = [page("a.html", ("report:a/2015",)), page("b.html", ("report:b/2015",))]
    first = plan(out, pages, deps, OutputManifest())
    assert [pages[p.index].path for p in first.render] == ["a.html", "b.html"]
    manifest = previous(out, {"a.html": ("page", first.render[0].full_fp, True),
                              "b.html": ("page", first.render[1].full_fp, True)})
    changed = DepFingerprints.of({"report:a/2015": "A2", "report:b/2015": "B1"},
                                 {"report:a/2015": "a1", "report:b/2015": "b1"})
    again = plan(out, pages, changed, manifest)
    assert again.rendered_paths == ("a.html",) and set(again.kept) == {"b.html"}


def test_a_page_that_read_no_sections_is_compared_by_summaries(tmp_path: Path):
    out = tmp_path / "out"
    pages = [page("list.html", ("report:a/2015",))]
    deps = DepFingerprints.of({"report:a/2015": "A1"}, {"report:a/2015": "a1"})
    summary_fp = plan(out, pages, deps, OutputManifest()).render[0].summary_fp
    manifest = previous(out, {"list.html": ("page", summary_fp, False)})
    prose_edit = DepFingerprints.of({"report:a/2015": "A2"}, {"report:a/2015": "a1"})
    assert plan(out, pages, prose_edit, manifest).changes_nothing()
    rating_edit = DepFingerprints.of({"report:a/2015": "A3"}, {"report:a/2015": "a2"})
    assert plan(out, pages, rating_edit, manifest).rendered_paths == ("list.html",)


def test_value_dependencies_compare_as_written_and_unknown_reports_never_match(tmp_path: Path):
    deps = DepFingerprints.of({}, {})
    pages = [page("x.html", ("value:2014-2016",))]
    fp = plan(tmp_path, pages, deps, OutputManifest()).render[0].full_fp
    assert fp.endswith("value:2014-2016")
    missing = plan(tmp_path, [page("y.html", ("report:gone/2015",))], deps, OutputManifest())
    assert "missing" not in missing.render[0].full_fp  # hashed, never the bare name


def test_files_the_site_no_longer_has_are_removed_static_files_copied(tmp_path: Path):
    out = tmp_path / "out"
    write_tree(tmp_path, {"static/s.css": "body{}"})
    manifest = previous(out, {"gone.html": ("page", "fp", True),
                              "pagefind/x.pf": ("derived", "k", False)})
    result = plan(out, [], DepFingerprints.of({}, {}), manifest,
                  static=[("static/s.css", str(tmp_path / "static/s.css"), digest(b"body{}"))],
                  extras={".nojekyll": b""})
    assert result.removed == ["gone.html"]  # the search index is the indexer's business
    assert [(c.path, c.data) for c in result.copies] == [("static/s.css", b"body{}")]
    assert result.writes == [(".nojekyll", b"")]


def test_nothing_to_do_when_every_file_is_in_place(tmp_path: Path):
    out = tmp_path / "out"
    pages = [page("a.html", ())]
    fp = plan(out, pages, DepFingerprints.of({}, {}), OutputManifest()).render[0].full_fp
    manifest = previous(out, {"a.html": ("page", fp, True)})
    again = plan(out, pages, DepFingerprints.of({}, {}), manifest)
    assert nothing_to_do(out, again, manifest, derived_key(again.kept, False, None))
    (out / "stray.html").write_text("by hand")
    assert not nothing_to_do(out, again, manifest, None)
