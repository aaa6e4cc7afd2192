"""Reads of the register, with what their pages show already fetched."""

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone, translation

from enterprises.models import (
    KBO_LANGUAGES,
    OFFICIAL_NAME,
    Denomination,
    Enterprise,
    LegalFunction,
    RegistryCode,
)


def official_name(enterprise: str = "number") -> Subquery:
    """The official name of the enterprise `enterprise` refers to, in the page's language, else in
    the register's first language (what `Enterprise.name` reads): annotate it as `official_name`
    to read an enterprise and its name in one query."""
    language = (translation.get_language() or "fr")[:2]
    code = next((code for code, name in KBO_LANGUAGES.items() if name == language), "")
    names = (
        Denomination.objects.filter(enterprise_id=OuterRef(enterprise), type=OFFICIAL_NAME)
        .order_by(Case(When(language=code, then=Value(0)), default=Value(1)), "language")
        .values("value")[:1]
    )
    return Subquery(names)


def enterprise_named(*, number: str) -> Enterprise | None:
    """The enterprise `number` with its name: one query."""
    return Enterprise.objects.annotate(official_name=official_name()).filter(number=number).first()


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


def legal_functions_valid_today(*, niss: str, enterprise_number: str) -> QuerySet[LegalFunction]:
    """The legal functions `niss` holds in the enterprise today: the register is the truth, so
    an enterprise it no longer lists has no legal representative, whatever functions it had."""
    return legal_functions_of_today(niss=niss).filter(enterprise_id=enterprise_number)


def legal_functions_of_today(*, niss: str) -> QuerySet[LegalFunction]:
    """The legal functions `niss` holds today, in any enterprise the register still lists."""
    today = timezone.localdate()
    return LegalFunction.objects.filter(
        Q(end_date=None) | Q(end_date__gte=today),
        enterprise__removed_from_register_on=None,
        niss=niss,
        start_date__lte=today,
    )
