"""Journeys 18: ``q`` finds a practice as the explorer and the routes find theirs
(layers/search_query.py): a typo, another alphabet or transliteration, a word of the
summary, and the closer matches first."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.exchange.conftest import publish, write_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def roses(world):
    """A practice titled in Bulgarian only (its English title says other words)."""
    return publish(world, write_practice(
        world, title="Harvest weekends", title_bg="Фестивал на розата в Казанлък",
        summary_en="Rose pickers guide visitors at dawn."))


@pytest.fixture
def other(world):
    return publish(world, write_practice(world, title="Museum nights",
                                         title_bg="Нощ в музея"))


def found(**params: str) -> list[str]:
    body = Client().get("/api/practices/", {"f": "json", **params}).json()
    return [r["id"] for r in body["results"]]


@pytest.mark.parametrize("q", ["Kazanlk", "Kazanlak", "Казанлък", "Kazanluk", "pickers",
                               "pickes", "festival Kazanlk"])
def test_q_finds_a_practice_by_a_typo_another_alphabet_or_its_summary(roses, other, q):
    assert found(q=q) == [str(roses.uid)]


def test_the_closer_match_comes_first(world):
    # Published first, so the newest-first order alone would put it second.
    exact = publish(world, write_practice(world, title="Town fair", title_bg="Ямбол"))
    near = publish(world, write_practice(world, title="Town fair", title_bg="Ямболски"))
    assert found(q="Jambol") == [str(exact.uid), str(near.uid)]


def test_a_typo_is_looked_for_only_among_what_the_other_filters_keep(roses):
    assert found(q="Kazanlk", partner="drome") == []
    assert found(q="Kazanlk", partner="sliven") == [str(roses.uid)]


def test_the_practices_page_finds_a_typo(roses, other):
    page = Client().get("/practices/", {"q": "Kazanlk"}).content.decode()
    assert "Казанлък" in page or "Harvest weekends" in page
    assert "Museum nights" not in page


def test_bad_parameters_are_still_refused_by_name(roses):
    response = Client().get("/api/practices/", {"q": "Kazanlk", "limt": "3"})
    assert response.status_code == 400
    assert "limt" in response.content.decode()
