"""Every real file in ../shared/data/real/shp and /gpx: imported, or refused with a reason.

Each entry: the file, the layer kind it is imported as, an --srs when the file
lacks a .prj and we want to show that it then imports, and what must happen:
  ("ok", count, {field or property: value of the first stored feature})
  ("refused", words the reason must contain)
  ("rows", "row N, field: reason" of the first invalid row)
Refusals and invalid rows must write nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from geo.crs import identify
from importers.exceptions import Refused, RowErrors
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer, Trail

pytestmark = pytest.mark.django_db

CASES = [
    ('gpx/geotrek-admin/cirkwi/trek.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/geotrek-admin/trekking/apidae_test_trek.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/geotrek-admin/trekking/file_good_encoding.kml', 'attractions', None, ('refused', 'not well-formed XML: not well-formed (invalid')),
    ('gpx/geotrek-admin/trekking/trace.kml', 'attractions', None, ('ok', 1, {'name_fr': 'A trace for my test trek'})),
    ('gpx/geotrek-admin/trekking/trace_with_multiple_continuous_features.gpx', 'trails', None, ('ok', 2, {'gpx_type': 'track'})),
    ('gpx/geotrek-admin/trekking/trace_with_route_points.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'route'})),
    ('gpx/gpxpy/Mojstrovka.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/gpxpy/around-visnjan-with-car.gpx', 'trails', None, ('ok', 1, {'name_fr': '2020-12-18 07:24:29'})),
    ('gpx/gpxpy/cerknicko-jezero-no-creator.gpx', 'attractions', None, ('ok', 7, {'name_fr': '001'})),
    ('gpx/gpxpy/cerknicko-jezero-with-elevations-zero.gpx', 'attractions', None, ('ok', 7, {'name_fr': '001'})),
    ('gpx/gpxpy/cerknicko-jezero-without-elevations.gpx', 'attractions', None, ('ok', 7, {'name_fr': '001'})),
    ('gpx/gpxpy/cerknicko-jezero.gpx', 'attractions', None, ('ok', 7, {'name_fr': '001'})),
    ('gpx/gpxpy/cerknicko-without-times.gpx', 'attractions', None, ('ok', 7, {'name_fr': '001'})),
    ('gpx/gpxpy/custom_schema_locations.gpx', 'attractions', None, ('refused', 'the file holds no features')),
    ('gpx/gpxpy/default_schema_locations.gpx', 'attractions', None, ('refused', 'the file holds no features')),
    ('gpx/gpxpy/first_and_last_elevation.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/gpxpy/gpx-with-node-with-comments.gpx', 'attractions', None, ('refused', 'the file holds no features (track 1 (')),
    ('gpx/gpxpy/gpx1.0_with_all_fields.gpx', 'attractions', None, ('ok', 2, {'name_fr': 'example name'})),
    ('gpx/gpxpy/gpx1.1_with_all_fields.gpx', 'attractions', None, ('ok', 2, {'name_fr': 'example name'})),
    ('gpx/gpxpy/gpx1.1_with_extensions.gpx', 'attractions', None, ('ok', 1, {'gpx_type': 'waypoint'})),
    ('gpx/gpxpy/gpx1.1_with_extensions_without_namespaces.gpx', 'attractions', None, ('ok', 1, {'gpx_type': 'waypoint'})),
    ('gpx/gpxpy/gpx_with_garmin_extension.gpx', 'attractions', None, ('ok', 1, {'time': '2016-06-17T23:41:03Z'})),
    ('gpx/gpxpy/korita-zbevnica.gpx', 'attractions', None, ('ok', 2, {'name_fr': '001'})),
    ('gpx/gpxpy/route.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'route'})),
    ('gpx/gpxpy/track-with-empty-segment.gpx', 'trails', None, ('ok', 1, {'name_fr': '2013-07-06T14:59:00Z'})),
    ('gpx/gpxpy/track-with-extremes.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Untitled Path'})),
    ('gpx/gpxpy/track-with-less-sec-time.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/gpxpy/track-with-small-floats.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Untitled Path'})),
    ('gpx/gpxpy/track_with_dilution_errors.gpx', 'attractions', None, ('ok', 1, {'gpx_type': 'waypoint'})),
    ('gpx/gpxpy/track_with_speed.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'track'})),
    ('gpx/gpxpy/unicode.gpx', 'attractions', None, ('ok', 6, {'name_fr': 'šđčćž'})),
    ('gpx/gpxpy/unicode2.gpx', 'attractions', None, ('refused', 'the file holds no features (track 1 (test™): ')),
    ('gpx/gpxpy/unicode_with_bom.gpx', 'attractions', None, ('ok', 1, {'name_fr': 'test'})),
    ('gpx/gpxpy/unicode_with_bom_noencoding.gpx', 'attractions', None, ('ok', 1, {'name_fr': 'bom noencoding ő'})),
    ('gpx/togeojson/Friday-Evening-Run.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Friday Evening Run'})),
    ('gpx/togeojson/addresses.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/apple_watch_route.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Route 2019-12-15 3:50pm'})),
    ('gpx/togeojson/bad.gpx', 'attractions', None, ('refused', "line 5: a point whose lat/lon ('undefined'")),
    ('gpx/togeojson/bad.kml', 'attractions', None, ('rows', 'row 1, geometry: invalid polygon (Too few points in geometry')),
    ('gpx/togeojson/blue_hills.gpx', 'attractions', None, ('ok', 46, {'name_fr': 'LOOKOUT'})),
    ('gpx/togeojson/cdata.kml', 'attractions', None, ('ok', 1, {'description_fr': 'Here is some text'})),
    ('gpx/togeojson/empty_ele.gpx', 'trails', None, ('rows', 'row 1, geometry: a line of zero length')),
    ('gpx/togeojson/empty_trk.gpx', 'attractions', None, ('refused', 'the file holds no features (track 1 (unnamed)')),
    ('gpx/togeojson/extended_data.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Extended data placemark'})),
    ('gpx/togeojson/garmin_extensions.gpx', 'attractions', None, ('ok', 2, {'name_fr': 'waypoint name'})),
    ('gpx/togeojson/gdal.gpx', 'attractions', None, ('ok', 2, {'name_fr': 'waypoint name'})),
    ('gpx/togeojson/ground_overlay.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Large-scale overlay on terrain'})),
    ('gpx/togeojson/ground_overlay_quad.kml', 'attractions', None, ('ok', 1, {'name_fr': 'gx:LatLonQuad Example'})),
    ('gpx/togeojson/gxmultitrack.kml', 'attractions', None, ('ok', 2, {'name_fr': '12/04/2014 11:24 AM (départ)'})),
    ('gpx/togeojson/gxtrack.kml', 'trails', None, ('ok', 1, {'end': '2010-05-28T02:02:56Z'})),
    ('gpx/togeojson/inline_style.kml', 'trails', None, ('ok', 3, {'name_fr': 'With all inline styles'})),
    ('gpx/togeojson/inline_style_mini.kml', 'trails', None, ('ok', 1, {'name_fr': 'With all inline styles'})),
    ('gpx/togeojson/linear_ring.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/linestring.kml', 'trails', None, ('ok', 2, {'name_fr': 'unextruded'})),
    ('gpx/togeojson/literal_color.kml', 'trails', None, ('ok', 1, {'name_fr': 'With all inline styles'})),
    ('gpx/togeojson/missing_hr.gpx', 'trails', None, ('ok', 1, {'name_fr': 'missing hr'})),
    ('gpx/togeojson/multigeometry.kml', 'trails', None, ('ok', 1, {'name_fr': 'SF Marina Harbor Master'})),
    ('gpx/togeojson/multigeometry_discrete.kml', 'attractions', None, ('refused', 'no feature can be imported as attractions ')),
    ('gpx/togeojson/multigeometry_sibling.kml', 'attractions', None, ('refused', 'no feature can be imported as attractions (')),
    ('gpx/togeojson/multitrack.kml', 'attractions', None, ('ok', 2, {'name_fr': '8/8/2013 17:20 (Start)'})),
    ('gpx/togeojson/multitrackgpx.gpx', 'trails', None, ('ok', 3, {'name_fr': 'Tag 1'})),
    ('gpx/togeojson/networklink.kml', 'attractions', None, ('refused', 'the file holds no features')),
    ('gpx/togeojson/nogeomplacemark.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/non_gx_multitrack.kml', 'attractions', None, ('rows', 'row 2, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/noname.kml', 'trails', None, ('ok', 1, {})),
    ('gpx/togeojson/north_core.gpx', 'trails', None, ('ok', 10, {'type': 'NC'})),
    ('gpx/togeojson/null_geometry.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/opacity_override.kml', 'trails', None, ('ok', 1, {})),
    ('gpx/togeojson/opencpn.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Around Orcas'})),
    ('gpx/togeojson/osm.gpx', 'trails', None, ('rows', 'row 1, geometry: a line of zero length')),
    ('gpx/togeojson/point.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Simple placemark'})),
    ('gpx/togeojson/point_extra_coordinates.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Simple placemark'})),
    ('gpx/togeojson/point_id.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Simple placemark'})),
    ('gpx/togeojson/polygon.kml', 'attractions', None, ('ok', 1, {'name_fr': 'hollow box'})),
    ('gpx/togeojson/run.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Untitled'})),
    ('gpx/togeojson/run_gpxtpx.gpx', 'trails', None, ('ok', 1, {'name_fr': 'Greeting SF with a dumb, dumb route'})),
    ('gpx/togeojson/schema.kml', 'attractions', None, ('ok', 1, {'random': 0.9})),
    ('gpx/togeojson/selfclosing.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/simpledata.kml', 'attractions', None, ('ok', 2, {'name_fr': 'Easy trail'})),
    ('gpx/togeojson/strava.gpx', 'trails', None, ('ok', 1, {'name_fr': "120' moderate and hard"})),
    ('gpx/togeojson/style.gpx', 'trails', None, ('ok', 21, {'name_fr': 'Trail Double Track'})),
    ('gpx/togeojson/style.kml', 'attractions', None, ('ok', 3, {'name_fr': 'Google Earth - New Polygon'})),
    ('gpx/togeojson/style_url.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Building 41'})),
    ('gpx/togeojson/styles.kml', 'attractions', None, ('ok', 2, {'name_fr': 'Untitled Placemark'})),
    ('gpx/togeojson/timespan.kml', 'attractions', None, ('rows', 'row 1, geometry: no geometry (null or empty)')),
    ('gpx/togeojson/trek.gpx', 'trails', None, ('ok', 1, {'gpx_type': 'route'})),
    ('gpx/togeojson/trek_no_rtept.gpx', 'attractions', None, ('refused', 'the file holds no features (route 1 (unnamed)')),
    ('gpx/togeojson/twopoints.kml', 'attractions', None, ('ok', 1, {'name_fr': 'Simple placemark two'})),
    ('gpx/togeojson/unique_trkpt.gpx', 'attractions', None, ('refused', 'the file holds no features (track 1 (unnamed)')),
    ('gpx/togeojson/wpt.gpx', 'attractions', None, ('ok', 40, {'gpx_type': 'waypoint'})),
    ('gpx/togeojson/zero_elevation.gpx', 'trails', None, ('ok', 1, {'name_fr': 'BIG LOOP'})),
    ('shp/django-gis-tests/cities/cities.shp', 'attractions', None, ('ok', 3, {'name_fr': 'Pueblo'})),
    ('shp/django-gis-tests/counties/counties.shp', 'attractions', 'EPSG:4326', ('ok', 24, {'name_fr': 'Pueblo'})),
    ('shp/django-gis-tests/interstates/interstates.shp', 'trails', None, ('ok', 3, {'name_fr': 'I-35'})),
    ('shp/django-gis-tests/invalid/emptypoints.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/django-gis-tests/test_point/test_point.shp', 'attractions', None, ('ok', 5, {'dbl': 1.0})),
    ('shp/django-gis-tests/test_poly/test_poly.shp', 'attractions', None, ('ok', 3, {'int': 1})),
    ('shp/django-gis-tests/texas.dbf', 'attractions', None, ('refused', 'a .dbf file is one part of a shapefile; impor')),
    ('shp/fiona/coutwildrnp.shp', 'attractions', None, ('ok', 67, {'name_fr': 'Mount Naomi Wilderness'})),
    ('shp/fiona/gre.shp', 'attractions', None, ('ok', 1, {'name_fr': 'Grenade'})),
    ('shp/fiona/test_tin.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/geotrek-admin/core/tests/data/paths_no_srid.shp', 'trails', None, ('ok', 2, {'name_fr': 'lulu'})),
    ('shp/geotrek-admin/diving/tests/data/dive.shp', 'attractions', None, ('ok', 2, {'name_fr': 'name'})),
    ('shp/geotrek-admin/infrastructure/tests/data/infrastructure.shp', 'attractions', None, ('ok', 2, {'name_fr': 'name'})),
    ('shp/geotrek-admin/sensitivity/tests/data/species.shp', 'attractions', None, ('ok', 1, {'ESPECE': 'Aigle royal'})),
    ('shp/geotrek-admin/sensitivity/tests/data/species_no_espece.shp', 'attractions', None, ('ok', 1, {'CONTACT': 'Contact'})),
    ('shp/geotrek-admin/sensitivity/tests/data/species_regu.shp', 'attractions', None, ('ok', 1, {'name_fr': 'Nom'})),
    ('shp/geotrek-admin/signage/tests/data/signage.shp', 'attractions', None, ('ok', 3, {'name_fr': 'name'})),
    ('shp/geotrek-admin/trekking/tests/data/poi.shp', 'attractions', None, ('ok', 2, {'name_fr': 'pont'})),
    ('shp/geotrek-admin/trekking/tests/data/trek.shp', 'trails', None, ('ok', 1, {'name_fr': 'Balade'})),
    ('shp/geotrek-admin/zoning/tests/data/city.shp', 'attractions', None, ('ok', 1, {'name_fr': 'Trifouilli-les-Oies'})),
    ('shp/mbostock-shapefile/boolean-property.shp', 'attractions', None, ('ok', 9, {})),
    ('shp/mbostock-shapefile/date-property.shp', 'attractions', None, ('ok', 3, {'date': '2013-01-02'})),
    ('shp/mbostock-shapefile/empty.shp', 'attractions', None, ('refused', 'the file holds no features')),
    ('shp/mbostock-shapefile/ignore-properties.shp', 'attractions', 'EPSG:4326', ('ok', 3, {})),
    ('shp/mbostock-shapefile/latin1-property.shp', 'attractions', None, ('ok', 1, {'name_fr': 'México'})),
    ('shp/mbostock-shapefile/mixed-properties.shp', 'attractions', None, ('ok', 3, {})),
    ('shp/mbostock-shapefile/multipointm.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/mbostock-shapefile/multipoints.shp', 'attractions', None, ('ok', 10, {})),
    ('shp/mbostock-shapefile/ne_10m_time_zones.shp', 'attractions', None, ('refused', 'GDAL cannot read it, the file looks damaged o')),
    ('shp/mbostock-shapefile/null.shp', 'attractions', None, ('rows', 'row 2, geometry: no geometry (null or empty)')),
    ('shp/mbostock-shapefile/number-null-property.shp', 'attractions', 'EPSG:4326', ('ok', 4, {'name_fr': 'Colorado'})),
    ('shp/mbostock-shapefile/number-property.shp', 'attractions', None, ('ok', 3, {})),
    ('shp/mbostock-shapefile/pointm.shp', 'attractions', 'EPSG:4326', ('ok', 3, {})),
    ('shp/mbostock-shapefile/points.shp', 'attractions', None, ('ok', 9, {})),
    ('shp/mbostock-shapefile/polygonm.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/mbostock-shapefile/polygons.shp', 'attractions', None, ('ok', 3, {})),
    ('shp/mbostock-shapefile/polylinem.shp', 'trails', 'EPSG:4326', ('ok', 2, {})),
    ('shp/mbostock-shapefile/polylines.shp', 'trails', None, ('ok', 2, {})),
    ('shp/mbostock-shapefile/singleton.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/mbostock-shapefile/string-property.shp', 'attractions', None, ('ok', 3, {})),
    ('shp/mbostock-shapefile/utf8-property.shp', 'attractions', None, ('ok', 1, {'☃': 'ηελλο ςορλδ'})),
    ('shp/pyogrio/naturalearth_lowres.shp', 'attractions', None, ('ok', 177, {'name_fr': 'Fiji'})),
    ('shp/pyshp/REL.zip', 'attractions', None, ('ok', 1, {'name_fr': 'releaseArea20090407_1'})),
    ('shp/pyshp/blockgroups.shp', 'attractions', 'EPSG:4326', ('ok', 663, {'AREA': 0.96761})),
    ('shp/pyshp/corrupt_too_long.shp', 'trails', 'EPSG:4326', ('ok', 10, {'test': 'value'})),
    ('shp/pyshp/empty_zipfile.zip', 'attractions', None, ('refused', 'the archive holds no shapefile (.shp) and no ')),
    ('shp/pyshp/latin1.shp', 'attractions', 'EPSG:4326', ('ok', 1, {'name_fr': 'Ñandú'})),
    ('shp/rgeo-shapefile/invalid_cpg_encoding/test.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/missing_dbf_attributes/test.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/missing_dbf_columns/test.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/missing_m_value_polyline/test.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/ring_self_intersection/test.shp', 'attractions', None, ('rows', 'row 1, geometry: coordinates out of range after conversion t')),
    ('shp/rgeo-shapefile/shapelib_testcases/test.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test0.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test1.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test10.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test11.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test12.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test13.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test2.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test3.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test4.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test5.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test6.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test7.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test8.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/shapelib_testcases/test9.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/rgeo-shapefile/utf8_shapefile/utf8.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/3dpoints.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/CoHI_GCS12.shp', 'attractions', None, ('ok', 4, {'cntya': '001'})),
    ('shp/shapelib-eg-data/anno.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/brklinz.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/csah.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/masspntz.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mexico/cities.shp', 'attractions', 'EPSG:4326', ('ok', 36, {'name_fr': 'Monterrey'})),
    ('shp/shapelib-eg-data/mexico/drainage.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mexico/lakes.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mexico/rivers.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mexico/roads.shp', 'trails', 'EPSG:4326',
     ('ok', 105, {'ROUTE': 'Federal Hwy  81'})),
    ('shp/shapelib-eg-data/mexico/roads_rt.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mexico/states.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/mpatch3.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/multipatch.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/multipnt.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/pline.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
    ('shp/shapelib-eg-data/polygon.shp', 'attractions', None, ('refused', 'does not say its coordinate reference system')),
]


@pytest.mark.parametrize(("relative", "kind", "srs", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_real_file(copy_shared, partners, relative, kind, srs, expected):
    path = copy_shared(relative)
    # What the formats read, wherever it lies (the stop at the territory's border is
    # test_outside_territory.py's).
    request = ImportRequest(path=path, partner=partners["drome"], layer_slug="real",
                            kind=kind, srs=identify(srs) if srs else None, allow_outside=True)
    model = Attraction if kind == "attractions" else Trail
    outcome = expected[0]
    if outcome == "ok":
        result = run_import(request)
        _, count, sample = expected
        stored = model.objects.filter(layer__slug="real")
        assert stored.count() == count == result.counts["created"]

        def read(row: Any, key: str) -> Any:
            return (getattr(row, key) if key.startswith(("name_", "description_"))
                    else row.properties.get(key))

        # The file's first feature, wherever it was written (new rows go in the order of
        # their place, not the file's).
        assert any(all(read(row, k) == v for k, v in sample.items()) for row in stored), sample
        return
    error = Refused if outcome == "refused" else RowErrors
    with pytest.raises(error) as exc:
        run_import(request)
    message = str(exc.value) if outcome == "refused" else str(exc.value.issues[0])
    assert path.name in message  # the reason names the file
    assert expected[1] in message
    assert not model.objects.exists()
    assert not Layer.objects.filter(slug="real").exists()


def test_shared_case_list_covers_every_file(shared_data):
    root = shared_data / "real"
    files = {str(p.relative_to(root)) for sub in ("shp", "gpx") for p in (root / sub).rglob("*")
             if p.suffix.lower() in (".shp", ".zip", ".gpx", ".kml", ".kmz", ".geojson")}
    files |= {str(p.relative_to(root)) for p in (root / "shp").rglob("*.dbf")
              if not p.with_suffix(".shp").exists()}
    assert files == {c[0] for c in CASES}


def test_skip_invalid_imports_the_rest_and_lists_the_skipped_rows(copy_shared, partners):
    path = copy_shared("shp/mbostock-shapefile/null.shp")
    result = run_import(ImportRequest(path=path, partner=partners["drome"], layer_slug="real",
                                      kind="attractions", skip_invalid=True,
                                      allow_outside=True))
    assert result.counts["created"] == 5
    assert [(i.row, i.field) for i in result.skipped] == [
        (2, "geometry"), (4, "geometry"), (5, "geometry"), (8, "geometry")]
    assert result.run.issues[0]["file"] == "null.shp"
