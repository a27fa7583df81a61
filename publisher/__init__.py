"""Static-site publisher for country democracy reports.

Pipeline, five stages: 1 load (content files -> validated records) -> 2 markdown (section bodies
and notes -> HTML) -> 3 assemble (cross-report facts) -> 4 pages (records -> output files, via
Jinja) -> 5 write (a fresh folder, swapped in whole). `pipeline.Builder` runs them; `importer`
and `serve` sit beside it.
"""

VERSION = "0.2.0"
