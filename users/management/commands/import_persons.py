from csam_portal.core.bulkload.command import ImportCommand
from users.services import persons


class Command(ImportCommand):
    help = "Import the persons of the national register (persons.csv), by NISS. Idempotent."

    def run(self, path, actor, *, progress):
        return [persons.person_import(path=path, actor=actor, progress=progress)]
