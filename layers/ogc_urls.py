from django.urls import path

from layers import ogc
from layers.ogc import records
from layers.urls import ApiDocs

urlpatterns = [
    path("", ogc.landing, name="ogc-landing"),
    path("api", ogc.openapi, name="ogc-openapi"),
    # Swagger UI of this API's own document (the REST API's is /api/docs/).
    path("api.html", ApiDocs.as_view(url_name="ogc-openapi"), name="ogc-api-docs"),
    path("conformance", ogc.conformance, name="ogc-conformance"),
    path("collections", ogc.collections, name="ogc-collections"),
    # The catalogue (OGC API – Records) before the layers' collections: its id is fixed.
    path("collections/metadata", records.catalogue, name="ogc-metadata"),
    path("collections/metadata/items", records.records, name="ogc-records"),
    path("collections/metadata/items/<str:slug>", records.record, name="ogc-record"),
    path("collections/<str:cid>", ogc.collection, name="ogc-collection"),
    path("collections/<str:cid>/items", ogc.items, name="ogc-items"),
    path("collections/<str:cid>/schema", ogc.schema, name="ogc-schema"),
    path("collections/<str:cid>/queryables", ogc.queryables, name="ogc-queryables"),
    path("collections/<str:cid>/items/<str:fid>", ogc.item, name="ogc-item"),
]
