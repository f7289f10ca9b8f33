from django.urls import path

from exchange import api

urlpatterns = [
    path("", api.Practices.as_view(), name="practices"),
    path("<uuid:uid>/", api.PracticeDetail.as_view(), name="practice-detail"),
    path("<uuid:uid>/questions/", api.PracticeQuestions.as_view(), name="practice-questions"),
    path("<uuid:uid>/endorsements/", api.PracticeEndorsements.as_view(),
         name="practice-endorsements"),
    path("<uuid:uid>/<str:action>/", api.PracticeAction.as_view(), name="practice-action"),
]
