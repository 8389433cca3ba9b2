"""WSGI entry point (gunicorn sms_tool.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tool.settings")

application = get_wsgi_application()
