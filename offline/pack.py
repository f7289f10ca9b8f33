"""The route pack: one zip to take a route along without the platform — its GPX and
GeoJSON, a PDF per language, the timetable of chosen days, and the platform's layers of
its corridor as one PMTiles file — with a manifest of checksums, the data's date, when it
expires and whose data it holds (decision 0012).

A pack is kept under ATLAS_OFFLINE_PACK_DIR by a key of everything it is made from (the
route's version: itself, its corridor's features and the transit feeds, offline/versions.py;
and the days): an unchanged route keeps the same file, so the same bytes and checksums,
whatever changes elsewhere in the region."""

from __future__ import annotations

import calendar
import gzip
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from layers import registry
from layers.exports.licence import credits, licence_url, licences
from layers.params import FeatureFilters
from offline import corridor as corridors
from offline.printing import route_pdf
from offline.versions import route_version
from routes import exports, selectors
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES
from transit import selectors as transit
from transit.models import Feed

PACK_FORMAT = 1
"""Raised when what a pack holds changes: every kept pack is then made anew."""

LANGUAGES = ("bg", "el", "fr", "en")
MAX_DAYS = 7
"""Days of timetable a pack (or a saved route) holds at most."""

MANIFEST = "manifest.json"


def pack_dir() -> Path:
    return Path(getattr(settings, "ATLAS_OFFLINE_PACK_DIR",
                        Path(settings.BASE_DIR) / "var" / "packs"))


@dataclass(frozen=True)
class PackSpec:
    slug: str
    days: tuple[date, ...]

    def key(self) -> str:
        """What the pack is made from, hashed: any change to the data makes a new key."""
        feeds = list(Feed.objects.order_by("pk").values_list("sha256", "valid_to"))
        # The route's own version, not the platform's: a write elsewhere in the region
        # leaves an unchanged route its pack (offline/versions.py).
        made_of = {"format": PACK_FORMAT, "slug": self.slug,
                   "data": route_version(self.slug, self.days, "en"),
                   "feeds": [[sha, str(end)] for sha, end in feeds],
                   "days": [d.isoformat() for d in self.days], "langs": LANGUAGES,
                   "zooms": [corridors.MIN_ZOOM, corridors.MAX_ZOOM, corridors.max_tiles()]}
        return hashlib.sha256(json.dumps(made_of, sort_keys=True).encode()).hexdigest()

    def filename(self, key: str) -> str:
        """What the download is called: the route and the start of its key."""
        return f"{self.slug}-pack-{key[:12]}.zip"


def public_route(slug: str) -> PilotRoute | None:
    return PilotRoute.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()


def kept_pack(spec: PackSpec) -> tuple[Path, str]:
    """Where the pack of ``spec`` is (or will be) kept, and its key."""
    key = spec.key()
    return pack_dir() / f"{key}.zip", key


def season_end(months: list[int], today: date) -> date | None:
    """The last day of the route's season that holds today, or else of the next one;
    None when the route is open all year."""
    if not months or len(set(months)) == 12:
        return None
    wanted = set(months)
    year, month = today.year, today.month
    while month not in wanted:  # the next season's first month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for _step in range(12):  # to its last month
        nxt_year, nxt = (year + 1, 1) if month == 12 else (year, month + 1)
        if nxt not in wanted:
            break
        year, month = nxt_year, nxt
    return date(year, month, calendar.monthrange(year, month)[1])


def timetable(slug: str, days: tuple[date, ...], today: date) -> dict[str, Any] | None:
    """The "how to get there" of each day, as the route page shows it; None when no
    current feed serves the start."""
    start = transit.route_start(slug)
    if start is None:
        return None
    (lon, lat), minutes = start
    out = {d.isoformat(): transit.how_to_get_there(lon=lon, lat=lat, day=d, today=today,
                                                   stay_min=minutes or 0) for d in days}
    if not any(t["stops"] for t in out.values()):
        return None
    return {"days": out}


def _entry(name: str, data: bytes, when: date) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info, data


def corridor_pmtiles(geometry: dict[str, Any] | None, *, lang: str) -> tuple[bytes, dict[str, Any]]:
    """The platform's tiles of the route's corridor as one PMTiles v3 archive (tiles
    gzipped, as PMTiles readers expect of MVT), and what the manifest says of them."""
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    found = corridors.corridor(geometry)
    west, south, east, north = found.bounds
    buffer = io.BytesIO()
    writer = Writer(buffer)
    count = 0
    for tileid, (z, x, y) in sorted((zxy_to_tileid(*t), t) for t in found.tiles):
        body = corridors.tile_bytes(z, x, y, lang)
        if not body:  # PMTiles leaves an empty tile out: readers take a missing one so
            continue
        writer.write_tile(tileid, gzip.compress(body, mtime=0))
        count += 1
    kinds = [k.name for k in registry.kinds()]
    metadata = {"name": "Regional Tourism Atlas", "format": "pbf",
                "attribution": "Regional Tourism Atlas partners",
                "vector_layers": [{"id": f"{k}s"} for k in kinds]}
    if count == 0:  # the format needs one tile: an empty one at the lowest zoom
        z, x, y = found.tiles[0] if found.tiles else (corridors.MIN_ZOOM, 0, 0)
        writer.write_tile(zxy_to_tileid(z, x, y), gzip.compress(b"", mtime=0))
    writer.finalize({
        "tile_type": TileType.MVT, "tile_compression": Compression.GZIP,
        "min_lon_e7": int(west * 1e7), "min_lat_e7": int(south * 1e7),
        "max_lon_e7": int(east * 1e7), "max_lat_e7": int(north * 1e7),
        "center_zoom": corridors.MIN_ZOOM + 2,
        "center_lon_e7": int((west + east) / 2 * 1e7),
        "center_lat_e7": int((south + north) / 2 * 1e7)}, metadata)
    return buffer.getvalue(), {
        "file": "corridor.pmtiles", "layers": [f"{k}s" for k in kinds],
        "zooms": [corridors.MIN_ZOOM, found.max_zoom], "capped": found.capped,
        "tiles_in_corridor": len(found.tiles), "tiles_with_features": count,
        "corridor_m": corridors.HALF_WIDTH_M, "bounds": list(found.bounds),
        "data_version": found.version, "basemap": None}


def route_pack_build(spec: PackSpec, *, site_url: str) -> Path:
    """Make the pack of ``spec`` unless it is kept already; its path.

    Written to a hidden file and renamed into place: a reader never meets half a pack,
    and two workers making the same one leave one whole file."""
    path, key = kept_pack(spec)
    if path.exists():
        return path
    route = public_route(spec.slug)
    if route is None:
        raise LookupError(spec.slug)
    today = timezone.localdate()
    page_url = f"{site_url.rstrip('/')}/routes/{spec.slug}/"
    with translation.override("en"):
        detail = selectors.route_detail(slug=spec.slug, lang="en", along_m=None)
    if detail is None:
        raise LookupError(spec.slug)
    times = timetable(spec.slug, spec.days, today)
    files: dict[str, bytes] = {
        "route.gpx": exports.export(detail, route.pk, "gpx", page_url),
        "route.geojson": exports.export(detail, route.pk, "geojson", page_url),
    }
    if times is not None:
        files["timetable.json"] = json.dumps(times, ensure_ascii=False, indent=1,
                                             default=str).encode()
    for lang in LANGUAGES:
        files[f"route-{lang}.pdf"] = route_pdf(spec.slug, lang=lang, days=spec.days,
                                               timetable=times, page_url=page_url,
                                               data_date=today)
    tiles, tiles_info = corridor_pmtiles(detail["geometry"], lang="en")
    files["corridor.pmtiles"] = tiles

    feeds_end = [date.fromisoformat(f["valid_to"])
                 for day in (times or {}).get("days", {}).values() for f in day["feeds"]]
    ends = {"season_end": season_end(list(route.months), today),
            "timetable_end": min(feeds_end) if feeds_end else None}
    expiry = min((d for d in ends.values() if d is not None), default=None)
    partners = list(route.partners.values_list("slug", flat=True))
    found = credits(["attraction", "trail", "route"], FeatureFilters(partner=partners))
    feeds = {f["name"]: f for day in (times or {}).get("days", {}).values()
             for f in day["feeds"]}
    manifest = {
        "format": "atlas-route-pack", "format_version": PACK_FORMAT, "key": key,
        "route": {"slug": spec.slug, "name": detail["properties"]["name"], "url": page_url},
        "data_date": today.isoformat(),
        "expires": expiry.isoformat() if expiry else None,
        "expiry_basis": {k: v.isoformat() if v else None for k, v in ends.items()},
        "timetable_days": [d.isoformat() for d in spec.days] if times else [],
        "tiles": tiles_info,
        "attributions": [c.line() for c in found] + [
            f"Timetable {f['name']}: {f['licence'] or 'licence not stated'}"
            + (f"; {f['attribution']}" if f.get("attribution") else "")
            for f in feeds.values()],
        "licences": [{"licence": x, "url": licence_url(x)} for x in licences(found)],
        "files": [{"path": name, "bytes": len(data),
                   "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(files.items())],
    }
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pack-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w") as z:
            for name in [MANIFEST, *sorted(n for n in files if n != MANIFEST)]:
                info, data = _entry(name, files[name], today)
                z.writestr(info, data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _forget_old(keep=int(getattr(settings, "ATLAS_OFFLINE_PACK_KEEP", 100)))
    return path


def _forget_old(*, keep: int) -> None:
    """The least recently made packs beyond ``keep`` are deleted: a pack is made again
    when asked for."""
    found = sorted(pack_dir().glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[keep:]:
        old.unlink(missing_ok=True)


def default_days(today: date | None = None) -> tuple[date, ...]:
    return ((today or timezone.localdate()),)


def days_span(first: date, count: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range(count))
