"""The browser harness: headless Debian Chromium driven by Playwright; every page checked.

Tests find elements by role and visible label. Each page a test visits must be checked with
`a11y(page)`, which fails the test on:

- an accessibility violation (axe-core, wcag2a + wcag2aa rules);
- a page wider than the viewport (`scrollWidth`), named by its widest elements;
- an HTML error of the page as the server sent it (the Nu Html Checker, vnu.jar from npm, run
  with the machine's Java as one local service for the whole session; its warnings are listed
  at the end of the run and do not fail).

Every test runs twice, in a 1280 px wide window and on a 320 px wide phone. The fixture fails a
test that visited a page without checking it, or on which the browser reported a
Content-Security-Policy violation.
"""

import json
import os
import shutil
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers import ensure_catalogue
from tests.processes import Process, free_port
from tests.services import HTML_WARNINGS, ROOT, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A desktop window and the narrowest phone in use (WCAG 1.4.10 Reflow asks for 320 CSS px).
VIEWPORTS = {1280: {"width": 1280, "height": 720}, 320: {"width": 320, "height": 568}}

# The page's width against its viewport's; if wider, the innermost elements sticking out on the
# right (boxes or their text), those inside a scrolling or clipping box that fits left out.
WIDTH_SCRIPT = """() => {
  const viewport = document.documentElement.clientWidth;
  const width = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  if (width <= viewport) return {viewport, width, culprits: []};
  const limit = viewport + 1;
  // Whether `box` or one of its ancestors clips or scrolls what overflows it, and fits.
  const contained = (box) => {
    for (; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") {
        return box.getBoundingClientRect().right <= limit;
      }
    }
    return false;
  };
  const right = new Map();
  const note = (element, edge, clipper) => {
    if (edge > limit && !contained(clipper)) {
      right.set(element, Math.max(edge, right.get(element) || 0));
    }
  };
  for (const element of document.body.querySelectorAll("*")) {
    note(element, element.getBoundingClientRect().right, element.parentElement);
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    if (!texts.currentNode.textContent.trim()) continue;
    range.selectNodeContents(texts.currentNode);
    const parent = texts.currentNode.parentElement;
    note(parent, range.getBoundingClientRect().right, parent);
  }
  const name = (element) => {
    let text = element.localName;
    if (element.id) text += "#" + element.id;
    for (const cls of element.classList) text += "." + cls;
    return text;
  };
  const innermost = [...right.keys()].filter(
    (element) => ![...right.keys()].some((other) => other !== element && element.contains(other))
  );
  innermost.sort((a, b) => right.get(b) - right.get(a));
  const culprits = innermost.slice(0, 5).map((element) => {
    const context = element.parentElement.closest("[id], table, section, form, nav, footer");
    return {
      element: name(element) + (context ? " in " + name(context) : ""),
      right: Math.round(right.get(element)),
      text: element.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
    };
  });
  return {viewport, width, culprits};
}"""


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


class HtmlChecker:
    """The Nu Html Checker as a local web service: one JVM for the session (it takes seconds to
    start; a page then takes tens of milliseconds), so each page is checked when it is visited
    and a failure names its test and page. A page is checked in a thread while axe runs."""

    def __init__(self, java: str):
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.port = free_port()
        # vnu's schemas recurse deeply while they load: the stack its documentation asks for.
        args = [java, "-Xss2m", "-Xmx256m", "-XX:+UseSerialGC"]
        args += ["-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU_JAR)]
        args += ["nu.validator.servlet.Main", str(self.port)]
        self.process = Process("vnu", args, {})
        try:
            self.process.wait_for_line("Checker service started", timeout=90)
        except AssertionError:
            self.process.stop()
            raise

    def messages(self, html: str) -> list[dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["messages"]

    def check(self, html: str, *, url: str) -> Future:
        """The future list of the document's errors (see `errors`)."""
        return self.pool.submit(self.errors, html, url=url)

    def errors(self, html: str, *, url: str) -> list[str]:
        """The document's errors, each with its line; its warnings go to HTML_WARNINGS."""
        errors = []
        for message in self.messages(html):
            if message["type"] == "info" and message.get("subType") == "warning":
                HTML_WARNINGS[message["message"]].add(url)
            elif message["type"] != "info":  # an error, or "non-document-error": unchecked
                extract = " ".join(message.get("extract", "").split())
                errors.append(
                    f"line {message.get('lastLine', '?')}: {message['message']} «{extract}»"
                )
        return errors

    def stop(self) -> None:
        self.pool.shutdown()
        self.process.stop()


@pytest.fixture(scope="session")
def html_checker():
    java = shutil.which("java")
    if not java:
        skip_or_fail("needs Java 17+ for vnu.jar (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        skip_or_fail(f"needs the Nu Html Checker at {VNU_JAR} (npm ci)")
    checker = HtmlChecker(java)
    yield checker
    checker.stop()


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class PageAudit:
    """What a page went through: the URLs it loaded, those checked, the documents the server
    sent, CSP reports."""

    def __init__(self, page, axe_source: str, html_checker: HtmlChecker):
        self.page = page
        self.axe_source = axe_source
        self.html_checker = html_checker
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.documents: dict = {}
        self.csp_violations: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("response", self._response)
        page.on("console", self._console)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    def _response(self, response):
        """Keep each page's document as the server sent it (a redirect or a download is none)."""
        if (
            response.request.is_navigation_request()
            and response.frame == self.page.main_frame
            and not 300 <= response.status < 400
            and response.headers.get("content-type", "").startswith("text/html")
        ):
            self.documents[_without_fragment(response.url)] = response

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def check(self, page) -> None:
        """Check the page as it is now; fail with every problem found, readable."""
        page.wait_for_load_state("load")
        html_errors = self._html(page)
        problems = self._axe(page) + self._width(page)
        problems += [f"HTML: {error}" for error in html_errors.result()]
        if problems:
            raise AssertionError(f"{page.url}:\n" + "\n".join(problems))
        self.checked.add(page.url)

    def _axe(self, page) -> list[str]:
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
        return [f"axe: {json.dumps(violations, indent=2)}"] if violations else []

    def _width(self, page) -> list[str]:
        result = page.evaluate(WIDTH_SCRIPT)
        if result["width"] <= result["viewport"]:
            return []
        culprits = "\n".join(
            f"  {culprit['element']} reaches {culprit['right']} px: «{culprit['text']}»"
            for culprit in result["culprits"]
        )
        return [
            f"width: the page is {result['width']} px wide in a {result['viewport']} px "
            f"viewport; the widest elements:\n{culprits}"
        ]

    def _html(self, page) -> Future:
        """The checker's errors (to come) in the HTML the server sent for this page, not in the
        DOM scripts made of it since: the page's source is what the server must get right. A
        page the test wrote itself (`set_content`) is checked as it is."""
        url = _without_fragment(page.url)
        if url.startswith("http"):
            response = self.documents.get(url)
            assert response is not None, f"no document from the server for {url}"
            html = response.text()
        else:
            html = page.content()
        return self.html_checker.check(html, url=url)


@pytest.fixture(params=sorted(VIEWPORTS, reverse=True), ids=lambda width: f"{width}px")
def page(request, browser, live_server, transactional_db, axe_source, html_checker):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-BE", viewport=VIEWPORTS[request.param]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = PageAudit(page, axe_source, html_checker)
    yield page
    unchecked = [url for url in page.audit.visited if url not in page.audit.checked]
    context.close()
    assert unchecked == [], f"pages visited without a check: {unchecked}"
    assert page.audit.csp_violations == []


@pytest.fixture
def demo(transactional_db):
    """The demo's people and enterprises (`manage.py load_demo`), committed for the live server."""
    load_demo()


def load_demo() -> None:
    """`manage.py load_demo`, after writing again the catalogue (domains, qualités) that the
    migrations wrote and the flush ending each transactional test empties."""
    ensure_catalogue()
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def a11y(page):
    """`a11y(page)`: the checks every visited page must pass (axe, width, HTML)."""
    return page.audit.check


def tab_to(page, locator, *, limit: int = 80) -> None:
    """Press Tab until `locator` has the keyboard focus, as a keyboard-only user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus after {limit} Tab presses.")
