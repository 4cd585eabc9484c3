from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The page for a request refused by a rate limit (django-ratelimit's RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)
