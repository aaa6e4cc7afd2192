"""The demo path of the standard procedure (flows.md §1), from the home page along the seeds'
labels: Marie designates herself, Jan designates Sofie, Nathalie is already GAP, and Claire,
Thomas and Patrick are refused."""

import re

import pytest
from playwright.sync_api import expect

from access_managers.models import AccessManager

MARIE, JAN, SOFIE = "80031510282", "75070210306", "90112310607"


def _to_designation_as(page, a11y, niss: str) -> None:
    """Home → «En savoir plus» of the access-management card → «Désigner un Gestionnaire
    d'Accès Principal» → log in with the eID key → screen 1."""
    page.goto("/")
    a11y(page)
    card = page.get_by_role("article", name="GESTION DES GESTIONNAIRES D'ACCÈS")
    card.get_by_role("link", name="En savoir plus").click()
    a11y(page)
    page.get_by_role(
        "link", name="Désigner un Gestionnaire d'Accès Principal (identification requise)"
    ).click()
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill(niss)
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()
    if page.locator("html").get_attribute("lang") != "fr":  # Jan's account speaks Dutch
        a11y(page)
        page.get_by_role("button", name="FR Français").click()
    expect(
        page.get_by_role("heading", level=1, name="Désigner un Gestionnaire d'Accès Principal")
    ).to_be_visible()
    a11y(page)


def _register(page, number: str) -> None:
    page.get_by_label("Numéro d'entreprise").fill(number)
    page.get_by_role("button", name="Enregistrer mon entreprise dans CSAM").click()


def test_marie_designates_herself(page, a11y, demo):
    _to_designation_as(page, a11y, MARIE)
    _register(page, "0410.472.920")

    expect(
        page.get_by_role("heading", level=1, name="Enregistrement de l'entreprise dans CSAM")
    ).to_be_visible()
    expect(page.get_by_text("Boulangerie Dubois").first).to_be_visible()
    a11y(page)
    page.get_by_label("Marie Dubois").check()
    contact = page.get_by_role("region", name="Vos données de contact")
    contact.get_by_label("E-mail").fill("direction@boulangerie-dubois.be")
    contact.get_by_label("Téléphone").fill("02 512 34 56")
    page.get_by_role("button", name="Suivant").click()

    expect(
        page.get_by_role(
            "heading", level=1, name="Enregistrement de l'entreprise dans CSAM - Confirmation"
        )
    ).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="← Corriger").click()
    expect(
        page.get_by_role("region", name="Vos données de contact").get_by_label("E-mail")
    ).to_have_value("direction@boulangerie-dubois.be")
    a11y(page)
    page.get_by_role("button", name="Suivant").click()
    a11y(page)
    page.get_by_label("Oui, je confirme").check()
    page.get_by_role("button", name="Confirmer").click()

    expect(
        page.get_by_role("heading", level=1, name="Gestionnaire d'Accès Principal désigné !")
    ).to_be_visible()
    expect(
        page.get_by_text(
            "Vous vous êtes vous-même désigné(e) comme Gestionnaire d'Accès Principal."
        )
    ).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Gestion des Gestionnaires d'Accès de votre entreprise").click()
    expect(
        page.get_by_text("Vous êtes le Gestionnaire d'Accès Principal de cette entreprise.")
    ).to_be_visible()
    a11y(page)
    assert AccessManager.objects.get(enterprise="0410472920", ended_at=None).person_id == MARIE


def test_jan_designates_sofie(page, a11y, demo):
    _to_designation_as(page, a11y, JAN)
    _register(page, "0420945851")
    a11y(page)

    page.get_by_label("Autre personne").check()
    other = page.get_by_role("group", name="Autre personne")
    other.get_by_label("Numéro de registre national (11 chiffres)").fill(SOFIE)
    other.get_by_label("E-mail").fill("acces@peeters-logistics.be")
    other.get_by_label("Téléphone").fill("03 231 45 67")
    contact = page.get_by_role("region", name="Vos données de contact")
    expect(
        contact.get_by_text("Remarque\u202f: vos données de contact seront utilisées")
    ).to_be_visible()
    contact.get_by_label("E-mail").fill("jan.peeters@peeters-logistics.be")
    contact.get_by_label("Téléphone").fill("0470 12 34 56")
    a11y(page)
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_text("Sofie Janssens")).to_be_visible()
    a11y(page)
    page.get_by_label("Oui, je confirme").check()
    page.get_by_role("button", name="Confirmer").click()

    expect(
        page.get_by_text("Vous avez désigné Sofie Janssens comme Gestionnaire d'Accès Principal.")
    ).to_be_visible()
    a11y(page)
    assert AccessManager.objects.get(enterprise="0420945851", ended_at=None).person_id == SOFIE


def test_nathalie_already_gap_is_told_and_may_designate_someone_else(page, a11y, demo):
    _to_designation_as(page, a11y, "79021412066")
    _register(page, "0462837478")

    expect(page.get_by_text("Cette entreprise est déjà enregistrée dans CSAM.")).to_be_visible()
    expect(
        page.get_by_text(
            "Vous êtes déjà connu comme Gestionnaire d'Accès Principal pour cette entreprise."
        )
    ).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Enregistrer mon entreprise dans CSAM").click()

    expect(page.get_by_label("Autre personne")).to_be_checked()
    expect(page.get_by_label("Nathalie Leroy")).to_have_count(0)
    a11y(page)


@pytest.mark.parametrize(
    ("niss", "number", "message"),
    [
        (
            "65120111642",
            "0410472920",
            "Vous n'exercez pas aujourd'hui de fonction légale",
        ),  # Claire
        (
            "88060611741",
            "0410472920",
            "Vous n'exercez pas aujourd'hui de fonction légale",
        ),  # Thomas
        ("60103113175", "0494256174", "n'est pas active dans la Banque-Carrefour"),  # Patrick
    ],
)
def test_those_who_may_not_register_are_refused(page, a11y, demo, niss, number, message):
    _to_designation_as(page, a11y, niss)
    _register(page, number)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    field = page.get_by_label("Numéro d'entreprise")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    a11y(page)
    assert not AccessManager.objects.filter(enterprise=number).exists()


def test_a_refused_suivant_focuses_the_error_summary_and_says_erreur(page, a11y, demo):
    _to_designation_as(page, a11y, MARIE)
    _register(page, "0410.472.920")
    a11y(page)

    page.get_by_role("button", name="Suivant").click()

    expect(page).to_have_title(re.compile("^Erreur\u202f: Enregistrement de l'entreprise"))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_role("heading", name="Il y a un problème")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Votre e-mail – Ce champ est obligatoire.").click()
    contact = page.get_by_role("region", name="Vos données de contact")
    expect(contact.get_by_label("E-mail")).to_be_focused()
    assert not AccessManager.objects.filter(enterprise="0410472920").exists()
