"""The layer page's downloads: FlatGeobuf and GeoParquet among the links, and a form that
downloads the layer in another CRS, the partner's national one chosen first."""

from __future__ import annotations

import io

import lxml.html
import pyarrow.parquet as pq
import pytest

from tests.factories import make_attraction, make_layer, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def larissa(db):
    partner = make_partner("larissa", bbox=(21.8, 39.2, 23.2, 40.1), country="GR")
    make_attraction(make_layer(partner), 22.4178, 39.6383, source_id="theatre")
    return partner


def test_the_layer_page_offers_flatgeobuf_geoparquet_and_a_crs(client, larissa):
    page = lxml.html.fromstring(client.get("/layers/larissa-attractions/").content)
    links = {a.text: a.get("href") for a in page.cssselect("ul.downloads a")}
    assert links["FlatGeobuf"].endswith("?format=fgb")
    assert links["GeoParquet"].endswith("?format=parquet")
    form = page.cssselect("form.download-crs")[0]
    formats = [o.get("value") for o in form.cssselect("#download-format option")]
    assert "gpx" not in formats and "kml" not in formats  # WGS 84 by definition
    assert {"geojson", "shp", "gpkg", "fgb", "parquet", "csv"} <= set(formats)
    chosen = form.cssselect("#download-crs option[selected]")
    assert [o.get("value") for o in chosen] == ["EPSG:2100"]  # Greece: the Greek Grid
    assert "GGRS87 / Greek Grid" in chosen[0].text
    # What the browser sends when the form is submitted as it stands, GeoParquet chosen.
    response = client.get(form.get("action"), {"format": "parquet", "crs": "EPSG:2100"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="larissa-attractions-epsg2100.parquet"')
    table = pq.read_table(io.BytesIO(response.getvalue()))
    assert table.column("source_id").to_pylist() == ["theatre"]
