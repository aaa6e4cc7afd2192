"""The lockout of the logins (README «Lockout»), on the portal's one throttle.

Every login, whatever its key or page (and the back office's at /admin/), names an account: a
NISS, or a username. Before its secret is checked, the attempt takes a place in each limit that
applies, atomically, so parallel attempts cannot slip past one; a right secret gives the places
back. The limits:

- per address (IPv6: its /64): LOGIN_FAILURES_PER_ADDRESS failures in LOGIN_COOLOFF, unknown
  numbers and names included, lock every login from there;
- per account and address: LOGIN_FAILURE_LIMIT (3) failures lock that account there for
  LOGIN_COOLOFF, whatever the key: the four login pages share the count;
- per account: ACCOUNT_FAILURE_LIMIT failures in ACCOUNT_COOLOFF, from anywhere, lock its keys
  with a guessable secret (not itsme, whose confirmation is the person's own phone) for
  ACCOUNT_COOLOFF, or until the back office lifts it; the account is told by e-mail;
- per eID card: three wrong PINs in a row, from anywhere, block the card as a real eID card
  blocks itself; a right PIN resets its count.

An unknown number or username is counted and locked exactly as a real account is, so the
lockout tells nobody which accounts exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from csam_portal.core import throttle
from csam_portal.core.audit import Actor, client_ip
from users.models import AccountLock, User
from users.services import account_locks

# The key of the back office's login at /admin/ (the portal's keys are users.methods.Method).
ADMIN = "admin"
# Keys whose secret can be guessed: the account's budget of failures closes them.
GUESSABLE = {"eid", "eidas", "password", "email_code", "totp", ADMIN}
CARD_PIN_TRIES = 3  # as a real eID card


@dataclass(frozen=True)
class Refusal:
    """Why a login was refused without its secret being checked, or despite a right one."""

    message: str
    status: int = 429


@dataclass
class Attempt:
    request: HttpRequest | None
    method: str
    account: str
    address: str
    hits: dict[str, throttle.Hit] = field(default_factory=dict)


def account_named(*, niss: str | None = None, username: str | None = None) -> str:
    """The account a login names, whatever the key: its person's NISS if it has one, else
    "user:<id>"; "username:<name>" for a name no account has."""
    if niss:
        return niss
    user = User.objects.filter(username=username).only("pk", "person_id").first()
    if user is None:
        return f"username:{username}"
    return user.person_id or f"user:{user.pk}"


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _limits(attempt: Attempt) -> list[tuple[str, str, int, timedelta]]:
    limits = [
        (
            account_locks.LOGIN_ADDRESS,
            attempt.address,
            settings.LOGIN_FAILURES_PER_ADDRESS,
            settings.LOGIN_COOLOFF,
        ),
        (
            account_locks.LOGIN_ACCOUNT_ADDRESS,
            account_locks.account_address_key(attempt.account, attempt.address),
            settings.LOGIN_FAILURE_LIMIT,
            settings.LOGIN_COOLOFF,
        ),
    ]
    if attempt.method in GUESSABLE:
        limits.append(
            (
                account_locks.LOGIN_ACCOUNT,
                attempt.account,
                settings.ACCOUNT_FAILURE_LIMIT,
                settings.ACCOUNT_COOLOFF,
            )
        )
    if attempt.method == "eid":
        card = (account_locks.EID_CARD, attempt.account, CARD_PIN_TRIES, settings.ACCOUNT_COOLOFF)
        limits.append(card)
    return limits


def _refusal(scope: str, until: datetime) -> Refusal:
    if scope == account_locks.LOGIN_ADDRESS:
        text = _(
            "Trop de tentatives de connexion ont échoué depuis votre connexion internet. "
            "Par sécurité, elle ne permet plus de s'identifier jusqu'au %(until)s. "
            "Réessayez ensuite."
        )
    elif scope == account_locks.LOGIN_ACCOUNT_ADDRESS:
        text = _(
            "Trois essais erronés : par sécurité, ce compte ne peut plus être utilisé depuis "
            "votre connexion internet jusqu'au %(until)s, quelle que soit la clé numérique. "
            "Réessayez ensuite."
        )
    elif scope == account_locks.EID_CARD:
        text = _(
            "Trois codes PIN erronés de suite : cette carte eID est bloquée jusqu'au %(until)s. "
            "Identifiez-vous entre-temps avec itsme, ou demandez au centre de contact de lever "
            "le blocage."
        )
    else:
        text = _(
            "Trop de tentatives : trop de connexions à ce compte ont échoué. Par sécurité, ses "
            "clés numériques à code PIN, mot de passe ou code de sécurité sont bloquées jusqu'au "
            "%(until)s. Vous pouvez encore vous identifier avec itsme. Si ce n'était pas vous, "
            "contactez le centre de contact : il peut aussi lever le blocage."
        )
    return Refusal(text % {"until": _when(until)})


def _current_lock(attempt: Attempt) -> AccountLock | None:
    reasons = []
    if attempt.method in GUESSABLE:
        reasons.append(AccountLock.Reason.FAILURES)
    if attempt.method == "eid":
        reasons.append(AccountLock.Reason.CARD)
    return (
        AccountLock.objects.filter(
            account=attempt.account,
            reason__in=reasons,
            lifted_at=None,
            until__gt=timezone.now(),
        )
        .order_by("reason")  # "card" before "failures": the card's message is the precise one
        .first()
    )


def start(request: HttpRequest | None, *, method: str, account: str) -> Attempt | None:
    """Count a login attempt before its secret is checked; None if a lock refuses it, and then
    `request.login_refusal` says why and nothing is counted."""
    attempt = Attempt(
        request=request,
        method=method,
        account=account,
        address=throttle.address(client_ip(request) if request is not None else None),
    )
    lock = _current_lock(attempt)
    if lock is not None:
        scope = account_locks.EID_CARD if lock.reason == AccountLock.Reason.CARD else ""
        return _refuse(attempt, _refusal(scope, lock.until))
    for scope, key, limit, window in _limits(attempt):
        counted = throttle.hit(scope, key, limit=limit, window=window)
        if counted is None:
            for taken in attempt.hits.values():
                throttle.cancel(taken)
            until = throttle.free_at(scope, key, limit=limit, window=window) or timezone.now()
            return _refuse(attempt, _refusal(scope, until))
        attempt.hits[scope] = counted
    return attempt


def _refuse(attempt: Attempt, refusal: Refusal) -> None:
    if attempt.request is not None:
        attempt.request.login_refusal = refusal
    return None


def failed(attempt: Attempt) -> None:
    """The secret was wrong: the attempt stays counted; the failure that fills the account's
    budget, or the card's three tries, locks them."""
    actor = _actor(attempt)
    budget = attempt.hits.get(account_locks.LOGIN_ACCOUNT)
    if budget is not None and budget.count == settings.ACCOUNT_FAILURE_LIMIT:
        account_locks.account_lock(
            account=attempt.account,
            reason=AccountLock.Reason.FAILURES,
            failures=budget.count,
            actor=actor,
        )
    card = attempt.hits.get(account_locks.EID_CARD)
    if card is not None and card.count == CARD_PIN_TRIES:
        account_locks.account_lock(
            account=attempt.account,
            reason=AccountLock.Reason.CARD,
            failures=card.count,
            actor=actor,
        )


def succeeded(attempt: Attempt) -> None:
    """The secret was right: the attempt is no failure; the account's count from this address
    starts again, and so does the card's (a right PIN)."""
    for scope in (account_locks.LOGIN_ADDRESS, account_locks.LOGIN_ACCOUNT):
        if scope in attempt.hits:
            throttle.cancel(attempt.hits[scope])
    key = account_locks.account_address_key(attempt.account, attempt.address)
    throttle.reset(account_locks.LOGIN_ACCOUNT_ADDRESS, key)
    if account_locks.EID_CARD in attempt.hits:
        throttle.reset(account_locks.EID_CARD, attempt.account)


def authenticate(
    request: HttpRequest | None,
    *,
    method: str,
    account: str,
    verify: Callable[[], User | None],
    allowed: Callable[[User], bool],
) -> User | None:
    """`verify()` the secret within the limits: the account, or None (wrong, or refused).

    An account that `allowed` refuses (a back-office account on a portal key) is answered and
    counted as a wrong secret; a deactivated one is told so, but only after a right secret.
    """
    attempt = start(request, method=method, account=account)
    if attempt is None:
        return None
    user = verify()
    if user is None or not allowed(user):
        failed(attempt)
        return None
    succeeded(attempt)
    if not user.is_active:
        message = _("Ce compte est désactivé. Adressez-vous au centre de contact.")
        _refuse(attempt, Refusal(message, status=200))
        return None
    return user


def fas_allowed(request: HttpRequest, *, niss: str) -> bool:
    """CSAM's FAS vouched for `niss`: False while its failures lock it at this address."""
    address = throttle.address(client_ip(request))
    key = account_locks.account_address_key(niss, address)
    limit, window = settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF
    return (
        throttle.free_at(account_locks.LOGIN_ACCOUNT_ADDRESS, key, limit=limit, window=window)
        is None
    )


def fas_failed(request: HttpRequest, *, niss: str) -> None:
    """A FAS login refused here counts for its NISS at this address: never for everyone behind
    the address, whom FAS has identified one by one."""
    address = throttle.address(client_ip(request))
    key = account_locks.account_address_key(niss, address)
    throttle.hit(
        account_locks.LOGIN_ACCOUNT_ADDRESS,
        key,
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=settings.LOGIN_COOLOFF,
    )


def _actor(attempt: Attempt) -> Actor:
    if attempt.request is None:
        return Actor.system("login")
    return Actor(user=None, role="", ip=client_ip(attempt.request))
