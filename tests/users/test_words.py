"""The itsme confirmation page shows its code with a visible label, valid HTML for every checker."""

import re

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
