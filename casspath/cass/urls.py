from django.urls import path  # noqa: F401 (each concept's pages add their paths below)

from casspath.cass.views import learning_map

app_name = "cass"

urlpatterns: list = [
    # The learning map (学习地图): the whole map of a CASS map, its export, a manager's own.
    path("learning-map/", learning_map.learning_map_index, name="learning_map_index"),
    path("maps/<int:pk>/learning-map/", learning_map.learning_map_page, name="learning_map"),
    path("maps/<int:pk>/learning-map.xlsx", learning_map.learning_map_export, name="learning_map_export"),
    path("my-learning-map/", learning_map.my_learning_map_page, name="my_learning_map"),
    # A stand-in for a resource's page, which the learning map links to: the resource
    # library's own view (media helper) replaces this line under the same name and path.
    path("resources/<int:pk>/", learning_map.resource_detail, name="resource_detail"),
]
