"""The access managers' home, the enterprise page and the co-GAP screens."""

import datetime

import pytest
from django.urls import reverse

from access_managers.models import AccessManager
from csam_portal.models import OutboundEmail
from tests.factories import AccessManagerFactory, EnterpriseFactory, PersonFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db


def test_a_gap_of_one_enterprise_lands_on_its_page(client, world):
    world.log_in(client, "gap")

    response = client.get(reverse("access_managers:enterprise_list"))

    assert response.status_code == 302
    assert response.url == reverse("access_managers:enterprise", args=[world.enterprise.number])


def test_the_home_lists_each_enterprise_and_the_role(client, world):
    gap = world.person("gap")
    AccessManagerFactory(enterprise=world.other, person=gap, role="COGAP")
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:enterprise_list")))

    assert "Boulangerie Test" in html
    assert "Autre Entreprise" in html
    assert "Gestionnaire d'Accès Principal" in html
    assert "Co-Gestionnaire d'Accès Principal" in html


def test_a_person_without_enterprise_is_offered_the_designation(client, world):
    world.log_in(client, "person")

    html = text(client.get(reverse("access_managers:enterprise_list")))

    assert "Vous n'êtes Gestionnaire d'Accès Principal d'aucune entreprise" in html
    assert reverse("access_managers:gap_designate") in html


def test_the_enterprise_page_shows_gap_co_gaps_and_history(client, world):
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:enterprise", args=[world.enterprise.number])))

    assert world.person("gap").full_name in html
    assert world.person("co_gap").full_name in html
    assert "Historique des Gestionnaires d'Accès Principaux" in html
    assert "procédure standard" in html
    assert "Ajouter un Co-Gestionnaire d'Accès Principal" in html


def test_the_pages_of_an_enterprise_no_longer_in_the_register_say_so(client, world):
    world.enterprise.removed_from_register_on = datetime.date(2026, 12, 1)
    world.enterprise.save()
    AccessManagerFactory(enterprise=world.other, person=world.person("gap"), role="COGAP")
    world.log_in(client, "gap")

    page = text(client.get(reverse("access_managers:enterprise", args=[world.enterprise.number])))
    home = text(client.get(reverse("access_managers:enterprise_list")))

    assert "Depuis le 01/12/2026, cette entreprise ne figure plus parmi les entreprises" in page
    assert "Autre Entreprise" in home
    assert home.count("Ne figure plus dans la BCE") == 1  # not for the other enterprise


def test_a_co_gap_sees_the_page_without_the_co_gap_buttons(client, world):
    world.log_in(client, "co_gap")

    html = text(client.get(reverse("access_managers:enterprise", args=[world.enterprise.number])))

    assert "Vous êtes Co-Gestionnaire d'Accès Principal de cette entreprise." in html
    assert "Ajouter un Co-Gestionnaire d'Accès Principal" not in html


def test_the_enterprise_page_queries_do_not_grow_with_its_rows(
    client, world, django_assert_num_queries
):
    world.log_in(client, "gap")
    url = reverse("access_managers:enterprise", args=[world.enterprise.number])
    client.get(url)
    # Session, user, the enterprise with its name, the roles; the domains; the GAP, the first
    # co-GAPs and GAs with their counts and addresses; the qualités without GL.
    with django_assert_num_queries(7) as first:
        assert client.get(url).status_code == 200
    AccessManagerFactory.create_batch(10, enterprise=world.enterprise, role="COGAP")
    AccessManagerFactory.create_batch(  # earlier GAPs: the history
        5,
        enterprise=world.enterprise,
        started_at="2019-01-01T00:00:00Z",
        ended_at="2020-01-01T00:00:00Z",
    )

    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_home_queries_do_not_grow_with_the_enterprises(
    client, world, django_assert_num_queries
):
    world.log_in(client, "gap")
    url = reverse("access_managers:enterprise_list") + "?list"
    client.get(url)
    with django_assert_num_queries(4) as first:
        client.get(url)
    for _ in range(5):
        AccessManagerFactory(enterprise=EnterpriseFactory(), person=world.person("gap"))

    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_naming_a_co_gap_shows_the_name_then_adds_them(client, world):
    person = PersonFactory()
    world.log_in(client, "gap")
    url = reverse("access_managers:co_gap_add", args=[world.enterprise.number])

    found = text(client.post(url, {"niss": person.niss}))
    assert person.full_name in found
    assert "Ajouter" in found
    response = client.post(url, {"niss": person.niss, "email": "co@test.be", "add": "1"})

    assert response.status_code == 302
    assert AccessManager.objects.get(person=person).role == "COGAP"
    assert OutboundEmail.objects.get().recipient == "co@test.be"
    page = text(client.get(response.url))
    assert f"{person.full_name} est maintenant Co-Gestionnaire d'Accès Principal." in page


@pytest.mark.parametrize(
    ("niss", "message"),
    [
        ("12345678901", "Vérifiez le numéro : 11 chiffres, par exemple 85.07.30-033.28."),
        ("85073003328", "Ce numéro n'est pas connu du registre national."),
    ],
)
def test_naming_a_co_gap_refuses_a_bad_or_unknown_niss(client, world, niss, message):
    world.log_in(client, "gap")
    url = reverse("access_managers:co_gap_add", args=[world.enterprise.number])

    response = client.post(url, {"niss": niss, "email": "co@test.be", "add": "1"})

    assert message in text(response)
    assert AccessManager.objects.filter(role="COGAP").count() == 2


def test_naming_the_gap_as_co_gap_is_refused_on_the_page(client, world):
    world.log_in(client, "gap")
    url = reverse("access_managers:co_gap_add", args=[world.enterprise.number])

    response = client.post(
        url, {"niss": world.person("gap").niss, "email": "co@test.be", "add": "1"}
    )

    assert "Cette personne est déjà Gestionnaire d'Accès Principal" in text(response)
    assert OutboundEmail.objects.count() == 0


def test_removing_a_co_gap_asks_then_removes(client, world):
    world.log_in(client, "gap")
    term = AccessManager.objects.get(enterprise=world.enterprise, role="COGAP")
    url = reverse("access_managers:co_gap_remove", args=[world.enterprise.number, term.pk])

    assert "ne sera plus Co-Gestionnaire" in text(client.get(url))
    client.post(url)

    term.refresh_from_db()
    assert term.ended_at is not None
    assert OutboundEmail.objects.get().template == "access_managers/co_gap_removed"


@pytest.mark.parametrize("page", ["access_managers:enterprise", "access_managers:co_gap_list"])
def test_a_co_gaps_remove_link_opens_its_removal(client, world, page):
    world.log_in(client, "gap")
    term = AccessManager.objects.get(enterprise=world.enterprise, role="COGAP")
    remove = reverse("access_managers:co_gap_remove", args=[world.enterprise.number, term.pk])

    html = client.get(reverse(page, args=[world.enterprise.number])).content.decode()

    assert f'href="{remove}"' in html
    assert "ne sera plus Co-Gestionnaire" in text(client.get(remove))
