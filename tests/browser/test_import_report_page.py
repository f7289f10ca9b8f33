"""The report page of an import the background worker has not run yet, in a real Chromium:
it says the import is queued, asks for its state by itself under the site's
Content-Security-Policy (a script file, no inline code), and shows the report once the
import has ended (Trust D9)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import make_partner, make_token, run_queued_imports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_page_follows_the_import_until_its_report(page, live_server):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    user = User.objects.create_user("ivana", password="x", is_staff=True)
    user.groups.add(partner.editors)
    features = [{"type": "Feature", "properties": {"name": f"Място {i}"},
                 "geometry": {"type": "Point", "coordinates": [25.6 + i / 100, 42.4]}}
                for i in range(3)]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    client = Client()
    queued = client.post("/api/imports/", {
        "file": SimpleUploadedFile("sites.geojson", data, "application/geo+json"),
        "partner": partner.pk, "layer": "sz-sites", "kind": "attractions"},
        HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    assert queued.status_code == 202, queued.content
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])

    page.goto(f"{live_server.url}/import/runs/{queued.json()['id']}/?lang=en")
    status = page.locator("[data-stage]")
    assert status.inner_text() == "Queued: waiting for the import worker"
    assert page.locator("[data-reload-hint]").is_hidden()  # the script runs: no need to

    run_queued_imports()  # what the worker does, meanwhile
    page.wait_for_selector("text=Undo this import", timeout=15_000)
    assert page.locator("[data-stage]").count() == 0
    assert "<td>3</td>" in page.content()
    assert page.console_errors == []  # a refused inline script would be reported here
