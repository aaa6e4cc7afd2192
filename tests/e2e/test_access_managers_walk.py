"""Issue 13's walk through the access managers' pages, done once with the mouse and once with the
keyboard alone (flows.md §3, access.md).

Nathalie Leroy, GAP of Groupe Horizon, logs in with the eID simulator, adds Emma Wouters as GA of
«Mobilité» with the GGA page's small plus and gives her an address on the domain's page; then, in
the social security's «Gestion des Accès», she makes Thomas Lambert the GL of «Employeur ONSS»,
adds Sofie Janssens as co-GL, deletes the co-GL Julie Lemaire, and logs out. Marc Dupont, GA of
«Finances», sees only his domain, read-only, and «Qui gère nos accès ?» with the walk's changes.
Last, the GL (Thomas, whom Nathalie just named: Pieter De Smet, the demo's GL, is no longer GL
once she has changed it) reaches his qualité but not the GAP's pages.

The keyboard walk reaches every link, button and field with Tab (`tab_to`), then presses Enter
(links), Space (buttons, checkboxes), the arrow keys (selects) or types: no click, no fill. The
mouse walk runs on a 320 px phone, the keyboard walk in a 1280 px window: each width once."""

import re

import pytest
from playwright.sync_api import expect

from access_managers.models import AccessManager
from tests.e2e.conftest import tab_to

HORIZON, NATHALIE, EMMA, MARC = "0462837478", "79021412066", "95121213829", "72030312557"
THOMAS, SOFIE = "88060611741", "90112310607"
GGA = "Gestion des Gestionnaires d'Accès"
MOBILITY = "Gestionnaires d'Accès du domaine «Mobilité»"


class Mouse:
    """A person who clicks, and fills fields and selects as a mouse user does."""

    def __init__(self, page):
        self.page = page

    def follow(self, link):
        link.click()

    def press(self, button):
        button.click()

    def type(self, field, text):
        field.fill(text)

    def choose(self, select, label):
        select.select_option(label=label)

    def tick(self, checkbox):
        checkbox.check()


class Keyboard:
    """A person with a keyboard alone: Tab to each control, then Enter, Space, arrows or keys."""

    def __init__(self, page):
        self.page = page

    def _focus(self, locator):
        expect(locator).to_be_visible()
        if not locator.evaluate("element => element === document.activeElement"):
            tab_to(self.page, locator)
        expect(locator).to_be_focused()

    def follow(self, link):
        self._focus(link)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def press(self, button):
        """A button that sends its form: the next page."""
        self._focus(button)
        with self.page.expect_navigation():
            self.page.keyboard.press("Space")

    def type(self, field, text):
        self._focus(field)  # Tab selects the field's text: the keys replace it
        self.page.keyboard.type(text)
        expect(field).to_have_value(text)

    def choose(self, select, label):
        self._focus(select)
        chosen = "element => element.selectedOptions[0].label"
        for _ in range(select.locator("option").count()):
            if select.evaluate(chosen) == label:
                return
            self.page.keyboard.press("ArrowDown")
        assert select.evaluate(chosen) == label, f"«{label}» cannot be chosen with the arrows"

    def tick(self, checkbox):
        self._focus(checkbox)
        self.page.keyboard.press("Space")
        expect(checkbox).to_be_checked()


def _log_in(page, a11y, person, link, niss):
    """From the public page «Gestion des Gestionnaires d'Accès», the padlocked `link`, then the
    eID simulator with the card's PIN."""
    page.goto("/access-management/")
    a11y(page)
    person.follow(page.get_by_role("link", name=link))
    a11y(page)
    person.follow(page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID"))
    a11y(page)
    person.type(page.get_by_label("Numéro de registre national"), niss)
    person.type(page.get_by_label("Code PIN"), "1234")
    person.press(page.get_by_role("button", name="Se connecter"))


def _log_out(page, a11y, person):
    person.press(page.get_by_role("button", name="Se déconnecter"))
    expect(page.get_by_role("link", name="S'identifier")).to_be_visible()
    a11y(page)


def _status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _nathalie_adds_emma_as_ga_of_mobility(page, a11y, person):
    _log_in(page, a11y, person, "Désigner des Gestionnaires d'Accès", NATHALIE)
    expect(page.get_by_role("heading", level=1, name=GGA)).to_be_visible()
    expect(page.get_by_text("Vous êtes le Gestionnaire d'Accès Principal")).to_be_visible()
    a11y(page)

    person.follow(page.get_by_role("link", name="Ajouter un Gestionnaire d'Accès – Mobilité"))
    expect(
        page.get_by_role("heading", level=1, name="Ajouter un Gestionnaire d'Accès")
    ).to_be_visible()
    a11y(page)
    person.type(page.get_by_label("NISS"), EMMA)
    person.press(page.get_by_role("button", name="Rechercher"))
    expect(
        page.get_by_text("Personne trouvée dans le registre national : Emma Wouters")
    ).to_be_visible()
    a11y(page)
    person.press(page.get_by_role("button", name="Ajouter", exact=True))
    expect(page).to_have_url(f"/access-managers/{HORIZON}/domains/MOB/")
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    _status(page, "Emma Wouters est maintenant Gestionnaire d'Accès du domaine «Mobilité».")
    a11y(page)
    term = AccessManager.objects.get(enterprise=HORIZON, role="GA", person=EMMA, ended_at=None)
    assert term.domain.code == "MOB"
    assert term.designated_by_id == NATHALIE

    person.follow(page.get_by_role("link", name="Ajouter une adresse e-mail pour Emma Wouters"))
    expect(page.get_by_role("heading", level=1, name="Ajouter une adresse e-mail")).to_be_visible()
    a11y(page)
    person.type(page.get_by_label("Adresse e-mail"), "emma.wouters@horizon.example")
    person.press(page.get_by_role("button", name="Ajouter", exact=True))
    expect(page.get_by_role("heading", level=1, name=MOBILITY)).to_be_visible()
    _status(page, "L'adresse e-mail est ajoutée.")
    expect(
        page.get_by_role("link", name="Modifier l'adresse emma.wouters@horizon.example")
    ).to_be_visible()
    a11y(page)
    assert [address.email for address in term.emails.all()] == ["emma.wouters@horizon.example"]

    person.follow(page.get_by_role("link", name="Retour à la Gestion des Gestionnaires d'Accès"))
    mobility = page.locator("#domain-MOB")
    expect(mobility).to_contain_text("Emma Wouters – emma.wouters@horizon.example")
    a11y(page)


def _nathalie_changes_the_local_managers(page, a11y, person):
    """From the GGA page to «GÉRER LES ACCÈS» › «Sécurité Sociale» › «Gestion des Accès», then
    the qualité's «Utilisateurs» page: a new GL, a new co-GL, a co-GL deleted."""
    breadcrumbs = page.get_by_role("navigation", name="Fil d'Ariane")
    person.follow(breadcrumbs.get_by_role("link", name=GGA))
    manage = page.get_by_role("region", name="GÉRER LES ACCÈS")
    expect(manage.get_by_role("heading", name="Sécurité Sociale")).to_be_visible()
    a11y(page)
    person.follow(manage.get_by_role("link", name="Gestion des Accès"))
    expect(
        page.get_by_role(
            "heading", level=1, name="Gestion des accès pour Entreprises et Organisations"
        )
    ).to_be_visible()
    expect(page.get_by_text("Bienvenue Nathalie Leroy, vous vous trouvez")).to_be_visible()
    a11y(page)
    person.follow(page.get_by_role("link", name="Groupe Horizon"))
    expect(page.get_by_role("heading", name="Liste des qualités")).to_be_visible()
    a11y(page)
    person.follow(page.get_by_role("link", name="Employeur ONSS"))
    expect(page.get_by_role("heading", level=1, name="Utilisateurs")).to_be_visible()
    a11y(page)

    _local_manager(
        page,
        a11y,
        person,
        action="Changer de Gestionnaire Local",
        niss=THOMAS,
        email="thomas.lambert@horizon.example",
        title="Création d'un Gestionnaire Local",
        done="Les données du Gestionnaire Local ont bien été enregistrées",
    )
    gl = AccessManager.objects.get(enterprise=HORIZON, role="GL", ended_at=None)
    assert (gl.person_id, gl.email) == (THOMAS, "thomas.lambert@horizon.example")
    assert AccessManager.objects.filter(
        enterprise=HORIZON, role="GL", person="83082012111", ended_at__isnull=False
    ).exists()
    person.choose(page.get_by_label("Type"), "GL")
    person.press(page.get_by_role("button", name="Rechercher"))
    users = page.get_by_role("table", name="Utilisateurs")
    expect(users.get_by_role("row").filter(has_text="Lambert")).to_contain_text("GL")
    a11y(page)

    _local_manager(
        page,
        a11y,
        person,
        action="Ajouter un Co-Gestionnaire Local",
        niss=SOFIE,
        email="sofie.janssens@horizon.example",
        title="Création d'un Co-Gestionnaire Local",
        done="Les données du Co-Gestionnaire Local ont bien été enregistrées",
    )
    assert AccessManager.objects.filter(
        enterprise=HORIZON, role="COGL", person=SOFIE, ended_at=None
    ).exists()

    person.type(page.get_by_label("Nom", exact=True), "Lemaire")
    person.press(page.get_by_role("button", name="Rechercher"))
    expect(page.get_by_text("1 utilisateur trouvé.")).to_be_visible()
    a11y(page)
    person.tick(page.get_by_label("Sélectionner Julie Lemaire"))
    person.choose(page.get_by_label("Utilisateurs cochés"), "Supprimer utilisateur(s)")
    person.press(page.get_by_role("button", name="Exécuter"))
    expect(
        page.get_by_role("heading", level=1, name="Suppression de l'utilisateur")
    ).to_be_visible()
    expect(
        page.get_by_text("Etes-vous certain de vouloir supprimer le(s) utilisateur(s) suivant(s)?")
    ).to_be_visible()
    doomed = page.get_by_role("table", name="Utilisateurs sélectionnés").get_by_role("row")
    expect(doomed).to_have_count(2)  # the header and Julie
    expect(doomed.last).to_contain_text("Lemaire")
    a11y(page)
    person.press(page.get_by_role("button", name="Confirmer"))
    _status(page, "La suppression du ou des utilisateur(s) a réussi")
    a11y(page)
    person.type(page.get_by_label("Nom", exact=True), "Janssens")
    person.press(page.get_by_role("button", name="Rechercher"))
    expect(page.get_by_label("Sélectionner Sofie Janssens")).to_be_visible()
    expect(page.get_by_label("Sélectionner Julie Lemaire")).to_have_count(0)
    a11y(page)
    julie = AccessManager.objects.get(enterprise=HORIZON, role="COGL", person="91101012405")
    assert julie.ended_at is not None

    _log_out(page, a11y, person)


def _local_manager(page, a11y, person, *, action, niss, email, title, done):
    """The «Utilisateurs» page's select with «NISS:» → «Suivant» → the person's details →
    «Enregistrer» → the recap → «Confirmer»."""
    person.choose(page.get_by_label("Action", exact=True), action)
    person.type(page.get_by_label("NISS\u202f:"), niss)
    person.press(page.get_by_role("button", name="Suivant"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_text("Données d'identification")).to_be_visible()
    a11y(page)
    expect(page.locator("label", has_text="Adresse e-mail utilisateur")).to_contain_text("*")
    person.type(page.get_by_label("Adresse e-mail utilisateur"), email)
    person.press(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(email)
    expect(page.get_by_role("main")).to_contain_text(niss)
    expect(page.get_by_role("main")).to_contain_text("Date modification")
    a11y(page)
    person.press(page.get_by_role("button", name="Confirmer"))
    expect(page.get_by_role("heading", level=1, name="Utilisateurs")).to_be_visible()
    _status(page, done)
    a11y(page)


def _marc_sees_his_domain_read_only(page, a11y, person):
    _log_in(page, a11y, person, "Désigner des Gestionnaires d'Accès", MARC)
    expect(page.get_by_role("heading", level=1, name=GGA)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("vous voyez votre domaine, sans pouvoir le modifier")
    expect(page.locator("section[id^='domain-']")).to_have_count(1)
    expect(page.locator("#domain-FIN")).to_contain_text("Marc Dupont – finances@horizon.example")
    for action in ("Ajouter", "Supprimer", "Modifier", "Désigner"):
        expect(main.get_by_role("link", name=action)).to_have_count(0)
    a11y(page)

    person.follow(page.locator("#domain-FIN").get_by_role("link", name="Finances", exact=True))
    expect(
        page.get_by_role("heading", level=1, name="Gestionnaires d'Accès du domaine «Finances»")
    ).to_be_visible()
    expect(main).to_contain_text("vous le voyez sans pouvoir le modifier")
    expect(main).to_contain_text("finances@horizon.example")
    for action in ("Ajouter", "Supprimer", "Modifier"):
        expect(main.get_by_role("link", name=action)).to_have_count(0)
    a11y(page)

    person.follow(page.get_by_role("banner").get_by_role("link", name="Qui gère nos accès ?"))
    a11y(page)
    person.follow(main.get_by_role("link", name="Groupe Horizon"))
    expect(page.get_by_role("heading", level=1, name="Qui gère nos accès ?")).to_be_visible()
    managers = page.get_by_role("table", name="Qui gère nos accès ?")
    rows = {
        "Nathalie Leroy": ("Gestionnaire d'Accès Principal", "acces@horizon.example"),
        "Emma Wouters": ("Mobilité", "emma.wouters@horizon.example"),
        "Marc Dupont": ("Finances", "finances@horizon.example"),
        "Thomas Lambert": ("Employeur ONSS", "thomas.lambert@horizon.example"),
        "Sofie Janssens": ("Employeur ONSS", "sofie.janssens@horizon.example"),
    }
    for name, texts in rows.items():
        row = managers.get_by_role("row").filter(has_text=name)
        for text in texts:
            expect(row).to_contain_text(text)
        expect(row.get_by_role("link", name=texts[-1])).to_have_attribute(
            "href", f"mailto:{texts[-1]}"
        )
    expect(managers.get_by_role("row")).to_have_count(1 + len(rows))
    expect(managers).not_to_contain_text("Julie Lemaire")  # the co-GL deleted
    expect(managers).not_to_contain_text("Pieter De Smet")  # the GL replaced
    a11y(page)

    _log_out(page, a11y, person)


def _the_gl_cannot_reach_the_gap_pages(page, a11y, person):
    _log_in(page, a11y, person, "Gestion des Accès", THOMAS)
    expect(
        page.get_by_role(
            "heading", level=1, name="Gestion des accès pour Entreprises et Organisations"
        )
    ).to_be_visible()
    # French puts a narrow no-break space before the colon.
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"Employeur ONSS; Matricule ONSS\s?: 1234567-89 \(Gestionnaire Local\)")
    )
    a11y(page)

    for url in (f"/access-managers/{HORIZON}/", f"/access-managers/{HORIZON}/domains/MOB/add/"):
        response = page.goto(url)
        assert response.status == 403, url
        expect(page.get_by_role("heading", level=1, name="Accès refusé")).to_be_visible()
        a11y(page)
    assert not AccessManager.objects.filter(
        enterprise=HORIZON, person=THOMAS, role__in=["GAP", "COGAP", "GA"]
    ).exists()


@pytest.mark.parametrize(
    ("page", "how"),
    [
        pytest.param(320, Mouse, id="mouse-320px"),
        pytest.param(1280, Keyboard, id="keyboard-1280px"),
    ],
    indirect=["page"],
)
def test_the_access_managers_walk(page, a11y, demo, how):
    person = how(page)
    _nathalie_adds_emma_as_ga_of_mobility(page, a11y, person)
    _nathalie_changes_the_local_managers(page, a11y, person)
    _marc_sees_his_domain_read_only(page, a11y, person)
    _the_gl_cannot_reach_the_gap_pages(page, a11y, person)
