"""Queries the ORM builds and compiles once, then runs many times with new values.

Django builds a queryset and compiles its SQL on every call. For the small queries that every
page of an enterprise runs (a person's roles in it, the enterprise and its name) that costs
three to four times what the database does (tests/bench/pages.py: the roles' UNION took 1.7 ms
through the ORM and 0.45 ms compiled once). `CompiledQuery` asks the ORM for the SQL once per
database, with sentinel values standing for the parameters, and afterwards only puts the values
in their places: the SQL stays the ORM's, from the models, on every database.

Only text, whole numbers and one date can be parameters; the ORM must pass each one to the
database as a query parameter (never inlined into the SQL), which compiling checks.

`page_of` pages such a query in one request to the database: `ranked` numbers its rows and
counts them (a window function, a count subquery), and the page's bounds are parameters like
any other.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Func, IntegerField, Model, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

# A date no real row holds, standing for a date parameter; text parameters are "\x1f<name>",
# numbers large negative ones.
_DATE_SENTINEL = datetime.date(1111, 11, 11)
_NUMBER_SENTINEL = -1_987_654_321
# psycopg's sized integers, by the name of their type; any other integer: 64 bits.
_BITS = {"Int2": 16, "Int4": 32, "Int8": 64}


class CompiledQuery:
    """`build(**values) -> QuerySet`, compiled once per database for the parameters `text`,
    `numbers` and `dates` (the names of `build`'s arguments). `rows(**values)` runs it for
    values_list querysets; `objects(**values)` returns the model's instances (no select_related
    there: the instances come from `Model.objects.raw`)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        text: Iterable[str] = (),
        numbers: Iterable[str] = (),
        dates: Iterable[str] = (),
        using: str = "default",
    ) -> None:
        self._build = build
        self._text = tuple(text)
        self._numbers = tuple(numbers)
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
            sentinels |= {
                name: _NUMBER_SENTINEL - index for index, name in enumerate(self._numbers)
            }
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
        names = self._text + self._numbers + self._dates
        if set(values) != set(names):
            raise TypeError(f"CompiledQuery wants {names}, got {sorted(values)}")
        return [param if name is None else _like(param, values[name]) for name, param in slots]

    def _holdable(self, compiled: _Compiled, values: dict[str, Any]) -> bool:
        """Whether every number fits the integer the database compares it with (a URL's
        `<int:…>` takes any length; the ORM, too, finds nothing for one out of range)."""
        for name, param in compiled.slots:
            if name in self._numbers:
                bits = _BITS.get(type(param).__name__, 64)
                if not -(2 ** (bits - 1)) <= values[name] < 2 ** (bits - 1):
                    return False
        return True

    def rows(self, **values: Any) -> list[tuple]:
        """The rows of a values_list queryset, for these values (none for a number its column
        cannot hold: no row has it)."""
        compiled = self._compile()
        if not self._holdable(compiled, values):
            return []
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
        if not self._holdable(compiled, values):
            return []
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
        if param == sentinel and not isinstance(param, bool):
            return name
        if isinstance(sentinel, datetime.date) and param == sentinel.isoformat():
            return name
    return None


def _like(sentinel_param: Any, value: Any) -> Any:
    """`value` in the shape the database adapter gave the sentinel (a date or its ISO text, an
    int or psycopg's sized int)."""
    if isinstance(value, datetime.date) and isinstance(sentinel_param, str):
        return value.isoformat()
    if isinstance(sentinel_param, int) and type(sentinel_param) is not int:
        return type(sentinel_param)(value)  # psycopg's Int4, Int8…: the type the ORM chose
    return value


def ranked(queryset: QuerySet, order_by: list, *, first: int, last: int) -> QuerySet:
    """`queryset`'s rows numbered in `order_by` order, those after `first` up to `last`, each
    with `page_total`, the number of rows before the cut: what `page_of` reads.

    The total is counted by a subquery of its own, on the filtered rows alone: as a window
    over the numbered rows (COUNT(*) OVER ()) it made PostgreSQL keep every row, joins and
    shown columns included, before the cut (a third of «Qui gère nos accès ?»'s query with
    151 managers, tests/bench/pages.py)."""
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    total = queryset.order_by().values("pk").annotate(total=count).values("total")
    return (
        queryset.annotate(
            page_rank=Window(RowNumber(), order_by=order_by),
            page_total=Subquery(total),
        )
        .filter(page_rank__gt=first, page_rank__lte=last)
        .order_by("page_rank")
    )


# Past it, a page number is past the end of any list (and of what the row numbers can reach).
_LAST_PAGE = 1_000_000


def page_of(
    query: CompiledQuery,
    number: str | None,
    *,
    per_page: int,
    make: Callable[[tuple], Any] = tuple,
    **values: Any,
) -> Page:
    """Page `number` (from the URL: not a number, the first page; past the end, the last) of
    `query`, whose `build` takes `first` and `last` and returns `ranked` rows ending with
    `page_total`; each row becomes `make(row without page_total)`. One query (two or three for
    a page past the end)."""
    try:
        wanted = min(max(int(number), 1), _LAST_PAGE)
    except (TypeError, ValueError):
        wanted = 1
    rows = _page_rows(query, wanted, per_page, values)
    if not rows and wanted > 1:
        total = _total(_page_rows(query, 1, per_page, values))
        wanted = max(math.ceil(total / per_page), 1)
        rows = _page_rows(query, wanted, per_page, values)
    total = _total(rows)
    found = [make(row[:-1]) for row in rows]
    paginator = Paginator(_Known(total, found, (wanted - 1) * per_page), per_page)
    return paginator.page(wanted if total else 1)


def _page_rows(query: CompiledQuery, number: int, per_page: int, values: dict) -> list[tuple]:
    return query.rows(first=(number - 1) * per_page, last=number * per_page, **values)


def _total(rows: list[tuple]) -> int:
    return rows[0][-1] if rows else 0


class _Known(Sequence):
    """`total` items of which only those of one page (`found`, from `offset`) were read: what
    the Paginator needs to count, and to slice that page."""

    def __init__(self, total: int, found: list, offset: int) -> None:
        self._total, self._found, self._offset = total, found, offset

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("only the page read can be sliced")
        return self._found[index.start - self._offset : index.stop - self._offset]
