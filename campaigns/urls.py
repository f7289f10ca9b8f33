from django.urls import path

from campaigns import api

urlpatterns = [
    path("", api.Announcements.as_view(), name="announcements"),
    path("<uuid:uid>/", api.AnnouncementDetail.as_view(), name="announcement-detail"),
    path("<uuid:uid>/<str:action>/", api.AnnouncementAction.as_view(),
         name="announcement-action"),
]
