"""The explorer's test region (two Bulgarian partners, their sights and trails) and the
steps every explorer test takes: open the page, find a marker, wait for the map to settle."""

from __future__ import annotations

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

# Zoom 9 over both Bulgarian partners: every test feature apart, none clustered.
OVERVIEW = "map=9/42.55/25.95"
MARKERS = ".leaflet-marker-pane .atlas-marker"


def region():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), name_bg="Стара Загора",
                      name_el="Στάρα Ζαγκόρα", name_fr="Stara Zagora", name_en="Stara Zagora")
    sliven = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9), name_bg="Сливен",
                          name_en="Sliven")
    sights = make_layer(sz)
    make_attraction(sights, 25.6257, 42.4258, name_bg="Античен форум „Августа Траяна“",
                    name_en="Augusta Traiana forum", name_fr="Forum d’Augusta Traiana",
                    description_bg="Руини на римския форум в центъра на града.",
                    description_en="Remains of the Roman forum in the centre of the town.",
                    category="archaeological_site")
    make_attraction(sights, 25.75, 42.60, name_bg="Регионален исторически музей",
                    name_en="Stara Zagora Regional History Museum", category="museum")
    make_attraction(make_layer(sliven), 26.32, 42.68, name_bg="Сините камъни",
                    name_en="Blue Rocks", category="rock")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.40, 42.30, 200.0), (25.45, 42.35, 260.0), (25.50, 42.40, 330.0)],
               name_bg="Пътека", name_en="Path", activity="hiking", difficulty="hard")
    make_trail(make_layer(sliven, kind=LayerKind.TRAILS),
               [(26.10, 42.60), (26.20, 42.65), (26.30, 42.70)],
               name_en="Cycle way", activity="cycling", difficulty="easy")
    return sz, sliven


def open_explorer(page, live_server, query: str = OVERVIEW, ready: str = MARKERS) -> None:
    page.goto(f"{live_server.url}/?{query}")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    if ready:
        page.wait_for_selector(ready, timeout=5_000)


def find_marker(page, name: str):
    return page.locator(f"{MARKERS}[title='{name}']")


def settle(page) -> None:
    """Until the explorer has drawn every cell it asked for (it counts them: data-pending)."""
    page.wait_for_timeout(100)
    page.wait_for_selector(".folium-map[data-pending='0']", state="attached", timeout=10_000)
