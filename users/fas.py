"""CSAM's FAS over OpenID Connect (DIGITAL_KEYS_PROVIDER=oidc): why a login did not succeed, in
words for the person, and the logout at FAS itself (OpenID Connect RP-Initiated Logout 1.0)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Where mozilla-django-oidc keeps the ID token (OIDC_STORE_ID_TOKEN): the logout's id_token_hint.
ID_TOKEN_SESSION_KEY = "oidc_id_token"


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
LOCKED = Failure(
    "locked",
    429,
    _("Plusieurs connexions à votre compte ont échoué depuis cette connexion internet."),
    _(
        "Par sécurité, réessayez dans quelques minutes ; si le problème persiste, contactez le "
        "centre de contact."
    ),
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


def logout_url(request: HttpRequest) -> str:
    """FAS's end-session URL for the person logged in through FAS, or "" (no FAS session, or no
    OIDC_OP_LOGOUT_ENDPOINT): without it the next «S'identifier» would log them in silently."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if settings.DIGITAL_KEYS_PROVIDER != "oidc" or not endpoint or not id_token:
        return ""
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    return f"{endpoint}?{urlencode(query)}"
