from django.urls import path  # noqa: F401 (each concept's pages add their paths below)

app_name = "cass"

urlpatterns: list = [
]

# Q&A cards (views/cards.py)
from casspath.cass.views import cards  # noqa: E402

urlpatterns += [
    path("cards/", cards.cards_home, name="cards_home"),
    path("maps/<int:map_id>/cards/", cards.card_list, name="cards"),
    path("maps/<int:map_id>/cards/new/", cards.card_new, name="card_new"),
    path("cards/<int:card_id>/", cards.card_detail, name="card"),
    path("cards/<int:card_id>/edit/", cards.card_edit, name="card_edit"),
]
