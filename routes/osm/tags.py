"""Which OSM ways a walker, cyclist or driver may use, and in which direction, from their
tags (OSM wiki, "OSM tags for routing/Access restrictions", the defaults most countries
share)."""

from __future__ import annotations

WALK = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
        "service", "road", "track", "path", "footway", "pedestrian", "steps", "bridleway",
        "cycleway"}
BIKE = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
        "service", "road", "track", "path", "cycleway"}
CAR = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
       "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
       "residential", "living_street", "service", "road"}
ROUTABLE = WALK | BIKE | CAR
YES = {"yes", "designated", "permissive", "official"}
NO = {"no", "private", "use_sidepath"}
BIKE_SAC_SCALES = {"hiking", "mountain_hiking"}
"""Beyond these (demanding mountain hiking and up) a path is no way for a bicycle."""
TAGS = ("highway", "name", "surface", "access", "foot", "bicycle", "sac_scale")
"""The tags a ``RoadEdge`` keeps, each in the column of its name."""
KIND_TAGS = ("highway", "surface", "access", "foot", "bicycle", "sac_scale", "oneway",
             "oneway:bicycle", "junction", "cycleway", "vehicle", "motor_vehicle",
             "motorcar", "area")
"""The tags that say who may use a way and how (all that is read but its name): ways
with the same values are of one kind, whose access is worked out once."""


def _may(default: bool, *values: str) -> bool:
    """A mode's access from its default and the tags, most specific last."""
    allowed = default
    for value in values:
        if value in YES:
            allowed = True
        elif value in NO:
            allowed = False
    return allowed


def access_of(tags: dict[str, str]) -> tuple[bool, bool, bool]:
    """(walk, bike, car): who may use a way with these tags."""
    hw = tags.get("highway", "")
    access = tags.get("access", "")
    # Most countries allow walking on cycleways unless a foot tag says otherwise.
    foot_default = hw == "cycleway" or hw in WALK
    walk = _may(foot_default, access, tags.get("foot", ""))
    bike_default = hw in BIKE and (hw != "path" or tags.get("sac_scale", "hiking")
                                   in BIKE_SAC_SCALES)
    # A footway signed bicycle=yes is a way for bicycles: the most specific tag wins.
    bike = _may(bike_default, access, tags.get("vehicle", ""), tags.get("bicycle", ""))
    # Tags only take roads away from cars: a track "open to motor vehicles" is still no
    # way to send a visitor's car down (as routers' car profiles do).
    car = hw in CAR and _may(True, access, tags.get("vehicle", ""),
                             tags.get("motor_vehicle", ""), tags.get("motorcar", ""))
    if tags.get("area") == "yes":
        walk = bike = car = False  # a square's outline is no way along it
    return walk, bike, car


def oneway_of(tags: dict[str, str]) -> tuple[int, int]:
    """(oneway for vehicles, oneway for bicycles): 1 along the way, -1 against, 0 none."""
    value = tags.get("oneway", "")
    if value in {"yes", "true", "1"}:
        car = 1
    elif value in {"-1", "reverse"}:
        car = -1
    elif tags.get("junction") in {"roundabout", "circular"} or tags.get("highway") in {
            "motorway", "motorway_link"}:
        car = 1 if value != "no" else 0
    else:
        car = 0
    bike_value = tags.get("oneway:bicycle", "")
    bike = 0 if bike_value == "no" or tags.get("cycleway") in {"opposite", "opposite_lane",
                                                              "opposite_track"} else car
    if bike_value in {"yes", "1"}:
        bike = 1
    return car, bike
