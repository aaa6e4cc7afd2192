"""«Données personnelles» (flows.md §4): «Modifier mes données personnelles» (the account's e-mail
address and language) and «Modifier mon mot de passe». Every logged-in person, on their own
account (access.md, last row); a qualité's own addresses are access_managers' page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from csam_portal.core.audit import Actor
from users import forms
from users.permissions import person_required
from users.roles import Role
from users.services import accounts
from users.views.common import refusal_of


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, role=Role.PERSON)


@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def personal_data(request: HttpRequest) -> HttpResponse:
    """«Modifier mes données personnelles»: the account's address and language. A new language
    is the site's at once: the page's language cookie is set to it, as the header's switch does
    (csam_portal.core.middleware.LanguageMiddleware reads the cookie first)."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = forms.PersonalDataForm(data, user=user)
    if form.is_valid():
        try:
            saved = accounts.user_personal_data_set(
                user=user, actor=_actor(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # nothing was written; the form says why
        else:
            with translation.override(saved.language):  # the confirmation in the new language
                messages.success(request, _("Vos données personnelles ont bien été enregistrées."))
            response = redirect("users:personal_data")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                saved.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=request.is_secure(),
            )
            return response
    context = {"form": form, "account": user, "person": user.person}
    return render(request, "users/personal_data.html", context)


@never_cache
@person_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """«Modifier mon mot de passe», for an account with a username and a password (the keys that
    ask for them share them). An account without (it logs in with the eID or itsme only), or
    every account once CSAM's FAS provides the keys, is told where its keys are managed."""
    user = request.user
    keys_by_csam = settings.DIGITAL_KEYS_PROVIDER == "oidc"
    if keys_by_csam or not user.has_credentials:
        context = {"form": None, "keys_by_csam": keys_by_csam}
        return render(request, "users/password_change.html", context)
    data = request.POST if request.method == "POST" else None
    form = forms.PasswordChangeForm(user, data, request=request)
    if form.is_valid():
        try:
            changed = accounts.user_password_change(
                user=user, password=form.cleaned_data["new_password1"], actor=_actor(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth.update_session_auth_hash(request, changed)  # this session goes on; the others end
            messages.success(request, _("Votre mot de passe a bien été modifié."))
            return redirect("users:personal_data")
    refusal = refusal_of(request)
    status = refusal.status if refusal and form.has_error("old_password", "locked") else 200
    return render(request, "users/password_change.html", {"form": form}, status=status)
