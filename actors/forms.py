"""The forms actors fill in: sign-up (an account and an organisation's profile) and a
listing (new, or a change to a published one).

A listing's values travel as the form's text, field by field (``listing_values``): that
is what a submission keeps, what the moderator's diff compares, and what is validated
again, by this same form, when a moderator approves (the territory may have been redrawn,
the listing changed by its partner's editors in between)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.gis.geos import Point
from django.db.models import URLField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Listing
from geo.crs import WGS84
from layers.models import CONTENT_LANGUAGES, Attraction
from layers.vocabulary import Currency

LANGS = [code for code, _label in CONTENT_LANGUAGES]
TRANSLATED = ("name", "description", "accessibility")
# The fields an actor proposes, in the order the form and the diff show them. Labels and
# certifications are the partner's to grant, the status the moderators'.
PLAIN = ("type", "address", "opening_hours", "season_months", "price_from", "price_to",
         "currency", "wheelchair", "phone", "email", "website", "booking_url", "languages",
         "capacity", "starts_on", "ends_on", "yearly")
FIELDS: tuple[str, ...] = (*(f"{name}_{code}" for name in TRANSLATED for code in LANGS),
                           "lon", "lat", *PLAIN)
# What the actor who claimed an attraction proposes of it: its texts and practical side.
# Its point, category and layer stay the partner's.
ATTRACTION_FIELDS: tuple[str, ...] = (
    *(f"{name}_{code}" for name in TRANSLATED for code in LANGS),
    "address", "opening_hours", "season_months", "fee", "price_from", "price_to", "currency",
    "wheelchair", "phone", "email", "website", "booking_url", "languages")
FEE_TEXT = {None: "", True: "true", False: "false"}


def as_text(value: Any) -> str:
    """A value as the form's text: what a submission keeps and the diff compares."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float):
        return f"{round(value, 6):g}" if abs(value) < 1e6 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def listing_values(listing: Listing) -> dict[str, str]:
    """The listing's current values as the form's text, every field of ``FIELDS``."""
    out = {}
    for name in FIELDS:
        if name == "lon":
            out[name] = as_text(round(listing.location.x, 6)) if listing.location else ""
        elif name == "lat":
            out[name] = as_text(round(listing.location.y, 6)) if listing.location else ""
        else:
            out[name] = as_text(getattr(listing, name))
    return out


class CommaList(forms.Field):
    """A comma-separated list of short codes or numbers."""

    def __init__(self, *, item: type = str, **kwargs: Any) -> None:
        self.item = item
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[Any]:
        text = value.strip() if isinstance(value, str) else ""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if self.item is int:
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise forms.ValidationError(_("Give month numbers from 1 to 12, separated "
                                              "by commas.")) from None
        return [p.lower() for p in parts]


def field_title(model: Any, name: str) -> str:
    """A model field's verbose name, capitalised (in the active language)."""
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


def https_first(field: Any, **kwargs: Any) -> Any:
    """Form fields as the model makes them; a website typed without its scheme is https."""
    if isinstance(field, URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ListingForm(forms.ModelForm):
    """A listing as an actor proposes it; ``full_clean`` runs the model's checks (the
    territory that holds the point, a name in one language, the hours' syntax)."""

    lon = forms.FloatField(label=_("longitude"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("latitude"), min_value=-90, max_value=90)
    season_months = CommaList(item=int, label=_("season (months)"),
                              help_text=_("Months open, 1 to 12, comma-separated; empty when "
                                          "open all year."))
    languages = CommaList(label=_("languages spoken"),
                          help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))

    class Meta:
        formfield_callback = https_first
        model = Listing
        fields = tuple(f for f in FIELDS if f not in ("lon", "lat"))
        widgets = {f"description_{c}": forms.Textarea(attrs={"rows": 4}) for c in LANGS} | {
            f"accessibility_{c}": forms.Textarea(attrs={"rows": 2}) for c in LANGS} | {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.location is not None and not self.is_bound:
            self.initial["lon"] = round(self.instance.location.x, 6)
            self.initial["lat"] = round(self.instance.location.y, 6)
        for name in TRANSLATED:
            # Each language has its own fieldset: the field says what it is, not "[fr]".
            label = field_title(Listing, name)
            for code in LANGS:
                self.fields[f"{name}_{code}"].label = label
        for name in ("season_months", "languages"):
            if not self.is_bound and self.instance.pk:
                self.initial[name] = as_text(getattr(self.instance, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lon, lat = data.get("lon"), data.get("lat")
        if lon is not None and lat is not None:
            # Before the model's checks (which find the territory that holds the point).
            self.instance.location = Point(lon, lat, srid=WGS84)
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        # The model calls the point's field "location"; the form has lon and lat.
        if field == "location":
            field = "lon"
        elif field is None and hasattr(error, "error_dict") and "location" in error.error_dict:
            error.error_dict["lon"] = error.error_dict.pop("location")
        super().add_error(field, error)

    def values(self) -> dict[str, str]:
        """The cleaned values as text (``as_text``), every field."""
        return {name: as_text(self.cleaned_data.get(name)) for name in FIELDS}


def form_data(values: dict[str, str]) -> dict[str, str]:
    """Text values as a form's data (a false checkbox is an absent one)."""
    return {k: v for k, v in values.items() if not (k == "yearly" and not v)}


class ProfileForm(forms.ModelForm):
    """The organisation's profile, as its actor changes it after signing up."""

    languages = CommaList(label=_("languages spoken"),
                          help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))

    class Meta:
        formfield_callback = https_first
        model = Actor
        fields = ("organisation", "kind", "contact_name", "phone", "website", "languages",
                  *(f"description_{c}" for c in LANGS))
        widgets = {f"description_{c}": forms.Textarea(attrs={"rows": 3}) for c in LANGS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["languages"] = as_text(self.instance.languages)
        for code in LANGS:
            self.fields[f"description_{code}"].label = field_title(Actor, "description")

    def clean_languages(self) -> list[str]:
        codes = self.cleaned_data["languages"]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise forms.ValidationError(_("Use two-letter language codes in lower case, e.g. "
                                          "bg, en, fr."))
        return codes


class SignUpForm(ProfileForm):
    """An account (the e-mail address is the user name) and the organisation's profile."""

    # The address is the user name too, which Django caps at 150 characters.
    email = forms.EmailField(label=_("e-mail address"), max_length=150,
                             help_text=_("You sign in with it; we send a link to check it."))
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), strip=False)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username__iexact=email).exists() or \
                User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address exists: sign "
                                          "in, or ask for a new password."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            try:
                validate_password(one, User(username=data.get("email", ""),
                                            email=data.get("email", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AttractionForm(forms.ModelForm):
    """A claimed attraction's texts and practical fields, as its actor proposes them (the
    same fields as a listing's, and checked the same way)."""

    season_months = CommaList(item=int, label=_("season (months)"),
                              help_text=_("Months open, 1 to 12, comma-separated; empty when "
                                          "open all year."))
    languages = CommaList(label=_("languages spoken"),
                          help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))

    class Meta:
        formfield_callback = https_first
        model = Attraction
        fields = ATTRACTION_FIELDS
        widgets = {f"description_{c}": forms.Textarea(attrs={"rows": 4}) for c in LANGS} | {
            f"accessibility_{c}": forms.Textarea(attrs={"rows": 2}) for c in LANGS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TRANSLATED:
            label = field_title(Attraction, name)
            for code in LANGS:
                self.fields[f"{name}_{code}"].label = label
        for name in ("season_months", "languages"):
            if not self.is_bound and self.instance.pk:
                self.initial[name] = as_text(getattr(self.instance, name))

    def values(self) -> dict[str, str]:
        out = {name: as_text(self.cleaned_data.get(name)) for name in ATTRACTION_FIELDS}
        out["fee"] = FEE_TEXT[self.cleaned_data.get("fee")]
        # No currency chosen is euros, as the attraction keeps it (Attraction.clean).
        out["currency"] = out["currency"] or Currency.EUR
        return out


def attraction_values(attraction: Attraction) -> dict[str, str]:
    """The attraction's current values as the form's text, every field of
    ``ATTRACTION_FIELDS``."""
    out = {name: as_text(getattr(attraction, name)) for name in ATTRACTION_FIELDS}
    out["fee"] = FEE_TEXT[attraction.fee]
    return out
