"""The digital keys: one authentication interface, a faithful simulator behind each key.

Every key ends in `django.contrib.auth.authenticate(request, method=<key>, **credentials)`,
answered by `users.backends.DigitalKeyBackend`, which asks the key's verifier below. With
DIGITAL_KEYS_PROVIDER=oidc, CSAM's FAS (OpenID Connect) replaces all of them: the login page
sends to it and `users.backends.FasBackend` maps its NISS claim to the account.

`users.lockout` counts the failures of every key for each account (README «Lockout»): the
backend asks it before and after the verifier.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare

from csam_portal.core.audit import Actor
from users.methods import Method
from users.models import Person, SimulatedCard, User
from users.roles import Role
from users.services import accounts, persons, security_codes


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
        person=person, actor=Actor.from_request(request, role=Role.PERSON)
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
