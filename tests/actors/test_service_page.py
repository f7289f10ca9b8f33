"""A listing's page leads with what a visitor needs, with JSON-LD and OpenGraph; an
attraction's page shows its photos and hours the same way."""

from __future__ import annotations

import json
import re

import pytest

from media.models import Licence
from media.services import image_add
from tests.factories import make_attraction, make_layer, make_listing
from tests.media.images import jpeg

pytestmark = pytest.mark.django_db

# 10:00 in Sliven (UTC+3 in May) on Orthodox Easter Monday 2027, then the next day.
HOLIDAY_MORNING = "2027-05-03T07:00:00+00:00"
NEXT_MORNING = "2027-05-04T07:00:00+00:00"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def cellar(territories, media_root):
    listing = make_listing(26.31, 42.67, type="local_product", name_bg="Винарна Сливен",
                           name_en="Sliven wine cellar", description_en="Tastings daily.",
                           opening_hours="Mo-Su 10:00-18:00; PH off", price_from=5,
                           price_to=12, currency="BGN", wheelchair="limited",
                           accessibility_en="One step at the door.", phone="+359 44 123 456",
                           email="cellar@example.org", booking_url="https://example.org/book",
                           languages=["bg", "en"], address="ul. Tsar Osvoboditel 1")
    image_add(owner=listing, data=jpeg(), declared_type="image/jpeg", author="M. Petrova",
              licence=Licence.CC_BY, captions={"en": "The cellar", "bg": "Избата"})
    return listing


def page(client, listing, lang="en"):
    answer = client.get(f"/services/{listing.uid}/?lang={lang}")
    assert answer.status_code == 200
    return answer.content.decode()


def jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_page_leads_with_photo_hours_price_access_contact(client, cellar, settings):
    settings.ATLAS_NOW = NEXT_MORNING
    html = page(client, cellar)
    assert html.index("lead-photo") < html.index("<h1>Sliven wine cellar</h1>")
    assert "© M. Petrova" in html and "CC BY 4.0" in html and "The cellar" in html
    assert "Open now" in html
    assert "Local product" in html
    assert "5 – 12 BGN" in html
    assert "Limited — One step at the door." in html
    assert "tel:+359 44 123 456" in html and "mailto:cellar@example.org" in html
    assert "https://example.org/book" in html
    assert "ul. Tsar Osvoboditel 1" in html


def test_open_now_counts_the_countrys_public_holiday(client, cellar, settings):
    settings.ATLAS_NOW = HOLIDAY_MORNING
    html = page(client, cellar)
    assert "Closed now" in html
    # The week starts today: Monday closed (the holiday), Tuesday 10–18.
    assert re.search(r"Monday 3 May</th><td>Closed", html)
    assert re.search(r"Tuesday 4 May</th><td>10:00–18:00", html)


def test_the_page_in_bulgarian(client, cellar, settings):
    settings.ATLAS_NOW = HOLIDAY_MORNING
    html = page(client, cellar, "bg")
    assert "<h1>Винарна Сливен</h1>" in html and "Избата" in html
    assert "понеделник 3 май</th><td>Затворено" in html and "Затворено сега" in html
    # 6 May is St George's Day, a Bulgarian public holiday too.
    assert "четвъртък 6 май</th><td>Затворено" in html


def test_json_ld_and_opengraph(client, cellar, settings):
    settings.ATLAS_NOW = NEXT_MORNING
    html = page(client, cellar)
    data = jsonld(html)
    assert data["@type"] == "Store" and data["name"] == "Sliven wine cellar"
    assert data["openingHours"] == "Mo-Su 10:00-18:00; PH off"
    assert data["geo"]["latitude"] == pytest.approx(42.67)
    assert data["image"].endswith("/1200")
    assert '<meta property="og:title" content="Sliven wine cellar">' in html
    assert 'property="og:image"' in html


def test_an_event_is_an_event_in_json_ld(client, territories):
    fest = make_listing(26.33, 42.69, type="event", name_en="Wine festival <b>",
                        starts_on="2027-05-01", ends_on="2027-05-03")
    html = page(client, fest)
    data = jsonld(html)
    assert (data["@type"], data["startDate"], data["endDate"]) == (
        "Event", "2027-05-01", "2027-05-03")
    assert data["name"] == "Wine festival <b>"  # kept as text, escaped in the script
    assert "<b>" not in html.split("application/ld+json")[1].split("</script>")[0]


def test_nearby_lists_attractions_and_listings(client, cellar, territories):
    layer = make_layer(territories["sliven"])
    make_attraction(layer, 26.315, 42.672, name_en="Sliven history museum")
    make_listing(26.312, 42.671, type="food_drink", name_en="Tavern")
    make_listing(26.7, 42.9, name_en="Far away inn")
    html = page(client, cellar)
    nearby = html.split('class="nearby"')[1]
    assert "Sliven history museum" in nearby and "Tavern" in nearby
    assert "Far away inn" not in nearby and "Sliven wine cellar" not in nearby


def test_a_draft_has_no_page(client, territories):
    draft = make_listing(26.3, 42.6, status="draft")
    assert client.get(f"/services/{draft.uid}/").status_code == 404


def test_an_attractions_page_shows_its_photos_and_hours(client, territories, media_root,
                                                        settings):
    settings.ATLAS_NOW = HOLIDAY_MORNING
    layer = make_layer(territories["sliven"])
    museum = make_attraction(layer, 26.315, 42.672, name_en="Sliven history museum",
                             opening_hours="Mo-Su 09:00-17:00; PH off")
    image_add(owner=museum, data=jpeg(), declared_type="image/jpeg", author="I. Ivanov",
              licence=Licence.PERMISSION)
    html = client.get(f"/attractions/{museum.uid}/?lang=en").content.decode()
    assert "lead-photo" in html and "© I. Ivanov" in html
    assert "All rights reserved, used with permission" in html
    assert "Closed now" in html
    settings.ATLAS_NOW = NEXT_MORNING
    html = client.get(f"/attractions/{museum.uid}/?lang=en").content.decode()
    assert "Open now" in html


def test_the_page_says_when_it_next_opens_or_closes(client, cellar, settings):
    settings.ATLAS_NOW = NEXT_MORNING
    assert "Open now · closes at 18:00" in page(client, cellar)
    settings.ATLAS_NOW = HOLIDAY_MORNING
    assert "Затворено сега · отваря утре в 10:00" in page(client, cellar, "bg")


def test_season_and_languages_are_named_in_the_readers_language(client, territories,
                                                               settings):
    settings.ATLAS_NOW = NEXT_MORNING
    hut = make_listing(26.3, 42.7, name_en="Mountain hut", season_months=[6, 7],
                       languages=["bg", "en"], opening_hours="Mo-Su 09:00-18:00")
    html = page(client, hut)
    assert "<dd>June, July</dd>" in html and "<dd>Bulgarian, English</dd>" in html
    # Out of season, the week says closed, not the hours the season does not keep.
    assert "Tuesday 4 May</th><td>Closed" in html
    html = page(client, hut, "el")
    assert "Ιούνιος, Ιούλιος" in html and "Βουλγαρικά, Αγγλικά" in html
