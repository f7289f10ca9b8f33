"""The house rules of docs/architecture.md, read from the code's own imports.

- An app imports only apps below it: geo ← layers ← importers, routes ← planner,
  actors ← exchange ← maps, fixtures ← config (apps side by side, such as importers and
  routes or planner and actors, do not import each other; exchange stands above the
  planner, decision 0014).
- ``notices`` (what is new for a user) imports only geo; the apps that tell people
  things (exchange) import it.
- ``transit`` (public transport) may import geo, layers, importers and routes; the planner
  and maps may import it.
- ``offline`` (a route kept for the road: what a device saves, the route pack) may import
  geo, layers, routes and transit, beside the planner; maps may import it.
- ``media`` (photos of any object) stands between geo and layers: it imports only geo, and
  layers and the apps above it use it.
- ``operations`` (backup and restore) may import geo and layers; no app imports it.
- ``accounts`` (tokens, rate limits) sits beside layers and imports only geo; only config,
  through the settings, names it.
- ``training`` (guides read, tours completed, the report) may import geo and layers; maps
  uses it.
- ``audit`` (history, restore, refused attempts) may import layers, importers and routes;
  no app imports it.
- No module imports a private name (``_x``) of another module (of its app or another).
- No two modules import each other, directly or round a longer loop, even inside a
  function (an import hidden in a function is still a dependency).
- No module of the apps runs past ``MAX_LINES`` lines: one that grows so is split along its
  seams (docs/architecture.md), but for the few named in ``LONG_FOR_NOW``, each with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {"geo": 0, "media": 0.5, "notices": 0.5, "accounts": 1, "layers": 1, "importers": 2,
          "routes": 2,
          # transit stands above importers (it reads GTFS with their archive checks and
          # messages) and below the planner (docs/decisions/0009).
          "transit": 2.5, "planner": 3, "offline": 3, "actors": 3,
          # training (who read which guide, who completed which tour) stands on layers'
          # partners and roles; the pages (maps) record and report through it.
          "training": 2,
          # exchange stands above the planner: a partner's strategy answers its measured
          # gaps with the practices (docs/decisions/0014).
          "exchange": 3.5,
          # campaigns (announcements, featured routes) stands above exchange and routes,
          # whose practices and routes it links and features.
          "campaigns": 3.75,
          "maps": 4, "fixtures": 4, "config": 5, "operations": 2, "audit": 3}
# Apps to one side: they use the floors below them, and no app uses them (the settings
# name accounts' and audit's classes as strings).
UNIMPORTED = {"operations", "accounts", "audit"}


def _modules() -> dict[str, Path]:
    found = {}
    for app in FLOORS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [a.name for a in node.names]
            # ``from pkg import mod`` imports the module pkg.mod when there is one.
            for name in names:
                if f"{base}.{name}" in MODULES:
                    out.append((f"{base}.{name}", [], node.lineno))
            out.append((base, [n for n in names if f"{base}.{n}" not in MODULES],
                        node.lineno))
    return [(m, n, line) for m, n, line in out if m.split(".")[0] in FLOORS]


def _known(name: str) -> str | None:
    """The project module ``name`` is, or is inside (``layers.models.Layer`` → layers.models)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_apps_import_only_apps_below_them():
    upward = []
    for module, path in MODULES.items():
        app = module.split(".")[0]
        for target, _names, line in _imports(module, path):
            other = target.split(".")[0]
            if other != app and FLOORS[other] >= FLOORS[app]:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert upward == []


def test_no_app_imports_the_operations_app():
    users = []
    for module, path in MODULES.items():
        app = module.split(".")[0]
        for target, _names, line in _imports(module, path):
            other = target.split(".")[0]
            if other in UNIMPORTED and other != app:
                users.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert users == []


def test_no_private_name_is_imported_from_another_module():
    private = []
    for module, path in MODULES.items():
        for target, names, line in _imports(module, path):
            hidden = [n for n in names if n.startswith("_")]
            hidden += [p for p in target.split(".") if p.startswith("_") and p != "__init__"]
            if hidden:
                private.append(f"{path.relative_to(ROOT)}:{line} takes {hidden} from {target}")
    assert private == []


def test_no_two_modules_import_each_other():
    graph = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, _names, _line in _imports(module, path):
            known = _known(target)
            # A package's __init__ re-exporting its own modules is not a loop of its own.
            if known and known != module and not known.startswith(module + "."):
                graph[module].add(known)
    loops, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                loops.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert loops == []


MAX_LINES = 400
# Modules past the limit when the rule came: other work was editing them, and splitting
# them then would have made its merge a conflict. That work has landed; each is the next
# to split. An entry whose module is back under the limit (or gone) fails below, so that
# the list only shrinks.
LONG_FOR_NOW = {
    "layers/selectors/cql.py": "CQL2 filtering, being changed by the /api/layers/ scaling "
                               "work",
    "importers/pipeline/run/stream.py": "the streamed shapefile import, being changed by the "
                                        "streamed GeoJSON/GPX/KML reading work",
    "config/settings.py": "the settings every part edits (CSP, timeouts, new apps); one file "
                          "so that a setting is found in one place",
}


def test_no_module_runs_past_the_line_limit():
    long = {str(path.relative_to(ROOT)): n for path in MODULES.values()
            if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES}
    past = [f"{name}: {n} lines" for name, n in sorted(long.items())
            if name not in LONG_FOR_NOW]
    assert past == [], f"split these along their seams (at most {MAX_LINES} lines)"
    under = [name for name in LONG_FOR_NOW if name not in long]
    assert under == [], "these are back under the limit or gone: take them off LONG_FOR_NOW"
