"""The GAs per domain (flows.md §3): Nathalie, GAP of Groupe Horizon, adds Emma Wouters as GA of
«Mobilité», gives her an address, changes it with the pencil, deletes it with the cross and
removes her, all on the domain's page; Marc Dupont (GA Finances) sees his domain read-only, on
the enterprise's page and on the domain's, and «Qui gère nos accès ?»."""

from playwright.sync_api import expect

from access_managers.models import AccessManager

HORIZON, NATHALIE, EMMA, MARC = "0462837478", "79021412066", "95121213829", "72030312557"
MOBILITY = "Gestionnaires d'Accès du domaine «Mobilité»"


def _log_in(page, a11y, niss):
    page.goto(f"/access-managers/{HORIZON}/")
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill(niss)
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()
    expect(
        page.get_by_role("heading", level=1, name="Gestion des Gestionnaires d'Accès")
    ).to_be_visible()
    a11y(page)


def _item(page, text):
    """The items of the page's lists that hold `text` (a GA, an address)."""
    return page.get_by_role("listitem").filter(has_text=text)


def test_nathalie_adds_a_ga_of_mobility_and_edits_her_addresses(page, a11y, demo):
    _log_in(page, a11y, NATHALIE)
    expect(page.get_by_text("Continuité de la gestion des accès")).to_be_visible()

    page.get_by_role("link", name="Ajouter un Gestionnaire d'Accès – Mobilité").click()
    a11y(page)
    page.get_by_label("NISS").fill(EMMA)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Emma Wouters")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Ajouter", exact=True).click()
    # After each GA action, the domain's page: it holds every action on its GAs.
    expect(page).to_have_url(f"/access-managers/{HORIZON}/domains/MOB/")
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Emma Wouters")
    a11y(page)
    term = AccessManager.objects.get(enterprise=HORIZON, role="GA", person=EMMA, ended_at=None)
    assert term.domain.code == "MOB"

    page.get_by_role("link", name="Ajouter une adresse e-mail pour Emma Wouters").click()
    a11y(page)
    page.get_by_label("Adresse e-mail").fill("emma@horizon.example")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    expect(main).to_contain_text("emma@horizon.example")
    a11y(page)

    # The enterprise's page summarises the domain, without the actions, and links to it.
    page.get_by_role("link", name="Retour à la Gestion des Gestionnaires d'Accès").click()
    mobility = page.locator("#domain-MOB")
    expect(mobility).to_contain_text("Emma Wouters – emma@horizon.example")
    expect(
        mobility.get_by_role("link", name="Modifier l'adresse emma@horizon.example")
    ).to_have_count(0)
    a11y(page)
    mobility.get_by_role("link", name="Mobilité", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Modifier l'adresse emma@horizon.example").click()
    a11y(page)
    page.get_by_label("Adresse e-mail").fill("mobilite@horizon.example")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    expect(main).to_contain_text("mobilite@horizon.example")
    a11y(page)

    page.get_by_role("link", name="Supprimer l'adresse mobilite@horizon.example").click()
    a11y(page)
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_role("status")).to_contain_text("L'adresse e-mail est supprimée.")
    expect(_item(page, "mobilite@horizon.example")).to_have_count(0)
    expect(_item(page, "Emma Wouters").first).to_contain_text("Aucune adresse e-mail")
    a11y(page)

    page.get_by_role(
        "link", name="Supprimer Emma Wouters, Gestionnaire d'Accès du domaine «Mobilité»"
    ).click()
    a11y(page)
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Emma Wouters n'est plus Gestionnaire d'Accès du domaine «Mobilité»."
    )
    expect(_item(page, "Emma Wouters")).to_have_count(0)
    expect(
        page.get_by_text("Aucun autre Gestionnaire d'Accès n'est désigné pour ce domaine.")
    ).to_be_visible()
    a11y(page)
    assert not AccessManager.objects.filter(
        enterprise=HORIZON, role="GA", person=EMMA, ended_at=None
    ).exists()

    page.get_by_role("link", name="Retour à la Gestion des Gestionnaires d'Accès").click()
    expect(page.locator("#domain-MOB")).not_to_contain_text("Emma Wouters")
    a11y(page)
    page.get_by_role("link", name="Historique des Gestionnaires d'Accès Principaux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Historique des Gestionnaires d'Accès Principaux"
    )
    a11y(page)


def test_marc_sees_his_domain_read_only_and_who_manages(page, a11y, demo):
    _log_in(page, a11y, MARC)
    expect(page.locator("#domain-FIN")).to_contain_text("finances@horizon.example")
    expect(page.locator("#domain-MOB")).to_have_count(0)
    expect(
        page.get_by_role("link", name="Ajouter un Gestionnaire d'Accès – Finances")
    ).to_have_count(0)

    page.locator("#domain-FIN").get_by_role("link", name="Finances", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="Gestionnaires d'Accès du domaine «Finances»")
    ).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("finances@horizon.example")
    expect(main.get_by_role("link", name="Supprimer")).to_have_count(0)
    expect(main.get_by_role("link", name="Ajouter")).to_have_count(0)
    expect(main.get_by_role("link", name="Modifier")).to_have_count(0)
    a11y(page)

    page.get_by_role("link", name="Qui gère nos accès ?").first.click()
    a11y(page)
    page.get_by_role("link", name="Groupe Horizon").click()
    expect(page.get_by_role("heading", level=1, name="Qui gère nos accès ?")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Nathalie Leroy")
    expect(page.get_by_role("main")).to_contain_text("finances@horizon.example")
    a11y(page)
