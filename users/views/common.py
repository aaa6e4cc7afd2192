"""What the login views share: the session's keys, the simulators' switch, the login's
finish and the refusal's form."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from users.methods import Method

NEXT = "login_next"
PENDING = "login_pending"


def simulators_only(view):
    """With CSAM's FAS configured the simulators are gone: their pages do not exist."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.DIGITAL_KEYS_PROVIDER != "simulators":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = target


def finish(request: HttpRequest, user, method: str) -> HttpResponse:
    """Log `user` in with `method` and go where they were going."""
    target = request.session.pop(NEXT, None) or reverse(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PENDING, None)
    auth.login(request, user)
    request.session["digital_key"] = str(method)
    return redirect(target)


def refusal_of(request: HttpRequest):
    """Why `authenticate()` refused without a wrong secret (a lock, a deactivated account)."""
    return getattr(request, "login_refusal", None)


def render_key(request: HttpRequest, method: str, form, **context) -> HttpResponse:
    refusal = refusal_of(request)
    return render(
        request,
        "users/login_key.html",
        {
            "method": method,
            "title": Method(method).label if method in Method.values else "",
            "form": form,
            **context,
        },
        status=refusal.status if refusal and form.errors.get("__all__") else 200,
    )


WRONG_PASSWORD = gettext_lazy("Nom d'utilisateur ou mot de passe incorrect.")


def refuse(request: HttpRequest, form, wrong: str) -> None:
    """The form says why the key refused: a wrong secret, or a lock (users.lockout)."""
    refusal = refusal_of(request)
    form.add_error(None, refusal.message if refusal else str(wrong))
