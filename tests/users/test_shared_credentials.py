"""The security-code keys share the account's username and password: a key activated after the
other (or on an account that has them) asks only for what it still needs."""

import pyotp
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord
from tests.factories import PASSWORD, SimulatedCardFactory
from tests.helpers import last_code, text
from users.models import User
from users.services import security_codes

pytestmark = pytest.mark.django_db

SHARED = "Votre nom d'utilisateur et votre mot de passe sont communs à vos clés numériques"
CHOOSE = "Choisissez un nom d'utilisateur et un mot de passe"


def _first_eid_login(client) -> User:
    """A person's first login with their eID: an account without username or password."""
    person = SimulatedCardFactory().person
    client.post(reverse("users:login_eid"), {"niss": person.niss, "pin": "1234"})
    return User.objects.get(person=person)


def _activate_email_key(client, **credentials):
    client.post(reverse("users:email_key"), {"email": "anne@example.be", **credentials})
    return client.post(reverse("users:email_key_verify"), {"code": last_code()})


def _totp_secret(client) -> str:
    client.get(reverse("users:totp_key"))
    return client.session["key_activation"]["secret"]


def test_the_first_key_asks_to_choose_a_username_and_a_password(client):
    _first_eid_login(client)

    page = text(client.get(reverse("users:totp_key")))

    assert CHOOSE in page
    assert 'name="password1"' in page
    assert SHARED not in page


def test_the_mobile_key_after_the_email_key_asks_only_for_the_code(client):
    user = _first_eid_login(client)
    _activate_email_key(client, username="anne", password1=PASSWORD, password2=PASSWORD)

    page = text(client.get(reverse("users:totp_key")))

    assert SHARED in page
    assert "nom d'utilisateur\u202f: anne" in page
    assert CHOOSE not in page
    assert 'name="username"' not in page
    assert 'name="password1"' not in page
    assert 'name="code"' in page
    user.refresh_from_db()
    assert user.email_key_activated_at is not None


def test_the_mobile_key_is_activated_with_the_code_alone_and_keeps_the_credentials(client):
    user = _first_eid_login(client)
    _activate_email_key(client, username="anne", password1=PASSWORD, password2=PASSWORD)
    secret = _totp_secret(client)

    response = client.post(reverse("users:totp_key"), {"code": pyotp.TOTP(secret).now()})

    assert response.url == reverse("users:digital_keys")
    user.refresh_from_db()
    assert user.totp_key_activated_at is not None
    assert user.username == "anne"
    assert user.check_password(PASSWORD)


def test_the_email_key_after_the_mobile_key_asks_only_for_the_address(client):
    user = _first_eid_login(client)
    secret = _totp_secret(client)
    client.post(
        reverse("users:totp_key"),
        {
            "username": "anne",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "code": pyotp.TOTP(secret).now(),
        },
    )

    page = text(client.get(reverse("users:email_key")))
    verified = _activate_email_key(client)

    assert SHARED in page
    assert 'name="password1"' not in page
    assert 'name="email"' in page
    assert verified.url == reverse("users:digital_keys")
    user.refresh_from_db()
    assert (user.username, user.email) == ("anne", "anne@example.be")
    assert user.email_key_activated_at is not None
    assert user.check_password(PASSWORD)


def test_keeping_credentials_an_account_has_not_is_refused_and_changes_nothing(client):
    user = _first_eid_login(client)
    secret = pyotp.random_base32()
    audit_records = AuditRecord.objects.count()

    with pytest.raises(ValidationError, match="Choisissez un nom d'utilisateur et un mot de passe"):
        security_codes.totp_key_activate(
            user=user, secret=secret, code=pyotp.TOTP(secret).now(), actor=Actor.system("tests")
        )

    user.refresh_from_db()
    assert user.totp_key_activated_at is None
    assert user.totp_secret == ""
    assert user.username is None
    assert AuditRecord.objects.count() == audit_records
