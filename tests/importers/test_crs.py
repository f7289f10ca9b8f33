"""Partner CRSs land within 1 m of where PROJ puts them, datum shifts included."""

from __future__ import annotations

import math

import pytest
import shapely
from django.core.management import CommandError, call_command
from pyproj import Geod, Transformer

from geo.crs import identify
from importers.exceptions import Refused
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")

# Reference transformations written out as PROJ pipelines, independent of the
# EPSG registry the importer uses: projection parameters and, for GGRS87, the
# EPSG 3-parameter shift to WGS 84 (dx=-199.87, dy=74.79, dz=246.62 m).
GREEK_GRID_TO_WGS84 = (
    "+proj=pipeline +step +inv +proj=tmerc +lat_0=0 +lon_0=24 +k=0.9996 +x_0=500000 +y_0=0 "
    "+ellps=GRS80 +step +proj=cart +ellps=GRS80 +step +proj=helmert +x=-199.87 +y=74.79 "
    "+z=246.62 +step +inv +proj=cart +ellps=WGS84")
GREEK_GRID_NO_SHIFT = ("+proj=pipeline +step +inv +proj=tmerc +lat_0=0 +lon_0=24 +k=0.9996 "
                       "+x_0=500000 +y_0=0 +ellps=GRS80")
LAMBERT_93 = ("+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 "
              "+ellps=GRS80")
CCS2005 = ("+proj=lcc +lat_0=42.6678756833333 +lon_0=25.5 +lat_1=42 +lat_2=43.3333333333333 "
           "+x_0=500000 +y_0=4725824.3591 +ellps=GRS80")


def _inverse(pipeline: str, x: float, y: float) -> tuple[float, float]:
    lon, lat, _z = Transformer.from_pipeline(pipeline).transform(x, y, 0, radians=True)
    return math.degrees(lon), math.degrees(lat)


def _import_point(tmp_path, partner, x, y, epsg, *, esri=True):
    shp = write_shapefile(tmp_path, f"p{epsg}", [shapely.Point(x, y)], {"NAME": ["p"]},
                          epsg=epsg, esri_prj=esri)
    result = run_import(ImportRequest(path=shp, partner=partner, layer_slug=f"l{epsg}",
                                      kind="attractions"))
    a = Attraction.objects.get(layer__slug=f"l{epsg}")
    return result, a.location.x, a.location.y


def _metres(lon1, lat1, lon2, lat2) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_greek_grid_gets_its_datum_shift(tmp_path, partners):
    x, y = 363_866.3, 4_388_750.5  # near the Ancient Theatre of Larissa
    result, lon, lat = _import_point(tmp_path, partners["larissa"], x, y, 2100)
    ref_lon, ref_lat = _inverse(GREEK_GRID_TO_WGS84, x, y)
    assert result.crs.startswith("EPSG:2100")
    assert _metres(lon, lat, ref_lon, ref_lat) < 1.0
    naive_lon, naive_lat = Transformer.from_pipeline(GREEK_GRID_NO_SHIFT).transform(x, y)
    assert _metres(lon, lat, naive_lon, naive_lat) > 150  # the error others make


@pytest.mark.parametrize(("epsg", "pipeline", "xy", "partner"), [
    (2154, LAMBERT_93, (850_300.0, 6_366_000.0), "drome"),
    (7801, CCS2005, (510_000.0, 4_700_000.0), "stara-zagora"),
])
def test_lambert93_and_ccs2005_from_esri_prj(tmp_path, partners, epsg, pipeline, xy, partner):
    result, lon, lat = _import_point(tmp_path, partners[partner], *xy, epsg)
    ref_lon, ref_lat = Transformer.from_pipeline(pipeline).transform(*xy, direction="INVERSE")
    assert result.crs.startswith(f"EPSG:{epsg}")
    assert _metres(lon, lat, ref_lon, ref_lat) < 1.0


def test_esri_wkt_without_epsg_code_is_identified():
    esri = ('PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",'
            'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
            'UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],'
            'PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],'
            'PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],'
            'PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],'
            'UNIT["Meter",1.0]]')
    assert identify(esri).epsg == 2154


def test_missing_prj_is_refused_with_crs_that_fit_the_partner(tmp_path, partners):
    shp = write_shapefile(tmp_path, "noprj", [shapely.Point(363_866.3, 4_388_750.5)],
                          {"NAME": ["p"]}, epsg=None)
    with pytest.raises(Refused) as exc:
        run_import(ImportRequest(path=shp, partner=partners["larissa"], layer_slug="x",
                                 kind="attractions"))
    message = str(exc.value)
    assert "noprj.shp" in message and "no .prj" in message and "--srs" in message
    assert "EPSG:2100" in message
    assert not Attraction.objects.exists()


def test_srs_option_supplies_the_missing_crs(tmp_path, partners):
    shp = write_shapefile(tmp_path, "noprj", [shapely.Point(363_866.3, 4_388_750.5)],
                          {"NAME": ["p"]}, epsg=None)
    call_command("import_layer", str(shp), partner="larissa", layer="lar", kind="attractions",
                 srs="EPSG:2100", verbosity=0)
    a = Attraction.objects.get()
    assert a.location.x == pytest.approx(22.415, abs=0.01)


def test_an_unreadable_srs_option_is_an_error(tmp_path, partners):
    shp = write_shapefile(tmp_path, "noprj", [shapely.Point(1, 1)], {"NAME": ["p"]}, epsg=None)
    with pytest.raises(CommandError, match="--srs EPSG:999999"):
        call_command("import_layer", str(shp), partner="larissa", layer="lar",
                     kind="attractions", srs="EPSG:999999", verbosity=0)


def test_lon_lat_declared_as_greek_grid_is_refused_with_the_crs_that_fits(tmp_path, partners):
    # Trust D22: longitude/latitude in a file whose .prj says EPSG:2100 landed near
    # (19.5° E, 0° N), with only a note that the features lie outside the territory.
    lonlats = [(22.41 + i * 0.01, 39.64) for i in range(3)]
    shp = write_shapefile(tmp_path, "wrongprj", [shapely.Point(p) for p in lonlats],
                          {"NAME": ["a", "b", "c"]}, epsg=2100)
    with pytest.raises(Refused) as exc:
        run_import(ImportRequest(path=shp, partner=partners["larissa"], layer_slug="x",
                                 kind="attractions"))
    message = str(exc.value)
    assert "wrongprj.shp" in message and "EPSG:2100" in message
    assert "3 of 3" in message and "EPSG:4326" in message and "--srs" in message
    assert not Attraction.objects.exists()
    # Said with --srs, the partner's choice stands; the outside features are then noted.
    call_command("import_layer", str(shp), partner="larissa", layer="lar", kind="attractions",
                 srs="EPSG:4326", verbosity=0)
    assert Attraction.objects.count() == 3


def test_a_declared_crs_that_places_features_in_no_territory_stops_until_confirmed(
        tmp_path, partners):
    # Features truly beyond the border, in a CRS no other choice would fix: not a wrong
    # CRS, but still stopped until the user confirms them; then imported, noted.
    shp = write_shapefile(tmp_path, "beyond", [shapely.Point(23.7, 37.98)], {"NAME": ["a"]},
                          epsg=4326)
    with pytest.raises(Refused, match="1 of 1 features lie outside"):
        run_import(ImportRequest(path=shp, partner=partners["larissa"], layer_slug="x",
                                 kind="attractions"))
    result = run_import(ImportRequest(path=shp, partner=partners["larissa"], layer_slug="x",
                                      kind="attractions", allow_outside=True))
    assert any("1 of 1 features lie outside" in str(n) for n in result.notes)
