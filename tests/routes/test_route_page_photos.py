"""A route page shows each stop's first photo (issue 17: photos are shown in popups,
detail pages, route cards and route pages)."""

from __future__ import annotations

import pytest

from media.models import Licence
from media.services import image_add
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.media.images import jpeg
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


def test_each_stop_shows_its_first_photo(client, two_partners, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = two_partners
    photo = image_add(owner=w["a1"], data=jpeg(), declared_type="image/jpeg",
                      author="M. Petrova", licence=Licence.CC_BY)
    route = make_route(w["a"], slug="forum-walk")
    route_compose(route=route, stops=[StopSpec(w["a1"]), StopSpec(w["a2"])],
                  modes=[Mode.WALK])
    page = client.get("/routes/forum-walk/?lang=en").content.decode()
    stops = page[page.index('class="route-stops"'):]
    first, second = stops.split('id="stop-2"')[0], stops.split('id="stop-2"')[1]
    assert f'src="/media/{photo.uid}/480"' in first
    assert "stop-photo" not in second.split("</li>")[0]
