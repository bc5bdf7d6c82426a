"""Static files through whitenoise, quietly when collectstatic has not been run (the files then
come straight from the apps); addresses with a NUL character refused; public pages served from the
page cache before sessions and the rest are touched."""

from __future__ import annotations

from pathlib import Path

from django.core.cache import cache
from django.http import HttpResponseBadRequest, JsonResponse
from whitenoise.middleware import WhiteNoiseMiddleware

from .cache import TIMEOUT, finished_page_key, finished_response, keep_finished


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


class PublicPageCache:
    """An anonymous visitor's request for a public page (a view marked `cached_for_public`),
    answered from the cache while the data version stands, before the session, authentication,
    CSRF, messages and the view run; on a miss the finished response, headers and all, is kept
    for the next visitor. See core.cache for who counts as anonymous and what is never kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = finished_page_key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return finished_response(stored)
        response = self.get_response(request)
        kept = keep_finished(response)
        if kept is not None:
            cache.set(key, kept, TIMEOUT)
        return response
