from django.urls import path

from casspath.site import views

urlpatterns = [
    path("", views.home, name="home"),
]
