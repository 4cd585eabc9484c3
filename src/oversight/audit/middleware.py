"""Keeps the request at hand for records made by signals, and records refusals."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from . import actions
from .context import reset_current_request, set_current_request
from .models import Kind

# 404 counts: an object outside the user's scope is simply not found (it is never a 403).
REFUSALS = frozenset({403, 404})


class AuditMiddleware:
    """Place after AuthenticationMiddleware.

    A refusal is recorded for a signed-in user on a URL that exists: a 404 for a path that
    resolves to no page (a typo, a browser asking for /favicon.ico) is no attempt on anything.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = set_current_request(request)
        try:
            response = self.get_response(request)
        finally:
            reset_current_request(token)
        if response.status_code in REFUSALS and request.resolver_match is not None:
            user = actions.signed_in(request)
            if user is not None:
                summary = f"HTTP {response.status_code} · {request.method}"
                actions.write(Kind.ACCESS_DENIED, summary, request=request, user=user)
        return response
