"""Styles that travel with a layer: a MapLibre style (checked by MapLibre's own validator,
from npm), a QGIS style and an SLD, each as the platform's map draws the features."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from lxml import etree
from PIL import Image

from layers.styles import palette
from layers.vocabulary import Activity, Category, LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db
VALIDATOR = (Path(settings.BASE_DIR) / "node_modules" / "@maplibre" / "maplibre-gl-style-spec"
             / "dist" / "gl-style-validate.mjs")
SLD = "{http://www.opengis.net/sld}"
OGC = "{http://www.opengis.net/ogc}"


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    make_attraction(make_layer(sz, slug="sz-sites"), 25.6264, 42.4271, name_en="Forum",
                    category="archaeological_site")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS, slug="sz-trails"),
               [(25.61, 42.42, 200.0), (25.63, 42.43, 260.0)], name_en="To the spring",
               activity="walking")


def _link(doc: dict, rel: str, media: str) -> str:
    return next(x["href"] for x in doc["links"] if x["rel"] == rel and x["type"] == media)


@pytest.mark.skipif(not shutil.which("node") or not VALIDATOR.exists(),
                    reason="node and npm's devDependencies are missing (make setup)")
@pytest.mark.parametrize("cid", ["regional-layer", "sz-sites", "sz-trails"])
def test_the_maplibre_style_passes_maplibres_validator(client, world, tmp_path, cid):
    collection = client.get(f"/ogc/collections/{cid}").json()
    response = client.get(_link(collection, "stylesheet", "application/vnd.mapbox.style+json"))
    assert response.status_code == 200
    path = tmp_path / "style.json"
    path.write_bytes(response.content)
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_maplibre_style_draws_the_tiles_as_the_map(client, world):
    style = client.get("/ogc/collections/regional-layer/styles/atlas",
                       {"f": "mapbox", "lang": "fr"}).json()
    source = style["sources"]["atlas"]
    assert source["type"] == "vector"
    assert source["url"].endswith("/tiles/regional-layer.json?lang=fr")
    tilejson = client.get("/tiles/regional-layer.json", {"lang": "fr"}).json()
    layers = {x["id"]: x for x in style["layers"]}
    # A layer per tile layer, lines under the markers, over OpenStreetMap.
    assert [x["id"] for x in style["layers"]] == [
        "osm", "trails", "routes", "attractions", "attractions-icons", "services",
        "services-icons", "practices"]
    assert {x["source-layer"] for x in style["layers"] if x["id"] != "osm"} == {
        v["id"] for v in tilejson["vector_layers"]}
    icon = layers["attractions-icons"]["layout"]["icon-image"]
    assert dict(zip(icon[2:-1:2], icon[3:-1:2], strict=True))["museum"] == "museum"
    ring = layers["attractions"]["paint"]["circle-stroke-color"]
    pairs = dict(zip(ring[2:-1:2], ring[3:-1:2], strict=True))
    assert pairs["museum"] == "#8e44ad" and pairs["castle"] == "#a04000"
    line = layers["trails"]["paint"]["line-color"]
    assert dict(zip(line[2:-1:2], line[3:-1:2], strict=True))["cycling"] == "#2471a3"
    assert layers["routes"]["paint"]["line-dasharray"] == [2, 1.2]


def test_the_qgis_style_has_a_rule_and_icon_per_category(client, world):
    collection = client.get("/ogc/collections/sz-sites").json()
    response = client.get(_link(collection, "stylesheet", "application/vnd.qgis.qml")
                          + "&lang=fr")
    assert response["Content-Disposition"] == 'attachment; filename="sz-sites.qml"'
    assert response.content.startswith(b"<!DOCTYPE qgis")
    root = etree.fromstring(response.content)
    assert root.tag == "qgis"
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "RuleRenderer"
    rules = {r.get("filter"): r for r in renderer.iter("rule")}
    assert len(rules) == len(Category) + 1 and "ELSE" in rules
    museum = rules["\"category\" = 'museum'"]
    assert museum.get("label") == "Musée"  # in the language asked
    symbol = renderer.find(f"symbols/symbol[@name='{museum.get('symbol')}']")
    disc, icon = symbol.findall("layer")
    options = {o.get("name"): o.get("value") for o in disc.iter("Option") if o.get("name")}
    assert options["outline_color"] == "142,68,173,255"  # the culture family's #8e44ad
    svg = next(o.get("value") for o in icon.iter("Option") if o.get("name") == "name")
    assert b'id="museum"' in base64.b64decode(svg.removeprefix("base64:"))


def test_the_qgis_style_of_trails_colours_them_by_activity(client, world):
    qml = client.get("/ogc/collections/sz-trails/styles/atlas", {"f": "qml"}).content
    root = etree.fromstring(qml)
    rules = {r.get("filter"): r.get("symbol") for r in root.iter("rule")}
    assert len(rules) == len(Activity) + 1
    hiking = rules["\"activity\" = 'hiking'"]
    symbol = root.find(f".//symbol[@name='{hiking}']")
    assert symbol.get("type") == "line"
    options = {o.get("name"): o.get("value") for o in symbol.iter("Option") if o.get("name")}
    assert options["line_color"].startswith("160,64,0,")  # hiking's #a04000


def test_a_style_of_several_kinds_says_which_kind_each_rule_is_for(client, world):
    root = etree.fromstring(client.get("/ogc/collections/regional-layer/styles/atlas",
                                       {"f": "qml"}).content)
    kinds = [r.get("filter") for r in root.find("renderer-v2/rules")]
    assert kinds == [f"\"kind\" = '{k}'" for k in
                     ("attraction", "trail", "route", "service", "practice")]


def test_the_sld_has_a_rule_per_category_with_its_icon(client, world):
    collection = client.get("/ogc/collections/sz-sites").json()
    sld = client.get(_link(collection, "stylesheet",
                           "application/vnd.ogc.sld+xml;version=1.0")).content
    root = etree.fromstring(sld)
    assert root.tag == f"{SLD}StyledLayerDescriptor" and root.get("version") == "1.0.0"
    assert root.findtext(f"{SLD}NamedLayer/{SLD}Name") == "sz-sites"
    rules = root.findall(f".//{SLD}Rule")
    assert len(rules) == len(Category) + 1
    by_value = {r.findtext(f".//{OGC}Literal"): r for r in rules}
    museum = by_value["museum"]
    assert museum.findtext(f".//{OGC}PropertyName") == "category"
    assert museum.findtext(f".//{SLD}Stroke/{SLD}CssParameter[@name='stroke']") == "#8e44ad"
    href = museum.find(f".//{SLD}OnlineResource").get("{http://www.w3.org/1999/xlink}href")
    assert href.startswith("http://testserver/static/vendor/maki/museum.svg")
    assert finders.find("vendor/maki/museum.svg")  # what the static files serve there
    assert rules[-1].find(f"{SLD}ElseFilter") is not None


def test_the_styles_are_listed_and_refuse_what_they_do_not_have(client, world):
    listed = client.get("/ogc/collections/sz-trails/styles").json()
    assert listed["default"] == "atlas"
    [style] = listed["styles"]
    assert {x["type"] for x in style["links"]} == {
        "application/vnd.mapbox.style+json", "application/vnd.ogc.sld+xml;version=1.0",
        "application/vnd.qgis.qml"}
    bad = client.get("/ogc/collections/sz-trails/styles/atlas", {"f": "png"})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameterValue"
    assert "f" in bad.json()["description"]
    missing = client.get("/ogc/collections/sz-trails/styles/night")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    assert client.get("/ogc/collections/nope/styles").status_code == 404


STYLE_JS = Path(settings.BASE_DIR) / "maps" / "static" / "maps" / "explorer" / "style.js"
EXPLORER_CSS = Path(settings.BASE_DIR) / "maps" / "static" / "maps" / "explorer.css"


def _js_object(name: str) -> dict:
    text = STYLE_JS.read_text()
    body = re.search(rf"var {name} = (\{{.*?\}});", text, re.S).group(1)
    body = re.sub(r"(\w+):", r'"\1":', body)
    return json.loads(body)


def test_the_styles_colours_and_icons_are_the_maps():
    assert _js_object("ACTIVITY_COLOURS") == palette.ACTIVITY_COLOURS
    assert _js_object("DIFFICULTY_COLOURS") == palette.DIFFICULTY_COLOURS
    assert {k: tuple(v) for k, v in _js_object("CATEGORY_ICONS").items()} == \
        palette.CATEGORY_ICONS
    from actors.feature_kind import SERVICE_ICONS
    assert _js_object("SERVICE_ICONS") == SERVICE_ICONS
    families = dict(re.findall(r"\.atlas-family-(\w+) \{ border-color: (#\w+); \}",
                               EXPLORER_CSS.read_text()))
    assert families == palette.FAMILY_COLOURS


def test_the_layer_page_offers_its_styles_in_the_page_language(client, world):
    html = client.get("/layers/sz-sites/?lang=fr").content.decode()
    assert "Style QGIS (.qml)" in html and "Charger le style…" in html
    qml = re.search(r'href="([^"]*f=qml[^"]*)" download>Style QGIS', html).group(1)
    root = etree.fromstring(client.get(qml.replace("&amp;", "&")).content)
    labels = {r.get("label") for r in root.iter("rule")}
    assert "Site archéologique" in labels  # the page's language
    tiles = re.search(r'id="url-ogc-tiles" readonly value="([^"]+)"', html).group(1)
    assert tiles.endswith("/ogc/collections/sz-sites/tiles")


def test_the_sprite_holds_every_icon_the_style_names(client, world):
    style = client.get("/ogc/collections/regional-layer/styles/atlas").json()
    named = set()
    for layer in style["layers"]:
        image = layer.get("layout", {}).get("icon-image")
        if image:
            named.update([*image[3::2], image[-1]] if isinstance(image, list) else [image])
    assert {"museum", "castle", "lodging", "marker"} <= named
    for suffix, ratio in (("", 1), ("@2x", 2)):
        index = client.get(style["sprite"].removeprefix("http://testserver") + suffix
                           + ".json").json()
        assert named <= set(index)
        assert index["museum"]["width"] == 15 * ratio
        png = client.get(style["sprite"].removeprefix("http://testserver") + suffix + ".png")
        assert png["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(png.content))
        box = index["museum"]
        assert image.width >= box["x"] + box["width"]
        # The icon is drawn: some of its pixels are opaque.
        icon = image.crop((box["x"], box["y"], box["x"] + box["width"],
                           box["y"] + box["height"]))
        assert icon.getchannel("A").getextrema()[1] == 255
    assert client.get("/ogc/resources/sprite.svg").status_code == 404
