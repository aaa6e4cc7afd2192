"""The users each qualité has, by status, kept on its row (`EnterpriseQuality.active_users` and
`blocked_users`) by a PostgreSQL trigger on the membership table: whatever writes a membership
(a service, an `update()`, a COPY, the admin) keeps them exact, in its own transaction. Only on
PostgreSQL: elsewhere (SQLite, the newcomer's database) nothing keeps them, and
`kept_counts()` says so.

Installed by migration 0009 (`install`); `recount()` sets them from the memberships, after a
bulk load that bypassed the trigger (access_managers/generated_users.py)."""

from __future__ import annotations

from django.db import connections

_TABLE = "access_managers_qualitymembership"
_QUALITIES = "access_managers_enterprisequality"

INSTALL = f"""
CREATE OR REPLACE FUNCTION access_managers_membership_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.ended_at IS NULL THEN
        UPDATE {_QUALITIES}
           SET active_users = active_users - (OLD.status = 'active')::int,
               blocked_users = blocked_users - (OLD.status = 'blocked')::int
         WHERE id = OLD.quality_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.ended_at IS NULL THEN
        UPDATE {_QUALITIES}
           SET active_users = active_users + (NEW.status = 'active')::int,
               blocked_users = blocked_users + (NEW.status = 'blocked')::int
         WHERE id = NEW.quality_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS access_managers_membership_counts ON {_TABLE};
CREATE TRIGGER access_managers_membership_counts
    AFTER INSERT OR DELETE OR UPDATE OF status, ended_at, quality_id ON {_TABLE}
    FOR EACH ROW EXECUTE FUNCTION access_managers_membership_counts();
"""

UNINSTALL = f"""
DROP TRIGGER IF EXISTS access_managers_membership_counts ON {_TABLE};
DROP FUNCTION IF EXISTS access_managers_membership_counts();
"""

RECOUNT = f"""
UPDATE {_QUALITIES} AS q
   SET active_users = COALESCE(c.active, 0), blocked_users = COALESCE(c.blocked, 0)
  FROM {_QUALITIES} AS q2
  LEFT JOIN (
      SELECT quality_id,
             COUNT(*) FILTER (WHERE status = 'active') AS active,
             COUNT(*) FILTER (WHERE status = 'blocked') AS blocked
        FROM {_TABLE}
       WHERE ended_at IS NULL
       GROUP BY quality_id
  ) AS c ON c.quality_id = q2.id
 WHERE q.id = q2.id
"""


def kept_counts(alias: str = "default") -> bool:
    """Whether the database keeps the counts (PostgreSQL, with the trigger)."""
    return connections[alias].vendor == "postgresql"


def install(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)
        schema_editor.execute(RECOUNT)


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


def recount(alias: str = "default") -> None:
    """Set every qualité's counts from its memberships (PostgreSQL)."""
    if kept_counts(alias):
        with connections[alias].cursor() as cursor:
            cursor.execute(RECOUNT)
