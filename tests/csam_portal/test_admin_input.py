"""Bad filter values and keys in the back office get the admin's usual refusals, never a 500
(csam_portal.core.admin.CheckedInputAdminMixin)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from csam_portal.core.admin import CheckedInputAdminMixin
from csam_portal.models import ThrottleHit
from enterprises.models import SecuredApplication
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

OUTBOX = "admin:csam_portal_outboundemail_changelist"


@pytest.mark.parametrize(
    "query",
    [
        {"created_at__year": "999999999999999999999999"},  # no datetime holds it
        {"created_at__year": "9" * 10_000},  # more digits than Python converts
        {"created_at__year": "9999"},  # its period ends in the year 10000
        {"created_at__year": "9999", "created_at__month": "12", "created_at__day": "31"},
        {"created_at__year": "1"},  # its first hour is in the year 0 in UTC
        {"created_at__year": "2026", "created_at__month": "13"},
    ],
    ids=["huge", "too-many-digits", "9999", "last-day", "year-1", "month-13"],
)
def test_a_date_hierarchy_period_no_date_holds_sends_back_to_the_whole_list(client, staff, query):
    client.force_login(staff)
    url = reverse(OUTBOX)

    response = client.get(url, query)

    assert (response.status_code, response.url) == (302, f"{url}?e=1")


def test_a_date_hierarchy_year_still_filters_the_list(client, staff):
    client.force_login(staff)

    response = client.get(reverse(OUTBOX), {"created_at__year": "2026"})

    assert response.status_code == 200


def test_a_quality_key_no_column_holds_is_an_invalid_choice(client, staff):
    client.force_login(staff)
    before = SecuredApplication.objects.count()
    data = {
        "code": "NEW_APP",
        **dict.fromkeys(["name_fr", "name_nl", "name_de", "name_en"], "Nouvelle application"),
        "qualities": ["999999999999999999999999"],
        "web": "on",
    }

    response = client.post(reverse("admin:enterprises_securedapplication_add"), data)

    assert response.status_code == 200
    assert "999999999999999999999999" in response.content.decode()  # the form names the refused key
    assert SecuredApplication.objects.count() == before


def test_the_admins_of_django_and_the_libraries_refuse_bad_input_the_same_way(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    url = reverse("admin:auth_group_changelist")

    response = client.get(url, {"id__year": "9999"})

    assert isinstance(admin.site.get_model_admin(Group), CheckedInputAdminMixin)
    assert (response.status_code, response.url) == (302, f"{url}?e=1")


def test_the_admin_login_refuses_a_username_longer_than_any_account_before_authenticating(client):
    response = client.post(
        reverse("admin:login"), {"username": "a" * 10_000, "password": "Demo-Passw0rd!"}
    )

    assert response.status_code == 200
    assert "150" in response.content.decode()  # «… au plus 150 caractères …»
    assert ThrottleHit.objects.count() == 0  # refused before any login was counted
