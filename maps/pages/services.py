"""A listing's page: what a visitor needs first (photo, what it is, hours and whether it is
open now, price, accessibility, address, contact), what is nearby, and the page's
schema.org JSON-LD and OpenGraph tags."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actors.hours import listing_now
from actors.jsonld import listing_jsonld
from actors.models import Listing
from actors.practical import ROUTE_CORRIDOR_M
from actors.vocabulary import ListingStatus
from geo.clock import now
from geo.i18n import page_language
from layers import selectors
from layers.params import FeatureFilters
from layers.vocabulary import Wheelchair
from maps.pages.actors import page_context as actor_buttons
from maps.pages.practical import (
    hours_block,
    language_names,
    month_names,
    routes_passing,
    translated,
)
from media.selectors import photos_of

NEARBY_RADIUS_M = 2000.0


def nearby(listing_location: Any, lang: str, exclude: str) -> list[dict[str, Any]]:
    lon, lat = listing_location.coords
    filters = FeatureFilters(near=(lon, lat), radius_m=NEARBY_RADIUS_M)
    body, _total, _returned = selectors.features_page(
        kinds=["attraction", "service"], filters=filters, lang=lang, limit=9, offset=0)
    found = []
    for f in json.loads(body):
        p = f["properties"]
        if f["id"] == exclude:
            continue
        url = p.get("url") or reverse("attraction-page", args=[f["id"]])
        found.append({"name": p.get("name") or "—", "kind": p.get("kind"), "url": url,
                      "distance_m": p.get("distance_m")})
    return found[:8]


def jsonld_text(data: dict[str, Any]) -> str:
    # Inside <script>: no character that could close the element or open a comment.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@require_safe
def service_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    listing = (Listing.objects.select_related("partner")
               .filter(uid=uid, status=ListingStatus.PUBLISHED, partner__sandbox=False)
               .first())
    if listing is None:
        raise Http404("no such listing")
    lang = page_language()
    name = translated(listing, "name", lang) or "—"
    description = translated(listing, "description", lang)
    photos = photos_of(listing, lang)
    url = request.build_absolute_uri(request.path)
    image = request.build_absolute_uri(photos[0]["sizes"]["1200"]) if photos else None
    hours = listing_now(listing, now())
    data = listing_jsonld(listing, name=name, description=description, url=url, image=image)
    return render(request, "maps/service.html", {
        "listing": listing, "name": name, "description": description, "photos": photos,
        "type_label": listing.get_type_display(),
        # The same words as the explorer's popup; the week closed out of season.
        "hours": hours_block(listing.opening_hours, listing.partner.country, hours.state,
                             summary=hours.summary, days=hours.week),
        "wheelchair": dict(Wheelchair.choices).get(listing.wheelchair, ""),
        "accessibility": translated(listing, "accessibility", lang),
        "nearby": nearby(listing.location, lang, str(listing.uid)),
        "routes": routes_passing(listing.location, lang),
        "routes_within_km": ROUTE_CORRIDOR_M / 1000,
        "season": month_names(listing.season_months or []),
        "languages": language_names(listing.languages or []),
        "jsonld": jsonld_text(data), "og_url": url, "og_image": image,
        "og_description": description[:200],
        "api_url": reverse("service-detail", args=[listing.uid]),
        **actor_buttons(request, listing),
    })
