"""The checks behind /health/: each answers within about a second, whatever the service does.

A failing check is logged with its error; the page shows the error's text to staff only.
The Celery app is the current one (csam_portal/celery.py's): the core names no project module.
"""

import logging

import redis
from celery import current_app as celery_app
from django.conf import settings
from django.db import connection

TIMEOUT_SECONDS = 1.0
logger = logging.getLogger(__name__)


def _failed(name: str, error: Exception | str) -> dict:
    detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    logger.warning("Health check %s failed: %s", name, detail)
    return {"ok": False, "detail": detail}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "not reachable"
        return _failed("database", error)
    return {"ok": True, "detail": connection.vendor}


def check_redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not used: tasks run in the web process"}
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return _failed("redis", error)
    finally:
        client.close()
    return {"ok": True, "detail": "ping"}


def check_celery() -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "detail": "not used: tasks run in the web process"}
    try:
        # limit=1: done as soon as one worker answers, instead of always waiting the timeout.
        replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS, limit=1)
    except Exception as error:  # kombu wraps broker failures in several types
        return _failed("celery", error)
    if not replies:
        return _failed("celery", "no worker answered")
    return {"ok": True, "detail": "a worker answered"}


def check_all() -> dict:
    redis_check = check_redis()
    # The workers are reached through Redis: asking them would only wait for the same timeout.
    celery_check = check_celery() if redis_check["ok"] else _failed("celery", "broker unreachable")
    return {"database": check_database(), "redis": redis_check, "celery": celery_check}
