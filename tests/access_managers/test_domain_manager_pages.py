"""The GA screens, the paged GAP history, «Qui gère nos accès ?» and the continuity warnings, in
French and in Dutch; their queries do not grow with the rows."""

import pytest
from django.conf import settings
from django.urls import reverse

from access_managers.models import AccessManager, ManagerEmail
from csam_portal.models import OutboundEmail
from enterprises.models import Domain
from tests.factories import (
    AccessManagerFactory,
    DomainManagerFactory,
    EnterpriseQualityFactory,
    LocalManagerFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def _page(world):
    return reverse("access_managers:enterprise", args=[world.enterprise.number])


def _ga_term(world, role="ga"):
    return AccessManager.objects.get(
        enterprise=world.enterprise, person=world.person(role), role="GA", ended_at=None
    )


# The enterprise page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Gestionnaires d'Accès", "Mobilité", "Ajouter un Gestionnaire d'Accès"]),
        ("nl", ["Toegangsbeheerders", "Mobiliteit", "Een Toegangsbeheerder toevoegen"]),
    ],
)
def test_the_page_lists_every_domain_with_its_gas_and_the_gap(client, world, language, words):
    ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")
    world.log_in(client, "gap")
    _in(client, language)

    html = text(client.get(_page(world)))

    for word in words:
        assert word in html
    assert html.count('<h3 id="domain-') == Domain.objects.count()
    assert world.person("ga").full_name in html
    assert "secu@test.be" in html
    # The GAP is GA of every domain by default: named once in each.
    assert html.count(world.person("gap").full_name) >= Domain.objects.count()
    add = reverse("access_managers:ga_add", args=[world.enterprise.number, "MOB"])
    assert f'href="{add}"' in html


def _domain_page(world, code="SECU"):
    return reverse("access_managers:domain", args=[world.enterprise.number, code])


def test_the_icons_have_accessible_names_with_the_domain_and_address(client, world):
    address = ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")
    world.log_in(client, "co_gap")

    html = text(client.get(_page(world)))
    domain = text(client.get(_domain_page(world)))

    assert "Ajouter un Gestionnaire d'Accès</a>" not in html  # the domain completes the name
    assert '<span class="visually-hidden"> – Mobilité</span>' in html
    assert "Modifier l'adresse secu@test.be" in domain
    assert "Supprimer l'adresse secu@test.be" in domain
    number = world.enterprise.number
    for view, target in [
        ("ga_email_edit", address.pk),
        ("ga_email_remove", address.pk),
        ("ga_email_add", address.term_id),
        ("ga_remove", address.term_id),
    ]:
        assert f'href="{reverse(f"access_managers:{view}", args=[number, target])}"' in domain
    assert f'href="{reverse("access_managers:enterprise", args=[number])}"' in domain
    assert "Ajouter une adresse e-mail" in domain


def test_the_page_shows_the_first_gas_of_a_domain_and_links_to_all(client, world):
    terms = DomainManagerFactory.create_batch(
        4, enterprise=world.enterprise, domain=Domain.objects.get(code="MOB")
    )
    world.log_in(client, "gap")

    html = text(client.get(_page(world)))
    mobility = html.split('id="domain-MOB"')[1].split("</section>")[0]
    domain = text(client.get(_domain_page(world, "MOB")))

    shown = [term for term in terms if term.person.full_name in mobility]
    assert len(shown) == 2
    assert "Voir tous les Gestionnaires d'Accès du domaine (4)" in mobility
    assert f'href="{_domain_page(world, "MOB")}"' in mobility
    for term in terms:
        assert term.person.full_name in domain
        remove = reverse("access_managers:ga_remove", args=[world.enterprise.number, term.pk])
        assert f'href="{remove}"' in domain


@pytest.mark.parametrize(
    ("language", "title", "none"),
    [
        ("fr", "Gestionnaires d'Accès du domaine «Mobilité»", "Aucun autre Gestionnaire d'Accès"),
        ("nl", "Toegangsbeheerders van het domein", "Geen andere Toegangsbeheerder"),
    ],
)
def test_a_domain_without_ga_says_so_and_offers_to_add_one(client, world, language, title, none):
    world.log_in(client, "gap")
    _in(client, language)

    html = text(client.get(_domain_page(world, "MOB")))

    assert title in html
    assert none in html
    assert world.person("gap").full_name in html  # GA of every domain
    add = reverse("access_managers:ga_add", args=[world.enterprise.number, "MOB"])
    assert f'href="{add}"' in html


def test_a_domains_page_is_paged(client, world):
    DomainManagerFactory.create_batch(
        30, enterprise=world.enterprise, domain=Domain.objects.get(code="MOB")
    )
    world.log_in(client, "gap")

    first = text(client.get(_domain_page(world, "MOB")))
    third = text(client.get(_domain_page(world, "MOB") + "?page=3"))

    assert "Page 1 sur 3" in first
    assert first.count("/emails/add/") == 10
    assert "Page 3 sur 3" in third
    assert "Page 1 sur 3" in text(client.get(_domain_page(world, "MOB") + "?page=nonsense"))
    assert "Page 3 sur 3" in text(client.get(_domain_page(world, "MOB") + "?page=99"))


def test_an_unknown_domains_page_is_not_found(client, world):
    world.log_in(client, "gap")

    assert client.get(_domain_page(world, "XX")).status_code == 404


@pytest.mark.parametrize(
    ("language", "see_all", "count"),
    [
        (
            "fr",
            "Voir les 7 Co-Gestionnaires d'Accès Principaux",
            "Cette entreprise a 7 Co-Gestionnaires d'Accès Principaux.",
        ),
        (
            "nl",
            "De 7 Co-Hoofdtoegangsbeheerders bekijken",
            "Deze onderneming heeft 7 Co-Hoofdtoegangsbeheerders.",
        ),
    ],
)
def test_the_page_shows_the_first_co_gaps_and_links_to_all(client, world, language, see_all, count):
    AccessManagerFactory.create_batch(6, enterprise=world.enterprise, role="COGAP")
    world.log_in(client, "gap")
    _in(client, language)

    html = text(client.get(_page(world)))
    listing = reverse("access_managers:co_gap_list", args=[world.enterprise.number])
    every = text(client.get(listing))

    section = html.split('id="co-gaps-title"')[1].split("</section>")[0]
    assert section.count("<tr>") == 1 + 5  # the header and the first five
    assert see_all in section
    assert f'href="{listing}"' in section
    assert count in every
    assert every.count("/remove/") == 7


def test_a_co_gap_sees_the_co_gaps_without_removing_them(client, world):
    world.log_in(client, "co_gap")

    html = text(client.get(reverse("access_managers:co_gap_list", args=[world.enterprise.number])))

    assert world.person("co_gap").full_name in html
    assert "/remove/" not in html
    assert "Ajouter un Co-Gestionnaire" not in html


@pytest.mark.parametrize(
    ("language", "alone", "only_gap"),
    [
        ("fr", "n'a qu'un Gestionnaire d'Accès Principal et aucun Co-Gestionnaire", "Seul le"),
        ("nl", "heeft maar één Hoofdtoegangsbeheerder", "Alleen de Hoofdtoegangsbeheerder"),
    ],
)
def test_continuity_warnings_say_what_to_do(client, world, language, alone, only_gap):
    AccessManager.objects.filter(enterprise=world.enterprise, role="COGAP").delete()
    world.log_in(client, "gap")
    _in(client, language)

    html = text(client.get(_page(world)))

    assert alone in html
    assert only_gap in html
    assert reverse("access_managers:gap_designate") in html


def test_no_warning_once_every_domain_and_quality_is_managed(client, world):
    for domain in Domain.objects.exclude(code__in=["SECU", "FIN"]):
        DomainManagerFactory(enterprise=world.enterprise, domain=domain)
    world.log_in(client, "gap")

    html = text(client.get(_page(world)))

    assert "Continuité de la gestion des accès" not in html


def test_a_quality_without_local_manager_is_named_in_the_warning(client, world):
    quality = EnterpriseQualityFactory(enterprise=world.enterprise, identifier="1234567-89")
    world.log_in(client, "gap")

    html = text(client.get(_page(world)))

    warning = html.split("Seul le Gestionnaire d'Accès Principal gère")[1].split("</li>")[0]
    assert f"{quality.quality.name} 1234567-89" in warning
    assert world.qualities["EMPLOYEUR_ONSS"].identifier not in warning  # it has a GL


def test_the_page_links_the_gap_to_the_paged_history(client, world):
    AccessManagerFactory.create_batch(
        30,
        enterprise=world.enterprise,
        started_at="2019-01-01T00:00:00Z",
        ended_at="2020-01-01T00:00:00Z",
    )
    world.log_in(client, "gap")

    html = text(client.get(_page(world)))
    history = reverse("access_managers:gap_history", args=[world.enterprise.number])

    gap = html.split('id="gap-title"')[1].split("</section>")[0]
    assert f'href="{history}"' in gap
    first = text(client.get(history))
    last = text(client.get(history + "?page=4"))
    assert "Page 1 sur 4" in first
    assert first.count('<td data-label="Procédure">') == 10
    assert world.person("gap").full_name in first  # the current GAP, newest
    assert "Page 4 sur 4" in last
    assert last.count('<td data-label="Procédure">') == 1  # 31 terms
    assert "Précédent" in last
    assert text(client.get(history + "?page=nonsense")).count("Page 1 sur 4") == 1


def test_the_history_page_in_dutch(client, world):
    world.log_in(client, "gap")
    _in(client, "nl")

    html = text(client.get(reverse("access_managers:gap_history", args=[world.enterprise.number])))

    assert "Historiek van de Hoofdtoegangsbeheerders" in html


# Adding a GA ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "found", "done"),
    [
        ("fr", "Personne trouvée dans le registre national", "est maintenant Gestionnaire d'Accès"),
        ("nl", "Een Toegangsbeheerder toevoegen", "is nu Toegangsbeheerder van het domein"),
    ],
)
def test_adding_a_ga_shows_the_name_then_adds_them(client, world, language, found, done):
    user = UserFactory(email="emma@test.be")
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_add", args=[world.enterprise.number, "MOB"])

    assert client.get(url).status_code == 200
    page = text(client.post(url, {"niss": user.person.niss}))
    assert found in page
    assert user.person.full_name in page
    response = client.post(url, {"niss": user.person.niss, "add": "1"})

    assert response.status_code == 302
    assert response.url == _domain_page(world, "MOB")
    term = AccessManager.objects.get(person=user.person, role="GA")
    assert term.domain.code == "MOB"
    assert OutboundEmail.objects.get().recipient == "emma@test.be"
    result = text(client.get(response.url))
    assert done in result
    assert "emma@test.be" in result


def test_adding_a_ga_without_any_address_says_nobody_was_told(client, world):
    person = PersonFactory()
    world.log_in(client, "gap")
    url = reverse("access_managers:ga_add", args=[world.enterprise.number, "MOB"])

    response = client.post(url, {"niss": person.niss, "add": "1"}, follow=True)

    assert "Cette personne n'a aucune adresse e-mail" in text(response)
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "who", "message"),
    [
        ("fr", "gap", "elle est déjà Gestionnaire d'Accès de chaque domaine"),
        ("nl", "gap", "zij is al Toegangsbeheerder van elk domein"),
        ("fr", "ga", "Cette personne est déjà Gestionnaire d'Accès de ce domaine."),
    ],
)
def test_adding_the_gap_or_a_current_ga_is_refused_on_the_page(
    client, world, language, who, message
):
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_add", args=[world.enterprise.number, "SECU"])

    response = client.post(url, {"niss": world.person(who).niss, "add": "1"})

    assert response.status_code == 200
    assert message in text(response)
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Ce numéro n'est pas connu du registre national."),
        ("nl", "Dit nummer is niet bekend in het Rijksregister."),
    ],
)
def test_adding_a_ga_refuses_an_unknown_niss(client, world, language, message):
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_add", args=[world.enterprise.number, "MOB"])

    response = client.post(url, {"niss": "85073003328", "add": "1"})

    assert message in text(response)
    assert not AccessManager.objects.filter(domain__code="MOB").exists()


def test_an_unknown_domain_is_not_found(client, world):
    world.log_in(client, "gap")

    response = client.get(reverse("access_managers:ga_add", args=[world.enterprise.number, "XX"]))

    assert response.status_code == 404


# Removing a GA -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "ask", "done"),
    [
        ("fr", "ne sera plus Gestionnaire d'Accès du domaine", "n'est plus Gestionnaire d'Accès"),
        ("nl", "zal geen Toegangsbeheerder van het domein", "is geen Toegangsbeheerder"),
    ],
)
def test_removing_a_ga_asks_then_removes(client, world, language, ask, done):
    term = _ga_term(world)
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_remove", args=[world.enterprise.number, term.pk])

    assert ask in text(client.get(url))
    response = client.post(url, follow=True)

    term.refresh_from_db()
    assert term.ended_at is not None
    assert done in text(response)
    assert OutboundEmail.objects.get().template == "access_managers/ga_removed"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Cette personne n'est plus Gestionnaire d'Accès de ce domaine."),
        ("nl", "Deze persoon is geen Toegangsbeheerder van dit domein meer."),
    ],
)
def test_removing_a_ga_removed_meanwhile_says_so(client, world, language, message):
    term = _ga_term(world)
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_remove", args=[world.enterprise.number, term.pk])
    client.post(url)

    response = client.post(url, follow=True)

    assert message in text(response)
    assert OutboundEmail.objects.count() == 1


# A GA's addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "done"),
    [
        ("fr", "Ajouter une adresse e-mail", "L'adresse e-mail est ajoutée."),
        ("nl", "Een e-mailadres toevoegen", "Het e-mailadres is toegevoegd."),
    ],
)
def test_adding_an_address(client, world, language, title, done):
    term = _ga_term(world)
    world.log_in(client, "co_gap")
    _in(client, language)
    url = reverse("access_managers:ga_email_add", args=[world.enterprise.number, term.pk])

    assert title in text(client.get(url))
    response = client.post(url, {"email": "secu@test.be"}, follow=True)

    assert done in text(response)
    assert list(term.emails.values_list("email", flat=True)) == ["secu@test.be"]
    assert OutboundEmail.objects.get().recipient == "secu@test.be"


@pytest.mark.parametrize(
    ("language", "email", "message"),
    [
        ("fr", "secu@test.be", "Cette adresse e-mail est déjà enregistrée."),
        ("nl", "secu@test.be", "Dit e-mailadres is al geregistreerd."),
        ("fr", "not-an-address", "Saisissez une adresse e-mail valide"),
    ],
)
def test_adding_an_address_refuses_one_already_there_or_invalid(
    client, world, language, email, message
):
    term = _ga_term(world)
    ManagerEmail.objects.create(term=term, email="secu@test.be")
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_email_add", args=[world.enterprise.number, term.pk])

    response = client.post(url, {"email": email})

    assert response.status_code == 200
    assert message in text(response)
    assert term.emails.count() == 1


@pytest.mark.parametrize(
    ("language", "done"),
    [("fr", "L'adresse e-mail est modifiée."), ("nl", "Het e-mailadres is gewijzigd.")],
)
def test_the_pencil_changes_an_address(client, world, language, done):
    address = ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_email_edit", args=[world.enterprise.number, address.pk])

    assert 'value="secu@test.be"' in text(client.get(url))
    response = client.post(url, {"email": "new@test.be"}, follow=True)

    assert done in text(response)
    address.refresh_from_db()
    assert address.email == "new@test.be"
    assert set(OutboundEmail.objects.values_list("recipient", flat=True)) == {
        "new@test.be",
        "secu@test.be",
    }


@pytest.mark.parametrize(
    ("language", "ask", "done"),
    [
        ("fr", "ne sera plus une adresse de", "L'adresse e-mail est supprimée."),
        ("nl", "zal geen adres meer zijn van", "Het e-mailadres is verwijderd."),
    ],
)
def test_the_cross_asks_then_deletes_an_address(client, world, language, ask, done):
    address = ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse("access_managers:ga_email_remove", args=[world.enterprise.number, address.pk])

    assert ask in text(client.get(url))
    response = client.post(url, follow=True)

    assert done in text(response)
    assert not ManagerEmail.objects.filter(pk=address.pk).exists()


@pytest.mark.parametrize("view", ["ga_email_edit", "ga_email_remove"])
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Cette adresse e-mail n'est plus enregistrée."),
        ("nl", "Dit e-mailadres is niet meer geregistreerd."),
    ],
)
def test_an_address_deleted_meanwhile_says_so(client, world, view, language, message):
    address = ManagerEmail.objects.create(term=_ga_term(world), email="secu@test.be")
    world.log_in(client, "gap")
    _in(client, language)
    url = reverse(f"access_managers:{view}", args=[world.enterprise.number, address.pk])
    address.delete()

    response = client.post(url, {"email": "new@test.be"}, follow=True)

    assert message in text(response)
    assert OutboundEmail.objects.count() == 0


# «Qui gère nos accès ?» ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Qui gère nos accès ?"), ("nl", "Wie beheert onze toegangen?")]
)
def test_who_manages_names_every_manager_with_their_address(client, world, language, title):
    ManagerEmail.objects.create(term=_ga_term(world, "ga_fin"), email="fin@test.be")
    AccessManager.objects.filter(person=world.person("gl")).update(email="gl@test.be")
    world.log_in(client, "user")
    _in(client, language)

    html = text(client.get(reverse("access_managers:who_manages", args=[world.enterprise.number])))

    assert title in html
    for role in ["gap", "co_gap", "ga", "ga_fin", "gl", "co_gl", "gl_other_quality"]:
        assert world.person(role).full_name in html
    assert "fin@test.be" in html
    assert "gl@test.be" in html
    for role in ["user", "blocked_user", "lr", "other_gap"]:
        assert world.person(role).full_name not in html.split("<main")[1].split("</main>")[0]


def test_the_list_of_who_manages_links_each_enterprise_of_the_person(client, world):
    AccessManagerFactory(enterprise=world.other, person=world.person("user"), role="COGAP")
    world.log_in(client, "user")

    html = text(client.get(reverse("access_managers:who_manages_list")))

    assert reverse("access_managers:who_manages", args=[world.enterprise.number]) in html
    assert reverse("access_managers:who_manages", args=[world.other.number]) in html


@pytest.mark.parametrize(
    ("language", "none"),
    [
        ("fr", "Vous n'avez de rôle dans aucune entreprise"),
        ("nl", "U hebt geen rol in een onderneming"),
    ],
)
def test_the_list_of_who_manages_of_a_person_without_role(client, world, language, none):
    world.log_in(client, "blocked_user")
    _in(client, language)

    html = text(client.get(reverse("access_managers:who_manages_list")))

    assert none in html
    assert world.enterprise.number not in html


def test_the_header_and_the_enterprise_page_link_to_who_manages(client, world):
    world.log_in(client, "gap")

    html = text(client.get(_page(world)))

    assert reverse("access_managers:who_manages_list") in html
    assert reverse("access_managers:who_manages", args=[world.enterprise.number]) in html


def test_the_list_of_who_manages_asks_to_log_in(client):
    response = client.get(reverse("access_managers:who_manages_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


# Queries: constant, whatever the number of rows ----------------------------------------------


def _many(world, enterprise=None):
    """Two GAs of every domain with two addresses each, ten co-GAPs, fifty former GAPs, and
    ten qualités with a GL and a co-GL."""
    enterprise = enterprise or world.enterprise
    for domain in Domain.objects.all():
        for term in DomainManagerFactory.create_batch(2, enterprise=enterprise, domain=domain):
            ManagerEmail.objects.create(term=term, email=f"a{term.pk}@test.be")
            ManagerEmail.objects.create(term=term, email=f"b{term.pk}@test.be")
    AccessManagerFactory.create_batch(10, enterprise=enterprise, role="COGAP")
    AccessManagerFactory.create_batch(
        50,
        enterprise=enterprise,
        started_at="2019-01-01T00:00:00Z",
        ended_at="2020-01-01T00:00:00Z",
    )
    for _ in range(10):
        quality = EnterpriseQualityFactory(enterprise=enterprise)
        LocalManagerFactory(enterprise=enterprise, quality=quality)
        LocalManagerFactory(enterprise=enterprise, quality=quality, role="COGL")


@pytest.mark.parametrize(
    ("view", "role", "queries"),
    [
        # session, user, enterprise and its name, roles; the domains; the GAP, the first co-GAPs
        # and GAs with their counts and addresses; the qualités without GL (not for a GA).
        ("enterprise", "gap", 7),
        ("enterprise", "ga", 6),
        # Each paged list: its page and how many there are in one query.
        ("co_gap_list", "gap", 5),
        ("gap_history", "gap", 5),
        ("domain", "gap", 7),  # and the domain, the GAP
        ("domain", "ga", 7),
        ("who_manages", "user", 5),
    ],
)
def test_the_pages_queries_do_not_grow_with_the_rows(
    client, world, django_assert_num_queries, view, role, queries
):
    world.log_in(client, role)
    args = [world.enterprise.number, "SECU"] if view == "domain" else [world.enterprise.number]
    url = reverse(f"access_managers:{view}", args=args)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _many(world)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_who_manages_is_paged(client, world):
    AccessManagerFactory.create_batch(30, enterprise=world.enterprise, role="COGAP")
    world.log_in(client, "user")
    url = reverse("access_managers:who_manages", args=[world.enterprise.number])

    first = text(client.get(url))
    last = text(client.get(url + "?page=99"))  # past the end: the last page

    assert "Page 1 sur " in first
    gap = first.index(world.person("gap").full_name)
    assert gap < first.index('<td data-label="Rôle">Co-Gestionnaire d')
    assert world.person("co_gl").full_name in last  # the qualités come after the domains
    assert last.index(world.person("gl").full_name) < last.index(world.person("co_gl").full_name)


def test_the_who_manages_list_queries_do_not_grow(client, world, django_assert_num_queries):
    world.log_in(client, "gap")
    url = reverse("access_managers:who_manages_list")
    client.get(url)
    with django_assert_num_queries(4) as first:
        client.get(url)
    for _ in range(5):
        AccessManagerFactory(person=world.person("gap"), role="COGAP")

    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_ga_lands_on_the_enterprise_page_and_a_gl_is_not_sent_there(client, world):
    world.log_in(client, "ga_fin")
    ga = client.get(reverse("access_managers:enterprise_list"))
    client.logout()
    world.log_in(client, "gl")
    gl = client.get(reverse("access_managers:enterprise_list"))

    assert ga.status_code == 302
    assert ga.url == _page(world)
    assert gl.status_code == 200
    assert _page(world) not in text(gl)


def test_my_enterprises_names_the_domain_of_each_ga_term(client, world):
    from enterprises.models import Domain
    from tests.factories import DomainManagerFactory

    mobility = Domain.objects.get(code="MOB")
    DomainManagerFactory(enterprise=world.enterprise, person=world.person("ga"), domain=mobility)
    world.log_in(client, "ga")

    page = text(client.get(reverse("access_managers:enterprise_list") + "?list"))

    assert f"Gestionnaire d'Accès – {Domain.objects.get(code='SECU').name}" in page
    assert f"Gestionnaire d'Accès – {mobility.name}" in page


@pytest.mark.parametrize("view", ["ga_remove", "ga_email_add", "ga_email_edit", "ga_email_remove"])
def test_cancelling_a_ga_action_goes_back_to_the_domains_page(client, world, view):
    term = _ga_term(world)
    address = ManagerEmail.objects.create(term=term, email="secu@test.be")
    world.log_in(client, "gap")
    target = address.pk if view in ("ga_email_edit", "ga_email_remove") else term.pk

    html = text(
        client.get(reverse(f"access_managers:{view}", args=[world.enterprise.number, target]))
    )

    cancel = html.split("Annuler</a>")[0].rsplit("<a ", 1)[1]
    assert f'href="{_domain_page(world, term.domain.code)}"' in cancel


def test_the_domain_sections_escape_what_people_typed(client, world):
    from tests.factories import PersonFactory

    person = PersonFactory(first_name="<b>Eve</b>", last_name="O'Neil & Co")
    term = DomainManagerFactory(
        enterprise=world.enterprise, person=person, domain=Domain.objects.get(code="MOB")
    )
    ManagerEmail.objects.create(term=term, email="eve@test.be")
    world.log_in(client, "gap")

    html = client.get(_page(world)).content.decode()

    mobility = html.split('id="domain-MOB"')[1].split("</section>")[0]
    assert "&lt;b&gt;Eve&lt;/b&gt; O&#x27;Neil &amp; Co – eve@test.be" in mobility
    assert "<b>Eve</b>" not in html
