"""The permission matrix: every route of the URLconf and every operation of the API's OpenAPI
document, for every role of core/permissions.py, anonymous, and the staff of another school,
with objects of our school and of the other one. Generated, not listed: a new route is covered
without editing this file (or fails, telling the developer which URL parameter to map).

The world is the demo district (every module's demo loader, as `make run` loads it): a federation
with two rich schools. It is built once per module in a transaction rolled back at the end, and
every request runs in a savepoint rolled back after it, so no request changes what the next sees.

What each cell asserts:
- another org's object (our org in the URL, their object), or their org altogether → 404;
- anonymous → a redirect to the login page (web) / 401 (API);
- a role without the capability the view declares (org_view) or checks (API) → 403 or 404;
- a role with it → neither 403, 404 nor 500 — except where the view checks the person, not the
  role (PERSONAL below, each with its reason);
- never a 500, for anyone.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from jiaogong.core import permissions
from jiaogong.core.permissions import CAPABILITIES, ROLES
from jiaogong.core.tests.matrix import Unmapped, api_operations, api_url, build_world, web_routes, web_url

# The mark makes pytest-django create the test database; each test's own transaction then nests
# inside the module's.
pytestmark = pytest.mark.django_db

ROUTES = web_routes()


def _operations():
    from jiaogong.api.api import api

    schema = api.get_openapi_schema()
    return schema, api_operations(schema)


SCHEMA, OPERATIONS = _operations()

# Pages whose 404 to a role that may open them means "nothing to show in the demo data" (no file
# uploaded, no awards chosen this year, a form's query missing) — not a refusal. A 403 still fails.
EMPTY_IS_404 = {
    "congress:paper_file": "a paper without an uploaded file",
    "study:awards_docx": "no reading awards chosen this year",
    "funds:receipt_pick": "without ?member=&period=&fmt= there is nothing to issue",
}

# Views that check the person, not (only) a role: a role-holder who is not that person is refused.
# Anyone without the capability is still refused; nobody gets a 500.
PERSONAL = {
    "congress:my_scrutiny": "only a 监票人 of the session",
    "congress:my_code": "only a delegate of the session",
    "congress:vote": "only a present delegate",
    "congress:appraisal_vote": "only a delegate who may rate",
    "funds:receipt_docx": "one's own receipt, or the finance member's",
    "funds:receipt_pdf": "one's own receipt, or the finance member's",
    "notifications:inbox": "one's own notifications: a federation officer has none in a school",
    "notifications:preferences": "one's own notification settings (a member of the school)",
    "notifications:read_all": "one's own notifications",
    "notifications:open": "one's own notification",
    "notifications:read": "one's own notification",
}

ACTORS = [*ROLES, "anonymous", "outsider"]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    var = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=var / "media"), transaction.atomic():
        w = build_world(var)
        # One logged-in client per actor, for the whole module (a login per request would cost
        # a session and a last_login write each time).
        w.clients = {}
        for name, user in [*w.users.items(), ("superuser", w.superuser)]:
            w.clients[name] = Client(raise_request_exception=True)
            if user is not None:
                w.clients[name].force_login(user)
        yield w
        transaction.set_rollback(True)


class Checked(dict):
    """permissions.CAPABILITIES, recording every capability `can` (and so `org_for`) looks up."""

    def __init__(self, *args):
        super().__init__(*args)
        self.seen: list[str] = []

    def __getitem__(self, key):
        self.seen.append(key)
        return super().__getitem__(key)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def call(method: str, url: str, client: Client, token=None):
    """One request, rolled back after: (status, Location or what a view raised, capabilities
    checked). A view's exception is reported as a 500 with its type and message."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    checked = Checked(CAPABILITIES)
    cookies = {k: v.value for k, v in client.cookies.items()}
    try:
        with rolled_back(), mock.patch.object(permissions, "CAPABILITIES", checked):
            if method == "GET":
                r = client.get(url, headers=headers)
            elif url.startswith("/api/"):
                r = client.generic(method, url, "{}", content_type="application/json", headers=headers)
            else:
                r = client.generic(
                    method, url, "", content_type="application/x-www-form-urlencoded", headers=headers
                )
    except Exception as e:  # noqa: BLE001 — a view that raises is a 500; report what it raised
        return 500, f"{type(e).__name__}: {e}", checked.seen
    finally:
        # The session as it was (the request's writes to it were rolled back with the rest).
        client.cookies.clear()
        for k, v in cookies.items():
            client.cookies[k] = v
    if r.streaming:  # read a file download to its end: the client then closes its file
        b"".join(r.streaming_content)
    return r.status_code, r.get("Location", ""), checked.seen


def login_redirect(status, location) -> bool:
    return (
        status == 302 and location.startswith(reverse(settings.LOGIN_URL)) and REDIRECT_FIELD_NAME in location
    )


def holds(role: str, capability: str) -> bool:
    return role in CAPABILITIES[capability]


class Cell:
    """The problems found for one route or operation, reported together."""

    def __init__(self, title):
        self.title, self.problems = title, []

    def expect(self, ok: bool, who: str, method: str, url: str, status, detail, want: str):
        if not ok:
            self.problems.append(f"{who:>18} {method} {url} → {status} {detail} (want {want})")

    def check_role(self, role, method, url, status, detail, checked, declared, personal=False):
        """A role lacking the declared capability is refused; one holding every capability the
        request checked is not (unless the view checks the person); nobody gets a 500."""
        self.expect(status != 500, role, method, url, status, detail, "no 500")
        refused = status in (403, 404, 405)
        if declared and not holds(role, declared):
            self.expect(refused, role, method, url, status, detail, f"refused: lacks {declared}")
        elif method == "GET" and not personal and all(holds(role, c) for c in checked):
            self.expect(
                status not in (403, 404), role, method, url, status, detail, f"allowed: holds {checked}"
            )

    def done(self):
        assert not self.problems, f"{self.title}:\n" + "\n".join(self.problems)


# ---- the web ---------------------------------------------------------------------------------------


def test_every_web_route(world, subtests):
    """One test (so that xdist builds the world once), a subtest per route."""
    for route in ROUTES:
        with subtests.test(route.name):
            check_web_route(route, world)


def check_web_route(route, w):
    cell = Cell(f"{route.name} ({route.pattern})")
    try:
        url = web_url(route, w.school_a, w.today)
        url_b = web_url(route, w.school_b, w.today)
    except Unmapped as e:
        pytest.fail(str(e))
    c = w.clients
    if "org_id" not in dict((p, c) for c, p in route.params):
        # Not org-scoped (login, logout, the home redirect, a member's tokened calendar feed):
        # nobody gets a 500.
        for actor in ACTORS:
            for method in ("GET", "POST"):
                # A fresh client: logging out (or in) here must not change the shared ones.
                client = Client(raise_request_exception=True)
                if w.users[actor] is not None:
                    client.force_login(w.users[actor])
                status, detail, _ = call(method, url, client)
                cell.expect(status != 500, actor, method, url, status, detail, "no 500")
        return cell.done()
    assert url is not None and url_b is not None, (
        f"{route.name}: a demo school has no object for {route.pattern} — add one to its app's demo "
        "loader (demo.py), or to build_world in core/tests/matrix.py, so that the matrix reaches it"
    )
    # A federation's page: the superuser (who sees every org) finds nothing on a school, and finds
    # it on the federation. There only the federation officer has a role: the rest are outsiders.
    on_federation = False
    if call("GET", url, c["superuser"])[0] == 404:
        url_f = web_url(route, w.federation, w.today)
        if url_f is not None and call("GET", url_f, c["superuser"])[0] != 404:
            url, url_b, on_federation = url_f, None, True

    # Anonymous: the login page (or 405 for the wrong method: the same for every URL).
    status, detail, _ = call("GET", url, c["anonymous"])
    cell.expect(
        login_redirect(status, detail) or status == 405, "anonymous", "GET", url, status, detail, "login"
    )
    # Staff of another school: not found, before anything else (an empty POST is not validated).
    for method in ("GET", "POST"):
        status, detail, _ = call(method, url, c["outsider"])
        cell.expect(status in (404, 405), "outsider", method, url, status, detail, "404")
    if url_b is not None:
        # Our chair on the other school's URL → 404.
        status, detail, _ = call("GET", url_b, c["chair"])
        cell.expect(status in (404, 405), "chair", "GET", url_b, status, detail, "404 (other org)")
        # Our org in the URL with the other school's objects, by a role that may use the page → 404
        # (POST too where the page only takes POST).
        if route.objects:
            mixed = url_b.replace(f"/o/{w.school_b.pk}/", f"/o/{w.school_a.pk}/", 1)
            role = next(r for r in ROLES if route.capability is None or holds(r, route.capability))
            for method in ("GET", "POST"):
                status, detail, _ = call(method, mixed, c[role])
                cell.expect(status in (404, 405), role, method, mixed, status, detail, "404 (their object)")
                if status != 405:
                    break

    wrote = False
    for role in ROLES:
        status, detail, checked = call("GET", url, c[role])
        if on_federation and role != "federation_officer":
            cell.expect(status == 404, role, "GET", url, status, detail, "404 (no role in the federation)")
            continue
        if status == 404 and route.name in EMPTY_IS_404:
            status = 200
        cell.check_role(role, "GET", url, status, detail, checked, route.capability, route.name in PERSONAL)
        if route.capability and not holds(role, route.capability) and not wrote:
            wrote = True  # one wrong role's write is enough: org_view refuses them all alike
            status, detail, checked = call("POST", url, c[role])
            cell.check_role(role, "POST", url, status, detail, checked, route.capability)
    cell.done()


def test_every_org_view_declares_its_capability():
    """The matrix reads the capability from the view: every org-scoped view declares it (org_view)."""
    silent = [r.name for r in ROUTES if any(p == "org_id" for _, p in r.params) and r.capability is None]
    assert not silent, (
        f"org-scoped views that declare no capability (use core.views_support.org_view): {silent}"
    )


# ---- the API ---------------------------------------------------------------------------------------


def test_every_api_operation(world, subtests):
    """One test, a subtest per operation of the OpenAPI document."""
    for method, path in OPERATIONS:
        with subtests.test(f"{method} {path}"):
            check_api_operation(method, path, world)


def check_api_operation(method, path, w):
    op = SCHEMA["paths"][path][method.lower()]
    public = not op.get("security")  # auth=None: the operation lists no security scheme
    cell = Cell(f"{method} {path}")
    try:
        url = api_url(path, w.school_a, w.today)
        url_b = api_url(path, w.school_b, w.today)
    except Unmapped as e:
        pytest.fail(str(e))
    assert url is not None and url_b is not None, (
        f"{method} {path}: a demo school has no object for it — add one to its demo loader, or to "
        "build_world in core/tests/matrix.py"
    )
    scoped = "{" in path

    if not public:
        status, detail, _ = call(method, url, w.clients["anonymous"])
        cell.expect(status == 401, "anonymous", method, url, status, detail, "401")
    if scoped:
        # Another school's object: 404 — or, where django-ninja refuses the (empty) input before
        # the operation runs, exactly the answer a missing object gets: nothing is told.
        missing = api_url(path, w.school_a, w.today, missing=True)
        for who, target in (("outsider", url), ("chair", url_b)):
            status, detail, _ = call(method, target, w.clients["anonymous"], token=w.tokens[who])
            gone = call(method, missing, w.clients["anonymous"], token=w.tokens[who])[0]
            ok = status == 404 or (status == gone and status in (400, 422))
            cell.expect(ok, who, method, target, status, detail, f"404 (a missing object gets {gone})")

    # The operation's guard: the first capability org_for checks when the superuser calls it.
    status, detail, checked = call(method, url, w.clients["anonymous"], token=w.tokens["superuser"])
    cell.expect(status != 500, "superuser", method, url, status, detail, "no 500")
    guard = checked[0] if checked else None
    for role in ROLES:
        status, detail, checked = call(method, url, w.clients["anonymous"], token=w.tokens[role])
        if not scoped:
            cell.expect(status != 500, role, method, url, status, detail, "no 500")
            continue
        cell.check_role(role, method, url, status, detail, checked, guard)
    cell.done()
