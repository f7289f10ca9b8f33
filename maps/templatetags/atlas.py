"""Template helpers of the platform's pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The interface languages, each with this page's URL in that language."""
    request = context["request"]
    current = get_language() or "en"
    links = []
    for code, _name in settings.LANGUAGES:
        query = request.GET.copy()
        query["lang"] = code
        info = get_language_info(code)
        links.append({"code": code, "name": info["name_local"][:1].upper() + info["name_local"][1:],
                      "current": code == current,
                      "url": f"{request.path}?{query.urlencode()}"})
    return links
