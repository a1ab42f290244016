"""The project's URLs plus the token pages, until casspath/urls.py includes them itself."""

from django.urls import include, path

from casspath.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "api_tokens" for p in project_urlpatterns):
    urlpatterns.append(path("accounts/tokens/", include("casspath.api.page_urls")))
