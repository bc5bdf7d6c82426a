"""Static files through whitenoise, quietly when collectstatic has not been run (the files then
come straight from the apps); addresses with a NUL character refused."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponseBadRequest, JsonResponse
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix=None):
        if root and Path(root).is_dir():
            super().add_files(root, prefix)


class RefuseNulCharacters:
    """A request whose address holds a NUL character (%00) is refused with 400 before any view
    runs: PostgreSQL cannot hold NUL in text, so any lookup made with it fails as a server error."""

    MESSAGE = "A NUL character (%00) is not allowed in an address."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in k + "".join(vs) for k, vs in query):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.MESSAGE}, status=400)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
