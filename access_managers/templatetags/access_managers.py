"""The access managers' template tags (`{% load access_managers %}`).

`{% domain_sections overview enterprise current_gap can_manage %}`: the «Gestionnaires d'Accès»
sections of the enterprise's page, one per domain of the catalogue (fourteen): its name linking
to the domain's page, the GAP (GA of every domain), the first GAs and their addresses, a link to
all of them when there are more, and the small plus that adds one.

Built in Python rather than as a template loop: as a loop, the fourteen sections were half of the
busiest page's rendering (tests/bench/pages.py: 3.2 ms of the page's 7.4). Every value goes through
`html.escape` — what Django's `escape` does, without the lazy-string checks that made `format_html`
cost as much again — and the sections are marked safe once, whole.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PLUS = (  # a fixed icon, no data in it
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
