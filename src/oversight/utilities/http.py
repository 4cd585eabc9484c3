from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from oversight.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request every view receives behind LoginRequiredMiddleware and HtmxMiddleware."""

    user: User
    htmx: HtmxDetails
