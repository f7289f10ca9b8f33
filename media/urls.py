from django.urls import path

from media import views

urlpatterns = [
    path("<uuid:uid>/<str:size>", views.media_file, name="media-file"),
]
