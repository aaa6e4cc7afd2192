"""The digital keys: one authentication interface, a faithful simulator behind each key.

Every key ends in `django.contrib.auth.authenticate(request, method=<key>, **credentials)`,
answered by `users.backends.DigitalKeyBackend`, which asks the key's verifier below. With
DIGITAL_KEYS_PROVIDER=oidc, CSAM's FAS (OpenID Connect) replaces all of them: the login page
sends to it and `users.backends.FasBackend` maps its NISS claim to the account.

`users.lockout` counts the failures of every key for each account (README «Lockout»): the
backend asks it before and after the verifier.
"""

from __future__ import annotations

import pyotp
from django.db import models
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from csam_portal.core.audit import Actor
from users.models import Person, SimulatedCard, User
from users.services import accounts, persons, security_codes


class Method(models.TextChoices):
    EID = "eid", _("IDENTIFICATION avec un lecteur de cartes eID")
    ITSME = "itsme", "itsme"
    EMAIL_CODE = "email_code", _("IDENTIFICATION avec un code de sécurité envoyé par e-mail")
    TOTP = "totp", _("IDENTIFICATION avec un code de sécurité via une application mobile")
    EIDAS = (
        "eidas",
        _("IDENTIFICATION avec une identification électronique reconnue au plan européen"),
    )
    PASSWORD = "password", _("IDENTIFICATION avec un nom d'utilisateur + mot de passe")


# The login page's groups, as seed 003 shows them (plus the portal's own password key).
GROUPS = [
    (_("Clé(s) numérique(s) avec l'eID ou identité numérique"), [Method.EID, Method.ITSME]),
    (
        _("Clé(s) numérique(s) avec code de sécurité et nom d'utilisateur + mot de passe"),
        [Method.EMAIL_CODE, Method.TOTP, Method.PASSWORD],
    ),
    (_("Authentification européenne"), [Method.EIDAS]),
]
# Keys that prove who the person is by a card: only they may activate the other keys (seed 003).
CARD_METHODS = {Method.EID, Method.ITSME}


def _pin_matches(card: SimulatedCard, pin: str) -> bool:
    return constant_time_compare(card.pin, persons.pin_digest(card.person, pin))


def _person_with_card(niss: str, kind: str) -> tuple[Person, SimulatedCard] | None:
    card = (
        SimulatedCard.objects.select_related("person").filter(person__niss=niss, kind=kind).first()
    )
    if card is None or (kind == SimulatedCard.Kind.EID and not card.person.has_eid):
        return None
    return card.person, card


def _account_of(request, person: Person) -> User:
    return accounts.account_for_person(
        person=person, actor=Actor.from_request(request, role="person")
    )


def verify_eid(request, *, niss: str, pin: str, **_) -> User | None:
    found = _person_with_card(niss, SimulatedCard.Kind.EID)
    if found is None or not _pin_matches(found[1], pin):
        return None
    return _account_of(request, found[0])


def verify_itsme(request, *, niss: str, confirmed: bool, **_) -> User | None:
    """itsme is activated with an eID: only a person with a card has it."""
    found = _person_with_card(niss, SimulatedCard.Kind.EID)
    if found is None or not confirmed:
        return None
    return _account_of(request, found[0])


def verify_eidas(request, *, niss: str, country: str, pin: str, **_) -> User | None:
    card = (
        SimulatedCard.objects.select_related("person")
        .filter(person__niss=niss, kind=SimulatedCard.Kind.EIDAS, country=country)
        .first()
    )
    if card is None or not _pin_matches(card, pin):
        return None
    return _account_of(request, card.person)


def _account(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def verify_password(request, *, username: str, password: str, **_) -> User | None:
    user = _account(username)
    if user is None or not user.check_password(password):
        return None
    return user


def verify_email_code(request, *, username: str, code: str, **_) -> User | None:
    user = _account(username)
    if user is None or user.email_key_activated_at is None:
        return None
    if not security_codes.security_code_use(user=user, purpose="login", code=code):
        return None
    return user


def verify_totp(request, *, username: str, code: str, **_) -> User | None:
    user = _account(username)
    if user is None or user.totp_key_activated_at is None:
        return None
    if not security_codes.totp_code_use(user=user, code=code):
        return None
    return user


# The first step of the two security-code keys checks the password.
VERIFIERS = {
    Method.EID: verify_eid,
    Method.ITSME: verify_itsme,
    Method.EIDAS: verify_eidas,
    Method.PASSWORD: verify_password,
    Method.EMAIL_CODE: verify_email_code,
    Method.TOTP: verify_totp,
    "email_code_password": verify_password,
    "totp_password": verify_password,
}
# The first step of a security-code key counts as that key.
KEY_OF = {"email_code_password": Method.EMAIL_CODE, "totp_password": Method.TOTP}


def totp_uri(user: User, secret: str) -> str:
    """What the mobile application scans: the secret, named after the account and CSAM."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username or user.niss or "", issuer_name="CSAM"
    )
