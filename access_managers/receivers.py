"""What access_managers does when the apps below it say something happened."""

from django.dispatch import receiver

from access_managers.services import designation
from enterprises.signals import enterprise_removed_from_register


@receiver(enterprise_removed_from_register, dispatch_uid="access_managers.enterprise_removed")
def enterprise_removed(sender, *, enterprise, **kwargs) -> None:
    designation.gap_tell_enterprise_removed(enterprise=enterprise)
