"""The explorer's ES modules (maps/static/maps/explorer/), served as they are: the pages
load the entry as a module, and every name a module imports is exported by a file that
is served (the browser tests show them at work)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import make_layer, make_partner

IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";', re.M)
EXPORT = re.compile(r"^export (?:function|var) (\w+)", re.M)


def _module(name: str) -> str:
    path = finders.find(f"maps/explorer/{name}")
    assert path, f"maps/explorer/{name} is not served"
    with open(path, encoding="utf-8") as f:
        return f.read()


@pytest.mark.django_db
def test_the_map_pages_load_the_explorer_as_a_module(client):
    layer = make_layer(make_partner())
    for url in ("/", "/embed/", f"/layers/{layer.slug}/"):
        html = client.get(url).content.decode()
        assert re.search(r'<script type="module" src="/static/maps/explorer/main\.js">', html), url
        assert 'src="/static/maps/explorer.js"' not in html, url


def test_every_name_a_module_imports_is_exported_by_a_served_module():
    seen, todo = set(), ["main.js"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for names, source in IMPORT.findall(_module(name)):
            exported = set(EXPORT.findall(_module(source)))
            wanted = {n.strip() for n in names.split(",") if n.strip()}
            assert wanted <= exported, (name, source, wanted - exported)
            todo.append(source)
    assert {"cells.js", "draw.js", "search.js", "panels.js", "keyboard.js",
            "url-state.js"} <= seen
