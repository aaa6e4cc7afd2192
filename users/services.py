"""State changes of persons and accounts: each in a transaction, with its audit record."""

import secrets
from datetime import timedelta
from pathlib import Path

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from csam_portal.core import audit, backoffice, outbox, throttle
from csam_portal.core.bulkload.files import FileReport
from csam_portal.core.bulkload.merge import load
from csam_portal.core.languages import Language
from users.models import AccountLock, Person, SecurityCode, SimulatedCard, User
from users.national_register import PERSON

# The throttle's login counts (users.lockout): per address, per account and address, per
# account, per eID card.
LOGIN_ADDRESS = "login-address"
LOGIN_ACCOUNT_ADDRESS = "login-account-address"
LOGIN_ACCOUNT = "login-account"
EID_CARD = "eid-card"


def account_address_key(account: str, address: str) -> str:
    """The key of one account at one address; "|" is in no NISS, username or address."""
    return f"{account}|{address}"


@transaction.atomic
def backoffice_user_create(
    *, username: str, password: str, email: str = "", actor: audit.Actor
) -> User:
    """Create a back-office account: staff, in the «Back office» group, no superuser rights.

    Raises ValidationError if the username is taken or the password too weak.
    """
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    user = User(username=username, email=email, is_staff=True)
    validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(backoffice.sync_group())
    audit.record(actor, "backoffice_user_create", user, after=user)
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str, actor: audit.Actor) -> User:
    """Remember the language `user` chose; e-mails to them are written in it."""
    if language not in Language.values:
        raise ValidationError(_("Cette langue n'est pas proposée."), code="invalid_language")
    if user.language == language:
        return user
    with audit.change(actor, "user_language_set", user):
        user.language = language
        user.full_clean()
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def person_import(*, path: Path, actor: audit.Actor, progress: bool = False) -> FileReport:
    """Import the national register's persons from persons.csv: created, or updated by NISS.

    Bad rows are refused and reported; raises MalformedFile, and nothing changes, if the file
    cannot be read as persons.csv.
    """
    report = FileReport(path.name)
    load(path, PERSON, report, progress=progress)
    audit.record(actor, "person_import", None, after={path.name: report.as_dict()})
    return report


def account_for_person(*, person: Person, actor: audit.Actor) -> User:
    """The person's account, created at their first login with a digital key.

    Two first logins at the same moment: one creates, the other finds it (unique NISS).
    """
    account = User.objects.filter(person=person).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            account = User(person=person, language=person.language)
            account.set_unusable_password()
            account.full_clean(validate_unique=False)
            account.save()
            audit.record(actor, "user_create", account, after=account)
    except IntegrityError:
        return User.objects.get(person=person)
    return account


@transaction.atomic
def account_create(
    *, person: Person, username: str, password_hash: str, email: str, actor: audit.Actor
) -> User:
    """Give `person` an account with a username and a password (given hashed: see
    `password_hash_for`) — the demo's accounts, later flow 4's.

    Raises ValidationError if the person already has an account, or the username is taken.
    """
    if User.objects.filter(person=person).exists():
        raise ValidationError(_("Cette personne a déjà un compte."), code="has_account")
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    account = User(person=person, username=username, email=email, language=person.language)
    account.password = password_hash
    account.full_clean()
    account.save()
    audit.record(actor, "user_create", account, after=account)
    return account


def password_hash_for(password: str, *, user: User | None = None) -> str:
    """Check `password` against the password rules (ValidationError) and hash it."""
    validate_password(password, user=user)
    return make_password(password)


def pin_digest(person: Person, pin: str) -> str:
    """A card PIN's keyed digest. Four digits need no slow hash: the lockout guards them."""
    return salted_hmac(
        "users.SimulatedCard", f"{person.niss}:{pin}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def simulated_card_issue(
    *, person: Person, kind: str, pin: str, country: str = "BE", actor: audit.Actor
) -> SimulatedCard:
    """Give `person` a simulated card (the simulator's data); its PIN is stored as a digest."""
    card = SimulatedCard.objects.filter(person=person, kind=kind).first() or SimulatedCard(
        person=person, kind=kind
    )
    card.country = country
    card.pin = pin_digest(person, pin)
    card.full_clean()
    card.save()
    audit.record(actor, "simulated_card_issue", card, after={"kind": kind, "country": country})
    return card


def _digest(code_id: int, code: str) -> str:
    return salted_hmac("users.SecurityCode", f"{code_id}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def security_code_send(*, user: User, purpose: str, email: str, actor: audit.Actor) -> SecurityCode:
    """Send a new 6-digit code to `email`; earlier unused codes of that purpose stop working.

    Raises ValidationError if SECURITY_CODES_PER_HOUR codes were already sent for the purpose.
    """
    allowed = throttle.hit(
        "security-code",
        f"{user.pk}:{purpose}",
        limit=settings.SECURITY_CODES_PER_HOUR,
        window=timedelta(hours=1),
    )
    if not allowed:
        raise ValidationError(
            _("Trop de codes ont été demandés. Réessayez dans une heure."), code="too_many_codes"
        )
    now = timezone.now()
    SecurityCode.objects.filter(user=user, purpose=purpose, used_at=None).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    security_code = SecurityCode(
        user=user,
        purpose=purpose,
        email=email,
        digest="",
        expires_at=now + timedelta(seconds=settings.SECURITY_CODE_SECONDS),
    )
    security_code.save()
    security_code.digest = _digest(security_code.pk, code)
    security_code.full_clean()
    security_code.save(update_fields=["digest"])
    outbox.enqueue(
        "users/security_code",
        to=email,
        language=user.language,
        sensitive=True,
        code=code,
        purpose=purpose,
        minutes=settings.SECURITY_CODE_SECONDS // 60,
    )
    audit.record(
        actor, "security_code_send", security_code, after={"purpose": purpose, "email": email}
    )
    return security_code


@transaction.atomic
def security_code_use(*, user: User, purpose: str, code: str) -> bool:
    """True, once, for the latest code of `purpose` if it is right and not expired.

    A wrong code counts; after three the code stops working and a new one must be asked.
    """
    security_code = (
        SecurityCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if security_code is None:
        return False
    if not constant_time_compare(security_code.digest, _digest(security_code.pk, code)):
        security_code.failures += 1
        if security_code.failures >= 3:
            security_code.used_at = timezone.now()
        security_code.save(update_fields=["failures", "used_at"])
        return False
    security_code.used_at = timezone.now()
    security_code.save(update_fields=["used_at"])
    return True


@transaction.atomic
def totp_code_use(*, user: User, code: str, secret: str | None = None) -> bool:
    """True if `code` is the mobile application's current code, never twice the same one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    totp = pyotp.TOTP(secret or user.totp_secret)
    now = timezone.now()
    for offset in (0, -1, 1):  # the code of now, or of the step just before or after
        step = totp.timecode(now) + offset
        if constant_time_compare(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            user.save(update_fields=["totp_last_step"])
            return True
    return False


def email_key_activate(
    *,
    user: User,
    username: str | None = None,
    password_hash: str | None = None,
    email: str,
    code: str,
    actor: audit.Actor,
) -> User:
    """Activate the «Code de sécurité par e-mail» key once the address is verified by `code`.

    Without `username` and `password_hash` the key keeps the account's (another key's).
    Raises ValidationError if the code is wrong, expired or used, or the username was taken
    meanwhile, or the account has no credentials to keep; the key is not activated then, but a
    wrong code counts (three, and it is spent): the code is checked in a transaction of its
    own, committed before the refusal.
    """
    if not security_code_use(user=user, purpose=SecurityCode.Purpose.VERIFY_EMAIL, code=code):
        raise ValidationError(
            _("Ce code n'est pas valable : il est erroné, expiré ou déjà utilisé."),
            code="invalid_code",
        )
    return _email_key_set(
        user=user, username=username, password_hash=password_hash, email=email, actor=actor
    )


@transaction.atomic
def _email_key_set(
    *,
    user: User,
    username: str | None,
    password_hash: str | None,
    email: str,
    actor: audit.Actor,
) -> User:
    with audit.change(actor, "email_key_activate", user):
        _set_credentials(user, username=username, password_hash=password_hash)
        now = timezone.now()
        user.email = email
        user.email_verified_at = now
        user.email_key_activated_at = now
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def totp_key_activate(
    *,
    user: User,
    username: str | None = None,
    password_hash: str | None = None,
    secret: str,
    code: str,
    actor: audit.Actor,
) -> User:
    """Activate the mobile-application key once it shows the right code for `secret`.

    Without `username` and `password_hash` the key keeps the account's (another key's).
    Raises ValidationError if the code is not the application's current one, the username was
    taken meanwhile, or the account has no credentials to keep.
    """
    if not totp_code_use(user=user, code=code, secret=secret):
        raise ValidationError(
            _("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez."),
            code="invalid_code",
        )
    user.refresh_from_db()
    with audit.change(actor, "totp_key_activate", user):
        _set_credentials(user, username=username, password_hash=password_hash)
        user.totp_secret = secret
        user.totp_key_activated_at = timezone.now()
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def key_deactivate(*, user: User, key: str, actor: audit.Actor) -> User:
    """Stop a security-code key ("email_code" or "totp"); it can be activated again later.

    Raises ValidationError, and nothing changes, if the key is not one of these or not active.
    """
    if key not in {"email_code", "totp"}:
        raise ValidationError(_("Cette clé ne peut pas être désactivée."), code="invalid_key")
    user = User.objects.select_for_update().get(pk=user.pk)
    active = user.email_key_activated_at if key == "email_code" else user.totp_key_activated_at
    if active is None:
        raise ValidationError(
            _("Cette clé numérique n'est pas activée : il n'y a rien à désactiver."),
            code="not_active",
        )
    with audit.change(actor, f"{key}_key_deactivate", user):
        if key == "email_code":
            user.email_key_activated_at = None
        else:
            user.totp_secret = ""
            user.totp_key_activated_at = None
            user.totp_last_step = None
        user.full_clean()
        user.save()
    return user


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


def _set_credentials(user: User, *, username: str | None, password_hash: str | None) -> None:
    """Give `user` these credentials; None for both keeps the ones the account has."""
    if username is None and password_hash is None:
        if not user.has_credentials:
            raise ValidationError(
                _("Choisissez un nom d'utilisateur et un mot de passe."), code="no_credentials"
            )
        return
    if User.objects.filter(username=username).exclude(pk=user.pk).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    user.username = username
    user.password = password_hash
