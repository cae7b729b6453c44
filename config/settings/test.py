"""Test settings: the base settings, with what makes tests fast and deterministic.

DATABASE_URL still switches to PostgreSQL, so CI runs the same suite against the
real database. Tasks run in-process even when CELERY_BROKER_URL is set; the
integration tests (tests/integration) start real workers and send them tasks
through the broker explicitly.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
# Static files from the source folders whatever the environment says: the suite runs without collectstatic.
STATIC_COLLECTED = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
