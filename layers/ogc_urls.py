from django.urls import path

from layers import ogc
from layers.ogc import records, styles, tilesets
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
    # OGC API – Tiles (layers/ogc/tilesets.py) and Styles (layers/ogc/styles.py).
    path("tileMatrixSets", tilesets.tile_matrix_sets, name="ogc-tile-matrix-sets"),
    path("tileMatrixSets/<str:tms>", tilesets.tile_matrix_set, name="ogc-tile-matrix-set"),
    path("collections/<str:cid>/tiles", tilesets.tilesets, name="ogc-tilesets"),
    path("collections/<str:cid>/tiles/<str:tms>", tilesets.tileset, name="ogc-tileset"),
    path("collections/<str:cid>/tiles/<str:tms>/<str:z>/<str:row>/<str:col>", tilesets.tile,
         name="ogc-tile"),
    path("collections/<str:cid>/styles", styles.style_list, name="ogc-styles"),
    path("collections/<str:cid>/styles/<str:sid>", styles.stylesheet, name="ogc-style"),
    path("resources/<str:name>", styles.resource, name="ogc-resource"),
]
