"""Every page's URL: the map, layers and features, routes, the planner, imports and the
guides (/help/)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from maps.pages import actors, explorer, guides, imports, planner, practices, routes, seo, services
from maps.sitemaps import SITEMAPS

import_patterns = ([
    path("", imports.upload, name="upload"),
    path("preview/<str:token>/", imports.preview, name="preview"),
    path("preview/<str:token>/state/", imports.preview_state, name="preview-state"),
    path("runs/<int:pk>/", imports.report, name="report"),
    path("runs/<int:pk>/state/", imports.state, name="state"),
    path("runs/<int:pk>/cancel/", imports.cancel, name="cancel"),
    path("runs/<int:pk>/undo/", imports.undo, name="undo"),
], "imports")

urlpatterns = [
    path("", explorer.explorer, name="explorer"),
    path("embed/", explorer.embed, name="embed"),
    path("layers/", explorer.layer_list, name="layer-list"),
    path("layers/<slug:slug>/", explorer.layer_preview, name="layer-page"),
    path("attractions/<uuid:uid>/", explorer.attraction_page, name="attraction-page"),
    path("trails/<uuid:uid>/", explorer.trail_page, name="trail-page"),
    path("services/<uuid:uid>/", services.service_page, name="service-page"),
    path("routes/", routes.route_list, name="route-list"),
    path("routes/<slug:slug>/", routes.route_page, name="route-page"),
    path("routes/<slug:slug>/edit/", routes.editor, name="route-editor"),
    path("embed/routes/<slug:slug>/", routes.route_embed, name="route-embed"),
    path("practices/", practices.practice_list, name="practice-list"),
    path("practices/new/", practices.practice_new, name="practice-new"),
    path("practices/review/", practices.review_queue, name="practice-queue"),
    path("practices/feed.atom", practices.PracticeFeed(), name="practice-feed"),
    path("practices/<uuid:uid>/", practices.practice_page, name="practice-page"),
    path("practices/<uuid:uid>/edit/", practices.practice_edit, name="practice-edit"),
    path("practices/<uuid:uid>/act/", practices.practice_act, name="practice-act"),
    path("practices/<uuid:uid>/ask/", practices.practice_ask, name="practice-ask"),
    path("practices/<uuid:uid>/endorse/", practices.practice_endorse, name="practice-endorse"),
    path("notices/", practices.notices_page, name="notices"),
    path("actors/", actors.dashboard, name="actor-dashboard"),
    path("actors/sign-up/", actors.sign_up, name="actor-sign-up"),
    path("actors/profile/", actors.profile, name="actor-profile"),
    path("actors/sign-in/", actors.SignIn.as_view(), name="actor-sign-in"),
    path("actors/verify/<str:uid>/<str:token>/", actors.verify, name="actor-verify"),
    path("actors/verify/again/", actors.verification_resend, name="actor-verify-again"),
    path("actors/submissions/new/", actors.submission_new, name="actor-submission-new"),
    path("actors/submissions/<int:pk>/", actors.submission_page, name="actor-submission"),
    path("actors/submissions/<int:pk>/edit/", actors.submission_edit,
         name="actor-submission-edit"),
    path("actors/submissions/<int:pk>/act/", actors.submission_act,
         name="actor-submission-act"),
    path("actors/submissions/<int:pk>/photos/<uuid:uid>/<str:size>", actors.submission_photo,
         name="actor-submission-photo"),
    path("actors/listings/<uuid:uid>/change/", actors.listing_change, name="actor-listing-change"),
    path("actors/attractions/<uuid:uid>/change/", actors.attraction_change,
         name="actor-attraction-change"),
    path("actors/listings/<uuid:uid>/withdraw/", actors.withdraw, name="actor-withdraw"),
    path("actors/claim/", actors.claim, name="actor-claim"),
    path("actors/moderation/", actors.queue, name="actor-queue"),
    path("planner/", planner.planner, name="planner"),
    path("planner/tables/", planner.planner_tables, name="planner-tables"),
    path("planner/report/", planner.planner_report, name="planner-report"),
    path("import/", include(import_patterns)),
    path("help/", guides.guide, name="help"),
    re_path(r"^help/(?P<path>.+)$", guides.guide, name="help-file"),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS,
                                              "sitemap_url_name": "sitemap-section"},
         name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS},
         name="sitemap-section"),
]
