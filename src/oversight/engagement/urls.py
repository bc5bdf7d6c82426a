"""Engagement pages under /engagement/: the public page per plan and period has twins."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "engagement"
urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff, name="staff"),
    path("staff/vocabulary/", views.vocabulary, name="vocabulary"),
    path("staff/<int:span_id>/publish/", views.publish, name="publish"),
    path("staff/counts/<int:count_id>/", views.edit_count, name="edit-count"),
    *twins("<slug:slug>/<period:period>", views.page, "page"),
]
