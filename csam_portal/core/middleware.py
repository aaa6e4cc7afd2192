import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.utils.translation import gettext as _

from csam_portal.core.audit import client_ip

# The name the refusals were always logged under (before this module moved into the core).
logger = logging.getLogger("csam_portal.middleware")


def _early_page(request: HttpRequest, template: str, status: int, context=None) -> HttpResponse:
    """A refusal drawn before LanguageMiddleware has run (it may read the account): in the
    language the visitor chose, or French."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(request, template, context, status=status)
    response.headers["Content-Language"] = language
    return response


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
        response = _early_page(request, "400.html", 400)
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


class RequestBodyLimitMiddleware:
    """413 for a request whose body is over MAX_REQUEST_BODY_MB, before anything parses it
    (NulByteMiddleware reads the form: this one comes first).

    DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out. Django reads no more of a body than its
    Content-Length says, so one sent without (chunked) arrives empty and is never read at all.
    """

    # A client still sending when the server closes sees a reset connection, not the 413: a body up
    # to this many times the cap (a file too large by mistake) is read and thrown away first.
    DRAINED_UP_TO = 8
    CHUNK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        limit = settings.MAX_REQUEST_BODY_MB * 1024 * 1024
        if length <= limit:
            return self.get_response(request)
        if length <= self.DRAINED_UP_TO * limit:
            self._drain(request.META["wsgi.input"], length)
        context = {"max_mb": settings.EXCEPTIONAL_SCAN_MAX_MB}
        return _early_page(request, "413.html", 413, context)

    def _drain(self, stream, length: int) -> None:
        while length > 0:
            chunk = stream.read(min(self.CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)


SESSION_STARTED = "session_started"
SESSION_SEEN = "session_seen"


def session_start(sender, request, user, **kwargs) -> None:
    """On login (signal user_logged_in): the session's hours count from now."""
    request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = time.time()


class SessionExpiryMiddleware:
    """A session ends SESSION_IDLE_MINUTES after its last request, SESSION_MAX_HOURS after login.

    Whoever was logged in is logged out and sent to the login page (the admin's under /admin/),
    which says that the session expired and brings them back afterwards: to the page asked for,
    or, for a POST, which is not carried out, to the page it was sent from. An anonymous session
    (a wizard's answers) is emptied and the request goes on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        seen = request.session.get(SESSION_SEEN)
        if seen is not None and self._over(now, seen, request.session.get(SESSION_STARTED, seen)):
            if request.user.is_authenticated:
                auth.logout(request)
                messages.warning(request, _("Votre session a expiré : identifiez-vous à nouveau."))
                target, login_url = self._next(request), self._login_url(request)
                return redirect_to_login(target, login_url) if target else redirect(login_url)
            request.session.flush()
        response = self.get_response(request)
        # Nothing stored, nothing to time (and no cookie to set). Counted to the minute: a session
        # is not written back at every request of a page's burst.
        if not request.session.is_empty() and now - request.session.get(SESSION_SEEN, 0) >= 60:
            request.session[SESSION_SEEN] = now
            request.session.setdefault(SESSION_STARTED, now)
        return response

    @staticmethod
    def _over(now: float, seen: float, started: float) -> bool:
        idle = settings.SESSION_IDLE_MINUTES * 60
        return now - seen > idle or now - started > settings.SESSION_MAX_HOURS * 3600

    @staticmethod
    def _login_url(request) -> str:
        if request.path.startswith(reverse("admin:index")):
            return reverse("admin:login")
        return resolve_url(settings.LOGIN_URL)

    @staticmethod
    def _next(request) -> str:
        if request.method in ("GET", "HEAD"):
            return request.get_full_path()
        referer = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return ""
