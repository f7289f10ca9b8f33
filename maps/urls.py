from django.urls import path

from maps import views

urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("embed/", views.embed, name="embed"),
    path("layers/", views.layer_list, name="layer-list"),
    path("layers/<slug:slug>/", views.layer_preview, name="layer-page"),
    path("attractions/<uuid:uid>/", views.attraction_page, name="attraction-page"),
    path("trails/<uuid:uid>/", views.trail_page, name="trail-page"),
]
