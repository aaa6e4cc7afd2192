"""The two security-code keys: username + password, then the code e-mailed or shown by the
mobile application."""

from __future__ import annotations

from django.contrib import auth
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from csam_portal.core.access import public
from csam_portal.core.audit import Actor, client_ip
from users import forms
from users.methods import Method
from users.models import SecurityCode
from users.roles import Role
from users.services import security_codes
from users.views.common import (
    PENDING,
    WRONG_PASSWORD,
    finish,
    refuse,
    remember_next,
    render_key,
    simulators_only,
)


def _activated(user, method: str) -> bool:
    if method == Method.EMAIL_CODE:
        return user.email_key_activated_at is not None
    return user.totp_key_activated_at is not None


def _security_code_login(request: HttpRequest, method: str) -> HttpResponse:
    """Step 1 of the two security-code keys: username and password, then the code."""
    remember_next(request)
    first_step = f"{method}_password"
    form = forms.PasswordForm(
        request.POST if request.method == "POST" else None, submit_label=_("Suivant")
    )
    not_activated = False
    if form.is_valid():
        user = auth.authenticate(request, method=first_step, **form.cleaned_data)
        if user is None:
            refuse(request, form, WRONG_PASSWORD)
        elif not _activated(user, method):
            not_activated = True
            form.add_error(
                None,
                _(
                    "Cette clé numérique n'est pas encore activée pour votre compte : "
                    "activez-la d'abord, comme expliqué ci-contre."
                ),
            )
        else:
            if method == Method.EMAIL_CODE:
                try:
                    security_codes.security_code_send(
                        user=user,
                        purpose=SecurityCode.Purpose.LOGIN,
                        email=user.email,
                        actor=Actor(user=user, role=Role.PERSON, ip=client_ip(request)),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    return render_key(request, method, form)
            request.session[PENDING] = {"method": method, "username": user.username}
            return redirect(f"users:login_{method}_code")
    return render_key(request, method, form, not_activated=not_activated)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_email_code(request: HttpRequest) -> HttpResponse:
    return _security_code_login(request, Method.EMAIL_CODE)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    return _security_code_login(request, Method.TOTP)


def _security_code_verify(request: HttpRequest, method: str) -> HttpResponse:
    pending = request.session.get(PENDING) or {}
    if pending.get("method") != method:
        return redirect(f"users:login_{method}")
    form = forms.CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = auth.authenticate(
            request, method=method, username=pending["username"], code=form.cleaned_data["code"]
        )
        if user is not None:
            return finish(request, user, method)
        refuse(
            request, form, _("Ce code n'est pas valable : il est erroné, expiré ou déjà utilisé.")
        )
    return render_key(request, method, form, code_step=True)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_email_code_code(request: HttpRequest) -> HttpResponse:
    return _security_code_verify(request, Method.EMAIL_CODE)


@public("the login page and its keys: for anyone not logged in yet")
@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_totp_code(request: HttpRequest) -> HttpResponse:
    return _security_code_verify(request, Method.TOTP)


# --- «Mes clés numériques» -----------------------------------------------------------------
