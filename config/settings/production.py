"""Production settings: the base settings made strict.

Secrets come only from the environment; `manage.py check --deploy` is clean.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import EMBEDDED_DEFAULT_SECRET_KEY, STORAGES, env

DEBUG = False
# No defaults: start-up fails without a key or a database named in the environment, and the
# development key that base.py falls back to is refused even when it is passed in explicitly.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY.strip() or SECRET_KEY == EMBEDDED_DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random value (not the development key)")
if "DATABASE_URL" not in env.ENVIRON or not env.str("DATABASE_URL").strip():
    raise ImproperlyConfigured("Set the DATABASE_URL environment variable (production has no default database)")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Several gunicorn workers must share rate-limit counts: without CACHE_URL=redis://..., check --deploy warns.
SILENCED_SYSTEM_CHECKS = []
# Static files from collectstatic (the Dockerfile runs it): hashed names, gzip and Brotli copies.
STATIC_COLLECTED = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
