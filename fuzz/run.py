#!/usr/bin/env python3
"""Long fuzz run of the loader, the Markdown stage and the importer (hypothesis, large budget).

    .venv/bin/python fuzz/run.py [--examples 20000]
        [--target all|load|splice|values|markdown|import|import-page|import-series-page|cache]

`values` writes one hostile value (numbers of any spelling and size, escapes making control
characters or surrogates, nesting thousands deep) into one front-matter field of a valid report;
`import-page` is a synthetic whole page (tests/synthetic_pages.py) with text written over it;
`import-series-page` a whole Freedom in the World or Freedom on the Net page (tests/fixtures/import)
cut off anywhere or with text spliced in;
`cache` damages a real build-cache entry anywhere (bytes replaced, the header forged to match).

Prints, per target, the number of inputs tried, the wall time and any failure (with the
shrunk input). The same targets run with a small budget in tests/test_fuzz.py.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz_targets import (  # noqa: E402
    decode_damaged,
    hostile_value,
    load_one,
    load_value,
    mutated_report,
    noisy_text,
    render_one,
    value_place,
)
from synthetic_pages import import_damaged_page  # noqa: E402


def import_target():
    """The importer on arbitrary text: only its own ImportFailure may come out."""
    from publisher.importer.model import ImportFailure
    from test_import_properties import _import

    def target(text: str) -> None:
        try:
            _import(text)
        except ImportFailure as error:
            assert str(error)

    return target


def run(name: str, test, examples: int) -> bool:
    counter = {"n": 0}

    strategy = {
        "load": st.tuples(st.binary(max_size=2000)),
        "splice": st.tuples(noisy_text, st.integers(min_value=0)),
        "values": st.tuples(value_place, hostile_value),
        "markdown": st.tuples(noisy_text),
        "import": st.tuples(st.text(max_size=3000)),
        # a synthetic whole page (tests/synthetic_pages.py) with text written over it
        "cache": st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=64),
                           st.booleans()),
        "import-page": st.tuples(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0),
                                 st.text(max_size=200)),
        "import-series-page": st.tuples(st.integers(min_value=0), st.integers(min_value=0),
                                        st.text(max_size=200), st.booleans()),
    }[name]

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def wrapped(args):
        counter["n"] += 1
        test(*args)

    started = time.perf_counter()
    try:
        wrapped()
        ok = True
    except Exception as error:  # report and go on with the other targets
        print(f"{name}: FAILED after {counter['n']} inputs: {error!r}")
        ok = False
    seconds = time.perf_counter() - started
    print(f"{name:9} {counter['n']:8d} inputs  {seconds:8.1f} s  {'ok' if ok else 'FAILED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    parser.add_argument("--target", default="all")
    args = parser.parse_args()
    targets = {
        "load": load_one,
        "splice": lambda text, pos: load_one(mutated_report(text, pos).encode("utf-8", "surrogatepass")),
        "values": load_value,
        "markdown": render_one,
        "cache": decode_damaged,
    }
    targets["import"] = import_target()
    targets["import-page"] = import_damaged_page
    from test_import_properties import import_damaged_series_page
    targets["import-series-page"] = import_damaged_series_page
    chosen = targets if args.target == "all" else {args.target: targets[args.target]}
    results = [run(name, test, args.examples) for name, test in chosen.items()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
