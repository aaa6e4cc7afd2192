import csv
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from access_managers import selectors as access_manager_selectors
from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from access_managers.services import (
    designation,
    domain_managers,
    local_managers,
    qualities,
    quality_users,
)
from csam_portal.core.audit import Actor
from csam_portal.core.bulkload.files import MalformedFile
from enterprises import services as enterprise_services
from enterprises.models import Domain, Enterprise, Quality, SecuredApplication
from users.models import Person, SimulatedCard, User
from users.roles import Role
from users.services import accounts, persons

DEMO_DIR = Path(__file__).resolve().parents[3] / "enterprises" / "fixtures" / "demo"
IDENTITY = re.compile(r"^\| (?P<key>[a-z]+) \| (?P<niss>\d{11}) \|")
# The demo's one European identity: Elena Rossi (BIS number, no Belgian eID) has an Italian one.
EIDAS_CARDS = {"85413011092": "IT"}


class Command(BaseCommand):
    help = (
        "Load the demo (enterprises/fixtures/demo, a copy of ../shared/data/demo): the registers, "
        "the back-office account, an account (username = the key of IDENTITIES.md) and the "
        "simulated cards of each demo person, and the registrations of portal.json with their "
        "GAPs, GAs, qualités, GLs and co-GLs. Idempotent: what exists is left as it is."
    )

    def handle(self, *args, **options):
        portal = json.loads((DEMO_DIR / "portal.json").read_text(encoding="utf-8"))
        actor = Actor.system("load_demo")
        done = []
        try:  # the imports are idempotent: an import run before leaves them nothing to do
            _extract, reports = enterprise_services.registry_import_kbo(
                directory=DEMO_DIR / "kbo", actor=actor, full=False
            )
            reports.append(
                enterprise_services.registry_import_functions(
                    path=DEMO_DIR / "functions.csv", actor=actor, full=False
                )
            )
            reports.append(persons.person_import(path=DEMO_DIR / "persons.csv", actor=actor))
        except MalformedFile as error:
            raise CommandError(str(error)) from error
        if any(report.created or report.updated for report in reports):
            done.append("registers")

        back_office = portal["back_office"]
        if not User.objects.filter(username=back_office["username"]).exists():
            accounts.backoffice_user_create(
                username=back_office["username"], password=back_office["password"], actor=actor
            )
            done.append("back-office account")

        cards = self._cards(portal["eid_pin_for_demo_cards"], actor)
        if cards:
            done.append(f"{cards} simulated cards")
        demo_accounts = self._accounts(portal["password_for_demo_accounts"], actor)
        if demo_accounts:
            done.append(f"{demo_accounts} demo accounts")

        self.social_security_rows = 0
        self.password, self.password_hash = portal["password_for_demo_accounts"], None
        registrations = self._registrations(portal["registrations"], actor)
        if registrations:
            done.append(f"{registrations} registrations")
        if self.social_security_rows:
            done.append(f"{self.social_security_rows} qualités and local managers")

        summary = ", ".join(done) if done else "nothing new"
        self.stdout.write(f"Demo loaded: {summary}.")

    def _cards(self, pin: str, actor: Actor) -> int:
        issued = 0
        with (DEMO_DIR / "persons.csv").open(newline="", encoding="utf-8") as file:
            with_eid = [row["NISS"] for row in csv.DictReader(file) if row["HasEid"] == "1"]
        for person in Person.objects.filter(niss__in=with_eid).exclude(cards__kind="eid"):
            persons.simulated_card_issue(
                person=person, kind=SimulatedCard.Kind.EID, pin=pin, actor=actor
            )
            issued += 1
        for niss, country in EIDAS_CARDS.items():
            person = Person.objects.get(niss=niss)
            if not person.cards.filter(kind=SimulatedCard.Kind.EIDAS).exists():
                persons.simulated_card_issue(
                    person=person,
                    kind=SimulatedCard.Kind.EIDAS,
                    pin=pin,
                    country=country,
                    actor=actor,
                )
                issued += 1
        return issued

    def _accounts(self, password: str, actor: Actor) -> int:
        created = 0
        password_hash = None  # one slow hash for all: the demo gives everyone the same password
        identities = (DEMO_DIR / "IDENTITIES.md").read_text(encoding="utf-8").splitlines()
        for match in filter(None, (IDENTITY.match(line) for line in identities)):
            person = Person.objects.get(niss=match["niss"])
            if User.objects.filter(person=person).exists():
                continue
            password_hash = password_hash or accounts.password_hash_for(password)
            accounts.account_create(
                person=person,
                username=match["key"],
                password_hash=password_hash,
                email=f"{match['key']}@demo.example",
                actor=actor,
            )
            created += 1
        return created

    def _registrations(self, registrations: list[dict], actor: Actor) -> int:
        """Each enterprise of portal.json registered by its GAP, a legal representative who
        designates themself: the same service as the standard procedure."""
        created = 0
        for registration in registrations:
            number, gap = registration["enterprise"], registration["gap"]
            if access_manager_selectors.gap_current(enterprise_number=number) is None:
                person = Person.objects.get(niss=gap["niss"])
                designation.gap_designate(
                    enterprise_number=number,
                    requester=person,
                    person=person,
                    email=gap["email"],
                    phone=gap["phone"],
                    seen_gap=None,  # checked above: the enterprise has no GAP yet
                    actor=actor,
                )
                created += 1
            self._domain_access_managers(registration)
            self.social_security_rows += self._social_security(registration)
        return created

    def _domain_access_managers(self, registration: dict) -> None:
        """The GAs of portal.json ("domain_access_managers": domain, niss, emails), designated by
        the enterprise's GAP through the GA services; what exists is left as it is."""
        entries = registration.get("domain_access_managers") or []
        if not entries:
            return
        enterprise = Enterprise.objects.get(number=registration["enterprise"])
        gap = User.objects.get(person_id=registration["gap"]["niss"])
        actor = Actor(user=gap, role=Role.GAP, system_name="load_demo")
        for entry in entries:
            domain = Domain.objects.get(code=entry["domain"])
            term = AccessManager.objects.filter(
                enterprise=enterprise,
                domain=domain,
                person_id=entry["niss"],
                role=Role.GA,
                ended_at=None,
            ).first()
            if term is None:
                person = Person.objects.get(niss=entry["niss"])
                term = domain_managers.ga_add(
                    enterprise=enterprise, domain=domain, person=person, actor=actor
                ).obj
            known = set(term.emails.values_list("email", flat=True))
            for email in entry.get("emails", []):
                if email not in known:
                    domain_managers.ga_email_add(
                        enterprise=enterprise, term_id=term.pk, email=email, actor=actor
                    )

    def _social_security(self, registration: dict) -> int:
        """The registration's qualités with their GL and co-GLs (portal.json's "qualities"),
        through the social security's services, done by the enterprise's GAP (whose demo
        account `_accounts` made); what exists is left as it is. Returns the rows made."""
        gap_account = User.objects.get(person_id=registration["gap"]["niss"])
        actor = Actor(user=gap_account, role=Role.GAP, system_name="load_demo")
        enterprise = Enterprise.objects.get(number=registration["enterprise"])
        made = 0
        for entry in registration.get("qualities", []):
            catalogue = Quality.objects.get(code=entry["quality"])
            quality = EnterpriseQuality.objects.filter(
                quality=catalogue, identifier=entry["identifier"]
            ).first()
            if quality is None:
                quality = qualities.quality_register(
                    enterprise=enterprise,
                    quality=catalogue,
                    identifier=entry["identifier"],
                    actor=actor,
                )
                made += 1
            local = quality.managers.filter(ended_at=None)
            gl = entry.get("local_manager")
            if gl and not local.filter(role=Role.GL).exists():
                self._local_manager(local_managers.gl_change, quality, gl, actor)
                made += 1
            for co_gl in entry.get("co_local_managers", []):
                if not local.filter(person_id=co_gl["niss"]).exists():
                    self._local_manager(local_managers.co_gl_add, quality, co_gl, actor)
                    made += 1
            made += self._users(quality, entry.get("users", []), actor)
        return made

    def _users(self, quality: EnterpriseQuality, users: list[dict], actor: Actor) -> int:
        """The qualité's users of portal.json (niss, username, email, status, applications),
        created with the demo password and blocked through the users' services, as its GAP;
        what exists is left as it is. Returns the users made."""
        existing = set(
            quality.memberships.filter(ended_at=None).values_list("person_id", flat=True)
        )
        applications = {
            a.code: a for a in SecuredApplication.objects.filter(qualities=quality.quality_id)
        }
        made = 0
        for user in users:
            if user["niss"] in existing:
                continue
            self.password_hash = self.password_hash or accounts.password_hash_for(self.password)
            membership = quality_users.user_create(
                quality=quality,
                person=Person.objects.get(niss=user["niss"]),
                username=user["username"],
                password_hash=self.password_hash,
                email=user["email"],
                applications=[applications[code] for code in user.get("applications", [])],
                actor=actor,
            )
            if user.get("status") == QualityMembership.Status.BLOCKED:
                quality_users.users_block(
                    quality=quality, membership_ids=[membership.pk], actor=actor
                )
            made += 1
        return made

    @staticmethod
    def _local_manager(service, quality, manager: dict, actor: Actor) -> None:
        service(
            quality=quality,
            person=Person.objects.get(niss=manager["niss"]),
            username=manager["username"],
            email=manager["email"],
            local_email="",
            applications=[],
            actor=actor,
        )
