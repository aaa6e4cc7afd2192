"""«Mes applications» (flows.md §4, access.md «use an application of Q»): the person's own
applications, by enterprise and qualité, with since when and who granted them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access_managers.models import MembershipApplication, QualityMembership
from enterprises.models import SecuredApplication
from tests.factories import EnterpriseQualityFactory, QualityMembershipFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

URL = reverse("access_managers:my_applications")


def _grant(membership, code, by, *, when=None):
    return MembershipApplication.objects.create(
        membership=membership,
        application=SecuredApplication.objects.get(code=code),
        granted_by=by,
        granted_at=when or timezone.now(),
    )


def _membership(world, role):
    return QualityMembership.objects.get(
        person=world.person(role), quality=world.qualities["EMPLOYEUR_ONSS"], ended_at=None
    )


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_a_back_office_account_without_niss_is_refused(client, staff):
    client.force_login(staff)

    assert client.get(URL).status_code == 403


def test_a_user_sees_their_applications_with_since_when_and_who_granted_them(client, world):
    granted = timezone.make_aware(datetime.datetime(2026, 3, 14, 10, 0))
    _grant(_membership(world, "user"), "DIMONA", world.person("gl"), when=granted)
    world.log_in(client, "user")

    page = text(client.get(URL))

    assert "Mes applications" in page
    assert "Boulangerie Test" in page
    assert "Employeur ONSS" in page
    row = page.split("DIMONA V2")[1].split("</tr>")[0]
    assert "14/03/2026" in row
    assert world.person("gl").full_name in row


def test_a_blocked_or_ended_membership_grants_nothing(client, world):
    _grant(
        QualityMembership.objects.get(person=world.person("blocked_user"), ended_at=None),
        "DIMONA",
        world.person("gl"),
    )
    ended = QualityMembershipFactory(
        quality=world.qualities["ACTION_SOCIALE"],
        person=world.person("blocked_user"),
        started_at=timezone.now() - datetime.timedelta(days=30),
        ended_at=timezone.now() - datetime.timedelta(days=1),
    )
    _grant(ended, "DRS", world.person("gl"))
    world.log_in(client, "blocked_user")

    page = text(client.get(URL))

    assert "DIMONA" not in page
    assert "Déclaration des risques sociaux" not in page
    assert "Vous n'êtes utilisateur d'aucune qualité" in page


def test_nobody_sees_anothers_applications(client, world):
    _grant(_membership(world, "user"), "DIMONA", world.person("gl"))
    world.log_in(client, "gl")

    page = text(client.get(URL))

    assert "DIMONA" not in page
    assert "Aucune application ne vous est encore accordée pour cette qualité." in page


def test_the_page_is_in_the_persons_language(client, world):
    _grant(_membership(world, "user"), "DIMONA", world.person("gl"))
    user = world.user("user")
    user.language = "nl"
    user.save()
    world.log_in(client, "user")

    page = text(client.get(URL))

    assert "Mijn toepassingen" in page
    assert "Toegekend door" in page


def test_the_header_links_to_the_page_once_logged_in(client, world):
    world.log_in(client, "user")

    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_the_page_runs_the_same_queries_for_one_and_for_many_applications(
    client, world, django_assert_num_queries
):
    membership = _membership(world, "user")
    _grant(membership, "DIMONA", world.person("gl"))
    world.log_in(client, "user")
    client.get(URL)
    with django_assert_num_queries(4) as few:
        client.get(URL)

    for code in ("DRS", "TR_FPP"):
        _grant(membership, code, world.person("gl"))
    for enterprise_quality in EnterpriseQualityFactory.create_batch(3):
        other = QualityMembershipFactory(quality=enterprise_quality, person=world.person("user"))
        _grant(other, "DIMONA", world.person("gap"))
    with django_assert_num_queries(len(few.captured_queries)):
        html = text(client.get(URL))
    assert html.count("<table") == 4
