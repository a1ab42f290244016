from django.urls import path  # noqa: F401 (each concept's pages add their paths below)

app_name = "cass"

urlpatterns: list = [
]
