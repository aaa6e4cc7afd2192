"""Load the catalogue (domains, qualités, secured applications) of catalogue_0002/*.csv.

Those files are this migration's own copy of ../shared/data/catalogue, never edited: a later
change of the catalogue is a migration of its own, so a new database always ends the same.
"""

import csv
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent / "catalogue_0002"
CHANNELS = {"web": "web", "ftp": "ftp", "sftp": "sftp", "ws": "web_service"}


def _rows(name):
    with (CATALOGUE / f"{name}.csv").open(newline="", encoding="utf-8") as file:
        yield from csv.DictReader(file)


def _names(row):
    return {f"name_{lang}": row[f"Name{lang.upper()}"] for lang in ("fr", "nl", "de", "en")}


def load(apps, schema_editor):
    Domain = apps.get_model("enterprises", "Domain")
    Quality = apps.get_model("enterprises", "Quality")
    SecuredApplication = apps.get_model("enterprises", "SecuredApplication")
    for row in _rows("domains"):
        Domain.objects.update_or_create(
            code=row["Code"], defaults={**_names(row), "managed_in": row["ManagedIn"]}
        )
    for row in _rows("qualities"):
        identifiers = {
            f"identifier_{lang}": row[f"Identifier{lang.upper()}"] for lang in ("fr", "nl", "de", "en")
        }
        Quality.objects.update_or_create(
            code=row["Code"],
            defaults={**_names(row), **identifiers, "identifier_pattern": row["IdentifierPattern"]},
        )
    for row in _rows("applications"):
        channels = row["Channels"].split()
        flags = {field: name in channels for name, field in CHANNELS.items()}
        application, _ = SecuredApplication.objects.update_or_create(
            code=row["Code"], defaults={**_names(row), **flags}
        )
        application.qualities.set(Quality.objects.filter(code__in=row["Qualities"].split()))


def unload(apps, schema_editor):
    for name in ("SecuredApplication", "Quality", "Domain"):
        apps.get_model("enterprises", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
