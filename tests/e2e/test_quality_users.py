"""Seed 004 in the browser (flows.md §4): Sarah Verhaegen, GAP of PharmaBel, opens «Employeur
ONSS», «Utilisateurs», and adds Olivier Simon by NISS with a username, a password and TR-FPP —
with the keyboard alone; Olivier logs in with them and finds TR-FPP under «Mes applications».
At Groupe Horizon, Pieter De Smet (GL) filters the users, blocks one, exports the CSV and deletes
one, and corrects the qualité's contact data."""

import csv
import io

from playwright.sync_api import expect

from access_managers.models import QualityMembership
from csam_portal.core.outbox import OutboundEmail
from tests.e2e.conftest import tab_to
from users.models import User

SARAH, OLIVIER, PIETER = "86052712830", "89071413901", "83082012111"
PHARMABEL = "0473310312"
PASSWORD = "Tr3s-Secret-Olivier!"


def _log_in_with_eid(page, a11y, niss):
    page.goto("/social-security/")
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill(niss)
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    a11y(page)
    if page.locator("html").get_attribute("lang") != "fr":  # Sarah's account speaks Dutch
        page.get_by_role("button", name="FR Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        a11y(page)


def _keyboard_fill(page, locator, value):
    tab_to(page, locator)
    page.keyboard.type(value)


def test_sarah_adds_olivier_who_finds_tr_fpp(page, a11y, demo):
    # Seed 004's Olivier has no account yet (the demo gives every identity one).
    User.objects.filter(person_id=OLIVIER).delete()
    _log_in_with_eid(page, a11y, SARAH)
    page.get_by_role("link", name="PharmaBel").click()
    a11y(page)
    page.get_by_role("link", name="Employeur ONSS").first.click()
    expect(page.get_by_role("heading", name="Utilisateurs", level=1)).to_be_visible()
    a11y(page)
    functions = page.get_by_role("navigation", name="Fonctionnalités")
    functions.get_by_role("link", name="Utilisateurs", exact=True).click()
    a11y(page)

    # «Ajouter un utilisateur», «NISS:», «Suivant» — the keyboard alone from here.
    action = page.get_by_label("Action", exact=True)
    tab_to(page, action)
    expect(action).to_have_value("user_add")
    _keyboard_fill(page, page.get_by_label("NISS\u202f:"), OLIVIER)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Création d'un Utilisateur")).to_be_visible()
    a11y(page)
    _keyboard_fill(page, page.get_by_label("Nom d'utilisateur (première fois)"), "olivier.simon")
    _keyboard_fill(page, page.get_by_label("Nom d'utilisateur (confirmation)"), "olivier.simon")
    _keyboard_fill(page, page.get_by_label("Mot de passe (première fois)"), PASSWORD)
    _keyboard_fill(page, page.get_by_label("Mot de passe (confirmation)"), PASSWORD)
    _keyboard_fill(
        page, page.get_by_label("Adresse e-mail utilisateur"), "olivier@pharmabel.example"
    )
    tab_to(page, page.get_by_label("TR-FPP"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Enregistrer"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Date modification")).to_be_visible()
    a11y(page)
    tab_to(page, page.get_by_role("button", name="Confirmer"))
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Les données de l'utilisateur ont bien été enregistrées")
    ).to_be_visible()
    a11y(page)
    membership = QualityMembership.objects.get(person_id=OLIVIER, quality__enterprise=PHARMABEL)
    assert list(membership.granted_applications.values_list("application__code", flat=True)) == [
        "TR_FPP"
    ]

    page.context.clear_cookies()
    page.goto("/login/password/")
    a11y(page)
    page.get_by_label("Nom d'utilisateur").fill("olivier.simon")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mes applications").first).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Mes applications").first.click()
    expect(page.get_by_text("TR-FPP")).to_be_visible()
    expect(page.get_by_text("PharmaBel").first).to_be_visible()
    a11y(page)


def test_pieter_filters_blocks_exports_and_deletes(page, a11y, demo):
    _log_in_with_eid(page, a11y, PIETER)
    page.get_by_role("link", name="Employeur ONSS").click()
    expect(page.get_by_text("vous accédez en tant que Gestionnaire Local")).to_be_visible()
    a11y(page)
    page.get_by_role("navigation", name="Fonctionnalités").get_by_role(
        "link", name="Utilisateurs", exact=True
    ).click()
    expect(page.get_by_text("32 utilisateurs trouvés.")).to_be_visible()
    a11y(page)

    page.get_by_label("Nom", exact=True).fill("Peeters")
    page.get_by_label("Statut").select_option(label="actif")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("1 utilisateur trouvé.")).to_be_visible()
    a11y(page)

    page.get_by_label("Sélectionner Lucas Peeters").check()
    page.get_by_label("Utilisateurs cochés").select_option(label="Bloquer utilisateur(s)")
    page.get_by_role("button", name="Exécuter").click()
    expect(
        page.get_by_text("Etes-vous certain de vouloir bloquer le(s) utilisateur(s) suivant(s)?")
    ).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Le blocage du ou des utilisateur(s) a réussi")).to_be_visible()
    a11y(page)
    lucas = QualityMembership.objects.get(person_id="60010120166", ended_at=None)
    assert lucas.status == "blocked"

    page.get_by_label("Statut").select_option(label="bloqué")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("4 utilisateurs trouvés.")).to_be_visible()
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter les utilisateurs (.csv)").click()
    content = download.value.path().read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Nom", "Prénom"]
    assert len(rows) == 1 + 4
    assert {row[5] for row in rows[1:]} == {"bloqué"}

    page.get_by_label("Sélectionner Lucas Peeters").check()
    page.get_by_label("Utilisateurs cochés").select_option(label="Supprimer utilisateur(s)")
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_role("heading", name="Suppression de l'utilisateur")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("La suppression du ou des utilisateur(s) a réussi")).to_be_visible()
    a11y(page)
    lucas.refresh_from_db()
    assert lucas.ended_at is not None


def test_pieter_corrects_the_qualites_contact_data(page, a11y, demo):
    """«Consulter ou modifier le détail de la qualité»: a wrong telephone number is refused with
    its message and nothing saved; corrected, the data are saved and confirmed by e-mail."""
    _log_in_with_eid(page, a11y, PIETER)
    page.get_by_role("link", name="Employeur ONSS").click()
    expect(page.get_by_text("vous accédez en tant que Gestionnaire Local")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Consulter ou modifier le détail de la qualité").click()
    expect(page.get_by_role("heading", name="Données de contact de la qualité")).to_be_visible()
    a11y(page)

    page.get_by_label("Adresse e-mail de contact").fill("onss@horizon.be")
    page.get_by_label("Téléphone de contact").fill("12")
    page.get_by_label("Langue de contact").select_option(label="Nederlands")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce numéro de téléphone n'est pas valable.").first).to_be_visible()
    a11y(page)
    quality = QualityMembership.objects.filter(person_id=PIETER, ended_at=None).first().quality
    assert quality.contact_email == ""

    page.get_by_label("Téléphone de contact").fill("02 512 34 56")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Les données de la qualité ont bien été enregistrées.")).to_be_visible()
    expect(page.get_by_label("Téléphone de contact")).to_have_value("+32 2 512 34 56")
    a11y(page)
    quality.refresh_from_db()
    assert (quality.contact_email, quality.contact_language) == ("onss@horizon.be", "nl")
    assert OutboundEmail.objects.filter(
        template="access_managers/quality_contact_set", recipient="onss@horizon.be"
    ).exists()
