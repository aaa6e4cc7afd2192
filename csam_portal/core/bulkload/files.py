"""A register file: how it maps to its table (`FileSpec`), how it is read (`read_rows`), and what
loading it did (`FileReport`); the refusals of a file (`MalformedFile`) and of a row (`RowError`,
`SkipRow`)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.db import models

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
    """How one CSV file maps to the table of one model.

    `parse(row)` turns the file's fields into the staged `columns` values (text, ISO dates, "1"
    or "0" for booleans, None for NULL), or raises RowError; it raises SkipRow for a row that is
    not refused (e.g. an establishment unit in an enterprise file). A text longer than its
    column's `max_length` refuses its row (PostgreSQL would refuse the whole file). `key` names
    the columns that identify a row (a unique constraint of the table); `types` the columns that
    are not text ("date", "boolean"). `parent` = (column, model, column): rows whose parent is
    missing are refused. `replace_by` = a column naming the row's owner: for each owner in the
    file, its rows absent from the file are deleted (the file holds all of them). `supersede` =
    (column, reason): of the rows of one key, the one whose `column` is the latest (NULL: later
    than any) is kept and the earlier ones are skipped as `reason` (e.g. an address struck off
    before the current one); without it, or between equal values, the key twice is an error of
    the file.
    """

    header: Sequence[str]
    model: type[models.Model]
    columns: Sequence[str]
    key: Sequence[str]
    parse: Callable[[list[str]], Sequence | None]
    types: Mapping[str, str] = field(default_factory=dict)
    parent: tuple[str, type[models.Model], str] | None = None
    replace_by: str | None = None
    supersede: tuple[str, str] | None = None
    # What a full file does to the rows of the table it no longer lists: "delete" them, or an
    # SQL assignment such as "status = 'ST'"; None leaves them.
    absent: str | None = None

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @cached_property
    def _limited(self) -> list[tuple[int, str, int]]:
        """(position, column, max_length) of each text column."""
        fields = {field.column: field for field in self.model._meta.concrete_fields}
        return [
            (position, column, fields[column].max_length)
            for position, column in enumerate(self.columns)
            if getattr(fields[column], "max_length", None)
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
