"""Sign in, sign out and change password: Django's views, each declaring who may use it."""

from django.contrib.auth import views as auth
from django.urls import path

from .access import public, require
from .roles import SIGNED_IN

urlpatterns = [
    path("login/", public(auth.LoginView.as_view()), name="login"),
    path("logout/", public(auth.LogoutView.as_view()), name="logout"),
    path(
        "password_change/",
        require(*SIGNED_IN)(auth.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        require(*SIGNED_IN)(auth.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
]
