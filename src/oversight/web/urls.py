"""The front door: the home page, the current plan, each measure's page and chart, and the staff
dashboard."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan_redirect, name="current-plan"),
    *twins("measures/<int:measure_id>", views.measure_detail, "measure"),
    path("measures/<int:measure_id>/chart.svg", views.measure_chart, name="measure-chart"),
    path("staff/", views.dashboard, name="dashboard"),
]
