"""The portal's template tags and filters: `{% load portal %}` for what every app shares, and at
most one library per app, named after it (`{% load access_managers %}`), for the components its
own pages repeat — found where a reader looks for them, never a scatter of small libraries."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.backends.django import get_installed_libraries


def test_the_core_has_one_library_and_each_app_at_most_one_named_after_it():
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

    assert libraries.pop("portal") == "csam_portal.templatetags.portal"
    for name, module in libraries.items():
        assert name in ours - {"csam_portal"}, f"{module}: an app's library bears the app's name"
        assert module == f"{name}.templatetags.{name}"
