"""Enterprises registered in CSAM, their qualités, and who manages and uses them.

Every designation is a term of `AccessManager`, one shape for all of them: a GAP or co-GAP of the
enterprise, a GA of one domain, a GL or co-GL of one of its qualités. A term starts when the
person is designated (by `designated_by`) and ends (`ended_at`) when they are replaced or removed;
ended rows are the history, so «who manages us», the history and the audit read alike. A user of a
qualité holds a `QualityMembership`, a term of the same shape.

The database holds the rules that races could break: one registration per enterprise, one current
GAP per enterprise, one current GL per qualité, one current term per person and place (a person
is not GL and co-GL of one qualité, nor GA of one domain twice).

These tables live here, above `users` and `enterprises`, because access managers create them; the
apps above (senders, mandates) read them through `access_managers.roles`.

One module per part: terms (the shape of every term), registrations, qualities (an enterprise's
qualités and their users), managers (the designations), exceptional (the paper procedure).
"""

from access_managers.models.exceptional import ExceptionalRequest
from access_managers.models.managers import AccessManager, ManagerEmail
from access_managers.models.qualities import (
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from access_managers.models.registrations import Procedure, Registration
from access_managers.models.terms import Term

__all__ = [
    "AccessManager",
    "EnterpriseQuality",
    "ExceptionalRequest",
    "ManagerEmail",
    "MembershipApplication",
    "Procedure",
    "QualityMembership",
    "Registration",
    "Term",
]
