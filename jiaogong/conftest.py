"""The cast every test shares: a federation with two schools, and people in named roles.

federation ─┬─ school_a: chair_a (chair), member_a (plain member, linked to a Member), group_a
            └─ school_b: outsider_b (chair of school B: an outsider to school A)
officer: federation_officer of the federation (reads both schools)
"""

import datetime

import pytest

from jiaogong.core.models import Org
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant

PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are about hashing ask for it back (see test_login)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return datetime.date(2026, 11, 22)


@pytest.fixture
def federation(db):
    return Org.objects.create(name="龙胜县教育工会", kind="federation", province="广西")


@pytest.fixture
def school_a(federation):
    return Org.objects.create(name="龙胜乡中心小学工会", kind="school", parent=federation, province="广西")


@pytest.fixture
def school_b(federation):
    return Org.objects.create(name="冷水溪小学工会", kind="school", parent=federation, province="广西")


@pytest.fixture
def group_a(school_a):
    return UnionGroupFactory(org=school_a, name="语文组")


@pytest.fixture
def chair_a(school_a):
    return grant(UserFactory(username="chair_a", first_name="王主席"), school_a, "chair")


@pytest.fixture
def member_a(school_a, group_a):
    m = MemberFactory(org=school_a, name="张三", union_group=group_a)
    user = UserFactory(username="member_a", member=m)
    return grant(user, school_a, "member")


@pytest.fixture
def outsider_b(school_b):
    return grant(UserFactory(username="outsider_b"), school_b, "chair")


@pytest.fixture
def officer(federation):
    return grant(UserFactory(username="officer"), federation, "federation_officer")


@pytest.fixture
def login(client):
    """login(user) logs the Django test client in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# ---- browser tests (Playwright on Debian's Chromium) --------------------------------------------

SCREENSHOTS = __import__("pathlib").Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def chromium():
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests still call the ORM directly.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """page(viewport="phone"|"desktop") opens a fresh context on the live server."""
    contexts = []

    def _open(viewport="desktop"):
        context = chromium.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", base_url=live_server.url)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def shoot(page, name: str) -> "__import__('pathlib').Path":
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000
    return path
