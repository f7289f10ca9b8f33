"""The exchange between partners on a published practice: threaded questions and answers,
endorsements by other partners, and who is told (in the app and by e-mail)."""

from __future__ import annotations

import pytest

from exchange import services
from exchange.models import Endorsement
from geo.errors import Forbidden
from notices.selectors import notices_for, unread_count
from tests.exchange.conftest import publish, write_practice
from tests.notices.conftest import smtp_inbox  # noqa: F401  (the fixture)


def test_questions_and_answers_are_threaded_and_tell_the_people_in_them(world, client):
    practice = publish(world, write_practice(world))
    before = unread_count(world.sl_member)
    question = services.question_ask(user=world.dr_member, practice=practice,
                                      text="Which months did it run?")
    assert question.partner.slug == "drome"
    assert unread_count(world.sl_member) == before + 1
    answer = services.question_ask(user=world.sl_member, practice=practice,
                                    text="May to September.", parent=question)
    assert answer.partner.slug == "sliven"
    assert unread_count(world.dr_member) == 1
    client.force_login(world.dr_moderator)
    body = client.get(f"/api/practices/{practice.uid}/").json()["properties"]
    thread = body["questions"]
    assert [(q["text"], [r["text"] for r in q["replies"]]) for q in thread] == [
        ("Which months did it run?", ["May to September."])]
    page = client.get(f"/practices/{practice.uid}/").content.decode()
    assert page.index("Which months did it run?") < page.index("May to September.")


def test_a_visitor_sees_that_partners_talk_but_not_what_they_say(world, client):
    practice = publish(world, write_practice(world))
    services.question_ask(user=world.dr_member, practice=practice, text="Private to partners")
    body = client.get(f"/api/practices/{practice.uid}/").json()["properties"]
    assert body["questions"] is None and body["questions_count"] == 1
    assert "Private to partners" not in client.get(f"/practices/{practice.uid}/").content.decode()


def test_endorsements_are_counted_per_partner_and_kind(world, client):
    practice = publish(world, write_practice(world))
    assert services.endorsement_set(user=world.dr_member, practice=practice, kind="useful")
    assert not services.endorsement_set(user=world.dr_moderator, practice=practice,
                                         kind="useful")  # Drôme has said it already
    services.endorsement_set(user=world.dr_member, practice=practice, kind="applied")
    body = client.get(f"/api/practices/{practice.uid}/").json()["properties"]
    assert body["endorsements"]["useful"] == {"count": 1, "partners": ["drome"]}
    assert body["endorsements"]["applied"]["count"] == 1
    assert body["endorsements"]["plan"]["count"] == 0
    with pytest.raises(Forbidden):
        services.endorsement_set(user=world.sl_member, practice=practice, kind="useful")
    services.endorsement_set(user=world.dr_member, practice=practice, kind="applied", on=False)
    assert Endorsement.objects.filter(kind="applied").count() == 0


def test_submitting_tells_other_partners_moderators_by_mail(
        world, smtp_inbox, django_capture_on_commit_callbacks):  # noqa: F811
    practice = write_practice(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(user=world.sl_member, practice=practice)
    assert [to for to, _mail in smtp_inbox.messages] == [["drome-moderators@example.org"]]
    assert "Night at the museum" in smtp_inbox.messages[0][1]["Subject"]
    assert unread_count(world.sl_moderator) == 0  # not their own partner's to review
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_review(user=world.dr_moderator, practice=practice,
                                 decision="changes", comment="More figures, please.")
    assert smtp_inbox.messages[-1][0] == ["sliven-members@example.org"]
    notice = notices_for(world.sl_member)[0]
    assert notice.url == f"/practices/{practice.uid}/"
    assert "Changes are asked for" in notice.text()


def test_the_notices_page_lists_and_marks_read(world, client):
    practice = publish(world, write_practice(world))
    client.force_login(world.sl_member)
    page = client.get("/notices/?lang=en").content.decode()
    assert "Your good practice is published: Night at the museum" in page
    assert f"/practices/{practice.uid}/" in page
    client.post("/notices/")
    assert unread_count(world.sl_member) == 0


def test_asking_and_endorsing_by_the_api(world, client):
    import json

    practice = publish(world, write_practice(world))
    client.force_login(world.dr_member)
    asked = client.post(f"/api/practices/{practice.uid}/questions/",
                        json.dumps({"text": "Budget?"}), content_type="application/json")
    assert asked.status_code == 201 and asked.json()["partner"] == "drome"
    bad = client.post(f"/api/practices/{practice.uid}/questions/",
                      json.dumps({"text": "x", "parent": 999999}),
                      content_type="application/json")
    assert bad.status_code == 400 and "parent" in bad.json()["fields"]
    endorsed = client.post(f"/api/practices/{practice.uid}/endorsements/",
                           json.dumps({"kind": "plan"}), content_type="application/json")
    assert endorsed.json()["plan"] == {"count": 1, "partners": ["drome"]}
    wrong = client.post(f"/api/practices/{practice.uid}/endorsements/",
                        json.dumps({"kind": "love"}), content_type="application/json")
    assert wrong.status_code == 400 and "kind" in wrong.json()["fields"]
    client.force_login(world.sl_member)
    own = client.post(f"/api/practices/{practice.uid}/endorsements/",
                      json.dumps({"kind": "useful"}), content_type="application/json")
    assert own.status_code == 403
