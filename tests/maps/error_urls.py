"""The site's URLs, the site's error handlers, and views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("secret detail of a failure: psycopg.OperationalError at line 42")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("the request's headers disagree")


urlpatterns = [
    *(path(f"{prefix}boom/", boom) for prefix in ("", "api/", "ogc/", "tiles/")),
    *(path(f"{prefix}forbidden/", forbidden) for prefix in ("", "api/", "ogc/")),
    *(path(f"{prefix}suspicious/", suspicious) for prefix in ("", "api/")),
    *site_patterns,
]
