"""Reports as plain data: the `report.json` record (and, later, rows for CSV/JSON downloads)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .config import SiteConfig
from .model import Report


def _number(value: Decimal | None) -> float | int | None:
    """JSON numbers: whole numbers stay integers, others keep their 2 decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
        else float(value)


def report_record(report: Report, config: SiteConfig) -> dict[str, Any]:
    """The facts of one report, as documented on the Data page."""
    source = report.source
    previous = report.previous
    return {
        "country": report.country,
        "slug": report.slug,
        "edition": report.edition,
        "year_covered": report.year_covered,
        "status": report.status.name,
        "democracy_score": _number(report.democracy_score),
        "democracy_percentage": _number(report.democracy_percentage),
        "ratings": {r.category.key: _number(r.rating) for r in report.ratings},
        "other_scores": {
            s.key: {"label": s.label, "score": _number(s.score), "max": _number(s.max),
                    "status": s.status, "note": s.note}
            for s in source.other_scores
        },
        "authors": list(source.authors),
        "summary": source.summary,
        "source_url": source.source_url,
        "source_note": source.source_note,
        "url": config.url + config.base_url + report.url,
        "previous": None if previous is None else {
            "edition": previous.edition,
            "democracy_score": _number(previous.democracy_score),
            "democracy_percentage": _number(previous.democracy_percentage),
            "status": previous.status.name if previous.status else None,
            "source": "file" if previous.from_file else "stated",
        },
        "score_changes": None if source.score_changes is None else [
            {"category": c.category.key, "from": _number(c.old), "to": _number(c.new)}
            for c in source.score_changes
        ],
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "category": section.category.key if section.category else None,
                "rating": _number(source.ratings.get(section.category.key))
                if section.category else None,
                "text": section.text,
                "footnotes": [
                    {"number": int(n.label) if n.label.isdigit() else n.label, "text": n.text}
                    for n in section.footnotes
                ],
            }
            for section in report.sections
        ],
    }
