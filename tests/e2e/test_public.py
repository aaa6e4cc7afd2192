import re

from playwright.sync_api import expect

from csam_portal.models import ContactMessage, OutboundEmail
from tests.e2e.conftest import tab_to


def test_home_then_what_is_csam_then_dutch_and_back_with_the_keyboard_only(page, a11y):
    page.goto("/")
    a11y(page)
    expect(
        page.get_by_role("heading", level=1, name="CSAM, la porte d'accès aux services de l'État")
    ).to_be_visible()

    tab_to(page, page.get_by_role("link", name="QU'EST-CE QUE CSAM ?"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Qu'est-ce que CSAM ?")).to_be_visible()
    a11y(page)

    tab_to(page, page.get_by_role("button", name="NL Nederlands"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Wat is CSAM?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert page.url.endswith("/about/")
    a11y(page)

    tab_to(page, page.get_by_role("button", name="FR Français"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Qu'est-ce que CSAM ?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    a11y(page)


def test_access_management_page_leads_to_both_procedures(page, a11y):
    page.goto("/")
    a11y(page)
    gga_card = page.get_by_role("article", name="GESTION DES GESTIONNAIRES D'ACCÈS")
    gga_card.get_by_role("link", name="En savoir plus").click()
    heading = page.get_by_role("heading", level=1, name="Gestion des Gestionnaires d'Accès")
    expect(heading).to_be_visible()
    a11y(page)

    page.get_by_role(
        "link", name=re.compile(r"^Désigner un Gestionnaire d'Accès Principal")
    ).click()
    expect(  # the standard procedure starts by logging in with a digital key
        page.get_by_role("heading", level=1, name="S'identifier à l'administration en ligne")
    ).to_be_visible()
    a11y(page)
    page.go_back()
    a11y(page)

    page.get_by_role(
        "link", name="Suivez alors cette procédure pour désigner un Gestionnaire d'Accès Principal"
    ).click()
    expect(  # the exceptional procedure needs no login
        page.get_by_label("Numéro de registre national (11 chiffres)")
    ).to_be_visible()
    a11y(page)


def test_no_banner_asks_for_cookies_the_footer_leads_to_the_cookie_page(page, a11y):
    page.goto("/")
    a11y(page)
    expect(page.get_by_role("button", name="J'accepte")).to_have_count(0)
    expect(page.get_by_text("améliorer votre expérience")).to_have_count(0)

    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", level=1, name="Cookies")).to_be_visible()
    expect(page.get_by_text("la loi ne requiert pas votre consentement")).to_be_visible()
    a11y(page)


def test_a_question_with_a_mistake_is_corrected_then_sent(page, a11y):
    page.goto("/contact/")
    a11y(page)
    page.get_by_label("Nom et prénom").fill("Marie Dubois")
    page.get_by_label("Adresse e-mail").fill("marie.dubois@example.be")
    page.get_by_label("Numéro d'entreprise (facultatif)").fill("0410.472.921")
    page.get_by_label("Objet").fill("Désignation du GAP")
    page.get_by_label("Votre question").fill("Comment désigner mon comptable ?")
    page.get_by_role("button", name="Envoyer ma question").click()

    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_label("Numéro d'entreprise (facultatif)")).to_have_accessible_description(
        re.compile(r"Vérifiez le numéro\s: 10 chiffres, par exemple 0123\.456\.789\.")
    )
    a11y(page)
    assert ContactMessage.objects.count() == 0

    page.get_by_label("Numéro d'entreprise (facultatif)").fill("0410.472.920")
    page.get_by_role("button", name="Envoyer ma question").click()

    expect(page.get_by_role("heading", level=1, name="Question envoyée")).to_be_visible()
    a11y(page)
    contact = ContactMessage.objects.get()
    expect(page.get_by_text(contact.reference)).to_be_visible()
    assert OutboundEmail.objects.get().recipient == "marie.dubois@example.be"
