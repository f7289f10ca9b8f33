"""Good practice pages: the list with its map and filters, a practice's page (printable),
the forms to write and edit one with a map to pick its places, the review queue, and the
Atom feed of published practices. Data and writes go through exchange's selectors,
rules and services; the maps load their features from /api/practices/."""

from __future__ import annotations

import json
from typing import Any, cast
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exchange import moderation, rules, selectors, services
from exchange.api import transition
from exchange.forms import PracticeForm, indicator_specs, place_specs
from exchange.models import GoodPractice, Question
from exchange.params import parse_practice_filters
from exchange.vocabulary import (
    TRANSLATED_TEXTS,
    EndorsementKind,
    Origin,
    PlannerMeasure,
    PracticeKind,
    Status,
    TextStatus,
    Theme,
)
from geo.errors import AtlasError, BadParameter, InvalidFields
from geo.i18n import LANGUAGE_CODES, page_language
from layers.models import Partner
from layers.vocabulary import Category
from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap, PageScript, map_parts
from maps.pages.practice_exchange import practice_exchange_context
from notices.languages import reader_language_set, recipient_languages
from notices.selectors import notices_for, unread_count
from notices.services import notices_mark_read

LANGUAGE_NAMES = {"bg": "Български", "el": "Ελληνικά", "fr": "Français", "en": "English"}
FEED_SIZE = 50


def _map(*, zoom_start: int) -> AtlasMap:
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=zoom_start, tiles=None,
                    control_scale=True, height="100%")
    add_basemap(fmap)
    return fmap


def _labels() -> dict[str, Any]:
    return {"themes": dict(Theme.choices), "kinds": dict(PracticeKind.choices),
            "categories": dict(Category.choices), "origins": dict(Origin.choices),
            "statuses": dict(Status.choices), "text_statuses": dict(TextStatus.choices)}


@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    try:
        filters = parse_practice_filters(request.GET)
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    qs = selectors.practices(user=request.user, filters=filters)
    rows = list(qs[:200])
    cards = [selectors.practice_properties(p, lang=lang, user=request.user) for p in rows]
    query = request.GET.copy()
    query["lang"] = lang
    query["limit"] = "200"
    fmap = _map(zoom_start=5)
    PageScript(js="practices/practices.js", call="AtlasPractices.list",
               options={"url": reverse("practices") + "?" + query.urlencode()}).add_to(fmap)
    return render(request, "practices/list.html", {
        "practices": cards, "total": qs.count(), **_labels(),
        "theme_choices": Theme.choices, "kind_choices": PracticeKind.choices,
        "category_choices": Category.choices, "origin_choices": Origin.choices,
        "partners": [(p.slug, str(p)) for p in Partner.objects.filter(sandbox=False)],
        "selected": {k: request.GET.get(k, "") for k in
                     ("theme", "partner", "kind", "category", "origin", "q", "has_transfers")},
        "may_create": rules.may_create(request.user),
        "new_notices": unread_count(request.user),
        "reviews": rules.review_queue(request.user).count(),
        "moderates": moderation.is_moderator(request.user),
        **map_parts(fmap)})


def _get(request: HttpRequest, uid: UUID) -> GoodPractice:
    practice = GoodPractice.objects.select_related("partner").filter(uid=uid).first()
    if practice is None or not rules.may_view(request.user, practice):
        raise Http404(_("No such practice, or not one you may see."))
    return practice


def _actions(user: Any, practice: GoodPractice) -> list[tuple[str, str]]:
    """The steps ``user`` may take now, as (action, button label)."""
    out = []
    if rules.may_submit(user, practice):
        out.append(("submit", _("Submit for review")))
    if rules.may_review(user, practice):
        out += [("publish", _("Publish")), ("changes", _("Request changes")),
                ("reject", _("Reject"))]
    if rules.may_feature(user, practice):
        out.append(("unfeature", _("Take off the home page")) if practice.status ==
                   Status.FEATURED else ("feature", _("Feature on the home page")))
    if rules.may_archive(user, practice):
        out.append(("archive", _("Archive")))
    return out


def _detail_page(request: HttpRequest, practice: GoodPractice, *, error: str = "",
                 status: int = 200) -> HttpResponse:
    lang = page_language()
    detail = selectors.practice_detail(practice, lang=lang, user=request.user)
    fmap = _map(zoom_start=6)
    PageScript(js="practices/practices.js", call="AtlasPractices.detail", options={
        "url": reverse("practice-detail", args=[practice.uid]) + f"?lang={lang}",
    }).add_to(fmap)
    texts = [(name, getattr(GoodPractice, name).field.verbose_name, detail[name])
             for name in TRANSLATED_TEXTS[2:] if detail[name]]
    languages = [(code, LANGUAGE_NAMES[code], status)
                 for code, status in practice.text_status.items()]
    given = set(practice.endorsements.filter(
        partner__in=rules.endorsing_partners(request.user, practice)).values_list("kind",
                                                                                 flat=True))
    endorse = [(k.value, k.label, detail["endorsements"][k.value], k.value in given)
               for k in EndorsementKind]
    return render(request, "practices/detail.html", {
        "practice": practice, "p": detail, "texts": texts, "languages": languages,
        "endorse": endorse, "may_endorse": rules.endorsing_partners(
            request.user, practice).exists(),
        "may_discuss": rules.may_discuss(request.user, practice),
        "moderates": moderation.is_moderator(request.user),
        "new_notices": unread_count(request.user),
        "actions": _actions(request.user, practice), "error": error,
        "may_edit": rules.may_edit(request.user, practice), **_labels(),
        **practice_exchange_context(request, practice), **map_parts(fmap)}, status=status)


@require_safe
def practice_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _detail_page(request, _get(request, uid))


@require_POST
@login_required
def practice_act(request: HttpRequest, uid: UUID) -> HttpResponse:
    practice = _get(request, uid)
    action = request.POST.get("action", "")
    try:
        transition(request.user, practice, action, request.POST.get("comment", "")[:5000])
    except AtlasError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        practice.refresh_from_db()
        return _detail_page(request, practice, error=str(exc), status=exc.status)
    return HttpResponseRedirect(reverse("practice-page", args=[uid]))


@require_POST
@login_required
def practice_ask(request: HttpRequest, uid: UUID) -> HttpResponse:
    practice = _get(request, uid)
    parent = None
    if request.POST.get("parent"):
        parent = Question.objects.filter(pk=request.POST["parent"] if request.POST[
            "parent"].isdigit() else 0, practice=practice).first()
    try:
        services.question_ask(user=request.user, practice=practice, parent=parent,
                              text=request.POST.get("text", ""))
    except AtlasError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        return _detail_page(request, practice, error=str(exc), status=exc.status)
    return HttpResponseRedirect(reverse("practice-page", args=[uid]) + "#questions")


@require_POST
@login_required
def practice_endorse(request: HttpRequest, uid: UUID) -> HttpResponse:
    practice = _get(request, uid)
    try:
        services.endorsement_set(user=request.user, practice=practice,
                                 kind=request.POST.get("kind", ""),
                                 on=request.POST.get("on", "1") == "1")
    except AtlasError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        return _detail_page(request, practice, error=str(exc), status=exc.status)
    return HttpResponseRedirect(reverse("practice-page", args=[uid]) + "#endorsements")


@login_required
@require_http_methods(["GET", "POST"])
def notices_page(request: HttpRequest) -> HttpResponse:
    """What is new for the signed-in user; one form marks it all as read, the other
    chooses the language of their e-mail."""
    user = cast(User, request.user)
    if request.method == "POST":
        if "mail_language" in request.POST:
            lang = request.POST["mail_language"]
            if lang not in LANGUAGE_CODES:
                raise InvalidFields({"mail_language": [_("Choose one of the languages.")]})
            reader_language_set(user=user, language=lang)
        else:
            notices_mark_read(user=user)
        return HttpResponseRedirect(reverse("notices") + f"?lang={page_language()}")
    return render(request, "practices/notices.html", {
        "notices": [(n, n.text()) for n in notices_for(user)],
        "unread": unread_count(user),
        "mail_language": recipient_languages([user])[user.pk],
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGE_CODES]})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    queue = rules.review_queue(request.user).select_related("partner")
    return render(request, "practices/queue.html", {
        "practices": [selectors.practice_properties(p, lang=lang, user=request.user)
                      for p in queue],
        "moderates": rules.moderated_partners(request.user).exists(), **_labels()})


def _form_page(request: HttpRequest, practice: GoodPractice | None) -> HttpResponse:
    partners = list(rules.writing_partners(request.user))
    if practice is None and not partners:
        raise PermissionDenied(_("Only members of a partner write good practices."))
    if practice is not None and not rules.may_edit(request.user, practice):
        raise PermissionDenied(_("Only members of the practice's partner change it, and only "
                                 "while it is a draft or sent back for changes."))
    lang = page_language()
    errors: dict[str, Any] = {}
    places_json = "[]"
    indicators_json = "[]"
    if practice is not None:
        places_json = json.dumps([{k: v for k, v in (
            ("attraction", p.attraction and str(p.attraction.uid)),
            ("trail", p.trail and str(p.trail.uid)), ("route", p.route and p.route.slug),
            ("geometry", p.drawn and json.loads(p.drawn.geojson)), ("label", p.label)) if v}
            for p in practice.places.select_related("attraction", "trail", "route")])
        indicators_json = json.dumps([
            {"name": i.name, "measure": i.measure, "unit": i.unit,
             "value_before": i.value_before,
             "value_after": i.value_after, "source": i.source,
             "date_before": i.date_before.isoformat() if i.date_before else "",
             "date_after": i.date_after.isoformat() if i.date_after else ""}
            for i in practice.indicators.all()])
    if request.method == "POST":
        form = PracticeForm(data=request.POST)
        places_json = request.POST.get("places", "[]")
        indicators_json = request.POST.get("indicators", "[]")
        try:
            if not form.is_valid():
                raise InvalidFields(form.errors)
            places = place_specs(places_json)
            indicators = indicator_specs(indicators_json)
            if practice is None:
                partner = next((p for p in partners
                                if p.slug == request.POST.get("partner")), None)
                if partner is None:
                    raise InvalidFields({"partner": [_("Choose the partner you write for.")]})
                practice = services.practice_create(
                    user=request.user, partner=partner, values=form.values(),
                    text_status=form.text_status(), places=places, indicators=indicators)
            else:
                services.practice_update(
                    user=request.user, practice=practice, values=form.values(),
                    text_status=form.text_status(), places=places, indicators=indicators)
            return HttpResponseRedirect(reverse("practice-page", args=[practice.uid]))
        except InvalidFields as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
    else:
        initial: dict[str, Any] = {}
        if practice is not None:
            initial = {name: getattr(practice, name) for name in services.PRACTICE_FIELDS}
            initial.update({f"status_{c}": s for c, s in practice.text_status.items()})
        form = PracticeForm(initial=initial)
    fmap = _map(zoom_start=6)
    PageScript(js="practices/practices.js", call="AtlasPractices.editor", options={
        "attractionsUrl": reverse("attractions") + f"?limit=2000&lang={lang}&partner=",
        "trailsUrl": reverse("trails") + f"?limit=1000&lang={lang}&partner=",
        "routesUrl": reverse("routes") + f"?limit=500&lang={lang}&partner=",
        "partner": practice.partner.slug if practice else (partners[0].slug if partners
                                                           else ""),
        "labels": {"add": _("Add"), "remove": _("Remove"), "drawn": _("Point drawn on the map"),
                   "drawnLine": _("Line drawn on the map"),
                   "drawnArea": _("Area drawn on the map"),
                   "drawLine": _("Draw a line"), "drawArea": _("Draw an area"),
                   "stop": _("Stop drawing"), "edit": _("Edit the shape"), "done": _("Done"),
                   "noPlace": _("No place yet: add attractions or trails from the list, or "
                                "click the map to put a point."),
                   "filter": _("Find a place by name")},
    }).add_to(fmap)
    by_language = [(code, LANGUAGE_NAMES[code],
                    [form[f"{name}_{code}"] for name in TRANSLATED_TEXTS],
                    form[f"status_{code}"]) for code in LANGUAGE_CODES]
    return render(request, "practices/form.html", {
        "form": form, "practice": practice, "partners": partners,
        "by_language": by_language, "errors": errors, "places_json": places_json,
        "indicators_json": indicators_json, "measure_choices": PlannerMeasure.choices,
        "chosen_partner": request.POST.get("partner", "") if request.method == "POST" else "",
        **map_parts(fmap)}, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _form_page(request, _get(request, uid))


class PracticeFeed(Feed):
    """The newest published practices, as Atom, in the reader's language."""

    feed_type = Atom1Feed
    title = gettext_lazy("Good practices — Regional Tourism Atlas")
    subtitle = gettext_lazy("The partners' newest published good practices")

    def link(self) -> str:
        return reverse("practice-list")

    def items(self) -> list[GoodPractice]:
        return list(GoodPractice.objects.filter(status__in=(Status.PUBLISHED, Status.FEATURED),
                                                partner__sandbox=False)
                    .select_related("partner").order_by("-published_at", "-id")[:FEED_SIZE])

    def item_title(self, item: GoodPractice) -> str:
        with translation.override(page_language()):
            return item.title

    def item_description(self, item: GoodPractice) -> str:
        with translation.override(page_language()):
            return item.summary

    def item_link(self, item: GoodPractice) -> str:
        return reverse("practice-page", args=[item.uid])

    def item_pubdate(self, item: GoodPractice) -> Any:
        return item.published_at

    def item_updateddate(self, item: GoodPractice) -> Any:
        return item.updated_at

    def item_author_name(self, item: GoodPractice) -> str:
        return str(item.partner)

    def item_categories(self, item: GoodPractice) -> list[str]:
        return [str(Theme(t).label) for t in item.themes if t in Theme.values]
