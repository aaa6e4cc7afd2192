"""The CSAM login «S'identifier à l'administration en ligne», each key's steps, and
«Mes clés numériques». Views stay thin: forms clean, `authenticate()` decides, services write."""

import logging
import secrets
from functools import wraps
from urllib.parse import urlencode

import pyotp
import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from csam_portal.core.audit import Actor, client_ip
from users import fas, forms, keys, services
from users.keys import Method
from users.models import SecurityCode

logger = logging.getLogger(__name__)

NEXT = "login_next"
PENDING = "login_pending"
ACTIVATION = "key_activation"


def simulators_only(view):
    """With CSAM's FAS configured the simulators are gone: their pages do not exist."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.DIGITAL_KEYS_PROVIDER != "simulators":
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = target


def _finish(request: HttpRequest, user, method: str) -> HttpResponse:
    """Log `user` in with `method` and go where they were going."""
    target = request.session.pop(NEXT, None) or reverse(settings.LOGIN_REDIRECT_URL)
    request.session.pop(PENDING, None)
    auth.login(request, user)
    request.session["digital_key"] = str(method)
    return redirect(target)


def _refusal(request: HttpRequest):
    """Why `authenticate()` refused without a wrong secret (a lock, a deactivated account)."""
    return getattr(request, "login_refusal", None)


def _render_key(request: HttpRequest, method: str, form, **context) -> HttpResponse:
    refusal = _refusal(request)
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


# One answer for an unknown number, a person without a card and a wrong PIN: the page must not
# tell who is in the national register or has a card.
WRONG_PIN = gettext_lazy("Numéro de registre national ou code PIN incorrect.")
WRONG_PASSWORD = gettext_lazy("Nom d'utilisateur ou mot de passe incorrect.")


def _activated(user, method: str) -> bool:
    if method == Method.EMAIL_CODE:
        return user.email_key_activated_at is not None
    return user.totp_key_activated_at is not None


def _refuse(request: HttpRequest, form, wrong: str) -> None:
    """The form says why the key refused: a wrong secret, or a lock (users.lockout)."""
    refusal = _refusal(request)
    form.add_error(None, refusal.message if refusal else str(wrong))


def _one_step_login(request: HttpRequest, method: str, form_class, wrong) -> HttpResponse:
    """A key whose one form holds all it needs: the form, `authenticate()`, in or refused."""
    _remember_next(request)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = auth.authenticate(request, method=method, **form.cleaned_data)
        if user is not None:
            return _finish(request, user, method)
        _refuse(request, form, wrong)
    return _render_key(request, method, form)


@never_cache
@require_http_methods(["GET"])
def login(request: HttpRequest) -> HttpResponse:
    """«S'identifier à l'administration en ligne»: the keys in seed 003's groups."""
    _remember_next(request)
    if settings.DIGITAL_KEYS_PROVIDER == "oidc":
        query = urlencode({"next": request.session.pop(NEXT, "/")})
        return redirect(f"{reverse('oidc_authentication_init')}?{query}")
    return render(request, "users/login.html", {"groups": keys.GROUPS})


@simulators_only
@never_cache
@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
def login_eid(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.EID, forms.EidForm, WRONG_PIN)


@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_itsme(request: HttpRequest) -> HttpResponse:
    _remember_next(request)
    form = forms.ItsmeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        request.session[PENDING] = {
            "method": Method.ITSME.value,
            "niss": form.cleaned_data["niss"],
            "challenge": secrets.choice(["A", "C", "E", "H", "K", "M", "R", "T"])
            + f"{secrets.randbelow(100):02d}",
        }
        return redirect("users:login_itsme_confirm")
    return _render_key(request, Method.ITSME, form)


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
            return _finish(request, user, Method.ITSME)
        request.session.pop(PENDING, None)
        refusal = _refusal(request)
        # An unknown number ends as a refusal in the application does: nobody learns who has itsme.
        refused = _(
            "La demande a été refusée dans l'application itsme : vous n'êtes pas connecté(e)."
        )
        messages.error(request, refusal.message if refusal else refused)
        return redirect("users:login_itsme")
    return render(request, "users/login_itsme_confirm.html", {"challenge": pending["challenge"]})


@simulators_only
@never_cache
@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
def login_eidas(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.EIDAS, forms.EidasForm, WRONG_PIN)


@simulators_only
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    return _one_step_login(request, Method.PASSWORD, forms.PasswordForm, WRONG_PASSWORD)


def _security_code_login(request: HttpRequest, method: str) -> HttpResponse:
    """Step 1 of the two security-code keys: username and password, then the code."""
    _remember_next(request)
    first_step = f"{method}_password"
    form = forms.PasswordForm(
        request.POST if request.method == "POST" else None, submit_label=_("Suivant")
    )
    not_activated = False
    if form.is_valid():
        user = auth.authenticate(request, method=first_step, **form.cleaned_data)
        if user is None:
            _refuse(request, form, WRONG_PASSWORD)
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
                    services.security_code_send(
                        user=user,
                        purpose=SecurityCode.Purpose.LOGIN,
                        email=user.email,
                        actor=Actor(user=user, role="person", ip=client_ip(request)),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    return _render_key(request, method, form)
            request.session[PENDING] = {"method": method, "username": user.username}
            return redirect(f"users:login_{method}_code")
    return _render_key(request, method, form, not_activated=not_activated)


@simulators_only
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_email_code(request: HttpRequest) -> HttpResponse:
    return _security_code_login(request, Method.EMAIL_CODE)


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
            return _finish(request, user, method)
        _refuse(
            request, form, _("Ce code n'est pas valable : il est erroné, expiré ou déjà utilisé.")
        )
    return _render_key(request, method, form, code_step=True)


@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_email_code_code(request: HttpRequest) -> HttpResponse:
    return _security_code_verify(request, Method.EMAIL_CODE)


@simulators_only
@never_cache
@require_http_methods(["GET", "POST"])
def login_totp_code(request: HttpRequest) -> HttpResponse:
    return _security_code_verify(request, Method.TOTP)


# --- «Mes clés numériques» -----------------------------------------------------------------


def _opened_with_card(request: HttpRequest) -> bool:
    return request.session.get("digital_key") in keys.CARD_METHODS


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, role="person")


@login_required
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
@login_required
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
            services.security_code_send(
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
@login_required
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
            user = services.email_key_activate(
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
@login_required
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
            user = services.totp_key_activate(
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
    uri = keys.totp_uri(request.user, pending["secret"])
    # A data: URI needs the SVG namespace, which svg_inline() leaves out: the image stayed blank.
    qr = segno.make(uri, error="m").svg_data_uri(scale=5)
    secret = " ".join(pending["secret"][i : i + 4] for i in range(0, len(pending["secret"]), 4))
    return render(request, "users/totp_key.html", {"form": form, "qr": qr, "secret": secret})


@simulators_only
@login_required
@require_POST
def key_deactivate(request: HttpRequest, key: str) -> HttpResponse:
    if key not in {"email_code", "totp"}:
        raise Http404
    refusal = _card_required(request, back_to=reverse("users:digital_keys"))
    if refusal:
        return refusal
    try:
        services.key_deactivate(user=request.user, key=key, actor=_actor(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("La clé numérique a été désactivée."))
    return redirect("users:digital_keys")


# --- CSAM's FAS, when DIGITAL_KEYS_PROVIDER=oidc -------------------------------------------


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


fas_login = _fas_only(OIDCAuthenticationRequestView.as_view())
fas_callback = _fas_only(never_cache(FasCallbackView.as_view()))
