"""Transfers and study visits in the admin, for partners' editors as their other objects.

- A **transfer** is opened on the practice's page (its rules and notices), and moves from
  state to state there (``exchange.transfers.transfer_move``: *transferred* only with
  evidence measured in the receiving partner's territory). The admin corrects the rest of
  an open transfer — its plan, steps and evidence — for the receiving partner's editors;
  the practice's own partner's editors see it; a closed one is read only. Each evidence
  row is checked as on the page (its territory, its dates in order, a planner indicator's
  values taken from the planner).
- A **study visit** is written by the editors of its host or of a visiting partner.

Superusers see and change everything; the other staff see nothing of these.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from exchange.evidence import fill_from_planner
from exchange.models import (
    GoodPractice,
    StudyVisit,
    Transfer,
    TransferEvent,
    TransferIndicator,
    TransferStep,
    VisitPlace,
)
from exchange.vocabulary import PUBLIC_STATUSES, TRANSFER_ENDS
from geo.errors import InvalidFields
from layers.models import Partner
from layers.permissions import editable_partners

EDITOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "transfer": ("change", "delete", "view"),
    "transferstep": ("add", "change", "delete", "view"),
    "transferindicator": ("add", "change", "delete", "view"),
    "transferevent": ("view",),
    "studyvisit": ("add", "change", "delete", "view"),
    "visitplace": ("add", "change", "delete", "view"),
}
"""What a partner's editors may do here (layers.registry.register_editor_permissions);
the admins below narrow each to their partners' rows."""


def _ids(request: HttpRequest) -> list[int]:
    return list(editable_partners(request.user).values_list("pk", flat=True))


# Transfers -------------------------------------------------------------------------------


def runs(request: HttpRequest, transfer: Transfer | None) -> bool:
    """Whether the request's user may change ``transfer`` here: a superuser, or an
    editor of the receiving partner while it is open."""
    if transfer is None:
        return True
    if transfer.status in TRANSFER_ENDS:
        return False
    return bool(request.user.is_superuser) or transfer.partner_id in _ids(request)


class EvidenceForm(forms.ModelForm):
    """An evidence row checked as the transfer page checks it."""

    class Meta:
        model = TransferIndicator
        fields = ("name", "territory", "measure", "unit", "value_before", "date_before",
                  "value_after", "date_after", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        before, after = data.get("date_before"), data.get("date_after")
        if before and after and after < before:
            self.add_error("date_after", _("The measure after comes before the measure "
                                           "before."))
        territory = data.get("territory")
        if data.get("measure") and territory is not None and not self.errors:
            self.instance.measure = data["measure"]
            self.instance.date_before, self.instance.date_after = before, after
            try:
                fill_from_planner(self.instance, territory=territory, field="row")
            except InvalidFields as exc:
                for key, messages in exc.fields.items():
                    field = key.rsplit(".", 1)[-1]
                    self.add_error(field if field in self.fields else None,
                                   [str(m) for m in messages])
            else:
                for name in ("unit", "value_before", "value_after", "date_before",
                             "date_after", "source"):
                    data[name] = getattr(self.instance, name)
        return data


class TransferRowInline(admin.TabularInline[Any, Transfer]):
    """A transfer's rows follow the transfer: who may change it may change them."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and runs(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and runs(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and runs(request, obj)


class StepInline(TransferRowInline):
    model = TransferStep
    fields = ("order", "kind", "title", "due", "done", "people")


class EvidenceInline(TransferRowInline):
    model = TransferIndicator
    form = EvidenceForm
    fields = ("order", "name", "territory", "measure", "unit", "value_before", "date_before",
              "value_after", "date_after", "source")


class HistoryInline(admin.TabularInline[TransferEvent, Transfer]):
    model = TransferEvent
    extra = 0
    fields = ("at", "actor_name", "partner", "from_status", "to_status", "comment")
    readonly_fields = fields
    verbose_name = _("change of state")
    verbose_name_plural = _("history")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin[Transfer]):
    list_display = ("practice", "practice_partner", "partner", "status", "updated_at")
    list_filter = ("status", "partner", "practice__partner")
    search_fields = ("practice__title_bg", "practice__title_el", "practice__title_fr",
                     "practice__title_en", "plan")
    list_select_related = ("practice", "practice__partner", "partner")
    fields = ("practice", "partner", "status", "page", "plan", "reason", "opened_by",
              "created_at", "updated_at", "demo")
    readonly_fields = ("practice", "partner", "status", "page", "reason", "opened_by",
                       "created_at", "updated_at", "demo")
    inlines = (StepInline, EvidenceInline, HistoryInline)

    @admin.display(description=_("practice of"), ordering="practice__partner")
    def practice_partner(self, obj: Transfer) -> Partner:
        return obj.practice.partner

    @admin.display(description=_("move it on"))
    def page(self, obj: Transfer) -> str:
        # The states are moved on the transfer's page, where their rules and notices are.
        url = reverse("transfer-page", args=[obj.uid])
        return format_html('<a href="{}">{}</a>', url, _("Change its status on its page"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transfer]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        ids = _ids(request)
        return qs.filter(Q(partner_id__in=ids) | Q(practice__partner_id__in=ids))

    def _sees(self, request: HttpRequest, obj: Transfer | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        ids = _ids(request)
        return obj.partner_id in ids or obj.practice.partner_id in ids

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._sees(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (super().has_change_permission(request, obj)
                and (obj is None or runs(request, obj)))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (super().has_delete_permission(request, obj)
                and (obj is None or runs(request, obj)))


# Study visits ----------------------------------------------------------------------------


class VisitForm(forms.ModelForm):
    """The user's partners must be on the visit (its host or a visitor)."""

    user: Any = None

    class Meta:
        model = StudyVisit
        fields = ("title", "host", "visitors", "start", "end", "practices", "notes")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        host, visitors = data.get("host"), list(data.get("visitors") or [])
        if host is not None and host in visitors:
            self.add_error("visitors", _("The host partner does not visit itself."))
        user = self.user
        if host is not None and user is not None and not user.is_superuser:
            mine = set(editable_partners(user).values_list("pk", flat=True))
            if not mine & {host.pk, *(v.pk for v in visitors)}:
                self.add_error("host", _("A visit is recorded by members of its host or of "
                                         "a visiting partner."))
        return data


class VisitPlaceInline(admin.TabularInline[VisitPlace, StudyVisit]):
    model = VisitPlace
    extra = 0
    fields = ("order", "attraction", "trail", "route", "label")
    autocomplete_fields = ("attraction", "trail")


@admin.register(StudyVisit)
class StudyVisitAdmin(admin.ModelAdmin[StudyVisit]):
    form = VisitForm
    list_display = ("title", "host", "start", "end", "demo")
    list_filter = ("host", "visitors")
    search_fields = ("title", "notes")
    list_select_related = ("host",)
    filter_horizontal = ("visitors", "practices")
    inlines = (VisitPlaceInline,)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        if db_field.name == "practices":
            kwargs["queryset"] = GoodPractice.objects.filter(status__in=PUBLIC_STATUSES,
                                                             partner__sandbox=False)
        elif db_field.name == "visitors":
            kwargs["queryset"] = Partner.objects.filter(sandbox=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        if db_field.name == "host":
            kwargs["queryset"] = Partner.objects.filter(sandbox=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[StudyVisit]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        ids = _ids(request)
        return qs.filter(Q(host_id__in=ids) | Q(visitors__in=ids)).distinct()

    def _involved(self, request: HttpRequest, obj: StudyVisit | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        ids = set(_ids(request))
        return bool(ids & {obj.host_id, *obj.visitors.values_list("pk", flat=True)})

    def save_model(self, request: HttpRequest, obj: StudyVisit, form: Any,
                   change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._involved(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._involved(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._involved(request, obj)
