"""Test settings: the base settings, with what makes tests fast and deterministic.

DATABASE_URL and CELERY_BROKER_URL still switch to PostgreSQL and Redis, so CI
runs the same suite against the real services.
"""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
