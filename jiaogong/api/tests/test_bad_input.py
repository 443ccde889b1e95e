"""Bad input to the API gets a Chinese error in the error shape and writes nothing — never a 500.
Each case here was a 500, a silent wrong write or an unbounded read before (issue item 9)."""

import io
import json

import pytest
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT

from jiaogong.core.limits import BodyTooLarge, read_capped
from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship.models import HardshipFile
from jiaogong.hardship.tests.conftest import teacher, welfare  # noqa: F401  (fixtures)


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="finance_a"), school_a, "finance")


def entry(**overrides) -> dict:
    return {
        "date": "2026-11-02",
        "kind": "income",
        "category": "会费收入",
        "amount": "300",
        "memo": "会费",
    } | overrides


def hardship(member, **overrides) -> dict:
    return {
        "member": member.pk,
        "household_size": 3,
        "annual_income": "30000",
        "rigid_expenses": "6000",
        "hardship_costs": "0",
        "dibao_monthly": "800",
    } | overrides


def assert_refused(response, status=400, **fields):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["message"]
    for name, message in fields.items():
        assert error["fields"][name] == message, error
    return error


def test_1e30_in_a_hardship_amount_is_a_chinese_400(api, welfare, school_a, teacher):  # noqa: F811
    path = f"/orgs/{school_a.pk}/hardship-files"
    refused = api(welfare).post(path, hardship(teacher, annual_income=1e30))
    assert_refused(refused, annual_income="家庭年收入过大，不能超过 9,999,999.99 元。")
    items = api(welfare).post(
        path, hardship(teacher, annual_income="", income_items=[{"kind": "工资", "amount": 1e30}])
    )
    assert_refused(items)
    assert "过大" in items.json()["error"]["fields"]["income_items.1.amount"]
    assert HardshipFile.objects.count() == 0


def test_a_json_true_amount_is_refused_not_stored_as_one_yuan(api, finance, school_a):
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", entry(amount=True))
    assert_refused(response, amount='金额应为数字或字符串（如 "21.45"），不能是 true/false。')
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e3", "金额请直接写数字（元），不要用科学计数法。"),
        (1e30, "金额过大，不能超过 9,999,999.99 元。"),
        ("10000000.00", "金额过大，不能超过 9,999,999.99 元。"),
        ("0.001", "金额最多保留两位小数。"),
    ],
)
def test_ledger_amounts_are_bounded(api, finance, school_a, amount, message):
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", entry(amount=amount))
    assert_refused(response, amount=message)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("0001-01-01", "日期应在 1900-01-01 至 2100-12-31 之间。"), ("1999-12-31", "日期不能早于 2000-01-01。")],
)
def test_the_ledger_refuses_dates_before_the_books(api, finance, school_a, day, message):
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", entry(date=day))
    assert_refused(response, date=message)
    assert not LedgerEntry.objects.exists()


def test_nan_is_not_json(api, finance, school_a):
    body = json.dumps(entry()).replace('"300"', "NaN")
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", body, content_type="application/json")
    assert_refused(response)
    assert not LedgerEntry.objects.exists()


def test_control_characters_in_any_string_are_refused_naming_the_field(api, finance, school_a):
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", entry(memo="会费\x00\x1b"))
    assert_refused(response, memo="含有不可见的控制字符（U+0000、U+001B），请删除后重试。")
    assert not LedgerEntry.objects.exists()
    query = api(finance).get(f"/orgs/{school_a.pk}/members", {"q": "张\x00"})
    assert_refused(query, q="含有不可见的控制字符（U+0000），请删除后重试。")


def test_a_21_mb_json_body_is_a_413_in_the_error_shape_before_it_is_read(api, finance, school_a):
    body = json.dumps(entry(memo="x" * 21_000_000))
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", body, content_type="application/json")
    error = assert_refused(response, status=413)
    assert error["code"] == "too_large" and error["message"] == "提交的内容过大（上限 1 MB），未处理。"
    assert not LedgerEntry.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="funds.").exists()


def test_a_body_just_under_the_limit_is_read(api, finance, school_a):
    memo = "会" * 150
    body = json.dumps(entry(memo=memo), ensure_ascii=False) + " " * (1024 * 1024 - 2000)
    response = api(finance).post(f"/orgs/{school_a.pk}/ledger/entries", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_body_without_a_length_is_read_no_further_than_the_limit():
    request = RequestFactory().post("/api/v1/x", data=b"", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    stream = io.BytesIO(b"x" * 5000)
    request.read = stream.read
    with pytest.raises(BodyTooLarge):
        read_capped(request, 1000)
    assert stream.tell() <= 1001


def test_a_big_web_form_post_is_a_chinese_413(client, chair_a, school_a):
    client.force_login(chair_a)
    body = "x=" + "y" * (3 * 1024 * 1024)
    response = client.post("/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_zip_bomb_roster_is_refused_quickly_and_imports_nothing(api, chair_a, school_a):
    import time

    from jiaogong.core.tests.test_xlsx import with_sheet
    from jiaogong.members.models import Member

    def write(f):
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        row = b'<row><c t="inlineStr"><is><t>' + b"Z" * 1000 + b"</t></is></c></row>"
        for _ in range(20_000):  # 20 MB of sheet XML
            f.write(row)
        f.write(b"</sheetData></worksheet>")

    bomb = io.BytesIO(with_sheet(write))
    bomb.name = "名册.xlsx"
    assert len(bomb.getvalue()) < 80 * 1024
    before = Member.objects.count()
    started = time.perf_counter()
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/members/import", {"file": bomb}, content_type=MULTIPART_CONTENT
    )
    assert time.perf_counter() - started < 3
    error = assert_refused(response, status=422)
    assert error["code"] == "import_invalid" and "压缩比异常" in error["message"]
    assert Member.objects.count() == before


def test_a_whole_number_past_an_integer_column_is_refused(api, chair_a, school_a):
    body = {"title": "秋游", "kind": "sports", "starts_at": "2026-11-20T09:00:00+08:00"}
    body |= {"ends_at": "2026-11-20T12:00:00+08:00", "capacity": 10**40}
    response = api(chair_a).post(f"/orgs/{school_a.pk}/activities", body)
    assert_refused(response, capacity="数值过大。")


def test_a_date_outside_1900_to_2100_is_refused_in_any_field(api, chair_a, school_a):
    body = {"title": "秋游", "kind": "sports", "starts_at": "0001-01-01T09:00:00+08:00"}
    body |= {"ends_at": "2026-11-20T12:00:00+08:00", "skip_dates": ["9999-12-31"]}
    response = api(chair_a).post(f"/orgs/{school_a.pk}/activities", body)
    assert_refused(
        response,
        starts_at="日期应在 1900-01-01 至 2100-12-31 之间。",
        **{"skip_dates.0": "日期应在 1900-01-01 至 2100-12-31 之间。"},
    )


def test_the_ledger_service_refuses_0001_01_01_from_any_caller(finance, school_a):
    import datetime

    from jiaogong.core.errors import InvalidInput
    from jiaogong.funds import services

    with pytest.raises(InvalidInput) as refused:
        services.record_entry(
            actor=finance,
            org=school_a,
            date=datetime.date(1, 1, 1),
            kind="income",
            category="会费收入",
            amount="5",
            memo="会费",
        )
    assert refused.value.fields == {"date": "日期不能早于 2000-01-01。"}
    assert not LedgerEntry.objects.exists()
