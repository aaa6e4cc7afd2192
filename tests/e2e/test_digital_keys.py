"""The demo path of the digital keys, from the home page along the seeds' labels."""

import re

from django.core import mail
from playwright.sync_api import expect

from csam_portal.models import OutboundEmail


def _code_sent() -> str:
    """The code of the last e-mail sent (the outbox erases it once sent: read the mailbox)."""
    assert OutboundEmail.objects.latest("pk").status == OutboundEmail.Status.SENT
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_marie_logs_in_with_eid_activates_the_email_key_and_logs_in_with_it(page, a11y, demo):
    page.goto("/")
    a11y(page)
    card = page.get_by_role("article", name="MES CLÉS NUMÉRIQUES")
    card.get_by_role("link", name="En savoir plus").click()

    expect(
        page.get_by_role("heading", level=1, name="S'identifier à l'administration en ligne")
    ).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill("80031510282")
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1, name="Mes clés numériques")).to_be_visible()
    expect(page.get_by_text("Bienvenue, Marie Dubois")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Activer Code de sécurité par e-mail").click()
    a11y(page)
    # the demo account has a username and a password: the e-mail key keeps them
    expect(
        page.get_by_text("Votre nom d'utilisateur et votre mot de passe sont communs")
    ).to_be_visible()
    expect(page.get_by_label("Mot de passe (confirmation)")).to_have_count(0)
    page.get_by_label("Adresse e-mail").fill("marie.dubois@example.be")
    page.get_by_role("button", name="Envoyer le code de vérification").click()

    expect(
        page.get_by_role("heading", level=1, name="Vérifier votre adresse e-mail")
    ).to_be_visible()
    a11y(page)
    page.get_by_label("Code de sécurité").fill(_code_sent())
    page.get_by_role("button", name="Activer la clé").click()
    expect(
        page.get_by_text("La clé numérique « Code de sécurité par e-mail » est activée.")
    ).to_be_visible()
    a11y(page)

    page.get_by_role("button", name="Se déconnecter").click()
    a11y(page)
    page.get_by_role("link", name="S'identifier").click()
    a11y(page)
    page.get_by_role(
        "link", name="IDENTIFICATION avec un code de sécurité envoyé par e-mail"
    ).click()
    a11y(page)
    page.get_by_label("Nom d'utilisateur").fill("marie")
    page.get_by_label("Mot de passe").fill("Demo-Passw0rd!")
    page.get_by_role("button", name="Suivant").click()
    a11y(page)
    page.get_by_label("Code de sécurité").fill(_code_sent())
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text("Bienvenue, Marie Dubois")).to_be_visible()
    a11y(page)


def test_ahmed_who_has_no_card_cannot_use_the_eid_key(page, a11y, demo):
    page.goto("/")
    a11y(page)
    page.get_by_role("link", name="S'identifier").click()
    a11y(page)
    page.get_by_role("link", name="IDENTIFICATION avec un lecteur de cartes eID").click()
    a11y(page)
    page.get_by_label("Numéro de registre national").fill("68450910708")
    page.get_by_label("Code PIN").fill("1234")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text("Numéro de registre national ou code PIN incorrect.")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    a11y(page)
