"""Every route of the URL conf that may write is tried by a permission matrix — the
whole platform's (test_matrix.py) or a part's own — or is exempted here with the reason.
A new view that takes POST, PUT, PATCH or DELETE (or whose methods cannot be told) and is
in none of them fails this test, which names it.

What may write is read from the views themselves: a REST framework view's handlers (a
viewset's actions), a class-based view's methods, a function's
``require_http_methods`` list (``require_POST``, ``require_safe``) or
``geo.http.read_only``; a function that says nothing may take any method, and counts.
The admin counts by model: ``admin:<app>_<model>`` stands for its list, add, change,
delete and history pages.

A part's matrix is credited with a route when its text asks for the route's path (its
converters matched by whatever the test puts there: ``{uid}``, ``{w.draft.uid}``, a
slug), so that a credit cannot outlive the test that earned it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.views.decorators.http import require_POST, require_safe

from geo.http import read_only
from tests.permissions.test_matrix import ACTIONS

WRITES = frozenset({"post", "put", "patch", "delete"})
ADMIN_PAGES = ("add", "change", "changelist", "delete", "history")
ADMIN_RESTORE_PAGES = ("deleted", "recreate", "restore")

PART_MATRICES: dict[str, tuple[str, ...]] = {
    "tests/routes/test_permission_matrix.py": (
        "routes", "route-preview", "route-detail", "route-composition", "route-new",
        "route-settings", "route-delete", "admin:routes_pilotroute"),
    "tests/accounts/test_permission_matrix.py": (
        "import-create", "import-undo", "import-detail", "tokens", "token-detail"),
    "tests/exchange/test_permission_matrix.py": (
        "practices", "practice-detail", "practice-action", "practice-act", "practice-new",
        "practice-ask", "practice-endorse"),
    "tests/exchange/test_transfer_permissions.py": (
        "practice-transfers", "transfer-start", "transfer-detail", "transfer-status",
        "transfer-act", "transfer-evidence", "visits", "visit-new", "visit-detail",
        "visit-attachments", "practice-attachments", "practice-attach", "attachment-detail",
        "attachment-delete"),
    "tests/exchange/test_moderation.py": ("question-moderate", "endorsement-moderate",
                                          "question-visibility", "endorsement-visibility"),
    "tests/exchange/test_strategy_permissions.py": (
        "strategy-indicator-add", "strategy-indicator", "strategy-indicator-delete",
        "coverage-indicators", "coverage-indicator"),
    "tests/actors/test_permissions.py": (
        "actor-sign-up", "actor-submission-new", "actor-submissions",
        "actor-submission-edit", "actor-submission-detail", "actor-submission-act",
        "actor-submission-submit", "actor-submission", "actor-claim", "actor-withdraw",
        "actor-queue", "actor-verify"),
    "tests/campaigns/test_permission_matrix.py": (
        "announcement-new", "announcements", "announcement-edit", "announcement-detail",
        "announcement-act", "announcement-action", "route-feature"),
    "tests/layers/test_publishing.py": ("layer-publication", "layer-publication-page"),
    "tests/training/test_records_and_report.py": ("training-tour-done",
                                                  "training-tour-done-by-visitor"),
    "tests/actors/test_listing_import.py": ("admin:actors_listing_import",),
    "tests/layers/test_metadata_admin.py": ("admin:layers_layermetadata",),
    "tests/exchange/test_admin.py": ("admin:exchange_transfer", "admin:exchange_studyvisit"),
    # Roles tried apart from a matrix of their own: an actor's own pages (signed-out and
    # other actors refused), an import run's pages (another partner's editor refused,
    # Trust D1), the practices' questions and endorsements through the API, restoring
    # what was deleted (another partner's neither listed nor restored).
    "tests/actors/test_submissions.py": (
        "actor-dashboard", "actor-profile", "actor-listing-change", "actor-attraction-change",
        "actor-submission-photo"),
    "tests/importers/test_run_ownership.py": ("imports:report", "imports:undo"),
    "tests/importers/test_jobs.py": ("import-cancel", "imports:cancel", "imports:state"),
    "tests/exchange/test_between_partners.py": (
        "practice-questions", "practice-endorsements", "notices"),
    "tests/audit/test_restore_deleted.py": (
        "admin:layers_attraction restore", "admin:layers_layer restore",
        "admin:layers_partner restore", "admin:routes_pilotroute restore"),
}
"""Each part's matrix (or the module that tries a route's roles) and the routes it tries."""

EXEMPT: dict[str, str] = {
    "(unnamed) favicon.ico": "a redirect to the static icon: reads and writes nothing",
    "admin:index": "the admin's own page: lists what the models' admins allow (tried above)",
    "admin:app_list": "the admin's own page: lists what the models' admins allow",
    "admin:login": "signing in: django-axes' lockout (tests/accounts/test_signin_lockout.py)",
    "admin:logout": "signing out: one's own session only",
    "admin:password_change": "one's own password only (Django's view)",
    "admin:password_change_done": "a page after one's own password change",
    "admin:jsi18n": "the admin's JavaScript catalogue: reads nothing of anyone's",
    "admin:autocomplete": "answers only for a model admin the user may view (Django checks "
                          "the field's admin): reads, never writes",
    "admin:view_on_site": "a redirect to an object's public page: writes nothing",
    "admin:layers_trail restore": "the same audit mixin as the attraction's, layer's and "
                                  "route's (audit/admin.py), tried in "
                                  "tests/audit/test_restore_deleted.py",
    "sign-in": "signing in: django-axes' lockout (tests/accounts/test_signin_lockout.py)",
    "actor-sign-in": "signing in: django-axes' lockout (tests/accounts/test_signin_lockout.py)",
    "actor-verify-again": "sends the signed-in actor their own verification e-mail again",
    "imports:preview": "an upload's preview is found in its uploader's own session (another "
                       "session gets 403) and its partner checked again against the user's "
                       "editable partners; the upload itself is in the matrix",
    "imports:preview-state": "the preview's state, found in the uploader's session the same way",
    "route-editor": "the route editor's page (GET); it writes through the composition API "
                    "(tests/routes/test_permission_matrix.py; tests/routes/test_editor_access.py "
                    "tries who opens it)",
    "practice-queue": "the review queue's page: lists what exchange.rules lets the reader "
                      "review (GET)",
    "visit-edit": "the study visit's form; it writes through the same service as the API's "
                  "visit-detail (exchange.visits.visit_update), tried in "
                  "tests/exchange/test_transfer_permissions.py",
    "visit-attach": "the visit page's upload; the same service as the API's visit-attachments "
                    "(exchange.attachments.attachment_upload), tried in "
                    "tests/exchange/test_transfer_permissions.py",
    "practice-feed": "an Atom feed of published practices: reads only",
    "announcement-feed": "an Atom feed of shown announcements: reads only",
    "sitemap-index": "the sitemap: public pages only, reads only",
    "sitemap-section": "the sitemap: public pages only, reads only",
}
"""Routes no matrix tries, each with the reason."""


def _methods(callback: Callable[..., Any]) -> set[str]:
    """The writing methods a view may take ({"?"}: it does not say)."""
    cls = getattr(callback, "cls", None)
    if cls is not None:  # the REST framework
        actions = getattr(callback, "actions", None)
        return set(actions) & WRITES if actions else {m for m in WRITES if hasattr(cls, m)}
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m for m in WRITES if hasattr(view_class, m)}
    f: Any = callback
    while f is not None:
        code = getattr(f, "__code__", None)
        if code is not None and code in read_only.__code__.co_consts:
            return set()
        if code is not None and "request_method_list" in code.co_freevars:
            cell = f.__closure__[code.co_freevars.index("request_method_list")]
            return {m.lower() for m in cell.cell_contents} & WRITES
        f = getattr(f, "__wrapped__", None)
    return {"?"}


def _patterns(patterns: list, prefix: str = "", namespace: str = ""
              ) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = namespace + p.name if p.name else f"(unnamed) {prefix}{p.pattern}"
            yield prefix + str(p.pattern), name, p.callback


def _key(name: str) -> str:
    """A route's name; an admin model page's, its model's (``admin:layers_layer``)."""
    if name.startswith("(unnamed) admin/"):
        return "admin:view_on_site"  # an object's old URL, redirected to its change page
    if name.startswith("admin:") and name.count("_") >= 2:
        for page in ADMIN_PAGES:
            if name.endswith("_" + page):
                return name[: -len(page) - 1]
        for page in ADMIN_RESTORE_PAGES:
            if name.endswith("_" + page):
                return name[: -len(page) - 1] + " restore"
    return name


def writing_routes() -> dict[str, list[str]]:
    """Each writing route's key and its paths (an admin model's pages under one key, its
    restore pages under another)."""
    found: dict[str, list[str]] = {}
    for route, name, callback in _patterns(get_resolver().url_patterns):
        if _methods(callback):
            found.setdefault(_key(name), []).append(route)
    return found


def _asked_in(text: str, route: str) -> bool:
    literal = re.split(r"(<[^>]+>)", route.lstrip("^").rstrip("$"))
    pattern = "".join(r"(?:\{[^}]*\}|[^/\"'\s{}]+)" if part.startswith("<")
                      else re.escape(part) for part in literal)
    return re.search("/" + pattern, text) is not None


def test_every_writing_route_is_in_a_matrix_or_exempted_with_a_reason():
    routes = writing_routes()
    covered = {a.url_name for a in ACTIONS}
    credited: dict[str, str] = {}
    for module, names in PART_MATRICES.items():
        for name in names:
            credited[name] = module
    missing = sorted(set(routes) - covered - set(credited) - set(EXEMPT))
    assert missing == [], "in no permission matrix and not exempted: " + ", ".join(
        f"{k} ({routes[k][0]})" for k in missing)


def test_each_credit_is_earned_by_its_matrix():
    routes = writing_routes()
    unearned = []
    for module, names in PART_MATRICES.items():
        text = (Path(settings.BASE_DIR) / module).read_text()
        for name in names:
            paths = routes.get(name, [])
            if not any(_asked_in(text, route) for route in paths):
                unearned.append(f"{name} in {module}")
    assert unearned == []


def test_exemptions_and_credits_name_real_routes():
    routes = writing_routes()
    named = set(EXEMPT) | {n for names in PART_MATRICES.values() for n in names} | {
        a.url_name for a in ACTIONS}
    assert sorted(named - set(routes) - _READS_TRIED) == []
    assert all(reason.strip() for reason in EXEMPT.values())


_READS_TRIED = {a.url_name for a in ACTIONS}
"""The matrix also tries reads (pages, lists): routes that take no write."""


def _brand_new(request: HttpRequest) -> HttpResponse:
    return HttpResponse("written")


urlpatterns = [
    *get_resolver(settings.ROOT_URLCONF).url_patterns,
    path("brand-new/", require_POST(_brand_new), name="brand-new"),
    path("brand-new-read/", require_safe(_brand_new), name="brand-new-read"),
    path("brand-new-any/", _brand_new, name="brand-new-any"),
]
"""The site's URL conf with three views no matrix knows (``test_a_new_writing_view_...``)."""


def test_a_new_writing_view_in_no_matrix_is_named(settings):
    settings.ROOT_URLCONF = __name__
    missing = set(writing_routes()) - {a.url_name for a in ACTIONS} - set(EXEMPT) - {
        n for names in PART_MATRICES.values() for n in names}
    # A view that says it takes POST, and one that says nothing of its methods; not the
    # one that reads only.
    assert missing == {"brand-new", "brand-new-any"}
