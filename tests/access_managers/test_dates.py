"""Dates in German are 27.11.2026 on the pages, in the e-mails and the messages; 27/11/2026 in
French, Dutch and English (csam_portal/formats)."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from access_managers.models import AccessManager, ExceptionalRequest
from access_managers.services import designation, exceptional_requests
from csam_portal.core.audit import Actor
from csam_portal.models import OutboundEmail
from tests.factories import EnterpriseFactory, LegalFunctionFactory, PersonFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 27, 10, 5, tzinfo=datetime.UTC)


def _enterprise_pages(client, world, language):
    """The enterprise's page (its GAP since a date) and its GAP history (dates and times)."""
    AccessManager.objects.filter(enterprise=world.enterprise).update(started_at=MOMENT)
    world.log_in(client, "gap")
    client.post(reverse("language_set"), {"language": language, "next": "/"})
    pages = [
        reverse("access_managers:enterprise", args=[world.enterprise.number]),
        reverse("access_managers:gap_history", args=[world.enterprise.number]),
    ]
    return [unescape(client.get(url).content.decode()) for url in pages]


def test_the_german_enterprise_page_writes_27_11_2026(client, world):
    page, history = _enterprise_pages(client, world, "de")

    assert "27.11.2026" in page
    assert "27.11.2026 11:05" in history  # in Brussels time
    assert "27/11/2026" not in page + history


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_enterprise_page_writes_27_11_2026_with_slashes_in_other_languages(
    client, world, language
):
    page, history = _enterprise_pages(client, world, language)

    assert "27/11/2026" in page
    assert "27/11/2026 11:05" in history


def test_the_german_email_of_an_enterprise_leaving_the_register_writes_27_11_2026(world):
    world.person("gap").account.language = "de"
    world.person("gap").account.save(update_fields=["language"])
    world.enterprise.removed_from_register_on = datetime.date(2026, 11, 27)

    designation.gap_tell_enterprise_removed(enterprise=world.enterprise)

    email = OutboundEmail.objects.get(template="access_managers/enterprise_removed")
    assert email.language == "de"
    assert "27.11.2026" in email.body_text
    assert "27.11.2026" in email.body_html


def test_the_german_refusal_of_a_second_request_writes_27_11_2026():
    pending = ExceptionalRequest(created_at=MOMENT)

    with translation.override("de"):
        message = exceptional_requests.pending_request_error(pending).messages[0]

    assert "seit dem 27.11.2026 ein" in message


def test_german_date_and_time_are_digits_as_in_the_lockout_email_and_the_admin():
    with translation.override("de"):
        written = formats.date_format(timezone.localtime(MOMENT), "DATETIME_FORMAT")

    assert written == "27.11.2026 11:05"


def test_the_german_status_page_of_an_exceptional_request_writes_27_11_2026(client):
    enterprise = EnterpriseFactory()
    requester = PersonFactory(has_eid=False)
    LegalFunctionFactory(enterprise=enterprise, person=requester)
    exceptional = exceptional_requests.exceptional_request_create(
        enterprise_number=enterprise.number,
        requester=requester,
        person=requester,
        email="a@b.be",
        phone="+3225123456",
        seen_gap=None,
        language="de",
        actor=Actor.system("tests"),
    )
    ExceptionalRequest.objects.filter(pk=exceptional.pk).update(created_at=MOMENT)
    client.post(reverse("language_set"), {"language": "de", "next": "/"})

    response = client.post(
        reverse("access_managers:exceptional_status"),
        {"ticket": exceptional.ticket, "number": enterprise.number},
    )

    html = text(response)
    assert "27.11.2026" in html
    assert "27/11/2026" not in html
