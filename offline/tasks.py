"""The background worker's share: making a route pack too big to make in a request
(auto-discovered by procrastinate's Django app, as importers/tasks.py)."""

from __future__ import annotations

from datetime import date

from procrastinate.contrib.django import app

from offline.pack import PackSpec, route_pack_build

TASK = "offline.route_pack"
QUEUE = "offline"


@app.task(name=TASK, queue=QUEUE)
def route_pack(*, slug: str, days: list[str], site_url: str) -> None:
    spec = PackSpec(slug=slug, days=tuple(date.fromisoformat(d) for d in days))
    try:
        route_pack_build(spec, site_url=site_url)
    except LookupError:  # the route was withdrawn meanwhile: nothing to make
        return
