"""Set-based loading of large CSV files into a table: stream, validate, stage, merge.

A file is read as a stream (constant memory) and each row validated in Python by its `FileSpec`.
Valid rows go to a temporary staging table (PostgreSQL COPY, batched inserts elsewhere); one
statement then merges the staging table into the target (insert, or update what differs), so
the database does the heavy part in bulk. Bad rows are reported with file and line and skipped;
a malformed file (header, encoding, truncated line) raises `MalformedFile` and the caller's
transaction is rolled back: nothing changes.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.db import connection

BATCH_ROWS = 5000
MAX_REPORTED_ROWS = 50  # the summary still counts every refused row


class MalformedFile(Exception):
    """The file cannot be read as the expected CSV: it is refused whole."""


class RowError(Exception):
    """One row's content is wrong: it is refused, the others are loaded."""


class SkipRow(Exception):
    """A row that is not for this table, by design (e.g. an establishment unit in a file of
    enterprises): skipped and counted under its reason, the exception's message; never refused."""


@dataclass(frozen=True)
class FileSpec:
    """How one CSV file maps to one table.

    `parse(row)` turns the file's fields into the staged `columns` values (text, ISO dates, "1"
    or "0" for booleans, None for NULL), or raises RowError; it raises SkipRow for a row that is
    not refused (e.g. an establishment unit in an enterprise file). `key` names the columns that
    identify a row (a unique constraint of `table`); `types` the columns that are not text
    ("date", "boolean"). `parent` = (column, table, column): rows whose parent is missing are
    refused. `replace_by` = a column naming the row's owner: for each owner in the file, its rows
    absent from the file are deleted (the file holds all of them). `supersede` = (column, reason):
    of the rows of one key, the one whose `column` is the latest (NULL: later than any) is kept
    and the earlier ones are skipped as `reason` (e.g. an address struck off before the current
    one); without it, or between equal values, the key twice is an error of the file.
    """

    header: Sequence[str]
    table: str
    columns: Sequence[str]
    key: Sequence[str]
    parse: Callable[[list[str]], Sequence | None]
    types: Mapping[str, str] = field(default_factory=dict)
    parent: tuple[str, str, str] | None = None
    replace_by: str | None = None
    supersede: tuple[str, str] | None = None
    # Longest text each column takes: a longer value refuses its row (the database would not).
    limits: Mapping[str, int] = field(default_factory=dict)
    # What a full file does to the rows of the table it no longer lists: "delete" them, or an
    # SQL assignment such as "status = 'ST'"; None leaves them.
    absent: str | None = None

    @cached_property
    def _limited(self) -> list[tuple[int, str, int]]:
        return [
            (position, column, self.limits[column])
            for position, column in enumerate(self.columns)
            if column in self.limits
        ]

    def check_lengths(self, values: Sequence) -> None:
        for position, column, limit in self._limited:
            value = values[position]
            if value and len(value) > limit:
                raise RowError(f"{column} is longer than {limit} characters")


@dataclass
class FileReport:
    """What loading one file did; `line` messages name the file and the line."""

    name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    refused: int = 0
    retired: int = 0
    # Rows skipped by design, by reason: counted apart from the refused ones, never listed.
    skipped: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def refuse(self, line: int, reason: str) -> None:
        self.refused += 1
        if len(self.messages) < MAX_REPORTED_ROWS:
            self.messages.append(f"{self.name}, line {line}: {reason}")

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def summary(self) -> str:
        parts = f"{self.read} rows read, {self.created} created, {self.updated} updated"
        if self.deleted:
            parts += f", {self.deleted} deleted"
        if self.retired:
            parts += f", {self.retired} no longer listed"
        for reason, count in self.skipped.items():
            parts += f", {count} skipped ({reason})"
        return f"{self.name}: {parts}, {self.refused} refused"

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "refused": self.refused,
            "retired": self.retired,
            "skipped": dict(self.skipped),
        }


def read_rows(
    path: Path, spec_header: Sequence[str], *, progress: bool = False
) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each data row, once the header is checked; MalformedFile if broken."""
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise MalformedFile(f"{name}: cannot be read ({error.strerror}).") from error
    with handle, _progress(handle, path, enabled=progress) as stream:
        reader = csv.reader(stream, strict=True)
        try:
            header = next(reader, None)
            if header != list(spec_header):
                raise MalformedFile(
                    f"{name}: the header is {header!r}, expected {list(spec_header)!r}."
                )
            for fields in reader:
                if len(fields) != len(spec_header):
                    raise MalformedFile(
                        f"{name}, line {reader.line_num}: {len(fields)} fields instead of "
                        f"{len(spec_header)} (truncated or damaged line)."
                    )
                yield reader.line_num, fields
        except UnicodeDecodeError as error:
            raise MalformedFile(
                f"{name}, line {reader.line_num + 1}: not UTF-8 text ({error.reason})."
            ) from error
        except csv.Error as error:
            raise MalformedFile(f"{name}, line {reader.line_num}: {error}.") from error


class _progress:
    """A progress bar in bytes on a terminal (tqdm), nothing elsewhere."""

    def __init__(self, handle, path: Path, *, enabled: bool):
        self.handle = handle
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(
                total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, leave=False
            )

    def __enter__(self):
        if self.bar is None:
            return self.handle
        return (self._tick(line) for line in self.handle)

    def _tick(self, line: str) -> str:
        self.bar.update(len(line.encode()))
        return line

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def column_limits(model, columns: Sequence[str]) -> dict[str, int]:
    """The max_length of each text column of `model` among `columns` (for FileSpec.limits)."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    return {
        column: fields[column].max_length
        for column in columns
        if getattr(fields[column], "max_length", None)
    }


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


def load(
    path: Path, spec: FileSpec, report: FileReport, *, full: bool = True, progress: bool = False
) -> None:
    """Stage `path`, refuse its duplicate and orphan rows, replace and merge into the table.

    A `full` file lists every row of the table: those it no longer lists get `spec.absent`.
    On an error nothing is cleaned up here: the caller's transaction is rolled back whole.
    """
    staging = stage_file(path, spec, report, progress=progress)
    refuse_duplicates(staging, spec, report)
    if spec.parent:
        refuse_orphans(staging, spec, report)
    if spec.replace_by:
        replace_rows(staging, spec, report)
    merge(staging, spec, report)
    if full and spec.absent:
        retire_absent(staging, spec, report)
    staging.drop()


def _key_join(spec: FileSpec, left: str, right: str) -> str:
    return " AND ".join(
        f"{left}.{quote(column)} = {_cast(f'{right}.{quote(column)}', spec.types.get(column))}"
        for column in spec.key
    )


def _remove_lines(staging: Staging, lines: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(lines), 1000):
            chunk = lines[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {quote(staging.name)} WHERE line IN ({marks})", chunk)
    staging.count -= len(lines)


def refuse_duplicates(staging: Staging, spec: FileSpec, report: FileReport) -> None:
    """A key met twice in one file: one line is kept, the others are removed from the staging.

    The kept line is the last one, unless `spec.supersede` prefers another: the row whose column
    is the latest (NULL: later than any), then the last. A row it supersedes (an earlier value)
    is skipped under its reason; a row it does not (no preference, or the same value) is refused.
    """
    key = ", ".join(quote(column) for column in spec.key)
    table = quote(staging.name)
    value, order = "NULL", "line DESC"
    if spec.supersede:
        column = spec.supersede[0]
        value = _cast(quote(column), spec.types.get(column))
        order = f"CASE WHEN {value} IS NULL THEN 1 ELSE 0 END DESC, {value} DESC, line DESC"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH duplicated AS (SELECT {key} FROM {table} GROUP BY {key} HAVING COUNT(*) > 1), "
            f"ranked AS (SELECT {key}, line, {value} AS superseding_value, "
            f"ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {order}) AS position "
            f"FROM {table} JOIN duplicated USING ({key})) "
            f"SELECT r.line, r.superseding_value, k.line, k.superseding_value "
            f"FROM ranked r JOIN ranked k USING ({key}) "
            f"WHERE k.position = 1 AND r.position > 1 ORDER BY r.line"
        )
        duplicates = cursor.fetchall()
    for line, value, kept_line, kept_value in duplicates:
        if spec.supersede and value != kept_value:
            report.skip(spec.supersede[1])
        else:
            report.refuse(line, f"same key as line {kept_line}, which is kept")
    _remove_lines(staging, [line for line, *_rest in duplicates])


def refuse_orphans(staging: Staging, spec: FileSpec, report: FileReport) -> None:
    """Rows whose parent (e.g. their enterprise) does not exist are refused."""
    column, parent_table, parent_column = spec.parent
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.line, s.{quote(column)} FROM {quote(staging.name)} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {quote(parent_table)} p "
            f"WHERE p.{quote(parent_column)} = s.{quote(column)}) ORDER BY s.line"
        )
        orphans = cursor.fetchall()
    for line, value in orphans:
        report.refuse(line, f"{value} is unknown in {parent_table}")
    _remove_lines(staging, [line for line, _value in orphans])


def replace_rows(staging: Staging, spec: FileSpec, report: FileReport) -> None:
    """For each owner in the file, delete its rows that the file no longer has."""
    owner = quote(spec.replace_by)
    table = quote(spec.table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {owner} IN (SELECT {owner} FROM {quote(staging.name)}) "
            f"AND NOT EXISTS (SELECT 1 FROM {quote(staging.name)} s "
            f"WHERE {_key_join(spec, table, 's')})"
        )
        report.deleted += cursor.rowcount


def merge(staging: Staging, spec: FileSpec, report: FileReport) -> None:
    """Update the rows whose values differ, then insert the new ones: two set-based statements
    (an update join and an anti-join) that touch only what changes."""
    table, stage = quote(spec.table), quote(staging.name)
    columns = list(spec.columns)
    staged = {column: _cast(f"s.{quote(column)}", spec.types.get(column)) for column in columns}
    compared = [column for column in columns if column not in spec.key]
    with connection.cursor() as cursor:
        if compared:
            assignments = ", ".join(f"{quote(c)} = {staged[c]}" for c in compared)
            differs = " OR ".join(f"t.{quote(c)} IS DISTINCT FROM {staged[c]}" for c in compared)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM {stage} s "
                f"WHERE {_key_join(spec, 't', 's')} AND ({differs})"
            )
            report.updated += cursor.rowcount
        names = ", ".join(quote(column) for column in columns)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(staged.values())} FROM {stage} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {_key_join(spec, 't', 's')})"
        )
        report.created += cursor.rowcount


def retire_absent(staging: Staging, spec: FileSpec, report: FileReport) -> None:
    """Rows of the table the full file no longer lists: deleted, or given `spec.absent`."""
    table = quote(spec.table)
    missing = (
        f"NOT EXISTS (SELECT 1 FROM {quote(staging.name)} s WHERE {_key_join(spec, table, 's')})"
    )
    with connection.cursor() as cursor:
        if spec.absent == "delete":
            cursor.execute(f"DELETE FROM {table} WHERE {missing}")
            report.deleted += cursor.rowcount
        else:
            column, value = (part.strip() for part in spec.absent.split("=", 1))
            cursor.execute(
                f"UPDATE {table} SET {spec.absent} WHERE {quote(column)} <> {value} AND {missing}"
            )
            report.retired += cursor.rowcount


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


def delete_owners(owners: Staging, *, table: str, column: str, keep: Sequence[str] = ()) -> int:
    """Delete the rows of `table` whose `column` is one of the staged `owners`, except those
    whose `column` one of the SQL subqueries `keep` selects (none of them may select NULL)."""
    condition = f"{quote(column)} IN (SELECT owner FROM {quote(owners.name)})"
    for subquery in keep:
        condition += f" AND {quote(column)} NOT IN ({subquery})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)} WHERE {condition}")
        return cursor.rowcount


def _cast(expression: str, sql_type: str | None) -> str:
    if sql_type == "boolean":
        return f"({expression} = '1')"
    if sql_type == "date" and connection.vendor == "postgresql":
        return f"CAST({expression} AS DATE)"
    return expression  # SQLite keeps dates as ISO text, as Django does
