"""The portal's one throttle: sliding windows, addresses (IPv6 by /64), pruning, and atomicity
under concurrency on PostgreSQL (real connections, one per thread)."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from csam_portal.core import tasks, throttle
from csam_portal.core.audit import Actor
from csam_portal.models import ContactMessage, ThrottleBucket, ThrottleHit
from csam_portal.public import services
from tests.services import skip_or_fail

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_a_limit_lets_its_hits_through_then_refuses_and_counts_nothing_more():
    results = [throttle.hit("tests", "a", limit=2, window=HOUR) for _ in range(3)]

    assert [hit.count if hit else None for hit in results] == [1, 2, None]
    assert throttle.count("tests", "a", window=HOUR) == 2
    assert throttle.hit("tests", "b", limit=2, window=HOUR) is not None  # another key


def test_the_window_slides_and_says_when_the_bucket_is_free_again():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = timezone.now()
        throttle.hit("tests", "a", limit=2, window=HOUR)
        clock.shift(datetime.timedelta(minutes=30))
        throttle.hit("tests", "a", limit=2, window=HOUR)

        assert throttle.free_at("tests", "a", limit=2, window=HOUR) == first + HOUR
        clock.shift(datetime.timedelta(minutes=31))
        assert throttle.free_at("tests", "a", limit=2, window=HOUR) is None
        assert throttle.hit("tests", "a", limit=2, window=HOUR) is not None


def test_a_cancelled_hit_no_longer_counts_and_reset_forgets_a_bucket():
    kept = throttle.hit("tests", "a", limit=5, window=HOUR)
    cancelled = throttle.hit("tests", "a", limit=5, window=HOUR)
    throttle.hit("tests", "a|x", limit=5, window=HOUR)

    throttle.cancel(cancelled)
    assert throttle.count("tests", "a", window=HOUR) == 1
    throttle.reset("tests", "a|", prefix=True)
    assert throttle.count("tests", "a|x", window=HOUR) == 0
    assert throttle.count("tests", "a", window=HOUR) == 1
    throttle.reset("tests", "a")
    assert throttle.count("tests", "a", window=HOUR) == 0
    assert kept.count == 1


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::9", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("192.0.2.7", "192.0.2.8", False),
        ("::ffff:192.0.2.7", "192.0.2.7", True),
    ],
)
def test_ipv4_counts_by_address_and_ipv6_by_its_slash_64(one, other, same):
    assert (throttle.address(one) == throttle.address(other)) is same
    assert throttle.address("192.0.2.7") == "192.0.2.7"


def test_pruning_forgets_old_hits_and_idle_buckets_only(settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        throttle.hit("tests", "old", limit=5, window=HOUR)
        throttle.hit("tests", "busy", limit=5, window=HOUR)
        clock.shift(settings.THROTTLE_RETENTION + HOUR)
        throttle.hit("tests", "busy", limit=5, window=HOUR)

        tasks.throttle_prune()

    assert list(ThrottleBucket.objects.values_list("key", flat=True)) == ["busy"]
    assert ThrottleHit.objects.count() == 1


def _race(threads: int, work) -> list:
    """Run `work()` in `threads` threads at once, each on its own connection; their results."""
    start = threading.Barrier(threads)
    results = []

    def run():
        try:
            start.wait(timeout=10)
            results.append(work())
        finally:
            connections.close_all()

    runners = [threading.Thread(target=run) for _ in range(threads)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_on_one_key_let_exactly_the_limit_through():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks")

    results = _race(12, lambda: throttle.hit("tests", "race", limit=5, window=HOUR) is not None)

    assert sorted(results) == [False] * 7 + [True] * 5
    assert ThrottleHit.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_parallel_questions_from_one_address_stop_at_the_contact_limit(settings):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks")
    settings.CONTACT_MAX_PER_HOUR = 3

    def send():
        try:
            services.contact_message_create(
                name="Marie Dubois",
                email="marie@example.be",
                enterprise_number="",
                subject="Question",
                message="Bonjour",
                send_copy=False,
                language="fr",
                actor=Actor(user=None, role="", ip="198.51.100.7"),
            )
        except ValidationError as error:
            return error.code
        return "sent"

    results = _race(10, send)

    assert sorted(results) == ["sent"] * 3 + ["too_many"] * 7
    assert ContactMessage.objects.count() == 3
