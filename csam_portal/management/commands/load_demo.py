import json
from pathlib import Path

from django.core.management.base import BaseCommand

from csam_portal.audit import Actor
from users import services as user_services
from users.models import User

DEMO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo (csam_portal/fixtures/demo, a copy of ../shared/data/demo): the back-office "
        "account. Idempotent: what already exists is left as it is."
    )

    def handle(self, *args, **options):
        portal = json.loads((DEMO_DIR / "portal.json").read_text(encoding="utf-8"))
        actor = Actor.system("load_demo")
        created = []

        back_office = portal["back_office"]
        if not User.objects.filter(username=back_office["username"]).exists():
            user_services.backoffice_user_create(
                username=back_office["username"], password=back_office["password"], actor=actor
            )
            created.append("back-office account")

        summary = ", ".join(created) if created else "nothing new"
        self.stdout.write(f"Demo loaded: {summary}.")
