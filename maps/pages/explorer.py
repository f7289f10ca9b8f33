"""HTML pages. Maps are built by maps.builders; bulk data arrives from the API."""

from __future__ import annotations

import json
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from geo import geojson
from geo.i18n import page_language
from geo.opening_hours import state_at
from geo.units import duration_text
from importers.models import ImportRun
from layers import selectors
from layers.models import Attraction, Layer
from layers.vocabulary import Activity, Category, Difficulty, LayerKind, Visibility, Wheelchair
from maps.builders import explorer_map, feature_map
from maps.elements import map_parts
from maps.pages.actors import page_context as actor_buttons
from maps.pages.practical import hours_block, now
from media.selectors import photos_of

EXPORT_FORMATS = (("geojson", "GeoJSON"), ("gpx", "GPX"), ("kml", "KML"),
                  ("shp", "Shapefile (zip)"), ("gpkg", "GeoPackage"), ("csv", "CSV (WKT)"))


def _partner_param(request: HttpRequest) -> str | None:
    raw = request.GET.get("partner", "")
    slugs = [s for s in raw.split(",") if s.strip()]
    return ",".join(slugs) or None


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    fmap = explorer_map(lang=page_language(), partner=_partner_param(request))
    return render(request, "maps/explorer.html", map_parts(fmap))


@require_safe
@xframe_options_exempt  # partners put this page in an iframe on their own sites
def embed(request: HttpRequest) -> HttpResponse:
    partner = _partner_param(request)
    full = request.build_absolute_uri(reverse("explorer")) + (
        f"?partner={partner}" if partner else "")
    fmap = explorer_map(lang=page_language(), embed=True, partner=partner, full_url=full)
    return render(request, "maps/embed.html", map_parts(fmap))


@require_safe
def layer_list(request: HttpRequest) -> HttpResponse:
    layers = selectors.layers_list(lang=page_language())
    return render(request, "maps/layer_list.html", {"layers": layers})


@require_safe
def layer_preview(request: HttpRequest, slug: str) -> HttpResponse:
    layer = (Layer.objects.select_related("partner")
             .filter(slug=slug, visibility=Visibility.PUBLIC).first())
    if layer is None:
        raise Http404("no public layer with this name")
    lang = page_language()
    facts = next((x for x in selectors.layers_list(lang=lang) if x["slug"] == slug), {})
    fmap = explorer_map(lang=lang, layer=slug, partner=layer.partner.slug,
                        extent=facts.get("extent"), sync_url=False)
    kind = "attraction" if layer.kind == LayerKind.ATTRACTIONS else "trail"
    api = request.build_absolute_uri
    urls = {
        "rest": api(reverse("attractions" if kind == "attraction" else "trails"))
        + f"?layer={slug}",
        "ogc": api(reverse("ogc-landing")),
        "ogc_items": api(reverse("ogc-items", args=[slug])),
        "tiles": api(reverse("tile", args=[slug, 0, 0, 0])).replace(
            "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"),
        "tilejson": api(reverse("tilejson", args=[slug])),
    }
    downloads = [(label, reverse("layer-export", args=[slug]) + f"?format={fmt}")
                 for fmt, label in EXPORT_FORMATS]
    runs = ImportRun.objects.filter(layer=layer).order_by("-started_at", "-id")[:50]
    table = {
        "featuresUrl": reverse("attractions" if kind == "attraction" else "trails"),
        "layer": slug, "kind": kind, "lang": lang, "pageSize": 25,
        "labels": {"categories": dict(Category.choices), "activities": dict(Activity.choices),
                   "difficulties": dict(Difficulty.choices),
                   # %(first)s–%(last)s of %(total)s: numbers formatted for the language.
                   "range": _("%(first)s–%(last)s of %(total)s"),
                   "showOnMap": _("Show on the map:")},
        "markerIcon": static("vendor/maki/marker.svg"),
        "detailUrl": reverse(f"{kind}-page", args=["00000000-0000-0000-0000-000000000000"]),
    }
    return render(request, "maps/layer_preview.html", {
        **map_parts(fmap), "layer": layer, "facts": facts, "kind": kind, "urls": urls,
        "downloads": downloads, "runs": runs, "table_options": _plain(table),
    })


def _plain(data: dict) -> dict:
    # Lazy translation strings become text in the active language.
    return json.loads(json.dumps(data, default=str))


def _feature_page(request: HttpRequest, kind: str, uid: UUID) -> HttpResponse:
    # The geometry drawn (a line thinned beyond the display's vertex cap): the page's map
    # is embedded in it, and a million-vertex trail made it 27.8 MB (Trust D8).
    body = selectors.feature_detail(kind=kind, uid=str(uid), lang=page_language(),
                                    display=True)
    if body is None:
        raise Http404("no such feature")
    feature = json.loads(body)
    props = feature["properties"]
    layer = Layer.objects.select_related("partner").get(slug=props["layer"])
    labels = {
        "category": dict(Category.choices).get(props.get("category"), props.get("category")),
        "activity": dict(Activity.choices).get(props.get("activity"), props.get("activity")),
        "difficulty": dict(Difficulty.choices).get(props.get("difficulty") or ""),
        "wheelchair": dict(Wheelchair.choices).get(props.get("wheelchair") or ""),
    }
    # Lengths and durations written as on the route pages ("4,2 km", "1 h 14").
    if props.get("length_m") is not None:
        props["length_km"] = props["length_m"] / 1000
    if props.get("duration_min"):
        props["duration_text"] = duration_text(props["duration_min"])
    shape = geojson.feature(id=None, geometry=feature["geometry"], properties={})
    photos: list = []
    hours = None
    if kind == "attraction":
        attraction = Attraction.objects.filter(uid=uid).first()
        photos = photos_of(attraction) if attraction is not None else []
        country = layer.partner.country
        value = props.get("opening_hours") or ""
        hours = hours_block(value, country, state_at(value, country, now()))
    return render(request, "maps/feature.html", {
        **map_parts(feature_map(feature=shape)), "feature": feature, "p": props,
        "kind": kind, "layer": layer, "labels": labels, "photos": photos, "hours": hours,
        "api_url": reverse(f"{kind}-detail", args=[uid]),
        **(actor_buttons(request, attraction_uid=str(uid)) if kind == "attraction" else {}),
    })


@require_safe
def attraction_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _feature_page(request, "attraction", uid)


@require_safe
def trail_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _feature_page(request, "trail", uid)
