"""folium map builders for the platform's pages."""

from __future__ import annotations

import folium
from django.contrib.gis.db.models import Extent
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from actors.api import MAX_PERIOD_DAYS
from actors.vocabulary import ListingType
from geo.params import FIRST_DAY, LAST_DAY
from layers.models import Partner
from layers.search import fold_table
from layers.selectors import categories_present
from layers.vocabulary import Activity, Category, Difficulty
from maps.elements import AtlasMap, RegionalFeatures

BASEMAP_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_LINK = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
# Centre of the four partners (Drôme to eastern Bulgaria) until their boundaries load.
REGION_CENTRE = (43.3, 14.5)
NO_UID = "00000000-0000-0000-0000-000000000000"


def osm_attribution() -> str:
    """The credit OpenStreetMap asks for, in the active language (HTML)."""
    # %(osm)s is the link "OpenStreetMap".
    return escape(_("© %(osm)s contributors")) % {"osm": mark_safe(OSM_LINK)}


def add_basemap(fmap: folium.Map) -> None:
    """The OpenStreetMap tiles, the only outside resource a page uses."""
    folium.TileLayer(tiles=BASEMAP_URL, attr=osm_attribution(), name="OpenStreetMap",
                     max_zoom=19, control=False).add_to(fmap)


def explorer_labels() -> dict:
    """Every word the explorer's script shows, in the active language."""
    return {
        "categories": {c.value: str(c.label) for c in Category},
        "activities": {a.value: str(a.label) for a in Activity},
        "difficulties": {d.value: str(d.label) for d in Difficulty},
        "listingTypes": {t.value: str(t.label) for t in ListingType},
        "ui": {
            "layers": _("Layers"), "show": _("Show"), "partners": _("Partners"),
            "partner": _("Partner territory"), "boundaries": _("Partner boundaries"),
            "attractions": _("Attractions"), "trails": _("Trails"), "routes": _("Routes"),
            "route": _("Route"), "practices": _("Good practices"),
            "practice": _("Good practice"), "services": _("Services and events"),
            "serviceType": _("Type of service"), "allTypes": _("All types"),
            "openOn": _("Open on"), "openUntil": _("until"), "hours": _("Opening hours"),
            "openOnNotApplied": _("The map shows every listing: this choice was refused."),
            "openOnFailed": _("The listings open then could not be loaded: the map shows "
                              "every listing."),
            "legend": _("Legend"), "colourBy": _("Colour trails by"),
            "activity": _("Activity"), "difficulty": _("Difficulty"),
            "unknown": _("Not rated"), "details": _("Details"), "search": _("Search"),
            "searchPlaceholder": _("Places, trails, routes…"),
            "noResults": _("Nothing found"), "locate": _("Show my location"),
            "locateFailed": _("Your location is not available."),
            "youAreHere": _("You are here"),
            "openAtlas": _("Regional Tourism Atlas"),
            # %(count)s is a number already formatted for the language.
            "dense": _("%(count)s features here: zoom in to see them"),
            "category": _("Category"), "allCategories": _("All categories"),
            "partnerRoutes": _("Routes in this territory"),
        },
    }


def partners_extent(partner: str | None = None) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the partners' boundaries (those named, else all)."""
    partners = Partner.objects.filter(sandbox=False)
    if partner:
        partners = partners.filter(slug__in=partner.split(","))
    box = partners.aggregate(e=Extent("boundary"))["e"]
    return [round(v, 5) for v in box] if box else None


def explorer_map(*, lang: str, embed: bool = False, partner: str | None = None,
                 layer: str | None = None, extent: list[float] | None = None,
                 sync_url: bool = True, full_url: str | None = None) -> AtlasMap:
    """The regional map in ``lang``: partners' boundaries, attractions, trails and routes.

    Features come from the API as the map moves (maps/static/maps/explorer/);
    ``partner`` and ``layer`` restrict them (embeds, the layer preview) and
    ``extent`` (lon/lat) is the first view when the URL gives none.
    """
    with translation.override(lang):
        labels = explorer_labels()
        # Half zoom levels: the four partners, from the Drôme to Sliven, fill the first view.
        fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=False,
                        prefer_canvas=False, zoom_snap=0.5)
        add_basemap(fmap)
    RegionalFeatures(options={
        "partnersUrl": reverse("partners"),
        "featuresUrl": reverse("regional-layer"),
        "servicesUrl": reverse("services"),
        # The days /api/services/?open_on= accepts: the date fields refuse others.
        "openOn": {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat(),
                   "maxDays": MAX_PERIOD_DAYS},
        # Whether a listing or an attraction is open now, asked when its popup opens.
        "hoursUrls": {"service": reverse("service-hours", args=[NO_UID]),
                      "attraction": reverse("attraction-hours", args=[NO_UID])},
        "detailUrls": {"attraction": reverse("attraction-page", args=[NO_UID]),
                       "trail": reverse("trail-page", args=[NO_UID]),
                       "service": reverse("service-page", args=[NO_UID])},
        "iconBase": static("vendor/maki/"),
        # Good practices are a layer to switch on: the map is first the places to visit.
        "kinds": {"practice": False},
        "lang": lang,
        "labels": labels,
        "embed": embed,
        "fullUrl": full_url,
        "syncUrl": sync_url,
        "filters": {"partner": partner, "layer": layer},
        # The search matches partner names itself, folded as the API folds ?q=.
        "fold": fold_table(),
        "extent": extent,
        "partnersExtent": partners_extent(partner),
        # The map's category filter and legend list only these.
        "categories": categories_present(partner=partner, layer=layer),
        "routeListUrl": reverse("route-list"),
    }).add_to(fmap)
    return fmap


def feature_map(*, feature: dict) -> AtlasMap:
    """A small map of one feature (a detail page): the feature itself is the page's data."""
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, height="320px")
    add_basemap(fmap)
    layer = folium.GeoJson(
        feature, name="feature",
        style_function=lambda _f: {"color": "#a04000", "weight": 5},
        marker=folium.CircleMarker(radius=9, color="#fff", weight=3, fill=True,
                                   fill_color="#a04000", fill_opacity=0.95),
    ).add_to(fmap)
    if feature["geometry"]["type"] == "Point":
        lon, lat = feature["geometry"]["coordinates"][:2]
        fmap.location = [lat, lon]
        fmap.options["zoom"] = 14
    else:
        # Leaflet fits the features' coordinates to the frame's very edge, where half a
        # marker (or a line's width) falls outside it: keep a margin of a marker and more.
        fmap.fit_bounds(layer.get_bounds(),  # type: ignore[arg-type]  # folium: bounds hold None if empty, fit_bounds wants floats
                        padding=(PREVIEW_PADDING_PX, PREVIEW_PADDING_PX),
                        max_zoom=PREVIEW_MAX_ZOOM)
    return fmap


PREVIEW_PADDING_PX = 24  # margin around the fitted features: a marker is 16 px across
PREVIEW_MAX_ZOOM = 16  # one point alone is shown with its surroundings, not at zoom 18


def features_map(features: dict, *, height: str, colour: str, label: str,
                 name: str = "features", weight: int = 3, radius: int = 6) -> AtlasMap:
    """A map of a page's own features (GeoJSON), drawn in ``colour``, each named in its
    tooltip by its ``label`` property, fitted with a margin."""
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=True,
                    height=height)
    add_basemap(fmap)
    if features["features"]:
        layer = folium.GeoJson(
            features, name=name,
            style_function=lambda _f: {"color": colour, "weight": weight},
            marker=folium.CircleMarker(radius=radius, color="#fff", weight=2, fill=True,
                                       fill_color=colour, fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=[label], labels=False),
        ).add_to(fmap)
        # Leaflet fits the features' coordinates to the frame's very edge, where half a
        # marker (or a line's width) falls outside it: keep a margin of a marker and more.
        fmap.fit_bounds(layer.get_bounds(),  # type: ignore[arg-type]  # folium: bounds hold None if empty, fit_bounds wants floats
                        padding=(PREVIEW_PADDING_PX, PREVIEW_PADDING_PX),
                        max_zoom=PREVIEW_MAX_ZOOM)
    return fmap


def import_preview(*, features: dict) -> AtlasMap:
    """A small map of the first features of an import preview (at most
    importers.previews.PREVIEW_FEATURES).

    These are not in the database yet, so they cannot come from the API: the
    sample is part of the page, bounded in size.
    """
    return features_map(features, height="320px", colour="#a93226", label="label",
                        name="preview")
