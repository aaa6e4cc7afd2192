"""The access managers' pages say what they cannot do yet, and lead back where they came from."""

import re
from html import unescape

import pytest
from django.urls import reverse

from access_managers.models import AccessManager
from tests.factories import (
    AccessManagerFactory,
    EnterpriseFactory,
    LegalFunctionFactory,
    UserFactory,
)
from tests.helpers import DESIGNATION_WIZARD, designation_step

pytestmark = pytest.mark.django_db

NOT_YET = (
    "La désignation de Gestionnaires d'Accès par domaine (finances, sécurité sociale…) n'est pas "
    "encore possible dans ce portail."
)
# Since issue 13 the GAP designates GAs per domain: the page says so instead of NOT_YET.
TODAY = "Le Gestionnaire d'Accès Principal est Gestionnaire d'Accès de chaque domaine."


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def breadcrumbs(html: str) -> list[tuple[str, str | None]]:
    """(label, link) of each item of the page's «Fil d'Ariane»; the current one has no link."""
    nav = re.search(r'<nav aria-label="Fil d\'Ariane">(.*?)</nav>', html).group(1)
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', nav)
    trail = []
    for item in items:
        link = re.search(r'<a href="([^"]*)">(.*?)</a>', item)
        trail.append((link.group(2), link.group(1)) if link else (item.strip(), None))
    return trail


def test_the_step_2_link_lands_on_a_page_offering_gas_per_domain(client, world):
    world.log_in(client, "gap")

    response = client.get(reverse("access_managers:enterprise_list"), follow=True)

    assert response.redirect_chain  # one enterprise: straight to its page
    html = text(response)
    assert NOT_YET not in html
    assert TODAY in html
    assert "Ajouter un Gestionnaire d'Accès" in html


def test_the_list_of_several_enterprises_no_longer_says_domains_come_later(client, world):
    AccessManagerFactory(enterprise=world.other, person=world.person("gap"), role="COGAP")
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:enterprise_list")))

    assert "Choisissez l'entreprise dont vous gérez les accès." in html
    assert NOT_YET not in html


def _co_gap_pages(world):
    number = world.enterprise.number
    term = AccessManager.objects.get(enterprise=world.enterprise, role="COGAP")
    return {
        "Ajouter un Co-Gestionnaire d'Accès Principal": reverse(
            "access_managers:co_gap_add", args=[number]
        ),
        "Supprimer un Co-Gestionnaire d'Accès Principal": reverse(
            "access_managers:co_gap_remove", args=[number, term.pk]
        ),
    }


@pytest.mark.parametrize(
    "title",
    [
        "Ajouter un Co-Gestionnaire d'Accès Principal",
        "Supprimer un Co-Gestionnaire d'Accès Principal",
    ],
)
def test_a_co_gap_pages_breadcrumb_leads_back_through_the_enterprise(client, world, title):
    world.log_in(client, "gap")

    trail = breadcrumbs(text(client.get(_co_gap_pages(world)[title])))

    assert trail == [
        ("Accueil", reverse("home")),
        ("Gestion des Gestionnaires d'Accès", reverse("access_management")),
        ("Mes entreprises", reverse("access_managers:enterprise_list") + "?list"),
        ("Boulangerie Test", reverse("access_managers:enterprise", args=[world.enterprise.number])),
        (title, None),
    ]


def test_the_enterprise_pages_breadcrumb_leads_back_through_the_service(client, world):
    world.log_in(client, "gap")
    url = reverse("access_managers:enterprise", args=[world.enterprise.number])

    trail = breadcrumbs(text(client.get(url)))

    assert [label for label, _ in trail] == [
        "Accueil",
        "Gestion des Gestionnaires d'Accès",
        "Mes entreprises",
        "Boulangerie Test",
    ]


def _designate_oneself(client, enterprise, email):
    """The standard procedure's three screens (flows.md §1), the requester as GAP."""
    client.get(reverse("access_managers:gap_designate"))
    step = designation_step("enterprise")
    client.post(step, {DESIGNATION_WIZARD: "enterprise", "enterprise-number": enterprise.number})
    step = designation_step("manager")
    client.post(
        step,
        {
            DESIGNATION_WIZARD: "manager",
            "manager-gap": "self",
            "manager-requester_email": email,
            "manager-requester_phone": "02 512 34 56",
        },
    )
    step = designation_step("confirmation")
    token = client.get(step).context["form"].initial["token"]
    data = {
        DESIGNATION_WIZARD: "confirmation",
        "confirmation-token": token,
        "confirmation-confirm": "on",
    }
    return client.post(step, data)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Un e-mail de confirmation contenant les instructions sera envoyé à gap@test.be."),
        (
            "nl",
            "Er wordt een e-mail met de bevestiging en de instructies verzonden naar gap@test.be.",
        ),
        ("de", "Eine Bestätigungs-E-Mail mit den Anweisungen wird an gap@test.be gesendet."),
        ("en", "A confirmation email with the instructions will be sent to gap@test.be."),
    ],
)
def test_the_designation_success_ends_its_email_sentence_with_a_full_stop(
    client, language, sentence
):
    enterprise = EnterpriseFactory(name="Boulangerie Test")
    user = UserFactory()
    LegalFunctionFactory(enterprise=enterprise, person=user.person)
    client.force_login(user)
    done = _designate_oneself(client, enterprise, "gap@test.be")
    client.post(reverse("language_set"), {"language": language, "next": "/"})

    html = text(client.get(done.url))

    assert sentence in html
