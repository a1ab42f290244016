from django.urls import path

from casspath.cass.views import cards, learning_map, maps, resources

app_name = "cass"

urlpatterns: list = [
    # The CASS map (views/maps.py): the maps one may read, a map, its editing.
    path("maps/", maps.map_list, name="map_list"),
    path("maps/new/", maps.map_create, name="map_create"),
    path("maps/<int:pk>/", maps.map_detail, name="map_detail"),
    path("maps/<int:pk>/edit/", maps.map_edit, name="map_edit"),
    path("maps/<int:pk>/export.xlsx", maps.map_export, name="map_export"),
    path("maps/<int:pk>/items/add/", maps.work_item_add, name="work_item_add"),
    path("maps/<int:pk>/items/<int:item_id>/", maps.work_item_edit, name="work_item_edit"),
    path("maps/<int:pk>/items/<int:item_id>/remove/", maps.work_item_remove, name="work_item_remove"),
    path("maps/<int:pk>/items/<int:item_id>/actions/add/", maps.key_action_add, name="key_action_add"),
    path("maps/<int:pk>/actions/<int:action_id>/", maps.key_action_edit, name="key_action_edit"),
    path("maps/<int:pk>/actions/<int:action_id>/remove/", maps.key_action_remove, name="key_action_remove"),
    path("maps/<int:pk>/actions/<int:action_id>/move/<str:direction>/", maps.key_action_move,
         name="key_action_move"),
    # The learning map (学习地图): the whole map of a CASS map, its export, a manager's own.
    path("learning-map/", learning_map.learning_map_index, name="learning_map_index"),
    path("maps/<int:pk>/learning-map/", learning_map.learning_map_page, name="learning_map"),
    path("maps/<int:pk>/learning-map.xlsx", learning_map.learning_map_export, name="learning_map_export"),
    path("my-learning-map/", learning_map.my_learning_map_page, name="my_learning_map"),
    # Q&A cards (views/cards.py).
    path("cards/", cards.cards_home, name="cards_home"),
    path("maps/<int:map_id>/cards/", cards.card_list, name="cards"),
    path("maps/<int:map_id>/cards/new/", cards.card_new, name="card_new"),
    path("cards/<int:card_id>/", cards.card_detail, name="card"),
    path("cards/<int:card_id>/edit/", cards.card_edit, name="card_edit"),
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
