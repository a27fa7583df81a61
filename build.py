#!/usr/bin/env python3
"""Command line for the report publisher: build, check, serve, import.

    python build.py [build] [--content DIR] [--out DIR] [--base-url PATH]
    python build.py check [--content DIR]
    python build.py serve [--host 127.0.0.1] [--port 8000]
    python build.py import RAW.txt [RAW2.txt ...] [--content DIR] [--force] ...
"""
from __future__ import annotations

import sys

from publisher.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
