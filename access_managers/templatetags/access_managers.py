"""The access managers' template tags (`{% load access_managers %}`): the parts of their pages
that repeat the most, built in Python.

- `{% domain_sections overview enterprise current_gap can_manage %}`: the «Gestionnaires
  d'Accès» sections of the enterprise's page, one per domain of the catalogue (fourteen): its
  name linking to the domain's page, the GAP (GA of every domain), the first GAs and their
  addresses, a link to all of them when there are more, and the small plus that adds one.
- `{% domain_ga_items terms enterprise domain can_manage %}`: a domain's page's GAs, each with
  their addresses and, for whoever manages them, the links that remove the GA, edit (pencil) or
  delete (cross) an address and add one.
- `{% co_gap_rows terms enterprise can_manage %}` and `{% who_manages_rows terms %}`: the rows
  of the co-GAPs' and «Qui gère nos accès ?»'s tables (the tables themselves, their captions
  and headings, stay in the templates). Each cell carries its column's name in `data-label`,
  which the stacked tables of narrow screens show.
- `{% filter_fields form %}`: a filter form's fields (text inputs and selects) with their labels
  and errors, as Django's widget templates would render them («Utilisateurs»' filters).

Why in Python: as template loops, the fourteen sections were half of the busiest page's
rendering (tests/bench/pages.py: 3.2 ms of the page's 7.4), and each table row cost 70–150 µs,
the larger part of the difference between a page of one row and a page of ten. Every value goes
through `html.escape` (what Django's `escape` does, without the lazy-string checks that made
`format_html` cost as much again) and the HTML is marked safe once, whole.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PENCIL = (  # fixed icons, no data in them
    '<svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor">'
    '<path d="M3 17.25V21h3.75L17.8 9.94l-3.75-3.75L3 17.25zM20.7 7.04a1 1 0 0 0 0-1.41l-2.33'
    '-2.33a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.82-1.84z"/></svg>'
)
_CROSS = (
    '<svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor">'
    '<path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 '
    '19 17.59 13.41 12z"/></svg>'
)
_PLUS = (
    '<svg aria-hidden="true" class="me-1" width="16" height="16" viewBox="0 0 24 24" '
    'fill="currentColor"><path d="M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z"/></svg>'
)


def _ga_line(term) -> str:
    addresses = ", ".join(escape(address.email) for address in term.addresses)
    return f"<li>{escape(term.person.full_name)}{' – ' + addresses if addresses else ''}</li>"


@register.simple_tag
def domain_sections(overview, enterprise, current_gap, can_manage: bool) -> SafeString:
    # A domain's page and its «Ajouter» are under the enterprise's page (access_managers/urls.py).
    base = escape(reverse("access_managers:enterprise", args=[enterprise.number]))
    gap_line = ""
    if current_gap is not None:
        label = escape(gettext("Gestionnaire d'Accès Principal"))
        email = f" – {escape(current_gap.email)}" if current_gap.email else ""
        gap_line = (
            f"<li>{escape(current_gap.person.full_name)} "
            f'<span class="text-body-secondary">({label})</span>{email}</li>'
        )
    see_all = escape(gettext("Voir tous les Gestionnaires d'Accès du domaine"))
    add = escape(gettext("Ajouter un Gestionnaire d'Accès"))
    sections = []
    for entry in overview.domains:
        code, name = escape(entry.domain.code), escape(entry.domain.name)
        url = f"{base}domains/{code}/"
        gas = "".join(_ga_line(term) for term in entry.terms)
        more = (
            f'<li><a href="{url}">{see_all} ({entry.count:d})'
            f'<span class="visually-hidden"> – {name}</span></a></li>'
            if entry.more
            else ""
        )
        plus = (
            f'<p class="mb-0"><a href="{url}add/">{_PLUS}{add}'
            f'<span class="visually-hidden"> – {name}</span></a></p>'
            if can_manage
            else ""
        )
        sections.append(
            f'<section id="domain-{code}" class="domain-block mb-3" '
            f'aria-labelledby="domain-{code}-title">'
            f'<h3 id="domain-{code}-title" class="h6 fw-bold"><a href="{url}">{name}</a></h3>'
            f'<ul class="list-unstyled mb-1">{gap_line}{gas}{more}</ul>{plus}</section>'
        )
    return mark_safe("\n".join(sections))  # every value above is escaped


def _cells(*cells: tuple[str, str]) -> str:
    """`<td>`s of (escaped label, escaped content)."""
    return "".join(f'<td data-label="{label}">{content}</td>' for label, content in cells)


def _short_date(value) -> str:
    """What `{{ value|date:"SHORT_DATE_FORMAT" }}` shows: the date in the current time zone,
    nothing for no date."""
    if value is None:
        return ""
    return formats.date_format(timezone.template_localtime(value), "SHORT_DATE_FORMAT")


@register.simple_tag
def co_gap_rows(terms, enterprise, can_manage: bool) -> SafeString:
    # Literal msgids, each its own gettext: makemessages finds them here.
    name, email, since = (
        escape(gettext("Nom")),
        escape(gettext("E-mail")),
        escape(gettext("Depuis le")),
    )
    remove = escape(gettext("Supprimer"))
    # Under the co-GAPs' list (access_managers/urls.py): one URL reversed for the table.
    base = escape(reverse("access_managers:co_gap_list", args=[enterprise.number]))
    rows = []
    for term in terms:
        full_name = escape(term.person.full_name)
        cells = _cells(
            (name, full_name), (email, escape(term.email)), (since, _short_date(term.started_at))
        )
        if can_manage:
            cells += _cells(
                (
                    "",
                    f'<a href="{base}{term.pk:d}/remove/">{remove}'
                    f'<span class="visually-hidden"> {full_name}</span></a>',
                )
            )
        rows.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(rows))  # every value above is escaped


@register.simple_tag
def who_manages_rows(terms) -> SafeString:
    role, place = escape(gettext("Rôle")), escape(gettext("Domaine ou qualité"))
    name, email = escape(gettext("Nom")), escape(gettext("E-mail"))
    everywhere = escape(gettext("Tous les domaines"))
    rows = []
    for term in terms:
        contacts = ", ".join(
            f'<a href="mailto:{escape(address)}">{escape(address)}</a>' for address in term.contacts
        )
        cells = _cells(
            (role, escape(term.get_role_display())),
            (place, escape(term.place) or everywhere),
            (name, escape(term.person.full_name)),
            (email, contacts or "–"),
        )
        rows.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(rows))  # every value above is escaped


@register.simple_tag
def domain_ga_items(terms, enterprise, domain, can_manage: bool) -> SafeString:
    remove = escape(gettext("Supprimer"))
    edit_address = escape(gettext("Modifier l'adresse"))
    remove_address = escape(gettext("Supprimer l'adresse"))
    add_address = escape(gettext("Ajouter une adresse e-mail"))
    no_address = escape(gettext("Aucune adresse e-mail"))
    ga_of_domain = escape(
        gettext("Gestionnaire d'Accès du domaine «%(domain)s»") % {"domain": domain.name}
    )
    # The GAs' and their addresses' actions are under the enterprise's page (urls.py).
    base = escape(reverse("access_managers:enterprise", args=[enterprise.number]))
    items = []
    for term in terms:
        name = escape(term.person.full_name)
        head = name
        if can_manage:
            head += (
                f' <a class="ms-2" href="{base}gas/{term.pk:d}/remove/">{remove}'
                f'<span class="visually-hidden"> {name}, {ga_of_domain}</span></a>'
            )
        addresses = []
        for address in term.addresses:
            email = escape(address.email)
            links = ""
            if can_manage:
                links = (
                    f'\n<a class="ms-2" href="{base}emails/{address.pk:d}/edit/">{_PENCIL}'
                    f'<span class="visually-hidden">{edit_address} {email}</span></a>'
                    f'\n<a class="ms-2" href="{base}emails/{address.pk:d}/remove/">{_CROSS}'
                    f'<span class="visually-hidden">{remove_address} {email}</span></a>'
                )
            addresses.append(f"<li>{email}{links}</li>")
        if not addresses:
            addresses.append(f'<li class="text-body-secondary">{no_address}</li>')
        if can_manage:
            for_name = escape(gettext("pour %(name)s") % {"name": term.person.full_name})
            addresses.append(
                f'<li><a href="{base}gas/{term.pk:d}/emails/add/">{_PLUS}{add_address}'
                f'<span class="visually-hidden"> {for_name}</span></a></li>'
            )
        items.append(
            f'<li class="mb-2">{head}<ul class="list-unstyled ms-3">{"".join(addresses)}</ul></li>'
        )
    return mark_safe("\n".join(items))  # every value above is escaped


def _attributes(attrs: dict) -> str:
    return " ".join(
        escape(name) if value is True else f'{escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


@register.simple_tag
def filter_fields(form) -> SafeString:
    """A filter form's fields (text inputs and selects), each in its column with its label and
    its errors: what Django's widget templates render, built here (they were a third of
    «Utilisateurs»' time, tests/bench/users.py). The value shown is the one asked."""
    parts = []
    for bound in form:
        widget, field = bound.field.widget, bound.field
        ident = bound.id_for_label
        attrs = {"name": bound.html_name, "id": ident, **widget.attrs}
        errors = ""
        if bound.errors:
            attrs |= {"aria-invalid": "true", "aria-describedby": f"{ident}_error"}
            errors = "".join(
                f'<div class="invalid-feedback d-block" id="{escape(ident)}_error">'
                f"{escape(str(error))}</div>"
                for error in bound.errors
            )
        value = bound.value()
        value = "" if value is None else str(value)
        if getattr(widget, "allow_multiple_selected", None) is not None:  # a select
            options = "".join(
                f'<option value="{escape(str(choice))}"'
                f"{' selected' if str(choice) == value else ''}>{escape(str(label))}</option>"
                for choice, label in field.choices
            )
            control = f"<select {_attributes(attrs)}>{options}</select>"
        else:
            attrs |= {"type": widget.input_type, "value": value}
            control = f"<input {_attributes(attrs)}>"
        label = escape(str(bound.label))
        parts.append(
            f'<div class="col-sm-6 col-lg-4"><label class="form-label mb-0" for="{escape(ident)}">'
            f"{label}</label>{control}{errors}</div>"
        )
    return mark_safe("".join(parts))  # every value escaped above
