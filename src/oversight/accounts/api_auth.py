"""API authentication: `Authorization: Bearer <token>` with a token issued on the site (or by
`issue_token`). A token acts as its user, with that user's role.

`token` requires a valid token (401 without one); `optional_token` lets anonymous callers through
as the public (they see published material only) and still refuses a bad token.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer

from oversight.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.objects.find(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class OptionalTokenAuth(TokenAuth):
    def __call__(self, request):
        if not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)


token = TokenAuth()
optional_token = OptionalTokenAuth()

# openapi_extra for routes with `optional_token`: OpenAPI's empty requirement says that a caller
# without a token is let in too (ninja's document would otherwise say a token is required).
TOKEN_OPTIONAL: dict[str, Any] = {"security": [{}]}
