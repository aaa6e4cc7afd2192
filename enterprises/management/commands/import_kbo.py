from csam_portal.management.import_command import ImportCommand
from enterprises import services


class Command(ImportCommand):
    help = (
        "Import a KBO Open Data extract (enterprise, denomination, address, code and meta.csv), "
        "or a monthly update of *_delete.csv and *_insert.csv files, from a folder. Idempotent."
    )
    path_help = "the folder of the extract"

    def run(self, path, actor, *, progress):
        _extract, reports = services.registry_import_kbo(
            directory=path, actor=actor, progress=progress
        )
        return reports
