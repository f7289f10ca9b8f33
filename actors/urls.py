from django.urls import path

from actors import api

urlpatterns = [
    path("", api.Services.as_view(), name="services"),
    path("submissions/", api.Submissions.as_view(), name="actor-submissions"),
    path("submissions/<int:pk>/", api.SubmissionDetail.as_view(), name="actor-submission-detail"),
    path("submissions/<int:pk>/submit/", api.SubmissionSubmit.as_view(),
         name="actor-submission-submit"),
    path("<uuid:uid>/", api.ServiceDetail.as_view(), name="service-detail"),
    path("<uuid:uid>/hours/", api.ServiceHours.as_view(), name="service-hours"),
]
