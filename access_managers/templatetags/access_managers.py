"""The access managers' template tags (`{% load access_managers %}`).

`{% domain_sections overview enterprise current_gap can_manage %}`: the «Gestionnaires d'Accès»
sections of the enterprise's page, one per domain of the catalogue (fourteen): its name linking
to the domain's page, the GAP (GA of every domain), the first GAs and their addresses, a link to
all of them when there are more, and the small plus that adds one. Built in Python rather than
as a template loop: the fourteen sections were the larger part of the busiest page's rendering
(tests/bench/pages.py); the HTML is the same, escaped by format_html.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_PLUS = mark_safe(  # a fixed icon, no data in it
    '<svg aria-hidden="true" class="me-1" width="16" height="16" viewBox="0 0 24 24" '
    'fill="currentColor"><path d="M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z"/></svg>'
)


@register.simple_tag
def domain_sections(overview, enterprise, current_gap, can_manage: bool) -> SafeString:
    # A domain's page and its «Ajouter» are under the enterprise's page (access_managers/urls.py).
    base = reverse("access_managers:enterprise", args=[enterprise.number])
    gap_line = ""
    if current_gap is not None:
        gap_line = format_html(
            '<li>{} <span class="text-body-secondary">({})</span>{}</li>',
            current_gap.person.full_name,
            gettext("Gestionnaire d'Accès Principal"),
            format_html(" – {}", current_gap.email) if current_gap.email else "",
        )
    see_all = gettext("Voir tous les Gestionnaires d'Accès du domaine")
    add = gettext("Ajouter un Gestionnaire d'Accès")
    sections = []
    for entry in overview.domains:
        domain, name = entry.domain, entry.domain.name
        url = f"{base}domains/{domain.code}/"
        gas = format_html_join(
            "",
            "<li>{}{}</li>",
            (
                (
                    term.person.full_name,
                    format_html(" – {}", ", ".join(a.email for a in term.addresses))
                    if term.addresses
                    else "",
                )
                for term in entry.terms
            ),
        )
        more = ""
        if entry.more:
            more = format_html(
                '<li><a href="{}">{} ({})<span class="visually-hidden"> – {}</span></a></li>',
                url,
                see_all,
                entry.count,
                name,
            )
        plus = ""
        if can_manage:
            plus = format_html(
                '<p class="mb-0"><a href="{}add/">{}{}<span class="visually-hidden"> – {}</span>'
                "</a></p>",
                url,
                _PLUS,
                add,
                name,
            )
        sections.append(
            format_html(
                '<section id="domain-{code}" class="domain-block mb-3" '
                'aria-labelledby="domain-{code}-title">'
                '<h3 id="domain-{code}-title" class="h6 fw-bold"><a href="{url}">{name}</a></h3>'
                '<ul class="list-unstyled mb-1">{gap}{gas}{more}</ul>{plus}</section>',
                code=domain.code,
                url=url,
                name=name,
                gap=gap_line,
                gas=gas,
                more=more,
                plus=plus,
            )
        )
    return mark_safe("\n".join(sections))  # each part built by format_html
