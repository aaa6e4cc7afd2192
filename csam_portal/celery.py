"""The Celery application: configured from Django's settings (CELERY_*), tasks of every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csam_portal.settings")

app = Celery("csam_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each installed app's tasks.py
app.autodiscover_tasks(["csam_portal.core"])  # the outbox's and the throttle's
