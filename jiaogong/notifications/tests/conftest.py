import datetime

import pytest

from jiaogong.factories import UserFactory, grant
from jiaogong.notifications import sources
from jiaogong.notifications.sources import DueItem


@pytest.fixture
def welfare_a(school_a):
    return grant(
        UserFactory(username="shenghuo_a", first_name="李生活", email="shenghuo@example.cn"),
        school_a,
        "welfare",
    )


@pytest.fixture
def only_sources(monkeypatch):
    """only_sources(fn, ...): the registry holds just these sources for the test (restored after)."""

    def _only(*fns):
        monkeypatch.setattr(sources, "SOURCES", list(fns))

    return _only


def item(org, key, recipients, *, kind="visits", title="请走访张三", overdue=False, due_on=None, url="/"):
    return DueItem(
        key=key,
        kind=kind,
        org_id=org.pk,
        title=title,
        url=url,
        recipients=tuple(u.pk for u in recipients),
        body="住院慰问，请在到期日前走访。",
        due_on=due_on or datetime.date(2026, 11, 25),
        overdue=overdue,
    )


@pytest.fixture
def fake_source(school_a):
    """A source with a mutable list of items for school A: fake_source.items.append(...)."""

    class Fake:
        def __init__(self):
            self.items = []

        def __call__(self, org, today):
            return [i for i in self.items if i.org_id == org.pk]

    return Fake()
