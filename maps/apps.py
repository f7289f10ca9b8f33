from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = "Maps"

    def ready(self) -> None:
        # The OGC API (layers) answers browsers with the site's pages, which it may not
        # import: the site registers them. Registered through thin wrappers so that the
        # pages' module (folium, the explorer's builders) loads with the first page drawn,
        # not with every process: a management command would pay ~0.5 s of CPU for it.
        from layers.ogc.html import Pages, register_pages

        register_pages(Pages(render=_render_ogc_page, guide=_ogc_guide))


def _render_ogc_page(request: HttpRequest, page: str, data: dict[str, Any]) -> HttpResponse:
    from maps.pages.ogc import render

    return render(request, page, data)


def _ogc_guide(lang: str) -> str:
    from maps.pages.ogc import guide

    return guide(lang)
