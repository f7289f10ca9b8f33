"""HTML pages. Maps are built by maps.builders; data arrives from the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from layers.exceptions import BadParameter
from layers.params import parse_lang
from maps.builders import regional_explorer


@require_GET
def explorer(request: HttpRequest) -> HttpResponse:
    try:
        lang = parse_lang(request)
    except BadParameter:
        lang = "en"
    fmap = regional_explorer(lang=lang)
    fmap.get_root().title = "Regional Tourism Atlas"
    html = fmap.get_root().render()
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    return HttpResponse(html)
