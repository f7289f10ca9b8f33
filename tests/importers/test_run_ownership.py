"""An import run belongs to the partner that made it, whatever its layer is called later.

The attack this guards against (Trust D1): Stara Zagora imports into ``sz-sites`` and
renames the layer; a Sliven editor creates a new layer under the old slug. The run must
stay Stara Zagora's: Sliven can neither read its report nor undo it.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from importers.models import ImportRun
from layers.models import Attraction, Layer
from tests.factories import make_token, run_queued_imports

pytestmark = pytest.mark.django_db


def _member(name: str, partner) -> User:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(partner.editors)
    return user


def _auth(user: User) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {make_token(user)}"}


def _points(_tmp_path, name: str, lon: float, lat: float, n: int) -> bytes:
    features = [{"type": "Feature", "properties": {"id": i, "name": f"{name} {i}"},
                 "geometry": {"type": "Point", "coordinates": [lon + i / 100, lat]}}
                for i in range(n)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _post(client, auth, *, partner, layer: str, data: bytes):
    form = {"file": SimpleUploadedFile("sites.geojson", data, "application/geo+json"),
            "partner": partner.pk, "layer": layer, "kind": "attractions"}
    response = client.post("/api/imports/", form, **auth)
    run_queued_imports()  # the background worker's part (importers.jobs)
    return response


@pytest.fixture
def renamed_and_squatted(client, partners, tmp_path):
    """Stara Zagora's run into ``sz-sites``, the layer renamed, and Sliven's new layer
    under the old slug."""
    sz, sliven = partners["stara-zagora"], partners["sliven"]
    ivana, petar = _member("ivana", sz), _member("petar", sliven)
    done = _post(client, _auth(ivana), partner=sz, layer="sz-sites",
                 data=_points(tmp_path, "forum", 25.62, 42.42, 5))
    assert done.status_code == 202, done.content
    Layer.objects.filter(slug="sz-sites").update(slug="sz-sites-renamed")
    squat = _post(client, _auth(petar), partner=sliven, layer="sz-sites",
                  data=_points(tmp_path, "kotel", 26.45, 42.88, 1))
    assert squat.status_code == 202, squat.content
    return done.json()["id"], ivana, petar


def test_another_partners_editor_cannot_read_a_run_through_a_reused_slug(
        client, renamed_and_squatted):
    run_id, ivana, petar = renamed_and_squatted
    assert client.get(f"/api/imports/{run_id}/", **_auth(petar)).status_code == 404
    assert client.get(f"/api/imports/{run_id}/", **_auth(ivana)).status_code == 200


def test_another_partners_editor_cannot_undo_a_run_through_a_reused_slug(
        client, renamed_and_squatted):
    run_id, _ivana, petar = renamed_and_squatted
    response = client.post(f"/api/imports/{run_id}/undo/", **_auth(petar))
    assert response.status_code == 404
    assert Attraction.objects.filter(layer__slug="sz-sites-renamed").count() == 5
    assert ImportRun.objects.get(pk=run_id).status == "succeeded"


def test_the_report_page_is_refused_through_a_reused_slug(client, renamed_and_squatted):
    run_id, ivana, petar = renamed_and_squatted
    client.force_login(petar)
    assert client.get(f"/import/runs/{run_id}/").status_code == 404
    assert client.post(f"/import/runs/{run_id}/undo/").status_code == 404
    assert Attraction.objects.filter(layer__slug="sz-sites-renamed").count() == 5
    client.force_login(ivana)
    page = client.get(f"/import/runs/{run_id}/")
    assert page.status_code == 200 and "sites.geojson" in page.content.decode()


def test_a_refused_import_into_another_partners_layer_is_not_in_its_history(
        client, partners, tmp_path):
    """D12: a Sliven editor's refused import aimed at Stara Zagora's layer is Sliven's
    failure; it is not listed on Stara Zagora's layer, whose page the public reads."""
    sz, sliven = partners["stara-zagora"], partners["sliven"]
    ivana, petar = _member("ivana", sz), _member("petar", sliven)
    assert _post(client, _auth(ivana), partner=sz, layer="sz-sites",
                 data=_points(tmp_path, "forum", 25.62, 42.42, 2)).status_code == 202
    refused = _post(client, _auth(petar), partner=sliven, layer="sz-sites",
                    data=_points(tmp_path, "hostile-name", 26.45, 42.88, 1))
    assert refused.status_code == 400
    failed = ImportRun.objects.get(status="failed")
    assert failed.layer is None and failed.partner == sliven
    layer = Layer.objects.get(slug="sz-sites")
    assert list(layer.import_runs.values_list("status", flat=True)) == ["succeeded"]
    assert "hostile-name" not in client.get(f"/layers/{layer.slug}/").content.decode()


def test_a_run_is_recorded_with_the_partner_that_made_it(client, partners, tmp_path):
    sz = partners["stara-zagora"]
    ivana = _member("ivana", sz)
    done = _post(client, _auth(ivana), partner=sz, layer="sz-sites",
                 data=_points(tmp_path, "forum", 25.62, 42.42, 1))
    assert ImportRun.objects.get(pk=done.json()["id"]).partner == sz


def test_a_refusal_does_not_name_the_owner_of_another_partners_private_layer(
        client, partners, tmp_path):
    """D20: Sliven aims at Stara Zagora's private layer; the refusal says the name is taken,
    not whose it is."""
    sz, sliven = partners["stara-zagora"], partners["sliven"]
    Layer.objects.create(slug="sz-private", partner=sz, kind="attractions",
                         visibility="private", title_en="Private")
    petar = _member("petar", sliven)
    refused = _post(client, _auth(petar), partner=sliven, layer="sz-private",
                    data=_points(tmp_path, "kotel", 26.45, 42.88, 1))
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert "taken" in error and "stara-zagora" not in error


def test_the_admins_layer_filter_lists_only_the_editors_layers(client, partners):
    sz, sliven = partners["stara-zagora"], partners["sliven"]
    Layer.objects.create(slug="sz-private", partner=sz, kind="attractions",
                         visibility="private", title_en="Stara Zagora's secret layer")
    own = Layer.objects.create(slug="sliven-sites", partner=sliven, kind="attractions",
                               title_en="Sliven sites")
    from tests.factories import make_attraction

    make_attraction(own, 26.3, 42.7)
    petar = _member("petar", sliven)
    from django.contrib.auth.models import Permission

    petar.user_permissions.add(*Permission.objects.filter(codename__in=["view_attraction"]))
    client.force_login(petar)
    page = client.get("/admin/layers/attraction/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sliven sites" in html and "secret layer" not in html
