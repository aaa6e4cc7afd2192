"""The staging table: a file's valid rows, in a temporary table shaped like the target's columns,
written by PostgreSQL COPY (batched inserts elsewhere)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from django.db import connection

from csam_portal.core.bulkload.files import FileReport, FileSpec, RowError, SkipRow, read_rows

BATCH_ROWS = 5000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Staging:
    """A temporary table shaped like `columns`, filled in batches, dropped by `drop()`.

    On PostgreSQL the rows stream through one COPY whose writer sends from a thread of its own,
    so the database parses a batch while Python validates the next (the machine's two cores).
    """

    def __init__(self, name: str, columns: Sequence[str]):
        self.name = name
        self.columns = list(columns)
        self._pending: list[Sequence] = []
        self._copy = None
        self.count = 0
        column_sql = ", ".join(f"{quote(column)} TEXT" for column in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quote(name)} (line INTEGER NOT NULL, {column_sql})"
            )

    def add(self, line: int, values: Sequence) -> None:
        self._pending.append((line, *values))
        self.count += 1
        if len(self._pending) >= BATCH_ROWS:
            self._write()

    def _write(self) -> None:
        if not self._pending:
            return
        columns = ["line", *self.columns]
        column_sql = ", ".join(quote(column) for column in columns)
        if connection.vendor == "postgresql":
            if self._copy is None:
                from psycopg.copy import QueuedLibpqWriter

                self._cursor = connection.cursor()
                raw = self._cursor.cursor
                sql = f"COPY {quote(self.name)} ({column_sql}) FROM STDIN (FORMAT csv)"
                self._copy_context = raw.copy(sql, writer=QueuedLibpqWriter(raw))
                self._copy = self._copy_context.__enter__()
            # COPY's CSV: an unquoted empty field is NULL, a quoted one the empty string.
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_STRINGS).writerows(
                self._pending
            )
            self._copy.write(buffer.getvalue())
        else:
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {quote(self.name)} ({column_sql}) VALUES ({marks})",
                    self._pending,
                )
        self._pending = []

    def flush(self) -> None:
        """Write what is pending and end the COPY: the rows are then all in the table."""
        self._write()
        if self._copy is not None:
            self._copy_context.__exit__(None, None, None)
            self._cursor.close()
            self._copy = None

    def index(self, columns: Sequence[str]) -> None:
        """Let the planner know the staged rows. PostgreSQL joins them by hashing; SQLite, which
        joins by nested loops, gets an index on `columns`."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                column_sql = ", ".join(quote(column) for column in columns)
                index = quote(f"{self.name}_key")
                cursor.execute(f"CREATE INDEX {index} ON {quote(self.name)} ({column_sql})")
            cursor.execute(f"ANALYZE {quote(self.name)}")

    def abandon(self) -> None:
        """After an error: end a COPY under way. The table goes with the transaction's rollback
        (PostgreSQL refuses any other statement in a failed transaction)."""
        if self._copy is not None:
            self._copy_context.__exit__(RuntimeError, RuntimeError("abandoned"), None)
            self._cursor.close()
            self._copy = None

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(self.name)}")


def stage_file(path: Path, spec: FileSpec, report: FileReport, *, progress: bool) -> Staging:
    """Read and validate `path` into a new staging table; refused rows go to `report`."""
    staging = Staging(f"staging_{spec.table}", spec.columns)
    try:
        for line, fields in read_rows(path, spec.header, progress=progress):
            report.read += 1
            try:
                values = spec.parse(fields)
                spec.check_lengths(values)
            except SkipRow as skipped:
                report.skip(str(skipped))
                continue
            except RowError as error:
                report.refuse(line, str(error))
                continue
            staging.add(line, values)
        staging.flush()
    except BaseException:
        staging.abandon()
        raise
    staging.index(spec.key)
    return staging


def stage_owners(path: Path, header: Sequence[str], parse, *, name: str) -> Staging:
    """Read a `*_delete.csv` update file into a staging table `name` of one column, `owner`.

    `parse` turns the one field into the owner's key (RowError for a bad one, SkipRow or None
    for one that is not the table's): neither can be in the table, so both are left out.
    """
    staging = Staging(name, ["owner"])
    try:
        for line, fields in read_rows(path, header):
            try:
                owner = parse(fields[0])
            except (RowError, SkipRow):
                continue
            if owner is not None:
                staging.add(line, [owner])
        staging.flush()
    except BaseException:
        staging.abandon()
        raise
    staging.index(["owner"])
    return staging
