"""Everything an import does before it writes: read the file, find its CRS and its
field mapping, normalise each of its sources and check the whole of it, so that a
refused file writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _
from shapely.geometry import shape

from geo.crs import outside_count, sample_points, suggest
from importers import mapping as m
from importers.exceptions import Refused, RowErrors
from importers.formats.base import Format, ReadOptions, SourceData
from importers.messages import Message, word
from importers.pipeline import public_ids
from importers.pipeline.normalise import Issue, Rows, choose_id_field, normalise
from importers.pipeline.prepare import working_copy
from importers.pipeline.run.request import ImportRequest, ImportResult, Progress
from importers.safety import Limits
from layers.models import BORDER_SLACK_DEG, Layer, Partner
from layers.vocabulary import LayerKind, Visibility


def resolve_crs(source: SourceData, partner: Partner) -> None:
    if source.crs is not None:
        return
    present = [g for g in source.geometries if g is not None and not g.is_empty]
    territory = shape(json.loads(partner.boundary.geojson))
    hints = suggest(sample_points(np.asarray(source.geometries, dtype=object)), territory)
    where = partner.name or partner.slug
    details = []
    if present:
        minx, miny, maxx, maxy = shapely.total_bounds(present)
        details.append(Message(_("its coordinates span x %(x)s, y %(y)s"),
                               x=f"{minx:.6g}..{maxx:.6g}", y=f"{miny:.6g}..{maxy:.6g}"))
    details.append(
        Message(_("these would place the data inside %(territory)s: %(crs)s"), territory=where,
                crs=", ".join(h.label for h in hints[:4])) if hints else
        Message(_("none of the usual CRSs places it inside %(territory)s"), territory=where))
    raise Refused(Message(source.no_crs or _("%(file)s: the file does not say its coordinate "
                                             "reference system (no .prj); give it with --srs "
                                             "EPSG:n; %(details)s"),
                          file=source.label, details=Message.join(details)))


def check_declared_crs(source: SourceData, partner: Partner) -> None:
    """Refuse a CRS the file declares that places most of it beyond the partner's territory
    when another usual CRS places it inside: the file's CRS is then wrong (longitude and
    latitude under a .prj of the Greek Grid land in the sea off Africa), not the features.
    A CRS given with --srs is the partner's own choice, and is kept."""
    assert source.crs is not None
    points = sample_points(np.asarray(source.geometries, dtype=object))
    if not len(points):
        return
    territory = shape(json.loads(partner.boundary.geojson))
    outside = outside_count(points, source.crs.crs, territory)
    if outside * 2 <= len(points):
        return
    hints = [h for h in suggest(points, territory) if h.epsg != source.crs.epsg]
    if not hints:
        return
    raise Refused(Message(
        _("%(file)s: the file says its coordinates are in %(crs)s (%(reason)s), which places "
          "%(count)s of %(total)s features looked at outside %(territory)s; these would place "
          "them inside: %(hints)s; correct the file's CRS or give it with --srs EPSG:n"),
        file=source.label, crs=source.crs.label, reason=source.crs_reason or "",
        count=outside, total=len(points), territory=partner.name or partner.slug,
        hints=", ".join(h.label for h in hints[:4])))


def check_layer(request: ImportRequest, layer: Layer | None) -> None:
    """Refuse a layer of another partner or of the other kind (before reading, and again
    under the lock)."""
    if layer is None:
        return
    if layer.partner_id != request.partner.pk:
        if layer.visibility != Visibility.PUBLIC:
            # Another partner's unpublished layer: its owner is not ours to tell.
            raise Refused(Message(_("layer %(layer)s: this name is taken; choose another"),
                                  layer=repr(layer.slug)))
        raise Refused(Message(_("layer %(layer)s belongs to partner %(owner)s, not "
                                "%(partner)s"), layer=repr(layer.slug),
                              owner=repr(layer.partner.slug), partner=repr(request.partner.slug)))
    if layer.kind != request.kind:
        raise Refused(Message(_("layer %(layer)s holds %(held)s, not %(kind)s"),
                              layer=repr(layer.slug), held=word(layer.kind),
                              kind=word(request.kind)))


@dataclass
class OpenedFile:
    """The working copy of the partner's file: what to read, what messages call it, its
    format; and the layer it goes to, if there is one."""

    path: Path
    label: str
    fmt: Format
    existing: Layer | None


def open_file(request: ImportRequest, workdir: Path, say: Progress) -> OpenedFile:
    """Refuse another partner's layer or one of the other kind, then make the working
    copy of the file in ``workdir``."""
    limits = Limits.from_settings()
    existing = Layer.objects.filter(slug=request.layer_slug).select_related("partner").first()
    check_layer(request, existing)
    say("reading")
    path, label, fmt = working_copy(request.path, workdir, limits, request.source_layer)
    label = label if request.file_name is None else label.replace(
        request.path.name, request.file_name, 1)
    return OpenedFile(path=path, label=label, fmt=fmt, existing=existing)


def read_options(request: ImportRequest) -> ReadOptions:
    return ReadOptions(encoding=request.encoding, srs=request.srs,
                       prefer_language=request.partner.main_language,
                       source_layer=request.source_layer,
                       keep_duplicate_routes=request.keep_duplicate_routes)


def no_features(label: str, why: list[Message]) -> Refused:
    return Refused(Message(_("%(file)s: the file holds no features (%(why)s)"), file=label,
                           why=Message.join(why)) if why else
                   Message(_("%(file)s: the file holds no features"), file=label))


def read_and_check(request: ImportRequest, say: Progress, opened: OpenedFile) -> ImportResult:
    kind = LayerKind(request.kind)
    existing = opened.existing
    saved = existing.import_settings if existing else {}
    main_language = request.partner.main_language
    label, fmt = opened.label, opened.fmt
    sources = fmt.read(opened.path, read_options(request), label=label)
    if not sources or all(len(s) == 0 for s in sources):
        raise no_features(label, [n for s in sources for n in s.notes])
    issues: list[Issue] = []
    notes: list[Message] = [n for s in sources for n in s.notes]
    say(f"normalising {sum(len(s) for s in sources):,} features")
    all_rows: Rows | None = None
    field_map: dict[str, str] = {}
    id_field = None
    public_column = None
    for source in sources:
        resolve_crs(source, request.partner)
        if request.srs is None:
            check_declared_crs(source, request.partner)
        # The platform's public ids: never an attribute; they match features unless
        # --id-field says which column does. An export of the platform names its
        # columns after the fields, and its source id source_id: the settings the layer
        # remembers from the partner's files (another id column, a mapping) are not its.
        found = public_ids.recognise(source, id_field=request.id_field)
        public_column = public_column or found
        settings = {} if found else saved
        if found and request.id_field:
            notes.append(Message(
                _("%(file)s: column %(column)s holds the platform's public ids: not stored as "
                  "an attribute, and not used to match features, as --id-field %(id_field)s "
                  "was given"), file=source.label, column=repr(found),
                id_field=request.id_field))
            source.public_ids = None
        columns = list(source.columns)
        field_map = field_map_for(request, settings, columns, kind, main_language, label)
        id_field = choose_id_field(source.columns,
                                   request.id_field or settings.get("id_field"))
        if id_field and id_field not in source.columns:
            raise Refused(Message(_("%(file)s: no column %(column)s for the id; it has "
                                    "%(columns)s"), file=label, column=repr(id_field),
                                  columns=", ".join(repr(c) for c in columns)))
        rows = normalise(source, kind=kind, field_map=field_map, id_field=id_field,
                         issues=issues, notes=notes)
        all_rows = rows if all_rows is None else concat_rows(all_rows, rows)
    assert all_rows is not None
    beyond = beyond_territory(all_rows, request.partner)
    outside = int(beyond.sum())
    outside_rows = _listed(all_rows, beyond)
    check_outside(request, label, outside, len(all_rows), outside_rows, notes)
    uninvited = _in_uninviting_territories(all_rows, beyond, request.partner)
    errors = [i for i in issues if i.severity == "error"]
    if errors and not request.skip_invalid:
        raise RowErrors(errors)
    if len(all_rows) == 0:
        raise nothing_importable(label, kind, notes)
    first = sources[0]
    assert first.crs is not None and first.crs_reason is not None, "resolved above, or refused"
    result = ImportResult(
        format=fmt.name, label=label,
        encoding=first.encoding.encoding if first.encoding else "",
        encoding_reason=first.encoding.reason if first.encoding else None,
        crs=first.crs.label, crs_reason=first.crs_reason, mapping=field_map, id_field=id_field,
        # Every feature read is counted once: stored (created, updated, unchanged),
        # skipped for an error, or left out as the other kind of feature.
        counts={"read": sum(len(s) for s in sources),
                "skipped": len({(i.file, i.row) for i in errors}),
                "left_out": all_rows.left_out},
        # The sample rows are taken after writing (run_import): a text the DBF cut may
        # be put back there.
        issues=issues, notes=notes, preview=[],
        rows=all_rows, text_limit=first.text_limit, public_id_column=public_column,
        uninvited=uninvited, outside=outside_rows, outside_count=outside)
    return result


def check_outside(request: ImportRequest, label: str, outside: int, total: int,
                  outside_rows: list[dict[str, object]], notes: list[Message]) -> None:
    """Refuse ``outside`` features of ``total`` beyond the partner's territory, unless the
    user confirmed them (or it is a dry run): then a note says so."""
    if not outside:
        return
    where = {"count": outside, "total": total,
             "partner": request.partner.name or request.partner.slug,
             "rows": ", ".join(str(r["row"]) for r in outside_rows[:OUTSIDE_LISTED])
             + (" …" if outside > OUTSIDE_LISTED else "")}
    if not request.allow_outside and not request.dry_run:
        # Nothing is written: a feature in the wrong place is a mistake until the
        # user says otherwise (a wrong CRS, the wrong partner).
        raise Refused(Message(
            _("%(file)s: %(count)s of %(total)s features lie outside the territory of "
              "%(partner)s (rows %(rows)s): check the CRS and that this is the right "
              "partner; to import them anyway, confirm them in the preview (or give "
              "--allow-outside, or allow_outside=true to the API)"), file=label, **where))
    notes.append(Message(
        _("%(count)s of %(total)s features lie outside the territory of %(partner)s "
          "(rows %(rows)s): check the CRS and that this is the right partner") if
        request.allow_outside else
        _("%(count)s of %(total)s features lie outside the territory of %(partner)s "
          "(rows %(rows)s): the import stops unless you confirm them"), **where))


def nothing_importable(label: str, kind: str, notes: list[Message]) -> Refused:
    return Refused(Message(_("%(file)s: no feature can be imported as %(kind)s (%(why)s)"),
                           file=label, kind=word(kind), why=notes[-1]) if notes else
                   Message(_("%(file)s: no feature can be imported as %(kind)s"),
                           file=label, kind=word(kind)))


# How many of the rows beyond the territory a message names, and a report lists: enough
# to find the mistake, not a page of numbers.
OUTSIDE_LISTED = 20
OUTSIDE_KEPT = 500


def _listed(rows: Rows, beyond: np.ndarray) -> list[dict[str, object]]:
    """The rows ``beyond`` the territory as the preview lists them: the file's row
    number and the feature's name in the first language that has one."""
    listed: list[dict[str, object]] = []
    for i in np.flatnonzero(beyond)[:OUTSIDE_KEPT]:
        values = rows.values(int(i))
        name = next((str(values[f"name_{c}"]) for c in ("bg", "el", "fr", "en")
                     if values.get(f"name_{c}")), "")
        listed.append({"row": int(rows.rows[i]), "name": name})
    return listed


def field_map_for(request: ImportRequest, saved: dict, columns: list[str], kind: str,
               main_language: str, label: str) -> dict[str, str]:
    explicit = request.field_map or saved.get("mapping") or {}
    allowed = set(m.target_fields(kind))
    for fld, col in request.field_map.items():
        if fld not in allowed:
            raise Refused(Message(_("--map %(mapping)s: %(field)s is not a field of %(kind)s; "
                                    "use one of %(fields)s"), mapping=f"{fld}={col}",
                                  field=repr(fld), kind=word(kind),
                                  fields=", ".join(sorted(allowed))))
        if col not in columns:
            raise Refused(Message(_("--map %(mapping)s: %(file)s has no column %(column)s; it "
                                    "has %(columns)s"), mapping=f"{fld}={col}", file=label,
                                  column=repr(col), columns=", ".join(repr(c) for c in columns)))
    mapping = m.auto_mapping(columns, kind, main_language)
    taken = {col for fld, col in explicit.items() if col in columns}
    mapping = {f: c for f, c in mapping.items() if c not in taken}
    mapping.update({f: c for f, c in explicit.items() if c in columns})
    return mapping


def beyond_territory(rows: Rows, partner: Partner) -> np.ndarray:
    """Which rows lie beyond ``partner``'s territory and the slack given to features drawn
    on its border."""
    if not len(rows):
        return np.zeros(0, dtype=bool)
    territory = shape(json.loads(partner.boundary.geojson)).buffer(BORDER_SLACK_DEG)
    shapely.prepare(territory)
    return ~shapely.intersects(territory, rows.geoms)


def _in_uninviting_territories(rows: Rows, beyond: np.ndarray,
                               partner: Partner) -> dict[str, int]:
    """How many of the rows ``beyond`` the importing partner's territory lie in each other
    partner's territory whose partner has not welcomed ``partner``'s public features
    there (``layers.selectors.in_uninviting_territories`` asks the same of a stored
    layer)."""
    if not beyond.any():
        return {}
    others = Partner.objects.exclude(pk=partner.pk).exclude(welcomes=partner)
    if not others.exists():
        return {}
    # Inside by a point on each feature: a trail that starts at the border and runs
    # into the neighbour's territory lies in it; one that only touches it does not.
    points = shapely.point_on_surface(rows.geoms[beyond])
    found = {}
    for other in others.order_by("slug"):
        territory = shape(json.loads(other.boundary.geojson)).buffer(-BORDER_SLACK_DEG)
        shapely.prepare(territory)
        n = int(shapely.contains(territory, points).sum())
        if n:
            found[other.name or other.slug] = n
    return found


def concat_rows(a: Rows, b: Rows) -> Rows:
    """One Rows from two sources of the same file (KML folders)."""
    def join(x: dict[str, np.ndarray], y: dict[str, np.ndarray], n_x: int, n_y: int,
             blank: Callable[[str], object] = lambda key: None) -> dict[str, np.ndarray]:
        out = {}
        for key in dict.fromkeys([*x, *y]):
            left = x.get(key, np.full(n_x, blank(key), dtype=object))
            right = y.get(key, np.full(n_y, blank(key), dtype=object))
            out[key] = np.concatenate([left.astype(object), right.astype(object)])
        return out

    def ids(x: Rows) -> np.ndarray:
        return x.public_ids if x.public_ids is not None else np.full(len(x), None, dtype=object)

    return Rows(kind=a.kind, label=a.label, rows=np.concatenate([a.rows, b.rows]),
                source_ids=np.concatenate([a.source_ids, b.source_ids]),
                geoms=np.concatenate([a.geoms, b.geoms]),
                fields=join(a.fields, b.fields, len(a), len(b),
                            blank=lambda key: None if key == "fee" else ""),
                props=join(a.props, b.props, len(a), len(b)),
                unknown=join(a.unknown, b.unknown, len(a), len(b)),
                left_out=a.left_out + b.left_out,
                public_ids=None if a.public_ids is None and b.public_ids is None else
                np.concatenate([ids(a), ids(b)]),
                source_no=np.concatenate([a.source_no, b.source_no + len(a.sources)]),
                sources=[*a.sources, *b.sources])
