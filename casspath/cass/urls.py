from django.urls import path  # noqa: F401 (each concept's pages add their paths below)

from casspath.cass.views import resources

app_name = "cass"

urlpatterns: list = [
    # The resource library (views/resources.py).
    path("resources/", resources.library_home, name="library_home"),
    path("maps/<int:map_id>/resources/", resources.resource_list, name="resource_list"),
    path("maps/<int:map_id>/resources/new/", resources.resource_new, name="resource_new"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/status/", resources.resource_status, name="resource_status"),
    path("resources/<int:pk>/upload/", resources.resource_upload, name="resource_upload"),
    path("resources/<int:pk>/media", resources.resource_media, name="resource_media"),
    path("resources/<int:pk>/poster", resources.resource_poster, name="resource_poster"),
    path("resources/<int:pk>/progress/", resources.resource_progress, name="resource_progress"),
]
