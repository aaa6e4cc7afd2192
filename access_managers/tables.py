"""The table of a qualité's «Utilisateurs» (flows.md §4), on django-tables2: the checkbox, Nom,
Prénom, Nom d'utilisateur, Type, NISS, Statut and Action columns, each sortable but the first and
the last. It filters, orders and pages the qualité's memberships alone (`MembersData`); a name
orders by its upper case, as the indexes of the membership table do (models/qualities.py)."""

from __future__ import annotations

from html import escape

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2 import Column, Table
from django_tables2.data import TableQuerysetData

from access_managers import quality_user_selectors
from access_managers.models import AccessManager, QualityMembership

Role = AccessManager.Role
TYPE_LABELS = {Role.GL: _("GL"), Role.CO_GL: _("Co-GL"), None: _("USER")}
STATUS_LABELS = dict(QualityMembership.Status.choices)


def niss_spaced(niss: str) -> str:
    """A NISS as the list shows it: 999999 999 99."""
    return f"{niss[:6]} {niss[6:9]} {niss[9:]}" if len(niss) == 11 else niss


class MembersData(TableQuerysetData):
    """The table's data: the qualité's memberships, filtered and ordered, with nothing joined
    (quality_user_selectors.quality_members). A page's ten ids are read from the order's index
    alone (page 1,000 skips 9,990 index entries, not 9,990 rows and their joins), then what the
    table shows of those ten by one compiled query (quality_user_selectors.quality_user_rows_of)."""

    def __init__(self, data, *, quality_id: int, count: int | None = None):
        super().__init__(data)
        self.quality_id = quality_id
        self._length = count  # known already (the qualité's kept counts), else counted
        self.by_type: bool | None = None  # ordered by Type: descending?

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        if self.by_type is None:
            ids = list(self.data.values_list("pk", flat=True)[key])
        else:
            ids = self._ids_by_type(key)
        # The rows of those ids, in their order: the filters are not repeated around them.
        return quality_user_selectors.quality_user_rows_of(ids)

    def _ids_by_type(self, key: slice) -> list[int]:
        """A page in the order of Type (GL, co-GLs, users; by name within each), without
        computing every member's type: the local managers, a handful, are read in that order
        and set before (descending, after) the users, whom the names' index orders — at
        100,000 users, milliseconds instead of the half second of sorting them all."""
        start, stop = key.start or 0, key.stop
        local = list(
            self.data.filter(
                person_id__in=quality_user_selectors.local_manager_nisses(
                    quality_id=self.quality_id
                )
            ).values_list("pk", flat=True)
        )
        names = [Upper("last_name"), Upper("first_name"), F("pk")]
        users = (
            self.data.exclude(pk__in=local)
            .order_by(*(name.desc() if self.by_type else name.asc() for name in names))
            .values_list("pk", flat=True)
        )
        if self.by_type:  # descending: the users (Z to A), then the co-GLs and the GL
            head, tail, split = users, local, len(self) - len(local)
        else:
            head, tail, split = local, users, len(local)
        ids = list(head[start : min(stop, split)]) if start < split else []
        if stop > split:
            ids += list(tail[max(start - split, 0) : stop - split])
        return ids


class QualityUserTable(Table):
    select = Column(verbose_name=_("Sélection"), accessor="pk", orderable=False, empty_values=())
    last_name = Column(verbose_name=_("Nom"))
    first_name = Column(verbose_name=_("Prénom"))
    username = Column(verbose_name=_("Nom d'utilisateur"), default="")
    type = Column(verbose_name=_("Type"), accessor="local_role", empty_values=())
    niss = Column(verbose_name=_("NISS"), accessor="person_id")
    status = Column(verbose_name=_("Statut"))
    action = Column(verbose_name=_("Action"), accessor="pk", orderable=False, empty_values=())

    class Meta:
        template_name = "access_managers/social_security/users_table.html"
        order_by_field = "sort"
        page_field = "page"
        per_page = 10
        empty_text = _("Aucun utilisateur ne répond à ces critères.")

    def __init__(
        self, members, *args, quality_id: int, selectable: bool, count: int | None = None, **kwargs
    ):
        self.quality_id = quality_id
        exclude = () if selectable else ("select",)
        data = MembersData(members, quality_id=quality_id, count=count)
        super().__init__(data, *args, exclude=exclude, **kwargs)
        self._detail = reverse("access_managers:quality_user", args=[quality_id, 0])[:-2]

    def head_html(self) -> SafeString:
        """The heading cells: each sortable column's name a link that orders by it (the other
        way when it is the order already, saying which in `aria-sort`), keeping the filters and
        going back to the first page. Built here, as the rows are, rather than by a template
        loop of `{% querystring %}` tags (a third of the table's rendering)."""
        query = self.request.GET.copy()
        query.pop(self.prefixed_page_field, None)
        cells = []
        for column in self.columns:
            header = escape(str(column.header))
            if column.name == "select":
                cells.append(
                    f'<th scope="col" class="text-nowrap">'
                    f'<span class="visually-hidden">{header}</span></th>'
                )
                continue
            if not column.orderable:
                cells.append(f'<th scope="col" class="text-nowrap">{header}</th>')
                continue
            alias, sort, arrow = column.order_by_alias, "", ""
            if column.is_ordered:
                descending = alias.is_descending
                sort = f' aria-sort="{"descending" if descending else "ascending"}"'
                arrow = f' <span aria-hidden="true">{"▼" if descending else "▲"}</span>'
            query[self.prefixed_order_by_field] = alias.next
            link = escape(f"?{query.urlencode()}")
            link = f'<a href="{link}">{header}{arrow}</a>'
            cells.append(f'<th scope="col" class="text-nowrap"{sort}>{link}</th>')
        return mark_safe("".join(cells))  # every value escaped above

    def rows_html(self) -> SafeString:
        """The page's rows: each cell as `render_<column>` makes it, with its column's name in
        `data-label` (the stacked table of a phone shows it). Built here rather than by the
        template's loop over tables2's cells, which cost more than all of the page's queries
        (tests/bench/users.py); every value escaped, the whole marked safe once."""
        columns = [(bound.name, escape(str(bound.header))) for bound in self.columns]
        render = {
            "select": self.render_select,
            "action": self.render_action,
        }
        lines = []
        for row in self.page.object_list if self.page else []:
            record, cells = row.record, []
            for name, label in columns:
                if name in render:
                    content = render[name](record)
                else:
                    content = escape(self._plain(name, record))
                label = "" if name == "select" else label
                nowrap = ' class="text-nowrap"' if name in ("type", "niss") else ""
                cells.append(f'<td data-label="{label}"{nowrap}>{content}</td>')
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # every value escaped above

    def _plain(self, name: str, record: dict) -> str:
        if name == "type":
            return self.render_type(record["local_role"])
        if name == "niss":
            return self.render_niss(record["person_id"])
        if name == "status":
            return self.render_status(record["status"])
        return record.get(name) or ""

    def render_select(self, record) -> str:
        name = f"{record['first_name']} {record['last_name']}"
        label = escape(gettext("Sélectionner %(name)s") % {"name": name})
        return (
            f'<input class="form-check-input" type="checkbox" name="user" value="{record["pk"]}" '
            f'form="users-action" aria-label="{label}">'
        )

    def render_type(self, value) -> str:
        return str(TYPE_LABELS.get(value, TYPE_LABELS[None]))

    def render_niss(self, value) -> str:
        return niss_spaced(value)

    def render_status(self, value) -> str:
        return str(STATUS_LABELS.get(value, value))

    def render_action(self, record) -> str:
        name = f"{record['first_name']} {record['last_name']}"
        label = escape(gettext("Consulter / modifier"))
        return (
            f'<a href="{escape(self._detail)}{record["pk"]}/">{label}'
            f'<span class="visually-hidden"> {escape(name)}</span></a>'
        )

    # Orders, each ending on the id so that a page is always the same rows.

    def order_last_name(self, queryset, is_descending: bool):
        keys = [Upper("last_name"), Upper("first_name"), F("pk")]
        return _ordered(queryset, keys, is_descending), True

    def order_first_name(self, queryset, is_descending: bool):
        keys = [Upper("first_name"), Upper("last_name"), F("pk")]
        return _ordered(queryset, keys, is_descending), True

    def order_username(self, queryset, is_descending: bool):
        keys = [Upper("username"), F("pk")]  # the account's, as the membership keeps it
        return _ordered(queryset, keys, is_descending), True

    def order_type(self, queryset, is_descending: bool):
        self.data.by_type = is_descending  # MembersData pages this order by itself
        role = quality_user_selectors.local_role_of_member()
        kind = Case(
            When(Q(Exact(role, Value(Role.GL))), then=Value(0)),
            When(Q(Exact(role, Value(Role.CO_GL))), then=Value(1)),
            default=Value(2),
        )
        keys = [kind, Upper("last_name"), Upper("first_name"), F("pk")]
        return _ordered(queryset, keys, is_descending), True

    def order_niss(self, queryset, is_descending: bool):
        return _ordered(queryset, [F("person_id"), F("pk")], is_descending), True

    def order_status(self, queryset, is_descending: bool):
        keys = [F("status"), Upper("last_name"), Upper("first_name"), F("pk")]
        return _ordered(queryset, keys, is_descending), True


def _ordered(queryset, keys, descending: bool):
    return queryset.order_by(*(key.desc() if descending else key.asc() for key in keys))
