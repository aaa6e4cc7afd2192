"""Garbage in a URL, its query string or its form is a 4xx, never a 500.

Every pattern of the root URLconf (the portal's, the included ones, the admin's) is requested
with hostile values in each of its parameters, and with hostile query strings and forms (the
fields its page shows), by an anonymous visitor, a GAP and back-office staff; every admin change
list, by a superuser, with hostile values in each of its filters, its date hierarchy, its search,
ordering and page. A new URL or ModelAdmin is covered without editing this file.

The run on PostgreSQL finds the most: it refuses a NUL byte in a query, where SQLite does not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from access_managers import document_links
from access_managers.models import ExceptionalRequest
from access_managers.services import exceptional_requests
from tests.factories import (
    AccessManagerFactory,
    EnterpriseFactory,
    EnterpriseQualityFactory,
    QualityMembershipFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# In a URL's parameters (a path segment).
HOSTILE = {
    "nul": "\x00",
    "long": "9" * 10_000,
    "dot-dot": "../",
    "arabic-digits": "٠١٢٣٤٥٦٧٨٩",
    "fullwidth-digits": "０１２３４５６７８９",
    "huge-number": "999999999999999999999999",
    "blank": " ",
}
# In a query string or a form (where full-width digits and a blank add nothing to Arabic-Indic
# digits and to the empty fields that forms already handle).
HOSTILE_FIELD_VALUES = {
    name: HOSTILE[name] for name in ["nul", "long", "dot-dot", "arabic-digits", "huge-number"]
}
# In an admin filter: those, and the edges of what dates and numbers hold.
HOSTILE_FILTER_VALUES = {
    **HOSTILE_FIELD_VALUES,
    "year-9999": "9999",
    "minus": "-1",
    "first-day": "0001-01-01",
    "last-second": "9999-12-31 23:59:59",
}
# Names a page may read from its query string or form without showing a field for them.
COMMON_NAMES = [
    *["next", "q", "p", "o", "e", "page", "list", "language", "_changelist_filters"],
    *["term", "app_label", "model_name", "field_name"],  # the admin's autocomplete
]


def _endpoints(resolver: URLResolver, chain: tuple = ()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _endpoints(entry, (*chain, entry))
        else:
            yield (*chain, entry)


@dataclass(frozen=True)
class Endpoint:
    """A pattern with its prefixes: its route for humans, a format string for the URL."""

    route: str
    url_format: str
    params: tuple[str, ...]

    def url(self, values: dict[str, str]) -> str:
        return "/" + self.url_format % {name: quote(values[name], safe="") for name in self.params}


def _endpoint(chain: tuple) -> list[Endpoint]:
    route = "".join(str(entry.pattern) for entry in chain)
    endpoints = []
    # Each part's regex in the shapes reverse() would build (an optional group gives two).
    for parts in itertools.product(*(normalize(entry.pattern.regex.pattern) for entry in chain)):
        url_format = "".join(part_format for part_format, _params in parts)
        params = tuple(param for _format, part_params in parts for param in part_params)
        endpoints.append(Endpoint(route=route, url_format=url_format, params=params))
    return endpoints


ENDPOINTS = [endpoint for chain in _endpoints(get_resolver()) for endpoint in _endpoint(chain)]


class _FormFields(HTMLParser):
    """The names of a page's form fields: those a person fills in, and the hidden ones."""

    def __init__(self) -> None:
        super().__init__()
        self.visible: set[str] = set()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag not in {"input", "select", "textarea", "button"} or not name:
            return
        if tag == "input" and attributes.get("type") == "hidden":
            self.hidden[name] = attributes.get("value") or ""
        else:
            self.visible.add(name)


def _is_page(response) -> bool:
    return "html" in response.get("Content-Type", "")


def _form_fields(response) -> _FormFields:
    fields = _FormFields()
    if response.status_code == 200 and _is_page(response):
        fields.feed(response.content.decode(errors="replace"))
    return fields


@dataclass
class Visitor:
    """A client logged in as `user` (None: anonymous), logged in again after a logout page."""

    name: str
    user: object
    client: Client

    def request(self, method: str, url: str, data: dict | None = None):
        response = getattr(self.client, method)(url, data)
        seen_as = getattr(response.wsgi_request, "user", None)  # none: refused before the session
        if self.user is not None and seen_as is not None and not seen_as.is_authenticated:
            self.client.force_login(self.user)
        return response

    def server_errors(self, requests) -> list[str]:
        failures = []
        for method, url, data in requests:
            status = self.request(method, url, data).status_code
            if status >= 500:
                failures.append(self.failure(method, url, data, status))
        return failures

    def failure(self, method: str, url: str, data: dict | None, status: int) -> str:
        shown = {name: value[:24] for name, value in list((data or {}).items())[:4]}
        return f"{self.name}: {method.upper()} {url[:100]!r} {shown} → {status}"


def _visitor(name: str, user) -> Visitor:
    client = Client(raise_request_exception=False)  # a 500 is counted, not raised
    if user is not None:
        client.force_login(user)
    return Visitor(name=name, user=user, client=client)


@pytest.fixture
def hostile_world():
    """The three visitors, and a plausible value of each URL parameter (a real row's where one
    exists: the GAP's enterprise, its co-GAP's term, a qualité of it the GAP is a user of, an
    exceptional request's ticket and its document's signed link; "1" for a parameter not named
    here)."""
    gap = UserFactory()
    enterprise = EnterpriseFactory()
    AccessManagerFactory(enterprise=enterprise, person=gap.person)
    co_gap = AccessManagerFactory(enterprise=enterprise, role="COGAP")
    quality = EnterpriseQualityFactory(enterprise=enterprise)
    QualityMembershipFactory(quality=quality, person=gap.person, email="gap@example.be")
    exceptional = ExceptionalRequest.objects.create(
        ticket=exceptional_requests.ticket_new(),
        enterprise=EnterpriseFactory(),
        requester=gap.person,
        requester_email="requester@example.be",
        requester_phone="+3225123456",
        gap=gap.person,
        gap_email="requester@example.be",
        gap_phone="+3225123456",
        language="fr",
    )
    visitors = [
        _visitor("anonymous", None),
        _visitor("gap", gap),
        _visitor("back office", StaffUserFactory()),
    ]
    values = {
        "number": enterprise.number,
        "term_id": str(co_gap.pk),
        "quality_id": str(quality.pk),
        "ticket": exceptional.ticket,
        "token": document_links.exceptional_document_token(exceptional),
        "step": "enterprise",
        "key": "totp",
        "app_label": "users",
        "content_type_id": "1",
        "object_id": "1",
        "pk": str(exceptional.pk),
        "url": "users/",
    }
    return visitors, values


def _reads_fields(response) -> bool:
    """Whether the URL may read a query string or a form: not when it sends the visitor to log
    in, nor when it serves a file (a PDF, JSON, JavaScript) whatever the query says."""
    login_pages = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))
    if response.status_code == 302 and response.url.startswith(login_pages):
        return False
    return response.status_code != 200 or _is_page(response)


@pytest.mark.parametrize(
    "endpoint", ENDPOINTS, ids=[f"/{endpoint.route}" for endpoint in ENDPOINTS]
)
def test_hostile_url_parameters_query_strings_and_forms_are_never_a_server_error(
    endpoint, hostile_world
):
    visitors, samples = hostile_world
    values = {name: samples.get(name, "1") for name in endpoint.params}
    url = endpoint.url(values)

    failures = []
    for visitor in visitors:
        requests = []
        for value in HOSTILE.values():
            for param in endpoint.params:
                hostile_url = endpoint.url(values | {param: value})
                requests += [("get", hostile_url, None), ("post", hostile_url, None)]
        page = visitor.request("get", url)
        if page.status_code >= 500:
            failures.append(visitor.failure("get", url, None, page.status_code))
        if _reads_fields(page):
            fields = _form_fields(page)
            names = sorted(fields.visible | set(fields.hidden)) or COMMON_NAMES
            query_names = sorted({*names, *COMMON_NAMES})
            for value in HOSTILE_FIELD_VALUES.values():
                requests.append(("get", url, dict.fromkeys(query_names, value)))
                requests.append(("post", url, dict.fromkeys(names, value)))
                if set(fields.hidden) - {"csrfmiddlewaretoken"}:  # e.g. a wizard's current step
                    filled = dict.fromkeys(fields.visible, value) | fields.hidden
                    requests.append(("post", url, filled))
        failures += visitor.server_errors(requests)

    assert failures == [], "\n".join(failures)


def _filter_parameters(model_admin, request) -> set[str]:
    """What each of the list's filters reads from the query string, whether or not it shows (a
    filter with fewer than two choices is hidden from the list, and then ignores its value)."""
    parameters = set()
    for list_filter in model_admin.get_list_filter(request):
        if callable(list_filter):  # a SimpleListFilter
            spec = list_filter(request, {}, model_admin.model, model_admin)
        else:
            field_path, filter_class = (
                list_filter if isinstance(list_filter, tuple | list) else (list_filter, None)
            )
            field = get_fields_from_path(model_admin.model, field_path)[-1]
            spec = (filter_class or FieldListFilter.create)(
                field, request, {}, model_admin.model, model_admin, field_path=field_path
            )
        parameters |= set(spec.expected_parameters())
    hierarchy = model_admin.date_hierarchy
    if hierarchy:
        parameters |= {f"{hierarchy}__year", f"{hierarchy}__month", f"{hierarchy}__day"}
    return parameters | {SEARCH_VAR, ORDER_VAR, PAGE_VAR}


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.usefixtures("hostile_world")  # rows in some lists, drawn with their links
# A date typed in the query string has no time zone; Django warns, then takes the portal's.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
@pytest.mark.parametrize(
    "model_admin",
    [model_admin for _model, model_admin in REGISTERED],
    ids=[model._meta.label for model, _model_admin in REGISTERED],
)
def test_hostile_admin_filter_values_are_never_a_server_error(model_admin):
    superuser = StaffUserFactory(is_superuser=True)  # sees every list, the libraries' too
    visitor = _visitor("superuser", superuser)
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(url)
    request.user = superuser
    parameters = sorted(_filter_parameters(model_admin, request))
    hierarchy = model_admin.date_hierarchy

    requests = [
        ("get", url, {parameter: value})
        for parameter in parameters
        for value in HOSTILE_FILTER_VALUES.values()
    ]
    if hierarchy:  # the last day a date holds, and the first
        for year, month, day in [("9999", "12", "31"), ("9999", "12", None), ("1", "1", "1")]:
            query = {f"{hierarchy}__year": year, f"{hierarchy}__month": month}
            requests.append(("get", url, query | ({f"{hierarchy}__day": day} if day else {})))

    failures = visitor.server_errors(requests)
    assert failures == [], "\n".join(failures)
