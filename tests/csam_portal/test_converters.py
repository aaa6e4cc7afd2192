"""URL parameters have the shape of what they name; anything else resolves to no view (404)."""

import pytest
from django.urls import Resolver404, resolve, reverse

from access_managers.services import exceptional_requests


@pytest.mark.parametrize(
    "number",
    [
        "٠٢٠٠٠٠٠٠٤٣",  # Arabic-Indic digits, which Python's \d accepts
        "０２００００００４３",  # full-width digits
        "020000004",
        "02000000433",
        "0200.000.043",
        "..%2F..%2Fetc",
    ],
)
def test_an_enterprise_number_other_than_ten_ascii_digits_reaches_no_view(number):
    for path in ["/access-managers/{}/", "/access-managers/{}/co-gaps/add/"]:
        with pytest.raises(Resolver404):
            resolve(path.format(number))


@pytest.mark.parametrize(
    "ticket",
    [
        "26ABCDEFGHJKO",  # O, I, L, 0 and 1 are not in the alphabet: they look alike
        "26ABCDEFGHJK1",
        "26abcdefghjkm",
        "٢٦ABCDEFGHJKM",
        "26ABCDEFGHJKMN",
    ],
)
def test_a_ticket_outside_the_ticket_alphabet_reaches_no_view(ticket):
    with pytest.raises(Resolver404):
        resolve(f"/gap/exceptional/{ticket}/document.pdf")


def test_only_the_two_security_code_keys_can_be_deactivated():
    assert resolve("/digital-keys/totp/deactivate/").kwargs == {"key": "totp"}
    assert resolve("/digital-keys/email_code/deactivate/").kwargs == {"key": "email_code"}
    with pytest.raises(Resolver404):
        resolve("/digital-keys/eid/deactivate/")


def test_urls_built_from_a_number_a_term_and_a_ticket_resolve_to_the_same_values():
    ticket = exceptional_requests.ticket_new()

    remove = reverse("access_managers:co_gap_remove", args=["0200000043", 7])
    document = reverse("access_managers:exceptional_document", args=[ticket])

    assert resolve(remove).kwargs == {"number": "0200000043", "term_id": 7}
    assert resolve(document).kwargs == {"ticket": ticket}
