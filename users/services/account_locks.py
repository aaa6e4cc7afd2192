"""The lockout's state: the throttle's login counts and the account locks they lead to
(users.lockout decides when), lifted by the back office."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from csam_portal.core import audit, outbox, throttle
from users.models import AccountLock, User

# The throttle's login counts (users.lockout): per address, per account and address, per
# account, per eID card.
LOGIN_ADDRESS = "login-address"
LOGIN_ACCOUNT_ADDRESS = "login-account-address"
LOGIN_ACCOUNT = "login-account"
EID_CARD = "eid-card"


def account_address_key(account: str, address: str) -> str:
    """The key of one account at one address; "|" is in no NISS, username or address."""
    return f"{account}|{address}"


def _user_of(account: str) -> User | None:
    if account.startswith("username:"):
        return None
    if account.startswith("user:"):
        return User.objects.filter(pk=account.removeprefix("user:")).first()
    return User.objects.filter(person_id=account).first()


@transaction.atomic
def account_lock(*, account: str, reason: str, failures: int, actor: audit.Actor) -> AccountLock:
    """Lock `account` for ACCOUNT_COOLOFF (users.lockout decides when); an account locked for
    its failures is told by e-mail, once, with the time and what to do. A lock still current is
    returned as it is."""
    now = timezone.now()
    current = AccountLock.objects.filter(
        account=account, reason=reason, lifted_at=None, until__gt=now
    ).first()
    if current is not None:
        return current
    lock = AccountLock(
        account=account,
        user=_user_of(account),
        reason=reason,
        failures=failures,
        locked_at=now,
        until=now + settings.ACCOUNT_COOLOFF,
    )
    lock.full_clean()
    lock.save()
    audit.record(actor, "account_lock", lock, after=lock)
    if reason == AccountLock.Reason.FAILURES and lock.user is not None and lock.user.email:
        outbox.enqueue(
            "users/account_locked",
            to=lock.user.email,
            language=lock.user.language,
            locked_at=lock.locked_at,
            until=lock.until,
            failures=failures,
            hours=int(settings.ACCOUNT_COOLOFF.total_seconds() // 3600),
        )
    return lock


@transaction.atomic
def account_lock_lift(*, locks: QuerySet[AccountLock], actor: audit.Actor) -> int:
    """The back office lifts current locks: the account's keys and card work again, and its
    failures are forgotten (from every address). Returns how many were lifted."""
    now = timezone.now()
    lifted = 0
    for lock in locks.select_for_update(of=("self",)).filter(lifted_at=None, until__gt=now):
        with audit.change(actor, "account_lock_lift", lock):
            lock.lifted_at = now
            lock.lifted_by = actor.user
            lock.save(update_fields=["lifted_at", "lifted_by"])
        for scope in (LOGIN_ACCOUNT, EID_CARD):
            throttle.reset(scope, lock.account)
        throttle.reset(LOGIN_ACCOUNT_ADDRESS, account_address_key(lock.account, ""), prefix=True)
        lifted += 1
    return lifted
