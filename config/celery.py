"""The Celery app: workers deliver webhooks (`webhooks.tasks`), beat runs the sweep.

    celery -A config worker --loglevel=INFO
    celery -A config beat --loglevel=INFO

Settings are the Django settings prefixed `CELERY_` (config/settings/base.py); see
docs/deployment.md.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
