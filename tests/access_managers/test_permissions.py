"""access.md, row by row, against every role (ANOTHER enterprise's included)."""

import pytest
from django.urls import reverse

from access_managers.models import AccessManager
from csam_portal.models import AuditRecord, OutboundEmail
from tests.helpers import DESIGNATION_WIZARD, designation_step, text

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(AccessManager.objects.order_by("pk").values_list("pk", "ended_at")),
        OutboundEmail.objects.count(),
        AuditRecord.objects.count(),
    )


# fmt: off
REGISTER = [
    ("anon", "login"), ("person", "refused"), ("lr", "allowed"), ("gap", "refused"),
    ("gap_lr", "allowed"), ("co_gap", "refused"), ("other_lr", "refused"),
    ("other_gap", "refused"), ("other_co_gap", "refused"), ("staff", 403),
    # The cast's other roles: none is a legal representative.
    ("ga", "refused"), ("ga_fin", "refused"), ("gl", "refused"), ("co_gl", "refused"),
    ("gl_other_quality", "refused"), ("user", "refused"), ("blocked_user", "refused"),
    ("other_ga", "refused"), ("other_gl", "refused"), ("other_user", "refused"),
]
# fmt: on


@pytest.mark.parametrize(("role", "expected"), REGISTER)
def test_register_or_change_the_gap_standard(client, world, role, expected):
    from tests.factories import LegalFunctionFactory

    if role == "gap_lr":  # a GAP may change the GAP only while also a legal representative
        LegalFunctionFactory(enterprise=world.enterprise, person=world.person("gap"))
        role = "gap"
    world.log_in(client, role)
    client.get(reverse("access_managers:gap_designate"))
    before = _state()

    response = client.post(
        designation_step("enterprise"),
        {
            DESIGNATION_WIZARD: "enterprise",
            "enterprise-number": world.enterprise.number,
            "enterprise-seen_gap": world.person("gap").niss,
        },
    )

    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("users:login"))
    elif expected == "allowed":
        assert response.status_code == 302
        assert response.url.endswith("/manager/")
    elif expected == "refused":
        assert response.status_code == 200
        html = text(response)
        assert "Vous n'exercez pas aujourd'hui de fonction légale" in html
    else:
        assert response.status_code == expected
    assert _state() == before


# fmt: off
GGA_PAGE = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 403),
    # A GA sees their own domain, read-only (asserted below); other people of the enterprise
    # without the right: 403; a blocked user has no role: 404, as strangers.
    ("ga", 200), ("ga_fin", 200), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404),
    ("other_ga", 404), ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
CO_GAPS = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 403),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 403),
    ("ga", 403), ("ga_fin", 403), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404),
    ("other_ga", 404), ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# fmt: on


@pytest.mark.parametrize(("role", "status"), GGA_PAGE)
def test_see_the_gga_page(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:enterprise", args=[world.enterprise.number]))

    assert response.status_code == status
    if role in ("ga", "ga_fin"):  # their own domain only, read-only
        html = text(response)
        own = "SECU" if role == "ga" else "FIN"
        assert f'<h3 id="domain-{own}-title"' in html
        assert html.count('<h3 id="domain-') == 1  # no other domain
        for hidden in (
            "Co-Gestionnaires d'Accès Principaux",
            "Historique des Gestionnaires d'Accès Principaux",
            'id="gap-title"',
            world.person("co_gap").full_name,
            "Ajouter un Gestionnaire d'Accès",
            "Ajouter une adresse e-mail",
            "/remove/",
            "/edit/",
            "Continuité",
        ):
            assert hidden not in html


# fmt: off
# Designate / remove GAs of E for any domain, edit their e-mails; see the GAP history: GAP and
# co-GAPs only.
DOMAIN_MANAGERS = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 403),
    ("ga", 403), ("ga_fin", 403), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404),
    ("other_ga", 404), ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# The page of domain SECU of E (its GAs and their addresses): GAP and co-GAPs, and its own GAs
# read-only; a GA of another domain is refused.
DOMAIN_PAGE = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 403),
    ("ga", 200), ("ga_fin", 403), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404),
    ("other_ga", 404), ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# «Qui gère nos accès ?»: anyone with a role in E; nobody else learns anything.
WHO_MANAGES = [
    ("anon", 302), ("person", 404), ("lr", 200), ("gap", 200), ("co_gap", 200),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 403),
    ("ga", 200), ("ga_fin", 200), ("gl", 200), ("co_gl", 200), ("gl_other_quality", 200),
    ("user", 200), ("blocked_user", 404),
    ("other_ga", 404), ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# fmt: on


def _ga_term(world):
    return AccessManager.objects.get(
        enterprise=world.enterprise, person=world.person("ga"), role="GA", ended_at=None
    )


def _ga_address(world):
    from access_managers.models import ManagerEmail

    return ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")


def _ga_actions(world):
    """Each GA action: (URL, what its POST sends, whether it changed anything)."""
    from access_managers.models import ManagerEmail
    from tests.factories import PersonFactory

    number = world.enterprise.number
    person = PersonFactory()
    term = _ga_term(world)
    address = _ga_address(world)
    return {
        "ga_add": (
            reverse("access_managers:ga_add", args=[number, "MOB"]),
            {"niss": person.niss, "add": "1"},
            lambda: AccessManager.objects.filter(person=person, role="GA").exists(),
        ),
        "ga_remove": (
            reverse("access_managers:ga_remove", args=[number, term.pk]),
            {},
            lambda: AccessManager.objects.get(pk=term.pk).ended_at is not None,
        ),
        "ga_email_add": (
            reverse("access_managers:ga_email_add", args=[number, term.pk]),
            {"email": "new@test.be"},
            lambda: ManagerEmail.objects.filter(email="new@test.be").exists(),
        ),
        "ga_email_edit": (
            reverse("access_managers:ga_email_edit", args=[number, address.pk]),
            {"email": "changed@test.be"},
            lambda: ManagerEmail.objects.filter(email="changed@test.be").exists(),
        ),
        "ga_email_remove": (
            reverse("access_managers:ga_email_remove", args=[number, address.pk]),
            {},
            lambda: not ManagerEmail.objects.filter(pk=address.pk).exists(),
        ),
    }


@pytest.mark.parametrize(
    "action", ["ga_add", "ga_remove", "ga_email_add", "ga_email_edit", "ga_email_remove"]
)
@pytest.mark.parametrize(("role", "status"), DOMAIN_MANAGERS)
def test_designate_remove_gas_and_edit_their_emails(client, world, role, status, action):
    from access_managers.models import ManagerEmail

    url, data, changed = _ga_actions(world)[action]
    world.log_in(client, role)
    before = (_state(), list(ManagerEmail.objects.values_list("pk", "email")))

    page = client.get(url)
    response = client.post(url, data)

    assert page.status_code == status
    if status == 200:
        assert response.status_code == 302
        assert changed()
    else:
        assert response.status_code == status
        assert (_state(), list(ManagerEmail.objects.values_list("pk", "email"))) == before


@pytest.mark.parametrize(("role", "status"), DOMAIN_MANAGERS)
def test_see_the_paged_gap_history(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:gap_history", args=[world.enterprise.number]))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), DOMAIN_MANAGERS)
def test_see_the_paged_co_gaps(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:co_gap_list", args=[world.enterprise.number]))

    assert response.status_code == status
    if status == 200:
        assert world.person("co_gap").full_name in text(response)


@pytest.mark.parametrize(("role", "status"), DOMAIN_PAGE)
def test_see_a_domains_page(client, world, role, status):
    _ga_address(world)
    world.log_in(client, role)

    response = client.get(reverse("access_managers:domain", args=[world.enterprise.number, "SECU"]))

    assert response.status_code == status
    if status == 200:
        html = text(response)
        assert world.person("ga").full_name in html
        assert "secu@test.be" in html
        # Its own GA sees it read-only; those who manage it see the actions.
        assert ("Ajouter une adresse e-mail" in html) == (role != "ga")
        assert ("/remove/" in html) == (role != "ga")
    elif status == 404:
        assert world.person("ga").full_name not in text(response)


@pytest.mark.parametrize(("role", "status"), WHO_MANAGES)
def test_see_who_manages_the_enterprise(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:who_manages", args=[world.enterprise.number]))

    assert response.status_code == status
    if status == 200:
        assert world.person("ga_fin").full_name in text(response)
    elif status == 404:
        assert world.person("ga_fin").full_name not in text(response)


@pytest.mark.parametrize(("role", "status"), CO_GAPS)
def test_name_a_co_gap(client, world, role, status):
    from tests.factories import PersonFactory

    world.log_in(client, role)
    url = reverse("access_managers:co_gap_add", args=[world.enterprise.number])
    person = PersonFactory()
    before = _state()

    page = client.get(url)
    response = client.post(url, {"niss": person.niss, "email": "co@test.be", "add": "1"})

    assert page.status_code == status
    if status == 200:
        assert response.status_code == 302
        assert AccessManager.objects.filter(person=person, role="COGAP").exists()
    else:
        assert response.status_code == status
        assert _state() == before


@pytest.mark.parametrize(("role", "status"), CO_GAPS)
def test_remove_a_co_gap(client, world, role, status):
    world.log_in(client, role)
    term = AccessManager.objects.get(enterprise=world.enterprise, role="COGAP")
    url = reverse("access_managers:co_gap_remove", args=[world.enterprise.number, term.pk])
    before = _state()

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == status
    term.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert term.ended_at is not None
    else:
        assert response.status_code == status
        assert term.ended_at is None
        assert _state() == before


def test_an_unknown_enterprise_is_not_found(client, world):
    world.log_in(client, "gap")

    response = client.get(reverse("access_managers:enterprise", args=["0200000043"]))

    assert response.status_code == 404


# fmt: off
EXCEPTIONAL = [
    ("anon", 200), ("person", 200), ("lr", 200), ("gap", 200), ("co_gap", 200),
    ("other_lr", 200), ("other_gap", 200), ("other_co_gap", 200), ("staff", 403),
]
DOCUMENT = [  # of a request made by another browser session
    ("anon", 404), ("person", 404), ("lr", 404), ("gap", 404), ("co_gap", 404),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("staff", 200),
]
DOCUMENT_LINK = [  # the signed link e-mailed to the requester: whoever has it
    ("anon", 200), ("person", 200), ("lr", 200), ("gap", 200), ("co_gap", 200),
    ("other_lr", 200), ("other_gap", 200), ("other_co_gap", 200), ("staff", 200),
]
PROCESS = [
    ("anon", 302), ("person", 302), ("lr", 302), ("gap", 302), ("co_gap", 302),
    ("other_lr", 302), ("other_gap", 302), ("other_co_gap", 302), ("staff", 200),
]
# fmt: on


def _exceptional(world):
    from access_managers.services import exceptional_requests
    from csam_portal.core.audit import Actor

    lr = world.person("lr")
    return exceptional_requests.exceptional_request_create(
        enterprise_number=world.enterprise.number,
        requester=lr,
        person=lr,
        email="a@test.be",
        phone="+3225123456",
        seen_gap=world.person("gap").niss,
        language="fr",
        actor=Actor.system("tests"),
    )


@pytest.mark.parametrize(("role", "status"), EXCEPTIONAL)
def test_make_an_exceptional_request(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:gap_exceptional"), follow=True)

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), DOCUMENT)
def test_download_the_document_of_an_exceptional_request(client, world, role, status):
    exceptional = _exceptional(world)
    world.log_in(client, role)

    response = client.get(
        reverse("access_managers:exceptional_document", args=[exceptional.ticket])
    )

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), DOCUMENT_LINK)
def test_download_the_document_by_its_signed_link(client, world, role, status):
    from access_managers import document_links

    exceptional = _exceptional(world)
    world.log_in(client, role)
    token = document_links.exceptional_document_token(exceptional)

    response = client.get(reverse("access_managers:exceptional_document_link", args=[token]))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), PROCESS)
def test_process_an_exceptional_request(client, world, role, status):
    from access_managers.services import exceptional_requests
    from csam_portal.core.audit import Actor

    exceptional = _exceptional(world)
    exceptional_requests.exceptional_request_receive(
        exceptional=exceptional, actor=Actor.system("tests")
    )
    world.log_in(client, role)
    url = reverse("admin:access_managers_exceptionalrequest_changelist")

    page = client.get(url)
    client.post(url, {"action": "approve", "_selected_action": [exceptional.pk]})

    assert page.status_code == status
    exceptional.refresh_from_db()
    assert exceptional.status == ("approved" if role == "staff" else "received")
