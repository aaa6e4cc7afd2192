"""Celery beat names its tasks by string: each must be one a worker registers."""

import pytest
from django.conf import settings

from csam_portal.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_periodic_task_is_one_a_worker_knows(db, entry):
    # `db`: Celery's Django fixup runs the system checks, which on SQLite open a cursor.
    app.loader.import_default_modules()  # what a worker does at start: the apps' and the core's

    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
