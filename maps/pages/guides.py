"""/help/: the guides, a static site that MkDocs builds from docs/ at set-up (`make help`,
mkdocs.yml) into ``settings.ATLAS_HELP_ROOT``; served here so that they are the platform's
own pages, offline and on the same address (decision 0010)."""

from __future__ import annotations

import hashlib
import re
from base64 import b64encode
from functools import lru_cache
from pathlib import Path

from csp.constants import SELF
from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from maps.tours import page_tour
from training.models import Kind
from training.services import guide_item, record

# Material's pages start with a few inline scripts (the colour scheme, the site's scope);
# the site's policy allows only scripts it knows, so each is allowed by its hash.
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
# The guides' home page in each language (mkdocs-static-i18n: English at the root): it has
# a first-visit tour (maps/tours.py, "help").
_HOMES = {"index.html": "en", "bg/index.html": "bg", "el/index.html": "el",
          "fr/index.html": "fr"}
# Where the tour's replay button goes on a page without the site's header: Material's
# header, or the top of the content on a narrow screen (tour.js).
_LANGS = frozenset(_HOMES.values())
_REPLAY_INTO = {"wide": ".md-header__inner", "narrow": ".md-content__inner"}


@lru_cache(maxsize=256)
def _inline_script_hashes(path: Path, mtime_ns: int) -> tuple[str, ...]:
    body = path.read_bytes()
    return tuple(dict.fromkeys(
        "'sha256-" + b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)))


def _in_asked_language(request: HttpRequest, root: Path, path: str) -> str | None:
    """The same guide page in the language ``?lang=`` asks for, as every other page of
    the atlas takes it: /help/?lang=bg showed the English guides to a Bulgarian reader.
    None when no other language is asked for, or the page has no translation there."""
    asked = request.GET.get("lang", "")
    if asked not in _LANGS or not (path == "" or path.endswith(("/", ".html"))):
        return None
    first, _, rest = path.partition("/")
    current, inner = (first, rest) if first in _LANGS and first != "en" else ("en", path)
    if asked == current:
        return None
    moved = inner if asked == "en" else f"{asked}/{inner}"
    if not (root / moved).exists():
        return None
    return reverse("help") + moved


@require_safe
def guide(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """A file of the built guides; a folder's index.html for a folder's address."""
    root = Path(settings.ATLAS_HELP_ROOT)
    if not (root / "index.html").is_file():
        raise Http404("the guides have not been built (make help)")
    moved = _in_asked_language(request, root, path)
    if moved is not None:
        return HttpResponseRedirect(moved)
    target = root / path
    if path and not path.endswith("/") and target.is_dir():
        # The guides' relative links expect a folder's address to end with a slash.
        return HttpResponseRedirect(request.path + "/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if path.endswith("/sitemap.xml") and not (root / path).is_file():
        # Material's language switcher asks each translation's folder for a sitemap;
        # mkdocs-static-i18n writes one for all languages, at the root.
        path = "sitemap.xml"
    response: HttpResponseBase = serve(request, path, document_root=str(root))
    shared = True
    if path.endswith(".html") and response.status_code == 200:
        item = guide_item(path)
        # Read by someone signed in (who was trained): kept by no shared cache, so that
        # each reader's first reading reaches the platform.
        shared = not (item is not None and record(request.user, Kind.GUIDE, item))
        file = root / path
        hashes = _inline_script_hashes(file, file.stat().st_mtime_ns)
        if path in _HOMES:
            response = _with_tour(request, response, file, _HOMES[path])
            # It carries a signed-in reader's CSRF token.
            shared = shared and not request.user.is_authenticated
        # What django-csp's csp_replace decorator sets, with this file's own hashes.
        setattr(response, "_csp_replace", {"script-src": [SELF, *hashes]})  # noqa: B010
    patch_cache_control(response, max_age=3600, **({"public": True} if shared
                                                   else {"private": True}))
    return response


def _with_tour(request: HttpRequest, response: HttpResponseBase, file: Path,
               lang: str) -> HttpResponseBase:
    """The guides' home with its tour, in its language, as the site shell puts a page's
    (the same include); the page has no external scripts of its own to wait for."""
    with translation.override(lang):
        tour = page_tour(request, "help")
        if tour is None:
            return response
        tour["replayInto"] = _REPLAY_INTO
        snippet = render_to_string("atlas/_tour.html", {"tour": tour})
    # Only the file served is closed: the response's close() would end the request (its
    # signal closes the database connections the rest of this request uses).
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()
    body = file.read_bytes().replace(b"</head>", snippet.encode() + b"</head>", 1)
    # Streamed, as every other file of the guides is.
    return StreamingHttpResponse([body], content_type="text/html; charset=utf-8")
