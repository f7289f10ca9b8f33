"""The Content-Security-Policy header, built once and sent only with documents.

django-csp's middleware builds the policy from the settings twice on every answer (the
policy and its report-only twin: a deep copy of the settings' directives, then a join),
about half a millisecond of a tile's few. Browsers apply a policy only to what they render
as a document (HTML, and XML or SVG opened by themselves); a vector tile, a JSON page or a
GeoPackage carried it for nothing. This one sends it with those documents alone, and builds
the settings' policy once per process (again when the settings change, as in tests); a
view's own policy (django-csp's ``_csp_replace``/``_csp_update``, maps/pages/guides.py) is
built for its answer as before.
"""

from __future__ import annotations

import http.client as http_client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a browser may render as a document that runs scripts or loads resources.
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                  "application/xml")
# Stands for the request's nonce in the policy kept: no nonce holds a NUL.
_NONCE_MARK = "\0"
_kept: dict[tuple[bool, bool], str] = {}


def is_document(response: HttpResponseBase) -> bool:
    """Whether a browser could render the answer as a document (an answer without a
    Content-Type counts as one: the browser would sniff it)."""
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return not content_type or content_type in DOCUMENT_TYPES or content_type.endswith("+xml")


def settings_policy(report_only: bool, nonce: str | None) -> str:
    """The settings' policy (or report-only policy), with ``nonce`` in it if any."""
    key = (report_only, nonce is not None)
    policy = _kept.get(key)
    if policy is None:
        policy = _kept[key] = build_policy(
            nonce=_NONCE_MARK if nonce is not None else None, report_only=report_only)
    return policy.replace(_NONCE_MARK, nonce) if nonce is not None else policy


def _forget(*, setting: str, **_: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _kept.clear()


setting_changed.connect(_forget)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, its policy kept and sent with documents only."""

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        debug_page = response.status_code in (http_client.INTERNAL_SERVER_ERROR,
                                              http_client.NOT_FOUND) and settings.DEBUG
        if not debug_page and is_document(response):
            nonce = getattr(request, "_csp_nonce", None)
            for header, report_only, exempt in ((HEADER, False, "_csp_exempt"),
                                                (HEADER_REPORT_ONLY, True, "_csp_exempt_ro")):
                if header in response or getattr(response, exempt, False):
                    continue
                name = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
                prefixes = (getattr(settings, name, None) or {}).get(
                    "EXCLUDE_URL_PREFIXES") or ()
                if prefixes and request.path_info.startswith(tuple(prefixes)):
                    continue
                parts = self.get_policy_parts(request=request, response=response,
                                              report_only=report_only)
                if parts.config is None and parts.update is None and parts.replace is None:
                    policy = settings_policy(report_only, nonce)
                else:
                    policy = build_policy(parts.config, parts.update, parts.replace, nonce,
                                          report_only=report_only)
                if policy:
                    response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, never
        # a nonce that no policy allows.
        if getattr(request, "_csp_nonce", None) is None:
            setattr(request, "csp_nonce",  # noqa: B010
                    CheckableLazyObject(self._csp_nonce_post_response))
        return response
