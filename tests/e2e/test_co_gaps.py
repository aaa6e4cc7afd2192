"""The GAP's page for its enterprise (flows.md §1, after the designation): Nathalie, GAP of
Groupe Horizon, names Pieter De Smet co-GAP, then removes him; both tables (co-GAPs, history)
are read at every width the harness tries."""

from playwright.sync_api import expect

from access_managers.models import AccessManager

HORIZON, NATHALIE, PIETER = "0462837478", "79021412066", "83082012111"


def test_nathalie_names_a_co_gap_then_removes_him(page, a11y, demo):
    page.goto("/access-management/")
    a11y(page)
    page.get_by_role("link", name="Désigner des Gestionnaires d'Accès").click()
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill(NATHALIE)
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()
    expect(
        page.get_by_role("heading", level=1, name="Gestion des Gestionnaires d'Accès")
    ).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Ajouter un Co-Gestionnaire d'Accès Principal").click()
    a11y(page)
    page.get_by_label("NISS").fill(PIETER)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Pieter De Smet")).to_be_visible()
    a11y(page)
    page.get_by_label("E-mail").fill("pieter.desmet.toegangsbeheer@horizon-groep.example")
    page.get_by_role("button", name="Ajouter", exact=True).click()

    co_gaps = page.get_by_role("table", name="Co-Gestionnaires d'Accès Principaux")
    expect(co_gaps).to_contain_text("pieter.desmet.toegangsbeheer@horizon-groep.example")
    a11y(page)
    page.get_by_role("link", name="Historique des Gestionnaires d'Accès Principaux").click()
    history = page.get_by_role("table", name="Historique des Gestionnaires d'Accès Principaux")
    expect(history).to_contain_text("Nathalie Leroy")
    a11y(page)
    page.go_back()
    expect(co_gaps).to_be_visible()
    assert (
        AccessManager.objects.get(enterprise=HORIZON, role="COGAP", ended_at=None).person_id
        == PIETER
    )

    co_gaps.get_by_role("link", name="Supprimer Pieter De Smet").click()
    a11y(page)
    page.get_by_role("button", name="Supprimer").click()
    expect(
        page.get_by_text("Aucun Co-Gestionnaire d'Accès Principal n'est désigné.")
    ).to_be_visible()
    a11y(page)
    assert not AccessManager.objects.filter(
        enterprise=HORIZON, role="COGAP", ended_at=None
    ).exists()
