"""A route on paper: its page's facts, stops, legs, what is along the way and the
timetable, in one language, as a PDF that WeasyPrint renders from print CSS."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dates import MONTHS

from geo.units import duration_text
from routes import selectors
from routes.vocabulary import Mode, Theme


def _km(metres: float | None) -> float:
    return (metres or 0) / 1000


def route_pdf(slug: str, *, lang: str, days: tuple[date, ...],
              timetable: dict[str, Any] | None, page_url: str, data_date: date) -> bytes:
    """The route's PDF in ``lang`` (A4, the fonts the system has: DejaVu carries Cyrillic
    and Greek)."""
    from weasyprint import HTML

    with translation.override(lang):
        detail = selectors.route_detail(slug=slug, lang=lang)
        if detail is None:
            raise LookupError(slug)
        p = detail["properties"]
        modes = {m.value: str(m.label) for m in Mode}
        for leg in p["legs"]:
            leg["length_km"] = _km(leg["length_m"])
            leg["duration_text"] = duration_text(leg["duration_min"] or 0)
            leg["mode_label"] = modes.get(leg["mode"], leg["mode"])
        for a in p.get("along_the_way", []):
            a["position_km"] = a["position_m"] / 1000
        html = render_to_string("offline/route_print.html", {
            "route": p, "length_km": _km(p["length_m"]),
            "duration_text": duration_text(p["duration_min"] or 0),
            "months": [str(MONTHS[m]) for m in p["months"]],
            "themes": [str(dict(Theme.choices).get(t, t)) for t in p["themes"]],
            "legs_by_stop": {leg["from_stop"]: leg for leg in p["legs"]},
            "days": [(d, (timetable or {}).get("days", {}).get(d.isoformat())) for d in days],
            "page_url": page_url, "data_date": data_date, "lang": lang})
    # The document's dates are the data's, so that the same route makes the same bytes.
    return HTML(string=html).write_pdf(
        pdf_identifier=slug.encode(), uncompressed_pdf=False)
