from django.urls import path

from actors import api

urlpatterns = [
    path("", api.Services.as_view(), name="services"),
    path("<uuid:uid>/", api.ServiceDetail.as_view(), name="service-detail"),
]
