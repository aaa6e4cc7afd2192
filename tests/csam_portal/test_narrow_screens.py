"""What keeps every page within a 320 px phone (the e2e harness measures the pages it visits):
every table of the portal stacks on a narrow screen, and the served stylesheet is the one built
from csam_portal/assets (`make assets`)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ASSETS_CSS = settings.BASE_DIR / "csam_portal" / "assets" / "portal.css"
BUNDLE_CSS = settings.BASE_DIR / "csam_portal" / "static" / "portal" / "portal.css"


def _page_templates() -> list[Path]:
    """The portal's page templates: not the e-mails, the PDF or the admin's."""
    roots = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == settings.BASE_DIR  # the project's apps, not the installed ones
    ]
    return [
        path
        for root in roots
        for path in sorted(root.rglob("*.html"))
        if not {"emails", "pdf", "admin"} & set(path.relative_to(root).parts)
    ]


def test_every_table_of_the_portal_stacks_on_a_phone():
    tables = []
    for path in _page_templates():
        source = path.read_text(encoding="utf-8")
        tables += [(path.name, tag) for tag in re.findall(r"<table\b[^>]*>", source)]
        unlabelled = [tag for tag in re.findall(r"<td\b[^>]*>", source) if "data-label=" not in tag]
        assert unlabelled == [], f"{path}: a cell without its column's name (data-label)"

    assert len(tables) >= 5  # the digital keys, cookies, enterprise list, co-GAPs, GAP history
    assert [table for table in tables if "table-stack" not in table[1]] == []


def test_served_stylesheet_is_built_from_the_assets():
    assert BUNDLE_CSS.read_text(encoding="utf-8").endswith(ASSETS_CSS.read_text(encoding="utf-8"))
