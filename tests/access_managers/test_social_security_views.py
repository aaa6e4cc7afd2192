"""The social security's pages (flows.md §3): the home, the RAE page, a qualité's registration,
its «Utilisateurs», the GL and co-GL wizards and the removal of co-GLs; in French and Dutch."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from csam_portal.models import AuditRecord, OutboundEmail
from enterprises.models import Quality, SecuredApplication
from tests.factories import (
    DomainManagerFactory,
    EnterpriseQualityFactory,
    LocalManagerFactory,
    PersonFactory,
    QualityMembershipFactory,
    UserFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db

GL_WIZARD = "gl_change_wizard-current_step"
CO_GL_WIZARD = "co_gl_add_wizard-current_step"


def _in_dutch(world, role):
    user = world.user(role)
    user.language = "nl"
    user.save()


def _users_url(quality):
    return reverse("access_managers:quality_users", args=[quality.pk])


def _step(name, quality, step):
    return reverse(f"access_managers:{name}_step", args=[quality.pk, step])


def _walk(client, quality, *, action, niss, details):
    """The bottom select's «Suivant», «Enregistrer», then «Confirmer»: the last response."""
    start = reverse("access_managers:local_manager_start", args=[quality.pk])
    response = client.post(
        start,
        {"action": action, "niss-niss": niss, GL_WIZARD: "niss", CO_GL_WIZARD: "niss"},
    )
    assert response.status_code == 302, text(response)
    wizard = CO_GL_WIZARD if action == "co_gl_add" else GL_WIZARD
    response = client.post(_step(action, quality, "details"), {wizard: "details", **details})
    assert response.status_code == 302, text(response)
    page = client.get(_step(action, quality, "recap"))
    token = page.context["form"].initial["token"]
    return page, client.post(
        _step(action, quality, "recap"), {wizard: "recap", "recap-token": token}, follow=True
    )


def test_the_home_greets_and_lists_the_role_links(client, world):
    world.log_in(client, "gap")
    LocalManagerFactory(
        enterprise=world.enterprise,
        person=world.person("gap"),
        quality=EnterpriseQualityFactory(enterprise=world.enterprise, identifier="7777777-77"),
    )

    html = text(client.get(reverse("access_managers:social_security")))

    name = world.person("gap").full_name
    assert f"Bienvenue {name}, vous vous trouvez sur la page d'accueil de l'application" in html
    assert ">Home<" in html
    assert ">Help<" in html
    assert "Dénomination\u202f: " in html
    assert "Boulangerie Test" in html
    assert (
        f"Numéro d'entreprise\u202f: {world.enterprise.formatted_number} (Responsable Accès Entité)"
        in (html)
    )
    assert "-- Qualité\u202f: " in html
    assert "Matricule ONSS\u202f: 7777777-77 (Gestionnaire Local)" in html
    assert "Autre Entreprise" not in html


def test_a_gl_sees_only_their_qualite_link_and_a_person_is_told_they_have_no_role(client, world):
    world.log_in(client, "gl")
    html = text(client.get(reverse("access_managers:social_security")))
    assert "(Gestionnaire Local)" in html
    assert "(Responsable Accès Entité)" not in html

    world.log_in(client, "person")
    html = text(client.get(reverse("access_managers:social_security")))
    assert "Vous n'avez aucun rôle dans la gestion des accès de la sécurité sociale" in html


def test_the_home_in_dutch(client, world):
    _in_dutch(world, "gap")
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:social_security")))

    assert 'lang="nl"' in html
    assert "Toegangsbeheer voor Ondernemingen en Organisaties" in html
    assert "page d'accueil" not in html


def test_the_rae_page_shows_the_enterprise_and_its_qualites(client, world):
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:rae_page", args=[world.enterprise.number])))

    assert (
        "vous accédez en tant que Responsable des Accès au portail de la Sécurité Sociale\u202f:"
        in (html)
    )
    for label in ["Dénomination", "Numéro d'entreprise", "Date de création", "Liste des qualités"]:
        assert label in html
    assert "Pensez à vérifier régulièrement les données" in html
    assert "Employeur ONSS" in html
    assert "Action sociale" in html
    assert world.qualities["EMPLOYEUR_ONSS"].identifier in html
    assert "Enregistrer une qualité" in html


def test_the_secu_ga_sees_the_rae_page_without_the_registration(client, world):
    world.log_in(client, "ga")

    html = text(client.get(reverse("access_managers:rae_page", args=[world.enterprise.number])))

    assert "Liste des qualités" in html
    assert "Enregistrer une qualité" not in html


def test_the_rae_page_in_dutch(client, world):
    _in_dutch(world, "gap")
    world.log_in(client, "gap")

    html = text(client.get(reverse("access_managers:rae_page", args=[world.enterprise.number])))

    assert "Lijst van de hoedanigheden" in html
    assert "Liste des qualités" not in html


def test_registering_a_qualite(client, world):
    world.log_in(client, "co_gap")
    url = reverse("access_managers:quality_register", args=[world.enterprise.number])
    social = Quality.objects.get(code="PRESTATAIRE_SERVICES_SOCIAUX")

    response = client.post(url, {"quality": social.pk, "identifier": world.enterprise.number})

    assert response.status_code == 302
    assert EnterpriseQuality.objects.filter(enterprise=world.enterprise, quality=social).exists()
    html = text(client.get(response.url))
    assert "Prestataire de services sociaux" in html


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_wrong_identifier_is_refused_and_nothing_registered(client, world, language):
    if language == "nl":
        _in_dutch(world, "gap")
    world.log_in(client, "gap")
    url = reverse("access_managers:quality_register", args=[world.enterprise.number])
    onss = Quality.objects.get(code="EMPLOYEUR_ONSS")
    before = EnterpriseQuality.objects.count()

    html = text(client.post(url, {"quality": onss.pk, "identifier": "12345"}))

    expected = {"fr": "n'a pas la forme attendue", "nl": "heeft niet de verwachte vorm"}
    assert expected[language] in html
    assert EnterpriseQuality.objects.count() == before


def test_the_users_page_lists_gl_co_gls_and_users(client, world):
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]

    html = text(client.get(_users_url(quality)))

    for label in ["Nom", "Prénom", "Nom d'utilisateur", "Type", "Statut"]:
        assert f">{label}<" in html

    def listed(role):  # their row: last name, then first name (two people may share one)
        person = world.person(role)
        cells = rf">{re.escape(escape(person.last_name))}</td>\s*<td data-label=\"Prénom\">"
        return re.search(cells + rf"{re.escape(escape(person.first_name))}</td>", html)

    for role in ["gl", "co_gl", "user", "blocked_user"]:
        assert listed(role)
    assert not listed("gl_other_quality")
    assert ">GL<" in html
    assert ">Co-GL<" in html
    assert "bloqué" in html
    for label in [
        "Ajouter un utilisateur",
        "Changer de Gestionnaire Local",
        "Ajouter un Co-Gestionnaire Local",
        "Supprimer utilisateur(s)",
        "NISS\u202f:",
        "Suivant",
        "Exécuter",
    ]:
        assert label in html
    co_gl = QualityMembership.objects.get(quality=quality, person=world.person("co_gl"))
    assert f'name="user" value="{co_gl.pk}" form="users-action"' in html


def test_a_gl_sees_the_users_page_without_the_bottom_select(client, world):
    world.log_in(client, "gl")

    html = text(client.get(_users_url(world.qualities["EMPLOYEUR_ONSS"])))

    assert world.person("co_gl").last_name in html
    assert "Changer de Gestionnaire Local" not in html


def test_the_users_page_in_dutch(client, world):
    _in_dutch(world, "gap")
    world.log_in(client, "gap")

    html = text(client.get(_users_url(world.qualities["EMPLOYEUR_ONSS"])))

    assert "Gebruikers" in html
    assert "Lokale beheerder wijzigen" in html
    assert "Changer de Gestionnaire Local" not in html


def test_changing_the_gl_walks_niss_creation_recap_and_confirmation(client, world):
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = PersonFactory(first_name="Élodie", last_name="Van Damme")
    dimona = SecuredApplication.objects.get(code="DIMONA")
    start = reverse("access_managers:local_manager_start", args=[quality.pk])
    client.post(start, {"action": "gl_change", "niss-niss": person.niss, GL_WIZARD: "niss"})

    form = text(client.get(_step("gl_change", quality, "details")))

    assert "Création d'un Gestionnaire Local" in form
    assert "Les champs marqués d'un * sont obligatoires" in form
    assert "Données d'identification" in form
    assert 'value="elodie.vandamme"' in form  # proposed: the person has no account yet
    for label in [
        "Titre",
        "Choix linguistique",
        "Adresse e-mail locale",
        "Applications sécurisées",
    ]:
        assert label in form
    assert "Adresse e-mail utilisateur" in form
    assert "centre de contact Eranova" in form
    recap, done = _walk(
        client,
        quality,
        action="gl_change",
        niss=person.niss,
        details={
            "details-username": "elodie.vandamme",
            "details-email": "elodie@test.be",
            "details-applications": [dimona.pk],
        },
    )
    recap_html = text(recap)
    for label in ["Date création", "Date modification", "Statut", "Précédent", "Confirmer"]:
        assert label in recap_html
    assert "elodie@test.be" in recap_html
    assert dimona.name_fr in recap_html
    assert "Les données du Gestionnaire Local ont bien été enregistrées" in text(done)
    gl = AccessManager.objects.get(quality=quality, role="GL", ended_at=None)
    assert gl.person == person
    assert gl.person.account.username == "elodie.vandamme"


def test_confirming_twice_changes_the_gl_once(client, world):
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = PersonFactory()
    _recap, _done = _walk(
        client,
        quality,
        action="gl_change",
        niss=person.niss,
        details={"details-username": "once.only", "details-email": "o@test.be"},
    )
    audits = AuditRecord.objects.count()

    response = client.post(
        _step("gl_change", quality, "recap"),
        {GL_WIZARD: "recap", "recap-token": AccessManager.objects.latest("pk").request_token},
    )

    assert response.status_code == 302
    assert AuditRecord.objects.count() == audits


def test_adding_a_co_gl_in_dutch(client, world):
    _in_dutch(world, "ga")
    world.log_in(client, "ga")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = UserFactory(username="has.account").person

    recap, done = _walk(
        client,
        quality,
        action="co_gl_add",
        niss=person.niss,
        details={"details-email": "co@test.be", "details-local_email": "lo@test.be"},
    )

    assert "Co-lokale beheerder aanmaken" in text(recap)
    assert "De gegevens van de co-lokale beheerder werden geregistreerd" in text(done)
    term = AccessManager.objects.get(quality=quality, person=person, ended_at=None)
    assert term.role == "COGL"
    assert term.person.account.username == "has.account"
    membership = QualityMembership.objects.get(quality=quality, person=person, ended_at=None)
    assert membership.local_email == "lo@test.be"


@pytest.mark.parametrize(
    ("action", "who", "message"),
    [
        ("gl_change", "gl", "Cette personne est déjà Gestionnaire Local de cette qualité."),
        ("co_gl_add", "co_gl", "déjà Gestionnaire Local ou Co-Gestionnaire Local"),
        ("co_gl_add", "unknown", "Ce numéro n'est pas connu du registre national."),
    ],
)
def test_the_niss_step_refuses_and_changes_nothing(client, world, action, who, message):
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    niss = "85073003328" if who == "unknown" else world.person(who).niss
    start = reverse("access_managers:local_manager_start", args=[quality.pk])
    audits = AuditRecord.objects.count()

    response = client.post(
        start, {"action": action, "niss-niss": niss, GL_WIZARD: "niss", CO_GL_WIZARD: "niss"}
    )

    assert response.status_code == 200
    assert message in text(response)
    assert AuditRecord.objects.count() == audits


def test_the_niss_step_refuses_in_dutch(client, world):
    _in_dutch(world, "gap")
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    start = reverse("access_managers:local_manager_start", args=[quality.pk])

    response = client.post(
        start, {"action": "gl_change", "niss-niss": world.person("gl").niss, GL_WIZARD: "niss"}
    )

    assert "Deze persoon is al lokale beheerder van deze hoedanigheid." in text(response)


def test_a_taken_username_is_refused_on_the_creation_screen(client, world):
    UserFactory(username="taken.name")
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = PersonFactory()
    start = reverse("access_managers:local_manager_start", args=[quality.pk])
    client.post(start, {"action": "co_gl_add", "niss-niss": person.niss, CO_GL_WIZARD: "niss"})

    response = client.post(
        _step("co_gl_add", quality, "details"),
        {
            CO_GL_WIZARD: "details",
            "details-username": "taken.name",
            "details-email": "x@test.be",
        },
    )

    assert response.status_code == 200
    assert "Ce nom d'utilisateur est déjà pris." in text(response)
    assert not AccessManager.objects.filter(person=person).exists()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_removing_co_gls_asks_then_removes(client, world, language):
    if language == "nl":
        _in_dutch(world, "gap")
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    co_gl = AccessManager.objects.get(quality=quality, role="COGL")
    membership = QualityMembership.objects.get(quality=quality, person=co_gl.person)
    url = reverse("access_managers:quality_users_action", args=[quality.pk])
    data = {"action": "delete", "user": [membership.pk]}

    page = text(client.get(url, data))
    done = text(client.post(url, data, follow=True))

    words = {
        "fr": (
            "Suppression de l'utilisateur",
            "Etes-vous certain de vouloir supprimer le(s) utilisateur(s) suivant(s)?",
            "La suppression du ou des utilisateur(s) a réussi",
        ),
        "nl": (
            "Verwijdering van de gebruiker",
            "Bent u zeker dat u de volgende gebruiker(s) wilt verwijderen?",
            "De verwijdering van de gebruiker(s) is gelukt",
        ),
    }[language]
    assert words[0] in page
    assert words[1] in page
    assert world.person("co_gl").last_name in page
    assert words[2] in done
    co_gl.refresh_from_db()
    assert co_gl.ended_at is not None
    assert OutboundEmail.objects.filter(template="access_managers/co_gl_removed").exists()


@pytest.mark.parametrize("who", ["gl", "other"])
def test_removing_the_gl_or_an_unknown_row_is_refused(client, world, who):
    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    gl = QualityMembership.objects.get(quality=quality, person=world.person("gl"))
    chosen = gl.pk if who == "gl" else gl.pk + 10_000
    before = list(AccessManager.objects.values_list("pk", "ended_at"))
    url = reverse("access_managers:quality_users_action", args=[quality.pk])

    response = client.post(url, {"action": "delete", "user": [chosen]}, follow=True)

    assert response.redirect_chain[-1][0] == _users_url(quality)
    expected = "Changer de Gestionnaire Local" if who == "gl" else "Rien n'a été modifié"
    assert expected in text(response)
    assert list(AccessManager.objects.values_list("pk", "ended_at")) == before
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "found"), [("fr", "26 utilisateurs trouvés."), ("nl", "26 gebruikers gevonden.")]
)
def test_the_users_page_is_paged_by_name(client, world, language, found):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    QualityMembershipFactory.create_batch(22, quality=quality)
    world.log_in(client, "gap")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    first = text(client.get(_users_url(quality)))
    last = text(client.get(_users_url(quality) + "?page=3"))

    assert found in first  # the GL, the co-GL, the user, the blocked user and 22 more
    assert first.count('name="user"') == 10
    assert last.count('name="user"') == 6
    names = sorted(
        QualityMembership.objects.filter(quality=quality).values_list("last_name", "first_name"),
        key=lambda name: (name[0].upper(), name[1].upper()),
    )
    assert escape(names[0][0]) in first
    assert escape(names[-1][0]) in last


@pytest.mark.parametrize("rows", [1, 30])
def test_the_home_and_rae_page_run_a_constant_number_of_queries(
    client, world, django_assert_num_queries, rows
):
    from tests.factories import AccessManagerFactory, EnterpriseFactory

    gap = world.person("gap")
    for _ in range(rows):
        enterprise = EnterpriseFactory()
        AccessManagerFactory(enterprise=enterprise, person=gap, role="COGAP")
        LocalManagerFactory(enterprise=enterprise, person=gap)
        DomainManagerFactory(enterprise=world.enterprise)
        EnterpriseQualityFactory(enterprise=world.enterprise)
    world.log_in(client, "gap")

    with django_assert_num_queries(5):
        assert client.get(reverse("access_managers:social_security")).status_code == 200
    with django_assert_num_queries(5):
        url = reverse("access_managers:rae_page", args=[world.enterprise.number])
        assert client.get(url).status_code == 200


def test_the_pages_have_no_inline_script_or_style(client, world):
    import re

    world.log_in(client, "gap")
    quality = world.qualities["EMPLOYEUR_ONSS"]
    co_gl = QualityMembership.objects.get(quality=quality, person=world.person("co_gl"))
    urls = [
        reverse("access_managers:social_security"),
        reverse("access_managers:rae_page", args=[world.enterprise.number]),
        reverse("access_managers:quality_register", args=[world.enterprise.number]),
        _users_url(quality),
        reverse("access_managers:quality_users_action", args=[quality.pk])
        + f"?action=delete&user={co_gl.pk}",
        _step("gl_change", quality, "niss"),
    ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert re.findall(r"\sstyle=", html) == [], url
        assert re.findall(r"\son[a-z]+=", html) == [], url
