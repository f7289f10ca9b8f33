"""Small builders for test data; each test makes what it asserts on."""

from __future__ import annotations

from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from django.db import connection

from accounts.services import token_create
from geo.crs import WGS84
from layers import services
from layers.models import Attraction, Layer, Partner, Trail
from layers.vocabulary import LayerKind, Visibility


def make_partner(slug: str = "stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), **kw) -> Partner:
    defaults = {"name_en": slug.replace("-", " ").title(), "country": "BG",
                "languages": ["bg", "en"],
                "boundary": MultiPolygon(Polygon.from_bbox(bbox), srid=WGS84), **kw}
    return services.partner_upsert(slug=slug, defaults=defaults)


def make_layer(partner: Partner, kind: str = LayerKind.ATTRACTIONS,
               visibility: str = Visibility.PUBLIC, slug: str | None = None) -> Layer:
    return services.layer_upsert(
        slug=slug or f"{partner.slug}-{kind}", partner=partner,
        defaults={"kind": kind, "visibility": visibility, "title_en": f"{partner.slug} {kind}"})


def make_attraction(layer: Layer, lon: float, lat: float, **kw) -> Attraction:
    values = {"category": "museum", "name_en": "Somewhere", **kw}
    return Attraction.objects.create(layer=layer, location=Point(lon, lat, srid=WGS84), **values)


def make_trail(layer: Layer, coords, **kw) -> Trail:
    values = {"activity": "hiking", "name_en": "A trail", **kw}
    geom = MultiLineString(LineString(coords, srid=WGS84), srid=WGS84)
    return Trail.objects.create(layer=layer, geom=geom, **values)


def make_museum_grid(layer: Layer, n: int, west: float, south: float) -> None:
    """``n`` museums "Site 0" … on a grid of 0.01° × 0.0114° from (west, south), 60 to a
    row: in SQL, as thousands of ORM saves would be slow."""
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_en, description,
                category, location, address, website, phone, opening_hours, wheelchair,
                properties, created_at, updated_at)
            SELECT gen_random_uuid(), %s, g::text, '', 'Site ' || g, '', 'museum',
                   ST_SetSRID(ST_MakePoint(%s + (g %% 60) * 0.01, %s + (g / 60) * 0.0114),
                              4326), '', '', '', '', '', '{}'::jsonb, now(), now()
            FROM generate_series(0, %s - 1) g""", [layer.pk, west, south, n])


def make_person(partner: Partner | None, role: str = "members", *, username: str | None = None,
                staff: bool | None = None, active: bool = True, superuser: bool = False):
    """A user in ``partner``'s group of ``role`` ("members", "editors" or "moderators"),
    or in none when ``partner`` is None. Editors are staff unless told otherwise (write
    access needs both); the other roles are not."""
    from django.contrib.auth.models import User

    name = username or (f"{partner.slug}-{role}" if partner else "someone")
    user = User.objects.create_user(
        name, f"{name}@example.org", "pw-" + name, is_active=active, is_superuser=superuser,
        is_staff=(role == "editors") if staff is None else staff)
    if partner is not None:
        user.groups.add(getattr(partner, role))
    return user


def make_token(user, scope: str = "write") -> str:
    """An API token of ``user`` (the text a script sends: ``Authorization: Token …``)."""
    return token_create(user=user, scope=scope)[1]


def run_queued_imports() -> list:
    """Run the queued import runs here, in the test's own transaction: the worker's task
    function (importers.jobs.import_execute) without the queue, for tests of what an
    import does. tests/importers/test_jobs.py runs them through the real worker."""
    from importers import jobs
    from importers.models import ImportRun

    queued = ImportRun.objects.filter(status=ImportRun.Status.QUEUED).order_by("pk")
    return [jobs.import_execute(run_id=pk) for pk in list(queued.values_list("pk", flat=True))]


def run_queued_previews() -> list:
    """Run the queued import previews here, as ``run_queued_imports`` runs the imports:
    the worker's task function (importers.previews.preview_execute) without the queue."""
    from importers import previews
    from importers.models import ImportPreview

    queued = ImportPreview.objects.filter(status=ImportPreview.Status.QUEUED).order_by("pk")
    return [previews.preview_execute(preview_id=pk)
            for pk in list(queued.values_list("pk", flat=True))]


def run_queued_undos() -> list:
    """Run the queued undos of import runs here, as ``run_queued_imports`` runs the
    imports: the worker's task function (importers.undos.undo_execute) without the queue."""
    from importers import undos
    from importers.models import ImportRun

    queued = ImportRun.objects.filter(status=ImportRun.Status.UNDOING, stage="").order_by("pk")
    return [undos.undo_execute(run_id=pk) for pk in list(queued.values_list("pk", flat=True))]


def open_preview(client, url: str) -> str:
    """The import preview page at ``url`` once the worker has run its dry run: the first
    visit queues it (the page says it waits), the worker's part runs here, and the page
    is read again."""
    client.get(url)
    run_queued_previews()
    return client.get(url).content.decode()


def make_listing(lon: float, lat: float, **kw):
    """A published listing at (lon, lat); its partner is the one whose territory holds it."""
    from actors.models import Listing, territory_partner

    point = Point(lon, lat, srid=WGS84)
    named = any(key.startswith("name_") for key in kw)
    values = {"type": "accommodation", **({} if named else {"name_en": "A guesthouse"}), **kw}
    return Listing.objects.create(location=point, partner=territory_partner(point), **values)
