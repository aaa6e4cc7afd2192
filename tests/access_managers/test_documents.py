"""The exceptional request's PDF loads the shipped fonts and data: URLs, nothing else."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint import HTML

from access_managers.documents import FONTS, ShippedOnlyFetcher

FONT = FONTS / "DejaVuSans.ttf"


@pytest.fixture
def web_server():
    """A local web server that counts the requests it gets and redirects each to a font."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", FONT.as_uri())
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_the_shipped_fonts_and_data_urls_are_loaded():
    fetcher = ShippedOnlyFetcher()

    font = fetcher.fetch(FONT.as_uri())
    data = fetcher.fetch("data:text/plain;base64,b2s=")

    assert font.read() == FONT.read_bytes()
    assert data.read() == b"ok"
    font.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        FONTS.as_uri() + "/../documents.py",
        FONTS.as_uri() + "/%2e%2e/documents.py",
        FONTS.as_uri() + "/../../csam_portal/settings.py",
        "file://attacker.example" + FONT.as_posix(),
        "ftp://127.0.0.1/file",
    ],
)
def test_a_file_outside_the_fonts_is_refused(url):
    with pytest.raises(ValueError, match="may not load|disallowed protocol"):
        ShippedOnlyFetcher().fetch(url)


def test_a_remote_url_is_refused_before_any_request(web_server):
    base, hits = web_server

    with pytest.raises(ValueError, match="disallowed protocol"):
        ShippedOnlyFetcher().fetch(f"{base}/font.ttf")

    assert hits == []


def test_a_document_naming_remote_resources_makes_no_request_and_follows_no_redirect(web_server):
    base, hits = web_server
    html = (
        f'<link rel="stylesheet" href="{base}/style.css">'
        f'<img src="{base}/image.png"><p style="background: url({base}/redirect)">Ticket</p>'
    )

    pdf = HTML(string=html, base_url=FONTS.as_uri() + "/", url_fetcher=ShippedOnlyFetcher())

    assert pdf.write_pdf().startswith(b"%PDF")
    assert hits == []
