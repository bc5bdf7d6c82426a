"""police.uk open data pages under /open-data/; each with .json and .csv twins."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "opendata"
urlpatterns = [
    *twins("", views.index, "index"),
    *twins("compare", views.comparison, "compare"),
    path("compare/chart.svg", views.comparison_chart, name="compare-chart"),
    *twins("<slug:force>/areas", views.areas, "areas"),
    path("<slug:force>/areas/chart.svg", views.area_chart, name="area-chart"),
    *twins("<slug:force>/<slug:month>", views.counts, "counts"),
]
