"""The one check of an entered indicator, for the strategy page's form and the API."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from planner.models import EnteredIndicator
from planner.vocabulary import IndicatorName, IndicatorUnit

VALUE_LIMIT = 1e15
"""Larger than any count a territory has: beyond it a value is a typing slip."""


class EnteredIndicatorForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"),
                                  choices=IndicatorName.choices)
    label = forms.CharField(label=gettext_lazy("Name (for “other”)"), required=False,
                            max_length=120)
    value = forms.FloatField(label=gettext_lazy("Value"), min_value=-VALUE_LIMIT,
                             max_value=VALUE_LIMIT,
                             widget=forms.NumberInput(attrs={"step": "any"}))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=IndicatorUnit.choices)
    date = forms.DateField(label=gettext_lazy("Date"),
                           widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=300)

    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        if partial:
            # A change names only what it changes (the API's PATCH).
            for name in list(self.fields):
                if name not in self.data:
                    del self.fields[name]

    def clean_value(self) -> float:
        value = self.cleaned_data["value"]
        if not math.isfinite(value):
            raise forms.ValidationError(gettext_lazy("Enter a number."))
        return value

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("The date is in the future: enter "
                                                     "values already measured."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("indicator") == IndicatorName.OTHER and not cleaned.get("label"):
            self.add_error("label", gettext_lazy("Name what is counted."))
        return cleaned

    def values(self, row: EnteredIndicator | None = None) -> dict[str, Any]:
        """The cleaned values to write (a change: only those it names)."""
        values = {k: v for k, v in self.cleaned_data.items() if k in self.fields}
        indicator = values.get("indicator", row.indicator if row else None)
        if indicator and indicator != IndicatorName.OTHER and "indicator" in values:
            values["label"] = ""
        return values
