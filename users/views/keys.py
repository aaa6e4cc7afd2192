"""«Mes clés numériques»: the person's keys, activating and deactivating the security-code keys."""

from __future__ import annotations

import pyotp
import segno
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from csam_portal.core.audit import Actor
from users import forms
from users.methods import CARD_METHODS, Method
from users.models import SecurityCode
from users.permissions import person_required
from users.roles import Role
from users.services import security_codes
from users.views.common import (
    simulators_only,
)

ACTIVATION = "key_activation"


def _opened_with_card(request: HttpRequest) -> bool:
    return request.session.get("digital_key") in CARD_METHODS


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, role=Role.PERSON)


@person_required
@require_http_methods(["GET"])
def digital_keys(request: HttpRequest) -> HttpResponse:
    """«Mes clés numériques»: the person's keys, which to activate, which are active."""
    if settings.DIGITAL_KEYS_PROVIDER == "oidc":  # CSAM itself manages the keys then
        return render(request, "users/digital_keys_fas.html")
    user = request.user
    person = user.person
    cards = {card.kind: card for card in person.cards.all()} if person else {}
    context = {
        "account": user,
        "session_key": Method(request.session["digital_key"]).label
        if request.session.get("digital_key") in Method.values
        else "",
        "can_activate": _opened_with_card(request),
        "has_eid": bool(person and person.has_eid and "eid" in cards),
        "eidas_card": cards.get("eidas"),
    }
    return render(request, "users/digital_keys.html", context)


def _card_required(request: HttpRequest, *, back_to: str = "") -> HttpResponse | None:
    """Activating or removing a key needs a session opened with a card key (eID or itsme)."""
    if _opened_with_card(request):
        return None
    eid_login = reverse("users:login_eid") + "?next=" + (back_to or request.path)
    return render(request, "users/card_required.html", {"eid_login": eid_login}, status=403)


@simulators_only
@never_cache
@person_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def email_key(request: HttpRequest) -> HttpResponse:
    """Activate the e-mail key: a username, a password, and an address verified by a code."""
    refusal = _card_required(request)
    if refusal:
        return refusal
    form = forms.EmailKeyForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        try:
            security_codes.security_code_send(
                user=request.user,
                purpose=SecurityCode.Purpose.VERIFY_EMAIL,
                email=form.cleaned_data["email"],
                actor=_actor(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[ACTIVATION] = {"key": "email_code", **form.cleaned_data}
            return redirect("users:email_key_verify")
    return render(request, "users/email_key.html", {"form": form})


@simulators_only
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def email_key_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(ACTIVATION) or {}
    if pending.get("key") != "email_code" or not _opened_with_card(request):
        return redirect("users:email_key")
    form = forms.CodeForm(
        request.POST if request.method == "POST" else None, submit_label=_("Activer la clé")
    )
    if form.is_valid():
        try:
            user = security_codes.email_key_activate(
                user=request.user,
                username=pending.get("username"),  # none when the account keeps its own
                password_hash=pending.get("password_hash"),
                email=pending["email"],
                code=form.cleaned_data["code"],
                actor=_actor(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth.update_session_auth_hash(request, user)  # a new password: stay logged in
            del request.session[ACTIVATION]
            messages.success(
                request, _("La clé numérique « Code de sécurité par e-mail » est activée.")
            )
            return redirect("users:digital_keys")
    return render(request, "users/email_key_verify.html", {"form": form, "email": pending["email"]})


@simulators_only
@never_cache
@person_required
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def totp_key(request: HttpRequest) -> HttpResponse:
    """Activate the mobile-application key: scan the secret, type the code it shows."""
    refusal = _card_required(request)
    if refusal:
        return refusal
    pending = request.session.get(ACTIVATION) or {}
    if pending.get("key") != "totp":
        pending = {"key": "totp", "secret": pyotp.random_base32()}
        request.session[ACTIVATION] = pending
    form = forms.TotpKeyForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        try:
            user = security_codes.totp_key_activate(
                user=request.user,
                username=form.cleaned_data.get("username"),  # none when the account keeps its own
                password_hash=form.cleaned_data.get("password_hash"),
                secret=pending["secret"],
                code=form.cleaned_data["code"],
                actor=_actor(request),
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            auth.update_session_auth_hash(request, user)  # a new password: stay logged in
            del request.session[ACTIVATION]
            messages.success(
                request,
                _("La clé numérique « Code de sécurité via une application mobile » est activée."),
            )
            return redirect("users:digital_keys")
    uri = security_codes.totp_uri(request.user, pending["secret"])
    # A data: URI needs the SVG namespace, which svg_inline() leaves out: the image stayed blank.
    qr = segno.make(uri, error="m").svg_data_uri(scale=5)
    secret = " ".join(pending["secret"][i : i + 4] for i in range(0, len(pending["secret"]), 4))
    return render(request, "users/totp_key.html", {"form": form, "qr": qr, "secret": secret})


@simulators_only
@person_required
@require_POST
def key_deactivate(request: HttpRequest, key: str) -> HttpResponse:
    if key not in {"email_code", "totp"}:
        raise Http404
    refusal = _card_required(request, back_to=reverse("users:digital_keys"))
    if refusal:
        return refusal
    try:
        security_codes.key_deactivate(user=request.user, key=key, actor=_actor(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("La clé numérique a été désactivée."))
    return redirect("users:digital_keys")


# --- CSAM's FAS, when DIGITAL_KEYS_PROVIDER=oidc -------------------------------------------
