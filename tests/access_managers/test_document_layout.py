"""The exceptional request's document is one A4 page in every language, with the longest names."""

import io

import pytest
import time_machine
from pypdf import PdfReader

from access_managers import documents
from access_managers.services import exceptional_requests
from csam_portal.core.audit import Actor
from tests.factories import EnterpriseFactory, LegalFunctionFactory, PersonFactory

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points
LANGUAGES = ["fr", "nl", "de", "en"]


@pytest.fixture
def longest():
    """A request longer than any of the demo's: a 75-character name, a long address, two
    double-barrelled persons with long e-mail addresses (the GAP is not the requester)."""
    enterprise = EnterpriseFactory(
        name="Intercommunale de Gestion et d'Assainissement des Déchets du Brabant wallon"
    )
    enterprise.addresses.update(
        street_fr="Avenue des Anciens Combattants et Victimes de Guerre",
        street_nl="Laan van de Oud-Strijders en Oorlogsslachtoffers",
        house_number="1250",
        box="B012",
        zipcode="1200",
        municipality_fr="Woluwe-Saint-Lambert",
        municipality_nl="Sint-Lambrechts-Woluwe",
    )
    requester = PersonFactory(
        first_name="Marie-Christine", last_name="Van den Bossche-Vandenbroucke"
    )
    gap = PersonFactory(first_name="Jean-Baptiste", last_name="de Villers de Waroux-Lemaire")
    LegalFunctionFactory(enterprise=enterprise, person=requester)
    return enterprise, requester, gap


def _request(longest, language):
    enterprise, requester, gap = longest
    return exceptional_requests.exceptional_request_create(
        enterprise_number=enterprise.number,
        requester=requester,
        person=gap,
        email="jean-baptiste.devillersdewaroux-lemaire@intercommunale-brabant.be",
        phone="+32470123456",
        requester_email="marie-christine.vandenbossche@intercommunale-brabant.be",
        requester_phone="+3225123456",
        seen_gap=None,
        language=language,
        actor=Actor.system("tests"),
    )


def _pages(exceptional):
    return PdfReader(io.BytesIO(documents.exceptional_request_pdf(exceptional))).pages


@pytest.mark.parametrize("mode", ["email", "postal"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_document_is_one_a4_page_in_every_language(settings, longest, language, mode):
    settings.EXCEPTIONAL_RETURN_MODE = mode  # the postal address makes the longer document

    pages = _pages(_request(longest, language))

    assert len(pages) == 1
    assert (round(pages[0].mediabox.width), round(pages[0].mediabox.height)) == A4
    content = pages[0].extract_text()
    assert "Woluwe" in content
    assert content.rstrip().endswith("1 / 1")  # the last paragraph is above the page number


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_document_text_is_at_least_9_points(longest, language):
    exceptional = _request(longest, language)
    sizes = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[text.strip()] = size * abs(tm[0]) * abs(cm[0])

    for page in _pages(exceptional):
        page.extract_text(visitor_text=visit)

    # the page footer (ticket and page number) sits in the margin, in 8 points
    body = {text: size for text, size in sizes.items() if not text.startswith(exceptional.ticket)}
    assert len(body) > 30  # every line was measured
    assert min(body.values()) >= 9


@time_machine.travel("2026-11-27 10:00 +01:00", tick=False)
def test_the_german_document_writes_the_date_27_11_2026(longest):
    content = _pages(_request(longest, "de"))[0].extract_text()

    assert "27.11.2026" in content
    assert "27/11/2026" not in content


@time_machine.travel("2026-11-27 10:00 +01:00", tick=False)
def test_the_french_document_writes_the_date_27_11_2026_with_slashes(longest):
    content = _pages(_request(longest, "fr"))[0].extract_text()

    assert "27/11/2026" in content
