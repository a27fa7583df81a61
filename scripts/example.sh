#!/usr/bin/env bash
# The three-series example: Kazakhstan in Nations in Transit (the sample's report), Freedom in the
# World and Freedom on the Net (partial reports imported from ../shared/corpus/ captures), built
# into build/three-series/site/. Extra arguments go to build.py (e.g. serve).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
project=build/three-series
# The project is assembled from the repository's files each time (its site/ and build cache stay).
rm -rf "$project/content" "$project/data" "$project/templates" "$project/static"
mkdir -p "$project/content/reports/nit"
cp -r data templates static site.yaml "$project/"
cp examples/three-series/data/series/*.yaml "$project/data/series/"
cp examples/three-series/site.yaml "$project/site.yaml"
cp -r content/pages "$project/content/"
cp -r content/reports/. "$project/content/reports/nit/"
cp -r examples/three-series/content/reports/. "$project/content/reports/"
cd "$project"
exec ../../.venv/bin/python ../../build.py "$@"
