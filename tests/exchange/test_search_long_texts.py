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



def test_the_refold_migration_folds_as_the_column_does(practice):
    """exchange 0010 writes again only the practices whose ``search`` no longer equals its
    fold: its expression must be the generated column's, or it would rewrite (and bump the
    data version of) every practice at each migration."""
    from importlib import import_module

    from django.db import connection

    refold = import_module("exchange.migrations.0010_planner_share_label_refold").REFOLD
    with connection.cursor() as cursor:
        cursor.execute(refold)
        assert cursor.rowcount == 0
        cursor.execute(refold.replace("search IS DISTINCT FROM", "search ="))
        assert cursor.rowcount == 1
