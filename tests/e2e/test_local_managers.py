"""The social security's local managers (flows.md §3 a–c): Nathalie, GAP of Groupe Horizon,
changes the GL of «Employeur ONSS», adds a co-GL and deletes one; Pieter De Smet, its GL, cannot
reach the GAP's pages."""

from playwright.sync_api import expect

from access_managers.models import AccessManager

HORIZON, NATHALIE, PIETER = "0462837478", "79021412066", "83082012111"
SOFIE, EMMA = "90112310607", "95121213829"


def _log_in(page, a11y, niss, start):
    page.goto(start)
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill(niss)
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y(page)


def _local_manager(page, a11y, action, niss, email, done):
    page.get_by_label("Action", exact=True).select_option(label=action)
    page.get_by_label("NISS\u202f:").fill(niss)
    page.get_by_role("button", name="Suivant").click()
    a11y(page)
    page.get_by_label("Adresse e-mail utilisateur").fill(email)
    page.get_by_role("button", name="Enregistrer").click()
    a11y(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text(done)).to_be_visible()
    a11y(page)


def test_nathalie_changes_the_gl_adds_a_co_gl_and_deletes_one(page, a11y, demo):
    _log_in(page, a11y, NATHALIE, "/social-security/")
    expect(page.get_by_role("link", name="Groupe Horizon")).to_be_visible()
    page.get_by_role("link", name="Groupe Horizon").click()
    expect(page.get_by_role("heading", name="Liste des qualités")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Employeur ONSS").first.click()
    expect(page.get_by_role("heading", level=1, name="Utilisateurs")).to_be_visible()
    a11y(page)

    _local_manager(
        page,
        a11y,
        "Changer de Gestionnaire Local",
        SOFIE,
        "sofie.janssens@horizon.example",
        "Les données du Gestionnaire Local ont bien été enregistrées",
    )
    gl = AccessManager.objects.get(enterprise=HORIZON, role="GL", ended_at=None)
    assert gl.person_id == SOFIE

    _local_manager(
        page,
        a11y,
        "Ajouter un Co-Gestionnaire Local",
        EMMA,
        "emma.wouters@horizon.example",
        "Les données du Co-Gestionnaire Local ont bien été enregistrées",
    )
    assert AccessManager.objects.filter(role="COGL", person=EMMA, ended_at=None).exists()

    page.get_by_label("Nom", exact=True).fill("Lemaire")
    page.get_by_role("button", name="Rechercher").click()
    a11y(page)
    page.get_by_label("Sélectionner Julie Lemaire").check()
    page.get_by_label("Utilisateurs cochés").select_option(label="Supprimer utilisateur(s)")
    page.get_by_role("button", name="Exécuter").click()
    expect(
        page.get_by_text("Etes-vous certain de vouloir supprimer le(s) utilisateur(s) suivant(s)?")
    ).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("La suppression du ou des utilisateur(s) a réussi")).to_be_visible()
    a11y(page)
    assert not AccessManager.objects.filter(
        role="COGL", person__last_name="Lemaire", ended_at=None
    ).exists()


def test_pieter_the_gl_cannot_reach_the_gap_pages(page, a11y, demo):
    _log_in(page, a11y, PIETER, "/social-security/")
    # Pieter's account speaks Dutch: «Employeur ONSS» is «RSZ-werkgever» to him.
    expect(page.get_by_role("link", name="RSZ-werkgever")).to_be_visible()

    response = page.goto(f"/access-managers/{HORIZON}/")

    assert response.status == 403
    a11y(page)
