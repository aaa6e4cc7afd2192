"""Sessions end: SESSION_IDLE_MINUTES without a request, SESSION_MAX_HOURS after login, and when
the browser closes; then the login page says so and brings the person back where they were."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from csam_portal.models import AuditRecord
from tests.factories import PASSWORD, SimulatedCardFactory, StaffUserFactory, UserFactory
from tests.helpers import logged_in_user, text

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
EXPIRED = "Votre session a expiré\u202f: identifiez-vous à nouveau."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def marie():
    card = SimulatedCardFactory(person__first_name="Marie", person__last_name="Dubois")
    return UserFactory(person=card.person, username="marie")


def _eid(client, user, next_url: str = "") -> object:
    """The simulated eID login, from the login page as a person would reach it."""
    client.get(reverse("users:login") + (f"?next={next_url}" if next_url else ""))
    return client.post(reverse("users:login_eid"), {"niss": user.person.niss, "pin": "1234"})


def _minutes(clock, minutes: int) -> None:
    clock.shift(datetime.timedelta(minutes=minutes))


def test_a_session_idle_past_the_limit_lands_on_the_login_page_saying_it_expired(
    client, clock, marie
):
    _eid(client, marie)
    keys = reverse("users:digital_keys")

    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(keys)

    assert response.status_code == 302
    assert response.url == f"{reverse('users:login')}?next={keys}"
    assert EXPIRED in text(client.get(response.url))
    assert not logged_in_user(client)


def test_a_session_idle_just_under_the_limit_goes_on(client, clock, marie):
    _eid(client, marie)

    _minutes(clock, settings.SESSION_IDLE_MINUTES - 1)
    response = client.get(reverse("users:digital_keys"))

    assert response.status_code == 200
    assert EXPIRED not in text(response)


def test_activity_keeps_the_session_alive_past_the_idle_limit(client, clock, marie):
    _eid(client, marie)
    keys = reverse("users:digital_keys")

    statuses = []
    for _ in range(4):  # two hours in all, never idle for more than 29 minutes
        _minutes(clock, 29)
        statuses.append(client.get(keys).status_code)

    assert statuses == [200, 200, 200, 200]
    assert logged_in_user(client)


def test_a_session_ends_at_the_absolute_limit_after_login_however_active(client, clock, marie):
    _eid(client, marie)
    keys = reverse("users:digital_keys")
    limit = settings.SESSION_MAX_HOURS * 60

    statuses = []
    for _ in range(limit // 20):  # a request every 20 minutes, up to the limit itself
        _minutes(clock, 20)
        statuses.append(client.get(keys).status_code)
    _minutes(clock, 1)
    after = client.get(keys)

    assert set(statuses) == {200}
    assert after.status_code == 302
    assert after.url.startswith(reverse("users:login"))
    assert EXPIRED in text(client.get(after.url))


def test_after_logging_in_again_the_person_is_back_where_the_session_expired(client, clock, marie):
    _eid(client, marie)
    keys = reverse("users:digital_keys")
    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)
    expired = client.get(keys)

    client.get(expired.url)  # the login page remembers `next`
    again = client.post(reverse("users:login_eid"), {"niss": marie.person.niss, "pin": "1234"})

    assert again.status_code == 302
    assert again.url == keys
    assert client.get(keys).status_code == 200


def test_the_absolute_limit_counts_from_login_not_from_an_earlier_visit(client, clock, marie):
    client.get(reverse("users:login") + "?next=/about/")  # an anonymous session starts
    _minutes(clock, 20)
    _eid(client, marie)

    for _ in range(settings.SESSION_MAX_HOURS * 3):  # up to the limit after login, not after
        _minutes(clock, 20)
        response = client.get(reverse("users:digital_keys"))

    assert response.status_code == 200


def test_a_post_after_expiry_is_not_carried_out_and_comes_back_to_its_page(client, clock, marie):
    _eid(client, marie)
    keys = reverse("users:digital_keys")
    audit_rows = AuditRecord.objects.count()
    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)

    response = client.post(
        reverse("language_set"),
        {"language": "nl", "next": keys},
        HTTP_REFERER=f"http://testserver{keys}",
    )

    assert response.status_code == 302
    assert response.url == f"{reverse('users:login')}?next={keys}"
    marie.refresh_from_db()
    assert marie.language == "fr"
    assert AuditRecord.objects.count() == audit_rows


def test_a_post_after_expiry_from_another_site_comes_back_nowhere(client, clock, marie):
    _eid(client, marie)
    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)

    response = client.post(
        reverse("language_set"), {"language": "nl"}, HTTP_REFERER="https://evil.example/page/"
    )

    assert response.url == reverse("users:login")
    marie.refresh_from_db()
    assert marie.language == "fr"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Votre session a expiré\u202f: identifiez-vous à nouveau."),
        ("nl", "Uw sessie is verlopen: meld u opnieuw aan."),
        ("de", "Ihre Sitzung ist abgelaufen: Bitte melden Sie sich erneut an."),
        ("en", "Your session has expired: please log in again."),
    ],
)
def test_the_expiry_is_told_in_the_visitors_language(client, clock, marie, language, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    _eid(client, marie)
    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)

    response = client.get(reverse("users:digital_keys"), follow=True)

    assert message in text(response)


def test_an_idle_back_office_session_lands_on_the_admin_login_saying_it_expired(client, clock):
    staff = StaffUserFactory()
    client.post(reverse("admin:login"), {"username": staff.username, "password": PASSWORD})
    changelist = reverse("admin:access_managers_exceptionalrequest_changelist")
    assert client.get(changelist).status_code == 200

    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(changelist)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={changelist}"
    login_page = client.get(response.url)
    assert EXPIRED in text(login_page)
    again = client.post(
        response.url, {"username": staff.username, "password": PASSWORD, "next": changelist}
    )
    assert again.url == changelist


def test_an_idle_anonymous_session_is_emptied(client, clock):
    session = client.session
    session["contact_reference"] = "C-123"
    session.save()
    assert client.get(reverse("contact_sent")).status_code == 200

    _minutes(clock, settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(reverse("contact_sent"))

    assert response.status_code == 302
    assert response.url == reverse("contact")  # the reference is gone with the session


def test_the_session_cookie_ends_when_the_browser_closes(client, clock, marie):
    response = _eid(client, marie)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
