from csam_portal.core.bulkload.command import ImportCommand
from enterprises import services


class Command(ImportCommand):
    help = (
        "Import the legal functions (functions.csv): who represents which enterprise. Idempotent."
    )

    def run(self, path, actor, *, progress):
        return [services.registry_import_functions(path=path, actor=actor, progress=progress)]
