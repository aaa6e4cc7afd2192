"""Fields a person can see (WCAG 1.4.11) and a keyboard focus they can follow (2.4.7), measured
in the browser from the computed styles, on the contact page and a login key's form."""

import re

import pytest

from tests.e2e.conftest import tab_to

# The colours as the browser computed them, and the first opaque background behind the element.
STYLE = """element => {
  const style = getComputedStyle(element);
  let background = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "transparent" && !/, 0\\)$/.test(colour)) { background = colour; break; }
  }
  return {
    border: style.borderTopColor, outline: style.outlineColor,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    background: background,
  };
}"""


def _luminance(colour: str) -> float:
    red, green, blue = (int(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3])
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two computed colours, «rgb(r, g, b)»."""
    light, dark = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contact_fields_edges_reach_3_to_1(page, a11y):
    page.goto("/contact/")
    a11y(page)

    for field in [
        page.get_by_label("Nom et prénom"),
        page.get_by_label("Votre question"),
        page.get_by_label("Recevoir par e-mail un accusé de réception avec la référence"),
    ]:
        style = field.evaluate(STYLE)
        assert contrast(style["border"], style["background"]) >= 3, style


def test_a_login_keys_select_edge_reaches_3_to_1(page, a11y):
    page.goto("/login/eidas/")
    a11y(page)

    style = page.get_by_label("Pays de votre identité électronique").evaluate(STYLE)

    assert contrast(style["border"], style["background"]) >= 3, style


CONTROLS = {
    "header link": lambda page: page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="CONTACT"
    ),
    "text field": lambda page: page.get_by_label("Nom et prénom"),
    "text area": lambda page: page.get_by_label("Votre question"),
    "checkbox": lambda page: page.get_by_label("Recevoir par e-mail un accusé de réception"),
    "button": lambda page: page.get_by_role("button", name="Envoyer ma question"),
}


@pytest.mark.parametrize("control", CONTROLS)
def test_keyboard_focus_is_a_clear_outline(page, a11y, control):
    page.goto("/contact/")
    a11y(page)
    locator = CONTROLS[control](page)

    tab_to(page, locator)

    style = locator.evaluate(STYLE)
    assert style["outlineStyle"] == "solid", style
    assert style["outlineWidth"] >= 3, style
    assert contrast(style["outline"], style["background"]) >= 3, style
