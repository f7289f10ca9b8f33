"""HTML pages. Maps are built by maps.builders; bulk data arrives from the API."""

from __future__ import annotations

import json
from functools import lru_cache
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe
from pyproj import CRS

from actors.practical import AROUND_PLACE_M, ROUTE_CORRIDOR_M, practical_near
from campaigns import selectors as campaign_selectors
from geo import geojson
from geo.clock import now
from geo.crs import BGS2005_CCS, GREEK_GRID, LAMBERT_93, WGS84
from geo.errors import Refused
from geo.i18n import page_language
from geo.schedule import schedule_now
from geo.units import duration_text
from importers.models import ImportRun
from layers import selectors
from layers import services as layers_services
from layers.exports import WGS84_ONLY
from layers.hours import attraction_schedule
from layers.jsonld import attraction_jsonld, price_text
from layers.models import Attraction, Layer, Partner
from layers.ogc.params import SUPPORTED_SRIDS
from layers.permissions import (
    editable_partners,
    member_partners,
    moderated_partners,
    unpublished_layer_ids,
    unpublished_layers_seen,
)
from layers.vocabulary import Activity, Category, Difficulty, LayerKind, Visibility, Wheelchair
from maps.builders import explorer_map, feature_map
from maps.elements import map_parts
from maps.pages.actors import page_context as actor_buttons
from maps.pages.practical import (
    hours_block,
    language_names,
    month_names,
    practical_groups,
    routes_passing,
)
from maps.pages.services import jsonld_text
from maps.pages.transit_block import place_transit
from media.selectors import photos_of

EXPORT_FORMATS = (("geojson", "GeoJSON"), ("gpx", "GPX"), ("kml", "KML"),
                  ("shp", "Shapefile (zip)"), ("gpkg", "GeoPackage"), ("csv", "CSV (WKT)"),
                  ("fgb", "FlatGeobuf"), ("parquet", "GeoParquet"))
NATIONAL_CRS = {"BG": BGS2005_CCS, "GR": GREEK_GRID, "FR": LAMBERT_93}
"""The CRS the download form offers first: the partner's country's."""


@lru_cache(maxsize=16)
def crs_name(srid: int) -> str:
    """The CRS's name in the EPSG registry ("GGRS87 / Greek Grid")."""
    return str(CRS.from_epsg(srid).name)


def _crs_choices(country: str) -> list[tuple[str, str, bool]]:
    """(EPSG:n, its name, chosen first) of each CRS an export may be in (the OGC API's)."""
    first = NATIONAL_CRS.get(country, WGS84)
    return [(f"EPSG:{srid}", f"{crs_name(srid)} (EPSG:{srid})", srid == first)
            for srid in SUPPORTED_SRIDS]


def _partner_param(request: HttpRequest) -> str | None:
    raw = request.GET.get("partner", "")
    slugs = [s for s in raw.split(",") if s.strip()]
    return ",".join(slugs) or None


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    partner = _partner_param(request)
    fmap = explorer_map(lang=lang, partner=partner)
    # The home page's content: what is on now, beside the map (docs/users/campaigns.md).
    # A map of some partners only is a view of the map, not the home.
    home = campaign_selectors.home(lang=lang) if partner is None else {"any": False}
    return render(request, "maps/explorer.html", {**map_parts(fmap), "home": home})


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
    # The list (shared with /api/layers/) names a partner by its slug; a reader wants its
    # name, in the page's language.
    names = {p.slug: p.name or p.slug for p in Partner.objects.all()}
    for layer in layers:
        layer["partner_name"] = names.get(layer["partner"], layer["partner"])
    return render(request, "maps/layer_list.html", {"layers": layers})


def _sees_partners_only(request: HttpRequest) -> bool:
    """Whether the visitor is one of the partners' people, who see the layers visible to
    partners only (an upload's layer before it is published)."""
    user = request.user
    return (member_partners(user).exists() or editable_partners(user).exists()
            or moderated_partners(user).exists())


def _readable_layer(request: HttpRequest, slug: str) -> Layer:
    """The layer named ``slug`` if the visitor sees it: a public one, or one not yet public
    of a partner they belong to (its moderators review it here); another partner's is as
    unknown as a misspelt name."""
    layer = Layer.objects.select_related("partner").filter(slug=slug).first()
    if layer is None or (layer.visibility != Visibility.PUBLIC and not unpublished_layers_seen(
            request.user).filter(pk=layer.pk).exists()):
        raise Http404("no layer with this name")
    return layer


@require_safe
def layer_preview(request: HttpRequest, slug: str) -> HttpResponse:
    return _layer_page(request, slug)


@login_required
@require_POST
def layer_publication(request: HttpRequest, slug: str) -> HttpResponse:
    """The layer page's publish / unpublish buttons (its partner's moderators)."""
    layer = _readable_layer(request, slug)
    try:
        if "unpublish" in request.POST:
            layers_services.layer_unpublish(layer=layer, user=request.user)
        else:
            layers_services.layer_publish(layer=layer, user=request.user)
    except Refused as exc:
        return _layer_page(request, slug, error=str(exc), status=400)
    return redirect("layer-page", slug=slug)


def _layer_page(request: HttpRequest, slug: str, *, error: str = "",
                status: int = 200) -> HttpResponse:
    layer = _readable_layer(request, slug)
    publication = None
    if _sees_partners_only(request):
        publication = {"public": layer.visibility == Visibility.PUBLIC,
                       "missing": layers_services.layer_publication_missing(layer=layer),
                       "may": layers_services.may_publish(layer=layer, user=request.user),
                       "error": error}
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
        "metadata": api(reverse("ogc-record", args=[slug])),
        "ogc_tiles": api(reverse("ogc-tilesets", args=[slug])),
        # The styles that make the layer look as on the map (layers/ogc/styles.py).
        **{f"style_{f}": reverse("ogc-style", args=[slug, "atlas"]) + f"?f={f}&lang={lang}"
           for f in ("qml", "sld10", "mapbox")},
    }
    downloads = [(label, reverse("layer-export", args=[slug]) + f"?format={fmt}")
                 for fmt, label in EXPORT_FORMATS]
    in_crs = {"url": reverse("layer-export", args=[slug]),
              "formats": [(f, label) for f, label in EXPORT_FORMATS if f not in WGS84_ONLY],
              "crs": _crs_choices(layer.partner.country)}
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
        "downloads": downloads, "in_crs": in_crs, "runs": runs, "table_options": _plain(table),
        "publication": publication,
    }, status=status)


def _plain(data: dict) -> dict:
    # Lazy translation strings become text in the active language.
    return json.loads(json.dumps(data, default=str))


def _feature_page(request: HttpRequest, kind: str, uid: UUID) -> HttpResponse:
    # The geometry drawn (a line thinned beyond the display's vertex cap): the page's map
    # is embedded in it, and a million-vertex trail made it 27.8 MB (Trust D8).
    body = selectors.feature_detail(kind=kind, uid=str(uid), lang=page_language(),
                                    display=True,
                                    unpublished_layers=unpublished_layer_ids(request.user))
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
    practical: list = []
    routes: list = []
    visit: dict = {}
    jsonld = ""
    if kind == "attraction":
        attraction = (Attraction.objects.select_related("layer__partner").filter(uid=uid)
                      .first())
        photos = photos_of(attraction) if attraction is not None else []
        if attraction is not None:
            lang = page_language()
            # The same words as the explorer's popup; the week closed out of season.
            found = schedule_now(attraction_schedule(attraction), now())
            hours = hours_block(attraction.opening_hours, layer.partner.country, found.state,
                                summary=found.summary, days=found.week)
            visit = {
                "price": price_text(attraction), "season": month_names(attraction.season_months),
                "languages": language_names(attraction.languages),
                "accessibility": props.get("accessibility") or "",
                "hours_as_given": attraction.hours_as_given,
                "lat": attraction.location.y, "lon": attraction.location.x,
            }
            image = request.build_absolute_uri(photos[0]["sizes"]["1200"]) if photos else None
            jsonld = jsonld_text(attraction_jsonld(
                attraction, name=props.get("name") or "",
                url=request.build_absolute_uri(request.path),
                description=props.get("description") or "", image=image,
                accessibility=visit["accessibility"], week=found.week))
            practical = practical_groups(practical_near(
                geom=attraction.location, within_m=AROUND_PLACE_M, when=now()), lang)
            routes = routes_passing(attraction.location, lang)
    return render(request, "maps/feature.html", {
        "transit": _feature_transit(request, kind, feature["geometry"], props),
        "practical": practical, "practical_within_km": AROUND_PLACE_M / 1000,
        "routes": routes, "routes_within_km": ROUTE_CORRIDOR_M / 1000,
        **map_parts(feature_map(feature=shape)), "feature": feature, "p": props,
        "kind": kind, "layer": layer, "labels": labels, "photos": photos, "hours": hours,
        "visit": visit, "jsonld": jsonld,
        "api_url": reverse(f"{kind}-detail", args=[uid]),
        **(actor_buttons(request, attraction_uid=str(uid)) if kind == "attraction" else {}),
    })


def _feature_transit(request: HttpRequest, kind: str, geometry: dict | None,
                     props: dict) -> dict | None:
    """"How to get there" for an attraction (its place) or a trail (its start, for its
    walking time); None without a geometry or a stop with a current timetable near."""
    if not geometry or not geometry.get("coordinates"):
        return None
    if kind == "attraction":
        lon, lat = geometry["coordinates"][:2]
        return place_transit(request, lon=lon, lat=lat, stay_min=0, what="place")
    first = geometry["coordinates"]
    while isinstance(first[0], list):  # a (multi)line's first point
        first = first[0]
    return place_transit(request, lon=first[0], lat=first[1],
                         stay_min=int(props.get("duration_min") or 0), what="trail")


@require_safe
def attraction_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _feature_page(request, "attraction", uid)


@require_safe
def trail_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _feature_page(request, "trail", uid)
