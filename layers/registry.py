"""The registry of feature kinds: everything on the regional layer, in one place.

Each app that puts features on the regional layer registers its kind here, with the SQL
of its properties for lists, tiles and exports, its OGC schema and its collection: the
REST API, the OGC API, vector tiles, exports, the explorer and the catalogue iterate over
``kinds()`` and never name a kind's table themselves. ``layers`` registers attractions
and trails (layers/feature_kinds.py), ``routes`` its pilot routes (routes/feature_kind.py);
adding a kind is one module and one ``register`` call in its app's ``ready()``.

Smaller registries let higher apps tell ``layers`` (and the importers) about their
use of layers' data without ``layers`` naming them: tables whose rows refer to features
(``register_feature_use``, which an undo explains), roles that make a layer reference
data (``register_reference_role``), and what else a partner's editors may do
(``register_editor_permissions``: the routes' models, say).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The slugs of the training partners (``Partner.sandbox``), as SQL: nothing of theirs is public.
SANDBOX_SLUGS = "ARRAY(SELECT s.slug FROM layers_partner s WHERE s.sandbox)"


@dataclass(frozen=True)
class Column:
    """An exported column: its name, its SQL over ``x`` (the kind's table) and its
    PostgreSQL type (for the other kinds' NULLs in one document)."""

    name: str
    sql: str
    type: str


@dataclass(frozen=True)
class ChoiceFilter:
    """A filter of the API that only a kind registered above layers has (``?type=`` of
    listings): the parameter, the SQL over ``x`` it compares, and its values. The
    endpoints parse it for every kind that declares it, and leave out the kinds that
    don't when it is given."""

    name: str
    sql: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FeatureKind:
    """One kind of feature on the regional layer.

    A *layered* kind belongs to a layer (``l``) of a partner (``p``), and is public when
    its layer is; a kind that is not layered says itself whose it is (``partner_sql``,
    ``partner_filter``) and when it is public (``public``).
    """

    name: str  # "attraction": the ``kind`` property of its features
    table: str
    geom: str  # its geometry column (EPSG:4326)
    order: int  # its place among the kinds (lists, exports)
    collection: str  # its OGC API collection of every partner's: "all-attractions"
    title: str  # that collection's title and description
    description: str
    own_filters: tuple[str, ...] = ()  # filters of the API only this kind has
    choice_filters: tuple[ChoiceFilter, ...] = ()  # the same, declared by a higher app
    properties: tuple[tuple[str, str], ...] = ()  # (key, SQL over x): API and OGC
    schema: Mapping[str, str] = field(default_factory=dict)  # key -> JSON Schema type
    tile_properties: tuple[tuple[str, str, str], ...] = ()  # (key, SQL, MVT type)
    export_columns: tuple[Column, ...] = ()
    export_sources: Mapping[str, str] = field(default_factory=dict)  # see ``sources``
    lines: bool = False  # GPX: tracks (lines) rather than waypoints
    gpx_type: str | None = None  # the exported column a GPX <type> shows
    layered: bool = True
    name_field: str = "name"
    description_field: str = "description"
    partner_sql: str = "p.slug"  # the slug of x's partner
    partner_filter: str = ""  # not layered: SQL true when x is of one of the partners %s
    public: str = ""  # not layered: SQL true when x is public
    # SQL over x of the geometry maps draw, when it is not ``geom`` itself: a line thinned
    # to the display's vertex cap (layers/display.py).
    display_geom: str = ""
    # ORDER BY over x of a tile's features when there are more than it holds (lines; points
    # are spread over the tile instead, see layers/tiles.py).
    tile_order: str = "x.id"
    # ``?q=`` (layers/search_query.py): SQL over x of the folded text searched (the kind's
    # table keeps it, folded by ``atlas_latin``, under a word index and a trigram index of
    # ``atlas_loose`` of it), and of the category a category word finds ("" for none).
    search_sql: str = "x.search"
    category_sql: str = ""
    category_values: tuple[str, ...] = ()  # what ``category_sql`` may be (the map's filter)

    def public_sql(self) -> str:
        """SQL over ``x`` true when a row of a kind in no layer is public: ``public``, and
        none of its partners a sandbox (``Partner.sandbox``: training never reaches the
        public layer). A layered kind's rows are public with their layer, which a sandbox
        never makes public (layers migration 0023)."""
        if not self.partner_filter:
            return self.public
        in_sandbox = self.partner_filter.replace("%s", SANDBOX_SLUGS)
        return f"({self.public}) AND NOT ({in_sandbox})"

    def drawn(self) -> str:
        """SQL over ``x`` of the geometry pages, the maps' lists and tiles draw."""
        return self.display_geom or f"x.{self.geom}"

    def joins(self) -> str:
        if not self.layered:
            return ""
        return ("JOIN layers_layer l ON l.id = x.layer_id "
                "JOIN layers_partner p ON p.id = l.partner_id")

    def owners(self) -> str:
        """Columns naming the partner and layer of ``x`` (see ``joins``)."""
        return ", p.slug AS partner_slug, l.slug AS layer_slug" if self.layered else ""

    def extra_arguments(self) -> str:
        """The kind's own properties as json_build_object arguments."""
        return ", ".join(f"'{key}', {expr}" for key, expr in self.properties)

    def sources(self) -> dict[str, str]:
        """SQL of what every export has: ``source_id``, ``partner``, ``layer``,
        ``properties`` (the partner's own attributes), ``geom`` and ``point``."""
        if self.layered:
            base = {"source_id": "COALESCE(NULLIF(x.source_id, ''), x.uid::text)",
                    "partner": "p.slug", "layer": "l.slug",
                    "properties": "NULLIF(x.properties, '{}'::jsonb)",
                    "geom": f"x.{self.geom}", "point": f"x.{self.geom}"}
        else:
            base = {"source_id": "x.uid::text", "partner": self.partner_sql,
                    "layer": "NULL::text", "properties": "NULL::jsonb",
                    "geom": f"x.{self.geom}", "point": f"x.{self.geom}"}
        return {**base, **self.export_sources}


_KINDS: dict[str, FeatureKind] = {}


def register(kind: FeatureKind) -> None:
    """Put a kind on the regional layer (from its app's ``AppConfig.ready``)."""
    _KINDS[kind.name] = kind


def kinds() -> list[FeatureKind]:
    """Every registered kind, in their order."""
    return sorted(_KINDS.values(), key=lambda k: k.order)


def choice_filters() -> dict[str, tuple[str, ...]]:
    """Every registered kind's ``choice_filters``: parameter -> allowed values."""
    found: dict[str, set[str]] = {}
    for k in kinds():
        for f in k.choice_filters:
            found.setdefault(f.name, set()).update(f.values)
    return {name: tuple(sorted(values)) for name, values in found.items()}


def names() -> list[str]:
    return [k.name for k in kinds()]


def kind(name: str) -> FeatureKind:
    return _KINDS[name]


FEATURE_USES: dict[str, str] = {}
"""Table -> a message (its template, gettext_noop'd where it is written) saying how its
rows use features and what to do before the features can go; ``%(table)s``, ``%(layer)s``
and ``%(run)s`` may appear in it."""


def register_feature_use(*, table: str, message: str) -> None:
    FEATURE_USES[table] = message


_REFERENCE_ROLES: list[Callable[[Any], bool]] = []


def register_reference_role(holds: Callable[[Any], bool]) -> None:
    """``holds(layer)`` is true when a higher app uses the layer as reference data (its
    polygons sub-areas, say): its ``reference`` flag is then not the editors' to change."""
    _REFERENCE_ROLES.append(holds)


def has_reference_role(layer: Any) -> bool:
    return any(holds(layer) for holds in _REFERENCE_ROLES)


EXTRA_EDITOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {}
"""App label -> model -> actions ("add", "change", "delete", "view") that every partner's
editors group is given besides the layers' own (layers/services.py). The app's admin and
API still scope each of them to the editor's partners' rows."""


def register_editor_permissions(app_label: str, models: Mapping[str, tuple[str, ...]]) -> None:
    EXTRA_EDITOR_PERMISSIONS[app_label] = dict(models)
