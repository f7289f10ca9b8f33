"""Why a route has its difficulty, in the reader's language ("hard: 1,150 m of ascent over
18 km"), from the basis ``routes.metrics`` kept when it rated the route.
"""

from __future__ import annotations

from django.utils import formats, translation
from django.utils.translation import gettext as _

from layers.vocabulary import Difficulty


def difficulty_reason(basis: dict, lang: str) -> str:
    """Why the route has its difficulty, in ``lang``: 'hard: 1,150 m of ascent over 18 km'."""
    if not basis:
        return ""
    with translation.override(lang):
        level = str(Difficulty(basis["level"]).label).lower()

        def num(value: float, digits: int = 0) -> str:
            return formats.number_format(value, digits, use_l10n=True, force_grouping=True)

        km = basis["active_length_m"] / 1000
        effort = _("%(ascent)s m of ascent over %(length)s km") % {
            "ascent": num(basis["ascent_m"]), "length": num(km, 1 if km < 10 else 0)}
        motor_km = basis.get("motor_length_m", 0) / 1000
        if basis["decided_by"] == "none":
            if motor_km >= 0.05:
                return _("not rated: the difficulty measures walking and cycling, and this "
                         "route has none (%(km)s km by car, bus or train)") % {
                    "km": num(motor_km, 1 if motor_km < 10 else 0)}
            return _("%(level)s: no walking or cycling legs") % {"level": level}
        if basis["decided_by"] == "grade":
            text = _("%(level)s: a sustained grade of %(grade)s %% over 200 m; %(effort)s") % {
                "level": level, "grade": num(basis["steepest_grade_pct"]), "effort": effort}
        else:
            text = _("%(level)s: %(effort)s") % {"level": level, "effort": effort}
        known_km = basis.get("elevation_known_m", basis["active_length_m"]) / 1000
        if km - known_km >= 0.05:
            # Routes recomputed before legs kept part of their elevation have no such key
            # and say nothing: their ascent was all or nothing per leg.
            text = (_("%(difficulty)s (elevation known on %(known)s of the %(km)s km: the "
                      "climb elsewhere is not counted)") if known_km >= 0.05 else
                    _("%(difficulty)s (no elevation known on the way: the climb is not "
                      "counted)")) % {"difficulty": text,
                                      "known": num(known_km, 1 if known_km < 10 else 0),
                                      "km": num(km, 1 if km < 10 else 0)}
        if motor_km >= 0.05:
            text = _("%(difficulty)s walked or cycled; the %(km)s km by car, bus or train "
                     "are not counted") % {"difficulty": text,
                                           "km": num(motor_km, 1 if motor_km < 10 else 0)}
        return text
