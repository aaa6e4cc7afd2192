"""The table rows the access managers' tag library builds (`{% load access_managers %}`): what
people typed is escaped, each cell carries its column's name for narrow screens, and a co-GL's
checkbox and a co-GAP's «Supprimer» lead where the templates led."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access_managers.models import AccessManager, ManagerEmail, QualityMembership
from access_managers.templatetags.access_managers import _short_date
from enterprises.models import Domain
from tests.factories import (
    AccessManagerFactory,
    DomainManagerFactory,
    LocalManagerFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TYPED = {"first_name": "<b>Eve</b>", "last_name": "O'Neil & Co"}
ESCAPED_NAME = "&lt;b&gt;Eve&lt;/b&gt; O&#x27;Neil &amp; Co"


def _row(html: str, needle: str) -> str:
    """The table row holding `needle`."""
    at = html.index(needle)
    return html[html.rindex("<tr>", 0, at) : html.index("</tr>", at)]


def test_a_co_gaps_row_escapes_their_name_and_links_to_their_removal(client, world):
    term = AccessManagerFactory(
        enterprise=world.enterprise,
        person=PersonFactory(**TYPED),
        role=AccessManager.Role.CO_GAP,
        email="eve&co@test.be",
    )
    world.log_in(client, "gap")
    remove = reverse("access_managers:co_gap_remove", args=[world.enterprise.number, term.pk])

    html = client.get(reverse("access_managers:co_gap_list", args=[world.enterprise.number]))
    row = _row(html.content.decode(), "eve&amp;co@test.be")

    assert f'<td data-label="Nom">{ESCAPED_NAME}</td>' in row
    assert "<b>Eve</b>" not in html.content.decode()
    assert f'<td data-label="Depuis le">{timezone.localtime(term.started_at):%d/%m/%Y}</td>' in row
    assert f'href="{remove}"' in html.content.decode()


def test_a_who_manages_row_escapes_and_names_each_cell(client, world):
    AccessManagerFactory(
        enterprise=world.enterprise,
        person=PersonFactory(**TYPED),
        role=AccessManager.Role.CO_GAP,
        email="eve@test.be",
    )
    world.log_in(client, "user")

    html = client.get(reverse("access_managers:who_manages", args=[world.enterprise.number]))
    row = _row(html.content.decode(), ESCAPED_NAME)

    assert '<td data-label="Rôle">Co-Gestionnaire d&#x27;Accès Principal</td>' in row
    assert '<td data-label="Domaine ou qualité">Tous les domaines</td>' in row
    assert "<b>Eve</b>" not in html.content.decode()
    assert 'href="mailto:eve@test.be"' in html.content.decode()


def test_a_users_row_escapes_every_value(client, world):
    """The «Utilisateurs» table is django-tables2's (access_managers/tables.py): its cells are
    escaped as the tags' are."""
    quality = world.qualities["EMPLOYEUR_ONSS"]
    term = LocalManagerFactory(
        enterprise=world.enterprise,
        person=PersonFactory(**TYPED),
        role=AccessManager.Role.CO_GL,
        quality=quality,
    )
    assert QualityMembership.objects.filter(person=term.person, quality=quality).exists()
    world.log_in(client, "gap")

    html = client.get(reverse("access_managers:quality_users", args=[quality.pk])).content.decode()
    row = _row(html, "O&#x27;Neil &amp; Co</td>")

    membership = QualityMembership.objects.get(person=term.person, quality=quality)
    assert f'name="user" value="{membership.pk}" form="users-action"' in row
    assert f'aria-label="Sélectionner {ESCAPED_NAME}"' in row
    assert '<td data-label="Prénom">&lt;b&gt;Eve&lt;/b&gt;</td>' in html
    assert "<b>Eve</b>" not in html


def test_a_row_without_a_date_shows_none_as_the_date_filter_did():
    assert _short_date(None) == ""
    assert _short_date(timezone.make_aware(datetime.datetime(2026, 3, 14, 23, 30))) == "14/03/2026"


def test_a_domains_ga_escapes_their_name_and_addresses_and_keeps_every_action(client, world):
    term = DomainManagerFactory(
        enterprise=world.enterprise,
        person=PersonFactory(**TYPED),
        domain=Domain.objects.get(code="MOB"),
    )
    address = ManagerEmail.objects.create(term=term, email="eve&co@test.be")
    world.log_in(client, "gap")
    number = world.enterprise.number

    html = client.get(reverse("access_managers:domain", args=[number, "MOB"])).content.decode()

    assert f"{ESCAPED_NAME} <a" in html
    assert "<b>Eve</b>" not in html
    assert "<li>eve&amp;co@test.be\n" in html
    assert "Modifier l&#x27;adresse eve&amp;co@test.be" in html
    assert f"pour {ESCAPED_NAME}" in html
    for view, target in [
        ("ga_remove", term.pk),
        ("ga_email_add", term.pk),
        ("ga_email_edit", address.pk),
        ("ga_email_remove", address.pk),
    ]:
        assert f'href="{reverse(f"access_managers:{view}", args=[number, target])}"' in html
