#!/usr/bin/env bash
# Fresh machine -> built sample site in site/. Extra arguments go to build.py (e.g. serve).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python build.py "$@"
