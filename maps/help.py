"""Which part of the guides (/help/) explains which page: the one map from a page to its
guide section, read by the help button of the site shell and by the tests.

The guides are the MkDocs site built from docs/ (mkdocs.yml, decision 0010) into
``settings.ATLAS_HELP_ROOT`` and served at /help/. A section's anchor is an explicit
``{#id}`` in the guide's source, the same in every language, so one entry serves all four.

A new page adds one line to ``HELP_TOPICS`` (its URL name → ``guide#anchor``) and writes the
section in each language's guide.
"""

from __future__ import annotations

from django.conf import settings

# URL name (as ``request.resolver_match.view_name``) → "guides/<guide>/#<anchor>".
HELP_TOPICS: dict[str, str] = {
    "explorer": "guides/tourist/#explorer",
    "embed": "guides/tourist/#explorer",
    "attraction-page": "guides/tourist/#search",
    "trail-page": "guides/tourist/#search",
    "route-list": "guides/tourist/#routes",
    "route-page": "guides/tourist/#route-page",
    "route-embed": "guides/tourist/#route-page",
    "offline-page": "guides/tourist/#offline",
    "route-editor": "guides/editor/#routes",
    "layer-list": "guides/gis/#layer-page",
    "layer-page": "guides/gis/#layer-page",
    "planner": "guides/planner/#planner",
    "planner-tables": "guides/planner/#compare",
    "planner-report": "guides/planner/#report",
    "imports:upload": "guides/editor/#import",
    "imports:preview": "guides/editor/#preview",
    "imports:report": "guides/editor/#undo",
    "practice-list": "guides/tourist/#practices",
    "practice-page": "guides/tourist/#practices",
    "practice-new": "guides/editor/#practice-write",
    "practice-edit": "guides/editor/#practice-write",
    "practice-queue": "guides/moderator/#review",
    "exchange-moderation": "guides/moderator/#review",
    "transfer-list": "guides/editor/#transfer",
    "transfer-page": "guides/editor/#transfer",
    "transfer-start": "guides/editor/#transfer",
    "visit-list": "guides/editor/#visits",
    "visit-page": "guides/editor/#visits",
    "visit-new": "guides/editor/#visits",
    "visit-edit": "guides/editor/#visits",
    "strategy-list": "guides/planner/#strategy",
    "strategy-page": "guides/planner/#strategy",
    "strategy-indicator": "guides/planner/#strategy-values",
    "service-page": "guides/tourist/#services",
    "actor-sign-up": "guides/actor/#sign-up",
    "actor-sign-in": "guides/actor/#sign-up",
    "actor-dashboard": "guides/actor/#follow",
    "actor-profile": "guides/actor/#profile",
    "actor-submission-new": "guides/actor/#submit",
    "actor-submission-edit": "guides/actor/#follow",
    "actor-submission": "guides/actor/#follow",
    "actor-listing-change": "guides/actor/#change",
    "actor-attraction-change": "guides/actor/#claim",
    "actor-queue": "guides/moderator/#listings",
    "training-report": "guides/moderator/#training",
    "announcement-list": "users/campaigns/#announcements",
    "announcement-page": "users/campaigns/#announcements",
    "announcement-manage": "users/campaigns/#who",
    "announcement-new": "users/campaigns/#announcements",
    "announcement-edit": "users/campaigns/#announcements",
    # The OGC API's pages (maps/pages/ogc.py), answered at the API's own addresses.
    **dict.fromkeys(("ogc-landing", "ogc-conformance", "ogc-collections", "ogc-collection",
                     "ogc-items", "ogc-item"), "guides/gis/#ogc-pages"),
}

HELP_URL = "/help/"
# The guides' source language sits at the site's root; the others under /help/<code>/.
DEFAULT_LANGUAGE = "en"


def guide_url(topic: str, lang: str) -> str:
    """The address of a guide section (``"guides/editor/#crs"``; ``""`` for the help's
    home) in ``lang``."""
    codes = {code for code, _name in settings.LANGUAGES}
    prefix = "" if lang == DEFAULT_LANGUAGE or lang not in codes else f"{lang}/"
    return f"{HELP_URL}{prefix}{topic}"


def help_url(view_name: str | None, lang: str) -> str:
    """The address of the guide section for the page named ``view_name``, in ``lang``
    (the help's home when no section explains the page)."""
    return guide_url(HELP_TOPICS.get(view_name or "", ""), lang)
