"""Garbage posted to a representative set of API endpoints and web forms — control characters,
huge numbers, huge strings, wrong types — is never a 500, and a refused request writes nothing
(no row, no audit entry)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.accounts.services import create_api_token
from jiaogong.activities.models import Activity
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship.models import HardshipFile
from jiaogong.members.models import Member

GARBAGE = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
    st.sampled_from(["1e30", "NaN", "-Infinity", "0001-01-01", "9999-12-31", "１２３", "\x00", "x" * 20_000]),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
SLOW = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def spoil(valid: dict, data) -> dict:
    """The valid body with some of its fields replaced by garbage (at least one)."""
    fields = data.draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=len(valid), unique=True))
    return valid | {name: data.draw(GARBAGE, label=name) for name in fields}


@pytest.fixture
def cast(school_a):
    chair = grant(UserFactory(username="chair_g"), school_a, "chair")
    finance = grant(UserFactory(username="finance_g"), school_a, "finance")
    welfare = grant(UserFactory(username="welfare_g"), school_a, "welfare")
    return {"chair": chair, "finance": finance, "welfare": welfare, "member": MemberFactory(org=school_a)}


def endpoints(org, cast):
    """(user, path, valid body, model whose rows a refusal must leave alone)."""
    return [
        (
            cast["finance"],
            f"/api/v1/orgs/{org.pk}/ledger/entries",
            {"date": "2026-11-02", "kind": "income", "category": "会费收入", "amount": "300", "memo": "会费"},
            LedgerEntry,
        ),
        (
            cast["welfare"],
            f"/api/v1/orgs/{org.pk}/hardship-files",
            {
                "member": cast["member"].pk,
                "household_size": 3,
                "annual_income": "30000",
                "rigid_expenses": "6000",
                "hardship_costs": "0",
                "dibao_monthly": "800",
                "note": "说明",
            },
            HardshipFile,
        ),
        (
            cast["chair"],
            f"/api/v1/orgs/{org.pk}/members",
            {"name": "王五", "gender": "M", "birth_date": "1980-05-01", "is_teacher": True, "post": "教师"},
            Member,
        ),
        (
            cast["chair"],
            f"/api/v1/orgs/{org.pk}/activities",
            {
                "title": "秋游",
                "kind": "sports",
                "starts_at": "2026-11-20T09:00:00+08:00",
                "ends_at": "2026-11-20T12:00:00+08:00",
                "capacity": 30,
                "location": "操场",
            },
            Activity,
        ),
    ]


@pytest.mark.parametrize("which", range(4))
@SLOW
@given(data=st.data())
def test_garbage_to_the_api_is_never_a_500_and_a_refusal_writes_nothing(client, school_a, cast, which, data):
    user, path, valid, model = endpoints(school_a, cast)[which]
    body = spoil(valid, data)
    token = create_api_token(user)
    rows, audits = model.objects.count(), AuditEvent.objects.count()
    response = client.post(
        path, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["message"] and error["code"]
        assert model.objects.count() == rows
        assert AuditEvent.objects.count() == audits


@SLOW
@given(data=st.data())
def test_garbage_to_the_ledger_form_is_never_a_500_and_a_refusal_writes_nothing(client, school_a, cast, data):
    client.force_login(cast["finance"])
    valid = {
        "date": "2026-11-02",
        "kind": "income",
        "category": "会费收入",
        "amount": "300",
        "memo": "会费",
        "account": "bank",
    }
    body = {k: v if isinstance(v, str) else str(v) for k, v in spoil(valid, data).items() if v is not None}
    rows = LedgerEntry.objects.count()
    response = client.post(reverse("funds:ledger", args=[school_a.pk]), body)
    assert response.status_code < 500
    if response.status_code == 200:  # the form again, with its errors: nothing recorded
        assert LedgerEntry.objects.count() == rows
    for entry in LedgerEntry.objects.all():
        assert entry.amount <= 9_999_999 and entry.date >= datetime.date(2000, 1, 1)
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in entry.memo + entry.payee)


def test_control_characters_typed_in_a_web_form_are_dropped(client, school_a, cast):
    client.force_login(cast["finance"])
    body = {
        "date": "2026-11-02",
        "kind": "income",
        "category": "会费收入",
        "amount": "300",
        "account": "bank",
    }
    response = client.post(
        reverse("funds:ledger", args=[school_a.pk]), body | {"memo": "十月\x00会费\x1b", "payee": "张\x1b三"}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.memo, entry.payee) == ("十月会费", "张三")
