"""The checks behind /health/: each answers within about a second, whatever the service does."""

import redis
from django.conf import settings
from django.db import connection

from csam_portal.celery import app as celery_app

TIMEOUT_SECONDS = 1.0


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "not reachable"
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"}
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
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"}
    finally:
        client.close()
    return {"ok": True, "detail": "ping"}


def check_celery() -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "detail": "not used: tasks run in the web process"}
    try:
        replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS)
    except Exception as error:  # kombu wraps broker failures in several types
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"}
    if not replies:
        return {"ok": False, "detail": "no worker answered"}
    return {"ok": True, "detail": f"{len(replies)} worker(s)"}


def check_all() -> dict:
    redis_check = check_redis()
    if redis_check["ok"]:
        celery_check = check_celery()
    else:  # the workers are reached through Redis: asking would only wait for the same timeout
        celery_check = {"ok": False, "detail": "broker unreachable"}
    return {"database": check_database(), "redis": redis_check, "celery": celery_check}
