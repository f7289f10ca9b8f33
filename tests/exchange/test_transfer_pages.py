"""The transfer pages: a practice's page shows its transfers and the form to open one;
the list filters; the transfer page's forms move it on and show refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from exchange.models import Transfer
from exchange.transfers import transfer_open
from tests.exchange.conftest import publish, write_practice


@pytest.fixture
def practice(world):
    return publish(world, write_practice(world))


def test_the_practice_page_shows_its_transfers_to_its_partner(world, practice):
    transfer_open(user=world.dr_member, practice=practice, partner=None)
    client = Client()
    client.force_login(world.sl_member)
    page = client.get(f"/practices/{practice.uid}/?lang=en").content.decode()
    assert "Drôme" in page and "Exploring" in page
    assert 'id="transfer-form"' not in page  # A does not transfer its own practice


def test_another_partners_member_opens_one_from_the_page(world, practice):
    client = Client()
    client.force_login(world.dr_member)
    page = client.get(f"/practices/{practice.uid}/?lang=en").content.decode()
    assert "Open a transfer to Drôme" in page
    response = client.post(f"/practices/{practice.uid}/transfer/", {"partner": "drome",
                                                                     "plan": "Try it"})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/practices/transfers/{transfer.uid}/")


def test_the_transfer_page_refuses_transferred_without_evidence(world, practice):
    transfer = transfer_open(user=world.dr_member, practice=practice, partner=None)
    client = Client()
    client.force_login(world.dr_member)
    response = client.post(f"/practices/transfers/{transfer.uid}/act/?lang=en",
                           {"what": "status", "status": "transferred"})
    assert response.status_code == 400
    assert "only with evidence measured in Drôme" in response.content.decode()
    response = client.post(f"/practices/transfers/{transfer.uid}/act/",
                           {"what": "status", "status": "abandoned"})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    client.post(f"/practices/transfers/{transfer.uid}/act/",
                {"what": "step", "title": "Meet the museum", "kind": "milestone",
                 "due": "2025-06-01", "people": "Claire"})
    page = client.get(f"/practices/transfers/{transfer.uid}/?lang=en").content.decode()
    assert "Meet the museum" in page and "Claire" in page
    anonymous = Client().get(f"/practices/transfers/{transfer.uid}/?lang=en").content.decode()
    assert "Claire" not in anonymous and "Sign in to see who." in anonymous


def test_the_transfer_list_filters(world, practice):
    transfer_open(user=world.dr_member, practice=practice, partner=None)
    client = Client()
    page = client.get("/practices/transfers/?lang=en&partner=drome").content.decode()
    assert "Night at the museum" in page
    page = client.get("/practices/transfers/?lang=en&status=transferred").content.decode()
    assert "Night at the museum" not in page
    assert client.get("/practices/transfers/?status=done").status_code == 404


def test_the_transfer_page_marks_a_step_done_and_removes_evidence(world, practice):
    transfer = transfer_open(user=world.dr_member, practice=practice, partner=None)
    client = Client()
    client.force_login(world.dr_member)
    url = f"/practices/transfers/{transfer.uid}/act/"
    client.post(url, {"what": "step", "title": "Meet the museum", "kind": "step"})
    assert client.post(url, {"what": "step-done", "index": "0",
                             "done": "2025-06-02"}).status_code == 302
    assert str(transfer.steps.get().done) == "2025-06-02"
    client.post(url, {"what": "evidence", "name": "Visitors", "value_before": "1",
                      "value_after": "2", "date_before": "2024-01-01",
                      "date_after": "2025-01-01", "territory": "drome"})
    client.post(url, {"what": "evidence", "name": "Tickets", "territory": "drome"})
    assert client.post(url, {"what": "evidence-remove", "index": "0"}).status_code == 302
    assert list(transfer.indicators.values_list("name", flat=True)) == ["Tickets"]
    assert client.post(url, {"what": "evidence-remove", "index": "7"}).status_code == 400
    sliven = Client()
    sliven.force_login(world.sl_member)
    assert sliven.post(url, {"what": "evidence-remove", "index": "0"}).status_code == 403
    assert transfer.indicators.count() == 1
