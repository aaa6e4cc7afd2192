"""What access_managers does when the apps below it say something happened."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from access_managers.services import designation, membership_names
from enterprises.signals import enterprise_removed_from_register
from users.models import User
from users.signals import persons_imported


@receiver(enterprise_removed_from_register, dispatch_uid="access_managers.enterprise_removed")
def enterprise_removed(sender, *, enterprise, **kwargs) -> None:
    designation.gap_tell_enterprise_removed(enterprise=enterprise)


@receiver(persons_imported, dispatch_uid="access_managers.persons_imported")
def persons_renamed(sender, **kwargs) -> None:
    membership_names.names_refresh()


@receiver(post_save, sender=User, dispatch_uid="access_managers.account_saved")
def account_saved(sender, *, instance, created, update_fields=None, **kwargs) -> None:
    """A new account, or one given a username: its memberships' username follows (a save of
    other fields, a login's, leaves them)."""
    if instance.person_id and (created or update_fields is None or "username" in update_fields):
        membership_names.username_follow(niss=instance.person_id, username=instance.username or "")


@receiver(post_delete, sender=User, dispatch_uid="access_managers.account_deleted")
def account_deleted(sender, *, instance, **kwargs) -> None:
    if instance.person_id:
        membership_names.username_follow(niss=instance.person_id, username="")
