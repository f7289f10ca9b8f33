"""The one check of what an author writes, for the pages' forms and the API's JSON alike:
``PracticeForm`` (the practice's fields), ``place_specs`` and ``indicator_specs``."""

from __future__ import annotations

import json
import math
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.models import SUMMARY_MAX, TITLE_MAX
from exchange.places import PlaceSpec
from exchange.services import IndicatorSpec
from exchange.vocabulary import (
    TRANSLATED_TEXTS,
    Origin,
    PlannerMeasure,
    PracticeKind,
    TextStatus,
    Theme,
)
from geo.errors import InvalidFields
from geo.i18n import LANGUAGE_CODES
from layers.vocabulary import Category

MAX_PLACES = 50
MAX_INDICATORS = 30
TEXT_MAX = 10_000

TEXT_LABELS = {
    "title": gettext_lazy("Title"), "summary": gettext_lazy("Summary"),
    "problem": gettext_lazy("The problem it addressed"),
    "actions": gettext_lazy("What was done"),
    "stakeholders": gettext_lazy("Who took part"),
    "resources": gettext_lazy("Resources (budget, people, duration)"),
    "evidence": gettext_lazy("Evidence of success"),
    "lessons": gettext_lazy("Difficulties and lessons"),
    "transfer": gettext_lazy("What it takes to transfer it"),
}


class PracticeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PracticeKind.choices,
                             initial=PracticeKind.PRACTICE, required=False)
    period_start = forms.DateField(label=gettext_lazy("From"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("Until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    themes = forms.MultipleChoiceField(label=gettext_lazy("Themes"), choices=Theme.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Attraction categories it concerns"), choices=Category.choices,
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    origin = forms.ChoiceField(label=gettext_lazy("Origin"), choices=Origin.choices,
                               initial=Origin.OWN, required=False)
    source_organisation = forms.CharField(label=gettext_lazy("Organisation"), required=False,
                                          max_length=200)
    source_country = forms.CharField(label=gettext_lazy("Country (ISO code, e.g. IT)"),
                                     required=False, max_length=2)
    source_url = forms.URLField(label=gettext_lazy("Source (web address)"), required=False,
                                max_length=500, assume_scheme="https")
    source_licence = forms.CharField(label=gettext_lazy("Licence of the text"),
                                     required=False, max_length=100)
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), required=False,
                                   max_length=200)
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), required=False,
                                    max_length=40)

    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        for name in TRANSLATED_TEXTS:
            for code in LANGUAGE_CODES:
                limit = {"title": TITLE_MAX, "summary": SUMMARY_MAX}.get(name, TEXT_MAX)
                widget = (forms.TextInput() if name == "title"
                          else forms.Textarea(attrs={"rows": 3 if name == "summary" else 4}))
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=TEXT_LABELS[name], required=False, max_length=limit, widget=widget,
                    strip=True)
        for code in LANGUAGE_CODES:
            self.fields[f"status_{code}"] = forms.ChoiceField(
                label=gettext_lazy("This language's text is"), required=False,
                choices=[("", "—"), *TextStatus.choices])
        if partial:
            for field in self.fields.values():
                field.required = False

    def clean_source_country(self) -> str:
        value = (self.cleaned_data.get("source_country") or "").upper()
        if value and not (len(value) == 2 and value.isalpha()):
            raise forms.ValidationError(_("Two letters, as in IT or ES."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Absent, they keep their defaults (a new practice is the partner's own practice).
        data["kind"] = data.get("kind") or PracticeKind.PRACTICE
        data["origin"] = data.get("origin") or Origin.OWN
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end comes before the start."))
        return data

    def _given(self, name: str) -> bool:
        return not self.partial or name in self.data

    def values(self) -> dict[str, Any]:
        """The practice's fields the request gave (all of them unless partial)."""
        return {k: v for k, v in self.cleaned_data.items()
                if not k.startswith("status_") and self._given(k)}

    def text_status(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"status_{code}"] for code in LANGUAGE_CODES
                if self.cleaned_data.get(f"status_{code}")}


def _list(raw: Any, field: str, limit: int) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise InvalidFields({field: [_("Not a JSON list.")]}) from None
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise InvalidFields({field: [_("A list of objects is expected.")]})
    if len(raw) > limit:
        raise InvalidFields({field: [_("At most %(n)d.") % {"n": limit}]})
    return raw


def place_specs(raw: Any) -> list[PlaceSpec]:
    """Places as the API and the form's map send them: ``[{"attraction": uid}, {"trail":
    uid}, {"route": slug}, {"geometry": GeoJSON}, …]``, each with an optional label."""
    specs = []
    for i, item in enumerate(_list(raw, "places", MAX_PLACES)):
        geometry = item.get("geometry")
        if isinstance(geometry, dict):
            geometry = json.dumps(geometry)
        values = {k: (str(item[k]) if item.get(k) not in (None, "") else None)
                  for k in ("attraction", "trail", "route")}
        if sum(v is not None for v in (*values.values(), geometry)) != 1:
            raise InvalidFields({f"places[{i}]": [_("A place is one of an attraction, a "
                                                    "trail, a route or a drawn shape.")]})
        specs.append(PlaceSpec(**values, geometry=geometry,
                               label=str(item.get("label") or "")[:200]))
    return specs


def _number(item: dict[str, Any], key: str, field: str) -> float | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise InvalidFields({field: [_("Not a number.")]})
    return number


def indicator_specs(raw: Any) -> list[IndicatorSpec]:
    """Evidence rows: ``[{"name", "measure", "unit", "value_before", "value_after",
    "date_before", "date_after", "source"}, …]`` (with a planner ``measure``, the values
    are the planner's: exchange.evidence)."""
    specs = []
    for i, item in enumerate(_list(raw, "indicators", MAX_INDICATORS)):
        name = str(item.get("name") or "").strip()
        if not name:
            raise InvalidFields({f"indicators[{i}].name": [_("Name the indicator.")]})
        dates = {}
        for key in ("date_before", "date_after"):
            field = forms.DateField(required=False)
            try:
                dates[key] = field.clean(item.get(key) or None)
            except forms.ValidationError:
                raise InvalidFields({f"indicators[{i}].{key}": [_("Not a date.")]}) from None
        measure = str(item.get("measure") or "")
        if measure and measure not in PlannerMeasure.values:
            raise InvalidFields({f"indicators[{i}].measure": [
                _("Choose one of the planner's indicators, or none.")]})
        specs.append(IndicatorSpec(
            name=name[:200], measure=measure, unit=str(item.get("unit") or "")[:40],
            value_before=_number(item, "value_before", f"indicators[{i}].value_before"),
            value_after=_number(item, "value_after", f"indicators[{i}].value_after"),
            source=str(item.get("source") or "")[:300], **dates))
    return specs
