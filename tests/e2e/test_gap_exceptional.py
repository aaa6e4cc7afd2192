"""The demo path of the exceptional procedure (flows.md §2), from the home page along the seeds'
labels, without logging in: Ahmed designates himself for Atlas Trading, Elena designates Luca
for Rossi Design; each gets a ticket and downloads the document. The receipt's link opens the
document in another browser, and the status page sends it again."""

import re
from contextlib import suppress

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from access_managers.models import ExceptionalRequest
from csam_portal.models import OutboundEmail


def _identity(page, a11y, *, niss, first_name, last_name, number):
    page.goto("/")
    a11y(page)
    card = page.get_by_role("article", name="GESTION DES GESTIONNAIRES D'ACCÈS")
    card.get_by_role("link", name="En savoir plus").click()
    a11y(page)
    page.get_by_role(
        "link", name="Suivez alors cette procédure pour désigner un Gestionnaire d'Accès Principal"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="Désigner un Gestionnaire d'Accès Principal")
    ).to_be_visible()
    a11y(page)
    page.get_by_label("Numéro de registre national (11 chiffres)").fill(niss)
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Nom*", exact=True).fill(last_name)
    page.get_by_label("Numéro d'entreprise (10 chiffres)").fill(number)
    page.get_by_role("button", name="Enregistrer mon entreprise dans CSAM").click()
    expect(
        page.get_by_role("heading", level=1, name="Enregistrement de l'entreprise dans CSAM")
    ).to_be_visible()
    a11y(page)


def _confirm_and_download(page, a11y) -> str:
    page.get_by_role("button", name="Suivant").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="Enregistrement de l'entreprise dans CSAM - Confirmation"
        )
    ).to_be_visible()
    a11y(page)
    page.get_by_label("Oui, je confirme").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1, name="Finalisation de la demande")).to_be_visible()
    expect(page.get_by_text("Bienvenue")).to_have_count(0)
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le document").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    return download.value.suggested_filename


def test_ahmed_designates_himself_without_an_eid(page, a11y, demo):
    _identity(
        page,
        a11y,
        niss="68450910708",
        first_name="Ahmed",
        last_name="El Amrani",
        number="0431418782",
    )
    page.get_by_label("Ahmed El Amrani").check()
    contact = page.get_by_role("region", name="Vos données de contact")
    contact.get_by_label("E-mail").fill("direction@atlas-trading.be")
    contact.get_by_label("Téléphone").fill("02 512 34 56")

    filename = _confirm_and_download(page, a11y)

    request = ExceptionalRequest.objects.get(enterprise="0431418782")
    assert filename == f"CSAM-{request.ticket}.pdf"
    expect(page.get_by_text(request.ticket, exact=True)).to_be_visible()
    assert (request.requester_id, request.gap_id, request.status) == (
        "68450910708",
        "68450910708",
        "open",
    )


def test_elena_designates_luca(page, a11y, demo):
    _identity(
        page, a11y, niss="85413011092", first_name="elena", last_name="ROSSI", number="0441.891.616"
    )
    page.get_by_label("Autre personne").check()
    other = page.get_by_role("group", name="Autre personne")
    other.get_by_label("Numéro de registre national (11 chiffres)").fill("92091211169")
    other.get_by_label("E-mail").fill("acces@rossi-design.be")
    other.get_by_label("Téléphone").fill("0470 12 34 56")
    contact = page.get_by_role("region", name="Vos données de contact")
    contact.get_by_label("E-mail").fill("elena@rossi-design.be")
    contact.get_by_label("Téléphone").fill("0470 65 43 21")
    a11y(page)

    _confirm_and_download(page, a11y)

    request = ExceptionalRequest.objects.get(enterprise="0441891616")
    assert (request.requester_id, request.gap_id) == ("85413011092", "92091211169")


def _link_in(email: OutboundEmail) -> str:
    """The path of the document's link in an e-mail (its host is PORTAL_URL's, not the test's)."""
    (path,) = re.findall(r"https?://[^/\s]+(/gap/exceptional/document/\S+/)", email.body_text)
    return path


def _download_in_a_new_browser(browser, live_server, path: str) -> bytes:
    """Open `path` as a click in the e-mail would: a browser without the request's session."""
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    try:
        fresh = context.new_page()
        # A navigation that ends in a download "fails": the download is what counts.
        with fresh.expect_download() as download, suppress(PlaywrightError):
            fresh.goto(path)
        with open(download.value.path(), "rb") as pdf:
            return pdf.read()
    finally:
        context.close()


def test_the_receipt_and_the_status_page_give_the_document_to_another_browser(
    page, a11y, demo, browser, live_server
):
    _identity(
        page,
        a11y,
        niss="68450910708",
        first_name="Ahmed",
        last_name="El Amrani",
        number="0431418782",
    )
    page.get_by_label("Ahmed El Amrani").check()
    contact = page.get_by_role("region", name="Vos données de contact")
    contact.get_by_label("E-mail").fill("direction@atlas-trading.be")
    contact.get_by_label("Téléphone").fill("02 512 34 56")
    _confirm_and_download(page, a11y)
    expect(
        page.get_by_text(
            "Un accusé de réception vous a été envoyé à l'adresse direction@atlas-trading.be"
        )
    ).to_be_visible()
    request = ExceptionalRequest.objects.get(enterprise="0431418782")

    receipts = OutboundEmail.objects.filter(template="access_managers/exceptional_receipt")
    receipt = receipts.get()
    assert receipt.recipient == "direction@atlas-trading.be"
    assert request.ticket in receipt.subject
    assert _download_in_a_new_browser(browser, live_server, _link_in(receipt)).startswith(b"%PDF-")

    page.goto("/gap/exceptional/status/")
    a11y(page)
    page.get_by_label("Numéro de ticket").fill(request.ticket)
    page.get_by_label("Numéro d'entreprise").fill("0431.418.782")
    page.get_by_role("button", name="Consulter").click()
    expect(page.get_by_text("en attente du document signé")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Recevoir à nouveau le document").click()
    expect(
        page.get_by_text(
            "Le document a été envoyé à nouveau à l'adresse e-mail d•••@atlas-trading.be"
        )
    ).to_be_visible()
    expect(page.get_by_text("direction@atlas-trading.be")).to_have_count(0)
    a11y(page)

    again = receipts.exclude(pk=receipt.pk).get()
    assert again.recipient == receipt.recipient
    assert _download_in_a_new_browser(browser, live_server, _link_in(again)).startswith(b"%PDF-")


def test_a_damaged_link_says_what_to_do(page, a11y, demo):
    page.goto("/gap/exceptional/document/eyJ0aWNrZXQiOiIyNkFCQ0RFRkdISktNIn0:" + "A" * 43 + "/")

    expect(page.get_by_role("heading", level=1, name="Lien non valable")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Consulter l'état d'une demande déjà introduite").click()
    expect(
        page.get_by_role("heading", level=1, name="État d'une demande exceptionnelle")
    ).to_be_visible()
    a11y(page)
