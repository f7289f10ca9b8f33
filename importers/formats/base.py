"""What every format reader gives the pipeline, and what it takes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from geo.crs import Identified
from importers.encoding import EncodingChoice, not_in_encoding, text_file_sample
from importers.exceptions import Refused
from importers.messages import Message


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None  # explicit --encoding
    srs: Identified | None = None  # explicit --srs
    prefer_language: str | None = None  # the partner's main language: a tie-breaker
    source_layer: str | None = None  # which layer or .shp of a multi-layer source
    keep_duplicate_routes: bool = False  # GPX: a route that retraces a track stays a trail


@dataclass
class SourceData:
    """One source layer, in its own CRS, columns as the file has them."""

    label: str  # what messages call it: "parks.zip/parks.shp", "walk.gpx"
    layer: str  # the source layer's name
    geometries: np.ndarray  # shapely geometries (None where the file has none)
    columns: dict[str, np.ndarray]  # attribute values by their original names
    crs: Identified | None = None
    crs_reason: Message | None = None
    encoding: EncodingChoice | None = None
    notes: list[Message] = field(default_factory=list)
    first_row: int = 1  # row numbers in messages are 1-based positions in the layer
    # Without a CRS: the refusal's template (%(file)s, %(details)s), when not a missing .prj.
    no_crs: str | None = None
    text_limit: int | None = None  # bytes a text value can hold (254 in a DBF)
    # The platform's public id of each feature (str, or None where it has none), taken out
    # of ``columns`` when the file carries them (importers/pipeline/public_ids.py).
    public_ids: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.geometries)


class Format(Protocol):
    name: str
    suffixes: frozenset[str]

    def read(self, path: Path, options: ReadOptions,
             label: str | None = None) -> list[SourceData]: ...


def python_value(value: Any) -> Any:
    """A JSON-ready Python value for one attribute value read by GDAL."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, np.ndarray):  # a list (GeoJSON's arrays: GDAL's list fields)
        return [python_value(v) for v in value.tolist()]
    return value


def column_values(array: np.ndarray, ogr_subtype: str | None = None) -> np.ndarray:
    """A column as GDAL read it, JSON-ready: numbers stay numpy arrays (NaN is missing)."""
    if np.issubdtype(array.dtype, np.datetime64):
        return np.array([None if np.isnat(v) else np.datetime_as_string(v, unit="auto")
                         for v in array], dtype=object)
    if array.dtype.kind in "iub":
        return array
    if array.dtype.kind == "f":
        if np.isfinite(array).all():
            return array
        out = array.astype(object)
        out[~np.isfinite(array)] = None
        return out
    if ogr_subtype == "OFSTJSON":
        return np.array([_json_or_text(python_value(v)) for v in array.tolist()], dtype=object)
    # (every row: a list may first come on any row)
    if any(isinstance(v, (bytes, np.generic, np.ndarray)) for v in array.tolist()):
        return np.array([python_value(v) for v in array.tolist()], dtype=object)
    return array


def _json_or_text(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def object_array(items: Iterable[Any]) -> np.ndarray:
    """A 1-D object array of ``items`` (np.array() would unpack geometries and sequences)."""
    values = list(items)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def drop_m(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Geometries without M values (kept Z), and how many had M."""
    present = np.array([g is not None for g in geoms], dtype=bool)
    has_m = np.zeros(len(geoms), dtype=bool)
    has_m[present] = shapely.has_m(geoms[present])
    if not has_m.any():
        return geoms, 0
    out = geoms.copy()
    for i in np.flatnonzero(has_m):
        g = geoms[i]
        out[i] = (shapely.from_wkb(shapely.to_wkb(g, output_dimension=3)) if g.has_z
                  else shapely.force_2d(g))
    return out, int(has_m.sum())


def gdal_error(exc: Exception, path: Path, label: str) -> str:
    """GDAL's message with the working copy's path (a temporary folder) named as the user
    named the file."""
    return str(exc).replace(str(path), label).replace(str(path.parent) + "/", "")


def read_with_gdal(path: Path, label: str, *, layer: str | int | None = None,
                   encoding: str | None = None, notes: list[Message] | None = None,
                   encoding_said: Message | None = None, text_file: Path | None = None,
                   **kwargs: Any) -> tuple[dict[str, Any], np.ndarray, dict[str, np.ndarray]]:
    """Read a GDAL-readable layer: (meta, geometries, columns). Errors become Refused.

    What GDAL warns about while reading goes into ``notes`` (the import report).
    Text that is not in ``encoding`` (UTF-8 when None; ``encoding_said`` says why that
    one) is refused naming the encoding the bytes of ``text_file`` (``path``) look like.
    """
    # pyogrio brings a GDAL of its own, some 30 MB resident once loaded: only the
    # formats read through it load it (GPX is parsed by lxml).
    import pyogrio.raw
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            meta, _fids, wkb, fields = pyogrio.raw.read(
                path, layer=layer, encoding=encoding, datetime_as_string=True, **kwargs)
        if notes is not None:
            # GDAL's own words: in English, whatever the reader's language.
            notes.extend(Message(_("GDAL: %(warning)s"), warning=text)
                         for text in dict.fromkeys(str(w.message) for w in caught))
    except UnicodeDecodeError as exc:
        codec = encoding or "utf-8"
        said = encoding_said or Message(_("GDAL's default"))
        raise Refused(Message(_("%(file)s: %(problem)s"), file=label, problem=not_in_encoding(
            text_file_sample(text_file or path), codec, exc, said))) from None
    except (DataSourceError, DataLayerError) as exc:
        raise Refused(Message(_("%(file)s: GDAL cannot read it, the file looks damaged or "
                                "incomplete (%(error)s)"), file=label,
                              error=gdal_error(exc, path, label))) from None
    except Exception as exc:  # noqa: BLE001 - GDAL's read errors (truncated files…)
        raise Refused(Message(_("%(file)s: reading failed, the file looks damaged or "
                                "truncated: %(error)s"), file=label,
                              error=gdal_error(exc, path, label))) from None
    if wkb is None:
        geoms = np.full(len(fields[0]) if fields else 0, None, dtype=object)
    else:
        try:
            geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        except shapely.errors.GEOSException as exc:
            raise Refused(Message(_("%(file)s: unreadable geometry: %(error)s"), file=label,
                                  error=str(exc))) from None
    subtypes = meta.get("ogr_subtypes") or [None] * len(meta["fields"])
    columns = {name: column_values(values, sub)
               for name, values, sub in zip(meta["fields"], fields, subtypes, strict=True)}
    return meta, geoms, columns


def arrow_values(array: Any, ogr_subtype: str | None = None) -> np.ndarray:
    """One column of a batch GDAL gave as Arrow, as ``pyogrio.raw.read`` gives it and then
    ``column_values`` (a batch read either way gives the same values): integers and
    booleans with a missing value are reals (NaN: missing), dates ISO text, lists arrays."""
    import pyarrow as pa

    kind = array.type
    if isinstance(kind, pa.ExtensionType):  # GDAL's arrow.json: the JSON's text
        array, kind = array.storage, kind.storage_type
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        values = (array.to_numpy(zero_copy_only=False) if array.null_count == 0
                  else array.cast(pa.float64()).to_numpy(zero_copy_only=False))
    elif pa.types.is_floating(kind):
        values = array.cast(pa.float64()).to_numpy(zero_copy_only=False)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
        values = object_array(None if v is None else np.array(v)
                              for v in array.to_pylist())
    elif pa.types.is_date(kind) or pa.types.is_time(kind) or pa.types.is_timestamp(kind):
        values = object_array(None if v is None else v.isoformat()
                              for v in array.to_pylist())
    else:
        values = object_array(array.to_pylist())
    return column_values(values, ogr_subtype)


def read_gdal_batches(path: Path, label: str, size: int, *,
                      encoding_said: Message | None = None, columns: list[str] | None = None,
                      geometry: bool = True
                      ) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray], list[Message]]]:
    """A GDAL-readable file's features, ``size`` at a time, in one pass: (geometries,
    columns, GDAL's warnings) as ``read_with_gdal`` gives them for the same features.
    Errors become Refused, as there.

    GDAL hands the features over as Arrow batches: a format it reads as a stream (a
    GeoJSON FeatureCollection) is never whole in memory, and a batch is not looked for
    again from the file's start, as ``skip_features`` would (decision 0027)."""
    import pyogrio.raw
    from pyogrio.errors import DataLayerError, DataSourceError

    def said(caught: list[warnings.WarningMessage]) -> list[Message]:
        # GDAL's own words: in English, whatever the reader's language.
        return [Message(_("GDAL: %(warning)s"), warning=text)
                for text in dict.fromkeys(str(w.message) for w in caught)]

    try:
        with contextlib.ExitStack() as stack:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                meta, reader = stack.enter_context(pyogrio.raw.open_arrow(
                    path, columns=columns, read_geometry=geometry, batch_size=size,
                    use_pyarrow=True, datetime_as_string=True))
            notes = said(caught)
            subtypes = dict(zip(meta["fields"], meta.get("ogr_subtypes")
                                or [None] * len(meta["fields"]), strict=True))
            geometry_name = meta.get("geometry_name") or "wkb_geometry"
            while True:
                # The warnings are caught a batch at a time: the generator's consumer runs
                # between batches, and must not have its own warnings recorded here.
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    batch = next(reader, None)
                notes += said(caught)
                if batch is None:
                    return
                found = {name: arrow_values(batch.column(name), subtypes.get(name))
                         for name in batch.schema.names if name in subtypes}
                if geometry and geometry_name in batch.schema.names:
                    wkb = batch.column(geometry_name).to_numpy(zero_copy_only=False)
                    try:
                        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
                    except shapely.errors.GEOSException as exc:
                        raise Refused(Message(_("%(file)s: unreadable geometry: %(error)s"),
                                              file=label, error=str(exc))) from None
                else:
                    geoms = np.full(batch.num_rows, None, dtype=object)
                yield np.asarray(geoms, dtype=object), found, notes
                notes = []
    except UnicodeDecodeError as exc:
        codec = encoding_said or Message(_("GDAL's default"))
        raise Refused(Message(_("%(file)s: %(problem)s"), file=label, problem=not_in_encoding(
            text_file_sample(path), "utf-8", exc, codec))) from None
    except (DataSourceError, DataLayerError) as exc:
        raise Refused(Message(_("%(file)s: GDAL cannot read it, the file looks damaged or "
                                "incomplete (%(error)s)"), file=label,
                              error=gdal_error(exc, path, label))) from None
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL's read errors (truncated files…)
        raise Refused(Message(_("%(file)s: reading failed, the file looks damaged or "
                                "truncated: %(error)s"), file=label,
                              error=gdal_error(exc, path, label))) from None
