"""Drop the index PostgreSQL gets for LIKE on the enterprise number (a varchar primary key).

Numbers are looked up whole; the register's bulk import would keep that index for nothing.
Other databases have no such index: nothing to do there.
"""

from django.db import migrations


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'enterprises_enterprise' "
            "AND indexname LIKE '%%_like'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX enterprises_enterprise_number_like "
            "ON enterprises_enterprise (number varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_catalogue")]

    operations = [migrations.RunPython(drop_like_index, create_like_index)]
