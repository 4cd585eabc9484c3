from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: office machines often run an
    English browser, and the congress's working language is Chinese whatever they say.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        languages = {code for code, _ in settings.LANGUAGES}
        translation.activate(chosen if chosen in languages else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
