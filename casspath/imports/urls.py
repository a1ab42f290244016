from django.urls import path

from casspath.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("runs/<int:run_id>/apply/", views.apply, name="apply"),
    path("runs/<int:run_id>/retry/", views.retry, name="retry"),
    path("runs/<int:run_id>/file/", views.download, name="download"),
    path("<slug:kind>/", views.kind, name="kind"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
]
