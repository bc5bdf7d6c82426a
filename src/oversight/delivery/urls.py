"""Delivery plan and risk pages: public under /plans/<slug>/ (with .json and .csv twins), the
staff's workspace under /staff/."""

from django.urls import path

from oversight.core.twins import twins

from . import views

app_name = "delivery"
urlpatterns = [
    *twins("plans/<slug:slug>/delivery", views.delivery_page, "delivery"),
    *twins("plans/<slug:slug>/risks", views.risks_page, "risks"),
    path("staff/plans/<slug:slug>/delivery/", views.staff_delivery, name="staff-activities"),
    path("staff/plans/<slug:slug>/delivery/new/", views.activity_edit, name="activity-new"),
    path("staff/plans/<slug:slug>/delivery/import/", views.import_file, name="import"),
    path("staff/delivery/activities/<int:activity_id>/", views.activity_edit, name="activity"),
    path(
        "staff/delivery/activities/<int:activity_id>/milestones/new/",
        views.milestone_edit,
        name="milestone-new",
    ),
    path(
        "staff/delivery/activities/<int:activity_id>/updates/new/",
        views.update_new,
        name="update-new",
    ),
    path("staff/delivery/milestones/<int:milestone_id>/", views.milestone_edit, name="milestone"),
    path("staff/plans/<slug:slug>/risks/", views.staff_risks, name="staff-risks"),
    path("staff/plans/<slug:slug>/risks/new/", views.risk_edit, name="risk-new"),
    path("staff/delivery/risks/<int:risk_id>/", views.risk_edit, name="risk"),
]
