"""Accounts: a person's account at their first login, accounts with a username and password,
the back office's accounts, the account's language, and what a person changes of their own
account («Données personnelles»: its e-mail address and language, its password)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from csam_portal.core import audit, backoffice, outbox
from csam_portal.core.languages import Language
from users.models import Person, User


@transaction.atomic
def backoffice_user_create(
    *, username: str, password: str, email: str = "", actor: audit.Actor
) -> User:
    """Create a back-office account: staff, in the «Back office» group, no superuser rights.

    Raises ValidationError if the username is taken or the password too weak.
    """
    if User.objects.filter(username__iexact=username).exists():
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
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    account = User(person=person, username=username, email=email, language=person.language)
    account.password = password_hash
    account.full_clean()
    account.save()
    audit.record(actor, "user_create", account, after=account)
    return account


@transaction.atomic
def account_credentials_set(
    *, account: User, username: str, password_hash: str, actor: audit.Actor
) -> User:
    """Give an account without a username (a person who logged in with a card only) a username
    and a password (hashed: see `password_hash_for`), e.g. when they become a user of a qualité.

    Raises ValidationError if the account has a username already, or the username is taken.
    """
    account = account_username_set(account=account, username=username, actor=actor)
    with audit.change(actor, "user_password_set", account):
        account.password = password_hash
        account.save(update_fields=["password"])
    return account


def password_hash_for(password: str, *, user: User | None = None) -> str:
    """Check `password` against the password rules (ValidationError) and hash it."""
    validate_password(password, user=user)
    return make_password(password)


@transaction.atomic
def account_username_set(*, account: User, username: str, actor: audit.Actor) -> User:
    """Give an account that has none (a person who logged in with a digital key only) a
    username, e.g. when they become local manager of a qualité.

    Raises ValidationError if the account has a username already, or the username is taken.
    """
    if account.username:
        raise ValidationError(_("Ce compte a déjà un nom d'utilisateur."), code="has_username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="username_taken")
    with audit.change(actor, "user_username_set", account):
        account.username = username
        account.full_clean()
        account.save(update_fields=["username"])
    return account


@transaction.atomic
def user_personal_data_set(*, user: User, email: str, language: str, actor: audit.Actor) -> User:
    """Change the account's e-mail address and preferred language («Modifier mes données
    personnelles»); e-mails to the account are then written to that address, in that language.
    A new address is no longer a verified one. Nothing is written if nothing changed.

    Raises ValidationError: "invalid_language"; "email_key_address" if the address would change
    while the «Code de sécurité par e-mail» key sends its codes there (that address changes only
    by activating the key again, which verifies it: a session left open must not be enough to
    send the codes elsewhere).
    """
    if language not in Language.values:
        raise ValidationError(_("Cette langue n'est pas proposée."), code="invalid_language")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email == email and user.language == language:
        return user
    if user.email != email and user.email_key_activated_at is not None:
        raise ValidationError(
            _(
                "Cette adresse reçoit les codes de votre clé « Code de sécurité par e-mail » : "
                "pour en changer, désactivez puis activez à nouveau cette clé dans « Mes clés "
                "numériques »."
            ),
            code="email_key_address",
        )
    with audit.change(actor, "user_personal_data_set", user):
        if user.email != email:
            user.email_verified_at = None
        user.email = email
        user.language = language
        user.full_clean()
        user.save(update_fields=["email", "email_verified_at", "language"])
    return user


@sensitive_variables("password")
@transaction.atomic
def user_password_change(*, user: User, password: str, actor: audit.Actor) -> User:
    """Give the account a new password («Modifier mon mot de passe»), once the person proved
    the current one (users.forms.PasswordChangeForm). The account is told by e-mail, in its
    language, without the password; the audit record holds no password either. Every other
    session of the account ends (Django's session hash); the caller keeps its own with
    `update_session_auth_hash`.

    Raises ValidationError: "no_credentials" if the account has no username and password to
    change (it logs in with a card key only), or the password rules' own (AUTH_PASSWORD_VALIDATORS).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_credentials:
        raise ValidationError(
            _("Ce compte n'a pas de mot de passe à modifier."), code="no_credentials"
        )
    validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save(update_fields=["password"])
    audit.record(actor, "user_password_change", user)
    if user.email:
        outbox.enqueue(
            "users/password_changed",
            to=user.email,
            language=user.language,
            username=user.username,
            changed_at=timezone.now(),
        )
    return user
