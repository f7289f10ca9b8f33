"""A practice's way from draft to published, and what each step keeps."""

from __future__ import annotations

import pytest

from exchange import services
from exchange.models import GoodPractice
from exchange.places import PlaceSpec
from exchange.vocabulary import Status
from geo.errors import Conflict, Forbidden, InvalidFields
from tests.exchange.conftest import publish, write_practice


def test_a_new_practice_is_a_draft_with_a_point_on_each_place(world):
    practice = write_practice(world)
    assert practice.status == Status.DRAFT
    assert practice.geom.num_geom == 2
    museum = practice.geom[0]
    assert (round(museum.x, 5), round(museum.y, 5)) == (26.32, 42.68)
    # The point on the trail lies on the trail.
    assert world.trail.geom.distance(practice.geom[1]) < 1e-9
    # Nobody said which text came first: the first language is taken as the original,
    # the others as needing review.
    assert practice.text_status == {"bg": "original", "en": "review"}
    assert [(e.from_status, e.to_status, e.actor_name) for e in practice.events.all()] == [
        ("", "draft", "sliven-members")]


def test_the_languages_status_is_kept_as_told(world):
    practice = services.practice_create(
        user=world.sl_member, partner=world.sliven,
        values={"title_bg": "Нощ", "title_en": "Night"},
        text_status={"bg": "original", "en": "human"})
    assert practice.text_status == {"bg": "original", "en": "human"}


def test_the_whole_cycle_with_changes_requested_by_another_partner(world):
    practice = write_practice(world)
    services.practice_submit(user=world.sl_member, practice=practice, comment="Ready")
    services.practice_review(user=world.dr_moderator, practice=practice, decision="changes",
                             comment="How many visitors came before the late openings?")
    practice.refresh_from_db()
    assert practice.status == Status.CHANGES_REQUESTED
    services.practice_update(user=world.sl_member, practice=practice,
                             values={"evidence_en": "From 120 to 480 a night."})
    services.practice_submit(user=world.sl_member, practice=practice)
    services.practice_review(user=world.dr_moderator, practice=practice, decision="publish")
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED and practice.published_at is not None
    steps = [(e.from_status, e.to_status, e.partner.slug if e.partner else None, e.comment)
             for e in practice.events.all()]
    assert steps == [
        ("", "draft", "sliven", ""),
        ("draft", "submitted", "sliven", "Ready"),
        ("submitted", "changes_requested", "drome",
         "How many visitors came before the late openings?"),
        ("changes_requested", "submitted", "sliven", ""),
        ("submitted", "published", "drome", ""),
    ]
    services.practice_feature(user=world.curator, practice=practice, featured=True)
    practice.refresh_from_db()
    assert practice.status == Status.FEATURED


def test_a_moderator_never_reviews_their_own_partners_practice(world):
    practice = write_practice(world)
    services.practice_submit(user=world.sl_member, practice=practice)
    with pytest.raises(Forbidden):
        services.practice_review(user=world.sl_moderator, practice=practice,
                                 decision="publish")
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED


def test_changes_and_rejections_say_why(world):
    practice = write_practice(world)
    services.practice_submit(user=world.sl_member, practice=practice)
    with pytest.raises(InvalidFields) as refused:
        services.practice_review(user=world.dr_moderator, practice=practice,
                                 decision="reject", comment=" ")
    assert "comment" in refused.value.fields


def test_a_submitted_practice_is_not_edited_nor_submitted_again(world):
    practice = write_practice(world)
    services.practice_submit(user=world.sl_member, practice=practice)
    with pytest.raises(Forbidden):
        services.practice_update(user=world.sl_member, practice=practice,
                                 values={"title_en": "Changed behind the reviewer's back"})
    with pytest.raises(Conflict):
        services.practice_submit(user=world.sl_member, practice=practice)
    assert GoodPractice.objects.get(pk=practice.pk).title_en == "Night at the museum"


def test_a_practice_without_a_place_is_not_submitted(world):
    practice = services.practice_create(user=world.sl_member, partner=world.sliven,
                                        values={"title_en": "Nowhere", "summary_en": "x"})
    with pytest.raises(InvalidFields) as refused:
        services.practice_submit(user=world.sl_member, practice=practice)
    assert "places" in refused.value.fields


def test_only_a_curator_features(world):
    practice = publish(world, write_practice(world))
    for user in (world.sl_member, world.dr_moderator, world.sl_editor):
        with pytest.raises(Forbidden):
            services.practice_feature(user=user, practice=practice, featured=True)
    assert GoodPractice.objects.get(pk=practice.pk).status == Status.PUBLISHED


def test_a_drawn_place_must_be_a_shape_on_earth(world):
    with pytest.raises(InvalidFields) as refused:
        services.practice_create(user=world.sl_member, partner=world.sliven,
                                 values={"title_en": "Off the map"},
                                 places=[PlaceSpec(geometry='{"type":"Point",'
                                                   '"coordinates":[500, 42]}')])
    assert "places[0]" in refused.value.fields
    assert not GoodPractice.objects.exists()


def test_a_drawn_area_gives_a_point_inside_it(world):
    practice = services.practice_create(
        user=world.sl_member, partner=world.sliven, values={"title_en": "Old town"},
        places=[PlaceSpec(geometry="POLYGON((26.3 42.6, 26.4 42.6, 26.4 42.7, 26.3 42.6))")])
    point = practice.geom[0]
    assert 26.3 < point.x < 26.4 and 42.6 < point.y < 42.7


def test_a_title_in_some_language_is_needed(world):
    with pytest.raises(InvalidFields):
        services.practice_create(user=world.sl_member, partner=world.sliven,
                                 values={"summary_en": "No title"})


def test_a_member_writes_only_for_their_partner(world):
    with pytest.raises(Forbidden):
        services.practice_create(user=world.dr_member, partner=world.sliven,
                                 values={"title_en": "Not mine"})
    assert not GoodPractice.objects.exists()
