"""The yardstick of the vote benchmark: the project's settings with one bare endpoint that does a
single INSERT, served by the same gunicorn, so ours can be compared with it from the same run."""

from jiaogong.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
