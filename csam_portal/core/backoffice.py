"""The «Back office» group: the model permissions staff need, kept in step after every migrate.

Each app declares what its back-office screens need, as the codenames of its own models'
permissions, in its AppConfig's `backoffice_permissions`; `sync_group` collects them all.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP_NAME = "Back office"


def permissions() -> dict[str, list[str]]:
    """App label → the permission codenames its AppConfig declares for the back office."""
    return {
        config.label: list(config.backoffice_permissions)
        for config in apps.get_app_configs()
        if getattr(config, "backoffice_permissions", None)
    }


def sync_group(*, using: str = "default", **kwargs) -> Group:
    """Create the group if needed and give it exactly the permissions the apps declare."""
    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    wanted = Q(pk__in=[])
    for app_label, codenames in permissions().items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.using(using).filter(wanted))
    return group
