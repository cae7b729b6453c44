"""The Celery app.

With no broker configured (the embedded default) tasks run in-process, eagerly;
with CELERY_BROKER_URL set they go to real workers. Both are decided in settings.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("casualty_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
