"""CSAM's FAS, when DIGITAL_KEYS_PROVIDER=oidc: the login and its callback."""

from __future__ import annotations

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from csam_portal.core.access import public
from users import fas

logger = logging.getLogger(__name__)


def _fas_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.DIGITAL_KEYS_PROVIDER != "oidc":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def fas_login_failed(request: HttpRequest, error: fas.FasLoginError) -> HttpResponse:
    """«La connexion avec CSAM n'a pas abouti»: what happened, what to do, a retry link; the
    cause goes to the log, once. Whoever was logged in in this browser no longer is."""
    logger.warning("FAS login failed (%s): %s", error.failure.code, error.cause)
    retry = reverse("oidc_authentication_init")
    target = request.session.get("oidc_login_next")  # checked by the login view already
    auth.logout(request)
    if target:
        retry = f"{retry}?{urlencode({'next': target})}"
    context = {"failure": error.failure, "retry_url": retry}
    return render(request, "users/fas_failed.html", context, status=error.failure.status)


class FasCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: every failure ends on `fas_login_failed`, never on a 500."""

    def get(self, request):
        try:
            return super().get(request)
        except fas.FasLoginError as error:
            return fas_login_failed(request, error)
        except SuspiciousOperation as error:  # a state this session never sent
            return fas_login_failed(request, fas.FasLoginError(fas.STALE, str(error)))

    def login_failure(self):
        error = self.request.GET.get("error")
        if error:  # the provider's error answer, e.g. «Annuler» there is access_denied
            failure, cause = fas.failure_for_error_answer(error), f"error={error[:60]!r}"
        elif not hasattr(self, "user"):  # no code, or no login under way in this session
            failure, cause = fas.STALE, "no login under way for this answer"
        else:  # authenticate() let nobody in: a lockout, whose own page replaces this one
            failure, cause = fas.REFUSED, "no active account was authenticated"
        return fas_login_failed(self.request, fas.FasLoginError(failure, cause))


FAS_REASON = "logging in with FAS, the federal authentication service: for anyone"
fas_login = public(FAS_REASON)(_fas_only(OIDCAuthenticationRequestView.as_view()))
fas_callback = public(FAS_REASON)(_fas_only(never_cache(FasCallbackView.as_view())))
