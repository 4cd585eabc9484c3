from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from oversight.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request every view receives behind LoginRequiredMiddleware and HtmxMiddleware."""

    user: User
    htmx: HtmxDetails


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with PROXY_COUNT trusted proxies in front (the
    README's nginx), the address the outermost trusted proxy saw in X-Forwarded-For."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))
