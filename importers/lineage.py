"""The import history as a layer's lineage (layers.metadata.lineage): the runs that stand
(succeeded, or being undone), each with its file, date, format, CRS and who."""

from __future__ import annotations

from collections.abc import Sequence

from importers.models import ImportRun
from layers.metadata.lineage import LineageStep

# A record shows a layer's latest imports; a layer imported daily for years would make
# every record of the catalogue long to read and to build.
MAX_STEPS = 20


def import_history(layer_ids: Sequence[int]) -> dict[int, list[LineageStep]]:
    out: dict[int, list[LineageStep]] = {}
    runs = (ImportRun.objects.filter(layer_id__in=layer_ids, status__in=ImportRun.STANDING)
            .select_related("partner", "user").order_by("-started_at", "-id"))
    for run in runs:
        steps = out.setdefault(run.layer_id, [])  # type: ignore[arg-type]
        if len(steps) >= MAX_STEPS:
            continue
        organisation = str(run.partner) if run.partner else ""
        person = run.user.get_full_name() if run.user else ""
        by = f"{person} ({organisation})" if person and organisation else person or organisation
        counts = {k: int(run.counts.get(k) or 0) for k in ("created", "updated", "retired")}
        steps.append(LineageStep(when=run.started_at, file=run.file_name, format=run.format,
                                 crs=run.crs, by=by, counts=counts))
    return out
