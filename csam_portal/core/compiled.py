"""Queries the ORM builds and compiles once, then runs many times with new values.

Django builds a queryset and compiles its SQL on every call. For the small queries that every
page of an enterprise runs (a person's roles in it, the enterprise and its name) that costs
three to four times what the database does (tests/bench/pages.py: the roles' UNION took 1.7 ms
through the ORM and 0.45 ms compiled once). `CompiledQuery` asks the ORM for the SQL once per
database, with sentinel values standing for the parameters, and afterwards only puts the values
in their places: the SQL stays the ORM's, from the models, on every database.

Only text and dates can be parameters; the ORM must pass each one to the database as a query
parameter (never inlined into the SQL), which compiling checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

# A date no real row holds, standing for a date parameter; text parameters are "\x1f<name>".
_DATE_SENTINEL = datetime.date(1111, 11, 11)


class CompiledQuery:
    """`build(**values) -> QuerySet`, compiled once per database for the parameters `text` and
    `dates` (the names of `build`'s arguments). `rows(**values)` runs it for values_list
    querysets; `objects(**values)` returns the model's instances (no select_related there: the
    instances come from `Model.objects.raw`)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        text: Iterable[str] = (),
        dates: Iterable[str] = (),
        using: str = "default",
    ) -> None:
        self._build = build
        self._text = tuple(text)
        self._dates = tuple(dates)
        self._using = using
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self) -> _Compiled:
        connection = connections[self._using]
        key = connection.vendor
        if key not in self._compiled:
            sentinels: dict[str, Any] = {name: f"\x1f{name}" for name in self._text}
            if len(self._dates) > 1:
                raise ValueError("CompiledQuery takes one date parameter at most.")
            sentinels |= {name: _DATE_SENTINEL for name in self._dates}
            queryset = self._build(**sentinels)
            compiler = queryset.query.get_compiler(self._using)
            sql, params = compiler.as_sql()
            slots = [(_which(param, sentinels), param) for param in params]
            missing = set(sentinels) - {name for name, _ in slots}
            if missing:
                raise ValueError(f"{sorted(missing)} did not become query parameters.")
            # What the database returns becomes Python values as the ORM would make them
            # (SQLite's dates and times are text, for one).
            columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
            converters = compiler.get_converters(columns)
            self._compiled[key] = _Compiled(sql, slots, queryset.model, converters)
        return self._compiled[key]

    def _params(self, slots, values: dict[str, Any]) -> list[Any]:
        if set(values) != set(self._text) | set(self._dates):
            raise TypeError(f"CompiledQuery wants {self._text + self._dates}, got {sorted(values)}")
        return [param if name is None else _like(param, values[name]) for name, param in slots]

    def rows(self, **values: Any) -> list[tuple]:
        """The rows of a values_list queryset, for these values."""
        compiled = self._compile()
        connection = connections[self._using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self._params(compiled.slots, values))
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        return [_converted(row, compiled.converters, connection) for row in rows]

    def objects(self, **values: Any) -> list[Model]:
        """The model's instances (with the queryset's annotations as attributes)."""
        compiled = self._compile()
        manager = compiled.model._default_manager.using(self._using)
        return list(manager.raw(compiled.sql, self._params(compiled.slots, values)))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list[tuple[str | None, Any]]  # each parameter: the value's name, or the constant
    model: type[Model]
    converters: dict[int, tuple[list[Callable], Any]]  # column → (converters, expression)


def _converted(row: tuple, converters, connection) -> tuple:
    """`row` with each column's converters applied (what the ORM's `apply_converters` does)."""
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)


def _which(param: Any, sentinels: dict[str, Any]) -> str | None:
    """The name of the sentinel `param` is (as the database adapter got it), else None."""
    for name, sentinel in sentinels.items():
        if param == sentinel or (
            isinstance(sentinel, datetime.date) and param == sentinel.isoformat()
        ):
            return name
    return None


def _like(sentinel_param: Any, value: Any) -> Any:
    """`value` in the shape the database adapter gave the sentinel (a date, or its ISO text)."""
    if isinstance(value, datetime.date) and isinstance(sentinel_param, str):
        return value.isoformat()
    return value
