"""Commissioned services' pages under /commissioning/: the public page has twins."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "commissioning"
urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff, name="staff"),
    path("staff/publish/", views.publish, name="publish"),
    path("staff/kpis/<int:kpi_id>/", views.edit_kpi, name="edit-kpi"),
    *twins("<slug:slug>/<period:period>", views.page, "page"),
]
