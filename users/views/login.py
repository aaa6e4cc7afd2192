"""«S'identifier»: the login page and the keys whose one form holds all they need (eID, itsme,
eIDAS, username + password)."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from csam_portal.core.access import public
from users import forms
from users.methods import Method
from users.views.common import (
    NEXT,
    PENDING,
    WRONG_PASSWORD,
    finish,
    refusal_of,
    refuse,
    remember_next,
    render_key,
    simulators_only,
)

# One answer for an unknown number, a person without a card and a wrong PIN: the page must not
# tell who is in the national register or has a card.
WRONG_PIN = gettext_lazy("Numéro de registre national ou code PIN incorrect.")

# The login page's groups, as seed 003 shows them (plus the portal's own password key).
GROUPS = [
    (
        gettext_lazy("Clé(s) numérique(s) avec l'eID ou identité numérique"),
        [Method.EID, Method.ITSME],
    ),
    (
        gettext_lazy(
            "Clé(s) numérique(s) avec code de sécurité et nom d'utilisateur + mot de passe"
        ),
        [Method.EMAIL_CODE, Method.TOTP, Method.PASSWORD],
    ),
    (gettext_lazy("Authentification européenne"), [Method.EIDAS]),
]


def _one_step_login(request: HttpRequest, method: str, form_class, wrong) -> HttpResponse:
    """A key whose one form holds all it needs: the form, `authenticate()`, in or refused."""
    remember_next(request)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = auth.authenticate(request, method=method, **form.cleaned_data)
        if user is not None:
            return finish(request, user, method)
        refuse(request, form, wrong)
    return render_key(request, method, form)


@public("the login page and its keys: for anyone not logged in yet")
@never_cache
@require_http_methods(["GET"])
def login(request: HttpRequest) -> HttpResponse:
    """«S'identifier à l'administration en ligne»: the keys in seed 003's groups."""
    remember_next(request)
    if settings.DIGITAL_KEYS_PROVIDER == "oidc":
        query = urlencode({"next": request.session.pop(NEXT, "/")})
        return redirect(f"{reverse('oidc_authentication_init')}?{query}")
    return render(request, "users/login.html", {"groups": GROUPS})


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
def login_eid(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.EID, forms.EidForm, WRONG_PIN)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_itsme(request: HttpRequest) -> HttpResponse:
    remember_next(request)
    form = forms.ItsmeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        request.session[PENDING] = {
            "method": Method.ITSME.value,
            "niss": form.cleaned_data["niss"],
            "challenge": secrets.choice(["A", "C", "E", "H", "K", "M", "R", "T"])
            + f"{secrets.randbelow(100):02d}",
        }
        return redirect("users:login_itsme_confirm")
    return render_key(request, Method.ITSME, form)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_itsme_confirm(request: HttpRequest) -> HttpResponse:
    """The simulated phone: the person sees the same code and confirms, or refuses."""
    pending = request.session.get(PENDING) or {}
    if pending.get("method") != Method.ITSME:
        return redirect("users:login_itsme")
    if request.method == "POST":
        confirmed = request.POST.get("decision") == "confirm"
        user = auth.authenticate(
            request, method=Method.ITSME, niss=pending["niss"], confirmed=confirmed
        )
        if user is not None:
            return finish(request, user, Method.ITSME)
        request.session.pop(PENDING, None)
        refusal = refusal_of(request)
        # An unknown number ends as a refusal in the application does: nobody learns who has itsme.
        refused = _(
            "La demande a été refusée dans l'application itsme : vous n'êtes pas connecté(e)."
        )
        messages.error(request, refusal.message if refusal else refused)
        return redirect("users:login_itsme")
    return render(request, "users/login_itsme_confirm.html", {"challenge": pending["challenge"]})


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
def login_eidas(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.EIDAS, forms.EidasForm, WRONG_PIN)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.PASSWORD, forms.PasswordForm, WRONG_PASSWORD)
