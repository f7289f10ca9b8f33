"""The audit in the admin.

- Every audited object's "History" page (the admin's own button) lists its events from
  the database's audit trail: who, when, from where (an import run, an undo, an address)
  and what changed, field by field; a route's page includes its stops and legs. Each
  version has "restore this version", which writes its values back through the model
  (so the restore is itself audited). The page and the restore are the object's admin's:
  an editor reaches only their partners' objects (another partner's is a 404).
- An editor who opens another partner's object is refused by the admin's scope (it
  redirects as for a missing object): that attempt is kept with the others refused.
- Superusers read the refused attempts and Django's admin log, both read-only.

The layers' and routes' admins are registered again here, each with the history added:
the apps below do not know of the audit.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.history import (
    Entry,
    deleted_versions,
    entries,
    event_model,
    link_events,
    provenance,
    recreated,
    version_values,
)
from audit.models import Denial
from audit.services import denial_record
from layers.models import Attraction, Layer, Partner, Trail
from layers.permissions import editable_partners
from layers.selectors.catalogue import in_uninviting_territories
from layers.services import partner_editors_group_ensure, partner_role_groups_ensure
from layers.signals import layer_written
from layers.vocabulary import Visibility
from routes.models import PilotRoute, RouteLeg, RouteStop


class HistoryAdmin(admin.ModelAdmin):
    """Added in front of an object's admin: its history page from the audit trail, and
    a page of the objects of its kind that were deleted, to restore."""

    change_list_template = "audit/change_list.html"

    def get_object(self, request: HttpRequest, object_id: str,
                   from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None and request.user.is_authenticated:
            model = self.model
            try:
                exists = model._default_manager.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                denial_record(user=request.user, request=request, what=(
                    f"{model._meta.label} {object_id}: outside the user's partners"))
        return obj

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        return [path("deleted/", self.admin_site.admin_view(self.deleted_view),
                     name=f"{info[0]}_{info[1]}_deleted"),
                path("deleted/<int:event_id>/restore/",
                     self.admin_site.admin_view(self.recreate_view),
                     name=f"{info[0]}_{info[1]}_recreate"),
                path("<path:object_id>/history/<int:event_id>/restore/",
                     self.admin_site.admin_view(self.restore_view),
                     name=f"{info[0]}_{info[1]}_restore"), *super().get_urls()]

    def may_recreate(self, request: HttpRequest, obj: Any) -> bool:
        """Whether ``request``'s user may bring back the deleted ``obj``: as if they added
        it (another partner's deleted objects are not listed)."""
        try:
            return (self.has_add_permission(request)
                    and self.has_change_permission(request, obj))
        except ObjectDoesNotExist:
            return False  # what it belonged to is deleted too: that comes back first

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """The objects of this kind deleted, each as it was, with "restore"."""
        events = event_model(self.model)
        rows = []
        for event in deleted_versions(events) if events is not None else []:
            obj = recreated(event)
            if not self.may_recreate(request, obj):
                continue
            who, where = provenance(event)
            try:
                name = str(obj)
            except ObjectDoesNotExist:
                name = f"#{event.pgh_obj_id}"
            rows.append({"event": event, "name": name, "who": who, "where": where})
        opts = self.model._meta
        context = {**self.admin_site.each_context(request),
                   "title": _("Deleted: %s") % opts.verbose_name_plural, "subtitle": None,
                   "opts": opts, "rows": rows, "module_name": str(opts.verbose_name_plural),
                   "recreate_url": f"admin:{opts.app_label}_{opts.model_name}_recreate"}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "audit/deleted.html", context)

    def recreate_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        """Bring a deleted object back as it was when deleted, with its id and public id
        (a layer with the features deleted with it); the restore is itself audited."""
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")
        if request.method != "POST":
            return HttpResponseRedirect(back)
        events = event_model(self.model)
        event: Any = events and events._default_manager.filter(
            pk=event_id, pgh_label="delete").first()
        if event is None or self.model._default_manager.filter(pk=event.pgh_obj_id).exists():
            raise Http404(_("No such version."))
        obj = recreated(event)
        if not self.may_recreate(request, obj):
            raise Http404(_("No such version."))  # another partner's is not said to exist
        with transaction.atomic(), pghistory.context(restored_event=event.pk):
            try:
                obj.full_clean(validate_unique=True)
                obj.save(force_insert=True)
                count = self.recreated_with(obj, event)
                _check_public_layer(obj)
            except ValidationError as exc:
                transaction.set_rollback(True)
                messages.error(request, _("This version cannot be restored: %(why)s")
                               % {"why": "; ".join(exc.messages)})
                return HttpResponseRedirect(back)
        messages.success(request, _("%(object)s is restored as it was on %(when)s.")
                         % {"object": obj, "when": event.pgh_created_at.strftime(
                             "%Y-%m-%d %H:%M")}
                         + (" " + _("With it: %(count)s features deleted with it.")
                            % {"count": count} if count else ""))
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                            args=[obj.pk]))

    def recreated_with(self, obj: Any, event: Any) -> int:
        """What comes back with ``obj``: a partner's role groups; a layer's features that
        were deleted with it (in the same transaction); the number of features."""
        if isinstance(obj, Partner):
            partner_editors_group_ensure(partner=obj)
            partner_role_groups_ensure(partner=obj)
            return 0
        if isinstance(obj, Layer):
            count = 0
            for model in (Attraction, Trail):
                events = event_model(model)
                if events is None:
                    continue
                for row in (events._default_manager.filter(
                        pgh_label="delete", layer_id=obj.pk,
                        pgh_created_at=event.pgh_created_at)
                        .exclude(pgh_obj_id__in=model._default_manager.values("pk"))):
                    # One by one: a trail's save draws its thinned line (layers.display).
                    recreated(row).save(force_insert=True)
                    count += 1
            layer_written.send(sender=HistoryAdmin, layer=obj)
            return count
        if isinstance(obj, Attraction | Trail):
            layer_written.send(sender=HistoryAdmin, layer=obj.layer)
        return 0

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        opts = self.model._meta
        return super().changelist_view(request, {
            **(extra_context or {}),
            "deleted_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")})

    def _scoped(self, request: HttpRequest, object_id: str) -> Any:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            # Another partner's object is not said to exist (as everywhere in the admin).
            raise Http404(_("No such object."))
        return obj

    def history_entries(self, obj: Any, *, restorable: bool) -> list[Entry]:
        events = event_model(type(obj))
        if events is None:
            return []
        found = entries(events, filters={"pgh_obj_id": obj.pk}, restorable=restorable)
        for links, column, other, what in link_events(type(obj)):
            found += entries(links, filters={column: obj.pk}, what=what, only=other)
        return sorted(found, key=lambda e: e.event.pgh_created_at)

    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: dict[str, Any] | None = None) -> HttpResponse:
        obj = self._scoped(request, object_id)
        found = self.history_entries(obj, restorable=self.has_change_permission(request, obj))
        found.reverse()  # newest first
        opts = self.model._meta
        context = {**self.admin_site.each_context(request), "title": _("History: %s") % obj,
                   "subtitle": None, "object": obj, "opts": opts, "entries": found,
                   "module_name": str(opts.verbose_name_plural),
                   "restore_url": f"admin:{opts.app_label}_{opts.model_name}_restore",
                   **(extra_context or {})}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "audit/history.html", context)

    def restore_view(self, request: HttpRequest, object_id: str,
                     event_id: int) -> HttpResponse:
        obj = self._scoped(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history",
                args=[obj.pk]))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        events = event_model(type(obj))
        event: Any = events and events._default_manager.filter(
            pk=event_id, pgh_obj_id=obj.pk).first()
        if event is None or event.pgh_label == "delete":
            raise Http404(_("No such version."))
        with transaction.atomic(), pghistory.context(restored_event=event.pk):
            for name, value in version_values(event).items():
                setattr(obj, name, value)
            # The version must still be one the editor may write: not another partner's.
            if not self.has_change_permission(request, obj):
                transaction.set_rollback(True)
                raise PermissionDenied
            try:
                obj.full_clean(validate_unique=True)
                _check_public_layer(obj)
            except ValidationError as exc:
                transaction.set_rollback(True)
                messages.error(request, _("This version cannot be restored: %(why)s")
                               % {"why": "; ".join(exc.messages)})
                return HttpResponseRedirect(request.path.rsplit("/", 3)[0] + "/")
            obj.save()
        messages.success(request, _("The version of %(when)s is restored.")
                         % {"when": event.pgh_created_at.strftime("%Y-%m-%d %H:%M")})
        return HttpResponseRedirect(reverse(
            f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk]))


def _check_public_layer(obj: Any) -> None:
    """A layer made public again must pass what its form checks (Trust D14): none of its
    features in a territory whose partner has not welcomed its partner's."""
    if (isinstance(obj, Layer) and obj.visibility == Visibility.PUBLIC
            and in_uninviting_territories(obj.pk)):
        raise ValidationError(_("features lie in territories whose partners have not "
                                "welcomed this partner's public features there"))


class RouteHistoryAdmin(HistoryAdmin):
    """A route's history includes its stops' and legs'; a deleted route comes back with
    the stops, legs and partners deleted with it."""

    def _partners_when_deleted(self, obj: Any) -> set[int]:
        """The partners a deleted route had (its links' events, deleted with it)."""
        found: set[int] = set()
        for links, column, other, _what in link_events(PilotRoute):
            if other == "partner":
                found |= set(links._default_manager.filter(
                    pgh_label="delete", **{column: obj.pk}).values_list("partner_id",
                                                                        flat=True))
        return found

    def may_recreate(self, request: HttpRequest, obj: Any) -> bool:
        if not self.has_add_permission(request):
            return False
        if request.user.is_superuser:
            return True
        # A route's partners are links, gone with it: those it had then decide.
        return editable_partners(request.user).filter(
            pk__in=self._partners_when_deleted(obj)).exists()

    def recreated_with(self, obj: Any, event: Any) -> int:
        same = {"pgh_label": "delete", "pgh_created_at": event.pgh_created_at}
        for links, column, other, _what in link_events(PilotRoute):
            through = getattr(links, "pgh_tracked_model")._meta.concrete_model  # noqa: B009
            for row in links._default_manager.filter(**same, **{column: obj.pk}):
                through._default_manager.get_or_create(
                    **{column: obj.pk, f"{other}_id": getattr(row, f"{other}_id")})
        for model in (RouteStop, RouteLeg):
            events = event_model(model)
            if events is None:
                continue
            for row in (events._default_manager.filter(**same, route_id=obj.pk)
                        .exclude(pgh_obj_id__in=model._default_manager.values("pk"))
                        .order_by("pgh_id")):
                recreated(row).save(force_insert=True)
        return 0

    def history_entries(self, obj: Any, *, restorable: bool) -> list[Entry]:
        found = super().history_entries(obj, restorable=restorable)
        for model, what in ((RouteStop, _("stop")), (RouteLeg, _("leg"))):
            events = event_model(model)
            if events is not None:
                found += entries(events, filters={"route_id": obj.pk}, what=what)
        return sorted(found, key=lambda e: e.event.pgh_created_at)


def _with_history(model: type[models.Model], mixin: type[HistoryAdmin]) -> None:
    current = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(current.__name__, (mixin, current), {}))


for _model in (Partner, Layer, Attraction, Trail):
    _with_history(_model, HistoryAdmin)
_with_history(PilotRoute, RouteHistoryAdmin)


class SuperusersRead(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Denial)
class DenialAdmin(SuperusersRead):
    list_display = ("at", "user", "method", "path", "status", "what")
    list_filter = ("status", "method")
    search_fields = ("path", "what", "user__username")
    date_hierarchy = "at"


@admin.register(LogEntry)
class LogEntryAdmin(SuperusersRead):
    list_display = ("action_time", "user", "content_type", "object_repr", "action_flag",
                    "change_message_text")
    list_filter = ("action_flag", "content_type")
    search_fields = ("object_repr", "user__username")
    date_hierarchy = "action_time"

    @admin.display(description=gettext_lazy("change message"))
    def change_message_text(self, obj: LogEntry) -> str:
        return obj.get_change_message()
