"""One throttle for the whole portal: the contact page, the anonymous look-ups, the security codes
and the logins count here.

A limit counts hits in a bucket, a `scope` ("contact") and a `key` in it (an address, an account),
over a sliding `window`. `hit()` is atomic under concurrency: it first upserts the bucket's row,
which locks it (PostgreSQL's INSERT … ON CONFLICT DO UPDATE takes the row lock; on SQLite the
write takes the database's write lock), then counts and inserts. Of N parallel hits on one key,
exactly `limit` pass. Inside a caller's transaction the lock is held, and the hit counts, until
that transaction commits.

Old hits and idle buckets are pruned hourly (Celery beat, `prune()`). This module imports no app.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from csam_portal.models import ThrottleBucket, ThrottleHit


@dataclass(frozen=True)
class Hit:
    """A hit that counted: `count` hits are in its window now, itself included."""

    pk: int
    count: int


def address(ip: str | None) -> str:
    """The address a limit counts by: IPv4 as is, IPv6 by its /64 (one subscriber's block)."""
    if not ip:
        return "-"
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _lock_bucket(scope: str, key: str, now: datetime) -> int:
    """Create or touch the bucket's row, which locks it until the transaction ends; its id."""
    (bucket,) = ThrottleBucket.objects.bulk_create(
        [ThrottleBucket(scope=scope, key=key, touched_at=now)],
        update_conflicts=True,
        unique_fields=["scope", "key"],
        update_fields=["touched_at"],
    )
    return bucket.pk


def hit(scope: str, key: str, *, limit: int, window: timedelta) -> Hit | None:
    """Count one hit if fewer than `limit` are in the last `window`; None, and nothing counted,
    otherwise."""
    now = timezone.now()
    with transaction.atomic():
        bucket_id = _lock_bucket(scope, key, now)
        count = ThrottleHit.objects.filter(bucket_id=bucket_id, at__gt=now - window).count()
        if count >= limit:
            return None
        counted = ThrottleHit.objects.create(bucket_id=bucket_id, at=now)
    return Hit(pk=counted.pk, count=count + 1)


def cancel(counted: Hit) -> None:
    """Take back a hit: what it stood for did not happen (a login that turned out right)."""
    ThrottleHit.objects.filter(pk=counted.pk).delete()


def count(scope: str, key: str, *, window: timedelta) -> int:
    """The hits of the last `window`."""
    since = timezone.now() - window
    return ThrottleHit.objects.filter(bucket__scope=scope, bucket__key=key, at__gt=since).count()


def free_at(scope: str, key: str, *, limit: int, window: timedelta) -> datetime | None:
    """When the bucket takes a hit again: None if it does now."""
    since = timezone.now() - window
    recent = ThrottleHit.objects.filter(bucket__scope=scope, bucket__key=key, at__gt=since)
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + window


def reset(scope: str, key: str, *, prefix: bool = False) -> int:
    """Forget the hits of a bucket (or of every bucket whose key starts with `key`)."""
    keys = {"bucket__key__startswith": key} if prefix else {"bucket__key": key}
    deleted, _ = ThrottleHit.objects.filter(bucket__scope=scope, **keys).delete()
    return deleted


def prune(*, before: datetime) -> int:
    """Forget hits older than `before`, and the buckets without a hit since (periodic task).

    A bucket hit meanwhile was touched by that hit, so the delete's own condition spares it.
    """
    deleted, _ = ThrottleHit.objects.filter(at__lt=before).delete()
    ThrottleBucket.objects.filter(touched_at__lt=before).delete()
    return deleted
