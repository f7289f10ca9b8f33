from django.urls import path

from importers import api

urlpatterns = [
    path("", api.ImportCreate.as_view(), name="import-create"),
    path("<int:pk>/", api.ImportDetail.as_view(), name="import-detail"),
    path("previews/<str:token>/", api.ImportPreviewDetail.as_view(), name="import-preview"),
    path("<int:pk>/cancel/", api.ImportCancel.as_view(), name="import-cancel"),
    path("<int:pk>/undo/", api.ImportUndo.as_view(), name="import-undo"),
]
