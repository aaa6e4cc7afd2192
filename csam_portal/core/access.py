"""How a view says who may open it: one declaration per view, read by tests/test_view_access.py for
every URL of the portal, so that no view reaches a service without a permission check.

A view of the portal carries exactly one of:

- `@public("why")`: anyone, logged in or not; the reason names the row of
  ../shared/spec/access.md that allows it (e.g. an exceptional request needs no login);
- `@users.permissions.person_required`: any logged-in person, acting on their own account
  (access.md's last row: own personal data, password, digital keys);
- `@guarded_by(permissions.<thing>_for_<action>, …)`: the view opens by calling one of these
  functions, which load the object of the URL, answer 404 to strangers and 403 to the
  enterprise's other people, and return `(object, Actor)`. The test checks the call is there.

The decorators only declare (and `person_required` refuses): the checks themselves live in each
app's `permissions.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ATTRIBUTE = "portal_access"


@dataclass(frozen=True)
class Access:
    kind: str  # "public", "person" or "guarded"
    reason: str = ""
    checks: tuple[Callable[..., Any], ...] = ()


def declare(view: Any, access: Access) -> Any:
    """Record `access` on a view function or class (a class view's `as_view()` keeps it)."""
    setattr(view, ATTRIBUTE, access)
    return view


def declared(view: Any) -> Access | None:
    """What a URL's callback declares: on the function, or on the class of a class view."""
    found = getattr(view, ATTRIBUTE, None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, ATTRIBUTE, None)
    return found


def public(reason: str) -> Callable[[Any], Any]:
    """Anyone may open the view, for `reason` (a row of access.md, or a page for everyone)."""
    if not reason:
        raise ValueError("A public view says why it is public.")
    return lambda view: declare(view, Access("public", reason=reason))


def guarded_by(*checks: Callable[..., Any]) -> Callable[[Any], Any]:
    """The view opens with one of `checks`, permission functions `<thing>_for_<action>`."""
    if not checks:
        raise ValueError("A guarded view names its permission functions.")
    return lambda view: declare(view, Access("guarded", checks=checks))
