"""State changes of persons and accounts: each in a transaction, with its audit record."""

from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from csam_portal import audit, backoffice
from csam_portal.bulkload import FileReport, load
from users.models import Language, User
from users.national_register import PERSON


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
    before = audit.snapshot(user)
    user.language = language
    user.full_clean()
    user.save(update_fields=["language"])
    audit.record(actor, "user_language_set", user, before=before, after=user)
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
