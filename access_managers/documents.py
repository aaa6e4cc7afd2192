"""The exceptional request's document: a PDF (WeasyPrint) to print, sign by hand and send back.

It is rendered from `access_managers/pdf/exceptional_request.html` in the requester's language,
with the fonts shipped in `access_managers/fonts/` (the same on every machine) and the ticket as
a QR code (segno). Nothing in it depends on when it is rendered, so a download repeated later
gives the same document.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from access_managers.models import ExceptionalRequest
from enterprises import selectors as enterprise_selectors

FONTS = Path(__file__).resolve().parent / "fonts"


class ShippedOnlyFetcher(URLFetcher):
    """The document loads its fonts and its inline QR code, nothing from elsewhere.

    Only `data:` and `file:` URLs are opened, never a redirect, and a file only if its real path
    (after `..` and links are resolved) lies in FONTS: a template or a name in the document can
    make WeasyPrint ask for anything (CVE-2026-55073 was such a request forgery).
    """

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file" and not _is_shipped_font(url):
            raise ValueError(f"the document may not load {url}")
        return super().fetch(url, headers)


def _is_shipped_font(url: str) -> bool:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_file() and path.is_relative_to(FONTS.resolve())


def ticket_qr_code(ticket: str) -> segno.QRCode:
    """The QR code of a ticket: its text, nothing else."""
    return segno.make(ticket, error="m", micro=False)


def return_instructions() -> dict:
    """Where the signed document goes (configuration, seeds 000 and 001)."""
    return {
        "return_mode": settings.EXCEPTIONAL_RETURN_MODE,
        "return_email": settings.EXCEPTIONAL_RETURN_EMAIL,
        "return_postal": settings.EXCEPTIONAL_RETURN_POSTAL_ADDRESS,
    }


def exceptional_request_pdf(request: ExceptionalRequest) -> bytes:
    """The PDF of `request`, in its requester's language."""
    with translation.override(request.language):
        enterprise = enterprise_selectors.enterprise_get(number=request.enterprise_id)
        context = {
            "request": request,
            "enterprise": enterprise,
            "enterprise_name": enterprise.name_in(request.language),
            "address": enterprise.registered_address,
            "is_self": request.gap_id == request.requester_id,
            "date": timezone.localtime(request.created_at).date(),
            "qr_code": ticket_qr_code(request.ticket).svg_data_uri(scale=4, border=0),
            "fonts": FONTS.as_uri(),
            **return_instructions(),
        }
        html = render_to_string("access_managers/pdf/exceptional_request.html", context)
    document = HTML(string=html, base_url=FONTS.as_uri() + "/", url_fetcher=ShippedOnlyFetcher())
    return document.write_pdf()
