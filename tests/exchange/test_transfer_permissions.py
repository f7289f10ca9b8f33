"""Who may do what with transfers, study visits and attachments, as a matrix: every role
tries every action through the real pages and API; each action runs in a savepoint rolled
back afterwards, so every role meets the same world. Counted for each role: writes that
happened but should not have (zero), refusals of what should have been allowed (zero),
answers of 500 or more (zero).

Partner A is Sliven (the practice's), B is Drôme (an open transfer of it is Drôme's).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exchange.attachments import attachment_upload
from exchange.models import StudyVisit, Transfer, TransferIndicator
from exchange.transfers import EvidenceSpec, transfer_evidence_add, transfer_open
from exchange.visits import VisitSpec, visit_create
from media.models import MediaItem
from tests.exchange.conftest import publish, write_practice
from tests.exchange.documents import pdf
from tests.exchange.matrix import Action, outcomes

ROLES = ("anonymous", "tourist", "member_a", "member_b", "moderator_a", "moderator_b",
         "curator", "superuser")
B = frozenset({"member_b", "moderator_b", "superuser"})
A = frozenset({"member_a", "moderator_a", "superuser"})
PARTNERS = frozenset({"member_a", "member_b", "moderator_a", "moderator_b"})


def _json(method: str, url: str, body: dict) -> Callable[[Client, dict], int]:
    def run(c: Client, w: dict) -> int:
        return getattr(c, method)(url.format(**w["uids"]), json.dumps(body),
                                  content_type="application/json").status_code
    return run


def _status(w: dict) -> str:
    return Transfer.objects.get(pk=w["transfer"].pk).status


EVIDENCE = {"name": "Young visitors", "value_before": 1, "value_after": 2,
            "date_before": "2024-01-01", "date_after": "2025-01-01"}


def _upload(url: str) -> Callable[[Client, dict], int]:
    def run(c: Client, w: dict) -> int:
        return c.post(url.format(**w["uids"]), {
            "file": SimpleUploadedFile("report.pdf", pdf(), "application/pdf"),
            "author": "Ana", "licence": "CC-BY-4.0", "caption": "Matrix report"}).status_code
    return run


def _attached(w: dict) -> bool:
    return MediaItem.objects.filter(caption="Matrix report").exists()


ACTIONS = [
    Action("open a transfer (API)", _json("post", "/api/practices/{practice}/transfers/",
                                          {"partner": "drome"}),
           lambda w: Transfer.objects.filter(practice=w["practice"]).count() > 1,
           frozenset()),  # Drôme has one open already: nobody opens a second
    Action("open a transfer of the other practice (API)",
           _json("post", "/api/practices/{fresh}/transfers/", {}),
           lambda w: Transfer.objects.filter(practice=w["fresh"]).exists(),
           B),
    Action("open a transfer (page)",
           lambda c, w: c.post(f"/practices/{w['fresh'].uid}/transfer/",
                               {"partner": "drome", "plan": "Try"}).status_code,
           lambda w: Transfer.objects.filter(practice=w["fresh"]).exists(), B),
    Action("change status (API)", _json("post", "/api/practices/transfers/{transfer}/status/",
                                        {"status": "adapting"}),
           lambda w: _status(w) == "adapting", B),
    Action("change status (page)",
           lambda c, w: c.post(f"/practices/transfers/{w['transfer'].uid}/act/",
                               {"what": "status", "status": "piloting"}).status_code,
           lambda w: _status(w) == "piloting", B),
    Action("add evidence (API)", _json("post",
                                       "/api/practices/transfers/{transfer}/evidence/",
                                       EVIDENCE),
           lambda w: TransferIndicator.objects.filter(name="Young visitors").exists(), B),
    Action("add evidence (page)",
           lambda c, w: c.post(f"/practices/transfers/{w['transfer'].uid}/act/",
                               {"what": "evidence", **EVIDENCE}).status_code,
           lambda w: TransferIndicator.objects.filter(name="Young visitors").exists(), B),
    Action("mark transferred (API)",
           _json("post", "/api/practices/transfers/{ready}/status/",
                 {"status": "transferred"}),
           lambda w: Transfer.objects.get(pk=w["ready"].pk).status == "transferred", B),
    Action("edit the plan (API)", _json("patch", "/api/practices/transfers/{transfer}/",
                                        {"plan": "Changed plan"}),
           lambda w: Transfer.objects.get(pk=w["transfer"].pk).plan == "Changed plan", B),
    Action("create a visit (API)", _json("post", "/api/practices/visits/", {
        "title": "Matrix visit", "host": "sliven", "visitors": ["drome"],
        "start": "2025-04-01", "end": "2025-04-02"}),
        lambda w: StudyVisit.objects.filter(title="Matrix visit").exists(),
        PARTNERS | {"superuser"}),
    Action("create a visit (page)",
           lambda c, w: c.post("/practices/visits/new/", {
               "title": "Matrix visit", "host": "sliven", "visitors": ["drome"],
               "start": "2025-04-01", "end": "2025-04-02", "places": "[]"}).status_code,
           lambda w: StudyVisit.objects.filter(title="Matrix visit").exists(),
           PARTNERS | {"superuser"}),
    Action("edit a visit (API)", _json("put", "/api/practices/visits/{visit}/", {
        "title": "Renamed visit", "host": "sliven", "visitors": ["drome"],
        "start": "2025-04-01", "end": "2025-04-03"}),
        lambda w: StudyVisit.objects.filter(title="Renamed visit").exists(),
        PARTNERS | {"superuser"}),
    Action("upload to a practice (API)", _upload("/api/practices/{practice}/attachments/"),
           _attached, A),
    Action("upload to a practice (page)", _upload("/practices/{practice}/attach/"),
           _attached, A),
    Action("upload to a visit (API)", _upload("/api/practices/visits/{visit}/attachments/"),
           _attached, PARTNERS | {"superuser"}),
    Action("delete a practice's attachment (API)",
           lambda c, w: c.delete(f"/api/practices/attachments/{w['item'].uid}/").status_code,
           lambda w: not MediaItem.objects.filter(pk=w["item"].pk).exists(), A),
    Action("delete a practice's attachment (page)",
           lambda c, w: c.post(f"/practices/attachments/{w['item'].uid}/delete/").status_code,
           lambda w: not MediaItem.objects.filter(pk=w["item"].pk).exists(), A),
]


@pytest.fixture
def matrix(world, media_root):
    practice = publish(world, write_practice(world))
    fresh = publish(world, write_practice(world, title="Wine evenings"))
    transfer = transfer_open(user=world.dr_member, practice=practice, partner=None)
    # A transfer with its evidence, ready to be marked transferred.
    other = publish(world, write_practice(world, title="Cycling maps"))
    ready = transfer_open(user=world.dr_member, practice=other, partner=None)
    transfer_evidence_add(user=world.dr_member, transfer=ready, row=EvidenceSpec(
        name="Riders", value_before=10, value_after=20, date_before=dt.date(2024, 1, 1),
        date_after=dt.date(2025, 1, 1)))
    visit = visit_create(user=world.sl_member, spec=VisitSpec(
        title="Drôme in Sliven", host="sliven", visitors=["drome"],
        start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 3)))
    item = attachment_upload(user=world.sl_member, owner=practice, data=pdf(),
                             declared_type="application/pdf", filename="a.pdf",
                             author="Ana", licence="CC-BY-4.0")
    w = {"practice": practice, "fresh": fresh, "transfer": transfer, "ready": ready,
         "visit": visit, "item": item}
    w["uids"] = {k: str(v.uid) for k, v in w.items()}
    return w


def _user(world, role: str):
    return {"tourist": world.outsider, "member_a": world.sl_member,
            "member_b": world.dr_member, "moderator_a": world.sl_moderator,
            "moderator_b": world.dr_moderator, "superuser": world.root,
            "curator": world.curator}.get(role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_does_exactly_what_it_may(world, matrix, role):
    client = Client()
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    forbidden_writes, refused_rightly_allowed, errors = outcomes(client, ACTIONS, matrix, role)
    assert forbidden_writes == []
    assert refused_rightly_allowed == []
    assert errors == []
