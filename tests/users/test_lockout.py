"""The lockout (README «Lockout»): per account and address, per account from anywhere, the eID
card's own count, per address, the back office kept to /admin/, and staff lifting a lock."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail, ThrottleHit
from tests.factories import (
    PASSWORD,
    PersonFactory,
    SimulatedCardFactory,
    StaffUserFactory,
    UserFactory,
    make_niss,
)
from tests.helpers import logged_in_user, text
from tests.services import skip_or_fail
from users.models import AccountLock, User
from users.services import account_locks

pytestmark = pytest.mark.django_db

WRONG_PIN = "Numéro de registre national ou code PIN incorrect."
WRONG_PASSWORD = "Nom d'utilisateur ou mot de passe incorrect."
TOO_MANY = "Trop de tentatives\u202f: trop de connexions à ce compte ont échoué."


@pytest.fixture
def marie():
    card = SimulatedCardFactory(person__first_name="Marie", person__last_name="Dubois")
    return UserFactory(person=card.person, username="marie", email="marie@example.be")


def _eid(client, niss, pin, ip="192.0.2.1"):
    return client.post(reverse("users:login_eid"), {"niss": niss, "pin": pin}, REMOTE_ADDR=ip)


def _password(client, username, password, ip="192.0.2.1", url="users:login_password"):
    data = {"username": username, "password": password}
    return client.post(reverse(url), data, REMOTE_ADDR=ip)


def test_thirty_wrong_pins_from_ten_addresses_then_the_right_one_from_an_eleventh_is_refused(
    client, marie
):
    for address in range(10):
        for _ in range(3):
            _eid(client, marie.person.niss, "9999", ip=f"198.51.100.{address}")

    response = _eid(client, marie.person.niss, "1234", ip="203.0.113.50")

    assert response.status_code == 429
    assert not logged_in_user(client)


def test_ten_wrong_passwords_from_four_addresses_lock_the_account_from_everywhere(client, marie):
    for failure in range(10):
        _password(client, "marie", "wrong", ip=f"198.51.100.{failure // 3}")

    response = _password(client, "marie", PASSWORD, ip="203.0.113.50")

    assert response.status_code == 429
    assert TOO_MANY in text(response)
    assert "Vous pouvez encore vous identifier avec itsme." in text(response)
    assert not logged_in_user(client)
    lock = AccountLock.objects.get()
    assert (lock.user, lock.reason, lock.failures) == (marie, "failures", 10)
    assert AuditRecord.objects.filter(action="account_lock").count() == 1


def test_itsme_still_logs_in_a_person_whose_guessable_keys_are_locked(client, marie):
    for failure in range(10):
        _password(client, "marie", "wrong", ip=f"198.51.100.{failure // 3}")

    client.post(reverse("users:login_itsme"), {"niss": marie.person.niss}, REMOTE_ADDR="::1")
    response = client.post(
        reverse("users:login_itsme_confirm"), {"decision": "confirm"}, REMOTE_ADDR="::1"
    )

    assert response.status_code == 302
    assert logged_in_user(client)


def test_the_account_is_emailed_once_with_the_time_and_what_to_do(client, marie):
    moment = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=datetime.UTC)  # 10:15 in Brussels
    with time_machine.travel(moment, tick=False):
        for failure in range(14):
            _password(client, "marie", "wrong", ip=f"198.51.100.{failure // 3}")

    email = OutboundEmail.objects.get()
    assert (email.recipient, email.template) == ("marie@example.be", "users/account_locked")
    assert "Le 2 mars 2026 10:15, 10 tentatives de connexion" in email.body_text
    assert "bloquées jusqu'au 3 mars 2026 10:15" in email.body_text
    assert "Si ce n'était pas vous" in email.body_text
    assert "/contact/" in email.body_text


def test_the_lock_ends_after_its_cool_off(client, marie):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for failure in range(10):
            _password(client, "marie", "wrong", ip=f"198.51.100.{failure // 3}")
        clock.shift(datetime.timedelta(hours=24, minutes=1))

        response = _password(client, "marie", PASSWORD, ip="203.0.113.50")

    assert response.status_code == 302


def test_addresses_of_one_ipv6_slash_64_share_the_accounts_count(client, marie):
    for host in ("1", "2", "3"):
        _password(client, "marie", "wrong", ip=f"2001:db8:7:8::{host}")

    same_block = _password(client, "marie", PASSWORD, ip="2001:db8:7:8:ffff::4")
    other_block = _password(Client(), "marie", PASSWORD, ip="2001:db8:7:9::1")

    assert same_block.status_code == 429
    assert "Trois essais erronés" in text(same_block)
    assert other_block.status_code == 302


def test_the_four_login_pages_share_the_accounts_count(client, marie):
    _eid(client, marie.person.niss, "9999")
    _password(client, "marie", "wrong", url="users:login_email_code")
    _password(client, "marie", "wrong", url="users:login_totp")

    response = _password(client, "marie", PASSWORD)

    assert response.status_code == 429
    assert "Trois essais erronés" in text(response)
    assert not logged_in_user(client)


def test_the_card_blocks_after_three_wrong_pins_from_three_addresses(client, marie):
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        _eid(client, marie.person.niss, "9999", ip=address)

    card = _eid(client, marie.person.niss, "1234", ip="203.0.113.50")
    password = _password(client, "marie", PASSWORD, ip="203.0.113.50")

    assert card.status_code == 429
    assert "Trois codes PIN erronés de suite\u202f: cette carte eID est bloquée" in text(card)
    assert password.status_code == 302  # the card is blocked, not the account
    assert AccountLock.objects.get().reason == "card"


def test_a_right_pin_resets_the_cards_count(client, marie):
    _eid(client, marie.person.niss, "9999", ip="198.51.100.1")
    _eid(client, marie.person.niss, "9999", ip="198.51.100.2")
    _eid(client, marie.person.niss, "1234", ip="198.51.100.3")
    client.post(reverse("logout"))
    _eid(client, marie.person.niss, "9999", ip="198.51.100.4")
    _eid(client, marie.person.niss, "9999", ip="198.51.100.5")

    response = _eid(client, marie.person.niss, "1234", ip="198.51.100.6")

    assert response.status_code == 302
    assert AccountLock.objects.count() == 0


def test_the_back_office_account_is_refused_by_the_portal_as_a_wrong_password(client):
    StaffUserFactory(username="backoffice")

    response = _password(client, "backoffice", PASSWORD)

    assert response.status_code == 200
    assert WRONG_PASSWORD in text(response)
    assert not logged_in_user(client)
    assert ThrottleHit.objects.filter(bucket__scope="login-account").count() == 1


def _admin_login(client, username, password, ip="192.0.2.1"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip)


def test_the_back_office_logs_in_at_admin(client):
    StaffUserFactory(username="backoffice")

    response = _admin_login(client, "backoffice", PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_portal_and_admin_failures_count_together_and_the_admin_says_it_is_locked(client):
    StaffUserFactory(username="backoffice")
    _password(client, "backoffice", "wrong")
    _password(client, "backoffice", "wrong", url="users:login_email_code")
    _admin_login(client, "backoffice", "wrong")

    response = _admin_login(client, "backoffice", PASSWORD)

    assert response.status_code == 200
    assert "Trois essais erronés" in text(response)
    assert client.get(reverse("admin:index")).status_code == 302


def _same_page(response, niss: str) -> str:
    page = text(response).replace(niss, "NISS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_unknown_number_no_card_and_wrong_pin_give_the_same_page(marie):
    unknown = "75070210306"
    no_card = PersonFactory(has_eid=False).niss

    pages = {
        name: _eid(Client(), niss, pin, ip=f"198.51.100.{n}")
        for n, (name, niss, pin) in enumerate(
            [
                ("unknown", unknown, "1234"),
                ("no card", no_card, "1234"),
                ("wrong", marie.niss, "9999"),
            ]
        )
    }

    assert WRONG_PIN in text(pages["wrong"])
    texts = {
        name: _same_page(response, niss)
        for (name, response), niss in zip(
            pages.items(), [unknown, no_card, marie.niss], strict=True
        )
    }
    assert texts["unknown"] == texts["no card"] == texts["wrong"]
    assert {response.status_code for response in pages.values()} == {200}
    assert User.objects.count() == 1


def test_itsme_shows_its_phone_for_an_unknown_number_then_refuses_as_for_a_refusal(client, marie):
    unknown = client.post(reverse("users:login_itsme"), {"niss": "75070210306"})
    confirmed = client.post(
        reverse("users:login_itsme_confirm"), {"decision": "confirm"}, follow=True
    )
    client.post(reverse("users:login_itsme"), {"niss": marie.niss})
    refused = client.post(reverse("users:login_itsme_confirm"), {"decision": "refuse"}, follow=True)

    assert unknown.url == reverse("users:login_itsme_confirm")
    assert _same_page(confirmed, "75070210306") == _same_page(refused, marie.niss)
    assert not logged_in_user(client)


def test_unknown_numbers_exhaust_the_addresss_allowance(client, settings, marie):
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    for serial in range(10):  # numbers of nobody in the national register
        _eid(client, make_niss(datetime.date(1990, 1, 1), serial + 1), "1234", ip="198.51.100.9")

    response = _eid(client, marie.niss, "1234", ip="198.51.100.9")
    elsewhere = _eid(Client(), marie.niss, "1234", ip="198.51.100.10")

    assert response.status_code == 429
    assert "depuis votre connexion internet" in text(response)
    assert elsewhere.status_code == 302


def test_staff_lift_a_lock_in_the_admin_and_it_is_audited(client, marie):
    for failure in range(10):
        _password(client, "marie", "wrong", ip=f"198.51.100.{failure // 3}")
    lock = AccountLock.objects.get()
    staff = Client()
    staff.force_login(StaffUserFactory())

    response = staff.post(
        reverse("admin:users_accountlock_changelist"),
        {"action": "lift", "_selected_action": [lock.pk]},
        follow=True,
    )

    assert "1 blocage levé." in text(response)
    lock.refresh_from_db()
    assert lock.lifted_at is not None
    assert AuditRecord.objects.filter(action="account_lock_lift").count() == 1
    assert _password(client, "marie", PASSWORD, ip="198.51.100.0").status_code == 302


def test_the_admin_lists_the_current_locks(marie):
    account_locks.account_lock(
        account=marie.niss, reason="failures", failures=10, actor=Actor.system("tests")
    )
    staff = Client()
    staff.force_login(StaffUserFactory())

    page = text(staff.get(reverse("admin:users_accountlock_changelist"), {"current": "yes"}))

    assert "Marie Dubois" in page
    assert "Lever le blocage" in page


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_are_counted_up_to_the_lock_and_no_further():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks")
    UserFactory(username="marie")
    start = threading.Barrier(8)
    statuses = []

    def guess():
        try:
            start.wait(timeout=10)
            statuses.append(_password(Client(), "marie", "wrong").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200] * 3 + [429] * 5
    assert ThrottleHit.objects.filter(bucket__scope="login-account-address").count() == 3
