"""The browser harness: headless Debian Chromium driven by Playwright, every page checked by axe.

Tests find elements by role and visible label. Each page a test visits must be checked with
`a11y(page)` (axe-core, wcag2a + wcag2aa rules, 0 violations); the fixture fails a test that
visited a page without checking it, or on which the browser reported a Content-Security-Policy
violation.
"""

import json
import os
from pathlib import Path

import pytest

from tests.services import ROOT, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        skip_or_fail(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser lives;
    # the tests' own ORM calls are plain synchronous code, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        skip_or_fail(f"needs axe-core at {AXE} (npm ci)")
    return AXE.read_text(encoding="utf-8")


class PageAudit:
    """What a page went through: the URLs it loaded, those axe checked, CSP reports."""

    def __init__(self, page, axe_source: str):
        self.page = page
        self.axe_source = axe_source
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.csp_violations: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def check(self, page) -> None:
        """Run axe on the page as it is now; fail with the violations, readable."""
        page.wait_for_load_state("load")
        page.evaluate(self.axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
                resultTypes: ["violations"],
            })"""
        )
        violations = [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]],
            }
            for violation in result["violations"]
        ]
        assert violations == [], f"axe on {page.url}:\n{json.dumps(violations, indent=2)}"
        self.checked.add(page.url)


@pytest.fixture
def page(browser, live_server, transactional_db, axe_source):
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = PageAudit(page, axe_source)
    yield page
    unchecked = [url for url in page.audit.visited if url not in page.audit.checked]
    context.close()
    assert unchecked == [], f"pages visited without an axe check: {unchecked}"
    assert page.audit.csp_violations == []


@pytest.fixture
def a11y(page):
    """`a11y(page)`: the accessibility check every visited page must pass."""
    return page.audit.check


def tab_to(page, locator, *, limit: int = 80) -> None:
    """Press Tab until `locator` has the keyboard focus, as a keyboard-only user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus after {limit} Tab presses.")
