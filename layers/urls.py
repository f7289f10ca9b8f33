from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from layers import api


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI, a page: GET and HEAD. DRF would answer OPTIONS with its metadata rendered
    by the page's template renderer, which has no template for it (a 500, found by
    tests/test_fuzz.py)."""

    http_method_names = ["get", "head"]


urlpatterns = [
    path("regional-layer/", api.RegionalLayer.as_view(), name="regional-layer"),
    path("regional-layer/export/", api.RegionalLayerExport.as_view(),
         name="regional-layer-export"),
    path("layers/<slug:slug>/export/", api.LayerExport.as_view(), name="layer-export"),
    path("layers/<slug:slug>/publication/", api.LayerPublication.as_view(),
         name="layer-publication"),
    path("attractions/", api.Attractions.as_view(), name="attractions"),
    path("attractions/<uuid:uid>/", api.AttractionDetail.as_view(), name="attraction-detail"),
    path("attractions/<uuid:uid>/hours/", api.AttractionHours.as_view(),
         name="attraction-hours"),
    path("trails/", api.Trails.as_view(), name="trails"),
    path("trails/<uuid:uid>/", api.TrailDetail.as_view(), name="trail-detail"),
    path("layers/", api.Layers.as_view(), name="layers"),
    path("partners/", api.Partners.as_view(), name="partners"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocs.as_view(url_name="schema"), name="api-docs"),
]
