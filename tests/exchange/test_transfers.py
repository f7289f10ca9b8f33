"""Transfers: Drôme (B) takes over Sliven's (A) published practice. The workflow's rules:
who opens one, the way through its states, abandoned only with a reason, transferred only
with evidence measured in B's territory; every change recorded and told to both partners
(in the app, and by e-mail to a real SMTP server)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from exchange.models import Transfer, TransferEvent
from exchange.transfers import (
    EvidenceSpec,
    StepSpec,
    transfer_evidence_add,
    transfer_move,
    transfer_open,
    transfer_plan_set,
)
from exchange.vocabulary import TransferStatus
from geo.errors import Conflict, Forbidden, InvalidFields
from notices.models import Notice
from tests.exchange.conftest import publish, snapshot, write_practice
from tests.notices.conftest import smtp_inbox  # noqa: F401  (the fixture)

BEFORE, AFTER = dt.date(2024, 5, 1), dt.date(2025, 5, 1)


@pytest.fixture
def practice(world):
    return publish(world, write_practice(world))


@pytest.fixture
def transfer(world, practice):
    return transfer_open(user=world.dr_member, practice=practice, partner=None,
                         plan="Late openings at the Valence museum.",
                         steps=[StepSpec(title="Visit Sliven", kind="milestone",
                                         due=dt.date(2025, 3, 1), people="Claire Martin")])


def evidence(world, territory="drome", **kw):
    values = {"name": "Visitors under 30 per month", "territory": territory,
              "value_before": 120.0, "value_after": 210.0, "date_before": BEFORE,
              "date_after": AFTER, "source": "Museum tickets", **kw}
    return EvidenceSpec(**values)


def test_a_member_of_another_partner_opens_a_transfer_in_its_name(world, transfer):
    assert transfer.partner == world.drome and transfer.status == TransferStatus.EXPLORING
    event = TransferEvent.objects.get(transfer=transfer)
    assert (event.actor_name, event.partner, event.from_status, event.to_status) == (
        world.dr_member.username, world.drome, "", "exploring")
    assert [s.title for s in transfer.steps.all()] == ["Visit Sliven"]


def test_the_practices_own_partner_and_outsiders_open_none(world, practice):
    for user in (world.sl_member, world.sl_moderator, world.outsider, world.curator):
        with pytest.raises(Forbidden):
            transfer_open(user=user, practice=practice, partner=None)
    with pytest.raises(Forbidden):  # in the name of a partner they do not belong to
        transfer_open(user=world.dr_member, practice=practice, partner=world.sliven)
    assert not Transfer.objects.exists()


def test_a_draft_is_not_transferred(world):
    draft = write_practice(world)
    with pytest.raises(Conflict):
        transfer_open(user=world.dr_member, practice=draft, partner=None)


def test_one_open_transfer_per_partner_and_practice(world, transfer, practice):
    with pytest.raises(Conflict, match="already has a transfer"):
        transfer_open(user=world.dr_moderator, practice=practice, partner=None)
    transfer_move(user=world.dr_member, transfer=transfer, to="abandoned",
                  reason="No budget this year.")
    again = transfer_open(user=world.dr_moderator, practice=practice, partner=None)
    assert again.pk != transfer.pk


def test_transferred_without_evidence_is_refused_in_the_readers_language(world, transfer):
    with translation.override("fr"), pytest.raises(InvalidFields) as refused:
        transfer_move(user=world.dr_member, transfer=transfer, to="transferred")
    message = str(refused.value.fields["indicators"][0])
    assert "Drôme" in message and "transférée" in message
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.EXPLORING


def test_evidence_measured_in_the_practices_own_territory_does_not_count(world, transfer):
    transfer_evidence_add(user=world.dr_member, transfer=transfer,
                          row=evidence(world, territory="sliven"))
    with pytest.raises(InvalidFields):
        transfer_move(user=world.dr_member, transfer=transfer, to="transferred")


@pytest.mark.parametrize("missing", ["value_before", "value_after", "date_before",
                                     "date_after"])
def test_evidence_needs_both_values_and_both_dates(world, transfer, missing):
    transfer_evidence_add(user=world.dr_member, transfer=transfer,
                          row=evidence(world, **{missing: None}))
    with pytest.raises(InvalidFields):
        transfer_move(user=world.dr_member, transfer=transfer, to="transferred")


def test_evidence_after_before_its_before_is_refused(world, transfer):
    with pytest.raises(InvalidFields) as refused:
        transfer_evidence_add(user=world.dr_member, transfer=transfer,
                              row=evidence(world, date_after=dt.date(2020, 1, 1)))
    assert "indicators[0].date_after" in refused.value.fields
    assert not transfer.indicators.exists()


def test_with_evidence_in_its_territory_it_is_transferred_and_then_closed(world, transfer):
    for to in ("adapting", "piloting"):
        transfer_move(user=world.dr_member, transfer=transfer, to=to, comment=f"now {to}")
    transfer_evidence_add(user=world.dr_moderator, transfer=transfer, row=evidence(world))
    transfer_move(user=world.dr_member, transfer=transfer, to="transferred")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.TRANSFERRED
    assert [(e.from_status, e.to_status) for e in transfer.events.all()] == [
        ("", "exploring"), ("exploring", "adapting"), ("adapting", "piloting"),
        ("piloting", "transferred")]
    with pytest.raises(Conflict):
        transfer_move(user=world.dr_member, transfer=transfer, to="piloting")
    with pytest.raises(Conflict):
        transfer_plan_set(user=world.dr_member, transfer=transfer, plan="changed")


def test_abandoned_needs_a_reason_and_keeps_it(world, transfer):
    with pytest.raises(InvalidFields) as refused:
        transfer_move(user=world.dr_member, transfer=transfer, to="abandoned", reason="  ")
    assert "reason" in refused.value.fields
    transfer_move(user=world.dr_member, transfer=transfer, to="abandoned",
                  reason="The museum closed for works.")
    transfer.refresh_from_db()
    assert transfer.status == "abandoned" and transfer.reason == "The museum closed for works."
    assert transfer.events.last().comment == "The museum closed for works."


def test_only_the_receiving_partner_moves_it(world, transfer):
    for user in (world.sl_member, world.sl_moderator, world.curator, world.outsider):
        with pytest.raises(Forbidden):
            transfer_move(user=user, transfer=transfer, to="adapting")
        with pytest.raises(Forbidden):
            transfer_evidence_add(user=user, transfer=transfer, row=evidence(world))
    transfer.refresh_from_db()
    assert transfer.status == "exploring" and not transfer.indicators.exists()


def test_both_partners_are_told_in_the_app_and_by_mail(
        world, practice, smtp_inbox, django_capture_on_commit_callbacks):  # noqa: F811
    # The member acts on a page in Greek; each partner's people read their own language.
    with translation.override("el"), django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_open(user=world.dr_member, practice=practice, partner=None)
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert {"sliven-members", "sliven-moderators", "sliven-editors",
            "drome-moderators"} <= told
    assert "drome-members" not in told  # the one who acted
    subjects = {to[0]: mail["Subject"] for to, mail in smtp_inbox.messages}
    assert "започна трансфер на добрата практика" in subjects["sliven-members@example.org"]
    assert "a ouvert un transfert de la bonne pratique" in subjects[
        "drome-moderators@example.org"]
    assert "Drôme" in subjects["sliven-members@example.org"]
    # The practice's title too is the reader's: Bulgarian for Sliven, English for Drôme
    # (no French title), whatever the page the member acted on.
    assert "Нощ в музея" in subjects["sliven-members@example.org"]
    assert "Night at the museum" in subjects["drome-moderators@example.org"]
    with translation.override("bg"):
        sliven_notice = Notice.objects.get(user=world.sl_member,
                                           url__startswith="/practices/transfers/")
        assert "Нощ в музея" in sliven_notice.text()
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        transfer_move(user=world.dr_member, transfer=transfer, to="abandoned", reason="Later")
    assert Notice.objects.filter(user=world.sl_member).get().url == (
        f"/practices/transfers/{transfer.uid}/")


def test_a_planner_indicator_says_how_its_value_is_taken(world, transfer):
    for day, value in ((BEFORE, 2.5), (AFTER, 3.0)):
        snapshot(world.drome, day, per_100=value)
    transfer_evidence_add(user=world.dr_member, transfer=transfer,
                          row=evidence(world, measure="attractions_per_100km2",
                                       name="Attractions per 100 km²"))
    body = Client().get(f"/api/practices/transfers/{transfer.uid}/").json()
    row = body["indicators"][0]
    assert row["in_territory"] is True
    assert (row["value_before"], row["value_after"]) == (2.5, 3.0)
    assert row["planner"]["measure"] == "attractions_per_100km2"
    assert row["planner"]["territory"] == "drome"
    assert row["planner"]["at"] == ["2024-05-01", "2025-05-01"]
    with pytest.raises(InvalidFields):
        transfer_evidence_add(user=world.dr_member, transfer=transfer,
                              row=evidence(world, measure="visitors_on_mars"))


def test_the_api_walks_the_whole_way(world, practice):
    client = Client()
    client.force_login(world.dr_member)
    opened = client.post(f"/api/practices/{practice.uid}/transfers/",
                         json.dumps({"plan": "Try it in Valence", "steps": [
                             {"title": "Pilot in July", "kind": "milestone",
                              "due": "2025-07-01", "people": "Claire"}]}),
                         content_type="application/json")
    assert opened.status_code == 201, opened.content
    uid = opened.json()["id"]
    refused = client.post(f"/api/practices/transfers/{uid}/status/",
                          json.dumps({"status": "transferred"}),
                          content_type="application/json")
    assert refused.status_code == 400 and "indicators" in refused.json()["fields"]
    added = client.post(f"/api/practices/transfers/{uid}/evidence/", json.dumps({
        "name": "Young visitors", "value_before": 120, "value_after": 210,
        "date_before": "2024-05-01", "date_after": "2025-05-01"}),
        content_type="application/json")
    assert added.status_code == 201 and added.json()["indicators"][0]["territory"] == "drome"
    done = client.post(f"/api/practices/transfers/{uid}/status/",
                       json.dumps({"status": "transferred", "comment": "Done"}),
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "transferred"
    assert [t["partner"] for t in Client().get(f"/api/practices/{practice.uid}/").json()[
        "properties"]["transfers"]] == ["drome"]
    listed = Client().get(f"/api/practices/{practice.uid}/transfers/").json()
    assert [t["partner"] for t in listed["results"]] == ["drome"]
    assert Client().get("/api/practices/transfers/?status=transferred&from=sliven"
                        ).json()["count"] == 1
    # The people named in a plan are for signed-in users only.
    assert Client().get(f"/api/practices/transfers/{uid}/").json()["steps"][0][
        "people"] is None


@pytest.mark.parametrize("query, param", [("colour=red", "colour"), ("status=done", "status"),
                                          ("partner=atlantis", "partner")])
def test_the_transfer_list_refuses_unknown_parameters(world, query, param):
    response = Client().get(f"/api/practices/transfers/?{query}")
    assert response.status_code == 400
    assert param in json.dumps(response.json())


def test_has_transfers_filters_the_practices(world, transfer, practice):
    other = publish(world, write_practice(world, title="Wine evenings"))
    client = Client()
    with_t = client.get("/api/practices/?has_transfers=true&f=json").json()
    without = client.get("/api/practices/?has_transfers=false&f=json").json()
    assert [p["id"] for p in with_t["results"]] == [str(practice.uid)]
    assert [p["id"] for p in without["results"]] == [str(other.uid)]
    assert client.get("/api/practices/?has_transfers=maybe").status_code == 400
    page = client.get("/practices/?has_transfers=true&lang=en").content.decode()
    assert "Night at the museum" in page and "Wine evenings" not in page


def test_the_openapi_schema_documents_transfers_visits_and_attachments(db, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in ("/api/practices/transfers/", "/api/practices/transfers/{uid}/status/",
                 "/api/practices/transfers/{uid}/evidence/", "/api/practices/{uid}/transfers/",
                 "/api/practices/visits/", "/api/practices/{uid}/attachments/",
                 "/api/practices/visits/{uid}/attachments/"):
        assert path in paths, path
    names = {p["name"] for p in paths["/api/practices/"]["get"]["parameters"]}
    assert "has_transfers" in names
    names = {p["name"] for p in paths["/api/practices/transfers/"]["get"]["parameters"]}
    assert {"partner", "from", "status"} <= names
