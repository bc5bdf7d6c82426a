"""Scrutiny pages under /scrutiny/: meetings, minutes, actions and the HMICFRS tracker (public, each
list and detail with .json and .csv twins), calendar feeds and the Popolo export; the action update
form for staff and the "pin a question to a measure" form for Panel members; the statutory
calendar, its feed and its records for staff and the Panel."""

from django.urls import path

from oversight.core.twins import twins

from . import calendar_views, views

app_name = "scrutiny"
urlpatterns = [
    path("", views.meetings, {"fmt": "html"}, name="index"),
    path("import/", views.import_file, name="import"),
    *twins("meetings", views.meetings, "meetings"),
    *twins("meetings/<int:meeting_id>", views.meeting_detail, "meeting"),
    path("meetings/<int:meeting_id>/minutes.<str:fmt>", views.minutes_file, name="minutes-file"),
    *twins("actions", views.action_list, "actions"),
    *twins("adhoc-requests", views.adhoc_requests, "adhoc"),
    *twins("hmicfrs", views.hmicfrs, "hmicfrs"),
    *twins("hmicfrs/<slug:report>", views.hmicfrs_report, "hmicfrs-report"),
    path("hmicfrs/<slug:report>/response/", views.report_response, name="report_response"),
    path("findings/<int:finding_id>/update/", views.finding_update, name="finding_update"),
    path("bodies/<slug:body>/calendar.ics", views.calendar_feed, name="calendar"),
    path("popolo.json", views.popolo_export, name="popolo"),
    path("actions/<int:action_id>/update/", views.action_update, name="action_update"),
    path("measures/<int:measure_id>/pin/", views.pin_question, name="pin_question"),
    path("calendar/", calendar_views.calendar_page, name="statutory-calendar"),
    path("calendar/statutory.ics", calendar_views.calendar_feed, name="statutory-feed"),
    path(
        "calendar/private/<str:token>.ics",
        calendar_views.calendar_feed_private,
        name="statutory-feed-private",
    ),
    path(
        "calendar/records/<slug:kind>/new/",
        calendar_views.statutory_record,
        name="statutory-record-new",
    ),
    path(
        "calendar/records/<slug:kind>/<int:record_id>/",
        calendar_views.statutory_record,
        name="statutory-record",
    ),
]
