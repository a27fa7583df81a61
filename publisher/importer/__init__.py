"""Importer: raw text scraped from report pages of the site's series (Nations in Transit,
Freedom in the World, Freedom on the Net, any series `data/series/` defines) -> clean content files.

Stages, one module each: identify (file, series, scale, country and edition) -> sections
(headings, chrome removal, authors) -> scores (widgets, ratings, last year, score changes) ->
footnotes (references, note texts) -> write (Markdown + front matter, atomic write). `pipeline`
runs them; `cli` is the `build.py import` command.
"""
from .model import ImportFailure, ParsedReport
from .pipeline import Overrides, missing_parts, parse_page

__all__ = ["ImportFailure", "Overrides", "ParsedReport", "missing_parts", "parse_page"]
