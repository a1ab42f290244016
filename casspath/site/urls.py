from django.urls import path

from casspath.site import login, views

urlpatterns = [
    path("", views.home, name="home"),
    # Here rather than beside logout in core: who may stay signed in is decided by roles (org).
    path("accounts/login/", login.LoginView.as_view(), name="login"),
]
