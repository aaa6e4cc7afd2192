"""CSAM's FAS over OpenID Connect (DIGITAL_KEYS_PROVIDER=oidc): why a login did not succeed, in
words for the person."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Failure:
    """One way a FAS login ends without a login: what the person is told, and the status."""

    code: str
    status: int
    what: str  # what happened, for a person who knows nothing of OpenID Connect
    todo: str  # what they can do about it


TRY_AGAIN = _("Recommencez la connexion ; si le problème persiste, contactez le centre de contact.")
CONTACT = _(
    "Si vous pensez qu'il s'agit d'une erreur, adressez-vous au centre de contact de la "
    "sécurité sociale."
)

CANCELLED = Failure(
    "cancelled",
    403,
    _("Vous avez annulé l'identification chez CSAM."),
    _("Pour accéder au portail, recommencez et identifiez-vous avec une clé numérique."),
)
REFUSED = Failure("refused", 502, _("CSAM a refusé de confirmer votre identité."), TRY_AGAIN)
UNVERIFIED = Failure(
    "unverified", 502, _("La réponse de CSAM n'a pas pu être vérifiée."), TRY_AGAIN
)
UNAVAILABLE = Failure(
    "unavailable",
    503,
    _("Le service d'identification CSAM n'a pas répondu."),
    _("Réessayez dans quelques minutes."),
)
UNKNOWN_PERSON = Failure(
    "unknown_person",
    403,
    _("Votre numéro de registre national ne figure pas dans le registre consulté par le portail."),
    CONTACT,
)
INVALID_NISS = Failure(
    "invalid_niss",
    403,
    _("CSAM n'a pas transmis de numéro de registre national valable pour vous."),
    CONTACT,
)
INACTIVE = Failure(
    "inactive",
    403,
    _("Votre compte sur le portail est désactivé."),
    _("Adressez-vous au centre de contact."),
)
STALE = Failure(
    "stale",
    400,
    _("Cette demande de connexion a expiré ou a déjà été utilisée."),
    _("Recommencez la connexion."),
)


class FasLoginError(Exception):
    """A FAS login that must end on the failure page; `cause` is for the log, never the page.

    `niss` is the NISS the provider named, when it named one.
    """

    def __init__(self, failure: Failure, cause: str, *, niss: str = ""):
        super().__init__(cause)
        self.failure = failure
        self.cause = cause
        self.niss = niss


def failure_for_error_answer(error: str) -> Failure:
    """The failure for an authorization error answer (`error=` of RFC 6749 §4.1.2.1)."""
    if error == "access_denied":  # «Annuler» at the provider
        return CANCELLED
    if error in {"temporarily_unavailable", "server_error"}:
        return UNAVAILABLE
    return REFUSED
