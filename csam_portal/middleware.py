import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.log import log_response

from csam_portal.audit import client_ip

logger = logging.getLogger(__name__)


class NulByteMiddleware:
    """A request whose path, query string, form or cookies hold a NUL byte is answered 400, and
    logged once, before anything reads the session or the database and before any view runs.

    No form, URL or cookie of the portal holds a NUL, and PostgreSQL refuses one in a text: let
    through, it would be a 500 wherever it reached a query (a session cookie is one). It sits
    before SessionMiddleware, so such a request neither loads nor saves a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        # LanguageMiddleware has not run (it may read the account): the chosen language, or French.
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            response = render(request, "400.html", status=400)
        response.headers["Content-Language"] = language
        log_response(  # and marked as logged, so django.request does not log it a second time
            "NUL byte in the request refused: %s %s from %s",
            request.method,
            request.path.replace("\x00", ""),
            client_ip(request) or "unknown address",
            response=response,
            request=request,
            logger=logger,
        )
        return response


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:  # Django decodes %00 in the path into a NUL
        return True
    if _querydict_holds_nul(request.GET):
        return True
    if any("\x00" in name + value for name, value in request.COOKIES.items()):
        return True
    # The form, urlencoded (%00 decoded) or multipart. Not its files: their content may hold
    # NULs, and Django drops non-printable characters from their names.
    return request.method == "POST" and _querydict_holds_nul(request.POST)


def _querydict_holds_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class LanguageMiddleware:
    """The page's language: the one the visitor chose (cookie), else their account's, else French.

    The browser's Accept-Language is deliberately ignored: the portal opens in French, as CSAM does,
    and offers the other three languages in its header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            user = getattr(request, "user", None)
            account_language = user.language if user and user.is_authenticated else None
            language = account_language if account_language in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
