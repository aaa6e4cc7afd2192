"""The core library: what every app uses and nothing app-specific (README «Layout»).

It imports no app (users, enterprises, access_managers, senders, mandates), no project module
(settings, URLconf, Celery app) and no public page; it may import `csam_portal.models`, which
holds the rows it writes (audit records, e-mails, throttle hits). tests/test_layers.py checks it.
"""
