from django.urls import path

from layers import api

urlpatterns = [
    path("regional-layer/", api.regional_layer, name="regional-layer"),
    path("partners/", api.partners, name="partners"),
]
