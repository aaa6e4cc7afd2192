"""The portal's template tags and filters are one library, `{% load portal %}`."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.backends.django import get_installed_libraries


def test_the_portal_has_one_template_tag_library():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == settings.BASE_DIR  # the apps of this repository
    }

    libraries = {
        name: module
        for name, module in get_installed_libraries().items()
        if module.split(".")[0] in ours
    }

    assert libraries == {"portal": "csam_portal.templatetags.portal"}
