"""The audit log: every service records each change it writes, with `record()`, or with
`change()` around the lines that change an existing row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest

from csam_portal.models import AuditRecord

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


# The back office's role, as users.roles.Role.STAFF spells it (the core names no app).
STAFF_ROLE = "staff"


@dataclass(frozen=True)
class Actor:
    """Who performs a change: a logged-in person in a role, a staff member, or the system."""

    user: AbstractBaseUser | None  # settings.AUTH_USER_MODEL
    role: str
    ip: str | None = None
    system_name: str = ""
    # What the permission check read of the person (an app's `Roles`), so that the view hands the
    # template its `can_*` flags without reading the roles again. Not recorded.
    roles: Any = None

    @classmethod
    def from_request(cls, request: HttpRequest, *, role: str = "", roles: Any = None) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, role=role, ip=client_ip(request), roles=roles)

    @classmethod
    def system(cls, name: str) -> Actor:
        """A command or a periodic task (`Actor.system("import_kbo")`)."""
        return cls(user=None, role="system", system_name=name)

    @property
    def label(self) -> str:
        if self.user is not None:
            return str(self.user)
        return self.system_name or "anonymous"


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    Behind the deployment's reverse proxy (BEHIND_PROXY) that is the last address the proxy added
    to X-Forwarded-For; otherwise the peer's address: a client cannot choose what is recorded.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def snapshot(value: Any) -> Any:
    """A JSON-safe picture of a model instance (its concrete fields) or of a plain value."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        instance = value
        value = {
            field.attname: _plain(getattr(instance, field.attname))
            for field in instance._meta.concrete_fields
            if field.attname != "password"
        }
        if instance.pk is not None:  # and the rows it links to (e.g. an application's qualités)
            for field in instance._meta.many_to_many:
                value[field.name] = sorted(
                    getattr(instance, field.name).values_list("pk", flat=True)
                )
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _plain(value: Any) -> Any:
    """A file field is recorded by its name (the file itself stays where it is stored)."""
    return value.name or "" if isinstance(value, FieldFile) else value


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> AuditRecord:
    """Write one audit record for `action` on `obj`, in the caller's transaction."""
    entry = AuditRecord(
        actor_user=actor.user,
        actor=actor.label[:200],
        actor_role=actor.role,
        ip=actor.ip,
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=snapshot(before),
        after=snapshot(after),
    )
    entry.save()
    return entry


@contextmanager
def change(actor: Actor, action: str, obj: models.Model) -> Iterator[models.Model]:
    """Record `action` on `obj` as the block changes and saves it, in the caller's transaction:

        with audit.change(actor, "co_gap_remove", term):
            term.ended_at = timezone.now()
            term.save(update_fields=["ended_at"])

    `before` is `obj` as it is on entering, `after` as it is on leaving. A block that raises
    records nothing.
    """
    before = snapshot(obj)
    yield obj
    record(actor, action, obj, before=before, after=obj)
