"""The production-like base settings, with the baseline's URLs added: what gunicorn serves in bench/scale.py."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.scale_support.urls"
