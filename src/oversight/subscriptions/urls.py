"""Subscription pages under /subscriptions/: subscribe, confirm, unsubscribe (one subscription or
everything a digest listed). No account: the signed links are the proof."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe-all/<str:token>/", views.unsubscribe_all, name="unsubscribe-all"),
]
