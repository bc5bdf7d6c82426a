"""The quarterly report: the public archive and files of published periods, and the staff's
builder and preview (drafts included)."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "reports"
urlpatterns = [
    *twins("plans/<slug:slug>/reports", views.report_archive, "reports"),
    path(
        "plans/<slug:slug>/reports/<period:period>.<str:fmt>",
        views.report_file,
        name="report-file",
    ),
    path("staff/plans/<slug:slug>/report/", views.report_builder, name="report-builder"),
    path(
        "staff/plans/<slug:slug>/report/<period:period>.<str:fmt>",
        views.report_preview,
        name="report-preview",
    ),
]
