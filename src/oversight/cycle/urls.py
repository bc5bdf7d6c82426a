"""My items for every signed-in person; the reminders page for editors."""

from django.urls import path

from . import views

app_name = "cycle"
urlpatterns = [
    path("my-items/", views.my_items, name="my-items"),
    path("staff/reminders/", views.reminders, name="reminders"),
    path("staff/reminders/<slug:kind>/", views.policy_edit, name="policy"),
]
