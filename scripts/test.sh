#!/usr/bin/env bash
# Fresh machine -> full test suite (unit, end-to-end, browser, validator). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export CI_REQUIRE_BROWSER="${CI_REQUIRE_BROWSER:-1}"
exec .venv/bin/python -m pytest -q --hypothesis-profile=ci "$@"
