"""The itsme and mobile-application pages: a labelled code, a QR code that shows, valid HTML."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.factories import SimulatedCardFactory

pytestmark = pytest.mark.django_db


def test_the_itsme_code_is_labelled_by_a_term_not_an_aria_label_on_a_paragraph(client):
    person = SimulatedCardFactory().person
    client.post(reverse("users:login_itsme"), {"niss": person.niss})

    html = client.get(reverse("users:login_itsme_confirm")).content.decode()

    challenge = client.session["login_pending"]["challenge"]
    assert re.search(rf"<dt>Code de vérification</dt>\s*<dd[^>]*>{re.escape(challenge)}</dd>", html)
    assert not re.search(r"<p[^>]*aria-label", html)


def test_the_mobile_key_qr_code_is_an_svg_image_a_browser_can_show(client):
    person = SimulatedCardFactory().person
    client.post(reverse("users:login_eid"), {"niss": person.niss, "pin": "1234"})

    html = client.get(reverse("users:totp_key")).content.decode()

    src = unescape(re.search(r'<img[^>]* src="(data:image/svg\+xml[^"]+)"', html).group(1))
    svg = unquote(src.split(",", 1)[1])
    assert svg.startswith("<svg")
    assert re.match(r"<svg xmlns=.http://www.w3.org/2000/svg.", svg)  # else an <img> shows nothing
    assert "<path" in svg
