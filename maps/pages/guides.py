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
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from training.models import Kind
from training.services import guide_item, record

# Material's pages start with a few inline scripts (the colour scheme, the site's scope);
# the site's policy allows only scripts it knows, so each is allowed by its hash.
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


@lru_cache(maxsize=256)
def _inline_script_hashes(path: Path, mtime_ns: int) -> tuple[str, ...]:
    body = path.read_bytes()
    return tuple(dict.fromkeys(
        "'sha256-" + b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)))


@require_safe
def guide(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """A file of the built guides; a folder's index.html for a folder's address."""
    root = Path(settings.ATLAS_HELP_ROOT)
    if not (root / "index.html").is_file():
        raise Http404("the guides have not been built (make help)")
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
    response = serve(request, path, document_root=str(root))
    shared = True
    if path.endswith(".html") and response.status_code == 200:
        item = guide_item(path)
        # Read by someone signed in (who was trained): kept by no shared cache, so that
        # each reader's first reading reaches the platform.
        shared = not (item is not None and record(request.user, Kind.GUIDE, item))
        file = root / path
        hashes = _inline_script_hashes(file, file.stat().st_mtime_ns)
        # What django-csp's csp_replace decorator sets, with this file's own hashes.
        setattr(response, "_csp_replace", {"script-src": [SELF, *hashes]})  # noqa: B010
    patch_cache_control(response, max_age=3600, **({"public": True} if shared
                                                   else {"private": True}))
    return response
