"""«Données personnelles» (flows.md §4, access.md's last row): «Modifier mes données
personnelles» (the account's e-mail address and language) and «Modifier mon mot de passe»."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail
from tests.factories import PASSWORD, UserFactory
from tests.helpers import logged_in_user, text
from users.models import AccountLock, User
from users.services import accounts

pytestmark = pytest.mark.django_db

PERSONAL_DATA = reverse("users:personal_data")
PASSWORD_CHANGE = reverse("users:password_change")
NEW_PASSWORD = "Tartine-au-Sucre-42"


@pytest.fixture
def marie():
    """A person whose account has a username and a password (the password key's)."""
    return UserFactory(
        username="marie",
        email="marie@example.be",
        person__first_name="Marie",
        person__last_name="Dubois",
    )


def _state(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.password,
        user.email,
        user.language,
        AuditRecord.objects.count(),
        OutboundEmail.objects.count(),
    )


def _change(client, old=PASSWORD, new1=NEW_PASSWORD, new2=NEW_PASSWORD):
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )


# --- Who may open them: every logged-in person, on their own account. ---

# fmt: off
OWN_ACCOUNT = [
    ("anon", 302), ("person", 200), ("lr", 200), ("gap", 200), ("co_gap", 200), ("ga", 200),
    ("ga_fin", 200), ("gl", 200), ("co_gl", 200), ("gl_other_quality", 200), ("user", 200),
    ("blocked_user", 200), ("other_gl", 200), ("staff", 403),
]
# fmt: on


@pytest.mark.parametrize("url", [PERSONAL_DATA, PASSWORD_CHANGE])
@pytest.mark.parametrize(("role", "status"), OWN_ACCOUNT)
def test_every_logged_in_person_opens_their_own_personal_data(client, world, url, role, status):
    world.log_in(client, role)

    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", [PERSONAL_DATA, PASSWORD_CHANGE])
def test_anonymous_is_sent_to_the_login_and_back(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('users:login')}?next={url}"


@pytest.mark.parametrize("url", [PERSONAL_DATA, PASSWORD_CHANGE])
def test_a_back_office_account_is_refused_and_nothing_changes(client, staff, url):
    client.force_login(staff)
    before = _state(staff)

    response = client.post(
        url, {"email": "x@example.be", "language": "nl", "old_password": PASSWORD}
    )

    assert response.status_code == 403
    assert _state(staff) == before


# --- «Modifier mes données personnelles». ---


def test_the_page_shows_the_registers_data_and_the_accounts_address_and_language(client, marie):
    client.force_login(marie)

    response = client.get(PERSONAL_DATA)

    page = text(response)
    assert "Modifier mes données personnelles" in page
    assert "Dubois" in page
    assert marie.person.niss in page
    assert response.context["form"]["email"].value() == "marie@example.be"
    assert response.context["form"]["language"].value() == "fr"
    assert f'href="{PASSWORD_CHANGE}"' in page
    assert f'href="{reverse("access_managers:my_applications")}"' in page


def test_the_address_and_language_are_saved_and_audited(client, marie):
    client.force_login(marie)

    response = client.post(PERSONAL_DATA, {"email": "marie.dubois@example.be", "language": "nl"})

    assert response.status_code == 302
    assert response.url == PERSONAL_DATA
    marie.refresh_from_db()
    assert (marie.email, marie.language) == ("marie.dubois@example.be", "nl")
    record = AuditRecord.objects.get()
    assert record.action == "user_personal_data_set"
    assert record.actor_role == "person"
    assert (record.before["email"], record.after["email"]) == (
        "marie@example.be",
        "marie.dubois@example.be",
    )
    assert (record.before["language"], record.after["language"]) == ("fr", "nl")
    assert "password" not in record.after


def test_a_new_language_is_the_sites_at_once(client, marie):
    client.force_login(marie)
    client.cookies["csam_language"] = "fr"

    response = client.post(PERSONAL_DATA, {"email": marie.email, "language": "de"})

    assert response.cookies["csam_language"].value == "de"
    page = client.get(PERSONAL_DATA)
    assert '<html lang="de">' in page.content.decode()
    assert page.headers["Content-Language"] == "de"


def test_the_confirmation_says_so(client, marie):
    client.force_login(marie)

    response = client.post(
        PERSONAL_DATA, {"email": "marie.dubois@example.be", "language": "fr"}, follow=True
    )

    assert "Vos données personnelles ont bien été enregistrées." in text(response)


def test_a_new_address_is_no_longer_a_verified_one(client, marie):
    marie.email_verified_at = timezone.now()
    marie.save()
    client.force_login(marie)

    client.post(PERSONAL_DATA, {"email": "marie.dubois@example.be", "language": "fr"})

    marie.refresh_from_db()
    assert marie.email_verified_at is None


def test_the_address_may_be_left_empty(client, marie):
    client.force_login(marie)

    client.post(PERSONAL_DATA, {"email": "", "language": "fr"})

    marie.refresh_from_db()
    assert marie.email == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "marie@", "language": "nl"}, "email"),
        ({"email": "not an address", "language": "nl"}, "email"),
        ({"email": "marie@example.be", "language": "it"}, "language"),
        ({"email": "marie@example.be"}, "language"),
    ],
)
def test_a_refused_form_says_why_and_changes_nothing(client, marie, data, field):
    client.force_login(marie)
    before = _state(marie)

    response = client.post(PERSONAL_DATA, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _state(marie) == before
    assert "csam_language" not in response.cookies


def test_an_invalid_address_is_told_what_to_type(client, marie):
    client.force_login(marie)

    response = client.post(PERSONAL_DATA, {"email": "marie@", "language": "fr"})

    assert "par exemple nom@entreprise.be" in text(response)


def test_saving_the_same_data_writes_nothing(client, marie):
    client.force_login(marie)

    client.post(PERSONAL_DATA, {"email": marie.email, "language": marie.language})

    assert AuditRecord.objects.count() == 0


def test_the_email_keys_address_is_shown_but_not_changed_here(client, marie):
    marie.email_key_activated_at = timezone.now()
    marie.save()
    client.force_login(marie)

    response = client.post(PERSONAL_DATA, {"email": "thief@example.com", "language": "nl"})

    assert response.status_code == 302
    marie.refresh_from_db()
    assert (marie.email, marie.language) == ("marie@example.be", "nl")
    assert client.get(PERSONAL_DATA).context["form"].fields["email"].disabled


def test_the_service_refuses_to_move_the_email_keys_address(marie):
    marie.email_key_activated_at = timezone.now()
    marie.save()

    with pytest.raises(ValidationError, match="Code de sécurité par e-mail") as refused:
        accounts.user_personal_data_set(
            user=marie, email="thief@example.com", language="fr", actor=Actor.system("tests")
        )

    assert refused.value.code == "email_key_address"
    marie.refresh_from_db()
    assert marie.email == "marie@example.be"
    assert AuditRecord.objects.count() == 0


def test_the_personal_data_page_runs_a_fixed_number_of_queries(
    client, marie, django_assert_num_queries
):
    client.force_login(marie)
    client.get(PERSONAL_DATA)

    with django_assert_num_queries(2):  # the session, the account with its person
        assert client.get(PERSONAL_DATA).status_code == 200


# --- «Modifier mon mot de passe». ---


def test_the_password_form_asks_the_current_password_and_the_new_one_twice(client, marie):
    client.force_login(marie)

    response = client.get(PASSWORD_CHANGE)

    assert list(response.context["form"].fields) == [
        "old_password",
        "new_password1",
        "new_password2",
    ]
    page = text(response)
    assert "Mot de passe actuel" in page
    assert "Nouveau mot de passe (confirmation)" in page


def test_the_password_is_changed_and_the_person_stays_logged_in(client, marie):
    client.force_login(marie)

    response = _change(client)

    assert response.status_code == 302
    assert response.url == PERSONAL_DATA
    marie.refresh_from_db()
    assert marie.check_password(NEW_PASSWORD)
    assert not marie.check_password(PASSWORD)
    assert "Votre mot de passe a bien été modifié." in text(client.get(PERSONAL_DATA))
    assert logged_in_user(client) == marie


def test_the_new_password_opens_the_password_key(client, marie):
    client.force_login(marie)
    _change(client)
    client.post(reverse("logout"))

    response = client.post(
        reverse("users:login_password"), {"username": "marie", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert logged_in_user(client) == marie


def test_the_accounts_other_sessions_end(client, marie):
    elsewhere = Client()
    elsewhere.force_login(marie)
    client.force_login(marie)

    _change(client)

    assert logged_in_user(elsewhere) is None
    assert logged_in_user(client) == marie


def test_the_change_is_audited_without_the_password(client, marie):
    client.force_login(marie)

    _change(client)

    record = AuditRecord.objects.get()
    assert record.action == "user_password_change"
    assert record.object_id == str(marie.pk)
    assert record.actor_role == "person"
    assert NEW_PASSWORD not in str((record.before, record.after, record.object_repr))
    marie.refresh_from_db()
    assert marie.password not in str((record.before, record.after))


def test_the_account_is_told_by_email_in_its_language_without_the_password(client, marie):
    marie.language = "nl"
    marie.save()
    client.force_login(marie)

    _change(client)

    email = OutboundEmail.objects.get()
    assert (email.recipient, email.template, email.language) == (
        "marie@example.be",
        "users/password_changed",
        "nl",
    )
    for body in (email.subject, email.body_text, email.body_html):
        assert NEW_PASSWORD not in body
        assert PASSWORD not in body
    assert "marie" in email.body_text
    assert reverse("contact") in email.body_text


def test_the_email_says_to_call_the_contact_centre_if_it_was_not_them(client, marie):
    client.force_login(marie)

    _change(client)

    email = OutboundEmail.objects.get()
    assert "mot de passe de votre compte CSAM a été modifié" in email.subject
    assert "Si ce n'était pas vous" in email.body_text
    assert "centre de contact" in email.body_html


def test_an_account_without_address_changes_its_password_without_email(client, marie):
    marie.email = ""
    marie.save()
    client.force_login(marie)

    _change(client)

    marie.refresh_from_db()
    assert marie.check_password(NEW_PASSWORD)
    assert OutboundEmail.objects.count() == 0


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, marie):
    client.force_login(marie)
    before = _state(marie)

    response = _change(client, old="Not-my-passw0rd")

    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "password_incorrect")
    assert "Votre mot de passe actuel n'est pas celui-ci. Réessayez." in text(response)
    assert _state(marie) == before


def test_mismatching_new_passwords_are_refused_and_nothing_changes(client, marie):
    client.force_login(marie)
    before = _state(marie)

    response = _change(client, new2="Tartine-au-Sucre-43")

    assert response.context["form"].has_error("new_password2", "password_mismatch")
    assert "Les deux mots de passe ne sont pas identiques." in text(response)
    assert _state(marie) == before


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Xy-12ab", "password_too_short"),
        ("password123", "password_too_common"),
        ("83927461520", "password_entirely_numeric"),
        ("marie.dubois@example.be", "password_too_similar"),
    ],
)
def test_a_password_the_rules_refuse_is_refused_and_nothing_changes(client, marie, password, code):
    client.force_login(marie)
    before = _state(marie)

    response = _change(client, new1=password, new2=password)

    assert response.status_code == 200
    assert response.context["form"].has_error("new_password1", code)
    assert _state(marie) == before


def test_the_rules_are_said_next_to_the_new_password(client, marie):
    client.force_login(marie)

    page = text(client.get(PASSWORD_CHANGE))

    assert "8 caractères" in page


def test_three_wrong_current_passwords_lock_the_password_key_here(client, marie):
    client.force_login(marie)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            _change(client, old="Not-my-passw0rd")

        locked = _change(client)  # even the right password, while the lock holds

        assert locked.status_code == 429
        assert "Trois essais erronés" in text(locked)
        marie.refresh_from_db()
        assert marie.check_password(PASSWORD)
        assert logged_in_user(client) == marie  # the session goes on
        refused = client.post(
            reverse("users:login_password"), {"username": "marie", "password": PASSWORD}
        )
        assert refused.status_code == 429
        clock.shift(datetime.timedelta(minutes=16))
        assert _change(client).status_code == 302


def test_wrong_current_passwords_from_anywhere_lock_the_account_as_failed_logins_do(
    client, marie, settings
):
    settings.ACCOUNT_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT = 10
    client.force_login(marie)

    for _ in range(3):
        _change(client, old="Not-my-passw0rd")

    lock = AccountLock.objects.get()
    assert (lock.account, lock.reason) == (marie.person_id, AccountLock.Reason.FAILURES)
    assert OutboundEmail.objects.get().template == "users/account_locked"


def test_a_right_current_password_gives_the_attempt_back(client, marie):
    client.force_login(marie)

    for _ in range(2):
        _change(client, old="Not-my-passw0rd")
    _change(client, new2="mismatch")  # right current password: the count starts again
    for _ in range(2):
        _change(client, old="Not-my-passw0rd")

    assert _change(client).status_code == 302


def test_the_service_refuses_an_account_without_password(world):
    user = world.user("person")  # a password, but no username: no password key

    with pytest.raises(ValidationError, match="pas de mot de passe à modifier") as refused:
        accounts.user_password_change(user=user, password=NEW_PASSWORD, actor=Actor.system("tests"))

    assert refused.value.code == "no_credentials"
    assert AuditRecord.objects.count() == OutboundEmail.objects.count() == 0


def test_the_service_checks_the_password_rules_again(marie):
    with pytest.raises(ValidationError) as refused:
        accounts.user_password_change(user=marie, password="12345678", actor=Actor.system("t"))

    assert "password_entirely_numeric" in {error.code for error in refused.value.error_list}
    marie.refresh_from_db()
    assert marie.check_password(PASSWORD)
    assert AuditRecord.objects.count() == OutboundEmail.objects.count() == 0


def test_an_account_without_password_is_told_how_it_logs_in(client, world):
    user = world.user("person")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    before = _state(user)

    response = _change(client)

    assert response.status_code == 200
    assert response.context["form"] is None
    page = text(response)
    assert "Votre compte n'a pas de mot de passe" in page
    assert f'href="{reverse("users:digital_keys")}"' in page
    assert _state(user) == before


def test_an_account_with_a_password_but_no_username_has_no_password_key(client, world):
    client.force_login(world.user("person"))  # the factory's password, no username

    response = client.get(PASSWORD_CHANGE)

    assert response.context["form"] is None


def test_with_csams_fas_the_password_is_managed_at_csam(client, marie, settings):
    settings.DIGITAL_KEYS_PROVIDER = "oidc"
    client.force_login(marie)
    before = _state(marie)

    response = _change(client)

    assert response.context["form"] is None
    assert "gérés par CSAM" in text(response)
    assert _state(marie) == before


def test_the_digital_keys_page_links_the_password_change_to_the_password_row(client, marie):
    client.force_login(marie)

    page = text(client.get(reverse("users:digital_keys")))

    row = page.split("Nom d'utilisateur + mot de passe")[1].split("</tr>")[0]
    assert f'href="{PASSWORD_CHANGE}"' in row


def test_the_digital_keys_page_offers_no_password_change_without_a_password(client, world):
    client.force_login(world.user("person"))

    page = text(client.get(reverse("users:digital_keys")))

    assert f'href="{PASSWORD_CHANGE}"' not in page


def test_the_password_page_runs_a_fixed_number_of_queries(client, marie, django_assert_num_queries):
    client.force_login(marie)
    client.get(PASSWORD_CHANGE)

    with django_assert_num_queries(2):  # the session and the account
        assert client.get(PASSWORD_CHANGE).status_code == 200
