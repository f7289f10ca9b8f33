"""What search engines and social networks read: robots.txt (the sitemaps; what not to
crawl) and the sitemap index and its sections (maps/sitemaps.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from maps.help import HELP_URL

# Pages for signed-in people, forms, and the machine interfaces, whose answers are data
# rather than pages (the API's own documentation is linked from every page).
NOT_CRAWLED = ("/admin/", "/import/", "/api/", "/ogc/", "/tiles/", "/embed/")


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    origin = f"{request.scheme}://{request.get_host()}"
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in NOT_CRAWLED), "",
             f"Sitemap: {origin}{reverse('sitemap-index')}",
             f"Sitemap: {origin}{HELP_URL}sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
