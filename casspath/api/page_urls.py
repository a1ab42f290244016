"""Pages for managing API tokens, mounted outside /api/v1/ (see casspath/urls.py)."""

from django.urls import path

from casspath.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<str:prefix>/revoke/", views.token_revoke, name="revoke"),
]
