"""The harness itself: it must catch what it is there to catch."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import HTML_WARNINGS
from tests.processes import wait_for


def test_axe_check_fails_on_a_page_with_a_violation(page, a11y):
    page.set_content('<html lang="fr"><body><main><img src="/x.png"></main></body></html>')

    with pytest.raises(AssertionError, match="image-alt"):
        a11y(page)


def test_inline_style_is_refused_by_the_policy_and_reported(page, a11y):
    page.goto("/")
    a11y(page)

    page.evaluate(
        """() => document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')"""
    )

    expect(page.get_by_text("x", exact=True)).to_have_css("color", "rgb(33, 37, 41)")
    # Each call into the browser lets its console events in; wait for the report that way.
    wait_for(lambda: page.evaluate("1") and page.audit.csp_violations, timeout=5, what="CSP report")
    assert any("style-src" in violation for violation in page.audit.csp_violations)
    page.audit.csp_violations.clear()


VALID_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Test</title></head>'
    "<body><main><h1>Test</h1>{}</main></body></html>"
)


@pytest.mark.parametrize("page", [320], indirect=True)
def test_width_check_fails_on_a_page_wider_than_the_phone_and_names_what_sticks_out(page, a11y):
    page.set_content(VALID_PAGE.format("<p>Hoofdtoegangsbeheerdersaanduidingsformulieren</p>"))

    with pytest.raises(AssertionError, match=r"page is \d+ px wide in a 320 px viewport") as error:
        a11y(page)

    assert "p reaches" in str(error.value)
    assert "«Hoofdtoegangsbeheerdersaanduidingsformulieren»" in str(error.value)
    assert "HTML:" not in str(error.value)


@pytest.mark.parametrize("page", [320], indirect=True)
def test_width_check_passes_a_wide_table_that_scrolls_in_its_own_box(page, a11y):
    page.set_content(
        VALID_PAGE.format(
            '<div role="region" aria-label="Tableau" tabindex="0"><table><tr><td>'
            "Hoofdtoegangsbeheerdersaanduidingsformulieren</td></tr></table></div>"
        ).replace("</head>", "<style>div { overflow-x: auto; }</style></head>")
    )

    a11y(page)

    assert page.evaluate("document.querySelector('table').offsetWidth") > 320


def test_html_check_fails_on_an_html_error_of_a_page(page, a11y):
    page.set_content(VALID_PAGE.format("<span><div>Un</div></span>"))

    with pytest.raises(AssertionError, match="HTML: line 1: Element “div” not allowed"):
        a11y(page)


def test_html_check_reads_the_page_the_server_sent_not_what_scripts_made_of_it(page, a11y):
    page.route(
        "**/served/",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=VALID_PAGE.format("<center>Bienvenue</center>"),
        ),
    )
    page.goto("/served/")
    page.evaluate("""() => document.querySelector("center").replaceWith("Bienvenue")""")

    with pytest.raises(AssertionError, match="HTML: line 1: The “center” element is obsolete"):
        a11y(page)
    page.audit.visited.clear()  # its check failed above, as it had to


def test_html_check_lists_a_warning_without_failing(page, a11y):
    page.set_content(VALID_PAGE.format("<section><p>Sans titre</p></section>"))

    a11y(page)

    heading = next(message for message in HTML_WARNINGS if message.startswith("Section lacks"))
    assert HTML_WARNINGS[heading] >= {"about:blank"}
    HTML_WARNINGS[heading].discard("about:blank")  # the run's list is of the portal's pages
    if not HTML_WARNINGS[heading]:
        del HTML_WARNINGS[heading]
