"""Reads of the register, with what their pages show already fetched."""

from django.db.models import OuterRef, Subquery
from django.utils import translation

from enterprises.models import Enterprise, RegistryCode


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
