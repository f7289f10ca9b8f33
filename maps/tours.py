"""First-visit guided tours (driver.js, served from npm like the other assets): the one
map from a page (its URL name) to its tour's steps. The site shell hands a page's steps to
maps/static/atlas/tour.js, which shows them once on a browser's first visit and again
whenever the header's "Tour of this page" is pressed.

A new page adds its steps here: each names an element of the page by a CSS selector
(a step whose element is not shown, as the header's menu on a phone, is left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    selector: str
    title: Promise
    text: Promise


TOURS: dict[str, tuple[Step, ...]] = {
    "explorer": (
        Step("#atlas-search-input", _("Search"),
             _("Type a place's name or a word of its description, in any of the four "
               "languages and alphabets.")),
        Step(".atlas-layers", _("Layers"),
             _("Show or hide the boundaries, attractions, trails and routes, and each "
               "partner's data.")),
        Step(".atlas-legend", _("Legend"),
             _("What the icons and colours mean; trails can be coloured by activity or by "
               "difficulty.")),
        Step("#home-panel", _("What's on"),
             _("The partners' announcements and featured routes. Fold this panel to give "
               "the map the whole screen.")),
        Step("[data-lang-switch]", _("Language"),
             _("Bulgarian, Greek, French or English: the atlas remembers your choice.")),
        Step("[data-help-button]", _("Help"),
             _("The guide to this page, in your language. This tour can be replayed from "
               "the header at any time.")),
    ),
    "imports:upload": (
        Step("#id_file", _("File"),
             _("A zipped shapefile, GPX, GeoJSON, KML or KMZ from your computer.")),
        Step("#id_layer", _("Layer"),
             _("The set of features this file fills: an existing layer to update it, or a "
               "new name to create one.")),
        Step("[data-hint=encoding]", _("Text encoding"),
             _("Usually left empty. Open these hints when a word of the form is unclear.")),
        Step("form.card button[type=submit]", _("Preview"),
             _("Nothing is written until you confirm the preview; an import can be undone "
               "afterwards.")),
    ),
}


def tour_for(view_name: str | None) -> dict[str, Any] | None:
    """The page's tour as tour.js reads it (texts in the active language), or None."""
    steps = TOURS.get(view_name or "")
    if not steps:
        return None
    return {
        "id": view_name,
        "steps": [{"element": s.selector, "title": str(s.title), "text": str(s.text)}
                  for s in steps],
        "labels": {"next": str(_("Next")), "previous": str(_("Previous")),
                   "done": str(_("Done")),
                   # driver.js fills {{current}} and {{total}}.
                   "progress": str(_("{{current}} of {{total}}"))},
    }
