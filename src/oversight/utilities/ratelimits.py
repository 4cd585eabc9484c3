"""Rate limits a view declares in one line, counted in Django's cache.

    @rate_limited("10/m")                              # per address and per signed-in user
    @rate_limited("10/m", user_key="post:username")    # sign-in: per address and per user name

A refused request gets the Chinese 429 page (``RatelimitMiddleware`` → ``too_many_requests``).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., Any])
# "10/m", or a function of (group, request) giving one, read at request time.
Rate = str | Callable[[str, HttpRequest], str]


def rate_limited(
    rate: Rate, *, user_key: str = "user_or_ip", method: str | list[str] = ratelimit.ALL
) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        name = f"{view.__module__}.{getattr(view, '__qualname__', view.__class__.__name__)}"
        # Separate groups, so that an anonymous request (whose user key is its address)
        # is not counted twice against the same limit.
        per_user = ratelimit(group=f"{name}:user", key=user_key, rate=rate, method=method)
        per_address = ratelimit(group=f"{name}:ip", key="ip", rate=rate, method=method)
        limited: View = per_address(per_user(view))
        return limited

    return decorate
