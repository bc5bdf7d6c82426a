"""Finance pages under /finance/: the public page per plan and period has .json and .csv twins."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:budget_set_id>/publish/", views.publish, name="publish"),
    path("staff/forecasts/<int:forecast_id>/", views.edit_forecast, name="edit-forecast"),
    path("<slug:slug>/<period:period>/chart.svg", views.chart_svg, name="chart"),
    *twins("<slug:slug>/<period:period>", views.page, "page"),
]
