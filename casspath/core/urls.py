from django.contrib.auth import views as auth_views
from django.urls import path

from casspath.core import views

urlpatterns = [
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
]
