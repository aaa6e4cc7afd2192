"""The security-code keys: codes sent by e-mail or read from a mobile application, and
activating and deactivating those keys in «Mes clés numériques»."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from csam_portal.core import audit, outbox, throttle
from users.models import SecurityCode, User


def _digest(code_id: int, code: str) -> str:
    return salted_hmac("users.SecurityCode", f"{code_id}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def security_code_send(*, user: User, purpose: str, email: str, actor: audit.Actor) -> SecurityCode:
    """Send a new 6-digit code to `email`; earlier unused codes of that purpose stop working.

    Raises ValidationError if SECURITY_CODES_PER_HOUR codes were already sent for the purpose.
    """
    allowed = throttle.hit(
        "security-code",
        f"{user.pk}:{purpose}",
        limit=settings.SECURITY_CODES_PER_HOUR,
        window=timedelta(hours=1),
    )
    if not allowed:
        raise ValidationError(
            _("Trop de codes ont été demandés. Réessayez dans une heure."), code="too_many_codes"
        )
    now = timezone.now()
    SecurityCode.objects.filter(user=user, purpose=purpose, used_at=None).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    security_code = SecurityCode(
        user=user,
        purpose=purpose,
        email=email,
        digest="",
        expires_at=now + timedelta(seconds=settings.SECURITY_CODE_SECONDS),
    )
    security_code.save()
    security_code.digest = _digest(security_code.pk, code)
    security_code.full_clean()
    security_code.save(update_fields=["digest"])
    outbox.enqueue(
        "users/security_code",
        to=email,
        language=user.language,
        sensitive=True,
        code=code,
        purpose=purpose,
        minutes=settings.SECURITY_CODE_SECONDS // 60,
    )
    audit.record(
        actor, "security_code_send", security_code, after={"purpose": purpose, "email": email}
    )
    return security_code


@transaction.atomic
def security_code_use(*, user: User, purpose: str, code: str) -> bool:
    """True, once, for the latest code of `purpose` if it is right and not expired.

    A wrong code counts; after three the code stops working and a new one must be asked.
    """
    security_code = (
        SecurityCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if security_code is None:
        return False
    if not constant_time_compare(security_code.digest, _digest(security_code.pk, code)):
        security_code.failures += 1
        if security_code.failures >= 3:
            security_code.used_at = timezone.now()
        security_code.save(update_fields=["failures", "used_at"])
        return False
    security_code.used_at = timezone.now()
    security_code.save(update_fields=["used_at"])
    return True


@transaction.atomic
def totp_code_use(*, user: User, code: str, secret: str | None = None) -> bool:
    """True if `code` is the mobile application's current code, never twice the same one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    totp = pyotp.TOTP(secret or user.totp_secret)
    now = timezone.now()
    for offset in (0, -1, 1):  # the code of now, or of the step just before or after
        step = totp.timecode(now) + offset
        if constant_time_compare(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            user.save(update_fields=["totp_last_step"])
            return True
    return False


def email_key_activate(
    *,
    user: User,
    username: str | None = None,
    password_hash: str | None = None,
    email: str,
    code: str,
    actor: audit.Actor,
) -> User:
    """Activate the «Code de sécurité par e-mail» key once the address is verified by `code`.

    Without `username` and `password_hash` the key keeps the account's (another key's).
    Raises ValidationError if the code is wrong, expired or used, or the username was taken
    meanwhile, or the account has no credentials to keep; the key is not activated then, but a
    wrong code counts (three, and it is spent): the code is checked in a transaction of its
    own, committed before the refusal.
    """
    if not security_code_use(user=user, purpose=SecurityCode.Purpose.VERIFY_EMAIL, code=code):
        raise ValidationError(
            _("Ce code n'est pas valable : il est erroné, expiré ou déjà utilisé."),
            code="invalid_code",
        )
    return _email_key_set(
        user=user, username=username, password_hash=password_hash, email=email, actor=actor
    )


@transaction.atomic
def _email_key_set(
    *,
    user: User,
    username: str | None,
    password_hash: str | None,
    email: str,
    actor: audit.Actor,
) -> User:
    with audit.change(actor, "email_key_activate", user):
        _set_credentials(user, username=username, password_hash=password_hash)
        now = timezone.now()
        user.email = email
        user.email_verified_at = now
        user.email_key_activated_at = now
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def totp_key_activate(
    *,
    user: User,
    username: str | None = None,
    password_hash: str | None = None,
    secret: str,
    code: str,
    actor: audit.Actor,
) -> User:
    """Activate the mobile-application key once it shows the right code for `secret`.

    Without `username` and `password_hash` the key keeps the account's (another key's).
    Raises ValidationError if the code is not the application's current one, the username was
    taken meanwhile, or the account has no credentials to keep.
    """
    if not totp_code_use(user=user, code=code, secret=secret):
        raise ValidationError(
            _("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez."),
            code="invalid_code",
        )
    user.refresh_from_db()
    with audit.change(actor, "totp_key_activate", user):
        _set_credentials(user, username=username, password_hash=password_hash)
        user.totp_secret = secret
        user.totp_key_activated_at = timezone.now()
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def key_deactivate(*, user: User, key: str, actor: audit.Actor) -> User:
    """Stop a security-code key ("email_code" or "totp"); it can be activated again later.

    Raises ValidationError, and nothing changes, if the key is not one of these or not active.
    """
    if key not in {"email_code", "totp"}:
        raise ValidationError(_("Cette clé ne peut pas être désactivée."), code="invalid_key")
    user = User.objects.select_for_update().get(pk=user.pk)
    active = user.email_key_activated_at if key == "email_code" else user.totp_key_activated_at
    if active is None:
        raise ValidationError(
            _("Cette clé numérique n'est pas activée : il n'y a rien à désactiver."),
            code="not_active",
        )
    with audit.change(actor, f"{key}_key_deactivate", user):
        if key == "email_code":
            user.email_key_activated_at = None
        else:
            user.totp_secret = ""
            user.totp_key_activated_at = None
            user.totp_last_step = None
        user.full_clean()
        user.save()
    return user


def _set_credentials(user: User, *, username: str | None, password_hash: str | None) -> None:
    """Give `user` these credentials; None for both keeps the ones the account has."""
    if username is None and password_hash is None:
        if not user.has_credentials:
            raise ValidationError(
                _("Choisissez un nom d'utilisateur et un mot de passe."), code="no_credentials"
            )
        return
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    user.username = username
    user.password = password_hash


def totp_uri(user: User, secret: str) -> str:
    """What the mobile application scans: the secret, named after the account and CSAM."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username or user.niss or "", issuer_name="CSAM"
    )
