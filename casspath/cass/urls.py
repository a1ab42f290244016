from django.urls import path  # noqa: F401 (each concept's pages add their paths below)

from casspath.cass.views import maps

app_name = "cass"

urlpatterns: list = [
    # The CASS map (views/maps.py): the maps one may read, a map, its editing.
    path("maps/", maps.map_list, name="map_list"),
    path("maps/new/", maps.map_create, name="map_create"),
    path("maps/<int:pk>/", maps.map_detail, name="map_detail"),
    path("maps/<int:pk>/edit/", maps.map_edit, name="map_edit"),
    path("maps/<int:pk>/items/add/", maps.work_item_add, name="work_item_add"),
    path("maps/<int:pk>/items/<int:item_id>/", maps.work_item_edit, name="work_item_edit"),
    path("maps/<int:pk>/items/<int:item_id>/remove/", maps.work_item_remove, name="work_item_remove"),
    path("maps/<int:pk>/items/<int:item_id>/actions/add/", maps.key_action_add, name="key_action_add"),
    path("maps/<int:pk>/actions/<int:action_id>/", maps.key_action_edit, name="key_action_edit"),
    path("maps/<int:pk>/actions/<int:action_id>/remove/", maps.key_action_remove, name="key_action_remove"),
    path("maps/<int:pk>/actions/<int:action_id>/move/<str:direction>/", maps.key_action_move,
         name="key_action_move"),
]
