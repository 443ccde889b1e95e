"""Settings of the end-to-end test of `manage.py serve`: production settings with a failing page
and one more scheduled job (serve_app.py)."""

from jiaogong.config.settings import *  # noqa: F403

ROOT_URLCONF = "jiaogong.core.tests.serve_app"
JIAOGONG_SCHEDULE = [*JIAOGONG_SCHEDULE, ("jiaogong.core.tests.serve_app.scheduled", "every 1 minutes")]  # noqa: F405
