"""The upload form: the same choices as `manage.py import_layer`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from geo.crs import CrsError, Identified, identify
from importers.messages import crs_problem
from layers.models import Partner
from layers.vocabulary import LayerKind


def parse_field_map(text: str) -> dict[str, str]:
    """``name_bg=IME`` lines (or comma-separated) into {field: column}."""
    mapping = {}
    for item in text.replace(",", "\n").splitlines():
        item = item.strip()
        if not item:
            continue
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise forms.ValidationError(
                _("Write FIELD=COLUMN, e.g. name_bg=IME (got %(item)r)"), params={"item": item})
        mapping[field.strip()] = column.strip()
    return mapping


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A zipped or loose shapefile (.zip, .shp), GPX, GeoJSON, KML or KMZ."))
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Partner"))
    # The page lists the partner's layers in <datalist id="layers">.
    layer = forms.SlugField(label=_("Layer"), widget=forms.TextInput(attrs={"list": "layers"}),
                            help_text=_("An existing layer's slug, or a new one to create."))
    kind = forms.ChoiceField(choices=LayerKind.choices, label=_("Kind of features"))
    encoding = forms.CharField(required=False, label=_("Text encoding"),
                               help_text=_("Only if detection gets it wrong, e.g. cp1251."))
    srs = forms.CharField(required=False, label=_("Coordinate reference system"),
                          help_text=_("Only for files without a .prj, e.g. EPSG:2100."))
    id_field = forms.CharField(required=False, label=_("Id column"))
    field_map = forms.CharField(required=False, label=_("Attribute mapping"),
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One FIELD=COLUMN per line, e.g. name_en=NAME_EN."))
    skip_invalid = forms.BooleanField(required=False, label=_("Skip invalid rows"))
    sync = forms.BooleanField(required=False,
                              label=_("Retire features the file no longer has"))
    allow_outside = forms.BooleanField(
        required=False, label=_("Import the features outside the partner's territory"),
        help_text=_("Without it, features beyond the territory stop the import."))

    def __init__(self, *args: Any, partners: QuerySet[Partner] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners is not None:
            partner = cast(forms.ModelChoiceField, self.fields["partner"])
            partner.queryset = partners
            if len(partners) == 1:  # an editor of one partner has nothing to choose
                partner.initial = partners[0].pk
                partner.empty_label = None

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATLAS_IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than the limit of %(mib)s MiB."),
                                        params={"mib": settings.ATLAS_IMPORT_MAX_FILE_BYTES >> 20})
        return upload

    def clean_srs(self) -> Identified | None:
        text = self.cleaned_data["srs"].strip()
        if not text:
            return None
        try:
            return identify(text)
        except CrsError as exc:
            raise forms.ValidationError(str(crs_problem(exc))) from None

    def clean_field_map(self) -> dict[str, str]:
        return parse_field_map(self.cleaned_data["field_map"])
