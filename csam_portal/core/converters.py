"""The shapes of the portal's URL parameters: anything else is a 404 before a view or a query runs.

Registered once, in CsamPortalConfig.ready(), under the names the URLconfs use
(`<enterprise_number:number>`, `<ticket:ticket>`, `<signed:token>`). The character classes are
ASCII on purpose: Python's `\\d` also matches "٠١٢" and "０１２".
"""

from django.urls import register_converter

# An exceptional request's ticket: the year's two digits, then 11 characters without the
# look-alikes (0/O, 1/I/L). access_managers draws its tickets from this alphabet.
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class _ShapeConverter:
    """A string of one fixed shape, given to the view as it is."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class EnterpriseNumberConverter(_ShapeConverter):
    """An enterprise number as the register keeps it: exactly ten ASCII digits."""

    regex = "[0-9]{10}"


class TicketConverter(_ShapeConverter):
    """An exceptional request's ticket, such as 26A6HMZPQRCZ7."""

    regex = f"[0-9]{{2}}[{TICKET_ALPHABET}]{{11}}"


class SignedTokenConverter(_ShapeConverter):
    """A value signed by django.core.signing's Signer: URL-safe base64, a colon, and the 43
    characters of its HMAC-SHA256 signature. Whether it is ours is for the view to check."""

    regex = "[A-Za-z0-9_-]{8,200}:[A-Za-z0-9_-]{43}"


CONVERTERS = {
    "enterprise_number": EnterpriseNumberConverter,
    "ticket": TicketConverter,
    "signed": SignedTokenConverter,
}


def register() -> None:
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
