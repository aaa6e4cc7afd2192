"""Every digital key: success and each refusal, the lockout, the e-mail code's expiry and single
use, the mobile-application key, «Mes clés numériques»."""

import datetime
import re

import pyotp
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail, ThrottleHit
from tests.factories import PASSWORD, PersonFactory, SimulatedCardFactory, UserFactory, make_bis
from tests.helpers import last_code, logged_in_user, text
from users.models import SecurityCode, SimulatedCard, User
from users.services import security_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def marie():
    """A person with an eID card (PIN 1234) and an account with a password."""
    card = SimulatedCardFactory(person__first_name="Marie", person__last_name="Dubois")
    return UserFactory(person=card.person, username="marie", email="marie@example.be")


@pytest.fixture
def ahmed():
    """A person of the BIS register, without eID."""
    return PersonFactory(
        niss=make_bis(datetime.date(1968, 5, 9), 107), first_name="Ahmed", has_eid=False
    )


def _eid(client, person, pin="1234", next_url=None):
    url = reverse("users:login_eid") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"niss": person.niss, "pin": pin})


def test_login_page_lists_the_keys_in_seed_003s_groups(client):
    page = text(client.get(reverse("users:login")))

    for label in [
        "S'identifier à l'administration en ligne",
        "Clé(s) numérique(s) avec l'eID ou identité numérique",
        "IDENTIFICATION avec un lecteur de cartes eID",
        "itsme",
        "Créer votre compte itsme",
        "Clé(s) numérique(s) avec code de sécurité et nom d'utilisateur + mot de passe",
        "IDENTIFICATION avec un code de sécurité envoyé par e-mail",
        "IDENTIFICATION avec un code de sécurité via une application mobile",
        "Authentification européenne",
        "IDENTIFICATION avec une identification électronique reconnue au plan européen",
        "IDENTIFICATION avec un nom d'utilisateur + mot de passe",
    ]:
        assert label in page, label


def test_eid_logs_in_greets_by_name_and_returns_where_the_person_was_going(client, marie):
    response = _eid(client, marie.person, next_url="/about/")

    assert response.status_code == 302
    assert response.url == "/about/"
    assert logged_in_user(client) == marie
    page = text(client.get("/about/"))
    assert "Bienvenue, Marie Dubois" in page
    assert "Se déconnecter" in page


def test_a_protected_page_sends_an_anonymous_visitor_to_the_login_and_back(client, marie):
    response = client.get(reverse("users:digital_keys"))

    assert response.status_code == 302
    assert response.url == reverse("users:login") + "?next=" + reverse("users:digital_keys")
    client.get(response.url)  # the login page remembers where to go
    assert _eid(client, marie.person).url == reverse("users:digital_keys")


def test_first_eid_login_creates_the_persons_account(client):
    card = SimulatedCardFactory()

    _eid(client, card.person)

    account = User.objects.get(person=card.person)
    assert logged_in_user(client) == account
    assert account.has_usable_password() is False
    assert AuditRecord.objects.filter(action="user_create", object_id=str(account.pk)).exists()


def test_eid_refuses_a_mistyped_number_with_a_clear_message(client):
    response = client.post(reverse("users:login_eid"), {"niss": "80031510283", "pin": "1234"})

    assert response.status_code == 200
    message = "Vérifiez le numéro : 11 chiffres, par exemple 85.07.30-033.28."
    assert message in text(response)
    assert logged_in_user(client) is None
    assert User.objects.count() == 0


def test_a_person_without_eid_cannot_use_eid(client, ahmed):
    response = client.post(reverse("users:login_eid"), {"niss": ahmed.niss, "pin": "1234"})

    assert "Numéro de registre national ou code PIN incorrect." in text(response)
    assert logged_in_user(client) is None
    assert User.objects.count() == 0


def test_a_person_without_eid_cannot_use_itsme(client, ahmed):
    client.post(reverse("users:login_itsme"), {"niss": ahmed.niss})

    response = client.post(
        reverse("users:login_itsme_confirm"), {"decision": "confirm"}, follow=True
    )

    assert "La demande a été refusée dans l'application itsme" in text(response)
    assert logged_in_user(client) is None
    assert client.session.get("login_pending") is None


def test_a_wrong_pin_is_refused_and_nothing_changes(client, marie):
    response = _eid(client, marie.person, pin="9999")

    assert "Numéro de registre national ou code PIN incorrect." in text(response)
    assert logged_in_user(client) is None
    assert AuditRecord.objects.count() == 0


def test_three_wrong_passwords_lock_the_account_there_for_that_person_only_for_15_minutes(
    client, marie
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            client.post(reverse("users:login_password"), {"username": "marie", "password": "x"})

        locked = client.post(
            reverse("users:login_password"), {"username": "marie", "password": PASSWORD}
        )

        assert locked.status_code == 429
        assert "Trois essais erronés" in text(locked)
        assert logged_in_user(client) is None
        other = SimulatedCardFactory()
        assert _eid(client, other.person).status_code == 302  # same IP, another person
        client.post(reverse("logout"))
        clock.shift(datetime.timedelta(minutes=16))
        again = client.post(
            reverse("users:login_password"), {"username": "marie", "password": PASSWORD}
        )
        assert again.status_code == 302  # 15 minutes later
        assert logged_in_user(client) == marie


def test_itsme_asks_the_phone_then_logs_in_on_confirmation(client, marie):
    response = client.post(reverse("users:login_itsme"), {"niss": marie.person.niss})

    assert response.url == reverse("users:login_itsme_confirm")
    page = text(client.get(response.url))
    challenge = client.session["login_pending"]["challenge"]
    assert challenge in page
    assert "Confirmez dans l'application itsme" in page
    final = client.post(reverse("users:login_itsme_confirm"), {"decision": "confirm"})
    assert final.status_code == 302
    assert logged_in_user(client) == marie
    assert client.session["digital_key"] == "itsme"


def test_refusing_in_itsme_does_not_log_in(client, marie):
    client.post(reverse("users:login_itsme"), {"niss": marie.person.niss})

    response = client.post(
        reverse("users:login_itsme_confirm"), {"decision": "refuse"}, follow=True
    )

    assert "La demande a été refusée dans l'application itsme" in text(response)
    assert logged_in_user(client) is None


def test_itsme_confirmation_cannot_be_reached_without_its_first_step(client):
    assert client.post(reverse("users:login_itsme_confirm"), {"decision": "confirm"}).url == (
        reverse("users:login_itsme")
    )


def test_european_identity_logs_in_from_its_country_only(client, ahmed):
    SimulatedCardFactory(person=ahmed, kind=SimulatedCard.Kind.EIDAS, country="IT")
    url = reverse("users:login_eidas")

    wrong_country = client.post(url, {"country": "FR", "niss": ahmed.niss, "pin": "1234"})
    wrong_pin = client.post(url, {"country": "IT", "niss": ahmed.niss, "pin": "0000"})
    right = client.post(url, {"country": "IT", "niss": ahmed.niss, "pin": "1234"})

    assert "Numéro de registre national ou code PIN incorrect." in text(wrong_country)
    assert "Numéro de registre national ou code PIN incorrect." in text(wrong_pin)
    assert right.status_code == 302
    assert logged_in_user(client).person == ahmed


def test_each_country_of_the_european_key_is_marked_with_the_language_of_its_name(client):
    html = client.get(reverse("users:login_eidas")).content.decode()

    assert '<option value="AT" lang="de">Österreich</option>' in html
    assert '<option value="BG" lang="bg">България</option>' in html
    assert '<option value="IT" lang="it">Italia</option>' in html
    assert '<option value="IE">Éire / Ireland</option>' in html  # two languages: the page's


def test_european_key_needs_a_linked_identity(client, marie):
    response = client.post(
        reverse("users:login_eidas"), {"country": "IT", "niss": marie.person.niss, "pin": "1234"}
    )

    assert "Numéro de registre national ou code PIN incorrect." in text(response)
    assert logged_in_user(client) is None


def test_username_and_password_key(client, marie):
    wrong = client.post(reverse("users:login_password"), {"username": "marie", "password": "x"})
    right = client.post(
        reverse("users:login_password"), {"username": "marie", "password": PASSWORD}
    )

    assert "Nom d'utilisateur ou mot de passe incorrect." in text(wrong)
    assert right.status_code == 302
    assert logged_in_user(client) == marie


def test_email_key_login_page_explains_how_to_activate_it(client, marie):
    page = text(client.get(reverse("users:login_email_code")))

    assert 'Vous n\'avez pas encore activé la clé numérique "Code de sécurité par e-mail" ?' in page
    assert "S'identifier avec le lecteur de cartes eID" in page
    assert reverse("users:login_eid") + "?next=" + reverse("users:email_key") in page


def test_email_key_not_activated_is_said_after_the_password(client, marie):
    response = client.post(
        reverse("users:login_email_code"), {"username": "marie", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Cette clé numérique n'est pas encore activée pour votre compte" in text(response)
    assert OutboundEmail.objects.count() == 0
    assert logged_in_user(client) is None


def _activate_email_key(client, user, email="marie.dubois@example.be"):
    _eid(client, user.person)
    client.post(
        reverse("users:email_key"),
        {"username": user.username, "password1": PASSWORD, "password2": PASSWORD, "email": email},
    )
    code = last_code()
    response = client.post(reverse("users:email_key_verify"), {"code": code})
    client.post(reverse("logout"))
    return response


def test_activating_the_email_key_verifies_the_address_by_a_code(client, marie):
    response = _activate_email_key(client, marie)

    assert response.url == reverse("users:digital_keys")
    marie.refresh_from_db()
    assert marie.email == "marie.dubois@example.be"
    assert marie.email_key_activated_at is not None
    email = OutboundEmail.objects.get(template="users/security_code")
    assert (email.recipient, email.sensitive) == ("marie.dubois@example.be", True)
    assert AuditRecord.objects.filter(action="email_key_activate").count() == 1


def test_login_with_the_email_code_then_the_code_is_spent(client, marie):
    _activate_email_key(client, marie)

    step = client.post(
        reverse("users:login_email_code"), {"username": "marie", "password": PASSWORD}
    )
    code = last_code()
    done = client.post(reverse("users:login_email_code_code"), {"code": code})

    assert step.url == reverse("users:login_email_code_code")
    assert done.status_code == 302
    assert logged_in_user(client) == marie
    client.post(reverse("logout"))
    client.post(reverse("users:login_email_code"), {"username": "marie", "password": PASSWORD})
    reused = client.post(reverse("users:login_email_code_code"), {"code": code})
    assert "Ce code n'est pas valable" in text(reused)
    assert logged_in_user(client) is None


def test_an_email_code_expires_after_10_minutes(client, marie):
    _activate_email_key(client, marie)
    client.post(reverse("users:login_email_code"), {"username": "marie", "password": PASSWORD})
    SecurityCode.objects.filter(purpose="login").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.post(reverse("users:login_email_code_code"), {"code": last_code()})

    assert "Ce code n'est pas valable\u202f: il est erroné, expiré ou déjà utilisé." in text(
        response
    )
    assert logged_in_user(client) is None


def test_three_wrong_email_codes_lock_the_key(client, marie):
    _activate_email_key(client, marie)
    client.post(reverse("users:login_email_code"), {"username": "marie", "password": PASSWORD})
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        client.post(reverse("users:login_email_code_code"), {"code": wrong})

    response = client.post(reverse("users:login_email_code_code"), {"code": code})

    assert response.status_code == 429
    assert logged_in_user(client) is None


@time_machine.travel(timezone.now(), tick=False)  # one 30-second code window, whatever the clock
def test_the_mobile_application_key_is_activated_then_logs_in_once_per_code(client, marie):
    _eid(client, marie.person)
    client.get(reverse("users:totp_key"))
    secret = client.session["key_activation"]["secret"]
    totp = pyotp.TOTP(secret)
    activated = client.post(
        reverse("users:totp_key"),
        {"username": "marie", "password1": PASSWORD, "password2": PASSWORD, "code": totp.now()},
    )
    client.post(reverse("logout"))

    client.post(reverse("users:login_totp"), {"username": "marie", "password": PASSWORD})
    reused = client.post(reverse("users:login_totp_code"), {"code": totp.now()})

    assert activated.url == reverse("users:digital_keys")
    assert "Ce code n'est pas valable" in text(reused)  # the activation used this code
    marie.refresh_from_db()
    next_code = totp.at(timezone.now() + datetime.timedelta(seconds=30))
    assert client.post(reverse("users:login_totp_code"), {"code": next_code}).status_code == 302
    assert logged_in_user(client) == marie


def test_keys_are_activated_only_after_a_card_login(client, marie):
    client.post(reverse("users:login_password"), {"username": "marie", "password": PASSWORD})

    response = client.get(reverse("users:email_key"))

    assert response.status_code == 403
    assert "identifiez-vous d'abord avec votre carte eID ou avec itsme" in text(response)
    page = text(client.get(reverse("users:digital_keys")))
    assert "Pour activer ou désactiver une clé numérique, identifiez-vous d'abord" in page


def test_digital_keys_page_shows_each_keys_state(client, marie):
    _activate_email_key(client, marie)
    _eid(client, marie.person)

    page = text(client.get(reverse("users:digital_keys")))

    assert "Mes clés numériques" in page
    assert "Activée\u202f: les codes sont envoyés à marie.dubois@example.be" in page
    assert "Disponible\u202f: vous avez une carte eID" in page
    assert "Votre nom d'utilisateur\u202f: marie" in page


def test_a_key_can_be_deactivated(client, marie):
    _activate_email_key(client, marie)
    _eid(client, marie.person)

    client.post(reverse("users:key_deactivate", args=["email_code"]))

    marie.refresh_from_db()
    assert marie.email_key_activated_at is None
    assert AuditRecord.objects.filter(action="email_code_key_deactivate").exists()


def test_a_taken_username_is_refused_at_activation(client):
    UserFactory(username="taken")
    _eid(client, SimulatedCardFactory().person)  # a first login: an account without a username

    response = client.post(
        reverse("users:email_key"),
        {"username": "taken", "password1": PASSWORD, "password2": PASSWORD, "email": "m@e.be"},
    )

    assert "Ce nom d'utilisateur est déjà pris." in text(response)
    assert OutboundEmail.objects.count() == 0


def test_the_login_never_sends_to_another_site(client, marie):
    client.get(reverse("users:login") + "?next=https://evil.example/")

    assert _eid(client, marie.person).url == reverse("home")


def test_sent_security_codes_are_erased_from_the_outbox(client, marie, mailoutbox):
    from csam_portal.core import outbox

    _eid(client, marie.person)
    client.post(
        reverse("users:email_key"),
        {"username": "marie", "password1": PASSWORD, "password2": PASSWORD, "email": "m@e.be"},
    )
    email = OutboundEmail.objects.get()
    outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert re.search(r"\d{6}", mailoutbox[0].body)
    assert not re.search(r"\d{6}", email.body_text + email.body_html)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("users:login_password", {"username": "marie", "password": "wrong"}),
        ("users:login_eidas", {"country": "IT", "pin": "0000"}),
    ],
)
def test_three_wrong_passwords_or_european_pins_lock_that_key(client, marie, url, data):
    SimulatedCardFactory(person=marie.person, kind=SimulatedCard.Kind.EIDAS, country="IT")
    data = {**data, "niss": marie.person.niss}
    for _ in range(3):
        client.post(reverse(url), data)

    right = {**data, "password": PASSWORD, "pin": "1234"}
    response = client.post(reverse(url), right)

    assert response.status_code == 429
    assert logged_in_user(client) is None


def test_three_refusals_in_itsme_lock_itsme(client, marie):
    for _ in range(3):
        client.post(reverse("users:login_itsme"), {"niss": marie.person.niss})
        client.post(reverse("users:login_itsme_confirm"), {"decision": "refuse"})

    client.post(reverse("users:login_itsme"), {"niss": marie.person.niss})
    response = client.post(reverse("users:login_itsme_confirm"), {"decision": "confirm"})

    assert logged_in_user(client) is None
    assert response.status_code in {302, 429}


def test_three_wrong_mobile_codes_lock_the_mobile_key(client, marie):
    marie.totp_secret = pyotp.random_base32()
    marie.totp_key_activated_at = timezone.now()
    marie.save()
    client.post(reverse("users:login_totp"), {"username": "marie", "password": PASSWORD})
    for _ in range(3):
        client.post(reverse("users:login_totp_code"), {"code": "000000"})

    response = client.post(
        reverse("users:login_totp_code"), {"code": pyotp.TOTP(marie.totp_secret).now()}
    )

    assert response.status_code == 429
    assert logged_in_user(client) is None


def _start_email_activation(client, user):
    _eid(client, user.person)
    client.post(
        reverse("users:email_key"),
        {
            "username": user.username,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "email": "m@e.be",
        },
    )
    return last_code()


def test_a_wrong_activation_code_counts_and_three_spend_the_code(client, marie):
    code = _start_email_activation(client, marie)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    first = client.post(reverse("users:email_key_verify"), {"code": wrong})
    for _ in range(2):
        client.post(reverse("users:email_key_verify"), {"code": wrong})
    late = client.post(reverse("users:email_key_verify"), {"code": code})

    assert "Ce code n'est pas valable" in text(first)
    assert SecurityCode.objects.get(purpose="verify_email").failures == 3
    assert "Ce code n'est pas valable" in text(late)
    marie.refresh_from_db()
    assert marie.email_key_activated_at is None


def test_an_expired_activation_code_activates_nothing(client, marie):
    code = _start_email_activation(client, marie)
    SecurityCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(reverse("users:email_key_verify"), {"code": code})

    assert "Ce code n'est pas valable" in text(response)
    marie.refresh_from_db()
    assert marie.email_key_activated_at is None


def test_a_niss_typed_with_dots_and_dashes_is_the_same_number(client, marie):
    niss = marie.person.niss
    typed = f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"

    response = client.post(reverse("users:login_eid"), {"niss": typed, "pin": "1234"})

    assert response.status_code == 302
    assert logged_in_user(client) == marie


def test_a_deactivated_account_is_told_so_after_the_right_pin_and_nothing_is_counted(client, marie):
    User.objects.filter(pk=marie.pk).update(is_active=False)

    wrong = _eid(client, marie.person, pin="9999")
    ThrottleHit.objects.all().delete()
    response = _eid(client, marie.person)

    assert "Ce compte est désactivé" not in text(wrong)
    assert "Ce compte est désactivé. Adressez-vous au centre de contact." in text(response)
    assert logged_in_user(client) is None
    assert ThrottleHit.objects.count() == 0


def test_with_the_identity_provider_configured_the_simulators_are_gone(client, settings, marie):
    settings.DIGITAL_KEYS_PROVIDER = "oidc"

    for name in [
        "users:login_eid",
        "users:login_password",
        "users:login_email_code",
        "users:email_key",
    ]:
        assert client.get(reverse(name)).status_code == 404


def test_deactivating_a_key_that_was_never_active_changes_and_records_nothing(marie):
    before = User.objects.filter(pk=marie.pk).values().get()

    with pytest.raises(ValidationError, match="n'est pas activée"):
        security_codes.key_deactivate(user=marie, key="totp", actor=Actor.system("tests"))

    assert User.objects.filter(pk=marie.pk).values().get() == before
    assert AuditRecord.objects.count() == 0


def test_removing_a_key_needs_a_session_opened_with_a_card(client, marie):
    _activate_email_key(client, marie)
    client.post(reverse("users:login_password"), {"username": "marie", "password": PASSWORD})
    audit_before = AuditRecord.objects.count()

    response = client.post(reverse("users:key_deactivate", args=["email_code"]))

    assert response.status_code == 403
    assert "identifiez-vous d'abord avec votre carte eID ou avec itsme" in text(response)
    marie.refresh_from_db()
    assert marie.email_key_activated_at is not None
    assert AuditRecord.objects.count() == audit_before


def test_security_codes_are_limited_per_hour_and_the_refusal_sends_nothing(marie, settings):
    settings.SECURITY_CODES_PER_HOUR = 2
    for _ in range(2):
        security_codes.security_code_send(
            user=marie, purpose="login", email="m@e.be", actor=Actor.system("tests")
        )

    with pytest.raises(ValidationError, match="Trop de codes"):
        security_codes.security_code_send(
            user=marie, purpose="login", email="m@e.be", actor=Actor.system("tests")
        )

    assert SecurityCode.objects.count() == 2
    assert OutboundEmail.objects.count() == 2
