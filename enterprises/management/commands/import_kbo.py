from csam_portal.core.bulkload.command import ImportCommand
from enterprises import services


class Command(ImportCommand):
    help = (
        "Import a KBO Open Data extract (enterprise, denomination, address, code and meta.csv), "
        "or a monthly update of *_delete.csv and *_insert.csv files, from a folder. Idempotent."
    )
    path_help = "the folder of the extract"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--force", action="store_true", help="apply an update even out of its order"
        )

    def handle(self, *args, force: bool = False, **options):
        self.force = force
        return super().handle(*args, **options)

    def run(self, path, actor, *, progress):
        _extract, reports = services.registry_import_kbo(
            directory=path, actor=actor, progress=progress, force=self.force
        )
        return reports
