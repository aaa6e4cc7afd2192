"""Rows made in Python, written straight into a model's table: PostgreSQL COPY, bulk_create
elsewhere. For data generated in bulk (the benchmarks' users), where no file is read and no row
needs checking: each row is the values of the fields named, the other fields take their
defaults, and the database's constraints still hold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection
from django.db.models import Model

BATCH_ROWS = 5000


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` into `model`'s table, each the values of `fields` (attribute names, such
    as "person_id"), in order; how many were inserted.

    Every other field but the automatic primary key takes its default, computed once (a
    callable default such as `timezone.now` gives every row the same value). On PostgreSQL the
    rows stream through one COPY whose writer sends from a thread of its own, so the database
    stores a batch while Python makes the next; elsewhere they go by `bulk_create` in batches.
    Nothing here validates: the caller makes valid rows, and a constraint refuses the others.
    """
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, rows)
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    given = [by_name[name] for name in fields]
    others = [
        field
        for field in model._meta.concrete_fields
        if field.attname not in fields and not field.primary_key
    ]
    defaults = tuple(
        field.get_db_prep_save(field.get_default(), connection=connection) for field in others
    )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [*given, *others])
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    from psycopg.copy import QueuedLibpqWriter

    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            for row in rows:
                copy.write_row((*row, *defaults))
                count += 1
    return count


def _bulk_create(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    rows = iter(rows)
    count = 0
    while batch := list(islice(rows, BATCH_ROWS)):
        model.objects.bulk_create(model(**dict(zip(fields, row, strict=True))) for row in batch)
        count += len(batch)
    return count
