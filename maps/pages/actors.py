"""Tourism actors' pages (their sign-up, sign-in, e-mail check and profile:
``maps.pages.actor_accounts``): the actor's dashboard;
the listing form (new, or a change to a published listing) with its photo; a submission's
page with its diff, history and actions; claims and withdrawals; and the moderators'
queue. Writes go through actors.services, permissions through actors.rules."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import folium
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actors import rules, services
from actors.forms import (
    ATTRACTION_FIELDS,
    FIELDS,
    LANGS,
    TRANSLATED,
    AttractionForm,
    ListingForm,
    field_title,
    listing_values,
)
from actors.models import Listing, Submission
from actors.vocabulary import ListingStatus, SubmissionKind, SubmissionState
from geo.errors import AtlasError, InvalidFields
from geo.i18n import page_language
from layers.models import Attraction
from layers.permissions import moderated_partners
from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap, PageScript, map_parts
from maps.pages.practical import translated
from media.models import Licence, MediaItem
from media.services import upload_bytes
from media.views import item_file
from notices.selectors import unread_count

SIGN_IN = reverse_lazy("actor-sign-in")
LANGUAGE_NAMES = {"bg": "Български", "el": "Ελληνικά", "fr": "Français", "en": "English"}


def _listing_name(listing: Listing, lang: str) -> str:
    return translated(listing, "name", lang) or str(listing.uid)


@login_required(login_url=SIGN_IN)
def dashboard(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    actor = rules.actor_of(request.user)
    listings = []
    submissions: list[Submission] = []
    attractions: list[tuple[Attraction, str]] = []
    if actor is not None:
        listings = [(x, _listing_name(x, lang)) for x in actor.listings.exclude(
            status=ListingStatus.DRAFT).select_related("partner").order_by("-updated_at")]
        submissions = list(actor.submissions.select_related("listing", "attraction"))
        attractions = [(a, translated(a, "name", lang) or str(a.uid))
                       for a in actor.attractions.all()]
    return render(request, "actors/dashboard.html", {
        "actor": actor, "listings": listings, "attractions": attractions,
        "submissions": [(s, services.submission_title(s)) for s in submissions],
        "queue": rules.moderation_queue(request.user).count(),
        "new_notices": unread_count(request.user),
        "moderates": moderated_partners(request.user).exists(),
        "sent": request.GET.get("sent") == "1"})


def _submission(request: HttpRequest, pk: int) -> Submission:
    submission = Submission.objects.select_related(
        "actor", "partner", "listing", "attraction").filter(pk=pk).first()
    if submission is None or not rules.may_view_submission(request.user, submission):
        raise Http404(_("No such submission, or not one you may see."))
    return submission


def _form_page(request: HttpRequest, *, submission: Submission | None = None,
               listing: Listing | None = None,
               attraction: Attraction | None = None) -> HttpResponse:
    if rules.verified_actor(request.user) is None:
        raise PermissionDenied(_("Only tourism actors whose e-mail address is verified submit "
                                 "listings."))
    if submission is not None and not rules.may_edit_submission(request.user, submission):
        raise PermissionDenied(_("Only its actor edits a submission, and only while it is a "
                                 "draft or sent back for changes."))
    if listing is not None and not rules.may_change_listing(request.user, listing):
        raise PermissionDenied(_("Only the actor whose listing it is proposes changes to it."))
    if attraction is not None and not rules.may_change_attraction(request.user, attraction):
        raise PermissionDenied(_("Only an actor whose claim of the attraction was approved "
                                 "proposes changes to it."))
    target = listing or (submission.listing if submission else None)
    claimed = attraction or (submission.attraction if submission else None)
    fields = ATTRACTION_FIELDS if claimed is not None else FIELDS
    initial = {**services.target_values(target, claimed),
               **(submission.values if submission else {})}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in fields}
        data["note"] = request.POST.get("note", "")
        try:
            # One form, one write: a refused photo leaves no draft behind.
            with transaction.atomic():
                saved = services.submission_save(user=request.user, data=data,
                                                 submission=submission, listing=listing,
                                                 attraction=attraction)
                upload = request.FILES.get("photo")
                if upload is not None:
                    services.submission_photo_add(
                        user=request.user, submission=saved, data=upload_bytes(upload),
                        declared_type=upload.content_type or "",
                        author=request.POST.get("photo_author", ""),
                        licence=request.POST.get("photo_licence", ""),
                        caption=request.POST.get("photo_caption", ""))
                if request.POST.get("send"):
                    services.submission_submit(user=request.user, submission=saved,
                                               note=data["note"])
            return HttpResponseRedirect(reverse("actor-submission", args=[saved.pk]))
        except InvalidFields as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
        except AtlasError as exc:
            errors = {"__all__": [str(exc)]}
        initial = {**initial, **data}
    refused = bool(errors)
    form: ListingForm | AttractionForm
    if refused:
        # Bound again, so that each field shows its own message beside it; the summary
        # keeps those no field of the form shows (the photo's, the whole submission's).
        form = services.target_form(target, claimed, initial)
        form.is_valid()
        errors = {k: v for k, v in errors.items() if k not in form.fields}
    elif claimed is not None:
        form = AttractionForm(initial=initial)
    else:
        form = ListingForm(initial=initial)
    by_language = [(code, LANGUAGE_NAMES[code], [form[f"{name}_{code}"] for name in TRANSLATED
                                                 if f"{name}_{code}" in form.fields])
                   for code in LANGS]
    parts: dict[str, str] = {}
    if claimed is None:
        fmap = AtlasMap(location=REGION_CENTRE, zoom_start=7, tiles=None, height="320px")
        add_basemap(fmap)
        PageScript(js="actors/listing-form.js", call="AtlasActors.point", options={
            "label": _("Map: click to put the listing's point")}).add_to(fmap)
        parts = map_parts(fmap)
    return render(request, "actors/form.html", {
        **parts,
        "form": form, "errors": errors, "by_language": by_language, "submission": submission,
        "listing": target or claimed, "plain": [form[name] for name in fields
                                                 if not name.startswith(TRANSLATED)],
        "licences": Licence.choices, "note": request.POST.get("note", submission.note
                                                              if submission else ""),
        "photos": list(submission.photos.all()) if submission else []},
        status=400 if refused else 200)


@login_required(login_url=SIGN_IN)
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request)


@login_required(login_url=SIGN_IN)
@require_http_methods(["GET", "POST"])
def listing_change(request: HttpRequest, uid: UUID) -> HttpResponse:
    listing = Listing.objects.select_related("partner").filter(uid=uid).first()
    if listing is None:
        raise Http404(_("No such listing."))
    return _form_page(request, listing=listing)


@login_required(login_url=SIGN_IN)
@require_http_methods(["GET", "POST"])
def attraction_change(request: HttpRequest, uid: UUID) -> HttpResponse:
    attraction = Attraction.objects.select_related("layer__partner").filter(uid=uid).first()
    if attraction is None:
        raise Http404(_("No such attraction."))
    return _form_page(request, attraction=attraction)


@login_required(login_url=SIGN_IN)
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, submission=_submission(request, pk))


def field_label(name: str, claimed: bool = False) -> str:
    """A form field's label, with its language for a translated one."""
    model = Attraction if claimed else Listing
    base, _sep, code = name.rpartition("_")
    if base in TRANSLATED and code in LANGS:
        return f"{field_title(model, base)} ({LANGUAGE_NAMES[code]})"
    form = AttractionForm if claimed else ListingForm
    return str(capfirst(form.base_fields[name].label))


def submission_diff(submission: Submission) -> list[dict[str, str]]:
    """Each field the submission sets: its label, the value before and the one proposed.
    Before is the listing's value now, or the one it had when the change was approved."""
    if submission.kind not in (SubmissionKind.NEW, SubmissionKind.CHANGE):
        return []
    claimed = submission.attraction is not None
    if submission.state == SubmissionState.APPROVED or (
            submission.listing is None and not claimed):
        old = submission.before
    else:
        old = services.target_values(submission.listing, submission.attraction)
    return [{"field": name, "label": field_label(name, claimed), "old": old.get(name, ""),
             "new": submission.values[name]}
            for name in (ATTRACTION_FIELDS if claimed else FIELDS) if name in submission.values]


def diff_map(submission: Submission, rows: list[dict[str, str]]) -> dict[str, str]:
    """A small map of the point: where it was (grey) and where it is proposed (orange)."""
    points = {}
    values = {r["field"]: r for r in rows}
    for which in ("old", "new"):
        lon = values.get("lon", {}).get(which) or (
            listing_values(submission.listing)["lon"] if submission.listing else "")
        lat = values.get("lat", {}).get(which) or (
            listing_values(submission.listing)["lat"] if submission.listing else "")
        if lon and lat:
            points[which] = (float(lat), float(lon))
    if not points:
        return {}
    fmap = AtlasMap(location=list(points.get("new", points.get("old", REGION_CENTRE))),
                    zoom_start=14, tiles=None, height="260px")
    add_basemap(fmap)
    for which, colour, label in (("old", "#777777", _("before")),
                                 ("new", "#a04000", _("proposed"))):
        if which in points:
            folium.CircleMarker(points[which], radius=9, color="#fff", weight=3, fill=True,
                                fill_color=colour, fill_opacity=0.95,
                                tooltip=str(label)).add_to(fmap)
    if len(points) == 2 and points["old"] != points["new"]:
        fmap.fit_bounds([points["old"], points["new"]], padding=(24, 24), max_zoom=16)
    return map_parts(fmap)


def _submission_page(request: HttpRequest, submission: Submission, *, error: str = "",
                     status: int = 200) -> HttpResponse:
    rows = submission_diff(submission)
    return render(request, "actors/submission.html", {
        "s": submission, "title": services.submission_title(submission), "rows": rows,
        "decisions": submission.decisions.select_related("by"),
        "photos": list(submission.photos.all()),
        "may_edit": rules.may_edit_submission(request.user, submission),
        "may_moderate": rules.may_moderate(request.user, submission),
        "error": error, **diff_map(submission, rows)}, status=status)


@login_required(login_url=SIGN_IN)
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _submission_page(request, _submission(request, pk))


@require_POST
@login_required(login_url=SIGN_IN)
def submission_act(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.submission_submit(user=request.user, submission=submission, note=comment)
        else:
            services.submission_decide(user=request.user, submission=submission,
                                       action=action, comment=comment)
    except AtlasError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        submission.refresh_from_db()
        return _submission_page(request, submission, error=str(exc), status=exc.status)
    target = "actor-queue" if action != "submit" else "actor-dashboard"
    return HttpResponseRedirect(reverse(target))


@require_POST
@login_required(login_url=SIGN_IN)
def claim(request: HttpRequest) -> HttpResponse:
    """Claim a listing or an attraction, named by its public id (the button on its page)."""
    try:
        uid = UUID(request.POST.get("uid", ""))
    except ValueError:
        raise Http404(_("No such place.")) from None
    listing = Listing.objects.filter(uid=uid).select_related("partner").first()
    attraction = None if listing else Attraction.objects.filter(uid=uid).select_related(
        "layer__partner").first()
    if listing is None and attraction is None:
        raise Http404(_("No such place."))
    try:
        services.claim_request(user=request.user, listing=listing, attraction=attraction,
                               note=request.POST.get("note", ""))
    except AtlasError as exc:
        if exc.status == 404:
            raise Http404(str(exc)) from None
        if exc.status != 409:
            raise PermissionDenied(str(exc)) from None
    return HttpResponseRedirect(reverse("actor-dashboard"))


@require_POST
@login_required(login_url=SIGN_IN)
def withdraw(request: HttpRequest, uid: UUID) -> HttpResponse:
    listing = Listing.objects.filter(uid=uid).select_related("partner").first()
    if listing is None:
        raise Http404(_("No such listing."))
    try:
        services.withdraw_request(user=request.user, listing=listing,
                                  note=request.POST.get("note", ""))
    except AtlasError as exc:
        if exc.status != 409:
            raise PermissionDenied(str(exc)) from None
    return HttpResponseRedirect(reverse("actor-dashboard"))


@login_required(login_url=SIGN_IN)
def queue(request: HttpRequest) -> HttpResponse:
    if not moderated_partners(request.user).exists():
        raise PermissionDenied(_("Only a partner's moderators moderate actors' submissions."))
    items = list(rules.moderation_queue(request.user))
    return render(request, "actors/queue.html", {
        "items": [(s, services.submission_title(s), submission_diff(s)) for s in items]})


@login_required(login_url=SIGN_IN)
def submission_photo(request: HttpRequest, pk: int, uid: UUID, size: str) -> FileResponse:
    """A submission's photo, for its actor and its moderators (it is not public yet)."""
    submission = _submission(request, pk)
    item = MediaItem.objects.filter(uid=uid, owner_id=submission.pk,
                                    owner_type__model="submission").first()
    if item is None:
        raise Http404(_("No such photo."))
    return item_file(item, size)


def page_context(request: HttpRequest, listing: Listing | None = None,
                 attraction_uid: str | None = None) -> dict[str, Any]:
    """What a place's page needs for its actor buttons (claim, propose a change)."""
    actor = rules.verified_actor(request.user)
    if actor is None:
        return {}
    if listing is not None:
        mine = rules.may_change_listing(request.user, listing)
        return {"actor_may_change": mine, "actor_may_claim": not mine,
                "change_url": reverse("actor-listing-change", args=[listing.uid])}
    if attraction_uid is None:
        return {}
    mine = actor.attractions.filter(uid=attraction_uid).exists()
    return {"actor_may_change": mine, "actor_may_claim": not mine,
            "change_url": reverse("actor-attraction-change", args=[attraction_uid])}
