"""An attraction's visiting hours (geo.schedule): open now, when that changes, the week,
with its partner's country's public holidays and its season months. Read by
``/api/attractions/<uid>/hours/`` (the explorer's popup) and the attraction's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.http import QueryDict
from rest_framework.response import Response

from geo.params import parse_day, parse_lang, refuse_unknown, single
from geo.schedule import Schedule
from layers.models import Attraction
from layers.permissions import unpublished_layer_ids
from layers.vocabulary import Visibility


def attraction_schedule(attraction: Attraction) -> Schedule:
    """What the attraction's hours depend on: hours, its partner's country, its season."""
    return Schedule(opening_hours=attraction.opening_hours,
                    country=attraction.layer.partner.country,
                    season_months=tuple(attraction.season_months or ()))


def attraction_seen(uid: str, user: User | AnonymousUser) -> Attraction | None:
    """The attraction ``uid`` if ``user`` may see it (a public layer's, or a layer not yet
    public that they see), not retired; None otherwise."""
    return (Attraction.objects.select_related("layer__partner")
            .filter(uid=uid, retired_at__isnull=True)
            .filter(Q(layer__visibility=Visibility.PUBLIC)
                    | Q(layer_id__in=unpublished_layer_ids(user)))
            .first())


def hours_day(query: QueryDict) -> dt.date | None:
    """The day an hours request asks about (``on``), none for today; ``lang`` checked too
    (the middleware made it the active language), anything else refused."""
    refuse_unknown(query, {"lang", "on"})
    parse_lang(query)
    return parse_day("on", single(query, "on"))


def hours_response(answer: dict[str, Any]) -> Response:
    response = Response(answer)
    # "Open now" is true for a moment: a kept copy would soon say something false.
    response["Cache-Control"] = "no-cache"
    return response
