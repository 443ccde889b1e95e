"""Schemathesis over /api/v1/openapi.json, through the Django WSGI app in-process: every operation,
a bounded number of generated requests (valid ones and invalid ones) as the chair of a demo
school, with the path's ids those of the school's real objects so that the requests reach the
services and not only the 404. The check: never a server error (and a 2xx conforms to the
documented schema).

Each request runs in a savepoint rolled back after it, in a demo district built once per module
and rolled back at the end."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from jiaogong.core.tests.matrix import api_params, build_world

pytestmark = pytest.mark.django_db

# Per operation and mode: ~90 operations × 2 modes × EXAMPLES requests.
EXAMPLES = 8


def _schema():
    from jiaogong.api.api import api

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    var = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=var / "media"), transaction.atomic():
        yield build_world(var)
        transaction.set_rollback(True)


@pytest.fixture
def in_process(world):
    """The WSGI handler closes the connection at the end of a request (CONN_MAX_AGE); in the test's
    transaction it must not (Django's own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield world
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_no_server_error(in_process, subtests):
    """One test (so that xdist builds the world once), a subtest per operation and mode."""
    for operation in OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(f"{operation.method.upper()} {operation.path} ({mode.value})"):
                check_operation(operation, mode, in_process)


def check_operation(operation, mode, w):
    params = api_params(operation.path, w.school_a, w.today)
    headers = {"Authorization": f"Bearer {w.tokens['chair']}"}
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if case.path_parameters and params and mode is GenerationMode.POSITIVE:
            case.path_parameters = {**case.path_parameters, **params}
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        checks = [not_a_server_error]
        if mode is GenerationMode.POSITIVE and 200 <= response.status_code < 300:
            checks.append(response_schema_conformance)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as e:  # noqa: BLE001 — collected, so that hypothesis does not shrink for minutes
            failures.append(f"{type(e).__name__}: {str(e)[:1500]}")

    run()
    assert not failures, f"{len(failures)} failing request(s):\n\n" + "\n\n".join(failures[:3])


def test_every_schema_of_the_api_has_its_own_name():
    """The OpenAPI document keys its components by class name: two schemas with one name (funds'
    and reports' SummaryOut, found by the schemathesis run) leave one operation documented with
    the other's fields."""
    import importlib
    import pkgutil

    from ninja import Schema

    import jiaogong.api

    seen: dict[str, str] = {}
    clashes = []
    for info in pkgutil.iter_modules(jiaogong.api.__path__):
        module = importlib.import_module(f"jiaogong.api.{info.name}")
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                if name in seen:
                    clashes.append(f"{name}: {seen[name]} and {module.__name__}")
                seen[name] = module.__name__
    assert not clashes, clashes
