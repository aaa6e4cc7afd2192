"""What access_managers does when the apps below it say something happened."""

from django.dispatch import receiver

from access_managers.services import designation, membership_names
from enterprises.signals import enterprise_removed_from_register
from users.signals import persons_imported


@receiver(enterprise_removed_from_register, dispatch_uid="access_managers.enterprise_removed")
def enterprise_removed(sender, *, enterprise, **kwargs) -> None:
    designation.gap_tell_enterprise_removed(enterprise=enterprise)


@receiver(persons_imported, dispatch_uid="access_managers.persons_imported")
def persons_renamed(sender, **kwargs) -> None:
    membership_names.names_refresh()
