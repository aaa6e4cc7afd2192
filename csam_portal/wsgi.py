"""WSGI entry point, served by gunicorn (`make services`, docker-compose.yml)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csam_portal.settings")

application = get_wsgi_application()
