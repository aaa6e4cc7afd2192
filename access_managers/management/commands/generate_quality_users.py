import time

from django.core.management.base import BaseCommand, CommandError

from access_managers import generated_people, generated_users


class Command(BaseCommand):
    help = (
        "For the benchmarks: a registered enterprise whose qualité «Employeur ONSS» has --users "
        "users (about 2%% blocked, each with an account and 0 to 3 of its secured applications), "
        "and other enterprises' qualités holding the rest of --memberships (the total), all in "
        "bulk (COPY on PostgreSQL), with no audit record nor e-mail. Every account's password "
        f"is {generated_people.PASSWORD!r}. Prints the enterprise number and the qualité's id."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100_000)
        parser.add_argument("--memberships", type=int, default=2_000_000)
        parser.add_argument("--other-qualities", type=int, default=2_000)
        parser.add_argument(
            "--gap", metavar="NISS", help="the enterprise's GAP, a person already in the database"
        )
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args, users, memberships, other_qualities, gap, seed, **options):
        started = time.monotonic()
        try:
            made = generated_users.quality_users_generate(
                users=users,
                memberships=memberships,
                other_qualities=other_qualities,
                gap_niss=gap,
                seed=seed,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Generated enterprise {made.enterprise_number} (GAP {made.gap_niss}), qualité "
            f"{made.quality_id} with {made.users:,} users ({made.blocked:,} blocked, "
            f"{made.applications:,} applications granted); {made.persons:,} persons with "
            f"accounts, {made.memberships:,} memberships in {made.other_qualities + 1:,} "
            f"qualités; {time.monotonic() - started:.1f} s."
        )
