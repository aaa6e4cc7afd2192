"""What the eye checks: the «SERVICES» menu inside the window, tap targets, captions above their
tables, one heading style."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

PAGES = ["/", "/about/", "/access-management/", "/contact/", "/cookies/", "/login/"]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["FR Français", "DE Deutsch"])
def test_the_services_menu_opens_inside_the_window(page, a11y, width, language):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    page.get_by_role("button", name=language).click()
    a11y(page)

    page.locator("details[data-menu] summary").click()

    menu = page.locator("details[data-menu] ul")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    a11y(page)


def test_the_footer_links_are_tap_targets(page, a11y):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    a11y(page)

    boxes = [link.bounding_box() for link in page.locator("footer ul a").all()]

    assert len(boxes) >= 2
    assert all(box["height"] >= 24 and box["width"] >= 24 for box in boxes)
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert below["y"] - (above["y"] + above["height"]) >= 8  # apart: no tap hits both


def test_a_tables_caption_is_above_it(page, a11y):
    page.goto("/cookies/")
    a11y(page)

    caption = page.get_by_text("Les cookies de ce portail").bounding_box()
    first_row = page.locator("main table tbody tr").first.bounding_box()  # on a phone the
    # header row is left to screen readers: the rows come right after the caption

    assert caption["y"] + caption["height"] <= first_row["y"]


def _heading_styles(page, level: str) -> set[tuple[str, str]]:
    styles = page.locator(f"main {level}").evaluate_all(
        "els => els.map(e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight])"
    )
    return {tuple(style) for style in styles}


def test_every_page_titles_and_sections_in_one_heading_style(page, a11y):
    page.set_viewport_size({"width": 1280, "height": 800})
    titles, sections = set(), set()
    for path in PAGES:
        page.goto(path)
        a11y(page)
        titles |= _heading_styles(page, "h1")
        sections |= _heading_styles(page, "h2")
    UserFactory(username="anne")
    page.goto("/login/password/")
    a11y(page)
    page.get_by_label("Nom d'utilisateur").fill("anne")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    for path in ["/digital-keys/", "/access-managers/"]:
        page.goto(path)
        a11y(page)
        titles |= _heading_styles(page, "h1")
        sections |= _heading_styles(page, "h2")

    assert len(titles) == 1
    assert len(sections) == 1
    (title_size, title_weight), (section_size, section_weight) = titles.pop(), sections.pop()
    assert float(title_size.removesuffix("px")) > float(section_size.removesuffix("px"))
    assert title_weight == section_weight == "700"
