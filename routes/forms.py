"""The form partner editors describe a route with, on the site and through the API: its
texts in the four languages, themes, season, days, status and partners. Its stops and
legs are the composition editor's (routes/api.py, RouteComposition)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from layers.models import CONTENT_LANGUAGES, Partner
from layers.permissions import editable_partners
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES, Theme

# Addresses of pages beside the routes' own (/routes/new/).
RESERVED_SLUGS = frozenset({"new"})
TEXT_FIELDS = [f"{name}_{code}" for name in ("title", "summary", "description")
               for code, _label in CONTENT_LANGUAGES]


class RouteForm(forms.ModelForm):
    """A route's description. ``partners`` offers the partners the user edits; on a
    change the route's other partners are kept (they are not the user's to remove)."""

    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    months = forms.TypedMultipleChoiceField(
        label=_("Season"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(m, name) for m, name in MONTHS.items()],
        help_text=_("The months in which the route is recommended; none for all year."))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=Partner.objects.none(), to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The partners whose editors look after the route."))

    class Meta:
        model = PilotRoute
        fields = ["slug", *TEXT_FIELDS, "themes", "months", "duration_days", "status",
                  "partners"]
        widgets = {f"description_{code}": forms.Textarea(attrs={"rows": 4})
                   for code, _label in CONTENT_LANGUAGES}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        mine: QuerySet[Partner] = editable_partners(user)
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = mine
        if self.instance.pk:
            # The slug is the route's address: pages, downloads and links keep it.
            self.fields["slug"].disabled = True
            partners.required = False
            partners.initial = list(self.instance.partners.filter(pk__in=mine))
        elif len(mine) == 1:
            partners.initial = [mine[0].slug]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This name is taken by a page; choose another."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code, _label in CONTENT_LANGUAGES):
            self.add_error(None, _("Give the route a title in at least one language."))
        kept = (list(self.instance.partners.exclude(pk__in=editable_partners(self.user)))
                if self.instance.pk else [])
        stops = self.instance.stops.count() if self.instance.pk else 0
        if data.get("status") in PUBLIC_STATUSES and stops < 2:
            # A public route with nothing to follow would be a page of zeros.
            self.add_error("status", _("A route needs at least two stops (Stops and legs) "
                                       "before it is public: save it as a draft, then "
                                       "choose its stops."))
        data["partners"] = [*(data.get("partners") or []), *kept]
        if not data["partners"]:
            self.add_error("partners", _("Choose at least one of your partners."))
        data["months"] = sorted(set(data.get("months") or []))
        return data


def route_values(route: PilotRoute, user: User | AnonymousUser) -> dict[str, Any]:
    """The form's data for ``route`` as it is: what a partial change (the API's PATCH)
    starts from."""
    values: dict[str, Any] = {name: getattr(route, name) or "" for name in TEXT_FIELDS}
    values.update(slug=route.slug, themes=list(route.themes), months=list(route.months),
                  duration_days=route.duration_days, status=route.status,
                  partners=list(route.partners.filter(pk__in=editable_partners(user))
                                .values_list("slug", flat=True)))
    return values
