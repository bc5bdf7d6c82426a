"""URL routes: each app brings its own; the period converter is the site's, for every app."""

from django.contrib import admin
from django.urls import include, path, register_converter

from oversight.accounts.views import tokens
from oversight.api.api import api
from oversight.api.views import api_docs
from oversight.audit.views import audit_log
from oversight.core.converters import PeriodConverter

register_converter(PeriodConverter, "period")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("oversight.accounts.urls")),
    path("account/tokens/", tokens, name="tokens"),
    path("staff/audit/", audit_log, name="audit"),
    path("api/", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("scrutiny/", include("oversight.scrutiny.urls")),
    path("registers/", include("oversight.registers.urls")),
    path("open-data/", include("oversight.opendata.urls")),
    path("", include("oversight.delivery.urls")),
    path("", include("oversight.plans.urls")),
    path("", include("oversight.reports.urls")),
    path("", include("oversight.web.urls")),
]
