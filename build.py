#!/usr/bin/env python3
"""Command line for the report publisher: build, check, serve, new, import.

    python build.py [build] [--content DIR] [--out DIR] [--base-url PATH]
    python build.py check [--content DIR] [--verbose]
    python build.py serve [--host 127.0.0.1] [--port 8000]
    python build.py new COUNTRY EDITION
    python build.py import RAW.txt [RAW2.txt ...] [--force] ...

`python build.py --help` lists everything. Run with any Python 3.11+: when the packages are
not importable here but the project's virtual environment exists (made by scripts/build.sh
or scripts/setup.sh), the command runs again inside it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"


def _packages_missing() -> str | None:
    try:
        import jinja2, markdown_it, yaml  # noqa: F401, E401
    except ImportError as error:
        return error.name or str(error)
    return None


if __name__ == "__main__":
    missing = _packages_missing()
    if missing:
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (HERE / ".venv").resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()),
                                        *sys.argv[1:]])
        print(f"build.py: the package '{missing}' is not installed. Run scripts/build.sh once "
              "(it creates .venv/ with everything this needs), then run this again.",
              file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, str(HERE))
    from publisher.cli import main

    sys.exit(main(sys.argv[1:]))
