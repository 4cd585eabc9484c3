"""The request being served, for records made where no request is at hand (model signals)."""

from __future__ import annotations

from contextvars import ContextVar, Token

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


def current_request() -> HttpRequest | None:
    return _current.get()


def set_current_request(request: HttpRequest | None) -> Token[HttpRequest | None]:
    return _current.set(request)


def reset_current_request(token: Token[HttpRequest | None]) -> None:
    _current.reset(token)
