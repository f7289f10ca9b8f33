from django.urls import path

from importers import views

app_name = "importers"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("runs/<int:pk>/", views.report, name="report"),
    path("runs/<int:pk>/undo/", views.undo, name="undo"),
]
