"""The one check of what an announcement's writers send, for the pages' forms and the
API's JSON alike: ``AnnouncementForm`` (its texts and period) and ``link_specs`` (what it
points to, given as the addresses of the platform's pages)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import TEXT_MAX, TITLE_MAX
from campaigns.services import LinkSpec
from geo.errors import InvalidFields
from geo.i18n import LANGUAGE_CODES

MAX_LINKS = 20
MAX_DAYS = 366
LINK_PATHS = (
    ("attraction", re.compile(r"^/attractions/([0-9a-f-]{36})/?$")),
    ("route", re.compile(r"^/routes/([-a-zA-Z0-9_]+)/?$")),
    ("practice", re.compile(r"^/practices/([0-9a-f-]{36})/?$")),
)


class AnnouncementForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("Shown from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Shown until"),
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        for code in LANGUAGE_CODES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=gettext_lazy("Title"), required=False, max_length=TITLE_MAX)
            self.fields[f"text_{code}"] = forms.CharField(
                label=gettext_lazy("Text"), required=False, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 6}))
        if partial:
            for field in self.fields.values():
                field.required = False

    def _given(self, name: str) -> bool:
        return not self.partial or name in self.data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        titles = [f"title_{c}" for c in LANGUAGE_CODES]
        if not self.partial and not any(data.get(t) for t in titles):
            self.add_error("title_en", _("Give a title in at least one language."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                self.add_error("ends_on", _("The end comes before the start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("ends_on", _("An announcement is shown for a year at most."))
        return data

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if self._given(k)}


def link_specs(raw: Any) -> list[LinkSpec]:
    """Links given as a list of page addresses (the API) or as text with one address per
    line (the form): ``/routes/<slug>/``, ``/attractions/<id>/``, ``/practices/<id>/``,
    with or without the site's scheme and host."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise InvalidFields({"links": [_("Give the links as a list of page addresses.")]})
    if len(raw) > MAX_LINKS:
        raise InvalidFields({"links": [_("At most %(n)s links.") % {"n": MAX_LINKS}]})
    specs = []
    for line in raw:
        path = urlsplit(line.strip()).path
        found = next(((kind, m.group(1)) for kind, pattern in LINK_PATHS
                      if (m := pattern.match(path))), None)
        if found is None:
            raise InvalidFields({"links": [_(
                "“%(line)s” is not the address of a place, route or practice page of the "
                "atlas.") % {"line": line.strip()[:200]}]})
        specs.append(LinkSpec(kind=found[0], id=found[1]))
    return specs
