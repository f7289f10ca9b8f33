"""Transfers and study visits in the admin, walked as a matrix (role × action) through the
real admin views: the receiving partner's editors correct an open transfer's plan, steps
and evidence; the practice's own partner's editors see it; nobody else sees it; a closed
transfer is read only; its status moves only on its page. A visit is kept by the editors
of its host and visiting partners. Forbidden writes: zero."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from exchange.models import StudyVisit, Transfer, TransferIndicator
from exchange.transfers import StepSpec, transfer_move, transfer_open
from exchange.visits import VisitSpec, visit_create
from layers.services import partner_editors_group_ensure
from tests.exchange.conftest import publish, snapshot, write_practice
from tests.factories import make_partner, make_person

ADMIN = "/admin/exchange/"


@pytest.fixture
def setting(world):
    """Sliven's practice transferred to Drôme (open), a closed transfer to Larissa, a
    visit of Drôme to Sliven; an editor of each partner."""
    larissa = make_partner("larissa", bbox=(21.8, 39.2, 22.9, 40.1), name_en="Larissa")
    for partner in (world.sliven, world.drome, larissa):
        partner_editors_group_ensure(partner=partner)
    practice = publish(world, write_practice(world))
    open_ = transfer_open(user=world.dr_member, practice=practice, partner=None,
                          plan="Late openings in Valence",
                          steps=[StepSpec(title="Visit Sliven", due=dt.date(2025, 3, 1))])
    la_member = make_person(larissa, "members")
    closed = transfer_open(user=la_member, practice=practice, partner=None)
    transfer_move(user=la_member, transfer=closed, to="abandoned", reason="No budget")
    visit = visit_create(user=world.dr_member, spec=VisitSpec(
        title="Drôme in Sliven", host="sliven", visitors=["drome"],
        start=dt.date(2025, 4, 7), end=dt.date(2025, 4, 9)))
    return {"open": open_, "closed": closed, "visit": visit, "larissa": larissa,
            "dr_editor": make_person(world.drome, "editors"),
            "la_editor": make_person(larissa, "editors"),
            "sl_editor": world.sl_editor, "dr_member": world.dr_member,
            "root": world.root}


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(transfer: Transfer, *, plan: str, evidence: list[dict] | None = None,
                status: str | None = None) -> dict:
    """The change form of ``transfer`` as the admin renders it, with a new plan."""
    steps = list(transfer.steps.all())
    rows = evidence or []
    form = {"plan": plan,
            "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
            "indicators-TOTAL_FORMS": str(len(rows)), "indicators-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    for i, step in enumerate(steps):
        form.update({f"steps-{i}-id": str(step.pk), f"steps-{i}-transfer": str(transfer.pk),
                     f"steps-{i}-order": str(step.order), f"steps-{i}-kind": step.kind,
                     f"steps-{i}-title": step.title,
                     f"steps-{i}-due": step.due.isoformat() if step.due else ""})
    for i, row in enumerate(rows):
        form.update({f"indicators-{i}-transfer": str(transfer.pk),
                     f"indicators-{i}-order": str(i),
                     **{f"indicators-{i}-{k}": v for k, v in row.items()}})
    if status is not None:
        form["status"] = status
    return form


# Who sees and who changes the open transfer (Drôme takes Sliven's practice).
MATRIX = [
    # role, sees it in the list, opens it, changes it, deletes it
    ("dr_editor", True, 200, True, True),
    ("sl_editor", True, 200, False, False),
    ("la_editor", False, 302, False, False),
    ("dr_member", False, 302, False, False),  # not staff: no admin at all
    ("root", True, 200, True, True),
]


@pytest.mark.parametrize(("role", "listed", "opened", "changes", "deletes"), MATRIX)
def test_who_sees_changes_and_deletes_an_open_transfer(setting, role, listed, opened,
                                                       changes, deletes):
    client = admin_client(setting[role])
    transfer = setting["open"]
    listing = client.get("/admin/exchange/transfer/")
    assert (f"{ADMIN}transfer/{transfer.pk}/change/" in listing.content.decode()) is listed
    page = client.get(f"{ADMIN}transfer/{transfer.pk}/change/")
    assert page.status_code in ((200,) if opened == 200 else (302, 403, 404))
    client.post(f"{ADMIN}transfer/{transfer.pk}/change/",
                change_form(transfer, plan=f"Changed by {role}"))
    changed = Transfer.objects.get(pk=transfer.pk).plan == f"Changed by {role}"
    assert changed is changes
    client.post(f"{ADMIN}transfer/{transfer.pk}/delete/", {"post": "yes"})
    assert (not Transfer.objects.filter(pk=transfer.pk).exists()) is deletes


def test_nobody_adds_a_transfer_or_moves_its_status_in_the_admin(setting):
    client = admin_client(setting["dr_editor"])
    assert client.get(f"{ADMIN}transfer/add/").status_code == 403
    transfer = setting["open"]
    client.post(f"{ADMIN}transfer/{transfer.pk}/change/",
                change_form(transfer, plan="Still exploring", status="transferred"))
    transfer.refresh_from_db()
    assert (transfer.plan, transfer.status) == ("Still exploring", "exploring")


def test_a_closed_transfer_is_read_only(setting):
    closed = setting["closed"]
    client = admin_client(setting["la_editor"])
    assert client.get(f"{ADMIN}transfer/{closed.pk}/change/").status_code == 200
    client.post(f"{ADMIN}transfer/{closed.pk}/change/", change_form(closed, plan="Reopened?"))
    client.post(f"{ADMIN}transfer/{closed.pk}/delete/", {"post": "yes"})
    closed.refresh_from_db()
    assert closed.plan == "" and closed.status == "abandoned"


def test_evidence_added_in_the_admin_is_checked_as_on_the_page(world, setting):
    snapshot(world.drome, dt.date(2024, 3, 1), share=0.5)
    snapshot(world.drome, dt.date(2025, 6, 1), share=0.6)
    transfer = setting["open"]
    client = admin_client(setting["dr_editor"])
    refused = client.post(f"{ADMIN}transfer/{transfer.pk}/change/", change_form(
        transfer, plan="x", evidence=[{"name": "Share", "territory": str(world.drome.pk),
                                       "measure": "share_within", "date_before": "2020-01-01",
                                       "date_after": "2025-07-01"}]))
    assert refused.status_code == 200
    assert "no analysis of Drôme on or before 2020-01-01" in refused.content.decode()
    assert not TransferIndicator.objects.exists()
    client.post(f"{ADMIN}transfer/{transfer.pk}/change/", change_form(
        transfer, plan="x", evidence=[{"name": "Share", "territory": str(world.drome.pk),
                                       "measure": "share_within", "date_before": "2024-05-01",
                                       "date_after": "2025-07-01", "value_before": "1"}]))
    row = TransferIndicator.objects.get()
    assert (row.value_before, row.value_after, row.unit) == (50.0, 60.0, "%")
    assert row.date_after == dt.date(2025, 6, 1)
    # Evidence measured in Drôme: the page may now mark it transferred.
    transfer_move(user=world.dr_member, transfer=transfer, to="transferred")


VISIT_MATRIX = [
    ("dr_editor", True, True), ("sl_editor", True, True), ("la_editor", False, False),
    ("dr_member", False, False), ("root", True, True),
]


@pytest.mark.parametrize(("role", "sees", "changes"), VISIT_MATRIX)
def test_a_visit_is_kept_by_its_partners_editors(world, setting, role, sees, changes):
    visit = setting["visit"]
    client = admin_client(setting[role])
    listing = client.get("/admin/exchange/studyvisit/").content.decode()
    assert (f"{ADMIN}studyvisit/{visit.pk}/change/" in listing) is sees
    client.post(f"{ADMIN}studyvisit/{visit.pk}/change/", {
        "title": f"Changed by {role}", "host": str(world.sliven.pk),
        "visitors": [str(world.drome.pk)], "start": "2025-04-07", "end": "2025-04-09",
        "notes": "", "places-TOTAL_FORMS": "0", "places-INITIAL_FORMS": "0"})
    assert (StudyVisit.objects.get(pk=visit.pk).title == f"Changed by {role}") is changes


def test_an_editor_adds_a_visit_only_with_their_partner_on_it(world, setting):
    client = admin_client(setting["la_editor"])
    form = {"title": "Someone else's visit", "host": str(world.sliven.pk),
            "visitors": [str(world.drome.pk)], "start": "2025-05-01", "end": "2025-05-02",
            "notes": "", "places-TOTAL_FORMS": "0", "places-INITIAL_FORMS": "0"}
    refused = client.post(f"{ADMIN}studyvisit/add/", form)
    assert refused.status_code == 200 and "host or of a visiting partner" in \
        refused.content.decode()
    larissa = setting["larissa"]
    client.post(f"{ADMIN}studyvisit/add/", {**form, "title": "Larissa in Sliven",
                                           "visitors": [str(larissa.pk)]})
    made = StudyVisit.objects.get(title="Larissa in Sliven")
    assert made.created_by == setting["la_editor"]
    assert not StudyVisit.objects.filter(title="Someone else's visit").exists()
