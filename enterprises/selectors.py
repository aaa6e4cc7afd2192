"""Reads of the register, with what their pages show already fetched."""

from datetime import date

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone, translation

from csam_portal.core.compiled import CompiledQuery
from enterprises.models import (
    KBO_LANGUAGES,
    OFFICIAL_NAME,
    Denomination,
    Enterprise,
    LegalFunction,
    RegistryCode,
)


def official_name(enterprise: str = "number", *, kbo_language: str | None = None) -> Subquery:
    """The official name of the enterprise `enterprise` refers to, in the page's language (or
    the register's `kbo_language` code), else in the register's first language (what
    `Enterprise.name` reads): annotate it as `official_name` to read an enterprise and its name
    in one query."""
    if kbo_language is None:
        kbo_language = page_kbo_language()
    names = (
        Denomination.objects.filter(enterprise_id=OuterRef(enterprise), type=OFFICIAL_NAME)
        .order_by(Case(When(language=kbo_language, then=Value(0)), default=Value(1)), "language")
        .values("value")[:1]
    )
    return Subquery(names)


def page_kbo_language() -> str:
    """The register's code of the page's language ("" if it has none)."""
    language = (translation.get_language() or "fr")[:2]
    return next((code for code, name in KBO_LANGUAGES.items() if name == language), "")


_ENTERPRISE_NAMED = CompiledQuery(
    lambda *, number, kbo_language: Enterprise.objects.annotate(
        official_name=official_name(kbo_language=kbo_language)
    ).filter(number=number),
    text=("number", "kbo_language"),
)


def enterprise_named(*, number: str) -> Enterprise | None:
    """The enterprise `number` with its name: one query (compiled once: every page of an
    enterprise runs it)."""
    found = _ENTERPRISE_NAMED.objects(number=number, kbo_language=page_kbo_language())
    return found[0] if found else None


def enterprise_get(*, number: str) -> Enterprise | None:
    """The enterprise `number` with its names, addresses and `juridical_form_label` (code.csv's
    label in the page's language, else French): three queries."""
    language = (translation.get_language() or "fr")[:2]
    labels = RegistryCode.objects.filter(category="JuridicalForm", code=OuterRef("juridical_form"))
    in_language = labels.filter(language=language).values("description")[:1]
    in_french = labels.filter(language="fr").values("description")[:1]
    return (
        Enterprise.objects.annotate(
            juridical_form_in_language=Subquery(in_language),
            juridical_form_in_french=Subquery(in_french),
        )
        .prefetch_related("denominations", "addresses")
        .filter(number=number)
        .first()
    )


def legal_functions_valid_today(
    *, niss: str, enterprise_number: str, today: date | None = None
) -> QuerySet[LegalFunction]:
    """The legal functions `niss` holds in the enterprise today: the register is the truth, so
    an enterprise it no longer lists has no legal representative, whatever functions it had."""
    functions = legal_functions_of_today(niss=niss, today=today)
    return functions.filter(enterprise_id=enterprise_number)


def legal_functions_of_today(*, niss: str, today: date | None = None) -> QuerySet[LegalFunction]:
    """The legal functions `niss` holds today (`today`: Brussels's date unless given), in any
    enterprise the register still lists."""
    today = today or timezone.localdate()
    return LegalFunction.objects.filter(
        Q(end_date=None) | Q(end_date__gte=today),
        enterprise__removed_from_register_on=None,
        niss=niss,
        start_date__lte=today,
    )
