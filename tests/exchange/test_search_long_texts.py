"""``q`` finds a practice by its long texts (problem, what was done, lessons), in any
script, as it finds it by its title: the same fold (atlas_latin) for all."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.exchange.conftest import publish, write_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(world):
    return publish(world, write_practice(
        world, problem_bg="Липсваше паркинг за автобуси.",
        actions_en="The town opened a coach park by the museum.",
        lessons_el="Τα λεωφορεία χρειάζονται σκιά."))


@pytest.mark.parametrize("q", ["паркинг", "parking", "coach park", "σκιά", "skia",
                               "λεωφορεία"])
def test_q_finds_a_practice_by_its_long_texts_in_any_script(practice, q):
    body = Client().get("/api/practices/", {"q": q, "f": "json"}).json()
    assert [r["id"] for r in body["results"]] == [str(practice.uid)]


def test_the_practices_page_searches_the_long_texts_too(practice):
    page = Client().get("/practices/", {"q": "parking"}).content.decode()
    assert "Night at the museum" in page


def test_a_word_in_no_text_finds_nothing(practice):
    body = Client().get("/api/practices/", {"q": "submarine", "f": "json"}).json()
    assert body["count"] == 0
