"""First-visit guided tours (driver.js, served from npm like the other assets): the one
map from a page (its URL name) to its tour's steps. The site shell hands a page's steps to
maps/static/atlas/tour.js, which shows them once on a browser's first visit and again
whenever the header's "Tour of this page" is pressed.

A new page adds its steps here: each names an element of the page by a CSS selector
(a step whose element is not shown, as the header's menu on a phone, is left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    selector: str
    title: Promise
    text: Promise


# The header's help button: the last step of the tours of pages with few elements of their
# own (left out on a phone, where the header's menu is folded).
HELP = Step("[data-help-button]", _("Help"),
            _("The guide to this page, in your language. This tour can be replayed from "
              "the header at any time."))

ROUTE_FORM = (
    Step("#id_slug", _("Address"),
         _("The route's public id: a few small letters and dashes that make its address. "
           "It never changes once saved, so links and printed QR codes keep working.")),
    Step(".field-title_bg", _("Texts in four languages"),
         _("A title, a summary and a description in Bulgarian, Greek, French or English: "
           "one language is enough, the others fall back to it.")),
    Step("#id_status", _("Status"),
         _("A draft is seen by your partners' editors only; Pilot and Published routes are "
           "public. A route needs two stops before it is public.")),
    Step("[data-route-form] button[type=submit]", _("Save"),
         _("Saving opens the route's page; choose its stops and legs there, with “Stops and "
           "legs”.")),
)
PRACTICE_FORM = (
    Step("#practice-form fieldset.language", _("Texts"),
         _("Write in any of the four languages, and say for each whether it is the "
           "original or a translation.")),
    Step("#practice-places", _("Places"),
         _("Add the attractions and trails the practice concerns from the list, or click "
           "the map to put a point.")),
    Step("#practice-evidence", _("Evidence"),
         _("Indicators before and after, with their dates and source: what shows that the "
           "practice worked.")),
    Step("#practice-form .actions button[type=submit]", _("Save the draft"),
         _("A draft stays with your partner until you submit it; then the other partners' "
           "moderators review it before it is published.")),
)
LISTING_FORM = (
    Step("#listing-form fieldset.language", _("Name and description"),
         _("In any of the four languages: one is enough.")),
    Step("#point-map", _("Place"),
         _("Click the map where your place is, or type its longitude and latitude.")),
    Step("#f-photo", _("Photo"),
         _("A photo of your own, with who took it and its licence.")),
    Step("#listing-form button[name=send]", _("Send for moderation"),
         _("The partner whose territory holds the place checks the listing before it is "
           "published; until then it is a draft you may change.")),
)
SIGN_IN = (
    Step("#sign-in-form", _("Sign in"),
         _("Partners' people and tourism actors sign in here with the e-mail or name and "
           "the password of their account.")),
    Step("#sign-up-link", _("No account?"),
         _("A tourism business, guide, NGO or museum signs up here to list its services.")),
    HELP,
)
ANNOUNCEMENT_FORM = (
    Step(".announcement-form .field.two", _("Period"),
         _("The first and the last day on which the announcement is shown on the home "
           "page, in the list and in the feed.")),
    Step(".announcement-form fieldset.language", _("Title and text"),
         _("In any of the four languages: one is enough, the others fall back to it.")),
    Step("#f-image", _("Image"),
         _("Shown with the announcement and when it is shared on social media.")),
    Step("#f-links", _("Links"),
         _("The addresses of the places, routes and practices it points to, one a line.")),
    Step(".announcement-form .actions button[type=submit]", _("Save"),
         _("Saved as a draft: a moderator of your partner publishes it.")),
)

TOURS: dict[str, tuple[Step, ...]] = {
    "explorer": (
        Step("#atlas-search-input", _("Search"),
             _("Type a place's name or a word of its description, in any of the four "
               "languages and alphabets.")),
        Step(".atlas-layers", _("Layers"),
             _("Show or hide the boundaries, attractions, trails and routes, and each "
               "partner's data.")),
        Step(".atlas-legend", _("Legend"),
             _("What the icons and colours mean; trails can be coloured by activity or by "
               "difficulty.")),
        Step("#home-panel", _("What's on"),
             _("The partners' announcements and featured routes. Fold this panel to give "
               "the map the whole screen.")),
        Step("[data-lang-switch]", _("Language"),
             _("Bulgarian, Greek, French or English: the atlas remembers your choice.")),
        HELP,
    ),
    "imports:upload": (
        Step("#id_file", _("File"),
             _("A zipped shapefile, GPX, GeoJSON, KML or KMZ from your computer.")),
        Step("#id_layer", _("Layer"),
             _("The set of features this file fills: an existing layer to update it, or a "
               "new name to create one.")),
        Step("[data-hint=encoding]", _("Text encoding"),
             _("Usually left empty. Open these hints when a word of the form is unclear.")),
        Step("form.card button[type=submit]", _("Preview"),
             _("Nothing is written until you confirm the preview; an import can be undone "
               "afterwards.")),
    ),
    "route-list": (
        Step(".route-filters", _("Filters"),
             _("Choose a theme, partner, duration, difficulty or season, then press "
               "“Show routes”.")),
        Step(".routes-map", _("Map"),
             _("Every route that matches, on one map.")),
        Step(".route-cards", _("Routes"),
             _("Each card gives the length, time and difficulty; open one for its page, "
               "map and downloads.")),
        HELP,
    ),
    "route-page": (
        Step(".route-map", _("Map"),
             _("The route's line and its numbered stops.")),
        Step(".route-facts .facts", _("At a glance"),
             _("Length, climb, time, difficulty and season, computed from the route's "
               "legs.")),
        Step("#route-profile-chart", _("Elevation profile"),
             _("How the route climbs and descends along its length. Only the partners' "
               "trails carry heights.")),
        Step(".route-facts .downloads", _("Downloads"),
             _("GPX for a GPS or a phone's hiking app, KML and GeoJSON for other maps, or "
               "print the page.")),
        Step("#offline", _("Offline"),
             _("Keep the route on this device to follow it where there is no network.")),
    ),
    "route-new": ROUTE_FORM,
    "route-settings": ROUTE_FORM,
    "route-editor": (
        Step(".editor .map-pane", _("Map"),
             _("Click an attraction (a blue dot) and press “Add as stop”. The dashed "
               "green lines are the partners' trails.")),
        Step("#route-editor-stops", _("Stops and legs"),
             _("The stops in order, with the minutes spent at each. Between two stops is a "
               "leg: choose how it is travelled. Walking and cycling legs follow the "
               "trails.")),
        Step("#route-preview", _("Preview metrics"),
             _("Computes the length, climb, time and difficulty without saving.")),
        Step("#route-save", _("Save"),
             _("Keeps the stops and legs: the route's page and downloads show them at "
               "once.")),
    ),
    "practice-list": (
        Step(".practice-filters", _("Filters"),
             _("Find practices by words, theme, partner, kind or origin.")),
        Step(".practice-map", _("Map"),
             _("Where the practices were carried out.")),
        Step(".practice-cards", _("Practices"),
             _("Open one to read it, ask its partner a question, endorse it or transfer "
               "it to your territory.")),
        Step(".practice-tools", _("Transfers and study visits"),
             _("The practices partners are adapting at home, the study visits, and a feed "
               "of new practices.")),
    ),
    "practice-page": (
        Step(".practice > .facts", _("About it"),
             _("Its partner, kind, review status and period.")),
        Step(".practice-map", _("Places"),
             _("Where the practice was carried out.")),
        Step("#transfers", _("Transfers"),
             _("The partners adapting this practice at home, and how far they are.")),
        Step("#endorsements", _("Endorsements"),
             _("Partners who vouch for the practice.")),
        Step("#questions", _("Questions and answers"),
             _("The partners' messages about the practice.")),
    ),
    "practice-new": PRACTICE_FORM,
    "practice-edit": PRACTICE_FORM,
    "practice-queue": (
        Step("#review-queue", _("To review"),
             _("Practices other partners submitted. Open one to ask a question, request "
               "changes, publish it or reject it.")),
        HELP,
    ),
    "actor-dashboard": (
        Step("[data-new-listing]", _("Submit a new listing"),
             _("A product or service of yours: a room, a guided walk, a workshop…")),
        Step("#my-listings", _("Your listings"),
             _("Published ones have a page on the map: propose a change or ask to withdraw "
               "one here.")),
        Step("#my-submissions", _("Your submissions"),
             _("What you sent the moderators, and where it stands.")),
        HELP,
    ),
    "actor-submission-new": LISTING_FORM,
    "actor-listing-change": LISTING_FORM,
    "actor-queue": (
        Step("#actor-queue", _("To moderate"),
             _("Tourism actors' new listings and changes in your partner's territory, each "
               "with what changes. Open one to approve it, ask for changes or reject it.")),
        HELP,
    ),
    "actor-sign-up": (
        Step("#sign-up-account", _("Your account"),
             _("Your e-mail and a password: we send a link to confirm the address.")),
        Step("#sign-up-organisation", _("Your organisation"),
             _("Its name, kind and how visitors reach you.")),
        Step("#sign-up button[type=submit]", _("Sign up"),
             _("Then submit your listings: the partner of your territory checks each "
               "before it is published.")),
    ),
    "sign-in": SIGN_IN,
    "actor-sign-in": SIGN_IN,
    "planner": (
        Step("#planner-form", _("Question"),
             _("Choose a partner, the reach and what counts, then press “Analyse”.")),
        Step("#planner-radius", _("Reach"),
             _("How far a visitor goes from an attraction or trailhead, in km. Places "
               "farther from all of them are gaps.")),
        Step(".planner-map", _("Map"),
             _("The areas coloured by the chosen measure, and the gaps.")),
        Step("#comparison", _("Partners side by side"),
             _("The same measures for each partner; each table downloads as CSV.")),
        Step("#planner-report-link", _("Printable report"),
             _("The analysis as a page to print or save as PDF.")),
    ),
    "layer-page": (
        Step(".layer-map", _("Map"),
             _("The layer's features; click one for its details.")),
        Step("#layer-table", _("Attribute table"),
             _("Every feature with its names in the four languages, page by page.")),
        Step(".download-crs", _("Download"),
             _("The layer as a file, in the format and coordinate reference system your "
               "GIS program expects.")),
        Step("#url-ogc", _("QGIS and GDAL"),
             _("Copy this address into QGIS or GDAL to read the layer straight from the "
               "atlas.")),
    ),
    "announcement-new": ANNOUNCEMENT_FORM,
    "announcement-edit": ANNOUNCEMENT_FORM,
    "announcement-manage": (
        Step("[data-new-announcement]", _("Write an announcement"),
             _("An event, a new route, a season's opening: shown on the home page for the "
               "days you choose.")),
        Step(".announcements-table", _("Announcements"),
             _("Your partner's announcements and their state; a moderator publishes or "
               "withdraws them here.")),
        HELP,
    ),
    # The guides' home (/help/, built by MkDocs: maps/pages/guides.py puts the tour and
    # its replay button in, as the site shell does on the other pages).
    "help": (
        Step(".md-content table", _("A guide for each role"),
             _("Find yourself in the table: each guide goes through your tasks step by step, "
               "with pictures of the pages in your language.")),
        Step(".md-search__form", _("Search the guides"),
             _("Type a word of the page or the task you need help with.")),
        Step(".md-header .md-select", _("Language"),
             _("The same guides in Bulgarian, Greek, French or English.")),
    ),
    "training-report": (
        Step(".training-partner", _("Your partner"),
             _("How many people of each role read a guide or completed a tour, by month.")),
        Step("#training-visitors", _("Visitors"),
             _("Tours completed by visitors who were not signed in.")),
        Step("[data-training-csv]", _("Download as CSV"),
             _("The same numbers for a spreadsheet or the project's report.")),
    ),
}

def tour_for(view_name: str | None) -> dict[str, Any] | None:
    """The page's tour as tour.js reads it (texts in the active language), or None."""
    steps = TOURS.get(view_name or "")
    if not steps:
        return None
    return {
        "id": view_name,
        "steps": [{"element": s.selector, "title": str(s.title), "text": str(s.text)}
                  for s in steps],
        "labels": {"next": str(_("Next")), "previous": str(_("Previous")),
                   "done": str(_("Done")),
                   # driver.js fills {{current}} and {{total}}.
                   "progress": str(_("{{current}} of {{total}}")),
                   "replay": str(_("Tour of this page"))},
    }


def page_tour(request: HttpRequest, view_name: str | None) -> dict[str, Any] | None:
    """The tour of the page ``request`` asks for, with where tour.js counts it once done (who
    was trained): a signed-in user's by name, with the page's CSRF token (the cookie is not
    the scripts', settings); a visitor's without a name, once per browser."""
    tour = tour_for(view_name)
    user = getattr(request, "user", None)
    if tour is None or user is None:
        return tour
    if user.is_authenticated:
        tour["record"] = reverse("training-tour-done", args=[tour["id"]])
        tour["token"] = get_token(request)
    else:
        tour["record"] = reverse("training-tour-done-by-visitor", args=[tour["id"]])
        tour["visitor"] = True
    return tour
