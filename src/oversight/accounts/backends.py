"""Login throttling: django-axes checks every login made through a web request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottledBackend(AxesStandaloneBackend):
    """Axes' lockout check, skipped when there is no request (a script or a test calling
    `authenticate` directly); every login through the site passes a request and is throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
