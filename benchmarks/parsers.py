#!/usr/bin/env python3
"""Where stage 2's time goes, per report, and what another Markdown parser would change.

    .venv/bin/python benchmarks/parsers.py              # our stage 2 and markdown-it-py alone
    .venv/bin/python benchmarks/parsers.py --pyrs       # also markdown-it-pyrs (Rust port)

Times the same report sections (the first --reports reports of the 1,000-report corpus of
bench.py) three ways, best of --repeat runs, one core:

  stage 2             publisher.assemble.render_sections: parse, render, notes, checks
  markdown-it-py      the parse alone, with the site's parser (publisher.markdown._MD)
  markdown-it-pyrs    the parse alone (`tree`), and parse + a Python walk of every node, the
                      least a renderer on its tree would do; installed into
                      benchmarks/tools/pyrs-venv on first use (not a dependency of the site)

This is the evidence behind the README's note on the cold-build target: it does not change
the build.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import bench  # noqa: E402
from publisher.assemble import render_sections  # noqa: E402
from publisher.definitions import load_definitions  # noqa: E402
from publisher.load import load_report_file  # noqa: E402
from publisher import markdown  # noqa: E402

PYRS_VERSION = "0.4.0"
PYRS_SCRIPT = """
import json, sys, time
from markdown_it_pyrs import MarkdownIt
md = MarkdownIt("commonmark").enable("table").enable("strikethrough").enable("footnote")
reports = json.load(open(sys.argv[1]))
repeat = int(sys.argv[2])

def walk(node):
    count = 1
    for child in node.children:
        count += walk(child)
    return count

def best(job):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for sections in reports:
            for text in sections:
                job(text)
        times.append(time.perf_counter() - started)
    return min(times) / len(reports) * 1000

print(json.dumps({"parse": best(md.tree), "walk": best(lambda t: walk(md.tree(t)))}))
"""


def best_of(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def pyrs_python() -> Path:
    venv = bench.TOOLS / "pyrs-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                        f"markdown-it-pyrs=={PYRS_VERSION}"], check=True)
    return venv / "bin" / "python"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyrs", action="store_true", help="also time markdown-it-pyrs")
    args = parser.parse_args(argv)
    root = bench.corpus(1000)
    definitions = load_definitions(root / "data")
    files = sorted((root / "content" / "reports").rglob("*.md"))[:args.reports]
    sources = [load_report_file(f, root / "content", definitions)[0] for f in files]
    count = len(sources)

    def stage2():
        markdown._recent.clear()  # no remembered sections: every one rendered
        for source in sources:
            render_sections(source)

    def parse_only():
        for source in sources:
            for raw in source.sections:
                markdown._MD.parse(raw.source, {})

    rows = [("stage 2 (markdown-it-py, everything)", best_of(args.repeat, stage2) / count * 1000),
            ("markdown-it-py parse alone", best_of(args.repeat, parse_only) / count * 1000)]
    if args.pyrs:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump([[raw.source for raw in s.sections] for s in sources], handle)
        result = subprocess.run([str(pyrs_python()), "-c", PYRS_SCRIPT, handle.name,
                                 str(args.repeat)], check=True, capture_output=True, text=True)
        Path(handle.name).unlink()
        figures = json.loads(result.stdout)
        rows += [("markdown-it-pyrs parse alone", figures["parse"]),
                 ("markdown-it-pyrs parse + Python walk of the tree", figures["walk"])]
    print(f"{count} reports (~46 KB, ~100 notes each), best of {args.repeat}, one core:")
    for name, ms in rows:
        print(f"  {name:<50} {ms:6.2f} ms/report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
