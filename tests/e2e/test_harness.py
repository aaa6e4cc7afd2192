"""The harness itself: it must catch what it is there to catch."""

import pytest
from playwright.sync_api import expect

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
