"""The exchange's moderation by partners' moderators, as a matrix: every role tries every
action through the real pages; each action in a savepoint rolled back afterwards. Forbidden
writes, wrongful refusals and answers of 500 or more: all zero.

The world: a published Sliven practice; Drôme's member asked a question on it and endorsed
it ("we plan to apply it"); a second question and a "useful" endorsement of Drôme's are
already hidden. Who moderates them: Sliven's moderators (the practice's partner), Drôme's
(in whose name they were written), a superuser; not Larissa's, nor anyone else.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from exchange import moderation, services
from exchange.models import Endorsement, Question
from exchange.places import PlaceSpec
from notices.models import Notice
from tests.exchange.conftest import publish, write_practice
from tests.exchange.matrix import Action, outcomes
from tests.factories import make_partner, make_person

ROLES = ("anonymous", "outsider", "member_own", "member_other", "moderator_own",
         "moderator_other", "moderator_third", "editor", "superuser", "curator")
MODERATE = frozenset({"moderator_own", "moderator_other", "superuser"})


def _post(url: str, data: dict) -> Callable[[Client, dict], int]:
    return lambda c, w: c.post(url.format(**w["ids"]), data).status_code


def _post_json(url: str, body: dict) -> Callable[[Client, dict], int]:
    return lambda c, w: c.post(url.format(**w["ids"]), json.dumps(body),
                               content_type="application/json").status_code


def _shows(url: str, needle: str) -> Callable[[Client, dict], int]:
    def run(c: Client, w: dict) -> int:
        # Shown only when the answer is the page with it (a sign-in redirect shows nothing).
        response = c.get(url.format(**w["ids"]))
        if response.status_code in (200, 302) and needle not in response.content.decode():
            return 404
        return response.status_code
    return run


def _hidden(model: type, key: str) -> Callable[[dict], bool]:
    return lambda w: model.objects.get(pk=w[key].pk).hidden_at is not None


ACTIONS = [
    Action("see the moderation page with the question",
           _shows("/practices/moderation/", "How many guides?"), lambda w: True, MODERATE),
    Action("see a hidden question on the practice page",
           _shows("/practices/{practice}/", "Buy cheap watches"), lambda w: True, MODERATE),
    Action("hide a question",
           _post("/practices/moderation/questions/{question}/",
                 {"action": "hide", "reason": "Off topic"}),
           _hidden(Question, "question"), MODERATE),
    Action("show a hidden question again",
           _post("/practices/moderation/questions/{hidden_question}/", {"action": "show"}),
           lambda w: not _hidden(Question, "hidden_question")(w), MODERATE),
    Action("hide an endorsement",
           _post("/practices/moderation/endorsements/{endorsement}/",
                 {"action": "hide", "reason": "Not Drôme's plan"}),
           _hidden(Endorsement, "endorsement"), MODERATE),
    Action("hide a question (API)",
           _post_json("/api/practices/questions/{question}/visibility/",
                      {"hidden": True, "reason": "Off topic"}),
           _hidden(Question, "question"), MODERATE),
    Action("show a hidden endorsement again (API)",
           _post_json("/api/practices/endorsements/{hidden_endorsement}/visibility/",
                      {"hidden": False}),
           lambda w: not _hidden(Endorsement, "hidden_endorsement")(w), MODERATE),
    Action("show a hidden endorsement again",
           _post("/practices/moderation/endorsements/{hidden_endorsement}/",
                 {"action": "show"}),
           lambda w: not _hidden(Endorsement, "hidden_endorsement")(w), MODERATE),
]


@pytest.fixture
def moderated(world):
    practice = publish(world, write_practice(world, title="Published one"))
    question = services.question_ask(user=world.dr_member, practice=practice,
                                     text="How many guides?")
    spam = services.question_ask(user=world.dr_member, practice=practice,
                                 text="Buy cheap watches")
    services.endorsement_set(user=world.dr_member, practice=practice, kind="plan")
    services.endorsement_set(user=world.dr_member, practice=practice, kind="useful")
    endorsement = Endorsement.objects.get(kind="plan")
    hidden_endorsement = Endorsement.objects.get(kind="useful")
    moderation.item_hide(user=world.sl_moderator, item=spam, hidden=True, reason="Spam")
    moderation.item_hide(user=world.sl_moderator, item=hidden_endorsement, hidden=True,
                         reason="Twice")
    larissa = make_partner("larissa", bbox=(22.0, 39.4, 22.9, 40.0), country="GR")
    w = {"practice": practice, "question": question, "hidden_question": spam,
         "endorsement": endorsement, "hidden_endorsement": hidden_endorsement,
         "third": make_person(larissa, "moderators")}
    w["ids"] = {"practice": practice.uid, "question": question.pk,
                "hidden_question": spam.pk, "endorsement": endorsement.pk,
                "hidden_endorsement": hidden_endorsement.pk}
    return w


def _user(world, w, role: str):
    return {"outsider": world.outsider, "member_own": world.sl_member,
            "member_other": world.dr_member, "moderator_own": world.sl_moderator,
            "moderator_other": world.dr_moderator, "moderator_third": w["third"],
            "editor": world.sl_editor, "superuser": world.root,
            "curator": world.curator}.get(role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_moderates_exactly_what_it_may(world, moderated, role):
    client = Client()
    user = _user(world, moderated, role)
    if user is not None:
        client.force_login(user)
    forbidden_writes, refused_rightly_allowed, errors = outcomes(client, ACTIONS, moderated, role)
    assert forbidden_writes == []
    assert refused_rightly_allowed == []
    assert errors == []


def test_a_hidden_message_and_its_answers_leave_the_page_and_the_api_for_the_others(
        world, moderated):
    practice, question = moderated["practice"], moderated["question"]
    services.question_ask(user=world.sl_member, practice=practice, parent=question,
                          text="Three, in summer.")
    reader = Client()
    reader.force_login(world.dr_member)
    assert "Three, in summer." in reader.get(f"/practices/{practice.uid}/").content.decode()
    moderation.item_hide(user=world.dr_moderator, item=question, hidden=True,
                         reason="Asked twice")
    page = reader.get(f"/practices/{practice.uid}/").content.decode()
    assert "How many guides?" not in page and "Three, in summer." not in page
    body = reader.get(f"/api/practices/{practice.uid}/").json()["properties"]
    assert body["questions"] == [] and body["questions_count"] == 1  # the answer's
    assert body["endorsements"]["plan"]["count"] == 1
    assert body["endorsements"]["useful"] == {"count": 0, "partners": []}
    # Its writer is told why; nobody answers what is hidden.
    assert Notice.objects.filter(user=world.dr_member,
                                 values__reason="Asked twice").exists()
    refused = reader.post(f"/practices/{practice.uid}/ask/",
                          {"text": "Still?", "parent": question.pk})
    assert refused.status_code == 400
    # The moderator sees it, marked, with who hid it and why, and may show it again.
    moderator = Client()
    moderator.force_login(world.sl_moderator)
    page = moderator.get(f"/practices/{practice.uid}/?lang=en").content.decode()
    assert "How many guides?" in page and "hidden-item" in page
    assert f"Hidden by {world.dr_moderator.username}" in page and "Asked twice" in page


def test_the_api_names_the_field_it_refuses(world, moderated):
    client = Client()
    client.force_login(world.dr_moderator)
    url = f"/api/practices/questions/{moderated['question'].pk}/visibility/?lang=fr"
    answer = client.post(url, json.dumps({"hidden": "yes"}), content_type="application/json")
    assert answer.status_code == 400 and "hidden" in answer.json()["fields"]
    answer = client.post(url, json.dumps({"hidden": True}), content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["fields"]["reason"] == ["Dites pourquoi il est masqué : son auteur "
                                                 "en est averti."]
    answer = client.post(url, json.dumps({"hidden": True, "reason": "Doublon"}),
                         content_type="application/json")
    assert answer.json() == {"id": moderated["question"].pk, "hidden": True,
                             "hidden_by": world.dr_moderator.username, "reason": "Doublon"}
    assert client.post("/api/practices/questions/999999/visibility/", "{}",
                       content_type="application/json").status_code == 404


def test_hiding_needs_a_reason_in_the_readers_language(world, moderated):
    client = Client()
    client.force_login(world.sl_moderator)
    response = client.post(f"/practices/moderation/questions/{moderated['question'].pk}/"
                           "?lang=fr", {"action": "hide", "reason": "  "},
                           HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Dites pourquoi" in response.content.decode()
    assert Question.objects.get(pk=moderated["question"].pk).hidden_at is None


def test_the_moderation_page_lists_the_partners_practices_transfers_and_visits(
        world, moderated):
    import datetime as dt

    from exchange.transfers import transfer_open
    from exchange.visits import VisitSpec, visit_create

    draft = write_practice(world, title="Still a draft")
    transfer_open(user=world.dr_member, practice=moderated["practice"], partner=None,
                  plan="Try it")
    visit_create(user=world.sl_member, spec=VisitSpec(
        title="Drôme comes to Sliven", host="sliven", visitors=["drome"],
        start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 6)))
    client = Client()
    client.force_login(world.sl_moderator)
    page = client.get("/practices/moderation/?lang=en").content.decode()
    assert draft.title_en in page and "Published one" in page
    assert page.count('class="m-transfer"') == 1 and "Drôme comes to Sliven" in page
    # Larissa's moderator moderates none of it.
    client.force_login(moderated["third"])
    page = client.get("/practices/moderation/?lang=en").content.decode()
    assert "Still a draft" not in page and 'class="m-transfer"' not in page
    assert "How many guides?" not in page


def test_a_training_sandbox_moderates_its_own_exchange_only(world, moderated):
    sandbox = make_partner("training", bbox=(24.0, 42.0, 24.1, 42.1), name_en="Training",
                           sandbox=True)
    trainer = make_person(sandbox, "moderators")
    trainee = make_person(sandbox, "members")
    client = Client()
    client.force_login(trainer)
    # A real partner's discussion is none of the sandbox's business…
    refused = client.post(f"/practices/moderation/questions/{moderated['question'].pk}/",
                          {"action": "hide", "reason": "Trying"})
    assert refused.status_code == 403
    assert Question.objects.get(pk=moderated["question"].pk).hidden_at is None
    page = client.get("/practices/moderation/?lang=en").content.decode()
    assert "How many guides?" not in page and "Published one" not in page
    # …its own is.
    practice = services.practice_create(
        user=trainee, partner=sandbox, values={"title_en": "Trainee's practice",
                                               "summary_en": "Practice run."},
        places=[PlaceSpec(attraction=str(world.museum.uid))])
    services.practice_submit(user=trainee, practice=practice)
    practice = services.practice_review(user=trainer, practice=practice, decision="publish")
    asked = services.question_ask(user=trainee, practice=practice, text="Trainee asks")
    hidden = client.post(f"/practices/moderation/questions/{asked.pk}/",
                         {"action": "hide", "reason": "Practice run"})
    assert hidden.status_code == 302
    assert Question.objects.get(pk=asked.pk).hidden_at is not None
    # And a real partner's moderator does not moderate the sandbox.
    assert not moderation.may_hide(world.sl_moderator, asked)


def test_the_history_shows_the_day_and_the_time_apart(world, moderated):
    import re

    client = Client()
    client.force_login(world.sl_member)
    page = client.get(f"/practices/{moderated['practice'].uid}/?lang=en").content.decode()
    times = re.findall(r'<time datetime="[^"]+">([^<]+)</time> — ', page)
    assert times and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", t) for t in times)
