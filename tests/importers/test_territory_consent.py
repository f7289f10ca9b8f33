"""Trust D14: features inside another partner's territory are public only with its welcome.

Another partner's import inside a territory changed that territory's public map and its
planner figures with only a note. Now such features land in a layer visible to partners
only, a public layer refuses them, and the layer can be made public once the territory's
partner welcomes the importing partner's public features.
"""

from __future__ import annotations

import pytest
import shapely
from django.contrib.auth.models import User

from importers.exceptions import Refused
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer
from layers.vocabulary import Visibility
from tests.factories import make_layer
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

# Inside Stara Zagora's rectangle, well away from Sliven's (tests/importers/conftest.py).
IN_STARA_ZAGORA = [(25.2, 42.1), (25.25, 42.12)]
NEAR_SLIVEN = (26.0, 42.5)  # where the two rectangles overlap: Sliven's own


def _file(tmp_path, points):
    return write_shapefile(tmp_path, "sites", [shapely.Point(p) for p in points],
                           {"NAME": [f"site {i}" for i in range(len(points))]}, epsg=4326)


def _import(path, partner, layer):
    # Confirmed: the features beyond the importer's territory are meant to be there.
    return run_import(ImportRequest(path=path, partner=partner, layer_slug=layer,
                                    kind="attractions", allow_outside=True))


def test_a_new_layer_with_features_in_another_territory_is_made_partners_only(tmp_path,
                                                                           partners):
    result = _import(_file(tmp_path, [*IN_STARA_ZAGORA, NEAR_SLIVEN]), partners["sliven"],
                     "sliven-sites")
    layer = Layer.objects.get(slug="sliven-sites")
    assert layer.visibility == Visibility.PARTNERS
    assert Attraction.objects.filter(layer=layer).count() == 3
    notes = " ".join(str(n) for n in result.notes)
    assert "visible to partners only" in notes and "2 in the territory of Stara Zagora" in notes


def test_a_public_layer_refuses_them_and_writes_nothing(tmp_path, partners):
    make_layer(partners["sliven"], slug="sliven-public")
    with pytest.raises(Refused, match="2 in the territory of Stara Zagora"):
        _import(_file(tmp_path, [*IN_STARA_ZAGORA, NEAR_SLIVEN]), partners["sliven"],
                "sliven-public")
    assert not Attraction.objects.exists()


def test_features_of_its_own_territory_and_border_keep_a_layer_public(tmp_path, partners):
    # 0.01° over Sliven's edge into Stara Zagora's: drawn on the border, not inside.
    _import(_file(tmp_path, [NEAR_SLIVEN, (25.69, 42.8)]), partners["sliven"], "sliven-own")
    assert Layer.objects.get(slug="sliven-own").visibility == Visibility.PUBLIC


def test_welcomed_features_may_be_public(tmp_path, partners):
    partners["stara-zagora"].welcomes.add(partners["sliven"])
    make_layer(partners["sliven"], slug="sliven-public")
    _import(_file(tmp_path, IN_STARA_ZAGORA), partners["sliven"], "sliven-public")
    assert Layer.objects.get(slug="sliven-public").visibility == Visibility.PUBLIC
    assert Attraction.objects.count() == 2


def test_the_admin_makes_such_a_layer_public_only_once_welcomed(tmp_path, partners, client):
    _import(_file(tmp_path, IN_STARA_ZAGORA), partners["sliven"], "sliven-sites")
    layer = Layer.objects.get(slug="sliven-sites")
    editor = User.objects.create_user("petar", password="pw", is_staff=True)
    editor.groups.add(partners["sliven"].editors)
    client.force_login(editor)
    url = f"/admin/layers/layer/{layer.pk}/change/"
    form = {"slug": layer.slug, "partner": partners["sliven"].pk, "kind": "attractions",
            "title_en": "Sites", "visibility": "public", "import_settings": "{}"}
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    assert "2 in the territory of Stara Zagora" in response.content.decode()
    layer.refresh_from_db()
    assert layer.visibility == Visibility.PARTNERS

    partners["stara-zagora"].welcomes.add(partners["sliven"])
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    layer.refresh_from_db()
    assert layer.visibility == Visibility.PUBLIC
