"""The request body cap on the real web server: the client gets the 413 page, not a reset."""

import urllib.error
import urllib.request
from html import unescape

import pytest
from django.conf import settings

from csam_portal.models import ContactMessage
from tests import processes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_gunicorn_answers_413_to_a_body_over_the_cap_and_nothing_is_recorded():
    body = b"message=" + b"a" * (settings.MAX_REQUEST_BODY_MB * 1024 * 1024)
    env = processes.portal_env(redis_url="")

    with processes.web_server(env) as base_url:
        request = urllib.request.Request(
            base_url + "/contact/",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)

    assert refused.value.code == 413
    assert "Envoi trop volumineux" in unescape(refused.value.read().decode())
    assert not ContactMessage.objects.exists()
