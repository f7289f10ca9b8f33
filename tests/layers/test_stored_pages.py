"""Pages of attractions read from the GeoJSON text each row keeps (decision 0023, layers
migration 0026): every writer keeps that text true, and a page read from it is, byte for
byte, the page built from scratch — in every language, nested (REST) and flat (OGC),
whole-row pages and pages cut from ids, through the real views."""

from __future__ import annotations

import json

import pytest
import shapely
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client

from geo.i18n import LANGUAGE_CODES
from importers.pipeline import ImportRequest, run_import, undo_last_import
from layers.models import Attraction, Layer
from layers.params import FeatureFilters
from layers.selectors import DISPLAY, RFC7946, Output, features_page
from layers.services import partner_editors_group_ensure
from media.models import Licence
from media.services import image_add, media_delete
from tests.factories import make_attraction, make_layer, make_partner
from tests.importers.builders import write_shapefile
from tests.media.images import jpeg

pytestmark = pytest.mark.django_db

OUTPUTS = {"rest": DISPLAY, "rfc7946": RFC7946, "ogc": Output(flat=True)}


def _pages(slug: str, **filters) -> dict[tuple[str, str, int], tuple[bytes, bytes]]:
    """Each page of the layer as kept and as built: every language, every shape, a
    whole-row page (limit 1000) and one cut from ids (limit 2)."""
    out = {}
    for lang in LANGUAGE_CODES:
        for shape, output in OUTPUTS.items():
            for limit in (1000, 2):
                args = {"kinds": ["attraction"], "lang": lang, "limit": limit, "offset": 0,
                        "out": output, "filters": FeatureFilters(layer=[slug], **filters)}
                out[lang, shape, limit] = (features_page(**args)[0],
                                           features_page(**args, stored=False)[0])
    return out


def assert_kept_text_is_true(slug: str, **filters) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FILTER (WHERE a.page_head IS NULL), count(*) "
                    "FROM layers_attraction a JOIN layers_layer l ON l.id = a.layer_id "
                    "WHERE l.slug = %s", [slug])
        missing, rows = cur.fetchone()
    assert rows and not missing  # read from the kept text, not from the fallback
    for key, (kept, built) in _pages(slug, **filters).items():
        assert json.loads(kept), key
        assert kept == built, key


def _shapefile(folder, sites):
    return write_shapefile(folder, "sites", [shapely.Point(lon, lat) for _, _, lon, lat in sites],
                           {"ID": [s[0] for s in sites], "IME": [s[1] for s in sites]},
                           epsg=4326, encoding="cp1251", keep_cpg=False)


@pytest.fixture
def editor(db):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    user = User.objects.create_user("ivana", password="pw", is_staff=True)
    user.groups.add(partner_editors_group_ensure(partner=partner))
    return user, partner


def test_imports_reimports_and_undo_keep_each_features_text(tmp_path, editor):
    _user, partner = editor
    sites = [(1, "Античен форум", 25.6264, 42.4271), (2, "Неолитни жилища", 25.6109, 42.4246)]

    def imported(folder, rows, **kw):
        return run_import(ImportRequest(path=_shapefile(tmp_path / folder, rows),
                                        partner=partner, layer_slug="sz-sites",
                                        kind="attractions", **kw))

    imported("v1", sites)
    assert_kept_text_is_true("sz-sites")
    imported("v2", [(1, "Форум", 25.6265, 42.4272), (3, "Нов обект", 25.63, 42.43)], sync=True)
    assert_kept_text_is_true("sz-sites")
    undo_last_import(layer=Layer.objects.get(slug="sz-sites"))
    assert_kept_text_is_true("sz-sites")
    names = {f["name"] for f in json.loads(features_page(
        kinds=["attraction"], filters=FeatureFilters(layer=["sz-sites"]), lang="bg",
        limit=10, offset=0)[0]) for f in [f["properties"]]}
    assert names == {"Античен форум", "Неолитни жилища"}


def test_the_admin_its_delete_and_restore_and_the_orm_keep_each_features_text(editor):
    user, partner = editor
    layer = make_layer(partner)
    forum = make_attraction(layer, 25.6, 42.4, name_en="Forum", name_bg="Форум",
                            description_fr="Le forum", category="ruins")
    make_attraction(layer, 25.61, 42.41, name_el="Φόρουμ")
    assert_kept_text_is_true(layer.slug)

    client = Client()
    client.force_login(user)
    page = client.get(f"/admin/layers/attraction/{forum.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and not isinstance(value, list | dict)}
    data.update({"name_en": "The forum", "description_en": 'Said "old"', "category": "museum",
                 "layer": layer.pk, "location": forum.location.ewkt, "properties": "{}"})
    for inline in page.context["inline_admin_formsets"]:  # its photos: none
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(f"/admin/layers/attraction/{forum.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    forum.refresh_from_db()
    assert forum.name_en == "The forum"
    assert_kept_text_is_true(layer.slug)

    # The actors' "suggest a change", the API and every other writer save through the ORM.
    forum.location = Point(25.62, 42.42, srid=4326)
    forum.fee = True
    forum.save()
    assert_kept_text_is_true(layer.slug)

    pk = forum.pk
    assert client.post(f"/admin/layers/attraction/{pk}/delete/",
                       {"post": "yes"}).status_code == 302
    deleted = client.get("/admin/layers/attraction/deleted/").content.decode()
    restore = deleted.split('<form method="post" action="', 1)[1].split('"', 1)[0]
    assert client.post(restore).status_code == 302
    assert Attraction.objects.filter(pk=pk).exists()
    assert_kept_text_is_true(layer.slug)


def test_renamed_layers_and_partners_and_photos_reach_the_kept_text(editor, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _user, partner = editor
    layer = make_layer(partner)
    forum = make_attraction(layer, 25.6, 42.4, name_en="Forum")
    layer.slug = "sz-things"
    layer.save()
    assert_kept_text_is_true("sz-things")
    partner.slug = "stara-zagora-province"
    partner.save()
    assert_kept_text_is_true("sz-things")
    photo = image_add(owner=forum, data=jpeg(), declared_type="image/jpeg", author="A. B.",
                      licence=Licence.CC_BY)
    assert_kept_text_is_true("sz-things")
    page = json.loads(features_page(kinds=["attraction"], lang="en", limit=10, offset=0,
                                    filters=FeatureFilters(layer=["sz-things"]))[0])
    assert page[0]["properties"]["photo"] == f"/media/{photo.uid}/160"
    assert page[0]["properties"]["partner"] == "stara-zagora-province"
    media_delete(item=photo)
    assert_kept_text_is_true("sz-things")
    other = make_partner("sliven", bbox=(25.7, 42.3, 26.9, 43.1))
    Layer.objects.filter(pk=layer.pk).update(partner=other)
    assert_kept_text_is_true("sz-things")


def test_a_row_written_with_the_triggers_off_is_built_from_scratch(editor):
    _user, partner = editor
    layer = make_layer(partner)
    make_attraction(layer, 25.6, 42.4, name_en="Forum")
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the table is altered
        cur.execute("ALTER TABLE layers_attraction DISABLE TRIGGER page_json")
        cur.execute("UPDATE layers_attraction SET page_head = NULL, name_en = 'Moved'")
        cur.execute("ALTER TABLE layers_attraction ENABLE TRIGGER page_json")
    for key, (kept, built) in _pages(layer.slug).items():
        assert kept == built, key
        assert json.loads(kept)[0]["properties"]["name"] == "Moved"


def test_the_api_and_ogc_pages_are_the_pages_built_from_scratch(client, editor):
    _user, partner = editor
    layer = make_layer(partner)
    for i in range(5):
        make_attraction(layer, 25.6 + i / 100, 42.4, name_bg=f"Обект {i}", name_en=f"Site {i}",
                        description_el="Περιγραφή <b>\"x\"</b>")
    box = "25.5,42.3,25.7,42.5"
    for lang in ("bg", "el"):
        api = client.get("/api/attractions/", {"bbox": box, "limit": 1000, "lang": lang})
        built = features_page(kinds=["attraction"], lang=lang, limit=1000, offset=0, out=DISPLAY,
                              filters=FeatureFilters(bbox=(25.5, 42.3, 25.7, 42.5)),
                              stored=False)[0]
        assert api.json()["features"] == json.loads(built)
        ogc = client.get(f"/ogc/collections/{layer.slug}/items",
                         {"bbox": box, "limit": 1000, "lang": lang, "f": "json"})
        built = features_page(kinds=["attraction"], lang=lang, limit=1000, offset=0,
                              out=Output(flat=True), stored=False,
                              filters=FeatureFilters(layer=[layer.slug],
                                                     bbox=(25.5, 42.3, 25.7, 42.5)))[0]
        assert ogc.json()["features"] == json.loads(built)
    assert_kept_text_is_true(layer.slug, bbox=(25.5, 42.3, 25.7, 42.5))


def test_the_practical_fields_are_in_the_kept_text_as_built(editor):
    """Layers 0027: the trigger writes the practical fields a list shows (hours,
    wheelchair, fee, price and its currency) as the kind's SQL builds them."""
    _user, partner = editor
    layer = make_layer(partner)
    museum = make_attraction(layer, 25.6, 42.4, name_en="Museum",
                             opening_hours="Tu-Su 10:00-18:00; PH off", wheelchair="limited",
                             fee=True, price_from="4.50", price_to="9", currency="BGN")
    make_attraction(layer, 25.61, 42.41, name_en="Free park")  # no price: no currency
    assert_kept_text_is_true(layer.slug)
    museum.price_to = None
    museum.save()
    assert_kept_text_is_true(layer.slug)
    body, _total, _returned = features_page(kinds=["attraction"], lang="en", limit=10,
                                            offset=0, filters=FeatureFilters(layer=[layer.slug]))
    props = {f["properties"]["name"]: f["properties"] for f in json.loads(body)}
    assert {k: props["Museum"][k] for k in ("opening_hours", "wheelchair", "fee", "price_from",
                                            "price_to", "currency")} == {
        "opening_hours": "Tu-Su 10:00-18:00; PH off", "wheelchair": "limited", "fee": True,
        "price_from": 4.50, "price_to": None, "currency": "BGN"}
    assert (props["Free park"]["price_from"], props["Free park"]["currency"]) == (None, None)
