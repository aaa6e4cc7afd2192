"""Reads of the register, with what their pages show already fetched."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation

from enterprises.models import Enterprise, LegalFunction, RegistryCode


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
