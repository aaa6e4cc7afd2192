"""The «Back office» group: the model permissions staff need, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP_NAME = "Back office"

# app label → permission codenames. Each app adds what its back-office screens need.
PERMISSIONS: dict[str, list[str]] = {
    "csam_portal": [
        "view_outboundemail",
        "change_outboundemail",
        "view_auditrecord",
        "view_contactmessage",
        "change_contactmessage",
    ],
    "users": ["view_person", "view_user", "view_accountlock", "change_accountlock"],
    "access_managers": [
        "view_registration",
        "view_accessmanager",
        "view_exceptionalrequest",
        "change_exceptionalrequest",  # receive, approve, reject (admin actions)
    ],
    "enterprises": [
        "view_enterprise",
        "view_legalfunction",
        "view_registryextract",
        "view_registrycode",
        *[
            f"{verb}_{model}"
            for model in ("domain", "quality", "securedapplication")
            for verb in ("view", "add", "change", "delete")
        ],
    ],
}


def sync_group(*, using: str = "default", **kwargs) -> Group:
    """Create the group if needed and give it exactly the permissions listed above."""
    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    wanted = Q(pk__in=[])
    for app_label, codenames in PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.using(using).filter(wanted))
    return group
