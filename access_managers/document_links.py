"""The signed link to an exceptional request's document, e-mailed to the requester: who has it
downloads the document, without a session or a login, while the request is pending
(`ExceptionalRequest.document_link_opens`)."""

from __future__ import annotations

from django.core import signing

from access_managers.models import ExceptionalRequest

# The signed link's own salt: no other value the portal signs opens a document.
DOCUMENT_LINK_SALT = "access_managers.exceptional_document_link"


def exceptional_document_token(exceptional: ExceptionalRequest) -> str:
    """The token of the link to the request's document: its ticket signed with SECRET_KEY
    (nobody makes one without the key). A request always gets the same token; how long it
    opens the document is the request's state, checked on each use."""
    return signing.Signer(salt=DOCUMENT_LINK_SALT).sign_object({"ticket": exceptional.ticket})


class DocumentLinkRefused(Exception):
    """A link that does not give the document: `reason` is "invalid" (not a link the portal
    made) or "closed" (its request, `exceptional`, was processed or expired)."""

    def __init__(self, reason: str, exceptional: ExceptionalRequest | None = None):
        super().__init__(reason)
        self.reason = reason
        self.exceptional = exceptional


def exceptional_request_of(token: str) -> ExceptionalRequest:
    """The request a token names. Raises DocumentLinkRefused("invalid") if the portal did not
    sign it or its request does not exist."""
    try:
        payload = signing.Signer(salt=DOCUMENT_LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        raise DocumentLinkRefused("invalid") from None
    exceptional = (
        ExceptionalRequest.objects.select_related("requester", "gap")
        .filter(ticket=str(payload.get("ticket", "")))
        .first()
    )
    if exceptional is None:
        raise DocumentLinkRefused("invalid")
    return exceptional
