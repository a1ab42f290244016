from django.contrib import admin
from django.urls import include, path

from casspath.site.api import api

urlpatterns = [
    path("", include("casspath.site.urls")),
    path("", include("casspath.core.urls")),
    path("accounts/tokens/", include("casspath.api.page_urls")),
    path("org/", include("casspath.org.urls")),
    path("competency/", include("casspath.competency.urls")),
    path("cass/", include("casspath.cass.urls")),
    path("knowledge/", include("casspath.knowledge.urls")),
    path("imports/", include("casspath.imports.urls")),
    path("performance/", include("casspath.performance.urls")),
    path("search/", include("casspath.search.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# The site's own pages in both languages (casspath/site/errors.py), not Django's bare ones.
handler403 = "casspath.site.errors.permission_denied"
handler404 = "casspath.site.errors.page_not_found"
handler500 = "casspath.site.errors.server_error"
