"""URL routes: each app brings its own."""

from django.contrib import admin
from django.urls import include, path

from oversight.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("oversight.accounts.urls")),
    path("api/v1/", api.urls),
    path("scrutiny/", include("oversight.scrutiny.urls")),
    path("registers/", include("oversight.registers.urls")),
    path("open-data/", include("oversight.opendata.urls")),
    path("", include("oversight.web.urls")),
]
