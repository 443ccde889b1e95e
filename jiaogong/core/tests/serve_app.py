"""What the end-to-end test of `manage.py serve` (test_serve.py) runs the real server with: a page
that fails (to see a 500 without a traceback), a task for the worker and a job for the scheduler."""

from django.conf import settings
from django.urls import include, path
from django_tasks import task


def boom(request):
    raise RuntimeError("secret detail that must not reach the browser")


urlpatterns = [path("boom/", boom), path("", include("jiaogong.config.urls"))]


@task()
def touch(name: str) -> str:
    (settings.VAR_DIR / name).write_text("worker ran me")
    return name


def scheduled() -> None:
    with open(settings.VAR_DIR / "scheduled-runs", "a") as f:
        f.write("ran\n")
