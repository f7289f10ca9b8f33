from django.urls import path

from accounts import api

urlpatterns = [
    path("", api.Tokens.as_view(), name="tokens"),
    path("<str:key>/", api.TokenDetail.as_view(), name="token-detail"),
]
