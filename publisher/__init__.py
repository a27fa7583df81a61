"""Static-site publisher for country democracy reports.

Pipeline: load (content files -> validated records) -> markdown (section bodies and notes)
-> render (Jinja templates) -> write (atomic output swap). `importer` and `serve` sit beside it.
"""

VERSION = "0.1.0"
