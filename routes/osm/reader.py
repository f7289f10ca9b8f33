"""The routable ways of a PBF file, read with pyosmium (libosmium): one pass keeps the
ways tagged ``highway`` that a walker, cyclist or driver may use, their lines built
from their nodes' locations in C++."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.utils.translation import gettext as _

from geo.errors import Refused
from routes.osm.tags import KIND_TAGS, ROUTABLE


@dataclass
class Extract:
    """The routable ways of a file: for each, its id, its kind (an index into ``kinds``:
    the tags that say who may use it), its name and its line as WKB; a way with nodes
    missing from the file (a box clip) is kept in parts."""

    way_ids: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    wkb: list[bytes] = field(default_factory=list)
    kinds: list[dict[str, str]] = field(default_factory=list)
    data_date: dt.datetime | None = None
    cut_ways: int = 0


def read(path: Path) -> Extract:
    """The routable ways of the PBF at ``path``, whose framing ``pbf.check`` passed.

    Raises ``Refused`` naming the file when a block of it is damaged or does not
    inflate to the size it declares."""
    import osmium  # its C++ core is loaded by imports, not by every web process

    out = Extract()
    # A way's kind by its tags' values: a few hundred kinds for thousands of ways.
    kinds: dict[tuple[str | None, ...], int] = {}
    # libosmium builds each line in C++ (WKBFactory): reading the nodes one by one in
    # Python was 5 times slower (docs/benchmarks.md).
    lines = osmium.geom.WKBFactory()
    try:
        reader = osmium.io.Reader(osmium.io.File(str(path), "pbf"),
                                  osmium.osm.osm_entity_bits.NOTHING)
        try:
            stamp = reader.header().get("osmosis_replication_timestamp")
        finally:
            reader.close()
        if stamp:
            out.data_date = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        processor = (osmium.FileProcessor(osmium.io.File(str(path), "pbf"),
                                          osmium.osm.NODE | osmium.osm.WAY)
                     .with_locations()
                     .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                     .with_filter(osmium.filter.KeyFilter("highway")))
        for way in processor:
            tags = way.tags
            values = tuple(map(tags.get, KIND_TAGS))
            if values[0] not in ROUTABLE:
                continue
            kind = kinds.get(values)
            if kind is None:
                kind = kinds[values] = len(kinds)
                out.kinds.append({k: v for k, v in zip(KIND_TAGS, values, strict=True)
                                  if v is not None})
            assert isinstance(way, osmium.osm.Way)  # the entity filter lets ways only
            try:
                # libosmium writes hex; GEOS reads hex WKB some 10 times slower than the
                # bytes Python's fromhex makes of it (0.3 s against 0.03 s on Andorra).
                wkbs = [bytes.fromhex(lines.create_linestring(way))]
            except osmium.InvalidLocationError:
                wkbs = _parts(way)
                out.cut_ways += 1
            except RuntimeError:
                continue  # all its nodes at one place: no line to travel
            name = tags.get("name") or ""
            for wkb in wkbs:
                out.way_ids.append(way.id)
                out.kind.append(kind)
                out.names.append(name)
                out.wkb.append(wkb)
    except RuntimeError as exc:
        if "uncompress" in str(exc):
            # A block that inflates past the size it declares: libosmium stops at that
            # size (a bomb's data is never all inflated).
            raise Refused(_("%(file)s is refused: a block of it does not inflate to the size "
                            "it declares (a damaged file or a decompression bomb); nothing "
                            "was written") % {"file": path.name}) from None
        # The framing was checked whole (pbf.check); libosmium's words say what is wrong
        # inside a block.
        raise Refused(_("%(file)s is not a complete OpenStreetMap PBF file (%(error)s); "
                        "nothing was written") % {"file": path.name, "error": exc}) from None
    return out


def _parts(way: object) -> list[bytes]:
    """The runs of a way between its nodes missing from the file, as WKB lines."""
    runs: list[list[tuple[float, float]]] = [[]]
    for node in way.nodes:  # type: ignore[attr-defined]
        if node.location.valid():
            runs[-1].append((node.lon, node.lat))
        elif runs[-1]:
            runs.append([])
    return [shapely.to_wkb(shapely.linestrings(r)) for r in runs if len(set(r)) >= 2]
