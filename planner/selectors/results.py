"""What the analysis returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.params import CoverageQuery


def _per_100(value: float, area_km2: float) -> float:
    return value / area_km2 * 100 if area_km2 else 0.0


@dataclass
class AreaStats:
    """One row of the analysis: a partner's territory, or one of its sub-areas."""

    level: str  # "partner" or "sub_area"
    key: str  # the partner's slug, or the sub-area's public id
    partner: str
    name: str
    area_km2: float
    by_category: dict[str, int]  # the partner's own attractions in the area
    trails: int  # the partner's own trails crossing the area, and their km inside it
    trail_km: float
    routes: int
    gap_km2: float = 0.0
    gaps: int = 0
    missing_categories: list[str] = field(default_factory=list)
    geometry: dict | None = None
    # Other partners' public features inside the area: shown, never in the figures above.
    others_attractions: int = 0
    others_trails: int = 0
    others_trail_km: float = 0.0
    # Places to start from (own attractions and trailheads), and of them those within a
    # walk of a stop with weekend service (selectors/transit.py).
    start_places: int = 0
    start_places_without_car: int = 0

    @property
    def without_car_share(self) -> float:
        """Share (0–1) of the places to start from reachable without a car."""
        return self.start_places_without_car / self.start_places if self.start_places else 0.0

    @property
    def attractions(self) -> int:
        return sum(self.by_category.values())

    @property
    def attractions_per_100km2(self) -> float:
        return _per_100(self.attractions, self.area_km2)

    @property
    def trail_km_per_100km2(self) -> float:
        return _per_100(self.trail_km, self.area_km2)

    @property
    def covered_km2(self) -> float:
        return max(0.0, self.area_km2 - self.gap_km2)

    @property
    def covered_share(self) -> float:
        """Share of the area (0–1) within reach of something to do."""
        return self.covered_km2 / self.area_km2 if self.area_km2 else 0.0


@dataclass
class Gap:
    """A connected part of a territory beyond reach, with the sub-areas it touches."""

    partner: str
    rank: int  # 1 = the partner's largest gap
    area_km2: float
    centre: tuple[float, float]  # a point inside the gap, lon/lat
    touches: list[dict[str, str]]  # sub-areas: [{"key": public id, "name": name}]
    geometry: dict | None = None


@dataclass
class Coverage:
    query: CoverageQuery
    areas: list[AreaStats]  # partners first (by slug), then their sub-areas (by name)
    gaps: list[Gap]  # by partner, largest first
    categories: list[str]  # every category some analysed area has, most common first

    @property
    def partners(self) -> list[AreaStats]:
        return [a for a in self.areas if a.level == "partner"]

    @property
    def sub_areas(self) -> list[AreaStats]:
        return [a for a in self.areas if a.level == "sub_area"]



@dataclass
class Gaps:
    gaps: list[Gap]  # by partner, largest first
    gap_km2: dict[str, float]  # by area key
    reach: dict[str, dict]  # by partner: the territory within reach (GeoJSON), if asked
