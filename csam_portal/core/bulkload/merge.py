"""Loading a staged file into its table: set-based statements that refuse duplicates and
orphans, replace an owner's rows, merge (update what differs, insert what is new) and retire
what a full file no longer lists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.db import connection

from csam_portal.core.bulkload.files import FileReport, FileSpec
from csam_portal.core.bulkload.staging import Staging, quote, stage_file


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
    column, parent_model, parent_column = spec.parent
    parent_table = parent_model._meta.db_table
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
