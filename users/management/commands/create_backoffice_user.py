import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csam_portal.core.audit import Actor
from users.services import accounts


class Command(BaseCommand):
    help = (
        "Create a back-office account (staff, «Back office» group, no superuser). The password "
        "comes from --password, else from BACKOFFICE_PASSWORD, else it is asked."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password")

    def handle(self, *args, username, email, password, **options):
        password = password or os.environ.get("BACKOFFICE_PASSWORD") or self._ask_password()
        try:
            user = accounts.backoffice_user_create(
                username=username,
                password=password,
                email=email,
                actor=Actor.system("create_backoffice_user"),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created back-office account {user.username!r} in group «Back office».")

    def _ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
