"""No view reaches a service without a permission check.

Every view of the URLconf (the Django admin's aside: its site checks staff and model permissions)
declares who may open it with `csam_portal.core.access` (`public(reason)`, `guarded_by(check…)`)
or `users.permissions.person_required`; a guarded view's code calls one of the permission functions
it names. A new view that forgets fails here, named with its URL.

Each app's permissions.py keeps the two shapes of issue 12: `can_<verb>(roles, obj) -> bool` and
`<thing>_for_<action>(request, …) -> (obj, Actor)`.
"""

import ast
import importlib
import inspect
import re
import textwrap

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from csam_portal.core.access import declared

APPS = ["users", "enterprises", "access_managers", "senders", "mandates"]
FRAMEWORK = ("django.contrib.", "django.views.static", "django.views.i18n")


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern.callback


def _portal_views():
    views = []
    for route, callback in _patterns(get_resolver().url_patterns):
        code = getattr(callback, "view_class", inspect.unwrap(callback))
        if code.__module__.startswith(FRAMEWORK):
            continue  # the framework's own: nothing of ours behind them
        views.append((route, callback, code))
    return views


def _calls(code) -> set[str]:
    """The names every call in the view's source ends with (`permissions.x(…)` → "x")."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_the_urlconf_has_the_portal_views():
    routes = [route for route, _, _ in _portal_views()]
    assert "access-managers/<enterprise_number:number>/" in routes
    assert "login/" in routes
    assert len(routes) > 30


@pytest.mark.parametrize(
    ("route", "callback", "code"), _portal_views(), ids=[route for route, _, _ in _portal_views()]
)
def test_every_view_declares_who_may_open_it(route, callback, code):
    access = declared(callback)
    assert access is not None, f"{route} ({code.__module__}.{code.__qualname__}) declares no access"
    assert access.kind in {"public", "person", "guarded"}
    if access.kind == "public":
        assert access.reason.strip()
    if access.kind == "guarded":
        for check in access.checks:
            assert check.__module__.endswith(".permissions"), check
            assert re.fullmatch(r"[a-z_]+_for_[a-z_]+", check.__name__), check
        called = _calls(code)
        assert called & {check.__name__ for check in access.checks}, (
            f"{route} names {[check.__name__ for check in access.checks]} but calls none"
        )


@pytest.mark.parametrize("app", APPS)
def test_permission_modules_hold_only_the_two_shapes(app):
    try:
        module = importlib.import_module(f"{app}.permissions")
    except ModuleNotFoundError:
        pytest.skip(f"{app} has no permissions yet")
    own = [
        (name, value)
        for name, value in vars(module).items()
        if not name.startswith("_")
        and callable(value)
        and getattr(value, "__module__", "") == module.__name__
    ]
    assert own
    for name, function in own:
        parameters = list(inspect.signature(function).parameters)
        if name.startswith("can_"):
            assert parameters[:2] == [
                "roles",
                inspect.signature(function).parameters and parameters[1],
            ]
            assert parameters[0] == "roles", name
            assert len(parameters) == 2, name
        elif re.fullmatch(r"[a-z_]+_for_[a-z_]+", name):
            assert parameters[0] == "request", name
        else:
            assert (app, name) == ("users", "person_required"), f"{app}.permissions.{name}"
