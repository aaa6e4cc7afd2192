"""What the three register commands share: arguments, refusals on stderr, one summary line."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csam_portal.core.audit import Actor
from csam_portal.core.bulkload.files import FileReport, MalformedFile


class ImportCommand(BaseCommand):
    """Calls `run(path, actor, progress)`, which returns the FileReports of what it loaded."""

    path_help = "the file to import"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=self.path_help)
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even on a terminal"
        )

    def handle(self, *args, path: Path, no_progress: bool, **options):
        started = time.monotonic()
        try:
            reports = self.run(
                path, Actor.system(self.name), progress=not no_progress and sys.stderr.isatty()
            )
        except MalformedFile as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        seconds = time.monotonic() - started
        for report in reports:
            for message in report.messages:
                self.stderr.write(message)
            unlisted = report.refused - len(report.messages)
            if unlisted:
                self.stderr.write(f"{report.name}: … and {unlisted} more refused rows.")
            self.stdout.write(report.summary)
        read = sum(report.read for report in reports)
        rate = read / max(seconds, 1e-9)
        self.stdout.write(f"{self.name}: {read} rows in {seconds:.1f} s ({rate:,.0f} rows/s).")

    @property
    def name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def run(self, path: Path, actor: Actor, *, progress: bool) -> list[FileReport]:
        raise NotImplementedError
